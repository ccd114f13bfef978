//! Why bytes could not be read as part of an archive, worded for the person who has to
//! fix it, and always naming the file.

use thiserror::Error;

use super::FORMAT_VERSION;
use crate::search::bucket::IndexError;

/// What was wrong with one file of an archive; `file` is its path relative to
/// `archive.json` (or the name it was opened as).
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The bytes stop in the middle of a value.
    #[error(
        "the file {file} ends early, at line {line} column {column}: it was probably cut off while being copied or downloaded"
    )]
    Truncated {
        /// The file.
        file: String,
        /// Where it ends (1-based).
        line: usize,
        /// Where it ends (1-based).
        column: usize,
    },
    /// The bytes are not JSON at all (an HTML error page, say).
    #[error("the file {file} is not valid JSON (line {line}, column {column}: {message})")]
    NotJson {
        /// The file.
        file: String,
        /// Where the first error is (1-based).
        line: usize,
        /// Where the first error is (1-based).
        column: usize,
        /// What serde_json said, without its position.
        message: String,
    },
    /// `format_version` is not the one this code reads.
    #[error("the file {file} has format version {found}, but this reader understands version {supported} only")]
    UnknownVersion {
        /// The file.
        file: String,
        /// The version the file says it has.
        found: u64,
        /// [`FORMAT_VERSION`].
        supported: u32,
    },
    /// Valid JSON (or a valid index file) in the wrong shape, or inconsistent with the manifest.
    #[error("the file {file} does not have the expected shape: {reason}")]
    Invalid {
        /// The file.
        file: String,
        /// What was wrong, as a clause.
        reason: String,
    },
    /// A search index file that cannot be decoded.
    #[error("the file {file} {error}")]
    Index {
        /// The file.
        file: String,
        /// What was wrong with it.
        #[source]
        error: IndexError,
    },
}

impl FormatError {
    /// The file the error is about.
    pub fn file(&self) -> &str {
        match self {
            FormatError::Truncated { file, .. }
            | FormatError::NotJson { file, .. }
            | FormatError::UnknownVersion { file, .. }
            | FormatError::Invalid { file, .. }
            | FormatError::Index { file, .. } => file,
        }
    }

    pub(crate) fn invalid(file: &str, reason: impl Into<String>) -> Self {
        FormatError::Invalid { file: file.to_string(), reason: reason.into() }
    }
}

/// The first field of every `archive.json`, read on its own when the rest fails, so that
/// an archive from another version says so instead of failing on some renamed field.
#[derive(serde::Deserialize)]
pub(crate) struct Version {
    pub(crate) format_version: u64,
}

/// Turns a serde_json error about `file` into what the reader is told.
pub(crate) fn explain(file: &str, bytes: &[u8], error: serde_json::Error) -> FormatError {
    use serde_json::error::Category;
    let (line, column, file) = (error.line(), error.column(), file.to_string());
    match error.classify() {
        Category::Eof => FormatError::Truncated { file, line, column },
        Category::Syntax | Category::Io => {
            // serde_json appends the position, which the message shows already.
            let message = error.to_string();
            let message = message.strip_suffix(&format!(" at line {line} column {column}")).unwrap_or(&message);
            FormatError::NotJson { file, line, column, message: message.to_string() }
        }
        Category::Data => match serde_json::from_slice::<Version>(bytes) {
            Ok(v) if v.format_version != u64::from(FORMAT_VERSION) => {
                FormatError::UnknownVersion { file, found: v.format_version, supported: FORMAT_VERSION }
            }
            _ => FormatError::Invalid { file, reason: error.to_string() },
        },
    }
}
