//! The dialogs over the reader: the keyboard shortcuts and the settings (the library is
//! in library.rs). All are native
//! modal `<dialog>`s: the browser keeps focus inside and makes the rest inert; Esc
//! closes them, and focus goes back to where it was.

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::context::SyncRequest;
use crate::app::hooks::{use_reader, KEYS};
use crate::app::state::{Mark, Notice};
use crate::app::texts::Texts;
use crate::i18n::Lang;
use crate::settings::{Choice, Settings, TEXT_SIZES};

#[derive(Properties, PartialEq)]
pub struct ModalProps {
    pub testid: &'static str,
    pub title: AttrValue,
    pub onclose: Callback<()>,
    pub children: Html,
}

/// A modal dialog, open for as long as it is rendered.
#[component]
pub fn Modal(props: &ModalProps) -> Html {
    let reader = use_reader();
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with((), move |_| {
            let before = gloo::utils::document().active_element().and_then(|el| el.dyn_into::<HtmlElement>().ok());
            let dialog = dialog.cast::<web_sys::HtmlDialogElement>();
            if let Some(dialog) = &dialog {
                let _ = dialog.show_modal();
            }
            move || {
                // Closed first: while a modal dialog is open, the rest of the page is
                // inert and cannot take focus back.
                if let Some(dialog) = dialog {
                    dialog.close();
                }
                if let Some(before) = before {
                    let _ = before.focus();
                }
            }
        });
    }
    // Esc ("cancel") and the close button both end here.
    let oncancel = props.onclose.reform(|event: Event| event.prevent_default());
    let onclick = props.onclose.reform(|_: MouseEvent| ());
    let heading = format!("{}-title", props.testid);
    html! {
        <dialog class="dialog" role="dialog" data-testid={props.testid} aria-labelledby={heading.clone()} ref={dialog} {oncancel}>
            <div class="dialog-head">
                <h2 id={heading}>{ props.title.clone() }</h2>
                <button class="icon-button" data-testid="close-dialog" aria-label={reader.texts.text("close").to_string()} {onclick}>
                    <span aria-hidden="true">{ "×" }</span>
                </button>
            </div>
            { props.children.clone() }
        </dialog>
    }
}

#[derive(Properties, PartialEq)]
pub struct DialogProps {
    pub onclose: Callback<()>,
}

/// The keyboard shortcuts.
#[component]
pub fn HelpDialog(props: &DialogProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    let key_name = |key: &str| match key {
        "Space" => t.text("key-name-space").to_string(),
        "Shift" => t.text("key-name-shift").to_string(),
        "Enter" => t.text("key-name-enter").to_string(),
        "Esc" => t.text("key-name-escape").to_string(),
        key => key.to_string(),
    };
    html! {
        <Modal testid="help" title={t.text("help").to_string()} onclose={props.onclose.clone()}>
            <table class="keys">
                <thead><tr><th scope="col">{ t.text("help-key") }</th><th scope="col">{ t.text("help-action") }</th></tr></thead>
                <tbody>
                { for KEYS.iter().map(|(keys, what)| {
                    // "g then s", "Shift + A", "n / p": how the keys go together.
                    let joiner = match (keys, *what) {
                        ([first, ..], _) if *first == "g" => t.text("key-then"),
                        ([first, ..], _) if *first == "Shift" => " + ",
                        _ => " / ",
                    };
                    let mut cells = Vec::new();
                    for (i, key) in keys.iter().enumerate() {
                        if i > 0 { cells.push(html! { { joiner } }); }
                        cells.push(html! { <kbd>{ key_name(key) }</kbd> });
                    }
                    // i18n-keys: key-next, key-previous, key-cursor, key-open, key-page, key-page-back, key-star, key-read, key-original, key-all-read, key-go-starred, key-go-unread, key-go-all, key-search, key-help, key-escape
                    html! { <tr><td>{ for cells }</td><td>{ t.text(what) }</td></tr> }
                }) }
                </tbody>
            </table>
        </Modal>
    }
}

