//! Taking over from `static/boot.js`, which painted the first screen before the wasm
//! arrived: its copy of `archive.json` (fetched once, not twice), and its search box,
//! whose text the reader may have typed meanwhile.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The bytes of `archive.json` that boot.js fetched, if it did, and whether they came
/// from what this device keeps (only once: a later load, after an update, fetches anew).
pub async fn archive_bytes() -> Option<(Vec<u8>, bool)> {
    let global = js_sys::global();
    let key = wasm_bindgen::JsValue::from_str("newsreaderArchive");
    let promise = js_sys::Reflect::get(&global, &key).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let _ = js_sys::Reflect::delete_property(global.unchecked_ref::<js_sys::Object>(), &key);
    let fetched = JsFuture::from(promise).await.ok()?;
    let buffer = js_sys::Reflect::get(&fetched, &"bytes".into()).ok()?.dyn_into::<js_sys::ArrayBuffer>().ok()?;
    let kept = js_sys::Reflect::get(&fetched, &"kept".into()).ok()?.is_truthy();
    Some((js_sys::Uint8Array::new(&buffer).to_vec(), kept))
}

/// What the reader typed into the first paint's search box, and whether it has focus.
pub struct Typed {
    pub text: String,
    pub focused: bool,
}

/// Removes the first paint (the app's own screen is up), returning what was typed in it.
pub fn take_over() -> Option<Typed> {
    let document = gloo::utils::document();
    let boot = document.get_element_by_id("boot")?;
    let input = boot.query_selector("input.search").ok().flatten()?.dyn_into::<web_sys::HtmlInputElement>().ok();
    let typed = input.map(|input| Typed {
        text: input.value(),
        focused: document.active_element().is_some_and(|active| active == **input),
    });
    boot.remove();
    typed
}
