//! Weaknesses (短板) and strengths: a unit's place among its peers on each indicator.
//!
//! # Rules
//! Peers are all units of the year, or the units sharing the value of a unit attribute
//! (`peers = "province"`). On indicator j, among the m peers with a score x (the normalised
//! score, higher = better):
//!
//! ```text
//! rank    = 1 + #{peers with x' > x}                        (1 = best, ties share the lowest rank)
//! below   = #{x' < x} / m      above = #{x' > x} / m
//! weakness  when below < s     (the unit lies in the bottom share s of its peers, default 0.2)
//!           or x < median − d·(hi − lo)                     ("far below the peer median", d default 0.25)
//! strength  when above < s and the unit is not a weakness
//! ```
//! `share` in the output is `below` for a weakness and `above` for a strength: the share of
//! peers beyond the unit at its end. With m = 10 and s = 0.2, the two lowest units are
//! weaknesses; with m = 14, the three lowest (their `below` is 0, 1/14, 2/14 < 0.2).
//!
//! # Edge cases
//! - Ties are treated alike: every unit of a tied bottom group is a weakness.
//! - All peers equal (a constant indicator): nobody is a weakness or a strength (the unit has
//!   nobody above or below it); a far-below test against the median cannot fire either.
//! - Fewer than two peers with a score: no comparison (a note says which peer group).
//! - Units without a value of the peer attribute are compared with nobody (a note lists them).
//! - A missing score: the unit is not ranked on that indicator. Imputed values are scored by
//!   the check-up and compared like the others.

use std::collections::{BTreeMap, HashMap};

use super::{DiagnoseOptions, View};
use crate::error::{Error, Result};
use crate::kernels::rank::rank_best_first;

/// Whether a flagged unit is at the bottom or the top of its peers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerKind {
    /// A weakness (短板): bottom share of the peers, or far below their median.
    Weakness,
    /// A strength: top share of the peers, and not a weakness.
    Strength,
}

impl PeerKind {
    /// `weakness` or `strength`, as in the `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            PeerKind::Weakness => "weakness",
            PeerKind::Strength => "strength",
        }
    }
}

/// A unit flagged on an indicator against its peers: a row of `weaknesses.csv`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PeerFlag {
    /// The unit: column `unit`.
    pub unit: String,
    /// The diagnosed year: column `year`.
    pub year: i32,
    /// The indicator's id: column `indicator`.
    pub indicator: String,
    /// The value of the peer attribute, or `all`.
    pub peer_group: String,
    /// Peers with a score on the indicator (the unit included).
    pub peers: u32,
    /// Rank among the peers on the indicator's score (1 = best, ties share the lowest rank).
    pub rank: u32,
    /// Share of peers beyond the unit at its end (module docs).
    pub share: f64,
    /// The unit's normalised score on the indicator (higher = better).
    pub score: f64,
    /// Median of the peers' scores.
    pub peer_median: f64,
    /// Weakness or strength: column `kind`.
    pub kind: PeerKind,
    /// In the bottom (weakness) or top (strength) share of its peers.
    pub in_share: bool,
    /// More than `far_below` of the scale range below the peer median.
    pub far_below: bool,
    pub(crate) row: usize,
    pub(crate) position: usize,
}

/// The flags, and every unit's rank among its peers (for the ledger).
pub(crate) struct Peers {
    pub flags: Vec<PeerFlag>,
    ranks: HashMap<(usize, usize), u32>,
    weakness: HashMap<(usize, usize), usize>,
}

impl Peers {
    /// Rank of `row` among its peers on indicator node `node`.
    pub fn rank(&self, row: usize, node: usize) -> Option<u32> {
        self.ranks.get(&(row, node)).copied()
    }

    /// The weakness flag of `row` on `node`, if any.
    pub fn weakness(&self, row: usize, node: usize) -> Option<&PeerFlag> {
        self.weakness.get(&(row, node)).map(|&i| &self.flags[i])
    }
}