/// The settings: language, reading comfort, the script Chinese text is shown in, and
/// the read and starred marks (export, import, clear).
#[component]
pub fn SettingsDialog(props: &DialogProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    let settings = reader.settings;
    let confirming = use_state(|| false);
    let change = |set: fn(&mut Settings, &str)| {
        let onsettings = reader.onsettings.clone();
        Callback::from(move |event: Event| {
            let mut next = settings;
            set(&mut next, &event.target_unchecked_into::<HtmlSelectElement>().value());
            onsettings.emit(next);
        })
    };
    let onlanguage = reader.onsync.reform(|event: Event| {
        let tag = event.target_unchecked_into::<HtmlSelectElement>().value();
        SyncRequest::Language(Lang::from_tag(&tag).unwrap_or_default())
    });
    let option = |value: &str, label: &str, selected: bool| html! { <option value={value.to_string()} {selected}>{ label }</option> };
    let onexport = {
        let (marks, onnotice) = (reader.marks.clone(), reader.onnotice.clone());
        Callback::from(move |_: MouseEvent| {
            if let Err(error) = crate::app::marks::export(&marks, crate::app::marks::now()) {
                onnotice.emit(Some(Notice::ExportFailed(error)));
            }
        })
    };
    let onimport = {
        let (onmark, texts, onnotice) = (reader.onmark.clone(), reader.texts.clone(), reader.onnotice.clone());
        Callback::from(move |event: Event| {
            let Some(file) = crate::app::browser::take_picked_file(&event) else { return };
            let (onmark, texts, onnotice) = (onmark.clone(), texts.clone(), onnotice.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match crate::app::marks::import(&texts, file).await {
                    Ok(marks) => onmark.emit(Mark::Import(marks)),
                    Err(why) => onnotice.emit(Some(Notice::ImportFailed(why))),
                }
            });
        })
    };
    let onclear = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(true))
    };
    let onconfirm = {
        let (confirming, onmark) = (confirming.clone(), reader.onmark.clone());
        Callback::from(move |_: MouseEvent| {
            confirming.set(false);
            onmark.emit(Mark::Clear);
        })
    };
    let oncancel = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(false))
    };
    let marks = &reader.marks;
    html! {
        <Modal testid="settings-dialog" title={t.text("settings").to_string()} onclose={props.onclose.clone()}>
            <div class="settings">
                <label>{ t.text("language") }
                    <select data-testid="setting-language" onchange={onlanguage}>
                        { for Lang::ALL.iter().map(|lang| {
                            // i18n-keys: lang-zh-Hant, lang-zh-Hans, lang-en
                            let name = t.text(match lang { Lang::ZhHant => "lang-zh-Hant", Lang::ZhHans => "lang-zh-Hans", Lang::En => "lang-en" });
                            html! { <option value={lang.tag()} lang={lang.tag()} selected={*lang == t.lang()}>{ name }</option> }
                        }) }
                    </select>
                </label>
                <label>{ t.text("text-size") }
                    <select data-testid="setting-text-size" onchange={change(|s, v| s.text_size = v.parse().unwrap_or(100))}>
                        { for TEXT_SIZES.iter().map(|&size| option(&size.to_string(), &t.fill("text-size-value", &[("percent", &t.number(size.into()))]), size == settings.text_size)) }
                    </select>
                </label>
                { choice(t, "line-width", settings, |s| s.line_width, |s, v| s.line_width = v, &reader.onsettings) }
                { choice(t, "line-height", settings, |s| s.line_height, |s, v| s.line_height = v, &reader.onsettings) }
                { choice(t, "theme", settings, |s| s.theme, |s, v| s.theme = v, &reader.onsettings) }
                { choice(t, "script", settings, |s| s.script, |s, v| s.script = v, &reader.onsettings) }
                <p class="hint">{ t.text("script-hint") }</p>
            </div>
            <section class="reading" aria-labelledby="reading-title">
                <h3 id="reading-title">{ t.text("reading-title") }</h3>
                <p class="hint" data-testid="reading-counts">
                    { t.fill("reading-counts", &[("read", &t.number(marks.read_count())), ("starred", &t.number(marks.starred_count()))]) }
                </p>
                <div class="buttons">
                    <button data-testid="reading-export" onclick={onexport}>{ t.text("reading-export") }</button>
                    <label class="button">
                        { t.text("reading-import") }
                        <input type="file" accept="application/json,.json" class="sr-only" data-testid="reading-import" onchange={onimport} />
                    </label>
                    if *confirming {
                        <span role="alert">{ t.text("reading-clear-confirm") }</span>
                        <button class="danger" data-testid="reading-clear-confirm" onclick={onconfirm}>{ t.text("reading-clear") }</button>
                        <button onclick={oncancel}>{ t.text("cancel") }</button>
                    } else {
                        <button data-testid="reading-clear" onclick={onclear}>{ t.text("reading-clear") }</button>
                    }
                </div>
            </section>
        </Modal>
    }
}

/// The select of one setting's choices (`data-testid="setting-<key>"`), labelled by the
/// catalogue's `<key>`, each choice by `<key>-<name>`.
fn choice<C: Choice>(
    t: &Texts,
    key: &'static str,
    settings: Settings,
    get: fn(&Settings) -> C,
    set: fn(&mut Settings, C),
    onsettings: &Callback<Settings>,
) -> Html {
    let onchange = {
        let onsettings = onsettings.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(&picked) = C::ALL.iter().find(|c| c.name() == value) {
                let mut next = settings;
                set(&mut next, picked);
                onsettings.emit(next);
            }
        })
    };
    let current = get(&settings);
    html! {
        // i18n-keys: line-width, line-height, theme, script
        <label>{ t.text(key) }
            <select data-testid={format!("setting-{key}")} {onchange}>
                { for C::ALL.iter().map(|&c| {
                    let label = format!("{key}-{}", c.name());
                    // i18n-keys: line-width-narrow, line-width-medium, line-width-wide, line-height-compact, line-height-normal, line-height-relaxed, theme-system, theme-light, theme-dark, theme-sepia, script-original, script-simplified, script-traditional
                    html! { <option value={c.name()} selected={c == current}>{ t.text(&label) }</option> }
                }) }
            </select>
        </label>
    }
}
