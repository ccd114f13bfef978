//! The one module that talks to the network: it fetches the archive.

use js_sys::{Reflect, Uint8Array};
use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Response};

use crate::archive::{Archive, FormatError};

/// Relative, so the reader works from any folder of any static host.
pub const ARCHIVE_URL: &str = "archive/archive.json";

#[derive(Debug, Error)]
pub enum LoadError {
    #[error("the server answered {status} {status_text} for {url}")]
    Http { url: String, status: u16, status_text: String },
    #[error("the archive could not be downloaded: {0}")]
    Network(String),
    #[error(transparent)]
    Format(#[from] FormatError),
}

fn js_error(value: JsValue) -> LoadError {
    let text = value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"));
    LoadError::Network(text)
}

/// Downloads and parses the archive, reporting bytes received as they arrive.
pub async fn fetch_archive(on_progress: impl Fn(u64, Option<u64>)) -> Result<Archive, LoadError> {
    let window = web_sys::window().ok_or_else(|| LoadError::Network("no window".into()))?;
    let response: Response =
        JsFuture::from(window.fetch_with_str(ARCHIVE_URL)).await.map_err(js_error)?.unchecked_into();
    if !response.ok() {
        return Err(LoadError::Http {
            url: response.url(),
            status: response.status(),
            status_text: response.status_text(),
        });
    }
    // Content-Length counts compressed bytes when the server compresses; then it is only a hint.
    let total = response.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<u64>().ok());
    let bytes = match response.body() {
        Some(body) => read_stream(body.get_reader().unchecked_into(), total, &on_progress).await?,
        None => Uint8Array::new(&JsFuture::from(response.array_buffer().map_err(js_error)?).await.map_err(js_error)?)
            .to_vec(),
    };
    on_progress(bytes.len() as u64, Some(bytes.len() as u64));
    // Let the browser paint the full progress bar before the parse blocks the thread.
    gloo::timers::future::TimeoutFuture::new(0).await;
    Ok(Archive::from_json(&bytes)?)
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
