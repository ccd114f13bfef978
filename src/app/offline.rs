//! The archive's files kept on this device: the Cache Storage cache `newsreader-archive`,
//! which the page alone writes and the service worker (static/sw.js) answers from when
//! the network cannot. What was fetched is kept once the page is idle; "Save for offline" keeps
//! the rest; files no build names any more are forgotten after an update.

use std::cell::{Cell, RefCell};

use gloo::timers::callback::Timeout;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, Response, ResponseInit};

use super::net::ARCHIVE_DIR;

/// The cache's name, as static/sw.js knows it.
const CACHE: &str = "newsreader-archive";

/// Why a file could not be kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The browser allows no more space to this site.
    Quota,
    /// This browser (or its private mode) keeps nothing.
    Unavailable(String),
}

impl StoreError {
    /// In the interface's language.
    pub fn describe(&self, t: &super::texts::Texts) -> String {
        match self {
            StoreError::Quota => t.text("store-quota").to_string(),
            StoreError::Unavailable(why) => t.fill("store-unavailable", &[("why", why)]),
        }
    }
}

thread_local! {
    /// The last failure to keep a file as it arrived: not the view's problem, but the
    /// offline status says it.
    static LAST_FAILURE: RefCell<Option<StoreError>> = const { RefCell::new(None) };
}

/// The last failure to keep a file that arrived for a view, if any.
pub fn last_failure() -> Option<StoreError> {
    LAST_FAILURE.with(|f| f.borrow().clone())
}

/// Remembers why a file that arrived for a view could not be kept ([`last_failure`]).
fn remember_failure(error: StoreError) {
    LAST_FAILURE.with(|f| *f.borrow_mut() = Some(error));
}

