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
        let settings = match DefaultSettingsBuilder::default().verbose(false).build() {
            Ok(s) => s,
            Err(e) => return Outcome::Failed(format!("solver settings: {e:?}")),
        };
        let mut solver = match DefaultSolver::new(&p, &self.cost, &a, &b, &cones, settings) {
            Ok(s) => s,
            Err(e) => return Outcome::Failed(format!("solver setup: {e:?}")),
        };
        solver.solve();
        match solver.solution.status {
            SolverStatus::Solved | SolverStatus::AlmostSolved => {
                let x: Vec<f64> = solver.solution.x.iter().map(|v| v.max(0.0)).collect();
                let objective = x.iter().zip(&self.cost).map(|(x, c)| x * c).sum();
                Outcome::Solved { x, objective }
            }
            SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => Outcome::Infeasible,
            SolverStatus::DualInfeasible | SolverStatus::AlmostDualInfeasible => Outcome::Unbounded,
            other => Outcome::Failed(format!("{other:?}")),
        }
    }
}
