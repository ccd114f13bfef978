//! The result list. Only the rows in view (plus a margin) are in the DOM, so a list of
//! 27,000 posts scrolls like one of 30: rows have one fixed height, measured from the
//! first rendered row, and spacers stand in for the rest.
//!
//! Keyboard: the list is one tab stop (roving tabindex). The cursor row, the one with
//! focus or last focused, takes Tab; arrows, Home and End move the cursor, and it stays
//! rendered wherever the list scrolls to, so focus is never dropped onto `<body>`.

use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use super::row::{Row, RowPlaceholder};
use crate::app::hooks::{use_needs, use_reader, Results};
use crate::app::state::{Mark, Needs, Want};
use crate::route::{Route, View};
use crate::virtual_list::{in_view, pieces, Cursor, CursorMove, Piece, Step};

/// Rows rendered beyond each edge of the viewport.
const OVERSCAN: usize = 8;
/// Until a row has been measured; style.css sets the real height.
const DEFAULT_ROW_HEIGHT: f64 = 104.0;
/// How long after the last scroll event the rows in view ask for their details. Rows a
/// scroll carries past would never show their excerpts; fetching, decoding and laying
/// them out would take the frames the scroll itself needs.
const SETTLE_MS: u32 = 100;

/// The cursor as the reader's state: moves are applied one after another, each to the
/// cursor as the one before left it (`crate::virtual_list::Cursor::moved`).
#[derive(Default, PartialEq)]
pub struct CursorState(pub Cursor);

impl Reducible for CursorState {
    type Action = CursorMove;

