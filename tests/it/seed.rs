//! The post the project was specified from (`../shared/corpus/seed/`), end to end.
//! Expectations that are article text are read out of the source file itself, so the
//! corpus's text is never copied into this repository.

use crate::common;

use newsreader::builder::build_archive;
use newsreader::text::html_to_text;

struct Seed {
    source: String,
    archive: newsreader::archive::Archive,
}

fn seed() -> Option<Seed> {
    let shared = common::shared_dir("seed")?;
    let files = common::read_posts(&shared.join("corpus/seed"));
    assert_eq!(files.len(), 1);
    let source = String::from_utf8(files[0].bytes.clone()).unwrap();
    let archive = build_archive(&files, "2026-01-01T00:00:00Z").archive;
    Some(Seed { source, archive })
}

/// Texts of the elements that open with `open` and close with `close`, in `html[from..to]`.
fn texts_between<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(open) {
        let after = &rest[start + open.len()..];
        let inner_start = after.find('>').map_or(0, |i| i + 1);
        let Some(end) = after[inner_start..].find(close) else { break };
        found.push(after[inner_start..inner_start + end].trim());
        rest = &after[inner_start + end..];
    }
    found
}

#[test]
fn seed_metadata_is_read_from_front_matter_and_header() {
    let Some(seed) = seed() else { return };
    let article = &seed.archive.articles[0];
    let title_line = seed.source.lines().find_map(|l| l.strip_prefix("title: ")).unwrap();
    assert_eq!(article.title, title_line.trim_matches('"'));
    assert_eq!(article.date, "2022-11-29T06:04:04+00:00");
    assert_eq!(article.ts, 1_669_701_844);
    assert_eq!(article.source, "(臺)中央社CNA");
    assert_eq!(article.url.as_deref(), Some("https://www.cna.com.tw/news/aopl/202211290145.aspx"));
    assert_eq!(article.categories, ["(臺)中央社CNA"]);
    assert_eq!(article.lang, "zh-Hant");
}

#[test]
fn seed_keyword_tags_become_tags() {
    let Some(seed) = seed() else { return };
    let keywords: Vec<String> = texts_between(&seed.source, "<div class='keywordTag'><a", "</a>")
        .into_iter()
        .map(|k| k.trim_start_matches('#').to_string())
        .collect();
    assert_eq!(keywords.len(), 3, "the seed has three keyword tags");
    let mut expected = vec!["(臺)中央社CNA".to_string()];
    expected.extend(keywords);
    assert_eq!(seed.archive.articles[0].tags, expected);
}

#[test]
fn seed_article_paragraphs_survive_intact() {
    let Some(seed) = seed() else { return };
    let article_part = &seed.source[..seed.source.find("articlekeywordGroup").unwrap()];
    let paragraphs = texts_between(article_part, "<p", "</p>");
    assert!(paragraphs.len() >= 10, "found {} paragraphs", paragraphs.len());
    let body = &seed.archive.bodies[0];
    let text = html_to_text(body);
    for paragraph in &paragraphs {
        assert!(text.contains(paragraph.trim()), "lost paragraph: {paragraph}");
    }
    assert_eq!(body.matches("<p>").count(), paragraphs.len(), "paragraph structure kept");
    assert!(seed.archive.articles[0].excerpt.starts_with(&paragraphs[0].chars().take(20).collect::<String>()));
}

#[test]
fn seed_chrome_is_gone() {
    let Some(seed) = seed() else { return };
    let (article_part, chrome_part) = seed.source.split_at(seed.source.find("articlekeywordGroup").unwrap());
    // Chrome texts that the article itself also says (a topic name, say) prove nothing.
    let chrome_texts: Vec<&str> = texts_between(chrome_part, "<span", "</span>")
        .into_iter()
        .chain(texts_between(chrome_part, "<a", "</a>"))
        .filter(|t| !t.is_empty() && !t.contains('<') && !article_part.contains(t))
        .collect();
    assert!(chrome_texts.len() >= 10, "the seed's carousel and more-articles block have many items");
    let body = &seed.archive.bodies[0];
    for text in chrome_texts {
        assert!(!body.contains(text), "chrome survived: {text}");
    }
    for marker in ["<img", "<svg", "<a ", "keyword", "carousel", "class=", "style="] {
        assert!(!body.contains(marker), "{marker} survived");
    }
    assert!(!body.contains("<!--"), "the epoch comment is gone");
    assert!(!body.contains(&seed.archive.articles[0].title), "the title is not repeated in the body");
}
