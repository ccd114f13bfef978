//! A newer build of the archive ("312 new posts · 1.4 MB", applied in place on one click)
//! or of the reader itself (one click reloads into it).

use yew::prelude::*;

use crate::app::context::{SyncRequest, SyncView};
use crate::app::hooks::use_reader;

fn megabytes(bytes: u64) -> String {
    let tenths = (bytes + 50_000) / 100_000;
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

#[derive(Properties, PartialEq)]
pub struct UpdateBannerProps {
    pub sync: SyncView,
}

#[component]
pub fn UpdateBanner(props: &UpdateBannerProps) -> Html {
    let reader = use_reader();
    let sync = &props.sync;
    if sync.app_update {
        let onreload = reader.onsync.reform(|_: MouseEvent| SyncRequest::ReloadApp);
        return html! {
            <div class="update" data-testid="app-update" role="status">
                <span>{ "A new version of the reader is ready." }</span>
                <button data-testid="reload-app" onclick={onreload}>{ "Reload" }</button>
            </div>
        };
    }
    let Some(update) = &sync.update else { return html! {} };
    let posts = match update.new_posts {
        0 => "Posts changed".to_string(),
        1 => "1 new post".to_string(),
        n if n > 1 => format!("{n} new posts"),
        -1 => "1 post removed".to_string(),
        n => format!("{} posts removed", -n),
    };
    let onapply = reader.onsync.reform(|_: MouseEvent| SyncRequest::ApplyUpdate);
    html! {
        <div class="update" data-testid="update-banner" role="status" data-new-posts={update.new_posts.to_string()}>
            <span>{ format!("{posts} · {}", megabytes(update.download)) }</span>
            if let Some(done) = sync.applying {
                <progress max={update.download.max(1).to_string()} value={done.to_string()}></progress>
                <span>{ "Updating…" }</span>
            } else {
                <button data-testid="apply-update" onclick={onapply}>{ "Update" }</button>
            }
        </div>
    }
}
