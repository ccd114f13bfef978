//! Filtering, sorting and facet counts for the list view.
//!
//! Within one facet the selected values are alternatives (source A *or* B); different
//! facets, the date range and the title text all have to hold together. Each facet's
//! counts are taken over the posts that pass every *other* filter, so a count says how
//! many posts the list would show if that value were added.

use std::collections::HashMap;

use crate::archive::{ArticleMeta, FacetCount, Facets};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Facet {
    Source,
    Category,
    Tag,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    pub sources: Vec<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    /// Inclusive `YYYY-MM-DD` bounds on the post's own calendar day.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Text the title must contain, ignoring case.
    pub query: String,
    pub sort: Sort,
}

impl Filters {
    fn selected_mut(&mut self, facet: Facet) -> &mut Vec<String> {
        match facet {
            Facet::Source => &mut self.sources,
            Facet::Category => &mut self.categories,
            Facet::Tag => &mut self.tags,
        }
    }

    /// Adds `value` to the facet's selection, or removes it if it was there.
    pub fn toggle(&mut self, facet: Facet, value: &str) {
        let selected = self.selected_mut(facet);
        match selected.iter().position(|v| v == value) {
            Some(i) => {
                selected.remove(i);
            }
            None => selected.push(value.to_string()),
        }
    }

    /// Whether anything narrows the list (the sort order does not).
    pub fn is_narrowing(&self) -> bool {
        !(self.sources.is_empty()
            && self.categories.is_empty()
            && self.tags.is_empty()
            && self.from.is_none()
            && self.to.is_none()
            && self.query.trim().is_empty())
    }
}

/// What the list view needs computed from the articles once, not on every keystroke.
pub struct ListIndex {
    folded_titles: Vec<String>,
}

/// Per-facet counts under the current filters, in the archive's facet order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FacetCounts {
    pub sources: Vec<FacetCount>,
    pub categories: Vec<FacetCount>,
    pub tags: Vec<FacetCount>,
}

/// The result of applying filters: matching article indices in display order, and counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    pub indices: Vec<usize>,
    pub counts: FacetCounts,
}

fn fold(text: &str) -> String {
    text.to_lowercase()
}

fn any_selected(selected: &[String], values: &[String]) -> bool {
    selected.is_empty() || selected.iter().any(|s| values.contains(s))
}

impl ListIndex {
    pub fn new(articles: &[ArticleMeta]) -> Self {
        ListIndex { folded_titles: articles.iter().map(|a| fold(&a.title)).collect() }
    }

    pub fn apply(&self, articles: &[ArticleMeta], facets: &Facets, filters: &Filters) -> Listing {
        let query = fold(filters.query.trim());
        let mut indices = Vec::new();
        let mut tally = Tally::default();
        for (i, article) in articles.iter().enumerate() {
            let day = article.day();
            let rest = filters.from.as_deref().is_none_or(|from| day >= from)
                && filters.to.as_deref().is_none_or(|to| day <= to)
                && (query.is_empty() || self.folded_titles[i].contains(&query));
            if !rest {
                continue;
            }
            let source = any_selected(&filters.sources, std::slice::from_ref(&article.source));
            let category = any_selected(&filters.categories, &article.categories);
            let tag = any_selected(&filters.tags, &article.tags);
            if category && tag {
                tally.add(Facet::Source, std::slice::from_ref(&article.source));
            }
            if source && tag {
                tally.add(Facet::Category, &article.categories);
            }
            if source && category {
                tally.add(Facet::Tag, &article.tags);
            }
            if source && category && tag {
                indices.push(i);
            }
        }
        // Articles are stored newest first.
        if filters.sort == Sort::Oldest {
            indices.reverse();
        }
        Listing { indices, counts: tally.finish(facets) }
    }
}

/// Counts per facet value; keys borrow from the articles, so nothing is copied per post.
#[derive(Default)]
struct Tally<'a> {
    counts: [HashMap<&'a str, u32>; 3],
}

impl<'a> Tally<'a> {
    fn add(&mut self, facet: Facet, values: &'a [String]) {
        let counts = &mut self.counts[facet as usize];
        for value in values {
            *counts.entry(value.as_str()).or_default() += 1;
        }
    }

