//! `citycheck weights` and `citycheck rank`: the method kernels on a plain decision matrix.

use std::fmt::Write;
use std::path::Path;

use citycheck::aggregate::{
    grey_relational_with, vikor, Aggregate, GreyNormalization, Labels, MissingPolicy, TopsisNormalization,
    WeightedSumNormalization,
};
use citycheck::direction::{Criterion, Direction};
use citycheck::io::csv_text;
use citycheck::kernels::rank::rank_best_first;
use citycheck::kernels::{column, Array2};
use citycheck::names;
use citycheck::normalize::Normalize;
use citycheck::panel::{read_decision_matrix, read_pairwise_matrix, DecisionMatrix};
use citycheck::weight::{ahp_within, AhpMethod, Criteria, RandomIndex, Weight};
use citycheck::{Error, Result};

fn directions(types: Option<&[Direction]>, n: usize) -> Result<Vec<Direction>> {
    let Some(types) = types else { return Ok(vec![Direction::Higher; n]) };
    if types.len() != n {
        return Err(Error::Spec(format!("--types has {} entries for {n} criteria", types.len())));
    }
    Ok(types.to_vec())
}

fn compute_weights(m: &DecisionMatrix, method: &Weight, dirs: &[Direction]) -> Result<(Vec<f64>, Vec<String>)> {
    let mut warnings = Vec::new();
    let expert = vec![None; m.criteria.len()];
    let criteria = Criteria { names: &m.criteria, directions: dirs, expert: &expert, judgement: None };
    let w = method.compute(m.values.view(), m.values.view(), criteria, &mut warnings)?;
    Ok((w, warnings))
}

/// The methods of `citycheck rank --method`.
pub const RANK_METHODS: &[&str] =
    &["topsis", "grey_relational", "vikor", "weighted_sum", "weighted_product", "arithmetic", "geometric", "harmonic"];

/// The ranking methods that read `--normalize`; the others refuse it.
pub const NORMALIZING_METHODS: &[&str] =
    &["topsis", "grey_relational", "weighted_sum", "arithmetic", "geometric", "harmonic"];

/// The ranking methods that read `--parameter` (grey_relational's ρ, vikor's v).
pub const PARAMETER_METHODS: &[&str] = &["grey_relational", "vikor"];

/// The normalisations of `rank --method topsis --normalize`, the default first.
pub const TOPSIS_NORMALIZATIONS: &[&str] = &["vector", "min_max"];

/// The normalisations of `rank --method weighted_sum --normalize`, the default first.
pub const WEIGHTED_SUM_NORMALIZATIONS: &[&str] = &["min_max", "sum"];

/// `rank --method`: one of [`RANK_METHODS`], or the closest-name message.
pub fn parse_rank_method(name: &str) -> std::result::Result<String, String> {
    if RANK_METHODS.contains(&name) {
        Ok(name.to_string())
    } else {
        Err(names::unknown_message("ranking method", name, RANK_METHODS))
    }
}

/// The method parameters of `citycheck weights` given as flags: each belongs to one method and
/// is refused with any other (no flag is silently ignored).
#[derive(Default)]
pub struct WeightFlags {
    /// `--types`: read by entropy_normalized only (the others weigh the columns as they are).
    pub types_given: bool,
    /// `--shift` (entropy_normalized).
    pub shift: Option<f64>,
    /// `--rescale lo,hi` (entropy_normalized).
    pub rescale: Option<[f64; 2]>,
    /// `--random-index` (ahp).
    pub random_index: Option<RandomIndex>,
    /// `--reciprocal-tolerance` (ahp).
    pub reciprocal_tolerance: Option<f64>,
    /// `--derivation` (ahp).
    pub derivation: Option<AhpMethod>,
}

/// `--rescale lo,hi`: two numbers.
pub fn parse_rescale(text: &str) -> std::result::Result<[f64; 2], String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    match parts.as_slice() {
        [lo, hi] => match (lo.parse::<f64>(), hi.parse::<f64>()) {
            (Ok(lo), Ok(hi)) => Ok([lo, hi]),
            _ => Err(format!("--rescale '{text}': two numbers lo,hi, e.g. 0.002,0.996")),
        },
        _ => Err(format!("--rescale '{text}': two numbers lo,hi, e.g. 0.002,0.996")),
    }
}

