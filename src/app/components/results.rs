//! The search hook: the listing for the route's filters, from the index buckets the
//! query needs (asked for when missing) or the single-layout scan, with recent answers
//! kept and the previous answer shown while a new one waits.

use std::rc::Rc;

use yew::prelude::*;

use crate::app::browser;
use crate::app::state::{FetchedRef, LibraryRef, Needs};
use crate::filter::{apply, Filters, Hits, Listing};
use crate::search::{needed_keys, search, Query};

/// How many recent answers are kept.
const RECENT_QUERIES: usize = 8;

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
}

#[hook]
pub fn use_results(library: &LibraryRef, fetched: &FetchedRef, filters: &Filters, onneed: &Callback<Needs>) -> Results {
    let query = use_memo(filters.query.clone(), |q| Query::parse(q));
    let keys = if library.scan.is_some() { Vec::new() } else { needed_keys(&query) };
    let mut missing: Vec<u32> = Vec::new();
    for bucket in keys.into_iter().map(|k| library.bucket_of(k)) {
        if fetched.bucket(bucket).is_none() && !missing.contains(&bucket) {
            missing.push(bucket);
        }
    }
    {
        let onneed = onneed.clone();
        use_effect_with(missing.clone(), move |missing| {
            if !missing.is_empty() {
                onneed.emit(Needs { buckets: missing.clone(), ..Needs::default() });
            }
        });
    }
    // Buckets never change once here, so "all of them are here" stands for their contents.
    let ready = missing.is_empty();
    // Recent answers: going back to the same query and filters (Back, or retyping it)
    // skips the search.
    let recent = use_mut_ref(Vec::<(Filters, Rc<Listing>)>::new);
    let failed = missing.iter().any(|&b| fetched.bucket_failed(b));
    let computed = use_memo((library.clone(), filters.clone(), ready), |(library, filters, ready)| {
        if !ready {
            return None;
        }
        let timing = browser::SearchTiming::start();
        let answers = filters.query.clone();
        let known = recent.borrow().iter().find(|(f, _)| f == filters).map(|(_, l)| l.clone());
        if let Some(listing) = known {
            timing.finish();
            return Some(Results { listing, query: query.clone(), answers, pending: false, error: None });
        }
        let catalog = &library.catalog;
        let text_search = !query.include.is_empty() || !query.exclude.is_empty();
        let hits = text_search.then(|| match &library.scan {
            Some(scan) => Ok(scan.search(&query)),
            None => search(&query, catalog.entries.len() as u32, |key| {
                fetched.bucket(library.bucket_of(key)).map_or(&[][..], |b| b.posting(key))
            }),
        });
        let (hits, error) = match hits.transpose() {
            Ok(hits) => (hits.map(|hits| Hits::new(catalog, hits)), None),
            Err(error) => (Some(Hits::default()), Some(format!("The search index is damaged: {error}"))),
        };
        let listing = Rc::new(apply(catalog, filters, &query, hits.as_ref()));
        if error.is_none() {
            let mut recent = recent.borrow_mut();
            recent.insert(0, (filters.clone(), listing.clone()));
            recent.truncate(RECENT_QUERIES);
        }
        timing.finish();
        Some(Results { listing, query: query.clone(), answers, pending: false, error })
    });
    let shown = use_mut_ref(|| None::<Results>);
    match &*computed {
        Some(results) => {
            *shown.borrow_mut() = Some(results.clone());
            results.clone()
        }
        None => {
            let previous = shown.borrow().clone();
            let mut results = previous.unwrap_or_else(|| Results {
                listing: Rc::default(),
                query: query.clone(),
                answers: String::new(),
                pending: true,
                error: None,
            });
            // Still showing the previous answer; with a failed bucket, saying so instead of waiting.
            results.pending = !failed;
            if failed {
                let why = fetched.error.as_ref().map_or(String::new(), |e| format!(": {e}"));
                results.error = Some(format!("Part of the search index is missing{why}"));
                results.answers = filters.query.clone();
            }
            results
        }
    }
}
