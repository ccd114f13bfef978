//! Plain text from HTML that has already been through [`crate::sanitize`].
//!
//! The sanitizer re-serialises everything with html5ever, so its output is regular:
//! no comments, no raw-text elements, attribute values quoted, and in text only `&amp;`,
//! `&lt;`, `&gt;` and `&nbsp;` escaped. That is why a small scanner is enough here; it
//! is not meant for arbitrary HTML.

#[rustfmt::skip]
const BLOCK_TAGS: &[&str] = &[
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "td", "th", "figure", "figcaption", "dd", "dt", "dl", "hr", "details", "summary",
    "caption",
];

/// The text of sanitized HTML, with block boundaries as single spaces and runs of
/// white space collapsed.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_decoded(&mut text, &rest[..open]);
        let Some(close) = find_tag_end(&rest[open..]) else { break };
        let tag = &rest[open + 1..open + close];
        if is_block(tag) {
            text.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.contains('<') {
        push_decoded(&mut text, rest);
    }
    collapse_whitespace(&text)
}

/// Where the tag starting at `s[0] == '<'` ends, skipping `>` inside quoted attributes.
fn find_tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if q == c => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn is_block(tag: &str) -> bool {
    let name = tag.trim_start_matches('/');
    let name = name.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
    BLOCK_TAGS.contains(&name)
}

fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&nbsp;", ' ')]
            .into_iter()
            .find(|(entity, _)| rest.starts_with(entity));
        match decoded {
            Some((entity, c)) => {
                out.push(c);
                rest = &rest[entity.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first `max_chars` characters of `text`, cut at a word boundary where the text
/// has spaces (CJK text has none, so it is cut at the character), with an ellipsis.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let Some((cut, _)) = text.char_indices().nth(max_chars) else {
        return text.to_string();
    };
    let head = &text[..cut];
    let head = match head.rfind(' ') {
        Some(space) if space > cut * 2 / 3 => &head[..space],
        _ => head,
    };
    format!("{}…", head.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_blocks_and_decodes_entities() {
        let html = "<p>Fish &amp; chips</p><p>a&lt;b&gt;c&nbsp;d</p><ul><li>one</li><li>two</li></ul>";
        assert_eq!(html_to_text(html), "Fish & chips a<b>c d one two");
    }

    #[test]
    fn inline_tags_do_not_split_words() {
        assert_eq!(html_to_text("<p>un<b>break</b>able</p>"), "unbreakable");
    }

    #[test]
    fn ignores_angle_brackets_inside_attributes() {
        assert_eq!(html_to_text("<img alt=\"a > b\"><p>text</p>"), "text");
    }

    #[test]
    fn excerpts_cut_cjk_at_characters_and_latin_at_words() {
        assert_eq!(excerpt("中央社台北電", 4), "中央社台…");
        assert_eq!(excerpt("the quick brown fox", 12), "the quick…");
        assert_eq!(excerpt("short", 10), "short");
    }
}
