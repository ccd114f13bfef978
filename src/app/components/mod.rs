//! Function components; the root ([`app::App`]) owns the reducer and provides the
//! [`crate::app::context::ReaderContext`] the others read.

pub mod app;
mod article;
mod filters;
mod list;
mod marked;
mod offline_status;
mod reader;
mod row;
mod safe_html;
mod status;
mod update_banner;
