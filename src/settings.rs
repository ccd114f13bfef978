//! The reader's settings for reading comfort, kept on the device: text size (relative
//! to the browser's own default, so a reader who set a larger default keeps it), line
//! width, line spacing, theme, and which script Chinese text is shown in. Read
//! leniently: a value from another version falls back to its default, never an error.

use serde::{Deserialize, Serialize};

/// How wide lines of article text may grow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineWidth {
    /// About 34 characters of Latin text, 28 of CJK.
    Narrow,
    /// About 42.
    #[default]
    Medium,
    /// About 52.
    Wide,
}

/// How far apart lines are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineHeight {
    /// 1.4.
    Compact,
    /// 1.65.
    #[default]
    Normal,
    /// 1.9.
    Relaxed,
}

/// Colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Light or dark as the system is.
    #[default]
    System,
    /// Dark text on white.
    Light,
    /// Light text on near black.
    Dark,
    /// Dark brown on cream.
    Sepia,
}

/// Which script Chinese text (titles, excerpts, bodies) is shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// As the post was written.
    #[default]
    Original,
    /// Traditional characters shown as Simplified.
    Simplified,
    /// Simplified characters shown as Traditional.
    Traditional,
}

/// A setting with a few named choices: every one of them, and the name each is stored
/// (and offered) by, the same as its serde name.
pub trait Choice: Copy + PartialEq + 'static {
    /// Every choice, in the order they are offered.
    const ALL: &'static [Self];
    /// How it is stored and named.
    fn name(self) -> &'static str;
}

impl Choice for LineWidth {
    const ALL: &'static [Self] = &[LineWidth::Narrow, LineWidth::Medium, LineWidth::Wide];
    fn name(self) -> &'static str {
        match self {
            LineWidth::Narrow => "narrow",
            LineWidth::Medium => "medium",
            LineWidth::Wide => "wide",
        }
    }
}

impl Choice for LineHeight {
    const ALL: &'static [Self] = &[LineHeight::Compact, LineHeight::Normal, LineHeight::Relaxed];
    fn name(self) -> &'static str {
        match self {
            LineHeight::Compact => "compact",
            LineHeight::Normal => "normal",
            LineHeight::Relaxed => "relaxed",
        }
    }
}

impl Choice for Theme {
    const ALL: &'static [Self] = &[Theme::System, Theme::Light, Theme::Dark, Theme::Sepia];
    fn name(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Sepia => "sepia",
        }
    }
}

impl Choice for Script {
    const ALL: &'static [Self] = &[Script::Original, Script::Simplified, Script::Traditional];
    fn name(self) -> &'static str {
        match self {
            Script::Original => "original",
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
        }
    }
}

/// Every setting, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Percent of the browser's default text size.
    pub text_size: u16,
    /// Article line width.
    pub line_width: LineWidth,
    /// Line spacing.
    pub line_height: LineHeight,
    /// Colours.
    pub theme: Theme,
    /// Chinese text's script.
    pub script: Script,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            text_size: 100,
            line_width: LineWidth::default(),
            line_height: LineHeight::default(),
            theme: Theme::default(),
            script: Script::default(),
        }
    }
}

/// The text sizes offered, in percent of the browser's default.
pub const TEXT_SIZES: [u16; 8] = [75, 90, 100, 110, 125, 150, 175, 200];

impl Settings {
    /// Reads stored settings; whatever cannot be read keeps its default.
    pub fn parse(json: &str) -> Settings {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(json) else { return Settings::default() };
        let mut settings = Settings::default();
        let field = |name: &str| value.get(name).cloned();
        if let Some(size) = field("text_size").and_then(|v| v.as_u64()) {
            settings.text_size =
                TEXT_SIZES.into_iter().min_by_key(|&s| (i64::from(s) - size as i64).abs()).unwrap_or(100);
        }
        if let Some(v) = field("line_width").and_then(|v| serde_json::from_value(v).ok()) {
            settings.line_width = v;
        }
        if let Some(v) = field("line_height").and_then(|v| serde_json::from_value(v).ok()) {
            settings.line_height = v;
        }
        if let Some(v) = field("theme").and_then(|v| serde_json::from_value(v).ok()) {
            settings.theme = v;
        }
        if let Some(v) = field("script").and_then(|v| serde_json::from_value(v).ok()) {
            settings.script = v;
        }
        settings
    }

    /// The settings as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("settings serialise")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_are_serde_names<C: Choice + Serialize>() {
        for &choice in C::ALL {
            assert_eq!(serde_json::to_string(&choice).unwrap(), format!("\"{}\"", choice.name()));
        }
    }

    #[test]
    fn every_choice_is_named_as_it_is_stored() {
        names_are_serde_names::<LineWidth>();
        names_are_serde_names::<LineHeight>();
        names_are_serde_names::<Theme>();
        names_are_serde_names::<Script>();
    }

    #[test]
    fn stored_settings_read_back() {
        let settings = Settings {
            text_size: 150,
            line_width: LineWidth::Wide,
            line_height: LineHeight::Relaxed,
            theme: Theme::Sepia,
            script: Script::Traditional,
        };
        assert_eq!(Settings::parse(&settings.to_json()), settings);
    }

    #[test]
    fn what_cannot_be_read_keeps_its_default() {
        let cases = [
            ("not json", Settings::default()),
            (r#"{"theme":"neon","text_size":"big"}"#, Settings::default()),
            (r#"{"theme":"dark"}"#, Settings { theme: Theme::Dark, ..Settings::default() }),
            (r#"{"text_size":130}"#, Settings { text_size: 125, ..Settings::default() }),
            (r#"{"text_size":9999}"#, Settings { text_size: 200, ..Settings::default() }),
        ];
        for (json, expected) in cases {
            assert_eq!(Settings::parse(json), expected, "{json}");
        }
    }
}
