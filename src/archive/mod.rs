//! The archive format: one definition, written by the builder and read by the app.
//!
//! `archive.json` is either the whole archive ([`Layout::Single`], for small archives:
//! list metadata in `articles`, bodies in `bodies`, same order) or a [`Manifest`]
//! ([`Layout::Sharded`]) naming content-hashed shard files that the app fetches when a
//! view or a query needs them. Both start with `format_version` and `layout`. [`read`]
//! is the one place that reads them back.
//!
//! Any change to what is written here (or to the search index encoding,
//! [`crate::search::bucket`]) bumps [`FORMAT_VERSION`].

pub mod bundle;
mod error;
pub mod gzip;
pub mod read;
mod sharded;

use serde::{Deserialize, Serialize};

use error::explain;
pub use error::FormatError;
pub use sharded::{ArticleDetails, Entry, HeadPost, Manifest, PartList, PartRef, SegmentRef, Shard, ShardStarts};

/// The version this code writes and the only one it reads. 3: sharded archives are cut
/// into parts and index segments that a rebuild leaves alone unless their posts change.
/// 4: search bucket files are stored gzip-compressed ([`read::search_bucket`]). 5: a
/// pair of ASCII characters' positions carry the character after each
/// ([`crate::search::bucket`]). 6: a segment's keys of many buckets' size are stored
/// alone, and listed ([`SegmentRef::alone`]).
pub const FORMAT_VERSION: u32 = 6;

/// The name of the file an archive is opened by, beside its shard folders.
pub const ARCHIVE_FILE: &str = "archive.json";

/// How an archive is laid out on disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// Everything in `archive.json`.
    #[default]
    Single,
    /// `archive.json` is a [`Manifest`] of shard files.
    Sharded,
}

/// What an `archive.json` turned out to be.
#[derive(Clone, Debug, PartialEq)]
pub enum ArchiveFile {
    /// A whole archive.
    Single(Archive),
    /// The manifest of a sharded one.
    Sharded(Manifest),
}

/// A whole archive in one value: what the builder produces, and the single layout on disk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Archive {
    /// [`FORMAT_VERSION`] when written by this code.
    pub format_version: u32,
    /// Always [`Layout::Single`] for a whole archive.
    pub layout: Layout,
    /// When the builder ran, RFC 3339 in UTC.
    pub generated_at: String,
    /// Name and version of the program that wrote the archive.
    pub generator: String,
    /// What happened to the input files.
    pub counts: BuildCounts,
    /// Every facet value with its number of posts, and the per-day histogram.
    pub facets: Facets,
    /// Newest first; ties broken by id, so the order is stable across builds.
    pub articles: Vec<ArticleMeta>,
    /// Cleaned article HTML; `bodies[i]` belongs to `articles[i]`.
    pub bodies: Vec<String>,
}

/// What happened to the input files; `read == archived + skipped + merged`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildCounts {
    /// Files the builder was given.
    pub read: u32,
    /// Posts in the archive.
    pub archived: u32,
    /// Files that are not in the archive (each with a diagnostic).
    pub skipped: u32,
    /// Files folded into a duplicate post (each with a diagnostic).
    pub merged: u32,
}

/// The values posts are filtered by, each with how many posts have it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    /// Most used first.
    pub sources: Vec<FacetCount>,
    /// Most used first.
    pub categories: Vec<FacetCount>,
    /// Most used first.
    pub tags: Vec<FacetCount>,
    /// Posts per calendar day, in each post's own UTC offset, oldest first.
    pub days: Vec<FacetCount>,
}

/// One facet value and the number of posts that have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value (a day is `YYYY-MM-DD`).
    pub name: String,
    /// How many posts have it.
    pub count: u32,
}

/// Everything the list view needs about one post; the body lives apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleMeta {
    /// Stable across builds: derived from the original URL, else the file's path.
    pub id: String,
    /// Plain text.
    pub title: String,
    /// RFC 3339 with the offset the post was published in.
    pub date: String,
    /// The same instant as `date`, in Unix seconds, so readers sort without parsing.
    pub ts: i64,
    /// Who published it: `author`, else the original URL's host, else the first category.
    pub source: String,
    /// The original article (http/https only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Keywords, from the front matter and the page's keyword links.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Categories from the front matter.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Plain text, about 140 characters.
    #[serde(default)]
    pub excerpt: String,
    /// BCP 47 tag of the text (`zh-Hant`, `zh-Hans`, `ja`, `en`), for fonts and screen readers.
    #[serde(default)]
    pub lang: String,
}

impl ArticleMeta {
    /// `YYYY-MM-DD` in the post's own offset: the key of the per-day histogram and of date filters.
    pub fn day(&self) -> &str {
        self.date.get(..10).unwrap_or(&self.date)
    }

    /// [`ArticleMeta::day`] as a day number ([`crate::day`]); a date that is not one
    /// (an archive edited by hand) counts as the day of `ts`, in UTC.
    pub fn day_number(&self) -> i32 {
        crate::day::day_number(self.day()).unwrap_or_else(|| self.ts.div_euclid(86_400) as i32)
    }
}

impl ArchiveFile {
    /// Reads an `archive.json` (named `file` in errors) of either layout.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<ArchiveFile, FormatError> {
        let header: Header = serde_json::from_slice(bytes).map_err(|e| explain(file, bytes, e))?;
        if header.format_version != u64::from(FORMAT_VERSION) {
            return Err(FormatError::UnknownVersion {
                file: file.to_string(),
                found: header.format_version,
                supported: FORMAT_VERSION,
            });
        }
        match header.layout {
            Some(Layout::Single) | None => Archive::parse(file, bytes).map(ArchiveFile::Single),
            Some(Layout::Sharded) => {
                let manifest: Manifest = serde_json::from_slice(bytes).map_err(|e| explain(file, bytes, e))?;
                manifest.check(file)?;
                Ok(ArchiveFile::Sharded(manifest))
            }
        }
    }
}

