//! The scores of a check-up: every node of the tree for every unit-year, with ranks.

use polars::prelude::*;
use rayon::prelude::*;

use super::Dataset;
use crate::catalog::{NodeKind, Tree};
use crate::error::{Warning, WarningCode};
use crate::kernels::rank::rank_best_first;
use crate::kernels::{column, Array2};

/// One unit's place in a league table ([`Scores::ranking`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Ranked<'a> {
    /// The unit.
    pub unit: &'a str,
    /// The year.
    pub year: i32,
    /// Its score.
    pub score: f64,
    /// Its rank, 1 = best; ties share the lowest rank.
    pub rank: u32,
}

/// Scores of every node (index, groups, indicators) for every unit-year. Indicator scores are
/// the normalised values. Ranks are per year and node among the units with a score,
/// 1 = best, ties sharing the lowest rank; 0 means no score.
#[derive(Debug, Clone)]
pub struct Scores {
    /// The [`Dataset`] scored (its identity), so that analyses never join another's data.
    pub(crate) data_id: u64,
    units: Vec<String>,
    row_unit: Vec<u32>,
    row_year: Vec<i32>,
    tree: Tree,
    values: Array2<f64>,
    ranks: Vec<u32>,
    /// Per unit-year and tree node: the value rests on an imputed cell (indicator nodes only).
    imputed: Vec<bool>,
    /// Per unit-year (rows) and tree node (columns): the share of the node's weight resting on
    /// values present, in [0, 1]; `NaN` where the node does not apply.
    coverage: Array2<f64>,
}

impl Scores {
    pub(super) fn new(
        data: &Dataset,
        values: Array2<f64>,
        coverage: Array2<f64>,
        warnings: &mut Vec<Warning>,
    ) -> Scores {
        let nodes = data.tree.nodes().len();
        // Ranks per node and year; nodes are independent, so in parallel.
        let ranks: Vec<u32> = (0..nodes)
            .into_par_iter()
            .flat_map_iter(|n| {
                let scores = column(values.view(), n);
                data.year_rows.iter().flat_map(move |rows| rank_best_first(&scores[rows.clone()]))
            })
            .collect();
        // Groups whose every part is not applicable have no score by design: not counted here
        // (the not_applicable warning counts them).
        let absent = super::absent_by_design(data, &(0..data.rows()));
        let mut partial = Vec::new();
        for n in 0..nodes {
            let node = data.tree.node(n);
            if node.kind != NodeKind::Indicator {
                let missing = |r: usize, v: f64| v.is_nan() && !absent.as_ref().is_some_and(|na| na[n][r]);
                let cells = || values.column(n).into_iter().zip(coverage.column(n)).enumerate();
                let none = cells().filter(|&(r, (&v, &c))| missing(r, v) && c == 0.0).count();
                let emptied = cells().filter(|&(r, (&v, &c))| missing(r, v) && c > 0.0).count();
                if none > 0 {
                    warnings.push(Warning::new(
                        WarningCode::NoScore,
                        format!(
                            "{} '{}': {none} unit-year(s) have no score (none of its parts has a value)",
                            node.kind.as_str(),
                            node.id
                        ),
                    ));
                }
                if emptied > 0 {
                    warnings.push(Warning::new(
                        WarningCode::NoScore,
                        format!(
                            "{} '{}': {emptied} unit-year(s) left without a score although some part has a \
                             value (missing = \"empty\" and a part has none, or the parts with a value weigh 0)",
                            node.kind.as_str(),
                            node.id
                        ),
                    ));
                }
                let short = coverage.column(n).iter().filter(|&&c| c < 1.0).count();
                if short > 0 {
                    partial.push(format!("'{}' {short}", node.id));
                }
            }
        }
        if !partial.is_empty() {
            warnings.push(Warning::new(
                WarningCode::PartialCoverage,
                format!(
                    "unit-year(s) scored over part of a group's weight (coverage < 1 in the scores: a part \
                     has no value), per node: {}",
                    partial.join(", ")
                ),
            ));
        }
        let rows = data.rows();
        let mut imputed = vec![false; rows * nodes];
        for (c, &node) in data.columns.iter().enumerate() {
            imputed[node * rows..(node + 1) * rows].copy_from_slice(&data.imputed[c * rows..(c + 1) * rows]);
        }
        Scores {
            data_id: data.id,
            imputed,
            units: data.units.clone(),
            row_unit: data.row_unit.clone(),
            row_year: data.row_year.clone(),
            tree: data.tree.clone(),
            values,
            ranks,
            coverage,
        }
    }

