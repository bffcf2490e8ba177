//! `citycheck coupling` and `citycheck obstacle`: the coupling coordination degree (耦合协调度)
//! and the obstacle degree (障碍度) on a plain decision matrix, without a catalogue — the
//! analyses papers run on a matrix of units (and years) × indicators. The kernels are the
//! diagnosis's ([`citycheck::diagnose::coupling`], [`citycheck::diagnose::obstacle_degree`]);
//! this module only builds their inputs from the CSV.
//!
//! Both read the matrix as `rank` does (first column the unit names, a header of indicator
//! names); a column named `year` (or `年份`) is the year of the row, not an indicator, so one
//! file holds every year. Every indicator is scored by direction-aware min-max to [0, 1] over
//! all rows at once (all years pooled: scores of different years are comparable).

use std::fmt::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use citycheck::diagnose::{coupling, coupling_adjusted, grade_in, obstacle_degree, parse_grades, Grade, GradeBand};
use citycheck::direction::Direction;
use citycheck::error::shown_number;
use citycheck::io::csv_text;
use citycheck::kernels::rank::rank_best_first;
use citycheck::kernels::{column, scale, Array2};
use citycheck::panel::{read_decision_matrix, DecisionMatrix};
use citycheck::{Error, Result};

use crate::decision::parse_weights;

/// `citycheck coupling`.
#[derive(Args)]
pub struct CouplingArgs {
    /// The matrix (CSV, Parquet or .xlsx): first column the units, a header of indicator names;
    /// an optional `year` column.
    #[arg(long)]
    matrix: PathBuf,
    /// The subsystems: indicator columns, comma-separated within a subsystem, subsystems
    /// separated by `;`, each optionally named `name=`: "econ=a,b;eco=c,d;e" (default names
    /// s1, s2, …).
    #[arg(long)]
    systems: String,
    /// Indicator types, one per column of the matrix (the year excepted), in its order: 1, +,
    /// benefit or 正向; -1, -, cost or 负向; default all benefit.
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true, value_parser = Direction::from_type)]
    types: Option<Vec<Direction>>,
    /// Indicator weights within each subsystem: a weight method (computed within each
    /// subsystem; default entropy), or w1,w2,… one per indicator of --systems in its order
    /// (rescaled to sum 1 within each subsystem).
    #[arg(long, default_value = "entropy")]
    weights: String,
    /// β, the subsystems' weights in T = Σ β U, in --systems order, summing to 1 (default equal).
    #[arg(long, value_delimiter = ',')]
    beta: Option<Vec<f64>>,
    /// A custom grade scale from:name,…: "0:失调,0.5:勉强协调,0.8:优质协调" (default the ten
    /// grades of 0.1 from 极度失调 to 优质协调).
    #[arg(long)]
    grades: Option<String>,
    /// Wang Shujia et al.'s (2021) adjusted coupling degree in place of the classic C.
    #[arg(long)]
    adjusted: bool,
}

/// `citycheck obstacle`.
#[derive(Args)]
pub struct ObstacleArgs {
    /// The matrix, as for `coupling`.
    #[arg(long)]
    matrix: PathBuf,
    /// The indicators' weights F: a weight method (default entropy) or w1,w2,… or a CSV
    /// criterion,weight, one per indicator column.
    #[arg(long, default_value = "entropy")]
    weights: String,
    /// Indicator types, one per indicator column: 1, +, benefit or 正向; -1, -, cost or 负向.
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true, value_parser = Direction::from_type)]
    types: Option<Vec<Direction>>,
}

/// The matrix without its year column, and the years.
struct Rows {
    data: DecisionMatrix,
    years: Option<Vec<i32>>,
}

fn is_year(name: &str) -> bool {
    let name = name.trim();
    name.eq_ignore_ascii_case("year") || name == "年份"
}

fn read(path: &Path) -> Result<Rows> {
    let m = read_decision_matrix(path)?;
    let Some(y) = m.criteria.iter().position(|c| is_year(c)) else {
        return Ok(Rows { data: m, years: None });
    };
    let years = column(m.values.view(), y)
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if v.fract() == 0.0 && v.abs() < 1e6 {
                Ok(v as i32)
            } else {
                Err(Error::Spec(format!("{}: row {}: year {v} is not a whole number", path.display(), i + 2)))
            }
        })
        .collect::<Result<Vec<i32>>>()?;
    let keep: Vec<usize> = (0..m.criteria.len()).filter(|&j| j != y).collect();
    let data = select(&m, &keep);
    Ok(Rows { data, years: Some(years) })
}

