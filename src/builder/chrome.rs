//! Removing what is not the article: the original site's navigation, ads, carousels
//! and keyword blocks. Site knowledge is data ([`SITE_RULES`]), applied with one
//! streaming pass of `lol_html` before the sanitizer runs.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

use lol_html::html_content::{Element, TextChunk};
use lol_html::{ElementContentHandlers, HtmlRewriter, MemorySettings, Selector, Settings};
use url::Url;

/// What the builder knows about one site's page chrome.
pub struct SiteRule {
    /// For diagnostics and the docs.
    pub name: &'static str,
    /// The rule applies to posts whose original URL's host ends with one of these…
    pub hosts: &'static [&'static str],
    /// …or whose source or a category contains one of these (case-insensitive),
    /// for mirrors that do not keep the original URL.
    pub sources: &'static [&'static str],
    /// Elements that are chrome, removed with their content.
    pub remove: &'static [&'static str],
    /// Links whose text is a keyword of the article: it becomes a tag (without a leading `#`).
    pub tag_links: &'static [&'static str],
}

/// The sites the builder knows the chrome of.
pub const SITE_RULES: &[SiteRule] = &[
    SiteRule {
        name: "CNA",
        hosts: &["cna.com.tw"],
        sources: &["中央社", "cna"],
        remove: &[
            ".articlekeywordGroup",
            ".moreArticle",
            ".bottomBox",
            ".topNews",
            "#TopNews",
            ".topNewsTitle",
            ".shareBar",
        ],
        tag_links: &[".keywordTag a"],
    },
    SiteRule {
        name: "BBC",
        hosts: &["bbc.com", "bbc.co.uk"],
        sources: &["bbc"],
        remove: &[".bbccom_slot", ".bbccom_advert", ".off-screen", ".story-more", ".share", ".tags-container"],
        tag_links: &[".tags-list a"],
    },
    SiteRule {
        name: "Asahi",
        hosts: &["asahi.com"],
        sources: &["asahi", "朝日"],
        remove: &[".ad", ".relatedArticle", ".snsBtn", ".Pagination"],
        tag_links: &[],
    },
];

/// Chrome on any site: code, forms, navigation, ad slots, and what the page itself hid.
#[rustfmt::skip]
const GENERIC_REMOVE: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "form", "nav", "link", "meta", "base",
    "[hidden]", "[aria-hidden=\"true\"]", "[style*=\"display: none\"]", "[style*=\"display:none\"]",
    "[class~=\"ad\"]", "[class~=\"ads\"]", "[class*=\"advert\"]", "[id*=\"advert\"]",
    "ins.adsbygoogle", ".sr-only", ".visually-hidden",
];

struct Compiled {
    generic: Selector,
    sites: Vec<(Option<Selector>, Option<Selector>)>,
    urls: Selector,
}

fn selector(list: &[&str]) -> Option<Selector> {
    (!list.is_empty()).then(|| list.join(", ").parse().expect("built-in selectors parse"))
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| Compiled {
        generic: selector(GENERIC_REMOVE).expect("not empty"),
        sites: SITE_RULES.iter().map(|r| (selector(r.remove), selector(r.tag_links))).collect(),
        urls: "a[href], img".parse().expect("parses"),
    })
}

/// The rules that apply to a post, by its original URL, source and categories.
pub fn rules_for(url: Option<&Url>, source: &str, categories: &[String]) -> Vec<usize> {
    let host = url.and_then(Url::host_str).unwrap_or("");
    let names: Vec<String> =
        std::iter::once(source).chain(categories.iter().map(String::as_str)).map(str::to_lowercase).collect();
    SITE_RULES
        .iter()
        .enumerate()
        .filter(|(_, rule)| {
            rule.hosts.iter().any(|h| host == *h || host.ends_with(&format!(".{h}")))
                || rule.sources.iter().any(|s| names.iter().any(|n| n.contains(&s.to_lowercase())))
        })
        .map(|(i, _)| i)
        .collect()
}

