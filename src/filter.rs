//! Filtering, searching, sorting and facet counts for the list view.
//!
//! Within one facet the selected values are alternatives (source A *or* B); different
//! facets, the date range, the search terms and `source:`/`tag:`/`category:` qualifiers
//! all have to hold together. Each facet's counts are taken over the posts that pass
//! every *other* filter, so a count says how many posts the list would show if that
//! value were added.

use crate::archive::FacetCount;
use crate::catalog::Catalog;
use crate::reading::ReadingState;
use crate::search::{fold, rank, Hit, Query};

/// The order of the list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Sort {
    /// Search results by rank ([`crate::search::rank`]); without search terms, newest first.
    #[default]
    BestMatch,
    /// Newest first.
    Newest,
    /// Oldest first.
    Oldest,
}

/// Which posts the list shows by the reader's own marks ([`ReadingState`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Only {
    /// Every post.
    #[default]
    All,
    /// Posts not read yet.
    Unread,
    /// Starred posts.
    Starred,
}

/// The facets a list can be narrowed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Facet {
    /// Where a post comes from.
    Source,
    /// A front-matter category.
    Category,
    /// A tag.
    Tag,
}

/// Everything that narrows or orders the list; kept in the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    /// Any of these sources.
    pub sources: Vec<String>,
    /// Any of these categories.
    pub categories: Vec<String>,
    /// Any of these tags.
    pub tags: Vec<String>,
    /// Inclusive `YYYY-MM-DD` bounds on the post's own calendar day.
    pub from: Option<String>,
    /// Inclusive `YYYY-MM-DD` upper bound on the post's own calendar day.
    pub to: Option<String>,
    /// The search box, in [`Query`] syntax.
    pub query: String,
    /// The order.
    pub sort: Sort,
    /// All, unread or starred posts.
    pub only: Only,
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

    /// `from` and `to` as day numbers; a bound that is not a date is no bound (the route
    /// only keeps dates), and a reversed range is read the right way round
    /// ([`crate::timeline::check_range`], which also says so, for the date inputs).
    pub fn day_range(&self) -> (Option<i32>, Option<i32>) {
        let range = crate::timeline::check_range(self.from.as_deref(), self.to.as_deref(), None);
        (range.from, range.to)
    }

    /// Whether anything narrows the list (the sort order does not).
    pub fn is_narrowing(&self) -> bool {
        !(self.sources.is_empty()
            && self.categories.is_empty()
            && self.tags.is_empty()
            && self.from.is_none()
            && self.to.is_none()
            && self.query.trim().is_empty()
            && self.only == Only::All)
    }
}

/// Per-facet counts under the current filters, in the archive's facet order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FacetCounts {
    /// Per source, in the archive's order.
    pub sources: Vec<FacetCount>,
    /// Per category, in the archive's order.
    pub categories: Vec<FacetCount>,
    /// Per tag, in the archive's order.
    pub tags: Vec<FacetCount>,
}

/// The result of applying filters: matching positions in display order, and counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    /// Positions in the catalog, in the order shown.
    pub indices: Vec<usize>,
    /// What each facet value would give if added, over the posts that have arrived.
    pub counts: FacetCounts,
    /// Posts per day, `(day, posts)` sorted by day, of the posts that pass every filter
    /// but the date range: the timeline, which shows the range chosen among the others.
    pub days: Vec<(i32, u32)>,
    /// Whether every post that could match was looked at: false while parts of a
    /// sharded archive are still arriving and something needs them (a facet, a date,
    /// a qualifier). Without such a filter the list is exact from the start.
    pub complete: bool,
}

/// One facet's constraints as positions: the panel's selection (any of) and each
/// qualifier of the query (every one must hold).
struct Constraint {
    selected: Option<Vec<bool>>,
    required: Vec<Vec<bool>>,
}

