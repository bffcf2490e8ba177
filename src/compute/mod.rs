//! Check-up indicators computed from raw object records (体检指标计算), on the four levels of
//! the 2023 check-up: 住房 building → 小区(社区) compound → 街区 block → 城区 district → city.
//!
//! Each catalogue indicator with a `[indicators.formula]` ([`FormulaSpec`]) is computed from
//! the records of its object type: problem counts, shares, sums, ratios, per-capita values,
//! coverage and shortfalls ([`formula`] documents the expression form and what each kind
//! sums). Every record names its own id and its parents' ids (`building_id`, `compound_id`,
//! `block_id`, `district_id`, `city_id`) and the check-up `year`.
//!
//! # How it runs
//! One polars lazy query per record table, run on the streaming engine (files larger than
//! memory are read in batches): the records are grouped once by year and the ids of the finest
//! output level, summing each formula's numerator, denominator and unknown count; coarser
//! levels add up those sums, so a city's count is exactly the sum of its districts' counts
//! and every ratio is a ratio of sums (never a mean of ratios). A second streaming pass
//! finds duplicate ids.
//!
//! # What is checked and reported
//! Before anything runs: every formula parses and every column it reads exists with a usable
//! type (an error names the indicator, the column and the file). While running, as issues: a
//! record with a missing id (left out of that level), duplicate ids in a year, an object
//! whose parent differs between records (a compound under two blocks), a parent that its own
//! table does not list, and missing inputs — counted per unit in the `unknown` column, never
//! as "no problem".

mod formula;
mod records;

use std::collections::{BTreeMap, HashSet};

use polars::prelude::*;

pub use formula::{parse_formula, ColumnUse, Cond, Formula, FormulaSpec, Literal, ObjectLevel, Op, Operand};
pub use records::RecordTable;

use crate::catalog::Catalog;
use crate::error::{Error, Issue, IssueKind, Location, Result};
use crate::panel::Panel;

/// What to compute.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputeOptions {
    /// Output levels (default: compound, block, district and city). An indicator is produced at
    /// every requested level at or above its object type (building counts from compound up).
    pub levels: Vec<ObjectLevel>,
    /// Also list the problem ledger: one row per object and problem (count and share formulas).
    pub ledger: bool,
}

impl Default for ComputeOptions {
    fn default() -> Self {
        ComputeOptions {
            levels: vec![ObjectLevel::Compound, ObjectLevel::Block, ObjectLevel::District, ObjectLevel::City],
            ledger: true,
        }
    }
}

/// The computed indicators, the ledger and what was found on the way.
#[derive(Debug, Clone)]
pub struct Computed {
    /// unit, level, year, indicator, value, numerator, denominator, unknown, objects, sorted by
    /// level (finest first), unit, year and indicator.
    pub indicators: DataFrame,
    /// year, level, object_id, compound_id, block_id, district_id, city_id, indicator.
    pub ledger: Option<DataFrame>,
    pub issues: Vec<Issue>,
}

/// One indicator to compute: its catalogue id, parsed formula and scale.
struct Job {
    indicator: String,
    formula: Formula,
    scale: f64,
}

/// The formulas of `catalog`, parsed, by object type.
fn jobs(catalog: &Catalog) -> Result<BTreeMap<ObjectLevel, Vec<Job>>> {
    let mut out: BTreeMap<ObjectLevel, Vec<Job>> = BTreeMap::new();
    for ind in catalog.indicators() {
        let Some(spec) = &ind.formula else { continue };
        let formula = parse_formula(&spec.expr).map_err(|e| Error::Catalog {
            source_name: catalog.id().to_string(),
            entry: Some(ind.id.clone()),
            message: e.to_string().trim_start_matches("invalid spec: ").to_string(),
        })?;
        let scale = spec.scale.unwrap_or_else(|| formula.default_scale());
        out.entry(spec.object).or_default().push(Job { indicator: ind.id.clone(), formula, scale });
    }
    if out.is_empty() {
        return Err(Error::Catalog {
            source_name: catalog.id().to_string(),
            entry: None,
            message: "no indicator has a [indicators.formula]: nothing to compute from records".into(),
        });
    }
    Ok(out)
}

