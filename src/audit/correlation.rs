//! Pearson and Spearman correlations of each group's members (its indicators, or its
//! subgroups above level 2) with one another, with their own group, with the other groups of
//! the group's level and with the index, on one year's normalised values (the scores the
//! check-up gives every node), with the JRC audit's flags.
//!
//! # Formula
//! ```text
//! r  = Pearson correlation over the units with both values (pairwise-complete), n of them
//! ρ  = Spearman correlation: r of the average ranks of those n pairs
//! t  = r √((n − 2) / (1 − r²)),   p = 2 · P(T_{n−2} > |t|)      (two-sided; p = 0 when |r| = 1)
//! ```
//! `p_value` is Pearson's (Student's t with n − 2 degrees of freedom, statrs).
//!
//! # Flags (on Pearson's r)
//! - `collinear`: |r| > `collinear` (default 0.9) for two members of one group: they measure the
//!   same thing, and the group double-counts it;
//! - `negative_within_group`: r < 0 for two members of one group: they pull the group's score
//!   in opposite directions (a direction set the wrong way, or a trade-off);
//! - `not_significant_with_group`: p ≥ `significance` (default 0.05) for a member and its own
//!   group: the member does not move with the group it is scored in.
//!
//! Several flags are joined by `;`. A correlation needs at least [`MIN_PAIRS`] units with both
//! values and neither column constant on them; otherwise r, ρ and p are empty and the note says
//! why.
//!
//! # References
//! OECD & JRC (2008), *Handbook on Constructing Composite Indicators*, §4 (multivariate
//! analysis); Becker et al. (2022), COINr (`get_corr`, `get_corr_flags`); Spearman (1904).

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::AuditConfig;
use crate::catalog::{NodeKind, Tree};
use crate::kernels::{from_columns, linalg};

/// Units with both values a correlation needs: with two, r is ±1 whatever the data.
pub const MIN_PAIRS: usize = 3;

/// What the pair of a [`CorrelationRow`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Two members of the group.
    Within,
    /// A member and its own group.
    OwnGroup,
    /// A member and another group of the group's level.
    OtherGroup,
    /// A member and the index.
    Index,
}

impl Relation {
    /// `within`, `own_group`, `other_group` or `index`, as in the `relation` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Within => "within",
            Relation::OwnGroup => "own_group",
            Relation::OtherGroup => "other_group",
            Relation::Index => "index",
        }
    }
}

/// A finding on one correlation (see the module's doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// |r| above the collinearity threshold, within a group.
    Collinear,
    /// r < 0 within a group.
    NegativeWithinGroup,
    /// A member not significantly correlated with its own group.
    NotSignificantWithGroup,
}

impl Flag {
    /// `collinear`, `negative_within_group` or `not_significant_with_group`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Collinear => "collinear",
            Flag::NegativeWithinGroup => "negative_within_group",
            Flag::NotSignificantWithGroup => "not_significant_with_group",
        }
    }
}

/// One row of `correlations.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationRow {
    /// The year: column `year`.
    pub year: i32,
    /// The group whose member `a` is: column `group`.
    pub group: String,
    /// A member of the group: column `a`.
    pub a: String,
    /// Another member, the group itself, another group or `index`: column `b`.
    pub b: String,
    /// What `b` is to `a`: column `relation`.
    pub relation: Relation,
    /// Units with both values: column `n`.
    pub n: usize,
    /// Pearson's r: column `pearson`.
    pub pearson: Option<f64>,
    /// Spearman's ρ: column `spearman`.
    pub spearman: Option<f64>,
    /// The two-sided p-value of Pearson's r: column `p_value`.
    pub p_value: Option<f64>,
    /// The flags raised: column `flag` (joined by `;`, empty when none).
    pub flags: Vec<Flag>,
    /// Why the correlations are empty: column `note`.
    pub note: Option<String>,
}

/// The correlation of two columns over their complete pairs.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pair {
    pub n: usize,
    pub pearson: Option<f64>,
    pub spearman: Option<f64>,
    pub p_value: Option<f64>,
    pub note: Option<String>,
}

