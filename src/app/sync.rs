//! Keeping the archive on this device and up to date: saving it whole for offline (with
//! progress, resuming after an interruption), noticing newer builds of the archive and
//! of the reader, applying an archive update in place, and forgetting the files no build
//! names any more.

use std::collections::HashSet;
use std::rc::Rc;

use yew::UseReducerDispatcher;

use super::net::{self, LoadError, Opened};
use super::offline::{self, StoreError};
use super::state::{Action, LibraryRef, Offline, SaveState, Shared, State, Update};
use crate::archive::{read, ArchiveFile, Manifest, ARCHIVE_FILE};
use crate::search::Scan;

/// Up to this many characters of text, a saved copy is searched by reading every text
/// (a few tens of megabytes held while offline, tens of milliseconds a query); beyond,
/// the saved copy includes the index.
pub const SCAN_LIMIT_CHARS: u64 = 32_000_000;
/// How often an open reader asks whether a newer build is published.
pub const CHECK_EVERY_MS: u32 = 5 * 60 * 1000;
/// The fingerprint of the archive kept whole on this device.
const SAVED_KEY: &str = "newsreader.saved";
/// The fingerprint of the archive being saved (a save that was interrupted resumes).
const SAVING_KEY: &str = "newsreader.saving";
/// How often save progress is shown.
const PROGRESS_MS: f64 = 250.0;