impl Constraint {
    fn new(names: &[FacetCount], selected: &[String], qualifiers: &[String]) -> Self {
        let mask = |pick: &dyn Fn(usize, &str) -> bool| {
            let mut mask = vec![false; names.len()];
            for (i, f) in names.iter().enumerate() {
                mask[i] = pick(i, &f.name);
            }
            mask
        };
        // Chosen values (a link, a checkbox) and typed qualifiers both match names the way
        // search terms match text: folded, so that `tag=台风` finds posts tagged 颱風.
        let selected: Vec<String> = selected.iter().map(|s| fold(s)).collect();
        let selected = (!selected.is_empty()).then(|| mask(&|_, name| selected.contains(&fold(name))));
        let required = qualifiers.iter().map(|q| fold(q)).map(|q| mask(&|_, name| fold(name) == q)).collect();
        Constraint { selected, required }
    }

    /// (passes the panel selection, passes the qualifiers)
    fn test(&self, values: &[u32]) -> (bool, bool) {
        let has = |mask: &Vec<bool>| values.iter().any(|&v| mask[v as usize]);
        (self.selected.as_ref().is_none_or(has), self.required.iter().all(has))
    }
}

/// Search results in both orders the list shows them: archive order (newest first) and
/// rank. Ranked once, so that sorting a cached answer again costs nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    by_doc: Vec<Hit>,
    by_rank: Vec<Hit>,
}

impl Hits {
    /// From [`crate::search::search`]'s results (in archive order).
    pub fn new(by_doc: Vec<Hit>) -> Self {
        let mut by_rank = by_doc.clone();
        rank(&mut by_rank);
        Hits { by_doc, by_rank }
    }
}

/// Whether the listing for `filters` is every hit of the query's text, in the sort's
/// order, with no post's entry looked at: no facet, date, mark or qualifier to test.
pub fn lists_hits_alone(filters: &Filters, query: &Query) -> bool {
    let (first_day, last_day) = filters.day_range();
    filters.sources.is_empty()
        && filters.categories.is_empty()
        && filters.tags.is_empty()
        && query.sources.is_empty()
        && query.categories.is_empty()
        && query.tags.is_empty()
        && first_day.is_none()
        && last_day.is_none()
        && filters.only == Only::All
}

/// The posts the first `rows` rows show when the listing is `hits` alone
/// ([`lists_hits_alone`]), `hits` being in archive order: which parts the first screen
/// needs, known from some of the index before all of it is here.
pub fn leading_hits(mut hits: Vec<Hit>, sort: Sort, rows: usize) -> Vec<usize> {
    let docs = |hits: &mut dyn Iterator<Item = &Hit>| hits.take(rows).map(|h| h.doc as usize).collect();
    match sort {
        Sort::BestMatch => {
            rank(&mut hits);
            docs(&mut hits.iter())
        }
        Sort::Newest => docs(&mut hits.iter()),
        Sort::Oldest => docs(&mut hits.iter().rev()),
    }
}

