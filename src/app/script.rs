//! Showing Chinese text in the other script, as a reader chose in the settings: titles
//! and excerpts converted as strings before they are rendered, an article's body by
//! converting the text of its nodes once it is in the DOM (never by rebuilding HTML from
//! strings). Traditional to Simplified uses the table the search already folds with;
//! Simplified to Traditional, one-to-many, needs OpenCC's phrase table (`s2t.txt`, made
//! by `newsarchive s2t-table` at `make dist`), fetched only when that setting is on.

use std::borrow::Cow;
use std::rc::Rc;

use wasm_bindgen::JsCast;

use crate::convert::{to_simplified, ToTraditional};

/// The table's file, next to index.html.
pub const TABLE_FILE: &str = "s2t.txt";

/// How text is shown.
#[derive(Clone, Default)]
pub enum Display {
    /// As written.
    #[default]
    Original,
    /// Traditional characters as Simplified.
    Simplified,
    /// Simplified characters as Traditional, with the table.
    Traditional(Rc<ToTraditional>),
}

impl PartialEq for Display {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Display::Original, Display::Original) | (Display::Simplified, Display::Simplified) => true,
            (Display::Traditional(a), Display::Traditional(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Display {
    /// `text` as shown.
    pub fn shown<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self {
            Display::Original => Cow::Borrowed(text),
            Display::Simplified => Cow::Owned(to_simplified(text)),
            Display::Traditional(table) => Cow::Owned(table.convert(text)),
        }
    }

    /// The `lang` of Chinese text shown this way (a screen reader then reads it right,
    /// and fonts follow); other languages keep theirs.
    pub fn lang<'a>(&self, lang: &'a str) -> Cow<'a, str> {
        let chinese = lang == "zh" || lang.starts_with("zh-");
        match self {
            Display::Simplified if chinese => Cow::Borrowed("zh-Hans"),
            Display::Traditional(_) if chinese => Cow::Borrowed("zh-Hant"),
            _ => Cow::Borrowed(lang),
        }
    }

    /// Whether text is shown as written.
    pub fn is_original(&self) -> bool {
        matches!(self, Display::Original)
    }

    /// Converts every text node under `root` in place. Attributes (`alt`, `title`) are left
    /// as written; only what is read as text changes.
    pub fn convert_nodes(&self, root: &web_sys::Element) {
        if self.is_original() {
            return;
        }
        const SHOW_TEXT: u32 = 4;
        let Ok(walker) = gloo::utils::document().create_tree_walker_with_what_to_show(root, SHOW_TEXT) else {
            return;
        };
        while let Ok(Some(node)) = walker.next_node() {
            let Some(text) = node.dyn_ref::<web_sys::Text>() else { continue };
            let before = text.data();
            if let Cow::Owned(after) = self.shown(&before) {
                if after != before {
                    text.set_data(&after);
                }
            }
        }
    }
}
