//! Every front-matter and file variant in tests/data/posts, through the whole builder.

use crate::common;

use newsreader::builder::{build_archive, BuildOutput, Severity};

fn build() -> BuildOutput {
    build_archive(&common::read_posts(&common::manifest_dir().join("tests/data/posts")), "2026-01-01T00:00:00Z")
}

struct Archived {
    file: &'static str,
    title: &'static str,
    date: &'static str,
    source: &'static str,
    tags: &'static [&'static str],
    categories: &'static [&'static str],
    url: Option<&'static str>,
    warning: Option<&'static str>,
}

const ARCHIVED: &[Archived] = &[
    Archived {
        file: "2022-11-29-iso-z.txt",
        title: "路透：熱線只通話1次",
        date: "2022-11-29T06:04:04+00:00",
        source: "(臺)中央社CNA",
        tags: &["(臺)中央社CNA", "熱線"],
        categories: &["(臺)中央社CNA"],
        url: Some("https://www.cna.com.tw/news/aopl/209911290001.aspx"),
        warning: None,
    },
    Archived {
        file: "2020-03-09-17-04-30-offset.md",
        title: "足總部分賽事閉門作賽　加強措施",
        date: "2020-03-09T17:04:30+08:00",
        source: "rss",
        tags: &[],
        categories: &["rss"],
        url: None,
        warning: None,
    },
    Archived {
        file: "2021-01-01-date-only.md",
        title: "Date only",
        date: "2021-01-01T00:00:00+00:00",
        source: "news",
        tags: &["economy", "ports", "shipping"],
        categories: &["news", "business"],
        url: None,
        warning: None,
    },
    Archived {
        file: "2020-03-10-11-20-no-date.html",
        title: "沒有日期",
        date: "2020-03-10T00:00:00+00:00",
        source: "rss",
        tags: &[],
        categories: &["rss"],
        url: None,
        warning: Some("no date in the front matter; the file name was used"),
    },
    Archived {
        file: "2026-05-10-block-list-copy.md",
        title: "Block list tags",
        date: "2026-05-10T08:00:00+01:00",
        source: "The Harbour Ledger",
        tags: &["economy", "harbour", "ports"],
        categories: &[],
        url: Some("https://harbourledger.example.com/2026/05/block"),
        warning: None,
    },
    Archived {
        file: "2026-05-11-unsafe-from.md",
        title: "Unsafe from",
        date: "2026-05-11T00:00:00+00:00",
        source: "unknown",
        tags: &[],
        categories: &[],
        url: None,
        warning: Some("is not an http(s) URL"),
    },
    Archived {
        file: "2026-05-12-unclosed.md",
        title: "Unclosed front matter",
        date: "2026-05-12T00:00:00+00:00",
        source: "unknown",
        tags: &[],
        categories: &[],
        url: None,
        warning: Some("no closing `---`"),
    },
    Archived {
        file: "2026-04-02-bom-crlf.md",
        title: "BOM and CRLF",
        date: "2026-04-02T09:30:00+01:00",
        source: "The Harbour Ledger",
        tags: &[],
        categories: &[],
        url: None,
        warning: None,
    },
    Archived {
        file: "2026-04-03-invalid-utf8.md",
        title: "Invalid bytes",
        date: "2026-04-03T00:00:00+00:00",
        source: "unknown",
        tags: &[],
        categories: &[],
        url: None,
        warning: Some("not valid UTF-8 (first bad byte at offset"),
    },
    Archived {
        file: "2026-05-15-frameset-lazy-image.html",
        title: "Frameset and lazy image",
        date: "2026-05-15T07:30:00+01:00",
        source: "The Harbour Ledger",
        tags: &[],
        categories: &[],
        url: Some("https://harbourledger.example.com/2026/05/frameset"),
        warning: None,
    },
    Archived {
        file: "2021-01-01-index-card.md",
        title: "🄰🅱🅲",
        date: "2021-01-01T00:00:00+00:00",
        source: "unknown",
        tags: &[],
        categories: &[],
        url: None,
        warning: None,
    },
];

/// (file, line, reason) of every file that must be skipped.
const SKIPPED: &[(&str, Option<usize>, &str)] = &[
    ("2026-05-13-bad-yaml.md", Some(4), "front matter is not valid YAML"),
    ("2026-05-14-no-title.md", None, "no title"),
    ("no-front-matter.md", Some(1), "no front matter"),
    ("undated-name.md", None, "no date"),
    ("image.png", None, "not a post"),
];

