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

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use thiserror::Error;

use super::fold;

/// A bigram `(a, b)` or a unigram `(a, NONE)`, packed as `a << 32 | b`.
pub type Key = u64;
const NONE: u64 = u32::MAX as u64;
const MAGIC: &[u8; 4] = b"NRX2";

pub fn unigram(a: char) -> Key {
    (a as u64) << 32 | NONE
}

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

fn mix(key: Key) -> u64 {
    let mut z = key.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum IndexError {
    #[error("a search index file does not start with the expected signature (is it from another version?)")]
    BadMagic,
    #[error("a search index file is cut short or corrupt")]
    Corrupt,
}

// ---- building ------------------------------------------------------------------

/// One post's keys, each with its record minus the doc delta (which depends on the
/// post before it in that key's posting, known only when merging), grouped by
/// [`group_of`]: group `g`'s keys are `keys[groups[g]..groups[g + 1]]`.
struct DocRecords {
    keys: Vec<(Key, u32, u32)>,
    groups: Vec<u32>,
    bytes: Vec<u8>,
}

fn doc_records(title: &str, text: &str) -> DocRecords {
    // (key, field, position); field 0 is the title.
    let mut occurrences: Vec<(Key, u8, u32)> = Vec::new();
    for (field, part) in [(0u8, title), (1u8, text)] {
        let chars: Vec<char> = fold(part).chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            occurrences.push((unigram(c), field, 0));
            if let Some(&next) = chars.get(i + 1) {
                occurrences.push((bigram(c, next), field, i as u32));
            }
        }
    }
    occurrences.sort_unstable();
    let mut records =
        DocRecords { keys: Vec::new(), groups: Vec::new(), bytes: Vec::with_capacity(occurrences.len() * 2) };
    for group in occurrences.chunk_by(|a, b| a.0 == b.0) {
        let key = group[0].0;
        let start = records.bytes.len() as u32;
        let title_n = group.iter().take_while(|o| o.1 == 0).count();
        let (in_title, in_text) = group.split_at(title_n);
        if key & NONE == NONE {
            put(&mut records.bytes, in_title.len() as u64);
            put(&mut records.bytes, in_text.len() as u64);
        } else {
            for field in [in_title, in_text] {
                put(&mut records.bytes, field.len() as u64);
                let mut previous = 0;
                for o in field {
                    put(&mut records.bytes, u64::from(o.2 - previous));
                    previous = o.2;
                }
            }
        }
        records.keys.push((key, start, records.bytes.len() as u32));
    }
    // Keys are unique within a post, so an unstable sort loses nothing.
    records.keys.sort_unstable_by_key(|k| (group_of(k.0), k.0));
    records.groups = (0..=GROUPS).map(|g| records.keys.partition_point(|k| group_of(k.0) < g) as u32).collect();
    records
}

/// Records are routed to this many groups by key; each group is then sorted and encoded
/// on its own, small enough to stay in cache, one core each.
const GROUPS: usize = 256;
/// Posts folded and sorted at once: bounds the memory of not-yet-routed records.
#[cfg(feature = "builder")]
const BATCH: usize = 2048;

fn group_of(key: Key) -> usize {
    (mix(key) >> 56) as usize
}

/// Collects posts (in id order) into postings, then cuts them into buckets.
pub struct IndexBuilder {
    groups: Vec<Group>,
    docs: u32,
}

/// Records routed to one group, as varints `doc-delta key-number length bytes`, in
/// segments: one growing vector would copy itself over and over and, when doubling,
/// hold twice what it needs. Keys are numbered per group: there are far fewer distinct
/// keys than records, and a number takes a byte or two where a key takes six.
#[derive(Clone, Default)]
struct Group {
    segments: Vec<Vec<u8>>,
    last_doc: u32,
    numbers: HashMap<Key, u32, BuildHasherDefault<KeyHasher>>,
    keys: Vec<Key>,
}

/// Keys are mixed already when grouped; SipHash would cost more than the lookup.
#[derive(Clone, Copy, Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only keys (u64) are hashed")
    }
    fn write_u64(&mut self, key: u64) {
        self.0 = mix(key);
    }
}

const SEGMENT_BYTES: usize = 1 << 20;

impl Default for IndexBuilder {
    fn default() -> Self {
        IndexBuilder { groups: vec![Group::default(); GROUPS], docs: 0 }
    }
}

