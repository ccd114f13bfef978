//! The loaded reader: list pane (filters, count, rows) and article pane side by side on
//! wide screens; on phones one of the two, by route.

use std::collections::HashSet;

use yew::prelude::*;

use super::article::ArticleView;
use super::filters::FilterPanel;
use super::keys::{use_shortcuts, Shortcuts};
use super::list::ResultList;
use crate::app::browser::History;
use crate::app::state::CatalogRef;
use crate::filter::Filters;
use crate::route::{Route, View};

#[derive(Properties, PartialEq)]
pub struct ReaderProps {
    pub catalog: CatalogRef,
    pub route: Route,
    pub images_always: bool,
    pub images_shown: HashSet<String>,
    pub onnavigate: Callback<(Route, History)>,
    pub onimagesalways: Callback<bool>,
    pub onshowimages: Callback<String>,
}

#[component]
pub fn Reader(props: &ReaderProps) -> Html {
    let catalog = &props.catalog;
    let route = &props.route;
    let listing = use_memo((catalog.clone(), route.filters.clone()), |(catalog, filters)| {
        catalog.index.apply(&catalog.archive.articles, &catalog.archive.facets, filters)
    });
    let open_id = match &route.view {
        View::Article(id) => Some(id.clone()),
        View::List => None,
    };
    let open = open_id.as_deref().and_then(|id| catalog.position(id));

    use_shortcuts(Shortcuts {
        catalog: catalog.clone(),
        listing: listing.clone(),
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

    let archive = &catalog.archive;
    let article = match (open_id.as_deref(), open) {
        (None, _) => html! {
            <div class="placeholder">
                <p>{ "Choose an article from the list." }</p>
                <p class="hint">{ "Keys: j / k next and previous, / filter, Esc back to the list." }</p>
            </div>
        },
        (Some(id), None) => html! {
            <div class="placeholder" data-testid="missing-article">
                <p>{ format!("This archive has no article with id “{id}”.") }</p>
                <p class="hint">{ "The link may come from another archive or an older build of this one." }</p>
            </div>
        },
        (Some(id), Some(index)) => html! {
            <ArticleView
                key={id.to_string()}
                meta={archive.articles[index].clone()}
                body={AttrValue::from(archive.bodies[index].clone())}
                filters={route.filters.clone()}
                images_allowed={props.images_always || props.images_shown.contains(id)}
                images_always={props.images_always}
                onfilter={onfilterandlist}
                onback={onback}
                onshowimages={props.onshowimages.clone()}
                onimagesalways={props.onimagesalways.clone()}
            />
        },
    };

    html! {
        <div class={classes!("reader", open_id.is_some().then_some("article-open"))}>
            <header class="topbar">
                <a class="brand" href="#/">{ "News archive" }</a>
                <span class="archive-info">
                    { format!("{} posts · built {}", archive.articles.len(), archive.generated_at.get(..10).unwrap_or_default()) }
                </span>
            </header>
            <section class="list-pane" aria-label="Articles">
                <FilterPanel
                    filters={route.filters.clone()}
                    counts={listing.clone()}
                    days={archive.facets.days.first().zip(archive.facets.days.last()).map(|(a, b)| (a.name.clone(), b.name.clone()))}
                    onchange={onfilters}
                    {onquery}
                />
                <ResultList catalog={catalog.clone()} listing={listing.clone()} route={route.clone()} open={open} />
            </section>
            <main class="article-pane">{ article }</main>
        </div>
    }
}
