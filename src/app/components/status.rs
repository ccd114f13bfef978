//! What the reader shows before an archive is ready: progress, or what went wrong.

use yew::prelude::*;

use crate::app::imports::{self, ImportError};
use crate::app::net::{LoadError, ARCHIVE_URL};
use crate::app::texts::Texts;
use crate::archive::FormatError;

/// Progress while `archive.json` (and a sharded archive's list) downloads. A plain
/// function, not a component: it has no state, and each component type costs wasm.
pub fn loading(t: &Texts, received: u64, total: Option<u64>) -> Html {
    let text = match total {
        Some(total) => t.fill("loaded-of", &[("received", &t.megabytes(received)), ("total", &t.megabytes(total))]),
        None if received > 0 => t.megabytes(received),
        None => String::new(),
    };
    html! {
        <main class="status" data-testid="loading" aria-busy="true">
            <h1>{ t.text("loading-archive") }</h1>
            if let Some(total) = total {
                <progress max={total.to_string()} value={received.to_string()}></progress>
            } else {
                <progress></progress>
            }
            <p class="hint">{ text }</p>
        </main>
    }
}

/// A load error as the reader is told it, in the interface's language.
pub fn describe(t: &Texts, error: &LoadError) -> String {
    let n = |v: usize| v.to_string();
    match error {
        LoadError::Http { url, status, status_text } => {
            t.fill("load-http", &[("url", url), ("status", &status.to_string()), ("text", status_text)])
        }
        LoadError::Network(why) => t.fill("load-network", &[("why", why)]),
        LoadError::Format(format) => match format {
            FormatError::Truncated { file, line, column } => {
                t.fill("format-truncated", &[("file", file), ("line", &n(*line)), ("column", &n(*column))])
            }
            FormatError::NotJson { file, line, column, message } => t.fill(
                "format-not-json",
                &[("file", file), ("line", &n(*line)), ("column", &n(*column)), ("message", message)],
            ),
            FormatError::UnknownVersion { file, found, supported } => t.fill(
                "format-version",
                &[("file", file), ("found", &found.to_string()), ("supported", &supported.to_string())],
            ),
            FormatError::Invalid { file, reason } => t.fill("format-invalid", &[("file", file), ("reason", reason)]),
            FormatError::Index { file, error } => {
                t.fill("format-index", &[("file", file), ("reason", &error.to_string())])
            }
        },
        LoadError::Imported(error) => super::library::describe_import(t, error),
        LoadError::Sanitizer(error) => t.fill("sanitizer-failed", &[("error", &error.to_string())]),
    }
}

/// The keys of a headline, what happened (filled with the error), and what to do.
fn explain(error: &LoadError) -> (&'static str, &'static str, &'static str) {
    match error {
        LoadError::Http { status: 404, url, .. } if !url.ends_with(ARCHIVE_URL) => {
            ("error-incomplete", "detail-missing-file", "advice-rebuild")
        }
        LoadError::Http { status: 404, .. } => ("error-none-yet", "detail-no-archive", "advice-rebuild"),
        LoadError::Http { .. } => ("error-not-loaded", "detail", "advice-reload"),
        LoadError::Network(_) | LoadError::Sanitizer(_) => ("error-not-downloaded", "detail", "advice-connection"),
        LoadError::Format(FormatError::Truncated { .. }) => ("error-incomplete", "detail", "advice-rebuild"),
        LoadError::Format(FormatError::NotJson { .. }) => ("error-not-archive", "detail-error-page", "advice-rebuild"),
        LoadError::Format(FormatError::UnknownVersion { .. }) => ("error-mismatch", "detail", "advice-mismatch"),
        LoadError::Format(FormatError::Invalid { .. } | FormatError::Index { .. }) => {
            ("error-damaged", "detail", "advice-rebuild")
        }
        LoadError::Imported(ImportError::NotHere(_)) => ("error-not-imported", "detail", "advice-not-imported"),
        LoadError::Imported(_) => ("error-imported-unreadable", "detail", "advice-reimport"),
    }
}

/// What went wrong, and what to do about it; a plain function like [`loading`].
pub fn error_screen(t: &Texts, error: &LoadError) -> Html {
    let (headline, detail, advice) = explain(error);
    // i18n-keys: detail-missing-file, detail-no-archive, detail, detail-error-page
    let detail = t.fill(detail, &[("error", &describe(t, error)), ("url", ARCHIVE_URL)]);
    let onreload = Callback::from(|_| {
        let _ = gloo::utils::window().location().reload();
    });
    html! {
        <main class="status error" data-testid="error" role="alert">
            // i18n-keys: error-incomplete, error-none-yet, error-not-loaded, error-not-downloaded, error-not-archive, error-mismatch, error-damaged, error-not-imported, error-imported-unreadable
            <h1>{ t.text(headline) }</h1>
            <p data-testid="error-detail">{ detail }</p>
            // i18n-keys: advice-rebuild, advice-reload, advice-connection, advice-mismatch, advice-not-imported, advice-reimport
            <p class="hint">{ t.text(advice) }</p>
            <button onclick={onreload}>{ t.text("try-again") }</button>
            if imports::open_id().is_some() {
                <a class="button" data-testid="open-bundled" href={imports::address(None)}>{ t.text("open-bundled") }</a>
            }
        </main>
    }
}
