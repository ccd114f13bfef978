//! The sanitizer against the 223 XSS payloads of DOMPurify's test suite.

mod common;

use newsreader::sanitize::{sanitize, Images};

const SCRIPT_CAPABLE: &[&str] = &[
    "<script",
    "<iframe",
    "<frame",
    "<object",
    "<embed",
    "<svg",
    "<math",
    "<base",
    "<meta",
    "<form",
    "<link",
    "<style",
    "<template",
    "<input",
    "<button",
    "<textarea",
    "<select",
    "<video",
    "<audio",
    "<source",
    "<applet",
    "<portal",
    "<noscript",
    "<xmp",
    "<plaintext",
    "<isindex",
    "<body",
    "<html",
    "<head",
    "<marquee",
];

fn payloads() -> Option<Vec<String>> {
    let shared = common::shared_dir("sanitizer_payloads")?;
    let json = std::fs::read_to_string(shared.join("security/dompurify-payloads.json")).unwrap();
    let payloads: Vec<String> = serde_json::from_str(&json).unwrap();
    assert_eq!(payloads.len(), 223);
    Some(payloads)
}

/// Every attribute name in sanitizer output (which quotes every value with `"`).
fn attribute_names(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("");
        let mut rest = tag.split_once(char::is_whitespace).map_or("", |(_, r)| r);
        while let Some(eq) = rest.find("=\"") {
            names.push(rest[..eq].trim().to_ascii_lowercase());
            let after = &rest[eq + 2..];
            rest = after.split_once('"').map_or("", |(_, r)| r);
        }
    }
    names
}

/// Every URL-bearing attribute value.
fn urls(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\"", "action=\"", "formaction=\"", "xlink:href=\"", "cite=\""] {
        let mut rest = html;
        while let Some(start) = rest.find(attribute) {
            let value = &rest[start + attribute.len()..];
            let end = value.find('"').unwrap_or(value.len());
            found.push(value[..end].to_string());
            rest = &value[end..];
        }
    }
    found
}

#[test]
fn no_payload_keeps_a_script_capable_element() {
    let Some(payloads) = payloads() else { return };
    for images in [Images::Allowed, Images::Blocked] {
        for payload in &payloads {
            let clean = sanitize(payload, images).to_ascii_lowercase();
            for tag in SCRIPT_CAPABLE {
                assert!(!clean.contains(tag), "{tag} survived in {clean:?} from {payload:?}");
            }
        }
    }
}

#[test]
fn no_payload_keeps_an_event_handler_or_style() {
    let Some(payloads) = payloads() else { return };
    for payload in &payloads {
        let clean = sanitize(payload, Images::Allowed);
        for name in attribute_names(&clean) {
            assert!(!name.starts_with("on"), "{name} survived in {clean:?}");
            assert!(!["style", "class", "id", "srcdoc", "formaction"].contains(&name.as_str()), "{name} in {clean:?}");
        }
    }
}

#[test]
fn no_payload_keeps_a_dangerous_url() {
    let Some(payloads) = payloads() else { return };
    for payload in &payloads {
        let clean = sanitize(payload, Images::Allowed);
        for url in urls(&clean) {
            let decoded = url.replace("&amp;", "&").to_ascii_lowercase();
            let scheme: String = decoded.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
            for bad in ["javascript:", "vbscript:", "data:", "livescript:"] {
                assert!(!scheme.starts_with(bad), "{url} survived in {clean:?}");
            }
            assert!(
                scheme.starts_with("http://") || scheme.starts_with("https://") || scheme.starts_with("mailto:"),
                "only absolute web URLs are kept, got {url}"
            );
        }
    }
}

#[test]
fn sanitizing_is_idempotent() {
    let Some(payloads) = payloads() else { return };
    for images in [Images::Allowed, Images::Blocked] {
        for payload in &payloads {
            let once = sanitize(payload, images);
            assert_eq!(sanitize(&once, images), once, "from {payload:?}");
        }
    }
}

#[test]
fn blocked_images_never_keep_a_source() {
    let Some(payloads) = payloads() else { return };
    for payload in &payloads {
        let clean = sanitize(payload, Images::Blocked);
        assert!(!clean.contains(" src=\""), "{clean:?}");
    }
}
