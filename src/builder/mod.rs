//! Turning post files into an archive. Pure: the caller reads the files and writes the
//! results, so the whole pipeline is testable without a file system.
//!
//! Per file (in parallel): decode → split front matter → read fields → render the body
//! → strip site chrome → sanitize → extract text. Then, in input order: merge duplicates,
//! sort, count facets.
//!
//! With the build cache ([`cache`]), a post that did not change is not read: the build
//! knows only where it sorts, what it duplicates and its key ([`cache::KnownPost`]), and
//! reads and cleans it again only when a file that holds it is to be written
//! ([`Build::complete`]). Either way the archive is the one a clean build makes.

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
use xxhash_rust::xxh3::xxh3_128;

use crate::archive::{Archive, ArticleMeta, BuildCounts, FacetCount, Facets, Layout, FORMAT_VERSION};
use cache::KnownPost;
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
    let paths = files.iter().map(|f| f.path.clone()).collect();
    Build::new(paths, None, &|i| Ok::<_, String>(&files[i].bytes[..]), generated_at).take_output()
}

/// What the build cache knows of one input file.
pub enum Prior<'c> {
    /// Its parse, and the hash of its bytes: the file is unchanged (same size and time)
    /// and not read.
    Unchanged(&'c cache::FileParse, u128),
    /// Its parse, of bytes with this hash: the file is read, and cleaned only if it differs.
    Maybe(&'c cache::FileParse, u128),
    /// Nothing: the file is read and cleaned.
    Unknown,
}

/// The hash that [`Prior::Maybe`] compares, of a file's bytes.
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxh3_128(bytes)
}

/// Why a build could not read again a post the build cache knew: it was needed (a file
/// that holds it is rebuilt) and is not what the cache says any more.
#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    /// The file cannot be read now.
    #[error("cannot read {file} again: {why}")]
    Unreadable {
        /// The file.
        file: String,
        /// What the reader said.
        why: String,
    },
    /// The file is not the post it was when the build began.
    #[error("{file} changed while the archive was being built")]
    Changed {
        /// The file.
        file: String,
    },
}

/// What a build knows of one input.
enum Outcome {
    /// Read and cleaned now (boxed: most inputs of a rebuild are [`Outcome::Known`], and
    /// 250,000 inputs the size of a post were 90 MB to move about).
    Post(Box<Post>),
    /// From the build cache: enough to sort it and to know the files it is in, until
    /// [`Build::complete`] reads it again.
    Known(KnownPost),
    /// Not a post.
    Skipped(Skip),
    /// Folded into the post it duplicates.
    Merged,
}

struct Input {
    outcome: Outcome,
    warnings: Vec<Warning>,
    /// Of its bytes, when a cache is kept and they were read (or are known unchanged).
    bytes_hash: Option<u128>,
    /// The post as the cache keeps it, when a cache is kept: its own parse's, before
    /// any duplicate is folded into it.
    own: Option<KnownPost>,
    /// Whether it was cleaned now.
    cleaned: bool,
    /// Whether duplicates were folded into it (its key is then no longer its own).
    absorbed: bool,
}

impl Input {
    fn known(parse: &cache::FileParse, bytes_hash: Option<u128>) -> Input {
        let outcome = match &parse.result {
            Ok(post) => Outcome::Known(*post),
            Err(skip) => Outcome::Skipped(skip.clone()),
        };
        let own = parse.result.as_ref().ok().copied();
        Input { outcome, warnings: parse.warnings.clone(), bytes_hash, own, cleaned: false, absorbed: false }
    }

    fn skipped(skip: Skip) -> Input {
        let outcome = Outcome::Skipped(skip);
        Input { outcome, warnings: Vec::new(), bytes_hash: None, own: None, cleaned: false, absorbed: false }
    }

