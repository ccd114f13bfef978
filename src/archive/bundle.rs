//! The one-file bundle: a whole archive (`archive.json` and every file it names) in a
//! plain ustar file, so that it can travel where its host cannot (a USB stick, a
//! messaging app) and be opened by the reader or listed by any `tar`.
//!
//! Layout (docs/bundle.md has the full description):
//! - the first member is [`INDEX_MEMBER`], JSON naming every other member in order with
//!   its size and SHA-256;
//! - then each member, a regular file at its path relative to `archive.json`;
//! - then the end-of-archive marker (zero blocks).
//!
//! Uncompressed on purpose: shards are already small and compressible, a reader can take
//! members out by offset without inflating anything, and hosts compress on the wire.
//! Nothing is trusted before it is checked: paths are confined to the archive's own
//! folder, sizes are bounded before anything is read, and every member's digest is
//! compared. The hash function is the caller's (`sha2` natively, WebCrypto in a
//! browser), so the core carries none.

use serde::{Deserialize, Serialize};

/// The first member: what the bundle holds.
pub const INDEX_MEMBER: &str = "newsreader-bundle.json";
/// The `format` field of the index.
pub const BUNDLE_FORMAT: &str = "newsreader-bundle";
/// The bundle version this code writes and the only one it reads.
pub const BUNDLE_VERSION: u32 = 1;
/// The largest member accepted. An archive's files are a few hundred kilobytes (a
/// single-layout `archive.json` a few megabytes): anything near this is not one.
pub const MAX_MEMBER_BYTES: u64 = 64 << 20;
/// The most members accepted (a 250,000-post archive has about 30,000 files).
pub const MAX_MEMBERS: usize = 1_000_000;

const BLOCK: usize = 512;
const NAME_BYTES: usize = 100;

/// A SHA-256 digest.
pub type Digest = [u8; 32];

/// The index (first member).
#[derive(Debug, Serialize, Deserialize)]
struct Index {
    format: String,
    version: u32,
    members: Vec<MemberRef>,
}

/// One member as the index describes it.
#[derive(Debug, Serialize, Deserialize)]
struct MemberRef {
    path: String,
    bytes: u64,
    sha256: String,
}

/// A member of a bundle that was read: its path relative to `archive.json`, and bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct Member<'a> {
    /// Relative to `archive.json`, e.g. `list/0123abcd.json`.
    pub path: &'a str,
    /// The member's contents, checked against the index's digest.
    pub bytes: &'a [u8],
}

/// A member whose structure was checked (path, size, place) but not yet its digest:
/// a browser digests with WebCrypto, which answers later ([`Unchecked::check`]).
#[derive(Debug, PartialEq, Eq)]
pub struct Unchecked<'a> {
    /// The member, as the bundle holds it.
    pub member: Member<'a>,
    /// Where its bytes start in the bundle.
    pub offset: u64,
    sha256: String,
}

impl<'a> Unchecked<'a> {
    /// The member, if `digest` (its bytes' SHA-256) is the one the index gives.
    pub fn check(self, digest: &Digest) -> Result<Member<'a>, BundleError> {
        if hex(digest) == self.sha256 {
            Ok(self.member)
        } else {
            Err(BundleError::Checksum { path: self.member.path.to_string() })
        }
    }
}

/// Where a member is in a bundle that was read before: a byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    /// Relative to `archive.json`.
    pub path: String,
    /// Where its bytes start.
    pub offset: u64,
    /// How many there are.
    pub bytes: u64,
}

