//! One article: title, date, source, its actions (star, read, share, original), tags,
//! the sanitized body, and the next and previous articles of the list at its end. Its
//! heading takes focus when it opens, so that the keys that scroll scroll it; its scroll
//! position is kept for Back, Forward and reload.

use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::marked::marked;
use super::safe_html::{use_sanitized_html, SafeHtml};
use crate::app::browser;
use crate::app::hooks::use_reader;
use crate::app::sanitizer::SanitizerError;
use crate::app::state::Mark;
use crate::archive::ArticleMeta;
use crate::filter::Filters;
use crate::sanitize::Images;
use crate::search::{highlights, Query};

/// The scroll position is written this long after scrolling stops.
const SCROLL_SAVE_MS: u32 = 250;

/// A neighbour in the list: where it is and what it is called.
#[derive(Clone, PartialEq)]
pub struct Neighbour {
    pub href: String,
    pub title: AttrValue,
    pub lang: AttrValue,
}

#[derive(Properties, PartialEq)]
pub struct ArticleViewProps {
    pub meta: ArticleMeta,
    /// Untrusted HTML from the archive.
    pub body: AttrValue,
    /// The search whose matches are marked (and the first scrolled to).
    pub query: Rc<Query>,
    /// The list's filters, which the tag and source links narrow further.
    pub filters: Filters,
    pub images_allowed: bool,
    pub images_always: bool,
    pub read: bool,
    pub starred: bool,
    pub previous: Option<Neighbour>,
    pub next: Option<Neighbour>,
    /// Reached by Back, Forward or a reload: scroll back to where the reader was.
    pub restore_scroll: bool,
    /// Marks every post above this one in the list read (`None` at the top).
    pub onmarkabove: Option<Callback<()>>,
    pub onfilter: Callback<Filters>,
    pub onback: Callback<()>,
    pub onshowimages: Callback<String>,
    pub onimagesalways: Callback<bool>,
}

fn scroll_key(id: &str) -> String {
    format!("newsreader.scroll.{id}")
}

fn session_storage() -> Option<web_sys::Storage> {
    gloo::utils::window().session_storage().ok().flatten()
}

