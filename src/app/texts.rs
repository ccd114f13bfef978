//! The interface's words in the reader's language: the catalogue (`crate::i18n`) that
//! static/boot.js fetched with the page, and the browser's `Intl` formats of numbers
//! and dates for that language. Choosing another language fetches its catalogue.

use js_sys::Intl;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{Catalog, Lang};

/// Where the reader's choice of language is remembered (boot.js reads it too).
const LANG_KEY: &str = "newsreader.lang";

/// A language's messages and formats.
pub struct Texts {
    catalog: Catalog,
    number: Intl::NumberFormat,
    date: Intl::DateTimeFormat,
    long_date: Intl::DateTimeFormat,
    day: Intl::DateTimeFormat,
    /// The timeline's: a year, a month of a year, a month alone, a day of the month.
    year: Intl::DateTimeFormat,
    month: Intl::DateTimeFormat,
    month_short: Intl::DateTimeFormat,
    day_of_month: Intl::DateTimeFormat,
}

fn options(pairs: &[(&str, &str)]) -> js_sys::Object {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = js_sys::Reflect::set(&object, &(*key).into(), &(*value).into());
    }
    object
}

fn format(format: &Intl::DateTimeFormat, ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    format.format().call1(&JsValue::UNDEFINED, &date).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

impl Texts {
    fn new(catalog: Catalog) -> Texts {
        let locales = js_sys::Array::of1(&catalog.lang().tag().into());
        Texts {
            number: Intl::NumberFormat::new(&locales, &js_sys::Object::new()),
            date: Intl::DateTimeFormat::new(&locales, &options(&[("dateStyle", "medium"), ("timeStyle", "short")])),
            long_date: Intl::DateTimeFormat::new(&locales, &options(&[("dateStyle", "full"), ("timeStyle", "long")])),
            // A post's day is its own calendar day: shown as written, not moved to this zone.
            day: Intl::DateTimeFormat::new(&locales, &options(&[("dateStyle", "medium"), ("timeZone", "UTC")])),
            year: Intl::DateTimeFormat::new(&locales, &options(&[("year", "numeric"), ("timeZone", "UTC")])),
            month: Intl::DateTimeFormat::new(
                &locales,
                &options(&[("year", "numeric"), ("month", "long"), ("timeZone", "UTC")]),
            ),
            month_short: Intl::DateTimeFormat::new(&locales, &options(&[("month", "short"), ("timeZone", "UTC")])),
            day_of_month: Intl::DateTimeFormat::new(&locales, &options(&[("day", "numeric"), ("timeZone", "UTC")])),
            catalog,
        }
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.catalog.lang()
    }

    /// The message of `key`.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.catalog.text(key)
    }

    /// The message of `key`, filled.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        self.catalog.fill(key, values)
    }

    /// A count, as the language writes numbers.
    pub fn number(&self, n: usize) -> String {
        self.number
            .format()
            .call1(&JsValue::UNDEFINED, &JsValue::from_f64(n as f64))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| n.to_string())
    }

    /// A short date and time in the reader's time zone.
    pub fn date(&self, ts: i64) -> String {
        format(&self.date, ts as f64 * 1000.0)
    }

    /// The full date and time, with the reader's time zone named.
    pub fn long_date(&self, ts: i64) -> String {
        format(&self.long_date, ts as f64 * 1000.0)
    }

    /// A calendar day (a day number, `crate::day`).
    pub fn day(&self, day: i32) -> String {
        format(&self.day, f64::from(day) * 86_400_000.0)
    }

    /// A timeline bin starting on `day`, in full ("March 2020") and as its bar's short
    /// label ("Mar"), for a bin of `zoom`.
    pub fn period(&self, day: i32, zoom: crate::timeline::Zoom) -> (String, String) {
        use crate::timeline::Zoom;
        let ms = f64::from(day) * 86_400_000.0;
        match zoom {
            Zoom::Years => (format(&self.year, ms), format(&self.year, ms)),
            Zoom::Months { .. } => (format(&self.month, ms), format(&self.month_short, ms)),
            Zoom::Days { .. } => (format(&self.day, ms), format(&self.day_of_month, ms)),
        }
    }

    /// `12.3 MB` (with integers: formatting floats would bring its code into the wasm).
    pub fn megabytes(&self, bytes: u64) -> String {
        let tenths = (bytes + 50_000) / 100_000;
        self.fill("megabytes", &[("value", &format!("{}.{}", tenths / 10, tenths % 10))])
    }
}

/// The language the reader chose here, else the browser's.
pub fn preferred() -> Lang {
    if let Some(lang) = super::browser::remembered(LANG_KEY).and_then(|tag| Lang::from_tag(&tag)) {
        return lang;
    }
    let languages = gloo::utils::window().navigator().languages();
    let languages: Vec<String> = languages.iter().filter_map(|l| l.as_string()).collect();
    Lang::for_browser(&languages)
}

/// Remembers the reader's choice; when storage is unavailable, it lasts this visit.
pub fn remember(lang: Lang) -> Result<(), String> {
    super::browser::remember(LANG_KEY, lang.tag())
}

/// Puts `<html lang>` to the interface's language (articles carry their own).
pub fn set_document_lang(lang: Lang) {
    if let Some(root) = gloo::utils::document().document_element() {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// The catalogue boot.js fetched with the page, if it did (once).
async fn from_boot() -> Option<Catalog> {
    let global = js_sys::global();
    let key = JsValue::from_str("newsreaderTexts");
    let promise = js_sys::Reflect::get(&global, &key).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let _ = js_sys::Reflect::delete_property(global.unchecked_ref::<js_sys::Object>(), &key);
    let buffer = JsFuture::from(promise).await.ok()?.dyn_into::<js_sys::ArrayBuffer>().ok()?;
    Catalog::parse(&js_sys::Uint8Array::new(&buffer).to_vec()).ok()
}

async fn fetched(lang: Lang) -> Option<Catalog> {
    let bytes = super::net::text_file(&format!("i18n/{}.json", lang.tag())).await.ok()?;
    Catalog::parse(&bytes).ok()
}

/// The catalogue of `lang` (boot.js's copy when it has it), else English, else none:
/// keys then stand for their messages, which at least shows where the words go.
pub async fn load(lang: Lang) -> Texts {
    let catalog = match from_boot().await.filter(|c| c.lang() == lang) {
        Some(catalog) => Some(catalog),
        None => fetched(lang).await,
    };
    let catalog = match catalog {
        Some(catalog) => catalog,
        None => fetched(Lang::En).await.unwrap_or_default(),
    };
    set_document_lang(catalog.lang());
    Texts::new(catalog)
}
