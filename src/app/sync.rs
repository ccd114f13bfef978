//! Keeping the archive on this device and up to date: saving it whole for offline (with
//! progress, resuming after an interruption), noticing newer builds of the archive and
//! of the reader, applying an archive update in place, and forgetting the files no build
//! names any more.

use std::cell::{Cell, RefCell};
use std::collections::{HashSet, VecDeque};
use std::rc::Rc;

use yew::UseReducerDispatcher;

use super::net::{self, LoadError, Opened};
use super::offline::{self, StoreError};
use super::state::{Action, LibraryRef, Offline, SaveState, Shared, State, Update, Want};
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
/// Files fetched side by side when saving or reading a saved copy: as many as a browser
/// opens connections to one host over HTTP/1.1, so the link is never idle waiting for a
/// round trip, and no more, so that what a view asks for meanwhile is not queued behind
/// dozens of them.
const FILES_IN_FLIGHT: usize = 6;

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

/// One file to save: a part's list (which names its details files), or a file that
/// stands alone, with the bytes of progress it is worth once kept.
enum Job {
    Part(usize),
    File { path: String, part: Option<usize>, worth: u64 },
}

/// Keeps every file of `library` (lists, details, and the index when offline search
/// needs it), [`FILES_IN_FLIGHT`] at a time, showing progress; files already kept are
/// not fetched again, so a save that was interrupted goes on where it stopped.
pub async fn save(library: LibraryRef, dispatch: UseReducerDispatcher<State>) {
    let part_bytes: u64 = library.parts().iter().map(|p| p.bytes).sum();
    let segment_bytes: u64 = library.segments().iter().map(|s| s.bytes).sum();
    let total = needed(part_bytes, segment_bytes, library.index_offline());
    let persisted = offline::persist().await;
    let space = offline::estimate().await;
    let report = |saved: SaveState, space: Option<(u64, u64)>, problem: Option<SaveProblem>| {
        dispatch.dispatch(Action::Offline(Offline { saved, space, persisted, problem }));
    };
    // Without it, an interrupted save could not go on, nor a finished one be known.
    if let Err(error) = super::browser::remember(SAVING_KEY, &library.id) {
        let error = SaveError::Store(StoreError::Unavailable(error));
        return report(SaveState::Unsaved, space, Some(stopped(error, total, space)));
    }
    report(SaveState::Saving { done: 0, total }, space, None);

    // Parts first, newest first, then the index; a part's details files go to the front
    // of the queue as soon as its list is here, so each part is whole early.
    let mut jobs: VecDeque<Job> = (0..library.parts().len()).map(Job::Part).collect();
    if library.index_offline() {
        for segment in library.segments() {
            let worth = segment.bytes / u64::from(segment.buckets.max(1));
            for bucket in 0..segment.buckets {
                jobs.push_back(Job::File { path: segment.bucket_file(bucket), part: None, worth });
            }
        }
    }
    let queue = RefCell::new(jobs);
    // What is kept already, read once: asking Cache Storage file by file costs more than
    // the fetch it saves when a save starts afresh (100,000 files at 250,000 posts).
    let kept: HashSet<String> = offline::kept().await.into_iter().collect();
    // Per part, its files not kept yet (its list included): the part counts as done,
    // `part.bytes` of progress, when the last is.
    let left: RefCell<Vec<usize>> = RefCell::new(vec![1; library.parts().len()]);
    let done = Cell::new(0u64);
    let shown = Cell::new(super::browser::now());
    let failure: RefCell<Option<SaveError>> = RefCell::new(None);
    let progress = |worth: u64| {
        done.set(done.get() + worth);
        if super::browser::now() - shown.get() > PROGRESS_MS {
            report(SaveState::Saving { done: done.get(), total }, space, None);
            shown.set(super::browser::now());
        }
    };
    let part_file_kept = |n: usize| {
        let mut left = left.borrow_mut();
        left[n] -= 1;
        if left[n] == 0 {
            progress(library.parts()[n].bytes);
        }
    };
    let worker = || async {
        loop {
            if failure.borrow().is_some() {
                return;
            }
            let Some(job) = queue.borrow_mut().pop_front() else { return };
            let result: Result<(), SaveError> = async {
                match job {
                    Job::Part(n) => {
                        let part = &library.parts()[n];
                        let list = fetch_kept(&part.file).await?;
                        let list = read::part_list(part, &list).map_err(|e| SaveError::Load(e.into()))?;
                        let details = list.details();
                        left.borrow_mut()[n] += details.len();
                        let mut queue = queue.borrow_mut();
                        for shard in details.iter().rev() {
                            queue.push_front(Job::File { path: shard.file.clone(), part: Some(n), worth: 0 });
                        }
                        drop(queue);
                        part_file_kept(n);
                    }
                    Job::File { path, part, worth } => {
                        if !kept.contains(&path) {
                            fetch_kept(&path).await?;
                        }
                        match part {
                            Some(n) => part_file_kept(n),
                            None => progress(worth),
                        }
                    }
                }
                Ok(())
            }
            .await;
            if let Err(error) = result {
                failure.borrow_mut().get_or_insert(error);
                return;
            }
        }
    };
    super::fetcher::join_all((0..FILES_IN_FLIGHT).map(|_| worker())).await;
    // Articles saved must open offline: the sanitizer module comes along (the service
    // worker keeps it once fetched; a few hundred KB, beside the archive's megabytes).
    let sanitizer = super::sanitizer::load().await.map_err(|e| SaveError::Load(e.into()));
    let result = match failure.into_inner() {
        Some(error) => Err(error),
        None => sanitizer,
    };
    // What the browser grants and what this site uses changed with what was kept.
    let space = offline::estimate().await.or(space);
    match result {
        Ok(()) => match super::browser::remember(SAVED_KEY, &library.id) {
            Ok(()) => {
                forget(SAVING_KEY);
                report(SaveState::Saved, space, None);
                forget_unnamed(&library).await;
                // Forgetting freed space: show what is in use now.
                let space = offline::estimate().await.or(space);
                report(SaveState::Saved, space, None);
            }
            Err(error) => {
                let error = SaveError::Store(StoreError::Unavailable(error));
                report(SaveState::Unsaved, space, Some(stopped(error, total, space)));
            }
        },
        Err(error) => {
            if matches!(error, SaveError::Store(_)) {
                forget(SAVING_KEY); // it would fail again: the reader decides
            }
            let saved = if matches!(error, SaveError::Load(_)) {
                SaveState::Saving { done: done.get(), total }
            } else {
                SaveState::Unsaved
            };
            report(saved, space, Some(stopped(error, total, space)));
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
            let list = net::archive_file_kept(&part.file).await?;
            let list = read::part_list(part, &list)?;
            if saved {
                for shard in list.details() {
                    net::archive_file_kept(&shard.file).await?;
                }
            }
            fetched += part.bytes;
            dispatch.dispatch(Action::UpdateProgress(Some(fetched)));
        }
        if saved && manifest.text_chars > SCAN_LIMIT_CHARS {
            let old: HashSet<&str> = library.segments().iter().map(|s| s.dir.as_str()).collect();
            for segment in manifest.segments.iter().filter(|s| !old.contains(s.dir.as_str())) {
                for bucket in 0..segment.buckets {
                    net::archive_file_kept(&segment.bucket_file(bucket)).await?;
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
/// read from what this device keeps, [`FILES_IN_FLIGHT`] files at a time (one after
/// another, each read waits on Cache Storage and the worker: 14 s for the corpus).
/// A file that cannot be read is reported, as a file the search needed.
pub async fn offline_scan(library: LibraryRef, dispatch: UseReducerDispatcher<State>) {
    let generation = library.generation;
    // The parts arrive from this device in the background: wait for the last.
    while !library.catalog().is_complete() {
        gloo::timers::future::TimeoutFuture::new(100).await;
    }
    // Every details file, with the position of its first post: the parts that arrived
    // name them (a part's list is read again only if it did not).
    let mut shards = Vec::new();
    let mut position = 0usize;
    for (n, part) in library.parts().iter().enumerate() {
        let details = match library.part_details(n) {
            Some(details) => details,
            None => match net::fetch_part(part).await {
                Ok(list) => list.details().into(),
                Err(error) => return dispatch.dispatch(Action::FileFailed(generation, Want::Part(n), error)),
            },
        };
        for shard in details.iter() {
            shards.push((position, shard.clone()));
            position += shard.count as usize;
        }
    }
    let texts: RefCell<Vec<String>> = RefCell::new(vec![String::new(); library.catalog().entries.len()]);
    let next = Cell::new(0usize);
    let failed: RefCell<Option<(Want, LoadError)>> = RefCell::new(None);
    let worker = || async {
        while failed.borrow().is_none() {
            let n = next.get();
            next.set(n + 1);
            let Some((first, shard)) = shards.get(n) else { return };
            match net::fetch_details(shard).await {
                Ok(details) => {
                    let mut texts = texts.borrow_mut();
                    for (i, d) in details.iter().enumerate() {
                        if let Some(text) = texts.get_mut(first + i) {
                            *text = crate::text::html_to_text(&d.body);
                        }
                    }
                }
                Err(error) => {
                    failed.borrow_mut().get_or_insert((Want::Details(shard.clone()), error));
                }
            }
        }
    };
    super::fetcher::join_all((0..FILES_IN_FLIGHT).map(|_| worker())).await;
    if let Some((want, error)) = failed.into_inner() {
        return dispatch.dispatch(Action::FileFailed(generation, want, error));
    }
    let texts = texts.into_inner();
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
