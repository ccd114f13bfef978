//! The portable edition (docs/portable.md): the reader and an archive as a folder whose
//! `index.html` works opened from disk. A `file://` page in Chromium can fetch nothing,
//! not even the files beside it, nor load ES modules; classic scripts named by relative
//! URLs do run. So every file the app would fetch (the archive's, the catalogues, the
//! Traditional table, the wasm) goes into packs, `data/NNN.js`, each a classic script
//! that hands its members to `static/portable.js` (the runtime, [`RUNTIME`]), and
//! `data/index.js` says which pack holds which path. Pure: the CLI reads and writes.
//!
//! A pack is one call, `newsreaderPortable.pack(N,{text members},{base64 members});`:
//! a member that is UTF-8 (every JSON file) is a JSON string, about its own size on disk,
//! and the others (index buckets, the wasm) are base64. Members are packed by kind, in
//! the archive's order, so that what the reader needs together is read together: the
//! start (`archive.json` and the catalogues) in one pack, the list parts (all read at
//! start) in a few, details files of neighbouring posts side by side, and the index in
//! small packs, as a query reads one bucket in each segment.

use std::collections::{BTreeMap, HashSet};

use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};
use serde_json::Value;

/// The runtime that reads the packs, written beside `index.html` as `portable.js`.
pub const RUNTIME: &str = include_str!("../../static/portable.js");
/// Where the runtime and the index of the packs go, relative to `index.html`.
pub const RUNTIME_FILE: &str = "portable.js";
/// The index of the packs: path → `[pack, bytes]`.
pub const INDEX_FILE: &str = "data/index.js";
/// Packs of the list, the details and the other files aim at this size.
pub const PACK_BYTES: usize = 1 << 20;
/// Packs of the search index aim at this size: a query reads a bucket per key in every
/// segment, each from its own pack; reading a whole pack for each costs parse time.
pub const SEARCH_PACK_BYTES: usize = 256 << 10;
/// Past this many bytes of list files (every one is read when the reader opens), opening
/// the edition takes seconds: the archivist is told.
pub const LIST_WARN_BYTES: u64 = 64 << 20;
/// Past this many bytes in all, the edition is more than a page holds comfortably once
/// much of it has been read (every pack read stays in memory), and more than most
/// people would copy to a stick: the archivist is told. (250,000 generated posts make
/// 1.2 GB; it opens in about a second and searches in 0.3 to 0.4 s, holding 77 MB of
/// script heap after seven searches: what grows is what has been read.)
pub const TOTAL_WARN_BYTES: u64 = 1 << 30;

const MEMBERS_CALL: &str = "newsreaderPortable.members(";
const PACK_CALL: &str = "newsreaderPortable.pack(";
const CALL_END: &str = ");\n";

/// What is wrong with the input, or with a pack read back.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PortableError {
    /// Two members with one path.
    #[error("{0} is packed twice")]
    Duplicate(String),
    /// A path the page could not ask for as it is.
    #[error("{0:?} is not a relative path inside the edition")]
    BadPath(String),
    /// The app's index.html is not the reader's page.
    #[error("{0}")]
    Page(String),
    /// A pack, or the index, is not what this module writes.
    #[error("{file} is not a pack of a portable edition: {reason}")]
    Pack {
        /// The file.
        file: String,
        /// What is wrong.
        reason: String,
    },
}

/// The kinds of members, in the order they are packed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Kind {
    /// `archive.json` and the catalogues: the first paint's.
    Start,
    /// The wasm.
    App,
    List,
    Details,
    Search,
    /// Anything else (the Traditional table).
    Other,
}

fn kind(path: &str, wasm: &str) -> Kind {
    match path {
        p if p == wasm => Kind::App,
        "archive/archive.json" => Kind::Start,
        p if p.starts_with("i18n/") => Kind::Start,
        p if p.starts_with("archive/list/") => Kind::List,
        p if p.starts_with("archive/details/") => Kind::Details,
        p if p.starts_with("archive/search/") => Kind::Search,
        _ => Kind::Other,
    }
}

/// The files of an edition's `data/` folder, and what they hold.
#[derive(Debug)]
pub struct Packed {
    /// `(path, contents)`: the index, then the packs.
    pub files: Vec<(String, Vec<u8>)>,
    /// Members packed.
    pub members: usize,
    /// Bytes of the members.
    pub member_bytes: u64,
    /// Bytes of the packs and the index.
    pub packed_bytes: u64,
    /// Bytes of the packs that hold list files (read when the reader opens).
    pub list_bytes: u64,
}

