//! The only way HTML from an archive reaches the DOM.

use yew::{AttrValue, Html};

use crate::sanitize::{sanitize, Images};

/// Sanitizes `untrusted` under the one policy and turns it into nodes. Archives are
/// cleaned when built, but the reader does not trust that: the file may come from
/// anywhere, and the policy here decides.
pub fn sanitized_html(untrusted: &str, images: Images) -> Html {
    Html::from_html_unchecked(AttrValue::from(sanitize(untrusted, images)))
}
