//! The root: owns the reducer, loads the archive, follows the URL and the keyboard.

use gloo::events::EventListener;
use yew::prelude::*;

use super::reader::Reader;
use super::status::{ErrorScreen, Loading};
use crate::app::browser::{self, History};
use crate::app::net;
use crate::app::state::{Action, Load, State};
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
                    net::fetch_archive(move |received, total| progress.dispatch(Action::Progress { received, total }))
                        .await;
                dispatcher.dispatch(match result {
                    Ok(archive) => Action::Loaded(archive),
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
        Load::Fetching { received, total } => html! { <Loading received={*received} total={*total} /> },
        Load::Failed(error) => html! { <ErrorScreen error={error.clone()} /> },
        Load::Ready(catalog) => html! {
            <Reader
                catalog={catalog.clone()}
                route={state.route.clone()}
                images_always={state.images_always}
                images_shown={state.images_shown.clone()}
                {onnavigate}
                {onimagesalways}
                {onshowimages}
            />
        },
    }
}