/// The error for `flag` given with a method that does not read it.
fn ignored_flag(flag: &str, method: &str, takers: &str) -> Error {
    Error::Spec(format!(
        "{flag} is not read by {method}; it is an option of {takers} (leave it out or change --method)"
    ))
}

/// `method` with the parameters given as flags, or an error for a flag the method ignores.
pub fn weight_with_flags(method: Weight, flags: &WeightFlags) -> Result<Weight> {
    let name = method.name();
    match method {
        Weight::EntropyNormalized { shift, rescale } => {
            for (given, flag) in [
                (flags.random_index.is_some(), "--random-index"),
                (flags.reciprocal_tolerance.is_some(), "--reciprocal-tolerance"),
                (flags.derivation.is_some(), "--derivation"),
            ] {
                if given {
                    return Err(ignored_flag(flag, name, "--method ahp"));
                }
            }
            Ok(Weight::EntropyNormalized { shift: flags.shift.unwrap_or(shift), rescale: flags.rescale.or(rescale) })
        }
        Weight::Ahp { derivation, strict, random_index, reciprocal_tolerance } => {
            for (given, flag) in [
                (flags.types_given, "--types"),
                (flags.shift.is_some(), "--shift"),
                (flags.rescale.is_some(), "--rescale"),
            ] {
                if given {
                    let takers = if flag == "--types" {
                        "--method entropy_normalized (ahp reads --pairwise only)"
                    } else {
                        "--method entropy_normalized"
                    };
                    return Err(ignored_flag(flag, name, takers));
                }
            }
            Ok(Weight::Ahp {
                derivation: flags.derivation.unwrap_or(derivation),
                strict,
                random_index: flags.random_index.clone().unwrap_or(random_index),
                reciprocal_tolerance: flags.reciprocal_tolerance.unwrap_or(reciprocal_tolerance),
            })
        }
        other => {
            for (given, flag, takers) in [
                (
                    flags.types_given,
                    "--types",
                    "--method entropy_normalized (the other methods weigh the columns as they are)",
                ),
                (flags.shift.is_some(), "--shift", "--method entropy_normalized"),
                (flags.rescale.is_some(), "--rescale", "--method entropy_normalized"),
                (flags.random_index.is_some(), "--random-index", "--method ahp"),
                (flags.reciprocal_tolerance.is_some(), "--reciprocal-tolerance", "--method ahp"),
                (flags.derivation.is_some(), "--derivation", "--method ahp"),
            ] {
                if given {
                    return Err(ignored_flag(flag, name, takers));
                }
            }
            Ok(other)
        }
    }
}

/// `criterion,weight` (AHP: plus lambda_max, ci, cr) for a matrix and a weight method.
pub fn weights(
    matrix: Option<&Path>,
    method: &Weight,
    types: Option<&[Direction]>,
    pairwise: Option<&Path>,
    explain: Option<&Path>,
) -> Result<String> {
    if explain.is_some() {
        crate::explain::check_weight_method(method)?;
    }
    let mut out = String::new();
    if let Weight::Ahp { derivation, random_index, reciprocal_tolerance, .. } = method {
        let path = pairwise.ok_or_else(|| Error::Spec("ahp needs --pairwise P.csv".into()))?;
        let p = read_pairwise_matrix(path)?;
        let result = ahp_within(p.values.view(), *derivation, random_index.table(), *reciprocal_tolerance)?;
        let cr = result.cr.map_or(String::new(), |c| c.to_string());
        let _ = writeln!(out, "criterion,weight,lambda_max,ci,cr");
        for (c, w) in p.criteria.iter().zip(&result.weights) {
            let _ = writeln!(out, "{},{w},{},{},{cr}", csv_text(c), result.lambda_max, result.ci);
        }
        if !result.consistent {
            let cr = result.cr.map_or(String::new(), citycheck::error::shown_number);
            eprintln!("warning: the pairwise matrix is inconsistent (CR = {cr} >= 0.1): revise the judgements");
        }
        return Ok(out);
    }
    let path = matrix.ok_or_else(|| Error::Spec(format!("{method} needs --matrix M.csv")))?;
    let m = read_decision_matrix(path)?;
    let dirs = directions(types, m.criteria.len())?;
    let (w, warnings) = compute_weights(&m, method, &dirs)?;
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    if let Some(dir) = explain {
        crate::explain::weights(dir, &m, method, &dirs)?;
    }
    let _ = writeln!(out, "criterion,weight");
    for (c, w) in m.criteria.iter().zip(&w) {
        let _ = writeln!(out, "{},{w}", csv_text(c));
    }
    Ok(out)
}

