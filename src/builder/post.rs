//! One file to one post, or to the reason it is not one.

use url::Url;
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use super::body::{self, Format};
use super::diagnostics::{Skip, Warning};
use super::{chrome, dates, frontmatter, lang};
use crate::archive::ArticleMeta;
use crate::sanitize::{sanitize, without_leading_bom, Images};
use crate::text;

const EXCERPT_CHARS: usize = 140;

/// One post, cleaned, before duplicates are merged.
pub struct Post {
    /// Everything but the body.
    pub meta: ArticleMeta,
    /// Sanitized HTML.
    pub body: String,
    /// Of title and text, to find the same article saved twice under different names.
    pub content_hash: u64,
    /// The number `meta.id` is the hex of: posts sort by it, as by the id (16 hex digits
    /// always), without comparing strings.
    pub id_hash: u64,
    /// Of `body`: a part or segment is known again by its posts' metadata and body hashes.
    pub body_hash: u128,
}

impl Post {
    /// Folds a duplicate into this post: its tags and categories are kept too.
    pub fn absorb(&mut self, other: Post) {
        for tag in other.meta.tags {
            if !self.meta.tags.contains(&tag) {
                self.meta.tags.push(tag);
            }
        }
        for category in other.meta.categories {
            if !self.meta.categories.contains(&category) {
                self.meta.categories.push(category);
            }
        }
    }
}

/// The post in the file at `path` (as diagnostics name it) holding `bytes`.
pub fn parse(path: &str, bytes: &[u8]) -> (Result<Post, Skip>, Vec<Warning>) {
    let mut warnings = Vec::new();
    let post = parse_into(path, bytes, &mut warnings);
    (post, warnings)
}

fn parse_into(path: &str, bytes: &[u8], warnings: &mut Vec<Warning>) -> Result<Post, Skip> {
    let file_name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let extension = file_name.rsplit_once('.').map_or("", |(_, ext)| ext);
    let format = Format::from_extension(extension).ok_or_else(|| Skip::NotAPost(extension.to_string()))?;

    let text = decode(bytes, warnings);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_string() };

    let split = frontmatter::split(&text, warnings)?;
    let front = frontmatter::parse(split.yaml, 2)?;
    let mut body = body::render(split.body, format);
    if body.html.trim().is_empty() {
        // Index cards (`layout: default`) carry their text in `description`.
        if let Some(description) = &front.description {
            body.html = description.clone();
        }
    }

    let title = front.title.clone().ok_or(Skip::NoTitle)?;
    let url = [front.from.as_deref(), body.header_url.as_deref()]
        .into_iter()
        .flatten()
        .find_map(|candidate| web_url(candidate, warnings));
    let date = post_date(front.date.as_deref(), body.epoch_ms, file_name, warnings)?;
    let source = front
        .author
        .clone()
        .or_else(|| url.as_ref().and_then(Url::host_str).map(|h| h.trim_start_matches("www.").to_string()))
        .or_else(|| front.categories.first().cloned())
        .unwrap_or_else(|| "unknown".to_string());

    let rules = chrome::rules_for(url.as_ref(), &source, &front.categories);
    let stripped = chrome::strip(&body.html, url.as_ref(), &rules);
    if let Some(why) = &stripped.failure {
        warnings.push(Warning::ChromeKept(why.clone()));
    }
    let html = drop_empty_wrappers(sanitize(&stripped.html, Images::Allowed));
    let plain = text::html_to_text(&html);

    let mut tags = front.tags;
    for tag in stripped.tags {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let excerpt_text = plain.strip_prefix(title.as_str()).unwrap_or(&plain).trim_start();
    let key = url.as_ref().map_or(path, Url::as_str);
    let id_hash = xxh3_64(key.as_bytes());
    let meta = ArticleMeta {
        id: format!("{id_hash:016x}"),
        lang: lang::detect(&format!("{title} {excerpt_text}")).to_string(),
        excerpt: text::excerpt(excerpt_text, EXCERPT_CHARS),
        title,
        date: date.rfc3339,
        ts: date.ts,
        source,
        url: url.map(String::from),
        tags,
        categories: front.categories,
    };
    let content_hash = xxh3_64(format!("{}\0{}", meta.title, plain).as_bytes());
    let body_hash = xxh3_128(html.as_bytes());
    Ok(Post { meta, body: html, content_hash, id_hash, body_hash })
}

