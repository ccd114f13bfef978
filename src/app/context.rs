//! What many components read, provided once by the root instead of passed down through
//! every layer: the loaded archive, the shards fetched so far, and how to ask for more.

use yew::Callback;

use super::state::{FetchedRef, LibraryRef, Needs};

/// The reader's shared data; compared by identity, so a new value (a shard arrived)
/// re-renders exactly the components that read it.
#[derive(Clone, PartialEq)]
pub struct ReaderContext {
    /// The archive, loaded once.
    pub library: LibraryRef,
    /// The details files and buckets fetched so far.
    pub fetched: FetchedRef,
    /// How many of the archive's parts have arrived: the catalog changed when this did.
    pub parts_loaded: usize,
    /// Asks the root to fetch shards (each is requested once).
    pub onneed: Callback<Needs>,
}
