//! The build cache: what a build remembers so that the next one reads and cleans only
//! the posts that are new or changed, and rebuilds only the parts and index segments that
//! hold them. Pure (the CLI reads and writes it): a format, and the checks that decide
//! whether a cache may be trusted.
//!
//! Per input file: its size and modification time as the last build saw them, the hash
//! of its bytes, and its parse without the body (metadata, hashes, warnings or why it was
//! skipped). A file whose size and time are unchanged is not read again; one whose bytes
//! are unchanged (a fresh checkout gives every file a new time) is not cleaned again. Per part and segment: what was written
//! for it, by the key of the posts it holds ([`super::shard::Known`]). And the hash of the
//! `archive.json` the last build wrote: the shards are only reused in the folder whose
//! manifest is that one.
//!
//! A cache is trusted only if it is this version's, for the same cuts; anything else (a
//! damaged file, another version's, another folder's) is ignored and replaced, with a
//! warning from the CLI.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::shard::{Cuts, Known};
use super::{Parsed, Post, Skip, Warning};
use crate::archive::ArticleMeta;

/// Bumped when what the cache holds, or how the builder cleans, changes.
const SCHEMA: u32 = 1;
/// The first bytes of a cache file.
const MAGIC: &[u8] = b"newsarchive build cache\n";

/// A file's parse as the cache keeps it: everything but the body, known by its hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileParse {
    /// The post, or why the file is not one.
    pub result: Result<CachedPost, Skip>,
    /// What was repaired or guessed.
    pub warnings: Vec<Warning>,
}

/// A post without its body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CachedPost {
    /// Its list metadata.
    meta: Meta,
    /// Of title and text (duplicates are found by it).
    pub content_hash: u64,
    /// Of the cleaned body.
    pub body_hash: u128,
}

/// [`ArticleMeta`] with every field always written: the cache's format (postcard) is
/// not self-describing, so a field left out when empty would misread the rest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Meta {
    id: String,
    title: String,
    date: String,
    ts: i64,
    source: String,
    url: Option<String>,
    tags: Vec<String>,
    categories: Vec<String>,
    excerpt: String,
    lang: String,
}

impl From<&ArticleMeta> for Meta {
    fn from(m: &ArticleMeta) -> Meta {
        let ArticleMeta { id, title, date, ts, source, url, tags, categories, excerpt, lang } = m.clone();
        Meta { id, title, date, ts, source, url, tags, categories, excerpt, lang }
    }
}

impl From<Meta> for ArticleMeta {
    fn from(m: Meta) -> ArticleMeta {
        let Meta { id, title, date, ts, source, url, tags, categories, excerpt, lang } = m;
        ArticleMeta { id, title, date, ts, source, url, tags, categories, excerpt, lang }
    }
}

impl FileParse {
    pub(super) fn of(parsed: &Parsed) -> FileParse {
        let result = match &parsed.0 {
            Ok(post) => Ok(CachedPost {
                meta: Meta::from(&post.meta),
                content_hash: post.content_hash,
                body_hash: post.body_hash,
            }),
            Err(skip) => Err(skip.clone()),
        };
        FileParse { result, warnings: parsed.1.clone() }
    }

    pub(super) fn to_parsed(&self, file: &str) -> Parsed {
        let result = match &self.result {
            Ok(post) => Ok(Post {
                meta: post.meta.clone().into(),
                body: String::new(),
                content_hash: post.content_hash,
                file: file.to_string(),
                body_hash: post.body_hash,
                body_read: false,
            }),
            Err(skip) => Err(skip.clone()),
        };
        (result, self.warnings.clone())
    }
}

/// One input file as the last build saw it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CachedFile {
    /// Its size in bytes.
    pub len: u64,
    /// Its modification time, in nanoseconds since the Unix epoch.
    pub modified_ns: u128,
    /// Of its bytes ([`super::content_hash`]): a file whose time changed but not its
    /// bytes (a fresh checkout) is read but not cleaned again.
    pub content_hash: u128,
    /// Its parse.
    pub parse: FileParse,
}

/// The whole cache.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct BuildCache {
    schema: u32,
    generator: String,
    cuts: String,
    /// Of the `archive.json` the build that wrote this cache wrote.
    pub archive_hash: u64,
    /// Input files by path.
    pub files: HashMap<String, CachedFile>,
    /// Parts and segments that build wrote, by key.
    pub known: Known,
}

/// Why a cache was not trusted.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// Not readable as a cache.
    #[error("it is not a build cache ({0})")]
    Unreadable(String),
    /// Written by another version of the builder, or for other cuts.
    #[error("it was written by {0}")]
    Foreign(String),
}

impl BuildCache {
    /// An empty cache for a build with `cuts`.
    pub fn new(cuts: &Cuts) -> BuildCache {
        BuildCache { schema: SCHEMA, generator: generator(), cuts: format!("{cuts:?}"), ..BuildCache::default() }
    }

    /// Reads a cache written for a build with `cuts` by this version.
    pub fn parse(bytes: &[u8], cuts: &Cuts) -> Result<BuildCache, CacheError> {
        let body = bytes.strip_prefix(MAGIC).ok_or_else(|| CacheError::Unreadable("no cache header".into()))?;
        let cache: BuildCache = postcard::from_bytes(body).map_err(|e| CacheError::Unreadable(e.to_string()))?;
        let expected = BuildCache::new(cuts);
        if (cache.schema, &cache.generator, &cache.cuts) != (expected.schema, &expected.generator, &expected.cuts) {
            return Err(CacheError::Foreign(format!(
                "{} (cache version {}) for other cuts or another builder",
                cache.generator, cache.schema
            )));
        }
        Ok(cache)
    }

    /// The bytes to keep.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        bytes.extend(postcard::to_stdvec(self).expect("a build cache serialises"));
        bytes
    }
}

fn generator() -> String {
    concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION")).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_reads_back_and_refuses_other_cuts_versions_and_junk() {
        let cuts = Cuts::default();
        let mut cache = BuildCache::new(&cuts);
        cache.archive_hash = 7;
        let parse =
            FileParse { result: Err(Skip::NoTitle), warnings: vec![Warning::DateFromFallback("file name".into())] };
        cache.files.insert("a.md".into(), CachedFile { len: 3, modified_ns: 9, content_hash: 5, parse: parse.clone() });
        let back = BuildCache::parse(&cache.to_bytes(), &cuts).unwrap();
        assert_eq!(back.archive_hash, 7);
        assert_eq!(back.files["a.md"].parse, parse);

        let other = Cuts { part_rank: 3, ..cuts };
        assert!(matches!(BuildCache::parse(&cache.to_bytes(), &other), Err(CacheError::Foreign(_))));
        let mut old = cache.to_bytes();
        old[MAGIC.len()] = 0; // the schema, a varint
        assert!(matches!(BuildCache::parse(&old, &cuts), Err(CacheError::Foreign(_))));
        let mut cut = cache.to_bytes();
        cut.truncate(cut.len() - 3);
        for junk in [&b""[..], b"{", b"[]", b"\x00\xff", &cut] {
            assert!(matches!(BuildCache::parse(junk, &cuts), Err(CacheError::Unreadable(_))), "{junk:?}");
        }
    }
}
