//! Check-up indicators computed from raw object records (体检指标计算), on the levels of the
//! catalogue's object hierarchy ([`Catalog::levels`], `[[levels]]`): by default the four of the
//! 2023 check-up, 住房 building → 小区(社区) compound → 街区 block → 城区 district → city; a
//! catalogue may add 社区 community between compound and block (practice since 2025).
//!
//! Each catalogue indicator with a `[indicators.formula]` ([`FormulaSpec`]) is computed from
//! the records of its object type: problem counts, shares, sums, ratios, per-capita values,
//! coverage and shortfalls ([`formula`] documents the expression form and what each kind
//! sums). Every record names its own id and its parents' ids (`building_id`, `compound_id`,
//! `block_id`, `district_id`, `city_id`; `community_id` where the catalogue declares that level)
//! and the check-up `year`. A level the catalogue declares optional (`required = false`, as
//! mohurd-2023's community) is skipped for records that lack its id column: compounds without
//! `community_id` roll straight up to blocks, and no community rows are produced from them.
//!
//! # How it runs
//! One polars lazy query per record table, run on the streaming engine (files larger than
//! memory are read in batches): the records are grouped once by year and the ids of the finest
//! output level, summing each formula's numerator, denominator and unknown count; coarser
//! levels add up those sums, so a city's count is exactly the sum of its districts' counts
//! and every ratio is a ratio of sums (never a mean of ratios). A second streaming pass
//! finds duplicate ids.
//!
//! The same sums can be made where the records lie — each Spark partition, file or batch
//! summing its own part ([`PartialSums::of`]) — and rolled up from the parts ([`roll_up`])
//! with the same plan, checks and roll-up as [`compute`].
//!
//! # What is checked and reported
//! Before anything runs: every formula parses and every column it reads exists with a usable
//! type (an error names the indicator, the column and the file). While running, as issues: a
//! record with a missing id (left out of that level), duplicate ids in a year, an object
//! whose parent differs between records (a compound under two blocks), a parent that its own
//! table does not list, and missing inputs — counted per unit in the `unknown` column, never
//! as "no problem".

mod partial;
mod records;

use std::collections::{BTreeMap, HashSet};

use polars::prelude::*;

pub use crate::catalog::formula::{
    parse_formula, ColumnUse, Cond, Formula, FormulaSpec, Literal, ObjectLevel, Op, Operand,
};
pub use partial::{ledger_part, roll_up, DuplicateIds, PartialSums};
pub use records::RecordTable;

use crate::catalog::Catalog;
use crate::error::{Error, Issue, IssueKind, Location, Result};
use crate::panel::Panel;
use crate::progress::{Observer, Stage};

/// What to compute.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputeOptions {
    /// Output levels (default: compound, block, district and city). An indicator is produced at
    /// every requested level at or above its object type (building counts from compound up)
    /// that the catalogue's hierarchy has; `community` is produced when the catalogue declares
    /// it and the records carry `community_id` (ask for it: it is not among the defaults).
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
///
/// The indicators are held as sums per unit and year at each level (small: one row per unit);
/// their long form — one row per unit, year and indicator — is built on demand
/// ([`Computed::indicators`]) or written in chunks ([`Computed::write`]), so that millions of
/// compounds never need the whole long table in memory. The ledger is a set of query plans
/// over the records, run when it is asked for.
#[derive(Clone)]
pub struct Computed {
    levels: Vec<LevelSums>,
    ledger: Option<Vec<LazyFrame>>,
    /// What was found on the way (records without keys, duplicate ids, tables no formula
    /// reads, …); a run adds them to run.json.
    pub issues: Vec<Issue>,
}

impl std::fmt::Debug for Computed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let levels: Vec<&str> = self.levels.iter().map(|l| l.level.as_str()).collect();
        write!(f, "Computed({levels:?}, {} issue(s))", self.issues.len())
    }
}

/// The sums of one output level: `year`, `unit`, then per job its `…_num`, `…_den`, `…_unk`
/// columns and per record table its `…_objects`, sorted by unit then year.
#[derive(Clone)]
struct LevelSums {
    level: ObjectLevel,
    frame: DataFrame,
    /// The jobs of every table at this level, sorted by indicator id.
    jobs: Vec<OutputJob>,
}

