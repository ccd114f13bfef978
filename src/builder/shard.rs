//! Cutting a built archive into the sharded layout ([`crate::archive::Manifest`]):
//! list shards, details shards and search buckets, each named by the hash of its
//! bytes so that a CDN may cache it forever; only the manifest changes between builds.

use std::collections::HashSet;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::archive::{Archive, ArticleDetails, Entry, Layout, Manifest, Shard};
use crate::builder::index::IndexBuilder;
use crate::catalog::Catalog;
use crate::text::html_to_text;

/// A file to write, relative to `archive.json`.
pub struct OutputFile {
    /// Relative to `archive.json`.
    pub path: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// How large the shards are cut.
#[derive(Clone, Copy, Debug)]
pub struct ShardSizes {
    /// Posts per list shard: the first one is what the list paints from.
    pub list_posts: usize,
    /// Details shards are cut after reaching this many bytes.
    pub details_bytes: usize,
    /// The average search bucket size aimed at.
    pub bucket_bytes: usize,
}

impl Default for ShardSizes {
    fn default() -> Self {
        // A first-query and an article-open each fetch a few of these, so they are
        // kept small; list shards are all fetched at start and can be large.
        ShardSizes { list_posts: 20_000, details_bytes: 16 * 1024, bucket_bytes: crate::search::BUCKET_BYTES }
    }
}

/// The search index of an archive: buckets of postings over every post's title and the
/// text of its cleaned body.
pub fn search_index(titles: &[&str], bodies: &[&str], bucket_bytes: usize) -> Vec<Vec<u8>> {
    let mut builder = IndexBuilder::new();
    for (titles, bodies) in titles.chunks(SLICE).zip(bodies.chunks(SLICE)) {
        index_slice(&mut builder, titles, bodies);
    }
    builder.finish(bucket_bytes)
}

/// Posts indexed (and their details written) at a time: their texts, and their bodies
/// once written, are freed slice by slice rather than held for the whole archive.
const SLICE: usize = 8192;

fn index_slice(builder: &mut IndexBuilder, titles: &[&str], bodies: &[&str]) {
    let texts: Vec<String> = bodies.par_iter().map(|b| html_to_text(b)).collect();
    let posts: Vec<(&str, &str)> = titles.iter().copied().zip(texts.iter().map(String::as_str)).collect();
    builder.add_all(&posts);
}

/// Cuts `archive` into shards, handing each file to `emit` as soon as it is made (so
/// they need not all be held at once), and returns the manifest that names them.
pub fn shard<E>(
    archive: Archive,
    sizes: ShardSizes,
    emit: impl FnMut(OutputFile) -> Result<(), E>,
) -> Result<Manifest, E> {
    let generator = archive.generator.clone();
    let (catalog, all_details) = Catalog::from_archive(archive);
    let mut files = Files { emit, paths: HashSet::new() };

    let list = catalog
        .entries
        .chunks(sizes.list_posts.max(1))
        .map(|chunk: &[Entry]| {
            files.add("list", "json", serde_json::to_vec(chunk).expect("entries serialise"), chunk.len())
        })
        .collect::<Result<_, E>>()?;

    // Slice by slice: index the posts, write their details, let their bodies go.
    let mut index = IndexBuilder::new();
    let mut details = Vec::new();
    let mut run = DetailsRun::default();
    let mut remaining = all_details.into_iter();
    for entries in catalog.entries.chunks(SLICE) {
        let slice: Vec<ArticleDetails> = remaining.by_ref().take(entries.len()).collect();
        let titles: Vec<&str> = entries.iter().map(|e| &*e.title).collect();
        let bodies: Vec<&str> = slice.iter().map(|d| d.body.as_str()).collect();
        index_slice(&mut index, &titles, &bodies);
        let runs: Vec<Vec<ArticleDetails>> =
            slice.into_iter().filter_map(|post| run.push(post, sizes.details_bytes)).collect();
        write_details(&mut files, &mut details, runs)?;
    }
    write_details(&mut files, &mut details, run.finish().into_iter().collect())?;

    let mut search = Vec::new();
    index.finish_each(sizes.bucket_bytes, |bytes| {
        search.push(files.add("search", "bin", bytes, 0)?.file);
        Ok(())
    })?;

    Ok(Manifest {
        format_version: crate::archive::FORMAT_VERSION,
        layout: Layout::Sharded,
        generated_at: catalog.generated_at,
        generator,
        counts: catalog.counts,
        facets: catalog.facets,
        langs: catalog.langs,
        list,
        details,
        search,
    })
}

/// Serializes runs of details on every core and adds them, in order, as shards.
fn write_details<E, F: FnMut(OutputFile) -> Result<(), E>>(
    files: &mut Files<F>,
    details: &mut Vec<Shard>,
    runs: Vec<Vec<ArticleDetails>>,
) -> Result<(), E> {
    let encoded: Vec<(usize, Vec<u8>)> =
        runs.par_iter().map(|run| (run.len(), serde_json::to_vec(run).expect("details serialise"))).collect();
    for (count, bytes) in encoded {
        details.push(files.add("details", "json", bytes, count)?);
    }
    Ok(())
}

/// Consecutive posts' details, cut into a run whenever they reach the target size.
#[derive(Default)]
struct DetailsRun {
    posts: Vec<ArticleDetails>,
    bytes: usize,
}

impl DetailsRun {
    /// Adds a post; returns the run when this post completes one.
    fn push(&mut self, post: ArticleDetails, target: usize) -> Option<Vec<ArticleDetails>> {
        self.bytes += post.body.len() + post.excerpt.len() + post.date.len() + 64;
        self.posts.push(post);
        if self.bytes >= target {
            self.finish()
        } else {
            None
        }
    }

