//! The root: owns the reducer, loads the archive and the shards views ask for, follows
//! the URL.

use gloo::events::EventListener;
use yew::prelude::*;

use super::reader::Reader;
use super::status::{error_screen, loading};
use crate::app::browser::{self, History};
use crate::app::context::ReaderContext;
use crate::app::net;
use crate::app::state::{Action, Load, Needs, Shared, State};
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

    // Shards asked for, fetched or not: each is requested once.
    let requested = use_mut_ref(Requested::default);
    let library = match &state.load {
        Load::Ready(library) => Some(library.clone()),
        _ => None,
    };
    // The same callback for as long as the library is: the context changes only when
    // the library or the fetched shards do.
    let onneed = {
        let dispatcher = state.dispatcher();
        use_callback(library, move |needs: Needs, library| {
            let Some(library) = library else { return };
            let mut requested = requested.borrow_mut();
            for shard in needs.details.into_iter().filter(|&s| Requested::first(&mut requested.details, s)) {
                let (dispatcher, file) = (dispatcher.clone(), library.details_file(shard).clone());
                wasm_bindgen_futures::spawn_local(async move {
                    dispatcher.dispatch(match net::fetch_details(&file).await {
                        Ok(details) => Action::DetailsArrived(shard, Shared(details)),
                        Err(error) => Action::ShardFailed { bucket: None, error },
                    });
                });
            }
            for bucket in needs.buckets.into_iter().filter(|&b| Requested::first(&mut requested.buckets, b as usize)) {
                let (dispatcher, file) = (dispatcher.clone(), library.bucket_file(bucket).to_string());
                wasm_bindgen_futures::spawn_local(async move {
                    dispatcher.dispatch(match net::fetch_bucket(&file).await {
                        Ok(contents) => Action::BucketArrived(bucket, Shared(contents)),
                        Err(error) => Action::ShardFailed { bucket: Some(bucket), error },
                    });
                });
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
            let context = ReaderContext { library: library.clone(), fetched: state.fetched.clone(), onneed };
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

/// Which shards have been asked for, by number.
#[derive(Default)]
struct Requested {
    details: Vec<bool>,
    buckets: Vec<bool>,
}

impl Requested {
    /// Marks shard `n` as asked for; whether this is the first time.
    fn first(asked: &mut Vec<bool>, n: usize) -> bool {
        if asked.len() <= n {
            asked.resize(n + 1, false);
        }
        !std::mem::replace(&mut asked[n], true)
    }
}
