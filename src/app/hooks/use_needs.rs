//! Asking for shards that are not here yet: the one way a view says what it waits for.

use yew::prelude::*;

use crate::app::context::ReaderContext;
use crate::app::state::Needs;

/// The reader's shared data ([`ReaderContext`]), provided by the root component.
#[hook]
pub fn use_reader() -> ReaderContext {
    use_context::<ReaderContext>().expect("components of the reader are rendered inside its ContextProvider")
}

/// Asks for the shards of `wanted` that have not arrived, after the render that found
/// them missing (never during it), and again only when what is missing changes.
/// Returns what is missing now.
#[hook]
pub fn use_needs(wanted: Needs) -> Needs {
    let reader = use_reader();
    let missing = reader.fetched.missing(&reader.library, &wanted);
    {
        let onneed = reader.onneed.clone();
        use_effect_with(missing.clone(), move |missing| {
            if !missing.is_empty() {
                onneed.emit(missing.clone());
            }
        });
    }
    missing
}
