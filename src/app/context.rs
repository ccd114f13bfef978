//! What many components read, provided once by the root instead of passed down through
//! every layer: the loaded archive, the shards fetched so far, and how to ask for more.

use yew::Callback;

use super::script::Display;
use super::state::{Dialog, FetchedRef, LibraryRef, Mark, Needs, Notice, Offline, SaveState, Shared, Update};
use super::texts::Texts;
use crate::i18n::Lang;
use crate::reading::ReadingState;
use crate::search::Scan;
use crate::settings::Settings;

/// The reader's shared data; compared by identity, so a new value (a shard arrived)
/// re-renders exactly the components that read it.
#[derive(Clone, PartialEq)]
pub struct ReaderContext {
    /// The interface's words, in the reader's language.
    pub texts: Shared<Texts>,
    /// The archive, loaded once.
    pub library: LibraryRef,
    /// The details files and buckets fetched so far.
    pub fetched: FetchedRef,
    /// How many of the archive's parts have arrived: the catalog changed when this did.
    pub parts_loaded: usize,
    /// A saved copy searched by reading every text, once offline.
    pub offline_scan: Option<Shared<Scan>>,
    /// What this device keeps of the archive.
    pub saved: SaveState,
    /// Asks the root to fetch files (each is requested once).
    pub onneed: Callback<Needs>,
    /// Asks the root to save, update, or prepare offline search.
    pub onsync: Callback<SyncRequest>,
    /// Which posts are read and starred.
    pub marks: Shared<ReadingState>,
    /// Changes when many marks change at once (see `State::marks_epoch`).
    pub marks_epoch: u32,
    /// Changes marks.
    pub onmark: Callback<Mark>,
    /// How Chinese text is shown.
    pub display: Display,
    pub settings: Settings,
    pub onsettings: Callback<Settings>,
    /// Opens or closes a dialog.
    pub ondialog: Callback<Option<Dialog>>,
    /// Says what an action did (or dismisses it).
    pub onnotice: Callback<Option<Notice>>,
}

/// What a view may ask of the root about keeping the archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncRequest {
    /// Save the whole archive for offline.
    Save,
    /// Apply the newer build found.
    ApplyUpdate,
    /// Load the newer version of the reader.
    ReloadApp,
    /// Search the saved copy by reading every text (offline).
    OfflineScan,
    /// Show the interface in another language.
    Language(Lang),
}

/// What the offline status and the update banner show.
#[derive(Clone, PartialEq)]
pub struct SyncView {
    pub offline: Offline,
    pub update: Option<Shared<Update>>,
    pub applying: Option<u64>,
    pub app_update: bool,
}
