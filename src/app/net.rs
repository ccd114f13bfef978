//! The one module that talks to the network: the archive's manifest (or whole file),
//! and the shards it names, each fetched when a view or a query needs it. An archive
//! imported into this browser is read the same way, from its bundle ([`super::imports`]).

use js_sys::{Reflect, Uint8Array};
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Response};

use crate::archive::read::{self, CheckedPart};
use crate::archive::{ArchiveFile, ArticleDetails, FormatError, Manifest, PartRef, Shard, ARCHIVE_FILE};
use crate::catalog::Catalog;
use crate::search::bucket::Bucket;
use crate::search::Scan;

/// Relative, so the reader works from any folder of any static host.
pub const ARCHIVE_DIR: &str = "archive/";
/// Where `archive.json` is, relative to the page.
pub const ARCHIVE_URL: &str = "archive/archive.json";

/// Why a file of the archive is not here.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The server answered, but not with the file.
    #[error("the server answered {status} {status_text} for {url}")]
    Http {
        /// The file's URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// Its reason phrase.
        status_text: String,
    },
    /// The request failed before any answer (offline, refused, blocked).
    #[error("the archive could not be downloaded: {0}")]
    Network(String),
    /// The file came, but is not right.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A file of an imported archive could not be read from this browser's storage.
    #[error(transparent)]
    Imported(#[from] super::imports::ImportError),
    /// The sanitizer module, which saving for offline keeps too, could not be loaded.
    #[error("the sanitizer could not be loaded: {0}")]
    Sanitizer(#[from] super::sanitizer::SanitizerError),
}

/// Where the open archive's files come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The page's own host: `archive/` beside it.
    Hosted,
    /// An archive imported into this browser, by its id.
    Imported(String),
}

impl Source {
    /// The archive the page's URL asks for.
    pub fn current() -> Source {
        super::imports::open_id().map_or(Source::Hosted, Source::Imported)
    }

    /// Whether it has a server to ask for newer builds and to save from.
    pub fn is_hosted(&self) -> bool {
        *self == Source::Hosted
    }
}

/// An archive as it arrives: whole, or a manifest whose parts come later.
pub enum Opened {
    /// A single-layout archive: everything is here, searched by scanning.
    Single { catalog: Catalog, details: Vec<ArticleDetails>, scan: Scan },
    /// A sharded archive: the manifest, and the catalog of its head.
    Sharded { manifest: Manifest, catalog: Catalog },
}

fn js_error(value: JsValue) -> LoadError {
    let text = value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"));
    LoadError::Network(text)
}

/// The archive as it was opened: `kept` when the bytes came from what this device keeps
/// (offline, or a slow link), not from the server just now.
pub struct OpenedArchive {
    pub opened: Opened,
    pub bytes: Vec<u8>,
    pub kept: bool,
}

/// Downloads and opens the archive, reporting bytes received as they arrive. The copy
/// that static/boot.js fetched for the first paint is used when there is one.
pub async fn open_archive(on_progress: impl Fn(u64, Option<u64>)) -> Result<OpenedArchive, LoadError> {
    let (bytes, kept) = match Source::current() {
        Source::Imported(id) => (super::imports::read(&id, ARCHIVE_FILE).await?, true),
        Source::Hosted => match super::boot::archive_bytes().await {
            Some(fetched) => fetched,
            None => fetch(ARCHIVE_URL, Some(&on_progress), false).await?,
        },
    };
    // Let the browser paint the full progress bar before the parse blocks the thread.
    gloo::timers::future::TimeoutFuture::new(0).await;
    Ok(OpenedArchive { opened: open(&bytes)?, bytes, kept })
}

/// An `archive.json` read.
pub fn open(bytes: &[u8]) -> Result<Opened, LoadError> {
    Ok(match ArchiveFile::parse(ARCHIVE_FILE, bytes)? {
        ArchiveFile::Single(archive) => {
            let (catalog, details) = Catalog::from_archive(archive);
            let scan = read::scan(&catalog, &details);
            Opened::Single { catalog, details, scan }
        }
        ArchiveFile::Sharded(manifest) => {
            let catalog = read::catalog(&manifest);
            Opened::Sharded { manifest, catalog }
        }
    })
}

/// `archive.json` as the server has it now, past every cache: is there a newer build?
pub async fn check_archive() -> Result<Vec<u8>, LoadError> {
    Ok(fetch(ARCHIVE_URL, None, true).await?.0)
}

/// The wasm file the page on the server loads now (read from its script tag), to tell
/// whether a newer version of the reader is published.
pub async fn published_app() -> Option<String> {
    let (bytes, _) = fetch("./", None, true).await.ok()?;
    let html = String::from_utf8(bytes).ok()?;
    let at = html.find("data-wasm=\"")? + "data-wasm=\"".len();
    Some(html[at..].split('"').next()?.to_string())
}

