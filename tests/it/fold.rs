//! Search folding's NFKC table (derived by build.rs) against ICU itself.

use icu_normalizer::ComposingNormalizerBorrowed;
use newsreader::search::nfkc_char;

#[test]
fn the_nfkc_table_gives_icus_form_for_every_code_point() {
    let nfkc = ComposingNormalizerBorrowed::new_nfkc();
    let mut differ = Vec::new();
    let mut changed = 0;
    for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
        let expected: String = nfkc.normalize_iter(std::iter::once(c)).collect();
        let mut got = String::new();
        nfkc_char(c, &mut |n| got.push(n));
        changed += usize::from(expected != c.to_string());
        if got != expected && differ.len() < 20 {
            differ.push(format!("U+{:04X}: table {got:?}, ICU {expected:?}", c as u32));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // Thousands of characters have another form: the table is not empty by accident.
    assert!(changed > 4000, "{changed}");
}
