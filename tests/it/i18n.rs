//! The interface's catalogues (`static/i18n/<tag>.json`, read by `newsreader::i18n`)
//! against each other and against what asks for their messages: the app (`src/app`)
//! and the first paint (`static/boot.js`). A key the app asks for and a catalogue lacks
//! would show the key itself; a key nothing asks for is dead weight in every language.
//!
//! What counts as asking, in `src/app/**/*.rs`: a call `text("key")` or `fill("key", …)`
//! on any receiver (or none), and a literal passed as `key = "…"`. A `.text(…)` or
//! `.fill(…)` whose first argument is not a literal cannot be checked, so it must say
//! which keys it may take in a comment on its line or the line above:
//! `// i18n-keys: error-damaged, error-mismatch`; an empty `// i18n-keys:` says the call
//! is no lookup at all (a slice's `fill(0)`, a converter's `text(&s)`). Only the
//! forwarding methods themselves (`fn text(…, key) { ….text(key) }`) need no comment. In
//! boot.js, the words of the first paint go through `t('key', 'English fallback'…)`,
//! whose fallback must be en.json's message; a `t(…)` of any other shape fails.
//!
//! The sources are read with a small tokenizer (strings, comments, punctuation), not a
//! parser: enough to tell a literal argument from any other, and never fooled by a
//! comment or a string that looks like a call.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use newsreader::i18n::{placeholders, Catalog, Lang};

use crate::common::manifest_dir;

/// The three catalogues, by tag, as the app reads them.
fn catalogues() -> Vec<(&'static str, Catalog)> {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let file = format!("static/i18n/{}.json", lang.tag());
            let bytes = fs::read(manifest_dir().join(&file)).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
            let catalog = Catalog::parse(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
            (lang.tag(), catalog)
        })
        .collect()
}

fn english() -> Catalog {
    catalogues().into_iter().find(|(tag, _)| *tag == "en").unwrap().1
}

fn key_set(catalog: &Catalog) -> BTreeSet<String> {
    catalog.keys().map(str::to_string).collect()
}

#[test]
fn every_catalogue_parses_and_names_its_own_language() {
    let dir = manifest_dir().join("static/i18n");
    let mut problems = Vec::new();
    let mut files: Vec<String> =
        fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    for file in &files {
        let Some(stem) = file.strip_suffix(".json") else {
            problems.push(format!("static/i18n/{file}: not a catalogue (only <tag>.json belongs here)"));
            continue;
        };
        match Catalog::parse(&fs::read(dir.join(file)).unwrap()) {
            Err(e) => problems.push(format!("static/i18n/{file}: {e}")),
            Ok(catalog) if catalog.lang().tag() != stem => problems.push(format!(
                "static/i18n/{file}: its \"lang\" is {:?}, not {stem:?} as its name says",
                catalog.lang().tag()
            )),
            Ok(catalog) if catalog.name().trim().is_empty() => {
                problems.push(format!("static/i18n/{file}: \"name\" is empty (the language menu shows it)"))
            }
            Ok(_) => {}
        }
    }
    for lang in Lang::ALL {
        if !files.contains(&format!("{}.json", lang.tag())) {
            problems.push(format!("static/i18n/{}.json is missing", lang.tag()));
        }
    }
    assert!(problems.is_empty(), "the catalogues:\n  {}", problems.join("\n  "));
}

#[test]
fn the_catalogues_have_the_same_keys() {
    let all = catalogues();
    let en = key_set(&all.iter().find(|(tag, _)| *tag == "en").unwrap().1);
    let mut problems = Vec::new();
    for (tag, catalog) in &all {
        let keys = key_set(catalog);
        let missing: Vec<&String> = en.difference(&keys).collect();
        let extra: Vec<&String> = keys.difference(&en).collect();
        if !missing.is_empty() {
            problems.push(format!("{tag}.json lacks {} key(s) en.json has: {missing:?}", missing.len()));
        }
        if !extra.is_empty() {
            problems.push(format!("{tag}.json has {} key(s) en.json lacks: {extra:?}", extra.len()));
        }
    }
    assert!(problems.is_empty(), "the catalogues' keys differ:\n  {}", problems.join("\n  "));
}