/// A fingerprint of an `archive.json` (FNV-1a, 64 bits): which build it is.
pub fn fingerprint(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

fn stored(key: &str) -> Option<String> {
    super::browser::remembered(key)
}

/// Remembers where a save stands; without storage, an interrupted save starts over.
fn note(key: &str, value: &str) {
    let _ = super::browser::remember(key, value);
}

fn forget(key: &str) {
    if let Ok(storage) = super::browser::local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// What this device keeps of `library`, as remembered.
pub fn saved_state(library: &LibraryRef) -> SaveState {
    if library.scan.is_some() {
        return SaveState::Unsaved; // a single-layout archive is one file: kept whenever it is open
    }
    match (stored(SAVED_KEY), stored(SAVING_KEY)) {
        (_, Some(saving)) if saving == library.id => SaveState::Saving { done: 0, total: 0 },
        (Some(saved), _) if saved == library.id => SaveState::Saved,
        (Some(_), _) => SaveState::Outdated,
        _ => SaveState::Unsaved,
    }
}

/// Whether a save of `library` was interrupted (and so should go on).
pub fn interrupted(library: &LibraryRef) -> bool {
    library.scan.is_none() && stored(SAVING_KEY).as_deref() == Some(library.id.as_str())
}

/// Bytes a saved copy of `manifest` holds, given what searching it offline needs.
fn needed(manifest_parts: u64, segments: u64, index_offline: bool) -> u64 {
    manifest_parts + if index_offline { segments } else { 0 }
}

/// Why a save stopped.
#[derive(Clone, Debug)]
pub enum SaveProblem {
    /// Not enough space: bytes needed, and what the browser allows and uses, if it says.
    Quota { needed: u64, space: Option<(u64, u64)> },
    /// This browser keeps nothing here.
    Cannot(StoreError),
    /// A download failed; what arrived is kept and the save goes on next time.
    Stopped(Rc<LoadError>),
}

impl PartialEq for SaveProblem {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (SaveProblem::Quota { needed: a, space: x }, SaveProblem::Quota { needed: b, space: y }) => {
                a == b && x == y
            }
            (SaveProblem::Cannot(a), SaveProblem::Cannot(b)) => a == b,
            (SaveProblem::Stopped(a), SaveProblem::Stopped(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl SaveProblem {
    /// In the interface's language.
    pub fn describe(&self, t: &super::texts::Texts) -> String {
        match self {
            SaveProblem::Quota { needed, space } => {
                let granted = space.map_or(String::new(), |(used, quota)| {
                    t.fill("save-quota-granted", &[("quota", &t.megabytes(quota)), ("used", &t.megabytes(used))])
                });
                t.fill("save-quota", &[("size", &t.megabytes(*needed)), ("granted", &granted)])
            }
            SaveProblem::Cannot(error) => t.fill("save-cannot", &[("error", &error.describe(t))]),
            SaveProblem::Stopped(error) => {
                t.fill("save-stopped", &[("error", &crate::app::components::describe_error(t, error))])
            }
        }
    }
}

fn stopped(error: SaveError, needed: u64, space: Option<(u64, u64)>) -> SaveProblem {
    match error {
        SaveError::Store(StoreError::Quota) => SaveProblem::Quota { needed, space },
        SaveError::Store(error) => SaveProblem::Cannot(error),
        SaveError::Load(error) => SaveProblem::Stopped(Rc::new(error)),
    }
}

enum SaveError {
    Load(LoadError),
    Store(StoreError),
}

/// Fetches `path` unless this device keeps it, and keeps it; its size.
async fn fetch_kept(path: &str) -> Result<Vec<u8>, SaveError> {
    let (bytes, cached) = net::download(path).await.map_err(SaveError::Load)?;
    if !cached {
        offline::keep(path, &bytes).await.map_err(SaveError::Store)?;
    }
    Ok(bytes)
}

/// Keeps every file of `library` (lists, details, and the index when offline search
/// needs it), showing progress; files already kept are not fetched again, so a save
/// that was interrupted goes on where it stopped.
pub async fn save(library: LibraryRef, dispatch: UseReducerDispatcher<State>) {
    let part_bytes: u64 = library.parts().iter().map(|p| p.bytes).sum();
    let segment_bytes: u64 = library.segments().iter().map(|s| s.bytes).sum();
    let total = needed(part_bytes, segment_bytes, library.index_offline());
    let persisted = offline::persist().await;
    let space = offline::estimate().await;
    let report = |saved: SaveState, problem: Option<SaveProblem>| {
        dispatch.dispatch(Action::Offline(Offline { saved, space, persisted, problem }));
    };
    note(SAVING_KEY, &library.id);
    let mut done = 0u64;
    let mut shown = super::browser::now();
    report(SaveState::Saving { done, total }, None);
    let result: Result<(), SaveError> = async {
        for part in library.parts() {
            let list = fetch_kept(&part.file).await?;
            let list = read::part_list(part, &list).map_err(|e| SaveError::Load(e.into()))?;
            for shard in list.details() {
                if !offline::has(&shard.file).await {
                    fetch_kept(&shard.file).await?;
                }
            }
            done += part.bytes;
            if super::browser::now() - shown > PROGRESS_MS {
                report(SaveState::Saving { done, total }, None);
                shown = super::browser::now();
            }
        }
        if library.index_offline() {
            for segment in library.segments() {
                let each = segment.bytes / u64::from(segment.buckets.max(1));
                for bucket in 0..segment.buckets {
                    let file = segment.bucket_file(bucket);
                    if !offline::has(&file).await {
                        fetch_kept(&file).await?;
                    }
                    done += each;
                    if super::browser::now() - shown > PROGRESS_MS {
                        report(SaveState::Saving { done, total }, None);
                        shown = super::browser::now();
                    }
                }
            }
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            note(SAVED_KEY, &library.id);
            forget(SAVING_KEY);
            report(SaveState::Saved, None);
            forget_unnamed(&library).await;
        }
        Err(error) => {
            if matches!(error, SaveError::Store(_)) {
                forget(SAVING_KEY); // it would fail again: the reader decides
            }
            let space = offline::estimate().await.or(space);
            let saved = if matches!(error, SaveError::Load(_)) {
                SaveState::Saving { done, total }
            } else {
                SaveState::Unsaved
            };
            report(saved, Some(stopped(error, total, space)));
        }
    }
}

/// Forgets every kept file that `library` (kept whole) does not name.
async fn forget_unnamed(library: &LibraryRef) {
    let mut named: HashSet<String> = HashSet::new();
    named.insert(ARCHIVE_FILE.to_string());
    for part in library.parts() {
        named.insert(part.file.clone());
        let Ok((bytes, _)) = net::download(&part.file).await else { return };
        let Ok(list) = read::part_list(part, &bytes) else { return };
        named.extend(list.details().iter().map(|d| d.file.clone()));
    }
    let dirs: Vec<String> = library.segments().iter().map(|s| format!("{}/", s.dir)).collect();
    let unnamed: Vec<String> = offline::kept()
        .await
        .into_iter()
        .filter(|path| !named.contains(path) && !dirs.iter().any(|d| path.starts_with(d.as_str())))
        .collect();
    offline::forget(&unnamed).await;
}

/// Asks the server whether a newer build of the archive, or of the reader, is published.
pub async fn check(library: LibraryRef, dispatch: UseReducerDispatcher<State>) {
    if let Some(wasm) = net::published_app().await {
        if current_app().is_some_and(|current| current != wasm) {
            dispatch.dispatch(Action::AppUpdateFound);
        }
    }
    let Ok(bytes) = net::check_archive().await else { return };
    if fingerprint(&bytes) == library.id {
        return;
    }
    let Ok(file) = ArchiveFile::parse(ARCHIVE_FILE, &bytes) else { return };
    let archived = library.catalog().counts.archived;
    let (new_posts, download) = match &file {
        ArchiveFile::Single(archive) => (i64::from(archive.counts.archived) - i64::from(archived), bytes.len() as u64),
        ArchiveFile::Sharded(manifest) => {
            let saved = saved_state(&library) == SaveState::Saved;
            (i64::from(manifest.counts.archived) - i64::from(archived), new_bytes(&library, manifest, saved))
        }
    };
    dispatch.dispatch(Action::UpdateFound(Shared(Rc::new(Update { bytes, new_posts, download }))));
}

/// The wasm file this page runs (boot.js's script tag names it).
fn current_app() -> Option<String> {
    gloo::utils::document().query_selector("script[data-wasm]").ok().flatten()?.get_attribute("data-wasm")
}

/// Bytes of the files `manifest` names that `library` does not: its new parts, and for a
/// saved copy that searches offline with the index, its new segments.
fn new_bytes(library: &LibraryRef, manifest: &Manifest, saved: bool) -> u64 {
    let old_parts: HashSet<&str> = library.parts().iter().map(|p| p.file.as_str()).collect();
    let old_segments: HashSet<&str> = library.segments().iter().map(|s| s.dir.as_str()).collect();
    let parts: u64 = manifest.parts.iter().filter(|p| !old_parts.contains(p.file.as_str())).map(|p| p.bytes).sum();
    let index = saved && manifest.text_chars > SCAN_LIMIT_CHARS;
    let segments: u64 =
        manifest.segments.iter().filter(|s| index && !old_segments.contains(s.dir.as_str())).map(|s| s.bytes).sum();
    parts + segments
}

/// Applies `update` in place: fetches what it needs first (for a saved copy, every new
/// file, so that it stays whole), then switches to it in one step, then forgets the
/// files only the old build named.
pub async fn apply(
    library: LibraryRef,
    update: Shared<Update>,
    dispatch: UseReducerDispatcher<State>,
) -> Result<(), LoadError> {
    let bytes = update.bytes.clone();
    let opened = net::open(&bytes)?;
    let id = fingerprint(&bytes);
    let saved = saved_state(&library) == SaveState::Saved;
    if let Opened::Sharded { manifest, .. } = &opened {
        let old_parts: HashSet<&str> = library.parts().iter().map(|p| p.file.as_str()).collect();
        let mut fetched = 0u64;
        for part in manifest.parts.iter().filter(|p| !old_parts.contains(p.file.as_str())) {
            let list = net::archive_file(&part.file).await?;
            let list = read::part_list(part, &list)?;
            if saved {
                for shard in list.details() {
                    net::archive_file(&shard.file).await?;
                }
            }
            fetched += part.bytes;
            dispatch.dispatch(Action::UpdateProgress(Some(fetched)));
        }
        if saved && manifest.text_chars > SCAN_LIMIT_CHARS {
            let old: HashSet<&str> = library.segments().iter().map(|s| s.dir.as_str()).collect();
            for segment in manifest.segments.iter().filter(|s| !old.contains(s.dir.as_str())) {
                for bucket in 0..segment.buckets {
                    net::archive_file(&segment.bucket_file(bucket)).await?;
                }
            }
        }
    }
    // The copy offline reading relies on becomes this build's, and the saved one too.
    offline::keep_quietly(ARCHIVE_FILE, &bytes).await;
    if saved {
        note(SAVED_KEY, &id);
    }
    let forget = match &opened {
        Opened::Sharded { manifest, .. } => only_old(&library, manifest).await,
        Opened::Single { .. } => Vec::new(),
    };
    dispatch.dispatch(Action::Opened(opened, id));
    offline::forget(&forget).await;
    Ok(())
}

/// The kept files of `library`'s parts and segments that `manifest` no longer names.
async fn only_old(library: &LibraryRef, manifest: &Manifest) -> Vec<String> {
    let new_parts: HashSet<&str> = manifest.parts.iter().map(|p| p.file.as_str()).collect();
    let new_dirs: HashSet<&str> = manifest.segments.iter().map(|s| s.dir.as_str()).collect();
    let mut still_named: HashSet<String> = HashSet::new();
    for part in manifest.parts.iter().filter(|p| is_new_part(library, &p.file)) {
        if let Ok((bytes, _)) = net::download(&part.file).await {
            if let Ok(list) = read::part_list(part, &bytes) {
                still_named.extend(list.details().iter().map(|d| d.file.clone()));
            }
        }
    }
    let kept: HashSet<String> = offline::kept().await.into_iter().collect();
    let mut old = Vec::new();
    for part in library.parts().iter().filter(|p| !new_parts.contains(p.file.as_str()) && kept.contains(&p.file)) {
        old.push(part.file.clone());
        if let Ok((bytes, _)) = net::download(&part.file).await {
            if let Ok(list) = read::part_list(part, &bytes) {
                old.extend(list.details().iter().filter(|d| !still_named.contains(&d.file)).map(|d| d.file.clone()));
            }
        }
    }
    for segment in library.segments().iter().filter(|s| !new_dirs.contains(s.dir.as_str())) {
        let dir = format!("{}/", segment.dir);
        old.extend(kept.iter().filter(|k| k.starts_with(&dir)).cloned());
    }
    old.retain(|f| kept.contains(f));
    old
}

/// Whether a part of the update is one the open build does not have (only those can
/// share details files with parts that went away).
fn is_new_part(library: &LibraryRef, file: &str) -> bool {
    !library.parts().iter().any(|p| p.file == file)
}

/// A saved copy's search by reading every text: all parts' posts and their details,
/// read from what this device keeps.
pub async fn offline_scan(library: LibraryRef, dispatch: UseReducerDispatcher<State>) {
    let generation = library.generation;
    // The parts arrive from this device in the background: wait for the last.
    while !library.catalog().is_complete() {
        gloo::timers::future::TimeoutFuture::new(100).await;
    }
    let mut texts = Vec::with_capacity(library.catalog().entries.len());
    for part in library.parts() {
        let Ok(list) = net::fetch_part(part).await else { return };
        for shard in list.details() {
            let Ok(details) = net::fetch_details(shard).await else { return };
            texts.extend(details.iter().map(|d| crate::text::html_to_text(&d.body)));
        }
    }
    let scan = {
        let catalog = library.catalog();
        Scan::new(catalog.entries.iter().map(|e| &*e.title).zip(texts.iter().map(String::as_str)))
    };
    dispatch.dispatch(Action::OfflineScan(generation, Shared(Rc::new(scan))));
}

/// Checks for newer builds while it lives: now, when the tab is shown again or gets the
/// focus, and every [`CHECK_EVERY_MS`].
pub struct Watching {
    _every: gloo::timers::callback::Interval,
    _focus: gloo::events::EventListener,
    _shown: gloo::events::EventListener,
}

/// Starts checking `library` for newer builds (at once too, if `now`).
pub fn watch(library: LibraryRef, dispatch: UseReducerDispatcher<State>, now: bool) -> Watching {
    let check_now = {
        let (library, dispatch) = (library.clone(), dispatch.clone());
        move || wasm_bindgen_futures::spawn_local(check(library.clone(), dispatch.clone()))
    };
    if now {
        check_now();
    }
    let shown = {
        let check_now = check_now.clone();
        gloo::events::EventListener::new(&gloo::utils::document(), "visibilitychange", move |_| {
            if !gloo::utils::document().hidden() {
                check_now();
            }
        })
    };
    let focus = {
        let check_now = check_now.clone();
        gloo::events::EventListener::new(&gloo::utils::window(), "focus", move |_| check_now())
    };
    Watching { _every: gloo::timers::callback::Interval::new(CHECK_EVERY_MS, check_now), _focus: focus, _shown: shown }
}
