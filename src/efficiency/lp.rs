//! The linear programmes of DEA, solved by clarabel (a pure-Rust interior-point solver).
//!
//! Every model here writes its LP as `minimise c·x` over `x ≥ 0` with equality rows and `≤`
//! rows; this file turns that into clarabel's conic form `A x + s = b`, `s ∈ K` (a zero cone for
//! the equalities, a non-negative cone for the inequalities and the signs of the variables).

use clarabel::algebra::CscMatrix;
use clarabel::solver::{DefaultSettingsBuilder, DefaultSolver, IPSolver, SolverStatus, SupportedConeT};

/// One constraint row: `(variable, coefficient)` pairs (each variable at most once) and the
/// right-hand side.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub terms: Vec<(usize, f64)>,
    pub rhs: f64,
}

/// `minimise cost·x` subject to `eq` rows (`= rhs`), `le` rows (`≤ rhs`) and `x ≥ 0`.
#[derive(Debug, Clone)]
pub(crate) struct Lp {
    pub cost: Vec<f64>,
    pub eq: Vec<Row>,
    pub le: Vec<Row>,
}

/// What the solver found.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// An optimum (to the solver's tolerances), negative round-off clamped to 0.
    Solved { x: Vec<f64>, objective: f64 },
    /// No point satisfies the constraints.
    Infeasible,
    /// The objective decreases without bound.
    Unbounded,
    /// The solver stopped without an answer (iterations, numerical trouble): its status.
    Failed(String),
}

impl Lp {
    /// An LP of `n` variables with a zero cost and no rows.
    pub fn new(n: usize) -> Lp {
        Lp { cost: vec![0.0; n], eq: Vec::new(), le: Vec::new() }
    }

    /// Solves the LP with clarabel's default tolerances (1e-8), quietly.
    pub fn solve(&self) -> Outcome {
        self.solve_with_duals().0
    }

    /// [`Lp::solve`], with the duals of the equality and `≤` rows (in that order) when solved:
    /// clarabel's `z`, for which `cost + Aᵀz` is the vector of reduced costs.
    fn solve_with_duals(&self) -> (Outcome, Vec<f64>) {
        let n = self.cost.len();
        let rows = self.eq.len() + self.le.len();
        let m = rows + n;
        let mut columns: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        let mut b = Vec::with_capacity(m);
        for (i, row) in self.eq.iter().chain(&self.le).enumerate() {
            for &(j, a) in &row.terms {
                if a != 0.0 {
                    columns[j].push((i, a));
                }
            }
            b.push(row.rhs);
        }
        // x ≥ 0 as −x_j ≤ 0, after every other row (row indices stay sorted within a column).
        for (j, column) in columns.iter_mut().enumerate() {
            column.push((rows + j, -1.0));
            b.push(0.0);
        }
        let mut colptr = Vec::with_capacity(n + 1);
        let mut rowval = Vec::new();
        let mut nzval = Vec::new();
        colptr.push(0);
        for column in &columns {
            for &(i, a) in column {
                rowval.push(i);
                nzval.push(a);
            }
            colptr.push(rowval.len());
        }
        let a = CscMatrix::new(m, n, colptr, rowval, nzval);
        let p = CscMatrix::<f64>::zeros((n, n));
        let mut cones = Vec::with_capacity(2);
        if !self.eq.is_empty() {
            cones.push(SupportedConeT::ZeroConeT(self.eq.len()));
        }
        cones.push(SupportedConeT::NonnegativeConeT(self.le.len() + n));
        let settings = match DefaultSettingsBuilder::default()
            .verbose(false)
            .tol_gap_abs(SOLVER_TOLERANCE)
            .tol_gap_rel(SOLVER_TOLERANCE)
            .tol_feas(SOLVER_TOLERANCE)
            .build()
        {
            Ok(s) => s,
            Err(e) => return (Outcome::Failed(format!("solver settings: {e:?}")), Vec::new()),
        };
        let mut solver = match DefaultSolver::new(&p, &self.cost, &a, &b, &cones, settings) {
            Ok(s) => s,
            Err(e) => return (Outcome::Failed(format!("solver setup: {e:?}")), Vec::new()),
        };
        solver.solve();
        let outcome = match solver.solution.status {
            SolverStatus::Solved | SolverStatus::AlmostSolved => {
                let x: Vec<f64> = solver.solution.x.iter().map(|v| v.max(0.0)).collect();
                let objective = x.iter().zip(&self.cost).map(|(x, c)| x * c).sum();
                Outcome::Solved { x, objective }
            }
            SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => Outcome::Infeasible,
            SolverStatus::DualInfeasible | SolverStatus::AlmostDualInfeasible => Outcome::Unbounded,
            other => Outcome::Failed(format!("{other:?}")),
        };
        let duals = solver.solution.z[..rows].to_vec();
        (outcome, duals)
    }

