//! The app's hooks: what components compute from the shared state and the route.

mod use_needs;
mod use_results;
mod use_shortcuts;

pub use use_needs::{use_needs, use_reader};
pub use use_results::{bucket_needs, use_results, Results};
pub use use_shortcuts::{use_shortcuts, Shortcuts, KEYS};
