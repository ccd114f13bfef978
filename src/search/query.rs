//! Query syntax: space-separated terms (all must match), `"quoted phrases"`, `-term`
//! to exclude, and `source:`, `tag:`, `category:` qualifiers (values may be quoted).

use super::fold;

/// A parsed search box.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Folded terms and phrases that must all occur.
    pub include: Vec<Term>,
    /// Folded terms and phrases none of which may occur.
    pub exclude: Vec<Term>,
    /// `source:` qualifiers: every one must match the post's source.
    pub sources: Vec<String>,
    /// `tag:` qualifiers: every one must match one of the post's tags.
    pub tags: Vec<String>,
    /// `category:` qualifiers: every one must match one of the post's categories.
    pub categories: Vec<String>,
}

/// A term or phrase as it is matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// The term folded ([`super::fold`]).
    pub folded: String,
}

impl Query {
    /// Reads the search box; anything it cannot read is a term.
    pub fn parse(input: &str) -> Query {
        let mut query = Query::default();
        for (token, quoted) in tokens(input) {
            let (negated, token) = match token.strip_prefix('-') {
                Some(rest) if !quoted && !rest.is_empty() => (true, rest.to_string()),
                _ => (false, token),
            };
            let qualifier = (!quoted).then(|| token.split_once(':')).flatten();
            match qualifier {
                Some(("source", value)) if !value.is_empty() && !negated => query.sources.push(value.to_string()),
                Some(("tag", value)) if !value.is_empty() && !negated => query.tags.push(value.to_string()),
                Some(("category", value)) if !value.is_empty() && !negated => query.categories.push(value.to_string()),
                _ => {
                    let folded = fold(&token);
                    if folded.trim().is_empty() {
                        continue;
                    }
                    let term = Term { folded };
                    if negated {
                        query.exclude.push(term);
                    } else {
                        query.include.push(term);
                    }
                }
            }
        }
        query
    }

    /// Whether folded title and text satisfy the text terms (qualifiers are checked by the caller).
    pub fn matches_text(&self, folded_title: &str, folded_text: &str) -> bool {
        let contains = |term: &Term| folded_title.contains(&term.folded) || folded_text.contains(&term.folded);
        self.include.iter().all(contains) && !self.exclude.iter().any(contains)
    }
}

/// Splits at white space, keeping `"quoted phrases"` (and `key:"quoted value"`) whole.
/// Returns each token with whether it was (wholly) a quoted phrase.
fn tokens(input: &str) -> Vec<(String, bool)> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut quoted = false;
    for c in input.chars() {
        match c {
            '"' | '“' | '”' | '「' | '」' => {
                if !in_quotes && current.is_empty() {
                    quoted = true;
                }
                in_quotes = !in_quotes;
            }
            c if c.is_whitespace() && !in_quotes => {
                if !current.is_empty() {
                    tokens.push((std::mem::take(&mut current), quoted));
                }
                quoted = false;
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        tokens.push((current, quoted));
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(terms: &[Term]) -> Vec<&str> {
        terms.iter().map(|t| t.folded.as_str()).collect()
    }

    #[test]
    fn parses_every_part_of_the_syntax() {
        // (input, included, excluded, tags, sources)
        type Case<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a [&'a str], &'a [&'a str]);
        let cases: &[Case] = &[
            ("立法會 選舉", &["立法会", "选举"], &[], &[], &[]),
            ("\"legislative council\" -Hong", &["legislative council"], &["hong"], &[], &[]),
            ("「國際 新聞」", &["国际 新闻"], &[], &[], &[]),
            ("tag:疫情 source:\"(臺)中央社CNA\" port", &["port"], &[], &["疫情"], &["(臺)中央社CNA"]),
            ("-\"not this\" COVID-19", &["covid-19"], &["not this"], &[], &[]),
            ("  ", &[], &[], &[], &[]),
            ("- lone", &["-", "lone"], &[], &[], &[]),
            ("https://x.example", &["https://x.example"], &[], &[], &[]),
        ];
        for (input, include, exclude, tags, sources) in cases {
            let query = Query::parse(input);
            assert_eq!(folded(&query.include), *include, "{input}");
            assert_eq!(folded(&query.exclude), *exclude, "{input}");
            assert_eq!(query.tags, *tags, "{input}");
            assert_eq!(query.sources, *sources, "{input}");
        }
    }

    #[test]
    fn matching_is_substring_containment_of_folded_text() {
        let title = fold("台灣國際貿易創新高");
        let text = fold("出口金額 ＵＳＤ 2026年 與 NATO 無關");
        let cases = [
            ("台湾", true),
            ("臺灣 国际", true),
            ("usd", true),
            ("nato -台湾", false),
            ("\"国际 贸易\"", false),
            ("無關 2026", true),
            ("香港", false),
        ];
        for (input, expected) in cases {
            assert_eq!(Query::parse(input).matches_text(&title, &text), expected, "{input}");
        }
    }
}
