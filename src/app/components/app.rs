//! The root: owns the reducer, loads the archive and the shards views ask for, follows
//! the URL.

use gloo::events::EventListener;
use yew::prelude::*;

use super::reader::Reader;
use super::status::{error_screen, loading};
use crate::app::browser::{self, History};
use crate::app::context::{ReaderContext, SyncRequest, SyncView};
use crate::app::fetcher::{self, Fetcher};
use crate::app::net;
use crate::app::offline;
use crate::app::state::{Action, Load, Needs, Offline, State};
use crate::app::sync;
use crate::archive::ARCHIVE_FILE;
use crate::route::Route;

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| State::new(browser::current_route(), browser::images_always()));

    // Whether the archive opened came from what this device keeps, not the server.
    let started_from_kept = use_mut_ref(|| false);
    {
        let dispatcher = state.dispatcher();
        let started_from_kept = started_from_kept.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let progress = dispatcher.clone();
                let result =
                    net::open_archive(move |received, total| progress.dispatch(Action::Progress { received, total }))
                        .await;
                match result {
                    Ok(net::OpenedArchive { opened, bytes, kept }) => {
                        // The copy offline reading relies on: this build's.
                        if !kept {
                            offline::keep_quietly(ARCHIVE_FILE, &bytes).await;
                        }
                        *started_from_kept.borrow_mut() = kept;
                        dispatcher.dispatch(Action::Opened(opened, sync::fingerprint(&bytes)));
                    }
                    Err(error) => dispatcher.dispatch(Action::Failed(error)),
                }
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
    // What this device keeps of it (a save that was interrupted goes on), and whether a
    // newer build is published: now, when the tab comes back, and every few minutes.
    {
        let dispatch = state.dispatcher();
        let started_from_kept = started_from_kept.clone();
        use_effect_with(library.clone(), move |library| {
            let library = library.clone();
            let mut watching = None;
            if let Some(library) = library {
                let saved = sync::saved_state(&library);
                dispatch.dispatch(Action::Offline(Offline { saved, ..Offline::default() }));
                if sync::interrupted(&library) {
                    wasm_bindgen_futures::spawn_local(sync::save(library.clone(), dispatch.clone()));
                }
                // The server was asked just now, unless the archive came from this device.
                let check_now = *started_from_kept.borrow() || library.generation > 0;
                watching = Some(sync::watch(library, dispatch, check_now));
            }
            move || drop(watching)
        });
    }
    let onsync = {
        let dispatch = state.dispatcher();
        let (update, library) = (state.update.clone(), library.clone());
        use_callback((library.clone(), update), move |request: SyncRequest, (library, update)| {
            let Some(library) = library.clone() else { return };
            let dispatch = dispatch.clone();
            match request {
                SyncRequest::Save => wasm_bindgen_futures::spawn_local(sync::save(library, dispatch)),
                SyncRequest::OfflineScan => wasm_bindgen_futures::spawn_local(sync::offline_scan(library, dispatch)),
                SyncRequest::ApplyUpdate => {
                    let Some(update) = update.clone() else { return };
                    wasm_bindgen_futures::spawn_local(async move {
                        dispatch.dispatch(Action::UpdateProgress(Some(0)));
                        if sync::apply(library, update, dispatch.clone()).await.is_err() {
                            dispatch.dispatch(Action::UpdateProgress(None));
                        }
                    });
                }
                SyncRequest::ReloadApp => {
                    let _ = gloo::utils::window().location().reload();
                }
            }
        })
    };
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

    // An archive that cannot be opened: its error screen replaces the first paint.
    use_effect_with(matches!(state.load, Load::Failed(_)), |failed| {
        if *failed {
            crate::app::boot::take_over();
        }
    });

    match &state.load {
        Load::Fetching { received, total } => loading(*received, *total),
        Load::Failed(error) => error_screen(error),
        Load::Ready(library) => {
            let context = ReaderContext {
                library: library.clone(),
                fetched: state.fetched.clone(),
                parts_loaded: state.parts_loaded,
                offline_scan: state.offline_scan.clone(),
                saved: state.offline.saved.clone(),
                onneed,
                onsync: onsync.clone(),
            };
            let sync = SyncView {
                offline: state.offline.clone(),
                update: state.update.clone(),
                applying: state.applying,
                app_update: state.app_update,
            };
            html! {
                <ContextProvider<ReaderContext> {context}>
                    <Reader
                        {sync}
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
