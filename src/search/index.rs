//! Answering a query from postings ([`super::postings`]): exactly the posts whose folded
//! title or text contains every included term and no excluded one; ranking; highlights.

use std::ops::Range;

use super::fold::{fold, fold_mapped};
use super::postings::{decode, term_keys, IndexError, Key, Record};
use super::query::{Query, Term};

/// A result: the document, and what its rank was computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub doc: u32,
    pub title_hits: u32,
    pub text_hits: u32,
}

/// Every key whose posting [`search`] will read for `query`, without repeats.
pub fn needed_keys(query: &Query) -> Vec<Key> {
    let mut keys: Vec<Key> = Vec::new();
    for key in query.include.iter().chain(&query.exclude).flat_map(|t| term_keys(&t.folded)).map(|(_, key)| key) {
        // A query has a handful of keys: a linear check is cheaper than sorting.
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// Documents (ids `0..docs`) whose folded title or text contains every included term and
/// no excluded one, in id order. `posting` gives a key's posting bytes (empty if absent).
/// Qualifiers (`source:`…) are not looked at here.
pub fn search<'a>(query: &Query, docs: u32, posting: impl Fn(Key) -> &'a [u8]) -> Result<Vec<Hit>, IndexError> {
    let mut hits: Option<Vec<Hit>> = None;
    for term in &query.include {
        let found = term_hits(term, &posting)?;
        hits = Some(match hits {
            None => found,
            Some(so_far) => intersect(&so_far, &found),
        });
    }
    let mut hits = hits.unwrap_or_else(|| (0..docs).map(|doc| Hit { doc, title_hits: 0, text_hits: 0 }).collect());
    for term in &query.exclude {
        let excluded = term_hits(term, &posting)?;
        hits.retain(|h| excluded.binary_search_by_key(&h.doc, |e| e.doc).is_err());
    }
    Ok(hits)
}

/// Where one term occurs: for one character its unigram posting says so directly; for
/// more, the documents having all its bigrams, at consecutive positions within one field.
fn term_hits<'a>(term: &Term, posting: &impl Fn(Key) -> &'a [u8]) -> Result<Vec<Hit>, IndexError> {
    let keys = term_keys(&term.folded);
    let lists = keys.iter().map(|&(_, key)| decode(key, posting(key))).collect::<Result<Vec<Vec<Record>>, _>>()?;
    let Some((first, rest)) = lists.split_first() else { return Ok(Vec::new()) };
    if term.folded.chars().nth(1).is_none() {
        return Ok(first
            .iter()
            .map(|r| Hit { doc: r.doc, title_hits: r.title_count, text_hits: r.text_count })
            .collect());
    }
    let mut hits = Vec::new();
    'docs: for record in first {
        let mut others = Vec::with_capacity(rest.len());
        for list in rest {
            match list.binary_search_by_key(&record.doc, |r| r.doc) {
                Ok(i) => others.push(&list[i]),
                Err(_) => continue 'docs,
            }
        }
        let runs = |field: fn(&Record) -> &Vec<u32>| {
            field(record)
                .iter()
                .filter(|&&p| {
                    // The first key is at offset 0; the others at theirs.
                    others
                        .iter()
                        .zip(&keys[1..])
                        .all(|(other, &(offset, _))| field(other).binary_search(&(p + offset)).is_ok())
                })
                .count() as u32
        };
        let (title_hits, text_hits) = (runs(|r| &r.title), runs(|r| &r.text));
        if title_hits + text_hits > 0 {
            hits.push(Hit { doc: record.doc, title_hits, text_hits });
        }
    }
    Ok(hits)
}

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

