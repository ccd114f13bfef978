//! The search index as it is shipped: for every pair of adjacent folded characters (a
//! bigram), the posts and positions where it occurs and, for a pair of ASCII characters,
//! the ASCII character after each; for every single character, the posts and how often.
//! Positions are what make the index exact on its own: a term of n ≥ 2 characters occurs
//! at p exactly when its n−1 bigrams occur at p, p+1, …; so no post text is needed to
//! answer a query, only the postings of the query's own keys. The following character
//! lets one key decide three characters of a Latin-script or numeric term (covid needs
//! two keys, not three): every key is one file more in every segment for a query to fetch.
//! Only there: after a Chinese pair the next character is worth five bits or more, and
//! carrying it made the whole index 45 % larger (see ARCHITECTURE.md, "The index").
//!
//! Keys are spread over buckets by a fixed hash; a bucket is one file, fetched when a
//! query needs one of its keys. A key whose posting is several buckets large has a file
//! of its own instead, after the hashed ones, and the segment lists its fingerprint
//! ([`file_of`]): frequent words are what readers search for, and hashed in with the
//! others, two of them sharing a bucket would make a query for either fetch both.
//! Encoding (all integers LEB128 varints):
//!
//! ```text
//! bucket  = "NRX3" count (first second+1 length)*count posting*count
//! posting = record*, doc ascending
//! unigram record = doc-delta title-count text-count
//! bigram  record = doc-delta field(title) field(text)
//! field   = n (position-delta)*n (next)*n   next only for a pair of ASCII characters:
//! next    = 0 at the end of the field or before a character that is not ASCII,
//!           else the following character + 1
//! ```
//!
//! A field's following characters come after its positions, not interleaved with them:
//! like with like, they compress better.
//!
//! Title and text are separate fields: a match never spans the two, and title hits are
//! told apart for ranking.

use thiserror::Error;

/// A bigram `(a, b)` or a unigram `(a, NONE)`, packed as `a << 32 | b`.
pub type Key = u64;
pub(crate) const NONE: u64 = u32::MAX as u64;
const MAGIC: &[u8; 4] = b"NRX3";

/// The key of one character.
pub fn unigram(a: char) -> Key {
    (a as u64) << 32 | NONE
}

/// The key of two adjacent characters.
pub fn bigram(a: char, b: char) -> Key {
    (a as u64) << 32 | b as u64
}

/// Whether the positions of `key` carry the character after each: a bigram of two ASCII
/// characters.
pub fn followed(key: Key) -> bool {
    key & NONE != NONE && key >> 32 < 0x80 && key & NONE < 0x80
}

/// What a followed bigram's position stores for the character after it (`None`: the
/// field ends): 0 unless it is ASCII, then the character + 1.
pub fn next_code(next: Option<char>) -> u64 {
    next.filter(char::is_ascii).map_or(0, |c| u64::from(c) + 1)
}

/// One of the keys that decide a term: the bigram (or, for a one-character term, the
/// unigram) at `offset` in the term, and the term's character after the pair, which an
/// occurrence of the pair must be followed by (only ever for a [`followed`] pair).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermKey {
    /// Where in the term the key's first character is.
    pub offset: u32,
    /// The key whose posting is read.
    pub key: Key,
    /// The character an occurrence must be followed by.
    pub next: Option<char>,
}

/// The keys whose postings decide a folded term: its character for one-character terms;
/// otherwise bigrams that together cover every character, since a term occurs at p
/// exactly when each of those occurs at p + its offset (followed by the term's next
/// character, where the key says one). Pairs at offsets 0, 2, 4, … and the last pair,
/// unless followed pairs (three characters each, at 0, 3, 6, …, then a pair for what is
/// left) take fewer distinct keys: each distinct key is a file in every segment.
pub fn term_keys(folded: &str) -> Vec<TermKey> {
    let chars: Vec<char> = folded.chars().collect();
    let n = chars.len();
    let pair = |i: usize, next: Option<char>| TermKey { offset: i as u32, key: bigram(chars[i], chars[i + 1]), next };
    match n {
        0 => Vec::new(),
        1 => vec![TermKey { offset: 0, key: unigram(chars[0]), next: None }],
        _ => {
            let mut plain: Vec<TermKey> = (0..n - 1).step_by(2).map(|i| pair(i, None)).collect();
            if plain.last().map(|k| k.offset) != Some(n as u32 - 2) {
                plain.push(pair(n - 2, None));
            }
            let mut spans = Vec::new();
            let mut i = 0;
            while i + 1 < n {
                let key = bigram(chars[i], chars[i + 1]);
                let next = chars.get(i + 2).copied().filter(|c| followed(key) && c.is_ascii());
                spans.push(pair(i, next));
                i += if next.is_some() { 3 } else { 2 };
            }
            if i == n - 1 {
                spans.push(pair(n - 2, None));
            }
            if distinct_keys(&spans) < distinct_keys(&plain) {
                spans
            } else {
                plain
            }
        }
    }
}