#[test]
fn a_message_has_the_same_placeholders_in_every_language() {
    let all = catalogues();
    let mut keys = BTreeSet::new();
    for (_, catalog) in &all {
        keys.extend(key_set(catalog));
    }
    let mut problems = Vec::new();
    for key in &keys {
        let names: Vec<(&str, BTreeSet<&str>)> = all
            .iter()
            .filter(|(_, c)| c.keys().any(|k| k == key))
            .map(|(tag, c)| (*tag, placeholders(c.text(key)).into_iter().collect()))
            .collect();
        if names.windows(2).any(|pair| pair[0].1 != pair[1].1) {
            let each: Vec<String> = names.iter().map(|(tag, n)| format!("{tag} {n:?}")).collect();
            problems.push(format!("{key}: {}", each.join(", ")));
        }
    }
    assert!(
        problems.is_empty(),
        "messages whose {{placeholders}} differ between languages:\n  {}",
        problems.join("\n  ")
    );
}

// ---- what the app asks for ------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// An identifier or keyword (or a number: nothing here tells them apart).
    Word(String),
    /// A string literal's contents, escapes left as written; `templated` for a JS
    /// template literal with `${…}` in it.
    Str {
        value: String,
        templated: bool,
    },
    Punct(char),
}

/// A file's tokens with their line numbers, and its comments (line, text).
struct Tokens {
    tokens: Vec<(usize, Token)>,
    comments: Vec<(usize, String)>,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// Reads a quoted string starting after its opening `quote`; returns its contents and
/// the index after the closing quote (newlines counted into `line`).
fn quoted(chars: &[char], mut at: usize, quote: char, line: &mut usize) -> (String, usize) {
    let mut value = String::new();
    while let Some(&c) = chars.get(at) {
        at += 1;
        match c {
            '\\' => {
                value.push(c);
                if let Some(&next) = chars.get(at) {
                    value.push(next);
                    *line += usize::from(next == '\n');
                    at += 1;
                }
            }
            c if c == quote => return (value, at),
            c => {
                *line += usize::from(c == '\n');
                value.push(c);
            }
        }
    }
    (value, at)
}

/// Where a raw string (`r"…"`, `r#"…"#`, `br"…"`) starts at `at`: the index after its
/// `r`, and how many `#`s it has.
fn raw_string_start(chars: &[char], at: usize) -> Option<(usize, usize)> {
    if at > 0 && is_word(chars[at - 1]) {
        return None;
    }
    let open = match (chars.get(at), chars.get(at + 1)) {
        (Some('r'), _) => at + 1,
        (Some('b'), Some('r')) => at + 2,
        _ => return None,
    };
    let hashes = chars[open..].iter().take_while(|&&c| c == '#').count();
    (chars.get(open + hashes) == Some(&'"')).then_some((open, hashes))
}

/// Rust: `//` and nested `/* */` comments, strings (`"…"`, `b"…"`, `r#"…"#`), char
/// literals and lifetimes.
fn rust_tokens(text: &str) -> Tokens {
    let chars: Vec<char> = text.chars().collect();
    let (mut tokens, mut comments) = (Vec::new(), Vec::new());
    let (mut at, mut line) = (0, 1);
    while let Some(&c) = chars.get(at) {
        let next = chars.get(at + 1).copied();
        if c == '\n' {
            line += 1;
            at += 1;
        } else if c.is_whitespace() {
            at += 1;
        } else if c == '/' && next == Some('/') {
            let end = chars[at..].iter().position(|&c| c == '\n').map_or(chars.len(), |n| at + n);
            comments.push((line, chars[at + 2..end].iter().collect()));
            at = end;
        } else if c == '/' && next == Some('*') {
            let (start, mut depth) = (line, 0);
            let mut body = String::new();
            while at < chars.len() {
                match (chars[at], chars.get(at + 1)) {
                    ('/', Some('*')) => (depth, at) = (depth + 1, at + 2),
                    ('*', Some('/')) => (depth, at) = (depth - 1, at + 2),
                    (c, _) => {
                        line += usize::from(c == '\n');
                        body.push(c);
                        at += 1;
                    }
                }
                if depth == 0 {
                    break;
                }
            }
            comments.push((start, body));
        } else if c == '"' {
            let start = line;
            let (value, end) = quoted(&chars, at + 1, '"', &mut line);
            tokens.push((start, Token::Str { value, templated: false }));
            at = end;
        } else if let Some((open, hashes)) = raw_string_start(&chars, at) {
            let closing: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let body = open + hashes + 1;
            let end = (body..=chars.len().saturating_sub(closing.len()))
                .find(|&i| chars[i..].starts_with(&closing))
                .unwrap_or(chars.len());
            let value: String = chars[body..end].iter().collect();
            let start = line;
            line += value.matches('\n').count();
            tokens.push((start, Token::Str { value, templated: false }));
            at = (end + closing.len()).min(chars.len());
        } else if c == 'b' && next == Some('"') && (at == 0 || !is_word(chars[at - 1])) {
            let start = line;
            let (value, end) = quoted(&chars, at + 2, '"', &mut line);
            tokens.push((start, Token::Str { value, templated: false }));
            at = end;
        } else if c == '\'' {
            // A char literal ('x', '\n', '"') or a lifetime ('a, 'static).
            if next == Some('\\') {
                at = chars[at + 3..].iter().position(|&c| c == '\'').map_or(chars.len(), |n| at + 3 + n + 1);
            } else if chars.get(at + 2) == Some(&'\'') {
                at += 3;
            } else {
                at += 1;
                while chars.get(at).is_some_and(|&c| is_word(c)) {
                    at += 1;
                }
            }
            tokens.push((line, Token::Punct('\'')));
        } else if is_word(c) {
            let end = chars[at..].iter().position(|&c| !is_word(c)).map_or(chars.len(), |n| at + n);
            tokens.push((line, Token::Word(chars[at..end].iter().collect())));
            at = end;
        } else {
            tokens.push((line, Token::Punct(c)));
            at += 1;
        }
    }
    Tokens { tokens, comments }
}

/// JavaScript: `//` and `/* */` comments, `'…'`, `"…"` and template strings, and regular
/// expression literals (told from division by what precedes them).
fn js_tokens(text: &str) -> Tokens {
    let chars: Vec<char> = text.chars().collect();
    let (mut tokens, mut comments) = (Vec::new(), Vec::new());
    let (mut at, mut line) = (0, 1);
    while let Some(&c) = chars.get(at) {
        let next = chars.get(at + 1).copied();
        if c == '\n' {
            line += 1;
            at += 1;
        } else if c.is_whitespace() {
            at += 1;
        } else if c == '/' && next == Some('/') {
            let end = chars[at..].iter().position(|&c| c == '\n').map_or(chars.len(), |n| at + n);
            comments.push((line, chars[at + 2..end].iter().collect()));
            at = end;
        } else if c == '/' && next == Some('*') {
            let start = line;
            let end = (at + 2..chars.len()).find(|&i| chars[i..].starts_with(&['*', '/'])).unwrap_or(chars.len());
            let body: String = chars[(at + 2).min(end)..end].iter().collect();
            line += body.matches('\n').count();
            comments.push((start, body));
            at = (end + 2).min(chars.len());
        } else if c == '\'' || c == '"' {
            let start = line;
            let (value, end) = quoted(&chars, at + 1, c, &mut line);
            tokens.push((start, Token::Str { value, templated: false }));
            at = end;
        } else if c == '`' {
            // Up to the closing backtick, skipping `${…}` (and the strings inside it).
            let start = line;
            let (mut value, mut templated, mut depth) = (String::new(), false, 0usize);
            at += 1;
            while let Some(&c) = chars.get(at) {
                at += 1;
                line += usize::from(c == '\n');
                match c {
                    '\\' => {
                        value.push(c);
                        if let Some(&n) = chars.get(at) {
                            value.push(n);
                            at += 1;
                        }
                        continue;
                    }
                    '`' if depth == 0 => break,
                    '$' if depth == 0 && chars.get(at) == Some(&'{') => {
                        templated = true;
                        depth = 1;
                        at += 1;
                        value.push_str("${");
                        continue;
                    }
                    '{' if depth > 0 => depth += 1,
                    '}' if depth > 0 => depth -= 1,
                    '\'' | '"' if depth > 0 => {
                        let (inner, end) = quoted(&chars, at, c, &mut line);
                        value.push(c);
                        value.push_str(&inner);
                        at = end;
                    }
                    _ => {}
                }
                value.push(c);
            }
            tokens.push((start, Token::Str { value, templated }));
        } else if c == '/'
            && !matches!(tokens.last(), Some((_, Token::Word(w))) if !matches!(w.as_str(), "return" | "typeof" | "case" | "in" | "of"))
            && !matches!(tokens.last(), Some((_, Token::Punct(')' | ']'))) | Some((_, Token::Str { .. })))
        {
            // A regular expression: to its closing `/` outside a class, then its flags.
            let (mut class, mut end) = (false, at + 1);
            while let Some(&r) = chars.get(end) {
                end += 1;
                match r {
                    '\\' => end += 1,
                    '[' => class = true,
                    ']' => class = false,
                    '/' if !class => break,
                    '\n' => break,
                    _ => {}
                }
            }
            while chars.get(end).is_some_and(|c| c.is_ascii_alphabetic()) {
                end += 1;
            }
            tokens.push((line, Token::Word("/regex/".into())));
            at = end.min(chars.len());
        } else if is_word(c) {
            let end = chars[at..].iter().position(|&c| !is_word(c)).map_or(chars.len(), |n| at + n);
            tokens.push((line, Token::Word(chars[at..end].iter().collect())));
            at = end;
        } else {
            tokens.push((line, Token::Punct(c)));
            at += 1;
        }
    }
    Tokens { tokens, comments }
}

/// The arguments of the call whose `(` is at `open`: each argument's tokens, split at
/// the commas outside brackets; and the index after the closing `)`.
fn arguments(tokens: &[(usize, Token)], open: usize) -> (Vec<Vec<Token>>, usize) {
    let (mut args, mut current, mut depth) = (Vec::new(), Vec::new(), 0usize);
    let mut at = open + 1;
    while let Some((_, token)) = tokens.get(at) {
        at += 1;
        match token {
            Token::Punct('(' | '[' | '{') => depth += 1,
            Token::Punct(')') if depth == 0 => break,
            Token::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
            Token::Punct(',') if depth == 0 => {
                args.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(token.clone());
    }
    if !current.is_empty() {
        args.push(current);
    }
    (args, at)
}

fn literal(arg: &[Token]) -> Option<&str> {
    match arg {
        [Token::Str { value, templated: false }] => Some(value),
        _ => None,
    }
}

/// What `src/app` asks of the catalogues.
#[derive(Default)]
struct AppKeys {
    /// Each key named, with where (`file:line`).
    used: Vec<(String, String)>,
    /// `.text(…)`/`.fill(…)` calls with another first argument and no `i18n-keys` comment.
    unchecked: Vec<String>,
}

/// The keys of `// i18n-keys: a, b` comments, by line.
fn listed_keys(comments: &[(usize, String)]) -> BTreeMap<usize, Vec<String>> {
    let mut by_line = BTreeMap::new();
    for (line, text) in comments {
        if let Some((_, list)) = text.split_once("i18n-keys:") {
            let keys = list.split([',', ' ', '\t']).filter(|k| !k.is_empty()).map(str::to_string).collect();
            by_line.insert(*line, keys);
        }
    }
    by_line
}

/// Whether the call at `name` (a `text`/`fill` word) only forwards the parameter `arg`
/// of the method it sits in, itself a `fn text` or `fn fill`.
fn forwards(tokens: &[(usize, Token)], name: usize, arg: &[Token]) -> bool {
    let [Token::Word(param)] = arg else { return false };
    let Some(def) = tokens[..name].iter().rposition(|(_, t)| *t == Token::Word("fn".into())) else { return false };
    let is_lookup = matches!(tokens.get(def + 1), Some((_, Token::Word(w))) if w == "text" || w == "fill");
    let params = tokens[def..name]
        .iter()
        .position(|(_, t)| *t == Token::Punct('{'))
        .map_or(&tokens[def..name], |n| &tokens[def..def + n]);
    is_lookup && params.windows(2).any(|w| w[0].1 == Token::Word(param.clone()) && w[1].1 == Token::Punct(':'))
}

/// What the Rust `sources` (file name, text) ask of the catalogues.
fn scan_app(sources: &[(String, String)]) -> AppKeys {
    let mut found = AppKeys::default();
    for (file, text) in sources {
        let Tokens { tokens, comments } = rust_tokens(text);
        let listed = listed_keys(&comments);
        for (line, keys) in &listed {
            found.used.extend(keys.iter().map(|key| (key.clone(), format!("{file}:{line} (i18n-keys)"))));
        }
        for (at, (line, token)) in tokens.iter().enumerate() {
            let Token::Word(word) = token else { continue };
            let before = at.checked_sub(1).map(|b| &tokens[b].1);
            if word == "key" {
                // `key = "…"`, not `key == …` nor `let key = …`.
                let is_let = matches!(before, Some(Token::Word(w)) if w == "let" || w == "mut");
                if let (false, Some((_, Token::Punct('='))), Some((l, Token::Str { value, .. }))) =
                    (is_let, tokens.get(at + 1), tokens.get(at + 2))
                {
                    found.used.push((value.clone(), format!("{file}:{l}")));
                }
                continue;
            }
            if word != "text" && word != "fill" || tokens.get(at + 1).map(|t| &t.1) != Some(&Token::Punct('(')) {
                continue;
            }
            if matches!(before, Some(Token::Word(w)) if w == "fn") {
                continue;
            }
            let (args, _) = arguments(&tokens, at + 1);
            let Some(first) = args.first() else { continue }; // `response.text()`: not a lookup
            if let Some(key) = literal(first) {
                found.used.push((key.to_string(), format!("{file}:{line}")));
            } else if before == Some(&Token::Punct('.'))
                && !listed.contains_key(line)
                && !listed.contains_key(&line.saturating_sub(1))
                && !forwards(&tokens, at, first)
            {
                let rest = if args.len() > 1 { ", …" } else { "" };
                found.unchecked.push(format!("{file}:{line}: .{word}({}{rest})", render(first)));
            }
        }
    }
    found
}

/// What `src/app/**/*.rs` asks of the catalogues.
fn app_keys() -> AppKeys {
    let sources: Vec<(String, String)> = crate::common::files_under("src/app", "rs")
        .into_iter()
        .map(|file| {
            let text = fs::read_to_string(manifest_dir().join(&file)).unwrap();
            (file, text)
        })
        .collect();
    scan_app(&sources)
}

/// Where `keys` lacks a key of `app` (the keys of one catalogue, named `tag`).
fn missing_keys(app: &AppKeys, tag: &str, keys: &BTreeSet<String>) -> Vec<String> {
    app.used
        .iter()
        .filter(|(key, _)| !keys.contains(key))
        .map(|(key, place)| format!("{place}: {key:?} is not in {tag}.json"))
        .collect()
}

/// Tokens back as (roughly) the source, for messages.
fn render(tokens: &[Token]) -> String {
    let mut out = String::new();
    let mut previous: Option<&Token> = None;
    for token in tokens {
        let piece = match token {
            Token::Word(w) => w.clone(),
            Token::Str { value, .. } => format!("{value:?}"),
            Token::Punct(c) => c.to_string(),
        };
        let glued = match (previous, token) {
            (None, _) => true,
            (Some(Token::Punct(_)), Token::Punct(c)) => !matches!(c, '{' | '}'),
            (Some(Token::Punct('(' | '[' | '.' | '&' | '!')), _) => true,
            (_, Token::Punct(')' | ']' | ',' | '.' | '(' | ';')) => true,
            _ => false,
        };
        if !glued {
            out.push(' ');
        }
        out.push_str(&piece);
        previous = Some(token);
    }
    out
}

#[test]
fn every_key_the_app_uses_is_in_the_catalogues() {
    let app = app_keys();
    assert!(!app.used.is_empty(), "found no catalogue lookups in src/app: is the scanner broken?");
    let problems: Vec<String> =
        catalogues().iter().flat_map(|(tag, catalog)| missing_keys(&app, tag, &key_set(catalog))).collect();
    assert!(problems.is_empty(), "keys the app asks for and a catalogue lacks:\n  {}", problems.join("\n  "));
}

#[test]
fn every_lookup_in_the_app_names_its_keys() {
    let app = app_keys();
    assert!(
        app.unchecked.is_empty(),
        "catalogue lookups whose key is not a literal, so that no test can check it: pass the key \
         as a literal, or list the keys it may take in a comment on the line or the line above \
         (`// i18n-keys: a, b`):\n  {}",
        app.unchecked.join("\n  ")
    );
}

// ---- boot.js ------------------------------------------------------------------------

/// The `t(…)` calls of boot.js's `text`.
#[derive(Default)]
struct BootCalls {
    /// `t('key', 'fallback'…)`: line, key, fallback (as written).
    plain: Vec<(usize, String, String)>,
    /// Any other `t(…)`: line, the literals of its first argument, the call.
    other: Vec<(usize, Vec<String>, String)>,
}

fn boot_calls_in(text: &str) -> BootCalls {
    let tokens = js_tokens(text).tokens;
    let mut calls = BootCalls::default();
    for (at, (line, token)) in tokens.iter().enumerate() {
        let is_call = *token == Token::Word("t".into())
            && tokens.get(at + 1).map(|t| &t.1) == Some(&Token::Punct('('))
            && !matches!(at.checked_sub(1).map(|b| &tokens[b].1), Some(Token::Punct('.') | Token::Word(_)));
        if !is_call {
            continue;
        }
        let (args, _) = arguments(&tokens, at + 1);
        match (args.first().and_then(|a| literal(a)), args.get(1).and_then(|a| literal(a))) {
            (Some(key), Some(fallback)) => calls.plain.push((*line, key.to_string(), fallback.to_string())),
            _ => {
                let literals = args
                    .first()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| match t {
                        Token::Str { value, .. } => Some(value.clone()),
                        _ => None,
                    })
                    .collect();
                let shown: Vec<String> = args.iter().map(|a| render(a)).collect();
                calls.other.push((*line, literals, format!("t({})", shown.join(", "))));
            }
        }
    }
    calls
}

fn boot_calls() -> BootCalls {
    boot_calls_in(&fs::read_to_string(manifest_dir().join("static/boot.js")).unwrap())
}

/// What is wrong with boot.js's `calls` against the English catalogue.
fn boot_problems(calls: &BootCalls, en: &Catalog) -> Vec<String> {
    let keys = key_set(en);
    let mut problems = Vec::new();
    if calls.plain.is_empty() {
        problems.push(
            "boot.js has no t('key', 'English fallback') call: boot.js must take its words through \
             t('key', 'fallback'), so that this test can hold each fallback to en.json"
                .to_string(),
        );
    }
    for (line, key, fallback) in &calls.plain {
        let fallback = unescape_js(fallback);
        if !keys.contains(key) {
            problems.push(format!("static/boot.js:{line}: {key:?} is not in en.json"));
        } else if en.text(key) != fallback {
            problems.push(format!(
                "static/boot.js:{line}: the fallback of {key:?} is {fallback:?}, en.json says {:?}",
                en.text(key)
            ));
        }
    }
    for (line, _, call) in &calls.other {
        problems.push(format!(
            "static/boot.js:{line}: {call} is not t('key', 'English fallback') (two string literals first)"
        ));
    }
    problems
}

/// A JS string's contents as the string it stands for (the escapes boot.js could use).
fn unescape_js(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[test]
fn boot_js_fallbacks_are_the_english_messages() {
    let problems = boot_problems(&boot_calls(), &english());
    assert!(problems.is_empty(), "boot.js's first-paint words:\n  {}", problems.join("\n  "));
}

// ---- dead keys ----------------------------------------------------------------------

/// The keys of `en` that neither `app` nor `boot` asks for.
fn dead_keys(en: &Catalog, app: &AppKeys, boot: &BootCalls) -> Vec<String> {
    let mut used: BTreeSet<&str> = app.used.iter().map(|(key, _)| key.as_str()).collect();
    used.extend(boot.plain.iter().map(|(_, key, _)| key.as_str()));
    used.extend(boot.other.iter().flat_map(|(_, literals, _)| literals.iter().map(String::as_str)));
    en.keys().filter(|k| !used.contains(k)).map(str::to_string).collect()
}

#[test]
fn every_key_in_the_catalogues_is_used() {
    let dead = dead_keys(&english(), &app_keys(), &boot_calls());
    assert!(
        dead.is_empty(),
        "{} key(s) of en.json that neither src/app nor static/boot.js asks for (see the header of \
         tests/it/i18n.rs for what counts as asking; remove them from all three catalogues, or \
         name them where they are used): {dead:?}",
        dead.len()
    );
}

// ---- the scanner itself -------------------------------------------------------------

#[test]
fn the_scanner_finds_literal_keys_and_lookups_it_cannot_check() {
    let source = r####"
        // t.text("in-a-comment") is not a use
        /* nor t.fill("in-a-block", x) /* nested */ */
        let s = "t.text(\"in-a-string\")";
        let r = r#"t.text("in-a-raw-string")"#;
        let c = '"';
        fn text<'a>(&'a self, key: &'a str) -> &'a str { self.catalog.text(key) }
        t.text("plain");
        t.fill(
            "over-lines", &[("n", "1")]);
        t.text(if a { "x" } else { "y" });
        response.text();
        // i18n-keys: listed-a, listed-b
        t.text(which);
        t.fill(which, &[]); // i18n-keys: listed-c
        let key = "not-a-key"; if key == "nor-this" {}
        html! { <Label key = "as-key" /> }
        slice.fill(0);
    "####;
    let app = scan_app(&[("app.rs".to_string(), source.to_string())]);
    let used: Vec<String> = app.used.iter().map(|(key, place)| format!("{place} {key}")).collect();
    assert_eq!(
        used,
        [
            "app.rs:13 (i18n-keys) listed-a",
            "app.rs:13 (i18n-keys) listed-b",
            "app.rs:15 (i18n-keys) listed-c",
            "app.rs:8 plain",
            "app.rs:9 over-lines",
            "app.rs:17 as-key",
        ]
    );
    assert_eq!(
        app.unchecked,
        [r#"app.rs:11: .text(if a { "x" } else { "y" })"#, "app.rs:18: .fill(0)"],
        "line 7 only forwards its parameter; lines 14 and 15 list their keys"
    );
    let keys: BTreeSet<String> = ["plain", "over-lines", "listed-a", "listed-b", "as-key"].map(String::from).into();
    assert_eq!(missing_keys(&app, "xx", &keys), [r#"app.rs:15 (i18n-keys): "listed-c" is not in xx.json"#]);

    let en = Catalog::parse(
        r#"{"lang":"en","name":"English","messages":{"brand":"News’s archive","count":"{n} posts","one":"1","many":"n","dead":"x"}}"#.as_bytes(),
    )
    .unwrap();
    let js = r#"
        // t('commented', 'out')
        const re = /['"]/g;
        element('h1', {}, t('brand', 'News\u2019s archive'));
        t("count", '{n} posts', { n });
        t(n === 1 ? 'one' : 'many', `${n} posts`);
        t('brand', 'News archive'); t('nope', 'Nope'); format(y);
    "#;
    let boot = boot_calls_in(js);
    assert_eq!(
        boot_problems(&boot, &en),
        [
            r#"static/boot.js:7: the fallback of "brand" is "News archive", en.json says "News’s archive""#,
            r#"static/boot.js:7: "nope" is not in en.json"#,
            r#"static/boot.js:6: t(n === 1 ? "one" : "many", "${n} posts") is not t('key', 'English fallback') (two string literals first)"#,
        ]
    );
    assert_eq!(dead_keys(&en, &AppKeys::default(), &boot), ["dead"]);
    assert!(boot_problems(&boot_calls_in("t(key, {}, 'x')"), &en)[0].contains("must take its words through"));
}