/// Pearson's r, Spearman's ρ and r's p-value of `a` and `b` (names `names`, for the note),
/// pairwise-complete.
pub(super) fn pair(a: &[f64], b: &[f64], names: (&str, &str)) -> Pair {
    let complete: Vec<(f64, f64)> =
        a.iter().zip(b).map(|(&x, &y)| (x, y)).filter(|(x, y)| !x.is_nan() && !y.is_nan()).collect();
    let n = complete.len();
    let empty = |note: String| Pair { n, pearson: None, spearman: None, p_value: None, note: Some(note) };
    if n < MIN_PAIRS {
        return empty(format!("{n} unit(s) with both values: a correlation needs at least {MIN_PAIRS}"));
    }
    let first = complete[0];
    let constant_a = complete.iter().all(|p| p.0 == first.0);
    let constant_b = complete.iter().all(|p| p.1 == first.1);
    match (constant_a, constant_b) {
        (true, true) => return empty(format!("'{}' and '{}' are constant: no correlation", names.0, names.1)),
        (true, false) => return empty(format!("'{}' is constant: no correlation", names.0)),
        (false, true) => return empty(format!("'{}' is constant: no correlation", names.1)),
        (false, false) => {}
    }
    // The kernels leave out the incomplete rows themselves (pairwise-complete).
    let x = from_columns(a.len(), 2, a.iter().chain(b).copied().collect()).expect("two columns of one length");
    let finite = |v: f64| Some(v).filter(|v| v.is_finite());
    let pearson = finite(linalg::pearson_correlation(x.view())[[0, 1]]);
    let spearman = finite(linalg::spearman_correlation(x.view())[[0, 1]]);
    Pair { n, pearson, spearman, p_value: pearson.and_then(|r| p_value(r, n)), note: None }
}

/// The two-sided p-value of Pearson's `r` on `n` pairs (Student's t, n − 2 df); `None` for
/// n < 3.
///
/// # Formula
/// ```text
/// t = r √((n − 2) / (1 − r²)),   p = 2 (1 − F_{n−2}(|t|));   p = 0 when |r| = 1
/// ```
pub(super) fn p_value(r: f64, n: usize) -> Option<f64> {
    if n < MIN_PAIRS || !r.is_finite() {
        return None;
    }
    if r.abs() >= 1.0 {
        return Some(0.0);
    }
    let df = (n - 2) as f64;
    let t = r * (df / (1.0 - r * r)).sqrt();
    if !t.is_finite() {
        return Some(0.0);
    }
    let student = StudentsT::new(0.0, 1.0, df).ok()?;
    Some((2.0 * student.sf(t.abs())).min(1.0)).filter(|p| p.is_finite())
}

/// The rows of group `g` of `tree` in `year`: its members pairwise, each member with the group,
/// with the other groups of its level and with the index. `values[n]` is node n's column
/// (units of the year).
pub(super) fn of_group(
    year: i32,
    tree: &Tree,
    g: usize,
    values: &[Vec<f64>],
    config: &AuditConfig,
) -> Vec<CorrelationRow> {
    let node = tree.node(g);
    let id = |n: usize| tree.node(n).id.as_str();
    let members = &node.children;
    let row = |relation: Relation, a: usize, b: usize| {
        let p = pair(&values[a], &values[b], (id(a), id(b)));
        CorrelationRow {
            year,
            group: node.id.clone(),
            a: id(a).to_string(),
            b: id(b).to_string(),
            relation,
            n: p.n,
            pearson: p.pearson,
            spearman: p.spearman,
            p_value: p.p_value,
            flags: Vec::new(),
            note: p.note,
        }
    };
    let mut out = Vec::new();
    for (i, &a) in members.iter().enumerate() {
        for &b in &members[i + 1..] {
            let mut r = row(Relation::Within, a, b);
            if let Some(pearson) = r.pearson {
                if pearson.abs() > config.collinear {
                    r.flags.push(Flag::Collinear);
                }
                if pearson < 0.0 {
                    r.flags.push(Flag::NegativeWithinGroup);
                }
            }
            out.push(r);
        }
    }
    for &a in members {
        let mut r = row(Relation::OwnGroup, a, g);
        if r.p_value.is_some_and(|p| p >= config.significance) {
            r.flags.push(Flag::NotSignificantWithGroup);
        }
        out.push(r);
    }
    if node.kind != NodeKind::Index {
        let others: Vec<usize> = (0..tree.nodes().len())
            .filter(|&h| h != g && tree.node(h).kind == NodeKind::Group && tree.node(h).level == node.level)
            .collect();
        for &a in members {
            for &h in &others {
                out.push(row(Relation::OtherGroup, a, h));
            }
        }
        // Node 0 is the index.
        for &a in members {
            out.push(row(Relation::Index, a, 0));
        }
    }
    out
}
