//! The search hook: the listing for the route's filters, from the index buckets the
//! query needs (asked for when missing) or the single-layout scan, with recent answers
//! kept and the previous answer shown while a new one waits.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::use_needs::{use_needs, use_reader};
use crate::app::browser;
use crate::app::components::describe_error;
use crate::app::context::SyncRequest;
use crate::app::state::{BucketRef, LibraryRef, Needs, SaveState, Shared, Want};
use crate::app::texts::Texts;
use crate::filter::{apply, leading_hits, lists_hits_alone, Filters, Hits, Listing};
use crate::reading::ReadingState;
use crate::recent::Recent;
use crate::search::{needed_keys, search_segments_where, Query, Scan};

/// How many recent answers are kept.
const RECENT_QUERIES: usize = 8;
/// The rows whose parts are asked for before every segment has answered: the top of the
/// first screen, few enough that parts a complete answer may not show cost the buckets
/// still on their way little of a slow link.
const LEADING_ROWS: usize = 3;

/// What the list shows: the listing of the latest query whose index buckets are all
/// here, and whether a newer query is still waiting for some.
#[derive(Clone, PartialEq)]
pub struct Results {
    pub listing: Rc<Listing>,
    pub query: Rc<Query>,
    /// The search box text the listing answers.
    pub answers: String,
    pub pending: bool,
    pub error: Option<String>,
    /// The query cannot be answered (part of the index is missing): no count to show.
    pub unanswered: bool,
}

/// An answer computed for one set of filters, and how long the search took.
struct Answer {
    filters: Filters,
    listing: Rc<Listing>,
    query: Rc<Query>,
    error: Option<String>,
    /// `performance.now()` before and after finding it (searching, or in the recent answers).
    timing: Option<(f64, f64)>,
}

/// Answers kept between renders: written only by effects, read by renders.
struct Kept {
    /// By filters, the number of parts that had arrived and the marks' epoch (the answer
    /// changes with them).
    recent: Recent<(Filters, usize, u32), Rc<Listing>>,
    /// The last complete answer, shown while the next one waits for its buckets.
    shown: Option<Results>,
}

