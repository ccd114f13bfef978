//! The integration tests, linked as one binary: seven separate ones took longer to link
//! than to run on a two-core machine.

mod common;
mod harmless;

mod builder_variants;
mod bundle;
mod cli;
mod convert;
mod corpus;
mod fold;
mod golden;
mod i18n;
mod incremental;
mod portable;
mod props;
mod sanitizer_payloads;
mod search_exactness;
mod seed;
mod tidy;
