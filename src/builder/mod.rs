//! Turning post files into an archive. Pure: the caller reads the files and writes the
//! results, so the whole pipeline is testable without a file system.
//!
//! Per file (in parallel): decode → split front matter → read fields → render the body
//! → strip site chrome → sanitize → extract text. Then, in input order: merge duplicates,
//! sort, count facets.

pub mod body;
pub mod chrome;
pub mod dates;
pub mod diagnostics;
pub mod frontmatter;
pub mod generate;
pub mod index;
mod lang;
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
    assemble(files.iter().map(|f| f.path.as_str()), parsed, generated_at)
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
    assemble(paths.iter().map(String::as_str), parsed, generated_at)
}

type Parsed = (Result<Post, Skip>, Vec<Warning>);

/// In input order: merge duplicates, sort, count facets.
fn assemble<'a>(paths: impl ExactSizeIterator<Item = &'a str>, parsed: Vec<Parsed>, generated_at: &str) -> BuildOutput {
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
    let (articles, bodies): (Vec<ArticleMeta>, Vec<String>) = posts.into_iter().map(|p| (p.meta, p.body)).unzip();
    let facets = facets(&articles);
    BuildOutput {
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
    }
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
