//! `fixed`: expert weights from the catalogue, normalised to sum 1.

use crate::error::{Error, Result};

/// Normalises the expert weights `expert` (one per column named in `names`); weights that do not
/// sum to 1 are rescaled with a warning, or refused when `strict`.
///
/// # Errors
/// [`Error::Method`] if a column has no weight in the catalogue, all weights are 0, or (strict)
/// they do not sum to 1.
pub fn fixed(names: &[String], expert: &[Option<f64>], strict: bool, warnings: &mut Vec<String>) -> Result<Vec<f64>> {
    let mut w = Vec::with_capacity(expert.len());
    for (name, weight) in names.iter().zip(expert) {
        w.push(weight.ok_or_else(|| {
            Error::method(
                "fixed",
                None,
                format!("'{name}' has no weight in the catalogue (fixed weights need one for every node)"),
            )
        })?);
    }
    // Weights near the limits of f64 (1e308) are summed relative to a power of two near the
    // largest, so that their sum does not overflow; other weights as they are (same bits).
    let largest = w.iter().fold(0.0f64, |m, &x| m.max(x.abs()));
    let scale = if largest > 2f64.powi(256) {
        let exponent = (largest.log2().floor() as i64).clamp(-1022, 1023);
        f64::from_bits(((exponent + 1023) as u64) << 52)
    } else {
        1.0
    };
    let total: f64 = w.iter().map(|&x| x / scale).sum();
    if total.is_nan() || total <= 0.0 {
        return Err(Error::method("fixed", None, format!("the weights of {} are all 0", names.join(", "))));
    }
    if (total * scale - 1.0).abs() > 1e-9 {
        let shown = rounded(total * scale);
        if strict {
            return Err(Error::method(
                "fixed",
                None,
                format!("the weights of {} sum to {shown}, not 1 (strict)", names.join(", ")),
            ));
        }
        warnings.push(format!("fixed weights of {} sum to {shown}; normalised to 1", names.join(", ")));
    }
    Ok(w.into_iter().map(|x| x / scale / total).collect())
}

/// A sum of weights for a message: [`crate::error::shown_number`] (0.9, not
/// 0.8999999999999999), or words beyond f64.
fn rounded(x: f64) -> String {
    if x.is_finite() {
        crate::error::shown_number(x)
    } else {
        "more than the largest f64".to_string()
    }
}
