//! Searching by reading every folded text: how a single-layout archive is searched, and
//! the definition the index must agree with.

use super::engine::Hit;
use super::fold::fold;
use super::query::Query;

/// Folded titles and texts, searched by reading them all: what a single-layout archive
/// uses, being small enough that a scan costs less than building an index would. It
/// is also the definition the index must agree with.
pub struct Scan {
    docs: Vec<(String, String)>,
}

impl Scan {
    /// From `(title, text)` pairs; a document's id is its position.
    pub fn new<'a>(posts: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Scan { docs: posts.into_iter().map(|(title, text)| (fold(title), fold(text))).collect() }
    }

    /// The same results as [`search`], in id order.
    pub fn search(&self, query: &Query) -> Vec<Hit> {
        let count = |haystack: &str| query.include.iter().map(|t| haystack.matches(&t.folded).count() as u32).sum();
        let hits = self.docs.iter().enumerate().filter(|(_, (title, text))| query.matches_text(title, text));
        hits.map(|(doc, (title, text))| Hit { doc: doc as u32, title_hits: count(title), text_hits: count(text) })
            .collect()
    }
}

#[cfg(all(test, feature = "builder"))]
mod tests {
    use super::*;
    use crate::search::engine::tests::{ids, index, POSTS};

    #[test]
    fn the_scan_finds_what_the_index_finds() {
        let index = index();
        let scan = Scan::new(POSTS);
        for q in ["台湾", "国际", "台", "立法会", "nato", "台湾 -国际", "\"exports rose\"", "-台", "会今日开", "x"]
        {
            assert_eq!(scan.search(&Query::parse(q)).iter().map(|h| h.doc).collect::<Vec<_>>(), ids(&index, q), "{q}");
        }
    }
}
