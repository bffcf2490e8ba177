//! Partial sums: the record computation split over machines (Spark partitions, files, batches
//! of records), added up and rolled up exactly as on one machine.
//!
//! [`compute`](super::compute) sums every formula's numerator, denominator and unknown count,
//! and counts the records, per year and finest-level unit; the coarser levels add up those
//! sums. Sums add: the sums of two parts of a table's records, added unit by unit, are the sums
//! of all of them, however the records were split (a compound's buildings may lie in several
//! parts). So each part is summed where it lies ([`PartialSums::of`]), the parts are added by
//! whatever engine holds them (a Spark `groupBy(…).sum(…)`, or [`roll_up`] itself), and
//! [`roll_up`] makes the indicators from the added sums with the same plan, checks and roll-up
//! as `compute`: rates stay ratios of sums. Two checks need every record of a table at once:
//! duplicate ids, which the engine counts and hands in as [`DuplicateIds`], and the ledger's
//! columns, which [`ledger_parents`](super::ledger_parents) fixes for all parts before the
//! ledger is made part by part ([`ledger_part`]).
//!
//! The frame of a part is described at [`PartialSums`].

use polars::prelude::*;

use super::{
    assemble, check_parents, checked, denominator_column, ledger, numerator_column, plan, run, sum_or_null, sums_query,
    unknown_column, ComputeOptions, Computed, Job, Listed, ObjectLevel, Plan, RecordTable, TableWork,
};
use crate::catalog::Catalog;
use crate::error::{Error, Location, Result};

/// The sums of one record table over some of its records, per year and finest-level unit.
///
/// The frame: `year` (Int32), the id columns of the levels the table is grouped by (String,
/// finest output level first), then per indicator of the table `{id}:numerator`,
/// `{id}:unknown` and, for ratio, per capita and coverage, `{id}:denominator` (Float64), and
/// `objects` (Int64, the records summed). A group whose year or key id is missing is kept, with
/// that key null, until [`roll_up`] reports and leaves it out as `compute` does. Parts add up
/// column by column; a denominator that no record has stays null (as SQL `SUM` leaves it).
#[derive(Clone)]
pub struct PartialSums {
    object: ObjectLevel,
    origin: String,
    frame: DataFrame,
}

impl std::fmt::Debug for PartialSums {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PartialSums({}, {}, {} rows)", self.object, self.origin, self.frame.height())
    }
}

/// The ids of a table's own objects that appear more than once in a year, counted over all
/// its records (by [`compute`](super::compute) itself, or by the engine that holds the parts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateIds {
    /// The table's object type.
    pub object: ObjectLevel,
    /// How many distinct ids appear more than once in some year.
    pub count: usize,
    /// The first of them in sorted order; the issue names five.
    pub first: Vec<String>,
}

/// The work of one table alone, planned as [`compute`](super::compute) plans it.
fn work_of(catalog: &Catalog, table: &RecordTable, options: &ComputeOptions) -> Result<Option<TableWork>> {
    let Plan { steps, .. } = plan(catalog, std::slice::from_ref(table), options)?;
    Ok(steps.into_iter().next().and_then(|step| step.work))
}