#[hook]
pub fn use_results(filters: &Filters) -> Results {
    let reader = use_reader();
    let library = &reader.library;
    let query = use_memo(filters.query.clone(), |q| Query::parse(q));
    // A saved copy searched by reading every text once offline, or a single-layout archive.
    let scan: Option<Shared<Scan>> = reader.offline_scan.clone();
    let wanted = if scan.is_none() { bucket_needs(library, &query) } else { Needs::default() };
    let missing = use_needs(wanted.clone());
    let failed = missing.0.iter().any(|w| reader.fetched.failed(w));
    // While some segments' buckets are on their way, the parts of the first rows as the
    // others answer them, once those hold most of the posts: the largest segment is asked
    // for first and its best hits are most often the answer's, whose rows can then show
    // at once. Before, the first rows change with every segment, and parts fetched for
    // them would take the link from the buckets for nothing.
    let complete: Vec<usize> = if missing.is_empty() { Vec::new() } else { complete_segments(&wanted, &missing) };
    let leading = {
        let fetched = reader.fetched.clone();
        use_memo(
            (library.clone(), filters.clone(), query.clone(), complete),
            move |(library, filters, query, complete)| {
                let docs: Vec<u32> = library.segments().iter().map(|s| s.count).collect();
                let here: u64 = complete.iter().map(|&s| u64::from(docs[s])).sum();
                let all: u64 = docs.iter().map(|&d| u64::from(d)).sum();
                if here * 2 <= all || !lists_hits_alone(filters, query) {
                    return Vec::new();
                }
                // What the memo depends on of `fetched`: the complete segments' buckets,
                // which never change once here.
                let posting = |segment: usize, key| {
                    let bucket = library.segments()[segment].file_of(key);
                    fetched.bucket(segment, bucket).map_or(&[][..], |b| b.posting(key))
                };
                let hits = search_segments_where(query, &docs, &|s| complete.contains(&s), &posting);
                hits.map_or(Vec::new(), |hits| leading_hits(hits, filters.sort, LEADING_ROWS))
            },
        )
    };
    let mut early = Needs::default();
    for &position in leading.iter() {
        if let Some(part) = library.missing_part(position) {
            early.add(Want::Part(part));
        }
    }
    use_needs(early);
    // Offline with the whole archive saved: search it by reading it (unless a saved
    // file could not be read: then the reading would never end, and the error says why).
    let scan_broken = reader.fetched.file_failure().filter(|_| reader.saved == SaveState::Saved);
    let can_scan = failed && reader.saved == SaveState::Saved && !library.index_offline() && scan_broken.is_none();
    {
        let onsync = reader.onsync.clone();
        use_effect_with(can_scan, move |can_scan| {
            if *can_scan {
                onsync.emit(SyncRequest::OfflineScan);
            }
        });
    }
    // Buckets never change once here: their identities stand for their contents.
    let arrived: Option<Vec<((usize, u32), BucketRef)>> = missing.is_empty().then(|| {
        let bucket = |w: &Want| match *w {
            Want::Bucket { segment, bucket } => {
                Some(((segment, bucket), reader.fetched.bucket(segment, bucket)?.clone()))
            }
            _ => None,
        };
        wanted.0.iter().filter_map(bucket).collect()
    });

    let kept = use_mut_ref(|| Kept { recent: Recent::new(RECENT_QUERIES), shown: None });
    // Marks count at the epoch's changes only (see `State::marks_epoch`): those of this
    // render, when it is one of them.
    let epoch = reader.marks_epoch;
    let answer = {
        let kept = kept.clone();
        let parts = reader.parts_loaded;
        let (marks, texts) = (reader.marks.clone(), reader.texts.clone());
        use_memo(
            (library.clone(), parts, epoch, filters.clone(), query.clone(), arrived, scan),
            move |(library, parts, epoch, filters, query, arrived, scan)| {
                let arrived = arrived.as_ref()?;
                let at = Moment { parts: *parts, epoch: *epoch, marks: &marks, texts: &texts };
                Some(answer(library, &at, filters, query.clone(), arrived, scan.as_deref(), &kept))
            },
        )
    };
    {
        let kept = kept.clone();
        let parts = reader.parts_loaded;
        // By identity: comparing listings of every post on every render would not do.
        use_effect_with(Shared(answer.clone()), move |answer| {
            let Some(answer) = answer.0.as_ref() else { return };
            if let Some((start, end)) = answer.timing {
                browser::measure_search(start, end);
            }
            let mut kept = kept.borrow_mut();
            if answer.error.is_none() {
                kept.recent.insert((answer.filters.clone(), parts, epoch), answer.listing.clone());
            }
            kept.shown = Some(results_of(answer));
        });
    }

    match &*answer {
        Some(answer) => results_of(answer),
        None => {
            let previous = kept.borrow().shown.clone();
            let mut results = previous.unwrap_or_else(|| Results {
                listing: Rc::default(),
                query: query.clone(),
                answers: String::new(),
                pending: true,
                error: None,
                unanswered: false,
            });
            // Still showing the previous answer; with a failed bucket, saying so instead of
            // waiting, and no count: the previous one would be a wrong answer.
            results.pending = !failed || can_scan;
            let t = &reader.texts;
            if can_scan {
                results.error = Some(t.text("preparing-offline-search").to_string());
            } else if failed {
                results.error = Some(if let Some(error) = scan_broken {
                    t.fill("offline-copy-unreadable", &[("error", &describe_error(t, error))])
                } else if browser::online() {
                    let why = reader.fetched.error.as_ref().map_or(String::new(), |e| describe_error(t, e));
                    t.fill("index-missing", &[("error", &why)])
                } else {
                    t.text("index-offline").to_string()
                });
                results.answers = filters.query.clone();
                results.unanswered = true;
            }
            results
        }
    }
}