/// Where a job's sums sit in a [`LevelSums`] frame and how its value is made.
#[derive(Clone)]
struct OutputJob {
    indicator: String,
    prefix: String,
    objects: String,
    /// value = scale · num / den (share, ratio, per capita, coverage); else scale · num.
    quotient: bool,
    /// The denominator column is meaningful (every kind but sum and shortfall).
    has_denominator: bool,
    /// The denominator is a summed column (ratio, per capita, coverage); for count and share
    /// it is the known objects, objects − unknown.
    summed_denominator: bool,
    scale: f64,
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
    let values: BTreeMap<String, f64> = catalog.parameters().iter().map(|(k, p)| (k.clone(), p.value)).collect();
    for ind in catalog.indicators() {
        let Some(spec) = &ind.formula else { continue };
        let formula = parse_formula(&spec.expr).map_err(|e| Error::Catalog {
            source_name: catalog.id().to_string(),
            entry: Some(ind.id.clone()),
            message: e.to_string().trim_start_matches("invalid spec: ").to_string(),
        })?;
        // Parameters (checked to exist when the catalogue loaded) become numbers.
        let formula = formula.bind(&values);
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

/// The sum of a column, null (not 0) when every value summed is null: a denominator that no
/// record has stays unknown.
fn sum_or_null(column: &str) -> Expr {
    when(col(column).count().gt(lit(0))).then(col(column).sum()).otherwise(null_f64())
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
            // Cannot fail: `t` and `f` are the non-empty constant lists above.
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

/// Arithmetic per record; a division by 0 is unknown (null), never inf or NaN.
fn arith(operand: &Operand) -> Expr {
    match operand {
        Operand::Column(c) => number(c),
        Operand::Number(v) => lit(*v),
        // Parameters are bound to numbers before (`jobs`); one without a value is unknown.
        Operand::Param(_) => null_f64(),
        Operand::Neg(a) => lit(0.0) - arith(a),
        Operand::Add(a, b) => arith(a) + arith(b),
        Operand::Sub(a, b) => arith(a) - arith(b),
        Operand::Mul(a, b) => arith(a) * arith(b),
        Operand::Div(a, b) => {
            let divisor = arith(b);
            when(divisor.clone().eq(lit(0.0))).then(null_f64()).otherwise(arith(a) / divisor)
        }
    }
}

fn compare(x: Expr, op: Op, v: Expr) -> Expr {
    match op {
        Op::Eq => x.eq(v),
        Op::Ne => x.neq(v),
        Op::Lt => x.lt(v),
        Op::Le => x.lt_eq(v),
        Op::Gt => x.gt(v),
        Op::Ge => x.gt_eq(v),
    }
}

fn condition(table: &RecordTable, cond: &Cond) -> Expr {
    match cond {
        Cond::Flag(c) => flag(table, c),
        Cond::Compare(c, op, Literal::Number(v)) => compare(number(c), *op, lit(*v)),
        Cond::Numeric(a, op, b) => compare(arith(a), *op, arith(b)),
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
            let d = arith(r) - arith(p);
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
    /// year, the id columns from the finest output level up, per job its numerator, unknown
    /// and (quotients of two sums) denominator columns ([`numerator_column`], …), and
    /// `objects`.
    sums: DataFrame,
    jobs: Vec<Job>,
}

/// The column of a job's summed numerator in a table's sums (and in [`PartialSums`]).
fn numerator_column(indicator: &str) -> String {
    format!("{indicator}:numerator")
}

/// The column of a job's summed denominator (ratio, per capita and coverage only).
fn denominator_column(indicator: &str) -> String {
    format!("{indicator}:denominator")
}

/// The column of a job's count of objects with an unknown input.
fn unknown_column(indicator: &str) -> String {
    format!("{indicator}:unknown")
}

/// How many duplicate ids an issue names.
const SHOWN: usize = 5;

/// What is computed of one table, decided from its columns before any record is read.
struct TableWork {
    jobs: Vec<Job>,
    /// The levels its records are grouped by, finest output level first.
    keys: Vec<ObjectLevel>,
}

/// One table's part of a [`Plan`]: the issues found planning it, and its work (none when no
/// formula reads it or no requested level is at or above it).
struct TableStep {
    /// The table's position among the tables planned.
    index: usize,
    issues: Vec<Issue>,
    work: Option<TableWork>,
}

/// What a computation does, decided from the catalogue, the tables' columns and the options
/// before any record is read. [`compute`], [`roll_up`] and [`PartialSums::of`] all start from
/// it, so that they cannot decide differently.
struct Plan {
    /// The requested levels the catalogue's hierarchy has, finest first.
    requested: Vec<ObjectLevel>,
    /// The parent columns of the ledger ([`ledger_parents`]).
    ledger_levels: Vec<ObjectLevel>,
    /// Issues about the whole computation (levels the hierarchy lacks, object types without
    /// records), reported first.
    issues: Vec<Issue>,
    /// One step per table, in the order given.
    steps: Vec<TableStep>,
}

/// The parent columns of the problem ledger of `tables`: the catalogue's levels above
/// building, an optional one only when some table carries its id (so records without
/// `community_id` give the same columns as before levels could be declared). A ledger written
/// in parts ([`ledger_part`], one per Spark partition) gives every part those of all tables.
pub fn ledger_parents(catalog: &Catalog, tables: &[RecordTable]) -> Vec<ObjectLevel> {
    catalog
        .levels()
        .iter()
        .filter(|h| h.id > ObjectLevel::Building)
        .filter(|h| h.required || tables.iter().any(|t| t.schema.contains(h.id.id_column())))
        .map(|h| h.id)
        .collect()
}

/// Plans the computation of `tables` (only their columns are read).
///
/// # Errors
/// As [`compute`], for everything that can be known before the records are read.
fn plan(catalog: &Catalog, tables: &[RecordTable], options: &ComputeOptions) -> Result<Plan> {
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
    // The requested levels the catalogue's hierarchy has, finest first.
    let hierarchy = catalog.levels();
    let declared = |l: &ObjectLevel| hierarchy.iter().any(|h| h.id == *l);
    let mut requested: Vec<ObjectLevel> = options.levels.iter().copied().filter(declared).collect();
    requested.sort_unstable();
    requested.dedup();
    for level in options.levels.iter().filter(|l| !declared(l)) {
        let known: Vec<&str> = hierarchy.iter().map(|h| h.id.as_str()).collect();
        issues.push(issue(
            IssueKind::IgnoredColumn,
            "records",
            format!(
                "the catalogue's hierarchy has no {level} level ({}): nothing is produced at {level} level",
                known.join(", ")
            ),
        ));
    }
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
    let ledger_levels = ledger_parents(catalog, tables);
    let mut steps = Vec::with_capacity(tables.len());
    for (index, table) in tables.iter().enumerate() {
        let mut step = TableStep { index, issues: Vec::new(), work: None };
        let Some(jobs) = by_level.remove(&table.level) else {
            step.issues.push(issue(
                IssueKind::IgnoredColumn,
                &table.origin,
                format!("no formula reads {} records", table.level),
            ));
            steps.push(step);
            continue;
        };
        // Check every column before running anything.
        for job in &jobs {
            for (column, usage) in job.formula.columns() {
                table.check_column(&job.indicator, &column, usage)?;
            }
        }
        // The levels this table rolls up through: the hierarchy's above its own, an optional
        // level only where the table carries its id column.
        let through: Vec<ObjectLevel> = hierarchy
            .iter()
            .filter(|h| h.id >= table.level && h.id > ObjectLevel::Building)
            .filter(|h| h.required || table.schema.contains(h.id.id_column()))
            .map(|h| h.id)
            .collect();
        for h in hierarchy.iter().filter(|h| !h.required && h.id > table.level && requested.contains(&h.id)) {
            if !table.schema.contains(h.id.id_column()) {
                step.issues.push(issue(
                    IssueKind::MissingKey,
                    &table.origin,
                    format!(
                        "{} records carry no '{}': their indicators are not produced at {} level",
                        table.level,
                        h.id.id_column(),
                        h.id
                    ),
                ));
            }
        }
        let finest = requested.iter().copied().filter(|l| through.contains(l)).min();
        let Some(finest) = finest else {
            step.issues.push(issue(
                IssueKind::IgnoredColumn,
                &table.origin,
                format!("no requested level is at or above {}: its indicators are not produced", table.level),
            ));
            steps.push(step);
            continue;
        };
        let keys: Vec<ObjectLevel> = through.iter().copied().filter(|l| *l >= finest).collect();
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
        step.work = Some(TableWork { jobs, keys });
        steps.push(step);
    }
    Ok(Plan { requested, ledger_levels, issues, steps })
}

/// Computes every formula of `catalog` from `tables` at the requested levels.
///
/// # Errors
/// [`Error::Catalog`] when a formula does not parse or no indicator has one; [`Error::Data`]
/// naming the file, indicator and column when a formula reads a column the records lack or
/// cannot use, when a table lacks a parent id column needed for a requested level, or two
/// tables hold the same object type; [`Error::Spec`] when no requested level can be produced.
pub fn compute(catalog: &Catalog, tables: &[RecordTable], options: &ComputeOptions) -> Result<Computed> {
    compute_observed(catalog, tables, options, &Observer::none())
}

/// [`compute`], reporting to `progress`: a stage `computing from records` of one step per record
/// table (its streaming passes over the records), advanced as each table is done.
///
/// # Errors
/// As [`compute`].
pub fn compute_observed(
    catalog: &Catalog,
    tables: &[RecordTable],
    options: &ComputeOptions,
    progress: &Observer,
) -> Result<Computed> {
    let Plan { requested, ledger_levels, mut issues, steps } = plan(catalog, tables, options)?;
    let stage = progress.stage("computing from records", steps.len() as u64, "tables");
    let mut grouped = Vec::new();
    let mut ledgers = Vec::new();
    for step in steps {
        // Counted when the table's work is done (or it has none).
        let _done = Done(&stage);
        issues.extend(step.issues);
        let Some(TableWork { jobs, keys }) = step.work else { continue };
        let table = &tables[step.index];
        // One streaming pass: sums per year and finest-level unit; a second: duplicate ids.
        let sums = run(sums_query(table, &jobs, &keys), &table.origin)?;
        let own = table.level.id_column();
        let duplicates = if table.schema.contains(own) {
            let ids = duplicate_ids(table, own)?;
            Some(DuplicateIds { object: table.level, count: ids.len(), first: ids.into_iter().take(SHOWN).collect() })
        } else {
            None
        };
        let g = checked(table.level, &table.origin, jobs, &keys, sums, duplicates.as_ref(), &mut issues)?;
        if options.ledger {
            ledgers.extend(ledger(table, &g.jobs, &ledger_levels));
        }
        grouped.push(g);
    }
    let listed: Vec<Listed> = tables
        .iter()
        .map(|t| Listed {
            level: t.level,
            origin: t.origin.clone(),
            ids: t
                .frame
                .clone()
                .select([col("year").cast(DataType::Int32), col(t.level.id_column()).cast(DataType::String)]),
        })
        .collect();
    drop(stage);
    check_parents(&grouped, &listed, &mut issues)?;
    assemble(&grouped, &requested, issues, options.ledger.then_some(ledgers))
}

/// Advances its stage by one when dropped: at the end of a loop's turn, whichever way it ends.
struct Done<'a, 'b>(&'a Stage<'b>);

impl Drop for Done<'_, '_> {
    fn drop(&mut self) {
        self.0.advance(1);
    }
}

/// The indicators of the grouped tables at the requested levels, finest first.
///
/// # Errors
/// [`Error::Spec`] when none of the requested levels can be produced.
fn assemble(
    grouped: &[Grouped],
    requested: &[ObjectLevel],
    issues: Vec<Issue>,
    ledger: Option<Vec<LazyFrame>>,
) -> Result<Computed> {
    let mut levels = Vec::new();
    for &level in requested {
        if let Some(sums) = level_sums(grouped, level)? {
            levels.push(sums);
        }
    }
    if levels.is_empty() {
        return Err(Error::Spec("compute: none of the requested levels can be produced from these records".into()));
    }
    Ok(Computed { levels, ledger, issues })
}

/// The query of a table's sums per year and finest-level unit (`keys`): per job the summed
/// numerator, unknown count and (quotients of two sums) denominator, and the number of
/// records. Records without a year or key id form groups of their own, which [`checked`]
/// reports and leaves out.
fn sums_query(table: &RecordTable, jobs: &[Job], keys: &[ObjectLevel]) -> LazyFrame {
    let id_cols: Vec<Expr> = keys.iter().map(|l| col(l.id_column()).cast(DataType::String)).collect();
    let mut aggs = Vec::with_capacity(3 * jobs.len() + 1);
    let mut select = vec![col("year").cast(DataType::Int32)];
    select.extend(id_cols);
    for job in jobs {
        let (num, den, unk) = per_record(table, &job.formula);
        let (num_name, unk_name) = (numerator_column(&job.indicator), unknown_column(&job.indicator));
        select.push(num.alias(num_name.as_str()));
        select.push(unk.alias(unk_name.as_str()));
        aggs.push(col(num_name.as_str()).sum());
        aggs.push(col(unk_name.as_str()).sum());
        // Count and share denominators are the known objects (objects − unknown): only the
        // quotients of two sums carry a summed denominator.
        if job.formula.sums_denominator() {
            let den_name = denominator_column(&job.indicator);
            select.push(den.alias(den_name.as_str()));
            aggs.push(sum_or_null(&den_name).alias(den_name.as_str()));
        }
    }
    // Int64, not the index type: partial sums cross to engines without unsigned integers.
    aggs.push(len().cast(DataType::Int64).alias("objects"));
    let mut group_keys = vec![col("year")];
    group_keys.extend(keys.iter().map(|l| col(l.id_column())));
    table.frame.clone().select(select).group_by(group_keys).agg(aggs)
}

/// The checks of a table's sums over all its records: groups without a year or key id are
/// reported and left out, the duplicates of its own ids (counted beforehand over the records)
/// reported, and objects under two parents reported.
fn checked(
    object: ObjectLevel,
    origin: &str,
    jobs: Vec<Job>,
    keys: &[ObjectLevel],
    mut sums: DataFrame,
    duplicates: Option<&DuplicateIds>,
    issues: &mut Vec<Issue>,
) -> Result<Grouped> {
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
            origin,
            format!(
                "{bad_rows} {object} record(s) have no year or no {} id: left out",
                keys.iter().map(|l| l.as_str()).collect::<Vec<_>>().join("/")
            ),
        ));
        sums = sums.lazy().filter(missing.not()).collect().map_err(|e| Error::Spec(e.to_string()))?;
    }

    // Duplicate ids of the table's own objects, per year.
    if let Some(d) = duplicates.filter(|d| d.count > 0) {
        let mut shown: Vec<&str> = d.first.iter().take(SHOWN).map(String::as_str).collect();
        if d.count > SHOWN {
            shown.push("…");
        }
        issues.push(issue(
            IssueKind::DuplicateObservation,
            origin,
            format!(
                "{} {object} id(s) appear more than once in a year (each record is counted): {}",
                d.count,
                shown.join(", ")
            ),
        ));
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
                origin,
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
    Ok(Grouped { object, level: keys[0], sums, jobs })
}

/// The ids that appear more than once in a year, sorted. Streams (year, id) batches through a
/// set of 64-bit fingerprints — a few hundred MB for ten million ids, where a group-by on the
/// strings would hold them all — and confirms the candidates on their text in a second pass
/// (only when there are any), so a fingerprint collision never reports a false duplicate.
fn duplicate_ids(table: &RecordTable, own: &str) -> Result<Vec<String>> {
    use std::collections::hash_map::DefaultHasher;
    use std::collections::HashMap;
    use std::hash::{Hash, Hasher};
    fn fingerprint(year: Option<i32>, id: &str) -> u64 {
        let mut h = DefaultHasher::new();
        year.hash(&mut h);
        id.hash(&mut h);
        h.finish()
    }
    /// The id column of a (year, id) batch: the one that is not `year`.
    fn own_name(batch: &DataFrame) -> &str {
        batch.get_column_names().into_iter().find(|n| n.as_str() != "year").map(|n| n.as_str()).unwrap_or("")
    }
    let to_err = |e: PolarsError| {
        Error::data(Location { file: Some(table.origin.clone()), ..Default::default() }, e.to_string())
    };
    // Streams (year, id) batches, fingerprinted, through `visit` (the callback may run on
    // several threads: each batch is fingerprinted on its own, then handed over at once).
    type Visit = Box<dyn Fn(Vec<u64>, &Int32Chunked, &StringChunked) + Send + Sync>;
    let stream = |visit: Visit| -> Result<()> {
        let callback = PlanCallback::new(move |batch: DataFrame| {
            let years = batch.column("year")?.i32()?.clone();
            let ids = batch.column(own_name(&batch))?.str()?.clone();
            let prints: Vec<u64> =
                years.iter().zip(ids.iter()).map(|(year, id)| id.map_or(0, |id| fingerprint(year, id))).collect();
            visit(prints, &years, &ids);
            Ok(false)
        });
        let plan = table
            .frame
            .clone()
            .select([col("year").cast(DataType::Int32), col(own).cast(DataType::String)])
            .sink_batches(callback, false, None)
            .map_err(to_err)?;
        plan.collect_with_engine(Engine::Streaming).map_err(to_err)?;
        Ok(())
    };
    // The only failure of `lock()` is a poisoned lock: a panic inside a callback below, which does not panic.
    let lock = "no panic while holding the lock";
    let seen = std::sync::Arc::new(std::sync::Mutex::new((HashSet::<u64>::new(), HashSet::<u64>::new())));
    let state = seen.clone();
    stream(Box::new(move |prints, _, ids| {
        let mut guard = state.lock().expect(lock);
        let (seen, candidates) = &mut *guard;
        for (f, id) in prints.into_iter().zip(ids.iter()) {
            if id.is_some() && !seen.insert(f) {
                candidates.insert(f);
            }
        }
    }))?;
    let candidates = std::mem::take(&mut seen.lock().expect(lock).1);
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let counts = std::sync::Arc::new(std::sync::Mutex::new(HashMap::<(Option<i32>, String), u32>::new()));
    let state = counts.clone();
    stream(Box::new(move |prints, years, ids| {
        let mut counts = state.lock().expect(lock);
        for ((f, year), id) in prints.into_iter().zip(years.iter()).zip(ids.iter()) {
            if let (true, Some(id)) = (candidates.contains(&f), id) {
                *counts.entry((year, id.to_string())).or_default() += 1;
            }
        }
    }))?;
    let counts = std::mem::take(&mut *counts.lock().expect(lock));
    let mut duplicates: Vec<String> = counts.into_iter().filter(|(_, n)| *n > 1).map(|((_, id), _)| id).collect();
    duplicates.sort();
    duplicates.dedup();
    Ok(duplicates)
}

/// The (year, id) pairs of one table's own objects, that finer tables' parents are checked
/// against.
struct Listed {
    level: ObjectLevel,
    origin: String,
    /// `year` (Int32) and the level's id column (String): one row per record, or per group of
    /// the table's sums.
    ids: LazyFrame,
}

/// Parents named by a finer table that the parent's own table does not list.
fn check_parents(grouped: &[Grouped], listed: &[Listed], issues: &mut Vec<Issue>) -> Result<()> {
    for g in grouped {
        for t in listed.iter().filter(|t| t.level > g.object) {
            let id = t.level.id_column();
            if g.sums.column(id).is_err() {
                continue;
            }
            let known = t.ids.clone().unique(None, UniqueKeepStrategy::Any);
            let named = g.sums.clone().lazy().select([col("year"), col(id)]).unique(None, UniqueKeepStrategy::Any);
            let orphans =
                named.join(known, [col("year"), col(id)], [col("year"), col(id)], JoinArgs::new(JoinType::Anti));
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

/// The sums of every table that reaches `level`, joined on (year, unit) and sorted by unit then
/// year; `None` when no table reaches it.
fn level_sums(grouped: &[Grouped], level: ObjectLevel) -> Result<Option<LevelSums>> {
    let to_err = |e: PolarsError| Error::Spec(format!("compute: {e}"));
    let id = level.id_column();
    let mut frame: Option<LazyFrame> = None;
    let mut jobs = Vec::new();
    // A table reaches `level` when its finest output level is at or below it and its sums carry
    // the level's id (an optional level the table lacks is skipped).
    for (t, g) in grouped.iter().enumerate().filter(|(_, g)| g.level <= level && g.sums.column(id).is_ok()) {
        let objects = format!("t{t}_objects");
        let mut aggs = vec![col("objects").sum().alias(objects.as_str())];
        for (k, job) in g.jobs.iter().enumerate() {
            let prefix = format!("t{t}_{k}");
            aggs.push(col(numerator_column(&job.indicator)).sum().alias(format!("{prefix}_num")));
            if job.formula.sums_denominator() {
                aggs.push(sum_or_null(&denominator_column(&job.indicator)).alias(format!("{prefix}_den")));
            }
            aggs.push(col(unknown_column(&job.indicator)).sum().alias(format!("{prefix}_unk")));
            let has_denominator = job.formula.has_denominator();
            jobs.push(OutputJob {
                indicator: job.indicator.clone(),
                prefix,
                objects: objects.clone(),
                quotient: has_denominator && !matches!(job.formula, Formula::Count(_)),
                has_denominator,
                summed_denominator: job.formula.sums_denominator(),
                scale: job.scale,
            });
        }
        let sums = g.sums.clone().lazy().group_by([col("year"), col(id).alias("unit")]).agg(aggs);
        frame = Some(match frame {
            None => sums,
            Some(joined) => joined.join(
                sums,
                [col("year"), col("unit")],
                [col("year"), col("unit")],
                JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns),
            ),
        });
    }
    let Some(frame) = frame else { return Ok(None) };
    let frame = frame.sort(["unit", "year"], SortMultipleOptions::default()).collect().map_err(to_err)?;
    jobs.sort_by(|a, b| a.indicator.cmp(&b.indicator));
    Ok(Some(LevelSums { level, frame, jobs }))
}

impl LevelSums {
    /// The long rows of the units in `rows` (rows of the sums frame): unit, level, year,
    /// indicator, value, numerator, denominator, unknown, objects.
    fn long(&self, rows: std::ops::Range<usize>) -> Result<DataFrame> {
        let to_err = |e: PolarsError| Error::Spec(format!("compute: {e}"));
        let f64s = |name: &str| -> Result<Float64Chunked> {
            Ok(self
                .frame
                .column(name)
                .map_err(to_err)?
                .cast(&DataType::Float64)
                .map_err(to_err)?
                .f64()
                .map_err(to_err)?
                .clone())
        };
        let units = self.frame.column("unit").map_err(to_err)?.str().map_err(to_err)?.clone();
        let years = self.frame.column("year").map_err(to_err)?.i32().map_err(to_err)?.clone();
        let capacity = rows.len() * self.jobs.len();
        let (mut unit, mut year, mut indicator) =
            (Vec::with_capacity(capacity), Vec::with_capacity(capacity), Vec::with_capacity(capacity));
        let (mut value, mut numerator, mut denominator) =
            (Vec::with_capacity(capacity), Vec::with_capacity(capacity), Vec::with_capacity(capacity));
        let (mut unknown, mut objects) = (Vec::with_capacity(capacity), Vec::with_capacity(capacity));
        let columns = self
            .jobs
            .iter()
            .map(|j| {
                let den = if j.summed_denominator { Some(f64s(&format!("{}_den", j.prefix))?) } else { None };
                Ok((f64s(&format!("{}_num", j.prefix))?, den, f64s(&format!("{}_unk", j.prefix))?, f64s(&j.objects)?))
            })
            .collect::<Result<Vec<_>>>()?;
        for r in rows {
            let (Some(u), Some(y)) = (units.get(r), years.get(r)) else { continue };
            for (job, (num, den, unk, obj)) in self.jobs.iter().zip(&columns) {
                // A unit without objects of this job's table has no row for it.
                let Some(n_objects) = obj.get(r) else { continue };
                let n = num.get(r).unwrap_or(0.0);
                let d = match den {
                    Some(den) => den.get(r),
                    None => Some(n_objects - unk.get(r).unwrap_or(0.0)),
                };
                let v =
                    if job.quotient { d.filter(|&d| d > 0.0).map(|d| job.scale * n / d) } else { Some(job.scale * n) };
                // Sums of records near f64::MAX, or a quotient over a subnormal denominator
                // (8.6 / 1e-320), are not representable: refused, never written as inf or NaN.
                for (what, x) in [("value", v), ("numerator", Some(n)), ("denominator", d)] {
                    if let Some(x) = x.filter(|x| !x.is_finite()) {
                        let location = Location {
                            unit: Some(u.to_string()),
                            year: Some(y),
                            indicator: Some(job.indicator.clone()),
                            ..Default::default()
                        };
                        return Err(Error::data(
                            location,
                            format!(
                                "the {what} is {} (beyond f64; numerator {}, denominator {}): the records' \
                                 numbers are too large, or a denominator too small, to compute this indicator",
                                crate::error::shown_number(x),
                                crate::error::shown_number(n),
                                d.map_or("none".to_string(), crate::error::shown_number)
                            ),
                        ));
                    }
                }
                unit.push(u);
                year.push(y);
                indicator.push(job.indicator.as_str());
                value.push(v);
                numerator.push(Some(n));
                denominator.push(if job.has_denominator { d } else { None });
                unknown.push(unk.get(r).unwrap_or(0.0) as u64);
                objects.push(n_objects as u64);
            }
        }
        let height = unit.len();
        DataFrame::new_infer_height(vec![
            Column::new("unit".into(), unit),
            Column::new("level".into(), vec![self.level.as_str(); height]),
            Column::new("year".into(), year),
            Column::new("indicator".into(), indicator),
            Column::new("value".into(), value),
            Column::new("numerator".into(), numerator),
            Column::new("denominator".into(), denominator),
            Column::new("unknown".into(), unknown),
            Column::new("objects".into(), objects),
        ])
        .map_err(to_err)
    }
}

/// The problem ledger of a table, as query plans (one per count/share formula): one row per
/// object that the formula flags. `levels` are the parent columns, the same for every table.
fn ledger(table: &RecordTable, jobs: &[Job], levels: &[ObjectLevel]) -> Vec<LazyFrame> {
    let own = table.level.id_column();
    // The same columns for every table: the parents above the object, empty at or below it.
    let parents: Vec<Expr> = levels
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
    parts
}

impl Computed {
    /// The levels produced, finest first.
    pub fn levels(&self) -> Vec<ObjectLevel> {
        self.levels.iter().map(|l| l.level).collect()
    }

    /// Every indicator row: unit, level, year, indicator, value, numerator, denominator,
    /// unknown, objects — sorted by level (finest first), unit, year and indicator.
    pub fn indicators(&self) -> Result<DataFrame> {
        let mut out: Option<DataFrame> = None;
        for l in &self.levels {
            let part = l.long(0..l.frame.height())?;
            match &mut out {
                None => out = Some(part),
                Some(df) => {
                    df.vstack_mut(&part).map_err(|e| Error::Spec(format!("compute: {e}")))?;
                }
            }
        }
        // Cannot fail: `assemble`, the only maker of a `Computed`, refuses an empty `levels`.
        Ok(out.expect("at least one level"))
    }

    /// The problem ledger (year, level, object_id, compound_id, block_id, district_id, city_id,
    /// indicator; `community_id` after `compound_id` when the catalogue declares that level and
    /// the records carry it); `None` when it was not asked for, and after [`roll_up`] (the
    /// ledger of partial sums is made in parts: [`ledger_part`]).
    pub fn ledger(&self) -> Result<Option<DataFrame>> {
        let Some(plans) = &self.ledger else { return Ok(None) };
        if plans.is_empty() {
            return Ok(Some(DataFrame::empty()));
        }
        let lf = concat(plans.clone(), UnionArgs::default()).map_err(|e| Error::Spec(format!("compute: {e}")))?;
        run(lf, "records").map(Some)
    }

    /// Writes `indicators` and the ledger (as `ledger_name`, e.g. `ledger` or `object_ledger`)
    /// into `dir`; returns the paths. CSV is written in chunks of units and one ledger formula
    /// at a time, so memory stays bounded by the sums and the largest single formula's ledger.
    /// With `OutputFormat::Xlsx`, one workbook `compute.xlsx` holds both as sheets (a sheet
    /// holds at most 1,048,575 rows).
    pub fn write(
        &self,
        dir: &std::path::Path,
        format: crate::io::OutputFormat,
        ledger_name: &str,
    ) -> Result<Vec<std::path::PathBuf>> {
        use crate::io::OutputFormat;
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut paths = Vec::new();
        match format {
            OutputFormat::Parquet => {
                paths.push(crate::io::write_table(dir, "indicators", format, &mut self.indicators()?)?);
                if let Some(mut ledger) = self.ledger()? {
                    paths.push(crate::io::write_table(dir, ledger_name, format, &mut ledger)?);
                }
            }
            OutputFormat::Xlsx => {
                let mut tables = vec![("indicators", self.indicators()?)];
                if let Some(ledger) = self.ledger()? {
                    tables.push((ledger_name, ledger));
                }
                paths.push(crate::io::write_sheets(dir, "compute", &tables)?);
            }
            OutputFormat::Csv => {
                const UNITS_PER_CHUNK: usize = 50_000;
                let mut chunks = Vec::new();
                for l in &self.levels {
                    let mut start = 0;
                    while start < l.frame.height() {
                        let end = (start + UNITS_PER_CHUNK).min(l.frame.height());
                        chunks.push((l, start..end));
                        start = end;
                    }
                }
                paths.push(write_csv_chunks(dir, "indicators", chunks.into_iter().map(|(l, rows)| l.long(rows)))?);
                if let Some(plans) = &self.ledger {
                    paths.push(write_csv_chunks(dir, ledger_name, plans.iter().map(|lf| run(lf.clone(), "records")))?);
                }
            }
        }
        Ok(paths)
    }

    /// The indicators of one level as a panel the check-up scores (unit = the level's id).
    pub fn panel(&self, level: ObjectLevel) -> Result<Panel> {
        let Some(l) = self.levels.iter().find(|l| l.level == level) else {
            return Err(Error::Spec(format!("compute: no indicators at {level} level were produced")));
        };
        let rows = l.long(0..l.frame.height())?;
        let to_err = |e: PolarsError| Error::Spec(format!("compute: {e}"));
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

/// Writes the frames of `chunks` one after another into `dir/name.csv` (header once).
fn write_csv_chunks(
    dir: &std::path::Path,
    name: &str,
    chunks: impl Iterator<Item = Result<DataFrame>>,
) -> Result<std::path::PathBuf> {
    let path = dir.join(format!("{name}.csv"));
    crate::io::write_atomic(&path, |file| {
        let mut writer = std::io::BufWriter::new(file);
        let mut header = true;
        for chunk in chunks {
            let mut df = chunk?;
            if df.width() == 0 {
                continue;
            }
            CsvWriter::new(&mut writer).include_header(header).finish(&mut df).map_err(|e| {
                Error::data(Location { file: Some(path.display().to_string()), ..Default::default() }, e.to_string())
            })?;
            header = false;
        }
        std::io::Write::flush(&mut writer).map_err(|e| Error::io(&path, e))
    })?;
    Ok(path)
}
