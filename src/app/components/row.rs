//! One row of the list: title (matches marked), date and source, and the excerpt, or
//! with a search a snippet around the first match in the body. A component with props
//! compared cheaply, so scrolling re-renders only the rows that come into view.

use std::rc::Rc;

use yew::prelude::*;

use super::marked::marked;
use crate::app::browser;
use crate::app::state::DetailsRef;
use crate::search::{highlights, snippet, Query};
use crate::text::html_to_text;

/// Characters of body text shown around a search match.
const SNIPPET_CHARS: usize = 120;

#[derive(Properties, PartialEq)]
pub struct RowProps {
    pub href: String,
    /// The open article's row.
    pub current: bool,
    pub title: AttrValue,
    pub lang: AttrValue,
    pub ts: i64,
    pub source: AttrValue,
    /// The row's details shard and its place in it; `None` until the shard is here.
    pub details: Option<(DetailsRef, usize)>,
    /// The excerpt the manifest's head has for the row, until its details arrive.
    pub head_excerpt: Option<AttrValue>,
    pub query: Rc<Query>,
}

#[component]
pub fn Row(props: &RowProps) -> Html {
    let marks = use_memo((props.title.clone(), props.query.clone()), |(title, query)| highlights(title, query));
    // Only while searching, and only when the body or the query changes.
    let snippet = use_memo((props.details.clone(), props.query.clone()), |(details, query)| {
        let (shard, at) = details.as_ref().filter(|_| !query.include.is_empty())?;
        snippet(&html_to_text(&shard.get(*at)?.body), query, SNIPPET_CHARS)
    });
    let excerpt = props
        .details
        .as_ref()
        .and_then(|(shard, at)| shard.get(*at))
        .map(|d| d.excerpt.as_str())
        .or(props.head_excerpt.as_deref());
    let shown = match (&*snippet, excerpt) {
        (Some(s), _) => marked(&s.text, &s.marks),
        (None, Some(excerpt)) => html! { { excerpt } },
        (None, None) => html! {},
    };
    html! {
        <a class="row" data-testid="row" role="listitem" href={props.href.clone()} aria-current={props.current.then_some("true")}>
            <span class="row-title" lang={props.lang.clone()}>{ marked(&props.title, &marks) }</span>
            <span class="row-meta">
                <time>{ browser::format_date(props.ts) }</time>
                { " · " }{ props.source.clone() }
            </span>
            <span class="row-excerpt" lang={props.lang.clone()} aria-busy={excerpt.is_none().then_some("true")}>{ shown }</span>
        </a>
    }
}

/// A row whose post has not arrived yet: the same height, announced as busy.
#[component]
pub fn RowPlaceholder() -> Html {
    html! {
        <div class="row placeholder" data-testid="row-loading" role="listitem" aria-busy="true">
            <span class="row-title">{ "…" }</span>
            <span class="row-meta">{ "\u{a0}" }</span>
            <span class="row-excerpt">{ "\u{a0}" }</span>
        </div>
    }
}
