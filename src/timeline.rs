//! The timeline of the current listing: how many of its posts fall in each year, month
//! or day, zooming from years to the months of one year to the days of one month; the
//! range a click or a drag across bins selects; and the checking of the date filter's
//! two inputs, which says what was wrong and what it was read as.
//!
//! Days are day numbers ([`crate::day`]: days since 1970-01-01, a post's own calendar
//! day). A day outside the years 0 to 9999 is not a post's (only a damaged archive has
//! one) and is not counted, so that no input makes ten million bins.

use thiserror::Error;

use crate::day::{civil_from_days, day_number, day_string, days_from_civil, days_in_month};

/// 0000-01-01 and 9999-12-31, the days a timeline counts.
const FIRST_DAY: i32 = -719_528;
const LAST_DAY: i32 = 2_932_896;

fn countable(day: i32) -> bool {
    (FIRST_DAY..=LAST_DAY).contains(&day)
}

/// What one bin of the timeline is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Zoom {
    /// One bin per year, from the year of the first post to the year of the last.
    Years,
    /// One bin per month of `year`, all twelve.
    Months {
        /// The year.
        year: i32,
    },
    /// One bin per day of `month` (1 to 12) of `year`, every day of it.
    Days {
        /// The year.
        year: i32,
        /// The month, 1 to 12.
        month: i32,
    },
}

impl Zoom {
    /// The zoom that shows `bin` (a bin of this zoom) in detail: a year's months, a
    /// month's days; a day is as far as it goes.
    pub fn zoom_in(self, bin: &Bin) -> Option<Zoom> {
        let (year, month, _) = civil_from_days(bin.first);
        match self {
            Zoom::Years => Some(Zoom::Months { year }),
            Zoom::Months { .. } => Some(Zoom::Days { year, month }),
            Zoom::Days { .. } => None,
        }
    }

    /// The zoom around this one: a month's year, all years; years are as far as it goes.
    pub fn zoom_out(self) -> Option<Zoom> {
        match self {
            Zoom::Years => None,
            Zoom::Months { .. } => Some(Zoom::Years),
            Zoom::Days { year, .. } => Some(Zoom::Months { year }),
        }
    }
}

/// One bar of the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bin {
    /// Its first day.
    pub first: i32,
    /// Its last day.
    pub last: i32,
    /// How many posts fall on its days.
    pub count: u32,
    /// `2020` for a year, `2020-03` for a month, `2020-03-09` for a day: a stable key,
    /// and the text to show where no localised one is wanted.
    pub label: String,
}

/// The first and last of `days` (the countable ones), if there are any.
pub fn span(days: impl IntoIterator<Item = i32>) -> Option<(i32, i32)> {
    days.into_iter()
        .filter(|&d| countable(d))
        .fold(None, |span, d| Some(span.map_or((d, d), |(a, b): (i32, i32)| (a.min(d), b.max(d)))))
}

/// The zoom that shows a span best: the days of its month if it lies within one month,
/// the months of its year if within one year, else years (also when there is no span).
pub fn natural_zoom(span: Option<(i32, i32)>) -> Zoom {
    let Some((a, b)) = span.filter(|&(a, b)| countable(a) && countable(b)) else { return Zoom::Years };
    let ((y1, m1, _), (y2, m2, _)) = (civil_from_days(a.min(b)), civil_from_days(a.max(b)));
    match (y1 == y2, m1 == m2) {
        (true, true) => Zoom::Days { year: y1, month: m1 },
        (true, false) => Zoom::Months { year: y1 },
        _ => Zoom::Years,
    }
}

/// The bins of `zoom` for the posts on `days`, in order, empty ones included so that gaps
/// show. Years run from the first post's year to the last's (none without posts); a
/// month or a day zoom shows its whole year or month, whatever the posts, and leaves out
/// posts outside it. A zoom outside the years 0 to 9999, or with a month outside 1 to 12,
/// has no bins.
pub fn bins(days: impl IntoIterator<Item = i32>, zoom: Zoom) -> Vec<Bin> {
    counted_bins(days.into_iter().map(|day| (day, 1)), zoom)
}

