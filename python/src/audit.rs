//! Binding of `citycheck::audit`: the statistical audit of a check-up's normalised indicators.
//! The configuration is the dict of a run config's `[audit]` table; the result is the audit's
//! tables, as in the files under `audit/`.

use std::sync::Arc;

use citycheck::audit::{audit as audit_outcome, AuditConfig};
use citycheck::{Checkup, ValidationMode};
use pyo3::prelude::*;

use crate::arrow::ArrowStream;
use crate::catalog::PyCatalog;
use crate::checkup::spec_from_py;
use crate::error::{citycheck_error, polars_error};
use crate::panel::PyPanel;
use crate::{from_name, from_py};

/// Validates and scores `panel` with `spec` (a dict; `None` = the check-up default), then
/// audits the normalised indicators with `config` (the dict of an `[audit]` table; `None` =
/// every default). Returns the tables as (file stem, table) pairs in file order: coverage,
/// outliers, correlations, groups, pca.
#[pyfunction]
#[pyo3(signature = (panel, catalog, config=None, spec=None, validation="strict"))]
fn audit(
    py: Python<'_>,
    panel: PyRef<'_, PyPanel>,
    catalog: PyRef<'_, PyCatalog>,
    config: Option<&Bound<'_, PyAny>>,
    spec: Option<&Bound<'_, PyAny>>,
    validation: &str,
) -> PyResult<Vec<(&'static str, ArrowStream)>> {
    let config: AuditConfig = from_py("audit config", config)?;
    let spec = spec_from_py(spec)?;
    let mode: ValidationMode = from_name("validation mode", validation)?;
    let (panel, catalog) = (&panel.0, &catalog.0);
    py.detach(|| {
        let validation = panel.validate(catalog, mode).map_err(citycheck_error)?;
        let checkup = Checkup::new(Arc::clone(catalog), spec).map_err(citycheck_error)?;
        let (data, outcome) = checkup.run(panel, &validation).map_err(citycheck_error)?;
        let audited = audit_outcome(&data, &outcome, &config).map_err(citycheck_error)?;
        let tables = audited.tables().map_err(polars_error)?;
        Ok(tables.into_iter().map(|(name, df)| (name, ArrowStream::from(df))).collect())
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(audit, m)?)?;
    Ok(())
}