impl Packed {
    /// What the archivist should know about this edition's size, if anything.
    pub fn warnings(&self) -> Vec<String> {
        let mb = |b: u64| format!("{:.0} MB", b as f64 / 1e6);
        let mut warnings = Vec::new();
        if self.list_bytes > LIST_WARN_BYTES {
            warnings.push(format!(
                "the list of posts is {} in this edition (over {}), and a page opened from disk reads it all \
                 before the reader is ready: expect seconds of waiting; publish it on a web server instead, \
                 where the reader shows the newest posts first",
                mb(self.list_bytes),
                mb(LIST_WARN_BYTES)
            ));
        }
        if self.packed_bytes > TOTAL_WARN_BYTES {
            warnings.push(format!(
                "this edition is {} (over {}): a lot to copy and carry, and every file the reader reads \
                 from disk stays in the tab's memory while it is open, so a long session over much of it can \
                 hold hundreds of megabytes; a web server serves an archive this size better",
                mb(self.packed_bytes),
                mb(TOTAL_WARN_BYTES)
            ));
        }
        warnings
    }
}

fn check_path(path: &str) -> Result<(), PortableError> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.split('/').any(|part| part.is_empty() || part == "." || part == "..")
        || path.chars().any(|c| c.is_control() || c == '\\' || c == '?' || c == '#');
    if bad {
        return Err(PortableError::BadPath(path.to_string()));
    }
    Ok(())
}

/// A pack's file name: `data/000.js`.
pub fn pack_file(n: usize) -> String {
    format!("data/{n:03}.js")
}

/// One pack being filled.
#[derive(Default)]
struct Pack {
    text: serde_json::Map<String, Value>,
    binary: serde_json::Map<String, Value>,
    bytes: usize,
}

impl Pack {
    fn finish(self, n: usize) -> Vec<u8> {
        let (text, binary) = (Value::Object(self.text), Value::Object(self.binary));
        format!("{PACK_CALL}{n},{text},{binary}{CALL_END}").into_bytes()
    }
}

/// Packs `members` (`(path relative to index.html, bytes)`); `wasm` names the member that
/// is the app's wasm (packed alone, and first after the start).
pub fn pack(members: &[(String, Vec<u8>)], wasm: &str) -> Result<Packed, PortableError> {
    let mut seen = HashSet::new();
    for (path, _) in members {
        check_path(path)?;
        if !seen.insert(path.as_str()) {
            return Err(PortableError::Duplicate(path.clone()));
        }
    }
    let mut order: Vec<&(String, Vec<u8>)> = members.iter().collect();
    order.sort_by_key(|(path, _)| kind(path, wasm)); // stable: the archive's order within a kind

    let mut index = serde_json::Map::new();
    let mut files = Vec::new();
    let mut list_packs = HashSet::new();
    let mut current: Option<(Kind, Pack)> = None;
    let finish = |files: &mut Vec<(String, Vec<u8>)>, pack: Pack| {
        let n = files.len();
        files.push((pack_file(n), pack.finish(n)));
    };
    for (path, bytes) in order {
        let kind = kind(path, wasm);
        let (encoded, is_text) = match std::str::from_utf8(bytes) {
            Ok(text) => (Value::String(text.to_string()), true),
            Err(_) => (Value::String(base64(bytes)), false),
        };
        // What it adds to its pack: the encoded value, its path, quotes and separators.
        let size = encoded.to_string().len() + path.len() + 4;
        let budget = if kind == Kind::Search { SEARCH_PACK_BYTES } else { PACK_BYTES };
        // A new pack for a new kind, and when this member would overfill the current one.
        // The start is one pack whatever its size, so the first paint reads one file.
        let full =
            |(k, p): &(Kind, Pack)| *k != kind || (kind != Kind::Start && p.bytes > 0 && p.bytes + size > budget);
        if current.as_ref().is_some_and(full) {
            let (_, pack) = current.take().expect("checked");
            finish(&mut files, pack);
        }
        let (_, pack) = current.get_or_insert_with(|| (kind, Pack::default()));
        pack.bytes += size;
        let n = files.len();
        if kind == Kind::List {
            list_packs.insert(n);
        }
        index.insert(path.clone(), Value::from(vec![n as u64, bytes.len() as u64]));
        let into = if is_text { &mut pack.text } else { &mut pack.binary };
        into.insert(path.clone(), encoded);
    }
    if let Some((_, pack)) = current {
        finish(&mut files, pack);
    }
    let list_bytes =
        files.iter().enumerate().filter(|(n, _)| list_packs.contains(n)).map(|(_, f)| f.1.len() as u64).sum();
    files.insert(0, (INDEX_FILE.to_string(), format!("{MEMBERS_CALL}{}{CALL_END}", Value::Object(index)).into_bytes()));
    Ok(Packed {
        members: members.len(),
        member_bytes: members.iter().map(|(_, b)| b.len() as u64).sum(),
        packed_bytes: files.iter().map(|(_, b)| b.len() as u64).sum(),
        list_bytes,
        files,
    })
}

