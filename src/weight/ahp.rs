//! Analytic hierarchy process (层次分析法): weights from a pairwise comparison matrix, with
//! Saaty's consistency check (METHODS.md §4).
//!
//! # Formula
//! ```text
//! A = (a_ij) n × n,  a_ij > 0,  a_ji = 1/a_ij,  a_ii = 1      (Saaty's 1–9 scale)
//! eigenvector:     A w = λ w, Σ w = 1, the principal eigenvector (power iteration to 1e-12)
//! geometric_mean:  g_i = (Π_j a_ij)^(1/n),            w_i = g_i / Σ_k g_k
//! column_mean:     w_i = (1/n) Σ_j a_ij / Σ_k a_kj    (row means of the column-normalised A)
//! λmax = (1/n) Σ_i (A w)_i / w_i                      (with the method's own w)
//! CI   = (λmax − n) / (n − 1)                         (0 for n = 1)
//! CR   = CI / RI(n),   consistent ⇔ CR < 0.1
//! ```
//! a_ij says how much more important criterion i is than criterion j. RI(n) is the random
//! index, a parameter ([`SAATY_RI`] by default). Where RI(n) = 0 (n ≤ 2 in Saaty's table:
//! every positive reciprocal matrix of order ≤ 2 is consistent) CR is undefined (`None`) and
//! `consistent` says whether CI = 0 (within 1e-9).
//!
//! Reciprocity is checked with a tolerance, |a_ij · a_ji − 1| ≤ 0.005 by default
//! (`reciprocal_tolerance`, [`ahp_within`]), so that reciprocals written with three decimals
//! pass (0.333 × 3 = 0.999; the worst case on Saaty's scale is 0.167 × 6 = 1.002); two
//! decimals (0.33, 0.17) do not unless the tolerance is raised (0.01 for 0.33). Cells may be
//! written as fractions, `1/3` ([`crate::kernels::judgement::parse_judgement`]: in a pairwise CSV and as TOML strings
//! `"1/3"` in a catalogue's `[[judgements]]`), which are exact.
//!
//! The random index is a table ([`RandomIndex`], `random_index`): Saaty's 1980 table by
//! default, Donegan & Dodd's (1991) table by name, or a list given in full. The entries are
//! used as given, not
//! replaced by exact reciprocals, so published examples with rounded entries are reproduced.
//! Rounded reciprocals can make λmax a hair below n, hence CI slightly negative: it is
//! reported as computed.
//!
//! # References
//! Saaty (1980), *The Analytic Hierarchy Process*, McGraw-Hill; Saaty (2000), *Fundamentals of
//! Decision Making and Priority Theory*, RWS (the RI table); Donegan & Dodd (1991), "A note on
//! Saaty's random indexes", Mathematical and Computer Modelling 15(10):135–137,
//! doi:10.1016/0895-7177(91)90098-R ([`DONEGAN_DODD_RI`]); Wang & Chin (2011), Information
//! Sciences 181(23):5240–5248 (the eigenvector example used in the tests).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::kernels::{columns, linalg, stats, ArrayView2};
use crate::names::Naming;

/// Saaty's random consistency index RI(n) for n = 1..15 (index n − 1).
pub const SAATY_RI: [f64; 15] =
    [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59];

/// Donegan & Dodd's random index RI(n) for n = 1..20 (index n − 1).
///
/// Donegan, H.A. and Dodd, F.J. (1991), "A note on Saaty's random indexes", *Mathematical and
/// Computer Modelling* 15(10):135–137, doi:10.1016/0895-7177(91)90098-R: RI(3..20) as the
/// Python package AHPy (PhilipGriffith/AHPy, `Compare._compute_consistency_ratio`, its default
/// `random_index = 'dd'`) carries them with that citation, read there and written out here.
/// The paper itself was not at hand and no second copy of the values was found, so AHPy is
/// the one source. RI(1) = RI(2) = 0: every positive reciprocal matrix of order ≤ 2 is
/// consistent (CR is then undefined, as with Saaty's table). AHPy also carries n = 25, 30,
/// 40, …, 100 and interpolates linearly between them; citycheck keeps the rule of
/// [`SAATY_RI`]: a matrix larger than the table is refused.
pub const DONEGAN_DODD_RI: [f64; 20] = [
    0.0, 0.0, 0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055, 1.4213, 1.4497, 1.4643, 1.4822, 1.4969,
    1.5078, 1.5153, 1.5262, 1.5313, 1.5371,
];

