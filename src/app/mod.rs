//! The web app: thin Yew glue over the core. State lives in one reducer
//! ([`state`]); [`net`] is the only module that talks to the network; HTML from an
//! archive reaches the page only through [`components::safe_html`].

mod browser;
mod components;
mod context;
mod fetcher;
mod hooks;
mod net;
mod state;

/// Mounts the app on `<body>` and registers the service worker that makes it work offline.
pub fn start() {
    yew::Renderer::<components::app::App>::new().render();
    register_service_worker();
}

fn register_service_worker() {
    let navigator = gloo::utils::window().navigator();
    // Absent on plain http:// hosts other than localhost; the reader works without it.
    if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        let _ = navigator.service_worker().register("sw.js");
    }
}
