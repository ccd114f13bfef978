//! The result list. Only the rows in view (plus a margin) are in the DOM, so a list of
//! 27,000 posts scrolls like one of 30: rows have one fixed height, measured from the
//! first rendered row, and two spacers stand in for the rest.

use gloo::events::EventListener;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::marked::marked;
use super::results::Results;
use crate::app::browser;
use crate::app::state::{FetchedRef, LibraryRef, Needs};
use crate::route::{Route, View};
use crate::search::{highlights, snippet, Query};
use crate::text::html_to_text;

/// Rows rendered beyond each edge of the viewport.
const OVERSCAN: usize = 8;
/// Until a row has been measured; style.css sets the real height.
const DEFAULT_ROW_HEIGHT: f64 = 104.0;
/// Characters of body text shown around a search match.
const SNIPPET_CHARS: usize = 120;

#[derive(Properties, PartialEq)]
pub struct ResultListProps {
    pub library: LibraryRef,
    pub fetched: FetchedRef,
    pub results: Results,
    pub route: Route,
    /// The open article's position in the archive.
    pub open: Option<usize>,
    pub onneed: Callback<Needs>,
}

#[derive(Clone, Copy, PartialEq)]
struct Viewport {
    scroll_top: f64,
    height: f64,
    row_height: f64,
    /// Until the list has been measured, the rows in view are a guess: nothing is fetched for them.
    measured: bool,
}

#[component]
pub fn ResultList(props: &ResultListProps) -> Html {
    let container = use_node_ref();
    let top_spacer = use_node_ref();
    let bottom_spacer = use_node_ref();
    let viewport =
        use_state(|| Viewport { scroll_top: 0.0, height: 1200.0, row_height: DEFAULT_ROW_HEIGHT, measured: false });

    let measure = {
        let (container, viewport) = (container.clone(), viewport.clone());
        move || {
            if let Some(el) = container.cast::<HtmlElement>() {
                let row_height = el
                    .query_selector(".row")
                    .ok()
                    .flatten()
                    .and_then(|row| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(row).ok())
                    .map(|row| f64::from(row.offset_height()))
                    .filter(|&h| h > 0.0)
                    .unwrap_or(viewport.row_height);
                let next = Viewport {
                    scroll_top: f64::from(el.scroll_top()),
                    height: f64::from(el.client_height()).max(1.0),
                    row_height,
                    measured: true,
                };
                if next != *viewport {
                    viewport.set(next);
                }
            }
        }
    };

    {
        let measure = measure.clone();
        use_effect_with((), move |_| {
            measure();
            let listener = EventListener::new(&gloo::utils::window(), "resize", move |_| measure());
            move || drop(listener)
        });
    }

    let listing = &props.results.listing;
    // A new result set starts at the top.
    {
        let container = container.clone();
        let measure = measure.clone();
        use_effect_with(listing.clone(), move |_| {
            if let Some(el) = container.cast::<HtmlElement>() {
                el.set_scroll_top(0);
            }
            measure();
        });
    }

    let total = listing.indices.len();
    let Viewport { scroll_top, height, row_height, measured } = *viewport;
    let first = ((scroll_top / row_height).floor() as usize).saturating_sub(OVERSCAN).min(total);
    let last = (((scroll_top + height) / row_height).ceil() as usize + OVERSCAN).min(total);
    let visible = &listing.indices[first..last];

    // Excerpts and snippets come with the details shards of the rows in view.
    {
        let library = &props.library;
        let mut missing: Vec<usize> = Vec::new();
        for shard in
            visible.iter().filter(|_| measured).filter_map(|&p| library.details_shard(p).map(|(shard, _)| shard))
        {
            if !props.fetched.has_details_shard(shard) && !missing.contains(&shard) {
                missing.push(shard);
            }
        }
        let onneed = props.onneed.clone();
        use_effect_with(missing, move |missing| {
            if !missing.is_empty() {
                onneed.emit(Needs { details: missing.clone(), ..Needs::default() });
            }
        });
    }

    // Spacer heights go through the CSSOM: the CSP forbids inline style attributes.
    {
        let (top_spacer, bottom_spacer) = (top_spacer.clone(), bottom_spacer.clone());
        use_effect(move || {
            for (spacer, rows) in [(top_spacer, first), (bottom_spacer, total - last)] {
                if let Some(el) = spacer.cast::<HtmlElement>() {
                    let _ = el.style().set_property("height", &format!("{}px", rows as f64 * row_height));
                }
            }
        });
    }

    // Keep the open article's row in view (j/k, deep links). After the spacers are sized:
    // until then the list is too short to scroll that far, and the browser clamps.
    {
        let (container, listing, row_height) = (container.clone(), listing.clone(), viewport.row_height);
        use_effect_with(props.open, move |open| {
            let position = open.and_then(|o| listing.indices.iter().position(|&i| i == o));
            if let (Some(position), Some(el)) = (position, container.cast::<HtmlElement>()) {
                let top = position as f64 * row_height;
                let (scroll_top, height) = (f64::from(el.scroll_top()), f64::from(el.client_height()));
                if top < scroll_top || top + row_height > scroll_top + height {
                    el.set_scroll_top((top - height / 3.0).max(0.0) as i32);
                }
            }
        });
    }

    let onscroll = Callback::from(move |_| measure());
    let catalog = &props.library.catalog;
    let searching = !props.results.query.include.is_empty();
    let rows = visible.iter().map(|&position| {
        let entry = &catalog.entries[position];
        let details = props.fetched.details(&props.library, position);
        row(RowProps {
            id: &entry.id,
            href: props.route.with_view(View::Article(entry.id.to_string())).to_hash(),
            current: props.open == Some(position),
            title: &entry.title,
            lang: AttrValue::from(catalog.lang(entry).to_string()),
            ts: entry.ts,
            source: AttrValue::from(catalog.source(entry).to_string()),
            excerpt: details.map(|d| AttrValue::from(d.excerpt.clone())),
            body: details.filter(|_| searching).map(|d| d.body.as_str()),
            query: &props.results.query,
        })
    });

    html! {
        <div class="list" role="list" ref={container} {onscroll} tabindex="-1">
            <div class="spacer" ref={top_spacer} aria-hidden="true"></div>
            { for rows }
            <div class="spacer" ref={bottom_spacer} aria-hidden="true"></div>
            if total == 0 {
                <p class="empty" data-testid="no-results">{ "No posts match these filters." }</p>
            }
        </div>
    }
}

