//! Search buckets as they are stored (since format 4): gzip, so that they travel compressed from
//! hosts that send `application/octet-stream` as it is (GitHub Pages, nginx's and
//! Fastly's defaults), about half their size. Deterministic: no name, no time, a fixed
//! level, so the same bucket gives the same file. Level 1: at 250,000 posts there are
//! ~560 MB of postings, and higher levels shrink them only a few percent more.

use std::io::Write;

use flate2::{Compression, GzBuilder};

/// `bytes` gzip-compressed, as a bucket file holds them.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder =
        GzBuilder::new().mtime(0).operating_system(255).write(Vec::with_capacity(bytes.len() / 2), Compression::fast());
    encoder.write_all(bytes).expect("writing to a Vec does not fail");
    encoder.finish().expect("writing to a Vec does not fail")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::gzip::{gunzip, SIGNATURE};

    #[test]
    fn a_stored_bucket_inflates_to_the_same_bytes_and_is_the_same_every_time() {
        let bucket: Vec<u8> = (0..10_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let stored = gzip(&bucket);
        assert!(stored.starts_with(&SIGNATURE));
        assert!(stored.len() < bucket.len() / 2, "{} of {}", stored.len(), bucket.len());
        assert_eq!(stored, gzip(&bucket), "deterministic");
        assert_eq!(gunzip(&stored).unwrap(), bucket);
        assert!(gunzip(&stored[..stored.len() - 4]).is_err(), "a cut stream is an error");
    }
}
