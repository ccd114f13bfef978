//! "Save for offline": whether this device keeps the whole archive, saving it with
//! progress and the space it needs and is granted, and what went wrong, in words.

use yew::prelude::*;

use crate::app::context::{SyncRequest, SyncView};
use crate::app::hooks::use_reader;
use crate::app::state::SaveState;

fn megabytes(bytes: u64) -> String {
    let tenths = (bytes + 50_000) / 100_000;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// A failure to keep a file that arrived for a view: not the view's problem, but said here.
fn kept_failure() -> Option<String> {
    crate::app::offline::last_failure().map(|e| format!("What you read is not kept for offline: {e}."))
}

#[derive(Properties, PartialEq)]
pub struct OfflineStatusProps {
    pub sync: SyncView,
}

#[component]
pub fn OfflineStatus(props: &OfflineStatusProps) -> Html {
    let reader = use_reader();
    let library = &reader.library;
    if library.scan.is_some() {
        return html! {}; // one file: kept whenever it is open
    }
    let offline = &props.sync.offline;
    let needed: u64 = library.parts().iter().map(|p| p.bytes).sum::<u64>()
        + if library.index_offline() { library.segments().iter().map(|s| s.bytes).sum() } else { 0 };
    let (state, text) = match &offline.saved {
        SaveState::Unsaved => ("none", format!("Not saved for offline ({} to save)", megabytes(needed))),
        SaveState::Saving { done, total } if *total > 0 => {
            ("saving", format!("Saving for offline: {} of {}", megabytes(*done), megabytes(*total)))
        }
        SaveState::Saving { .. } => ("saving", "Saving for offline…".to_string()),
        SaveState::Saved => ("saved", "Saved for offline".to_string()),
        SaveState::Outdated => ("outdated", format!("An older build is saved: save this one ({})", megabytes(needed))),
    };
    let space = offline.space.map(|(used, quota)| {
        format!(
            "This browser allows this site {} ({} in use){}.",
            megabytes(quota),
            megabytes(used),
            if offline.persisted { ", kept under storage pressure" } else { "" }
        )
    });
    let saving = matches!(offline.saved, SaveState::Saving { .. });
    let onsave = reader.onsync.reform(|_: MouseEvent| SyncRequest::Save);
    html! {
        <div class="offline" data-testid="offline-status" data-state={state} aria-live="polite">
            <span class="offline-text">{ text }</span>
            if let SaveState::Saving { done, total } = offline.saved {
                if total > 0 { <progress max={total.to_string()} value={done.to_string()}></progress> }
            }
            if !matches!(offline.saved, SaveState::Saved) {
                <button data-testid="save-offline" disabled={saving && offline.problem.is_none()} onclick={onsave}>
                    { if offline.problem.is_some() && saving { "Resume saving" } else { "Save for offline" } }
                </button>
            }
            if let Some(space) = space { <span class="hint">{ space }</span> }
            if let Some(problem) = offline.problem.clone().or_else(kept_failure) {
                <span class="error" role="alert">{ problem }</span>
            }
        </div>
    }
}
