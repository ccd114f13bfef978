//! Text search with exact semantics: a post matches a term if and only if its folded
//! title or folded text contains the folded term ([`fold`]).

mod fold;
mod query;

pub use fold::fold;
pub use query::{Query, Term};
