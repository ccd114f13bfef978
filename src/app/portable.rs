//! The portable edition (docs/portable.md): a page opened from disk, which can fetch
//! nothing. `static/portable.js` defines `newsreaderPortable` there, and every file the
//! reader would fetch is read from its packs instead; it is all on this device, so there
//! is nothing to save for offline, nothing to keep, and no server to ask for updates.

use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::net::LoadError;

fn runtime() -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &"newsreaderPortable".into()).ok().filter(|v| v.is_object())
}

/// Whether this page is a portable edition.
pub fn active() -> bool {
    runtime().is_some()
}

/// The bytes of `path` (relative to the page) from the edition's packs, or `None` when
/// this page is not a portable edition.
pub async fn read(path: &str) -> Option<Result<Vec<u8>, LoadError>> {
    let runtime = runtime()?;
    Some(get(&runtime, path).await.map_err(|e| {
        let why = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{e:?}"));
        LoadError::Network(why)
    }))
}

async fn get(runtime: &JsValue, path: &str) -> Result<Vec<u8>, JsValue> {
    let get: Function = Reflect::get(runtime, &"get".into())?.dyn_into()?;
    let promise: js_sys::Promise = get.call1(runtime, &path.into())?.dyn_into()?;
    Ok(JsFuture::from(promise).await?.dyn_into::<Uint8Array>()?.to_vec())
}
