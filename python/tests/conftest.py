"""Shared fixtures: paths into the repository and the example data."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import citycheck as cc

ROOT = Path(__file__).resolve().parents[2]
LIAONING = ROOT / "datasets" / "cn_city_ccsy_2004_2012" / "liaoning_example_2008_2012_long.csv"
GOLDEN = ROOT / "tests" / "golden" / "default_run_scores_pandas.csv"


@pytest.fixture(scope="session")
def catalog() -> cc.Catalog:
    return cc.Catalog.builtin("ccsy-example")


@pytest.fixture(scope="session")
def liaoning() -> pl.DataFrame:
    """The shipped Liaoning example (14 cities, 2008–2012), long form; `city` is the unit
    column (`unit` there is the unit of measurement)."""
    return pl.read_csv(LIAONING)