/// Weights given as a method name, a comma-separated list or a CSV file `criterion,weight`;
/// given weights that do not sum to 1 are normalised with a warning, or refused when `strict`.
pub(crate) fn parse_weights(spec: &str, m: &DecisionMatrix, dirs: &[Direction], strict: bool) -> Result<Vec<f64>> {
    let given: Option<Vec<f64>> = if Path::new(spec).is_file() {
        let w = read_decision_matrix(spec)?;
        let by_criterion =
            m.criteria
                .iter()
                .map(|c| {
                    w.alternatives.iter().position(|a| a == c).map(|i| w.values[[i, 0]]).ok_or_else(|| {
                        Error::Spec(format!("the weights file {spec} has no weight for criterion '{c}'"))
                    })
                })
                .collect::<Result<_>>()?;
        Some(by_criterion)
    } else if spec.contains(',') || spec.parse::<f64>().is_ok() {
        let w: Vec<f64> = spec
            .split(',')
            .map(|s| s.trim().parse::<f64>().map_err(|_| Error::Spec(format!("--weights: '{s}' is not a number"))))
            .collect::<Result<_>>()?;
        if w.len() != m.criteria.len() {
            return Err(Error::Spec(format!("--weights has {} values for {} criteria", w.len(), m.criteria.len())));
        }
        Some(w)
    } else {
        None
    };
    if let Some(w) = given {
        if w.iter().any(|x| !x.is_finite() || *x < 0.0) {
            return Err(Error::Spec("--weights must be finite numbers >= 0".into()));
        }
        // Given weights are expert weights: normalised with a warning, or refused when strict.
        let expert: Vec<Option<f64>> = w.into_iter().map(Some).collect();
        let mut warnings = Vec::new();
        let w = citycheck::weight::fixed(&m.criteria, &expert, strict, &mut warnings)?;
        for warning in warnings {
            eprintln!("warning: {warning}");
        }
        return Ok(w);
    }
    let (w, warnings) = compute_weights(m, &spec.parse::<Weight>()?, dirs)?;
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    Ok(w)
}

/// A catalogue indicator standing for one criterion, so that the normalisation kernels see its
/// direction.
/// Normalises every column with `method` (direction-aware) for the weighted means.
fn normalized(m: &DecisionMatrix, dirs: &[Direction], method: &Normalize) -> Result<Array2<f64>> {
    let mut out = m.values.clone();
    for (j, name) in m.criteria.iter().enumerate() {
        let ind = Criterion::new(name, dirs[j]);
        let mut notes = Vec::new();
        let params = method.fit(&ind, &column(m.values.view(), j), &mut notes)?;
        for note in notes {
            eprintln!("warning: {note}");
        }
        for (i, alternative) in m.alternatives.iter().enumerate() {
            out[[i, j]] = method.apply(&ind, &params, alternative, m.values[[i, j]])?;
        }
    }
    Ok(out)
}

/// The method options of `citycheck rank`.
pub struct RankOptions<'a> {
    pub normalize: Option<&'a str>,
    pub parameter: Option<f64>,
    pub strict: bool,
    /// `--explain DIR`: the folder of the intermediate tables.
    pub explain: Option<&'a Path>,
}

