//! The keyboard map, as readers of Google Reader, NetNewsWire and Miniflux know it
//! (the help dialog lists it, from [`KEYS`]):
//!
//! `j`/`k` open the next and previous article, `n`/`p` move the list's cursor without
//! opening, `o` or Enter open the cursor's article, Space and Shift-Space page through
//! the article (and at its end on to the next), `s` star, `m` read or unread, `v` the
//! original in a new tab, Shift-A mark the whole list read, `g` then `s`/`u`/`a` go to
//! starred, unread or all, `/` search, `?` this map, Esc closes or goes back to the list.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

use crate::app::browser::{self, History};
use crate::app::state::{Dialog, LibraryRef, Mark, Shared};
use crate::filter::{Filters, Listing, Only};
use crate::reading::ReadingState;
use crate::route::{Route, View};
use crate::virtual_list::{CursorMove, Step};

/// The keys, as the help dialog shows them, and the catalogue key of what each does.
pub const KEYS: &[(&[&str], &str)] = &[
    (&["j"], "key-next"),
    (&["k"], "key-previous"),
    (&["n", "p"], "key-cursor"),
    (&["o", "Enter"], "key-open"),
    (&["Space"], "key-page"),
    (&["Shift", "Space"], "key-page-back"),
    (&["s"], "key-star"),
    (&["m"], "key-read"),
    (&["v"], "key-original"),
    (&["Shift", "A"], "key-all-read"),
    (&["g", "s"], "key-go-starred"),
    (&["g", "u"], "key-go-unread"),
    (&["g", "a"], "key-go-all"),
    (&["/"], "key-search"),
    (&["?"], "key-help"),
    (&["Esc"], "key-escape"),
];

/// How long `g` waits for its second key.
const CHORD_MS: f64 = 1500.0;

/// What the shortcuts act on, as of the latest render.
pub struct Shortcuts {
    pub library: LibraryRef,
    pub listing: Rc<Listing>,
    /// The open article's index in the archive, as the latest render saw it.
    pub open: Option<usize>,
    /// The list cursor's place in the listing.
    pub cursor: usize,
    /// The open article's original URL.
    pub original: Option<String>,
    pub marks: Shared<ReadingState>,
    pub dialog: Option<Dialog>,
    pub onnavigate: Callback<(Route, History)>,
    pub onmark: Callback<Mark>,
    pub ondialog: Callback<Option<Dialog>>,
    pub oncursor: Callback<CursorMove>,
}

/// Listens for the shortcuts on the document for as long as the calling component lives.
#[hook]
pub fn use_shortcuts(shortcuts: Shortcuts) {
    // Effects run after the page has painted (Yew may yield to the browser in between):
    // a listener that captured the state of its render would act on the previous article
    // for keys pressed in that gap, so it reads the latest render's state from here.
    let latest = use_mut_ref(|| None);
    *latest.borrow_mut() = Some(Rc::new(shortcuts));
    use_effect_with((), move |_| {
        // Not passive: "/" must not also type itself into the search box it focuses.
        let (document, options) = (gloo::utils::document(), EventListenerOptions::enable_prevent_default());
        let chord = Rc::new(Cell::new(None::<f64>));
        let listener = EventListener::new_with_options(&document, "keydown", options, move |event| {
            let Some(event) = event.dyn_ref::<KeyboardEvent>() else { return };
            let Some(state) = latest.borrow().clone() else { return };
            on_key(event, &state, &chord);
        });
        move || drop(listener)
    });
}

