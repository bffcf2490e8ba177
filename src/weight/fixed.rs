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
    let total: f64 = w.iter().sum();
    if total.is_nan() || total <= 0.0 {
        return Err(Error::method("fixed", None, format!("the weights of {} are all 0", names.join(", "))));
    }
    if (total - 1.0).abs() > 1e-9 {
        if strict {
            return Err(Error::method(
                "fixed",
                None,
                format!("the weights of {} sum to {total}, not 1 (strict)", names.join(", ")),
            ));
        }
        warnings.push(format!("fixed weights of {} sum to {total}; normalised to 1", names.join(", ")));
    }
    Ok(w.into_iter().map(|x| x / total).collect())
}