    /// Solves the LP by column generation over the variables `priced` (the λ of a DEA model,
    /// one per reference unit): the LP restricted to the priced variables of `initial` (and
    /// every variable outside `priced`) is solved, the reduced cost `c_j + Σ_i a_ij z_i` of each
    /// priced variable left out is computed from its duals, and the [`PRICING_BATCH`] most
    /// negative join, until none is below −[`PRICING_TOLERANCE`] (relative): the optimum of the
    /// restricted LP is then the optimum of the whole one (its duals are feasible for it), and
    /// the variables left out are 0. A frontier of a few dozen units among thousands makes
    /// each LP that much smaller. A restricted LP that does not solve (infeasible without the
    /// units left out, say) falls back to the whole LP. Small LPs are solved whole.
    pub fn solve_priced(&self, priced: std::ops::Range<usize>, initial: &[usize]) -> Outcome {
        let n = self.cost.len();
        if priced.len() <= PRICING_MIN_COLUMNS {
            return self.solve();
        }
        let rows: Vec<&Row> = self.eq.iter().chain(&self.le).collect();
        // The priced columns, row-wise terms turned column-wise.
        let mut columns: Vec<Vec<(usize, f64)>> = vec![Vec::new(); priced.len()];
        for (i, row) in rows.iter().enumerate() {
            for &(j, a) in &row.terms {
                if priced.contains(&j) {
                    columns[j - priced.start].push((i, a));
                }
            }
        }
        let mut active: Vec<bool> = (0..n).map(|j| !priced.contains(&j)).collect();
        for &j in initial {
            if priced.contains(&j) {
                active[j] = true;
            }
        }
        for _ in 0..PRICING_ROUNDS {
            let (restricted, keep) = self.restricted(&active);
            let (outcome, z) = restricted.solve_with_duals();
            let Outcome::Solved { x: sub, objective } = outcome else { return self.solve() };
            let mut entering: Vec<(f64, usize)> = Vec::new();
            for (c, column) in columns.iter().enumerate() {
                let j = priced.start + c;
                if active[j] {
                    continue;
                }
                let (reduced, size) = column
                    .iter()
                    .fold((self.cost[j], self.cost[j].abs()), |(r, s), &(i, a)| (r + a * z[i], s + (a * z[i]).abs()));
                if reduced < -PRICING_TOLERANCE * size.max(1.0) {
                    entering.push((reduced, j));
                }
            }
            if entering.is_empty() {
                let mut x = vec![0.0; n];
                for (value, &j) in sub.iter().zip(&keep) {
                    x[j] = *value;
                }
                return Outcome::Solved { x, objective };
            }
            entering.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for &(_, j) in entering.iter().take(PRICING_BATCH) {
                active[j] = true;
            }
        }
        self.solve()
    }