/// The JSON arguments of one call `name(…);` that is the whole of `bytes`.
fn call_arguments(file: &str, bytes: &[u8], call: &str) -> Result<Vec<Value>, PortableError> {
    let fail = |reason: &str| PortableError::Pack { file: file.to_string(), reason: reason.to_string() };
    let text = std::str::from_utf8(bytes).map_err(|_| fail("not UTF-8"))?;
    let inner = text.strip_prefix(call).and_then(|t| t.strip_suffix(CALL_END)).ok_or_else(|| fail("not one call"))?;
    let array: Value = serde_json::from_str(&format!("[{inner}]")).map_err(|e| fail(&e.to_string()))?;
    match array {
        Value::Array(values) => Ok(values),
        _ => Err(fail("not a list of arguments")),
    }
}

/// A pack's members: those stored as text, and those in base64.
type Members = (serde_json::Map<String, Value>, serde_json::Map<String, Value>);

/// Reads an edition's `data/` back, every member checked against the index: what the
/// runtime does in the page, for tests and for the CLI's check of what it wrote.
pub fn unpack(read: impl Fn(&str) -> Option<Vec<u8>>) -> Result<BTreeMap<String, Vec<u8>>, PortableError> {
    let fail = |file: &str, reason: String| PortableError::Pack { file: file.to_string(), reason };
    let index = read(INDEX_FILE).ok_or_else(|| fail(INDEX_FILE, "missing".into()))?;
    let index = match call_arguments(INDEX_FILE, &index, MEMBERS_CALL)?.as_slice() {
        [Value::Object(index)] => index.clone(),
        _ => return Err(fail(INDEX_FILE, "not one index".into())),
    };
    let mut packs: BTreeMap<u64, Members> = BTreeMap::new();
    let mut members = BTreeMap::new();
    for (path, place) in index {
        let (n, size) = match place.as_array().map(Vec::as_slice) {
            Some([n, size]) => (n.as_u64(), size.as_u64()),
            _ => (None, None),
        };
        let (Some(n), Some(size)) = (n, size) else {
            return Err(fail(INDEX_FILE, format!("{path}: no pack and size")));
        };
        let file = pack_file(n as usize);
        let (text, binary) = match packs.entry(n) {
            std::collections::btree_map::Entry::Occupied(pack) => pack.into_mut(),
            std::collections::btree_map::Entry::Vacant(slot) => {
                let bytes = read(&file).ok_or_else(|| fail(&file, "missing".into()))?;
                let pack = match call_arguments(&file, &bytes, PACK_CALL)?.as_slice() {
                    [number, Value::Object(text), Value::Object(binary)] if number.as_u64() == Some(n) => {
                        (text.clone(), binary.clone())
                    }
                    _ => return Err(fail(&file, "not this pack's number, text and binary members".into())),
                };
                slot.insert(pack)
            }
        };
        let bytes = match (text.get(&path), binary.get(&path)) {
            (Some(Value::String(text)), None) => text.as_bytes().to_vec(),
            (None, Some(Value::String(encoded))) => {
                unbase64(encoded).ok_or_else(|| fail(&file, format!("{path} is not base64")))?
            }
            _ => return Err(fail(&file, format!("it does not hold {path}"))),
        };
        if bytes.len() as u64 != size {
            return Err(fail(&file, format!("{path} has {} bytes, not {size}", bytes.len())));
        }
        members.insert(path, bytes);
    }
    Ok(members)
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (what `atob` and `Uint8Array.fromBase64` read).
fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() { BASE64[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

fn unbase64(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if text.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for chunk in text.chunks(4) {
        let padding = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if padding > 2 {
            return None;
        }
        let mut n = 0u32;
        for (i, &c) in chunk[..4 - padding].iter().enumerate() {
            let value = BASE64.iter().position(|&b| b == c)? as u32;
            n |= value << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..4 - padding]);
    }
    Some(out)
}

/// The reader's page made portable, and the files of the web edition it no longer names.
#[derive(Debug)]
pub struct Page {
    /// The new `index.html`.
    pub html: String,
    /// The web edition's module glue and wasm, and its sanitizer module's (its script
    /// tag's `data-js`, `data-wasm`, `data-sanitizer-js`, `data-sanitizer-wasm`), relative
    /// to the page.
    pub replaced: Vec<String>,
}

/// Directives that a page opened from disk has no use for: it fetches nothing (a fetch
/// would only be refused), registers no worker, installs nothing.
const NOTHING: &[&str] = &["connect-src", "worker-src", "manifest-src"];

/// The portable CSP: the page's own, with [`NOTHING`] set to `'none'`. Its `script-src
/// 'self' 'wasm-unsafe-eval'` fits a file page as it is: Chromium counts the page's
/// folder's files as `'self'`, and the wasm is compiled from bytes.
fn portable_csp(csp: &str) -> Result<String, PortableError> {
    let directives: Vec<String> = csp
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let name = d.split_whitespace().next().unwrap_or_default();
            if NOTHING.contains(&name) {
                format!("{name} 'none'")
            } else {
                d.to_string()
            }
        })
        .collect();
    if !directives.iter().any(|d| d.starts_with("script-src ") && d.contains("'wasm-unsafe-eval'")) {
        return Err(PortableError::Page("the page's CSP does not let it compile wasm ('wasm-unsafe-eval')".into()));
    }
    Ok(directives.join("; "))
}

