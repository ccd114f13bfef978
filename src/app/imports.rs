//! Archives imported into this browser from one-file bundles (docs/bundle.md): checked
//! whole before anything is kept, so a bad file changes nothing; kept by
//! static/imports.js (the origin-private file system, else IndexedDB) as the bundle
//! itself; listed in the library; and read member by member, by slices of the bundle.
//! The page's query `?archive=<id>` says which one is open, so its links name it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::Uint8Array;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::archive::bundle::{self, BundleError, Digest, Placed};
use crate::archive::read::{files_named, ReadError};
use crate::archive::{ArchiveFile, ARCHIVE_FILE};

/// The page query parameter naming the imported archive that is open.
pub const QUERY_KEY: &str = "archive";
/// Where the library's list is kept (the bundles themselves are in static/imports.js's store).
const LIST_KEY: &str = "newsreader.imports";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = newsreaderImports, js_name = put, catch)]
    async fn store_put(id: &str, bundle: &web_sys::Blob) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = newsreaderImports, js_name = slice, catch)]
    async fn store_slice(id: &str, start: f64, end: f64) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = newsreaderImports, js_name = remove, catch)]
    async fn store_remove(id: &str) -> Result<JsValue, JsValue>;
}

/// An archive in the library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    /// Which build it is (the fingerprint of its `archive.json`): importing the same
    /// bundle again replaces it.
    pub id: String,
    /// The bundle's file name, without its extension.
    pub name: String,
    /// Posts archived.
    pub posts: u32,
    /// The bundle's size.
    pub bytes: u64,
    /// When it was built (`generated_at`, ISO 8601).
    pub built: String,
}

/// Why a bundle was not imported (nothing was kept), or an imported archive not read.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The file is not a whole, intact bundle.
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// Its archive is not one this reader reads, or lacks a file it names.
    #[error(transparent)]
    Archive(#[from] ReadError),
    /// The browser could not read the file, digest it, or keep it.
    #[error("{0}")]
    Browser(String),
    /// The open archive's bundle has no such file (its archive.json names it, or a link does).
    #[error("the imported archive has no file {0}")]
    Missing(String),
    /// This browser's library has no archive of that id (deleted, or imported elsewhere).
    #[error("no archive {0} was imported into this browser")]
    NotHere(String),
}

fn browser_error(value: JsValue) -> ImportError {
    ImportError::Browser(super::browser::js_error(&value))
}

/// The library, newest import first. An unreadable list is an error, not an empty library.
pub fn list() -> Result<Vec<Imported>, String> {
    match super::browser::remembered(LIST_KEY) {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str(&json).map_err(|e| e.to_string()),
    }
}

fn save_list(list: &[Imported]) -> Result<(), String> {
    let json = serde_json::to_string(list).map_err(|e| e.to_string())?;
    super::browser::remember(LIST_KEY, &json)
}

/// The imported archive the page's URL names, if it names one.
pub fn open_id() -> Option<String> {
    let search = gloo::utils::window().location().search().ok()?;
    url::form_urlencoded::parse(search.trim_start_matches('?').as_bytes())
        .find(|(key, _)| key == QUERY_KEY)
        .map(|(_, value)| value.into_owned())
        .filter(|id| !id.is_empty())
}

thread_local! {
    /// The open archive's name: it stays while the page does (another one is another page).
    static OPEN_NAME: std::cell::OnceCell<Option<String>> = const { std::cell::OnceCell::new() };
}

/// The name of the imported archive that is open, if one is.
pub fn open_name() -> Option<String> {
    OPEN_NAME.with(|name| {
        name.get_or_init(|| {
            let id = open_id()?;
            list().ok()?.into_iter().find(|a| a.id == id).map(|a| a.name)
        })
        .clone()
    })
}

/// The page's address for the imported archive `id` (or, with `None`, the archive the
/// page comes with), at the list.
pub fn address(id: Option<&str>) -> String {
    let location = gloo::utils::window().location();
    let path = location.pathname().unwrap_or_default();
    match id {
        Some(id) => format!("{path}?{QUERY_KEY}={id}#/"),
        None => format!("{path}#/"),
    }
}

/// How far an import is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading the file into the page.
    Reading,
    /// Checking members' digests: this many of so many.
    Checking { done: usize, total: usize },
    /// Writing it to this browser's storage.
    Keeping,
}