impl IndexBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next post; its id is the number of posts added before it.
    pub fn add(&mut self, title: &str, text: &str) {
        let records = [doc_records(title, text)];
        for (number, group) in self.groups.iter_mut().enumerate() {
            group.route(number, &records, self.docs);
        }
        self.docs += 1;
    }

    /// Adds many posts, folding and routing them on every core (`builder` feature).
    #[cfg(feature = "builder")]
    pub fn add_all(&mut self, posts: &[(&str, &str)]) {
        use rayon::prelude::*;
        for batch in posts.chunks(BATCH) {
            let records: Vec<DocRecords> = batch.par_iter().map(|(title, text)| doc_records(title, text)).collect();
            let first = self.docs;
            self.groups.par_iter_mut().enumerate().for_each(|(number, group)| group.route(number, &records, first));
            self.docs += batch.len() as u32;
        }
    }

    /// Encodes the postings into as many buckets as keep each near `target_bytes`.
    pub fn finish(self, target_bytes: usize) -> Vec<Vec<u8>> {
        let mut buckets = Vec::new();
        let push = |bucket| {
            buckets.push(bucket);
            Ok::<_, ()>(())
        };
        self.finish_each(target_bytes, push).expect("pushing cannot fail");
        buckets
    }

    /// Like [`IndexBuilder::finish`], but hands each bucket, in order, to `emit` as soon
    /// as it is encoded, so that they need not all be held at once.
    pub fn finish_each<E>(self, target_bytes: usize, mut emit: impl FnMut(Vec<u8>) -> Result<(), E>) -> Result<(), E> {
        #[cfg(feature = "builder")]
        use rayon::prelude::*;
        #[cfg(feature = "builder")]
        let groups = self.groups.into_par_iter();
        #[cfg(not(feature = "builder"))]
        let groups = self.groups.into_iter();
        let postings: Vec<Postings> = groups.map(Group::postings).collect();

        let total: usize = postings.iter().map(|p| p.bytes.len() + p.keys.len() * 8).sum();
        let count = total.div_ceil(target_bytes.max(1)).max(1) as u32;
        // (key, group, range in the group's bytes) per bucket
        let mut buckets: Vec<Vec<(Key, u32, u32, u32)>> = (0..count).map(|_| Vec::new()).collect();
        for (group, p) in postings.iter().enumerate() {
            for &(key, from, to) in &p.keys {
                buckets[bucket_of(key, count) as usize].push((key, group as u32, from, to));
            }
        }
        let encode = |mut entries: Vec<(Key, u32, u32, u32)>| {
            entries.sort_unstable_by_key(|e| e.0);
            encode_bucket(
                entries
                    .iter()
                    .map(|&(key, group, from, to)| (key, &postings[group as usize].bytes[from as usize..to as usize])),
            )
        };
        // A batch at a time on every core, handed on in order.
        let mut buckets = buckets.into_iter();
        loop {
            let batch: Vec<_> = buckets.by_ref().take(64).collect();
            if batch.is_empty() {
                return Ok(());
            }
            #[cfg(feature = "builder")]
            let encoded: Vec<Vec<u8>> = batch.into_par_iter().map(encode).collect();
            #[cfg(not(feature = "builder"))]
            let encoded: Vec<Vec<u8>> = batch.into_iter().map(encode).collect();
            for bucket in encoded {
                emit(bucket)?;
            }
        }
    }
}

/// One group's postings, end to end, and where each key's lies.
struct Postings {
    keys: Vec<(Key, u32, u32)>,
    bytes: Vec<u8>,
}

impl Group {
    /// Appends the records of posts `first..` whose keys fall in group `number`.
    fn route(&mut self, number: usize, records: &[DocRecords], first: u32) {
        for (offset, r) in records.iter().enumerate() {
            let doc = first + offset as u32;
            for &(key, from, to) in &r.keys[r.groups[number] as usize..r.groups[number + 1] as usize] {
                // Three varints of at most five bytes each, then the record.
                let needed = 15 + (to - from) as usize;
                let segment = match self.segments.last_mut() {
                    Some(s) if s.capacity() - s.len() >= needed => s,
                    _ => {
                        self.segments.push(Vec::with_capacity(SEGMENT_BYTES.max(needed)));
                        self.segments.last_mut().expect("just pushed")
                    }
                };
                let keys = &mut self.keys;
                let number = *self.numbers.entry(key).or_insert_with(|| {
                    keys.push(key);
                    keys.len() as u32 - 1
                });
                put(segment, u64::from(doc - self.last_doc));
                self.last_doc = doc;
                put(segment, u64::from(number));
                put(segment, u64::from(to - from));
                segment.extend_from_slice(&r.bytes[from as usize..to as usize]);
            }
        }
    }

