//! Function components; the root ([`app::App`]) owns the reducer and provides the
//! [`crate::app::context::ReaderContext`] the others read.

pub mod app;
mod article;
mod dialogs;
mod filters;
mod library;
mod list;
mod marked;
mod notices;
mod offline_status;
mod reader;
mod row;
mod safe_html;
mod search_box;
mod status;
mod timeline;
mod update_banner;
mod views;

pub use status::describe as describe_error;