/// Imports the bundle `file`: reads and checks all of it (structure, every digest, an
/// archive this reader reads with every file it names), then keeps it and lists it.
/// Nothing is kept or changed unless every check passed.
pub async fn import(file: web_sys::File, on_stage: impl Fn(Stage)) -> Result<Imported, ImportError> {
    on_stage(Stage::Reading);
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(browser_error)?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    let unchecked = bundle::read_unchecked(&bytes)?;
    let total = unchecked.len();
    let mut members = HashMap::with_capacity(total);
    for (done, member) in unchecked.into_iter().enumerate() {
        if done % 256 == 0 {
            on_stage(Stage::Checking { done, total });
        }
        let digest = sha256(member.member.bytes).await?;
        let member = member.check(&digest)?;
        members.insert(member.path, member.bytes);
    }
    let read = |path: &str| {
        members.get(path).map(|bytes| bytes.to_vec()).ok_or_else(|| std::io::Error::other("it is not in the bundle"))
    };
    let named = files_named(read)?;
    let archive_json = members.get(ARCHIVE_FILE).copied().unwrap_or_default();
    let (posts, built) = match named.archive {
        ArchiveFile::Single(archive) => (archive.counts.archived, archive.generated_at),
        ArchiveFile::Sharded(manifest) => (manifest.counts.archived, manifest.generated_at),
    };
    let name = file.name();
    let name = name.rsplit_once('.').map_or(name.as_str(), |(stem, _)| stem).to_string();
    let imported =
        Imported { id: super::sync::fingerprint(archive_json), name, posts, bytes: bytes.len() as u64, built };
    drop(members);
    drop(bytes);
    on_stage(Stage::Keeping);
    let mut library = list().map_err(ImportError::Browser)?;
    let listed_before = library.iter().any(|other| other.id == imported.id);
    store_put(&imported.id, &file).await.map_err(browser_error)?;
    library.retain(|other| other.id != imported.id);
    library.insert(0, imported.clone());
    if let Err(why) = save_list(&library) {
        // Unlisted, the kept copy would only take space; one listed before stays listed.
        if !listed_before && store_remove(&imported.id).await.is_err() {
            return Err(ImportError::Browser(format!("{why} (and its copy could not be removed)")));
        }
        return Err(ImportError::Browser(why));
    }
    Ok(imported)
}

/// The SHA-256 of `bytes`, by WebCrypto (the wasm carries no hash of its own).
async fn sha256(bytes: &[u8]) -> Result<Digest, ImportError> {
    let subtle = gloo::utils::window().crypto().map_err(browser_error)?.subtle();
    let promise = subtle.digest_with_str_and_u8_array("SHA-256", bytes).map_err(browser_error)?;
    let digest = Uint8Array::new(&JsFuture::from(promise).await.map_err(browser_error)?);
    let mut out = [0u8; 32];
    if digest.length() != 32 {
        return Err(ImportError::Browser("the browser's SHA-256 is not 32 bytes".into()));
    }
    digest.copy_to(&mut out);
    Ok(out)
}

/// Removes archive `id` from the library and from this browser's storage.
pub async fn delete(id: &str) -> Result<(), String> {
    store_remove(id).await.map_err(|e| super::browser::js_error(&e))?;
    let mut library = list()?;
    library.retain(|other| other.id != id);
    save_list(&library)
}

/// Where each member of a bundle is: its offset and size.
type Places = Rc<HashMap<String, (u64, u64)>>;

thread_local! {
    /// Where each member of the open archive (by id) is in its bundle, once read.
    static PLACES: RefCell<Option<(String, Places)>> = const { RefCell::new(None) };
}

async fn bytes_of(id: &str, start: u64, end: u64) -> Result<Vec<u8>, ImportError> {
    let chunk = store_slice(id, start as f64, end as f64).await.map_err(browser_error)?;
    Ok(Uint8Array::new(&chunk).to_vec())
}

async fn places(id: &str) -> Result<Places, ImportError> {
    if let Some((_, places)) = PLACES.with(|p| p.borrow().clone()).filter(|(of, _)| of == id) {
        return Ok(places);
    }
    if !list().map_err(ImportError::Browser)?.iter().any(|a| a.id == id) {
        return Err(ImportError::NotHere(id.to_string()));
    }
    let first = bytes_of(id, 0, 512).await?;
    let head = bytes_of(id, 0, bundle::index_extent(&first)?).await?;
    let placed: HashMap<String, (u64, u64)> =
        bundle::locate(&head)?.into_iter().map(|Placed { path, offset, bytes }| (path, (offset, bytes))).collect();
    let placed = Rc::new(placed);
    PLACES.with(|p| *p.borrow_mut() = Some((id.to_string(), placed.clone())));
    Ok(placed)
}

/// A file of the imported archive `id` (a path relative to its `archive.json`).
pub async fn read(id: &str, path: &str) -> Result<Vec<u8>, ImportError> {
    let places = places(id).await?;
    let &(offset, len) = places.get(path).ok_or_else(|| ImportError::Missing(path.to_string()))?;
    bytes_of(id, offset, offset + len).await
}
