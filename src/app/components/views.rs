//! All, unread or starred posts, with how many of the archive's are unread and starred,
//! and "mark all in the list as read".

use std::rc::Rc;

use yew::prelude::*;

use crate::app::browser;
use crate::app::hooks::use_reader;
use crate::app::state::Mark;
use crate::filter::{Filters, Listing, Only};

#[derive(Properties, PartialEq)]
pub struct ViewSwitchProps {
    pub filters: Filters,
    pub listing: Rc<Listing>,
    pub onchange: Callback<Filters>,
}

#[component]
pub fn ViewSwitch(props: &ViewSwitchProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    // Over the posts that have arrived: a post not here yet is counted unread.
    let (unread, starred) =
        *use_memo((reader.library.clone(), reader.parts_loaded, reader.marks.clone()), |(library, _, marks)| {
            let catalog = library.catalog();
            let (mut read, mut starred) = (0, 0);
            for (position, entry) in catalog.entries.iter().enumerate() {
                if catalog.is_loaded(position) {
                    read += usize::from(marks.is_read(&entry.id));
                    starred += usize::from(marks.is_starred(&entry.id));
                }
            }
            (catalog.entries.len() - read, starred)
        });
    let choose = |only: Only| {
        let onchange = props.onchange.clone();
        Callback::from(move |_: MouseEvent| onchange.emit(Filters { only, ..browser::current_filters() }))
    };
    let onallread = {
        let (onmark, listing, library) = (reader.onmark.clone(), props.listing.clone(), reader.library.clone());
        Callback::from(move |_: MouseEvent| {
            let catalog = library.catalog();
            let ids =
                listing.indices.iter().filter(|&&i| catalog.is_loaded(i)).map(|&i| catalog.entries[i].id.to_string());
            onmark.emit(Mark::AllRead(ids.collect()));
        })
    };
    let only = props.filters.only;
    let button = |value: Only, testid: &'static str, label: String, count: Option<usize>| {
        html! {
            <button class={classes!("view", (only == value).then_some("chosen"))} data-testid={testid}
                data-count={count.map(|c| c.to_string())}
                aria-pressed={if only == value { "true" } else { "false" }} onclick={choose(value)}>
                { label }
            </button>
        }
    };
    html! {
        <div class="views">
            <div class="view-switch" role="group" aria-label={t.text("view-label").to_string()}>
                { button(Only::All, "view-all", t.text("view-all").to_string(), None) }
                { button(Only::Unread, "view-unread", t.fill("view-unread-count", &[("count", &t.number(unread))]), Some(unread)) }
                { button(Only::Starred, "view-starred", t.fill("view-starred-count", &[("count", &t.number(starred))]), Some(starred)) }
            </div>
            <button class="link" data-testid="mark-all-read" disabled={props.listing.indices.is_empty()} onclick={onallread}>
                { t.text("mark-all-read") }
            </button>
        </div>
    }
}