/// The random-index table RI(n) that divides CI into CR (`random_index` in a run spec's
/// `{ method = "ahp" }`, `--random-index` on `citycheck weights`).
///
/// - `"saaty1980"` (default): [`SAATY_RI`], Saaty (1980) for n ≤ 10 (0, 0, 0.58, 0.90, 1.12,
///   1.24, 1.32, 1.41, 1.45, 1.49), continued to n = 15 from Saaty (2000). The table of most
///   Chinese textbooks and of R's `ahpsurvey` (Saaty's 1–10 values).
/// - `"donegan_dodd"`: [`DONEGAN_DODD_RI`], Donegan & Dodd (1991) for n ≤ 20 (0, 0, 0.4914,
///   0.8286, 1.0591, …, 1.5371), the default of the Python package AHPy (`random_index='dd'`).
/// - a list `[RI(1), RI(2), …]`: any other published table, as the paper prints it (an
///   explicit table, so that the numbers used are in the spec).
///
/// A matrix larger than a named table is refused (see [`ahp`]). `"saaty2005"` is a name
/// other tools use (AHPy's `'saaty'`: 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52,
/// 1.54, 1.56, 1.58, 1.59 for n = 3..15, cited to Saaty 2005, *Theory and Applications of the
/// Analytic Network Process*, p. 31); only one source could be found that ties these values
/// to that publication, so the table is not shipped and the name is refused with a message
/// asking for the list form.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RandomIndex {
    /// Saaty's table, [`SAATY_RI`].
    #[default]
    Saaty1980,
    /// Donegan & Dodd's table, [`DONEGAN_DODD_RI`].
    DoneganDodd,
    /// A table given in full, `ri[n − 1]` = RI(n).
    Table(Vec<f64>),
}

impl RandomIndex {
    /// The named tables.
    pub const NAMES: &'static [&'static str] = &["saaty1980", "donegan_dodd"];

    /// Names of other tools' tables that are recognised but not shipped.
    const NOT_SHIPPED: &'static [&'static str] = &["saaty2005", "alonso_lamata"];

    /// RI(n) for n = 1, 2, … (`table()[n − 1]`).
    pub fn table(&self) -> &[f64] {
        match self {
            RandomIndex::Saaty1980 => &SAATY_RI,
            RandomIndex::DoneganDodd => &DONEGAN_DODD_RI,
            RandomIndex::Table(t) => t,
        }
    }

    /// `"saaty1980"` or `"donegan_dodd"`, or `"table"` for a list.
    pub fn name(&self) -> &'static str {
        match self {
            RandomIndex::Saaty1980 => "saaty1980",
            RandomIndex::DoneganDodd => "donegan_dodd",
            RandomIndex::Table(_) => "table",
        }
    }

    /// Whether this is the default table (left out when a spec is written).
    pub fn is_default(&self) -> bool {
        *self == RandomIndex::Saaty1980
    }
}

impl std::str::FromStr for RandomIndex {
    type Err = Error;

    /// A table name, or a comma-separated list of RI(1), RI(2), … (`0,0,0.58,0.9`).
    fn from_str(name: &str) -> Result<RandomIndex> {
        let t = name.trim();
        if t == "saaty1980" {
            return Ok(RandomIndex::Saaty1980);
        }
        if t == "donegan_dodd" {
            return Ok(RandomIndex::DoneganDodd);
        }
        if RandomIndex::NOT_SHIPPED.contains(&t) {
            return Err(Error::Spec(format!(
                "random_index '{t}' is not shipped: citycheck carries only the tables whose values \
                 it can cite (saaty1980, donegan_dodd); give the table of your source as a list of \
                 RI(1), RI(2), … (random_index = [0, 0, …] in a spec, --random-index 0,0,… on the \
                 command line)"
            )));
        }
        if t.contains(',') {
            let table = t
                .split(',')
                .map(|v| {
                    v.trim().parse::<f64>().map_err(|_| Error::Spec(format!("random_index: '{v}' is not a number")))
                })
                .collect::<Result<Vec<f64>>>()?;
            return Ok(RandomIndex::Table(table));
        }
        Err(crate::names::unknown("random index table", t, RandomIndex::NAMES))
    }
}

impl std::fmt::Display for RandomIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RandomIndex::Saaty1980 => f.write_str("saaty1980"),
            RandomIndex::DoneganDodd => f.write_str("donegan_dodd"),
            RandomIndex::Table(t) => {
                let parts: Vec<String> = t.iter().map(f64::to_string).collect();
                f.write_str(&parts.join(","))
            }
        }
    }
}

