//! Which posts the reader has read and which they starred, kept on the device by the app
//! and carried to another device as a file. Pure: the app reads and writes localStorage
//! and files; this module says what the bytes mean.
//!
//! Posts are named by their `id`, which a rebuild keeps (a hash of the original URL), so
//! marks survive republishing; an id the archive no longer has is kept, harmlessly, in
//! case the post comes back. Ids are held in sorted vectors and tested by binary search:
//! 100,000 ids take 17 comparisons, and the wasm carries no hash map for them.
//!
//! # The format
//!
//! One JSON document, both what the app keeps in localStorage and what "Export" downloads
//! (so a copy of either is a valid import, and there is one reader to keep tolerant):
//!
//! ```json
//! {"format": "newsreader-reading-state", "version": 1, "exported_at": 1767225600,
//!  "read": ["1b3367d4cc11447e", …], "starred": [{"id": "1b3367d4cc11447e", "at": 1767139200}, …]}
//! ```
//!
//! `exported_at` and `at` are Unix seconds given by the caller; `read` and `starred` are
//! written sorted by id, each id once. Reading is lenient where nothing is lost (missing
//! lists are empty, unknown fields are ignored, duplicates and order do not matter, the
//! earlier time of a post starred twice is kept) and refuses, in words for the person
//! importing, a file that is not JSON, of another format, of a newer version, or with an
//! entry that is not what it should be (named by its position). A change to the meaning
//! of a field bumps [`VERSION`].

use serde::Serialize;
use thiserror::Error;

/// The `format` field of the document.
pub const FORMAT: &str = "newsreader-reading-state";

/// The version of the document this code writes, and the newest it reads.
pub const VERSION: u32 = 1;

/// A starred post: its id, and when it was starred (Unix seconds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Star {
    /// The post's id.
    pub id: Box<str>,
    /// When it was starred, in Unix seconds.
    pub at: i64,
}

/// Read and starred posts by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadingState {
    /// Sorted, each id once.
    read: Vec<Box<str>>,
    /// Sorted by id, each id once.
    starred: Vec<Star>,
}

/// Why a file could not be imported, worded for the person importing it.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The bytes are not JSON at all.
    #[error("this file is not a reading-state export: it is not JSON (line {line}, column {column})")]
    NotJson {
        /// Where the first error is (1-based).
        line: usize,
        /// Where the first error is (1-based).
        column: usize,
    },
    /// The bytes stop in the middle of the document.
    #[error("this file ends early (line {line}): it was probably cut off while being copied or downloaded")]
    Truncated {
        /// Where it ends (1-based).
        line: usize,
    },
    /// JSON, but not this format.
    #[error("this file is not a reading-state export of this reader: {found}")]
    OtherFormat {
        /// What it is instead, as a clause ("its format is \"x\"").
        found: String,
    },
    /// This format, written by a newer reader.
    #[error(
        "this file was exported by a newer version of the reader (format version {found}), and this one reads version {supported}: update the reader, then import it again"
    )]
    NewerVersion {
        /// The version the file says it has.
        found: u64,
        /// [`VERSION`].
        supported: u32,
    },
    /// A field of the document is not what the format says.
    #[error("this file's \"{field}\" {reason}")]
    BadField {
        /// The field.
        field: &'static str,
        /// What is wrong with it, as a clause.
        reason: String,
    },
    /// One entry of `read` or `starred` is not what the format says.
    #[error("entry {position} of \"{list}\" in this file {reason}")]
    BadEntry {
        /// `read` or `starred`.
        list: &'static str,
        /// Its position in the list (1-based).
        position: usize,
        /// What is wrong with it, as a clause.
        reason: String,
    },
}

impl ReadingState {
    /// Nothing read, nothing starred.
    pub fn new() -> Self {
        ReadingState::default()
    }

    /// Marks a post read; returns whether that changed anything.
    pub fn mark_read(&mut self, id: &str) -> bool {
        match self.read.binary_search_by(|r| (**r).cmp(id)) {
            Ok(_) => false,
            Err(at) => {
                self.read.insert(at, id.into());
                true
            }
        }
    }

