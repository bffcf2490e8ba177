//! Provenance of catalogue rows: how well the source of a group or indicator is established.
//!
//! Every group and indicator carries a [`Status`] (TOML key `status`, default `proposed`). A row
//! that claims more than `proposed` must name its `source`; catalogue validation refuses it
//! otherwise.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How well the source of a catalogue row (group or indicator) is established.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Taken from an official document or table (a ministry's notice, its annexed table, an
    /// official plan).
    Official,
    /// An official row that the official table does not show here, but on which several
    /// independent secondary sources (reprints, city notices, handbook quotations) agree.
    Confirmed,
    /// From one city's own template or plan: valid there, its national status unconfirmed.
    Local,
    /// Proposed: from a dashboard with mock values, an academic framework, an example, or no
    /// source at all (the default).
    #[default]
    Proposed,
}

impl Status {
    /// Every status, from the best established to the least.
    pub const ALL: [Status; 4] = [Status::Official, Status::Confirmed, Status::Local, Status::Proposed];

    /// The status as written in TOML, tables and run.json (`official`, `confirmed`, `local`,
    /// `proposed`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Official => "official",
            Status::Confirmed => "confirmed",
            Status::Local => "local",
            Status::Proposed => "proposed",
        }
    }

    /// Whether this is the default status `proposed`.
    pub fn is_proposed(&self) -> bool {
        *self == Status::Proposed
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many rows (groups or indicators) have each [`Status`]; written as an object in run.json
/// (`"indicator_status": {"official": 0, "confirmed": 3, "local": 1, "proposed": 9}`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// Rows with status `official`.
    pub official: usize,
    /// Rows with status `confirmed`.
    pub confirmed: usize,
    /// Rows with status `local`.
    pub local: usize,
    /// Rows with status `proposed`.
    pub proposed: usize,
}

impl StatusCounts {
    /// Counts the statuses of `statuses`.
    pub fn of(statuses: impl IntoIterator<Item = Status>) -> StatusCounts {
        let mut counts = StatusCounts::default();
        for status in statuses {
            *counts.get_mut(status) += 1;
        }
        counts
    }

    /// The count of rows with `status`.
    pub fn get(&self, status: Status) -> usize {
        match status {
            Status::Official => self.official,
            Status::Confirmed => self.confirmed,
            Status::Local => self.local,
            Status::Proposed => self.proposed,
        }
    }

    fn get_mut(&mut self, status: Status) -> &mut usize {
        match status {
            Status::Official => &mut self.official,
            Status::Confirmed => &mut self.confirmed,
            Status::Local => &mut self.local,
            Status::Proposed => &mut self.proposed,
        }
    }

    /// Rows counted.
    pub fn total(&self) -> usize {
        self.official + self.confirmed + self.local + self.proposed
    }
}

impl fmt::Display for StatusCounts {
    /// `official 4, confirmed 10, local 2, proposed 25`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Status::ALL.iter().map(|s| format!("{s} {}", self.get(*s))).collect();
        f.write_str(&parts.join(", "))
    }
}

/// The warning message for a check-up scored on proposed indicators, or `None` when none of
/// them is proposed.
pub(crate) fn proposed_message(counts: &StatusCounts) -> Option<String> {
    (counts.proposed > 0).then(|| {
        format!(
            "{} of the {} scored indicators are proposed (not from an official or confirmed source)",
            counts.proposed,
            counts.total()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_proposed_and_names_round_trip() {
        assert_eq!(Status::default(), Status::Proposed);
        for s in Status::ALL {
            let text = serde_json::to_string(&s).unwrap();
            assert_eq!(text, format!("\"{}\"", s.as_str()));
            assert_eq!(serde_json::from_str::<Status>(&text).unwrap(), s);
        }
    }

    #[test]
    fn counts_and_message() {
        let c = StatusCounts::of([Status::Official, Status::Proposed, Status::Proposed]);
        assert_eq!((c.official, c.proposed, c.total()), (1, 2, 3));
        assert_eq!(c.to_string(), "official 1, confirmed 0, local 0, proposed 2");
        assert_eq!(
            proposed_message(&c).unwrap(),
            "2 of the 3 scored indicators are proposed (not from an official or confirmed source)"
        );
        assert_eq!(proposed_message(&StatusCounts::of([Status::Local])), None);
    }
}