/// Documents in both (sorted) lists, their hits added up.
fn intersect(a: &[Hit], b: &[Hit]) -> Vec<Hit> {
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].doc.cmp(&b[j].doc) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(Hit {
                    doc: a[i].doc,
                    title_hits: a[i].title_hits + b[j].title_hits,
                    text_hits: a[i].text_hits + b[j].text_hits,
                });
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Orders hits: title hits first, then more hits, then newer (`ts` of each document),
/// then document order, so the order is stable.
pub fn rank(hits: &mut [Hit], ts: impl Fn(u32) -> i64) {
    // A total order (ids are unique), so an unstable sort is as stable as any.
    hits.sort_unstable_by(|a, b| {
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
    ranges.sort_unstable_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// A piece of text around a first match, with the matches in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub marks: Vec<Range<usize>>,
}

/// About `width` characters of `text` around its first match of `query`, cut at
/// character boundaries and marked with `…` where cut; `None` if nothing matches.
pub fn snippet(text: &str, query: &Query, width: usize) -> Option<Snippet> {
    let first = highlights(text, query).first()?.clone();
    let lead = width / 3;
    let start = text[..first.start].char_indices().rev().nth(lead.saturating_sub(1)).map_or(0, |(i, _)| i);
    let end = text[start..].char_indices().nth(width).map_or(text.len(), |(i, _)| start + i).max(first.end);
    let (before, after) = (if start > 0 { "…" } else { "" }, if end < text.len() { "…" } else { "" });
    let piece = format!("{before}{}{after}", &text[start..end]);
    let marks = highlights(&piece, query);
    Some(Snippet { text: piece, marks })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::search::postings::{posting_in, Bucket, IndexBuilder};

    const POSTS: [(&str, &str); 4] = [
        ("臺灣國際新聞", "立法會今日開會。"),
        ("Markets", "台湾 exports rose; NATO met."),
        ("国际新闻", "台湾与国际"),
        ("其他", "台"),
    ];

    /// Small buckets, so that queries read postings from several of them.
    fn index() -> Vec<Bucket> {
        let mut builder = IndexBuilder::new();
        for (title, text) in POSTS {
            builder.add(title, text);
        }
        builder.finish(64).into_iter().map(|b| Bucket::parse(b).unwrap()).collect()
    }

    fn hits(index: &[Bucket], q: &str) -> Vec<Hit> {
        search(&Query::parse(q), POSTS.len() as u32, |key| posting_in(index, key)).unwrap()
    }

    fn ids(index: &[Bucket], q: &str) -> Vec<u32> {
        hits(index, q).iter().map(|h| h.doc).collect()
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
            ("-nato", &[0, 2, 3]),
            ("台湾与国", &[2]),
            ("会今日开", &[0]),
            ("新闻立法", &[]),
        ];
        for (q, expected) in cases {
            assert_eq!(ids(&index, q), *expected, "{q}");
        }
    }

    #[test]
    fn the_scan_finds_what_the_index_finds() {
        let index = index();
        let scan = Scan::new(POSTS);
        for q in ["台湾", "国际", "台", "立法会", "nato", "台湾 -国际", "\"exports rose\"", "-台", "会今日开", "x"]
        {
            assert_eq!(scan.search(&Query::parse(q)).iter().map(|h| h.doc).collect::<Vec<_>>(), ids(&index, q), "{q}");
        }
    }

    #[test]
    fn ranks_title_hits_first_then_counts_then_newer() {
        let index = index();
        let mut ranked = hits(&index, "国际");
        rank(&mut ranked, |doc| doc as i64);
        // Both have a title hit; doc 2 has two hits in all.
        assert_eq!(ranked.iter().map(|h| h.doc).collect::<Vec<_>>(), [2, 0]);
        let mut ranked = hits(&index, "台");
        rank(&mut ranked, |_| 0);
        assert_eq!(ranked.iter().map(|h| h.doc).collect::<Vec<_>>(), [0, 1, 2, 3]);
    }

    #[test]
    fn snippets_start_shortly_before_the_first_match() {
        let text = format!("{}臺灣{}", "甲".repeat(100), "乙".repeat(100));
        let s = snippet(&text, &Query::parse("台湾"), 30).unwrap();
        assert_eq!(s.text, format!("…{}臺灣{}…", "甲".repeat(10), "乙".repeat(18)));
        assert_eq!(s.marks.iter().map(|r| &s.text[r.clone()]).collect::<Vec<_>>(), ["臺灣"]);
        let short = snippet("NATO met", &Query::parse("nato"), 30).unwrap();
        assert_eq!(short.text, "NATO met");
        assert_eq!(short.marks.iter().map(|r| &short.text[r.clone()]).collect::<Vec<_>>(), ["NATO"]);
        assert_eq!(snippet("nothing here", &Query::parse("台湾"), 30), None);
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
