//! Coupling coordination (耦合协调度) between the top-level groups (the subsystems), METHODS.md
//! §6.
//!
//! # Formula
//! For k ≥ 2 subsystem scores U_1 … U_k in [0, 1] (a unit-year's top-level group scores,
//! rescaled by the normalisation scale) and weights β (Σβ = 1, default 1/k each):
//!
//! ```text
//! C = k · [ Π U / (Σ U)^k ]^{1/k}  =  G / A       coupling degree, in [0, 1]
//! T = Σ β_l U_l                                    comprehensive coordination index
//! D = √(C · T)                                     coupling coordination degree
//! ```
//! G and A are the geometric and arithmetic means of U, so C ≤ 1 (AM–GM) with C = 1 exactly
//! when all U are equal. With equal β, T = A and D = √G: the square root of the geometric mean.
//! For k = 2, C = 2√(U_1 U_2)/(U_1 + U_2), the usual two-system formula.
//!
//! # Adjusted coupling degree (`adjusted`)
//! Wang Shujia, Kong Wei, Ren Liang, Zhi Dandan & Dai Binting (2021), 国内耦合协调度模型的误区及
//! 修正 (Research on misuses and modification of coupling coordination degree model in China),
//! 自然资源学报 36(3):793–810, replace C, which crowds near 1, by
//!
//! ```text
//! C' = √[ (1 − Σ_{i<j} |U_i − U_j| / (k(k−1)/2)) · Π_i (U_i / max U)^{1/(k−1)} ]
//! ```
//! the first factor one minus the mean pairwise gap, the second the geometric shortfall from
//! the leading subsystem; T and D = √(C'·T) as above. For k = 2 with U_1 ≤ U_2,
//! C' = √[(1 − (U_2 − U_1)) · U_1/U_2]. A U at 0 gives C' = 0 (all U at 0 included). The
//! formula was checked against the `coupling_degree(type = "adjusted")` of the R package
//! `mathmodels` (GitHub zhjx19/mathmodels, which cites the paper), not against the paper
//! itself.
//!
//! # Grades
//! Ten grades of D in steps of 0.1, each boundary belonging to the upper grade (D = 0.3 is
//! 轻度失调, D = 1 is 优质协调): [0, 0.1) 极度失调, [0.1, 0.2) 严重失调, [0.2, 0.3) 中度失调,
//! [0.3, 0.4) 轻度失调, [0.4, 0.5) 濒临失调, [0.5, 0.6) 勉强协调, [0.6, 0.7) 初级协调,
//! [0.7, 0.8) 中级协调, [0.8, 0.9) 良好协调, [0.9, 1] 优质协调.
//!
//! # Edge cases
//! - A subsystem at the scale's minimum (U = 0): Π U = 0, so C = 0 and D = 0, whatever the
//!   others (the note of the row says which group). All U = 0: C = 0 by the same rule (the
//!   formula's 0/0 is not evaluated).
//! - All U equal (including one unit or a constant panel): C = 1.
//! - A missing group score: the row has empty C, T, D and grade, with a note naming the group.
//! - Fewer than two top-level groups: there is nothing to couple ([`Error::Spec`]).
//! - U outside [0, 1] is clamped by the rescaling; the kernel returns `NaN` for a negative or
//!   `NaN` input.
//!
//! # References
//! METHODS.md §6: the n-subsystem coupling degree; the older three-system variant
//! C = {U_1U_2U_3/[(U_1+U_2+U_3)/3]^3}^{1/3} is the same number and is not offered separately.

use serde::Serialize;

use super::View;
use crate::error::{Error, Result};

/// Coupling C, coordination index T and coupling coordination degree D of one unit-year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coupling {
    /// Coupling degree C, in [0, 1]; 1 when all U are equal.
    pub c: f64,
    /// Comprehensive coordination index T = Σ β U, in [0, 1].
    pub t: f64,
    /// Coupling coordination degree D = √(C·T), in [0, 1].
    pub d: f64,
}

impl Coupling {
    /// The grade of D; `None` when D is `NaN`.
    pub fn grade(&self) -> Option<Grade> {
        Grade::of(self.d)
    }
}

