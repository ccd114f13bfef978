//! What a virtual list renders: the rows in view, the keyboard cursor's row wherever it
//! is, and spacers for the rest, each spacer keyed by where it stands relative to the
//! cursor; and how the cursor moves, from wherever it is when a key is applied, so that
//! keys pressed faster than the list renders each count.
//!
//! The keys are the point. Yew reconciles a keyed list by moving nodes whose order
//! changed, and moving a focused element (`insertBefore`) drops its focus onto `<body>`.
//! Keyed by their place in the list (the n-th piece), one spacer could be the gap
//! between the rows in view and the cursor's row in one render and the list's tail in the
//! next, and the cursor's row was the node Yew chose to move: a keyboard reader pressed
//! End and lost focus. Keyed as here, any two layouts with the same cursor order every
//! key they share alike, so reconciling one into the other moves nothing.

use std::ops::Range;

/// A spacer's key: its place relative to the cursor's row, never its index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spacer {
    /// Before every rendered row.
    Head,
    /// Between the rows in view and the cursor's row below them.
    AboveCursor,
    /// Between the cursor's row and the rows in view below it.
    BelowCursor,
    /// After every rendered row; present even of no rows, so that the list's shape does
    /// not depend on its length.
    Tail,
}

impl Spacer {
    /// The key the list gives this spacer's element.
    pub fn key(self) -> &'static str {
        match self {
            Spacer::Head => "spacer-head",
            Spacer::AboveCursor => "spacer-above-cursor",
            Spacer::BelowCursor => "spacer-below-cursor",
            Spacer::Tail => "spacer-tail",
        }
    }
}

/// One piece of the list, in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Positions in the listing, rendered as rows.
    Rows(Range<usize>),
    /// Stands in for `rows` rows that are not rendered.
    Gap(Spacer, usize),
}

/// A move of the list's keyboard cursor, taken from wherever the cursor is when it is
/// applied: keys pressed faster than the list renders each count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// One row down.
    Next,
    /// One row up.
    Previous,
    /// This many rows down (a screenful).
    PageDown(usize),
    /// This many rows up.
    PageUp(usize),
    /// To the first row.
    First,
    /// To the last row.
    Last,
}

impl Step {
    /// Where the cursor at `at` goes in a list of `total` rows.
    pub fn from(self, at: usize, total: usize) -> usize {
        let last = total.saturating_sub(1);
        match self {
            Step::Next => at.saturating_add(1).min(last),
            Step::Previous => at.saturating_sub(1).min(last),
            Step::PageDown(rows) => at.saturating_add(rows).min(last),
            Step::PageUp(rows) => at.saturating_sub(rows).min(last),
            Step::First => 0,
            Step::Last => last,
        }
    }
}

/// Where the list's keyboard cursor is: a place in the listing, and whether the row
/// there should take focus (it moved by keyboard) or not (it followed a click or a route).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    /// The cursor's place in the listing.
    pub at: usize,
    /// Whether its row takes focus once rendered.
    pub focus: bool,
}

/// What moves the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CursorMove {
    /// To a place: a click, focus arriving on a row, the open article.
    To(Cursor),
    /// Where it is, taking focus (back to the list on a phone).
    Focus,
    /// A key's step, from wherever the cursor is when the move is applied. `total` is the
    /// listing's length and `origin` where the list showed the cursor, both as the render
    /// the key met saw them; `origin` counts only when the cursor is not in the listing.
    Step {
        /// Which step.
        step: Step,
        /// The listing's length.
        total: usize,
        /// Where the list showed the cursor.
        origin: usize,
    },
}

impl Cursor {
    /// The cursor after `by`.
    pub fn moved(self, by: CursorMove) -> Cursor {
        match by {
            CursorMove::To(to) => to,
            CursorMove::Focus => Cursor { focus: true, ..self },
            CursorMove::Step { step, total, origin } => {
                let from = if self.at < total { self.at } else { origin };
                Cursor { at: step.from(from, total), focus: true }
            }
        }
    }
}

/// The rows in a viewport `height` tall scrolled to `scroll_top`, with `overscan` rows
/// beyond each edge, of a list of `total` rows `row_height` tall.
pub fn in_view(total: usize, scroll_top: f64, height: f64, row_height: f64, overscan: usize) -> Range<usize> {
    let first = ((scroll_top / row_height).floor() as usize).saturating_sub(overscan).min(total);
    let last = (((scroll_top + height) / row_height).ceil() as usize + overscan).min(total);
    first..last.max(first)
}

