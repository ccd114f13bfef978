//! The library: the archive this page comes with and the archives imported into this
//! browser, to switch between and to delete, and "Open archive…", which imports a
//! one-file bundle (dropping one anywhere on the page does the same).

use yew::prelude::*;

use super::dialogs::Modal;
use crate::app::hooks::use_reader;
use crate::app::imports::{self, ImportError, Imported, Stage};
use crate::app::state::Importing;
use crate::app::texts::Texts;
use crate::archive::bundle::BundleError;
use crate::archive::read::ReadError;

#[derive(Properties, PartialEq)]
pub struct LibraryDialogProps {
    pub importing: Option<Importing>,
    pub onimport: Callback<web_sys::File>,
    pub onclose: Callback<()>,
}

/// Why an import failed, or an imported archive could not be read, in the reader's words.
pub fn describe_import(t: &Texts, error: &ImportError) -> String {
    match error {
        ImportError::Bundle(bundle) => match bundle {
            BundleError::NotABundle(why) => t.fill("bundle-not-a-bundle", &[("why", why)]),
            BundleError::Version { found } => t.fill("bundle-version", &[("found", &found.to_string())]),
            BundleError::Truncated(why) => t.fill("bundle-truncated", &[("why", why)]),
            BundleError::Damaged { offset, why } => {
                t.fill("bundle-damaged", &[("offset", &offset.to_string()), ("why", why)])
            }
            BundleError::Checksum { path } => t.fill("bundle-checksum", &[("path", path)]),
            BundleError::TooLarge { path, bytes } => {
                t.fill("bundle-too-large", &[("path", path), ("size", &t.megabytes(*bytes))])
            }
            BundleError::UnsafePath(path) => t.fill("bundle-unsafe-path", &[("path", path)]),
            BundleError::Unexpected { path, why } => t.fill("bundle-unexpected", &[("path", path), ("why", why)]),
        },
        ImportError::Archive(ReadError::Unreadable { file, .. }) | ImportError::Missing(file) => {
            t.fill("bundle-missing-file", &[("path", file)])
        }
        ImportError::Archive(ReadError::Format(format)) => {
            super::describe_error(t, &crate::app::net::LoadError::Format(format.clone()))
        }
        ImportError::Browser(why) => t.fill("import-browser", &[("why", why)]),
        ImportError::NotHere(_) => t.text("import-not-here").to_string(),
    }
}

/// A step of deleting an archive: it asks first.
enum Deleting {
    Ask(String),
    Confirm(String),
    Cancel,
}

/// One archive of the library: what it is, and open or delete.
fn entry(t: &Texts, archive: &Imported, current: bool, confirming: bool, ondelete: Callback<Deleting>) -> Html {
    let info = t.fill(
        "library-entry-info",
        &[
            ("posts", &t.number(archive.posts as usize)),
            ("size", &t.megabytes(archive.bytes)),
            ("date", archive.built.get(..10).unwrap_or_default()),
        ],
    );
    let id = archive.id.clone();
    let ask = ondelete.reform(move |_: MouseEvent| Deleting::Ask(id.clone()));
    let confirm = {
        let id = archive.id.clone();
        ondelete.reform(move |_: MouseEvent| Deleting::Confirm(id.clone()))
    };
    let cancel = ondelete.reform(|_: MouseEvent| Deleting::Cancel);
    html! {
        <li class="library-entry" data-testid="library-entry" data-id={archive.id.clone()} aria-current={current.then_some("true")}>
            <span class="library-name">{ &archive.name }</span>
            <span class="hint">{ info }</span>
            <span class="buttons">
                if current {
                    <span class="library-current">{ t.text("library-current") }</span>
                } else {
                    <a class="button" data-testid="library-open" href={imports::address(Some(&archive.id))}>{ t.text("library-open") }</a>
                }
                if confirming {
                    <span role="alert">{ t.fill("library-delete-confirm", &[("name", &archive.name)]) }</span>
                    <button class="danger" data-testid="library-delete-confirm" onclick={confirm}>{ t.text("library-delete") }</button>
                    <button onclick={cancel}>{ t.text("cancel") }</button>
                } else {
                    <button data-testid="library-delete" onclick={ask}>{ t.text("library-delete") }</button>
                }
            </span>
        </li>
    }
}

