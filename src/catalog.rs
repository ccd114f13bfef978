//! The archive as a reader holds it, whichever layout it came in: one compact [`Entry`]
//! per post with facet values as numbers, and the facet values with their counts.
//!
//! A sharded archive arrives part by part: until a part's list file is here its posts
//! are placeholders (or, for the newest, head posts that can be shown but not filtered),
//! and [`Catalog::is_complete`] says so. Article details (bodies, excerpts) are kept
//! apart, since they are fetched only when shown.

use crate::archive::{
    Archive, ArticleDetails, ArticleMeta, BuildCounts, Entry, FacetCount, Manifest, PartList, ShardStarts,
};

/// Every post of an archive in archive order (newest first), as far as it has arrived.
pub struct Catalog {
    /// When the archive was built, RFC 3339 in UTC.
    pub generated_at: String,
    /// What happened to the input files.
    pub counts: BuildCounts,
    /// Sources, with how many loaded posts have each; entries point into it.
    pub sources: Vec<FacetCount>,
    /// Categories, likewise.
    pub categories: Vec<FacetCount>,
    /// Tags, likewise.
    pub tags: Vec<FacetCount>,
    /// Languages (no counts needed); entries point into it.
    pub langs: Vec<String>,
    /// Every post, at its position; placeholders where its part has not arrived.
    pub entries: Vec<Entry>,
    parts: ShardStarts,
    loaded: Vec<bool>,
    loaded_posts: usize,
    /// Positions below this are shown from the manifest's head until their part arrives.
    head: usize,
    names: [Names; 4],
}

/// Facet values by name, for interning: (name, id) sorted by name.
#[derive(Default)]
struct Names(Vec<(Box<str>, u32)>);

const SOURCES: usize = 0;
const CATEGORIES: usize = 1;
const TAGS: usize = 2;
const LANGS: usize = 3;

impl Catalog {
    /// A whole archive: its catalog and every post's details (same order). Facet values
    /// are taken from the posts, so a hand-edited facet list cannot misdirect them.
    pub fn from_archive(archive: Archive) -> (Catalog, Vec<ArticleDetails>) {
        let Archive { generated_at, counts, articles, bodies, .. } = archive;
        let mut catalog = Catalog::empty(generated_at, counts, [articles.len() as u32]);
        let mut details = Vec::with_capacity(articles.len());
        for (position, (a, body)) in articles.into_iter().zip(bodies).enumerate() {
            let entry = catalog.intern(&a);
            catalog.count(&entry);
            catalog.entries[position] = entry;
            details.push(ArticleDetails { date: a.date, url: a.url, excerpt: a.excerpt, body });
        }
        catalog.loaded = vec![true];
        catalog.loaded_posts = catalog.entries.len();
        (catalog, details)
    }

    /// A sharded archive before any part has arrived: placeholders, and the head's posts
    /// where they belong.
    pub(crate) fn from_manifest(manifest: &Manifest) -> Catalog {
        let parts = manifest.parts.iter().map(|p| p.count);
        let mut catalog = Catalog::empty(manifest.generated_at.clone(), manifest.counts, parts);
        for (position, post) in manifest.head.iter().enumerate() {
            let source = catalog.intern_name(SOURCES, &post.source);
            let lang = catalog.intern_name(LANGS, &post.lang);
            if let Some(entry) = catalog.entries.get_mut(position) {
                *entry = Entry {
                    id: post.id.as_str().into(),
                    title: post.title.as_str().into(),
                    ts: post.ts,
                    day: post.day,
                    source,
                    lang,
                    tags: Box::default(),
                    categories: Box::default(),
                };
            }
        }
        catalog.head = manifest.head.len().min(catalog.entries.len());
        catalog
    }

    fn empty(generated_at: String, counts: BuildCounts, parts: impl IntoIterator<Item = u32>) -> Catalog {
        let parts = ShardStarts::new(parts);
        let total = parts.end();
        Catalog {
            generated_at,
            counts,
            sources: Vec::new(),
            categories: Vec::new(),
            tags: Vec::new(),
            langs: Vec::new(),
            entries: vec![Entry::default(); total],
            loaded: vec![false; parts.len()],
            parts,
            loaded_posts: 0,
            head: 0,
            names: Default::default(),
        }
    }

    /// Puts part `part`'s posts in place, their facet values renumbered into the
    /// catalog's. The list must have been checked ([`crate::archive::read::part_list`]).
    pub(crate) fn add_part(&mut self, part: usize, list: &PartList) {
        let Some(start) = self.parts.start(part).filter(|_| !self.loaded[part]) else { return };
        let map = |catalog: &mut Catalog, kind: usize, names: &[String]| -> Vec<u32> {
            names.iter().map(|name| catalog.intern_name(kind, name)).collect()
        };
        let sources = map(self, SOURCES, &list.sources);
        let categories = map(self, CATEGORIES, &list.categories);
        let tags = map(self, TAGS, &list.tags);
        let langs = map(self, LANGS, &list.langs);
        for (offset, e) in list.entries.iter().enumerate() {
            let entry = Entry {
                id: e.id.clone(),
                title: e.title.clone(),
                ts: e.ts,
                day: e.day,
                source: sources[e.source as usize],
                lang: langs[e.lang as usize],
                tags: e.tags.iter().map(|&t| tags[t as usize]).collect(),
                categories: e.categories.iter().map(|&c| categories[c as usize]).collect(),
            };
            self.count(&entry);
            self.entries[start + offset] = entry;
        }
        self.loaded[part] = true;
        self.loaded_posts += list.entries.len();
    }