/// lol_html's strict mode refused this markup, and the post kept its chrome with no
/// diagnostic: now the chrome goes and the lazy image gets its `src`.
#[test]
fn markup_the_streaming_rewriter_finds_ambiguous_is_cleaned_like_any_other() {
    let output = build();
    let archive = &output.archive;
    let at = archive.articles.iter().position(|a| a.title == "Frameset and lazy image").unwrap();
    let body = &archive.bodies[at];
    assert!(
        body.contains(r#"<img alt="The quay at dawn" src="https://img.harbourledger.example.com/quay.jpg">"#),
        "{body}"
    );
    for chrome in ["Advertisement", "newsletter", "color:red", "frame"] {
        assert!(!body.contains(chrome), "{chrome} kept: {body}");
    }
    assert!(body.contains("The harbour reopened at dawn."));
    assert!(!output.diagnostics.iter().any(|d| d.file.contains("frameset")), "{:?}", output.diagnostics);
}

#[test]
fn every_variant_is_archived_with_the_right_fields() {
    let output = build();
    for expected in ARCHIVED {
        let article = output
            .archive
            .articles
            .iter()
            .find(|a| a.title == expected.title)
            .unwrap_or_else(|| panic!("{} is not in the archive", expected.file));
        assert_eq!(article.date, expected.date, "{}", expected.file);
        assert_eq!(article.source, expected.source, "{}", expected.file);
        assert_eq!(article.tags, expected.tags, "{}", expected.file);
        assert_eq!(article.categories, expected.categories, "{}", expected.file);
        assert_eq!(article.url.as_deref(), expected.url, "{}", expected.file);
        let warnings: Vec<_> = output
            .diagnostics
            .iter()
            .filter(|d| d.file == expected.file && d.severity == Severity::Warning)
            .map(|d| d.reason.as_str())
            .collect();
        match expected.warning {
            Some(text) => assert!(warnings.iter().any(|w| w.contains(text)), "{}: {warnings:?}", expected.file),
            None => assert!(warnings.is_empty(), "{}: {warnings:?}", expected.file),
        }
    }
}

#[test]
fn every_bad_file_is_reported_with_its_reason_and_line() {
    let output = build();
    for (file, line, reason) in SKIPPED {
        let diagnostic =
            output.diagnostics.iter().find(|d| d.file == *file).unwrap_or_else(|| panic!("{file} is not reported"));
        assert_eq!(diagnostic.severity, Severity::Skipped, "{file}");
        assert_eq!(diagnostic.line, *line, "{file}");
        assert!(diagnostic.reason.contains(reason), "{file}: {}", diagnostic.reason);
    }
}

#[test]
fn duplicates_by_url_are_merged_and_their_tags_kept() {
    let output = build();
    let merged: Vec<_> = output.diagnostics.iter().filter(|d| d.severity == Severity::Merged).collect();
    assert_eq!(merged.len(), 1, "{merged:?}");
    assert_eq!(merged[0].file, "2026-05-10-block-list.markdown");
    assert!(merged[0].reason.contains("same original URL as 2026-05-10-block-list-copy.md"), "{}", merged[0].reason);
}

#[test]
fn nothing_is_lost_silently() {
    let output = build();
    let c = output.archive.counts;
    assert_eq!(c.read as usize, common::read_posts(&common::manifest_dir().join("tests/data/posts")).len());
    assert_eq!(c.archived + c.skipped + c.merged, c.read);
    assert_eq!(c.skipped as usize, SKIPPED.len());
    assert_eq!(c.archived as usize, ARCHIVED.len());
}

#[test]
fn markdown_bodies_are_rendered_and_link_headers_dropped() {
    let output = build();
    let body = |title: &str| {
        let i = output.archive.articles.iter().position(|a| a.title == title).unwrap();
        output.archive.bodies[i].clone()
    };
    assert_eq!(body("Block list tags"), "<h1>Heading</h1>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n");
    assert_eq!(body("路透：熱線只通話1次"), "<div><p>第一段。</p></div>\n");
    assert_eq!(body("BOM and CRLF"), "<p>First line.</p>\n<p>Second paragraph.</p>\n");
    assert_eq!(body("Invalid bytes"), "<p>Before \u{fffd}\u{fffd} after.</p>\n");
    assert_eq!(body("🄰🅱🅲"), "<hr>An index card with <b>HTML</b> in its description.");
}

#[test]
fn articles_are_newest_first_and_facets_count_them() {
    let archive = build().archive;
    assert!(archive.articles.windows(2).all(|w| w[0].ts >= w[1].ts));
    let days: u32 = archive.facets.days.iter().map(|d| d.count).sum();
    assert_eq!(days as usize, archive.articles.len());
    let sources: u32 = archive.facets.sources.iter().map(|d| d.count).sum();
    assert_eq!(sources as usize, archive.articles.len());
    let economy = archive.facets.tags.iter().find(|t| t.name == "economy").unwrap();
    assert_eq!(economy.count, 2);
}

#[test]
fn a_file_that_cannot_be_read_is_skipped_and_reported_not_fatal() {
    let files = common::read_posts(&common::manifest_dir().join("tests/data/posts"));
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let unreadable = paths.iter().position(|p| p.ends_with(".md")).expect("a Markdown post");
    let read = |i: usize| if i == unreadable { Err("permission denied".to_string()) } else { Ok(&files[i].bytes) };
    let streamed = newsreader::builder::Build::new(paths.clone(), None, &read, "2026-01-01T00:00:00Z").take_output();
    let whole = build_archive(&files, "2026-01-01T00:00:00Z");

    assert_eq!(streamed.archive.counts.read, whole.archive.counts.read);
    assert_eq!(streamed.archive.counts.skipped, whole.archive.counts.skipped + 1);
    let reported: Vec<_> = streamed.diagnostics.iter().filter(|d| d.file == paths[unreadable]).collect();
    assert_eq!(reported.len(), 1, "{reported:?}");
    assert_eq!(reported[0].severity, Severity::Skipped);
    assert!(reported[0].reason.contains("could not be read: permission denied"), "{}", reported[0].reason);
}