#[component]
pub fn LibraryDialog(props: &LibraryDialogProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    let listed = use_state(imports::list);
    // The archive whose deletion waits for a second click.
    let confirming = use_state(|| None::<String>);
    let problem = use_state(|| None::<String>);
    let open = imports::open_id();
    let ondelete = {
        let (listed, confirming, problem, open) = (listed.clone(), confirming.clone(), problem.clone(), open.clone());
        Callback::from(move |step: Deleting| match step {
            Deleting::Confirm(id) => {
                let (listed, problem, open) = (listed.clone(), problem.clone(), open.clone());
                confirming.set(None);
                wasm_bindgen_futures::spawn_local(async move {
                    match imports::delete(&id).await {
                        // The archive shown is gone: show the page's own.
                        Ok(()) if open.as_deref() == Some(id.as_str()) => {
                            let _ = gloo::utils::window().location().assign(&imports::address(None));
                        }
                        Ok(()) => listed.set(imports::list()),
                        Err(why) => problem.set(Some(why)),
                    }
                });
            }
            Deleting::Ask(id) => confirming.set(Some(id)),
            Deleting::Cancel => confirming.set(None),
        })
    };
    let onpick = {
        let onimport = props.onimport.clone();
        Callback::from(move |event: Event| {
            if let Some(file) = crate::app::browser::take_picked_file(&event) {
                onimport.emit(file);
            }
        })
    };
    let working = matches!(props.importing, Some(Importing::Working(_)));
    let status = match &props.importing {
        Some(Importing::Working(Stage::Reading)) => Some(t.text("import-reading").to_string()),
        Some(Importing::Working(Stage::Checking { done, total })) => {
            Some(t.fill("import-checking", &[("done", &t.number(*done)), ("total", &t.number(*total))]))
        }
        Some(Importing::Working(Stage::Keeping)) => Some(t.text("import-keeping").to_string()),
        _ => None,
    };
    let failure = match &props.importing {
        Some(Importing::Failed(error)) => Some(describe_import(t, &error.0)),
        _ => None,
    };
    let bundled_current = open.is_none();
    html! {
        <Modal testid="library-dialog" title={t.text("library").to_string()} onclose={props.onclose.clone()}>
            <ul class="library" data-testid="library">
                <li class="library-entry" data-testid="library-bundled" aria-current={bundled_current.then_some("true")}>
                    <span class="library-name">{ t.text("library-bundled") }</span>
                    <span class="buttons">
                        if bundled_current {
                            <span class="library-current">{ t.text("library-current") }</span>
                        } else {
                            <a class="button" data-testid="library-open" href={imports::address(None)}>{ t.text("library-open") }</a>
                        }
                    </span>
                </li>
                { for listed.iter().flatten().map(|archive| {
                    let current = open.as_deref() == Some(archive.id.as_str());
                    let asking = confirming.as_deref() == Some(archive.id.as_str());
                    entry(t, archive, current, asking, ondelete.clone())
                }) }
            </ul>
            if let Err(why) = &*listed {
                <p class="error" role="alert">{ t.fill("library-unreadable", &[("why", why)]) }</p>
            }
            if let Some(why) = &*problem {
                <p class="error" role="alert">{ t.fill("library-delete-failed", &[("why", why)]) }</p>
            }
            <div class="buttons">
                <label class={classes!("button", working.then_some("disabled"))}>
                    { t.text("open-archive") }
                    <input type="file" class="sr-only" data-testid="open-archive" accept=".newsarchive,.tar,.bundle,application/x-tar"
                        disabled={working} onchange={onpick} />
                </label>
            </div>
            <p class="hint">{ t.text("open-archive-hint") }</p>
            if let Some(status) = status {
                <p role="status" data-testid="import-progress">{ status }</p>
            }
            if let Some(failure) = failure {
                <p class="error" role="alert" data-testid="import-error">{ t.fill("import-failed", &[("why", &failure)]) }</p>
            }
        </Modal>
    }
}
