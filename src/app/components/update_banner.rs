//! A newer build of the archive ("312 new posts · 1.4 MB", applied in place on one click)
//! or of the reader itself (one click reloads into it).

use yew::prelude::*;

use crate::app::context::{SyncRequest, SyncView};
use crate::app::hooks::use_reader;

#[derive(Properties, PartialEq)]
pub struct UpdateBannerProps {
    pub sync: SyncView,
}

#[component]
pub fn UpdateBanner(props: &UpdateBannerProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    let sync = &props.sync;
    if sync.app_update {
        let onreload = reader.onsync.reform(|_: MouseEvent| SyncRequest::ReloadApp);
        return html! {
            <div class="update" data-testid="app-update" role="status">
                <span>{ t.text("app-update") }</span>
                <button data-testid="reload-app" onclick={onreload}>{ t.text("reload") }</button>
            </div>
        };
    }
    let Some(update) = &sync.update else { return html! {} };
    let count = |n: i64| t.number(n.unsigned_abs() as usize);
    let posts = match update.new_posts {
        0 => t.text("update-changed").to_string(),
        1 => t.text("update-new-one").to_string(),
        n if n > 1 => t.fill("update-new-many", &[("count", &count(n))]),
        -1 => t.text("update-removed-one").to_string(),
        n => t.fill("update-removed-many", &[("count", &count(n))]),
    };
    let onapply = reader.onsync.reform(|_: MouseEvent| SyncRequest::ApplyUpdate);
    html! {
        <div class="update" data-testid="update-banner" role="status" data-new-posts={update.new_posts.to_string()}>
            <span>{ t.fill("update-summary", &[("posts", &posts), ("size", &t.megabytes(update.download))]) }</span>
            if let Some(done) = sync.applying {
                <progress max={update.download.max(1).to_string()} value={done.to_string()}></progress>
                <span>{ t.text("updating") }</span>
            } else {
                <button data-testid="apply-update" onclick={onapply}>{ t.text("update-apply") }</button>
            }
        </div>
    }
}
