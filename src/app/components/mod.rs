pub mod app;
mod article;
mod filters;
mod keys;
mod list;
mod marked;
mod reader;
pub mod safe_html;
mod status;