    /// What the order and the search for duplicates need: time, id, URL and content hashes.
    fn sort_fields(&self) -> Option<(i64, u64, Option<u128>, u64)> {
        match &self.outcome {
            Outcome::Post(p) => Some((p.meta.ts, p.id_hash, p.meta.url.as_deref().map(url_hash), p.content_hash)),
            Outcome::Known(k) => Some((k.ts, k.id_hash, k.url_hash, k.content_hash)),
            Outcome::Skipped(_) | Outcome::Merged => None,
        }
    }
}

fn url_hash(url: &str) -> u128 {
    xxh3_128(url.as_bytes())
}

/// The cache's record of a post cleaned now.
fn known_post(post: &Post) -> KnownPost {
    KnownPost {
        id_hash: post.id_hash,
        ts: post.meta.ts,
        url_hash: post.meta.url.as_deref().map(url_hash),
        content_hash: post.content_hash,
        key: shard::post_key(&post.meta, post.body_hash),
    }
}

const GENERATOR: &str = concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION"));

/// A build: every input read and cleaned, or known from the build cache; duplicates found,
/// posts in archive order. The posts of the files to write are read again
/// ([`Build::complete`]) before the archive is made ([`Build::into_output`], or
/// [`shard::shard_planned`] of the posts it needs).
pub struct Build {
    paths: Vec<String>,
    inputs: Vec<Input>,
    /// The input of each post, in archive order (newest first, ties by id).
    order: Vec<usize>,
    /// (kept, duplicate) inputs, in input order; folded once all of them are read.
    merges: Vec<(usize, usize)>,
    counts: BuildCounts,
    diagnostics: Vec<Diagnostic>,
    generated_at: String,
}

impl Build {
    /// Reads and cleans `paths` (their bytes given by `read(i)` just before each is
    /// parsed, so that they are never all in memory at once; one that cannot be read is
    /// skipped and reported like any other file), on every core; then merges duplicates
    /// and sorts, in input order. With `priors` (a build cache's, `priors[i]` of
    /// `paths[i]`), a cache is kept: only new or changed files are cleaned, and files it
    /// knows unchanged are not read.
    pub fn new<B: AsRef<[u8]>>(
        paths: Vec<String>,
        priors: Option<Vec<Prior<'_>>>,
        read: &(impl Fn(usize) -> Result<B, String> + Sync),
        generated_at: &str,
    ) -> Build {
        let keep = priors.is_some();
        let priors = priors.unwrap_or_else(|| (0..paths.len()).map(|_| Prior::Unknown).collect());
        let inputs: Vec<Input> = priors
            .into_par_iter()
            .enumerate()
            .map(|(i, prior)| {
                let (known, expected) = match prior {
                    Prior::Unchanged(parse, hash) => return Input::known(parse, Some(hash)),
                    Prior::Maybe(parse, hash) => (Some(parse), Some(hash)),
                    Prior::Unknown => (None, None),
                };
                let bytes = match read(i) {
                    Ok(bytes) => bytes,
                    Err(why) => return Input::skipped(Skip::Unreadable(why)),
                };
                let bytes_hash = keep.then(|| content_hash(bytes.as_ref()));
                match known {
                    Some(parse) if bytes_hash == expected => Input::known(parse, bytes_hash),
                    _ => {
                        let (result, warnings) = post::parse(&paths[i], bytes.as_ref());
                        let own = result.as_ref().ok().filter(|_| keep).map(known_post);
                        let outcome = result.map_or_else(Outcome::Skipped, |post| Outcome::Post(Box::new(post)));
                        Input { outcome, warnings, bytes_hash, own, cleaned: true, absorbed: false }
                    }
                }
            })
            .collect();
        let mut build = Build {
            paths,
            inputs,
            order: Vec::new(),
            merges: Vec::new(),
            counts: BuildCounts::default(),
            diagnostics: Vec::new(),
            generated_at: generated_at.to_string(),
        };
        build.assemble();
        build
    }