fn distinct_keys(keys: &[TermKey]) -> usize {
    keys.iter().enumerate().filter(|(i, k)| !keys[..*i].iter().any(|o| o.key == k.key)).count()
}

/// Which of `buckets` holds `key`. A fixed mix (SplitMix64's finaliser), so the builder
/// and the wasm app agree on every platform.
pub fn bucket_of(key: Key, buckets: u32) -> u32 {
    (mix(key) % u64::from(buckets.max(1))) as u32
}

/// The fingerprint by which a segment lists the keys stored alone: the hash's high half,
/// which [`bucket_of`]'s remainder hardly depends on.
pub fn fingerprint(key: Key) -> u32 {
    (mix(key) >> 32) as u32
}

/// Which of a segment's `files` holds `key`, given the fingerprints of the keys stored
/// alone (`alone`, ascending; file `files - alone.len() + i` holds the keys whose
/// fingerprint is `alone[i]`): the others are hashed over the files before those.
pub fn file_of(key: Key, files: u32, alone: &[u32]) -> u32 {
    let hashed = files.saturating_sub(alone.len() as u32);
    match alone.binary_search(&fingerprint(key)) {
        Ok(i) => hashed + i as u32,
        Err(_) => bucket_of(key, hashed),
    }
}

pub(crate) fn mix(key: Key) -> u64 {
    let mut z = key.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Why a bucket file cannot be read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum IndexError {
    /// The file starts with other bytes.
    #[error("does not start with a search index signature of this version (is it from another version?)")]
    BadMagic,
    /// The file ends early, or its numbers do not add up.
    #[error("is a search index file cut short or corrupt")]
    Corrupt,
    /// The file is not gzip (buckets are stored compressed), or does not inflate.
    #[error("is not a gzip-compressed search index file ({0})")]
    NotCompressed(String),
}

/// A bucket file from its keys' postings, in key order (what [`Bucket::parse`] reads).
#[cfg(any(feature = "builder", test))]
pub fn encode_bucket<'a>(entries: impl Iterator<Item = (Key, &'a [u8])> + Clone) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.clone().map(|e| e.1.len() + 8).sum::<usize>() + 8);
    out.extend_from_slice(MAGIC);
    put(&mut out, entries.clone().count() as u64);
    for (key, bytes) in entries.clone() {
        put(&mut out, key >> 32);
        put(&mut out, (key.wrapping_add(1)) & NONE);
        put(&mut out, bytes.len() as u64);
    }
    for (_, bytes) in entries {
        out.extend_from_slice(bytes);
    }
    out
}

/// A fetched bucket: its bytes and where each key's posting lies in them.
#[derive(Debug)]
pub struct Bucket {
    bytes: Vec<u8>,
    directory: Vec<(Key, u32, u32)>,
}

impl Bucket {
    /// Reads a bucket file's directory; the postings are decoded when asked for.
    pub fn parse(bytes: Vec<u8>) -> Result<Bucket, IndexError> {
        if !bytes.starts_with(MAGIC) {
            return Err(IndexError::BadMagic);
        }
        let mut reader = Reader { bytes: &bytes, at: MAGIC.len() };
        let count = reader.next()? as usize;
        let mut entries = Vec::with_capacity(count.min(bytes.len()));
        for _ in 0..count {
            let first = reader.next()?;
            let second = reader.next()?.wrapping_sub(1) & NONE;
            let length = reader.next()?;
            entries.push((first << 32 | second, length));
        }
        let mut start = reader.at as u64;
        let mut directory = Vec::with_capacity(entries.len());
        for (key, length) in entries {
            let end = start.checked_add(length).ok_or(IndexError::Corrupt)?;
            if end > bytes.len() as u64 {
                return Err(IndexError::Corrupt);
            }
            directory.push((key, start as u32, end as u32));
            start = end;
        }
        if !directory.is_sorted_by_key(|e| e.0) {
            return Err(IndexError::Corrupt);
        }
        Ok(Bucket { bytes, directory })
    }

    /// The keys the bucket holds, ascending.
    pub fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.directory.iter().map(|e| e.0)
    }

    /// The posting of `key`, empty if no post has it.
    pub fn posting(&self, key: Key) -> &[u8] {
        match self.directory.binary_search_by_key(&key, |e| e.0) {
            Ok(i) => &self.bytes[self.directory[i].1 as usize..self.directory[i].2 as usize],
            Err(_) => &[],
        }
    }
}