/// Rewrites the web edition's `index.html` for the portable edition: the runtime and the
/// index of the packs before `boot.js`, which becomes a classic script (deferred, as a
/// module is) that loads the classic glue `js` and the wasm member `wasm`; no preload,
/// no web app manifest, a CSP that allows no fetch.
pub fn page(html: &str, js: &str, wasm: &str) -> Result<Page, PortableError> {
    let replaced = std::cell::RefCell::new(Vec::new());
    let (csps, scripts) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let csp_error = std::cell::RefCell::new(None);
    let loader = format!("<script src=\"{RUNTIME_FILE}\"></script><script src=\"{INDEX_FILE}\"></script>");
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("meta[http-equiv='Content-Security-Policy' i]", |el| {
            csps.set(csps.get() + 1);
            match portable_csp(&el.get_attribute("content").unwrap_or_default()) {
                Ok(csp) => el.set_attribute("content", &csp)?,
                Err(error) => *csp_error.borrow_mut() = Some(error),
            }
            Ok(())
        }))
        .append_element_content_handler(element!(
            "link[rel=preload], link[rel=modulepreload], link[rel=manifest]",
            |el| {
                el.remove();
                Ok(())
            }
        ))
        // Subresource integrity needs a CORS request, which a file page cannot make: the
        // stylesheet would be refused. (The files are the folder's own.)
        .append_element_content_handler(element!("[integrity]", |el| {
            el.remove_attribute("integrity");
            Ok(())
        }))
        .append_element_content_handler(element!("script[data-wasm]", |el| {
            scripts.set(scripts.get() + 1);
            for name in ["data-js", "data-wasm", "data-sanitizer-js", "data-sanitizer-wasm"] {
                if let Some(file) = el.get_attribute(name) {
                    replaced.borrow_mut().push(file.trim_start_matches("./").to_string());
                }
            }
            // The portable glue's wasm has the sanitizer linked in (Makefile, portable-classic).
            el.remove_attribute("data-sanitizer-js");
            el.remove_attribute("data-sanitizer-wasm");
            el.remove_attribute("type");
            el.set_attribute("defer", "")?;
            el.set_attribute("data-js", js)?;
            el.set_attribute("data-wasm", wasm)?;
            el.before(&loader, ContentType::Html);
            Ok(())
        }));
    let rewritten = rewrite_str(html, settings)
        .map_err(|e| PortableError::Page(format!("index.html cannot be read as HTML: {e}")))?;
    if let Some(error) = csp_error.into_inner() {
        return Err(error);
    }
    if scripts.get() != 1 {
        return Err(PortableError::Page(
            "index.html is not the reader's page: it has no one script tag with data-wasm (build it with `make dist`)"
                .into(),
        ));
    }
    if csps.get() != 1 {
        return Err(PortableError::Page("index.html is not the reader's page: it has no one CSP".into()));
    }
    Ok(Page { html: rewritten, replaced: replaced.into_inner() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members() -> Vec<(String, Vec<u8>)> {
        let mut members = vec![
            ("archive/archive.json".to_string(), br#"{"format_version":3}"#.to_vec()),
            ("i18n/en.json".to_string(), "{\"messages\":{\"a\":\"\u{2028}\\\"</script>臺灣\"}}".as_bytes().to_vec()),
            ("reader_bg.wasm".to_string(), vec![0, 97, 115, 109, 1, 0, 0, 0, 0xff]),
            ("s2t.txt".to_string(), "\u{feff}台\t臺\n".as_bytes().to_vec()),
        ];
        for n in 0..40 {
            members.push((format!("archive/list/{n:016x}.json"), vec![b'a'; 50_000]));
            members.push((format!("archive/details/{n:016x}.json"), format!("[\"{n}\"]").into_bytes()));
            // Every byte value, and every length modulo 3.
            members.push((format!("archive/search/s/{n}.bin"), (0..=255u8).cycle().skip(n).take(30_000 + n).collect()));
        }
        members
    }

    fn files(packed: &Packed) -> BTreeMap<String, Vec<u8>> {
        packed.files.iter().cloned().collect()
    }

    #[test]
    fn every_member_comes_back_as_it_went_in() {
        let members = members();
        let packed = pack(&members, "reader_bg.wasm").unwrap();
        let files = files(&packed);
        let back = unpack(|f| files.get(f).cloned()).unwrap();
        assert_eq!(back, members.iter().cloned().collect::<BTreeMap<_, _>>());
        assert_eq!(packed.members, members.len());
    }

    #[test]
    fn packs_hold_one_kind_each_and_keep_to_their_size() {
        let packed = pack(&members(), "reader_bg.wasm").unwrap();
        let index = String::from_utf8(packed.files[0].1.clone()).unwrap();
        let index: serde_json::Map<String, Value> =
            serde_json::from_str(index.strip_prefix(MEMBERS_CALL).unwrap().strip_suffix(CALL_END).unwrap()).unwrap();
        let pack_of = |path: &str| index[path][0].as_u64().unwrap();
        // The first paint's files in pack 0, the wasm alone in the next.
        assert_eq!(pack_of("archive/archive.json"), 0);
        assert_eq!(pack_of("i18n/en.json"), 0);
        assert_eq!(pack_of("reader_bg.wasm"), 1);
        let mut kinds: BTreeMap<u64, HashSet<Kind>> = BTreeMap::new();
        for path in index.keys() {
            kinds.entry(pack_of(path)).or_default().insert(kind(path, "reader_bg.wasm"));
        }
        assert!(kinds.values().all(|k| k.len() == 1), "{kinds:?}");
        for (path, bytes) in &packed.files[1..] {
            let search = path != &pack_file(1) && bytes.windows(16).any(|w| w == b"archive/search/s");
            let budget = if search { SEARCH_PACK_BYTES } else { PACK_BYTES };
            assert!(bytes.len() <= budget + 100 || path == &pack_file(1), "{path}: {} bytes", bytes.len());
        }
        // 40 lists of 50 KB: two packs of about 1 MB.
        let list_packs: HashSet<u64> = (0..40).map(|n| pack_of(&format!("archive/list/{n:016x}.json"))).collect();
        assert_eq!(list_packs.len(), 2);
        assert!(packed.list_bytes > 2_000_000 && packed.list_bytes < 2_100_000, "{}", packed.list_bytes);
    }

    #[test]
    fn bad_input_is_refused_by_name() {
        let mut twice = members();
        twice.push(twice[0].clone());
        assert_eq!(pack(&twice, "w").unwrap_err(), PortableError::Duplicate("archive/archive.json".into()));
        for bad in ["/etc/passwd", "../x", "a//b", "a/./b", "", "a\\b", "a?b"] {
            let error = pack(&[(bad.to_string(), vec![])], "w").unwrap_err();
            assert_eq!(error, PortableError::BadPath(bad.into()));
        }
    }

    #[test]
    fn a_damaged_pack_is_refused_by_name() {
        let packed = pack(&members(), "reader_bg.wasm").unwrap();
        let good = files(&packed);
        let damaged = |file: &str, change: &dyn Fn(&[u8]) -> Vec<u8>| {
            let mut files = good.clone();
            let bytes = change(&files[file]);
            files.insert(file.to_string(), bytes);
            unpack(|f| files.get(f).cloned()).unwrap_err().to_string()
        };
        let last = pack_file(packed.files.len() - 2);
        assert!(damaged(&last, &|b| b[..b.len() - 10].to_vec()).starts_with(&format!("{last} is not a pack")));
        let renumbered = |b: &[u8]| String::from_utf8_lossy(b).replacen("pack(", "pack(9", 1).into_bytes();
        assert!(damaged(&pack_file(0), &renumbered).contains("not this pack's number"));
        // A member cut short inside valid JSON: caught by its size.
        let shorter = |b: &[u8]| String::from_utf8_lossy(b).replacen("format_version", "format", 1).into_bytes();
        assert!(damaged(&pack_file(0), &shorter).contains("archive/archive.json has 12 bytes, not 20"));
        let mut missing = good.clone();
        missing.remove(&last);
        assert_eq!(
            unpack(|f| missing.get(f).cloned()).unwrap_err(),
            PortableError::Pack { file: last, reason: "missing".into() }
        );
    }

    #[test]
    fn base64_is_the_standard_one() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
        assert_eq!(unbase64("Zm9vYg==").unwrap(), b"foob");
        assert_eq!(unbase64("Zm9"), None);
        assert_eq!(unbase64("Zm9*"), None);
    }

    #[test]
    fn the_size_warnings_say_when_an_edition_is_too_big_for_a_file_page() {
        let small = pack(&members(), "reader_bg.wasm").unwrap();
        assert!(small.warnings().is_empty());
        let lists = Packed { list_bytes: LIST_WARN_BYTES + 1, ..small };
        let warnings = lists.warnings();
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("the list of posts is 67 MB"), "{warnings:?}");
        let big = Packed { packed_bytes: TOTAL_WARN_BYTES + 1, ..lists };
        assert_eq!(big.warnings().len(), 2);
        assert!(big.warnings()[1].contains("1074 MB (over 1074 MB)"), "{:?}", big.warnings());
    }

    const PAGE: &str = r#"<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; worker-src 'self'; manifest-src 'self'">
<link rel="manifest" href="manifest.webmanifest">
<link rel="preload" href="archive/archive.json" as="fetch" crossorigin>
<link rel="stylesheet" href="./style-1.css" integrity="sha384-x"/>
<script type="module" src="./boot.js" data-js="./reader-ab.js" data-wasm="./reader-ab_bg.wasm" data-sanitizer-js="./sanitizer-cd.js" data-sanitizer-wasm="./sanitizer-cd_bg.wasm"></script>
</head><body><div id="app"></div></body></html>"#;

    #[test]
    fn the_page_loads_classic_scripts_and_allows_no_fetch() {
        let page = page(PAGE, "reader.js", "reader_bg.wasm").unwrap();
        assert_eq!(page.replaced, ["reader-ab.js", "reader-ab_bg.wasm", "sanitizer-cd.js", "sanitizer-cd_bg.wasm"]);
        let html = page.html;
        assert!(html.contains(
            r#"content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'none'; worker-src 'none'; manifest-src 'none'""#
        ), "{html}");
        assert!(html.contains(
            r#"<script src="portable.js"></script><script src="data/index.js"></script><script src="./boot.js" data-js="reader.js" data-wasm="reader_bg.wasm" defer=""></script>"#
        ), "{html}");
        assert!(!html.contains("preload") && !html.contains("manifest.webmanifest") && !html.contains("module"));
        assert!(html.contains(r#"<link rel="stylesheet" href="./style-1.css" />"#), "{html}");
    }

    #[test]
    fn a_page_that_is_not_the_readers_is_refused() {
        let no_script = PAGE.replace("data-wasm", "data-other");
        assert!(page(&no_script, "j", "w").unwrap_err().to_string().contains("no one script tag with data-wasm"));
        let no_wasm = PAGE.replace(" 'wasm-unsafe-eval'", "");
        assert!(page(&no_wasm, "j", "w").unwrap_err().to_string().contains("'wasm-unsafe-eval'"));
        let no_csp = PAGE.replace("Content-Security-Policy", "x");
        assert!(page(&no_csp, "j", "w").unwrap_err().to_string().contains("no one CSP"));
    }
}