    /// Marks a post unread; returns whether that changed anything.
    pub fn mark_unread(&mut self, id: &str) -> bool {
        match self.read.binary_search_by(|r| (**r).cmp(id)) {
            Ok(at) => {
                self.read.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Stars a post (at `now`, Unix seconds) or removes its star; returns whether that
    /// changed anything. Starring a starred post keeps the time it was first starred.
    pub fn set_starred(&mut self, id: &str, starred: bool, now: i64) -> bool {
        match (self.star_position(id), starred) {
            (Ok(_), true) | (Err(_), false) => false,
            (Err(at), true) => {
                self.starred.insert(at, Star { id: id.into(), at: now });
                true
            }
            (Ok(at), false) => {
                self.starred.remove(at);
                true
            }
        }
    }

    fn star_position(&self, id: &str) -> Result<usize, usize> {
        self.starred.binary_search_by(|s| (*s.id).cmp(id))
    }

    /// Whether the post is marked read.
    pub fn is_read(&self, id: &str) -> bool {
        self.read.binary_search_by(|r| (**r).cmp(id)).is_ok()
    }

    /// Whether the post is starred.
    pub fn is_starred(&self, id: &str) -> bool {
        self.star_position(id).is_ok()
    }

    /// When the post was starred, if it is.
    pub fn starred_at(&self, id: &str) -> Option<i64> {
        self.star_position(id).ok().map(|i| self.starred[i].at)
    }

    /// The starred posts, sorted by id.
    pub fn starred(&self) -> &[Star] {
        &self.starred
    }

    /// How many posts are marked read.
    pub fn read_count(&self) -> usize {
        self.read.len()
    }

    /// How many posts are starred.
    pub fn starred_count(&self) -> usize {
        self.starred.len()
    }

    /// Whether nothing is read and nothing starred.
    pub fn is_empty(&self) -> bool {
        self.read.is_empty() && self.starred.is_empty()
    }

    /// Marks every post of `ids` read (the current listing, say); returns how many were
    /// not read before. One sort and one merge, however many ids: inserting them one by
    /// one would move the whole list for each.
    pub fn mark_all_read<I>(&mut self, ids: I) -> usize
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut new: Vec<Box<str>> =
            ids.into_iter().filter(|id| !self.is_read(id.as_ref())).map(|id| id.as_ref().into()).collect();
        new.sort_unstable();
        new.dedup();
        let added = new.len();
        self.read = union(std::mem::take(&mut self.read), new, |a, b| a.cmp(b), |_, _| {});
        added
    }

    /// Forgets everything: nothing read, nothing starred.
    pub fn clear(&mut self) {
        self.read.clear();
        self.starred.clear();
    }

    /// Adds what `other` has (an import adds to what is here, it replaces nothing): read
    /// if read in either, starred if starred in either, at the earlier of the two times.
    pub fn merge(&mut self, other: ReadingState) {
        self.read = union(std::mem::take(&mut self.read), other.read, |a, b| a.cmp(b), |_, _| {});
        self.starred = union(
            std::mem::take(&mut self.starred),
            other.starred,
            |a, b| a.id.cmp(&b.id),
            |kept, dropped| kept.at = kept.at.min(dropped.at),
        );
    }

    /// The document (see the module header), stamped `exported_at: now`.
    pub fn to_json(&self, now: i64) -> String {
        #[derive(Serialize)]
        struct Document<'a> {
            format: &'static str,
            version: u32,
            exported_at: i64,
            read: &'a [Box<str>],
            starred: &'a [Star],
        }
        let document =
            Document { format: FORMAT, version: VERSION, exported_at: now, read: &self.read, starred: &self.starred };
        serde_json::to_string(&document).expect("strings and integers always serialise")
    }

    /// Reads a document written by [`ReadingState::to_json`] (of this version or an older
    /// one), from localStorage or from a file being imported.
    pub fn from_json(bytes: &[u8]) -> Result<ReadingState, ImportError> {
        let document: serde_json::Value = serde_json::from_slice(bytes).map_err(|error| {
            let (line, column) = (error.line(), error.column());
            match error.classify() {
                serde_json::error::Category::Eof => ImportError::Truncated { line },
                _ => ImportError::NotJson { line, column },
            }
        })?;
        let Some(document) = document.as_object() else {
            return Err(ImportError::OtherFormat { found: format!("it is {}, not an object", kind(&document)) });
        };
        match document.get("format") {
            Some(serde_json::Value::String(format)) if format == FORMAT => {}
            Some(serde_json::Value::String(format)) => {
                return Err(ImportError::OtherFormat { found: format!("its format is \"{format}\"") })
            }
            Some(other) => return Err(ImportError::OtherFormat { found: format!("its format is {}", kind(other)) }),
            None => return Err(ImportError::OtherFormat { found: "it has no \"format\" field".into() }),
        }
        match document.get("version").and_then(serde_json::Value::as_u64) {
            Some(version) if version > u64::from(VERSION) => {
                return Err(ImportError::NewerVersion { found: version, supported: VERSION })
            }
            Some(version) if version >= 1 => {}
            _ => return Err(ImportError::BadField { field: "version", reason: "is not a version number".into() }),
        }

        let mut read = Vec::new();
        for (i, entry) in list(document, "read")?.iter().enumerate() {
            let bad = |reason: String| ImportError::BadEntry { list: "read", position: i + 1, reason };
            read.push(post_id(entry).map_err(bad)?);
        }
        read.sort_unstable();
        read.dedup();

        let mut starred = Vec::new();
        for (i, entry) in list(document, "starred")?.iter().enumerate() {
            let bad = |reason: String| ImportError::BadEntry { list: "starred", position: i + 1, reason };
            let Some(star) = entry.as_object() else {
                return Err(bad(format!("is {}, not {{\"id\": …, \"at\": …}}", kind(entry))));
            };
            let id = star.get("id").ok_or_else(|| bad("has no \"id\"".into()))?;
            let id = post_id(id).map_err(|why| bad(format!("has an id that {why}")))?;
            let at = star
                .get("at")
                .and_then(serde_json::Value::as_i64)
                .filter(|&at| at >= 0)
                .ok_or_else(|| bad("has no time (\"at\", in seconds since 1970)".into()))?;
            starred.push(Star { id, at });
        }
        // Sorted by id and then time, so the first of each id is its earliest star.
        starred.sort_unstable_by(|a, b| a.id.cmp(&b.id).then(a.at.cmp(&b.at)));
        starred.dedup_by(|later, first| later.id == first.id);
        Ok(ReadingState { read, starred })
    }
}

/// `document[name]` as a list; a missing list is empty.
fn list<'a>(
    document: &'a serde_json::Map<String, serde_json::Value>,
    name: &'static str,
) -> Result<&'a [serde_json::Value], ImportError> {
    match document.get(name) {
        None => Ok(&[]),
        Some(serde_json::Value::Array(entries)) => Ok(entries),
        Some(other) => Err(ImportError::BadField { field: name, reason: format!("is {}, not a list", kind(other)) }),
    }
}