    /// In input order: merge duplicates, then sort.
    fn assemble(&mut self) {
        let mut diagnostics = Vec::new();
        let mut counts = BuildCounts { read: self.paths.len() as u32, ..Default::default() };
        let mut by_url: HashMap<u128, usize> = HashMap::new();
        let mut by_content: HashMap<u64, usize> = HashMap::new();
        let mut kept: Vec<(i64, u64, usize)> = Vec::with_capacity(self.inputs.len());
        for (i, (path, input)) in self.paths.iter().zip(&self.inputs).enumerate() {
            diagnostics.extend(input.warnings.iter().map(|w| Diagnostic::warning(path, w)));
            let Some((ts, id, url, content)) = input.sort_fields() else {
                if let Outcome::Skipped(skip) = &input.outcome {
                    counts.skipped += 1;
                    diagnostics.push(Diagnostic::skipped(path, skip));
                }
                continue;
            };
            let same_url = url.and_then(|url| by_url.get(&url)).map(|&k| (k, "same original URL"));
            let duplicate = same_url.or_else(|| by_content.get(&content).map(|&k| (k, "same title and text")));
            if let Some((into, why)) = duplicate {
                counts.merged += 1;
                diagnostics.push(Diagnostic::merged(path, &self.paths[into], why));
                self.merges.push((into, i));
                continue;
            }
            if let Some(url) = url {
                by_url.insert(url, i);
            }
            by_content.insert(content, i);
            kept.push((ts, id, i));
        }
        // Newest first, ties by id: ids are the 16 hex digits of `id`, so the numbers sort
        // as the strings do.
        kept.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        counts.archived = kept.len() as u32;
        self.order = kept.into_iter().map(|(_, _, i)| i).collect();
        self.counts = counts;
        self.diagnostics = diagnostics;
    }

    /// How many files were read, how many archived, skipped and merged.
    pub fn counts(&self) -> BuildCounts {
        self.counts
    }

    /// Every skipped or merged file, and every post that needed a repair, in input order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// How many inputs were cleaned (new or changed).
    pub fn cleaned(&self) -> usize {
        self.inputs.iter().filter(|i| i.cleaned).count()
    }

    /// The inputs' paths, as given.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Each post's rank ([`shard::rank`]), in archive order: where the cuts fall.
    pub fn ranks(&self) -> Vec<u32> {
        self.order.par_iter().map(|&i| shard::rank_of_hash(self.inputs[i].sort_fields().map_or(0, |f| f.1))).collect()
    }

    /// Reads again, and cleans, the posts at `positions` (archive order) that came from
    /// the cache, and the duplicates folded into any post and those posts, checking that
    /// each is still the post the cache knew; then folds duplicates in. A build with a
    /// cache calls it before the files that need those posts are made. Returns how many
    /// posts were read again.
    pub fn complete<B: AsRef<[u8]>>(
        &mut self,
        positions: impl IntoIterator<Item = usize>,
        read: &(impl Fn(usize) -> Result<B, String> + Sync),
    ) -> Result<usize, RebuildError> {
        let merged = self.merges.iter().flat_map(|&(kept, duplicate)| [kept, duplicate]);
        let mut wanted: Vec<usize> = merged.chain(positions.into_iter().map(|p| self.order[p])).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let (paths, inputs) = (&self.paths, &self.inputs);
        let read_again: Vec<(usize, Box<Post>)> = wanted
            .into_par_iter()
            .filter_map(|i| match inputs[i].outcome {
                Outcome::Known(known) => Some((i, known)),
                _ => None,
            })
            .map(|(i, known)| {
                let file = || paths[i].clone();
                let bytes = read(i).map_err(|why| RebuildError::Unreadable { file: file(), why })?;
                match post::parse(&paths[i], bytes.as_ref()).0 {
                    Ok(post) if shard::post_key(&post.meta, post.body_hash) == known.key => Ok((i, Box::new(post))),
                    _ => Err(RebuildError::Changed { file: file() }),
                }
            })
            .collect::<Result<_, _>>()?;
        let count = read_again.len();
        for (i, post) in read_again {
            self.inputs[i].outcome = Outcome::Post(post);
        }
        self.fold_duplicates();
        Ok(count)
    }

