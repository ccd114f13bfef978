//! The reader's core: the archive format, the sanitizer policy, text extraction,
//! filtering and routing. Target-independent and free of I/O, so everything here is
//! tested natively with `cargo test` and shared by the CLI and the web app.
//!
//! The `builder` feature adds [`builder`], which turns post files (given as bytes) into
//! an archive; it is native-only weight (YAML, Markdown, HTML rewriting) and is
//! switched off for the wasm build.

pub mod archive;
pub mod catalog;
pub mod convert;
pub mod day;
pub mod filter;
pub mod i18n;
pub mod reading;
pub mod recent;
pub mod route;
pub mod sanitize;
pub mod search;
pub mod settings;
pub mod text;
pub mod timeline;
pub mod virtual_list;

#[cfg(feature = "builder")]
pub mod builder;

#[cfg(target_arch = "wasm32")]
pub mod app;