/// [`bins`] for posts counted by day: `(day, posts on it)`, as [`crate::filter::Listing`]
/// has them.
pub fn counted_bins(days: impl IntoIterator<Item = (i32, u32)>, zoom: Zoom) -> Vec<Bin> {
    let days = days.into_iter().filter(|&(d, _)| countable(d));
    let valid_year = |year: i32| (0..=9999).contains(&year);
    match zoom {
        Zoom::Years => {
            let mut counts = vec![0u32; 10_000];
            let (mut low, mut high) = (usize::MAX, 0);
            for (day, n) in days {
                // Countable days are in the years 0 to 9999.
                let year = civil_from_days(day).0 as usize;
                counts[year] = counts[year].saturating_add(n);
                (low, high) = (low.min(year), high.max(year));
            }
            (low..=high)
                .map(|y| {
                    let year = y as i32;
                    let (first, last) = (days_from_civil(year, 1, 1), days_from_civil(year, 12, 31));
                    Bin { first, last, count: counts[y], label: format!("{year:04}") }
                })
                .collect()
        }
        Zoom::Months { year } if valid_year(year) => {
            let mut counts = [0u32; 12];
            for (day, n) in days {
                let (y, m, _) = civil_from_days(day);
                if y == year {
                    let m = (m - 1) as usize;
                    counts[m] = counts[m].saturating_add(n);
                }
            }
            (1..=12)
                .map(|month| Bin {
                    first: days_from_civil(year, month, 1),
                    last: days_from_civil(year, month, days_in_month(year, month)),
                    count: counts[(month - 1) as usize],
                    label: format!("{year:04}-{month:02}"),
                })
                .collect()
        }
        Zoom::Days { year, month } if valid_year(year) && (1..=12).contains(&month) => {
            let first = days_from_civil(year, month, 1);
            let length = days_in_month(year, month);
            let mut counts = [0u32; 31];
            for (day, n) in days {
                if (first..first + length).contains(&day) {
                    let i = (day - first) as usize;
                    counts[i] = counts[i].saturating_add(n);
                }
            }
            (0..length)
                .map(|i| Bin {
                    first: first + i,
                    last: first + i,
                    count: counts[i as usize],
                    label: day_string(first + i),
                })
                .collect()
        }
        Zoom::Months { .. } | Zoom::Days { .. } => Vec::new(),
    }
}

/// The days from bin `a` to bin `b` of `bins`, both included and in either order (a
/// drag may go left): the first day of the earlier bin, the last of the later. `None`
/// when either is not a bin.
pub fn selection(bins: &[Bin], a: usize, b: usize) -> Option<(i32, i32)> {
    Some((bins.get(a.min(b))?.first, bins.get(a.max(b))?.last))
}

/// Which input of the date filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bound {
    /// The start of the range.
    From,
    /// The end of the range.
    To,
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Bound::From => "from",
            Bound::To => "to",
        })
    }
}

/// Something wrong with the date filter's inputs, and what was done about it.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum RangeProblem {
    /// Not written `YYYY-MM-DD`: that bound is left out.
    #[error("the \"{which}\" date \"{text}\" is not written YYYY-MM-DD, so it is left out")]
    NotADate {
        /// Which input.
        which: Bound,
        /// What it said.
        text: String,
    },
    /// Written `YYYY-MM-DD`, but no such day (`2026-02-30`): that bound is left out.
    #[error("the \"{which}\" date {text} is not a day of the calendar, so it is left out")]
    NoSuchDay {
        /// Which input.
        which: Bound,
        /// What it said.
        text: String,
    },
    /// The start was after the end: they are swapped.
    #[error("the range ended before it started, so it is read from {} to {}", day_string(*.from), day_string(*.to))]
    Reversed {
        /// The start, after swapping.
        from: i32,
        /// The end, after swapping.
        to: i32,
    },
    /// No day of the range is in the archive. The range is kept as given: widening it to
    /// the archive's days would show every post under a filter that asked for none of
    /// them, so the list is empty, and this says why and what the archive holds (for
    /// the app to offer).
    #[error("the archive has no posts in this range: its posts are from {} to {}", day_string(*.first), day_string(*.last))]
    OutsideArchive {
        /// The archive's first day.
        first: i32,
        /// The archive's last day.
        last: i32,
    },
}