/// Filters `catalog` for `filters`. `hits` are the search results for the query's text
/// terms (`None` when it has none), from [`crate::search::search`]; `marks` say which
/// posts are read and starred, for [`Only`]. Posts whose part has not arrived are listed
/// when no filter needs them, and skipped (the listing then incomplete) when one does.
pub fn apply(
    catalog: &Catalog,
    filters: &Filters,
    query: &Query,
    hits: Option<&Hits>,
    marks: &ReadingState,
) -> Listing {
    let source = Constraint::new(&catalog.sources, &filters.sources, &query.sources);
    let category = Constraint::new(&catalog.categories, &filters.categories, &query.categories);
    let tag = Constraint::new(&catalog.tags, &filters.tags, &query.tags);
    let (first_day, last_day) = filters.day_range();
    let needs_entries = !lists_hits_alone(filters, query);
    let marked = |id: &str| match filters.only {
        Only::All => true,
        Only::Unread => !marks.is_read(id),
        Only::Starred => marks.is_starred(id),
    };
    let days = first_day.unwrap_or(i32::MIN)..=last_day.unwrap_or(i32::MAX);

    let mut tally = [vec![0u32; catalog.sources.len()], vec![0; catalog.categories.len()], vec![0; catalog.tags.len()]];
    let mut matching: Vec<usize> = Vec::new();
    let mut per_day: Vec<(i32, u32)> = Vec::new();
    let mut complete = true;
    let mut visit = |position: usize| {
        if !catalog.is_loaded(position) {
            if needs_entries {
                complete = false;
            } else {
                matching.push(position);
            }
            return;
        }
        let entry = &catalog.entries[position];
        if !marked(&entry.id) {
            return;
        }
        let (s, s_required) = source.test(std::slice::from_ref(&entry.source));
        let (c, c_required) = category.test(&entry.categories);
        let (t, t_required) = tag.test(&entry.tags);
        if !(s_required && c_required && t_required) {
            return;
        }
        if s && c && t {
            // Runs of one day are the rule (posts come newest first): counted as runs.
            match per_day.last_mut() {
                Some((day, n)) if *day == entry.day => *n += 1,
                _ => per_day.push((entry.day, 1)),
            }
        }
        if !days.contains(&entry.day) {
            return;
        }
        let mut add = |facet: Facet, values: &[u32]| {
            for &v in values {
                tally[facet as usize][v as usize] += 1;
            }
        };
        if c && t {
            add(Facet::Source, std::slice::from_ref(&entry.source));
        }
        if s && t {
            add(Facet::Category, &entry.categories);
        }
        if s && c {
            add(Facet::Tag, &entry.tags);
        }
        if s && c && t {
            matching.push(position);
        }
    };

    match hits {
        None => (0..catalog.entries.len()).for_each(&mut visit),
        Some(hits) => {
            // Archive order is newest first.
            let order = if filters.sort == Sort::BestMatch { &hits.by_rank } else { &hits.by_doc };
            order.iter().for_each(|h| visit(h.doc as usize));
        }
    }
    if filters.sort == Sort::Oldest {
        matching.reverse();
    }

    let counted = |list: &[FacetCount], counts: &[u32]| {
        list.iter().zip(counts).map(|(f, &count)| FacetCount { name: f.name.clone(), count }).collect()
    };
    Listing {
        indices: matching,
        days: merge_runs(per_day),
        counts: FacetCounts {
            sources: counted(&catalog.sources, &tally[0]),
            categories: counted(&catalog.categories, &tally[1]),
            tags: counted(&catalog.tags, &tally[2]),
        },
        complete,
    }
}

/// Runs of `(day, posts)` in any order as one count per day, sorted by day.
fn merge_runs(mut runs: Vec<(i32, u32)>) -> Vec<(i32, u32)> {
    runs.sort_unstable_by_key(|&(day, _)| day);
    let mut merged: Vec<(i32, u32)> = Vec::with_capacity(runs.len());
    for (day, n) in runs {
        match merged.last_mut() {
            Some((last, total)) if *last == day => *total += n,
            _ => merged.push((day, n)),
        }
    }
    merged
}

#[cfg(all(test, feature = "builder"))]
mod tests {
    use super::*;
    use crate::archive::read::SegmentIndex;
    use crate::archive::{Archive, ArticleMeta, BuildCounts, Facets, Layout, FORMAT_VERSION};
    use crate::builder::index::IndexBuilder;
    use crate::search::search;

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

    struct Fixture {
        catalog: Catalog,
        index: SegmentIndex,
    }

    fn fixture() -> Fixture {
        let articles = vec![
            article("a", "2026-03-03", "CNA", &["typhoon", "weather"], &["news"], "Typhoon Nears Taiwan"),
            article("b", "2026-03-02", "BBC", &["economy"], &["news", "business"], "Markets steady"),
            article("c", "2026-03-02", "CNA", &["economy", "颱風"], &["business"], "颱風影響 出口"),
            article("d", "2026-03-01", "RTHK", &[], &["rss"], "立法會通過預算"),
        ];
        let bodies: Vec<String> =
            vec!["<p>wind</p>".into(), "<p>typhoon aside</p>".into(), "<p>台风</p>".into(), "".into()];
        let facet =
            |pairs: &[(&str, u32)]| pairs.iter().map(|(n, c)| FacetCount { name: n.to_string(), count: *c }).collect();
        let facets = Facets {
            sources: facet(&[("CNA", 2), ("BBC", 1), ("RTHK", 1)]),
            categories: facet(&[("news", 2), ("business", 2), ("rss", 1)]),
            tags: facet(&[("economy", 2), ("typhoon", 1), ("weather", 1), ("颱風", 1)]),
            days: facet(&[("2026-03-01", 1), ("2026-03-02", 2), ("2026-03-03", 1)]),
        };
        let mut builder = IndexBuilder::new();
        for (a, body) in articles.iter().zip(&bodies) {
            builder.add(&a.title, &crate::text::html_to_text(body));
        }
        let index = builder.finish_index(1 << 16);
        let archive = Archive {
            format_version: FORMAT_VERSION,
            layout: Layout::Single,
            generated_at: String::new(),
            generator: String::new(),
            counts: BuildCounts::default(),
            facets,
            articles,
            bodies,
        };
        Fixture { catalog: Catalog::from_archive(archive).0, index }
    }

