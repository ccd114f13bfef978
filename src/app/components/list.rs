//! The result list. Only the rows in view (plus a margin) are in the DOM, so a list of
//! 27,000 posts scrolls like one of 30: rows have one fixed height, measured from the
//! first rendered row, and two spacers stand in for the rest.

use gloo::events::EventListener;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::row::{Row, RowPlaceholder};
use crate::app::hooks::{use_needs, use_reader, Results};
use crate::app::state::{Needs, Want};
use crate::route::{Route, View};

/// Rows rendered beyond each edge of the viewport.
const OVERSCAN: usize = 8;
/// Until a row has been measured; style.css sets the real height.
const DEFAULT_ROW_HEIGHT: f64 = 104.0;

#[derive(Properties, PartialEq)]
pub struct ResultListProps {
    pub results: Results,
    pub route: Route,
    /// The open article's position in the archive.
    pub open: Option<usize>,
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
    let reader = use_reader();
    let library = &reader.library;
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

    // The rows in view need their parts (titles) and their details (excerpts, snippets).
    let mut wanted = Needs::default();
    for &position in visible.iter().filter(|_| measured) {
        match library.missing_part(position) {
            Some(part) => wanted.add(Want::Part(part)),
            None => wanted.0.extend(library.details_of(position).map(|(shard, _)| Want::Details(shard))),
        }
    }
    use_needs(wanted);

    // Spacer heights go through the CSSOM: the CSP forbids inline style attributes.
    {
        let (top_spacer, bottom_spacer) = (top_spacer.clone(), bottom_spacer.clone());
        use_effect(move || {
            for (spacer, rows) in [(top_spacer, first), (bottom_spacer, total - last)] {
                if let Some(el) = spacer.cast::<HtmlElement>() {
                    // Whole pixels: formatting floats would bring its code into the wasm for nothing.
                    let height = (rows as f64 * row_height).round() as u64;
                    let _ = el.style().set_property("height", &format!("{height}px"));
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
    let catalog = library.catalog();
    let rows = visible.iter().map(|&position| {
        let entry = &catalog.entries[position];
        if !catalog.is_shown(position) {
            return html! { <RowPlaceholder key={position} /> };
        }
        let details = reader.fetched.details_ref(library, position);
        let head = library.head_excerpt(position).map(|e| AttrValue::from(e.to_string()));
        html! {
            <Row
                key={&*entry.id}
                href={props.route.with_view(View::Article(entry.id.to_string())).to_hash()}
                current={props.open == Some(position)}
                title={AttrValue::from(entry.title.to_string())}
                lang={AttrValue::from(catalog.lang(entry).to_string())}
                ts={entry.ts}
                source={AttrValue::from(catalog.source(entry).to_string())}
                {details}
                head_excerpt={head}
                query={props.results.query.clone()}
            />
        }
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
