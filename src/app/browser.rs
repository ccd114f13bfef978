//! Small wrappers over browser APIs the components need: the URL fragment, storage,
//! focus, and marking matches in the article.

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

/// This site's localStorage. Reaching it can throw (storage turned off for the site),
/// which gloo's own accessor would turn into a panic.
pub fn local_storage() -> Result<web_sys::Storage, String> {
    match gloo::utils::window().local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err("this browser has no local storage".into()),
        Err(error) => Err(js_error(&error)),
    }
}

/// A remembered value, if storage can be read and has it.
pub fn remembered(key: &str) -> Option<String> {
    local_storage().ok()?.get_item(key).ok().flatten()
}

/// Remembers `value` under `key`.
pub fn remember(key: &str, value: &str) -> Result<(), String> {
    local_storage()?.set_item(key, value).map_err(|e| js_error(&e))
}

/// A JavaScript exception's message.
pub fn js_error(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

pub fn images_always() -> bool {
    remembered(IMAGES_ALWAYS_KEY).as_deref() == Some("true")
}

/// Remembers the "always load images" choice; when storage is unavailable, the caller
/// says the setting lasts for this visit.
pub fn remember_images_always(always: bool) -> Result<(), String> {
    remember(IMAGES_ALWAYS_KEY, if always { "true" } else { "false" })
}

/// Focuses the element with this id.
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

/// Runs `work` once the page is idle, or after `within_ms` all the same; on the next
/// task where the browser has no `requestIdleCallback`. Why it cannot be run at all.
pub fn when_idle(within_ms: u32, work: impl FnOnce() + 'static) -> Result<(), String> {
    let work = wasm_bindgen::closure::Closure::once_into_js(work);
    let window = gloo::utils::window();
    let options = web_sys::IdleRequestOptions::new();
    options.set_timeout(within_ms);
    if window.request_idle_callback_with_options(work.unchecked_ref(), &options).is_err() {
        window.set_timeout_with_callback(work.unchecked_ref()).map_err(|e| js_error(&e))?;
    }
    Ok(())
}

/// Resolves once what was rendered before the call is on screen: in a task after the
/// next animation frame. A hidden page draws no frames; there, on the next task.
pub async fn after_next_paint() {
    if !gloo::utils::document().hidden() {
        let frame = js_sys::Promise::new(&mut |resolve, _| {
            // Without a frame (no window to ask), the next task is as good.
            if gloo::utils::window().request_animation_frame(&resolve).is_err() {
                let _ = resolve.call0(&JsValue::NULL);
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(frame).await;
    }
    gloo::timers::future::TimeoutFuture::new(0).await;
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

/// The link to article `id` alone, without the list's filters: what is shared.
pub fn article_url(id: &str) -> String {
    let location = gloo::utils::window().location();
    let page = location.href().unwrap_or_default();
    let page = page.split('#').next().unwrap_or_default();
    let route = Route { view: crate::route::View::Article(id.to_string()), ..Route::default() };
    format!("{page}{}", route.to_hash())
}

/// How a link was passed on.
pub enum Shared {
    /// Through the system's share sheet (phones).
    Shared,
    /// Copied to the clipboard.
    Copied,
}

/// Offers `url` to the system's share sheet on touch screens that have one, else copies
/// it. Called dynamically: web-sys has both behind unstable features. The error is the
/// browser's words, or `None` when the page has no clipboard (not a secure context).
pub async fn share(title: &str, url: &str) -> Result<Shared, Option<String>> {
    let window = gloo::utils::window();
    let navigator: JsValue = window.navigator().into();
    let get =
        |target: &JsValue, name: &str| js_sys::Reflect::get(target, &name.into()).ok().filter(|v| !v.is_undefined());
    let coarse = window.match_media("(pointer: coarse)").ok().flatten().is_some_and(|m| m.matches());
    if let Some(share) = get(&navigator, "share").filter(|_| coarse).and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
        let _ = js_sys::Reflect::set(&data, &"url".into(), &url.into());
        let promise = share.call1(&navigator, &data).map_err(|e| Some(js_error(&e)))?;
        let promise = promise.dyn_into::<js_sys::Promise>().map_err(|e| Some(js_error(&e)))?;
        return match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => Ok(Shared::Shared),
            // The reader closed the share sheet: nothing to say.
            Err(e) if get(&e, "name").and_then(|n| n.as_string()).as_deref() == Some("AbortError") => {
                Ok(Shared::Shared)
            }
            Err(e) => Err(Some(js_error(&e))),
        };
    }
    let clipboard = get(&navigator, "clipboard").ok_or(None)?;
    let write = get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok()).ok_or(None)?;
    let promise = write.call1(&clipboard, &url.into()).map_err(|e| Some(js_error(&e)))?;
    let promise = promise.dyn_into::<js_sys::Promise>().map_err(|e| Some(js_error(&e)))?;
    wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|e| Some(js_error(&e)))?;
    Ok(Shared::Copied)
}

/// Opens `url` in a new tab, with no way back to this page (`noopener`) and no referrer.
pub fn open_in_new_tab(url: &str) {
    let _ = gloo::utils::window().open_with_url_and_target_and_features(url, "_blank", "noopener,noreferrer");
}

/// The file picked in the `<input type="file">` that `event` (its `change`) came from,
/// taken out of it: the input is cleared, so picking the same file again is a change too.
pub fn take_picked_file(event: &web_sys::Event) -> Option<web_sys::File> {
    let input = event.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0)?;
    input.set_value("");
    Some(file)
}
