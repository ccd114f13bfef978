//! Answering a query from postings ([`super::bucket`]): exactly the posts whose folded
//! title or text contains every included term and no excluded one; and their ranking.

use super::bucket::{term_keys, Entry, IndexError, Key, Postings};
use super::query::{Query, Term};

/// A result: the document, and what its rank was computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The document (its position in the archive).
    pub doc: u32,
    /// Occurrences of the included terms in its title.
    pub title_hits: u32,
    /// Occurrences of the included terms in its text.
    pub text_hits: u32,
}

/// Every key whose posting [`search`] will read for `query`, without repeats.
pub fn needed_keys(query: &Query) -> Vec<Key> {
    let mut keys: Vec<Key> = Vec::new();
    for key in query.include.iter().chain(&query.exclude).flat_map(|t| term_keys(&t.folded)).map(|k| k.key) {
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

/// [`search`] over an index cut into segments (`docs[s]` documents in segment `s`, in
/// order): `posting(s, key)` gives segment `s`'s posting of `key`. A hit's document is
/// its position over all segments, so the hits are in archive order.
pub fn search_segments<'a>(
    query: &Query,
    docs: &[u32],
    posting: impl Fn(usize, Key) -> &'a [u8],
) -> Result<Vec<Hit>, IndexError> {
    search_segments_where(query, docs, &|_| true, &posting)
}

/// [`search_segments`] in the segments `here` says only: the hits of every other
/// segment are left out (its documents still count for the positions of later ones).
/// What a query's answer is so far, while the other segments' buckets are on their way.
/// Takes its functions by reference: every caller shares one copy of the search in the
/// wasm.
pub fn search_segments_where<'a>(
    query: &Query,
    docs: &[u32],
    here: &dyn Fn(usize) -> bool,
    posting: &dyn Fn(usize, Key) -> &'a [u8],
) -> Result<Vec<Hit>, IndexError> {
    let mut hits = Vec::new();
    let mut start = 0u32;
    for (segment, &count) in docs.iter().enumerate() {
        if here(segment) {
            let found = search(query, count, |key| posting(segment, key))?;
            hits.extend(found.into_iter().map(|h| Hit { doc: h.doc + start, ..h }));
        }
        start = start.saturating_add(count);
    }
    Ok(hits)
}

/// Where one term occurs: for one character its unigram posting says so directly; for
/// more, the documents having all its keys' bigrams, each followed by the term's next
/// character, at the term's offsets from one position within one field.
fn term_hits<'a>(term: &Term, posting: &impl Fn(Key) -> &'a [u8]) -> Result<Vec<Hit>, IndexError> {
    let keys = term_keys(&term.folded);
    let lists =
        keys.iter().map(|k| Postings::decode(k.key, k.next, posting(k.key))).collect::<Result<Vec<Postings>, _>>()?;
    let Some((first, rest)) = lists.split_first() else { return Ok(Vec::new()) };
    if term.folded.chars().nth(1).is_none() {
        return Ok(first
            .entries
            .iter()
            .map(|r| Hit { doc: r.doc, title_hits: r.title_count, text_hits: r.text_count })
            .collect());
    }
    let mut hits = Vec::new();
    let mut others: Vec<&Entry> = Vec::with_capacity(rest.len());
    // Every list is in document order: each is walked once, alongside the first.
    let mut cursors = vec![0usize; rest.len()];
    'docs: for record in &first.entries {
        others.clear();
        for (list, at) in rest.iter().zip(&mut cursors) {
            let entries = &list.entries;
            while entries.get(*at).is_some_and(|e| e.doc < record.doc) {
                *at += 1;
            }
            match entries.get(*at) {
                Some(entry) if entry.doc == record.doc => others.push(entry),
                _ => continue 'docs,
            }
        }
        let runs = |field: for<'p> fn(&'p Postings, &Entry) -> &'p [u32]| {
            field(first, record)
                .iter()
                .filter(|&&p| {
                    // The first key is at offset 0; the others at theirs.
                    others.iter().zip(rest).zip(&keys[1..]).all(|((other, list), key)| {
                        p.checked_add(key.offset).is_some_and(|at| field(list, other).binary_search(&at).is_ok())
                    })
                })
                .count() as u32
        };
        let (title_hits, text_hits) = (runs(Postings::title), runs(Postings::text));
        if title_hits + text_hits > 0 {
            hits.push(Hit { doc: record.doc, title_hits, text_hits });
        }
    }
    Ok(hits)
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
                    // Saturating: counts come from files, which may be corrupt.
                    title_hits: a[i].title_hits.saturating_add(b[j].title_hits),
                    text_hits: a[i].text_hits.saturating_add(b[j].text_hits),
                });
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Orders hits: title hits first, then more hits, then newer. Documents are numbered in
/// archive order (newest first, ties by id), so "newer" is the lower number and the
/// order is total: no post's date needs to be here.
pub fn rank(hits: &mut [Hit]) {
    // One integer per hit, compared as one: a query's thousands of hits are sorted while
    // its reader waits, in a wasm built for size, and three chained comparisons a step
    // are a profile's visible share of that. Counts past 2³¹ (no post has them) tie.
    const MOST: u32 = (1 << 31) - 1;
    hits.sort_unstable_by_key(|h| {
        let hits = h.title_hits.saturating_add(h.text_hits).min(MOST);
        u64::from(h.title_hits == 0) << 63 | u64::from(MOST - hits) << 32 | u64::from(h.doc)
    });
}

