//! All of the app's state, changed only through [`Action`]s.

use std::cell::{Ref, RefCell};
use std::collections::HashSet;
use std::rc::Rc;

use yew::Reducible;

use super::marks::MarksProblem;
use super::net::{LoadError, Opened};
use super::texts::Texts;
use crate::archive::read::{self, CheckedPart};
use crate::archive::{ArticleDetails, PartRef, SegmentRef, Shard, ShardStarts};
use crate::catalog::Catalog;
use crate::convert::ToTraditional;
use crate::reading::ReadingState;
use crate::route::Route;
use crate::search::bucket::Bucket;
use crate::search::Scan;
use crate::settings::Settings;

/// A loaded archive: where its files are, and its catalog, which fills in as parts
/// arrive. The catalog changes in place (copying 250,000 entries for each part would
/// not do); [`State::parts_loaded`] says when it has.
pub struct Library {
    catalog: RefCell<Catalog>,
    parts: Vec<PartRef>,
    /// Each arrived part's details files, and where in the part each begins.
    part_details: RefCell<Vec<Option<PartDetails>>>,
    segments: Vec<SegmentRef>,
    /// The excerpts of the head's posts, shown before their details arrive.
    head_excerpts: Vec<String>,
    /// How a single-layout archive is searched; a sharded one has index buckets instead.
    pub scan: Option<Scan>,
    /// Which archive this is (a fingerprint of its `archive.json`), and the how-manieth
    /// opened in this page: files fetched for an earlier one are not this one's.
    pub id: String,
    pub generation: u32,
    /// Characters of text in all posts: whether a saved copy can be searched by reading it.
    text_chars: u64,
}

impl Library {
    /// Whether searching a saved copy offline needs the index (else every text is read).
    pub fn index_offline(&self) -> bool {
        self.scan.is_none() && self.text_chars > super::sync::SCAN_LIMIT_CHARS
    }

    /// Every part.
    pub fn parts(&self) -> &[PartRef] {
        &self.parts
    }

    /// The catalog as far as it has arrived.
    pub fn catalog(&self) -> Ref<'_, Catalog> {
        self.catalog.borrow()
    }

    /// The part file of part `n`.
    pub fn part(&self, n: usize) -> Option<&PartRef> {
        self.parts.get(n)
    }

    /// How many parts there are.
    pub fn part_count(&self) -> usize {
        self.parts.len()
    }

    /// The details file holding post `position` and the post's place in it, once the
    /// post's part has arrived.
    pub fn details_of(&self, position: usize) -> Option<(Shard, usize)> {
        let (part, first) = self.catalog().part_of(position)?;
        let details = self.part_details.borrow();
        let (shards, starts) = details.get(part)?.as_ref()?;
        let (n, start) = starts.find(position - first)?;
        Some((shards[n].clone(), position - first - start))
    }

    /// Part `n`'s details files, once the part has arrived.
    pub fn part_details(&self, n: usize) -> Option<Rc<[Shard]>> {
        Some(self.part_details.borrow().get(n)?.as_ref()?.0.clone())
    }

    /// The part holding post `position`, if it has not arrived.
    pub fn missing_part(&self, position: usize) -> Option<usize> {
        let catalog = self.catalog();
        catalog.part_of(position).map(|(part, _)| part).filter(|&part| !catalog.part_loaded(part))
    }

    /// The index segments.
    pub fn segments(&self) -> &[SegmentRef] {
        &self.segments
    }

    /// The head's excerpt of post `position`, if it is in the head.
    pub fn head_excerpt(&self, position: usize) -> Option<&str> {
        self.head_excerpts.get(position).map(String::as_str)
    }

    fn add_part(&self, n: usize, list: &CheckedPart) {
        let mut details = self.part_details.borrow_mut();
        if details.get(n).is_some_and(Option::is_some) {
            return;
        }
        if details.len() <= n {
            details.resize(n + 1, None);
        }
        let shards: Rc<[Shard]> = list.details().into();
        details[n] = Some((shards.clone(), ShardStarts::new(shards.iter().map(|s| s.count))));
        read::add_part(&mut self.catalog.borrow_mut(), n, list);
    }
}

/// A part's details files, and where in the part each begins.
type PartDetails = (Rc<[Shard]>, ShardStarts);

/// Shared state compared by identity: a new value is a new `Rc`, and comparing contents
/// (250,000 posts, every shard fetched) on every render would not do.
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

