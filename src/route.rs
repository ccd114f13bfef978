//! The URL fragment is the whole navigation state, so any view can be bookmarked,
//! shared, and reached again with Back and Forward:
//! `#/?source=…&category=…&tag=…&from=…&to=…&q=…&sort=oldest|newest&show=unread|starred`
//! for the list and `#/a/<id>?…` for an article opened from that list. Dates are kept as
//! written, even when they are not dates: the date filter says what is wrong with them
//! ([`crate::timeline::check_range`]) rather than the link silently losing them.

use url::form_urlencoded;

use crate::filter::{Filters, Only, Sort};

/// What the reader shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// The list alone (on wide screens, beside a placeholder).
    #[default]
    List,
    /// The article with this id, beside the list it was opened from.
    Article(String),
}

/// Where the reader is: the view and the list's filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route {
    /// What is shown.
    pub view: View,
    /// The list's filters, kept while an article is open.
    pub filters: Filters,
}

impl Route {
    /// Reads a fragment such as `location.hash`; anything unknown falls back to the list.
    pub fn parse(hash: &str) -> Route {
        let hash = hash.trim_start_matches('#');
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let path = path.trim_matches('/');
        let view = match path.strip_prefix("a/").map(percent_decode) {
            Some(id) if !id.is_empty() => View::Article(id),
            _ => View::List,
        };
        let mut filters = Filters::default();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.into_owned();
            match key.as_ref() {
                "source" => filters.sources.push(value),
                "category" => filters.categories.push(value),
                "tag" => filters.tags.push(value),
                "from" if !value.trim().is_empty() => filters.from = Some(value),
                "to" if !value.trim().is_empty() => filters.to = Some(value),
                "q" => filters.query = value,
                "sort" if value == "oldest" => filters.sort = Sort::Oldest,
                "sort" if value == "newest" => filters.sort = Sort::Newest,
                "show" if value == "unread" => filters.only = Only::Unread,
                "show" if value == "starred" => filters.only = Only::Starred,
                _ => {}
            }
        }
        Route { view, filters }
    }

    /// The fragment for this route, starting with `#`.
    pub fn to_hash(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        let f = &self.filters;
        for (key, values) in [("source", &f.sources), ("category", &f.categories), ("tag", &f.tags)] {
            for value in values {
                query.append_pair(key, value);
            }
        }
        for (key, value) in [("from", &f.from), ("to", &f.to)] {
            if let Some(value) = value {
                query.append_pair(key, value);
            }
        }
        if !f.query.is_empty() {
            query.append_pair("q", &f.query);
        }
        let sort = match f.sort {
            Sort::BestMatch => None,
            Sort::Newest => Some("newest"),
            Sort::Oldest => Some("oldest"),
        };
        if let Some(sort) = sort {
            query.append_pair("sort", sort);
        }
        match f.only {
            Only::All => {}
            Only::Unread => _ = query.append_pair("show", "unread"),
            Only::Starred => _ = query.append_pair("show", "starred"),
        }
        let query = query.finish();
        let path = match &self.view {
            View::List => String::from("#/"),
            View::Article(id) => format!("#/a/{}", form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()),
        };
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    }

    /// The same filters with another view.
    pub fn with_view(&self, view: View) -> Route {
        Route { view, filters: self.filters.clone() }
    }

    /// The same view with other filters.
    pub fn with_filters(&self, filters: Filters) -> Route {
        Route { view: self.view.clone(), filters }
    }
}

/// Reverses `byte_serialize` on a path segment (`%XX` escapes, `+` for space), where a
/// raw `&` is part of the id, not a separator as in a query string.
fn percent_decode(text: &str) -> String {
    let escaped = format!("x={}", text.replace('&', "%26"));
    form_urlencoded::parse(escaped.as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_every_filter() {
        let route = Route {
            view: View::Article("1b3367d4cc11447e".into()),
            filters: Filters {
                sources: vec!["(臺)中央社CNA".into(), "BBC".into()],
                categories: vec!["rss".into()],
                tags: vec!["俄羅斯".into(), "a&b=c".into()],
                from: Some("2020-01-01".into()),
                to: Some("2022-12-31".into()),
                query: "立法會 選舉".into(),
                sort: Sort::Oldest,
                only: Only::Starred,
            },
        };
        let hash = route.to_hash();
        assert!(hash.starts_with("#/a/1b3367d4cc11447e?source="), "{hash}");
        assert_eq!(Route::parse(&hash), route);
    }

    #[test]
    fn empty_and_unknown_fragments_are_the_plain_list() {
        for hash in ["", "#", "#/", "#/nowhere", "#/a/", "#/?sort=sideways&show=everything&from=&to=%20"] {
            assert_eq!(Route::parse(hash), Route::default(), "{hash}");
        }
        assert_eq!(Route::default().to_hash(), "#/");
    }

    #[test]
    fn dates_that_are_not_dates_are_kept_to_be_explained() {
        let route = Route::parse("#/?from=yesterday&to=2026-02-30");
        assert_eq!(route.filters.from.as_deref(), Some("yesterday"));
        assert_eq!(route.filters.to.as_deref(), Some("2026-02-30"));
        assert_eq!(Route::parse(&route.to_hash()), route);
    }

    #[test]
    fn unread_and_starred_views_live_in_the_url() {
        for (hash, only) in [("#/?show=unread", Only::Unread), ("#/?show=starred", Only::Starred), ("#/", Only::All)] {
            let route = Route::parse(hash);
            assert_eq!(route.filters.only, only, "{hash}");
            assert_eq!(route.to_hash(), hash);
        }
    }

    #[test]
    fn article_ids_decode_as_path_segments() {
        let cases =
            [("#/a/a%26b", "a&b"), ("#/a/a&b", "a&b"), ("#/a/x+y", "x y"), ("#/a/%E6%96%B0", "新"), ("#/a/%zz", "%zz")];
        for (hash, id) in cases {
            let route = Route::parse(hash);
            assert_eq!(route.view, View::Article(id.into()), "{hash}");
            assert_eq!(Route::parse(&route.to_hash()), route, "{hash}");
        }
        assert_eq!(Route::parse("#/a/%").view, View::Article("%".into()));
        assert_eq!(Route::parse("#/a/&").view, View::Article("&".into()));
    }

    #[test]
    fn list_routes_keep_filters_without_an_article() {
        let route = Route::parse("#/?tag=%E7%96%AB%E6%83%85&q=covid");
        assert_eq!(route.view, View::List);
        assert_eq!(route.filters.tags, ["疫情"]);
        assert_eq!(route.filters.query, "covid");
        assert_eq!(route.to_hash(), "#/?tag=%E7%96%AB%E6%83%85&q=covid");
    }
}
