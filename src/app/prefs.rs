//! The reader's settings on this device ([`crate::settings`]): kept in localStorage and
//! applied to the page as attributes of `<html>` that style.css reads, and its font size
//! as a percentage of the browser's default (the reader's own setting stays 100%).
//! static/boot.js applies the same attributes before the first paint, so that a dark
//! theme never flashes white.

use super::browser;
use crate::settings::{LineHeight, LineWidth, Settings, Theme};

/// The localStorage key (boot.js reads it too).
const KEY: &str = "newsreader.settings";

/// The settings kept here, or the defaults.
pub fn load() -> Settings {
    browser::remembered(KEY).map(|json| Settings::parse(&json)).unwrap_or_default()
}

/// Keeps `settings`; when storage is unavailable, says why (they then last this visit).
pub fn save(settings: &Settings) -> Result<(), String> {
    browser::remember(KEY, &settings.to_json())
}

/// Puts `settings` on the page.
pub fn apply(settings: &Settings) {
    let Some(root) = gloo::utils::document().document_element() else { return };
    let theme = match settings.theme {
        Theme::System => None,
        Theme::Light => Some("light"),
        Theme::Dark => Some("dark"),
        Theme::Sepia => Some("sepia"),
    };
    let width = match settings.line_width {
        LineWidth::Narrow => "narrow",
        LineWidth::Medium => "medium",
        LineWidth::Wide => "wide",
    };
    let height = match settings.line_height {
        LineHeight::Compact => "compact",
        LineHeight::Normal => "normal",
        LineHeight::Relaxed => "relaxed",
    };
    let _ = match theme {
        Some(theme) => root.set_attribute("data-theme", theme),
        None => root.remove_attribute("data-theme"),
    };
    let _ = root.set_attribute("data-measure", width);
    let _ = root.set_attribute("data-leading", height);
    // Through the CSSOM: the CSP allows no inline style attributes.
    if let Some(root) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&root) {
        let _ = root.style().set_property("font-size", &format!("{}%", settings.text_size));
    }
}
