//! Tables in and out of Python through the Arrow C stream interface (`__arrow_c_stream__`).
//!
//! In: any object offering the interface — polars (any version ≥ 1.0), pyarrow, pandas once
//! the facade has converted it with `pyarrow.Table.from_pandas` — is read into a polars
//! [`DataFrame`] without copying buffers. Column types are checked against the Arrow schema
//! *before* polars sees the data: polars panics on some types it was not built for
//! (dictionaries without `dtype-categorical`, …), and a panic would reach Python as an
//! uncatchable `PanicException`. Out: an [`ArrowStream`] that Python turns into
//! `polars.DataFrame(stream)`.
//!
//! This avoids pyo3-polars, which breaks across Python polars versions and rejects pandas.

use std::ffi::CStr;

use citycheck::polars::prelude::{Column, CompatLevel, DataFrame, DataType, PolarsResult, Series};
use polars_arrow::array::{Array, ArrayRef, StructArray};
use polars_arrow::datatypes::{ArrowDataType, Field as ArrowField};
use polars_arrow::ffi::{export_iterator, ArrowArrayStream, ArrowArrayStreamReader};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyCapsuleMethods};

use crate::error::DataError;

/// The capsule name the Arrow PyCapsule interface prescribes for a stream.
const STREAM: &CStr = c"arrow_array_stream";

/// A table on its way to Python: `polars.DataFrame(stream)` (or `pyarrow.table(stream)`)
/// reads it through `__arrow_c_stream__`. Each call exports a fresh stream.
#[pyclass(frozen, module = "citycheck._citycheck")]
pub struct ArrowStream {
    df: DataFrame,
}

impl From<DataFrame> for ArrowStream {
    fn from(df: DataFrame) -> Self {
        ArrowStream { df }
    }
}

#[pymethods]
impl ArrowStream {
    /// The Arrow PyCapsule protocol; `requested_schema` may be ignored by a producer, and is.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        PyCapsule::new_with_value(py, export(&self.df), STREAM)
    }

    fn __repr__(&self) -> String {
        format!("ArrowStream({} rows × {} columns)", self.df.height(), self.df.width())
    }
}

/// Reads a table offering `__arrow_c_stream__` into a polars [`DataFrame`].
///
/// # Errors
/// `DataError` if the object offers no Arrow stream, the stream is not a table, or a column
/// has a type citycheck does not read (naming the column).
pub(crate) fn import(table: &Bound<'_, PyAny>) -> PyResult<DataFrame> {
    let method = table.getattr("__arrow_c_stream__").map_err(|_| {
        DataError::new_err(
            "expected a table offering the Arrow C stream interface (__arrow_c_stream__): \
             a polars, pandas or pyarrow table",
        )
    })?;
    let capsule = method.call0()?.cast_into::<PyCapsule>()?;
    let pointer = capsule.pointer_checked(Some(STREAM))?;
    // SAFETY: a capsule named "arrow_array_stream" holds an `ArrowArrayStream` (Arrow
    // PyCapsule interface). The stream is moved out and a released (empty) one left behind,
    // so the capsule's destructor does not release the stream a second time.
    let stream = unsafe { std::ptr::replace(pointer.cast::<ArrowArrayStream>().as_ptr(), ArrowArrayStream::empty()) };
    read_stream(stream).map_err(DataError::new_err)
}