pub type LibraryRef = Shared<Library>;
pub type FetchedRef = Shared<Fetched>;
/// One fetched details file.
pub type DetailsRef = Shared<Vec<ArticleDetails>>;
/// One fetched search bucket.
pub type BucketRef = Shared<Bucket>;

/// A file a view or a query waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Want {
    /// A part's list file, by part number.
    Part(usize),
    /// A details file.
    Details(Shard),
    /// Bucket `bucket` of segment `segment`.
    Bucket { segment: usize, bucket: u32 },
}

/// Files a view or a query is waiting for, without repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Needs(pub Vec<Want>);

impl Needs {
    /// Adds `want` unless it is there already.
    pub fn add(&mut self, want: Want) {
        if !self.0.contains(&want) {
            self.0.push(want);
        }
    }

    /// Whether nothing is needed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The details files and buckets fetched so far. Every arrival makes a new value, so
/// components that take it re-render exactly when something they may show has come.
/// Sorted vectors, not maps: a map type per value type would weigh more in the wasm
/// than these few pointers do in memory.
#[derive(Clone, Default)]
pub struct Fetched {
    details: Vec<(Rc<str>, DetailsRef)>,
    buckets: Vec<((usize, u32), BucketRef)>,
    /// The first file that could not be fetched, to show; it is not asked for again.
    pub error: Option<Rc<LoadError>>,
    /// Files that could not be fetched, and why: what needs them cannot be shown or answered.
    failed: Vec<(Want, Rc<LoadError>)>,
}

impl Fetched {
    /// A fetched details file.
    pub fn details_file(&self, file: &str) -> Option<&DetailsRef> {
        let at = self.details.binary_search_by(|(f, _)| (**f).cmp(file)).ok()?;
        Some(&self.details[at].1)
    }

    /// Post `position`'s details file and the post's place in it, if they are here.
    pub fn details_ref(&self, library: &Library, position: usize) -> Option<(DetailsRef, usize)> {
        let (shard, at) = library.details_of(position)?;
        Some((self.details_file(&shard.file)?.clone(), at))
    }

    /// A fetched search bucket.
    pub fn bucket(&self, segment: usize, bucket: u32) -> Option<&BucketRef> {
        let at = self.buckets.binary_search_by(|(k, _)| k.cmp(&(segment, bucket))).ok()?;
        Some(&self.buckets[at].1)
    }

    /// What of `wanted` is not here yet (files that failed are still counted missing).
    pub fn missing(&self, library: &Library, wanted: &Needs) -> Needs {
        let mut missing = Needs::default();
        for want in &wanted.0 {
            let here = match want {
                Want::Part(n) => library.catalog().part_loaded(*n),
                Want::Details(shard) => self.details_file(&shard.file).is_some(),
                Want::Bucket { segment, bucket } => self.bucket(*segment, *bucket).is_some(),
            };
            if !here {
                missing.add(want.clone());
            }
        }
        missing
    }

    /// Whether `want` could not be fetched.
    pub fn failed(&self, want: &Want) -> bool {
        self.failed.iter().any(|(w, _)| w == want)
    }

    /// Why the first list or details file that could not be fetched was not.
    pub fn file_failure(&self) -> Option<&LoadError> {
        self.failed.iter().find(|(w, _)| matches!(w, Want::Part(_) | Want::Details(_))).map(|(_, e)| &**e)
    }