fn on_key(event: &KeyboardEvent, state: &Shortcuts, chord: &Cell<Option<f64>>) {
    if event.ctrl_key() || event.meta_key() || event.alt_key() || event.is_composing() {
        return;
    }
    // A dialog handles its own keys (Esc closes it: see `Modal`).
    if state.dialog.is_some() {
        return;
    }
    if typing_in_field(event) {
        if event.key() == "Escape" {
            if let Some(el) = event.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
                let _ = el.blur();
            }
        }
        return;
    }
    let key = event.key();
    // `g` then a letter: where to go.
    if let Some(started) = chord.take().filter(|&at| browser::now() - at < CHORD_MS) {
        let only = match key.as_str() {
            "s" => Some(Only::Starred),
            "u" => Some(Only::Unread),
            "a" => Some(Only::All),
            _ => None,
        };
        if let Some(only) = only {
            event.prevent_default();
            let filters = Filters { only, ..browser::current_filters() };
            state.onnavigate.emit((Route { view: View::List, filters }, History::Push));
            return;
        }
        let _ = started; // any other key ends the chord and is itself
    }
    let Shortcuts { library, listing, .. } = state;
    // The article the URL has open now, not always the one the latest render saw: a key
    // pressed before the render of the one before (j held down on a slow phone) moves on
    // from where that one went.
    let route = &browser::current_route();
    let open = &match &route.view {
        View::Article(id) => state
            .open
            .filter(|&o| library.catalog().entries.get(o).is_some_and(|e| &*e.id == id))
            .or_else(|| library.catalog().position(id)),
        View::List => None,
    };
    let open_at = open.and_then(|o| listing.indices.iter().position(|&i| i == o));
    let id_at = |at: usize| listing.indices.get(at).map(|&i| library.catalog().entries[i].id.to_string());
    let go = |at: usize| {
        if let Some(id) = id_at(at) {
            state.onnavigate.emit((route.with_view(View::Article(id)), History::Push));
        }
    };
    // What `s` and `m` act on: the open article, else the cursor's.
    let target = open_at.or((!listing.indices.is_empty()).then_some(state.cursor)).and_then(id_at);
    let handled = match key.as_str() {
        "/" => {
            browser::focus("search");
            true
        }
        "?" => {
            state.ondialog.emit(Some(Dialog::Help));
            true
        }
        "j" => {
            go(open_at.map_or(state.cursor, |at| at + 1));
            true
        }
        "k" => {
            if let Some(at) = open_at.and_then(|at| at.checked_sub(1)) {
                go(at);
            }
            true
        }
        "n" | "p" => {
            let step = if key == "n" { Step::Next } else { Step::Previous };
            state.oncursor.emit(CursorMove::Step { step, total: listing.indices.len(), origin: state.cursor });
            true
        }
        "o" => {
            go(state.cursor);
            true
        }
        " " if open.is_some() => {
            page(event.shift_key(), || go(open_at.map_or(0, |at| at + 1)));
            true
        }
        "s" => {
            if let Some(id) = target {
                let starred = state.marks.is_starred(&id);
                state.onmark.emit(Mark::Star(id, !starred, crate::app::marks::now()));
            }
            true
        }
        "m" => {
            if let Some(id) = target {
                let mark = if state.marks.is_read(&id) { Mark::Unread(id) } else { Mark::Read(id) };
                state.onmark.emit(mark);
            }
            true
        }
        "v" => {
            if let Some(url) = state.original.as_ref().filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            {
                browser::open_in_new_tab(url);
            }
            true
        }
        "A" => {
            let catalog = library.catalog();
            let ids = listing.indices.iter().map(|&i| catalog.entries[i].id.to_string()).collect();
            state.onmark.emit(Mark::AllRead(ids));
            true
        }
        "g" => {
            chord.set(Some(browser::now()));
            true
        }
        "Escape" if route.view != View::List => {
            state.onnavigate.emit((route.with_view(View::List), History::Push));
            true
        }
        _ => false,
    };
    if handled {
        event.prevent_default();
    }
}

/// Scrolls the article pane by most of its height (back with Shift); at the end, `next`.
fn page(back: bool, next: impl FnOnce()) {
    let document = gloo::utils::document();
    let Some(pane) = document.get_element_by_id("article-pane") else { return };
    // In a short window the page scrolls as a whole (style.css), not the pane.
    let pane = match document.scrolling_element() {
        Some(page) if pane.scroll_height() <= pane.client_height() + 1 => page,
        _ => pane,
    };
    let (top, height, total) = (pane.scroll_top(), pane.client_height(), pane.scroll_height());
    // A line of overlap, so that no line is skipped between two pages.
    let step = (height * 9 / 10).max(1);
    // An article whose body has not arrived yet (the sanitizer is on its way) is not
    // read to its end: Space waits for it rather than skipping to the next one.
    let body_coming = document.query_selector("[data-testid=body-loading]").ok().flatten().is_some();
    if back {
        pane.set_scroll_top((top - step).max(0));
    } else if top + height >= total - 2 {
        if !body_coming {
            next();
        }
    } else {
        pane.set_scroll_top(top + step);
    }
}

/// Whether a key press belongs to a text field (or a button, for Space and Enter; a
/// link, for Enter) rather than to the shortcuts.
fn typing_in_field(event: &KeyboardEvent) -> bool {
    let Some(el) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    match el.tag_name().as_str() {
        "INPUT" | "TEXTAREA" | "SELECT" => true,
        "BUTTON" | "SUMMARY" => matches!(event.key().as_str(), " " | "Enter"),
        "A" => event.key() == "Enter",
        _ => el.closest("[contenteditable]").ok().flatten().is_some(),
    }
}