/// A body with the chrome taken out.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stripped {
    /// The HTML left (not yet sanitized).
    pub html: String,
    /// Keywords found by the site rules' `tag_links`, in order, without duplicates.
    pub tags: Vec<String>,
    /// Why the rewriter gave up, if it did: `html` is then the input, chrome and all.
    pub failure: Option<String>,
}

/// Removes chrome, turns keyword links into tags, promotes lazy-loaded `data-src`
/// images, and makes URLs absolute against the original article's URL (protocol-relative
/// ones become `https:`), since the sanitizer drops every relative URL.
pub fn strip(html: &str, base: Option<&Url>, rules: &[usize]) -> Stripped {
    strip_within(html, base, rules, REWRITER_MEMORY)
}

/// What the rewriter may buffer for one post: far beyond any real page, but a bound on
/// what a hostile one can make it hold.
const REWRITER_MEMORY: usize = 256 << 20;

fn strip_within(html: &str, base: Option<&Url>, rules: &[usize], memory: usize) -> Stripped {
    let compiled = compiled();
    let tags = RefCell::new(Vec::<String>::new());
    let mut handlers: Vec<(Cow<'_, Selector>, ElementContentHandlers<'_>)> = Vec::new();

    for &rule in rules {
        let (remove, tag_links) = &compiled.sites[rule];
        if let Some(tag_links) = tag_links {
            handlers.push((
                Cow::Borrowed(tag_links),
                ElementContentHandlers::default()
                    .element(|_: &mut Element| {
                        tags.borrow_mut().push(String::new());
                        Ok(())
                    })
                    .text(|chunk: &mut TextChunk| {
                        if let Some(last) = tags.borrow_mut().last_mut() {
                            last.push_str(chunk.as_str());
                        }
                        Ok(())
                    }),
            ));
        }
        if let Some(remove) = remove {
            handlers.push((Cow::Borrowed(remove), remove_element()));
        }
    }
    handlers.push((Cow::Borrowed(&compiled.generic), remove_element()));
    handlers.push((
        Cow::Borrowed(&compiled.urls),
        ElementContentHandlers::default().element(move |el: &mut Element| {
            let attribute = if el.tag_name() == "a" { "href" } else { "src" };
            // Lazy-loading pages keep the real image in data-src and a blank in src.
            let value =
                el.get_attribute(attribute).filter(|v| !v.trim().is_empty()).or_else(|| el.get_attribute("data-src"));
            if let Some(value) = value {
                match absolute(&decode(&value), base) {
                    Some(url) => el.set_attribute(attribute, &url)?,
                    None => el.remove_attribute(attribute),
                }
            }
            Ok(())
        }),
    ));

    // Not strict: strict mode refuses markup whose parsing it finds ambiguous (a `<style>`
    // after a `<frameset>`, say) where a browser just parses on; the sanitizer re-parses
    // whatever comes out with html5ever anyway.
    let settings = handlers.into_iter().fold(
        Settings::new()
            .with_strict(false)
            .with_memory_settings(MemorySettings::new().with_max_allowed_memory_usage(memory)),
        |settings, handler| settings.append_element_content_handler(handler),
    );
    let mut rewritten = Vec::with_capacity(html.len());
    let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| rewritten.extend_from_slice(chunk));
    // Streamed in pieces, as from a file: what the rewriter holds is what one token spans.
    let result =
        html.as_bytes().chunks(16 * 1024).try_for_each(|piece| rewriter.write(piece)).and_then(|()| rewriter.end());
    let (html, failure) = match result.map(|()| String::from_utf8(rewritten)) {
        Ok(Ok(rewritten)) => (rewritten, None),
        Ok(Err(error)) => (html.to_string(), Some(format!("the rewriter wrote bytes that are not UTF-8: {error}"))),
        Err(error) => (html.to_string(), Some(error.to_string())),
    };
    let mut tags: Vec<String> = tags
        .into_inner()
        .into_iter()
        .map(|t| decode(&t).trim().trim_start_matches(['#', '＃']).trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let mut seen = std::collections::HashSet::new();
    tags.retain(|t| seen.insert(t.clone()));
    Stripped { html, tags, failure }
}

fn remove_element<'h>() -> ElementContentHandlers<'h> {
    ElementContentHandlers::default().element(|el: &mut Element| {
        el.remove();
        Ok(())
    })
}

