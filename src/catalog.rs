//! The archive as the app holds it, whichever layout it came in: one compact [`Entry`]
//! per post (facet values as numbers), the facets and counts. Article details (bodies,
//! excerpts) are kept apart, since a sharded archive fetches them only when shown.

use crate::archive::{Archive, ArticleDetails, ArticleMeta, BuildCounts, Entry, FacetCount, Facets, Manifest};

/// Every post of an archive in archive order, with the facet lists its entries point into.
pub struct Catalog {
    /// When the archive was built, RFC 3339 in UTC.
    pub generated_at: String,
    /// What happened to the input files.
    pub counts: BuildCounts,
    /// Facet values (with their counts over the whole archive) and the per-day histogram.
    pub facets: Facets,
    /// The languages entries point into.
    pub langs: Vec<String>,
    /// In archive order: newest first.
    pub entries: Vec<Entry>,
}

impl Catalog {
    /// Splits a whole archive into the catalog and every post's details (same order).
    /// Facet values the archive's facet lists lack (it was edited by hand, say) are
    /// added to them, so every entry points at a listed value.
    pub fn from_archive(archive: Archive) -> (Catalog, Vec<ArticleDetails>) {
        let Archive { generated_at, counts, mut facets, articles, bodies, .. } = archive;
        // Days must stay in order (date filters bisect them): missing ones are inserted.
        for article in &articles {
            if let Err(at) = facets.days.binary_search_by(|d| d.name.as_str().cmp(article.day())) {
                facets.days.insert(at, FacetCount { name: article.day().to_string(), count: 0 });
            }
        }
        let mut langs: Vec<String> = Vec::new();
        for article in &articles {
            if !langs.contains(&article.lang) {
                langs.push(article.lang.clone());
            }
        }
        let mut sources = Interner::new(&mut facets.sources);
        let mut tags = Interner::new(&mut facets.tags);
        let mut categories = Interner::new(&mut facets.categories);
        let days = &facets.days;
        let day_of = |day: &str| days.binary_search_by(|d| d.name.as_str().cmp(day)).expect("inserted above") as u32;
        let lang_of = |lang: &str| langs.iter().position(|l| l == lang).expect("collected above") as u32;
        let mut entries = Vec::with_capacity(articles.len());
        let mut details = Vec::with_capacity(articles.len());
        for (a, body) in articles.into_iter().zip(bodies) {
            entries.push(Entry {
                ts: a.ts,
                day: day_of(a.day()),
                source: sources.position(&a.source),
                lang: lang_of(&a.lang),
                tags: a.tags.iter().map(|t| tags.position(t)).collect(),
                categories: a.categories.iter().map(|c| categories.position(c)).collect(),
                id: a.id.into(),
                title: a.title.into(),
            });
            details.push(ArticleDetails { date: a.date, url: a.url, excerpt: a.excerpt, body });
        }
        (Catalog::new(generated_at, counts, facets, langs, entries), details)
    }

    /// The catalog of a sharded archive, from its manifest and its list shards' entries
    /// in order, checked by [`crate::archive::read::list_shard`].
    pub(crate) fn from_manifest(manifest: &Manifest, entries: Vec<Entry>) -> Catalog {
        Catalog::new(
            manifest.generated_at.clone(),
            manifest.counts,
            manifest.facets.clone(),
            manifest.langs.clone(),
            entries,
        )
    }

    fn new(generated_at: String, counts: BuildCounts, facets: Facets, langs: Vec<String>, entries: Vec<Entry>) -> Self {
        Catalog { generated_at, counts, facets, langs, entries }
    }

    /// A linear scan (a few milliseconds at 250,000 posts): it runs when the route names
    /// another article, and an index by id would cost memory and wasm for little.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.entries.iter().position(|e| &*e.id == id)
    }

    /// The source of a post.
    pub fn source(&self, entry: &Entry) -> &str {
        &self.facets.sources[entry.source as usize].name
    }

    /// The language tag of a post.
    pub fn lang(&self, entry: &Entry) -> &str {
        &self.langs[entry.lang as usize]
    }

    /// The full metadata of one post, for the article view.
    pub fn meta(&self, position: usize, details: &ArticleDetails) -> ArticleMeta {
        let e = &self.entries[position];
        let names =
            |list: &[FacetCount], values: &[u32]| values.iter().map(|&v| list[v as usize].name.clone()).collect();
        ArticleMeta {
            id: e.id.to_string(),
            title: e.title.to_string(),
            date: details.date.clone(),
            ts: e.ts,
            source: self.source(e).to_string(),
            url: details.url.clone(),
            tags: names(&self.facets.tags, &e.tags),
            categories: names(&self.facets.categories, &e.categories),
            excerpt: details.excerpt.clone(),
            lang: self.lang(e).to_string(),
        }
    }
}

/// Positions of facet values, adding values the list lacks at its end. A linear search:
/// single-layout archives are small, and a map type here would weigh in the wasm.
struct Interner<'a> {
    list: &'a mut Vec<FacetCount>,
}

impl<'a> Interner<'a> {
    fn new(list: &'a mut Vec<FacetCount>) -> Self {
        Interner { list }
    }

    fn position(&mut self, value: &str) -> u32 {
        if let Some(position) = self.list.iter().position(|f| f.name == value) {
            return position as u32;
        }
        self.list.push(FacetCount { name: value.to_string(), count: 0 });
        (self.list.len() - 1) as u32
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::archive::{Layout, FORMAT_VERSION};

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
        let facet =
            |pairs: &[(&str, u32)]| pairs.iter().map(|(n, c)| FacetCount { name: n.to_string(), count: *c }).collect();
        Archive {
            format_version: FORMAT_VERSION,
            layout: Layout::Single,
            generated_at: "2026-11-26T00:00:00Z".into(),
            generator: "test".into(),
            counts: BuildCounts { read: 2, archived: 2, skipped: 0, merged: 0 },
            facets: Facets {
                sources: facet(&[("CNA", 1), ("BBC", 1)]),
                categories: facet(&[("news", 2)]),
                tags: facet(&[("typhoon", 1), ("economy", 1)]),
                days: facet(&[("2026-03-01", 1), ("2026-03-02", 1)]),
            },
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
        assert_eq!(catalog.entries[1].tags.as_ref(), [0, 1]);
        assert_eq!(catalog.entries[1].day, 0);
        assert_eq!(catalog.langs, ["en", "zh-Hant"]);
        assert_eq!(catalog.lang(&catalog.entries[1]), "zh-Hant");
        for (i, article) in original.articles.iter().enumerate() {
            assert_eq!(&catalog.meta(i, &details[i]), article);
        }
        assert_eq!(details[0].body, "<p>b</p>");
    }

    #[test]
    fn values_missing_from_the_facet_lists_are_added_not_misread() {
        let mut archive = archive();
        archive.facets = Facets::default();
        let (catalog, details) = Catalog::from_archive(archive.clone());
        for (i, article) in archive.articles.iter().enumerate() {
            assert_eq!(&catalog.meta(i, &details[i]), article);
        }
        assert_eq!(
            catalog.facets.days.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
            ["2026-03-01", "2026-03-02"]
        );
    }

    #[test]
    fn positions_are_found_by_id() {
        let (catalog, _) = Catalog::from_archive(archive());
        assert_eq!(catalog.position("a"), Some(1));
        assert_eq!(catalog.position("b"), Some(0));
        assert_eq!(catalog.position("c"), None);
    }
}
