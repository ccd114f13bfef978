//! The sharded layout (format 3): a small manifest (`archive.json`, the only file every
//! build replaces) and content-named files beside it that a rebuild leaves alone unless
//! their own posts changed.
//!
//! - parts: runs of consecutive posts cut where a post's id hashes to a cut (about 128
//!   posts each), each a list file ([`PartList`]: what the list, the filters and the
//!   counts need) naming its details files ([`ArticleDetails`]: excerpt, body…).
//! - index segments: unions of parts, each with its own search index buckets
//!   ([`crate::search::bucket`]) in `search/<segment>/<n>.bin`.
//! - the head: the newest posts with their excerpts, in the manifest, so that the first
//!   screen needs nothing else.
//!
//! Why cut this way, and what a rebuild changes: ARCHITECTURE.md, "The archive format".

use crate::search::bucket::{file_of, Key};
use serde::{Deserialize, Serialize};

use super::{BuildCounts, FormatError, Layout};

/// `archive.json` of a sharded archive.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`super::FORMAT_VERSION`] when written by this code.
    pub format_version: u32,
    /// Always [`Layout::Sharded`].
    pub layout: Layout,
    /// When the builder ran, RFC 3339 in UTC.
    pub generated_at: String,
    /// Name and version of the program that wrote the archive.
    pub generator: String,
    /// What happened to the input files.
    pub counts: BuildCounts,
    /// Characters of text (titles and bodies) in all posts: how much a reader that
    /// searches by reading every text would hold.
    pub text_chars: u64,
    /// The newest posts, in archive order.
    pub head: Vec<HeadPost>,
    /// Every part, in archive order (newest first).
    pub parts: Vec<PartRef>,
    /// Every index segment, in archive order; together they cover every post once.
    pub segments: Vec<SegmentRef>,
}

/// A post of the head: what its row shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadPost {
    /// [`super::ArticleMeta::id`].
    pub id: String,
    /// Plain text.
    pub title: String,
    /// Unix seconds.
    pub ts: i64,
    /// The post's own calendar day ([`crate::day`]).
    pub day: i32,
    /// [`super::ArticleMeta::source`].
    pub source: String,
    /// [`super::ArticleMeta::lang`].
    pub lang: String,
    /// Plain text, about 140 characters.
    pub excerpt: String,
}

/// A part: its list file, how many posts it holds, and the bytes of its files (list
/// and details), for saving and updating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartRef {
    /// `list/<hash>.json`, relative to `archive.json`.
    pub file: String,
    /// Posts in the part.
    pub count: u32,
    /// Bytes of the list file and every details file the part names.
    pub bytes: u64,
}

/// An index segment: its folder of buckets, posts, bucket count and bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentRef {
    /// `search/<hash>`: bucket `n` is `search/<hash>/<n>.bin`.
    pub dir: String,
    /// Posts in the segment.
    pub count: u32,
    /// Bucket files in the folder, `0.bin` on: key `k` is in the one [`SegmentRef::file_of`] says.
    pub buckets: u32,
    /// Fingerprints of the keys stored alone, ascending: the last `alone.len()` buckets
    /// are theirs, in this order (see [`crate::search::bucket::file_of`]). Written even
    /// when empty: the build cache's encoding (postcard) has no optional fields.
    pub alone: Vec<u32>,
    /// Bytes of every bucket.
    pub bytes: u64,
}

impl SegmentRef {
    /// The file of bucket `n`.
    pub fn bucket_file(&self, n: u32) -> String {
        format!("{}/{n}.bin", self.dir)
    }

    /// The bucket that holds `key`.
    pub fn file_of(&self, key: Key) -> u32 {
        file_of(key, self.buckets, &self.alone)
    }
}

/// A file (relative to `archive.json`) and how many posts it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// `details/<hash>.json`, say.
    pub file: String,
    /// How many posts it covers.
    pub count: u32,
}

/// A part's list file: its posts with facet values as positions in the part's own
/// tables (so that a new tag elsewhere changes nothing here), and its details files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartList {
    /// Sources the entries point into.
    pub sources: Vec<String>,
    /// Categories the entries point into.
    pub categories: Vec<String>,
    /// Tags the entries point into.
    pub tags: Vec<String>,
    /// Languages the entries point into.
    pub langs: Vec<String>,
    /// The part's posts, in archive order.
    pub entries: Vec<Entry>,
    /// The part's details files, in the same order; together they cover every entry.
    pub details: Vec<Shard>,
}