    /// The group's records sorted by key (and post), encoded as postings.
    fn postings(self) -> Postings {
        // (key number, doc, segment, record range in the segment)
        let mut index: Vec<(u32, u32, u32, u32, u32)> = Vec::new();
        let mut doc = 0u32;
        let mut record_bytes = 0;
        for (number, segment) in self.segments.iter().enumerate() {
            let mut reader = Reader { bytes: segment, at: 0 };
            while reader.at < segment.len() {
                let mut next = || reader.next().expect("the builder wrote it") as u32;
                doc += next();
                let (key, length) = (next(), next());
                let at = reader.at as u32;
                index.push((key, doc, number as u32, at, at + length));
                reader.at += length as usize;
                record_bytes += length as usize;
            }
        }
        // (key, doc) is unique: an unstable sort keeps each key's posts ascending.
        index.sort_unstable_by_key(|e| (e.0, e.1));
        // Sized up front (records plus their doc deltas): doubling would overshoot by half.
        let mut postings = Postings {
            keys: Vec::with_capacity(self.keys.len()),
            bytes: Vec::with_capacity(record_bytes + index.len() * 2),
        };
        for run in index.chunk_by(|a, b| a.0 == b.0) {
            let start = postings.bytes.len() as u32;
            let mut previous = 0;
            for &(_, doc, segment, from, to) in run {
                put(&mut postings.bytes, u64::from(doc - previous));
                postings.bytes.extend_from_slice(&self.segments[segment as usize][from as usize..to as usize]);
                previous = doc;
            }
            postings.keys.push((self.keys[run[0].0 as usize], start, postings.bytes.len() as u32));
        }
        postings
    }
}

/// A bucket file from its keys' postings, in key order.
fn encode_bucket<'a>(entries: impl Iterator<Item = (Key, &'a [u8])> + Clone) -> Vec<u8> {
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

// ---- reading -------------------------------------------------------------------

/// A fetched bucket: its bytes and where each key's posting lies in them.
#[derive(Debug)]
pub struct Bucket {
    bytes: Vec<u8>,
    directory: Vec<(Key, u32, u32)>,
}

impl Bucket {
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
            let end = start + length;
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
    pub doc: u32,
    pub title_count: u32,
    pub text_count: u32,
    pub title: Vec<u32>,
    pub text: Vec<u32>,
}

/// Decodes a posting; `key` says whether its records carry positions.
pub fn decode(key: Key, posting: &[u8]) -> Result<Vec<Record>, IndexError> {
    let positional = key & NONE != NONE;
    let mut reader = Reader { bytes: posting, at: 0 };
    let mut records = Vec::new();
    let mut doc = 0u64;
    while reader.at < posting.len() {
        doc += reader.next()?;
        let mut record = Record { doc: u32::try_from(doc).map_err(|_| IndexError::Corrupt)?, ..Record::default() };
        if positional {
            for field in [&mut record.title, &mut record.text] {
                let n = reader.next()? as usize;
                field.reserve(n.min(posting.len()));
                let mut position = 0u64;
                for _ in 0..n {
                    position += reader.next()?;
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

fn put(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn next(&mut self) -> Result<u64, IndexError> {
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

    fn built(posts: &[(&str, &str)], target: usize) -> Vec<Bucket> {
        let mut builder = IndexBuilder::new();
        for (title, text) in posts {
            builder.add(title, text);
        }
        builder.finish(target).into_iter().map(|b| Bucket::parse(b).unwrap()).collect()
    }

    fn lookup(buckets: &[Bucket], key: Key) -> Vec<Record> {
        let bucket = &buckets[bucket_of(key, buckets.len() as u32) as usize];
        decode(key, bucket.posting(key)).unwrap()
    }

    #[test]
    fn postings_round_trip_with_positions_per_field() {
        let posts = [("臺灣新聞", "台湾与台湾"), ("", "no match"), ("x", "台灣")];
        for target in [1, 64, 1 << 20] {
            let buckets = built(&posts, target);
            let records = lookup(&buckets, bigram('台', '湾'));
            assert_eq!(
                records,
                [
                    Record { doc: 0, title_count: 1, text_count: 2, title: vec![0], text: vec![0, 3] },
                    Record { doc: 2, title_count: 0, text_count: 1, title: vec![], text: vec![0] },
                ],
                "target {target}"
            );
            let unigrams = lookup(&buckets, unigram('x'));
            assert_eq!(unigrams.iter().map(|r| (r.doc, r.title_count, r.text_count)).collect::<Vec<_>>(), [(2, 1, 0)]);
            assert!(lookup(&buckets, bigram('q', 'q')).is_empty());
        }
    }

    #[test]
    fn bucket_count_follows_the_target_size() {
        let text = "abcdefghijklmnopqrstuvwxyz".repeat(20);
        let posts: Vec<(&str, &str)> = (0..50).map(|_| ("t", text.as_str())).collect();
        assert_eq!(built(&posts, 1 << 30).len(), 1);
        assert!(built(&posts, 256).len() > 10);
    }

    #[test]
    fn corrupt_buckets_are_refused_not_misread() {
        assert_eq!(Bucket::parse(b"JUNKJUNK".to_vec()).unwrap_err(), IndexError::BadMagic);
        let mut builder = IndexBuilder::new();
        builder.add("標題", "內文");
        let mut bytes = builder.finish(1 << 20).remove(0);
        bytes.truncate(bytes.len() / 2);
        assert_eq!(Bucket::parse(bytes).unwrap_err(), IndexError::Corrupt);
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
