//! The sanitizer against the 223 XSS payloads of DOMPurify's test suite.

use crate::common;

use newsreader::sanitize::{sanitize, Images};

use crate::harmless::{attribute_names, urls, SCRIPT_CAPABLE};

fn payloads() -> Option<Vec<String>> {
    let shared = common::shared_dir("sanitizer_payloads")?;
    let json = std::fs::read_to_string(shared.join("security/dompurify-payloads.json")).unwrap();
    let payloads: Vec<String> = serde_json::from_str(&json).unwrap();
    assert_eq!(payloads.len(), 223);
    Some(payloads)
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