    /// The posts added since the last run, if any.
    fn finish(&mut self) -> Option<Vec<ArticleDetails>> {
        self.bytes = 0;
        (!self.posts.is_empty()).then(|| std::mem::take(&mut self.posts))
    }
}

/// The files of a sharded archive, each emitted once: equal shards (empty search
/// buckets, say) share their name and so are one file.
struct Files<F> {
    emit: F,
    paths: HashSet<String>,
}

impl<E, F: FnMut(OutputFile) -> Result<(), E>> Files<F> {
    /// Names `bytes` by their hash, in `folder`.
    fn add(&mut self, folder: &str, extension: &str, bytes: Vec<u8>, count: usize) -> Result<Shard, E> {
        let path = format!("{folder}/{:016x}.{extension}", xxh3_64(&bytes));
        if self.paths.insert(path.clone()) {
            (self.emit)(OutputFile { path: path.clone(), bytes })?;
        }
        Ok(Shard { file: path, count: count as u32 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::read::read_whole;
    use crate::archive::{ArchiveFile, ARCHIVE_FILE};
    use crate::search::bucket::{decode, posting_in, term_keys};

    fn sharded(archive: Archive, sizes: ShardSizes) -> (Manifest, Vec<OutputFile>) {
        let mut files = Vec::new();
        let manifest = shard(archive, sizes, |file| {
            files.push(file);
            Ok::<_, ()>(())
        })
        .unwrap();
        (manifest, files)
    }

    #[test]
    fn details_runs_cover_every_post_once_in_order() {
        let d =
            |n: usize| ArticleDetails { date: String::new(), url: None, excerpt: String::new(), body: "x".repeat(n) };
        let mut run = DetailsRun::default();
        let mut sizes = Vec::new();
        for post in [10, 500, 10, 10, 900, 5].into_iter().map(d) {
            sizes.extend(run.push(post, 600).map(|r| r.len()));
        }
        sizes.extend(run.finish().map(|r| r.len()));
        assert_eq!(sizes, [2, 3, 1]);
        assert!(DetailsRun::default().finish().is_none());
    }

    #[test]
    fn a_sharded_archive_reads_back_as_the_same_posts() {
        let archive = crate::catalog::tests::archive();
        let sizes = ShardSizes { list_posts: 1, details_bytes: 1, bucket_bytes: 16 };
        let (manifest, files) = sharded(archive.clone(), sizes);
        let json = manifest.to_json();
        let ArchiveFile::Sharded(back) = ArchiveFile::parse(ARCHIVE_FILE, json.as_bytes()).unwrap() else {
            panic!("not sharded")
        };
        assert_eq!(back, manifest);
        assert_eq!((back.list.len(), back.details.len()), (2, 2));

        let whole = read_whole(|path| match path {
            ARCHIVE_FILE => Ok(json.clone().into_bytes()),
            _ => Ok(files.iter().find(|f| f.path == path).expect("named file written").bytes.clone()),
        })
        .unwrap();
        for (i, article) in archive.articles.iter().enumerate() {
            assert_eq!(&whole.catalog.meta(i, &whole.details[i]), article);
        }
        let key = term_keys("title")[0].1;
        let index = whole.index.expect("a sharded archive has an index");
        assert_eq!(decode(key, posting_in(&index, key)).unwrap().len(), 2);
    }

    #[test]
    fn file_names_are_content_hashes() {
        let (_, files) = sharded(crate::catalog::tests::archive(), ShardSizes::default());
        for file in &files {
            let hash = file.path.split('/').nth(1).unwrap().split('.').next().unwrap();
            assert_eq!(hash, format!("{:016x}", xxh3_64(&file.bytes)), "{}", file.path);
        }
        let (_, again) = sharded(crate::catalog::tests::archive(), ShardSizes::default());
        assert_eq!(
            files.iter().map(|f| &f.path).collect::<Vec<_>>(),
            again.iter().map(|f| &f.path).collect::<Vec<_>>()
        );
    }
}
