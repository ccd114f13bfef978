//! The normalisation applied identically to indexed text and to queries, so that
//! "a post matches" can be defined as plain substring containment of folded strings:
//! Unicode NFKC (which also folds full-width and half-width forms), lowercase, and
//! Traditional→Simplified Chinese, one character at a time.

use std::collections::HashMap;
use std::sync::OnceLock;

use icu_normalizer::ComposingNormalizerBorrowed;

/// The CJK blocks whose characters have Simplified forms.
const HAN_RANGES: &[(u32, u32)] = &[(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)];

/// Traditional→Simplified for single characters. fast2s converts some characters
/// differently depending on their neighbours; a query is usually cut from the middle
/// of a sentence, so only a context-free mapping keeps "folded text contains folded
/// query" true for every substring. The map is derived once from fast2s's own table.
fn simplified() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        let mut buffer = [0u8; 4];
        for &(start, end) in HAN_RANGES {
            for c in (start..=end).filter_map(char::from_u32) {
                let converted = fast2s::convert(c.encode_utf8(&mut buffer));
                let mut chars = converted.chars();
                if let (Some(s), None) = (chars.next(), chars.next()) {
                    if s != c {
                        map.insert(c, s);
                    }
                }
            }
        }
        map
    })
}

/// Folds `text` for matching. Idempotent: `fold(&fold(t)) == fold(t)`.
pub fn fold(text: &str) -> String {
    let normalized = ComposingNormalizerBorrowed::new_nfkc().normalize(text);
    let map = simplified();
    let mut out = String::with_capacity(normalized.len());
    for c in normalized.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(&s) = map.get(&c) {
            out.push(s);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
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
