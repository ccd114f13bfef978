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

/// Bucket size for indexes built with the archive; also the in-memory index's, so the
/// same key lands in the same bucket either way.
pub const BUCKET_BYTES: usize = 32 * 1024;

/// The index of posts given as `(title, cleaned body HTML)`, in memory: how a
/// single-layout archive is searched (a sharded one ships its index).
pub fn index_in_memory<'a>(posts: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<postings::Bucket> {
    let mut builder = postings::IndexBuilder::new();
    for (title, body) in posts {
        builder.add(title, &crate::text::html_to_text(body));
    }
    builder.finish(BUCKET_BYTES).into_iter().map(|b| postings::Bucket::parse(b).expect("just encoded")).collect()
}
