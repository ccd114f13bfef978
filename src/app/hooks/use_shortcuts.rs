//! Keyboard shortcuts: `j`/`k` next and previous article in the list, `/` the filter
//! box, `Esc` back to the list (or out of a text field).

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use crate::app::browser::{self, History};
use crate::app::state::LibraryRef;
use crate::filter::Listing;
use crate::route::{Route, View};

/// What the shortcuts act on, as of the latest render.
pub struct Shortcuts {
    pub library: LibraryRef,
    pub listing: Rc<Listing>,
    pub route: Route,
    /// The open article's index in the archive.
    pub open: Option<usize>,
    pub onnavigate: Callback<(Route, History)>,
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
        let listener = EventListener::new_with_options(&document, "keydown", options, move |event| {
            let Some(event) = event.dyn_ref::<KeyboardEvent>() else { return };
            let Some(state) = latest.borrow().clone() else { return };
            on_key(event, &state);
        });
        move || drop(listener)
    });
}

fn on_key(event: &KeyboardEvent, state: &Shortcuts) {
    if event.ctrl_key() || event.meta_key() || event.alt_key() {
        return;
    }
    if typing_in_field(event) {
        if event.key() == "Escape" {
            if let Some(el) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = el.blur();
            }
        }
        return;
    }
    let Shortcuts { library, listing, route, open, onnavigate } = state;
    match event.key().as_str() {
        "/" => {
            event.prevent_default();
            browser::focus("search");
        }
        key @ ("j" | "k") => {
            let position = open.and_then(|o| listing.indices.iter().position(|&i| i == o));
            let next = match (key, position) {
                (_, None) => Some(0),
                ("j", Some(p)) => Some(p + 1),
                (_, Some(p)) => p.checked_sub(1),
            };
            if let Some(&index) = next.and_then(|n| listing.indices.get(n)) {
                let id = library.catalog().entries[index].id.to_string();
                onnavigate.emit((route.with_view(View::Article(id)), History::Push));
            }
        }
        "Escape" if route.view != View::List => onnavigate.emit((route.with_view(View::List), History::Push)),
        _ => {}
    }
}

/// Whether a key press belongs to a text field rather than to the shortcuts.
fn typing_in_field(event: &KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}
