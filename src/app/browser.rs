//! Small wrappers over browser APIs the components need: the URL fragment, the
//! remembered settings, and dates in the reader's own locale and time zone.

use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::{JsCast, JsValue};

use crate::route::Route;
use crate::search::{highlights, Query};

const IMAGES_ALWAYS_KEY: &str = "newsreader.images-always";

pub fn current_route() -> Route {
    Route::parse(&gloo::utils::window().location().hash().unwrap_or_default())
}

/// The list's filters as the URL has them now. Controls start from these, not from the
/// ones they were rendered with: Yew may let the browser handle a click between a
/// parent's render and its children's, and a control holding the filters of the render
/// before would undo the change before it.
pub fn current_filters() -> crate::filter::Filters {
    current_route().filters
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum History {
    /// A new entry that Back returns from (opening an article, choosing a filter).
    Push,
    /// Rewrites the current entry (each keystroke in the filter box).
    Replace,
}

/// Puts `route` in the address bar. A push fires `hashchange`, which is where the app
/// learns about every navigation; a replace does not, so the caller dispatches it.
pub fn show_route(route: &Route, history: History) {
    let window = gloo::utils::window();
    let hash = route.to_hash();
    match history {
        History::Push => {
            let _ = window.location().set_hash(&hash);
        }
        History::Replace => {
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&hash));
            }
        }
    }
}

/// Whether the browser believes it is online (`navigator.onLine`: false is certain, true
/// only likely).
pub fn online() -> bool {
    gloo::utils::window().navigator().on_line()
}

pub fn images_always() -> bool {
    LocalStorage::get(IMAGES_ALWAYS_KEY).unwrap_or(false)
}

pub fn remember_images_always(always: bool) {
    // Storage can be unavailable (private mode, quota): the setting then lasts for this visit.
    let _ = LocalStorage::set(IMAGES_ALWAYS_KEY, always);
}

thread_local! {
    static DATE_FORMAT: js_sys::Intl::DateTimeFormat = formatter(&[("dateStyle", "medium"), ("timeStyle", "short")]);
    static LONG_DATE_FORMAT: js_sys::Intl::DateTimeFormat =
        formatter(&[("dateStyle", "full"), ("timeStyle", "long")]);
}

fn formatter(options: &[(&str, &str)]) -> js_sys::Intl::DateTimeFormat {
    let object = js_sys::Object::new();
    for (key, value) in options {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), &(*value).into());
    }
    js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &object)
}

fn format_with(format: &js_sys::Intl::DateTimeFormat, ts: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ts as f64 * 1000.0));
    format.format().call1(&JsValue::UNDEFINED, &date).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// A short date and time in the reader's locale and time zone.
pub fn format_date(ts: i64) -> String {
    DATE_FORMAT.with(|f| format_with(f, ts))
}

/// The full date with the reader's time zone named.
pub fn format_long_date(ts: i64) -> String {
    LONG_DATE_FORMAT.with(|f| format_with(f, ts))
}

pub fn focus(id: &str) {
    if let Some(element) = gloo::utils::document().get_element_by_id(id) {
        if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    }
}

/// Wraps every match of `query` in the text under `root` in `<mark>` (text nodes and
/// elements made here, never parsed HTML), after removing earlier marks; returns the
/// first. Text directly under `root` is left alone: those nodes belong to Yew.
pub fn mark_matches(root: &web_sys::Element, query: &Query) -> Option<web_sys::Element> {
    let document = gloo::utils::document();
    if let Ok(old) = root.query_selector_all("mark[data-testid=match]") {
        for i in 0..old.length() {
            if let Some(mark) = old.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                let _ = mark.replace_with_with_str_1(&mark.text_content().unwrap_or_default());
            }
        }
        root.normalize();
    }
    if query.include.is_empty() {
        return None;
    }
    const SHOW_TEXT: u32 = 4;
    let walker = document.create_tree_walker_with_what_to_show(root, SHOW_TEXT).ok()?;
    let mut texts = Vec::new();
    while let Ok(Some(node)) = walker.next_node() {
        texts.push(node);
    }
    let mut first = None;
    for node in texts {
        let Some(parent) = node.parent_node().filter(|p| !p.is_same_node(Some(root))) else { continue };
        let text = node.text_content().unwrap_or_default();
        let ranges = highlights(&text, query);
        if ranges.is_empty() {
            continue;
        }
        let fragment = document.create_document_fragment();
        let mut at = 0;
        for range in ranges {
            let _ = fragment.append_with_str_1(&text[at..range.start]);
            let Ok(mark) = document.create_element("mark") else { return first };
            mark.set_text_content(Some(&text[range.clone()]));
            let _ = mark.set_attribute("data-testid", "match");
            let _ = fragment.append_with_node_1(&mark);
            first.get_or_insert(mark);
            at = range.end;
        }
        let _ = fragment.append_with_str_1(&text[at..]);
        let _ = parent.replace_child(&fragment, &node);
    }
    first
}

/// Scrolls `element` to the middle of its scrolling container.
pub fn scroll_to_middle(element: &web_sys::Element) {
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    element.scroll_into_view_with_scroll_into_view_options(&options);
}

/// Milliseconds since the page started (`performance.now()`), for timing work.
pub fn now() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |p| p.now())
}

/// Records a search that ran from `start` to `end` (from [`now`]) as a User Timing
/// measure, `newsreader:search`, so that DevTools (and `make bench`) see how long the
/// search took apart from rendering.
pub fn measure_search(start: f64, end: f64) {
    let Some(performance) = gloo::utils::window().performance() else { return };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &start.into());
    let _ = js_sys::Reflect::set(&options, &"end".into(), &end.into());
    let measure = js_sys::Reflect::get(&performance, &"measure".into()).ok();
    if let Some(measure) = measure.and_then(|m| m.dyn_into::<js_sys::Function>().ok()) {
        let _ = measure.call2(&performance, &"newsreader:search".into(), &options);
    }
}