/// One row; with a search, its title marked and a snippet around the first body match.
fn row(props: RowProps) -> Html {
    let marks = highlights(props.title, props.query);
    let snippet = props.body.and_then(|body| snippet(&html_to_text(body), props.query, SNIPPET_CHARS));
    let excerpt = match (&snippet, &props.excerpt) {
        (Some(s), _) => marked(&s.text, &s.marks),
        (None, Some(excerpt)) => html! { { excerpt.clone() } },
        (None, None) => html! {},
    };
    html! {
        <a class="row" data-testid="row" role="listitem" key={props.id} href={props.href} aria-current={props.current.then_some("true")}>
            <span class="row-title" lang={props.lang.clone()}>{ marked(props.title, &marks) }</span>
            <span class="row-meta">
                <time>{ browser::format_date(props.ts) }</time>
                { " · " }{ props.source }
            </span>
            <span class="row-excerpt" lang={props.lang} aria-busy={props.excerpt.is_none().then_some("true")}>{ excerpt }</span>
        </a>
    }
}

struct RowProps<'a> {
    id: &'a str,
    href: String,
    current: bool,
    title: &'a str,
    lang: AttrValue,
    ts: i64,
    source: AttrValue,
    /// `None` until the row's details shard is here.
    excerpt: Option<AttrValue>,
    /// Only while searching: the body, for a snippet around the first match.
    body: Option<&'a str>,
    query: &'a Query,
}