fn decode(bytes: &[u8], warnings: &mut Vec<Warning>) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(error) => {
            warnings.push(Warning::InvalidUtf8 { offset: error.valid_up_to() });
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

/// The original article's address, if it is one a reader can safely open.
fn web_url(candidate: &str, warnings: &mut Vec<Warning>) -> Option<Url> {
    match Url::parse(candidate.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url),
        _ => {
            warnings.push(Warning::UnsafeUrl(candidate.to_string()));
            None
        }
    }
}

fn post_date(
    front: Option<&str>,
    epoch_ms: Option<i64>,
    file_name: &str,
    warnings: &mut Vec<Warning>,
) -> Result<dates::PostDate, Skip> {
    if let Some(date) = front.and_then(dates::parse_front_matter_date) {
        return Ok(date);
    }
    let (fallback, used) = match epoch_ms.and_then(dates::parse_epoch_ms) {
        Some(date) => (Some(date), "<!--epoch-ms--> comment"),
        None => (dates::parse_file_name_date(file_name), "file name"),
    };
    let fallback = fallback.ok_or(Skip::NoDate)?;
    warnings.push(match front {
        Some(text) => Warning::UnreadableDate(text.to_string(), used.to_string()),
        None => Warning::DateFromFallback(used.to_string()),
    });
    Ok(fallback)
}

/// Removes elements left with nothing inside once chrome is gone (`<div><div></div></div>`).
/// Works on sanitizer output, whose tags are canonical, and repeats until nothing changes;
/// what it returns is sanitizer output still (a byte order mark it leaves first goes too).
fn drop_empty_wrappers(mut html: String) -> String {
    const WRAPPERS: &[&str] = &["div", "span", "p", "b", "i", "em", "strong", "figure", "figcaption", "li", "ul", "a"];
    loop {
        let before = html.len();
        for tag in WRAPPERS {
            let open = format!("<{tag}>");
            if !html.contains(&open) {
                continue;
            }
            let close = format!("</{tag}>");
            let mut out = String::with_capacity(html.len());
            let mut rest = html.as_str();
            while let Some(start) = rest.find(&open) {
                let inner_start = start + open.len();
                let after_space = rest[inner_start..].trim_start();
                if after_space.starts_with(&close) {
                    out.push_str(&rest[..start]);
                    rest = &after_space[close.len()..];
                } else {
                    out.push_str(&rest[..inner_start]);
                    rest = &rest[inner_start..];
                }
            }
            out.push_str(rest);
            html = out;
        }
        if html.len() == before {
            return without_leading_bom(html);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by tests/it/props.rs: a table before a setext heading, with byte order marks.
    #[test]
    fn a_body_whose_empty_wrappers_are_cut_is_still_sanitizer_output() {
        let text = "---\ntitle: t\n---\n\u{feff}<table><tr><td></td></tr>[標題](https://www.cna.com.tw/news/1.aspx)\n------\n\u{feff}\n---\n";
        let body = parse("2020-03-09-a.md", text.as_bytes()).0.unwrap().body;
        assert_eq!(sanitize(&body, Images::Allowed), body);
    }

    /// Found by tests/it/props.rs: the empty paragraph that was all before a byte order mark.
    #[test]
    fn a_byte_order_mark_left_first_by_cutting_an_empty_paragraph_goes_too() {
        let text = "---\ntitle: t\n<p>title: \n---\n</p>\u{feff}";
        let body = parse("2020-03-09-a.md", text.as_bytes()).0.unwrap().body;
        assert_eq!(sanitize(&body, Images::Allowed), body);
        assert_eq!(drop_empty_wrappers("<p></p>\u{feff}<p>x</p>".into()), "<p>x</p>");
    }

    #[test]
    fn empty_wrappers_go_nested_or_not() {
        assert_eq!(drop_empty_wrappers("<div><div> </div><p>x</p><span></span></div>".into()), "<div><p>x</p></div>");
        assert_eq!(drop_empty_wrappers("<div>\n<div></div>\n</div>".into()), "");
        assert_eq!(drop_empty_wrappers("<p><img alt=\"a\"></p>".into()), "<p><img alt=\"a\"></p>");
    }
}