/// The index buckets `query` needs: one per key in every segment (none for an archive
/// searched by scanning), the largest segments' first. They are requested in this order,
/// a browser sends six at a time, and the large segments' buckets are the ones that take
/// long to arrive: started last, the query would wait for them after the others are in.
pub fn bucket_needs(library: &LibraryRef, query: &Query) -> Needs {
    let mut wanted = Needs::default();
    if library.scan.is_none() {
        let keys = needed_keys(query);
        let mut segments: Vec<(usize, &crate::archive::SegmentRef)> = library.segments().iter().enumerate().collect();
        segments.sort_by_key(|(_, s)| std::cmp::Reverse(s.count));
        for (segment, s) in segments {
            for &key in &keys {
                wanted.add(Want::Bucket { segment, bucket: s.file_of(key) });
            }
        }
    }
    wanted
}

/// The segments all of whose buckets in `wanted` are here (not in `missing`).
fn complete_segments(wanted: &Needs, missing: &Needs) -> Vec<usize> {
    let mut complete: Vec<usize> = Vec::new();
    let mut incomplete: Vec<usize> = Vec::new();
    for want in &wanted.0 {
        if let Want::Bucket { segment, .. } = *want {
            if missing.0.contains(want) {
                incomplete.push(segment);
            } else if !complete.contains(&segment) {
                complete.push(segment);
            }
        }
    }
    complete.retain(|s| !incomplete.contains(s));
    complete.sort_unstable();
    complete
}

fn results_of(answer: &Answer) -> Results {
    Results {
        listing: answer.listing.clone(),
        query: answer.query.clone(),
        answers: answer.filters.query.clone(),
        pending: false,
        error: answer.error.clone(),
        unanswered: false,
    }
}

/// What an answer depends on besides the filters and the index.
struct Moment<'a> {
    parts: usize,
    epoch: u32,
    marks: &'a ReadingState,
    texts: &'a Texts,
}

/// The listing for `filters`, from a recent answer or by searching `arrived`, the
/// buckets of the query's keys in every segment.
fn answer(
    library: &LibraryRef,
    at: &Moment<'_>,
    filters: &Filters,
    query: Rc<Query>,
    arrived: &[((usize, u32), BucketRef)],
    scan: Option<&Scan>,
    kept: &Rc<RefCell<Kept>>,
) -> Answer {
    let start = browser::now();
    if let Some(listing) = kept.borrow().recent.get(&(filters.clone(), at.parts, at.epoch)) {
        return Answer { filters: filters.clone(), listing, query, error: None, timing: Some((start, browser::now())) };
    }
    let catalog = library.catalog();
    let text_search = !query.include.is_empty() || !query.exclude.is_empty();
    let hits = text_search.then(|| match library.scan.as_ref().or(scan) {
        Some(scan) => Ok(scan.search(&query)),
        None => {
            let docs: Vec<u32> = library.segments().iter().map(|s| s.count).collect();
            let posting = |segment: usize, key| {
                let bucket = library.segments()[segment].file_of(key);
                arrived.iter().find(|(at, _)| *at == (segment, bucket)).map_or(&[][..], |(_, b)| b.posting(key))
            };
            search_segments_where(&query, &docs, &|_| true, &posting)
        }
    });
    let (hits, error) = match hits.transpose() {
        Ok(hits) => (hits.map(Hits::new), None),
        Err(error) => (Some(Hits::default()), Some(at.texts.fill("index-damaged", &[("error", &error.to_string())]))),
    };
    let listing = Rc::new(apply(&catalog, filters, &query, hits.as_ref(), at.marks));
    Answer { filters: filters.clone(), listing, query, error, timing: Some((start, browser::now())) }
}
