//! The loaded reader: list pane (filters, count, rows) and article pane side by side on
//! wide screens; on phones one of the two, by route.

use std::collections::HashSet;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

use super::app::typing_in_field;
use super::article::ArticleView;
use super::filters::FilterPanel;
use super::list::ResultList;
use crate::app::browser::{self, History};
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

    // What the keyboard listener acts on, as of the latest render. Effects run after the
    // page has painted (Yew may yield to the browser in between): a listener that captured
    // them would act on the previous article for keys pressed in that gap.
    let keys = use_mut_ref(|| None);
    *keys.borrow_mut() = Some((catalog.clone(), listing.clone(), route.clone(), open, props.onnavigate.clone()));
    {
        let keys = keys.clone();
        use_effect_with((), move |_| {
            // Not passive: "/" must not also type itself into the search box it focuses.
            let (document, options) = (gloo::utils::document(), EventListenerOptions::enable_prevent_default());
            let listener = EventListener::new_with_options(&document, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else { return };
                let Some((catalog, listing, route, open, onnavigate)) = keys.borrow().clone() else { return };
                if event.ctrl_key() || event.meta_key() || event.alt_key() {
                    return;
                }
                if typing_in_field(event) {
                    if event.key() == "Escape" {
                        if let Some(el) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                            let _ = el.blur();
                        }
                    }
                    return;
                }
                match event.key().as_str() {
                    "/" => {
                        event.prevent_default();
                        browser::focus("search");
                    }
                    key @ ("j" | "k") => {
                        let position = open.and_then(|o| listing.indices.iter().position(|&i| i == o));
                        let next = match (key, position) {
                            (_, None) => Some(0),
                            ("j", Some(p)) => Some(p + 1),
                            (_, Some(p)) => p.checked_sub(1),
                        };
                        if let Some(&index) = next.and_then(|n| listing.indices.get(n)) {
                            let id = catalog.archive.articles[index].id.clone();
                            onnavigate.emit((route.with_view(View::Article(id)), History::Push));
                        }
                    }
                    "Escape" if route.view != View::List => {
                        onnavigate.emit((route.with_view(View::List), History::Push));
                    }
                    _ => {}
                }
            });
            move || drop(listener)
        });
    }

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