/// The posting of `key` from a segment's complete set of files, given its keys stored
/// alone (see [`file_of`]).
pub fn posting_in<'a>(buckets: &'a [Bucket], alone: &[u32], key: Key) -> &'a [u8] {
    buckets[file_of(key, buckets.len() as u32, alone) as usize].posting(key)
}

/// One post's entry in a posting: title and text positions (bigrams) or counts (unigrams,
/// whose position lists are left empty).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Record {
    /// The document (its position in the archive).
    pub doc: u32,
    /// Occurrences in the title.
    pub title_count: u32,
    /// Occurrences in the text.
    pub text_count: u32,
    /// Positions in the folded title (bigrams only).
    pub title: Vec<u32>,
    /// Positions in the folded text (bigrams only).
    pub text: Vec<u32>,
}

/// Decodes a posting; `key` says whether its records carry positions.
pub fn decode(key: Key, posting: &[u8]) -> Result<Vec<Record>, IndexError> {
    decode_followed_by(key, None, posting)
}

/// [`Postings::decode`], each record with positions of its own: for tools and tests.
pub fn decode_followed_by(key: Key, next: Option<char>, posting: &[u8]) -> Result<Vec<Record>, IndexError> {
    let postings = Postings::decode(key, next, posting)?;
    Ok(postings
        .entries
        .iter()
        .map(|e| Record {
            doc: e.doc,
            title_count: e.title_count,
            text_count: e.text_count,
            title: postings.title(e).to_vec(),
            text: postings.text(e).to_vec(),
        })
        .collect())
}

/// A decoded posting whose records' positions share one buffer: a key in thousands of
/// posts is decoded with a few allocations rather than two per post, which is most of
/// a warm search's time in the wasm.
#[derive(Debug, Default)]
pub struct Postings {
    /// In document order.
    pub entries: Vec<Entry>,
    positions: Vec<u32>,
}

/// One post's entry in [`Postings`]: like a [`Record`], its positions as ranges of the buffer.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The document (its position in the segment).
    pub doc: u32,
    /// Occurrences in the title.
    pub title_count: u32,
    /// Occurrences in the text.
    pub text_count: u32,
    title: (u32, u32),
    text: (u32, u32),
}

impl Postings {
    /// Positions in the folded title of `entry`, one of these postings' (bigrams only).
    pub fn title(&self, entry: &Entry) -> &[u32] {
        &self.positions[entry.title.0 as usize..entry.title.1 as usize]
    }

    /// Positions in the folded text of `entry` (bigrams only).
    pub fn text(&self, entry: &Entry) -> &[u32] {
        &self.positions[entry.text.0 as usize..entry.text.1 as usize]
    }

    /// Decodes a posting, keeping of a [`followed`] bigram's positions only those where
    /// `next` follows the pair (all of them when `None`), and of its records only those
    /// with one left.
    pub fn decode(key: Key, next: Option<char>, posting: &[u8]) -> Result<Postings, IndexError> {
        let positional = key & NONE != NONE;
        let carries_next = followed(key);
        debug_assert!(next.is_none() || carries_next && next.is_some_and(|c| c.is_ascii()), "{key:x} {next:?}");
        let wanted = next.map(|c| next_code(Some(c)));
        let mut reader = Reader { bytes: posting, at: 0 };
        let mut out = Postings::default();
        let mut doc = 0u64;
        while reader.at < posting.len() {
            doc = doc.checked_add(reader.next()?).ok_or(IndexError::Corrupt)?;
            let doc = u32::try_from(doc).map_err(|_| IndexError::Corrupt)?;
            if !positional {
                let (title_count, text_count) = (reader.next()? as u32, reader.next()? as u32);
                out.entries.push(Entry { doc, title_count, text_count, title: (0, 0), text: (0, 0) });
                continue;
            }
            let record_start = out.positions.len();
            let mut fields = [(0u32, 0u32); 2];
            for field in &mut fields {
                let n = reader.next()? as usize;
                let start = out.positions.len();
                out.positions.reserve(n.min(posting.len()));
                let mut position = 0u64;
                for _ in 0..n {
                    position = position.checked_add(reader.next()?).ok_or(IndexError::Corrupt)?;
                    out.positions.push(u32::try_from(position).map_err(|_| IndexError::Corrupt)?);
                }
                if carries_next {
                    // Positions are kept where the following character is the wanted
                    // one: compacted in place, in order.
                    let mut kept = start;
                    for i in start..start + n {
                        let follows = reader.next()?;
                        if wanted.is_none_or(|w| w == follows) {
                            out.positions[kept] = out.positions[i];
                            kept += 1;
                        }
                    }
                    out.positions.truncate(kept);
                }
                // A posting's positions fit in u32s: there are fewer of them than its bytes.
                *field = (start as u32, out.positions.len() as u32);
            }
            let [title, text] = fields;
            let (title_count, text_count) = (title.1 - title.0, text.1 - text.0);
            if title_count + text_count == 0 {
                out.positions.truncate(record_start);
                continue;
            }
            out.entries.push(Entry { doc, title_count, text_count, title, text });
        }
        Ok(out)
    }
}

