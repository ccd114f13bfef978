//! The web app: thin Yew glue over the core. State lives in one reducer
//! ([`state`]); [`net`] is the only module that talks to the network; HTML from an
//! archive reaches the page only through [`components::safe_html`].

mod boot;
mod browser;
mod components;
mod context;
mod fetcher;
mod hooks;
mod imports;
mod marks;
mod net;
mod offline;
mod portable;
mod prefs;
mod sanitizer;
mod script;
mod state;
mod sync;
mod texts;

/// Mounts the app on index.html's `#app` (static/boot.js, which loaded it, registers the
/// service worker that makes it work offline). Not on `<body>`: Yew empties its host when
/// it mounts, which would take the first paint, and the text typed into it, away before
/// the app's own screen is up (see `boot::take_over`).
pub fn start() {
    let document = gloo::utils::document();
    // index.html and the wasm it names are published together, so the root is there; if a
    // hand-edited page lacks it, one is made rather than mounting on <body>.
    let root = document.get_element_by_id("app").or_else(|| {
        let root = document.create_element("div").ok()?;
        root.set_id("app");
        gloo::utils::body().append_child(&root).ok()?;
        Some(root)
    });
    match root {
        Some(root) => {
            yew::Renderer::<components::app::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<components::app::App>::new().render();
        }
    }
}
