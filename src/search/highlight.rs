//! Where a query's terms occur in a piece of original (unfolded) text, for marking them;
//! and a snippet of text around the first of them.

use std::ops::Range;

use super::fold::fold_mapped;
use super::query::Query;

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
    /// The piece, with `…` where it was cut.
    pub text: String,
    /// Byte ranges of the matches in `text`.
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