impl Serialize for RandomIndex {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            RandomIndex::Saaty1980 => serializer.serialize_str("saaty1980"),
            RandomIndex::DoneganDodd => serializer.serialize_str("donegan_dodd"),
            RandomIndex::Table(t) => t.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for RandomIndex {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<RandomIndex, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Name(String),
            Table(Vec<f64>),
        }
        match Repr::deserialize(deserializer)? {
            Repr::Name(name) if name.contains(',') => {
                Err(serde::de::Error::custom(format!("random_index: write a table as a list, random_index = [{name}]")))
            }
            Repr::Name(name) => name.parse().map_err(serde::de::Error::custom),
            Repr::Table(t) => Ok(RandomIndex::Table(t)),
        }
    }
}

/// CR below this is consistent (Saaty's 10% rule).
const CR_THRESHOLD: f64 = 0.1;
/// Power-iteration tolerance on the weights (METHODS.md §4).
const POWER_TOL: f64 = 1e-12;
/// Far more than a positive matrix of order ≤ 15 needs (tens of iterations in practice).
const POWER_MAX_ITER: usize = 10_000;
/// |CI| below this counts as 0 where CR is undefined.
const CI_ZERO: f64 = 1e-9;

/// How the weights are derived from the pairwise matrix.
///
/// Named by [`AhpMethod::NAMES`] (`"column_mean".parse::<AhpMethod>()`, `Display` writes the
/// name) and written as the bare name in run specs (`derivation = "geometric_mean"`); an
/// unknown name is answered with the closest known one ([`crate::names`]).
// `remote = "Self"`: serde derives the variants into inherent functions, which the
// `Serialize` and `Deserialize` impls of `named_method!` call after checking the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum AhpMethod {
    /// Principal right eigenvector (Saaty's original method).
    #[default]
    Eigenvector,
    /// Normalised geometric means of the rows (logarithmic least squares).
    GeometricMean,
    /// Row means of the column-normalised matrix (the "approximate" method of textbooks and
    /// ArcGIS).
    ColumnMean,
}

crate::names::named_method!(
    AhpMethod,
    Naming { kind: "AHP derivation", tag: None, names: AhpMethod::NAMES, parameterised: &[] }
);

impl AhpMethod {
    /// Every derivation name, one per variant, for help texts and error messages.
    pub const NAMES: &'static [&'static str] = &["eigenvector", "geometric_mean", "column_mean"];

    /// The method's snake_case name.
    pub fn name(&self) -> &'static str {
        match self {
            AhpMethod::Eigenvector => "eigenvector",
            AhpMethod::GeometricMean => "geometric_mean",
            AhpMethod::ColumnMean => "column_mean",
        }
    }
}

/// AHP weights with the consistency statistics of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AhpResult {
    /// One weight per row of the matrix, > 0, summing to 1.
    pub weights: Vec<f64>,
    /// λmax = mean_i (A w)_i / w_i.
    pub lambda_max: f64,
    /// Consistency index (λmax − n)/(n − 1).
    pub ci: f64,
    /// Consistency ratio CI/RI(n); `None` where RI(n) = 0 (n ≤ 2 with Saaty's table).
    pub cr: Option<f64>,
    /// CR < 0.1 (or, where CR is undefined, CI = 0).
    pub consistent: bool,
}

/// AHP weights of the pairwise comparison matrix `a` by `method`, with λmax, CI and CR
/// computed with the random index table `ri` (`ri[n − 1]` = RI(n); pass [`SAATY_RI`]).
///
/// An inconsistent matrix (CR ≥ 0.1) is not an error: it is reported in
/// [`AhpResult::consistent`], and the caller decides whether to refuse it.
///
/// # Errors
/// [`Error::Spec`] if `a` is empty or not square; if n exceeds the RI table or RI(n) is
/// negative or not finite; if an entry is not finite and > 0 (naming the cell); if a diagonal
/// entry is not 1 or a pair is not reciprocal, |a_ij · a_ji − 1| > 0.005 (naming both cells,
/// 1-based, and both values). [`Error::Method`] if the power iteration does not converge
/// (it always does for a positive matrix).
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::kernels::array;
/// use citycheck::weight::{ahp, AhpMethod, SAATY_RI};
/// // A consistent matrix a_ij = w_i / w_j recovers w = (0.5, 0.3, 0.2) with λmax = 3.
/// let a = array![[1.0, 5.0 / 3.0, 2.5], [0.6, 1.0, 1.5], [0.4, 2.0 / 3.0, 1.0]];
/// let r = ahp(a.view(), AhpMethod::Eigenvector, &SAATY_RI)?;
/// assert!((r.weights[0] - 0.5).abs() < 1e-12 && (r.lambda_max - 3.0).abs() < 1e-12);
/// assert!(r.consistent);
/// # Ok(()) }
/// ```
pub fn ahp(a: ArrayView2<'_, f64>, method: AhpMethod, ri: &[f64]) -> Result<AhpResult> {
    ahp_within(a, method, ri, linalg::RECIPROCITY_TOL)
}