#[cfg(any(feature = "builder", test))]
pub(crate) fn put(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

pub(crate) struct Reader<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) at: usize,
}

impl Reader<'_> {
    /// A varint. Most are one byte (deltas of positions and of documents): that case is
    /// kept small enough to inline, since a search reads tens of thousands.
    #[inline]
    pub(crate) fn next(&mut self) -> Result<u64, IndexError> {
        let byte = *self.bytes.get(self.at).ok_or(IndexError::Corrupt)?;
        self.at += 1;
        if byte < 0x80 {
            return Ok(u64::from(byte));
        }
        self.next_continued(byte)
    }

    /// The rest of a varint whose first byte, `first`, said more follow.
    #[inline(never)]
    fn next_continued(&mut self, first: u8) -> Result<u64, IndexError> {
        let mut value = u64::from(first & 0x7f);
        for shift in (7..64).step_by(7) {
            let byte = *self.bytes.get(self.at).ok_or(IndexError::Corrupt)?;
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err(IndexError::Corrupt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_buckets_are_refused_not_misread() {
        assert_eq!(Bucket::parse(b"JUNKJUNK".to_vec()).unwrap_err(), IndexError::BadMagic);
        let posting = [0u8, 1, 0, 1, 0];
        let mut bytes = encode_bucket([(bigram('標', '題'), &posting[..])].into_iter());
        assert_eq!(Bucket::parse(bytes.clone()).unwrap().posting(bigram('標', '題')), posting);
        bytes.truncate(bytes.len() / 2);
        assert_eq!(Bucket::parse(bytes).unwrap_err(), IndexError::Corrupt);
        // A length or deltas past any file: refused, not overflowed.
        let mut huge = MAGIC.to_vec();
        huge.extend([1, 1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
        assert_eq!(Bucket::parse(huge).unwrap_err(), IndexError::Corrupt);
        let deltas = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0].repeat(2);
        assert_eq!(decode(unigram('x'), &deltas), Err(IndexError::Corrupt));
    }

    #[test]
    fn term_keys_follow_ascii_pairs_only_and_take_the_fewest_distinct_keys() {
        let key = |offset, a, b, next| TermKey { offset, key: bigram(a, b), next };
        assert_eq!(term_keys("台"), [TermKey { offset: 0, key: unigram('台'), next: None }]);
        assert_eq!(term_keys("立法"), [key(0, '立', '法', None)]);
        // Chinese pairs carry no following character: two keys for three characters.
        assert_eq!(term_keys("立法会"), [key(0, '立', '法', None), key(1, '法', '会', None)]);
        assert_eq!(term_keys("新聞自由"), [key(0, '新', '聞', None), key(2, '自', '由', None)]);
        // Latin ones do: one key decides three characters.
        assert_eq!(term_keys("trump"), [key(0, 't', 'r', Some('u')), key(3, 'm', 'p', None)]);
        assert_eq!(term_keys("covid"), [key(0, 'c', 'o', Some('v')), key(3, 'i', 'd', None)]);
        assert_eq!(term_keys("nat"), [key(0, 'n', 'a', Some('t'))]);
        // Not when the pairs alone repeat one key: 2020 is the posting of 20 alone.
        assert_eq!(term_keys("2020"), [key(0, '2', '0', None), key(2, '2', '0', None)]);
        // Not across scripts: the character after an ASCII pair is kept only if ASCII.
        assert_eq!(term_keys("g7峰会"), [key(0, 'g', '7', None), key(2, '峰', '会', None)]);
        assert_eq!(term_keys("峰会g7x"), [key(0, '峰', '会', None), key(2, 'g', '7', Some('x'))]);
        let offsets = |term| term_keys(term).iter().map(|k| k.offset).collect::<Vec<_>>();
        assert_eq!(offsets("abcdef"), [0, 3]);
        assert_eq!(offsets("abcdefg"), [0, 3, 5]);
        assert_eq!(offsets("abcdefgh"), [0, 3, 6]);
        assert!(term_keys("").is_empty());
    }

    #[test]
    fn only_pairs_of_ascii_characters_carry_the_next_one() {
        assert!(followed(bigram('c', 'o')));
        assert!(followed(bigram('2', ' ')));
        assert!(!followed(bigram('台', '湾')));
        assert!(!followed(bigram('g', '峰')));
        assert!(!followed(unigram('c')));
        assert_eq!(next_code(Some('v')), u64::from('v') + 1);
        assert_eq!(next_code(Some('峰')), 0);
        assert_eq!(next_code(None), 0);
    }
}
