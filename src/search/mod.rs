//! Text search with exact semantics: a post matches a term if and only if its folded
//! title or folded text contains the folded term ([`fold`]). The index ([`postings`])
//! is built with the archive and fetched in buckets; [`search`] answers from it alone.

mod fold;
mod index;
pub mod postings;
mod query;

pub use fold::{fold, fold_mapped};
pub use index::{highlights, needed_keys, rank, search, snippet, Hit, Scan, Snippet};
pub use query::{Query, Term};

/// The average search bucket size the builder aims at: a first query fetches a few.
pub const BUCKET_BYTES: usize = 32 * 1024;
