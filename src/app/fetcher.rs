//! Fetching what views ask for, each file once, and the parts of a sharded archive in
//! the background (newest first, one at a time, so that what a view waits for is not
//! queued behind them on a slow link).

use std::cell::RefCell;
use std::rc::Rc;

use yew::UseReducerDispatcher;

use super::net;
use super::state::{Action, LibraryRef, Needs, Shared, State, Want};

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

/// Fetches every part not asked for yet, newest first, one at a time; arrivals are
/// handed on a few at a time. Stops at the first failure (which is reported).
pub fn load_parts(fetcher: Rc<RefCell<Fetcher>>, library: LibraryRef, dispatch: UseReducerDispatcher<State>) {
    fetcher.borrow_mut().follow(&library);
    let generation = library.generation;
    wasm_bindgen_futures::spawn_local(async move {
        let mut batch = Vec::new();
        let mut since = super::browser::now();
        for n in 0..library.part_count() {
            let want = Want::Part(n);
            if fetcher.borrow().generation != generation {
                return; // another archive was opened meanwhile
            }
            if !fetcher.borrow_mut().first(&want) {
                continue;
            }
            let Some(part) = library.part(n) else { break };
            match net::fetch_part(part).await {
                Ok(list) => batch.push((n, Rc::new(list))),
                Err(error) => {
                    dispatch.dispatch(Action::FileFailed(generation, want, error));
                    break;
                }
            }
            if super::browser::now() - since >= PARTS_BATCH_MS {
                dispatch.dispatch(Action::PartsArrived(generation, std::mem::take(&mut batch)));
                since = super::browser::now();
            }
        }
        if !batch.is_empty() {
            dispatch.dispatch(Action::PartsArrived(generation, batch));
        }
    });
}
