//! The archive format: one definition, written by the builder and read by the app.
//!
//! `archive.json` is either the whole archive ([`Layout::Single`], for small archives:
//! list metadata in `articles`, bodies in `bodies`, same order) or a [`Manifest`]
//! ([`Layout::Sharded`]) naming content-hashed shard files that the app fetches when a
//! view or a query needs them. Both start with `format_version` and `layout`.
//!
//! Any change to what is written here (or to the search index encoding,
//! [`crate::search::postings`]) bumps [`FORMAT_VERSION`].

mod sharded;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use sharded::{parse_details, parse_list, ArticleDetails, Entry, Manifest, Shard, ShardStarts};

/// The version this code writes and the only one it reads.
pub const FORMAT_VERSION: u32 = 2;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    #[default]
    Single,
    Sharded,
}

/// What an `archive.json` turned out to be.
#[derive(Clone, Debug, PartialEq)]
pub enum ArchiveFile {
    Single(Archive),
    Sharded(Manifest),
}

/// A whole archive in one value: what the builder produces, and the single layout on disk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Archive {
    pub format_version: u32,
    pub layout: Layout,
    /// When the builder ran, RFC 3339 in UTC.
    pub generated_at: String,
    /// Name and version of the program that wrote the archive.
    pub generator: String,
    pub counts: BuildCounts,
    pub facets: Facets,
    /// Newest first; ties broken by id, so the order is stable across builds.
    pub articles: Vec<ArticleMeta>,
    /// Cleaned article HTML; `bodies[i]` belongs to `articles[i]`.
    pub bodies: Vec<String>,
}

/// What happened to the input files; `read == archived + skipped + merged`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildCounts {
    pub read: u32,
    pub archived: u32,
    pub skipped: u32,
    pub merged: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    pub sources: Vec<FacetCount>,
    pub categories: Vec<FacetCount>,
    pub tags: Vec<FacetCount>,
    /// Posts per calendar day, in each post's own UTC offset, oldest first.
    pub days: Vec<FacetCount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub name: String,
    pub count: u32,
}

/// Everything the list view needs about one post; the body lives apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleMeta {
    /// Stable across builds: derived from the original URL, else the file's path.
    pub id: String,
    pub title: String,
    /// RFC 3339 with the offset the post was published in.
    pub date: String,
    /// The same instant as `date`, in Unix seconds, so readers sort without parsing.
    pub ts: i64,
    pub source: String,
    /// The original article (http/https only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
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
}

/// Why bytes could not be read as an archive, worded for the person who has to fix it.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum FormatError {
    #[error("the archive ends early, at line {line} column {column}: it was probably cut off while being copied or downloaded")]
    Truncated { line: usize, column: usize },
    #[error("the archive is not valid JSON (line {line}, column {column}: {message})")]
    NotJson { line: usize, column: usize, message: String },
    #[error("the archive has format version {found}, but this reader understands version {supported} only")]
    UnknownVersion { found: u64, supported: u32 },
    #[error("the archive does not have the expected shape: {0}")]
    Invalid(String),
}

/// The first two fields of every `archive.json`, read before anything else so that an
/// archive from another version says so instead of failing on some renamed field.
#[derive(Deserialize)]
struct Header {
    format_version: u64,
    #[serde(default)]
    layout: Option<Layout>,
}

impl ArchiveFile {
    pub fn from_json(bytes: &[u8]) -> Result<ArchiveFile, FormatError> {
        let header: Header = serde_json::from_slice(bytes).map_err(|e| explain(bytes, e))?;
        if header.format_version != u64::from(FORMAT_VERSION) {
            return Err(FormatError::UnknownVersion { found: header.format_version, supported: FORMAT_VERSION });
        }
        match header.layout {
            Some(Layout::Single) | None => Archive::from_json(bytes).map(ArchiveFile::Single),
            Some(Layout::Sharded) => {
                let manifest: Manifest = serde_json::from_slice(bytes).map_err(|e| explain(bytes, e))?;
                manifest.check()?;
                Ok(ArchiveFile::Sharded(manifest))
            }
        }
    }
}

impl Archive {
    /// Parses and checks a single-layout archive.
    pub fn from_json(bytes: &[u8]) -> Result<Archive, FormatError> {
        match serde_json::from_slice::<Archive>(bytes) {
            Ok(archive) if archive.format_version != FORMAT_VERSION => {
                Err(FormatError::UnknownVersion { found: archive.format_version.into(), supported: FORMAT_VERSION })
            }
            Ok(archive) if archive.layout != Layout::Single => {
                Err(FormatError::Invalid("this is a sharded archive's manifest, not a whole archive".into()))
            }
            Ok(archive) if archive.bodies.len() != archive.articles.len() => Err(FormatError::Invalid(format!(
                "{} articles but {} bodies",
                archive.articles.len(),
                archive.bodies.len()
            ))),
            Ok(archive) => Ok(archive),
            Err(error) => Err(explain(bytes, error)),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an archive always serialises")
    }
}

/// Turns a serde_json error into what the reader is told.
pub(crate) fn explain(bytes: &[u8], error: serde_json::Error) -> FormatError {
    use serde_json::error::Category;
    let (line, column) = (error.line(), error.column());
    match error.classify() {
        Category::Eof => FormatError::Truncated { line, column },
        Category::Syntax | Category::Io => {
            // serde_json appends the position, which the message shows already.
            let message = error.to_string();
            let message = message.strip_suffix(&format!(" at line {line} column {column}")).unwrap_or(&message);
            FormatError::NotJson { line, column, message: message.to_string() }
        }
        Category::Data => match serde_json::from_slice::<Header>(bytes) {
            Ok(v) if v.format_version != u64::from(FORMAT_VERSION) => {
                FormatError::UnknownVersion { found: v.format_version, supported: FORMAT_VERSION }
            }
            _ => FormatError::Invalid(error.to_string()),
        },
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
        assert_eq!(Archive::from_json(archive.to_json().as_bytes()), Ok(archive));
    }

    #[test]
    fn reports_truncation() {
        let json = sample().to_json();
        let cut = &json.as_bytes()[..json.len() / 2];
        assert!(matches!(Archive::from_json(cut), Err(FormatError::Truncated { .. })));
    }

    #[test]
    fn reports_text_that_is_not_json() {
        let error = Archive::from_json(b"<!doctype html><title>404</title>").unwrap_err();
        assert!(matches!(error, FormatError::NotJson { line: 1, column: 1, .. }), "{error:?}");
    }

    #[test]
    fn reports_unknown_versions_even_when_the_shape_changed() {
        let error = Archive::from_json(br#"{"format_version": 7, "something": "else"}"#).unwrap_err();
        assert_eq!(error, FormatError::UnknownVersion { found: 7, supported: FORMAT_VERSION });
        let mut newer = sample();
        newer.format_version = FORMAT_VERSION + 1;
        let error = Archive::from_json(newer.to_json().as_bytes()).unwrap_err();
        assert!(matches!(error, FormatError::UnknownVersion { .. }));
    }

    #[test]
    fn rejects_bodies_that_do_not_match_articles() {
        let mut archive = sample();
        archive.bodies.clear();
        assert!(matches!(Archive::from_json(archive.to_json().as_bytes()), Err(FormatError::Invalid(_))));
    }

    #[test]
    fn day_is_the_local_calendar_date() {
        assert_eq!(sample().articles[0].day(), "2026-01-02");
    }
}
