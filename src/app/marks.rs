//! The reader's read and starred marks on this device: one localStorage entry in the
//! export format ([`crate::reading`]), so that the stored copy and a downloaded export
//! are the same document. Another tab's changes arrive through the `storage` event.
//! Keeping them can fail (storage turned off, quota): callers show why, and the marks
//! then last until the page is closed.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::browser::{js_error, local_storage};
use super::texts::Texts;
use crate::reading::{ImportError, ReadingState};

/// The localStorage key.
const KEY: &str = "newsreader.reading";
/// Where an entry that could not be read is moved, so that the next save does not
/// destroy what may still be recovered by hand.
const UNREADABLE_KEY: &str = "newsreader.reading.unreadable";

/// Why marks cannot be kept or read on this device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarksProblem {
    /// Storage refused (turned off for the site, full): the browser's words.
    Storage(String),
    /// What was stored could not be read (it is moved aside, not lost).
    Unreadable(ImportError),
}

impl MarksProblem {
    /// In the interface's language.
    pub fn describe(&self, t: &Texts) -> String {
        match self {
            MarksProblem::Storage(why) => t.fill("reading-storage-failed", &[("error", why)]),
            MarksProblem::Unreadable(error) => {
                t.fill("reading-stored-unreadable", &[("error", &import_error(t, error))])
            }
        }
    }
}

/// The marks this device keeps, and what went wrong reading them, if anything.
pub fn load() -> (ReadingState, Option<MarksProblem>) {
    let stored = match local_storage().and_then(|s| s.get_item(KEY).map_err(|e| js_error(&e))) {
        Ok(stored) => stored,
        Err(why) => return (ReadingState::new(), Some(MarksProblem::Storage(why))),
    };
    let Some(stored) = stored else { return (ReadingState::new(), None) };
    match ReadingState::from_json(stored.as_bytes()) {
        Ok(state) => (state, None),
        Err(error) => {
            if let Ok(storage) = local_storage() {
                let _ = storage.set_item(UNREADABLE_KEY, &stored);
            }
            (ReadingState::new(), Some(MarksProblem::Unreadable(error)))
        }
    }
}

/// Keeps `marks` on this device. The stored copy carries no export time: the same marks
/// are the same bytes, so writing them again (a tab answering another's change) is not
/// a change that other tabs hear about.
pub fn save(marks: &ReadingState) -> Result<(), MarksProblem> {
    let storage = local_storage().map_err(MarksProblem::Storage)?;
    storage.set_item(KEY, &marks.to_json(0)).map_err(|error| MarksProblem::Storage(js_error(&error)))
}

/// Calls `changed` with the marks another tab of this site saved, for as long as the
/// listener is kept.
pub fn watch(changed: impl Fn(ReadingState) + 'static) -> EventListener {
    EventListener::new(&gloo::utils::window(), "storage", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else { return };
        if event.key().as_deref() != Some(KEY) {
            return;
        }
        let marks = event.new_value().map_or(Ok(ReadingState::new()), |v| ReadingState::from_json(v.as_bytes()));
        if let Ok(marks) = marks {
            changed(marks);
        }
    })
}

/// Offers the marks as a file to download.
pub fn export(marks: &ReadingState, now: i64) -> Result<(), String> {
    let json = marks.to_json(now);
    let parts = js_sys::Array::of1(&json.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| js_error(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| js_error(&e))?;
    let document = gloo::utils::document();
    let link: web_sys::HtmlAnchorElement = document.create_element("a").map_err(|e| js_error(&e))?.unchecked_into();
    link.set_href(&url);
    link.set_download(&format!("newsreader-read-and-starred-{}.json", crate::day::day_string((now / 86_400) as i32)));
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The marks in a file the reader chose.
pub async fn import(t: &Texts, file: web_sys::File) -> Result<ReadingState, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| js_error(&e))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    ReadingState::from_json(&bytes).map_err(|e| import_error(t, &e))
}

/// An import error, for the reader. The core words it in English; the interface's
/// language says which of its kinds it is, with the detail after.
pub fn import_error(t: &Texts, error: &ImportError) -> String {
    match error {
        ImportError::NotJson { .. } => t.text("import-not-json").to_string(),
        ImportError::Truncated { .. } => t.text("import-truncated").to_string(),
        ImportError::OtherFormat { .. } => t.text("import-other-format").to_string(),
        ImportError::NewerVersion { found, .. } => t.fill("import-newer", &[("version", &found.to_string())]),
        ImportError::BadField { .. } | ImportError::BadEntry { .. } => {
            t.fill("import-bad-entry", &[("detail", &error.to_string())])
        }
    }
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
