//! Calendar days as numbers (days since 1970-01-01), so that a post's day is a small
//! integer in list shards and date filters compare integers. A post's day is its date
//! where it was published (`date[..10]` in its own offset), not a UTC day.

/// The day number of `YYYY-MM-DD`, or `None` if that is not a date of the proleptic
/// Gregorian calendar (`2026-02-30` is not).
pub fn day_number(text: &str) -> Option<i32> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<i32> {
        text.get(range).filter(|d| d.bytes().all(|c| c.is_ascii_digit()))?.parse().ok()
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// `YYYY-MM-DD` of a day number (years 0 to 9999).
pub fn day_string(number: i32) -> String {
    let (year, month, day) = civil_from_days(number);
    format!("{year:04}-{month:02}-{day:02}")
}

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

pub(crate) fn days_in_month(year: i32, month: i32) -> i32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's algorithms (http://howardhinnant.github.io/date_algorithms.html).
pub(crate) fn days_from_civil(year: i32, month: i32, day: i32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(number: i32) -> (i32, i32, i32) {
    let z = number + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i32::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_numbered_from_1970_and_read_back() {
        let cases =
            [("1970-01-01", 0), ("1970-01-02", 1), ("1969-12-31", -1), ("2020-02-29", 18_321), ("2026-12-01", 20_788)];
        for (text, number) in cases {
            assert_eq!(day_number(text), Some(number), "{text}");
            assert_eq!(day_string(number), text);
        }
    }

    #[test]
    fn what_is_not_a_date_has_no_number() {
        for text in
            ["", "2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "yesterday", "２０２６-01-01"]
        {
            assert_eq!(day_number(text), None, "{text}");
        }
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let start = day_number("1900-01-01").unwrap();
        for number in start..start + 146_097 {
            assert_eq!(day_number(&day_string(number)), Some(number));
        }
    }
}
