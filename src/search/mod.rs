//! Text search with exact semantics: a post matches a term if and only if its folded
//! title or folded text contains the folded term ([`fold`]). The index ([`bucket`]) is
//! built with the archive and fetched in buckets; [`search`] answers from it alone, and
//! [`Scan`] by reading every text (small archives, and the definition both must meet).

pub mod bucket;
mod engine;
mod fold;
mod highlight;
mod query;
mod scan;

pub use engine::{needed_keys, rank, search, search_segments, search_segments_where, Hit};
pub(crate) use fold::simplified;
pub use fold::{fold, fold_mapped, nfkc_char};
pub use highlight::{highlights, snippet, Snippet};
pub use query::{Query, Term};
pub use scan::Scan;

/// The average search bucket size the builder aims at: a first query fetches a few.
pub const BUCKET_BYTES: usize = 16 * 1024;
