//! The only way HTML from an archive reaches the DOM.

use std::rc::Rc;

use yew::prelude::*;

use crate::app::sanitizer::{self, SanitizerError};
use crate::sanitize::Images;

/// An article body as the page may show it.
#[derive(PartialEq)]
pub enum SafeHtml {
    /// Sanitized, as nodes.
    Ready(Html),
    /// The sanitizer module is still on its way.
    Loading,
    /// The body cannot be shown: nothing of it reaches the page.
    Failed(SanitizerError),
}

/// `untrusted` sanitized under the one policy and turned into nodes, once the sanitizer
/// is here (the first time, the component renders again when it arrives), and a callback
/// that tries to load it again after a failure. Archives are cleaned when built, but the
/// reader does not trust that: the file may come from anywhere, and the policy here decides.
#[hook]
pub fn use_sanitized_html(untrusted: AttrValue, images: Images) -> (Rc<SafeHtml>, Callback<()>) {
    // How this component's own wait for the module ended (each article tries again).
    let loaded = use_state(|| None::<Result<(), SanitizerError>>);
    let body = use_memo((untrusted, images, (*loaded).clone()), |(untrusted, images, loaded)| {
        match (sanitizer::now(untrusted, *images), loaded) {
            (Some(Ok(clean)), _) => SafeHtml::Ready(Html::from_html_unchecked(AttrValue::from(clean))),
            (Some(Err(error)), _) => SafeHtml::Failed(error),
            (None, Some(Err(error))) => SafeHtml::Failed(error.clone()),
            (None, _) => SafeHtml::Loading,
        }
    });
    let waiting = matches!(*body, SafeHtml::Loading);
    {
        let loaded = loaded.clone();
        use_effect_with(waiting, move |&waiting| {
            if waiting {
                wasm_bindgen_futures::spawn_local(async move { loaded.set(Some(sanitizer::load().await)) });
            }
        });
    }
    let onretry = Callback::from(move |()| loaded.set(None));
    (body, onretry)
}
