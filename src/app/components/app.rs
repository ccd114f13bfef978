//! The root: owns the reducer, loads the archive and the shards views ask for, follows
//! the URL.

use gloo::events::EventListener;
use yew::prelude::*;

use super::reader::Reader;
use super::status::{error_screen, loading};
use crate::app::browser::{self, History};
use crate::app::context::ReaderContext;
use crate::app::fetcher::{self, Fetcher};
use crate::app::net;
use crate::app::state::{Action, Load, Needs, State};
use crate::route::Route;

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| State::new(browser::current_route(), browser::images_always()));

    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let progress = dispatcher.clone();
                let result =
                    net::open_archive(move |received, total| progress.dispatch(Action::Progress { received, total }))
                        .await;
                dispatcher.dispatch(match result {
                    Ok(opened) => Action::Opened(opened),
                    Err(error) => Action::Failed(error),
                });
            });
        });
    }

    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                dispatcher.dispatch(Action::Navigated(browser::current_route()))
            });
            move || drop(listener)
        });
    }

    // Files asked for, fetched or not: each is requested once.
    let fetcher = use_mut_ref(Fetcher::default);
    let library = match &state.load {
        Load::Ready(library) => Some(library.clone()),
        _ => None,
    };
    // A sharded archive's parts, in the background, once it is open.
    {
        let (fetcher, dispatch) = (fetcher.clone(), state.dispatcher());
        use_effect_with(library.clone(), move |library| {
            if let Some(library) = library.clone().filter(|l| l.scan.is_none()) {
                fetcher::load_parts(fetcher, library, dispatch);
            }
        });
    }
    // The same callback for as long as the library is: the context changes only when
    // the library or what has been fetched does.
    let onneed = {
        let dispatch = state.dispatcher();
        use_callback(library, move |needs: Needs, library| {
            if let Some(library) = library {
                fetcher::fetch(&fetcher, library, needs, &dispatch);
            }
        })
    };

    let onnavigate = {
        let dispatcher = state.dispatcher();
        Callback::from(move |(route, history): (Route, History)| {
            browser::show_route(&route, history);
            if history == History::Replace {
                dispatcher.dispatch(Action::Navigated(route));
            }
        })
    };

    let onimagesalways = {
        let dispatcher = state.dispatcher();
        Callback::from(move |always: bool| {
            browser::remember_images_always(always);
            dispatcher.dispatch(Action::SetImagesAlways(always));
        })
    };
    let onshowimages = {
        let dispatcher = state.dispatcher();
        Callback::from(move |id: String| dispatcher.dispatch(Action::ShowImages(id)))
    };

    match &state.load {
        Load::Fetching { received, total } => loading(*received, *total),
        Load::Failed(error) => error_screen(error),
        Load::Ready(library) => {
            let context = ReaderContext {
                library: library.clone(),
                fetched: state.fetched.clone(),
                parts_loaded: state.parts_loaded,
                onneed,
            };
            html! {
                <ContextProvider<ReaderContext> {context}>
                    <Reader
                        route={state.route.clone()}
                        images_always={state.images_always}
                        images_shown={state.images_shown.clone()}
                        {onnavigate}
                        {onimagesalways}
                        {onshowimages}
                    />
                </ContextProvider<ReaderContext>>
            }
        }
    }
}