    /// Every value the archive knows, in its order, with the count seen (0 if none).
    fn finish(self, facets: &Facets) -> FacetCounts {
        let list = |facet: Facet| {
            let counts = &self.counts[facet as usize];
            let all = match facet {
                Facet::Source => &facets.sources,
                Facet::Category => &facets.categories,
                Facet::Tag => &facets.tags,
            };
            all.iter()
                .map(|f| FacetCount { name: f.name.clone(), count: counts.get(f.name.as_str()).copied().unwrap_or(0) })
                .collect()
        };
        FacetCounts { sources: list(Facet::Source), categories: list(Facet::Category), tags: list(Facet::Tag) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, day: &str, source: &str, tags: &[&str], categories: &[&str], title: &str) -> ArticleMeta {
        ArticleMeta {
            id: id.into(),
            title: title.into(),
            date: format!("{day}T12:00:00+08:00"),
            ts: 0,
            source: source.into(),
            url: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            categories: categories.iter().map(|t| t.to_string()).collect(),
            excerpt: String::new(),
            lang: "en".into(),
        }
    }

    fn fixture() -> (Vec<ArticleMeta>, Facets) {
        let articles = vec![
            article("a", "2026-03-03", "CNA", &["typhoon", "weather"], &["news"], "Typhoon Nears Taiwan"),
            article("b", "2026-03-02", "BBC", &["economy"], &["news", "business"], "Markets steady"),
            article("c", "2026-03-02", "CNA", &["economy"], &["business"], "颱風影響 出口"),
            article("d", "2026-03-01", "RTHK", &[], &["rss"], "立法會通過預算"),
        ];
        let facet =
            |pairs: &[(&str, u32)]| pairs.iter().map(|(n, c)| FacetCount { name: n.to_string(), count: *c }).collect();
        let facets = Facets {
            sources: facet(&[("CNA", 2), ("BBC", 1), ("RTHK", 1)]),
            categories: facet(&[("news", 2), ("business", 2), ("rss", 1)]),
            tags: facet(&[("economy", 2), ("typhoon", 1), ("weather", 1)]),
            days: vec![],
        };
        (articles, facets)
    }

    fn ids(articles: &[ArticleMeta], listing: &Listing) -> Vec<String> {
        listing.indices.iter().map(|&i| articles[i].id.clone()).collect()
    }

    #[test]
    fn filters_combine_across_facets_and_alternate_within_one() {
        let (articles, facets) = fixture();
        let index = ListIndex::new(&articles);
        let cases: &[(Filters, &[&str])] = &[
            (Filters::default(), &["a", "b", "c", "d"]),
            (Filters { sources: vec!["CNA".into()], ..Default::default() }, &["a", "c"]),
            (Filters { sources: vec!["CNA".into(), "RTHK".into()], ..Default::default() }, &["a", "c", "d"]),
            (Filters { sources: vec!["CNA".into()], tags: vec!["economy".into()], ..Default::default() }, &["c"]),
            (Filters { categories: vec!["business".into()], ..Default::default() }, &["b", "c"]),
            (Filters { from: Some("2026-03-02".into()), ..Default::default() }, &["a", "b", "c"]),
            (Filters { to: Some("2026-03-02".into()), ..Default::default() }, &["b", "c", "d"]),
            (
                Filters { from: Some("2026-03-02".into()), to: Some("2026-03-02".into()), ..Default::default() },
                &["b", "c"],
            ),
            (Filters { query: "typhoon".into(), ..Default::default() }, &["a"]),
            (Filters { query: "  TYPHOON ".into(), ..Default::default() }, &["a"]),
            (Filters { query: "立法會".into(), ..Default::default() }, &["d"]),
            (Filters { sort: Sort::Oldest, ..Default::default() }, &["d", "c", "b", "a"]),
        ];
        for (filters, expected) in cases {
            let listing = index.apply(&articles, &facets, filters);
            assert_eq!(ids(&articles, &listing), *expected, "{filters:?}");
        }
    }

    #[test]
    fn facet_counts_ignore_their_own_facet_but_respect_the_others() {
        let (articles, facets) = fixture();
        let index = ListIndex::new(&articles);
        let filters = Filters { sources: vec!["CNA".into()], tags: vec!["economy".into()], ..Default::default() };
        let counts = index.apply(&articles, &facets, &filters).counts;
        let of = |list: &[FacetCount], name: &str| list.iter().find(|f| f.name == name).unwrap().count;
        // Sources among posts tagged economy: CNA (c) and BBC (b).
        assert_eq!((of(&counts.sources, "CNA"), of(&counts.sources, "BBC"), of(&counts.sources, "RTHK")), (1, 1, 0));
        // Tags among CNA posts.
        assert_eq!((of(&counts.tags, "economy"), of(&counts.tags, "typhoon")), (1, 1));
        // Categories among CNA posts tagged economy.
        assert_eq!((of(&counts.categories, "business"), of(&counts.categories, "news")), (1, 0));
    }

    #[test]
    fn toggling_a_value_twice_restores_the_filters() {
        let mut filters = Filters::default();
        filters.toggle(Facet::Tag, "economy");
        assert_eq!(filters.tags, ["economy"]);
        assert!(filters.is_narrowing());
        filters.toggle(Facet::Tag, "economy");
        assert_eq!(filters, Filters::default());
    }
}
