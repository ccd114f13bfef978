//! A language tag for a post's text, used only for `lang` attributes: browsers pick
//! CJK glyph shapes and fonts by it, and screen readers a voice. It is a coarse vote,
//! not a converter; nothing else depends on it.

/// Common characters that differ between the scripts, as (Simplified, Traditional) pairs.
const MARKERS: &str = "这這们們说說国國会會为為时時对對发發经經过過还還进進后後来來现現问問题題报報\
记記实實战戰员員军軍东東车車长長门門开開关關认認让讓给給话話论論见見应應与與从從产產\
业業务務区區据據际際党黨选選举舉边邊华華体體张張统統湾灣亿億万萬无無纪紀书書医醫疗療";

/// Enough text for the vote; the rest of a long article would not change it.
const SAMPLE_CHARS: usize = 400;

fn marker_table() -> &'static [(char, bool)] {
    static TABLE: std::sync::OnceLock<Vec<(char, bool)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<(char, bool)> = MARKERS.chars().enumerate().map(|(i, c)| (c, i % 2 == 0)).collect();
        table.sort_unstable();
        table
    })
}

pub fn detect(text: &str) -> &'static str {
    let table = marker_table();
    let (mut han, mut kana, mut simplified, mut traditional) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars().take(SAMPLE_CHARS) {
        match c {
            '\u{3040}'..='\u{30ff}' => kana += 1,
            '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' => {
                han += 1;
                if let Ok(i) = table.binary_search_by_key(&c, |&(m, _)| m) {
                    if table[i].1 {
                        simplified += 1;
                    } else {
                        traditional += 1;
                    }
                }
            }
            _ => {}
        }
    }
    if kana > 0 && kana * 5 >= han {
        "ja"
    } else if han == 0 {
        "en"
    } else if simplified > traditional {
        "zh-Hans"
    } else {
        "zh-Hant"
    }
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn tells_scripts_apart() {
        let cases = [
            ("路透：美俄軍事熱線 俄烏戰爭以來只通話1次，這是國際關注的問題", "zh-Hant"),
            ("肺炎疫情：分析中美背后的政治角力，这是国际关注的问题", "zh-Hans"),
            ("東京で会議が開かれました。日本の経済について話しました", "ja"),
            ("Markets steady as ports reopen", "en"),
        ];
        for (text, expected) in cases {
            assert_eq!(detect(text), expected, "{text}");
        }
    }
}