/// Why a bundle was refused, or could not be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// Not a bundle at all: not tar, or a tar without this format's index.
    #[error("this is not a news archive bundle: {0}")]
    NotABundle(String),
    /// A bundle of another version.
    #[error("this bundle is version {found}; this reader reads version {BUNDLE_VERSION}")]
    Version {
        /// The version the index names.
        found: u32,
    },
    /// The file ends before what it announces.
    #[error("the bundle is cut short: {0}")]
    Truncated(String),
    /// A tar header whose own checksum is wrong.
    #[error("the bundle is damaged at byte {offset}: {why}")]
    Damaged {
        /// Where the header starts.
        offset: usize,
        /// What is wrong with it.
        why: String,
    },
    /// A member whose bytes do not have the digest the index gives.
    #[error("the member {path} is damaged: its SHA-256 is not the one the bundle's index gives")]
    Checksum {
        /// The member.
        path: String,
    },
    /// A member larger than [`MAX_MEMBER_BYTES`], or an index with too many members.
    #[error("the member {path} is too large: {bytes} bytes, at most {MAX_MEMBER_BYTES} are accepted")]
    TooLarge {
        /// The member.
        path: String,
        /// Its size.
        bytes: u64,
    },
    /// A path that is absolute, climbs out (`..`), or has characters an archive never uses.
    #[error("the member path {0:?} is not inside the archive's folder")]
    UnsafePath(String),
    /// A member that is not what the index says comes next (or not a plain file).
    #[error("the member {path} is not what the bundle's index lists: {why}")]
    Unexpected {
        /// The member (as the tar header names it).
        path: String,
        /// What differs.
        why: String,
    },
}

/// Whether `path` may be a member: relative, inside the archive folder, and spelled as
/// the builder spells its files (ASCII letters, digits, `.`, `_`, `-`, `/`).
pub fn is_safe_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= NAME_BYTES
        && path.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/'))
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Writes a bundle of `files` (paths relative to `archive.json`, which must be among
/// them), in the order given, with `sha256` for the digests. Deterministic: the same
/// files give the same bytes (no times, owners or modes from the machine).
pub fn write(files: &[(String, Vec<u8>)], sha256: impl Fn(&[u8]) -> Digest) -> Result<Vec<u8>, BundleError> {
    if !files.iter().any(|(path, _)| path == super::ARCHIVE_FILE) {
        return Err(BundleError::NotABundle(format!("it would have no {}", super::ARCHIVE_FILE)));
    }
    let mut members = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        if !is_safe_path(path) || path == INDEX_MEMBER {
            return Err(BundleError::UnsafePath(path.clone()));
        }
        let size = bytes.len() as u64;
        if size > MAX_MEMBER_BYTES {
            return Err(BundleError::TooLarge { path: path.clone(), bytes: size });
        }
        members.push(MemberRef { path: path.clone(), bytes: size, sha256: hex(&sha256(bytes)) });
    }
    let index = Index { format: BUNDLE_FORMAT.to_string(), version: BUNDLE_VERSION, members };
    let index = serde_json::to_vec(&index).map_err(|e| BundleError::NotABundle(e.to_string()))?;
    let total: usize = files.iter().map(|(_, b)| BLOCK + padded(b.len())).sum::<usize>() + BLOCK + padded(index.len());
    let mut out = Vec::with_capacity(total + 2 * BLOCK);
    append(&mut out, INDEX_MEMBER, &index);
    for (path, bytes) in files {
        append(&mut out, path, bytes);
    }
    out.resize(out.len() + 2 * BLOCK, 0);
    Ok(out)
}

/// Reads a bundle: every member after the index, in order, each checked (path, size,
/// digest with `sha256`). Refuses anything else, naming what is wrong.
pub fn read(bundle: &[u8], sha256: impl Fn(&[u8]) -> Digest) -> Result<Vec<Member<'_>>, BundleError> {
    read_unchecked(bundle)?
        .into_iter()
        .map(|m| {
            let digest = sha256(m.member.bytes);
            m.check(&digest)
        })
        .collect()
}

