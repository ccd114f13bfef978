//! Reading an archive back: the one place that turns `archive.json` and the shards it
//! names into a [`Catalog`], article details and a search index. The app calls the
//! per-file functions as each file arrives; the CLI and the tests read everything at
//! once with [`read_whole`]. Every error names the file it is about.

use super::error::explain;
use super::{ArchiveFile, ArticleDetails, FormatError, Manifest, PartList, PartRef, Shard, ARCHIVE_FILE};
use crate::catalog::Catalog;
use crate::search::bucket::{posting_in, Bucket, IndexError, Key};
use crate::search::Scan;
use crate::text::html_to_text;

/// A part's list file, checked against the manifest (so that a catalog can trust it).
#[derive(Debug)]
pub struct CheckedPart(PartList);

impl CheckedPart {
    /// The part's details files.
    pub fn details(&self) -> &[Shard] {
        &self.0.details
    }
}

/// A part's list file, checked: as many posts as the manifest promised, every facet value
/// one of the part's tables, details files covering every post.
pub fn part_list(part: &PartRef, bytes: &[u8]) -> Result<CheckedPart, FormatError> {
    let list: PartList = serde_json::from_slice(bytes).map_err(|e| explain(&part.file, bytes, e))?;
    let invalid = |reason: String| Err(FormatError::invalid(&part.file, reason));
    if list.entries.len() != part.count as usize {
        return invalid(format!("it holds {} posts, but archive.json says {}", list.entries.len(), part.count));
    }
    let within = |value: u32, table: &[String]| (value as usize) < table.len();
    let bad = list.entries.iter().find(|e| {
        !(within(e.source, &list.sources)
            && within(e.lang, &list.langs)
            && e.tags.iter().all(|&t| within(t, &list.tags))
            && e.categories.iter().all(|&c| within(c, &list.categories)))
    });
    if let Some(bad) = bad {
        return invalid(format!("post {} refers to a facet value the file does not list", bad.id));
    }
    let covered: u64 = list.details.iter().map(|d| u64::from(d.count)).sum();
    if covered != list.entries.len() as u64 {
        return invalid(format!("its details files cover {covered} posts, not {}", list.entries.len()));
    }
    Ok(CheckedPart(list))
}

/// The catalog of a sharded archive before its parts arrive: the head's posts, and
/// placeholders.
pub fn catalog(manifest: &Manifest) -> Catalog {
    Catalog::from_manifest(manifest)
}

/// Puts a checked part's posts into the catalog.
pub fn add_part(catalog: &mut Catalog, part: usize, list: &CheckedPart) {
    catalog.add_part(part, &list.0);
}

/// A details file's posts, as many as its part's list file promised.
pub fn details_shard(shard: &Shard, bytes: &[u8]) -> Result<Vec<ArticleDetails>, FormatError> {
    let items: Vec<ArticleDetails> = serde_json::from_slice(bytes).map_err(|e| explain(&shard.file, bytes, e))?;
    if items.len() != shard.count as usize {
        let reason = format!("it holds {} posts, but its list file says {}", items.len(), shard.count);
        return Err(FormatError::invalid(&shard.file, reason));
    }
    Ok(items)
}

/// A search index bucket as it is stored, named `file` in errors: gzip-compressed (hosts
/// do not compress `application/octet-stream`, and postings shrink to about half).
pub fn search_bucket(file: &str, stored: &[u8]) -> Result<Bucket, FormatError> {
    let index_error = |error| FormatError::Index { file: file.to_string(), error };
    // gunzip checks the signature first: not gzip is said as such.
    let bytes = super::gzip::gunzip(stored).map_err(|why| index_error(IndexError::NotCompressed(why)))?;
    Bucket::parse(bytes).map_err(index_error)
}

/// How a whole archive's posts are searched without an index: their folded titles and
/// the text of their bodies (`details[i]` belongs to `catalog.entries[i]`).
pub fn scan(catalog: &Catalog, details: &[ArticleDetails]) -> Scan {
    let texts: Vec<String> = details.iter().map(|d| html_to_text(&d.body)).collect();
    Scan::new(catalog.entries.iter().map(|e| &*e.title).zip(texts.iter().map(String::as_str)))
}

/// One index segment's buckets, read whole.
pub struct SegmentIndex {
    /// Posts in the segment (its documents are numbered from 0 in archive order).
    pub docs: u32,
    /// Its buckets, in order.
    pub buckets: Vec<Bucket>,
    /// Fingerprints of its keys stored alone ([`crate::search::bucket::file_of`]).
    pub alone: Vec<u32>,
}

impl SegmentIndex {
    /// The posting of `key`, empty if no post of the segment has it.
    pub fn posting(&self, key: Key) -> &[u8] {
        posting_in(&self.buckets, &self.alone, key)
    }
}

