"""Tables into citycheck: polars, pandas and pyarrow; unsupported column types are refused
with a DataError, never a PanicException."""

from __future__ import annotations

import polars as pl
import pytest

import citycheck as cc

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

SMALL = {
    "city": ["沈阳市", "大连市", "沈阳市", "大连市"],
    "year": [2012, 2012, 2012, 2012],
    "indicator": ["gdp", "gdp", "industrial_so2", "industrial_so2"],
    "value": [5000.0, 7000.0, 95000.0, 60000.0],
}


def test_polars_pandas_and_pyarrow_give_the_same_panel() -> None:
    panels = [
        cc.Panel.from_frame(pl.DataFrame(SMALL), unit="city"),
        cc.Panel.from_frame(pd.DataFrame(SMALL), unit="city"),
        cc.Panel.from_frame(pa.table(SMALL), unit="city"),
    ]
    for panel in panels:
        assert len(panel) == 4
        assert panel.units == ["沈阳市", "大连市"]
        assert panel.years == [2012]
        assert panel.indicators == ["gdp", "industrial_so2"]


def test_pandas_index_does_not_leak_in() -> None:
    df = pd.DataFrame(SMALL, index=[10, 20, 30, 40])
    panel = cc.Panel.from_frame(df, unit="city")
    assert not any("__index_level_0__" in str(issue) for issue in panel.issues)
    assert len(panel) == 4


def test_categorical_and_narrow_integer_columns_are_read() -> None:
    df = pl.DataFrame(SMALL).with_columns(pl.col("city").cast(pl.Categorical), pl.col("year").cast(pl.Int16))
    assert cc.Panel.from_frame(df, unit="city").units == ["沈阳市", "大连市"]
    pdf = pd.DataFrame(SMALL).astype({"city": "category", "year": "int16"})
    assert cc.Panel.from_frame(pdf, unit="city").units == ["沈阳市", "大连市"]


def test_nullable_values_are_missing() -> None:
    missing_in_dalian = pl.when(pl.col("city") == "大连市").then(None).otherwise(pl.col("value"))
    df = pl.DataFrame(SMALL).with_columns(missing_in_dalian.alias("value"))
    assert len(cc.Panel.from_frame(df, unit="city")) == 4


def test_decimal_values_read_as_numbers(catalog: cc.Catalog) -> None:
    # Decimal is a number type: it is read (as float64), not refused.
    floats = pl.DataFrame(SMALL)
    decimals = floats.with_columns(pl.col("value").cast(pl.Decimal(12, 2)))
    a = cc.score(cc.Panel.from_frame(floats, unit="city"), catalog).scores
    b = cc.score(cc.Panel.from_frame(decimals, unit="city"), catalog).scores
    assert a.equals(b)


def test_struct_column_raises_data_error() -> None:
    df = pl.DataFrame(SMALL).with_columns(pl.struct("year", "value").alias("meta"))
    with pytest.raises(cc.DataError, match="meta"):
        cc.Panel.from_frame(df, unit="city")


def test_list_column_raises_data_error() -> None:
    df = pl.DataFrame(SMALL).with_columns(pl.concat_list("value", "value").alias("pair"))
    with pytest.raises(cc.DataError, match="pair"):
        cc.Panel.from_frame(df, unit="city")


def test_decimal256_column_raises_data_error() -> None:
    table = pa.table(SMALL).append_column("big", pa.array([1, 2, 3, 4], type=pa.decimal256(40, 2)))
    with pytest.raises(cc.DataError, match="big"):
        cc.Panel.from_frame(table, unit="city")


def test_empty_frame_raises_data_error() -> None:
    with pytest.raises(cc.DataError, match="no rows"):
        cc.Panel.from_frame(pl.DataFrame(SMALL).head(0), unit="city")


def test_not_a_table_raises_data_error() -> None:
    with pytest.raises(cc.DataError, match="expected a table"):
        cc.Panel.from_frame([1, 2, 3])


def test_wide_layout() -> None:
    wide = pl.DataFrame({"city": ["沈阳市", "大连市"], "year": [2012, 2012], "gdp": [5000.0, 7000.0]})
    panel = cc.Panel.from_wide(wide, unit="city")
    assert panel.indicators == ["gdp"]
    assert len(panel) == 2
