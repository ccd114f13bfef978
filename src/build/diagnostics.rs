//! What the builder says about files it could not archive as they were.

use serde::Serialize;
use thiserror::Error;

/// Why a file is not in the archive.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Skip {
    #[error("not a post: files ending in .{0} are not read (posts end in .md, .markdown, .html, .htm or .txt)")]
    NotAPost(String),
    #[error("no front matter: a post starts with a line `---`")]
    NoFrontMatter,
    #[error("front matter is not valid YAML: {message}")]
    Yaml { line: Option<usize>, message: String },
    #[error("no title in the front matter")]
    NoTitle,
    #[error("no date: the front matter has none, there is no <!--epoch-ms--> comment, and the file name does not start with YYYY-MM-DD")]
    NoDate,
    #[error("the file could not be read: {0}")]
    Unreadable(String),
}

/// Something the builder had to guess or repair; the post is still archived.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Warning {
    #[error("the file is not valid UTF-8 (first bad byte at offset {offset}); bad bytes were replaced with U+FFFD")]
    InvalidUtf8 { offset: usize },
    #[error("the front matter has no closing `---`; it was taken to end at the first blank line")]
    UnclosedFrontMatter,
    #[error("date {0:?} could not be read; the {1} was used instead")]
    UnreadableDate(String, &'static str),
    #[error("no date in the front matter; the {0} was used instead")]
    DateFromFallback(&'static str),
    #[error("original URL {0:?} is not an http(s) URL and was dropped")]
    UnsafeUrl(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file is not in the archive.
    Skipped,
    /// The file duplicated another post and was folded into it.
    Merged,
    /// The file is in the archive, but something was repaired or guessed.
    Warning,
}

/// One line of `diagnostics.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub severity: Severity,
    pub reason: String,
}

impl Diagnostic {
    pub fn skipped(file: &str, skip: &Skip) -> Self {
        let line = match skip {
            Skip::Yaml { line, .. } => *line,
            Skip::NoFrontMatter => Some(1),
            _ => None,
        };
        Diagnostic { file: file.to_string(), line, severity: Severity::Skipped, reason: skip.to_string() }
    }

    pub fn warning(file: &str, warning: &Warning) -> Self {
        Diagnostic { file: file.to_string(), line: None, severity: Severity::Warning, reason: warning.to_string() }
    }

    pub fn merged(file: &str, kept: &str, why: &str) -> Self {
        Diagnostic {
            file: file.to_string(),
            line: None,
            severity: Severity::Merged,
            reason: format!("{why} as {kept}; merged into it"),
        }
    }
}