    fn intern(&mut self, a: &ArticleMeta) -> Entry {
        Entry {
            id: a.id.as_str().into(),
            title: a.title.as_str().into(),
            ts: a.ts,
            day: a.day_number(),
            source: self.intern_name(SOURCES, &a.source),
            lang: self.intern_name(LANGS, &a.lang),
            tags: a.tags.iter().map(|t| self.intern_name(TAGS, t)).collect(),
            categories: a.categories.iter().map(|c| self.intern_name(CATEGORIES, c)).collect(),
        }
    }

    /// The id of a facet value, adding it (with a count of 0) if it is new. A sorted
    /// vector and not a map: a map type would weigh more in the wasm.
    fn intern_name(&mut self, kind: usize, name: &str) -> u32 {
        match self.names[kind].0.binary_search_by(|(n, _)| (**n).cmp(name)) {
            Ok(at) => self.names[kind].0[at].1,
            Err(at) => {
                let id = match kind {
                    LANGS => push_name(&mut self.langs, name.to_string()),
                    _ => push_name(self.facet_mut(kind), FacetCount { name: name.to_string(), count: 0 }),
                };
                self.names[kind].0.insert(at, (name.into(), id));
                id
            }
        }
    }

    fn facet_mut(&mut self, kind: usize) -> &mut Vec<FacetCount> {
        match kind {
            SOURCES => &mut self.sources,
            CATEGORIES => &mut self.categories,
            _ => &mut self.tags,
        }
    }

    fn count(&mut self, entry: &Entry) {
        self.sources[entry.source as usize].count += 1;
        for &c in &entry.categories {
            self.categories[c as usize].count += 1;
        }
        for &t in &entry.tags {
            self.tags[t as usize].count += 1;
        }
    }

    /// Whether every part has arrived.
    pub fn is_complete(&self) -> bool {
        self.loaded_posts == self.entries.len()
    }

    /// How many posts have arrived (those that can be filtered).
    pub fn loaded_posts(&self) -> usize {
        self.loaded_posts
    }

    /// Whether post `position` can be filtered: its part has arrived.
    pub fn is_loaded(&self, position: usize) -> bool {
        // Finding a post's part is a search, asked for every hit of a query: once every
        // part is here, none is needed.
        if self.is_complete() {
            return position < self.entries.len();
        }
        self.parts.find(position).is_some_and(|(part, _)| self.loaded[part])
    }

    /// Whether post `position` can be shown: loaded, or in the head.
    pub fn is_shown(&self, position: usize) -> bool {
        position < self.head || self.is_loaded(position)
    }

    /// The part holding post `position`, and its first position.
    pub fn part_of(&self, position: usize) -> Option<(usize, usize)> {
        self.parts.find(position)
    }

    /// Whether part `part` has arrived.
    pub fn part_loaded(&self, part: usize) -> bool {
        self.loaded.get(part).copied().unwrap_or(false)
    }

    /// The positions of the loaded parts, in order.
    pub fn loaded_ranges(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.loaded.iter().enumerate().filter(|(_, &loaded)| loaded).filter_map(|(part, _)| {
            let start = self.parts.start(part)?;
            Some(start..self.parts.start(part + 1).unwrap_or(self.parts.end()))
        })
    }

    /// A linear scan (a few milliseconds at 250,000 posts): it runs when the route names
    /// another article, and an index by id would cost memory and wasm for little.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.entries.iter().position(|e| &*e.id == id)
    }

    /// The source of a post.
    pub fn source(&self, entry: &Entry) -> &str {
        self.sources.get(entry.source as usize).map_or("", |f| f.name.as_str())
    }

    /// The language tag of a post.
    pub fn lang(&self, entry: &Entry) -> &str {
        self.langs.get(entry.lang as usize).map_or("", String::as_str)
    }

    /// The full metadata of one post, for the article view.
    pub fn meta(&self, position: usize, details: &ArticleDetails) -> ArticleMeta {
        let e = &self.entries[position];
        let names = |list: &[FacetCount], values: &[u32]| {
            values.iter().filter_map(|&v| list.get(v as usize)).map(|f| f.name.clone()).collect()
        };
        ArticleMeta {
            id: e.id.to_string(),
            title: e.title.to_string(),
            date: details.date.clone(),
            ts: e.ts,
            source: self.source(e).to_string(),
            url: details.url.clone(),
            tags: names(&self.tags, &e.tags),
            categories: names(&self.categories, &e.categories),
            excerpt: details.excerpt.clone(),
            lang: self.lang(e).to_string(),
        }
    }

    /// The first and last day of the loaded posts.
    pub fn day_range(&self) -> Option<(i32, i32)> {
        let days = self.loaded_ranges().flat_map(|range| self.entries[range].iter().map(|e| e.day));
        days.fold(None, |range, day| Some(range.map_or((day, day), |(a, b): (i32, i32)| (a.min(day), b.max(day)))))
    }
}

