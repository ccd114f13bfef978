//! The loaded reader: list pane (filters, count, rows) and article pane side by side on
//! wide screens; on phones one of the two, by route.

use std::collections::HashSet;

use yew::prelude::*;

use super::article::ArticleView;
use super::filters::FilterPanel;
use super::list::ResultList;
use super::offline_status::OfflineStatus;
use super::update_banner::UpdateBanner;
use crate::app::boot;
use crate::app::browser::{self, History};
use crate::app::context::SyncView;
use crate::app::hooks::{use_needs, use_reader, use_results, use_shortcuts, Shortcuts};
use crate::app::state::{Needs, Want};
use crate::filter::Filters;
use crate::route::{Route, View};

#[derive(Properties, PartialEq)]
pub struct ReaderProps {
    pub sync: SyncView,
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
    let catalog = library.catalog();
    let route = &props.route;
    let results = use_results(&route.filters);
    let open_id = match &route.view {
        View::Article(id) => Some(id.clone()),
        View::List => None,
    };
    let open = *use_memo((library.clone(), reader.parts_loaded, open_id.clone()), |(library, _, id)| {
        id.as_deref().and_then(|id| library.catalog().position(id))
    });

    // The open article's details shard, if it is not here yet.
    let mut wanted = Needs::default();
    if let Some(position) = open {
        match library.missing_part(position) {
            Some(part) => wanted.add(Want::Part(part)),
            None => wanted.0.extend(library.details_of(position).map(|(shard, _)| Want::Details(shard))),
        }
    }
    use_needs(wanted);

    use_shortcuts(Shortcuts {
        library: library.clone(),
        listing: results.listing.clone(),
        route: route.clone(),
        open,
        onnavigate: props.onnavigate.clone(),
    });

    // The first paint (static/boot.js) gives way to this screen, and what was typed into
    // its search box is searched for.
    {
        let onnavigate = props.onnavigate.clone();
        use_effect_with((), move |_| {
            let Some(typed) = boot::take_over() else { return };
            let route = browser::current_route();
            if !typed.text.trim().is_empty() && route.filters.query.is_empty() {
                let filters = Filters { query: typed.text, ..route.filters.clone() };
                onnavigate.emit((route.with_filters(filters), History::Replace));
            }
            if typed.focused {
                browser::focus("search");
            }
        });
    }

    // From the route the URL has when the event comes (see `browser::current_filters`).
    let onfilters = {
        let onnavigate = props.onnavigate.clone();
        Callback::from(move |filters: Filters| {
            onnavigate.emit((browser::current_route().with_filters(filters), History::Push))
        })
    };
    let onquery = {
        let onnavigate = props.onnavigate.clone();
        Callback::from(move |query: String| {
            let route = browser::current_route();
            let filters = Filters { query, ..route.filters.clone() };
            onnavigate.emit((route.with_filters(filters), History::Replace))
        })
    };
    let onfilterandlist = {
        let onnavigate = props.onnavigate.clone();
        Callback::from(move |filters: Filters| onnavigate.emit((Route { view: View::List, filters }, History::Push)))
    };
    let onback = {
        let onnavigate = props.onnavigate.clone();
        Callback::from(move |_| onnavigate.emit((browser::current_route().with_view(View::List), History::Push)))
    };

    let article = match (open_id.as_deref(), open) {
        (None, _) => html! {
            <div class="placeholder">
                <p>{ "Choose an article from the list." }</p>
                <p class="hint">{ "Keys: j / k next and previous, / search, Esc back to the list." }</p>
            </div>
        },
        // Not found yet: it may be in a part that has not arrived.
        (Some(_), None) if !catalog.is_complete() => html! {
            <div class="placeholder" data-testid="article-loading" aria-busy="true">
                <p>{ "Loading the article…" }</p>
            </div>
        },
        (Some(id), None) => html! {
            <div class="placeholder" data-testid="missing-article">
                <p>{ format!("This archive has no article with id “{id}”.") }</p>
                <p class="hint">{ "The link may come from another archive or an older build of this one." }</p>
            </div>
        },
        (Some(id), Some(position)) => match fetched.details_ref(library, position) {
            None => {
                let failed =
                    library.details_of(position).is_some_and(|(shard, _)| fetched.failed(&Want::Details(shard)))
                        || library.missing_part(position).is_some_and(|part| fetched.failed(&Want::Part(part)));
                let text = match (failed, fetched.error.as_ref()) {
                    (true, _) if !browser::online() => "This article is not on this device, and you are offline. Save this archive for offline to read every article.".to_string(),
                    (true, Some(e)) => format!("The article could not be loaded: {e}"),
                    _ => "Loading the article…".to_string(),
                };
                html! {
                    <div class="placeholder" data-testid="article-loading" aria-busy={(!failed).then_some("true")}>
                        <p>{ text }</p>
                    </div>
                }
            }
            Some((shard, at)) => html! {
                <ArticleView
                    key={id.to_string()}
                    meta={catalog.meta(position, &shard[at])}
                    body={AttrValue::from(shard[at].body.clone())}
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

    let days = catalog.day_range().map(|(first, last)| (crate::day::day_string(first), crate::day::day_string(last)));
    html! {
        <div class={classes!("reader", open_id.is_some().then_some("article-open"))}>
            <header class="topbar">
                <a class="brand" href="#/">{ "News archive" }</a>
                <span class="archive-info" data-testid="archive-info">
                    { format!("{} posts · built {}", catalog.entries.len(), catalog.generated_at.get(..10).unwrap_or_default()) }
                </span>
                <OfflineStatus sync={props.sync.clone()} />
            </header>
            <UpdateBanner sync={props.sync.clone()} />
            <section class="list-pane" aria-label="Articles">
                <FilterPanel
                    filters={route.filters.clone()}
                    results={results.clone()}
                    {days}
                    onchange={onfilters}
                    {onquery}
                />
                if let Some(error) = fetched.part_failure() {
                    <p class="load-error" role="alert" data-testid="load-error">
                        { format!("Part of the archive could not be loaded: {error}.") }
                    </p>
                }
                <ResultList results={results.clone()} route={route.clone()} open={open} />
            </section>
            <main class="article-pane">{ article }</main>
        </div>
    }
}