    fn run(f: &Fixture, filters: &Filters) -> Listing {
        let query = Query::parse(&filters.query);
        let hits = (!query.include.is_empty() || !query.exclude.is_empty())
            .then(|| search(&query, f.catalog.entries.len() as u32, |key| f.index.posting(key)).unwrap());
        let hits = hits.map(Hits::new);
        apply(&f.catalog, filters, &query, hits.as_ref(), &ReadingState::new())
    }

    fn ids(f: &Fixture, listing: &Listing) -> Vec<String> {
        listing.indices.iter().map(|&i| f.catalog.entries[i].id.to_string()).collect()
    }

    #[test]
    fn leading_hits_are_the_first_rows_of_a_listing_of_hits_alone() {
        let f = fixture();
        for query in ["typhoon", "台风", "-typhoon", "wind", "nothing"] {
            for sort in [Sort::BestMatch, Sort::Newest, Sort::Oldest] {
                let filters = Filters { query: query.into(), sort, ..Default::default() };
                let parsed = Query::parse(query);
                assert!(lists_hits_alone(&filters, &parsed));
                let hits = search(&parsed, 4, |key| f.index.posting(key)).unwrap();
                let listing = run(&f, &filters);
                for rows in 0..4 {
                    let first = &listing.indices[..rows.min(listing.indices.len())];
                    assert_eq!(leading_hits(hits.clone(), sort, rows), first, "{query} {sort:?} {rows}");
                }
            }
        }
        let q = |query: &str| Filters { query: query.into(), ..Default::default() };
        for filters in [
            Filters { sources: vec!["CNA".into()], ..q("typhoon") },
            Filters { from: Some("2026-03-02".into()), ..q("typhoon") },
            Filters { only: Only::Unread, ..q("typhoon") },
            q("typhoon tag:economy"),
        ] {
            assert!(!lists_hits_alone(&filters, &Query::parse(&filters.query)), "{filters:?}");
        }
        // A bound that is not a date is none.
        assert!(lists_hits_alone(&Filters { to: Some("2026-02-30".into()), ..q("typhoon") }, &Query::parse("typhoon")));
    }

