"""Tables into citycheck: polars, pandas and pyarrow; unsupported column types are refused
with a DataError, never a PanicException."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

import citycheck as cc

from conftest import LIAONING

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pa_csv = pytest.importorskip("pyarrow.csv")

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


# ---------------------------------------------------------------------------------------
# The same data through every kind of table gives the same scores (the Liaoning example,
# scored with the check-up default spec). Rows in the same order give identical tables.

KEYS = ["unit", "year", "node", "kind"]


def _scores(table: Any, catalog: cc.Catalog) -> pl.DataFrame:
    return cc.score(cc.Panel.from_frame(table, unit="city"), catalog, spec="checkup_default").scores


def _assert_same_scores_in_any_order(a: pl.DataFrame, b: pl.DataFrame) -> None:
    """Equal up to the order of the rows; scores to 1e-9 (summation order may differ)."""
    a, b = a.sort(KEYS), b.sort(KEYS)
    assert a.select([*KEYS, "rank", "imputed"]).equals(b.select([*KEYS, "rank", "imputed"]))
    assert a["score"].is_null().equals(b["score"].is_null())
    worst = (a["score"] - b["score"]).abs().max()
    assert worst is None or worst <= 1e-9


@pytest.mark.parametrize("index", ["datetime", "shuffled_integers", "strings"])
def test_a_pandas_index_does_not_change_the_scores(catalog: cc.Catalog, liaoning: pl.DataFrame, index: str) -> None:
    df = pd.read_csv(LIAONING)
    n = len(df)
    df.index = {
        "datetime": pd.date_range("2001-01-01", periods=n, freq="D"),
        "shuffled_integers": pd.Index(pd.Series(range(n)).sample(frac=1.0, random_state=7).to_list()),
        "strings": pd.Index([f"row{i}" for i in range(n)]),
    }[index]
    assert _scores(df, catalog).equals(_scores(liaoning, catalog))


def test_shuffled_pandas_rows_give_the_polars_scores(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    shuffled = pd.read_csv(LIAONING).sample(frac=1.0, random_state=11)  # the index is shuffled with the rows
    _assert_same_scores_in_any_order(_scores(shuffled, catalog), _scores(liaoning, catalog))


def test_pandas_nullable_dtypes(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    # Float64 with pd.NA, Int64 and string[python]: the same scores as polars with nulls in the
    # same cells (retail sales of 2010 missing for every city).
    df = pd.read_csv(LIAONING).astype(
        {"value": "Float64", "year": "Int64", "city": "string[python]", "indicator": "string[python]",
         "unit": "string[python]"}
    )
    gap = (df["indicator"] == "retail_sales") & (df["year"] == 2010)
    df.loc[gap, "value"] = pd.NA
    assert int(gap.sum()) == 11  # the cities with a 2010 row
    gap_pl = (pl.col("indicator") == "retail_sales") & (pl.col("year") == 2010)
    expected = liaoning.with_columns(pl.when(gap_pl).then(None).otherwise(pl.col("value")).alias("value"))
    assert _scores(df, catalog).equals(_scores(expected, catalog))


@pytest.mark.parametrize("kind", ["pandas_category", "polars_categorical", "polars_enum"])
def test_a_categorical_unit_column(catalog: cc.Catalog, liaoning: pl.DataFrame, kind: str) -> None:
    if kind == "pandas_category":
        table: Any = pd.read_csv(LIAONING).astype({"city": "category", "indicator": "category"})
    elif kind == "polars_categorical":
        table = liaoning.with_columns(pl.col("city").cast(pl.Categorical), pl.col("indicator").cast(pl.Categorical))
    else:
        cities = pl.Enum(sorted(liaoning["city"].unique().to_list()))
        table = liaoning.with_columns(pl.col("city").cast(cities))
    assert _scores(table, catalog).equals(_scores(liaoning, catalog))


def test_a_pyarrow_table(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    table = pa_csv.read_csv(str(LIAONING))
    assert _scores(table, catalog).equals(_scores(liaoning, catalog))


@pytest.mark.parametrize("dictionary_units", [False, True])
def test_a_pyarrow_record_batch_reader(catalog: cc.Catalog, liaoning: pl.DataFrame, dictionary_units: bool) -> None:
    # Several record batches; with a dictionary-encoded unit column the reader is cast on the way.
    table = pa_csv.read_csv(str(LIAONING))
    if dictionary_units:
        table = table.set_column(0, "city", table.column("city").dictionary_encode())
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=97))
    assert _scores(reader, catalog).equals(_scores(liaoning, catalog))


def _empty(kind: str) -> Any:
    if kind == "pandas_head_0":
        return pd.DataFrame(SMALL).head(0)
    if kind == "pandas_columns_only":
        return pd.DataFrame(columns=list(SMALL))  # object columns, Arrow type null
    if kind == "pyarrow_table":
        return pa.table(SMALL).slice(0, 0)
    if kind == "pyarrow_reader_without_batches":
        return pa.RecordBatchReader.from_batches(pa.table(SMALL).schema, [])
    return pl.DataFrame(SMALL).clear()


@pytest.mark.parametrize(
    "kind", ["pandas_head_0", "pandas_columns_only", "pyarrow_table", "pyarrow_reader_without_batches", "polars"]
)
def test_an_empty_table_raises_data_error(catalog: cc.Catalog, kind: str) -> None:
    with pytest.raises(cc.DataError, match="no rows"):
        cc.Panel.from_frame(_empty(kind), unit="city")
    with pytest.raises(cc.DataError, match="no rows"):
        cc.score(_empty(kind), catalog)


def test_a_pandas_object_column_mixing_numbers_and_text() -> None:
    # As pandas.read_excel returns a yearbook column with "-" and "1,234" among numbers: read
    # like a CSV cell by cell — "-" is missing, "1,234" a reported problem, not a pyarrow error.
    df = pd.DataFrame({**SMALL, "value": [5000.0, "7000", "-", "1,234"]})
    panel = cc.Panel.from_frame(df, unit="city")
    assert len(panel) == 4
    assert "thousands separators" in str(panel.issues)
    assert df["value"].dtype == object  # the caller's frame is left as it was
