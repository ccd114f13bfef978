//! The loaded reader: the top bar, the list pane (filters, count, rows) and the article
//! pane side by side on wide screens, on phones one of the two by route; the dialogs;
//! and what is announced to screen readers.

use std::collections::HashSet;

use yew::prelude::*;

use super::article::{ArticleView, Neighbour};
use super::dialogs::{HelpDialog, SettingsDialog};
use super::filters::FilterPanel;
use super::library::LibraryDialog;
use super::list::{CursorState, ResultList};
use super::notices::Notices;
use super::offline_status::OfflineStatus;
use super::update_banner::UpdateBanner;
use crate::app::boot;
use crate::app::browser::{self, History};
use crate::app::context::SyncView;
use crate::app::hooks::{use_needs, use_reader, use_results, use_shortcuts, Shortcuts};
use crate::app::state::{Dialog, Importing, Mark, Needs, Notice, Want};
use crate::filter::Filters;
use crate::route::{Route, View};
use crate::virtual_list::{Cursor, CursorMove};

/// What the top of the reader says besides the archive: problems and notices.
#[derive(Clone, PartialEq)]
pub struct Problems {
    pub notice: Option<Notice>,
    pub can_undo: bool,
    pub marks: Option<String>,
    pub settings: Option<String>,
    /// The Traditional characters table: loading, or why it could not be.
    pub script_loading: bool,
    pub script: Option<String>,
}

#[derive(Properties, PartialEq)]
pub struct ReaderProps {
    pub sync: SyncView,
    pub route: Route,
    pub images_always: bool,
    pub images_shown: HashSet<String>,
    pub dialog: Option<Dialog>,
    /// The route came from Back, Forward or a reload.
    pub returned: bool,
    pub problems: Problems,
    pub onnavigate: Callback<(Route, History)>,
    pub onimagesalways: Callback<bool>,
    pub onshowimages: Callback<String>,
    /// A bundle being imported (or why the last one was not).
    pub importing: Option<Importing>,
    pub onimport: Callback<web_sys::File>,
}