fn null_f64() -> Expr {
    lit(NULL).cast(DataType::Float64)
}

/// A flag column as a boolean expression: booleans as they are; integers 1 / 0; text
/// true/false, 1/0, yes/no, 是/否 (other values unknown).
fn flag(table: &RecordTable, column: &str) -> Expr {
    let c = col(column);
    match table.dtype(column) {
        DataType::Boolean => c,
        dt if dt.is_integer() => when(c.clone().eq(lit(1)))
            .then(lit(true))
            .when(c.eq(lit(0)))
            .then(lit(false))
            .otherwise(lit(NULL).cast(DataType::Boolean)),
        dt if dt.is_string() => {
            let t = ["true", "True", "TRUE", "1", "yes", "Yes", "是", "有"];
            let f = ["false", "False", "FALSE", "0", "no", "No", "否", "无"];
            let any =
                |words: &[&str]| words.iter().map(|w| c.clone().eq(lit(*w))).reduce(|a, b| a.or(b)).expect("words");
            when(any(&t)).then(lit(true)).when(any(&f)).then(lit(false)).otherwise(lit(NULL).cast(DataType::Boolean))
        }
        _ => lit(NULL).cast(DataType::Boolean),
    }
}

fn number(column: &str) -> Expr {
    col(column).cast(DataType::Float64)
}

fn condition(table: &RecordTable, cond: &Cond) -> Expr {
    match cond {
        Cond::Flag(c) => flag(table, c),
        Cond::Compare(c, op, Literal::Number(v)) => {
            let (x, v) = (number(c), lit(*v));
            match op {
                Op::Eq => x.eq(v),
                Op::Ne => x.neq(v),
                Op::Lt => x.lt(v),
                Op::Le => x.lt_eq(v),
                Op::Gt => x.gt(v),
                Op::Ge => x.gt_eq(v),
            }
        }
        Cond::Compare(c, op, Literal::Bool(b)) => {
            let e = flag(table, c).eq(lit(*b));
            if *op == Op::Ne {
                e.not()
            } else {
                e
            }
        }
        Cond::Compare(c, op, Literal::Text(s)) => {
            let e = col(c.as_str()).cast(DataType::String).eq(lit(s.as_str()));
            if *op == Op::Ne {
                e.not()
            } else {
                e
            }
        }
        Cond::Not(a) => condition(table, a).not(),
        Cond::And(a, b) => condition(table, a).and(condition(table, b)),
        Cond::Or(a, b) => condition(table, a).or(condition(table, b)),
    }
}

/// Per record: numerator, denominator and unknown (1 when an input is missing) of `formula`.
fn per_record(table: &RecordTable, formula: &Formula) -> (Expr, Expr, Expr) {
    let known_then = |known: Expr, v: Expr| when(known).then(v).otherwise(null_f64());
    match formula {
        Formula::Count(c) | Formula::Share(c) => {
            let c = condition(table, c);
            (
                c.clone().cast(DataType::Float64),
                c.clone().is_not_null().cast(DataType::Float64),
                c.is_null().cast(DataType::Float64),
            )
        }
        Formula::Sum(x, c) => {
            let v = number(x);
            match c {
                None => (v.clone(), null_f64(), v.is_null().cast(DataType::Float64)),
                Some(c) => {
                    let c = condition(table, c);
                    let known = v.clone().is_not_null().and(c.clone().is_not_null());
                    let num = known_then(known.clone(), when(c).then(v).otherwise(lit(0.0)));
                    (num, null_f64(), known.not().cast(DataType::Float64))
                }
            }
        }
        Formula::Ratio(a, b) | Formula::PerCapita(a, b) => {
            let (a, b) = (number(a), number(b));
            let known = a.clone().is_not_null().and(b.clone().is_not_null());
            (known_then(known.clone(), a), known_then(known.clone(), b), known.not().cast(DataType::Float64))
        }
        Formula::Coverage(w, c) => {
            let (w, c) = (number(w), condition(table, c));
            let known = w.clone().is_not_null().and(c.clone().is_not_null());
            let num = known_then(known.clone(), when(c).then(w.clone()).otherwise(lit(0.0)));
            (num, known_then(known.clone(), w), known.not().cast(DataType::Float64))
        }
        Formula::Shortfall(r, p) => {
            let operand = |o: &Operand| match o {
                Operand::Column(c) => number(c),
                Operand::Number(v) => lit(*v),
            };
            let d = operand(r) - operand(p);
            let v = when(d.clone().is_null())
                .then(null_f64())
                .when(d.clone().gt(lit(0.0)))
                .then(d.clone())
                .otherwise(lit(0.0));
            (v, null_f64(), d.is_null().cast(DataType::Float64))
        }
    }
}