/// The columns `keep` of `m`, in that order.
fn select(m: &DecisionMatrix, keep: &[usize]) -> DecisionMatrix {
    let mut values = Array2::<f64>::zeros((m.alternatives.len(), keep.len()));
    for (k, &j) in keep.iter().enumerate() {
        for (i, &v) in column(m.values.view(), j).iter().enumerate() {
            values[[i, k]] = v;
        }
    }
    DecisionMatrix {
        alternatives: m.alternatives.clone(),
        criteria: keep.iter().map(|&j| m.criteria[j].clone()).collect(),
        values,
    }
}

fn directions(types: Option<&[Direction]>, m: &DecisionMatrix) -> Result<Vec<Direction>> {
    let n = m.criteria.len();
    match types {
        None => Ok(vec![Direction::Higher; n]),
        Some(t) if t.len() == n => Ok(t.to_vec()),
        Some(t) => Err(Error::Spec(format!(
            "--types has {} entries for the {n} indicator column(s) ({})",
            t.len(),
            m.criteria.join(", ")
        ))),
    }
}

/// Direction-aware min-max of every column over all rows: scores in [0, 1] (1 for a constant
/// column).
fn scores01(m: &DecisionMatrix, dirs: &[Direction]) -> Array2<f64> {
    let rows = m.alternatives.len();
    let mut r = Array2::<f64>::zeros((rows, m.criteria.len()));
    let mut out = vec![0.0; rows];
    for (j, &dir) in dirs.iter().enumerate() {
        scale::oriented_min_max(dir, &column(m.values.view(), j), &mut out, 1.0);
        for (i, &v) in out.iter().enumerate() {
            r[[i, j]] = v;
        }
    }
    r
}

/// The leading columns of every output row: the unit, then the year when there is one.
fn row_head(rows: &Rows, i: usize) -> String {
    let unit = csv_text(&rows.data.alternatives[i]);
    match &rows.years {
        Some(years) => format!("{unit},{}", years[i]),
        None => unit,
    }
}

fn head_names(rows: &Rows) -> &'static str {
    if rows.years.is_some() {
        "unit,year"
    } else {
        "unit"
    }
}

/// One subsystem of `--systems`: its name and its columns in the matrix.
struct System {
    name: String,
    columns: Vec<usize>,
}

fn parse_systems(text: &str, m: &DecisionMatrix) -> Result<Vec<System>> {
    let mut systems = Vec::new();
    let mut used = vec![false; m.criteria.len()];
    for (k, part) in text.split(';').enumerate() {
        let (name, list) = match part.split_once('=') {
            Some((name, list)) => (name.trim().to_string(), list),
            None => (format!("s{}", k + 1), part),
        };
        let mut columns = Vec::new();
        for c in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let j = m.criteria.iter().position(|x| x.trim() == c).ok_or_else(|| {
                Error::Spec(format!("--systems: '{c}' is not a column of the matrix ({})", m.criteria.join(", ")))
            })?;
            if used[j] {
                return Err(Error::Spec(format!("--systems: column '{c}' is in two subsystems")));
            }
            used[j] = true;
            columns.push(j);
        }
        if columns.is_empty() {
            return Err(Error::Spec(format!("--systems: subsystem {name} has no column")));
        }
        systems.push(System { name, columns });
    }
    if systems.len() < 2 {
        return Err(Error::Spec(format!(
            "--systems: coupling needs at least two subsystems separated by ';', got {}",
            systems.len()
        )));
    }
    Ok(systems)
}

/// Whether `--weights` names values (a list or a file) rather than a method.
fn given_weights(spec: &str) -> bool {
    Path::new(spec).is_file() || spec.contains(',') || spec.parse::<f64>().is_ok()
}

/// The weight of each column of each subsystem, summing to 1 within the subsystem.
fn system_weights(spec: &str, m: &DecisionMatrix, dirs: &[Direction], systems: &[System]) -> Result<Vec<Vec<f64>>> {
    if given_weights(spec) && !Path::new(spec).is_file() {
        // One value per column of --systems, in its order.
        let order: Vec<usize> = systems.iter().flat_map(|s| s.columns.iter().copied()).collect();
        let all = select(m, &order);
        let all_dirs: Vec<Direction> = order.iter().map(|&j| dirs[j]).collect();
        let w = parse_weights(spec, &all, &all_dirs, false)?;
        let mut out = Vec::new();
        let mut k = 0;
        for s in systems {
            let part = &w[k..k + s.columns.len()];
            k += s.columns.len();
            let total: f64 = part.iter().sum();
            if total <= 0.0 {
                return Err(Error::Spec(format!("--weights: the weights of subsystem {} sum to 0", s.name)));
            }
            out.push(part.iter().map(|x| x / total).collect());
        }
        return Ok(out);
    }
    systems
        .iter()
        .map(|s| {
            let sub = select(m, &s.columns);
            let sub_dirs: Vec<Direction> = s.columns.iter().map(|&j| dirs[j]).collect();
            parse_weights(spec, &sub, &sub_dirs, false)
        })
        .collect()
}

