//! The whole real corpus (../shared/corpus: the seed, news0, news1), through the builder.

use crate::common;

use std::collections::{HashMap, HashSet};

use newsreader::archive::Archive;
use newsreader::builder::{build_archive, BuildOutput, Severity};
use newsreader::sanitize::{sanitize, Images};

/// Built once and shared by the tests of this file.
fn build() -> Option<&'static (usize, BuildOutput)> {
    static BUILT: std::sync::OnceLock<Option<(usize, BuildOutput)>> = std::sync::OnceLock::new();
    BUILT.get_or_init(build_corpus).as_ref()
}

fn build_corpus() -> Option<(usize, BuildOutput)> {
    let dirs = common::unpacked_corpus("corpus")?;
    let mut files = Vec::new();
    for dir in dirs {
        let label = format!("{}/", dir.file_name().unwrap().to_string_lossy());
        files.extend(common::read_posts_as(&dir, &label));
    }
    let read = files.len();
    Some((read, build_archive(&files, "2026-01-01T00:00:00Z")))
}

#[test]
fn every_corpus_file_is_archived_reported_or_merged() {
    let Some((read, output)) = build() else { return };
    let read = *read;
    let counts = output.archive.counts;
    assert_eq!(read, 1 + 26_147 + 1_560, "the corpus README's counts");
    assert_eq!(counts.read as usize, read);
    assert_eq!(counts.archived + counts.skipped + counts.merged, counts.read);
    assert_eq!(counts.archived as usize, output.archive.articles.len());

    let mut reported: HashMap<Severity, HashSet<&str>> = HashMap::new();
    for diagnostic in &output.diagnostics {
        reported.entry(diagnostic.severity).or_default().insert(&diagnostic.file);
    }
    let count = |severity| reported.get(&severity).map_or(0, HashSet::len);
    assert_eq!(count(Severity::Skipped), counts.skipped as usize, "each skipped file is reported once");
    assert_eq!(count(Severity::Merged), counts.merged as usize, "each merged file is reported once");
    // The README: 51 posts have no date, only the file name has one.
    let dated_by_name = output.diagnostics.iter().filter(|d| d.reason.contains("the file name was used")).count();
    assert_eq!(dated_by_name, 51);
}

#[test]
fn corpus_ids_are_unique_and_bodies_are_clean() {
    let Some((_, output)) = build() else { return };
    let archive = &output.archive;
    let ids: HashSet<&str> = archive.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), archive.articles.len());
    for (article, body) in archive.articles.iter().zip(&archive.bodies) {
        assert!(!article.title.is_empty());
        assert_eq!(&sanitize(body, Images::Allowed), body, "{} is stored sanitized", article.id);
        assert!(!body.contains(" src=\"//") && !body.contains(" href=\"/"), "{}: relative URL kept", article.id);
    }
    let with_text = archive.articles.iter().filter(|a| !a.excerpt.is_empty()).count();
    assert!(with_text * 100 >= archive.articles.len() * 99, "almost every post has text: {with_text}");
}

#[test]
fn corpus_archive_round_trips_through_json() {
    let Some((_, output)) = build() else { return };
    let json = output.archive.to_json();
    assert_eq!(Archive::parse("archive.json", json.as_bytes()).unwrap(), output.archive);
}