fn read_stream(stream: ArrowArrayStream) -> Result<DataFrame, String> {
    // SAFETY: the producer implements the C stream interface (checked as far as it can be by
    // `try_new`: callbacks present, not released).
    let mut reader = unsafe { ArrowArrayStreamReader::try_new(Box::new(stream)) }
        .map_err(|e| format!("cannot read the Arrow stream: {e}"))?;
    let fields = match reader.field().dtype() {
        ArrowDataType::Struct(fields) => fields.clone(),
        other => {
            return Err(format!("expected a table (a stream of record batches), found a stream of {}", describe(other)))
        }
    };
    if let Some(field) = fields.iter().find(|f| !is_supported(f.dtype())) {
        return Err(format!(
            "column '{}' has type {}, which citycheck does not read: use numbers \
             (integer, float, decimal), booleans or text",
            field.name,
            describe(field.dtype())
        ));
    }
    let mut chunks: Vec<Vec<ArrayRef>> = fields.iter().map(|_| Vec::new()).collect();
    // SAFETY: as above; every array is imported with the schema's (checked) type.
    while let Some(batch) = unsafe { reader.next() } {
        let batch = batch.map_err(|e| format!("cannot read a record batch of the Arrow stream: {e}"))?;
        let batch = batch
            .as_any()
            .downcast_ref::<StructArray>()
            .ok_or_else(|| "the Arrow stream does not yield record batches".to_string())?;
        for (column, values) in chunks.iter_mut().zip(batch.values()) {
            column.push(values.clone());
        }
    }
    let columns = fields
        .iter()
        .zip(chunks)
        .map(|(field, chunks)| column(field, chunks))
        .collect::<PolarsResult<Vec<Column>>>()
        .map_err(|e| e.to_string())?;
    DataFrame::new_infer_height(columns).map_err(|e| e.to_string())
}

fn column(field: &ArrowField, chunks: Vec<ArrayRef>) -> PolarsResult<Column> {
    let series = if chunks.is_empty() {
        Series::new_empty(field.name.clone(), &DataType::from_arrow_field(field))
    } else {
        Series::try_from((field.name.clone(), chunks))?
    };
    Ok(Column::from(series))
}

/// The column types a panel can hold (numbers, booleans, text, all-null) and that polars
/// converts with the features citycheck enables, whatever else the build unifies in. Narrow
/// integers and dictionaries (categoricals) are widened / decoded by the Python facade.
fn is_supported(dtype: &ArrowDataType) -> bool {
    use ArrowDataType as A;
    matches!(
        dtype,
        A::Null
            | A::Boolean
            | A::Int32
            | A::Int64
            | A::UInt32
            | A::UInt64
            | A::Float32
            | A::Float64
            | A::Decimal(_, _)
            | A::Decimal32(_, _)
            | A::Decimal64(_, _)
            | A::Utf8
            | A::LargeUtf8
            | A::Utf8View
    )
}

/// A short, user-facing name of an Arrow type (the `Debug` form of nested types is long).
fn describe(dtype: &ArrowDataType) -> String {
    use ArrowDataType as A;
    match dtype {
        A::Struct(_) => "struct".into(),
        A::List(_) | A::LargeList(_) | A::FixedSizeList(_, _) => "list".into(),
        A::Map(_, _) => "map".into(),
        A::Dictionary(_, values, _) => format!("dictionary (categorical) of {}", describe(values)),
        A::Decimal256(p, s) => format!("decimal256({p}, {s}) (cast it to float64 or decimal128)"),
        A::Date32 | A::Date64 => "date".into(),
        A::Timestamp(_, _) => "timestamp".into(),
        A::Extension(ext) => format!("extension type '{}'", ext.name),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// `df` as an Arrow C stream of record batches (strings as Utf8View: polars ≥ 1.0 and
/// pyarrow ≥ 14 read them). A batch that cannot be assembled is an error of the stream,
/// which the consumer raises.
fn export(df: &DataFrame) -> ArrowArrayStream {
    let mut df = df.clone();
    df.rechunk_mut();
    let compat = CompatLevel::newest();
    let fields: Vec<ArrowField> = df.columns().iter().map(|c| c.field().to_arrow(compat)).collect();
    let dtype = ArrowDataType::Struct(fields);
    let batches = df
        .iter_chunks(compat, false)
        .map(|batch| {
            let height = batch.height();
            StructArray::try_new(dtype.clone(), height, batch.into_arrays(), None)
                .map(|array| Box::new(array) as Box<dyn Array>)
        })
        .collect::<Vec<_>>();
    let field = ArrowField::new("".into(), dtype, false);
    export_iterator(Box::new(batches.into_iter()), field)
}