fn check_beta(beta: &[f64], systems: &[System]) -> Result<()> {
    if beta.len() != systems.len() {
        return Err(Error::Spec(format!("--beta has {} value(s) for {} subsystems", beta.len(), systems.len())));
    }
    if beta.iter().any(|b| !(b.is_finite() && *b >= 0.0)) {
        return Err(Error::Spec("--beta: the values must be finite and >= 0".into()));
    }
    let total: f64 = beta.iter().sum();
    if (total - 1.0).abs() > 1e-9 {
        return Err(Error::Spec(format!("--beta must sum to 1, it sums to {}", shown_number(total))));
    }
    Ok(())
}

/// `citycheck coupling`: `unit[,year],u_<system>…,c,t,d,grade,note`.
pub fn coupling_table(args: &CouplingArgs) -> Result<String> {
    let rows = read(&args.matrix)?;
    let m = &rows.data;
    let systems = parse_systems(&args.systems, m)?;
    let dirs = directions(args.types.as_deref(), m)?;
    let beta = match &args.beta {
        Some(b) => {
            check_beta(b, &systems)?;
            b.clone()
        }
        None => vec![1.0 / systems.len() as f64; systems.len()],
    };
    let grades: Option<Vec<GradeBand>> = args.grades.as_deref().map(parse_grades).transpose()?;
    let weights = system_weights(&args.weights, m, &dirs, &systems)?;
    let r = scores01(m, &dirs);
    for (s, w) in systems.iter().zip(&weights) {
        let listed: Vec<String> =
            s.columns.iter().zip(w).map(|(&j, wj)| format!("{} {wj:.4}", m.criteria[j])).collect();
        eprintln!("subsystem {}: {}", s.name, listed.join(", "));
    }
    let mut out = String::new();
    let u_names: Vec<String> = systems.iter().map(|s| csv_text(&format!("u_{}", s.name))).collect();
    let _ = writeln!(out, "{},{},c,t,d,grade,note", head_names(&rows), u_names.join(","));
    for i in 0..m.alternatives.len() {
        let u: Vec<f64> = systems
            .iter()
            .zip(&weights)
            .map(|(s, w)| s.columns.iter().zip(w).map(|(&j, wj)| wj * r[[i, j]]).sum::<f64>())
            .collect();
        let k = if args.adjusted { coupling_adjusted(&u, &beta) } else { coupling(&u, &beta) };
        let grade = match &grades {
            Some(bands) => grade_in(k.d, bands).unwrap_or_default().to_string(),
            None => k.grade().map(Grade::as_str).unwrap_or_default().to_string(),
        };
        let zero: Vec<&str> = systems.iter().zip(&u).filter(|(_, &x)| x == 0.0).map(|(s, _)| s.name.as_str()).collect();
        let note = if zero.is_empty() {
            String::new()
        } else {
            csv_text(&format!("subsystem(s) {} at the minimum (U = 0): C = 0", zero.join(" and ")))
        };
        let us: Vec<String> = u.iter().map(|x| x.to_string()).collect();
        let head = row_head(&rows, i);
        let _ = writeln!(out, "{head},{},{},{},{},{},{note}", us.join(","), k.c, k.t, k.d, csv_text(&grade));
    }
    Ok(out)
}

/// `citycheck obstacle`: `unit[,year],indicator,obstacle,rank` — the obstacle degree in % of
/// each indicator of each row (summing to 100 within the row), rank 1 = the largest.
pub fn obstacle_table(args: &ObstacleArgs) -> Result<String> {
    let rows = read(&args.matrix)?;
    let m = &rows.data;
    let dirs = directions(args.types.as_deref(), m)?;
    let weights = parse_weights(&args.weights, m, &dirs, false)?;
    let r = scores01(m, &dirs);
    let mut out = String::new();
    let _ = writeln!(out, "{},indicator,obstacle,rank", head_names(&rows));
    for i in 0..m.alternatives.len() {
        let scores: Vec<f64> = (0..m.criteria.len()).map(|j| r[[i, j]]).collect();
        let o = obstacle_degree(&weights, &scores);
        let ranks = rank_best_first(&o);
        for (j, name) in m.criteria.iter().enumerate() {
            let _ = writeln!(out, "{},{},{},{}", row_head(&rows, i), csv_text(name), o[j], ranks[j]);
        }
    }
    Ok(out)
}
