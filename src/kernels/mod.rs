//! Pure numeric code on slices and column-major matrices: statistics, ranks, correlations,
//! Cronbach's α ([`reliability`]) and the normalisations the stages share ([`scale`]).
//!
//! No polars and no catalogue here: this is what the benchmarks stress and what the
//! reference tests pin down. Missing values are `NaN`; every function says what it does
//! with them.
//!
//! Matrices are ndarray's: units (alternatives) as rows, indicators (criteria) as columns,
//! owned as [`Array2<f64>`] and borrowed as [`ArrayView2<f64>`]. The kernels accept any
//! layout, but the matrices built here ([`missing`], [`from_columns`], [`from_rows`]) are
//! column-major, so that [`column`] hands out each indicator as a borrowed contiguous slice
//! instead of a copy.

use std::borrow::Cow;

use crate::error::{Error, Result};

pub mod judgement;
pub mod linalg;
pub mod random;
pub mod rank;
pub mod reliability;
pub mod scale;
pub mod stats;

pub use ndarray::{array, Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut2, Axis, ShapeBuilder};

/// A `rows × cols` column-major matrix of `NaN` (all missing).
pub fn missing(rows: usize, cols: usize) -> Array2<f64> {
    Array2::from_elem((rows, cols).f(), f64::NAN)
}

/// A `rows × cols` column-major matrix from its columns laid end to end.
///
/// # Errors
/// [`Error::Spec`] if `data.len() != rows * cols`.
///
/// # Examples
/// ```
/// use citycheck::kernels::{column, from_columns};
/// let x = from_columns(3, 2, vec![1.0, 2.0, 3.0, 10.0, 20.0, 30.0]).unwrap();
/// assert_eq!(x[[2, 1]], 30.0);
/// assert_eq!(&*column(x.view(), 1), &[10.0, 20.0, 30.0]);
/// ```
pub fn from_columns(rows: usize, cols: usize, data: Vec<f64>) -> Result<Array2<f64>> {
    let len = data.len();
    Array2::from_shape_vec((rows, cols).f(), data).map_err(|_| {
        Error::Shape(format!("matrix of {rows} rows × {cols} columns needs {} values, got {len}", rows * cols))
    })
}

/// A column-major matrix from its rows given as slices (the way matrices are written in
/// papers and in pairwise-comparison files).
///
/// # Errors
/// [`Error::Spec`] if the rows differ in length.
///
/// # Examples
/// ```
/// use citycheck::kernels::from_rows;
/// let x = from_rows(&[[1.0, 2.0], [3.0, 4.0]]).unwrap();
/// assert_eq!(x[[1, 0]], 3.0);
/// assert!(from_rows(&[vec![1.0, 2.0], vec![3.0]]).is_err());
/// ```
pub fn from_rows<R: AsRef<[f64]>>(rows: &[R]) -> Result<Array2<f64>> {
    let n = rows.first().map_or(0, |r| r.as_ref().len());
    if let Some((i, row)) = rows.iter().enumerate().find(|(_, r)| r.as_ref().len() != n) {
        return Err(Error::Shape(format!("row {} has {} values, row 1 has {n}", i + 1, row.as_ref().len())));
    }
    let mut x = missing(rows.len(), n);
    for (mut target, row) in x.rows_mut().into_iter().zip(rows) {
        target.assign(&ArrayView1::from(row.as_ref()));
    }
    Ok(x)
}

/// Column `j` of `x` as a slice: borrowed when the column is contiguous (always, for the
/// column-major matrices of this crate), copied otherwise.
///
/// # Panics
/// If `j >= x.ncols()`.
pub fn column(x: ArrayView2<'_, f64>, j: usize) -> Cow<'_, [f64]> {
    let col = x.index_axis_move(Axis(1), j);
    match col.to_slice() {
        Some(slice) => Cow::Borrowed(slice),
        None => Cow::Owned(col.to_vec()),
    }
}

/// The columns of `x` in order, each as by [`column`].
pub fn columns(x: ArrayView2<'_, f64>) -> impl ExactSizeIterator<Item = Cow<'_, [f64]>> {
    (0..x.ncols()).map(move |j| column(x, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_rows_is_column_major_and_checks_lengths() {
        let x = from_rows(&[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).unwrap();
        assert_eq!(x.dim(), (2, 3));
        assert_eq!(x.as_slice_memory_order(), Some(&[1.0, 4.0, 2.0, 5.0, 3.0, 6.0][..]));
        assert_eq!(x, array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
        let err = from_rows(&[vec![1.0, 2.0], vec![3.0]]).unwrap_err();
        assert!(err.to_string().contains("row 2 has 1 values, row 1 has 2"), "{err}");
        assert_eq!(from_rows::<[f64; 0]>(&[]).unwrap().dim(), (0, 0));
    }

    #[test]
    fn from_columns_checks_the_size() {
        assert_eq!(from_columns(2, 1, vec![1.0, 2.0]).unwrap(), array![[1.0], [2.0]]);
        assert!(from_columns(2, 2, vec![1.0, 2.0, 3.0]).is_err());
    }

    #[test]
    fn columns_are_borrowed_when_contiguous_and_copied_otherwise() {
        let by_column = from_rows(&[[1.0, 2.0], [3.0, 4.0]]).unwrap();
        let by_row = array![[1.0, 2.0], [3.0, 4.0]];
        assert!(matches!(column(by_column.view(), 1), Cow::Borrowed(&[2.0, 4.0])));
        assert!(matches!(column(by_row.view(), 1), Cow::Owned(ref c) if c == &[2.0, 4.0]));
        let all: Vec<Vec<f64>> = columns(by_row.view()).map(Cow::into_owned).collect();
        assert_eq!(all, [[1.0, 3.0], [2.0, 4.0]]);
        assert!(missing(2, 3).iter().all(|v| v.is_nan()));
    }
}
