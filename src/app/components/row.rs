//! One row of the list: title (matches marked), date and source, and the excerpt, or
//! with a search a snippet around the first match in the body; read rows are quieter,
//! and a star button sits beside the link. A component with props compared cheaply, so
//! scrolling re-renders only the rows that come into view.

use std::rc::Rc;

use yew::prelude::*;

use super::marked::marked;
use crate::app::script::Display;
use crate::app::state::{DetailsRef, Shared};
use crate::app::texts::Texts;
use crate::search::{highlights, snippet, Query};
use crate::text::html_to_text;

/// Characters of body text shown around a search match.
const SNIPPET_CHARS: usize = 120;

#[derive(Properties, PartialEq)]
pub struct RowProps {
    pub id: AttrValue,
    /// Its place in the listing.
    pub at: usize,
    /// How many rows the listing has (for screen readers: "row 3 of 27,000").
    pub setsize: usize,
    pub href: String,
    /// The open article's row.
    pub current: bool,
    /// The row that Tab reaches (the list's roving tab stop).
    pub tabbable: bool,
    pub read: bool,
    pub starred: bool,
    /// As shown (in the script the reader chose).
    pub title: AttrValue,
    pub lang: AttrValue,
    pub date: AttrValue,
    pub source: AttrValue,
    /// The row's details shard and its place in it; `None` until the shard is here.
    pub details: Option<(DetailsRef, usize)>,
    /// The excerpt the manifest's head has for the row, until its details arrive.
    pub head_excerpt: Option<AttrValue>,
    pub display: Display,
    pub query: Rc<Query>,
    /// Star (`true`) or unstar the post with this id.
    pub onstar: Callback<(String, bool)>,
    /// The interface's words (not from the context: a row renders again only when its
    /// own props change, not whenever a shard arrives).
    pub texts: Shared<Texts>,
}

#[component]
pub fn Row(props: &RowProps) -> Html {
    let t = &props.texts;
    let marks = use_memo((props.title.clone(), props.query.clone()), |(title, query)| highlights(title, query));
    // Only while searching, and only when the body, the query or the script changes.
    let snippet =
        use_memo((props.details.clone(), props.query.clone(), props.display.clone()), |(details, query, display)| {
            let (shard, at) = details.as_ref().filter(|_| !query.include.is_empty())?;
            snippet(&display.shown(&html_to_text(&shard.get(*at)?.body)), query, SNIPPET_CHARS)
        });
    let excerpt = use_memo(
        (props.details.clone(), props.head_excerpt.clone(), props.display.clone()),
        |(details, head, display)| {
            let excerpt = details.as_ref().and_then(|(shard, at)| shard.get(*at)).map(|d| d.excerpt.as_str());
            match excerpt {
                Some(excerpt) => Some(display.shown(excerpt).into_owned()),
                None => head.as_ref().map(|h| h.to_string()),
            }
        },
    );
    let shown = match (&*snippet, &*excerpt) {
        (Some(s), _) => marked(&s.text, &s.marks),
        (None, Some(excerpt)) => html! { { excerpt } },
        (None, None) => html! {},
    };
    let onstar = {
        let (onstar, id, starred) = (props.onstar.clone(), props.id.to_string(), props.starred);
        Callback::from(move |_: MouseEvent| onstar.emit((id.clone(), !starred)))
    };
    let tabindex = if props.tabbable { "0" } else { "-1" };
    let star_label = t.fill("star-post", &[("title", &props.title)]);
    html! {
        <div class={classes!("row-item", props.read.then_some("read"))} role="listitem" data-at={props.at.to_string()}
            aria-setsize={props.setsize.to_string()} aria-posinset={(props.at + 1).to_string()}>
            <a class="row" data-testid="row" data-id={props.id.clone()} data-read={props.read.then_some("true")}
                href={props.href.clone()} aria-current={props.current.then_some("true")} {tabindex}>
                <span class="row-title" lang={props.lang.clone()}>{ marked(&props.title, &marks) }</span>
                <span class="row-meta">
                    <time>{ props.date.clone() }</time>
                    { " · " }{ props.source.clone() }
                    if !props.read { <span class="unread-dot" aria-hidden="true"></span><span class="sr-only">{ t.text("unread-sr") }</span> }
                </span>
                <span class="row-excerpt" lang={props.lang.clone()} aria-busy={excerpt.is_none().then_some("true")}>{ shown }</span>
            </a>
            <button class="star row-star" data-testid="star" aria-pressed={if props.starred { "true" } else { "false" }}
                aria-label={star_label} title={t.text("star").to_string()} {tabindex} onclick={onstar}>
                <span aria-hidden="true">{ if props.starred { "★" } else { "☆" } }</span>
            </button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct RowPlaceholderProps {
    pub at: usize,
    pub setsize: usize,
    pub texts: Shared<Texts>,
}

/// A row whose post has not arrived yet: the same height, announced as busy.
#[component]
pub fn RowPlaceholder(props: &RowPlaceholderProps) -> Html {
    html! {
        <div class="row-item" role="listitem" data-at={props.at.to_string()} aria-busy="true"
            aria-setsize={props.setsize.to_string()} aria-posinset={(props.at + 1).to_string()}>
            <div class="row placeholder" data-testid="row-loading">
                <span class="row-title">{ props.texts.text("row-loading") }</span>
                <span class="row-meta">{ "\u{a0}" }</span>
                <span class="row-excerpt">{ "\u{a0}" }</span>
            </div>
        </div>
    }
}
