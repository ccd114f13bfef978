//! An exact full-text index: character bigrams narrow the candidates, then every
//! candidate is verified against its folded text, so results are exactly the posts
//! whose folded title or text contains every included term and no excluded one.

use std::collections::HashMap;
use std::ops::Range;

use super::fold::{fold, fold_mapped};
use super::query::{Query, Term};

/// One searchable post, folded once.
struct Doc {
    title: String,
    text: String,
}

pub struct TextIndex {
    docs: Vec<Doc>,
    /// Bigram of folded characters → ids of the documents (title or text) containing it, ascending.
    bigrams: HashMap<(char, char), Vec<u32>>,
}

/// A result: the document, and what its rank was computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub doc: u32,
    pub title_hits: u32,
    pub text_hits: u32,
}

impl TextIndex {
    /// Indexes `(title, text)` pairs; a document's id is its position.
    pub fn new<'a>(docs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut bigrams: HashMap<(char, char), Vec<u32>> = HashMap::new();
        let docs: Vec<Doc> =
            docs.into_iter().map(|(title, text)| Doc { title: fold(title), text: fold(text) }).collect();
        for (id, doc) in docs.iter().enumerate() {
            for part in [&doc.title, &doc.text] {
                let mut chars = part.chars();
                let Some(mut previous) = chars.next() else { continue };
                for c in chars {
                    let list = bigrams.entry((previous, c)).or_default();
                    if list.last() != Some(&(id as u32)) {
                        list.push(id as u32);
                    }
                    previous = c;
                }
            }
        }
        TextIndex { docs, bigrams }
    }

    /// Documents containing every included term and no excluded one, in document order.
    /// Qualifiers (`source:`…) are not looked at here.
    pub fn search(&self, query: &Query) -> Vec<Hit> {
        let candidates = self.candidates(&query.include);
        let verify = |doc: u32| {
            let d = &self.docs[doc as usize];
            if !query.matches_text(&d.title, &d.text) {
                return None;
            }
            let count = |haystack: &str| query.include.iter().map(|t| haystack.matches(&t.folded).count() as u32).sum();
            Some(Hit { doc, title_hits: count(&d.title), text_hits: count(&d.text) })
        };
        match candidates {
            Some(list) => list.into_iter().filter_map(verify).collect(),
            None => (0..self.docs.len() as u32).filter_map(verify).collect(),
        }
    }

    /// The intersection of the posting lists of every bigram of every included term, or
    /// `None` when no term is long enough to narrow anything (every document is a candidate).
    fn candidates(&self, include: &[Term]) -> Option<Vec<u32>> {
        let mut lists: Vec<&[u32]> = Vec::new();
        for term in include {
            let chars: Vec<char> = term.folded.chars().collect();
            for pair in chars.windows(2) {
                match self.bigrams.get(&(pair[0], pair[1])) {
                    Some(list) => lists.push(list),
                    None => return Some(Vec::new()),
                }
            }
        }
        lists.sort_by_key(|l| l.len());
        let (first, rest) = lists.split_first()?;
        let mut result: Vec<u32> = first.to_vec();
        for list in rest {
            result.retain(|id| list.binary_search(id).is_ok());
            if result.is_empty() {
                break;
            }
        }
        Some(result)
    }
}

/// Orders hits: title hits first, then more hits, then newer (`ts` of each document),
/// then document order, so the order is stable.
pub fn rank(hits: &mut [Hit], ts: impl Fn(u32) -> i64) {
    hits.sort_by(|a, b| {
        (b.title_hits > 0)
            .cmp(&(a.title_hits > 0))
            .then((b.title_hits + b.text_hits).cmp(&(a.title_hits + a.text_hits)))
            .then(ts(b.doc).cmp(&ts(a.doc)))
            .then(a.doc.cmp(&b.doc))
    });
}

/// Byte ranges of `text` (original, unfolded) where any included term of `query` occurs,
/// sorted and merged, for highlighting.
pub fn highlights(text: &str, query: &Query) -> Vec<Range<usize>> {
    let (folded, origin) = fold_mapped(text);
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for term in query.include.iter().filter(|t| !t.folded.is_empty()) {
        for (start, matched) in folded.match_indices(&term.folded) {
            let last = origin[start + matched.len() - 1];
            let end = last + text[last..].chars().next().map_or(0, char::len_utf8);
            ranges.push(origin[start]..end);
        }
    }
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> TextIndex {
        TextIndex::new([
            ("臺灣國際新聞", "立法會今日開會。"),
            ("Markets", "台湾 exports rose; NATO met."),
            ("国际新闻", "台湾与国际"),
            ("其他", "台"),
        ])
    }

    fn ids(index: &TextIndex, q: &str) -> Vec<u32> {
        index.search(&Query::parse(q)).iter().map(|h| h.doc).collect()
    }

    #[test]
    fn finds_exactly_the_documents_containing_the_folded_terms() {
        let index = index();
        let cases: &[(&str, &[u32])] = &[
            ("台湾", &[0, 1, 2]),
            ("臺灣", &[0, 1, 2]),
            ("国际", &[0, 2]),
            ("台", &[0, 1, 2, 3]),
            ("立法会", &[0]),
            ("nato", &[1]),
            ("台湾 -国际", &[1]),
            ("\"exports rose\"", &[1]),
            ("rose exports", &[1]),
            ("\"rose exports\"", &[]),
            ("不存在", &[]),
            ("-台", &[]),
        ];
        for (q, expected) in cases {
            assert_eq!(ids(&index, q), *expected, "{q}");
        }
    }

    #[test]
    fn ranks_title_hits_first_then_counts_then_newer() {
        let index = index();
        let mut hits = index.search(&Query::parse("国际"));
        rank(&mut hits, |doc| doc as i64);
        // Both have a title hit; doc 2 has two hits in all.
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), [2, 0]);
        let mut hits = index.search(&Query::parse("台"));
        rank(&mut hits, |_| 0);
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), [0, 1, 2, 3]);
    }

    #[test]
    fn highlights_map_back_to_the_original_text() {
        let text = "臺灣與國際：台湾";
        let ranges = highlights(text, &Query::parse("台湾 国际"));
        let parts: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(parts, ["臺灣", "國際", "台湾"]);
        let text = "Ⅻ chapters";
        let ranges = highlights(text, &Query::parse("xi"));
        assert_eq!(ranges.iter().map(|r| &text[r.clone()]).collect::<Vec<_>>(), ["Ⅻ"]);
    }
}