/// [`ahp`] with the reciprocity tolerance `reciprocal_tolerance` (default 0.005, which
/// [`ahp`] uses): a pair passes when |a_ij · a_ji − 1| ≤ the tolerance. 0.01 accepts
/// reciprocals typed with two decimals for 1/3 (0.33 × 3 = 0.99) and 1/9 (0.11); 1/6 as
/// 0.17 needs 0.02 and 1/8 as 0.13 needs 0.04. The entries are used as given.
///
/// # Errors
/// As [`ahp`]; [`Error::Spec`] also for a tolerance that is not finite and in [0, 1).
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::kernels::array;
/// use citycheck::weight::{ahp, ahp_within, AhpMethod, SAATY_RI};
/// let a = array![[1.0, 3.0], [0.33, 1.0]];
/// assert!(ahp(a.view(), AhpMethod::Eigenvector, &SAATY_RI).is_err());
/// assert!(ahp_within(a.view(), AhpMethod::Eigenvector, &SAATY_RI, 0.01).is_ok());
/// # Ok(()) }
/// ```
pub fn ahp_within(
    a: ArrayView2<'_, f64>,
    method: AhpMethod,
    ri: &[f64],
    reciprocal_tolerance: f64,
) -> Result<AhpResult> {
    let n = linalg::check_pairwise_within(a, reciprocal_tolerance)?;
    let ri_n = match ri.get(n - 1) {
        Some(&v) if v.is_finite() && v >= 0.0 => v,
        Some(&v) => {
            return Err(Error::Spec(format!(
                "ahp: RI({n}) = {v} in the random index table; it must be finite and >= 0"
            )))
        }
        None => {
            return Err(Error::Spec(format!(
                "ahp: the pairwise matrix is {n} × {n} but the random index table stops at n = {}; \
                 split the criteria into smaller groups or give a longer RI table",
                ri.len()
            )))
        }
    };

    let weights = match method {
        AhpMethod::Eigenvector => linalg::principal_eigenvector(a, POWER_TOL, POWER_MAX_ITER)?.1,
        AhpMethod::GeometricMean => geometric_mean(a),
        AhpMethod::ColumnMean => column_mean(a),
    };

    let aw = linalg::mat_vec(a, &weights);
    let lambda_max = stats::sum(aw.iter().zip(&weights).map(|(y, w)| y / w)) / n as f64;
    let ci = if n > 1 { (lambda_max - n as f64) / (n - 1) as f64 } else { 0.0 };
    let cr = (ri_n > 0.0).then(|| ci / ri_n);
    let consistent = match cr {
        Some(cr) => cr < CR_THRESHOLD,
        None => ci.abs() <= CI_ZERO,
    };
    Ok(AhpResult { weights, lambda_max, ci, cr, consistent })
}

/// w_i ∝ (Π_j a_ij)^(1/n), through logarithms so that long products neither over- nor
/// underflow.
fn geometric_mean(a: ArrayView2<'_, f64>) -> Vec<f64> {
    let n = a.nrows();
    let g: Vec<f64> = (0..n).map(|i| (stats::sum(a.row(i).iter().map(|x| x.ln())) / n as f64).exp()).collect();
    let total = stats::sum(g.iter().copied());
    g.into_iter().map(|x| x / total).collect()
}

/// w_i = mean_j a_ij / Σ_k a_kj.
fn column_mean(a: ArrayView2<'_, f64>) -> Vec<f64> {
    let n = a.nrows();
    let mut w = vec![0.0; n];
    for col in columns(a) {
        let total = stats::sum(col.iter().copied());
        for (wi, &aij) in w.iter_mut().zip(col.iter()) {
            *wi += aij / total;
        }
    }
    w.into_iter().map(|x| x / n as f64).collect()
}