pub(crate) fn compare(view: &View<'_>, options: &DiagnoseOptions, notes: &mut Vec<String>) -> Result<Peers> {
    let groups = peer_groups(view, options.peers.as_deref(), notes)?;
    let indicators = view.indicator_nodes();
    let margin = options.far_below * (view.hi - view.lo);
    let mut flags = Vec::new();
    let mut ranks = HashMap::new();
    for (name, rows) in &groups {
        if rows.len() < 2 {
            notes.push(format!(
                "peer group '{name}' has one unit ({}) in {}: no peer comparison",
                view.unit(rows[0]),
                view.year
            ));
            continue;
        }
        for &n in &indicators {
            let scores: Vec<f64> = rows.iter().map(|&r| view.scores.value(r, n)).collect();
            let mut sorted: Vec<f64> = scores.iter().copied().filter(|x| !x.is_nan()).collect();
            sorted.sort_unstable_by(f64::total_cmp);
            let m = sorted.len();
            if m < 2 {
                continue;
            }
            let median = median_of_sorted(&sorted);
            for ((&row, &x), rank) in rows.iter().zip(&scores).zip(rank_best_first(&scores)) {
                if x.is_nan() {
                    continue;
                }
                ranks.insert((row, n), rank);
                let above = (rank - 1) as usize;
                let below = sorted.partition_point(|&v| v < x);
                if above == 0 && below == 0 {
                    continue;
                }
                let share_below = below as f64 / m as f64;
                let share_above = above as f64 / m as f64;
                let bottom = share_below < options.weak_share;
                let far_below = x < median - margin;
                let (kind, in_share, share) = if bottom || far_below {
                    (PeerKind::Weakness, bottom, share_below)
                } else if share_above < options.weak_share {
                    (PeerKind::Strength, true, share_above)
                } else {
                    continue;
                };
                flags.push(PeerFlag {
                    unit: view.unit(row).to_string(),
                    year: view.year,
                    indicator: view.indicator(n).id.clone(),
                    peer_group: name.clone(),
                    peers: m as u32,
                    rank,
                    share,
                    score: x,
                    peer_median: median,
                    kind,
                    in_share,
                    far_below,
                    row,
                    position: n,
                });
            }
        }
    }
    flags.sort_by_key(|f| (f.row, f.position));
    let weakness = flags
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == PeerKind::Weakness)
        .map(|(i, f)| ((f.row, f.position), i))
        .collect();
    Ok(Peers { flags, ranks, weakness })
}

/// The peer groups of the year: name and rows, in a fixed order.
fn peer_groups(view: &View<'_>, attribute: Option<&str>, notes: &mut Vec<String>) -> Result<Vec<(String, Vec<usize>)>> {
    let Some(name) = attribute else {
        return Ok(vec![("all".to_string(), view.rows.clone().collect())]);
    };
    let data = view.data;
    let attr = data.attributes.iter().find(|a| a.name == name).ok_or_else(|| {
        let known: Vec<&str> = data.attributes.iter().map(|a| a.name.as_str()).collect();
        Error::Spec(if known.is_empty() {
            format!("peers = '{name}': the data have no unit attributes")
        } else {
            format!("peers = '{name}': no such unit attribute (attributes: {})", known.join(", "))
        })
    })?;
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut without = Vec::new();
    for row in view.rows.clone() {
        match attr.values[data.row_unit[row] as usize].as_deref() {
            Some(value) => groups.entry(value).or_default().push(row),
            None => without.push(view.unit(row)),
        }
    }
    if !without.is_empty() {
        notes.push(format!(
            "{} unit(s) have no '{name}' and are compared with no peers: {}",
            without.len(),
            without.join(", ")
        ));
    }
    Ok(groups.into_iter().map(|(value, rows)| (value.to_string(), rows)).collect())
}

fn median_of_sorted(sorted: &[f64]) -> f64 {
    let m = sorted.len();
    if m % 2 == 1 {
        sorted[m / 2]
    } else {
        (sorted[m / 2 - 1] + sorted[m / 2]) / 2.0
    }
}