/// The ten grades of the coupling coordination degree D.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 极度失调, D in [0, 0.1).
    ExtremeDisorder,
    /// 严重失调, D in [0.1, 0.2).
    SevereDisorder,
    /// 中度失调, D in [0.2, 0.3).
    ModerateDisorder,
    /// 轻度失调, D in [0.3, 0.4).
    MildDisorder,
    /// 濒临失调, D in [0.4, 0.5).
    VergeOfDisorder,
    /// 勉强协调, D in [0.5, 0.6).
    BarelyCoordinated,
    /// 初级协调, D in [0.6, 0.7).
    PrimaryCoordination,
    /// 中级协调, D in [0.7, 0.8).
    IntermediateCoordination,
    /// 良好协调, D in [0.8, 0.9).
    GoodCoordination,
    /// 优质协调, D in [0.9, 1].
    QualityCoordination,
}

impl Grade {
    /// Every grade, lowest first.
    pub const ALL: [Grade; 10] = [
        Grade::ExtremeDisorder,
        Grade::SevereDisorder,
        Grade::ModerateDisorder,
        Grade::MildDisorder,
        Grade::VergeOfDisorder,
        Grade::BarelyCoordinated,
        Grade::PrimaryCoordination,
        Grade::IntermediateCoordination,
        Grade::GoodCoordination,
        Grade::QualityCoordination,
    ];

    /// The grade of `d` (boundaries belong to the upper grade; values above 1 are the top
    /// grade, below 0 the bottom one); `None` for `NaN`.
    ///
    /// # Examples
    /// ```
    /// use citycheck::diagnose::Grade;
    /// assert_eq!(Grade::of(0.3).map(Grade::as_str), Some("轻度失调"));
    /// assert_eq!(Grade::of(0.2999).map(Grade::as_str), Some("中度失调"));
    /// assert_eq!(Grade::of(1.0).map(Grade::as_str), Some("优质协调"));
    /// assert_eq!(Grade::of(f64::NAN), None);
    /// ```
    pub fn of(d: f64) -> Option<Grade> {
        const UPPER_FROM: [f64; 9] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
        if d.is_nan() {
            return None;
        }
        Some(Grade::ALL[UPPER_FROM.iter().filter(|&&b| d >= b).count()])
    }

    /// The Chinese name (极度失调 … 优质协调), as written in `coupling.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::ExtremeDisorder => "极度失调",
            Grade::SevereDisorder => "严重失调",
            Grade::ModerateDisorder => "中度失调",
            Grade::MildDisorder => "轻度失调",
            Grade::VergeOfDisorder => "濒临失调",
            Grade::BarelyCoordinated => "勉强协调",
            Grade::PrimaryCoordination => "初级协调",
            Grade::IntermediateCoordination => "中级协调",
            Grade::GoodCoordination => "良好协调",
            Grade::QualityCoordination => "优质协调",
        }
    }

    /// The English name (`extreme disorder` … `quality coordination`).
    pub fn name_en(self) -> &'static str {
        match self {
            Grade::ExtremeDisorder => "extreme disorder",
            Grade::SevereDisorder => "severe disorder",
            Grade::ModerateDisorder => "moderate disorder",
            Grade::MildDisorder => "mild disorder",
            Grade::VergeOfDisorder => "verge of disorder",
            Grade::BarelyCoordinated => "barely coordinated",
            Grade::PrimaryCoordination => "primary coordination",
            Grade::IntermediateCoordination => "intermediate coordination",
            Grade::GoodCoordination => "good coordination",
            Grade::QualityCoordination => "quality coordination",
        }
    }
}

/// One grade of a custom scale of the coupling coordination degree D: the grade named `name`
/// holds D from `from` up to the next band's `from` (boundaries belong to the upper grade, as
/// in [`Grade`]). A scale is a list of bands with strictly increasing `from`, the first at 0 or
/// below ([`check_grades`]); e.g. the five grades some papers use, `0:严重失调, 0.2:中度失调,
/// 0.4:基本协调, 0.6:良好协调, 0.8:优质协调`.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    /// The lowest D of the grade.
    pub from: f64,
    /// The grade's name, as written in the output.
    pub name: String,
}

