//! The root: owns the reducer, loads the archive and the shards views ask for, follows
//! the URL.

use gloo::events::EventListener;
use yew::prelude::*;

use super::reader::{Problems, Reader};
use super::status::{error_screen, loading};
use crate::app::browser::{self, History};
use crate::app::context::{ReaderContext, SyncRequest, SyncView};
use crate::app::fetcher::{self, Fetcher};
use crate::app::hooks::bucket_needs;
use crate::app::net::Source;
use crate::app::script::{self, Display};
use crate::app::state::{
    Action, Dialog, Importing, LibraryRef, Load, Mark, Needs, Notice, Offline, SaveState, ScriptTable, Shared, State,
};
use crate::app::{imports, marks, net, offline, portable, prefs, sync, texts};
use crate::archive::ARCHIVE_FILE;
use crate::convert::ToTraditional;
use crate::route::Route;
use crate::search::Query;
use crate::settings::{Script, Settings};

#[component]
pub fn App() -> Html {
    let state =
        use_reducer(|| State::new(browser::current_route(), browser::images_always(), prefs::load(), marks::load()));

    // The interface's words, in the reader's language.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let texts = texts::load(texts::preferred()).await;
                dispatch.dispatch(Action::Texts(Shared(std::rc::Rc::new(texts))));
            });
        });
    }

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

    // Whether the next `hashchange` is the reader's own navigation; any other is Back or
    // Forward (whose article's scroll position is then restored).
    let navigating = use_mut_ref(|| false);
    // What a new route's query needs, asked for by the hashchange listener before the
    // render the route causes: that render (the whole reader, ~15 ms at 27,000 posts)
    // would otherwise come first, and the query's buckets are what its answer waits for.
    // Set below, once `onneed` is; none while a saved copy is searched by reading it.
    let ahead = use_mut_ref(|| None::<(LibraryRef, Callback<Needs>)>);
    {
        let (dispatcher, navigating, ahead) = (state.dispatcher(), navigating.clone(), ahead.clone());
        use_effect_with((), move |_| {
            // A link of the reader's own followed (a row, next and previous) is a choice too.
            let clicks = {
                let navigating = navigating.clone();
                let options = gloo::events::EventListenerOptions::run_in_capture_phase();
                EventListener::new_with_options(&gloo::utils::document(), "click", options, move |event| {
                    let link = event
                        .target()
                        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                        .and_then(|el| el.closest("a[href^='#/']").ok().flatten());
                    let here = gloo::utils::window().location().hash().unwrap_or_default();
                    // A link to where the page is already changes nothing: no hashchange follows.
                    if link.and_then(|l| l.get_attribute("href")).is_some_and(|href| href != here) {
                        *navigating.borrow_mut() = true;
                    }
                })
            };
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                let returned = !std::mem::take(&mut *navigating.borrow_mut());
                let route = browser::current_route();
                if let Some((library, onneed)) = ahead.borrow().as_ref() {
                    onneed.emit(bucket_needs(library, &Query::parse(&route.filters.query)));
                }
                dispatcher.dispatch(Action::Navigated(route, returned))
            });
            move || drop((listener, clicks))
        });
    }

    // Marks are kept on the device after every change, and follow other tabs' changes.
    {
        let dispatch = state.dispatcher();
        use_effect_with(state.marks.clone(), move |marks| {
            if let Err(problem) = marks::save(marks) {
                dispatch.dispatch(Action::MarksProblem(Some(problem)));
            }
        });
    }
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = marks::watch(move |theirs| dispatch.dispatch(Action::Mark(Mark::FromOtherTab(theirs))));
            move || drop(listener)
        });
    }
    // Settings are applied and kept; the Traditional characters table is fetched when
    // it is first needed.
    {
        let dispatch = state.dispatcher();
        use_effect_with(state.settings, move |settings| {
            prefs::apply(settings);
            dispatch.dispatch(Action::SettingsProblem(prefs::save(settings).err()));
        });
    }
    {
        let dispatch = state.dispatcher();
        let wanted = state.settings.script == Script::Traditional
            && matches!(state.script_table, ScriptTable::None | ScriptTable::Failed(_));
        use_effect_with(wanted, move |wanted| {
            if *wanted {
                dispatch.dispatch(Action::ScriptTable(ScriptTable::Loading));
                wasm_bindgen_futures::spawn_local(async move {
                    let table = match net::text_file(script::TABLE_FILE).await {
                        Ok(bytes) => ToTraditional::from_bytes(&bytes)
                            .map(|t| ScriptTable::Ready(std::rc::Rc::new(t)))
                            .unwrap_or_else(|e| ScriptTable::Failed(e.to_string())),
                        Err(e) => ScriptTable::Failed(e.to_string()),
                    };
                    dispatch.dispatch(Action::ScriptTable(table));
                });
            }
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
            if let Some(library) = library.as_ref().filter(|_| !Source::current().is_hosted()) {
                // Imported: the whole archive is in this browser, and no server publishes it.
                let saved = if library.scan.is_some() { SaveState::Unsaved } else { SaveState::Saved };
                dispatch.dispatch(Action::Offline(Offline { saved, ..Offline::default() }));
            // A portable edition is all on this device, and has no server to ask.
            } else if let Some(library) = library.filter(|_| !portable::active()) {
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
                SyncRequest::Language(lang) => {
                    if let Err(why) = texts::remember(lang) {
                        dispatch.dispatch(Action::SettingsProblem(Some(why)));
                    }
                    wasm_bindgen_futures::spawn_local(async move {
                        let texts = texts::load(lang).await;
                        dispatch.dispatch(Action::Texts(Shared(std::rc::Rc::new(texts))));
                    });
                }
            }
        })
    };
    // The same callback for as long as the library is: the context changes only when
    // the library or what has been fetched does.
    let onneed = {
        let dispatch = state.dispatcher();
        use_callback(library.clone(), move |needs: Needs, library| {
            if let Some(library) = library {
                fetcher::fetch(&fetcher, library, needs, &dispatch);
            }
        })
    };

    *ahead.borrow_mut() = library.filter(|_| state.offline_scan.is_none()).map(|l| (l, onneed.clone()));

    let onnavigate = {
        let dispatcher = state.dispatcher();
        Callback::from(move |(route, history): (Route, History)| {
            if route.to_hash() == browser::current_route().to_hash() {
                dispatcher.dispatch(Action::Navigated(route, false));
                return;
            }
            *navigating.borrow_mut() = history == History::Push;
            browser::show_route(&route, history);
            if history == History::Replace {
                dispatcher.dispatch(Action::Navigated(route, false));
            }
        })
    };

    let onimagesalways = {
        let dispatcher = state.dispatcher();
        Callback::from(move |always: bool| {
            if let Err(why) = browser::remember_images_always(always) {
                dispatcher.dispatch(Action::SettingsProblem(Some(why)));
            }
            dispatcher.dispatch(Action::SetImagesAlways(always));
        })
    };
    let onmark = {
        let dispatcher = state.dispatcher();
        Callback::from(move |mark: Mark| dispatcher.dispatch(Action::Mark(mark)))
    };
    let onsettings = {
        let dispatcher = state.dispatcher();
        Callback::from(move |settings: Settings| dispatcher.dispatch(Action::Settings(settings)))
    };
    let ondialog = {
        let dispatcher = state.dispatcher();
        Callback::from(move |dialog: Option<Dialog>| dispatcher.dispatch(Action::Dialog(dialog)))
    };
    let onnotice = {
        let dispatcher = state.dispatcher();
        Callback::from(move |notice: Option<Notice>| dispatcher.dispatch(Action::Notice(notice)))
    };
    // A bundle picked in the library or dropped on the page: imported, then opened.
    let onimport = {
        let dispatcher = state.dispatcher();
        Callback::from(move |file: web_sys::File| {
            let dispatcher = dispatcher.clone();
            dispatcher.dispatch(Action::Dialog(Some(Dialog::Library)));
            wasm_bindgen_futures::spawn_local(async move {
                let progress = dispatcher.clone();
                let on_stage = move |stage| progress.dispatch(Action::Importing(Some(Importing::Working(stage))));
                match imports::import(file, on_stage).await {
                    Ok(imported) => {
                        // Its articles are meant to open offline: the sanitizer module is
                        // kept too when it can be had (if not, the article says so).
                        let _said_when_an_article_opens = crate::app::sanitizer::load().await;
                        let _ = gloo::utils::window().location().assign(&imports::address(Some(&imported.id)));
                    }
                    Err(error) => {
                        dispatcher.dispatch(Action::Importing(Some(Importing::Failed(Shared(std::rc::Rc::new(error))))))
                    }
                }
            });
        })
    };
    {
        let onimport = onimport.clone();
        use_effect_with((), move |_| {
            let document = gloo::utils::document();
            let files = |event: &Event| {
                wasm_bindgen::JsCast::dyn_ref::<DragEvent>(event)
                    .and_then(|drag| drag.data_transfer())
                    .filter(|data| data.types().includes(&"Files".into(), 0))
            };
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            // Without this, a dropped file would replace the page.
            let over = EventListener::new_with_options(&document, "dragover", options, move |event| {
                if files(event).is_some() {
                    event.prevent_default();
                }
            });
            let drop = EventListener::new_with_options(&document, "drop", options, move |event| {
                if let Some(file) = files(event).and_then(|data| data.files()).and_then(|list| list.get(0)) {
                    event.prevent_default();
                    onimport.emit(file);
                }
            });
            move || std::mem::drop((over, drop))
        });
    }
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

    // Until the words are here, the first paint (static/boot.js) stays.
    let Some(texts) = state.texts.clone() else { return html! {} };
    match &state.load {
        Load::Fetching { received, total } => loading(&texts, *received, *total),
        Load::Failed(error) => error_screen(&texts, error),
        Load::Ready(library) => {
            let context = ReaderContext {
                texts: texts.clone(),
                library: library.clone(),
                fetched: state.fetched.clone(),
                parts_loaded: state.parts_loaded,
                offline_scan: state.offline_scan.clone(),
                saved: state.offline.saved.clone(),
                onneed,
                onsync: onsync.clone(),
                marks: state.marks.clone(),
                marks_epoch: state.marks_epoch,
                onmark,
                display: match (state.settings.script, &state.script_table) {
                    (Script::Simplified, _) => Display::Simplified,
                    (Script::Traditional, ScriptTable::Ready(table)) => Display::Traditional(table.clone()),
                    _ => Display::Original,
                },
                settings: state.settings,
                onsettings,
                ondialog,
                onnotice,
            };
            let problems = Problems {
                notice: state.notice.clone(),
                can_undo: state.marks_undo.is_some(),
                marks: state.marks_problem.as_ref().map(|p| p.describe(&texts)),
                settings: state
                    .settings_problem
                    .as_ref()
                    .map(|why| texts.fill("settings-storage-failed", &[("error", why)])),
                script_loading: state.settings.script == Script::Traditional
                    && matches!(state.script_table, ScriptTable::Loading),
                script: match &state.script_table {
                    ScriptTable::Failed(why) if state.settings.script == Script::Traditional => {
                        Some(texts.fill("script-failed", &[("error", why)]))
                    }
                    _ => None,
                },
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
                        dialog={state.dialog}
                        returned={state.returned}
                        {problems}
                        {onnavigate}
                        {onimagesalways}
                        {onshowimages}
                        importing={state.importing.clone()}
                        {onimport}
                    />
                </ContextProvider<ReaderContext>>
            }
        }
    }
}