fn decode(text: &str) -> String {
    html_escape::decode_html_entities(text).into_owned()
}

/// An absolute URL for `value`, or `None` if it cannot be made one.
fn absolute(value: &str, base: Option<&Url>) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(url) = Url::parse(value) {
        return Some(url.into());
    }
    if let Some(rest) = value.strip_prefix("//") {
        return Url::parse(&format!("https://{rest}")).ok().map(Into::into);
    }
    base.and_then(|b| b.join(value).ok()).map(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cna() -> Vec<usize> {
        rules_for(Some(&Url::parse("https://www.cna.com.tw/news/a/1.aspx").unwrap()), "", &[])
    }

    #[test]
    fn chooses_rules_by_host_or_source() {
        assert_eq!(cna(), [0]);
        assert_eq!(rules_for(None, "rss", &["bbc".into()]), [1]);
        assert_eq!(rules_for(None, "(臺)中央社CNA", &[]), [0]);
        assert!(rules_for(Some(&Url::parse("https://notcna.com.tw.example/").unwrap()), "x", &[]).is_empty());
    }

    #[test]
    fn keyword_blocks_become_tags_and_disappear() {
        let html = "<p>正文</p><div class='articlekeywordGroup'><div class='keywordTag'><a href='/tag/x?q=俄軍'>#俄軍</a></div><div class='keywordTag'><a href='/t'>#A&amp;B</a></div></div>";
        let stripped = strip(html, None, &cna());
        assert_eq!(stripped.tags, ["俄軍", "A&B"]);
        assert_eq!(stripped.html, "<p>正文</p>");
    }

    #[test]
    fn generic_rules_apply_to_every_site() {
        let html = "<p>a</p><script>x()</script><div class=\"ad\">buy</div><div style='display: none'>hidden</div><nav>menu</nav><p>b</p>";
        assert_eq!(strip(html, None, &[]).html, "<p>a</p><p>b</p>");
    }

    #[test]
    fn urls_become_absolute_against_the_original() {
        let base = Url::parse("https://www.cna.com.tw/news/aopl/1.aspx").unwrap();
        let html = "<a href='/list/x.aspx'>x</a><img src='//img.example.com/a.jpg'><img data-src='pic.jpg'>";
        let stripped = strip(html, Some(&base), &[]);
        assert_eq!(
            stripped.html,
            "<a href=\"https://www.cna.com.tw/list/x.aspx\">x</a><img src=\"https://img.example.com/a.jpg\"><img data-src='pic.jpg' src=\"https://www.cna.com.tw/news/aopl/pic.jpg\">"
        );
    }

    #[test]
    fn relative_urls_without_a_base_are_dropped() {
        assert_eq!(strip("<a href='/x'>x</a>", None, &[]).html, "<a>x</a>");
    }

    /// Markup that lol_html's strict mode refuses (a frameset, then a style element):
    /// the chrome must still go and the lazy image must still get its `src`.
    #[test]
    fn markup_strict_mode_refuses_is_still_cleaned() {
        let html = "<img data-src=\"https://img.example.com/a.jpg\" class=\"lazy\" alt=\"A harbour\"><div class=\"ad\">buy</div><frameset><frame src=\"x\"></frameset><style>p{}</style><p>text</p>";
        let stripped = strip(html, None, &[]);
        assert_eq!(stripped.failure, None);
        assert!(stripped.html.contains("src=\"https://img.example.com/a.jpg\""), "{}", stripped.html);
        assert!(!stripped.html.contains("buy") && !stripped.html.contains("p{}"), "{}", stripped.html);
    }

    #[test]
    fn a_rewriter_failure_keeps_the_input_and_says_why() {
        // One tag longer than the memory allowed: it spans pieces, so it is buffered whole.
        let html = format!("<p class='{}'>text</p>", "x".repeat(64 * 1024));
        let stripped = strip_within(&html, None, &[], 4096);
        assert_eq!(stripped.html, html);
        assert!(stripped.failure.as_deref().is_some_and(|why| why.contains("memory")), "{:?}", stripped.failure);
    }
}
