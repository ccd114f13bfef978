//! Turning post files into an archive. Pure: the caller reads the files and writes the
//! results, so the whole pipeline is testable without a file system.
//!
//! Per file (in parallel): decode → split front matter → read fields → render the body
//! → strip site chrome → sanitize → extract text. Then, in input order: merge duplicates,
//! sort, count facets.

pub mod body;
pub mod cache;
pub mod chrome;
pub mod dates;
pub mod diagnostics;
pub mod frontmatter;
pub mod generate;
pub mod gzip;
pub mod index;
mod lang;
pub mod portable;
mod post;
pub mod shard;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::archive::{Archive, ArticleMeta, BuildCounts, FacetCount, Facets, Layout, FORMAT_VERSION};
pub use diagnostics::{Diagnostic, Severity, Skip, Warning};
use post::Post;

/// One input file: its path as it should appear in diagnostics, and its bytes.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Shown in diagnostics; its file name may carry the date.
    pub path: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// What a build produces.
pub struct BuildOutput {
    /// The whole archive (the CLI shards it when it is large).
    pub archive: Archive,
    /// Every skipped or merged file, and every post that needed a repair, in input order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds an archive. `generated_at` is passed in so builds are reproducible.
pub fn build_archive(files: &[SourceFile], generated_at: &str) -> BuildOutput {
    let parsed: Vec<_> = files.par_iter().map(post::parse).collect();
    assemble(files.iter().map(|f| f.path.as_str()), parsed, generated_at).0
}

/// Like [`build_archive`], with `read(i)` giving the bytes of `paths[i]` just before it
/// is parsed, so that the files are never all in memory at once. A file that cannot be
/// read is skipped and reported like any other.
pub fn build_archive_from(
    paths: &[String],
    read: impl Fn(usize) -> Result<Vec<u8>, String> + Sync,
    generated_at: &str,
) -> BuildOutput {
    let parsed: Vec<_> = (0..paths.len())
        .into_par_iter()
        .map(|i| match read(i) {
            Ok(bytes) => post::parse(&SourceFile { path: paths[i].clone(), bytes }),
            Err(why) => (Err(Skip::Unreadable(why)), Vec::new()),
        })
        .collect();
    assemble(paths.iter().map(String::as_str), parsed, generated_at).0
}

/// What the build cache knows of one input file.
pub enum Prior {
    /// Its parse, and the file is unchanged (same size and time): it is not read.
    Unchanged(cache::FileParse),
    /// Its parse, of bytes with this hash: the file is read, and cleaned only if it differs.
    Maybe(cache::FileParse, u128),
    /// Nothing: the file is read and cleaned.
    Unknown,
}

/// The hash that [`Prior::Maybe`] compares, of a file's bytes.
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// What [`build_archive_incremental`] produces.
pub struct IncrementalOutput {
    /// The archive; the bodies of posts that came from the cache are empty
    /// (`body_read[i]` false) until [`body_of`] reads them again.
    pub output: BuildOutput,
    /// Each input's parse, in input order, for the next build's cache.
    pub parses: Vec<cache::FileParse>,
    /// Of each input that was read ([`content_hash`]), in input order.
    pub content_hashes: Vec<Option<u128>>,
    /// How many inputs were cleaned (new or changed).
    pub cleaned: usize,
    /// Each post's key ([`shard::post_key`]), in archive order.
    pub post_keys: Vec<u128>,
    /// Whether each post's body is in `output` (archive order).
    pub body_read: Vec<bool>,
    /// Each post's file (archive order), to read its body from when it is needed.
    pub files: Vec<String>,
    /// Each post's body hash (archive order), to check a body read again.
    pub body_hashes: Vec<u128>,
}

/// Like [`build_archive_from`], with what the build cache knows of each input
/// (`priors[i]`, of `paths[i]`): only new or changed files are cleaned, and files it
/// knows unchanged are not read. The archive is the one a clean build gives, but for the
/// bodies of posts taken from the cache, which [`body_of`] reads when a file holding them
/// is rebuilt.
pub fn build_archive_incremental(
    paths: &[String],
    priors: Vec<Prior>,
    read: impl Fn(usize) -> Result<Vec<u8>, String> + Sync,
    generated_at: &str,
) -> IncrementalOutput {
    let parsed: Vec<(Parsed, cache::FileParse, Option<u128>, bool)> = priors
        .into_par_iter()
        .enumerate()
        .map(|(i, prior)| {
            let (known, expected) = match prior {
                Prior::Unchanged(summary) => return (summary.to_parsed(&paths[i]), summary, None, false),
                Prior::Maybe(summary, hash) => (Some(summary), Some(hash)),
                Prior::Unknown => (None, None),
            };
            let bytes = match read(i) {
                Ok(bytes) => bytes,
                Err(why) => {
                    let parsed: Parsed = (Err(Skip::Unreadable(why)), Vec::new());
                    let summary = cache::FileParse::of(&parsed);
                    return (parsed, summary, None, false);
                }
            };
            let hash = content_hash(&bytes);
            match known {
                Some(summary) if expected == Some(hash) => (summary.to_parsed(&paths[i]), summary, Some(hash), false),
                _ => {
                    let parsed = post::parse(&SourceFile { path: paths[i].clone(), bytes });
                    let summary = cache::FileParse::of(&parsed);
                    (parsed, summary, Some(hash), true)
                }
            }
        })
        .collect();
    let cleaned = parsed.iter().filter(|p| p.3).count();
    let mut content_hashes = Vec::with_capacity(parsed.len());
    let mut parses = Vec::with_capacity(parsed.len());
    let parsed: Vec<Parsed> = parsed
        .into_iter()
        .map(|(parsed, summary, hash, _)| {
            content_hashes.push(hash);
            parses.push(summary);
            parsed
        })
        .collect();
    let (output, extras) = assemble(paths.iter().map(String::as_str), parsed, generated_at);
    let post_keys = output
        .archive
        .articles
        .par_iter()
        .zip(extras.par_iter())
        .map(|(meta, extra)| shard::post_key(meta, extra.body_hash))
        .collect();
    let body_hashes = extras.iter().map(|e| e.body_hash).collect();
    let (body_read, files) = extras.into_iter().map(|e| (e.body_read, e.file)).unzip();
    IncrementalOutput { output, parses, content_hashes, cleaned, post_keys, body_read, files, body_hashes }
}

/// The body of the post in `file` (its bytes), cleaned as a build cleans it, checked to be
/// the one the cache knew (`body_hash`): a file that changed since is an error.
pub fn body_of(file: &str, bytes: Vec<u8>, body_hash: u128) -> Result<String, String> {
    match post::parse(&SourceFile { path: file.to_string(), bytes }).0 {
        Ok(post) if post.body_hash == body_hash => Ok(post.body),
        Ok(_) => Err(format!("{file} changed while the archive was being built")),
        Err(skip) => Err(format!("{file} changed while the archive was being built: {skip}")),
    }
}

/// What the incremental build keeps of each post beside the archive.
struct PostExtra {
    body_hash: u128,
    body_read: bool,
    file: String,
}

type Parsed = (Result<Post, Skip>, Vec<Warning>);

/// In input order: merge duplicates, sort, count facets.
fn assemble<'a>(
    paths: impl ExactSizeIterator<Item = &'a str>,
    parsed: Vec<Parsed>,
    generated_at: &str,
) -> (BuildOutput, Vec<PostExtra>) {
    let mut diagnostics = Vec::new();
    let mut counts = BuildCounts { read: paths.len() as u32, ..Default::default() };
    let mut posts: Vec<Post> = Vec::with_capacity(parsed.len());
    let mut by_url: HashMap<String, usize> = HashMap::new();
    let mut by_content: HashMap<u64, usize> = HashMap::new();

    for (path, (result, warnings)) in paths.zip(parsed) {
        diagnostics.extend(warnings.iter().map(|w| Diagnostic::warning(path, w)));
        let post = match result {
            Ok(post) => post,
            Err(skip) => {
                counts.skipped += 1;
                diagnostics.push(Diagnostic::skipped(path, &skip));
                continue;
            }
        };
        let same_url = post.meta.url.as_ref().and_then(|url| by_url.get(url)).map(|&i| (i, "same original URL"));
        let duplicate = same_url.or_else(|| by_content.get(&post.content_hash).map(|&i| (i, "same title and text")));
        if let Some((kept, why)) = duplicate {
            counts.merged += 1;
            diagnostics.push(Diagnostic::merged(path, &posts[kept].file, why));
            posts[kept].absorb(post);
            continue;
        }
        if let Some(url) = &post.meta.url {
            by_url.insert(url.clone(), posts.len());
        }
        by_content.insert(post.content_hash, posts.len());
        posts.push(post);
    }

    posts.sort_by(|a, b| b.meta.ts.cmp(&a.meta.ts).then_with(|| a.meta.id.cmp(&b.meta.id)));
    counts.archived = posts.len() as u32;
    let mut extras = Vec::with_capacity(posts.len());
    let (articles, bodies): (Vec<ArticleMeta>, Vec<String>) = posts
        .into_iter()
        .map(|p| {
            extras.push(PostExtra { body_hash: p.body_hash, body_read: p.body_read, file: p.file });
            (p.meta, p.body)
        })
        .unzip();
    let facets = facets(&articles);
    let output = BuildOutput {
        archive: Archive {
            format_version: FORMAT_VERSION,
            layout: Layout::Single,
            generated_at: generated_at.to_string(),
            generator: concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION")).to_string(),
            counts,
            facets,
            articles,
            bodies,
        },
        diagnostics,
    };
    (output, extras)
}

fn facets(articles: &[ArticleMeta]) -> Facets {
    let mut sources: HashMap<&str, u32> = HashMap::new();
    let mut categories: HashMap<&str, u32> = HashMap::new();
    let mut tags: HashMap<&str, u32> = HashMap::new();
    let mut days: BTreeMap<&str, u32> = BTreeMap::new();
    for article in articles {
        *sources.entry(&article.source).or_default() += 1;
        for category in &article.categories {
            *categories.entry(category).or_default() += 1;
        }
        for tag in &article.tags {
            *tags.entry(tag).or_default() += 1;
        }
        *days.entry(article.day()).or_default() += 1;
    }
    Facets {
        sources: by_count(sources),
        categories: by_count(categories),
        tags: by_count(tags),
        days: days.into_iter().map(|(name, count)| FacetCount { name: name.to_string(), count }).collect(),
    }
}

/// Most used first; ties in name order, so the output is deterministic.
fn by_count(counts: HashMap<&str, u32>) -> Vec<FacetCount> {
    let mut list: Vec<FacetCount> =
        counts.into_iter().map(|(name, count)| FacetCount { name: name.to_string(), count }).collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    list
}
