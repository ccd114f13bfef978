//! Fetching what views ask for, each file once, and the parts of a sharded archive in
//! the background (newest first, a few at a time, and none started while a view waits
//! for a file, so that what a view waits for is not queued behind them on a slow link).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use yew::UseReducerDispatcher;

use super::net;
use super::state::{Action, LibraryRef, Needs, Shared, State, Want};
use crate::archive::read::CheckedPart;

/// How long arrived parts are held before the list is recomputed with them: often
/// enough to look live, seldom enough not to recompute for each of hundreds of parts.
const PARTS_BATCH_MS: f64 = 250.0;

/// After the last file a view waited for has come, the background waits this much
/// longer before it starts another part: the render that shows it usually asks for more
/// at once (a query's buckets, then the parts and details of its first rows), and that
/// should find the link free rather than behind three parts.
const VIEW_GRACE_MS: f64 = 150.0;
/// How often the paused background looks whether views are done.
const PAUSE_POLL_MS: u32 = 25;

/// The files asked for so far, fetched or not, for the archive of one generation.
#[derive(Default)]
pub struct Fetcher {
    generation: u32,
    wants: Vec<Want>,
}

/// Files views wait for that are on their way, and when the last one came: work in the
/// background (the parts, keeping files for offline) yields the link and the main
/// thread to them.
struct ViewFetches {
    in_flight: Cell<usize>,
    last_done: Cell<f64>,
}

thread_local! {
    static VIEWS: ViewFetches = const { ViewFetches { in_flight: Cell::new(0), last_done: Cell::new(f64::NEG_INFINITY) } };
}

fn views_started(files: usize) {
    VIEWS.with(|v| v.in_flight.set(v.in_flight.get() + files));
}

fn view_done() {
    VIEWS.with(|v| {
        v.in_flight.set(v.in_flight.get().saturating_sub(1));
        v.last_done.set(super::browser::now());
    });
}

/// Whether no view waits for a file, nor has just had one: when background work may go on.
fn views_idle() -> bool {
    VIEWS.with(|v| v.in_flight.get() == 0 && super::browser::now() - v.last_done.get() >= VIEW_GRACE_MS)
}

/// Resolves once no view waits for a file ([`views_idle`]).
pub async fn until_views_idle() {
    while !views_idle() {
        gloo::timers::future::TimeoutFuture::new(PAUSE_POLL_MS).await;
    }
}

impl Fetcher {
    /// Forgets what was asked for an earlier archive.
    pub fn follow(&mut self, library: &LibraryRef) {
        if self.generation != library.generation {
            *self = Fetcher { generation: library.generation, wants: Vec::new() };
        }
    }

    /// Whether `want` is asked for now for the first time (and so should be fetched).
    fn first(&mut self, want: &Want) -> bool {
        let first = !self.wants.contains(want);
        if first {
            self.wants.push(want.clone());
        }
        first
    }
}

/// Fetches every file of `needs` not asked for before, side by side. A query's buckets
/// are handed on a segment at a time, the first segment to be complete at once and the
/// next ones at most every [`EARLY_GAP_MS`], and all that remain once all are settled:
/// the search needs every one, and one state change (and render) per bucket, dozens per
/// query, would cost more than the search itself; but what some segments already answer
/// says which parts the first rows will need, and those can come meanwhile.
pub fn fetch(
    fetcher: &Rc<RefCell<Fetcher>>,
    library: &LibraryRef,
    needs: Needs,
    dispatch: &UseReducerDispatcher<State>,
) {
    let new: Vec<Want> = needs.0.into_iter().filter(|w| fetcher.borrow_mut().first(w)).collect();
    views_started(new.len());
    let generation = library.generation;
    let (buckets, files): (Vec<Want>, Vec<Want>) = new.into_iter().partition(|w| matches!(w, Want::Bucket { .. }));
    let settling = Rc::new(RefCell::new(Settling::new(&buckets, super::browser::now())));
    for want in buckets {
        let (library, dispatch) = (library.clone(), dispatch.clone());
        let settling = settling.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let Want::Bucket { segment, bucket } = want else { return };
            let file = library.segments().get(segment).map(|s| s.bucket_file(bucket));
            let action = match file {
                Some(file) => Some(match net::fetch_bucket(&file).await {
                    Ok(contents) => {
                        Action::BucketsArrived(generation, vec![(segment, bucket, Shared(Rc::new(contents)))])
                    }
                    Err(error) => Action::FileFailed(generation, want, error),
                }),
                None => None,
            };
            view_done();
            let ready = settling.borrow_mut().settled(segment, action, super::browser::now());
            dispatch_settled(ready, &dispatch);
        });
    }
    if files.is_empty() {
        return;
    }
    // The rows' parts and details, and an article's, are asked for once the render that
    // wants them is on screen: a query's answer is drawn before the fetch calls for its
    // rows (a few tenths of a millisecond each, a dozen for a screen), which would
    // otherwise run first, in that render's effects, and hold its paint back. The first
    // part (the topmost row waiting) comes alone, then the others side by side, so that
    // the first row is not sharing a slow link with the rest of the screen.
    let (library, dispatch) = (library.clone(), dispatch.clone());
    wasm_bindgen_futures::spawn_local(async move {
        super::browser::after_next_paint().await;
        let (parts, files): (Vec<Want>, Vec<Want>) = files.into_iter().partition(|w| matches!(w, Want::Part(_)));
        for want in files {
            let (library, dispatch) = (library.clone(), dispatch.clone());
            wasm_bindgen_futures::spawn_local(async move {
                fetch_file(want, &library, generation, &dispatch).await;
            });
        }
        let mut parts = parts.into_iter();
        if let Some(first) = parts.next() {
            fetch_file(first, &library, generation, &dispatch).await;
        }
        join_all(parts.map(|want| fetch_file(want, &library, generation, &dispatch))).await;
    });
}