/// The pieces of a list of `total` rows that renders `view`, and the `cursor`'s row too
/// when it is elsewhere.
pub fn pieces(total: usize, view: Range<usize>, cursor: Option<usize>) -> Vec<Piece> {
    let view = view.start.min(total)..view.end.min(total);
    let mut out = Vec::with_capacity(5);
    let mut at = 0;
    let mut push = |out: &mut Vec<Piece>, gap: Spacer, rows: Range<usize>| {
        if rows.start > at {
            out.push(Piece::Gap(gap, rows.start - at));
        }
        if !rows.is_empty() {
            out.push(Piece::Rows(rows.clone()));
        }
        at = at.max(rows.end);
    };
    match cursor.filter(|&c| c < total && !view.contains(&c)) {
        Some(c) if c < view.start => {
            push(&mut out, Spacer::Head, c..c + 1);
            push(&mut out, Spacer::BelowCursor, view);
        }
        Some(c) => {
            push(&mut out, Spacer::Head, view);
            push(&mut out, Spacer::AboveCursor, c..c + 1);
        }
        None => push(&mut out, Spacer::Head, view),
    }
    out.push(Piece::Gap(Spacer::Tail, total - at));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of a layout in document order: rows by position, spacers by role.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Key {
        Row(usize),
        Spacer(Spacer),
    }

    fn keys(pieces: &[Piece]) -> Vec<Key> {
        pieces
            .iter()
            .flat_map(|piece| match piece {
                Piece::Rows(rows) => rows.clone().map(Key::Row).collect::<Vec<_>>(),
                Piece::Gap(spacer, _) => vec![Key::Spacer(*spacer)],
            })
            .collect()
    }

    fn rows_covered(pieces: &[Piece]) -> usize {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Rows(r) => r.len(),
                Piece::Gap(_, n) => *n,
            })
            .sum()
    }

    /// Every view of a 40-row list, and a few cursors inside and outside it.
    fn layouts(total: usize) -> impl Iterator<Item = (Range<usize>, Option<usize>)> {
        let cursors = [None, Some(0), Some(5), Some(19), Some(total - 1)];
        (0..total).step_by(3).flat_map(move |start| {
            [4, 12].into_iter().flat_map(move |len| cursors.into_iter().map(move |c| (start..start + len, c)))
        })
    }

    #[test]
    fn pieces_stand_for_every_row_once_in_order() {
        let total = 40;
        for (view, cursor) in layouts(total) {
            let pieces = pieces(total, view.clone(), cursor);
            assert_eq!(rows_covered(&pieces), total, "{view:?} {cursor:?}: {pieces:?}");
            let rows: Vec<usize> = keys(&pieces)
                .into_iter()
                .filter_map(|k| match k {
                    Key::Row(r) => Some(r),
                    Key::Spacer(_) => None,
                })
                .collect();
            assert!(rows.windows(2).all(|w| w[0] < w[1]), "{view:?} {cursor:?}: rows out of order: {rows:?}");
            assert!(matches!(pieces.last(), Some(Piece::Gap(Spacer::Tail, _))));
        }
    }

    #[test]
    fn the_cursors_row_is_rendered_wherever_the_list_is_scrolled() {
        let total = 40;
        for (view, cursor) in layouts(total) {
            let Some(c) = cursor else { continue };
            assert!(keys(&pieces(total, view.clone(), cursor)).contains(&Key::Row(c)), "{view:?} cursor {c}");
        }
    }

    #[test]
    fn no_key_appears_twice_in_one_layout() {
        let total = 40;
        for (view, cursor) in layouts(total) {
            let keys = keys(&pieces(total, view.clone(), cursor));
            for (i, key) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(key), "{view:?} {cursor:?}: {key:?} twice");
            }
        }
    }

    /// The property that keeps focus: scrolling (a new view, the same cursor) never
    /// changes the relative order of two keys both layouts have, so a keyed
    /// reconciliation has nothing to move, the focused row least of all.
    #[test]
    fn scrolling_keeps_the_order_of_every_shared_key() {
        let total = 40;
        for (before, cursor) in layouts(total) {
            for (after, other) in layouts(total) {
                if other != cursor {
                    continue;
                }
                let (a, b) =
                    (keys(&pieces(total, before.clone(), cursor)), keys(&pieces(total, after.clone(), cursor)));
                let shared: Vec<Key> = a.iter().copied().filter(|k| b.contains(k)).collect();
                let in_b: Vec<Key> = b.iter().copied().filter(|k| a.contains(k)).collect();
                assert_eq!(shared, in_b, "cursor {cursor:?}, scrolled from {before:?} to {after:?}");
            }
        }
    }

    #[test]
    fn steps_stay_in_the_list() {
        let table = [
            (Step::Next, 0, 10, 1),
            (Step::Next, 9, 10, 9),
            (Step::Previous, 0, 10, 0),
            (Step::Previous, 5, 10, 4),
            (Step::PageDown(4), 3, 10, 7),
            (Step::PageDown(4), 8, 10, 9),
            (Step::PageUp(4), 3, 10, 0),
            (Step::PageUp(4), 9, 10, 5),
            (Step::First, 7, 10, 0),
            (Step::Last, 2, 10, 9),
            (Step::Next, 0, 0, 0),
            (Step::Last, 0, 0, 0),
        ];
        for (step, at, total, to) in table {
            assert_eq!(step.from(at, total), to, "{step:?} from {at} of {total}");
        }
    }

    #[test]
    fn keys_pressed_before_a_render_each_move_the_cursor() {
        // Thirty arrows sent with what one render saw (total 44, cursor at 0).
        let step = CursorMove::Step { step: Step::Next, total: 44, origin: 0 };
        let cursor = std::iter::repeat_n(step, 30).fold(Cursor::default(), Cursor::moved);
        assert_eq!(cursor, Cursor { at: 30, focus: true });
    }

    #[test]
    fn a_step_from_a_cursor_outside_the_list_starts_where_the_list_shows_it() {
        // The listing shrank under the cursor; the list shows it at the open article's row.
        let cursor = Cursor { at: 40, focus: false };
        let moved = cursor.moved(CursorMove::Step { step: Step::Next, total: 10, origin: 3 });
        assert_eq!(moved, Cursor { at: 4, focus: true });
        let placed = cursor.moved(CursorMove::To(Cursor { at: 2, focus: false }));
        assert_eq!(placed, Cursor { at: 2, focus: false });
        assert_eq!(placed.moved(CursorMove::Focus), Cursor { at: 2, focus: true });
    }

    #[test]
    fn the_view_is_clamped_to_the_list() {
        assert_eq!(in_view(10, 0.0, 300.0, 100.0, 2), 0..5);
        assert_eq!(in_view(10, 900.0, 300.0, 100.0, 2), 7..10);
        assert_eq!(in_view(10, 5000.0, 300.0, 100.0, 2), 10..10);
        assert_eq!(in_view(0, 0.0, 300.0, 100.0, 8), 0..0);
    }
}