/// An archive read whole, whichever its layout.
pub struct Whole {
    /// Every post, as the list holds it.
    pub catalog: Catalog,
    /// `details[i]` belongs to `catalog.entries[i]`.
    pub details: Vec<ArticleDetails>,
    /// A sharded archive's search index, segment by segment in archive order; a
    /// single-layout archive has none.
    pub index: Option<Vec<SegmentIndex>>,
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
            let mut catalog = catalog(&manifest);
            let mut details = Vec::with_capacity(manifest.counts.archived as usize);
            for (n, part) in manifest.parts.iter().enumerate() {
                let list = part_list(part, &read(&part.file)?)?;
                for shard in list.details() {
                    details.extend(details_shard(shard, &read(&shard.file)?)?);
                }
                add_part(&mut catalog, n, &list);
            }
            let mut index = Vec::with_capacity(manifest.segments.len());
            for segment in &manifest.segments {
                let buckets = (0..segment.buckets)
                    .map(|b| {
                        let file = segment.bucket_file(b);
                        Ok(search_bucket(&file, &read(&file)?)?)
                    })
                    .collect::<Result<_, ReadError>>()?;
                index.push(SegmentIndex { docs: segment.count, buckets, alone: segment.alone.clone() });
            }
            Ok(Whole { catalog, details, index: Some(index) })
        }
    }
}

/// An archive's `archive.json`, parsed, and every file it names ([`files_named`]).
pub struct Named {
    /// `archive.json` itself.
    pub archive: ArchiveFile,
    /// Every file it names, itself first.
    pub files: Vec<String>,
}

/// Every file `archive.json` names, itself first, directly or through its parts' lists
/// (which are read and checked; details and buckets are only named): what a whole copy
/// of the archive holds, without parsing all of it as [`read_whole`] does. The parsed
/// `archive.json` comes back too, so that a caller need not parse it again.
pub fn files_named(mut read: impl FnMut(&str) -> std::io::Result<Vec<u8>>) -> Result<Named, ReadError> {
    let mut read = |file: &str| read(file).map_err(|source| ReadError::Unreadable { file: file.to_string(), source });
    let mut files = vec![ARCHIVE_FILE.to_string()];
    let archive = ArchiveFile::parse(ARCHIVE_FILE, &read(ARCHIVE_FILE)?)?;
    if let ArchiveFile::Sharded(manifest) = &archive {
        for part in &manifest.parts {
            let list = part_list(part, &read(&part.file)?)?;
            files.push(part.file.clone());
            files.extend(list.details().iter().map(|shard| shard.file.clone()));
        }
        for segment in &manifest.segments {
            files.extend((0..segment.buckets).map(|b| segment.bucket_file(b)));
        }
    }
    Ok(Named { archive, files })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(count: u32) -> PartRef {
        PartRef { file: "list/x.json".into(), count, bytes: 0 }
    }

    const ONE: &[u8] = br#"{"sources":["S"],"categories":[],"tags":[],"langs":["en"],"entries":[["a","t",0,0,0,0,[],[]]],"details":[{"file":"details/y.json","count":1}]}"#;

    #[test]
    fn a_part_with_fewer_posts_than_promised_is_refused_by_name() {
        let error = part_list(&part(2), ONE).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the file list/x.json does not have the expected shape: it holds 1 posts, but archive.json says 2"
        );
        assert!(part_list(&part(1), ONE).is_ok());
    }

    #[test]
    fn every_format_error_names_its_file() {
        let shard = Shard { file: "details/y.json".into(), count: 1 };
        let bad_tag = String::from_utf8_lossy(ONE).replace("[],[]]]", "[7],[]]]");
        let no_details = String::from_utf8_lossy(ONE).replace(r#"{"file":"details/y.json","count":1}"#, "");
        let errors = [
            details_shard(&shard, b"<html>").unwrap_err(),
            details_shard(&shard, b"[{\"date\":").unwrap_err(),
            part_list(&part(1), bad_tag.as_bytes()).unwrap_err(),
            part_list(&part(1), no_details.as_bytes()).unwrap_err(),
            search_bucket("search/z/0.bin", b"JUNK").unwrap_err(),
        ];
        let files = ["details/y.json", "details/y.json", "list/x.json", "list/x.json", "search/z/0.bin"];
        for (error, file) in errors.iter().zip(files) {
            assert_eq!(error.file(), file);
            assert!(error.to_string().starts_with(&format!("the file {file} ")), "{error}");
        }
    }

    #[test]
    fn an_unreadable_file_is_named() {
        let error = read_whole(|file| Err(std::io::Error::other(format!("no {file}")))).err().unwrap();
        assert_eq!(error.to_string(), "cannot read archive.json: no archive.json");
    }
}
