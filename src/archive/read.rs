//! Reading an archive back: the one place that turns `archive.json` and the shards it
//! names into a [`Catalog`], article details and a search index. The app calls the
//! per-file functions as each file arrives; the CLI and the tests read everything at
//! once with [`read_whole`]. Every error names the file it is about.

use serde::Deserialize;

use super::error::explain;
use super::{ArchiveFile, ArticleDetails, Entry, FormatError, Manifest, Shard, ARCHIVE_FILE};
use crate::catalog::Catalog;
use crate::search::bucket::Bucket;
use crate::search::Scan;
use crate::text::html_to_text;

/// A list shard's entries, checked against the manifest (so that [`catalog`] can trust them).
#[derive(Debug)]
pub struct ListShard(Vec<Entry>);

/// A list shard's entries, checked against the manifest: as many as it promised, and
/// every facet value one the manifest lists.
pub fn list_shard(manifest: &Manifest, shard: &Shard, bytes: &[u8]) -> Result<ListShard, FormatError> {
    let entries: Vec<Entry> = counted(shard, bytes)?;
    let f = &manifest.facets;
    let within = |value: u32, len: usize| (value as usize) < len;
    let bad = entries.iter().find(|e| {
        !(within(e.day, f.days.len())
            && within(e.source, f.sources.len())
            && within(e.lang, manifest.langs.len())
            && e.tags.iter().all(|&t| within(t, f.tags.len()))
            && e.categories.iter().all(|&c| within(c, f.categories.len())))
    });
    match bad {
        Some(bad) => Err(FormatError::invalid(
            &shard.file,
            format!("post {} refers to a facet value archive.json does not list", bad.id),
        )),
        None => Ok(ListShard(entries)),
    }
}

/// The catalog of a sharded archive, from its manifest and its list shards in order.
pub fn catalog(manifest: &Manifest, lists: impl IntoIterator<Item = ListShard>) -> Catalog {
    let entries = lists.into_iter().flat_map(|list| list.0).collect();
    Catalog::from_manifest(manifest, entries)
}

/// A details shard's posts, as many as the manifest promised.
pub fn details_shard(shard: &Shard, bytes: &[u8]) -> Result<Vec<ArticleDetails>, FormatError> {
    counted(shard, bytes)
}

/// A search index bucket, named `file` in errors.
pub fn search_bucket(file: &str, bytes: Vec<u8>) -> Result<Bucket, FormatError> {
    Bucket::parse(bytes).map_err(|error| FormatError::Index { file: file.to_string(), error })
}

/// How a whole archive's posts are searched without an index: their folded titles and
/// the text of their bodies (`details[i]` belongs to `catalog.entries[i]`).
pub fn scan(catalog: &Catalog, details: &[ArticleDetails]) -> Scan {
    let texts: Vec<String> = details.iter().map(|d| html_to_text(&d.body)).collect();
    Scan::new(catalog.entries.iter().map(|e| &*e.title).zip(texts.iter().map(String::as_str)))
}

fn counted<T: for<'de> Deserialize<'de>>(shard: &Shard, bytes: &[u8]) -> Result<Vec<T>, FormatError> {
    let items: Vec<T> = serde_json::from_slice(bytes).map_err(|e| explain(&shard.file, bytes, e))?;
    if items.len() != shard.count as usize {
        let reason = format!("it holds {} posts, but archive.json says {}", items.len(), shard.count);
        return Err(FormatError::invalid(&shard.file, reason));
    }
    Ok(items)
}

/// An archive read whole, whichever its layout.
pub struct Whole {
    /// Every post, as the list holds it.
    pub catalog: Catalog,
    /// `details[i]` belongs to `catalog.entries[i]`.
    pub details: Vec<ArticleDetails>,
    /// A sharded archive's search index; a single-layout archive has none.
    pub index: Option<Vec<Bucket>>,
}

