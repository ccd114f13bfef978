//! The search box: the reader's own text, sent on after a pause (and its index buckets
//! asked for after a shorter one), and nothing sent while an input method composes.

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::hooks::{bucket_needs, use_reader};

/// Typing pauses this long before the search runs (and the URL changes).
const SEARCH_DEBOUNCE_MS: u32 = 150;
/// A shorter pause after which the index buckets of what is typed are asked for: on a
/// slow link they take longer than the debounce, so they start before it ends (a burst
/// of keys, a paste or an input method's commit is one request per bucket).
const PREFETCH_PAUSE_MS: u32 = 40;

#[derive(Properties, PartialEq)]
pub struct SearchBoxProps {
    /// The search text the URL holds.
    pub query: String,
    /// The text typed, after a pause.
    pub onquery: Callback<String>,
}

#[component]
pub fn SearchBox(props: &SearchBoxProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    // The box shows what the reader typed, not the URL's text: the app renders for many
    // other reasons while someone types (a bucket or part arriving), and a box bound to
    // the URL would be set back to its older text each time, losing what was typed since
    // (or breaking an input method's composition). The URL's text replaces it only when
    // it changes to something this box did not send: Back, a removed chip, a link.
    let text = use_state(|| props.query.clone());
    let sent = use_mut_ref(|| props.query.clone());
    {
        let (text, sent) = (text.clone(), sent.clone());
        use_effect_with(props.query.clone(), move |query| {
            if *sent.borrow() != *query {
                sent.borrow_mut().clone_from(query);
                text.set(query.clone());
            }
        });
    }

    // Each keystroke restarts the timers; only a pause sends the text on.
    let typing = use_mut_ref(|| None::<Timeout>);
    let prefetching = use_mut_ref(|| None::<Timeout>);
    let composing = use_mut_ref(|| false);
    let send = {
        let (onquery, typing, sent) = (props.onquery.clone(), typing.clone(), sent.clone());
        let (onneed, library, scanning) =
            (reader.onneed.clone(), reader.library.clone(), reader.offline_scan.is_some());
        move |value: String| {
            let (onneed, library, text) = (onneed.clone(), library.clone(), value.clone());
            *prefetching.borrow_mut() = (!scanning).then(|| {
                Timeout::new(PREFETCH_PAUSE_MS, move || {
                    let query = crate::search::Query::parse(&text);
                    // One-character terms need a character's whole posting, which is large
                    // and, mid-word, seldom what the query ends as: only the search asks for it.
                    if query.include.iter().chain(&query.exclude).any(|t| t.folded.chars().count() < 2) {
                        return;
                    }
                    onneed.emit(bucket_needs(&library, &query));
                })
            });
            let (onquery, sent) = (onquery.clone(), sent.clone());
            *typing.borrow_mut() = Some(Timeout::new(SEARCH_DEBOUNCE_MS, move || {
                sent.borrow_mut().clone_from(&value);
                onquery.emit(value);
            }));
        }
    };
    let oninput = {
        let (send, composing, text) = (send.clone(), composing.clone(), text.clone());
        Callback::from(move |event: InputEvent| {
            let value = event.target_unchecked_into::<HtmlInputElement>().value();
            text.set(value.clone());
            if !*composing.borrow() && !event.is_composing() {
                send(value);
            }
        })
    };
    // Yew has no composition listeners: added on the element itself.
    let search = use_node_ref();
    {
        let (search, composing, typing) = (search.clone(), composing.clone(), typing.clone());
        use_effect_with((), move |_| {
            let input = search.cast::<HtmlInputElement>();
            let listeners = input.map(|input| {
                let start = {
                    let (composing, typing) = (composing.clone(), typing.clone());
                    EventListener::new(&input, "compositionstart", move |_| {
                        *composing.borrow_mut() = true;
                        typing.borrow_mut().take();
                    })
                };
                let target = input.clone();
                let end = EventListener::new(&input, "compositionend", move |_| {
                    *composing.borrow_mut() = false;
                    send(target.value());
                });
                (start, end)
            });
            move || drop(listeners)
        });
    }

    html! {
        <input
            id="search"
            class="search"
            type="search"
            data-testid="search"
            placeholder={t.text("search-placeholder").to_string()}
            aria-label={t.text("search-label").to_string()}
            value={(*text).clone()}
            {oninput}
            ref={search}
        />
    }
}
