//! What the builder says about files it could not archive as they were.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a file is not in the archive. (Serialisable: the build cache keeps it.)
#[derive(Debug, Error, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Skip {
    /// An extension the builder does not read (the extension).
    #[error("not a post: files ending in .{0} are not read (posts end in .md, .markdown, .html, .htm or .txt)")]
    NotAPost(String),
    /// The file does not start with `---`.
    #[error("no front matter: a post starts with a line `---`")]
    NoFrontMatter,
    /// The YAML between the fences does not parse (file line, when known; the parser's message).
    #[error("front matter is not valid YAML: {message}")]
    Yaml {
        /// The file's line, when the parser knows it.
        line: Option<usize>,
        /// What the parser said.
        message: String,
    },
    /// No `title`.
    #[error("no title in the front matter")]
    NoTitle,
    /// No date anywhere.
    #[error("no date: the front matter has none, there is no <!--epoch-ms--> comment, and the file name does not start with YYYY-MM-DD")]
    NoDate,
    /// Reading the file failed (why).
    #[error("the file could not be read: {0}")]
    Unreadable(String),
}

/// Something the builder had to guess or repair; the post is still archived.
#[derive(Debug, Error, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Warning {
    /// Bytes that are not UTF-8 (the offset of the first).
    #[error("the file is not valid UTF-8 (first bad byte at offset {offset}); bad bytes were replaced with U+FFFD")]
    InvalidUtf8 {
        /// Where the first bad byte is.
        offset: usize,
    },
    /// No closing `---`.
    #[error("the front matter has no closing `---`; it was taken to end at the first blank line")]
    UnclosedFrontMatter,
    /// A `date` that could not be read (the text, and what was used instead).
    #[error("date {0:?} could not be read; the {1} was used instead")]
    UnreadableDate(String, String),
    /// No `date` (what was used instead).
    #[error("no date in the front matter; the {0} was used instead")]
    DateFromFallback(String),
    /// Site chrome could not be removed (why): the post is archived with it, sanitized.
    #[error("the page's chrome could not be removed ({0}); the post keeps it, sanitized")]
    ChromeKept(String),
    /// A `from` that is not http(s) (the text).
    #[error("original URL {0:?} is not an http(s) URL and was dropped")]
    UnsafeUrl(String),
}

/// How serious a diagnostic is.
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
    /// The file, as the builder was given its path.
    pub file: String,
    /// 1-based, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// What happened to the file.
    pub severity: Severity,
    /// Why, in words.
    pub reason: String,
}

impl Diagnostic {
    /// The file is not in the archive.
    pub fn skipped(file: &str, skip: &Skip) -> Self {
        let line = match skip {
            Skip::Yaml { line, .. } => *line,
            Skip::NoFrontMatter => Some(1),
            _ => None,
        };
        Diagnostic { file: file.to_string(), line, severity: Severity::Skipped, reason: skip.to_string() }
    }

    /// The post is in the archive, repaired or guessed at.
    pub fn warning(file: &str, warning: &Warning) -> Self {
        Diagnostic { file: file.to_string(), line: None, severity: Severity::Warning, reason: warning.to_string() }
    }

    /// The file duplicated `kept` and was folded into it.
    pub fn merged(file: &str, kept: &str, why: &str) -> Self {
        Diagnostic {
            file: file.to_string(),
            line: None,
            severity: Severity::Merged,
            reason: format!("{why} as {kept}; merged into it"),
        }
    }
}
