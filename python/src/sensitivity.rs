//! Binding of `citycheck::sensitivity`: the Sobol kernel for a model written in Python. The
//! facade asks for Saltelli's design (a float64 matrix, a row per model run), calls the model
//! once on the whole of it, and hands its outputs (a row per run, a column per target) back
//! for the indices, so that Python is called once, not once per run.

use citycheck::sensitivity::{Estimate, SobolOptions};
use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::error::{citycheck_error, DataError};

/// One index: value, low and high end of its interval.
type Triple = (f64, f64, f64);

/// The indices of one target: the first-order and the total index of each input, the
/// variance of the target, the model runs, and the runs on which it was undefined (NaN).
type TargetIndices = (Vec<Triple>, Vec<Triple>, f64, usize, usize);

fn triple(e: &Estimate) -> Triple {
    (e.value, e.ci_low, e.ci_high)
}

/// The points of Saltelli's design for `k` inputs uniform on [0, 1): `n (k + 2)` rows (one
/// per model run, in the kernel's order) of `k` columns. The sizes are checked here, with the
/// bootstrap and the confidence the indices will use.
#[pyfunction]
fn sensitivity_sobol_design<'py>(
    py: Python<'py>,
    k: usize,
    n: usize,
    seed: u64,
    bootstrap: usize,
    confidence: f64,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let options = SobolOptions { n, seed, bootstrap, confidence };
    let points = citycheck::sensitivity::sobol_design(k, &options).map_err(citycheck_error)?;
    // k > 0: the design refuses k = 0.
    let matrix =
        Array2::from_shape_vec((points.len() / k, k), points).map_err(|e| DataError::new_err(e.to_string()))?;
    Ok(matrix.into_pyarray(py))
}

/// The indices of each column of `outputs` — the model's outputs on the rows of
/// `sensitivity_sobol_design(k, n, seed, bootstrap, confidence)`, a row per run in its order —
/// one tuple per target (column).
#[pyfunction]
fn sensitivity_sobol_indices(
    py: Python<'_>,
    k: usize,
    n: usize,
    seed: u64,
    bootstrap: usize,
    confidence: f64,
    outputs: PyReadonlyArray2<'_, f64>,
) -> PyResult<Vec<TargetIndices>> {
    let options = SobolOptions { n, seed, bootstrap, confidence };
    let targets = outputs.as_array().ncols();
    let values = outputs
        .as_slice()
        .map_err(|_| DataError::new_err("sobol: expected a C-contiguous float64 matrix of outputs"))?
        .to_vec();
    let indices = py
        .detach(|| citycheck::sensitivity::sobol_from_outputs(k, targets, &options, &values))
        .map_err(citycheck_error)?;
    let of = |s: &citycheck::sensitivity::SobolIndices| -> TargetIndices {
        (s.first.iter().map(triple).collect(), s.total.iter().map(triple).collect(), s.variance, s.runs, s.undefined)
    };
    Ok(indices.iter().map(of).collect())
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sensitivity_sobol_design, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity_sobol_indices, m)?)?;
    Ok(())
}
