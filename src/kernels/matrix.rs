//! A dense column-major matrix: units (alternatives) as rows, indicators (criteria) as columns.

use crate::error::{Error, Result};

/// Dense `rows × cols` matrix of `f64`, stored column by column so that each indicator is one
/// contiguous slice. Missing cells are `NaN`.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    /// A `rows × cols` matrix of `NaN` (all missing).
    pub fn missing(rows: usize, cols: usize) -> Matrix {
        Matrix { rows, cols, data: vec![f64::NAN; rows * cols] }
    }

    /// From column-major data.
    ///
    /// # Errors
    /// [`Error::Spec`] if `data.len() != rows * cols`.
    pub fn from_columns(rows: usize, cols: usize, data: Vec<f64>) -> Result<Matrix> {
        if data.len() != rows * cols {
            return Err(Error::Spec(format!(
                "matrix of {rows} rows × {cols} columns needs {} values, got {}",
                rows * cols,
                data.len()
            )));
        }
        Ok(Matrix { rows, cols, data })
    }

    /// From rows given as slices (the way matrices are written in papers).
    ///
    /// # Errors
    /// [`Error::Spec`] if the rows differ in length.
    pub fn from_rows<R: AsRef<[f64]>>(rows: &[R]) -> Result<Matrix> {
        let m = rows.len();
        let n = rows.first().map_or(0, |r| r.as_ref().len());
        let mut data = vec![0.0; m * n];
        for (i, row) in rows.iter().enumerate() {
            let row = row.as_ref();
            if row.len() != n {
                return Err(Error::Spec(format!("row {} has {} values, row 1 has {n}", i + 1, row.len())));
            }
            for (j, &x) in row.iter().enumerate() {
                data[j * m + i] = x;
            }
        }
        Ok(Matrix { rows: m, cols: n, data })
    }

    #[inline]
    pub fn rows(&self) -> usize {
        self.rows
    }

    #[inline]
    pub fn cols(&self) -> usize {
        self.cols
    }

    #[inline]
    pub fn column(&self, j: usize) -> &[f64] {
        &self.data[j * self.rows..(j + 1) * self.rows]
    }

    #[inline]
    pub fn column_mut(&mut self, j: usize) -> &mut [f64] {
        &mut self.data[j * self.rows..(j + 1) * self.rows]
    }

    #[inline]
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[j * self.rows + i]
    }

    #[inline]
    pub fn set(&mut self, i: usize, j: usize, x: f64) {
        self.data[j * self.rows + i] = x;
    }

    pub fn columns(&self) -> impl Iterator<Item = &[f64]> {
        (0..self.cols).map(move |j| self.column(j))
    }

    /// Row `i` copied out.
    pub fn row(&self, i: usize) -> Vec<f64> {
        (0..self.cols).map(|j| self.get(i, j)).collect()
    }
}