/// A file of the app itself (a path relative to the page), as the server or the
/// service worker has it.
pub async fn text_file(path: &str) -> Result<Vec<u8>, LoadError> {
    Ok(fetch(path, None, false).await?.0)
}

/// A file of the archive (a path relative to `archive.json`), kept on this device once
/// it has come from the network. Kept when the page is idle: what waits for the file (a
/// query waits for a dozen buckets) need not wait for Cache Storage as well; a failure
/// to keep it is remembered all the same ([`super::offline::last_failure`]).
pub async fn archive_file(path: &str) -> Result<Vec<u8>, LoadError> {
    let (bytes, cached) = download(path).await?;
    if !cached {
        super::offline::keep_when_idle(path.to_string(), bytes.clone());
    }
    Ok(bytes)
}

/// [`archive_file`], returning once the file is kept: for an update, whose files must all
/// be on this device before the reader switches to it.
pub async fn archive_file_kept(path: &str) -> Result<Vec<u8>, LoadError> {
    let (bytes, cached) = download(path).await?;
    if !cached {
        super::offline::keep_quietly(path, &bytes).await;
    }
    Ok(bytes)
}

/// A file of the archive, and whether it came from what this device keeps; the caller
/// keeps it (or not).
pub async fn download(path: &str) -> Result<(Vec<u8>, bool), LoadError> {
    match Source::current() {
        Source::Imported(id) => Ok((super::imports::read(&id, path).await?, true)),
        Source::Hosted => fetch(&format!("{ARCHIVE_DIR}{path}"), None, false).await,
    }
}

/// A part's list file.
pub async fn fetch_part(part: &PartRef) -> Result<CheckedPart, LoadError> {
    Ok(read::part_list(part, &archive_file(&part.file).await?)?)
}

/// One details file.
pub async fn fetch_details(shard: &Shard) -> Result<Vec<ArticleDetails>, LoadError> {
    Ok(read::details_shard(shard, &archive_file(&shard.file).await?)?)
}

/// One search index bucket.
pub async fn fetch_bucket(file: &str) -> Result<Bucket, LoadError> {
    Ok(read::search_bucket(file, &archive_file(file).await?)?)
}

/// The bytes at `url`, and whether the service worker answered from what this device
/// keeps. `fresh` asks past every cache (the HTTP cache and the worker's). Read as a
/// stream only for `on_progress`: a stream costs a promise and a call into the wasm per
/// chunk, and a query's dozens of small files are read while the reader waits.
async fn fetch(
    url: &str,
    on_progress: Option<&dyn Fn(u64, Option<u64>)>,
    fresh: bool,
) -> Result<(Vec<u8>, bool), LoadError> {
    // A page opened from disk can fetch nothing: its files are in the portable edition's
    // packs, on this device.
    if let Some(read) = super::portable::read(url).await {
        return read.map(|bytes| (bytes, true));
    }
    let window = web_sys::window().ok_or_else(|| LoadError::Network("no window".into()))?;
    let init = web_sys::RequestInit::new();
    if fresh {
        init.set_cache(web_sys::RequestCache::NoStore);
    }
    let request = JsFuture::from(window.fetch_with_str_and_init(url, &init));
    let response: Response = request.await.map_err(js_error)?.unchecked_into();
    if !response.ok() {
        let url = if response.url().is_empty() { url.to_string() } else { response.url() };
        return Err(LoadError::Http { url, status: response.status(), status_text: response.status_text() });
    }
    let cached = response.headers().get("x-newsreader-cache").ok().flatten().is_some();
    let Some(on_progress) = on_progress else {
        return Ok((whole_body(&response).await?, cached));
    };
    // Content-Length counts compressed bytes when the server compresses; then it is only a hint.
    let total = response.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<u64>().ok());
    let bytes = match response.body() {
        Some(body) => read_stream(body.get_reader().unchecked_into(), total, on_progress).await?,
        None => whole_body(&response).await?,
    };
    on_progress(bytes.len() as u64, Some(bytes.len() as u64));
    Ok((bytes, cached))
}

async fn whole_body(response: &Response) -> Result<Vec<u8>, LoadError> {
    let buffer = JsFuture::from(response.array_buffer().map_err(js_error)?).await.map_err(js_error)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

async fn read_stream(
    reader: ReadableStreamDefaultReader,
    total: Option<u64>,
    on_progress: &dyn Fn(u64, Option<u64>),
) -> Result<Vec<u8>, LoadError> {
    let mut bytes = Vec::with_capacity(total.unwrap_or(0) as usize);
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(js_error)?;
        if Reflect::get(&chunk, &"done".into()).map_err(js_error)?.is_truthy() {
            return Ok(bytes);
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into()).map_err(js_error)?.unchecked_into();
        let start = bytes.len();
        bytes.resize(start + value.length() as usize, 0);
        value.copy_to(&mut bytes[start..]);
        on_progress(bytes.len() as u64, total.filter(|&t| t >= bytes.len() as u64));
    }
}
