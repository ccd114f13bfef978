//! The one module that talks to the network: the archive's manifest (or whole file),
//! and the shards it names, each fetched when a view or a query needs it.

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

/// Downloads and opens the archive, reporting bytes received as they arrive.
pub async fn open_archive(on_progress: impl Fn(u64, Option<u64>)) -> Result<Opened, LoadError> {
    let bytes = fetch(ARCHIVE_URL, &on_progress).await?;
    // Let the browser paint the full progress bar before the parse blocks the thread.
    gloo::timers::future::TimeoutFuture::new(0).await;
    match ArchiveFile::parse(ARCHIVE_FILE, &bytes)? {
        ArchiveFile::Single(archive) => {
            let (catalog, details) = Catalog::from_archive(archive);
            let scan = read::scan(&catalog, &details);
            Ok(Opened::Single { catalog, details, scan })
        }
        ArchiveFile::Sharded(manifest) => {
            let catalog = read::catalog(&manifest);
            Ok(Opened::Sharded { manifest, catalog })
        }
    }
}

/// A part's list file.
pub async fn fetch_part(part: &PartRef) -> Result<CheckedPart, LoadError> {
    let bytes = fetch(&format!("{ARCHIVE_DIR}{}", part.file), &|_, _| {}).await?;
    Ok(read::part_list(part, &bytes)?)
}

/// One details file.
pub async fn fetch_details(shard: &Shard) -> Result<Vec<ArticleDetails>, LoadError> {
    let bytes = fetch(&format!("{ARCHIVE_DIR}{}", shard.file), &|_, _| {}).await?;
    Ok(read::details_shard(shard, &bytes)?)
}

/// One search index bucket.
pub async fn fetch_bucket(file: &str) -> Result<Bucket, LoadError> {
    let bytes = fetch(&format!("{ARCHIVE_DIR}{file}"), &|_, _| {}).await?;
    Ok(read::search_bucket(file, bytes)?)
}

type Started = Result<JsFuture, LoadError>;

async fn fetch(url: &str, on_progress: &impl Fn(u64, Option<u64>)) -> Result<Vec<u8>, LoadError> {
    let window = web_sys::window().ok_or_else(|| LoadError::Network("no window".into()))?;
    finish(url, Ok(JsFuture::from(window.fetch_with_str(url))), on_progress).await
}

async fn finish(url: &str, request: Started, on_progress: &impl Fn(u64, Option<u64>)) -> Result<Vec<u8>, LoadError> {
    let response: Response = request?.await.map_err(js_error)?.unchecked_into();
    if !response.ok() {
        let url = if response.url().is_empty() { url.to_string() } else { response.url() };
        return Err(LoadError::Http { url, status: response.status(), status_text: response.status_text() });
    }
    // Content-Length counts compressed bytes when the server compresses; then it is only a hint.
    let total = response.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<u64>().ok());
    let bytes = match response.body() {
        Some(body) => read_stream(body.get_reader().unchecked_into(), total, on_progress).await?,
        None => Uint8Array::new(&JsFuture::from(response.array_buffer().map_err(js_error)?).await.map_err(js_error)?)
            .to_vec(),
    };
    on_progress(bytes.len() as u64, Some(bytes.len() as u64));
    Ok(bytes)
}

async fn read_stream(
    reader: ReadableStreamDefaultReader,
    total: Option<u64>,
    on_progress: &impl Fn(u64, Option<u64>),
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
