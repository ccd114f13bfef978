//! What the reader is told under the top bar: what an action on many marks did (with
//! Undo), and why marks, settings or the Traditional characters table cannot be kept or
//! loaded. Nothing fails silently.

use yew::prelude::*;

use super::reader::Problems;
use crate::app::hooks::use_reader;
use crate::app::state::{Mark, Notice};

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub problems: Problems,
}

#[component]
pub fn Notices(props: &NoticesProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    let p = &props.problems;
    let notice = p.notice.as_ref().map(|notice| match notice {
        Notice::MarkedRead(n) => t.fill("marked-read", &[("count", &t.number(*n))]),
        Notice::Imported { read, starred } => {
            t.fill("reading-imported", &[("read", &t.number(*read)), ("starred", &t.number(*starred))])
        }
        Notice::Cleared => t.text("reading-cleared").to_string(),
        Notice::ImportFailed(why) => t.fill("reading-import-failed", &[("error", why)]),
        Notice::ExportFailed(why) => t.fill("reading-export-failed", &[("error", why)]),
    });
    let failed = matches!(p.notice, Some(Notice::ImportFailed(_) | Notice::ExportFailed(_)));
    let onundo = reader.onmark.reform(|_: MouseEvent| Mark::Undo);
    let ondismiss = reader.onnotice.reform(|_: MouseEvent| None);
    let problems: Vec<String> = [p.marks.clone(), p.settings.clone(), p.script.clone()].into_iter().flatten().collect();
    html! {
        <div class="notices">
            if let Some(notice) = notice {
                <div class={classes!("notice", failed.then_some("error"))} data-testid="notice" role={if failed { "alert" } else { "status" }}>
                    <span>{ notice }</span>
                    if p.can_undo {
                        <button data-testid="undo" onclick={onundo}>{ t.text("undo") }</button>
                    }
                    <button class="icon-button" aria-label={t.text("dismiss").to_string()} onclick={ondismiss}>
                        <span aria-hidden="true">{ "×" }</span>
                    </button>
                </div>
            }
            if p.script_loading {
                <div class="notice" role="status" data-testid="script-loading">{ t.text("script-loading") }</div>
            }
            { for problems.into_iter().map(|problem| html! {
                <div class="notice error" role="alert" data-testid="storage-problem">{ problem }</div>
            }) }
        </div>
    }
}