    /// Every value: rows = unit-years, columns = tree nodes.
    pub(super) fn grid(&self) -> &Array2<f64> {
        &self.values
    }

    /// The scoring tree the scores belong to: node positions (the `node` arguments) index
    /// its [`Tree::nodes`].
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Number of unit-years.
    pub fn rows(&self) -> usize {
        self.row_unit.len()
    }

    /// The unit (its name as in the data) of unit-year `row`, `row` < [`Scores::rows`].
    pub fn unit(&self, row: usize) -> &str {
        &self.units[self.row_unit[row] as usize]
    }

    /// The year of unit-year `row`, `row` < [`Scores::rows`].
    pub fn year(&self, row: usize) -> i32 {
        self.row_year[row]
    }

    /// Score of `node` (tree position) for unit-year `row`; `NaN` when it has none.
    pub fn value(&self, row: usize, node: usize) -> f64 {
        self.values[[row, node]]
    }

    /// Rank of `node` for `row` within its year; `None` when it has no score.
    pub fn rank(&self, row: usize, node: usize) -> Option<u32> {
        Some(self.ranks[node * self.rows() + row]).filter(|&r| r > 0)
    }

    /// Whether the indicator value of `node` for `row` was imputed.
    pub fn imputed(&self, row: usize, node: usize) -> bool {
        self.imputed[node * self.rows() + row]
    }

    /// The share of `node`'s weight resting on values present for unit-year `row`, in [0, 1]:
    /// Σ w·coverage of its parts over their Σ w (weights of the node's own level), parts not
    /// applicable left out; an indicator covers 1 with a value, 0 without. `None` where the
    /// node does not apply (every part not applicable).
    pub fn coverage(&self, row: usize, node: usize) -> Option<f64> {
        Some(self.coverage[[row, node]]).filter(|c| !c.is_nan())
    }

    /// Unit-years whose index rests on part of its weight (coverage < 1): some indicator has
    /// no value and the scores renormalised over the others, or (`missing = "empty"`) left
    /// the index empty.
    pub fn partial_count(&self) -> usize {
        self.coverage.column(0).iter().filter(|&&c| c < 1.0).count()
    }

    /// Number of imputed indicator cells.
    pub fn imputed_count(&self) -> usize {
        self.imputed.iter().filter(|&&i| i).count()
    }

    /// Position of the node with this id.
    pub fn node(&self, id: &str) -> Option<usize> {
        self.tree.nodes().iter().position(|n| n.id == id)
    }

    /// Score of `node_id` for `unit` in `year`, if scored.
    pub fn get(&self, unit: &str, year: i32, node_id: &str) -> Option<f64> {
        let node = self.node(node_id)?;
        (0..self.rows())
            .find(|&r| self.year(r) == year && self.unit(r) == unit)
            .map(|r| self.value(r, node))
            .filter(|v| !v.is_nan())
    }

