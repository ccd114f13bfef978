//! Fetching what views ask for, each file once, and the parts of a sharded archive in
//! the background (newest first, one at a time, so that what a view waits for is not
//! queued behind them on a slow link).

use std::cell::RefCell;
use std::rc::Rc;

use yew::UseReducerDispatcher;

use super::net;
use super::state::{Action, LibraryRef, Needs, Shared, State, Want};
use crate::archive::read::CheckedPart;

/// How long arrived parts are held before the list is recomputed with them: often
/// enough to look live, seldom enough not to recompute for each of hundreds of parts.
const PARTS_BATCH_MS: f64 = 250.0;

/// The files asked for so far, fetched or not, for the archive of one generation.
#[derive(Default)]
pub struct Fetcher {
    generation: u32,
    wants: Vec<Want>,
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

/// Fetches every file of `needs` not asked for before, side by side.
pub fn fetch(
    fetcher: &Rc<RefCell<Fetcher>>,
    library: &LibraryRef,
    needs: Needs,
    dispatch: &UseReducerDispatcher<State>,
) {
    for want in needs.0.into_iter().filter(|w| fetcher.borrow_mut().first(w)) {
        let (library, dispatch) = (library.clone(), dispatch.clone());
        let generation = library.generation;
        wasm_bindgen_futures::spawn_local(async move {
            let action = match &want {
                Want::Part(n) => match library.part(*n) {
                    Some(part) => match net::fetch_part(part).await {
                        Ok(list) => Action::PartsArrived(generation, vec![(*n, Rc::new(list))]),
                        Err(error) => Action::FileFailed(generation, want, error),
                    },
                    None => return,
                },
                Want::Details(shard) => match net::fetch_details(shard).await {
                    Ok(details) => Action::DetailsArrived(generation, shard.clone(), Shared(Rc::new(details))),
                    Err(error) => Action::FileFailed(generation, want, error),
                },
                Want::Bucket { segment, bucket } => {
                    let Some(file) = library.segments().get(*segment).map(|s| s.bucket_file(*bucket)) else { return };
                    match net::fetch_bucket(&file).await {
                        Ok(contents) => Action::BucketArrived(generation, *segment, *bucket, Shared(Rc::new(contents))),
                        Err(error) => Action::FileFailed(generation, want, error),
                    }
                }
            };
            dispatch.dispatch(action);
        });
    }
}

/// Parts that arrived and are not handed on yet, and since when they are held.
type Batch = (Vec<(usize, Rc<CheckedPart>)>, f64);

/// Parts fetched side by side in the background: enough to fill a slow link's round
/// trips, few enough to leave the browser's connections to the host free for what a
/// view waits for.
const PARTS_IN_FLIGHT: usize = 3;

/// Fetches every part not asked for yet, newest first, a few at a time; arrivals are
/// handed on a few at a time. Stops at the first failure (which is reported).
pub fn load_parts(fetcher: Rc<RefCell<Fetcher>>, library: LibraryRef, dispatch: UseReducerDispatcher<State>) {
    fetcher.borrow_mut().follow(&library);
    let batch: Rc<RefCell<Batch>> = Rc::new(RefCell::new((Vec::new(), super::browser::now())));
    let next = Rc::new(std::cell::Cell::new(0usize));
    for _ in 0..PARTS_IN_FLIGHT {
        let (fetcher, library, dispatch) = (fetcher.clone(), library.clone(), dispatch.clone());
        let (batch, next) = (batch.clone(), next.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let generation = library.generation;
            loop {
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