    fn reduce(self: Rc<Self>, by: CursorMove) -> Rc<Self> {
        let moved = self.0.moved(by);
        if moved == self.0 {
            self
        } else {
            Rc::new(CursorState(moved))
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ResultListProps {
    pub results: Results,
    pub route: Route,
    /// The open article's position in the archive.
    pub open: Option<usize>,
    pub cursor: Cursor,
    /// The cursor moves (arrow keys, focus, a click).
    pub oncursor: Callback<CursorMove>,
}

#[derive(Clone, Copy, PartialEq)]
struct Viewport {
    scroll_top: f64,
    height: f64,
    row_height: f64,
    /// Until the list has been measured, the rows in view are a guess: nothing is fetched for them.
    measured: bool,
    /// Whether `row_height` was read from a rendered row (a list that started empty has none).
    row_measured: bool,
}

#[component]
pub fn ResultList(props: &ResultListProps) -> Html {
    let reader = use_reader();
    let library = &reader.library;
    let t = &reader.texts;
    let container = use_node_ref();
    let viewport = use_state(|| Viewport {
        scroll_top: 0.0,
        height: 1200.0,
        row_height: DEFAULT_ROW_HEIGHT,
        measured: false,
        row_measured: false,
    });

    let measure = {
        let (container, viewport) = (container.clone(), viewport.clone());
        move || {
            if let Some(el) = container.cast::<HtmlElement>() {
                // Rows have one height: once read, never again (reading lays the page out).
                let rendered = (!viewport.row_measured)
                    .then(|| el.query_selector(".row").ok().flatten())
                    .flatten()
                    .and_then(|row| row.dyn_into::<HtmlElement>().ok())
                    .map(|row| f64::from(row.offset_height()))
                    .filter(|&h| h > 0.0);
                let next = Viewport {
                    scroll_top: f64::from(el.scroll_top()),
                    height: f64::from(el.client_height()).max(1.0),
                    row_height: rendered.unwrap_or(viewport.row_height),
                    measured: true,
                    row_measured: viewport.row_measured || rendered.is_some(),
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
    // A new result set starts at the top. Only when the list is not there already:
    // setting scrollTop (or measuring) lays the page out at once, a third of the time a
    // new answer takes to show, and a frame later the browser lays it out all the same.
    // Measured again too while no row has been (the list started empty).
    {
        let container = container.clone();
        let measure = measure.clone();
        let (scrolled, row_measured) = (viewport.scroll_top > 0.0, viewport.row_measured);
        use_effect_with(listing.clone(), move |_| {
            if scrolled {
                if let Some(el) = container.cast::<HtmlElement>() {
                    el.set_scroll_top(0);
                }
            }
            if scrolled || !row_measured {
                measure();
            }
        });
    }

    let scrolling = use_state_eq(|| false);
    let settle = use_mut_ref(|| None::<Timeout>);

    let total = listing.indices.len();
    let Viewport { scroll_top, height, row_height, measured, .. } = *viewport;
    let view = in_view(total, scroll_top, height, row_height, OVERSCAN);
    let open_at = props.open.and_then(|o| listing.indices.iter().position(|&i| i == o));
    // The row that takes Tab: the cursor's, else the open article's, else the first.
    let cursor = Some(props.cursor.at).filter(|&c| c < total).or(open_at).or((total > 0).then_some(0));

    // The rows in view need their parts (titles) and, once scrolling stops, their details
    // (excerpts, snippets).
    let mut wanted = Needs::default();
    for &position in listing.indices[view.clone()].iter().filter(|_| measured) {
        match library.missing_part(position) {
            Some(part) => wanted.add(Want::Part(part)),
            None if !*scrolling => wanted.0.extend(library.details_of(position).map(|(shard, _)| Want::Details(shard))),
            None => {}
        }
    }
    use_needs(wanted);

    // Spacer heights go through the CSSOM: the CSP forbids inline style attributes.
    {
        let container = container.clone();
        use_effect(move || {
            let Some(el) = container.cast::<HtmlElement>() else { return };
            let Ok(spacers) = el.query_selector_all(":scope > .spacer") else { return };
            for i in 0..spacers.length() {
                let Some(spacer) = spacers.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) else { continue };
                let rows: f64 = spacer.get_attribute("data-rows").and_then(|r| r.parse().ok()).unwrap_or(0.0);
                // Whole pixels: formatting floats would bring its code into the wasm for nothing.
                let _ = spacer.style().set_property("height", &format!("{}px", (rows * row_height).round() as u64));
            }
        });
    }

    // Keep the open article's row in view (j/k, deep links). After the spacers are sized:
    // until then the list is too short to scroll that far, and the browser clamps.
    let scroll_to = {
        let container = container.clone();
        move |at: usize| {
            let Some(el) = container.cast::<HtmlElement>() else { return };
            let top = at as f64 * row_height;
            let (scroll_top, height) = (f64::from(el.scroll_top()), f64::from(el.client_height()));
            if top < scroll_top || top + row_height > scroll_top + height {
                el.set_scroll_top((top - height / 3.0).max(0.0) as i32);
            }
        }
    };
    {
        let scroll_to = scroll_to.clone();
        use_effect_with(open_at, move |open_at| {
            if let Some(at) = *open_at {
                scroll_to(at);
            }
        });
    }
    // A cursor moved by keyboard takes focus, once its row is rendered.
    {
        let container = container.clone();
        use_effect_with(props.cursor, move |cursor| {
            if !cursor.focus {
                return;
            }
            scroll_to(cursor.at);
            let selector = format!("[data-at=\"{}\"] a.row", cursor.at);
            if let Some(row) = container
                .cast::<HtmlElement>()
                .and_then(|el| el.query_selector(&selector).ok().flatten())
                .and_then(|row| row.dyn_into::<HtmlElement>().ok())
            {
                let _ = row.focus();
            }
        });
    }

    let onscroll = Callback::from(move |_| {
        measure();
        scrolling.set(true);
        let scrolling = scrolling.clone();
        // Replacing the timeout cancels the one before: it fires once scrolling stops.
        *settle.borrow_mut() = Some(Timeout::new(SETTLE_MS, move || scrolling.set(false)));
    });
    let onkeydown = {
        let oncursor = props.oncursor.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.ctrl_key() || event.meta_key() || event.alt_key() || total == 0 {
                return;
            }
            let Some(at) = cursor else { return };
            let page = ((height / row_height).floor() as usize).max(1);
            let step = match event.key().as_str() {
                "ArrowDown" => Step::Next,
                "ArrowUp" => Step::Previous,
                "PageDown" => Step::PageDown(page),
                "PageUp" => Step::PageUp(page),
                "Home" => Step::First,
                "End" => Step::Last,
                _ => return,
            };
            event.prevent_default();
            oncursor.emit(CursorMove::Step { step, total, origin: at });
        })
    };
    // Focus arriving on a row (Tab, a click) puts the cursor there.
    let onfocusin = {
        let (oncursor, current) = (props.oncursor.clone(), props.cursor);
        Callback::from(move |event: FocusEvent| {
            let item = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("[data-at]").ok().flatten());
            let at = item.and_then(|el| el.get_attribute("data-at")).and_then(|a| a.parse().ok());
            if let Some(at) = at.filter(|&at| at != current.at) {
                oncursor.emit(CursorMove::To(Cursor { at, focus: false }));
            }
        })
    };

    let catalog = library.catalog();
    let display = &reader.display;
    let marks = &reader.marks;
    let onstar =
        reader.onmark.reform(|(id, starred): (String, bool)| Mark::Star(id, starred, crate::app::marks::now()));
    let row = |at: usize| {
        let position = listing.indices[at];
        let entry = &catalog.entries[position];
        if !catalog.is_shown(position) {
            return html! { <RowPlaceholder key={position} {at} setsize={total} texts={reader.texts.clone()} /> };
        }
        let details = reader.fetched.details_ref(library, position);
        let head = library.head_excerpt(position).map(|e| AttrValue::from(display.shown(e).into_owned()));
        let lang = catalog.lang(entry);
        html! {
            <Row
                key={&*entry.id}
                id={AttrValue::from(entry.id.to_string())}
                {at}
                setsize={total}
                href={props.route.with_view(View::Article(entry.id.to_string())).to_hash()}
                current={props.open == Some(position)}
                tabbable={cursor == Some(at)}
                read={marks.is_read(&entry.id)}
                starred={marks.is_starred(&entry.id)}
                title={AttrValue::from(display.shown(&entry.title).into_owned())}
                lang={AttrValue::from(display.lang(lang).into_owned())}
                date={AttrValue::from(t.date(entry.ts))}
                source={AttrValue::from(catalog.source(entry).to_string())}
                {details}
                head_excerpt={head}
                display={display.clone()}
                query={props.results.query.clone()}
                onstar={onstar.clone()}
                texts={reader.texts.clone()}
            />
        }
    };
    // One flat keyed list, spacers included, keyed so that scrolling moves no element
    // (crate::virtual_list): the focused row stays in the DOM, and keeps focus.
    let mut content: Vec<Html> = Vec::new();
    for piece in pieces(total, view, cursor) {
        match piece {
            Piece::Rows(range) => content.extend(range.map(row)),
            Piece::Gap(spacer, rows) => content.push(html! {
                <div class="spacer" key={spacer.key()} data-rows={rows.to_string()} aria-hidden="true"></div>
            }),
        }
    }
    html! {
        <>
            if total == 0 {
                <p class="empty" data-testid="no-results">{ t.text("no-results") }</p>
            }
            <div class="list" role="list" aria-label={t.fill("list-label", &[("count", &t.number(total))])}
                ref={container} {onscroll} {onkeydown} {onfocusin}>
                { for content }
            </div>
        </>
    }
}
