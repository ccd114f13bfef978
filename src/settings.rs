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