/// One post as the list needs it. In a [`PartList`] facet values are positions in the
/// part's tables; in a [`crate::catalog::Catalog`], in the catalog's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "EntryRow", into = "EntryRow")]
pub struct Entry {
    /// [`super::ArticleMeta::id`].
    pub id: Box<str>,
    /// Plain text.
    pub title: Box<str>,
    /// Unix seconds.
    pub ts: i64,
    /// The post's own calendar day ([`crate::day`]).
    pub day: i32,
    /// Into the sources.
    pub source: u32,
    /// Into the languages.
    pub lang: u32,
    /// Into the tags.
    pub tags: Box<[u32]>,
    /// Into the categories.
    pub categories: Box<[u32]>,
}

/// On disk an entry is an array: field names would double the size of list files.
type EntryRow = (Box<str>, Box<str>, i64, i32, u32, u32, Box<[u32]>, Box<[u32]>);

impl From<EntryRow> for Entry {
    fn from((id, title, ts, day, source, lang, tags, categories): EntryRow) -> Self {
        Entry { id, title, ts, day, source, lang, tags, categories }
    }
}

impl From<Entry> for EntryRow {
    fn from(e: Entry) -> Self {
        (e.id, e.title, e.ts, e.day, e.source, e.lang, e.tags, e.categories)
    }
}

/// What only the article view and a row's excerpt need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDetails {
    /// RFC 3339 with the post's own offset.
    pub date: String,
    /// The original article (http/https only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Plain text, about 140 characters, for the list row.
    pub excerpt: String,
    /// Cleaned HTML; sanitized again in the browser before display.
    pub body: String,
}

impl Manifest {
    /// The shapes readers rely on: parts and segments covering every post, buckets in
    /// every segment, a head no longer than the archive.
    pub(super) fn check(&self, file: &str) -> Result<(), FormatError> {
        let archived = u64::from(self.counts.archived);
        let parts: u64 = self.parts.iter().map(|p| u64::from(p.count)).sum();
        let segments: u64 = self.segments.iter().map(|s| u64::from(s.count)).sum();
        for (kind, covered) in [("parts", parts), ("index segments", segments)] {
            if covered != archived {
                return Err(FormatError::invalid(file, format!("its {kind} cover {covered} posts, not {archived}")));
            }
        }
        if let Some(empty) = self.segments.iter().find(|s| s.buckets as usize <= s.alone.len()) {
            return Err(FormatError::invalid(file, format!("index segment {} has no hashed buckets", empty.dir)));
        }
        if let Some(unordered) = self.segments.iter().find(|s| !s.alone.is_sorted_by(|a, b| a < b)) {
            return Err(FormatError::invalid(
                file,
                format!("index segment {} lists its keys stored alone out of order", unordered.dir),
            ));
        }
        if self.head.len() as u64 > archived {
            return Err(FormatError::invalid(file, "its head has more posts than the archive"));
        }
        Ok(())
    }

    /// The manifest as `archive.json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a manifest always serialises")
    }
}

/// Which of a run of consecutive ranges holds a position: their first positions, bisected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShardStarts {
    starts: Vec<usize>,
    end: usize,
}

impl ShardStarts {
    /// From the ranges' lengths, in order.
    pub fn new(counts: impl IntoIterator<Item = u32>) -> Self {
        let mut starts = Vec::new();
        let mut end = 0;
        for count in counts {
            starts.push(end);
            end += count as usize;
        }
        ShardStarts { starts, end }
    }

    /// The range holding `position`, and that range's first position.
    pub fn find(&self, position: usize) -> Option<(usize, usize)> {
        if position >= self.end {
            return None;
        }
        let range = self.starts.partition_point(|&first| first <= position) - 1;
        Some((range, self.starts[range]))
    }

    /// The first position of range `n`.
    pub fn start(&self, n: usize) -> Option<usize> {
        self.starts.get(n).copied()
    }

    /// One past the last position.
    pub fn end(&self) -> usize {
        self.end
    }

    /// How many ranges there are.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_arrays_on_disk() {
        let entry = Entry {
            id: "a".into(),
            title: "標題".into(),
            ts: 5,
            day: 20_000,
            source: 2,
            lang: 0,
            tags: vec![3, 4].into(),
            categories: vec![].into(),
        };
        let json = serde_json::to_string(&entry).unwrap();
        assert_eq!(json, r#"["a","標題",5,20000,2,0,[3,4],[]]"#);
        assert_eq!(serde_json::from_str::<Entry>(&json).unwrap(), entry);
    }

    #[test]
    fn starts_find_the_range_and_its_first_position() {
        let starts = ShardStarts::new([3, 2]);
        assert_eq!(starts.find(0), Some((0, 0)));
        assert_eq!(starts.find(2), Some((0, 0)));
        assert_eq!(starts.find(3), Some((1, 3)));
        assert_eq!(starts.find(4), Some((1, 3)));
        assert_eq!(starts.find(5), None);
        assert_eq!((starts.start(1), starts.start(2), starts.end()), (Some(3), None, 5));
        assert_eq!(ShardStarts::new([]).find(0), None);
    }
}