/// The index of a bundle: the first member, of this format and version.
fn index_of(name: &str, index_bytes: &[u8]) -> Result<Index, BundleError> {
    if name != INDEX_MEMBER {
        return Err(BundleError::NotABundle(format!("its first member is {name:?}, not {INDEX_MEMBER}")));
    }
    let index: Index = serde_json::from_slice(index_bytes)
        .map_err(|e| BundleError::NotABundle(format!("its index is not readable: {e}")))?;
    if index.format != BUNDLE_FORMAT {
        return Err(BundleError::NotABundle(format!("its index says format {:?}", index.format)));
    }
    if index.version != BUNDLE_VERSION {
        return Err(BundleError::Version { found: index.version });
    }
    if index.members.len() > MAX_MEMBERS {
        return Err(BundleError::TooLarge { path: INDEX_MEMBER.into(), bytes: index.members.len() as u64 });
    }
    Ok(index)
}

/// [`read`] without the digests: everything else is checked, and each member comes with
/// the digest it must have and where it is.
pub fn read_unchecked(bundle: &[u8]) -> Result<Vec<Unchecked<'_>>, BundleError> {
    let mut at = 0;
    let Some((name, index_bytes)) = next(bundle, &mut at)? else {
        return Err(BundleError::NotABundle("it is empty".into()));
    };
    let index = index_of(name, index_bytes)?;
    let mut members = Vec::with_capacity(index.members.len());
    for wanted in &index.members {
        if !is_safe_path(&wanted.path) || wanted.path == INDEX_MEMBER {
            return Err(BundleError::UnsafePath(wanted.path.clone()));
        }
        if wanted.bytes > MAX_MEMBER_BYTES {
            return Err(BundleError::TooLarge { path: wanted.path.clone(), bytes: wanted.bytes });
        }
        let offset = at + BLOCK;
        let Some((path, bytes)) = next(bundle, &mut at)? else {
            return Err(BundleError::Truncated(format!("the member {} is missing", wanted.path)));
        };
        if path != wanted.path {
            return Err(BundleError::Unexpected { path: path.to_string(), why: format!("{} comes next", wanted.path) });
        }
        if bytes.len() as u64 != wanted.bytes {
            let why = format!("it holds {} bytes, the index says {}", bytes.len(), wanted.bytes);
            return Err(BundleError::Unexpected { path: path.to_string(), why });
        }
        members.push(Unchecked {
            member: Member { path, bytes },
            offset: offset as u64,
            sha256: wanted.sha256.clone(),
        });
    }
    if let Some((path, _)) = next(bundle, &mut at)? {
        return Err(BundleError::Unexpected { path: path.to_string(), why: "the index does not list it".into() });
    }
    if !members.iter().any(|m| m.member.path == super::ARCHIVE_FILE) {
        return Err(BundleError::NotABundle(format!("it holds no {}", super::ARCHIVE_FILE)));
    }
    Ok(members)
}

/// How many bytes of a bundle [`locate`] needs: its first header, then the index.
pub fn index_extent(first_block: &[u8]) -> Result<u64, BundleError> {
    match header_at(first_block, 0)? {
        Some((_, size)) => Ok((BLOCK + padded(size as usize)) as u64),
        None => Err(BundleError::NotABundle("it is empty".into())),
    }
}

/// Where every member is, from the start of a bundle that [`read`] accepted before (a
/// browser keeps the bundle whole and reads members by slices): `head` is its first
/// [`index_extent`] bytes. Members follow the index back to back, one header each,
/// since `read` refuses any other layout.
pub fn locate(head: &[u8]) -> Result<Vec<Placed>, BundleError> {
    let mut at = 0;
    let Some((name, index_bytes)) = next(head, &mut at)? else {
        return Err(BundleError::NotABundle("it is empty".into()));
    };
    let index = index_of(name, index_bytes)?;
    let mut offset = at as u64;
    let mut placed = Vec::with_capacity(index.members.len());
    for member in index.members {
        let start = offset + BLOCK as u64;
        offset = start + padded(member.bytes as usize) as u64;
        placed.push(Placed { path: member.path, offset: start, bytes: member.bytes });
    }
    Ok(placed)
}