/// Checks a custom grade scale: at least one band, every `from` finite and strictly
/// increasing, the first ≤ 0 (so that every D ≥ 0 has a grade), names not empty.
///
/// # Errors
/// [`Error::Spec`] naming the band at fault.
pub fn check_grades(bands: &[GradeBand]) -> Result<()> {
    let Some(first) = bands.first() else {
        return Err(Error::Spec("grades: the scale has no band".into()));
    };
    if first.from > 0.0 || first.from.is_nan() {
        return Err(Error::Spec(format!(
            "grades: the first band '{}' starts at {}; it must start at 0 so that every D has a grade",
            first.name, first.from
        )));
    }
    for (k, band) in bands.iter().enumerate() {
        if band.name.trim().is_empty() {
            return Err(Error::Spec(format!("grades: band {} (from {}) has no name", k + 1, band.from)));
        }
        if !band.from.is_finite() {
            return Err(Error::Spec(format!("grades: band '{}' starts at {}", band.name, band.from)));
        }
        if k > 0 && band.from <= bands[k - 1].from {
            return Err(Error::Spec(format!(
                "grades: band '{}' starts at {}, not above '{}' at {}; list the bands from the lowest",
                band.name,
                band.from,
                bands[k - 1].name,
                bands[k - 1].from
            )));
        }
    }
    Ok(())
}

/// Reads a grade scale written `from:name,from:name,…` (`0:失调,0.5:协调,0.8:优质协调`), as
/// `citycheck coupling --grades` takes it, and checks it ([`check_grades`]).
///
/// # Errors
/// [`Error::Spec`] for an entry that is not `number:name`, and as [`check_grades`].
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::diagnose::{grade_in, parse_grades};
/// let scale = parse_grades("0:失调, 0.5:协调, 0.8:优质协调")?;
/// assert_eq!(grade_in(0.5, &scale), Some("协调")); // a boundary belongs to the upper grade
/// assert_eq!(grade_in(0.4999, &scale), Some("失调"));
/// assert_eq!(grade_in(f64::NAN, &scale), None);
/// assert!(parse_grades("0.5:协调,0:失调").is_err()); // not increasing
/// # Ok(()) }
/// ```
pub fn parse_grades(text: &str) -> Result<Vec<GradeBand>> {
    let bands =
        text.split(',')
            .map(|entry| {
                let (from, name) = entry.split_once(':').ok_or_else(|| {
                    Error::Spec(format!("grades: '{}' is not from:name (e.g. 0.5:勉强协调)", entry.trim()))
                })?;
                let from = from.trim().parse::<f64>().map_err(|_| {
                    Error::Spec(format!("grades: '{}' in '{}' is not a number", from.trim(), entry.trim()))
                })?;
                Ok(GradeBand { from, name: name.trim().to_string() })
            })
            .collect::<Result<Vec<_>>>()?;
    check_grades(&bands)?;
    Ok(bands)
}

/// The name of the band of a checked scale (`bands`, [`check_grades`]) that holds `d`: the
/// last band whose `from` is ≤ `d`; `None` for `NaN`, or a `d` below the first band.
pub fn grade_in(d: f64, bands: &[GradeBand]) -> Option<&str> {
    if d.is_nan() {
        return None;
    }
    bands.iter().rev().find(|b| d >= b.from).map(|b| b.name.as_str())
}

