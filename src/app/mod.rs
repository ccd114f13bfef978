//! The web app: thin Yew glue over the core. State lives in one reducer
//! ([`state`]); [`net`] is the only module that talks to the network; HTML from an
//! archive reaches the page only through [`components::safe_html`].

mod boot;
mod browser;
mod components;
mod context;
mod fetcher;
mod hooks;
mod net;
mod offline;
mod state;
mod sync;

/// Mounts the app on `<body>` (static/boot.js, which loaded it, registers the service
/// worker that makes it work offline).
pub fn start() {
    yew::Renderer::<components::app::App>::new().render();
}