impl PartialSums {
    /// Sums the records of `table` — all of them or any part: a file, a Spark partition, a
    /// batch — per year and finest-level unit, as [`compute`](super::compute) does with
    /// `options`. `None` when `compute` computes nothing from this table (no formula reads it,
    /// or no requested level is at or above it; [`roll_up`] reports why).
    ///
    /// # Errors
    /// As `compute`: [`Error::Data`] naming the origin, the indicator and the column when a
    /// formula reads a column the records lack or cannot use, or a parent id column needed
    /// for a requested level is missing.
    ///
    /// # Examples
    /// ```
    /// # fn main() -> citycheck::Result<()> {
    /// use citycheck::compute::{roll_up, ComputeOptions, PartialSums, RecordTable};
    /// use citycheck::polars::prelude::*;
    /// use citycheck::Catalog;
    /// let catalog = Catalog::builtin("mohurd-2023")?;
    /// let district = |id: &'static str, km: f64, km2: f64| -> citycheck::Result<RecordTable> {
    ///     let df = df!("year" => [2024i32], "city_id" => ["C01"], "district_id" => [id],
    ///         "road_length_km" => [km], "area_km2" => [km2], "population" => [1000i64],
    ///         "park_green_area_m2" => [1.0], "new_building_area_m2" => [1.0],
    ///         "green_new_building_area_m2" => [1.0])
    ///     .map_err(|e| citycheck::Error::Spec(e.to_string()))?;
    ///     RecordTable::from_frame(df, id)
    /// };
    /// let options = ComputeOptions { ledger: false, ..ComputeOptions::default() };
    /// // Two machines, one district each.
    /// let (a, b) = (district("C01-D01", 8.0, 2.0)?, district("C01-D02", 12.0, 3.0)?);
    /// let part = |t: &RecordTable| PartialSums::of(&catalog, t, &options).map(Option::unwrap);
    /// let parts = [part(&a)?, part(&b)?];
    /// // The roll-up reads only the columns of the table it is given (here the first part's).
    /// let computed = roll_up(&catalog, &[a], &parts, &[], &options)?;
    /// let city = computed.indicators()?.lazy()
    ///     .filter(col("level").eq(lit("city")).and(col("indicator").eq(lit("road_network_density"))))
    ///     .collect().map_err(|e| citycheck::Error::Spec(e.to_string()))?;
    /// // (8 + 12) km / (2 + 3) km², a ratio of sums.
    /// assert_eq!(city.column("value").unwrap().f64().unwrap().get(0), Some(4.0));
    /// # Ok(()) }
    /// ```
    pub fn of(catalog: &Catalog, table: &RecordTable, options: &ComputeOptions) -> Result<Option<PartialSums>> {
        let Some(TableWork { jobs, keys }) = work_of(catalog, table, options)? else { return Ok(None) };
        let frame = run(sums_query(table, &jobs, &keys), &table.origin)?;
        Ok(Some(PartialSums { object: table.level, origin: table.origin.clone(), frame }))
    }

    /// Partial sums made elsewhere — added up by Spark, read back from a file — for
    /// [`roll_up`], which checks their columns against its plan.
    pub fn new(object: ObjectLevel, origin: impl Into<String>, frame: DataFrame) -> PartialSums {
        PartialSums { object, origin: origin.into(), frame }
    }

    /// The records' object type.
    pub fn object(&self) -> ObjectLevel {
        self.object
    }

    /// Where the records came from, for messages.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The sums (the frame described at [`PartialSums`]).
    pub fn frame(&self) -> &DataFrame {
        &self.frame
    }
}

/// The problem ledger of some records of `table` (one row per object and problem, the
/// columns of [`Computed::ledger`]) with the parent columns `parents` —
/// [`ledger_parents`](super::ledger_parents) of all the tables, so that every part has the
/// same columns. `None` when `compute` lists no problem of this table (no count or share
/// formula reads it, or it is not computed).
///
/// # Errors
/// As [`PartialSums::of`].
pub fn ledger_part(
    catalog: &Catalog,
    table: &RecordTable,
    options: &ComputeOptions,
    parents: &[ObjectLevel],
) -> Result<Option<DataFrame>> {
    let Some(TableWork { jobs, .. }) = work_of(catalog, table, options)? else { return Ok(None) };
    let plans = ledger(table, &jobs, parents);
    if plans.is_empty() {
        return Ok(None);
    }
    let lf = concat(plans, UnionArgs::default()).map_err(|e| Error::Spec(format!("compute: {e}")))?;
    run(lf, &table.origin).map(Some)
}