fn store_error(value: JsValue) -> StoreError {
    let name = js_sys::Reflect::get(&value, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    if name == "QuotaExceededError" {
        return StoreError::Quota;
    }
    let message = value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".into());
    StoreError::Unavailable(message)
}

async fn cache() -> Result<Cache, StoreError> {
    let window = gloo::utils::window();
    let storage = window.caches().map_err(store_error)?;
    let cache = JsFuture::from(storage.open(CACHE)).await.map_err(store_error)?;
    Ok(cache.unchecked_into())
}

/// The URL a file of the archive (a path relative to `archive.json`) is kept under.
fn url(path: &str) -> String {
    let base = gloo::utils::document().base_uri().ok().flatten().unwrap_or_default();
    web_sys::Url::new_with_base(&format!("{ARCHIVE_DIR}{path}"), &base).map(|u| u.href()).unwrap_or_default()
}

/// Keeps `bytes` as the file at `path`.
pub async fn keep(path: &str, bytes: &[u8]) -> Result<(), StoreError> {
    put(&cache().await?, path, bytes).await
}

async fn put(cache: &Cache, path: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let init = ResponseInit::new();
    let headers = web_sys::Headers::new().map_err(store_error)?;
    let kind = if path.ends_with(".json") { "application/json" } else { "application/octet-stream" };
    headers.set("content-type", kind).map_err(store_error)?;
    init.set_headers(&headers);
    let body = Uint8Array::from(bytes);
    let response = Response::new_with_opt_buffer_source_and_init(Some(&body), &init).map_err(store_error)?;
    JsFuture::from(cache.put_with_str(&url(path), &response)).await.map_err(store_error)?;
    Ok(())
}

/// Keeps a file that arrived for a view; a failure is remembered, not returned.
pub async fn keep_quietly(path: &str, bytes: &[u8]) {
    if let Err(error) = keep(path, bytes).await {
        remember_failure(error);
    }
}

thread_local! {
    /// Files that arrived for a view, to keep once no more are arriving.
    static PENDING: RefCell<Vec<(String, Vec<u8>)>> = const { RefCell::new(Vec::new()) };
    /// When the oldest of them arrived ([`super::browser::now`]).
    static OLDEST: Cell<Option<f64>> = const { Cell::new(None) };
    /// Started by the latest arrival; dropping it (at the next one) cancels it.
    static QUIET: RefCell<Option<Timeout>> = const { RefCell::new(None) };
}

/// How long after the latest arrival the files are kept: a query's buckets arrive over
/// tens of milliseconds (hundreds on a slow link), with idle moments in between.
const KEEP_AFTER_QUIET_MS: u32 = 250;
/// How long the first may wait for the others: on a slow link a long load never pauses
/// for 250 ms, and a visit that ends meanwhile should have kept most of what it read.
const KEEP_WAITS_AT_MOST_MS: f64 = 2_000.0;
/// How long they may then wait for an idle moment before they are kept all the same.
const KEEP_WITHIN_MS: u32 = 2_000;

/// [`keep_quietly`], once files have stopped arriving and the page is idle: each
/// `Cache.put` costs the main thread about 2 ms whatever its body, and a query's dozens of
/// buckets kept as they arrive held its answer back by more than the search itself takes.
pub fn keep_when_idle(path: String, bytes: Vec<u8>) {
    PENDING.with(|p| p.borrow_mut().push((path, bytes)));
    let now = super::browser::now();
    let oldest = OLDEST.with(|o| {
        let oldest = o.get().unwrap_or(now);
        o.set(Some(oldest));
        oldest
    });
    // Past that, the timer an earlier arrival armed is left to fire (or, fired, its batch
    // not yet taken, will take this file too).
    let armed = QUIET.with(|q| q.borrow().is_some());
    if armed && now - oldest >= KEEP_WAITS_AT_MOST_MS {
        return;
    }
    let quiet = Timeout::new(KEEP_AFTER_QUIET_MS, || {
        let keep = || wasm_bindgen_futures::spawn_local(keep_pending());
        if let Err(why) = super::browser::when_idle(KEEP_WITHIN_MS, keep) {
            PENDING.with(|p| p.borrow_mut().clear());
            OLDEST.with(|o| o.set(None));
            remember_failure(StoreError::Unavailable(why));
        }
    });
    QUIET.with(|q| *q.borrow_mut() = Some(quiet));
}

async fn keep_pending() {
    OLDEST.with(|o| o.set(None));
    let pending = PENDING.with(|p| p.take());
    if pending.is_empty() {
        return;
    }
    let cache = match cache().await {
        Ok(cache) => cache,
        Err(error) => return remember_failure(error),
    };
    // A file arriving meanwhile starts a batch of its own. A page load's batch is
    // hundreds of files, a second or more of puts: each waits while a view waits for
    // files, or a query typed meanwhile would wait for them. Looked at just before the
    // put, not before opening the cache: that can take longer than a query's buckets.
    for (path, bytes) in pending {
        super::fetcher::until_views_idle().await;
        if let Err(error) = put(&cache, &path, &bytes).await {
            remember_failure(error);
        }
    }
}

/// Every kept file, as paths relative to `archive.json`.
pub async fn kept() -> Vec<String> {
    let Ok(cache) = cache().await else { return Vec::new() };
    let Ok(keys) = JsFuture::from(cache.keys()).await else { return Vec::new() };
    let prefix = url("");
    Array::from(&keys)
        .iter()
        .filter_map(|request| request.dyn_into::<web_sys::Request>().ok())
        .filter_map(|request| request.url().strip_prefix(&prefix).map(str::to_string))
        .collect()
}

/// Forgets the files at `paths`.
pub async fn forget(paths: &[String]) {
    let Ok(cache) = cache().await else { return };
    for path in paths {
        let _ = JsFuture::from(cache.delete_with_str(&url(path))).await;
    }
}

/// The bytes this site uses and may use (`navigator.storage.estimate()`), if the
/// browser says.
pub async fn estimate() -> Option<(u64, u64)> {
    let storage = gloo::utils::window().navigator().storage();
    let estimate = JsFuture::from(storage.estimate().ok()?).await.ok()?;
    let number = |key: &str| js_sys::Reflect::get(&estimate, &key.into()).ok()?.as_f64().map(|v| v as u64);
    Some((number("usage")?, number("quota")?))
}

/// Asks the browser to keep this site's data under storage pressure
/// (`navigator.storage.persist()`); whether it agreed.
pub async fn persist() -> bool {
    let storage = gloo::utils::window().navigator().storage();
    let Ok(promise) = storage.persist() else { return false };
    JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
}