/// `alternative,score,rank` for a matrix, weights and a ranking method.
pub fn rank(
    matrix: &Path,
    types: Option<&[Direction]>,
    weights: &str,
    method: &str,
    options: RankOptions<'_>,
) -> Result<String> {
    let RankOptions { normalize, parameter, strict, explain } = options;
    if explain.is_some() {
        crate::explain::check_rank_method(method)?;
    }
    if normalize.is_some() && !NORMALIZING_METHODS.contains(&method) {
        return Err(ignored_flag("--normalize", method, &format!("--method {}", NORMALIZING_METHODS.join(", "))));
    }
    if parameter.is_some() && !PARAMETER_METHODS.contains(&method) {
        return Err(ignored_flag("--parameter", method, "--method grey_relational (ρ) and vikor (v)"));
    }
    let m = read_decision_matrix(matrix)?;
    let dirs = directions(types, m.criteria.len())?;
    let w = parse_weights(weights, &m, &dirs, strict)?;
    let labels = Labels { rows: &m.alternatives, columns: &m.criteria, year: None };
    let mut out = String::new();
    let scores = match method {
        "topsis" => {
            let norm = match normalize.unwrap_or("vector") {
                "vector" => TopsisNormalization::Vector,
                "min_max" => TopsisNormalization::MinMax,
                other => return Err(names::unknown("TOPSIS normalisation", other, TOPSIS_NORMALIZATIONS)),
            };
            let scores = citycheck::aggregate::topsis(m.values.view(), &w, &dirs, norm, labels)?;
            if let Some(dir) = explain {
                crate::explain::topsis(dir, &m, &w, &dirs, norm)?;
            }
            scores
        }
        "grey_relational" => {
            let norm = match normalize {
                Some(name) => name.parse::<GreyNormalization>()?,
                None => GreyNormalization::MinMax,
            };
            let rho = parameter.unwrap_or(0.5);
            let scores = grey_relational_with(m.values.view(), &w, &dirs, rho, norm, labels)?;
            if let Some(dir) = explain {
                crate::explain::grey_relational(dir, &m, &w, &dirs, rho, norm)?;
            }
            scores
        }
        "vikor" => {
            let v = parameter.unwrap_or(0.5);
            let result = vikor(m.values.view(), &w, &dirs, v, labels)?;
            if let Some(dir) = explain {
                crate::explain::vikor(dir, &m, &w, &dirs, v)?;
            }
            eprintln!("vikor: ranked by Q, lower is better; score = Q");
            let ranks = result.ranks();
            let _ = writeln!(out, "alternative,score,rank,s,r,q");
            for (i, alternative) in m.alternatives.iter().enumerate() {
                let (s, r, q) = (result.s[i], result.r[i], result.q[i]);
                let _ = writeln!(out, "{},{q},{},{s},{r},{q}", csv_text(alternative), ranks[i]);
            }
            return Ok(out);
        }
        "weighted_sum" => {
            let norm = match normalize.unwrap_or("min_max") {
                "min_max" => WeightedSumNormalization::MinMax,
                "sum" => WeightedSumNormalization::Sum,
                other => return Err(names::unknown("weighted_sum normalisation", other, WEIGHTED_SUM_NORMALIZATIONS)),
            };
            citycheck::aggregate::weighted_sum(m.values.view(), &w, &dirs, norm, labels)?
        }
        "weighted_product" => citycheck::aggregate::weighted_product(m.values.view(), &w, &dirs, labels)?,
        "arithmetic" | "geometric" | "harmonic" => {
            let norm = match normalize {
                Some(name) => name.parse::<Normalize>()?,
                None => Normalize::MinMax { lo: 0.0, hi: 1.0 },
            };
            let r = normalized(&m, &dirs, &norm)?;
            method.parse::<Aggregate>()?.apply(r.view(), &w, MissingPolicy::Error, labels)?
        }
        other => return Err(names::unknown("ranking method", other, RANK_METHODS)),
    };
    let ranks = rank_best_first(&scores);
    let _ = writeln!(out, "alternative,score,rank");
    for ((a, s), r) in m.alternatives.iter().zip(&scores).zip(&ranks) {
        let _ = writeln!(out, "{},{s},{r}", csv_text(a));
    }
    Ok(out)
}