/// The next member from `at` (moved past it), or `None` at the end-of-archive marker.
fn next<'a>(bundle: &'a [u8], at: &mut usize) -> Result<Option<(&'a str, &'a [u8])>, BundleError> {
    let Some((name, size)) = header_at(bundle, *at)? else { return Ok(None) };
    let start = *at + BLOCK;
    let end = start + size as usize;
    let bytes = bundle
        .get(start..end)
        .ok_or_else(|| BundleError::Truncated(format!("the member {name} is cut short ({size} bytes announced)")))?;
    *at = start + padded(size as usize);
    Ok(Some((name, bytes)))
}

/// The member header at `offset`, checked: its name and size; `None` at the end marker.
fn header_at(bundle: &[u8], offset: usize) -> Result<Option<(&str, u64)>, BundleError> {
    let header = bundle.get(offset..offset + BLOCK).ok_or_else(|| {
        if offset == 0 {
            // A few bytes are some other file, not a bundle that lost its end.
            BundleError::NotABundle("it is shorter than one tar header".into())
        } else {
            BundleError::Truncated(format!("it ends at byte {offset} without the end-of-archive marker"))
        }
    })?;
    if header.iter().all(|&b| b == 0) {
        return Ok(None);
    }
    let damaged = |why: &str| BundleError::Damaged { offset, why: why.to_string() };
    if &header[257..263] != b"ustar\0" {
        return Err(if offset == 0 {
            BundleError::NotABundle("it is not a tar (ustar) file".into())
        } else {
            damaged("no ustar header here")
        });
    }
    let recorded = octal(&header[148..156]).ok_or_else(|| damaged("the header checksum is not a number"))?;
    if recorded != header_sum(header) {
        return Err(damaged("the header checksum does not match"));
    }
    let name = field_str(&header[..NAME_BYTES]).ok_or_else(|| damaged("the member name is not ASCII"))?;
    let prefix = field_str(&header[345..500]).ok_or_else(|| damaged("the member name is not ASCII"))?;
    if !prefix.is_empty() {
        // The builder's paths fit the name field; a longer one is no member of ours.
        return Err(BundleError::UnsafePath(format!("{prefix}/{name}")));
    }
    if !is_safe_path(name) {
        return Err(BundleError::UnsafePath(name.to_string()));
    }
    if !matches!(header[156], b'0' | 0) {
        return Err(BundleError::Unexpected { path: name.to_string(), why: "it is not a plain file".into() });
    }
    let size = octal(&header[124..136]).ok_or_else(|| damaged("the member size is not a number"))?;
    if size > MAX_MEMBER_BYTES {
        return Err(BundleError::TooLarge { path: name.to_string(), bytes: size });
    }
    Ok(Some((name, size)))
}

fn append(out: &mut Vec<u8>, path: &str, bytes: &[u8]) {
    let mut header = [0u8; BLOCK];
    header[..path.len()].copy_from_slice(path.as_bytes());
    header[100..108].copy_from_slice(b"0000644\0");
    header[108..116].copy_from_slice(b"0000000\0");
    header[116..124].copy_from_slice(b"0000000\0");
    header[124..136].copy_from_slice(format!("{:011o}\0", bytes.len()).as_bytes());
    header[136..148].copy_from_slice(b"00000000000\0");
    header[156] = b'0';
    header[257..263].copy_from_slice(b"ustar\0");
    header[263..265].copy_from_slice(b"00");
    let sum = header_sum(&header);
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(bytes);
    out.resize(out.len() + padded(bytes.len()) - bytes.len(), 0);
}

/// The tar header checksum: every byte summed, the checksum field counted as spaces.
fn header_sum(header: &[u8]) -> u64 {
    header.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { 32 } else { u64::from(b) }).sum()
}

fn padded(len: usize) -> usize {
    len.div_ceil(BLOCK) * BLOCK
}

/// A numeric tar field: octal digits, padded with spaces or NULs.
fn octal(field: &[u8]) -> Option<u64> {
    let digits = field_str(field)?.trim_matches(' ');
    if digits.is_empty() || digits.len() > 21 || !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return None;
    }
    u64::from_str_radix(digits, 8).ok()
}