#[cfg(all(test, feature = "builder"))]
pub(crate) mod tests {
    use super::*;

    use crate::archive::read::SegmentIndex;
    use crate::builder::index::IndexBuilder;

    pub(crate) const POSTS: [(&str, &str); 4] = [
        ("臺灣國際新聞", "立法會今日開會。"),
        ("Markets", "台湾 exports rose; NATO met."),
        ("国际新闻", "台湾与国际"),
        ("其他", "台"),
    ];

    /// Small buckets, so that queries read postings from several of them.
    pub(crate) fn index() -> SegmentIndex {
        let mut builder = IndexBuilder::new();
        for (title, text) in POSTS {
            builder.add(title, text);
        }
        builder.finish_index(64)
    }

    fn hits(index: &SegmentIndex, q: &str) -> Vec<Hit> {
        search(&Query::parse(q), POSTS.len() as u32, |key| index.posting(key)).unwrap()
    }

    pub(crate) fn ids(index: &SegmentIndex, q: &str) -> Vec<u32> {
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
            // Three characters: Chinese ones in two keys; Latin ones in one, whose pair
            // must be followed by the third.
            ("台湾与", &[2]),
            ("台湾e", &[]),
            ("际新闻", &[0, 2]),
            ("nato met", &[1]),
            ("natx", &[]),
        ];
        for (q, expected) in cases {
            assert_eq!(ids(&index, q), *expected, "{q}");
        }
    }

    #[test]
    fn the_rank_order_is_title_hits_then_all_hits_then_archive_order() {
        let chained = |a: &Hit, b: &Hit| {
            (b.title_hits > 0)
                .cmp(&(a.title_hits > 0))
                .then((b.title_hits + b.text_hits).cmp(&(a.title_hits + a.text_hits)))
                .then(a.doc.cmp(&b.doc))
        };
        // Every combination of a few small counts, in a scrambled order.
        let mut hits: Vec<Hit> = (0..5 * 5 * 40)
            .map(|i: u32| Hit { doc: (i * 7919) % 1000, title_hits: i % 5, text_hits: (i / 5) % 5 })
            .collect();
        let mut expected = hits.clone();
        expected.sort_by(chained);
        rank(&mut hits);
        assert_eq!(hits, expected);
        let mut huge =
            vec![Hit { doc: 1, title_hits: 0, text_hits: u32::MAX }, Hit { doc: 0, title_hits: 1, text_hits: 0 }];
        rank(&mut huge);
        assert_eq!(huge[0].doc, 0, "a title hit ranks first whatever the text's count");
    }

    #[test]
    fn ranks_title_hits_first_then_counts_then_newer() {
        let index = index();
        let mut ranked = hits(&index, "国际");
        rank(&mut ranked);
        // Both have a title hit; doc 2 has two hits in all.
        assert_eq!(ranked.iter().map(|h| h.doc).collect::<Vec<_>>(), [2, 0]);
        let mut ranked = hits(&index, "台");
        rank(&mut ranked);
        // Only doc 0 has 台 in its title; the rest by hits, then archive order.
        assert_eq!(ranked.iter().map(|h| h.doc).collect::<Vec<_>>(), [0, 1, 2, 3]);
    }

    #[test]
    fn segments_answer_as_one_index_over_every_document() {
        let whole = index();
        let mut first = IndexBuilder::new();
        let mut second = IndexBuilder::new();
        for (i, (title, text)) in POSTS.iter().enumerate() {
            if i < 1 { &mut first } else { &mut second }.add(title, text);
        }
        let parts: Vec<SegmentIndex> = [first, second].into_iter().map(|b| b.finish_index(64)).collect();
        for q in ["台湾", "国际", "台", "-nato", "立法会", "x"] {
            let split = search_segments(&Query::parse(q), &[1, 3], |s, key| parts[s].posting(key)).unwrap();
            assert_eq!(split, hits(&whole, q), "{q}");
        }
    }

    #[test]
    fn some_segments_answer_with_the_whole_answers_hits_in_them() {
        let whole = index();
        let mut first = IndexBuilder::new();
        let mut second = IndexBuilder::new();
        for (i, (title, text)) in POSTS.iter().enumerate() {
            if i < 2 { &mut first } else { &mut second }.add(title, text);
        }
        let parts: Vec<SegmentIndex> = [first, second].into_iter().map(|b| b.finish_index(64)).collect();
        for q in ["台湾", "国际", "台", "-nato", "x"] {
            let all = hits(&whole, q);
            for (segment, docs) in [(0, 0..2), (1, 2..4)] {
                // The other segment's buckets are not here: its postings are never read.
                let some = search_segments_where(&Query::parse(q), &[2, 2], &|s| s == segment, &|s, key| {
                    if s == segment {
                        parts[s].posting(key)
                    } else {
                        panic!("read segment {s}")
                    }
                })
                .unwrap();
                let expected: Vec<Hit> = all.iter().filter(|h| docs.contains(&h.doc)).copied().collect();
                assert_eq!(some, expected, "{q} in segment {segment}");
            }
        }
    }
}