/// Coupling coordination of subsystem scores `u` (in [0, 1]) with weights `beta` (module docs).
///
/// Any `u` that is 0 gives C = 0. A `NaN` or negative `u`, or an empty `u`, gives `NaN` in
/// every field. `beta` is taken as given (the caller checks Σβ = 1).
///
/// # Panics
/// When `beta` and `u` differ in length.
///
/// # Examples
/// ```
/// use citycheck::diagnose::{coupling, Grade};
/// // U = (0.4, 0.9): C = 2·√0.36/1.3 = 12/13, T = 0.65, D = √(12/13 · 0.65) = √0.6.
/// let k = coupling(&[0.4, 0.9], &[0.5, 0.5]);
/// assert!((k.c - 12.0 / 13.0).abs() < 1e-12);
/// assert!((k.d - 0.6f64.sqrt()).abs() < 1e-12);
/// assert_eq!(k.grade(), Some(Grade::IntermediateCoordination)); // D = 0.7746
/// // A subsystem at zero: no coupling.
/// assert_eq!(coupling(&[0.0, 0.8, 0.9], &[1.0 / 3.0; 3]).c, 0.0);
/// ```
pub fn coupling(u: &[f64], beta: &[f64]) -> Coupling {
    assert_eq!(u.len(), beta.len(), "coupling: one weight per subsystem");
    if u.is_empty() || u.iter().any(|x| x.is_nan() || *x < 0.0) {
        return Coupling { c: f64::NAN, t: f64::NAN, d: f64::NAN };
    }
    let k = u.len() as f64;
    let t: f64 = u.iter().zip(beta).map(|(x, b)| x * b).sum();
    let c = if u.contains(&0.0) {
        0.0
    } else if u.iter().all(|&x| x == u[0]) {
        // Exactly 1, as the formula says; G/A through logarithms would be off by an ulp.
        1.0
    } else {
        // G/A through logarithms: the product of many small U would underflow.
        let geometric = (u.iter().map(|x| x.ln()).sum::<f64>() / k).exp();
        let arithmetic = u.iter().sum::<f64>() / k;
        (geometric / arithmetic).min(1.0)
    };
    Coupling { c, t, d: (c * t).max(0.0).sqrt() }
}

/// [`coupling`] with Wang et al.'s (2021) adjusted coupling degree C' (module docs) in place of C;
/// T and D = √(C'·T) as there.
///
/// A `NaN` or negative `u`, or fewer than two subsystems, gives `NaN` in every field.
///
/// # Panics
/// When `beta` and `u` differ in length.
///
/// # Examples
/// ```
/// use citycheck::diagnose::coupling_adjusted;
/// // U = (0.5, 0.75): C' = √[(1 − 0.25) · 0.5/0.75] = √0.5, T = 0.625, D = √(√0.5 · 0.625).
/// let k = coupling_adjusted(&[0.5, 0.75], &[0.5, 0.5]);
/// assert!((k.c - 0.5f64.sqrt()).abs() < 1e-12);
/// assert!((k.d - (0.5f64.sqrt() * 0.625).sqrt()).abs() < 1e-12);
/// assert_eq!(coupling_adjusted(&[0.0, 0.8, 0.9], &[1.0 / 3.0; 3]).c, 0.0);
/// ```
pub fn coupling_adjusted(u: &[f64], beta: &[f64]) -> Coupling {
    assert_eq!(u.len(), beta.len(), "coupling_adjusted: one weight per subsystem");
    let k = u.len();
    if k < 2 || u.iter().any(|x| x.is_nan() || *x < 0.0) {
        return Coupling { c: f64::NAN, t: f64::NAN, d: f64::NAN };
    }
    let t: f64 = u.iter().zip(beta).map(|(x, b)| x * b).sum();
    let top = u.iter().copied().fold(0.0, f64::max);
    let c = if u.contains(&0.0) || top <= 0.0 {
        0.0
    } else {
        let mut gaps = 0.0;
        for (i, &a) in u.iter().enumerate() {
            for &b in &u[i + 1..] {
                gaps += (a - b).abs();
            }
        }
        let pairs = (k * (k - 1) / 2) as f64;
        let balance = (1.0 - gaps / pairs).max(0.0);
        // Π (U/max)^{1/(k−1)} through logarithms: many small ratios would underflow.
        let shortfall = (u.iter().map(|x| (x / top).ln()).sum::<f64>() / (k - 1) as f64).exp();
        (balance * shortfall).sqrt().min(1.0)
    };
    Coupling { c, t, d: (c * t).max(0.0).sqrt() }
}