fn run(lf: LazyFrame, origin: &str) -> Result<DataFrame> {
    lf.collect_with_engine(Engine::Streaming)
        .map(|r| r.unwrap_single())
        .map_err(|e| Error::data(Location { file: Some(origin.to_string()), ..Default::default() }, e.to_string()))
}

fn issue(kind: IssueKind, origin: &str, message: String) -> Issue {
    Issue::new(kind, Location { file: Some(origin.to_string()), ..Default::default() }, message)
}

/// Lists up to `limit` values of a string column.
fn sample(df: &DataFrame, column: &str, limit: usize) -> String {
    let values: Vec<String> = df
        .column(column)
        .ok()
        .and_then(|c| {
            c.str().ok().map(|s| s.iter().take(limit).map(|v| v.unwrap_or("(missing)").to_string()).collect())
        })
        .unwrap_or_default();
    let more = df.height().saturating_sub(limit);
    if more > 0 {
        format!("{} … and {more} more", values.join(", "))
    } else {
        values.join(", ")
    }
}

/// Sums of one table at its finest output level, with the checks of its ids.
struct Grouped {
    /// The records' object type.
    object: ObjectLevel,
    /// The finest output level.
    level: ObjectLevel,
    /// year, the id columns from the finest output level up, `{k}_num`, `{k}_den`, `{k}_unk`
    /// for each job k, and `objects`.
    sums: DataFrame,
    jobs: Vec<Job>,
}

/// Computes every formula of `catalog` from `tables` at the requested levels.
///
/// # Errors
/// [`Error::Catalog`] when a formula does not parse or no indicator has one; [`Error::Data`]
/// naming the file, indicator and column when a formula reads a column the records lack or
/// cannot use, when a table lacks a parent id column needed for a requested level, or two
/// tables hold the same object type; [`Error::Spec`] when no requested level can be produced.
pub fn compute(catalog: &Catalog, tables: &[RecordTable], options: &ComputeOptions) -> Result<Computed> {
    let mut by_level = jobs(catalog)?;
    let mut seen = HashSet::new();
    for t in tables {
        if !seen.insert(t.level) {
            return Err(Error::data(
                Location { file: Some(t.origin.clone()), ..Default::default() },
                format!("a second table of {} records: give all files of one object type as one table", t.level),
            ));
        }
    }
    if options.levels.is_empty() {
        return Err(Error::Spec("compute: no output level requested".into()));
    }
    let mut issues = Vec::new();
    for (level, jobs) in &by_level {
        if !tables.iter().any(|t| t.level == *level) {
            let ids: Vec<&str> = jobs.iter().map(|j| j.indicator.as_str()).collect();
            issues.push(issue(
                IssueKind::MissingKey,
                "records",
                format!("no {level} records: not computed: {}", ids.join(", ")),
            ));
        }
    }

    let mut grouped = Vec::new();
    let mut ledgers = Vec::new();
    for table in tables {
        let Some(jobs) = by_level.remove(&table.level) else {
            issues.push(issue(
                IssueKind::IgnoredColumn,
                &table.origin,
                format!("no formula reads {} records", table.level),
            ));
            continue;
        };
        // Check every column before running anything.
        for job in &jobs {
            for (column, usage) in job.formula.columns() {
                table.check_column(&job.indicator, &column, usage)?;
            }
        }
        let finest = options.levels.iter().copied().filter(|l| *l >= table.level && *l > ObjectLevel::Building).min();
        let Some(finest) = finest else {
            issues.push(issue(
                IssueKind::IgnoredColumn,
                &table.origin,
                format!("no requested level is at or above {}: its indicators are not produced", table.level),
            ));
            continue;
        };
        let keys: Vec<ObjectLevel> = finest.and_above().collect();
        for l in &keys {
            if !table.schema.contains(l.id_column()) {
                return Err(Error::data(
                    Location {
                        file: Some(table.origin.clone()),
                        column: Some(l.id_column().into()),
                        ..Default::default()
                    },
                    format!("{} records need the column '{}' to be rolled up to {l} level", table.level, l.id_column()),
                ));
            }
        }
        grouped.push(group(table, jobs, &keys, &mut issues)?);
        if options.ledger {
            if let Some(ledger) = ledger(table, &grouped.last().expect("pushed").jobs)? {
                ledgers.push(ledger);
            }
        }
    }
    check_parents(&grouped, tables, &mut issues)?;

    let mut parts = Vec::new();
    for g in &grouped {
        for level in options.levels.iter().copied().filter(|l| *l >= g.level) {
            parts.push(roll_up(g, level)?);
        }
    }
    if parts.is_empty() {
        return Err(Error::Spec("compute: none of the requested levels can be produced from these records".into()));
    }
    let to_err = |e: PolarsError| Error::Spec(format!("compute: {e}"));
    let indicators = concat(parts.into_iter().map(|df| df.lazy()).collect::<Vec<_>>(), UnionArgs::default())
        .map_err(to_err)?
        .sort(["level_rank", "unit", "year", "indicator"], SortMultipleOptions::default())
        .drop(by_name(["level_rank"], true, false))
        .collect()
        .map_err(to_err)?;
    let ledger = if options.ledger && !ledgers.is_empty() {
        Some(
            concat(ledgers.into_iter().map(|df| df.lazy()).collect::<Vec<_>>(), UnionArgs::default())
                .and_then(|lf| lf.collect())
                .map_err(to_err)?,
        )
    } else if options.ledger {
        Some(DataFrame::empty())
    } else {
        None
    };
    Ok(Computed { indicators, ledger, issues })
}

