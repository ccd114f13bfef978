//! One article: title, date, source, tags, original link, and the sanitized body.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::marked::marked;
use super::safe_html::sanitized_html;
use crate::app::browser;
use crate::archive::ArticleMeta;
use crate::filter::Filters;
use crate::sanitize::Images;
use crate::search::{highlights, Query};

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
    pub onfilter: Callback<Filters>,
    pub onback: Callback<()>,
    pub onshowimages: Callback<String>,
    pub onimagesalways: Callback<bool>,
}

#[component]
pub fn ArticleView(props: &ArticleViewProps) -> Html {
    let meta = &props.meta;
    let root = use_node_ref();
    let images = if props.images_allowed { Images::Allowed } else { Images::Blocked };
    let body = use_memo((props.body.clone(), images), |(body, images)| sanitized_html(body, *images));
    let image_count = props.body.matches("<img").count();

    {
        let (root, title) = (root.clone(), meta.title.clone());
        use_effect_with(meta.id.clone(), move |_| {
            gloo::utils::document().set_title(&format!("{title} · News archive"));
            if let Some(pane) = root.cast::<web_sys::Element>().and_then(|el| el.parent_element()) {
                pane.set_scroll_top(0);
            }
            || gloo::utils::document().set_title("News archive")
        });
    }

    let filter_link = |set: &dyn Fn(&mut Filters)| {
        let mut filters = props.filters.clone();
        set(&mut filters);
        props.onfilter.reform(move |_: MouseEvent| filters.clone())
    };
    // After the body is in the DOM (and again whenever it or the query changes).
    {
        let root = root.clone();
        use_effect_with((body.clone(), props.query.clone()), move |(_, query)| {
            let body = root.cast::<web_sys::Element>().and_then(|el| el.query_selector(".article-body").ok().flatten());
            if let Some(first) = body.and_then(|body| browser::mark_matches(&body, query)) {
                browser::scroll_to_middle(&first);
            }
        });
    }
    let title_marks = highlights(&meta.title, &props.query);

    let onsource = filter_link(&|f| f.sources = vec![meta.source.clone()]);
    let onshowimages = props.onshowimages.reform({
        let id = meta.id.clone();
        move |_: MouseEvent| id.clone()
    });
    let onimagesalways =
        props.onimagesalways.reform(|event: Event| event.target_unchecked_into::<HtmlInputElement>().checked());

    html! {
        <article class="article" data-testid="article" lang={meta.lang.clone()} ref={root}>
            <button class="back" data-testid="back" onclick={props.onback.reform(|_| ())}>{ "← All articles" }</button>
            <h1 data-testid="article-title">{ marked(&meta.title, &title_marks) }</h1>
            <p class="article-meta">
                <time datetime={meta.date.clone()} title={meta.date.clone()} data-testid="article-date">
                    { browser::format_long_date(meta.ts) }
                </time>
                { " · " }
                <button class="link" data-testid="article-source" onclick={onsource}>{ &meta.source }</button>
                if let Some(url) = meta.url.as_ref().filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
                    { " · " }
                    <a href={url.clone()} target="_blank" rel="noopener noreferrer" data-testid="original-link">
                        { "Original article ↗" }
                    </a>
                }
            </p>
            if !meta.tags.is_empty() {
                <ul class="tags" aria-label="Tags">
                    { for meta.tags.iter().map(|tag| {
                        let onclick = filter_link(&|f| f.tags = vec![tag.clone()]);
                        html! { <li><button class="tag" data-testid="article-tag" {onclick}>{ format!("#{tag}") }</button></li> }
                    }) }
                </ul>
            }
            if image_count > 0 {
                <div class="image-bar" data-testid="image-bar">
                    if props.images_allowed && !props.images_always {
                        <span>{ "Images are shown for this article." }</span>
                    }
                    if !props.images_allowed {
                        <span>{ format!("{image_count} remote image{} not loaded: loading them tells their host you are reading this.", if image_count == 1 { " is" } else { "s are" }) }</span>
                        <button data-testid="load-images" onclick={onshowimages}>{ "Load images" }</button>
                    }
                    <label><input type="checkbox" data-testid="images-always" checked={props.images_always} onchange={onimagesalways} />{ " Always load images" }</label>
                </div>
            }
            <div class="article-body">{ (*body).clone() }</div>
        </article>
    }
}