#[component]
pub fn ArticleView(props: &ArticleViewProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    let display = &reader.display;
    let meta = &props.meta;
    let root = use_node_ref();
    let heading = use_node_ref();
    let body_ref = use_node_ref();
    let images = if props.images_allowed { Images::Allowed } else { Images::Blocked };
    let (body, onretry) = use_sanitized_html(props.body.clone(), images);
    let image_count = props.body.matches("<img").count();
    let shared = use_state(|| None::<String>);

    // Opening: the title names the tab, the heading takes focus (the keys that scroll
    // then scroll the article), and the pane keeps its scroll position per article.
    {
        let (root, heading, title, id) = (root.clone(), heading.clone(), meta.title.clone(), meta.id.clone());
        let brand = t.text("brand").to_string();
        let document_title = t.fill("document-title", &[("title", &display.shown(&title))]);
        use_effect_with(meta.id.clone(), move |_| {
            gloo::utils::document().set_title(&document_title);
            if let Some(heading) = heading.cast::<web_sys::HtmlElement>() {
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = heading.focus_with_options(&options);
            }
            let pane = root.cast::<web_sys::Element>().and_then(|el| el.parent_element());
            let saving = pane.map(|pane| {
                let pending = Rc::new(std::cell::RefCell::new(None::<Timeout>));
                let target = pane.clone();
                EventListener::new(&pane, "scroll", move |_| {
                    let (top, key) = (target.scroll_top(), scroll_key(&id));
                    *pending.borrow_mut() = Some(Timeout::new(SCROLL_SAVE_MS, move || {
                        if let Some(storage) = session_storage() {
                            let _ = storage.set_item(&key, &top.to_string());
                        }
                    }));
                })
            });
            move || {
                drop(saving);
                gloo::utils::document().set_title(&brand);
            }
        });
    }

    let filter_link = |set: &dyn Fn(&mut Filters)| {
        let mut filters = props.filters.clone();
        set(&mut filters);
        props.onfilter.reform(move |_: MouseEvent| filters.clone())
    };
    // After the body is in the DOM (and again whenever it, the script or the query
    // changes): its text in the script chosen, the matches marked, and the pane scrolled
    // to where the reader was, or to the first match, or to the top.
    {
        let (root, body_ref, id, restore) = (root.clone(), body_ref.clone(), meta.id.clone(), props.restore_scroll);
        let display = display.clone();
        use_effect_with((body.clone(), props.query.clone(), display.clone()), move |(_, query, _)| {
            let pane = root.cast::<web_sys::Element>().and_then(|el| el.parent_element());
            let body = body_ref.cast::<web_sys::Element>();
            if let Some(body) = &body {
                display.convert_nodes(body);
            }
            let first = body.and_then(|body| browser::mark_matches(&body, query));
            let saved =
                restore.then(|| session_storage()?.get_item(&scroll_key(&id)).ok()??.parse::<i32>().ok()).flatten();
            match (saved, first, pane) {
                (Some(top), _, Some(pane)) => pane.set_scroll_top(top),
                (None, Some(first), _) => browser::scroll_to_middle(&first),
                (None, None, Some(pane)) => pane.set_scroll_top(0),
                _ => {}
            }
        });
    }
    let title = display.shown(&meta.title).into_owned();
    let title_marks = highlights(&title, &props.query);
    let lang = display.lang(&meta.lang).into_owned();
    // The interface's words inside the article are in the interface's language.
    let ui = AttrValue::from(t.lang().tag());

    let onsource = filter_link(&|f| f.sources = vec![meta.source.clone()]);
    let onshowimages = props.onshowimages.reform({
        let id = meta.id.clone();
        move |_: MouseEvent| id.clone()
    });
    let onimagesalways =
        props.onimagesalways.reform(|event: Event| event.target_unchecked_into::<HtmlInputElement>().checked());
    let onstar = {
        let (id, starred) = (meta.id.clone(), props.starred);
        reader.onmark.reform(move |_: MouseEvent| Mark::Star(id.clone(), !starred, crate::app::marks::now()))
    };
    let onread = {
        let (id, read) = (meta.id.clone(), props.read);
        reader.onmark.reform(move |_: MouseEvent| if read { Mark::Unread(id.clone()) } else { Mark::Read(id.clone()) })
    };
    let onshare = {
        let (shared, id, title) = (shared.clone(), meta.id.clone(), title.clone());
        let texts = t.clone();
        Callback::from(move |_: MouseEvent| {
            let (shared, url) = (shared.clone(), browser::article_url(&id));
            let (texts, title) = (texts.clone(), title.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let said = match browser::share(&title, &url).await {
                    Ok(browser::Shared::Copied) => texts.text("link-copied").to_string(),
                    Ok(browser::Shared::Shared) => String::new(),
                    Err(Some(error)) => texts.fill("copy-failed", &[("error", &error)]),
                    Err(None) => texts.text("no-clipboard").to_string(),
                };
                shared.set(Some(said));
            });
        })
    };
    let original = meta.url.as_ref().filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let pressed = |on: bool| if on { "true" } else { "false" };

    html! {
        <article class="article" data-testid="article" lang={lang.clone()} ref={root}>
            <button class="back" data-testid="back" lang={ui.clone()} onclick={props.onback.reform(|_| ())}>{ t.text("back") }</button>
            <h2 class="article-title" data-testid="article-title" tabindex="-1" ref={heading}>{ marked(&title, &title_marks) }</h2>
            <p class="article-meta" lang={ui.clone()}>
                <time datetime={meta.date.clone()} title={meta.date.clone()} data-testid="article-date">
                    { t.long_date(meta.ts) }
                </time>
                { " · " }
                <button class="link" data-testid="article-source" onclick={onsource}>{ &meta.source }</button>
            </p>
            <div class="article-actions" role="group" lang={ui.clone()} aria-label={t.text("article-actions").to_string()}>
                <button class="star" data-testid="star" aria-pressed={pressed(props.starred)} onclick={onstar}>
                    <span aria-hidden="true">{ if props.starred { "★ " } else { "☆ " } }</span>
                    if props.starred { { t.text("starred") } } else { { t.text("star") } }
                </button>
                <button data-testid="toggle-read" aria-pressed={pressed(!props.read)} onclick={onread}>
                    { t.text("keep-unread") }
                </button>
                if let Some(onmarkabove) = &props.onmarkabove {
                    <button data-testid="mark-above-read" onclick={onmarkabove.reform(|_: MouseEvent| ())}>{ t.text("mark-above-read") }</button>
                }
                <button data-testid="share" onclick={onshare}>{ t.text("share") }</button>
                if let Some(url) = original {
                    <a class="button" href={url.clone()} target="_blank" rel="noopener noreferrer" data-testid="original-link">
                        { t.text("original-article") }
                    </a>
                }
                if let Some(said) = (*shared).clone().filter(|s| !s.is_empty()) {
                    <span class="hint" role="status" data-testid="share-status">{ said }</span>
                }
            </div>
            if let Some(url) = original {
                <p class="print-only" lang={ui.clone()}>{ t.fill("print-original", &[("source", &meta.source), ("url", url)]) }</p>
            }
            if !meta.tags.is_empty() {
                <ul class="tags" aria-label={t.text("tags").to_string()}>
                    { for meta.tags.iter().map(|tag| {
                        let onclick = filter_link(&|f| f.tags = vec![tag.clone()]);
                        html! { <li><button class="tag" data-testid="article-tag" {onclick}>{ format!("#{tag}") }</button></li> }
                    }) }
                </ul>
            }
            if image_count > 0 {
                <div class="image-bar" data-testid="image-bar" lang={ui.clone()}>
                    if props.images_allowed && !props.images_always {
                        <span>{ t.text("images-shown") }</span>
                    }
                    if !props.images_allowed {
                        <span>{ if image_count == 1 { t.text("images-blocked-one").to_string() } else { t.fill("images-blocked-many", &[("count", &t.number(image_count))]) } }</span>
                        <button data-testid="load-images" onclick={onshowimages}>{ t.text("load-images") }</button>
                    }
                    <label><input type="checkbox" data-testid="images-always" checked={props.images_always} onchange={onimagesalways} />{ " " }{ t.text("always-load-images") }</label>
                </div>
            }
            { match &*body {
                // Keyed by the script: text converted in place is put back by rendering anew.
                SafeHtml::Ready(nodes) => html! {
                    <div class="article-body" key={format!("{}", u8::from(!display.is_original()))} ref={body_ref}>{ nodes.clone() }</div>
                },
                SafeHtml::Loading => html! {
                    <p class="placeholder" data-testid="body-loading" aria-busy="true" lang={ui.clone()}>{ t.text("loading-article") }</p>
                },
                SafeHtml::Failed(error) => {
                    let said = match error {
                        SanitizerError::NotLoaded(_) if !browser::online() => t.text("sanitizer-offline").to_string(),
                        SanitizerError::NotLoaded(e) => t.fill("sanitizer-failed", &[("error", e)]),
                        SanitizerError::Failed(e) => t.fill("body-unsafe", &[("error", e)]),
                    };
                    html! {
                        <div class="placeholder body-failed" lang={ui.clone()}>
                            <p role="alert" data-testid="body-failed">{ said }</p>
                            if matches!(error, SanitizerError::NotLoaded(_)) {
                                <button data-testid="retry-body" onclick={onretry.reform(|_: MouseEvent| ())}>{ t.text("try-again") }</button>
                            }
                        </div>
                    }
                }
            } }
            <nav class="article-nav" lang={ui.clone()} aria-label={t.text("article-nav").to_string()}>
                if let Some(previous) = &props.previous {
                    <a class="previous" data-testid="previous-article" href={previous.href.clone()}>
                        <span class="hint">{ t.text("previous") }</span>
                        <span lang={previous.lang.clone()}>{ previous.title.clone() }</span>
                    </a>
                }
                if let Some(next) = &props.next {
                    <a class="next" data-testid="next-article" href={next.href.clone()}>
                        <span class="hint">{ t.text("next") }</span>
                        <span lang={next.lang.clone()}>{ next.title.clone() }</span>
                    </a>
                } else {
                    <p class="hint" data-testid="end-of-list">{ t.text("end-of-list") }</p>
                }
            </nav>
        </article>
    }
}