    /// Why the first part that could not be fetched was not.
    pub fn part_failure(&self) -> Option<&LoadError> {
        self.failed.iter().find(|(w, _)| matches!(w, Want::Part(_))).map(|(_, e)| &**e)
    }
}

/// Puts `value` under `key` in a sorted vector.
fn put<K: Ord, V>(list: &mut Vec<(K, V)>, key: K, value: V) {
    match list.binary_search_by(|(k, _)| k.cmp(&key)) {
        Ok(at) => list[at].1 = value,
        Err(at) => list.insert(at, (key, value)),
    }
}

#[derive(Clone)]
pub enum Load {
    Fetching { received: u64, total: Option<u64> },
    Failed(Rc<LoadError>),
    Ready(LibraryRef),
}

#[derive(Clone)]
pub struct State {
    pub load: Load,
    pub fetched: FetchedRef,
    /// How many parts have arrived: the catalog changed when this did.
    pub parts_loaded: usize,
    pub offline: Offline,
    /// A saved copy searched by reading every text, once offline.
    pub offline_scan: Option<Shared<Scan>>,
    pub update: Option<Shared<Update>>,
    /// The interface's words, once its language's catalogue is here.
    pub texts: Option<Shared<Texts>>,
    /// Bytes of the update fetched so far, while it is being applied.
    pub applying: Option<u64>,
    pub app_update: bool,
    pub route: Route,
    /// The remembered "always load images" setting.
    pub images_always: bool,
    /// Articles whose images the reader asked for this session.
    pub images_shown: HashSet<String>,
    /// Which posts are read and starred.
    pub marks: Shared<ReadingState>,
    /// Changes when marks change for many posts at once (mark all read, import, clear,
    /// another tab): an unread or starred list is worked out again then, not when one
    /// post is opened, so that the post just read stays where the reader found it.
    pub marks_epoch: u32,
    /// The marks before the last change to many of them, for "Undo".
    pub marks_undo: Option<Shared<ReadingState>>,
    /// Why marks cannot be kept on this device.
    pub marks_problem: Option<MarksProblem>,
    /// What the last action on many marks did, to say (and offer to undo).
    pub notice: Option<Notice>,
    pub settings: Settings,
    /// Why settings cannot be kept on this device.
    pub settings_problem: Option<String>,
    /// The Simplified to Traditional table, once asked for.
    pub script_table: ScriptTable,
    /// The dialog open over the reader.
    pub dialog: Option<Dialog>,
    /// A bundle being imported, or why the last one was not.
    pub importing: Option<Importing>,
    /// Whether the route came from Back, Forward or a reload (the article's scroll
    /// position is then restored) rather than from the reader choosing something.
    pub returned: bool,
}

/// A dialog over the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialog {
    /// The keyboard shortcuts.
    Help,
    /// The settings.
    Settings,
    /// The archives: this page's and those imported into this browser.
    Library,
}

/// An import of a bundle: how far it is, or why it failed (then nothing was kept).
#[derive(Clone, PartialEq)]
pub enum Importing {
    Working(super::imports::Stage),
    Failed(Shared<super::imports::ImportError>),
}

/// The Simplified to Traditional table.
#[derive(Clone, Default)]
pub enum ScriptTable {
    /// Not asked for.
    #[default]
    None,
    Loading,
    Ready(Rc<ToTraditional>),
    Failed(String),
}

/// What an action on many marks did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// This many posts were marked read.
    MarkedRead(usize),
    /// Marks were imported: how many read and starred the file had.
    Imported { read: usize, starred: usize },
    /// Every mark was forgotten.
    Cleared,
    /// An import failed, and why.
    ImportFailed(String),
    /// An export failed, and why.
    ExportFailed(String),
}

/// A change to the read and starred marks.
pub enum Mark {
    Read(String),
    Unread(String),
    /// Starred or not, at this time (Unix seconds).
    Star(String, bool, i64),
    /// Every post of a list (or of its part above one post).
    AllRead(Vec<String>),
    /// Marks from a file, added to these.
    Import(ReadingState),
    /// Forget every mark.
    Clear,
    /// Back to the marks before the last change to many.
    Undo,
    /// Another tab saved these.
    FromOtherTab(ReadingState),
}

/// Whether this archive is kept whole on this device ("Save for offline").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SaveState {
    /// Only what was looked at is kept.
    #[default]
    Unsaved,
    /// Being saved: bytes kept so far of those needed.
    Saving { done: u64, total: u64 },
    /// Every file is kept.
    Saved,
    /// An earlier build is kept whole; this one is not (an update was applied and not
    /// saved yet, or the save is paused).
    Outdated,
}

/// What the offline status shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Offline {
    pub saved: SaveState,
    /// Bytes this site uses and may use, when the browser says.
    pub space: Option<(u64, u64)>,
    /// Whether the browser agreed to keep this site's data under storage pressure.
    pub persisted: bool,
    /// Why the last save stopped.
    pub problem: Option<super::sync::SaveProblem>,
}

/// A newer build of the archive than the one open.
pub struct Update {
    /// Its `archive.json`.
    pub bytes: Vec<u8>,
    /// Posts it has more than the open one (fewer when negative).
    pub new_posts: i64,
    /// Bytes of the files it names that the open one does not: what applying it fetches.
    pub download: u64,
}

