//! What "harmless" means for HTML that reaches the page: the checks the sanitizer's
//! output must pass, shared by the payload tests and the property tests.

pub const SCRIPT_CAPABLE: &[&str] = &[
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

/// Every attribute name in sanitizer output (which quotes every value with `"`).
pub fn attribute_names(html: &str) -> Vec<String> {
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
pub fn urls(html: &str) -> Vec<String> {
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

/// The tags of sanitizer output (text escapes `<`, attribute values are quoted with `"`
/// and may hold `<`), each with its attributes.
pub fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = &rest[name_end..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                rest = rest.get(1..).unwrap_or("");
                break;
            }
            let key_end = rest.find(|c: char| c == '=' || c == '>' || c.is_whitespace()).unwrap_or(rest.len());
            let key = rest[..key_end].to_ascii_lowercase();
            rest = &rest[key_end..];
            let mut value = String::new();
            if let Some(quoted) = rest.strip_prefix("=\"") {
                let end = quoted.find('"').unwrap_or(quoted.len());
                value = quoted[..end].to_string();
                rest = quoted.get(end + 1..).unwrap_or("");
            }
            attributes.push((key, value));
        }
        tags.push((name, attributes));
    }
    tags
}

/// The first thing in `html` (sanitizer output) that could run script, style the page or
/// leave the policy, if any.
pub fn problem(html: &str) -> Option<String> {
    for (name, attributes) in tags(html) {
        let bare = name.trim_start_matches('/');
        if SCRIPT_CAPABLE.iter().any(|tag| &tag[1..] == bare) {
            return Some(format!("<{name}> element"));
        }
        for (key, value) in attributes {
            if key.starts_with("on") || ["style", "class", "id", "srcdoc", "formaction"].contains(&key.as_str()) {
                return Some(format!("{key} attribute on <{name}>"));
            }
            if ["href", "src", "action", "formaction", "xlink:href", "cite"].contains(&key.as_str()) {
                let decoded = value.replace("&amp;", "&").to_ascii_lowercase();
                let scheme: String = decoded.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
                if !(scheme.starts_with("http://") || scheme.starts_with("https://") || scheme.starts_with("mailto:")) {
                    return Some(format!("{key}={value:?} on <{name}>"));
                }
            }
        }
    }
    None
}
