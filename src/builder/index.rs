//! Building the search index ([`crate::search::bucket`] defines what it writes): every
//! post's folded title and text cut into unigram and bigram records (with the character
//! after each pair of ASCII characters), routed by key to groups that are sorted and
//! encoded on every core, then cut into buckets.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use crate::archive::read::SegmentIndex;
use crate::search::bucket::{
    bigram, encode_bucket, file_of, fingerprint, followed, mix, next_code, put, unigram, Bucket, Key, Reader, NONE,
};
use crate::search::fold;

/// One post's keys, each with its record minus the doc delta (which depends on the
/// post before it in that key's posting, known only when merging), grouped by
/// [`group_of`]: group `g`'s keys are `keys[groups[g]..groups[g + 1]]`.
struct DocRecords {
    keys: Vec<(Key, u32, u32)>,
    groups: Vec<u32>,
    bytes: Vec<u8>,
}

fn doc_records(title: &str, text: &str) -> DocRecords {
    // (key, field, position, what follows: `next_code`, for a followed pair); field 0 is
    // the title.
    let mut occurrences: Vec<(Key, u8, u32, u32)> = Vec::new();
    for (field, part) in [(0u8, title), (1u8, text)] {
        let chars: Vec<char> = fold(part).chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            occurrences.push((unigram(c), field, 0, 0));
            if let Some(&next) = chars.get(i + 1) {
                let key = bigram(c, next);
                let follows = if followed(key) { next_code(chars.get(i + 2).copied()) as u32 } else { 0 };
                occurrences.push((key, field, i as u32, follows));
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
                if followed(key) {
                    for o in field {
                        put(&mut records.bytes, u64::from(o.3));
                    }
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
const BATCH: usize = 2048;

fn group_of(key: Key) -> usize {
    (mix(key) >> 56) as usize
}

/// The posting size past which [`alone_above`] stores a key alone, whatever the buckets:
/// a smaller one costs a query that shares its bucket less than a round trip on a slow
/// link (16 KiB encoded is about 10 KB compressed, 50 ms at 1.6 Mbit/s).
const ALONE_MIN_BYTES: usize = 16 * 1024;

/// The posting size past which a key has a bucket of its own, in buckets that aim at
/// `target_bytes`: four of them, and [`ALONE_MIN_BYTES`]. Hashed in with the others, such
/// a key's bucket holds on average one bucket's worth of other keys, but it is the
/// frequent words, which readers search for most, that are this large, and two of them
/// sharing a bucket make a query for either fetch both (at 250,000 posts one word of
/// 128 KB drew 100 KB of another). Few keys are this large (0.2 % of them at 250,000
/// posts), and listing one costs its segment's manifest entry a few bytes.
pub fn alone_above(target_bytes: usize) -> usize {
    (4 * target_bytes).max(ALONE_MIN_BYTES)
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
    /// An index of no posts yet.
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

    /// Adds many posts, folding and routing them on every core.
    pub fn add_all(&mut self, posts: &[(&str, &str)]) {
        use rayon::prelude::*;
        for batch in posts.chunks(BATCH) {
            let records: Vec<DocRecords> = batch.par_iter().map(|(title, text)| doc_records(title, text)).collect();
            let first = self.docs;
            self.groups.par_iter_mut().enumerate().for_each(|(number, group)| group.route(number, &records, first));
            self.docs += batch.len() as u32;
        }
    }

    /// Encodes the postings into as many buckets as keep each near `target_bytes`, each
    /// key larger than [`alone_above`] of it in a bucket of its own: the buckets, and the
    /// fingerprints of the keys stored alone (see [`file_of`]).
    pub fn finish(self, target_bytes: usize) -> (Vec<Vec<u8>>, Vec<u32>) {
        let mut buckets = Vec::new();
        let push = |bucket| {
            buckets.push(bucket);
            Ok::<_, ()>(())
        };
        let alone = self.finish_each(target_bytes, alone_above(target_bytes), push).expect("pushing cannot fail");
        (buckets, alone)
    }

    /// [`IndexBuilder::finish`], read back: for tools and tests that search what they built.
    pub fn finish_index(self, target_bytes: usize) -> SegmentIndex {
        let docs = self.docs;
        let (buckets, alone) = self.finish(target_bytes);
        let buckets =
            buckets.into_iter().map(|b| Bucket::parse(b).expect("a bucket just encoded reads back")).collect();
        SegmentIndex { docs, buckets, alone }
    }

    /// Like [`IndexBuilder::finish`], with keys of more than `alone_bytes` stored alone,
    /// and each bucket handed, in order, to `emit` as soon as it is encoded, so that they
    /// need not all be held at once.
    pub fn finish_each<E>(
        self,
        target_bytes: usize,
        alone_bytes: usize,
        mut emit: impl FnMut(Vec<u8>) -> Result<(), E>,
    ) -> Result<Vec<u32>, E> {
        let postings: Vec<Postings> = self.groups.into_par_iter().map(Group::postings).collect();

        let mut alone: Vec<u32> = postings
            .iter()
            .flat_map(|p| p.keys.iter().filter(|&&(_, from, to)| (to - from) as usize > alone_bytes))
            .map(|&(key, _, _)| fingerprint(key))
            .collect();
        alone.sort_unstable();
        alone.dedup();
        // Sized by what is hashed: a key whose fingerprint is listed goes alone with
        // the listed one (two keys rarely share one, but a query must find either).
        let hashed: usize = postings
            .iter()
            .flat_map(|p| &p.keys)
            .filter(|&&(key, _, _)| alone.binary_search(&fingerprint(key)).is_err())
            .map(|&(_, from, to)| (to - from) as usize + 8)
            .sum();
        let count = hashed.div_ceil(target_bytes.max(1)).max(1) as u32 + alone.len() as u32;
        // (key, group, range in the group's bytes) per bucket
        let mut buckets: Vec<Vec<(Key, u32, u32, u32)>> = (0..count).map(|_| Vec::new()).collect();
        for (group, p) in postings.iter().enumerate() {
            for &(key, from, to) in &p.keys {
                buckets[file_of(key, count, &alone) as usize].push((key, group as u32, from, to));
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
                return Ok(alone);
            }
            let encoded: Vec<Vec<u8>> = batch.into_par_iter().map(encode).collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::bucket::{decode, decode_followed_by, Record};

    fn built(posts: &[(&str, &str)], target: usize) -> SegmentIndex {
        let mut builder = IndexBuilder::new();
        for (title, text) in posts {
            builder.add(title, text);
        }
        builder.finish_index(target)
    }

    fn lookup(index: &SegmentIndex, key: Key) -> Vec<Record> {
        decode(key, index.posting(key)).unwrap()
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
    fn positions_are_kept_only_where_the_wanted_character_follows() {
        let index = built(&[("Covid cases", "covid, cove, co"), ("x", "COVE 台co台")], 64);
        let key = bigram('c', 'o');
        let followed_by = |next| {
            let records = decode_followed_by(key, next, index.posting(key)).unwrap();
            records.into_iter().map(|r| (r.doc, r.title, r.text)).collect::<Vec<_>>()
        };
        assert_eq!(followed_by(Some('v')), [(0, vec![0], vec![0, 7]), (1, vec![], vec![0])]);
        // Neither a field's end, nor a character that is not ASCII, nor any other passes.
        assert_eq!(followed_by(Some('x')), []);
        assert_eq!(followed_by(None).len(), 2);
        assert_eq!(followed_by(None)[0].2, [0, 7, 13]);
        assert_eq!(followed_by(None)[1].2, [0, 6]);
    }

    #[test]
    fn pairs_that_are_not_ascii_carry_no_following_characters() {
        let with = built(&[("", "台湾与")], 64);
        let without = built(&[("", "台湾")], 64);
        let key = bigram('台', '湾');
        assert_eq!(with.posting(key), without.posting(key));
    }

    #[test]
    fn bucket_count_follows_the_target_size() {
        let text = "abcdefghijklmnopqrstuvwxyz".repeat(20);
        let posts: Vec<(&str, &str)> = (0..50).map(|_| ("t", text.as_str())).collect();
        assert_eq!(built(&posts, 1 << 30).buckets.len(), 1);
        assert!(built(&posts, 256).buckets.len() > 10);
    }

    #[test]
    fn keys_past_the_limit_have_buckets_of_their_own_and_every_key_is_found() {
        // "ab" in every post, "cd" in every other: their postings are the large ones.
        let texts: Vec<String> = (0..400u32)
            .map(|i| format!("ab{} {}", if i % 2 == 0 { " cd" } else { "" }, char::from_u32(0x4e00 + i).unwrap()))
            .collect();
        let posts: Vec<(&str, &str)> = texts.iter().map(|t| ("", t.as_str())).collect();
        let mut builder = IndexBuilder::new();
        builder.add_all(&posts);
        let mut buckets = Vec::new();
        let alone = builder
            .finish_each(64, 300, |b| {
                buckets.push(Bucket::parse(b).unwrap());
                Ok::<_, ()>(())
            })
            .unwrap();
        let index = SegmentIndex { docs: 400, buckets, alone };
        // Every key, as it reads when none is stored alone.
        let reference = built(&posts, 64);
        assert!(reference.alone.is_empty(), "nothing here is past the 16 KiB floor");
        let keys: Vec<Key> = reference.buckets.iter().flat_map(Bucket::keys).collect();
        assert!(keys.len() > 400);
        let large: Vec<Key> = keys.iter().copied().filter(|&k| reference.posting(k).len() > 300).collect();
        assert!(large.contains(&bigram('a', 'b')) && large.contains(&bigram('c', 'd')));
        assert!(!large.contains(&unigram('\u{4e00}')));
        let mut alone: Vec<u32> = large.iter().map(|&k| fingerprint(k)).collect();
        alone.sort_unstable();
        assert_eq!(index.alone, alone, "exactly the large keys are listed");
        let hashed = index.buckets.len() - index.alone.len();
        for &key in &large {
            let file = file_of(key, index.buckets.len() as u32, &index.alone) as usize;
            assert!(file >= hashed, "{key:x} is in a hashed bucket");
            assert!(
                index.buckets[file].keys().all(|k| fingerprint(k) == fingerprint(key)),
                "{key:x} shares its bucket"
            );
        }
        assert_eq!(lookup(&index, bigram('a', 'b')).len(), 400);
        for key in keys {
            assert_eq!(index.posting(key), reference.posting(key), "{key:x}");
        }
    }
}
