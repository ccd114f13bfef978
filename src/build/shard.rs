//! Cutting a built archive into the sharded layout ([`crate::archive::Manifest`]):
//! list shards, details shards and search buckets, each named by the hash of its
//! bytes so that a CDN may cache it forever; only the manifest changes between builds.

use std::collections::HashSet;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::archive::{Archive, ArticleDetails, Entry, Layout, Manifest, Shard};
use crate::catalog::Catalog;
use crate::search::postings::IndexBuilder;
use crate::text::html_to_text;

/// A file to write, relative to `archive.json`.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

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
    // Texts are extracted a slice at a time: all at once they would weigh as much as the bodies.
    const SLICE: usize = 8192;
    let mut builder = IndexBuilder::new();
    for (titles, bodies) in titles.chunks(SLICE).zip(bodies.chunks(SLICE)) {
        let texts: Vec<String> = bodies.par_iter().map(|b| html_to_text(b)).collect();
        let posts: Vec<(&str, &str)> = titles.iter().copied().zip(texts.iter().map(String::as_str)).collect();
        builder.add_all(&posts);
    }
    builder.finish(bucket_bytes)
}

/// Cuts `archive` into shards, handing each file to `emit` as soon as it is made (so
/// they need not all be held at once), and returns the manifest that names them.
pub fn shard<E>(
    archive: Archive,
    sizes: ShardSizes,
    emit: impl FnMut(OutputFile) -> Result<(), E>,
) -> Result<Manifest, E> {
    let generator = archive.generator.clone();
    let (catalog, details) = Catalog::from_archive(archive);
    let mut files = Files { emit, paths: HashSet::new() };

    let titles: Vec<&str> = catalog.entries.iter().map(|e| &*e.title).collect();
    let bodies: Vec<&str> = details.iter().map(|d| d.body.as_str()).collect();
    let search = search_index(&titles, &bodies, sizes.bucket_bytes)
        .into_iter()
        .map(|bytes| Ok(files.add("search", "bin", bytes, 0)?.file))
        .collect::<Result<_, E>>()?;
    let list = catalog
        .entries
        .chunks(sizes.list_posts.max(1))
        .map(|chunk: &[Entry]| {
            files.add("list", "json", serde_json::to_vec(chunk).expect("entries serialise"), chunk.len())
        })
        .collect::<Result<_, E>>()?;
    let details = details_runs(&details, sizes.details_bytes)
        .into_iter()
        .map(|run| files.add("details", "json", serde_json::to_vec(run).expect("details serialise"), run.len()))
        .collect::<Result<_, E>>()?;

    let manifest = Manifest {
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
    };
    Ok(manifest)
}

/// Consecutive posts, cut whenever a run's bodies reach `target` bytes.
fn details_runs(details: &[ArticleDetails], target: usize) -> Vec<&[ArticleDetails]> {
    let mut runs = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, d) in details.iter().enumerate() {
        bytes += d.body.len() + d.excerpt.len() + d.date.len() + 64;
        if bytes >= target {
            runs.push(&details[start..=i]);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < details.len() {
        runs.push(&details[start..]);
    }
    runs
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
    use crate::archive::{parse_details, parse_list, ArchiveFile};
    use crate::search::postings::{bucket_of, decode, term_keys, Bucket};

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
        let details: Vec<ArticleDetails> = [10, 500, 10, 10, 900, 5].into_iter().map(d).collect();
        let runs = details_runs(&details, 600);
        assert_eq!(runs.iter().map(|r| r.len()).collect::<Vec<_>>(), [2, 3, 1]);
        assert!(details_runs(&[], 600).is_empty());
    }

    #[test]
    fn a_sharded_archive_reads_back_as_the_same_posts() {
        let archive = crate::catalog::tests::archive();
        let sizes = ShardSizes { list_posts: 1, details_bytes: 1, bucket_bytes: 16 };
        let (manifest, files) = sharded(archive.clone(), sizes);
        let read = |path: &str| &files.iter().find(|f| f.path == path).unwrap().bytes;

        let json = manifest.to_json();
        let ArchiveFile::Sharded(back) = ArchiveFile::from_json(json.as_bytes()).unwrap() else {
            panic!("not sharded")
        };
        assert_eq!(back, manifest);
        assert_eq!((back.list.len(), back.details.len()), (2, 2));

        let entries: Vec<Entry> = back.list.iter().flat_map(|s| parse_list(read(&s.file), s).unwrap()).collect();
        let details: Vec<ArticleDetails> =
            back.details.iter().flat_map(|s| parse_details(read(&s.file), s).unwrap()).collect();
        let catalog = Catalog::from_manifest(&back, entries).unwrap();
        for (i, article) in archive.articles.iter().enumerate() {
            assert_eq!(&catalog.meta(i, &details[i]), article);
        }

        let key = term_keys("title")[0];
        let bucket =
            Bucket::parse(read(&back.search[bucket_of(key, back.search.len() as u32) as usize]).clone()).unwrap();
        assert_eq!(decode(key, bucket.posting(key)).unwrap().len(), 2);
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