/// One streaming pass: sums per year and finest-level unit; a second: duplicate ids.
fn group(table: &RecordTable, jobs: Vec<Job>, keys: &[ObjectLevel], issues: &mut Vec<Issue>) -> Result<Grouped> {
    let id_cols: Vec<Expr> = keys.iter().map(|l| col(l.id_column()).cast(DataType::String)).collect();
    let mut aggs = Vec::with_capacity(3 * jobs.len() + 1);
    let mut select = vec![col("year").cast(DataType::Int32)];
    select.extend(id_cols);
    for (k, job) in jobs.iter().enumerate() {
        let (num, den, unk) = per_record(table, &job.formula);
        select.push(num.alias(format!("{k}_num")));
        select.push(den.alias(format!("{k}_den")));
        select.push(unk.alias(format!("{k}_unk")));
        aggs.push(col(format!("{k}_num")).sum());
        // A denominator that is null on every record stays null (sum would give 0).
        aggs.push(
            when(col(format!("{k}_den")).count().gt(lit(0)))
                .then(col(format!("{k}_den")).sum())
                .otherwise(null_f64())
                .alias(format!("{k}_den")),
        );
        aggs.push(col(format!("{k}_unk")).sum());
    }
    aggs.push(len().alias("objects"));
    let mut group_keys = vec![col("year")];
    group_keys.extend(keys.iter().map(|l| col(l.id_column())));
    let lf = table.frame.clone().select(select).group_by(group_keys).agg(aggs);
    let mut sums = run(lf, &table.origin)?;

    // Records with a missing year or id: reported and left out.
    let mut missing = col("year").is_null();
    for l in keys {
        missing = missing.or(col(l.id_column()).is_null());
    }
    let bad = sums
        .clone()
        .lazy()
        .filter(missing.clone())
        .select([col("objects").sum()])
        .collect()
        .map_err(|e| Error::Spec(e.to_string()))?;
    let bad_rows = bad.column("objects").ok().and_then(|c| c.get(0).ok()).and_then(|v| v.extract::<u64>()).unwrap_or(0);
    if bad_rows > 0 {
        issues.push(issue(
            IssueKind::MissingKey,
            &table.origin,
            format!(
                "{bad_rows} {} record(s) have no year or no {} id: left out",
                table.level,
                keys.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("/")
            ),
        ));
        sums = sums.lazy().filter(missing.not()).collect().map_err(|e| Error::Spec(e.to_string()))?;
    }

    // Duplicate ids of the table's own objects, per year.
    let own = table.level.id_column();
    if table.schema.contains(own) {
        let dup = table
            .frame
            .clone()
            .select([col("year"), col(own).cast(DataType::String)])
            .group_by([col("year"), col(own)])
            .agg([len().alias("n")])
            .filter(col("n").gt(lit(1)));
        let dup = run(dup, &table.origin)?;
        if dup.height() > 0 {
            issues.push(issue(
                IssueKind::DuplicateObservation,
                &table.origin,
                format!(
                    "{} {} id(s) appear more than once in a year (each record is counted): {}",
                    dup.height(),
                    table.level,
                    sample(&dup, own, 5)
                ),
            ));
        }
    }

    // An object under two different parents.
    for pair in keys.windows(2) {
        let (child, parent) = (pair[0].id_column(), pair[1].id_column());
        let conflicts = sums
            .clone()
            .lazy()
            .group_by([col("year"), col(child)])
            .agg([col(parent).n_unique().alias("parents")])
            .filter(col("parents").gt(lit(1)))
            .collect()
            .map_err(|e| Error::Spec(e.to_string()))?;
        if conflicts.height() > 0 {
            issues.push(issue(
                IssueKind::InvalidSource,
                &table.origin,
                format!(
                    "{} {} id(s) are under more than one {} in the same year (roll-ups count them under each): {}",
                    conflicts.height(),
                    pair[0],
                    pair[1],
                    sample(&conflicts, child, 5)
                ),
            ));
        }
    }
    Ok(Grouped { object: table.level, level: keys[0], sums, jobs })
}

