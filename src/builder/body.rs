//! From a post's body text to (uncleaned) HTML, recognising the header lines that
//! mirror tools put above the article.

use pulldown_cmark::{html, Options, Parser};

/// How a post body is written, by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `.md`, `.markdown`, `.txt`: CommonMark, raw HTML passed through.
    Markdown,
    /// `.html`, `.htm`: HTML as is (or plain text, when it has no tags).
    Html,
}

impl Format {
    /// By file extension; `None` for files that are not posts.
    pub fn from_extension(extension: &str) -> Option<Format> {
        match extension.to_ascii_lowercase().as_str() {
            "md" | "markdown" | "txt" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// A body rendered to HTML (not yet cleaned), and what its header lines said.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Body {
    /// Uncleaned HTML.
    pub html: String,
    /// From a leading `<!--1669701844000-->` comment.
    pub epoch_ms: Option<i64>,
    /// From a leading `[title](url)` line underlined with dashes.
    pub header_url: Option<String>,
}

/// Renders a post body in `format`, first taking off the header lines mirror tools add.
pub fn render(text: &str, format: Format) -> Body {
    let (epoch_ms, text) = take_epoch_comment(text);
    let (header_url, text) = take_link_header(text);
    let html = match format {
        Format::Markdown => markdown_to_html(text),
        Format::Html if looks_like_html(text) => text.to_string(),
        Format::Html => paragraphs_to_html(text),
    };
    Body { html, epoch_ms, header_url }
}

fn take_epoch_comment(text: &str) -> (Option<i64>, &str) {
    let trimmed = text.trim_start();
    let parsed = trimmed
        .strip_prefix("<!--")
        .and_then(|rest| rest.split_once("-->"))
        .and_then(|(inside, rest)| inside.trim().parse::<i64>().ok().map(|ms| (ms, rest)));
    match parsed {
        Some((ms, rest)) => (Some(ms), rest),
        None => (None, text),
    }
}

/// `[Title](https://…)` followed by a line of `-` or `=`: a setext heading that repeats
/// the title. It is dropped (the reader shows the title already) and its URL kept.
fn take_link_header(text: &str) -> (Option<String>, &str) {
    let trimmed = text.trim_start();
    let mut lines = trimmed.splitn(3, '\n');
    let (Some(first), Some(second)) = (lines.next(), lines.next()) else {
        return (None, text);
    };
    let rest = lines.next().unwrap_or("");
    let underline = second.trim();
    let is_underline =
        underline.len() >= 2 && (underline.bytes().all(|b| b == b'-') || underline.bytes().all(|b| b == b'='));
    let first = first.trim();
    let url = first
        .strip_prefix('[')
        .and_then(|f| f.strip_suffix(')'))
        .and_then(|f| f.rsplit_once("]("))
        .map(|(_, url)| url.trim().to_string());
    match url {
        Some(url) if is_underline => (Some(url), rest),
        _ => (None, text),
    }
}

fn markdown_to_html(text: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(text.len() * 5 / 4);
    html::push_html(&mut out, Parser::new_ext(text, options));
    out
}

fn looks_like_html(text: &str) -> bool {
    text.as_bytes().windows(2).any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

/// Plain text saved as `.html` (common in mirrors): paragraphs at blank lines.
fn paragraphs_to_html(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", html_escape::encode_text(p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_epoch_comment_and_link_header() {
        let text = "<!--1669701844000-->\n[美俄軍事熱線](https://www.cna.com.tw/news/aopl/1.aspx)\n------\n\n<div><p>正文</p></div>\n";
        let body = render(text, Format::Markdown);
        assert_eq!(body.epoch_ms, Some(1669701844000));
        assert_eq!(body.header_url.as_deref(), Some("https://www.cna.com.tw/news/aopl/1.aspx"));
        assert_eq!(body.html.trim(), "<div><p>正文</p></div>");
    }

    #[test]
    fn a_link_that_is_not_underlined_stays() {
        let body = render("[a](https://x.example)\n\nText", Format::Markdown);
        assert_eq!(body.header_url, None);
        assert!(body.html.contains("<a href=\"https://x.example\">a</a>"));
    }

    #[test]
    fn renders_markdown_and_passes_raw_html_through() {
        let body = render("# Head\n\n* one\n* two\n\n<figure>x</figure>\n", Format::Markdown);
        assert_eq!(body.html, "<h1>Head</h1>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<figure>x</figure>\n");
    }

    #[test]
    fn plain_text_html_files_become_paragraphs() {
        let body = render("\n第一段 a < b\n\n第二段\n", Format::Html);
        assert_eq!(body.html, "<p>第一段 a &lt; b</p><p>第二段</p>");
    }

    #[test]
    fn html_files_are_not_read_as_markdown() {
        let html = "<div>\n\n        <p>indented</p></div>";
        assert_eq!(render(html, Format::Html).html, html);
    }
}