/// A post id: a string, not empty.
fn post_id(value: &serde_json::Value) -> Result<Box<str>, String> {
    match value {
        serde_json::Value::String(id) if !id.is_empty() => Ok(id.as_str().into()),
        serde_json::Value::String(_) => Err("is empty, not a post id".into()),
        other => Err(format!("is {}, not a post id", kind(other))),
    }
}

/// "a number", "a list"…: what a JSON value is, for messages.
fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true or false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// The union of two vectors sorted by `order` (each without repeats), in order; where
/// both have an element, the first's is kept and `both` sees it with the second's.
fn union<T>(a: Vec<T>, b: Vec<T>, order: impl Fn(&T, &T) -> std::cmp::Ordering, both: impl Fn(&mut T, T)) -> Vec<T> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => order(x, y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => return out,
        };
        match next {
            std::cmp::Ordering::Less => out.extend(a.next()),
            std::cmp::Ordering::Greater => out.extend(b.next()),
            std::cmp::Ordering::Equal => {
                if let (Some(mut kept), Some(dropped)) = (a.next(), b.next()) {
                    both(&mut kept, dropped);
                    out.push(kept);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(read: &[&str], starred: &[(&str, i64)]) -> ReadingState {
        let mut state = ReadingState::new();
        for id in read {
            state.mark_read(id);
        }
        for &(id, at) in starred {
            state.set_starred(id, true, at);
        }
        state
    }

    /// 100,000 distinct ids like the archive's (16 hex digits), in no particular order:
    /// an odd multiplier is a bijection of u64.
    fn ids(range: std::ops::Range<u64>) -> Vec<String> {
        range.map(|i| format!("{:016x}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15))).collect()
    }

    #[test]
    fn marks_say_whether_they_changed_anything() {
        let mut s = ReadingState::new();
        assert!(s.is_empty());
        assert!(s.mark_read("b") && s.mark_read("a") && !s.mark_read("a"));
        assert!(s.is_read("a") && s.is_read("b") && !s.is_read("c"));
        assert!(s.mark_unread("a") && !s.mark_unread("a") && !s.mark_unread("never"));
        assert_eq!((s.read_count(), s.is_read("a")), (1, false));

        assert!(s.set_starred("x", true, 100));
        assert!(!s.set_starred("x", true, 200), "starring again changes nothing");
        assert_eq!(s.starred_at("x"), Some(100), "and keeps the first time");
        assert!(!s.set_starred("y", false, 300));
        assert!(s.is_starred("x") && !s.is_starred("y") && !s.is_read("x"));
        assert_eq!(s.starred_count(), 1);
        assert!(s.set_starred("x", false, 400) && !s.is_starred("x") && s.starred_at("x").is_none());

        s.set_starred("z", true, 1);
        s.clear();
        assert!(s.is_empty());
        assert_eq!((s.read_count(), s.starred_count()), (0, 0));
    }

    #[test]
    fn writes_the_documented_format_sorted() {
        let s = state(&["b2", "a1"], &[("c3", 1_767_139_200), ("a1", 1_767_000_000)]);
        assert_eq!(
            s.to_json(1_767_225_600),
            r#"{"format":"newsreader-reading-state","version":1,"exported_at":1767225600,"read":["a1","b2"],"starred":[{"id":"a1","at":1767000000},{"id":"c3","at":1767139200}]}"#
        );
        assert_eq!(
            ReadingState::new().to_json(0),
            r#"{"format":"newsreader-reading-state","version":1,"exported_at":0,"read":[],"starred":[]}"#
        );
    }

    #[test]
    fn reads_back_what_it_writes() {
        for s in [
            ReadingState::new(),
            state(&["a"], &[]),
            state(&[], &[("a", 0)]),
            state(&["a", "b", "c"], &[("b", 5), ("d", 9)]),
        ] {
            assert_eq!(ReadingState::from_json(s.to_json(42).as_bytes()), Ok(s.clone()));
        }
    }

    #[test]
    fn normalises_duplicates_and_order_keeping_the_earliest_star() {
        let json = r#"{"format": "newsreader-reading-state", "version": 1, "exported_at": 5,
            "read": ["c", "a", "c", "b", "a"],
            "starred": [{"id": "y", "at": 30}, {"id": "x", "at": 20}, {"id": "y", "at": 10}, {"id": "y", "at": 40}]}"#;
        let s = ReadingState::from_json(json.as_bytes()).unwrap();
        assert_eq!(s, state(&["a", "b", "c"], &[("x", 20), ("y", 10)]));
        assert_eq!(s.starred().iter().map(|s| &*s.id).collect::<Vec<_>>(), ["x", "y"]);
    }

    #[test]
    fn reads_leniently_where_nothing_is_lost() {
        let cases = [
            (r#"{"format": "newsreader-reading-state", "version": 1}"#, ReadingState::new()),
            (
                r#"{"format": "newsreader-reading-state", "version": 1, "read": ["a"], "theme": "dark"}"#,
                state(&["a"], &[]),
            ),
            (
                r#"{"version": 1, "starred": [{"at": 3, "id": "a", "note": "x"}], "format": "newsreader-reading-state"}"#,
                state(&[], &[("a", 3)]),
            ),
        ];
        for (json, expected) in cases {
            assert_eq!(ReadingState::from_json(json.as_bytes()), Ok(expected), "{json}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_import_saying_why() {
        let doc = |rest: &str| format!(r#"{{"format": "newsreader-reading-state", "version": 1, {rest}}}"#);
        let entry = |list, position, reason: &str| ImportError::BadEntry { list, position, reason: reason.into() };
        let field = |field, reason: &str| ImportError::BadField { field, reason: reason.into() };
        let other = |found: &str| ImportError::OtherFormat { found: found.into() };
        let cases = [
            ("<!doctype html>".to_string(), ImportError::NotJson { line: 1, column: 1 }),
            ("".to_string(), ImportError::Truncated { line: 1 }),
            (r#"{"format": "newsreader-reading-state", "read": ["#.to_string(), ImportError::Truncated { line: 1 }),
            ("[1, 2]".to_string(), other("it is a list, not an object")),
            (r#"{"read": []}"#.to_string(), other("it has no \"format\" field")),
            (
                r#"{"format": "newsreader-settings", "version": 1}"#.to_string(),
                other("its format is \"newsreader-settings\""),
            ),
            (r#"{"format": 1}"#.to_string(), other("its format is a number")),
            (
                r#"{"format": "newsreader-reading-state", "version": 2, "read": [1]}"#.to_string(),
                ImportError::NewerVersion { found: 2, supported: 1 },
            ),
            (
                r#"{"format": "newsreader-reading-state", "version": 0}"#.to_string(),
                field("version", "is not a version number"),
            ),
            (r#"{"format": "newsreader-reading-state"}"#.to_string(), field("version", "is not a version number")),
            (
                r#"{"format": "newsreader-reading-state", "version": "1"}"#.to_string(),
                field("version", "is not a version number"),
            ),
            (doc(r#""read": "a b""#), field("read", "is a string, not a list")),
            (doc(r#""starred": {}"#), field("starred", "is an object, not a list")),
            (doc(r#""read": ["a", 7]"#), entry("read", 2, "is a number, not a post id")),
            (doc(r#""read": ["a", "b", ""]"#), entry("read", 3, "is empty, not a post id")),
            (doc(r#""starred": ["a"]"#), entry("starred", 1, "is a string, not {\"id\": …, \"at\": …}")),
            (doc(r#""starred": [{"id": "a", "at": 1}, {"at": 1}]"#), entry("starred", 2, "has no \"id\"")),
            (
                doc(r#""starred": [{"id": null, "at": 1}]"#),
                entry("starred", 1, "has an id that is null, not a post id"),
            ),
            (doc(r#""starred": [{"id": "a"}]"#), entry("starred", 1, "has no time (\"at\", in seconds since 1970)")),
            (
                doc(r#""starred": [{"id": "a", "at": -5}]"#),
                entry("starred", 1, "has no time (\"at\", in seconds since 1970)"),
            ),
            (
                doc(r#""starred": [{"id": "a", "at": 1.5}]"#),
                entry("starred", 1, "has no time (\"at\", in seconds since 1970)"),
            ),
        ];
        for (json, expected) in cases {
            assert_eq!(ReadingState::from_json(json.as_bytes()), Err(expected), "{json}");
        }
        assert_eq!(ReadingState::from_json(&[0xff, 0xfe]), Err(ImportError::NotJson { line: 1, column: 1 }));
    }

    #[test]
    fn refusals_read_as_sentences() {
        let messages = [
            (ImportError::NotJson { line: 1, column: 1 }, "this file is not a reading-state export: it is not JSON (line 1, column 1)"),
            (
                ImportError::NewerVersion { found: 2, supported: 1 },
                "this file was exported by a newer version of the reader (format version 2), and this one reads version 1: update the reader, then import it again",
            ),
            (
                ImportError::BadEntry { list: "starred", position: 2, reason: "has no \"id\"".into() },
                "entry 2 of \"starred\" in this file has no \"id\"",
            ),
        ];
        for (error, message) in messages {
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn merging_adds_reads_and_stars_keeping_the_earlier_time() {
        let here = state(&["a", "c"], &[("s", 50), ("t", 10)]);
        let there = state(&["b", "c"], &[("s", 20), ("t", 90), ("u", 5)]);
        let expected = state(&["a", "b", "c"], &[("s", 20), ("t", 10), ("u", 5)]);
        for (mut into, from) in [(here.clone(), there.clone()), (there, here)] {
            into.merge(from);
            assert_eq!(into, expected);
        }
        let mut empty = ReadingState::new();
        empty.merge(expected.clone());
        assert_eq!(empty, expected);
        let mut same = expected.clone();
        same.merge(ReadingState::new());
        assert_eq!(same, expected);
    }

    #[test]
    fn marking_all_read_counts_only_what_was_unread() {
        let mut s = state(&["b"], &[]);
        assert_eq!(s.mark_all_read(["c", "b", "a", "c"]), 2);
        assert_eq!(s, state(&["a", "b", "c"], &[]));
        assert_eq!(s.mark_all_read(Vec::<String>::new()), 0);
        assert_eq!(s.mark_all_read(vec![String::from("a")]), 0);
    }

    #[test]
    fn holds_a_hundred_thousand_ids() {
        let all = ids(0..100_000);
        let mut s = ReadingState::new();
        assert_eq!(s.mark_all_read(&all[..60_000]), 60_000);
        assert_eq!(s.mark_all_read(&all[40_000..]), 40_000, "the overlap is not counted twice");
        assert_eq!(s.read_count(), 100_000);
        assert!(all.iter().all(|id| s.is_read(id)));
        assert!(ids(100_000..101_000).iter().all(|id| !s.is_read(id)));
        for (i, id) in all.iter().enumerate().step_by(1_000) {
            s.set_starred(id, true, i as i64);
        }
        assert!(s.mark_unread(&all[7]) && !s.is_read(&all[7]));

        let json = s.to_json(1);
        let back = ReadingState::from_json(json.as_bytes()).unwrap();
        assert_eq!(back, s);
        assert_eq!((back.read_count(), back.starred_count()), (99_999, 100));

        let (mut first, mut second) = (ReadingState::new(), ReadingState::new());
        first.mark_all_read(&all[..50_000]);
        second.mark_all_read(&all[50_000..]);
        first.merge(second);
        assert_eq!(first.read_count(), 100_000);
        assert!(all.iter().all(|id| first.is_read(id)));
    }
}