pub enum Action {
    Progress {
        received: u64,
        total: Option<u64>,
    },
    /// An archive to show: the first, or a newer build applied in place (`id` is its
    /// fingerprint).
    Opened(Opened, String),
    Failed(LoadError),
    /// Parts' list files arrived (a few at a time, so that the list is not recomputed
    /// for each of hundreds), for the archive of generation `.0`.
    PartsArrived(u32, Vec<(usize, Rc<CheckedPart>)>),
    DetailsArrived(u32, Shard, DetailsRef),
    /// Search buckets arrived (a query's, together), by segment and bucket number.
    BucketsArrived(u32, Vec<(usize, u32, BucketRef)>),
    /// A file could not be fetched.
    FileFailed(u32, Want, LoadError),
    Offline(Offline),
    /// Search a saved copy by reading every text (offline, a small archive).
    OfflineScan(u32, Shared<Scan>),
    UpdateFound(Shared<Update>),
    /// Bytes of the update fetched so far, once the reader asked for it; `None` when it
    /// failed (the banner says so).
    UpdateProgress(Option<u64>),
    /// A newer version of the reader itself is published.
    AppUpdateFound,
    /// A language's catalogue arrived (at start, or another one chosen).
    Texts(Shared<Texts>),
    /// The URL changed: by the reader's choice (`false`) or by Back, Forward or a
    /// reload (`true`).
    Navigated(Route, bool),
    SetImagesAlways(bool),
    Mark(Mark),
    MarksProblem(Option<MarksProblem>),
    Notice(Option<Notice>),
    Settings(Settings),
    SettingsProblem(Option<String>),
    ScriptTable(ScriptTable),
    Dialog(Option<Dialog>),
    Importing(Option<Importing>),
    ShowImages(String),
}

impl State {
    /// Whether `generation` is the open archive's.
    fn current(&self, generation: u32) -> bool {
        matches!(&self.load, Load::Ready(library) if library.generation == generation)
    }

    pub fn new(
        route: Route,
        images_always: bool,
        settings: Settings,
        (marks, marks_problem): (ReadingState, Option<MarksProblem>),
    ) -> Self {
        State {
            load: Load::Fetching { received: 0, total: None },
            fetched: Shared(Rc::default()),
            parts_loaded: 0,
            offline: Offline::default(),
            offline_scan: None,
            update: None,
            texts: None,
            applying: None,
            app_update: false,
            route,
            images_always,
            images_shown: HashSet::new(),
            marks: Shared(Rc::new(marks)),
            marks_epoch: 0,
            marks_undo: None,
            marks_problem,
            notice: None,
            settings,
            settings_problem: None,
            script_table: ScriptTable::None,
            dialog: None,
            importing: None,
            returned: true,
        }
    }
}

