//! The interface's languages: Traditional Chinese, Simplified Chinese and English, each
//! a catalogue of messages in `static/i18n/<tag>.json` (one file per language, fetched
//! with the app so that none of the three weighs in the wasm). Messages are looked up
//! by key; `{name}` in a message is filled with a value. Numbers and dates are formatted
//! by the browser's `Intl` for the language, not here.

use serde::Deserialize;

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Traditional Chinese (`zh-Hant`): Taiwan, Hong Kong, Macau.
    ZhHant,
    /// Simplified Chinese (`zh-Hans`): mainland China, Singapore.
    ZhHans,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// Every language, in the order a menu lists them.
    pub const ALL: [Lang; 3] = [Lang::ZhHant, Lang::ZhHans, Lang::En];

    /// The BCP 47 tag: the catalogue's name and `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhHant => "zh-Hant",
            Lang::ZhHans => "zh-Hans",
            Lang::En => "en",
        }
    }

    /// The language of a tag, if it is one of these three exactly.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(tag))
    }

    /// The interface language for the browser's preferred languages, most preferred
    /// first (`navigator.languages`): the first Chinese or English one decides; a
    /// Chinese tag without a script or region reads as Simplified, `zh-TW`, `zh-HK`,
    /// `zh-MO` and `zh-Hant` as Traditional. Nothing of these: English.
    pub fn for_browser(languages: &[String]) -> Lang {
        for tag in languages {
            let tag = tag.to_ascii_lowercase();
            let mut parts = tag.split(['-', '_']);
            match parts.next() {
                Some("zh") => {
                    let traditional = parts.any(|p| matches!(p, "hant" | "tw" | "hk" | "mo"));
                    return if traditional { Lang::ZhHant } else { Lang::ZhHans };
                }
                Some("en") => return Lang::En,
                _ => {}
            }
        }
        Lang::En
    }
}

/// Why a catalogue cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CatalogError {
    /// The bytes are not a catalogue.
    #[error("the language file is not valid: {0}")]
    NotACatalogue(String),
}

#[derive(Deserialize)]
struct File {
    lang: String,
    name: String,
    messages: std::collections::BTreeMap<String, String>,
}

/// One language's messages, sorted by key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    lang: Lang,
    name: String,
    messages: Vec<(Box<str>, Box<str>)>,
}

impl Catalog {
    /// Reads a catalogue file.
    pub fn parse(bytes: &[u8]) -> Result<Catalog, CatalogError> {
        let file: File = serde_json::from_slice(bytes).map_err(|e| CatalogError::NotACatalogue(e.to_string()))?;
        let lang = Lang::from_tag(&file.lang)
            .ok_or_else(|| CatalogError::NotACatalogue(format!("unknown language {:?}", file.lang)))?;
        let messages = file.messages.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Ok(Catalog { lang, name: file.name, messages })
    }

    /// Its language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The language's name, in itself ("繁體中文").
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The message of `key`; the key itself when the catalogue lacks it (which
    /// `tests/it/i18n.rs` makes sure never happens for a key the app uses).
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        match self.messages.binary_search_by(|(k, _)| (**k).cmp(key)) {
            Ok(at) => &self.messages[at].1,
            Err(_) => key,
        }
    }

    /// The message of `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.text(key), values)
    }

    /// Every key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.messages.iter().map(|(k, _)| &**k)
    }
}

/// `template` with each `{name}` replaced by its value; unknown names stay as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let named = after.find('}').and_then(|close| {
            let value = values.iter().find(|(n, _)| *n == &after[..close])?.1;
            Some((value, close))
        });
        match named {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{name}`s of a message, in order, without repeats.
pub fn placeholders(message: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !names.contains(&name) {
            names.push(name);
        }
        rest = &after[close + 1..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_languages_choose_the_interface() {
        let cases: &[(&[&str], Lang)] = &[
            (&["zh-TW", "en"], Lang::ZhHant),
            (&["zh-HK"], Lang::ZhHant),
            (&["zh-Hant-TW"], Lang::ZhHant),
            (&["zh-CN"], Lang::ZhHans),
            (&["zh"], Lang::ZhHans),
            (&["zh-Hans-SG"], Lang::ZhHans),
            (&["fr-FR", "zh-TW"], Lang::ZhHant),
            (&["en-GB", "zh-CN"], Lang::En),
            (&["ja", "de"], Lang::En),
            (&[], Lang::En),
        ];
        for (languages, expected) in cases {
            let languages: Vec<String> = languages.iter().map(|s| s.to_string()).collect();
            assert_eq!(Lang::for_browser(&languages), *expected, "{languages:?}");
        }
    }

    #[test]
    fn messages_are_filled_by_name() {
        assert_eq!(
            fill("{n} posts · built {date}", &[("n", "3"), ("date", "2026-01-01")]),
            "3 posts · built 2026-01-01"
        );
        assert_eq!(fill("{missing} and {", &[]), "{missing} and {");
        assert_eq!(placeholders("{a} {b} {a} {}"), ["a", "b"]);
    }

    #[test]
    fn a_catalogue_is_read_and_looked_up() {
        let catalog =
            Catalog::parse(r#"{"lang":"zh-Hant","name":"繁體中文","messages":{"b":"乙 {n}","a":"甲"}}"#.as_bytes())
                .unwrap();
        assert_eq!((catalog.lang(), catalog.name()), (Lang::ZhHant, "繁體中文"));
        assert_eq!(catalog.text("a"), "甲");
        assert_eq!(catalog.fill("b", &[("n", "2")]), "乙 2");
        assert_eq!(catalog.text("nope"), "nope");
        assert!(Catalog::parse(b"{}").is_err());
        assert!(Catalog::parse(br#"{"lang":"fr","name":"","messages":{}}"#).is_err());
    }
}
