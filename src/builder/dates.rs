//! Reading the dates news mirrors write, keeping the offset they were written in.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// A post's date: the RFC 3339 text shown to readers and the instant used for sorting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostDate {
    /// RFC 3339 with the offset the date was written in.
    pub rfc3339: String,
    /// Unix seconds.
    pub ts: i64,
}

impl From<DateTime<FixedOffset>> for PostDate {
    fn from(date: DateTime<FixedOffset>) -> Self {
        PostDate { rfc3339: date.to_rfc3339_opts(SecondsFormat::Secs, false), ts: date.timestamp() }
    }
}

fn utc(naive: NaiveDateTime) -> PostDate {
    Utc.from_utc_datetime(&naive).fixed_offset().into()
}

const WITH_OFFSET: &[&str] = &["%Y-%m-%d %H:%M:%S%.f %:z", "%Y-%m-%d %H:%M:%S%.f %z", "%Y-%m-%d %H:%M%.f %:z"];
/// Without an offset Jekyll would use the site's zone, which a mirror does not tell us: UTC.
const WITHOUT_OFFSET: &[&str] = &["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M"];

/// `2022-11-29T06:04:04.000Z`, `2020-03-09 17:04:30.000000000 +08:00`, `2021-01-01`, and kin.
pub fn parse_front_matter_date(text: &str) -> Option<PostDate> {
    let text = text.trim();
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Some(date.into());
    }
    if let Some(date) = WITH_OFFSET.iter().find_map(|f| DateTime::parse_from_str(text, f).ok()) {
        return Some(date.into());
    }
    if let Some(naive) = WITHOUT_OFFSET.iter().find_map(|f| NaiveDateTime::parse_from_str(text, f).ok()) {
        return Some(utc(naive));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(|day| utc(day.and_time(Default::default())))
}

/// Jekyll's `YYYY-MM-DD-title` file names, and the `YYYY-MM-DD-HH-MM-SS-` variant some
/// mirrors use, read as UTC.
pub fn parse_file_name_date(file_name: &str) -> Option<PostDate> {
    let day = NaiveDate::parse_from_str(file_name.get(..10)?, "%Y-%m-%d").ok()?;
    let time =
        file_name.get(11..19).and_then(|t| chrono::NaiveTime::parse_from_str(t, "%H-%M-%S").ok()).unwrap_or_default();
    Some(utc(day.and_time(time)))
}

/// The `<!--1669701844000-->` comment some mirrors put before the body: milliseconds since 1970.
pub fn parse_epoch_ms(ms: i64) -> Option<PostDate> {
    DateTime::from_timestamp_millis(ms).map(|d| d.fixed_offset().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_front_matter_shape() {
        let cases = [
            ("2022-11-29T06:04:04.000Z", "2022-11-29T06:04:04+00:00", 1669701844),
            ("2020-03-09 17:04:30.000000000 +08:00", "2020-03-09T17:04:30+08:00", 1583744670),
            ("2020-03-09 17:04:30 +0800", "2020-03-09T17:04:30+08:00", 1583744670),
            ("2026-05-10 08:00:00 +01:00", "2026-05-10T08:00:00+01:00", 1778396400),
            ("2021-01-01", "2021-01-01T00:00:00+00:00", 1609459200),
            ("2021-01-01 10:30", "2021-01-01T10:30:00+00:00", 1609497000),
            (" 2021-01-01T10:30:00 ", "2021-01-01T10:30:00+00:00", 1609497000),
        ];
        for (text, rfc3339, ts) in cases {
            assert_eq!(parse_front_matter_date(text), Some(PostDate { rfc3339: rfc3339.into(), ts }), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for text in ["", "yesterday", "2021-13-01", "29/11/2022"] {
            assert_eq!(parse_front_matter_date(text), None, "{text}");
        }
    }

    #[test]
    fn reads_file_name_prefixes() {
        assert_eq!(parse_file_name_date("2020-03-09-6.html").unwrap().rfc3339, "2020-03-09T00:00:00+00:00");
        assert_eq!(parse_file_name_date("2020-02-10-15-48-26-.html").unwrap().rfc3339, "2020-02-10T15:48:26+00:00");
        assert_eq!(parse_file_name_date("000_1b3367d4cc11447e.txt"), None);
    }

    #[test]
    fn reads_epoch_milliseconds() {
        assert_eq!(parse_epoch_ms(1669701844000).unwrap().rfc3339, "2022-11-29T06:04:04+00:00");
    }
}