#[component]
pub fn Reader(props: &ReaderProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    let library = &reader.library;
    let fetched = &reader.fetched;
    let catalog = library.catalog();
    let route = &props.route;
    let results = use_results(&route.filters);
    let listing = &results.listing;
    let open_id = match &route.view {
        View::Article(id) => Some(id.clone()),
        View::List => None,
    };
    let open = *use_memo((library.clone(), reader.parts_loaded, open_id.clone()), |(library, _, id)| {
        id.as_deref().and_then(|id| library.catalog().position(id))
    });
    let open_at = open.and_then(|o| listing.indices.iter().position(|&i| i == o));

    // The sanitizer module: at once when an article is on its way (beside its details),
    // else once the whole list is here (the link no longer carries its parts) and the
    // reader has left the page alone a few seconds, so that the first article opens
    // without waiting for it and no search waits for it either.
    use_effect_with((open_id.is_some(), catalog.is_complete()), |&(open, complete)| {
        if open {
            crate::app::sanitizer::prepare();
        } else if complete {
            crate::app::sanitizer::prefetch();
        }
    });

    // The list's keyboard cursor follows the open article.
    let cursor = use_reducer(CursorState::default);
    {
        let cursor = cursor.clone();
        use_effect_with(open_at, move |open_at| {
            if let Some(at) = *open_at {
                cursor.dispatch(CursorMove::To(Cursor { at, focus: false }));
            }
        });
    }
    // Back to the list on a phone: focus returns to the row that was open.
    {
        let cursor = cursor.clone();
        use_effect_with(open_id.is_some(), move |open| {
            let phone =
                gloo::utils::window().match_media("(max-width: 899px)").ok().flatten().is_some_and(|m| m.matches());
            if !*open && phone {
                cursor.dispatch(CursorMove::Focus);
            }
        });
    }

    // An article opened is read.
    {
        let onmark = reader.onmark.clone();
        let found = open.is_some();
        use_effect_with((open_id.clone(), found), move |(id, found)| {
            if let (Some(id), true) = (id, found) {
                onmark.emit(Mark::Read(id.clone()));
            }
        });
    }

    // The open article's details shard, if it is not here yet.
    let mut wanted = Needs::default();
    if let Some(position) = open {
        match library.missing_part(position) {
            Some(part) => wanted.add(Want::Part(part)),
            None => wanted.0.extend(library.details_of(position).map(|(shard, _)| Want::Details(shard))),
        }
    }
    use_needs(wanted);

    let oncursor = {
        let dispatcher = cursor.dispatcher();
        Callback::from(move |by: CursorMove| dispatcher.dispatch(by))
    };
    let details = open.and_then(|position| fetched.details_ref(library, position));
    let original = details.as_ref().and_then(|(shard, at)| shard.get(*at)).and_then(|d| d.url.clone());
    use_shortcuts(Shortcuts {
        library: library.clone(),
        listing: listing.clone(),
        open,
        cursor: cursor.0.at,
        original,
        marks: reader.marks.clone(),
        dialog: props.dialog,
        onnavigate: props.onnavigate.clone(),
        onmark: reader.onmark.clone(),
        ondialog: reader.ondialog.clone(),
        oncursor: oncursor.clone(),
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

    let onmarkabove = open_at.filter(|&at| at > 0).map(|at| {
        let (listing, library, onmark) = (listing.clone(), library.clone(), reader.onmark.clone());
        Callback::from(move |_: ()| {
            let catalog = library.catalog();
            let ids = listing.indices[..at]
                .iter()
                .filter(|&&i| catalog.is_loaded(i))
                .map(|&i| catalog.entries[i].id.to_string());
            onmark.emit(Mark::AllRead(ids.collect()));
        })
    });
    let display = &reader.display;
    let neighbour = |at: Option<usize>| {
        let position = *listing.indices.get(at?)?;
        catalog.is_shown(position).then(|| {
            let entry = &catalog.entries[position];
            Neighbour {
                href: route.with_view(View::Article(entry.id.to_string())).to_hash(),
                title: AttrValue::from(display.shown(&entry.title).into_owned()),
                lang: AttrValue::from(display.lang(catalog.lang(entry)).into_owned()),
            }
        })
    };
    let placeholder = |testid: &'static str, busy: bool, lines: Html| {
        html! {
            <div class="placeholder" data-testid={testid} aria-busy={busy.then_some("true")}>{ lines }</div>
        }
    };
    let article = match (open_id.as_deref(), open) {
        (None, _) => placeholder(
            "choose-article",
            false,
            html! { <>
                <p>{ t.text("choose-article") }</p>
                <p class="hint">{ t.text("keys-hint") }</p>
            </> },
        ),
        // Not found yet: it may be in a part that has not arrived.
        (Some(_), None) if !catalog.is_complete() => {
            placeholder("article-loading", true, html! { <p>{ t.text("loading-article") }</p> })
        }
        (Some(id), None) => placeholder(
            "missing-article",
            false,
            html! { <>
                <p>{ t.fill("missing-article", &[("id", id)]) }</p>
                <p class="hint">{ t.text("missing-article-hint") }</p>
            </> },
        ),
        (Some(id), Some(position)) => match details.clone() {
            None => {
                let failed =
                    library.details_of(position).is_some_and(|(shard, _)| fetched.failed(&Want::Details(shard)))
                        || library.missing_part(position).is_some_and(|part| fetched.failed(&Want::Part(part)));
                let text = match (failed, fetched.error.as_ref()) {
                    (true, _) if !browser::online() => t.text("article-offline").to_string(),
                    (true, Some(e)) => t.fill("article-failed", &[("error", &super::describe_error(t, e))]),
                    _ => t.text("loading-article").to_string(),
                };
                placeholder("article-loading", !failed, html! { <p>{ text }</p> })
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
                    read={reader.marks.is_read(id)}
                    starred={reader.marks.is_starred(id)}
                    previous={neighbour(open_at.and_then(|a| a.checked_sub(1)))}
                    next={neighbour(open_at.map(|a| a + 1))}
                    restore_scroll={props.returned}
                    onmarkabove={onmarkabove.clone()}
                    onfilter={onfilterandlist}
                    onback={onback}
                    onshowimages={props.onshowimages.clone()}
                    onimagesalways={props.onimagesalways.clone()}
                />
            },
        },
    };

    // Said to screen readers when an article opens (focus moves to its heading too).
    let announcement = match (open, &details) {
        (Some(position), Some(_)) if catalog.is_shown(position) => {
            t.fill("opened", &[("title", &display.shown(&catalog.entries[position].title))])
        }
        _ => String::new(),
    };
    let days = catalog.day_range();
    let mut info = t.fill(
        "archive-info",
        &[("posts", &t.number(catalog.entries.len())), ("date", catalog.generated_at.get(..10).unwrap_or_default())],
    );
    // An imported archive says which one it is.
    if let Some(name) = crate::app::imports::open_name() {
        info = t.fill("archive-info-imported", &[("name", &name), ("info", &info)]);
    }
    let skip = |target: &'static str| Callback::from(move |_: MouseEvent| browser::focus(target));
    let ondialog = |dialog: Dialog| reader.ondialog.reform(move |_: MouseEvent| Some(dialog));
    let onclose = reader.ondialog.reform(|_: ()| None);
    drop(catalog);
    html! {
        <div class={classes!("reader", open_id.is_some().then_some("article-open"))}>
            <header class="top">
              <nav class="skip-links" aria-label={t.text("skip-links").to_string()}>
                <button class="skip" data-testid="skip-to-list" onclick={skip("list-pane")}>{ t.text("skip-to-list") }</button>
                if open_id.is_some() {
                    <button class="skip" data-testid="skip-to-article" onclick={skip("article-pane")}>{ t.text("skip-to-article") }</button>
                }
              </nav>
              <div class="topbar">
                <h1 class="brand"><a href="#/">{ t.text("brand") }</a></h1>
                <span class="archive-info" data-testid="archive-info">{ info }</span>
                <OfflineStatus sync={props.sync.clone()} />
                <div class="topbar-actions">
                    <button class="icon-button" data-testid="library-button" aria-haspopup="dialog" onclick={ondialog(Dialog::Library)}>
                        { t.text("library") }
                    </button>
                    <button class="icon-button" data-testid="help-button" aria-haspopup="dialog" onclick={ondialog(Dialog::Help)}
                        aria-label={t.text("help").to_string()} title={t.text("help").to_string()}>
                        <span aria-hidden="true">{ "?" }</span>
                    </button>
                    <button class="icon-button" data-testid="settings" aria-haspopup="dialog" onclick={ondialog(Dialog::Settings)}>
                        <span aria-hidden="true">{ "⚙ " }</span>{ t.text("settings") }
                    </button>
                </div>
              </div>
              <UpdateBanner sync={props.sync.clone()} />
              <Notices problems={props.problems.clone()} />
            </header>
            <main class="panes">
                <section class="list-pane" id="list-pane" tabindex="-1" aria-label={t.text("articles-region").to_string()}>
                    <FilterPanel
                        filters={route.filters.clone()}
                        results={results.clone()}
                        {days}
                        onchange={onfilters}
                        {onquery}
                    />
                    if let Some(error) = fetched.part_failure() {
                        <p class="load-error" role="alert" data-testid="load-error">
                            { t.fill("part-failed", &[("error", &super::describe_error(t, error))]) }
                        </p>
                    }
                    <ResultList results={results.clone()} route={route.clone()} open={open}
                        cursor={cursor.0} oncursor={oncursor.clone()} />
                </section>
                <section class="article-pane" id="article-pane" tabindex="-1" aria-label={t.text("article-region").to_string()}>
                    { article }
                </section>
                <div class="sr-only" aria-live="polite" data-testid="announce">{ announcement }</div>
            </main>
            if props.dialog == Some(Dialog::Help) {
                <HelpDialog onclose={onclose.clone()} />
            }
            if props.dialog == Some(Dialog::Settings) {
                <SettingsDialog onclose={onclose.clone()} />
            }
            if props.dialog == Some(Dialog::Library) {
                <LibraryDialog importing={props.importing.clone()} onimport={props.onimport.clone()} {onclose} />
            }
        </div>
    }
}