impl State {
    fn change_marks(&mut self, mark: Mark) {
        let before = self.marks.clone();
        let mut marks = (*before.0).clone();
        // Changes to many posts say what they did and can be undone.
        let (changed, notice) = match mark {
            Mark::Read(id) => (marks.mark_read(&id), None),
            Mark::Unread(id) => (marks.mark_unread(&id), None),
            Mark::Star(id, starred, at) => (marks.set_starred(&id, starred, at), None),
            Mark::AllRead(ids) => {
                let n = marks.mark_all_read(ids);
                (n > 0, Some(Notice::MarkedRead(n)))
            }
            Mark::Import(imported) => {
                let notice = Notice::Imported { read: imported.read_count(), starred: imported.starred_count() };
                marks.merge(imported);
                (true, Some(notice))
            }
            Mark::Clear => {
                marks.clear();
                (true, Some(Notice::Cleared))
            }
            Mark::Undo => {
                let Some(earlier) = self.marks_undo.take() else { return };
                self.notice = None;
                self.marks = earlier;
                self.marks_epoch += 1;
                return;
            }
            Mark::FromOtherTab(theirs) => {
                self.marks = Shared(Rc::new(theirs));
                self.marks_epoch += 1;
                return;
            }
        };
        if let Some(notice) = notice {
            self.notice = Some(notice);
            self.marks_undo = changed.then_some(before);
            self.marks_epoch += 1;
        }
        if changed {
            self.marks = Shared(Rc::new(marks));
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let fetched = |change: &mut dyn FnMut(&mut Fetched)| {
            let mut fetched = (*self.fetched.0).clone();
            change(&mut fetched);
            Shared(Rc::new(fetched))
        };
        match action {
            Action::Progress { received, total } => next.load = Load::Fetching { received, total },
            Action::Opened(opened, id) => {
                let generation = match &self.load {
                    Load::Ready(library) => library.generation + 1,
                    _ => 0,
                };
                // Details files are named by their contents: those here are still right.
                let kept = Fetched { details: self.fetched.details.clone(), ..Fetched::default() };
                next.fetched = Shared(Rc::new(kept));
                next.offline_scan = None;
                next.update = None;
                next.applying = None;
                let library = match opened {
                    Opened::Single { catalog, details, scan } => {
                        let all = Shard { file: crate::archive::ARCHIVE_FILE.into(), count: details.len() as u32 };
                        let mut single = Fetched::default();
                        put(&mut single.details, all.file.as_str().into(), Shared(Rc::new(details)));
                        next.fetched = Shared(Rc::new(single));
                        let starts = ShardStarts::new([all.count]);
                        Library {
                            catalog: RefCell::new(catalog),
                            parts: Vec::new(),
                            part_details: RefCell::new(vec![Some((Rc::from(vec![all]), starts))]),
                            segments: Vec::new(),
                            head_excerpts: Vec::new(),
                            scan: Some(scan),
                            id,
                            generation,
                            text_chars: 0,
                        }
                    }
                    Opened::Sharded { manifest, catalog } => Library {
                        catalog: RefCell::new(catalog),
                        head_excerpts: manifest.head.into_iter().map(|p| p.excerpt).collect(),
                        parts: manifest.parts,
                        part_details: RefCell::new(Vec::new()),
                        segments: manifest.segments,
                        scan: None,
                        id,
                        generation,
                        text_chars: manifest.text_chars,
                    },
                };
                next.parts_loaded = usize::from(library.scan.is_some());
                next.load = Load::Ready(Shared(Rc::new(library)));
            }
            Action::Failed(error) => next.load = Load::Failed(Rc::new(error)),
            Action::PartsArrived(generation, parts) => {
                let Load::Ready(library) = &self.load else { return self };
                if library.generation != generation {
                    return self;
                }
                for (n, list) in &parts {
                    library.add_part(*n, list);
                }
                next.parts_loaded += parts.len();
            }
            Action::DetailsArrived(generation, shard, details) => {
                if !self.current(generation) {
                    return self;
                }
                next.fetched = fetched(&mut |f| put(&mut f.details, shard.file.as_str().into(), details.clone()))
            }
            Action::BucketsArrived(generation, buckets) => {
                if !self.current(generation) {
                    return self;
                }
                next.fetched = fetched(&mut |f| {
                    for (segment, bucket, contents) in &buckets {
                        put(&mut f.buckets, (*segment, *bucket), contents.clone());
                    }
                })
            }
            Action::FileFailed(generation, want, error) => {
                if !self.current(generation) {
                    return self;
                }
                let error = Rc::new(error);
                next.fetched = fetched(&mut |f| {
                    f.error.get_or_insert_with(|| error.clone());
                    f.failed.push((want.clone(), error.clone()));
                })
            }
            Action::Offline(offline) => next.offline = offline,
            Action::OfflineScan(generation, scan) => {
                if !self.current(generation) {
                    return self;
                }
                next.offline_scan = Some(scan);
            }
            Action::UpdateFound(update) => next.update = Some(update),
            Action::UpdateProgress(bytes) => next.applying = bytes,
            Action::AppUpdateFound => next.app_update = true,
            Action::Texts(texts) => next.texts = Some(texts),
            Action::Navigated(route, _) if route == self.route => return self,
            Action::Navigated(route, returned) => {
                next.route = route;
                next.returned = returned;
            }
            Action::Mark(mark) => next.change_marks(mark),
            Action::MarksProblem(problem) => next.marks_problem = problem,
            Action::Notice(notice) => next.notice = notice,
            Action::Settings(settings) => next.settings = settings,
            Action::SettingsProblem(problem) => next.settings_problem = problem,
            Action::ScriptTable(table) => next.script_table = table,
            Action::Dialog(dialog) => next.dialog = dialog,
            Action::Importing(importing) => next.importing = importing,
            Action::SetImagesAlways(always) => next.images_always = always,
            Action::ShowImages(id) => {
                next.images_shown.insert(id);
            }
        }
        Rc::new(next)
    }
}