    /// Folds every duplicate into the post it duplicates (all of them read).
    fn fold_duplicates(&mut self) {
        for (kept, duplicate) in std::mem::take(&mut self.merges) {
            let Outcome::Post(post) = std::mem::replace(&mut self.inputs[duplicate].outcome, Outcome::Merged) else {
                unreachable!("Build::complete reads every duplicate first")
            };
            let Outcome::Post(into) = &mut self.inputs[kept].outcome else {
                unreachable!("Build::complete reads every post a duplicate is folded into first")
            };
            into.absorb(*post);
            self.inputs[kept].absorbed = true;
        }
    }

    /// Each post's key ([`shard::post_key`]), in archive order: of its own parse, or,
    /// for a post that duplicates were folded into, of what it became
    /// (after [`Build::complete`]).
    pub fn post_keys(&self) -> Vec<u128> {
        self.order
            .par_iter()
            .map(|&i| {
                let input = &self.inputs[i];
                match (&input.outcome, input.own) {
                    (_, Some(own)) if !input.absorbed => own.key,
                    (Outcome::Post(post), _) => shard::post_key(&post.meta, post.body_hash),
                    (Outcome::Known(known), _) => known.key,
                    _ => unreachable!("archive order holds posts only"),
                }
            })
            .collect()
    }

    /// What the cache keeps of each input: its path, the hash of its bytes and its parse;
    /// none for a file that was not read (or when no cache is kept).
    pub fn file_parses(&self) -> impl Iterator<Item = Option<(&str, u128, cache::FileParse)>> + '_ {
        self.paths.iter().zip(&self.inputs).map(|(path, input)| {
            let result = match (&input.outcome, input.own) {
                (_, Some(own)) => Ok(own),
                (Outcome::Skipped(skip), None) => Err(skip.clone()),
                _ => return None,
            };
            let parse = cache::FileParse { result, warnings: input.warnings.clone() };
            input.bytes_hash.map(|hash| (path.as_str(), hash, parse))
        })
    }

    /// The whole archive, its posts moved out of the build (what the cache keeps of them
    /// stays): every post must have been read ([`Build::complete`] of every position,
    /// where a cache was used).
    pub fn take_output(&mut self) -> BuildOutput {
        self.fold_duplicates();
        let mut articles = Vec::with_capacity(self.order.len());
        let mut bodies = Vec::with_capacity(self.order.len());
        for &i in &self.order {
            let Outcome::Post(post) = std::mem::replace(&mut self.inputs[i].outcome, Outcome::Merged) else {
                unreachable!("Build::complete reads every post before the archive is made")
            };
            articles.push(post.meta);
            bodies.push(post.body);
        }
        let archive = Archive {
            format_version: FORMAT_VERSION,
            layout: Layout::Single,
            generated_at: self.generated_at.clone(),
            generator: GENERATOR.to_string(),
            counts: self.counts,
            facets: facets(&articles),
            articles,
            bodies,
        };
        BuildOutput { archive, diagnostics: self.diagnostics.clone() }
    }

    fn post(&self, position: usize) -> &Post {
        match &self.inputs[self.order[position]].outcome {
            Outcome::Post(post) => post,
            _ => unreachable!("Build::complete reads the posts of every file to write first"),
        }
    }
}

impl shard::Posts for Build {
    fn post_count(&self) -> usize {
        self.order.len()
    }
    fn meta(&self, position: usize) -> &ArticleMeta {
        &self.post(position).meta
    }
    fn body(&self, position: usize) -> &str {
        &self.post(position).body
    }
    fn counts(&self) -> BuildCounts {
        self.counts
    }
    fn generated_at(&self) -> &str {
        &self.generated_at
    }
    fn generator(&self) -> &str {
        GENERATOR
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