/// A NUL-terminated ASCII field.
fn field_str(field: &[u8]) -> Option<&str> {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    let text = &field[..end];
    text.is_ascii().then(|| std::str::from_utf8(text).ok()).flatten()
}

fn hex(digest: &Digest) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Not SHA-256, but a digest that any changed byte changes: enough for the core's
    /// own tests (the CLI's tests use the real one).
    fn digest(bytes: &[u8]) -> Digest {
        let mut out = [0u8; 32];
        for (i, &b) in bytes.iter().enumerate() {
            let slot = &mut out[i % 32];
            *slot = slot.rotate_left(3) ^ b ^ (i as u8);
        }
        out[31] ^= bytes.len() as u8;
        out
    }

    fn files() -> Vec<(String, Vec<u8>)> {
        vec![
            ("archive.json".into(), br#"{"format_version":3}"#.to_vec()),
            ("list/00ff.json".into(), vec![b'x'; 700]),
            ("search/ab12/0.bin".into(), Vec::new()),
        ]
    }

    #[test]
    fn a_bundle_reads_back_as_the_files_it_was_written_from() {
        let bundle = write(&files(), digest).unwrap();
        assert_eq!(bundle.len() % BLOCK, 0);
        let members = read(&bundle, digest).unwrap();
        let back: Vec<(String, Vec<u8>)> = members.iter().map(|m| (m.path.to_string(), m.bytes.to_vec())).collect();
        assert_eq!(back, files());
        assert_eq!(write(&files(), digest).unwrap(), bundle, "deterministic");
    }

    #[test]
    fn members_are_found_from_the_index_alone_where_reading_found_them() {
        let bundle = write(&files(), digest).unwrap();
        let extent = index_extent(&bundle[..BLOCK]).unwrap() as usize;
        assert!(extent < bundle.len());
        let placed = locate(&bundle[..extent]).unwrap();
        let unchecked = read_unchecked(&bundle).unwrap();
        assert_eq!(placed.len(), files().len());
        for ((path, bytes), (place, member)) in files().iter().zip(placed.iter().zip(&unchecked)) {
            assert_eq!((&place.path, place.bytes), (path, bytes.len() as u64));
            assert_eq!(place.offset, member.offset);
            let start = place.offset as usize;
            assert_eq!(&bundle[start..start + bytes.len()], bytes.as_slice(), "{path}");
        }
        assert!(matches!(index_extent(&bundle[..100]), Err(BundleError::NotABundle(_))));
        assert!(matches!(locate(&bundle[..BLOCK + 10]), Err(BundleError::Truncated(_))));
    }

    #[test]
    fn a_digest_checked_later_refuses_a_changed_member() {
        let mut bundle = write(&files(), digest).unwrap();
        let at = read_unchecked(&bundle).unwrap()[1].offset as usize;
        bundle[at] ^= 1;
        let members = read_unchecked(&bundle).unwrap();
        let results: Vec<_> = members
            .into_iter()
            .map(|m| {
                let d = digest(m.member.bytes);
                m.check(&d).map(|m| m.path)
            })
            .collect();
        assert_eq!(results[0], Ok("archive.json"));
        assert_eq!(results[1], Err(BundleError::Checksum { path: "list/00ff.json".into() }));
        assert_eq!(read(&bundle, digest).unwrap_err(), BundleError::Checksum { path: "list/00ff.json".into() });
    }

    #[test]
    fn paths_outside_the_archive_folder_are_unsafe() {
        for path in ["../x", "/etc/passwd", "a/../../b", "a\\b", "a//b", "./a", "", "ä.json", "a b"] {
            assert!(!is_safe_path(path), "{path:?}");
        }
        for path in ["archive.json", "list/0a.json", "search/ab/12.bin"] {
            assert!(is_safe_path(path), "{path:?}");
        }
        let mut bad = files();
        bad.push(("../escape".into(), vec![1]));
        assert_eq!(write(&bad, digest).unwrap_err(), BundleError::UnsafePath("../escape".into()));
    }

    /// Rewrites the header at `offset` with `edit`, then fixes its checksum.
    fn edit_header(bundle: &mut [u8], offset: usize, edit: impl Fn(&mut [u8])) {
        let header = &mut bundle[offset..offset + BLOCK];
        edit(header);
        let sum = header_sum(header);
        header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    }

    /// Where each member's header starts.
    fn header_offsets(bundle: &[u8]) -> Vec<usize> {
        let mut at = 0;
        let mut offsets = Vec::new();
        loop {
            let start = at;
            match next(bundle, &mut at).unwrap() {
                Some(_) => offsets.push(start),
                None => return offsets,
            }
        }
    }

    #[test]
    fn every_damage_is_refused_with_what_is_wrong() {
        let good = write(&files(), digest).unwrap();
        let offsets = header_offsets(&good);
        let list_header = offsets[2];
        let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("empty", Vec::new(), "not a news archive bundle: it is shorter than one tar header"),
            ("not tar", vec![b'P'; 2048], "not a news archive bundle: it is not a tar"),
            ("cut in a member", good[..list_header + BLOCK + 100].to_vec(), "member list/00ff.json is cut short"),
            ("no end marker", good[..good.len() - 2 * BLOCK].to_vec(), "without the end-of-archive marker"),
        ];

        let mut flipped = good.clone();
        flipped[list_header + BLOCK + 10] ^= 1;
        cases.push(("a flipped byte", flipped, "member list/00ff.json is damaged"));

        let mut header = good.clone();
        header[list_header + 3] ^= 1;
        cases.push(("a damaged header", header, "damaged at byte"));

        let mut large = good.clone();
        edit_header(&mut large, list_header, |h| h[124..136].copy_from_slice(b"77777777777\0"));
        cases.push(("a member too large", large, "member list/00ff.json is too large"));

        let mut climbing = good.clone();
        edit_header(&mut climbing, list_header, |h| h[..14].copy_from_slice(b"../00ff.json\0\0"));
        cases.push(("a path that climbs out", climbing, "\"../00ff.json\" is not inside the archive's folder"));

        let mut link = good.clone();
        edit_header(&mut link, list_header, |h| h[156] = b'2');
        cases.push((
            "a symbolic link",
            link,
            "list/00ff.json is not what the bundle's index lists: it is not a plain file",
        ));

        let mut no_index = Vec::new();
        append(&mut no_index, "archive.json", b"{}");
        no_index.resize(no_index.len() + 2 * BLOCK, 0);
        cases.push(("a tar without the index", no_index, "its first member is \"archive.json\""));

        let mut extra = good[..good.len() - 2 * BLOCK].to_vec();
        append(&mut extra, "list/extra.json", b"{}");
        extra.resize(extra.len() + 2 * BLOCK, 0);
        cases.push(("a member the index does not list", extra, "list/extra.json is not what the bundle's index lists"));

        for (what, bytes, expected) in cases {
            let error = read(&bytes, digest).expect_err(what).to_string();
            assert!(error.contains(expected), "{what}: {error}");
        }
    }

    #[test]
    fn an_index_of_another_version_or_format_is_refused() {
        let other = |index: &str| {
            let mut bundle = Vec::new();
            append(&mut bundle, INDEX_MEMBER, index.as_bytes());
            bundle.resize(bundle.len() + 2 * BLOCK, 0);
            read(&bundle, digest).unwrap_err()
        };
        assert_eq!(
            other(r#"{"format":"newsreader-bundle","version":2,"members":[]}"#),
            BundleError::Version { found: 2 }
        );
        assert!(other(r#"{"format":"zip","version":1,"members":[]}"#).to_string().contains("format \"zip\""));
        assert!(other("not json").to_string().contains("its index is not readable"));
        assert!(other(r#"{"format":"newsreader-bundle","version":1,"members":[]}"#)
            .to_string()
            .contains("it holds no archive.json"));
    }
}