/// Fetches one list or details file for a view and hands it on (or why it failed).
async fn fetch_file(want: Want, library: &LibraryRef, generation: u32, dispatch: &UseReducerDispatcher<State>) {
    let action = match &want {
        Want::Part(n) => match library.part(*n) {
            Some(part) => match net::fetch_part(part).await {
                Ok(list) => Some(Action::PartsArrived(generation, vec![(*n, Rc::new(list))])),
                Err(error) => Some(Action::FileFailed(generation, want, error)),
            },
            None => None,
        },
        Want::Details(shard) => Some(match net::fetch_details(shard).await {
            Ok(details) => Action::DetailsArrived(generation, shard.clone(), Shared(Rc::new(details))),
            Err(error) => Action::FileFailed(generation, want, error),
        }),
        Want::Bucket { .. } => None, // a query's buckets are fetched together, in `fetch`
    };
    view_done();
    if let Some(action) = action {
        dispatch.dispatch(action);
    }
}

/// After a query's first complete segment is handed on, the next ones wait this long
/// after it (and are handed on together): one render per segment would cost more than
/// it tells, a dozen segments arriving within a second or so on a slow link.
const EARLY_GAP_MS: f64 = 200.0;

/// Segments are handed on early only once the query's buckets have been on their way this
/// long: on a quick link they all arrive sooner, and the early pass (a render and a
/// search of the segments here) would only delay the answer.
const EARLY_AFTER_MS: f64 = 300.0;

/// A query's buckets on their way: what has settled and is not handed on yet.
struct Settling {
    /// Buckets not settled yet, per segment.
    waiting: Vec<(usize, usize)>,
    held: Vec<Action>,
    /// When buckets were last handed on before all had settled.
    handed: Option<f64>,
    /// When they were asked for.
    asked: f64,
}

impl Settling {
    fn new(buckets: &[Want], asked: f64) -> Self {
        let mut waiting: Vec<(usize, usize)> = Vec::new();
        for want in buckets {
            if let Want::Bucket { segment, .. } = *want {
                match waiting.iter_mut().find(|(s, _)| *s == segment) {
                    Some((_, n)) => *n += 1,
                    None => waiting.push((segment, 1)),
                }
            }
        }
        Settling { waiting, held: Vec::new(), handed: None, asked }
    }

    /// One of `segment`'s buckets settled (`action`: how, if its segment exists): what to
    /// hand on now. Everything once all have settled; before, the settled buckets when
    /// one completes a segment, unless they were asked for less than [`EARLY_AFTER_MS`]
    /// ago or some were handed on less than [`EARLY_GAP_MS`] ago. Failures wait for the
    /// end, as the query does.
    fn settled(&mut self, segment: usize, action: Option<Action>, now: f64) -> Vec<Action> {
        self.held.extend(action);
        let Some(at) = self.waiting.iter().position(|(s, _)| *s == segment) else { return Vec::new() };
        self.waiting[at].1 -= 1;
        let complete = self.waiting[at].1 == 0;
        if complete {
            self.waiting.swap_remove(at);
        }
        let all = self.waiting.is_empty();
        let early =
            complete && now - self.asked >= EARLY_AFTER_MS && self.handed.is_none_or(|t| now - t >= EARLY_GAP_MS);
        if !all && !early {
            return Vec::new();
        }
        if all {
            return std::mem::take(&mut self.held);
        }
        self.handed = Some(now);
        let (arrived, failed): (Vec<Action>, Vec<Action>) =
            std::mem::take(&mut self.held).into_iter().partition(|a| matches!(a, Action::BucketsArrived(..)));
        self.held = failed;
        arrived
    }
}

