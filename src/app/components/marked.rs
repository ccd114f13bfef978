//! Text with search matches marked: plain text nodes and `<mark>` elements, never HTML.

use std::ops::Range;

use yew::prelude::*;

/// `text` with the byte ranges `marks` (sorted, not overlapping) in `<mark>`.
pub fn marked(text: &str, marks: &[Range<usize>]) -> Html {
    let mut parts = Vec::with_capacity(marks.len() * 2 + 1);
    let mut at = 0;
    for range in marks {
        if range.start < at || range.end > text.len() {
            continue;
        }
        parts.push(html! { { &text[at..range.start] } });
        parts.push(html! { <mark data-testid="match">{ &text[range.clone()] }</mark> });
        at = range.end;
    }
    parts.push(html! { { &text[at..] } });
    parts.into_iter().collect()
}