/// The date filter's range as it will be applied, and what was wrong with the inputs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RangeCheck {
    /// The first day, if the range has a start.
    pub from: Option<i32>,
    /// The last day, if the range has an end.
    pub to: Option<i32>,
    /// What was corrected or is worth saying, in the order found; empty when the inputs
    /// were fine.
    pub problems: Vec<RangeProblem>,
}

/// Reads the date filter's two inputs (`YYYY-MM-DD`; empty or absent means no bound)
/// against the archive's first and last day (`bounds`, when known): a bound that is not
/// a date is left out, a reversed range is swapped, and a range with no day of the
/// archive is kept but reported (see [`RangeProblem::OutsideArchive`]). A range that only
/// overlaps the archive is fine as it is.
pub fn check_range(from: Option<&str>, to: Option<&str>, bounds: Option<(i32, i32)>) -> RangeCheck {
    let mut problems = Vec::new();
    let mut read = |which: Bound, text: Option<&str>| {
        let text = text.filter(|t| !t.trim().is_empty())?;
        let day = day_number(text);
        if day.is_none() {
            let text = text.to_string();
            problems.push(if looks_like_a_date(&text) {
                RangeProblem::NoSuchDay { which, text }
            } else {
                RangeProblem::NotADate { which, text }
            });
        }
        day
    };
    let (mut from, mut to) = (read(Bound::From, from), read(Bound::To, to));
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            (from, to) = (Some(b), Some(a));
            problems.push(RangeProblem::Reversed { from: b, to: a });
        }
    }
    if let Some((a, b)) = bounds {
        let (first, last) = (a.min(b), a.max(b));
        if from.is_some_and(|f| f > last) || to.is_some_and(|t| t < first) {
            problems.push(RangeProblem::OutsideArchive { first, last });
        }
    }
    RangeCheck { from, to, problems }
}

