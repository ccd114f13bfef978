//! Reading a gzip stream (RFC 1952), as search buckets are stored: one member, checked
//! against its length and CRC-32. The header is read here and the deflate data inflated
//! by miniz_oxide, with crc's one-table CRC-32: flate2 would do all of it, but its reader
//! machinery and crc32fast's 16 KB of tables cost the app 28 KB gzip of wasm; this costs
//! a fraction of that, and inflates a bucket synchronously in microseconds.

use crc::{Crc, CRC_32_ISO_HDLC};

const CRC_32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);

/// ID1, ID2 and CM (deflate): how every gzip member, and so every stored bucket, starts.
pub const SIGNATURE: [u8; 3] = [0x1f, 0x8b, 8];
const FHCRC: u8 = 1 << 1;
const FEXTRA: u8 = 1 << 2;
const FNAME: u8 = 1 << 3;
const FCOMMENT: u8 = 1 << 4;
const RESERVED: u8 = 0b1110_0000;
/// The fixed part of the header, and the trailer (CRC-32, then the length mod 2³²).
const HEADER: usize = 10;
const TRAILER: usize = 8;

/// The bytes the gzip stream `stored` holds, or why it does not hold any.
pub fn gunzip(stored: &[u8]) -> Result<Vec<u8>, String> {
    if !stored.starts_with(&SIGNATURE) {
        return Err("not a gzip stream of deflate data".into());
    }
    let cut = || "the gzip stream is cut short".to_string();
    let flags = *stored.get(3).ok_or_else(cut)?;
    if flags & RESERVED != 0 {
        return Err(format!("unknown gzip header flags {flags:#04x}"));
    }
    let mut at = HEADER;
    if flags & FEXTRA != 0 {
        let len = stored.get(at..at + 2).ok_or_else(cut)?;
        at += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
    }
    for field in [FNAME, FCOMMENT] {
        if flags & field != 0 {
            let rest = stored.get(at..).ok_or_else(cut)?;
            at += rest.iter().position(|&b| b == 0).ok_or_else(cut)? + 1;
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    let deflated = stored.get(at..stored.len().checked_sub(TRAILER).ok_or_else(cut)?).ok_or_else(cut)?;
    let trailer = &stored[stored.len() - TRAILER..];
    let word = |i: usize| u32::from_le_bytes([trailer[i], trailer[i + 1], trailer[i + 2], trailer[i + 3]]);
    let (crc, len) = (word(0), word(4) as usize);
    // The length bounds the output: a stream that claims less than it holds is an error.
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(deflated, len)
        .map_err(|e| format!("the deflate data does not inflate: {e}"))?;
    if bytes.len() != len {
        return Err(format!("the gzip stream holds {} bytes, its trailer says {len}", bytes.len()));
    }
    if CRC_32.checksum(&bytes) != crc {
        return Err("the gzip stream does not match its CRC-32".into());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `hello hello hello` as Python's `gzip.compress(…, mtime=0)` writes it.
    const PLAIN: &[u8] = &[
        0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0x40, 0x90, 0, 0x80, 0x88, 0xf9,
        0xe5, 0x11, 0, 0, 0,
    ];

    fn with_fields(flags: u8, fields: &[u8]) -> Vec<u8> {
        let mut stored = PLAIN[..HEADER].to_vec();
        stored[3] = flags;
        stored.extend_from_slice(fields);
        stored.extend_from_slice(&PLAIN[HEADER..]);
        stored
    }

    #[test]
    fn a_plain_member_inflates() {
        assert_eq!(gunzip(PLAIN).unwrap(), b"hello hello hello");
    }

    #[test]
    fn optional_header_fields_are_skipped() {
        let extra = with_fields(FEXTRA, &[3, 0, b'a', b'b', b'c']);
        let named = with_fields(FNAME | FCOMMENT, b"bucket.bin\0made here\0");
        let header_crc = with_fields(FHCRC, &[0x12, 0x34]);
        for stored in [extra, named, header_crc] {
            assert_eq!(gunzip(&stored).unwrap(), b"hello hello hello");
        }
    }

    #[test]
    fn damaged_streams_are_errors_that_say_why() {
        let mut wrong_crc = PLAIN.to_vec();
        wrong_crc[PLAIN.len() - TRAILER] ^= 1;
        let mut longer = PLAIN.to_vec();
        longer[PLAIN.len() - 4] = 18;
        let mut shorter = PLAIN.to_vec();
        shorter[PLAIN.len() - 4] = 16;
        let cases: [(&[u8], &str); 7] = [
            (b"JUNK", "not a gzip stream"),
            (&PLAIN[..3], "cut short"),
            (&PLAIN[..PLAIN.len() - 4], "does not inflate"),
            (&with_fields(0x20, &[]), "unknown gzip header flags"),
            (&wrong_crc, "CRC-32"),
            (&longer, "its trailer says 18"),
            (&shorter, "does not inflate"),
        ];
        for (stored, why) in cases {
            let error = gunzip(stored).unwrap_err();
            assert!(error.contains(why), "{error:?} should say {why:?}");
        }
    }
}
