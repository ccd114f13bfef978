//! The search index as it is shipped: for every pair of adjacent folded characters (a
//! bigram), the posts and positions where it occurs; for every single character, the
//! posts and how often. Positions are what make the index exact on its own: a term of
//! n ≥ 2 characters occurs at p exactly when its n−1 bigrams occur at p, p+1, …; so no
//! post text is needed to answer a query, only the postings of the query's own keys.
//!
//! Keys are spread over buckets by a fixed hash; a bucket is one file, fetched when a
//! query needs one of its keys. Encoding (all integers LEB128 varints):
//!
//! ```text
//! bucket  = "NRX2" count (first second+1 length)*count posting*count
//! posting = record*, doc ascending
//! unigram record = doc-delta title-count text-count
//! bigram  record = doc-delta title-n (position-delta)*title-n text-n (position-delta)*text-n
//! ```
//!
//! Title and text are separate fields: a match never spans the two, and title hits are
//! told apart for ranking.

use thiserror::Error;

/// A bigram `(a, b)` or a unigram `(a, NONE)`, packed as `a << 32 | b`.
pub type Key = u64;
pub(crate) const NONE: u64 = u32::MAX as u64;
const MAGIC: &[u8; 4] = b"NRX2";

/// The key of one character.
pub fn unigram(a: char) -> Key {
    (a as u64) << 32 | NONE
}

/// The key of two adjacent characters.
pub fn bigram(a: char, b: char) -> Key {
    (a as u64) << 32 | b as u64
}

/// The keys whose postings decide a folded term, each with its offset in the term: its
/// character for one-character terms; otherwise bigrams that together cover every
/// character (offsets 0, 2, 4, … and the last pair), since a term occurs at p exactly when
/// each of those occurs at p + its offset. Fewer keys than all n − 1 bigrams: fewer
/// buckets to fetch, fewer postings to read.
pub fn term_keys(folded: &str) -> Vec<(u32, Key)> {
    let chars: Vec<char> = folded.chars().collect();
    match chars.len() {
        0 => Vec::new(),
        1 => vec![(0, unigram(chars[0]))],
        n => {
            let mut offsets: Vec<usize> = (0..n - 1).step_by(2).collect();
            if offsets.last() != Some(&(n - 2)) {
                offsets.push(n - 2);
            }
            offsets.into_iter().map(|i| (i as u32, bigram(chars[i], chars[i + 1]))).collect()
        }
    }
}

/// Which of `buckets` holds `key`. A fixed mix (SplitMix64's finaliser), so the builder
/// and the wasm app agree on every platform.
pub fn bucket_of(key: Key, buckets: u32) -> u32 {
    (mix(key) % u64::from(buckets.max(1))) as u32
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

    /// The posting of `key`, empty if no post has it.
    pub fn posting(&self, key: Key) -> &[u8] {
        match self.directory.binary_search_by_key(&key, |e| e.0) {
            Ok(i) => &self.bytes[self.directory[i].1 as usize..self.directory[i].2 as usize],
            Err(_) => &[],
        }
    }
}

/// The posting of `key` from a complete set of buckets.
pub fn posting_in(buckets: &[Bucket], key: Key) -> &[u8] {
    buckets[bucket_of(key, buckets.len() as u32) as usize].posting(key)
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
    let positional = key & NONE != NONE;
    let mut reader = Reader { bytes: posting, at: 0 };
    let mut records = Vec::new();
    let mut doc = 0u64;
    while reader.at < posting.len() {
        doc = doc.checked_add(reader.next()?).ok_or(IndexError::Corrupt)?;
        let mut record = Record { doc: u32::try_from(doc).map_err(|_| IndexError::Corrupt)?, ..Record::default() };
        if positional {
            for field in [&mut record.title, &mut record.text] {
                let n = reader.next()? as usize;
                field.reserve(n.min(posting.len()));
                let mut position = 0u64;
                for _ in 0..n {
                    position = position.checked_add(reader.next()?).ok_or(IndexError::Corrupt)?;
                    field.push(u32::try_from(position).map_err(|_| IndexError::Corrupt)?);
                }
            }
            record.title_count = record.title.len() as u32;
            record.text_count = record.text.len() as u32;
        } else {
            record.title_count = reader.next()? as u32;
            record.text_count = reader.next()? as u32;
        }
        records.push(record);
    }
    Ok(records)
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
    pub(crate) fn next(&mut self) -> Result<u64, IndexError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
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
    fn term_keys_are_unigrams_for_one_character_and_bigrams_otherwise() {
        assert_eq!(term_keys("台"), [(0, unigram('台'))]);
        assert_eq!(term_keys("立法"), [(0, bigram('立', '法'))]);
        assert_eq!(term_keys("立法会"), [(0, bigram('立', '法')), (1, bigram('法', '会'))]);
        // Every character covered, with no more pairs than that takes.
        assert_eq!(term_keys("trump"), [(0, bigram('t', 'r')), (2, bigram('u', 'm')), (3, bigram('m', 'p'))]);
        assert_eq!(term_keys("abcdef").iter().map(|k| k.0).collect::<Vec<_>>(), [0, 2, 4]);
        assert!(term_keys("").is_empty());
    }
}
