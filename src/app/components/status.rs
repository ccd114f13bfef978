//! What the reader shows before an archive is ready: progress, or what went wrong.

use yew::prelude::*;

use crate::app::net::{LoadError, ARCHIVE_URL};
use crate::archive::FormatError;

/// `12.3 MB`, with integers: formatting floats would bring its code into the wasm.
fn megabytes(bytes: u64) -> String {
    let tenths = (bytes + 50_000) / 100_000;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// Progress while `archive.json` (and a sharded archive's list) downloads. A plain
/// function, not a component: it has no state, and each component type costs wasm.
pub fn loading(received: u64, total: Option<u64>) -> Html {
    let text = match total {
        Some(total) => format!("{} of {}", megabytes(received), megabytes(total)),
        None if received > 0 => megabytes(received),
        None => String::new(),
    };
    html! {
        <main class="status" data-testid="loading" aria-busy="true">
            <h1>{ "Loading the archive…" }</h1>
            if let Some(total) = total {
                <progress max={total.to_string()} value={received.to_string()}></progress>
            } else {
                <progress></progress>
            }
            <p class="hint">{ text }</p>
        </main>
    }
}

/// A headline, what happened, and what to do about it.
fn explain(error: &LoadError) -> (&'static str, String, &'static str) {
    const REBUILD: &str = "Rebuild it with `make archive POSTS=<posts folder> OUT=<folder>` and copy that folder to archive/ next to index.html (or run `make dist ARCHIVE=<folder>`).";
    match error {
        LoadError::Http { status: 404, url, .. } if !url.ends_with(ARCHIVE_URL) => (
            "The archive is incomplete",
            format!("{error}: archive.json names a file that is not on the server."),
            REBUILD,
        ),
        LoadError::Http { status: 404, .. } => (
            "No archive here yet",
            format!("The reader looks for its archive at {ARCHIVE_URL}, next to this page, and the server says there is no such file ({error})."),
            REBUILD,
        ),
        LoadError::Http { .. } => (
            "The archive could not be loaded",
            format!("{error}."),
            "Reload the page in a moment; if it keeps happening, check the web server's configuration.",
        ),
        LoadError::Network(_) => (
            "The archive could not be downloaded",
            format!("{error}."),
            "Check the connection and reload. Once it has loaded one time, the installed reader also works offline.",
        ),
        LoadError::Format(FormatError::Truncated { .. }) => ("The archive is incomplete", format!("{error}."), REBUILD),
        LoadError::Format(FormatError::NotJson { .. }) => (
            "This is not an archive",
            format!("{error}. The server may have sent an error page instead of the file."),
            REBUILD,
        ),
        LoadError::Format(FormatError::UnknownVersion { .. }) => (
            "The archive and the reader do not match",
            format!("{error}."),
            "Rebuild the archive with the newsarchive tool that comes with this reader, or publish it with the reader it was built for.",
        ),
        LoadError::Format(FormatError::Invalid { .. } | FormatError::Index { .. }) => ("The archive is damaged", format!("{error}."), REBUILD),
    }
}

/// The error messages are clauses ("the server answered …"); shown alone they start a sentence.
fn capitalized(mut text: String) -> String {
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// What went wrong, and what to do about it; a plain function like [`loading`].
pub fn error_screen(error: &LoadError) -> Html {
    let (headline, detail, advice) = explain(error);
    let detail = capitalized(detail);
    let onreload = Callback::from(|_| {
        let _ = gloo::utils::window().location().reload();
    });
    html! {
        <main class="status error" data-testid="error" role="alert">
            <h1>{ headline }</h1>
            <p data-testid="error-detail">{ detail }</p>
            <p class="hint">{ advice }</p>
            <button onclick={onreload}>{ "Try again" }</button>
        </main>
    }
}