/// Coupling coordination of one unit-year: a row of `coupling.csv`.
/// Each field is the column of the same name; C, T, D and grade are empty when a group score
/// is missing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CouplingRow {
    /// The unit.
    pub unit: String,
    /// The diagnosed year.
    pub year: i32,
    /// Coupling degree C, in [0, 1].
    pub c: Option<f64>,
    /// Comprehensive coordination index T, in [0, 1].
    pub t: Option<f64>,
    /// Coupling coordination degree D = √(C·T), in [0, 1].
    pub d: Option<f64>,
    /// The grade of D among the ten of [`Grade`].
    pub grade: Option<Grade>,
    /// The grade written in `coupling.csv`: the band of a custom scale (`grades`) holding D,
    /// else the Chinese name of `grade` (极度失调 … 优质协调).
    pub grade_name: Option<String>,
    /// Which group is missing or at zero.
    pub note: Option<String>,
}

/// Coupling coordination between the top-level groups for every unit of the year.
///
/// # Errors
/// [`Error::Spec`] with fewer than two top-level groups, or a `beta` of the wrong length,
/// with a negative or non-finite entry, or not summing to 1 (within 1e-9).
pub(crate) fn coordinate(
    view: &View<'_>,
    beta: Option<&[f64]>,
    grades: Option<&[GradeBand]>,
    adjusted: bool,
) -> Result<Vec<CouplingRow>> {
    let tree = view.tree();
    let groups = tree.root().children.clone();
    let names: Vec<&str> = groups.iter().map(|&g| tree.node(g).id.as_str()).collect();
    if groups.len() < 2 {
        return Err(Error::Spec(format!(
            "coupling coordination needs at least two top-level groups; the scored tree has {} ({})",
            groups.len(),
            names.join(", ")
        )));
    }
    let beta = match beta {
        Some(b) => check_beta(b, &names)?,
        None => vec![1.0 / groups.len() as f64; groups.len()],
    };
    let mut out = Vec::new();
    for row in view.rows.clone() {
        let u: Vec<f64> = groups.iter().map(|&g| view.score01(row, g)).collect();
        let unit = view.unit(row).to_string();
        let mut r =
            CouplingRow { unit, year: view.year, c: None, t: None, d: None, grade: None, grade_name: None, note: None };
        let missing: Vec<&str> = names.iter().zip(&u).filter(|(_, x)| x.is_nan()).map(|(n, _)| *n).collect();
        if !missing.is_empty() {
            r.note = Some(format!("no score for group(s) {}", missing.join(", ")));
            out.push(r);
            continue;
        }
        let k = if adjusted { coupling_adjusted(&u, &beta) } else { coupling(&u, &beta) };
        let zero: Vec<&str> = names.iter().zip(&u).filter(|(_, &x)| x == 0.0).map(|(n, _)| *n).collect();
        if !zero.is_empty() {
            r.note = Some(format!("group(s) {} at the scale's minimum (U = 0): C = 0", zero.join(", ")));
        }
        r.c = Some(k.c);
        r.t = Some(k.t);
        r.d = Some(k.d);
        r.grade = k.grade();
        r.grade_name = match grades {
            Some(bands) => grade_in(k.d, bands).map(str::to_string),
            None => r.grade.map(|g| g.as_str().to_string()),
        };
        out.push(r);
    }
    Ok(out)
}

fn check_beta(beta: &[f64], names: &[&str]) -> Result<Vec<f64>> {
    if beta.len() != names.len() {
        return Err(Error::Spec(format!(
            "diagnose: beta has {} weight(s), but there are {} top-level groups ({})",
            beta.len(),
            names.len(),
            names.join(", ")
        )));
    }
    if let Some(b) = beta.iter().find(|b| !(b.is_finite() && **b >= 0.0)) {
        return Err(Error::Spec(format!("diagnose: beta weights must be finite and >= 0, found {b}")));
    }
    let total: f64 = beta.iter().sum();
    if (total - 1.0).abs() > 1e-9 {
        return Err(Error::Spec(format!(
            "diagnose: beta weights must sum to 1, they sum to {}",
            crate::error::shown_number(total)
        )));
    }
    Ok(beta.to_vec())
}