/// `dddd-dd-dd`, whether or not it is a day.
fn looks_like_a_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> i32 {
        day_number(text).unwrap()
    }

    fn days(texts: &[&str]) -> Vec<i32> {
        texts.iter().map(|t| day(t)).collect()
    }

    /// (label, first, last, count) of each bin.
    fn summary(bins: &[Bin]) -> Vec<(String, String, String, u32)> {
        bins.iter().map(|b| (b.label.clone(), day_string(b.first), day_string(b.last), b.count)).collect()
    }

    #[test]
    fn the_countable_days_are_those_of_the_years_0_to_9999() {
        assert_eq!((FIRST_DAY, LAST_DAY), (day("0000-01-01"), day("9999-12-31")));
    }

    #[test]
    fn years_run_from_the_first_post_to_the_last_with_the_gaps() {
        let posts = days(&["2021-06-01", "2019-03-09", "2019-12-31", "2021-01-01", "2021-12-31"]);
        let expected = [
            ("2019", "2019-01-01", "2019-12-31", 2),
            ("2020", "2020-01-01", "2020-12-31", 0),
            ("2021", "2021-01-01", "2021-12-31", 3),
        ];
        let expected: Vec<_> =
            expected.iter().map(|&(l, f, t, n)| (l.to_string(), f.to_string(), t.to_string(), n)).collect();
        assert_eq!(summary(&bins(posts, Zoom::Years)), expected);
    }

    #[test]
    fn a_zoomed_year_or_month_shows_all_of_it_and_nothing_else() {
        let posts = days(&["2020-02-29", "2020-02-01", "2020-03-01", "2019-02-10", "2021-02-10", "2020-12-31"]);
        /// A bin by position: (position, label, first, last, count).
        type Pick = (usize, &'static str, &'static str, &'static str, u32);
        // (zoom, how many bins, a few of them)
        let cases: [(Zoom, usize, &[Pick]); 7] = [
            (
                Zoom::Months { year: 2020 },
                12,
                &[
                    (0, "2020-01", "2020-01-01", "2020-01-31", 0),
                    (1, "2020-02", "2020-02-01", "2020-02-29", 2),
                    (2, "2020-03", "2020-03-01", "2020-03-31", 1),
                    (11, "2020-12", "2020-12-01", "2020-12-31", 1),
                ],
            ),
            (Zoom::Months { year: 2021 }, 12, &[(1, "2021-02", "2021-02-01", "2021-02-28", 1)]),
            (
                Zoom::Days { year: 2020, month: 2 },
                29,
                &[(0, "2020-02-01", "2020-02-01", "2020-02-01", 1), (28, "2020-02-29", "2020-02-29", "2020-02-29", 1)],
            ),
            (Zoom::Days { year: 2019, month: 2 }, 28, &[(9, "2019-02-10", "2019-02-10", "2019-02-10", 1)]),
            (Zoom::Days { year: 1900, month: 2 }, 28, &[(27, "1900-02-28", "1900-02-28", "1900-02-28", 0)]),
            (Zoom::Days { year: 2000, month: 2 }, 29, &[(28, "2000-02-29", "2000-02-29", "2000-02-29", 0)]),
            (Zoom::Days { year: 2020, month: 4 }, 30, &[(29, "2020-04-30", "2020-04-30", "2020-04-30", 0)]),
        ];
        for (zoom, length, picks) in cases {
            let bins = bins(posts.iter().copied(), zoom);
            assert_eq!(bins.len(), length, "{zoom:?}");
            for &(i, label, first, last, count) in picks {
                let expected = (label.to_string(), first.to_string(), last.to_string(), count);
                assert_eq!(summary(&bins[i..=i])[0], expected, "{zoom:?} bin {i}");
            }
            // Contiguous, in order, every day once.
            assert!(bins.windows(2).all(|w| w[0].last + 1 == w[1].first), "{zoom:?}");
        }
    }

    #[test]
    fn no_posts_give_no_years_and_empty_months_and_days() {
        assert!(bins([], Zoom::Years).is_empty());
        let months = bins([], Zoom::Months { year: 2024 });
        assert_eq!((months.len(), months.iter().map(|b| b.count).sum::<u32>()), (12, 0));
        assert_eq!(bins([], Zoom::Days { year: 2024, month: 2 }).len(), 29);
    }

    #[test]
    fn impossible_zooms_and_days_give_nothing_and_no_panic() {
        let extreme = [i32::MIN, -719_529, 2_932_897, i32::MAX];
        assert!(bins(extreme, Zoom::Years).is_empty());
        assert_eq!(span(extreme), None);
        assert_eq!(natural_zoom(Some((i32::MIN, i32::MAX))), Zoom::Years);
        for zoom in [
            Zoom::Months { year: -1 },
            Zoom::Months { year: 10_000 },
            Zoom::Days { year: 2020, month: 0 },
            Zoom::Days { year: 2020, month: 13 },
            Zoom::Days { year: i32::MAX, month: 1 },
        ] {
            assert!(bins([day("2020-01-01")], zoom).is_empty(), "{zoom:?}");
        }
        let edges = [day("0000-01-01"), day("9999-12-31")];
        let years = bins(edges, Zoom::Years);
        assert_eq!((years.len(), years[0].label.as_str(), years[9_999].label.as_str()), (10_000, "0000", "9999"));
    }

    #[test]
    fn the_natural_zoom_is_the_smallest_period_that_holds_the_span() {
        let cases = [
            (None, Zoom::Years),
            (Some(("2020-03-09", "2020-03-09")), Zoom::Days { year: 2020, month: 3 }),
            (Some(("2020-03-01", "2020-03-31")), Zoom::Days { year: 2020, month: 3 }),
            (Some(("2020-02-29", "2020-03-01")), Zoom::Months { year: 2020 }),
            (Some(("2020-01-01", "2020-12-31")), Zoom::Months { year: 2020 }),
            (Some(("2020-12-31", "2020-01-01")), Zoom::Months { year: 2020 }),
            (Some(("2019-12-31", "2020-01-01")), Zoom::Years),
            (Some(("2012-05-01", "2026-11-30")), Zoom::Years),
        ];
        for (range, zoom) in cases {
            assert_eq!(natural_zoom(range.map(|(a, b)| (day(a), day(b)))), zoom, "{range:?}");
        }
        let posts = days(&["2020-03-09", "2020-03-01", "2020-03-20"]);
        assert_eq!(span(posts.iter().copied()), Some((day("2020-03-01"), day("2020-03-20"))));
        assert_eq!(natural_zoom(span(posts)), Zoom::Days { year: 2020, month: 3 });
    }

    #[test]
    fn zooming_in_and_out_moves_one_level() {
        let years = bins(days(&["2019-05-05", "2020-07-07"]), Zoom::Years);
        let into_2020 = Zoom::Years.zoom_in(&years[1]).unwrap();
        assert_eq!(into_2020, Zoom::Months { year: 2020 });
        let months = bins([], into_2020);
        let july = into_2020.zoom_in(&months[6]).unwrap();
        assert_eq!(july, Zoom::Days { year: 2020, month: 7 });
        assert_eq!(july.zoom_in(&bins([], july)[0]), None);
        assert_eq!(july.zoom_out(), Some(Zoom::Months { year: 2020 }));
        assert_eq!(into_2020.zoom_out(), Some(Zoom::Years));
        assert_eq!(Zoom::Years.zoom_out(), None);
    }

    #[test]
    fn a_selection_spans_the_bins_between_two_in_either_order() {
        let months = bins([], Zoom::Months { year: 2020 });
        let cases = [
            ((1, 3), Some(("2020-02-01", "2020-04-30"))),
            ((3, 1), Some(("2020-02-01", "2020-04-30"))),
            ((5, 5), Some(("2020-06-01", "2020-06-30"))),
            ((0, 11), Some(("2020-01-01", "2020-12-31"))),
            ((11, 12), None),
            ((12, 0), None),
        ];
        for ((a, b), expected) in cases {
            assert_eq!(selection(&months, a, b), expected.map(|(f, t)| (day(f), day(t))), "{a}..{b}");
        }
        assert_eq!(selection(&[], 0, 0), None);
    }

    #[test]
    fn checking_a_range_says_what_was_wrong_and_what_it_became() {
        let archive = Some((day("2019-05-01"), day("2026-11-30")));
        let outside = RangeProblem::OutsideArchive { first: day("2019-05-01"), last: day("2026-11-30") };
        let not_a_date = |which, text: &str| RangeProblem::NotADate { which, text: text.into() };
        let no_such_day = |which, text: &str| RangeProblem::NoSuchDay { which, text: text.into() };
        type Case<'a> = (
            Option<&'a str>,
            Option<&'a str>,
            Option<(i32, i32)>,
            (Option<&'a str>, Option<&'a str>),
            Vec<RangeProblem>,
        );
        let cases: Vec<Case> = vec![
            (None, None, archive, (None, None), vec![]),
            (Some(""), Some("  "), archive, (None, None), vec![]),
            (Some("2020-01-01"), Some("2020-03-31"), archive, (Some("2020-01-01"), Some("2020-03-31")), vec![]),
            (Some("2020-01-01"), None, None, (Some("2020-01-01"), None), vec![]),
            (
                Some("yesterday"),
                Some("2020-03-31"),
                archive,
                (None, Some("2020-03-31")),
                vec![not_a_date(Bound::From, "yesterday")],
            ),
            (Some("2020-1-1"), None, archive, (None, None), vec![not_a_date(Bound::From, "2020-1-1")]),
            (None, Some(" 2020-01-01"), archive, (None, None), vec![not_a_date(Bound::To, " 2020-01-01")]),
            (
                Some("2020-01-01"),
                Some("2026-02-30"),
                archive,
                (Some("2020-01-01"), None),
                vec![no_such_day(Bound::To, "2026-02-30")],
            ),
            (
                Some("2025-02-29"),
                Some("2026-13-01"),
                archive,
                (None, None),
                vec![no_such_day(Bound::From, "2025-02-29"), no_such_day(Bound::To, "2026-13-01")],
            ),
            (
                Some("2020-03-31"),
                Some("2020-01-01"),
                archive,
                (Some("2020-01-01"), Some("2020-03-31")),
                vec![RangeProblem::Reversed { from: day("2020-01-01"), to: day("2020-03-31") }],
            ),
            (
                Some("2030-01-01"),
                Some("2030-12-31"),
                archive,
                (Some("2030-01-01"), Some("2030-12-31")),
                vec![outside.clone()],
            ),
            (Some("2026-12-01"), None, archive, (Some("2026-12-01"), None), vec![outside.clone()]),
            (None, Some("2019-04-30"), archive, (None, Some("2019-04-30")), vec![outside.clone()]),
            (
                Some("2019-04-30"),
                Some("2010-01-01"),
                archive,
                (Some("2010-01-01"), Some("2019-04-30")),
                vec![RangeProblem::Reversed { from: day("2010-01-01"), to: day("2019-04-30") }, outside.clone()],
            ),
            (Some("2030-01-01"), Some("2030-12-31"), None, (Some("2030-01-01"), Some("2030-12-31")), vec![]),
            (Some("2010-01-01"), Some("2019-05-01"), archive, (Some("2010-01-01"), Some("2019-05-01")), vec![]),
            (Some("2026-11-30"), Some("2030-01-01"), archive, (Some("2026-11-30"), Some("2030-01-01")), vec![]),
            (Some("2026-11-30"), Some("2026-11-30"), archive, (Some("2026-11-30"), Some("2026-11-30")), vec![]),
            (
                Some("never"),
                Some("ever"),
                archive,
                (None, None),
                vec![not_a_date(Bound::From, "never"), not_a_date(Bound::To, "ever")],
            ),
        ];
        for (from, to, bounds, (want_from, want_to), problems) in cases {
            let expected = RangeCheck { from: want_from.map(day), to: want_to.map(day), problems };
            assert_eq!(check_range(from, to, bounds), expected, "{from:?} {to:?} {bounds:?}");
        }
    }

    #[test]
    fn range_problems_read_as_sentences() {
        let cases = [
            (
                RangeProblem::NotADate { which: Bound::From, text: "yesterday".into() },
                "the \"from\" date \"yesterday\" is not written YYYY-MM-DD, so it is left out",
            ),
            (
                RangeProblem::NoSuchDay { which: Bound::To, text: "2026-02-30".into() },
                "the \"to\" date 2026-02-30 is not a day of the calendar, so it is left out",
            ),
            (
                RangeProblem::Reversed { from: day("2020-01-01"), to: day("2020-03-31") },
                "the range ended before it started, so it is read from 2020-01-01 to 2020-03-31",
            ),
            (
                RangeProblem::OutsideArchive { first: day("2019-05-01"), last: day("2026-11-30") },
                "the archive has no posts in this range: its posts are from 2019-05-01 to 2026-11-30",
            ),
        ];
        for (problem, message) in cases {
            assert_eq!(problem.to_string(), message);
        }
    }
}
