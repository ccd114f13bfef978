//! The build cache: what a build remembers so that the next one reads and cleans only
//! the posts that are new or changed, and rebuilds only the parts and index segments that
//! hold them. Pure (the CLI reads and writes it): a format, and the checks that decide
//! whether a cache may be trusted.
//!
//! Per input file, in input order: its size and modification time as the last build saw
//! them, the hash of its bytes, and of its parse only what a build needs of a post it does
//! not rebuild a file for ([`KnownPost`]: where it sorts, what it duplicates, its key), or
//! why it was skipped, and its warnings. A file whose size and time are unchanged is not
//! read again; one whose bytes are unchanged (a fresh checkout gives every file a new
//! time) is not cleaned again. A post whose part or segment is rebuilt is read and
//! cleaned again then: the cache holds no metadata or bodies, which kept it small enough
//! (about 100 bytes a file, most of it the path) to be read and written whole in a few
//! tens of milliseconds at 250,000 posts, where a cache of every parse without its body
//! was 200 MB and took seconds each way. Per part and segment: what was written for it,
//! by the key of the posts it holds ([`super::shard::Known`]). And the hash of the
//! `archive.json` the last build wrote: the shards are only reused in the folder whose
//! manifest is that one.
//!
//! A cache is trusted only if it is this version's, for the same cuts, and its checksum
//! holds; anything else (a damaged file, another version's, another folder's) is ignored
//! and replaced, with a warning from the CLI.

use std::cmp::Ordering;
use std::path::Path;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_128;

use super::shard::{Cuts, Known};
use super::{Prior, Skip, Warning};

/// Bumped when what the cache holds, or how the builder cleans, changes.
const SCHEMA: u32 = 3;
/// The first bytes of a cache file.
const MAGIC: &[u8] = b"newsarchive build cache\n";

/// What a build needs of a post that it neither cleans nor writes a file for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownPost {
    /// The number its id is the hex of: with `ts`, where it sorts; its rank.
    pub id_hash: u64,
    /// Its time, Unix seconds.
    pub ts: i64,
    /// Of its original URL (duplicates are found by it).
    pub url_hash: Option<u128>,
    /// Of title and text (duplicates are found by it too).
    pub content_hash: u64,
    /// Of its metadata and body ([`super::shard::post_key`]): which parts and segments
    /// it is in the key of.
    pub key: u128,
}

/// A file's parse as the cache keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileParse {
    /// The post, or why the file is not one.
    pub result: Result<KnownPost, Skip>,
    /// What was repaired or guessed.
    pub warnings: Vec<Warning>,
}

/// One input file as the last build saw it. The path borrows from the cache's bytes:
/// a quarter of a million allocations fewer on every build.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CachedFile<'a> {
    /// As the build named it.
    pub path: &'a str,
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

/// What the header checks before anything else is read. The file ends with a checksum
/// of what comes between (16 bytes): a damaged cache is not trusted, even when it decodes.
#[derive(Serialize, Deserialize)]
struct Header {
    generator: String,
    cuts: String,
}

/// The checksum's bytes, last in the file (there, the body is serialised straight into
/// the file's buffer: no copy of 40 MB).
const CHECKSUM_BYTES: usize = 16;

/// The whole cache.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BuildCache<'a> {
    /// Of the `archive.json` the build that wrote this cache wrote.
    pub archive_hash: u64,
    /// Input files, in the order the build read them (by path).
    #[serde(borrow)]
    pub files: Vec<CachedFile<'a>>,
    /// Parts and segments that build wrote, by key.
    pub known: Known,
}

/// Why a cache was not trusted.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// Not readable as a cache, or damaged.
    #[error("it is not a build cache ({0})")]
    Unreadable(String),
    /// Written by another version of the builder, or for other cuts.
    #[error("it was written by {0}")]
    Foreign(String),
}

impl<'a> BuildCache<'a> {
    /// Reads a cache written for a build with `cuts` by this version, borrowing from `bytes`.
    pub fn parse(bytes: &'a [u8], cuts: &Cuts) -> Result<BuildCache<'a>, CacheError> {
        let unreadable = |e: postcard::Error| CacheError::Unreadable(e.to_string());
        let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| CacheError::Unreadable("no cache header".into()))?;
        // The schema alone first: the rest of another schema's header may not decode.
        let (schema, rest) = postcard::take_from_bytes::<u32>(rest).map_err(unreadable)?;
        let (header, rest) = postcard::take_from_bytes::<Header>(rest).map_err(unreadable)?;
        if (schema, header.generator.as_str(), header.cuts.as_str()) != (SCHEMA, &*generator(), &*format!("{cuts:?}")) {
            return Err(CacheError::Foreign(format!(
                "{} (cache version {schema}) for other cuts or another builder",
                header.generator
            )));
        }
        let at = rest.len().checked_sub(CHECKSUM_BYTES).ok_or_else(|| CacheError::Unreadable("no checksum".into()))?;
        let (body, checksum) = rest.split_at(at);
        if xxh3_128(body).to_le_bytes()[..] != *checksum {
            return Err(CacheError::Unreadable("its checksum does not match: it is damaged".into()));
        }
        postcard::from_bytes(body).map_err(unreadable)
    }