/// The first two fields of every `archive.json`, read before anything else so that an
/// archive from another version says so instead of failing on some renamed field.
#[derive(Deserialize)]
struct Header {
    format_version: u64,
    #[serde(default)]
    layout: Option<Layout>,
}

impl Archive {
    /// Parses and checks a single-layout archive (named `file` in errors).
    pub fn parse(file: &str, bytes: &[u8]) -> Result<Archive, FormatError> {
        let invalid = |reason: String| Err(FormatError::invalid(file, reason));
        match serde_json::from_slice::<Archive>(bytes) {
            Ok(archive) if archive.format_version != FORMAT_VERSION => Err(FormatError::UnknownVersion {
                file: file.to_string(),
                found: archive.format_version.into(),
                supported: FORMAT_VERSION,
            }),
            Ok(archive) if archive.layout != Layout::Single => {
                invalid("this is a sharded archive's manifest, not a whole archive".into())
            }
            Ok(archive) if archive.bodies.len() != archive.articles.len() => {
                invalid(format!("{} articles but {} bodies", archive.articles.len(), archive.bodies.len()))
            }
            Ok(archive) => Ok(archive),
            Err(error) => Err(explain(file, bytes, error)),
        }
    }

    /// The single-layout `archive.json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an archive always serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Archive {
        Archive {
            format_version: FORMAT_VERSION,
            layout: Layout::Single,
            generated_at: "2026-11-26T00:00:00Z".into(),
            generator: "test".into(),
            counts: BuildCounts { read: 1, archived: 1, skipped: 0, merged: 0 },
            facets: Facets::default(),
            articles: vec![ArticleMeta {
                id: "a1".into(),
                title: "標題".into(),
                date: "2026-01-02T03:04:05+08:00".into(),
                ts: 1767294245,
                source: "CNA".into(),
                url: Some("https://example.com/a".into()),
                tags: vec!["t".into()],
                categories: vec![],
                excerpt: "text".into(),
                lang: "zh-Hant".into(),
            }],
            bodies: vec!["<p>text</p>".into()],
        }
    }

    #[test]
    fn round_trips_through_json() {
        let archive = sample();
        assert_eq!(Archive::parse(ARCHIVE_FILE, archive.to_json().as_bytes()), Ok(archive));
    }

    #[test]
    fn reports_truncation() {
        let json = sample().to_json();
        let cut = &json.as_bytes()[..json.len() / 2];
        assert!(matches!(Archive::parse(ARCHIVE_FILE, cut), Err(FormatError::Truncated { .. })));
    }

    #[test]
    fn reports_text_that_is_not_json() {
        let error = Archive::parse(ARCHIVE_FILE, b"<!doctype html><title>404</title>").unwrap_err();
        assert!(matches!(error, FormatError::NotJson { line: 1, column: 1, .. }), "{error:?}");
    }

    #[test]
    fn reports_unknown_versions_even_when_the_shape_changed() {
        let error = Archive::parse(ARCHIVE_FILE, br#"{"format_version": 7, "something": "else"}"#).unwrap_err();
        assert_eq!(
            error,
            FormatError::UnknownVersion { file: ARCHIVE_FILE.into(), found: 7, supported: FORMAT_VERSION }
        );
        assert!(error.to_string().starts_with("the file archive.json has format version 7"), "{error}");
        let mut newer = sample();
        newer.format_version = FORMAT_VERSION + 1;
        let error = Archive::parse(ARCHIVE_FILE, newer.to_json().as_bytes()).unwrap_err();
        assert!(matches!(error, FormatError::UnknownVersion { .. }));
    }

    #[test]
    fn rejects_index_segments_whose_keys_stored_alone_could_not_be_found() {
        let manifest = |buckets: u32, alone: &str| {
            format!(
                r#"{{"format_version": {FORMAT_VERSION}, "layout": "sharded", "generated_at": "", "generator": "",
                "counts": {{"read": 1, "archived": 1, "skipped": 0, "merged": 0}}, "text_chars": 1, "head": [],
                "parts": [{{"file": "list/a.json", "count": 1, "bytes": 1}}],
                "segments": [{{"dir": "search/a", "count": 1, "buckets": {buckets}, "alone": {alone}, "bytes": 1}}]}}"#
            )
        };
        let read = |buckets, alone| ArchiveFile::parse(ARCHIVE_FILE, manifest(buckets, alone).as_bytes());
        assert!(matches!(read(3, "[1, 2]"), Ok(ArchiveFile::Sharded(m)) if m.segments[0].alone == [1, 2]));
        // No bucket left to hash the other keys into; fingerprints not ascending.
        for (buckets, alone) in [(2, "[1, 2]"), (3, "[2, 1]"), (3, "[1, 1]")] {
            assert!(matches!(read(buckets, alone), Err(FormatError::Invalid { .. })), "{buckets} {alone}");
        }
    }

    #[test]
    fn rejects_bodies_that_do_not_match_articles() {
        let mut archive = sample();
        archive.bodies.clear();
        assert!(matches!(Archive::parse(ARCHIVE_FILE, archive.to_json().as_bytes()), Err(FormatError::Invalid { .. })));
    }

    #[test]
    fn day_is_the_local_calendar_date() {
        assert_eq!(sample().articles[0].day(), "2026-01-02");
    }
}
