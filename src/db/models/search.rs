//! What the moderators' lists share: case-insensitive "contains" search that means the same on
//! SQLite and PostgreSQL (both sides lower-cased, LIKE wildcards in the input escaped), and
//! numbered pages with the total they page through.

use diesel::sql_types::{Nullable, Text};

use crate::db::DbConn;

/// The SQL backend of [`DbConn`], for boxed queries built once and run as rows and as a count.
pub type Backend = <DbConn as diesel::Connection>::Backend;

diesel::define_sql_function! {
    /// `lower(text)`: Unicode case folding on both backends (SQLite's own folds only ASCII, so
    /// [`register_sqlite_functions`] replaces it with Rust's); the input is lower-cased in Rust.
    fn lower(x: Text) -> Text;
}

diesel::define_sql_function! {
    #[sql_name = "lower"]
    fn lower_opt(x: Nullable<Text>) -> Nullable<Text>;
}

/// Replaces SQLite's ASCII-only `lower()` on this connection with Rust's Unicode lower-casing,
/// so `Ü` and `ü` are the same to a search on SQLite as on PostgreSQL (NULL stays NULL).
pub fn register_sqlite_functions(conn: &mut diesel::SqliteConnection) -> diesel::QueryResult<()> {
    lower_opt_utils::register_impl(conn, |text: Option<String>| text.map(|t| t.to_lowercase()))
}

/// The escape character of every search `LIKE` (`… LIKE ? ESCAPE '\'`).
pub const ESCAPE: char = '\\';

/// A `LIKE` pattern that finds `input` anywhere, without regard to case: `%`, `_` and the escape
/// character in the input match only themselves.
pub fn contains(input: &str) -> String {
    let mut pattern = String::with_capacity(input.len() + 2);
    pattern.push('%');
    for c in input.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | ESCAPE) {
            pattern.push(ESCAPE);
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Page sizes: at least 1, at most this, 50 unless asked.
pub const MAX_PER_PAGE: i64 = 500;
pub const DEFAULT_PER_PAGE: i64 = 50;

/// Which page of a list: numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Default for Paging {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl Paging {
    /// A page within bounds: `page` from 1, `per_page` clamped to 1..=[`MAX_PER_PAGE`].
    pub fn new(page: i64, per_page: i64) -> Self {
        Self {
            page: page.max(1),
            per_page: per_page.clamp(1, MAX_PER_PAGE),
        }
    }

    pub fn offset(self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }

    /// Whether a page follows this one in a list of `total`.
    pub fn has_next(self, total: i64) -> bool {
        self.page.saturating_mul(self.per_page) < total
    }

    /// The 1-based positions of the first and last item shown ("1–50 of 201"); (0, 0) when
    /// the page is empty.
    pub fn shown(self, items: usize, total: i64) -> (i64, i64) {
        if items == 0 {
            return (0, 0);
        }
        let first = self.offset() + 1;
        (first, (first + items as i64 - 1).min(total.max(first)))
    }
}

/// One page of a list and the size of the whole list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub paging: Paging,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            paging: self.paging,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_in_the_input_match_only_themselves() {
        assert_eq!(contains(" Bakker "), "%bakker%");
        assert_eq!(contains("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn pages_know_their_place_in_the_list() {
        let third = Paging::new(5, 50);
        assert_eq!(third.offset(), 200);
        assert_eq!(third.shown(1, 201), (201, 201));
        assert!(!third.has_next(201));
        assert!(Paging::new(4, 50).has_next(201));
        assert_eq!(Paging::new(0, 0), Paging::new(1, 1));
        assert_eq!(Paging::new(1, 10_000).per_page, MAX_PER_PAGE);
        assert_eq!(Paging::default().shown(0, 0), (0, 0));
    }
}