/// The indicators from partial sums: each table's parts are added unit by unit, then checked
/// and rolled up exactly as [`compute`](super::compute) does with the records — the same
/// indicators, rows and issues, but the ledger (`Computed::ledger` is `None`: it is made in
/// parts, [`ledger_part`]).
///
/// `tables` give the record tables' columns (their records are not read: a table of no rows
/// with the right columns will do), from which the plan is made as `compute` makes it;
/// `partials` are the parts of any table, in any number and order; `duplicates` the duplicate
/// ids counted over all records of a table (none for a table means none found).
///
/// # Errors
/// As `compute`; [`Error::Data`] naming the part's origin and the column when a part lacks a
/// column the plan needs or has one it does not make (made with another catalogue, other
/// parameters or other levels), or holds sums of an object type no table has.
pub fn roll_up(
    catalog: &Catalog,
    tables: &[RecordTable],
    partials: &[PartialSums],
    duplicates: &[DuplicateIds],
    options: &ComputeOptions,
) -> Result<Computed> {
    if let Some(stray) = partials.iter().find(|p| !tables.iter().any(|t| t.level == p.object)) {
        return Err(Error::data(
            Location { file: Some(stray.origin.clone()), ..Default::default() },
            format!("partial sums of {} records, but no table of {} records was given", stray.object, stray.object),
        ));
    }
    let Plan { requested, mut issues, steps, .. } = plan(catalog, tables, options)?;
    let mut grouped = Vec::new();
    let mut listed = Vec::new();
    for step in steps {
        issues.extend(step.issues);
        let Some(TableWork { jobs, keys }) = step.work else { continue };
        let table = &tables[step.index];
        let parts: Vec<&PartialSums> = partials.iter().filter(|p| p.object == table.level).collect();
        let sums = add_up(table, &jobs, &keys, &parts)?;
        // The table's own ids, before groups without a key are left out (as `compute` lists
        // them from every record).
        let own = table.level.id_column();
        if sums.column(own).is_ok() {
            listed.push(Listed {
                level: table.level,
                origin: table.origin.clone(),
                ids: sums.clone().lazy().select([col("year"), col(own)]),
            });
        }
        let found = duplicates.iter().find(|d| d.object == table.level);
        grouped.push(checked(table.level, &table.origin, jobs, &keys, sums, found, &mut issues)?);
    }
    check_parents(&grouped, &listed, &mut issues)?;
    assemble(&grouped, &requested, issues, None)
}

/// Adds the parts of one table unit by unit, after checking that each has exactly the columns
/// [`PartialSums::of`] makes for the table (cast to their types: an engine may hand back
/// other integer or float widths).
fn add_up(table: &RecordTable, jobs: &[Job], keys: &[ObjectLevel], parts: &[&PartialSums]) -> Result<DataFrame> {
    let file = |origin: &str| Location { file: Some(origin.to_string()), ..Default::default() };
    let mut query = sums_query(table, jobs, keys);
    let schema = query.collect_schema().map_err(|e| Error::data(file(&table.origin), e.to_string()))?;
    let mut frames = Vec::with_capacity(parts.len());
    for part in parts {
        let at = |column: &str| Location { column: Some(column.to_string()), ..file(&part.origin) };
        for name in schema.iter_names() {
            if part.frame.column(name.as_str()).is_err() {
                return Err(Error::data(
                    at(name.as_str()),
                    format!(
                        "the partial sums of {} records lack the column '{name}': were they made with the same \
                         catalogue, parameters and levels?",
                        table.level
                    ),
                ));
            }
        }
        for name in part.frame.get_column_names() {
            if !schema.contains(name.as_str()) {
                return Err(Error::data(
                    at(name.as_str()),
                    format!(
                        "the partial sums of {} records have a column '{name}' that this catalogue and these levels \
                         do not make",
                        table.level
                    ),
                ));
            }
        }
        let columns: Vec<Expr> = schema.iter().map(|(name, dtype)| col(name.clone()).cast(dtype.clone())).collect();
        frames.push(part.frame.clone().lazy().select(columns));
    }
    if frames.is_empty() {
        return Ok(DataFrame::empty_with_schema(&schema));
    }
    let mut group_keys = vec![col("year")];
    group_keys.extend(keys.iter().map(|l| col(l.id_column())));
    let mut aggs = vec![col("objects").sum()];
    for job in jobs {
        aggs.push(col(numerator_column(&job.indicator)).sum());
        aggs.push(col(unknown_column(&job.indicator)).sum());
        if job.formula.sums_denominator() {
            let den = denominator_column(&job.indicator);
            aggs.push(sum_or_null(&den).alias(den.as_str()));
        }
    }
    let all = concat(frames, UnionArgs::default()).map_err(|e| Error::data(file(&table.origin), e.to_string()))?;
    run(all.group_by(group_keys).agg(aggs), &table.origin)
}
