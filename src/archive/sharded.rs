//! The sharded layout: a small manifest (`archive.json`, the only file that changes
//! between builds) and immutable, content-hashed shards beside it.
//!
//! - list shards: every post's [`Entry`] (what the list, the filters and the counts
//!   need), in archive order; all are fetched at start, the first paints first.
//! - details shards: [`ArticleDetails`] (excerpt, body…) for a run of consecutive
//!   posts, fetched for the rows in view and the article opened.
//! - search buckets: [`crate::search::bucket`], fetched for the keys of a query.

use serde::{Deserialize, Serialize};

use super::{BuildCounts, Facets, FormatError, Layout};

/// Its first fields are the whole archive's ([`super::Archive`]): repeated rather than
/// shared through `#[serde(flatten)]`, which would buffer a whole single archive on reading.
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
    /// Every facet value with its number of posts; entries refer to them by position.
    pub facets: Facets,
    /// The languages [`Entry::lang`] points into.
    pub langs: Vec<String>,
    /// List shards, in archive order.
    pub list: Vec<Shard>,
    /// Details shards, in archive order.
    pub details: Vec<Shard>,
    /// Search buckets: the postings of key `k` are in `search[bucket_of(k, search.len())]`.
    pub search: Vec<String>,
}

/// A shard file (relative to `archive.json`) and how many posts it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Relative to `archive.json`: `list/<hash>.json`, say.
    pub file: String,
    /// How many posts it covers.
    pub count: u32,
}

/// One post as the list needs it, with facet values as positions in the manifest's
/// facet lists: 250,000 of these fit in a few tens of megabytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "EntryRow", into = "EntryRow")]
pub struct Entry {
    /// [`super::ArticleMeta::id`].
    pub id: Box<str>,
    /// Plain text.
    pub title: Box<str>,
    /// Unix seconds.
    pub ts: i64,
    /// Into `facets.days`.
    pub day: u32,
    /// Into `facets.sources`.
    pub source: u32,
    /// Into `langs`.
    pub lang: u32,
    /// Into `facets.tags`.
    pub tags: Box<[u32]>,
    /// Into `facets.categories`.
    pub categories: Box<[u32]>,
}

/// On disk an entry is an array: field names would double the size of list shards.
type EntryRow = (Box<str>, Box<str>, i64, u32, u32, u32, Box<[u32]>, Box<[u32]>);

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
    /// The shapes the app relies on: shards covering every post, and a search index.
    pub(super) fn check(&self, file: &str) -> Result<(), FormatError> {
        let archived = self.counts.archived;
        for (kind, shards) in [("list", &self.list), ("details", &self.details)] {
            let covered: u64 = shards.iter().map(|s| u64::from(s.count)).sum();
            if covered != u64::from(archived) {
                return Err(FormatError::invalid(
                    file,
                    format!("its {kind} shards cover {covered} posts, not {archived}"),
                ));
            }
        }
        if self.search.is_empty() {
            return Err(FormatError::invalid(file, "it names no search index files"));
        }
        Ok(())
    }

    /// The manifest as `archive.json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a manifest always serialises")
    }
}

/// Which shard of a run of shards holds a post: the shards' first posts, bisected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShardStarts {
    starts: Vec<usize>,
    end: usize,
}

impl ShardStarts {
    /// From the shards' post counts, in order.
    pub fn new(shards: &[Shard]) -> Self {
        let mut starts = Vec::with_capacity(shards.len());
        let mut end = 0;
        for shard in shards {
            starts.push(end);
            end += shard.count as usize;
        }
        ShardStarts { starts, end }
    }

    /// The shard holding post `position`, and that shard's first post.
    pub fn find(&self, position: usize) -> Option<(usize, usize)> {
        if position >= self.end {
            return None;
        }
        let shard = self.starts.partition_point(|&first| first <= position) - 1;
        Some((shard, self.starts[shard]))
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
            day: 1,
            source: 2,
            lang: 0,
            tags: vec![3, 4].into(),
            categories: vec![].into(),
        };
        let json = serde_json::to_string(&entry).unwrap();
        assert_eq!(json, r#"["a","標題",5,1,2,0,[3,4],[]]"#);
        assert_eq!(serde_json::from_str::<Entry>(&json).unwrap(), entry);
    }

    #[test]
    fn shard_starts_find_the_shard_and_its_first_post() {
        let shards = [Shard { file: "a".into(), count: 3 }, Shard { file: "b".into(), count: 2 }];
        let starts = ShardStarts::new(&shards);
        assert_eq!(starts.find(0), Some((0, 0)));
        assert_eq!(starts.find(2), Some((0, 0)));
        assert_eq!(starts.find(3), Some((1, 3)));
        assert_eq!(starts.find(4), Some((1, 3)));
        assert_eq!(starts.find(5), None);
        assert_eq!(ShardStarts::new(&[]).find(0), None);
    }
}
