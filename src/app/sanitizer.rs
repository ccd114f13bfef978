//! Where the reader gets its sanitizer: the wasm module of src/bin/sanitizer.rs, which
//! static/boot.js loads on first use (`newsreaderSanitizer`), or, in the portable edition
//! (feature `inline-sanitizer`), the library's own code linked in. Either way the one
//! policy, `crate::sanitize`; only components::safe_html calls it.

use crate::sanitize::Images;

/// Why an article's body cannot be shown.
// Linked in (the portable edition), the sanitizer cannot fail to load, nor fail.
#[cfg_attr(feature = "inline-sanitizer", allow(dead_code))]
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SanitizerError {
    /// The module could not be fetched or started (offline before it was ever loaded, say).
    #[error("{0}")]
    NotLoaded(String),
    /// The module failed on this body.
    #[error("{0}")]
    Failed(String),
}

#[cfg(not(feature = "inline-sanitizer"))]
mod module {
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_futures::JsFuture;

    use super::{Images, SanitizerError};
    use crate::app::browser::js_error;

    #[wasm_bindgen]
    extern "C" {
        /// Starts loading the module (once; again after a failure) and resolves when it is ready.
        #[wasm_bindgen(js_namespace = newsreaderSanitizer, js_name = load, catch)]
        fn load_module() -> Result<js_sys::Promise, JsValue>;
        /// Loads the module once the reader has left the page alone a few seconds (boot.js);
        /// a failure is left for [`load`] to meet.
        #[wasm_bindgen(js_namespace = newsreaderSanitizer, js_name = prefetch, catch)]
        fn prefetch_module() -> Result<(), JsValue>;
        /// The cleaned HTML, or `undefined` while the module is not loaded.
        #[wasm_bindgen(js_namespace = newsreaderSanitizer, js_name = sanitize, catch)]
        fn sanitize_with_module(untrusted: &str, images: bool) -> Result<Option<String>, JsValue>;
    }

    /// Loads the module if it is not loaded yet (and tries again after a failure).
    pub async fn load() -> Result<(), SanitizerError> {
        let loaded = match load_module() {
            Ok(promise) => JsFuture::from(promise).await.map(drop),
            Err(error) => Err(error),
        };
        loaded.map_err(|e| SanitizerError::NotLoaded(js_error(&e)))
    }

    /// Loads the module ahead of need, when the reader is not busy (it will be needed soon, not yet).
    pub fn prefetch() {
        // Without boot.js's loader there is nothing to fetch ahead: `load` will say so.
        let _said_by_load = prefetch_module();
    }

    /// The cleaned HTML now; `None` while the module is not loaded.
    pub fn now(untrusted: &str, images: Images) -> Option<Result<String, SanitizerError>> {
        match sanitize_with_module(untrusted, images == Images::Allowed) {
            Ok(Some(clean)) => Some(Ok(clean)),
            Ok(None) => None,
            Err(error) => Some(Err(SanitizerError::Failed(js_error(&error)))),
        }
    }
}

#[cfg(feature = "inline-sanitizer")]
mod module {
    use super::{Images, SanitizerError};

    /// Linked in: nothing to load.
    pub async fn load() -> Result<(), SanitizerError> {
        Ok(())
    }

    /// Linked in: nothing to fetch.
    pub fn prefetch() {}

    /// Always ready.
    pub fn now(untrusted: &str, images: Images) -> Option<Result<String, SanitizerError>> {
        Some(Ok(crate::sanitize::sanitize(untrusted, images)))
    }
}

pub use module::{load, now, prefetch};

/// Starts loading the module without waiting for it (when it will soon be needed); a
/// failure is reported where the module is needed (`components::safe_html` loads again).
pub fn prepare() {
    wasm_bindgen_futures::spawn_local(async {
        let _reported_by_now = load().await;
    });
}
