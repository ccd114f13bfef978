//! Text search with exact semantics: a post matches a term if and only if its folded
//! title or folded text contains the folded term ([`fold`]).

mod fold;
mod index;
mod query;

pub use fold::{fold, fold_mapped};
pub use index::{highlights, rank, Hit, TextIndex};
pub use query::{Query, Term};
