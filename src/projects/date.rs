//! A calendar date (proleptic Gregorian), enough for a project's schedule: parsed from
//! `YYYY-MM-DD` (also `YYYY/MM/DD`, `YYYY.MM.DD`), `YYYY-MM` (a month: its first day for a
//! start, its last for an end) and the day numbers of spreadsheet date cells; counted in days.

use std::fmt;
use std::str::FromStr;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
    /// The day of the month, 1–31.
    pub day: u32,
}

fn leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days of `month` in `year`.
fn month_days(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if leap(year) => 29,
        _ => 28,
    }
}

/// Day 0 of a spreadsheet's day numbers (1900 date system): 1899-12-30.
const SHEET_EPOCH: i64 = -25_569;

impl Date {
    /// The date, or `None` when the month or day does not exist.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let exists = (1..=12).contains(&month) && (1..=month_days(year, month)).contains(&day);
        exists.then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The date of a spreadsheet day number (1900 date system, as `.xlsx` date cells hold):
    /// `None` unless a whole number between 1 and 2 958 465 (year 9999).
    pub fn from_sheet_number(x: f64) -> Option<Date> {
        (x.fract() == 0.0 && (1.0..=2_958_465.0).contains(&x)).then(|| Date::from_days(x as i64 + SHEET_EPOCH))
    }

    /// Reads a date; a month alone (`2024-05`) is its first day, or its last with `end`.
    ///
    /// # Errors
    /// A message saying what was expected.
    pub fn parse(text: &str, end: bool) -> std::result::Result<Date, String> {
        let t = text.trim();
        let bad = || format!("expected a date YYYY-MM-DD (or a month YYYY-MM), found '{t}'");
        let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
        let number = |s: &str| -> std::result::Result<u32, String> {
            if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse::<u32>().map_err(|_| bad())
        };
        let (year, month, day) = match parts.as_slice() {
            [y, m] if y.len() == 4 => {
                let (year, month) = (number(y)? as i32, number(m)?);
                if !(1..=12).contains(&month) {
                    return Err(bad());
                }
                (year, month, if end { month_days(year, month) } else { 1 })
            }
            [y, m, d] if y.len() == 4 => (number(y)? as i32, number(m)?, number(d)?),
            _ => return Err(bad()),
        };
        Date::new(year, month, day).ok_or_else(|| format!("'{t}' is not a date (no such day)"))
    }
}

impl FromStr for Date {
    type Err = String;

    /// `YYYY-MM-DD`, or a month `YYYY-MM` (its first day).
    fn from_str(s: &str) -> std::result::Result<Date, String> {
        Date::parse(s, false)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn days_round_trip() {
        for (text, days) in [("1970-01-01", 0), ("2000-03-01", 11_017), ("2024-02-29", 19_782), ("1969-12-31", -1)] {
            let d: Date = text.parse().unwrap();
            assert_eq!(d.days(), days, "{text}");
            assert_eq!(Date::from_days(days), d);
            assert_eq!(d.to_string(), text);
        }
        // 45 474 is 2024-07-01 in a spreadsheet.
        assert_eq!(Date::from_sheet_number(45_474.0), Date::new(2024, 7, 1));
        assert_eq!(Date::parse("2024-02", true), Ok(Date { year: 2024, month: 2, day: 29 }));
        assert!(Date::parse("2023-02-29", false).is_err());
        assert!(Date::parse("soon", false).is_err());
    }
}