impl Whole {
    /// The brute-force search over every post (the definition the index must meet).
    pub fn scan(&self) -> Scan {
        scan(&self.catalog, &self.details)
    }
}

/// Why [`read_whole`] failed: a file could not be read, or was not what it should be.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The caller's `read` failed.
    #[error("cannot read {file}: {source}")]
    Unreadable {
        /// The file, relative to `archive.json`.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file was read but is not right.
    #[error(transparent)]
    Format(#[from] FormatError),
}

/// Reads `archive.json` and, when it is a manifest, every file it names; `read` gives a
/// file's bytes by its path relative to `archive.json`.
pub fn read_whole(mut read: impl FnMut(&str) -> std::io::Result<Vec<u8>>) -> Result<Whole, ReadError> {
    let mut read = |file: &str| read(file).map_err(|source| ReadError::Unreadable { file: file.to_string(), source });
    match ArchiveFile::parse(ARCHIVE_FILE, &read(ARCHIVE_FILE)?)? {
        ArchiveFile::Single(archive) => {
            let (catalog, details) = Catalog::from_archive(archive);
            Ok(Whole { catalog, details, index: None })
        }
        ArchiveFile::Sharded(manifest) => {
            let mut lists = Vec::with_capacity(manifest.list.len());
            for shard in &manifest.list {
                lists.push(list_shard(&manifest, shard, &read(&shard.file)?)?);
            }
            let mut details = Vec::with_capacity(manifest.counts.archived as usize);
            for shard in &manifest.details {
                details.extend(details_shard(shard, &read(&shard.file)?)?);
            }
            let index = manifest.search.iter().map(|file| Ok(search_bucket(file, read(file)?)?));
            let index = index.collect::<Result<_, ReadError>>()?;
            Ok(Whole { catalog: catalog(&manifest, lists), details, index: Some(index) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::archive;

    fn manifest() -> Manifest {
        let a = archive();
        Manifest {
            format_version: super::super::FORMAT_VERSION,
            layout: super::super::Layout::Sharded,
            generated_at: a.generated_at,
            generator: a.generator,
            counts: a.counts,
            facets: a.facets,
            langs: vec!["en".into()],
            list: vec![Shard { file: "list/x.json".into(), count: 1 }],
            details: vec![Shard { file: "details/y.json".into(), count: 1 }],
            search: vec!["search/z.bin".into()],
        }
    }

    #[test]
    fn a_shard_with_fewer_posts_than_promised_is_refused_by_name() {
        let mut shard = Shard { file: "list/x.json".into(), count: 2 };
        let error = list_shard(&manifest(), &shard, br#"[["a","t",0,0,0,0,[],[]]]"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "list/x.json does not have the expected shape: it holds 1 posts, but archive.json says 2"
        );
        shard.count = 1;
        assert!(list_shard(&manifest(), &shard, br#"[["a","t",0,0,0,0,[],[]]]"#).is_ok());
    }

    #[test]
    fn every_format_error_names_its_file() {
        let m = manifest();
        let shard = Shard { file: "details/y.json".into(), count: 1 };
        let errors = [
            details_shard(&shard, b"<html>").unwrap_err(),
            details_shard(&shard, b"[{\"date\":").unwrap_err(),
            list_shard(&m, &m.list[0], br#"[["a","t",0,0,0,7,[],[]]]"#).unwrap_err(),
            search_bucket("search/z.bin", b"JUNK".to_vec()).unwrap_err(),
        ];
        let files = ["details/y.json", "details/y.json", "list/x.json", "search/z.bin"];
        for (error, file) in errors.iter().zip(files) {
            assert_eq!(error.file(), file);
            assert!(error.to_string().starts_with(file), "{error}");
        }
    }

    #[test]
    fn an_unreadable_file_is_named() {
        let error = read_whole(|file| Err(std::io::Error::other(format!("no {file}")))).err().unwrap();
        assert_eq!(error.to_string(), "cannot read archive.json: no archive.json");
    }
}