/// Settled buckets as one arrival, and each failure as its own.
fn dispatch_settled(settled: Vec<Action>, dispatch: &UseReducerDispatcher<State>) {
    let mut arrived = Vec::new();
    for action in settled {
        match action {
            Action::BucketsArrived(generation, buckets) => arrived.push((generation, buckets)),
            failed => dispatch.dispatch(failed),
        }
    }
    if let Some(&(generation, _)) = arrived.first() {
        let buckets = arrived.into_iter().flat_map(|(_, b)| b).collect();
        dispatch.dispatch(Action::BucketsArrived(generation, buckets));
    }
}

/// Runs `futures` side by side until every one is done. For a handful of futures (each
/// is polled again on every wake-up): the `futures` crate's version weighs 3.5 KB more of gzipped wasm.
pub async fn join_all<F: Future<Output = ()>>(futures: impl IntoIterator<Item = F>) {
    let mut futures: Vec<Option<Pin<Box<F>>>> = futures.into_iter().map(|f| Some(Box::pin(f))).collect();
    std::future::poll_fn(move |cx| {
        let mut pending = false;
        for slot in &mut futures {
            if let Some(future) = slot {
                if future.as_mut().poll(cx).is_ready() {
                    *slot = None;
                } else {
                    pending = true;
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await
}

/// Parts that arrived and are not handed on yet, and since when they are held.
type Batch = (Vec<(usize, Rc<CheckedPart>)>, f64);

/// Parts fetched side by side in the background: enough to fill a slow link's round
/// trips, few enough to leave the browser's connections to the host free for what a
/// view waits for.
const PARTS_IN_FLIGHT: usize = 3;

/// Fetches every part not asked for yet, newest first, a few at a time; arrivals are
/// handed on a few at a time. None is started while a view waits for a file (a query's
/// buckets, the rows it shows): on a slow link they would share it with the parts.
/// Stops at the first failure (which is reported).
pub fn load_parts(fetcher: Rc<RefCell<Fetcher>>, library: LibraryRef, dispatch: UseReducerDispatcher<State>) {
    fetcher.borrow_mut().follow(&library);
    let batch: Rc<RefCell<Batch>> = Rc::new(RefCell::new((Vec::new(), super::browser::now())));
    let next = Rc::new(Cell::new(0usize));
    for _ in 0..PARTS_IN_FLIGHT {
        let (fetcher, library, dispatch) = (fetcher.clone(), library.clone(), dispatch.clone());
        let (batch, next) = (batch.clone(), next.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let generation = library.generation;
            loop {
                until_views_idle().await;
                let n = next.get();
                next.set(n + 1);
                let Some(part) = library.part(n) else { break };
                if fetcher.borrow().generation != generation {
                    return; // another archive was opened meanwhile
                }
                let want = Want::Part(n);
                if !fetcher.borrow_mut().first(&want) {
                    continue;
                }
                match net::fetch_part(part).await {
                    Ok(list) => batch.borrow_mut().0.push((n, Rc::new(list))),
                    Err(error) => {
                        dispatch.dispatch(Action::FileFailed(generation, want, error));
                        next.set(usize::MAX - PARTS_IN_FLIGHT); // the others stop too
                        break;
                    }
                }
                let due = super::browser::now() - batch.borrow().1 >= PARTS_BATCH_MS;
                if due || next.get() >= library.part_count() {
                    let arrived = std::mem::take(&mut batch.borrow_mut().0);
                    batch.borrow_mut().1 = super::browser::now();
                    if !arrived.is_empty() {
                        dispatch.dispatch(Action::PartsArrived(generation, arrived));
                    }
                }
            }
            let arrived = std::mem::take(&mut batch.borrow_mut().0);
            if !arrived.is_empty() {
                dispatch.dispatch(Action::PartsArrived(generation, arrived));
            }
        });
    }
}
