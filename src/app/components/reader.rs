//! The loaded reader: list pane (filters, count, rows) and article pane side by side on
//! wide screens; on phones one of the two, by route.

use std::collections::HashSet;

use yew::prelude::*;

use super::article::ArticleView;
use super::filters::FilterPanel;
use super::list::ResultList;
use crate::app::browser::History;
use crate::app::hooks::{use_needs, use_reader, use_results, use_shortcuts, Shortcuts};
use crate::app::state::Needs;
use crate::filter::Filters;
use crate::route::{Route, View};

#[derive(Properties, PartialEq)]
pub struct ReaderProps {
    pub route: Route,
    pub images_always: bool,
    pub images_shown: HashSet<String>,
    pub onnavigate: Callback<(Route, History)>,
    pub onimagesalways: Callback<bool>,
    pub onshowimages: Callback<String>,
}

#[component]
pub fn Reader(props: &ReaderProps) -> Html {
    let reader = use_reader();
    let library = &reader.library;
    let fetched = &reader.fetched;
    let catalog = &library.catalog;
    let route = &props.route;
    let results = use_results(&route.filters);
    let open_id = match &route.view {
        View::Article(id) => Some(id.clone()),
        View::List => None,
    };
    let open = *use_memo((library.clone(), open_id.clone()), |(library, id)| {
        id.as_deref().and_then(|id| library.catalog.position(id))
    });

    // The open article's details shard, if it is not here yet.
    let wanted = open.and_then(|p| library.details_shard(p)).map(|(shard, _)| shard);
    use_needs(Needs { details: wanted.into_iter().collect(), ..Needs::default() });

    use_shortcuts(Shortcuts {
        library: library.clone(),
        listing: results.listing.clone(),
        route: route.clone(),
        open,
        onnavigate: props.onnavigate.clone(),
    });

    let onfilters = {
        let (route, onnavigate) = (route.clone(), props.onnavigate.clone());
        Callback::from(move |filters: Filters| onnavigate.emit((route.with_filters(filters), History::Push)))
    };
    let onquery = {
        let (route, onnavigate) = (route.clone(), props.onnavigate.clone());
        Callback::from(move |query: String| {
            let filters = Filters { query, ..route.filters.clone() };
            onnavigate.emit((route.with_filters(filters), History::Replace))
        })
    };
    let onfilterandlist = {
        let onnavigate = props.onnavigate.clone();
        Callback::from(move |filters: Filters| onnavigate.emit((Route { view: View::List, filters }, History::Push)))
    };
    let onback = {
        let (route, onnavigate) = (route.clone(), props.onnavigate.clone());
        Callback::from(move |_| onnavigate.emit((route.with_view(View::List), History::Push)))
    };

    let article = match (open_id.as_deref(), open) {
        (None, _) => html! {
            <div class="placeholder">
                <p>{ "Choose an article from the list." }</p>
                <p class="hint">{ "Keys: j / k next and previous, / search, Esc back to the list." }</p>
            </div>
        },
        (Some(id), None) => html! {
            <div class="placeholder" data-testid="missing-article">
                <p>{ format!("This archive has no article with id “{id}”.") }</p>
                <p class="hint">{ "The link may come from another archive or an older build of this one." }</p>
            </div>
        },
        (Some(id), Some(position)) => match fetched.details(library, position) {
            None => html! {
                <div class="placeholder" data-testid="article-loading" aria-busy="true">
                    <p>{ fetched.error.as_ref().map_or("Loading the article…".to_string(), |e| format!("The article could not be loaded: {e}")) }</p>
                </div>
            },
            Some(details) => html! {
                <ArticleView
                    key={id.to_string()}
                    meta={catalog.meta(position, details)}
                    body={AttrValue::from(details.body.clone())}
                    query={results.query.clone()}
                    filters={route.filters.clone()}
                    images_allowed={props.images_always || props.images_shown.contains(id)}
                    images_always={props.images_always}
                    onfilter={onfilterandlist}
                    onback={onback}
                    onshowimages={props.onshowimages.clone()}
                    onimagesalways={props.onimagesalways.clone()}
                />
            },
        },
    };

    let days = &catalog.facets.days;
    html! {
        <div class={classes!("reader", open_id.is_some().then_some("article-open"))}>
            <header class="topbar">
                <a class="brand" href="#/">{ "News archive" }</a>
                <span class="archive-info">
                    { format!("{} posts · built {}", catalog.entries.len(), catalog.generated_at.get(..10).unwrap_or_default()) }
                </span>
            </header>
            <section class="list-pane" aria-label="Articles">
                <FilterPanel
                    filters={route.filters.clone()}
                    results={results.clone()}
                    days={days.first().zip(days.last()).map(|(a, b)| (a.name.clone(), b.name.clone()))}
                    onchange={onfilters}
                    {onquery}
                />
                <ResultList results={results.clone()} route={route.clone()} open={open} />
            </section>
            <main class="article-pane">{ article }</main>
        </div>
    }
}