    /// The units scored on `node_id` in `year`, best first (rank 1 first; ties in unit order):
    /// a league table. Empty when the node or the year is unknown.
    ///
    /// # Examples
    /// ```
    /// # fn main() -> citycheck::Result<()> {
    /// use citycheck::{Catalog, Checkup, Panel, Spec, ValidationMode};
    /// let catalog = Catalog::builtin("ccsy-example")?;
    /// let panel = Panel::from_records([
    ///     ("沈阳市", 2012, "green_coverage_builtup", 42.2),
    ///     ("大连市", 2012, "green_coverage_builtup", 45.0),
    ///     ("鞍山市", 2012, "green_coverage_builtup", 40.1),
    /// ]);
    /// let validation = panel.validate(&catalog, ValidationMode::Strict)?;
    /// let (_, outcome) = Checkup::new(catalog, Spec::default())?.run(&panel, &validation)?;
    /// let league: Vec<&str> = outcome.scores.ranking(2012, "index").iter().map(|r| r.unit).collect();
    /// assert_eq!(league, ["大连市", "沈阳市", "鞍山市"]);
    /// assert_eq!(outcome.scores.top(2012, "index", 1)[0].score, 100.0);
    /// # Ok(()) }
    /// ```
    pub fn ranking(&self, year: i32, node_id: &str) -> Vec<Ranked<'_>> {
        let Some(node) = self.node(node_id) else { return Vec::new() };
        let mut league: Vec<Ranked<'_>> = (0..self.rows())
            .filter(|&r| self.year(r) == year)
            .filter_map(|r| {
                Some(Ranked { unit: self.unit(r), year, score: self.value(r, node), rank: self.rank(r, node)? })
            })
            .collect();
        league.sort_by_key(|r| r.rank);
        league
    }

    /// The best `k` of [`Scores::ranking`] (more when units tie at the k-th rank).
    pub fn top(&self, year: i32, node_id: &str, k: usize) -> Vec<Ranked<'_>> {
        let mut league = self.ranking(year, node_id);
        if let Some(cut) = league.get(k.saturating_sub(1)).map(|r| r.rank) {
            league.retain(|r| r.rank <= cut);
        }
        if k == 0 {
            league.clear();
        }
        league
    }

    /// The years scored, ascending.
    pub fn years(&self) -> Vec<i32> {
        let mut years = self.row_year.clone();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// Long table `unit, year, node, kind, score, rank, imputed, coverage`: per unit-year the
    /// index, then groups, then indicators in catalogue order. Missing scores and ranks are
    /// null; `imputed` is true on indicator rows whose value was filled by imputation;
    /// `coverage` is [`Scores::coverage`] (1 = every part has a value; null where the node does
    /// not apply).
    pub fn to_dataframe(&self) -> PolarsResult<DataFrame> {
        let nodes = self.tree.nodes();
        let (rows, k) = (self.rows(), nodes.len());
        // Row r * k + j is unit-year r, node j. The text columns gather from a small table of
        // names (a gather copies string views, not strings); the rest are built in parallel.
        let gather = |name: &str, names: StringChunked, index: Vec<IdxSize>| -> PolarsResult<Column> {
            Ok(names.take(&IdxCa::from_vec("".into(), index))?.with_name(name.into()).into_column())
        };
        let text = || -> PolarsResult<[Column; 3]> {
            let per_row = |r: usize| std::iter::repeat_n(self.row_unit[r] as IdxSize, k);
            let per_node = || (0..rows).flat_map(|_| 0..k as IdxSize);
            Ok([
                gather(
                    "unit",
                    StringChunked::from_iter_values("".into(), self.units.iter().map(String::as_str)),
                    (0..rows).flat_map(per_row).collect(),
                )?,
                gather(
                    "node",
                    StringChunked::from_iter_values("".into(), nodes.iter().map(|n| n.id.as_str())),
                    per_node().collect(),
                )?,
                gather(
                    "kind",
                    StringChunked::from_iter_values("".into(), nodes.iter().map(|n| n.kind.as_str())),
                    per_node().collect(),
                )?,
            ])
        };
        let numbers = || -> [Column; 5] {
            let cells = || (0..rows).flat_map(|r| (0..k).map(move |j| (r, j)));
            let year: Vec<i32> = (0..rows).flat_map(|r| std::iter::repeat_n(self.row_year[r], k)).collect();
            let score: Float64Chunked =
                cells().map(|(r, j)| Some(self.values[[r, j]]).filter(|v| !v.is_nan())).collect();
            let rank: UInt32Chunked = cells().map(|(r, j)| self.rank(r, j)).collect();
            let imputed: BooleanChunked = cells().map(|(r, j)| Some(self.imputed(r, j))).collect();
            let coverage: Float64Chunked = cells().map(|(r, j)| self.coverage(r, j)).collect();
            [
                Column::new("year".into(), year),
                score.with_name("score".into()).into_column(),
                rank.with_name("rank".into()).into_column(),
                imputed.with_name("imputed".into()).into_column(),
                coverage.with_name("coverage".into()).into_column(),
            ]
        };
        let (text, numbers) = rayon::join(text, numbers);
        let [unit, node, kind] = text?;
        let [year, score, rank, imputed, coverage] = numbers;
        DataFrame::new_infer_height(vec![unit, year, node, kind, score, rank, imputed, coverage])
    }
}