    #[test]
    fn filters_combine_across_facets_and_alternate_within_one() {
        let f = fixture();
        let q = |query: &str| Filters { query: query.into(), ..Default::default() };
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
            (Filters { from: Some("2026-03-04".into()), ..Default::default() }, &[]),
            // Reversed bounds are swapped; a bound that is not a date is none.
            (
                Filters { from: Some("2026-03-02".into()), to: Some("2026-03-01".into()), ..Default::default() },
                &["b", "c", "d"],
            ),
            (
                Filters { from: Some("2026-02-30".into()), to: Some("2026-03-02".into()), ..Default::default() },
                &["b", "c", "d"],
            ),
            // Title hits rank before text hits.
            (q("typhoon"), &["a", "b"]),
            (q("  TYPHOON "), &["a", "b"]),
            (Filters { sort: Sort::Oldest, ..q("typhoon") }, &["b", "a"]),
            (q("立法會"), &["d"]),
            (q("台風"), &["c"]),
            (q("typhoon source:bbc"), &["b"]),
            (q("tag:ECONOMY"), &["b", "c"]),
            (q("tag:economy category:news"), &["b"]),
            (q("-typhoon"), &["c", "d"]),
            (Filters { sources: vec!["CNA".into()], ..q("typhoon") }, &["a"]),
            (Filters { sort: Sort::Oldest, ..Default::default() }, &["d", "c", "b", "a"]),
        ];
        for (filters, expected) in cases {
            let listing = run(&f, filters);
            assert_eq!(ids(&f, &listing), *expected, "{filters:?}");
        }
    }

    #[test]
    fn facet_counts_ignore_their_own_facet_but_respect_the_others() {
        let f = fixture();
        let filters = Filters { sources: vec!["CNA".into()], tags: vec!["economy".into()], ..Default::default() };
        let counts = run(&f, &filters).counts;
        let of = |list: &[FacetCount], name: &str| list.iter().find(|f| f.name == name).unwrap().count;
        // Sources among posts tagged economy: CNA (c) and BBC (b).
        assert_eq!((of(&counts.sources, "CNA"), of(&counts.sources, "BBC"), of(&counts.sources, "RTHK")), (1, 1, 0));
        // Tags among CNA posts.
        assert_eq!((of(&counts.tags, "economy"), of(&counts.tags, "typhoon")), (1, 1));
        // Categories among CNA posts tagged economy.
        assert_eq!((of(&counts.categories, "business"), of(&counts.categories, "news")), (1, 0));
        // A qualifier narrows every facet's counts, its own included.
        let counts = run(&f, &Filters { query: "source:rthk".into(), ..Default::default() }).counts;
        assert_eq!((of(&counts.sources, "CNA"), of(&counts.sources, "RTHK")), (0, 1));
    }

    #[test]
    fn unread_and_starred_combine_with_the_other_filters() {
        let f = fixture();
        let mut marks = ReadingState::new();
        marks.mark_read("a");
        marks.mark_read("c");
        marks.set_starred("c", true, 1);
        marks.set_starred("d", true, 2);
        let listed = |filters: Filters| {
            let query = Query::parse(&filters.query);
            ids(&f, &apply(&f.catalog, &filters, &query, None, &marks))
        };
        let only = |only: Only| Filters { only, ..Filters::default() };
        assert_eq!(listed(only(Only::All)), ["a", "b", "c", "d"]);
        assert_eq!(listed(only(Only::Unread)), ["b", "d"]);
        assert_eq!(listed(only(Only::Starred)), ["c", "d"]);
        assert_eq!(listed(Filters { sources: vec!["CNA".into()], ..only(Only::Starred) }), ["c"]);
        assert_eq!(listed(Filters { query: "source:rthk".into(), ..only(Only::Unread) }), ["d"]);
        // Counts are over the posts the view shows.
        let counts = apply(&f.catalog, &only(Only::Unread), &Query::parse(""), None, &marks).counts;
        let cna = counts.sources.iter().find(|c| c.name == "CNA").unwrap().count;
        assert_eq!(cna, 0);
        assert!(only(Only::Starred).is_narrowing());
    }

    #[test]
    fn chosen_facet_values_fold_like_search_terms() {
        let f = fixture();
        // Simplified and Traditional, full-width and case variants name the same value.
        let cases: &[(&[&str], &[&str])] =
            &[(&["ECONOMY"], &["b", "c"]), (&["台风"], &["c"]), (&["台風", "weather"], &["a", "c"]), (&["cna"], &[])];
        for (tags, expected) in cases {
            let filters = Filters { tags: tags.iter().map(|t| t.to_string()).collect(), ..Filters::default() };
            assert_eq!(ids(&f, &run(&f, &filters)), *expected, "{tags:?}");
        }
        let sources = Filters { sources: vec!["Ｃｎａ".into()], ..Filters::default() };
        assert_eq!(ids(&f, &run(&f, &sources)), ["a", "c"]);
    }

    #[test]
    fn the_timeline_counts_every_filter_but_the_dates() {
        let f = fixture();
        let day = |d: &str| crate::day::day_number(d).unwrap();
        let filters = Filters { from: Some("2026-03-03".into()), ..Filters::default() };
        let listing = run(&f, &filters);
        assert_eq!(ids(&f, &listing), ["a"]);
        assert_eq!(listing.days, [(day("2026-03-01"), 1), (day("2026-03-02"), 2), (day("2026-03-03"), 1)]);
        let cna = Filters { sources: vec!["CNA".into()], ..filters };
        assert_eq!(run(&f, &cna).days, [(day("2026-03-02"), 1), (day("2026-03-03"), 1)]);
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
