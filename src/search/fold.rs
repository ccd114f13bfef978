//! The normalisation applied identically to indexed text and to queries, so that
//! "a post matches" can be defined as plain substring containment of folded strings:
//! Unicode NFKC (which also folds full-width and half-width forms), lowercase, and
//! Traditional→Simplified Chinese, one character at a time.

include!(concat!(env!("OUT_DIR"), "/t2s.rs"));

/// Traditional→Simplified for single characters. fast2s converts some characters
/// differently depending on their neighbours; a query is usually cut from the middle
/// of a sentence, so only a context-free mapping keeps "folded text contains folded
/// query" true for every substring. build.rs derives it from fast2s's own table.
/// Also what `crate::convert::to_simplified` shows, so both sides agree on each character.
pub(crate) fn simplified(c: char) -> Option<char> {
    let code = u16::try_from(c as u32).ok()?;
    let i = TRADITIONAL_TO_SIMPLIFIED.binary_search_by_key(&code, |&(t, _)| t).ok()?;
    char::from_u32(u32::from(TRADITIONAL_TO_SIMPLIFIED[i].1))
}

/// The NFKC form of one character, given to `out` a character at a time, from the tables
/// build.rs derives from ICU (`tests/it/fold.rs` compares them for every code point).
pub fn nfkc_char(c: char, out: &mut impl FnMut(char)) {
    let code = c as u32;
    let run = NFKC_RUNS.partition_point(|&(start, _, _)| start <= code).checked_sub(1).map(|i| NFKC_RUNS[i]);
    if let Some((_, _, delta)) = run.filter(|&(start, len, _)| code < start + u32::from(len)) {
        if let Some(form) = code.checked_add_signed(delta).and_then(char::from_u32) {
            return out(form);
        }
    }
    match NFKC_MANY.binary_search_by_key(&code, |&(c, _, _)| c) {
        Ok(i) => {
            let (_, start, end) = NFKC_MANY[i];
            NFKC_TEXT[usize::from(start)..usize::from(end)].chars().for_each(out);
        }
        Err(_) => out(c),
    }
}

/// Folds `text` for matching. Idempotent: `fold(&fold(t)) == fold(t)`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// Folds `text` and returns, for every byte of the result, the byte offset in `text`
/// of the character it came from (plus one entry for the end), so that a match found
/// in folded text can be highlighted in the original.
pub fn fold_mapped(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (offset, c) in text.char_indices() {
        fold_char(c, &mut out);
        origin.resize(out.len(), offset);
    }
    origin.push(text.len());
    (out, origin)
}

/// One character at a time, so that folding commutes with cutting text into pieces:
/// whatever a query is cut from, it folds the way it folds inside the whole text.
/// (Decomposed sequences such as `e` + U+0301 therefore stay decomposed.)
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c) {
        // Unified ideographs are their own NFKC form.
        out.push(simplified(c).unwrap_or(c));
        return;
    }
    nfkc_char(c, &mut |n| match simplified(n) {
        Some(s) => out.push(s),
        None if n.is_ascii() => out.push(n.to_ascii_lowercase()),
        None => out.extend(n.to_lowercase()),
    });
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_scripts_widths_and_case_alike() {
        let pairs = [
            ("臺灣", "台湾"),
            ("台灣", "台湾"),
            ("國際", "国际"),
            ("立法會", "立法会"),
            ("疫情", "疫情"),
            ("ＣＯＶＩＤ－１９", "covid-19"),
            ("NATO", "nato"),
            ("ｶﾀｶﾅ", "カタカナ"),
            ("Ⅻ", "xii"),
            ("Straße", "straße"),
        ];
        for (a, b) in pairs {
            assert_eq!(fold(a), fold(b), "{a} vs {b}");
        }
    }

    #[test]
    fn maps_every_folded_byte_to_its_origin() {
        let text = "Ｈｉ臺灣 NATO";
        let (folded, origin) = super::fold_mapped(text);
        assert_eq!(folded, "hi台湾 nato");
        let start = folded.find("台湾").unwrap();
        let end = start + "台湾".len();
        assert_eq!(&text[origin[start]..origin[end]], "臺灣");
        assert_eq!(origin.len(), folded.len() + 1);
    }

    #[test]
    fn keeps_what_differs() {
        assert_ne!(fold("台"), fold("臺灣"));
        assert_ne!(fold("國"), fold("际"));
    }

    #[test]
    fn folding_is_idempotent_and_context_free() {
        for text in ["乾隆皇帝", "乾燥", "香港立法會議員", "Ｈｅｌｌｏ，世界"] {
            let once = fold(text);
            assert_eq!(fold(&once), once, "{text}");
            // Every piece folds the same alone as inside the whole.
            let chars: Vec<char> = text.chars().collect();
            let pieces: String = chars.iter().map(|c| fold(&c.to_string())).collect();
            assert_eq!(pieces, once, "{text}");
        }
    }
}