    /// The bytes to keep, for a build with `cuts`.
    pub fn to_bytes(&self, cuts: &Cuts) -> Vec<u8> {
        let header = Header { generator: generator(), cuts: format!("{cuts:?}") };
        // About 150 bytes a file: one allocation, not a dozen doublings.
        let mut bytes = Vec::with_capacity(1024 + 160 * self.files.len());
        bytes.extend(MAGIC);
        let bytes = postcard::to_extend(&SCHEMA, bytes).expect("a number serialises");
        let bytes = postcard::to_extend(&header, bytes).expect("a header serialises");
        let start = bytes.len();
        let mut bytes = postcard::to_extend(self, bytes).expect("a build cache serialises");
        let checksum = xxh3_128(&bytes[start..]);
        bytes.extend(checksum.to_le_bytes());
        bytes
    }

    /// What the cache knows of each of `paths` (sorted as paths sort, as the cache's files
    /// are), given each one's size and time now (`stats`, none when unknown).
    pub fn priors(&self, paths: &[String], stats: &[Option<(u64, u128)>]) -> Vec<Prior<'_>> {
        // Both lists are in path order, so one pass pairs them (no map of 250,000 paths).
        let mut cached = self.files.iter().peekable();
        paths
            .iter()
            .zip(stats)
            .map(|(path, stat)| {
                // Files gone since sort before the next path that is still here.
                while cached.next_if(|f| Path::new(f.path).cmp(Path::new(path)) == Ordering::Less).is_some() {}
                match cached.next_if(|f| f.path == path) {
                    Some(f) if *stat == Some((f.len, f.modified_ns)) => Prior::Unchanged(&f.parse, f.content_hash),
                    Some(f) => Prior::Maybe(&f.parse, f.content_hash),
                    None => Prior::Unknown,
                }
            })
            .collect()
    }
}

fn generator() -> String {
    concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION")).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> BuildCache<'static> {
        let parse =
            FileParse { result: Err(Skip::NoTitle), warnings: vec![Warning::DateFromFallback("file name".into())] };
        let post = KnownPost { id_hash: 1, ts: -2, url_hash: Some(3), content_hash: 4, key: u128::MAX };
        let posted = FileParse { result: Ok(post), warnings: vec![] };
        BuildCache {
            archive_hash: 7,
            files: vec![
                CachedFile { path: "a/b.md", len: 3, modified_ns: 9, content_hash: 5, parse },
                CachedFile { path: "a/c.md", len: 4, modified_ns: 10, content_hash: 6, parse: posted },
            ],
            known: Known::default(),
        }
    }

    #[test]
    fn a_cache_reads_back_and_refuses_other_cuts_versions_and_junk() {
        let cuts = Cuts::default();
        let cache = cache();
        let bytes = cache.to_bytes(&cuts);
        assert_eq!(BuildCache::parse(&bytes, &cuts).unwrap(), cache);

        let other = Cuts { part_rank: 3, ..cuts };
        assert!(matches!(BuildCache::parse(&bytes, &other), Err(CacheError::Foreign(_))));
        let mut old = bytes.clone();
        old[MAGIC.len()] = 1; // the schema, a varint: the first version's cache
        assert!(matches!(BuildCache::parse(&old, &cuts), Err(CacheError::Foreign(e)) if e.contains("version 1")));
        let mut cut = bytes.clone();
        cut.truncate(cut.len() - 3);
        for junk in [&b""[..], b"{", b"[]", b"\x00\xff", &cut] {
            assert!(matches!(BuildCache::parse(junk, &cuts), Err(CacheError::Unreadable(_))), "{junk:?}");
        }
    }

    #[test]
    fn a_damaged_cache_is_not_trusted_even_when_it_decodes() {
        let cuts = Cuts::default();
        let bytes = cache().to_bytes(&cuts);
        // Every single-byte change past the header: a size, a time, a hash, a path, the checksum.
        let body = bytes.len() - CHECKSUM_BYTES - postcard::to_stdvec(&cache()).unwrap().len();
        for at in body..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x04;
            assert!(BuildCache::parse(&damaged, &cuts).is_err(), "byte {at} changed, and the cache was trusted");
        }
    }

    #[test]
    fn priors_pair_paths_with_what_the_cache_knows_of_them() {
        let cache = cache();
        let paths: Vec<String> = ["a/a.md", "a/c.md", "a/d.md"].map(String::from).to_vec();
        let priors = cache.priors(&paths, &[Some((1, 1)), Some((4, 10)), None]);
        assert!(matches!(priors[0], Prior::Unknown), "a new file");
        assert!(matches!(priors[1], Prior::Unchanged(p, 6) if p.result.is_ok()), "same size and time");
        assert!(matches!(priors[2], Prior::Unknown), "a/b.md is gone, and a/d.md was never seen");
        let touched = cache.priors(&paths[1..2], &[Some((4, 11))]);
        assert!(matches!(touched[0], Prior::Maybe(_, 6)), "another time: read, and compared by hash");
    }
}