fn push_name<T>(list: &mut Vec<T>, value: T) -> u32 {
    list.push(value);
    (list.len() - 1) as u32
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::archive::{Facets, Layout, FORMAT_VERSION};

    pub fn archive() -> Archive {
        let meta = |id: &str, day: &str, source: &str, tags: &[&str], lang: &str| ArticleMeta {
            id: id.into(),
            title: format!("title {id}"),
            date: format!("{day}T08:00:00+08:00"),
            ts: 0,
            source: source.into(),
            url: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            categories: vec!["news".into()],
            excerpt: format!("excerpt {id}"),
            lang: lang.into(),
        };
        Archive {
            format_version: FORMAT_VERSION,
            layout: Layout::Single,
            generated_at: "2026-11-26T00:00:00Z".into(),
            generator: "test".into(),
            counts: BuildCounts { read: 2, archived: 2, skipped: 0, merged: 0 },
            facets: Facets::default(),
            articles: vec![
                meta("b", "2026-03-02", "BBC", &["economy"], "en"),
                meta("a", "2026-03-01", "CNA", &["typhoon", "economy"], "zh-Hant"),
            ],
            bodies: vec!["<p>b</p>".into(), "<p>a</p>".into()],
        }
    }

    #[test]
    fn a_whole_archive_splits_into_entries_and_details_and_back() {
        let original = archive();
        let (catalog, details) = Catalog::from_archive(original.clone());
        assert!(catalog.is_complete());
        assert_eq!(catalog.entries[1].tags.len(), 2);
        assert_eq!(catalog.entries[1].day, crate::day::day_number("2026-03-01").unwrap());
        assert_eq!(catalog.langs, ["en", "zh-Hant"]);
        assert_eq!(catalog.lang(&catalog.entries[1]), "zh-Hant");
        for (i, article) in original.articles.iter().enumerate() {
            assert_eq!(&catalog.meta(i, &details[i]), article);
        }
        assert_eq!(details[0].body, "<p>b</p>");
        let economy = catalog.tags.iter().find(|t| t.name == "economy").unwrap();
        assert_eq!(economy.count, 2);
    }

    #[test]
    fn positions_are_found_by_id() {
        let (catalog, _) = Catalog::from_archive(archive());
        assert_eq!(catalog.position("a"), Some(1));
        assert_eq!(catalog.position("b"), Some(0));
        assert_eq!(catalog.position("c"), None);
    }

    #[test]
    fn parts_arrive_in_any_order_and_facet_values_are_renumbered() {
        let manifest = |counts: &[u32]| Manifest {
            format_version: FORMAT_VERSION,
            layout: Layout::Sharded,
            generated_at: String::new(),
            generator: String::new(),
            counts: BuildCounts { archived: counts.iter().sum(), ..Default::default() },
            text_chars: 0,
            head: Vec::new(),
            parts: counts
                .iter()
                .map(|&count| crate::archive::PartRef { file: String::new(), count, bytes: 0 })
                .collect(),
            segments: Vec::new(),
        };
        let entry = |id: &str, tag: u32| Entry { id: id.into(), tags: vec![tag].into(), ..Entry::default() };
        let list = |tags: &[&str], entries: Vec<Entry>| PartList {
            sources: vec!["S".into()],
            categories: vec![],
            tags: tags.iter().map(|t| t.to_string()).collect(),
            langs: vec!["en".into()],
            entries,
            details: vec![],
        };
        let mut catalog = Catalog::from_manifest(&manifest(&[2, 1]));
        assert!(!catalog.is_complete() && !catalog.is_loaded(0));
        catalog.add_part(1, &list(&["y", "x"], vec![entry("c", 1)]));
        catalog.add_part(0, &list(&["x"], vec![entry("a", 0), entry("b", 0)]));
        assert!(catalog.is_complete());
        assert!((0..3).all(|p| catalog.is_loaded(p)) && !catalog.is_loaded(3));
        let tag = |position: usize| catalog.tags[catalog.entries[position].tags[0] as usize].name.as_str();
        assert_eq!((tag(0), tag(1), tag(2)), ("x", "x", "x"));
        assert_eq!(catalog.tags.iter().map(|t| (t.name.as_str(), t.count)).collect::<Vec<_>>(), [("y", 0), ("x", 3)]);
        assert_eq!(catalog.loaded_ranges().collect::<Vec<_>>(), [0..2, 2..3]);
    }
}