/// Parents named by a finer table that the parent's own table does not list.
fn check_parents(grouped: &[Grouped], tables: &[RecordTable], issues: &mut Vec<Issue>) -> Result<()> {
    for g in grouped {
        for t in tables.iter().filter(|t| t.level > g.object) {
            let id = t.level.id_column();
            if g.sums.column(id).is_err() {
                continue;
            }
            let listed = t
                .frame
                .clone()
                .select([col("year").cast(DataType::Int32), col(id).cast(DataType::String)])
                .unique(None, UniqueKeepStrategy::Any);
            let named = g.sums.clone().lazy().select([col("year"), col(id)]).unique(None, UniqueKeepStrategy::Any);
            let orphans =
                named.join(listed, [col("year"), col(id)], [col("year"), col(id)], JoinArgs::new(JoinType::Anti));
            let orphans = run(orphans, &t.origin)?;
            if orphans.height() > 0 {
                issues.push(issue(
                    IssueKind::MissingKey,
                    &t.origin,
                    format!(
                        "{} {} id(s) named by finer records are not in the {} table: {}",
                        orphans.height(),
                        t.level,
                        t.level,
                        sample(&orphans, id, 5)
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The long rows of every job of `g` at `level`.
fn roll_up(g: &Grouped, level: ObjectLevel) -> Result<DataFrame> {
    let id = level.id_column();
    let mut aggs = vec![col("objects").sum()];
    for k in 0..g.jobs.len() {
        aggs.push(col(format!("{k}_num")).sum());
        aggs.push(
            when(col(format!("{k}_den")).count().gt(lit(0)))
                .then(col(format!("{k}_den")).sum())
                .otherwise(null_f64())
                .alias(format!("{k}_den")),
        );
        aggs.push(col(format!("{k}_unk")).sum());
    }
    let sums = g.sums.clone().lazy().group_by([col("year"), col(id)]).agg(aggs);
    let rank = ObjectLevel::ALL.iter().position(|l| *l == level).expect("a level") as u32;
    let mut parts = Vec::with_capacity(g.jobs.len());
    for (k, job) in g.jobs.iter().enumerate() {
        let (num, den) = (col(format!("{k}_num")), col(format!("{k}_den")));
        let value = if job.formula.has_denominator() && !matches!(job.formula, Formula::Count(_)) {
            when(den.clone().gt(lit(0.0))).then(lit(job.scale) * num.clone() / den.clone()).otherwise(null_f64())
        } else {
            lit(job.scale) * num.clone()
        };
        let denominator = if job.formula.has_denominator() { den } else { null_f64() };
        parts.push(sums.clone().select([
            col(id).alias("unit"),
            lit(level.as_str()).alias("level"),
            lit(rank).alias("level_rank"),
            col("year"),
            lit(job.indicator.as_str()).alias("indicator"),
            value.alias("value"),
            num.alias("numerator"),
            denominator.alias("denominator"),
            col(format!("{k}_unk")).cast(DataType::UInt64).alias("unknown"),
            col("objects").cast(DataType::UInt64),
        ]));
    }
    concat(parts, UnionArgs::default()).and_then(|lf| lf.collect()).map_err(|e| Error::Spec(format!("compute: {e}")))
}

/// The problem ledger of a table: one row per object and count/share formula that flags it.
fn ledger(table: &RecordTable, jobs: &[Job]) -> Result<Option<DataFrame>> {
    let own = table.level.id_column();
    // The same columns for every table: the parents above the object, empty at or below it.
    let parents: Vec<Expr> = ObjectLevel::ALL[1..]
        .iter()
        .map(|l| {
            if *l > table.level && table.schema.contains(l.id_column()) {
                col(l.id_column()).cast(DataType::String)
            } else {
                lit(NULL).cast(DataType::String).alias(l.id_column())
            }
        })
        .collect();
    let mut parts = Vec::new();
    for job in jobs {
        let (Formula::Count(c) | Formula::Share(c)) = &job.formula else { continue };
        let mut select = vec![
            col("year").cast(DataType::Int32),
            lit(table.level.as_str()).alias("level"),
            col(own).cast(DataType::String).alias("object_id"),
        ];
        select.extend(parents.iter().cloned());
        select.push(lit(job.indicator.as_str()).alias("indicator"));
        parts.push(table.frame.clone().filter(condition(table, c).fill_null(lit(false))).select(select));
    }
    if parts.is_empty() {
        return Ok(None);
    }
    let lf = concat(parts, UnionArgs::default()).map_err(|e| Error::Spec(e.to_string()))?;
    run(lf, &table.origin).map(Some)
}

impl Computed {
    /// Writes `indicators` and the ledger (as `ledger_name`, e.g. `ledger` or `object_ledger`)
    /// into `dir`; returns the paths.
    pub fn write(
        &self,
        dir: &std::path::Path,
        format: crate::io::OutputFormat,
        ledger_name: &str,
    ) -> Result<Vec<std::path::PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut paths = vec![crate::io::write_table(dir, "indicators", format, &mut self.indicators.clone())?];
        if let Some(ledger) = &self.ledger {
            paths.push(crate::io::write_table(dir, ledger_name, format, &mut ledger.clone())?);
        }
        Ok(paths)
    }

    /// The indicators of one level as a panel the check-up scores (unit = the level's id).
    pub fn panel(&self, level: ObjectLevel) -> Result<Panel> {
        let to_err = |e: PolarsError| Error::Spec(format!("compute: {e}"));
        let rows =
            self.indicators.clone().lazy().filter(col("level").eq(lit(level.as_str()))).collect().map_err(to_err)?;
        let unit = rows.column("unit").map_err(to_err)?.str().map_err(to_err)?.clone();
        let year = rows.column("year").map_err(to_err)?.i32().map_err(to_err)?.clone();
        let indicator = rows.column("indicator").map_err(to_err)?.str().map_err(to_err)?.clone();
        let value = rows.column("value").map_err(to_err)?.f64().map_err(to_err)?.clone();
        let records: Vec<(&str, i32, &str, f64)> = (0..rows.height())
            .filter_map(|i| Some((unit.get(i)?, year.get(i)?, indicator.get(i)?, value.get(i).unwrap_or(f64::NAN))))
            .collect();
        Ok(Panel::from_records(records))
    }
}
