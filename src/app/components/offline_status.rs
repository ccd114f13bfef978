//! "Save for offline": whether this device keeps the whole archive, saving it with
//! progress and the space it needs and is granted, and what went wrong, in words.

use yew::prelude::*;

use crate::app::context::{SyncRequest, SyncView};
use crate::app::hooks::use_reader;
use crate::app::state::SaveState;

/// A failure to keep a file that arrived for a view: not the view's problem, but said here.
fn kept_failure(t: &crate::app::texts::Texts) -> Option<String> {
    crate::app::offline::last_failure().map(|e| t.fill("not-kept", &[("error", &e.describe(t))]))
}

#[derive(Properties, PartialEq)]
pub struct OfflineStatusProps {
    pub sync: SyncView,
}

#[component]
pub fn OfflineStatus(props: &OfflineStatusProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    let library = &reader.library;
    if crate::app::portable::active() {
        return html! {
            <div class="offline" data-testid="offline-status" data-state="portable">
                <span class="offline-text">{ t.text("offline-portable") }</span>
            </div>
        };
    }
    if library.scan.is_some() {
        return html! {}; // one file: kept whenever it is open
    }
    let offline = &props.sync.offline;
    let needed: u64 = library.parts().iter().map(|p| p.bytes).sum::<u64>()
        + if library.index_offline() { library.segments().iter().map(|s| s.bytes).sum() } else { 0 };
    let (state, text) = match &offline.saved {
        SaveState::Unsaved => ("none", t.fill("offline-none", &[("size", &t.megabytes(needed))])),
        SaveState::Saving { done, total } if *total > 0 => {
            ("saving", t.fill("offline-saving", &[("done", &t.megabytes(*done)), ("total", &t.megabytes(*total))]))
        }
        SaveState::Saving { .. } => ("saving", t.text("offline-saving-start").to_string()),
        SaveState::Saved if !crate::app::net::Source::current().is_hosted() => {
            ("saved", t.text("offline-imported").to_string())
        }
        SaveState::Saved => ("saved", t.text("offline-saved").to_string()),
        SaveState::Outdated => ("outdated", t.fill("offline-outdated", &[("size", &t.megabytes(needed))])),
    };
    let space = offline.space.map(|(used, quota)| {
        let space = t.fill("offline-space", &[("quota", &t.megabytes(quota)), ("used", &t.megabytes(used))]);
        if offline.persisted {
            format!("{space} {}", t.text("offline-persisted"))
        } else {
            space
        }
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
                    { if offline.problem.is_some() && saving { t.text("resume-saving") } else { t.text("save-offline") } }
                </button>
            }
            if let Some(space) = space { <span class="hint">{ space }</span> }
            if let Some(problem) = offline.problem.as_ref().map(|p| p.describe(t)).or_else(|| kept_failure(t)) {
                <span class="error" role="alert">{ problem }</span>
            }
        </div>
    }
}