    /// The LP over the `active` variables only (the others fixed at 0), and the original index
    /// of each of its variables.
    fn restricted(&self, active: &[bool]) -> (Lp, Vec<usize>) {
        let keep: Vec<usize> = (0..active.len()).filter(|&j| active[j]).collect();
        let mut position = vec![usize::MAX; active.len()];
        for (new, &j) in keep.iter().enumerate() {
            position[j] = new;
        }
        let remap = |row: &Row| Row {
            terms: row.terms.iter().filter(|(j, _)| active[*j]).map(|&(j, a)| (position[j], a)).collect(),
            rhs: row.rhs,
        };
        let lp = Lp {
            cost: keep.iter().map(|&j| self.cost[j]).collect(),
            eq: self.eq.iter().map(remap).collect(),
            le: self.le.iter().map(remap).collect(),
        };
        (lp, keep)
    }
}

/// clarabel's gap and feasibility tolerances (its default is 1e-8): every LP here is scaled to
/// numbers near 1 (each variable divided by its mean) and small (column generation), so the
/// interior-point method reaches this in a few more iterations, and the second phase of a
/// radial model, which holds θ* fixed, stays feasible without moving it.
const SOLVER_TOLERANCE: f64 = 1e-10;

/// Column generation ([`Lp::solve_priced`]) only above this many priced variables.
const PRICING_MIN_COLUMNS: usize = 64;
/// At most this many variables enter per round.
const PRICING_BATCH: usize = 48;
/// Rounds before the whole LP is solved instead.
const PRICING_ROUNDS: usize = 60;
/// A reduced cost below −this × (|c_j| + Σ|a_ij z_i|, at least 1) lets the variable enter:
/// clarabel's own tolerance (1e-8), so that the round-off of its duals does not keep adding
/// variables; a variable left out with a reduced cost above it moves the optimum by no more
/// than the solver's own error.
const PRICING_TOLERANCE: f64 = 1e-8;

#[cfg(test)]
mod tests {
    use super::*;

    /// Input-oriented CCR phase one of unit `o` over `n` pseudo-random units with 3 inputs and
    /// 3 outputs: variables [θ, λ_1 … λ_n].
    fn ccr(n: usize, o: usize, seed: u64) -> Lp {
        let mut state = seed;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            5.0 + 45.0 * ((state >> 11) as f64 / (1u64 << 53) as f64)
        };
        let data: Vec<[f64; 6]> = (0..n).map(|_| [next(), next(), next(), next(), next(), next()]).collect();
        let mut lp = Lp::new(1 + n);
        lp.cost[0] = 1.0;
        for (i, &xo) in data[o][..3].iter().enumerate() {
            let mut terms: Vec<(usize, f64)> = data.iter().enumerate().map(|(j, d)| (1 + j, d[i])).collect();
            terms.push((0, -xo));
            lp.le.push(Row { terms, rhs: 0.0 });
        }
        for (r, &yo) in data[o].iter().enumerate().skip(3) {
            lp.le.push(Row { terms: data.iter().enumerate().map(|(j, d)| (1 + j, -d[r])).collect(), rhs: -yo });
        }
        lp
    }

    /// Column generation from a poor start (the unit alone) reaches the whole LP's optimum, and
    /// its λ satisfy the whole LP's rows.
    #[test]
    fn column_generation_reaches_the_whole_optimum() {
        for (o, seed) in [(0, 1), (17, 2), (250, 3), (399, 4)] {
            let lp = ccr(400, o, seed);
            let Outcome::Solved { objective: whole, .. } = lp.solve() else { panic!("whole LP") };
            let Outcome::Solved { objective: priced, x } = lp.solve_priced(1..401, &[1 + o]) else {
                panic!("priced LP")
            };
            assert!((whole - priced).abs() <= 1e-7, "unit {o}: θ {whole} whole, {priced} priced");
            assert_eq!(x.len(), 401);
            for row in &lp.le {
                let lhs: f64 = row.terms.iter().map(|&(j, a)| a * x[j]).sum();
                assert!(lhs <= row.rhs + 1e-6 * row.rhs.abs().max(1.0), "unit {o}: row violated");
            }
        }
    }
}
