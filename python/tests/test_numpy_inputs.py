"""Numpy scalars and arrays of every dtype, pandas nullable dtypes and ``pd.NA``, polars and
pyarrow inputs (issue 13): the calls that failed with "Object of type int64 is not JSON
serializable" work, and what is not a number is a citycheck error naming its position — never a
raw TypeError."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import polars as pl
import pytest

import citycheck as cc

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

INTEGER_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
SIGNED_DTYPES = ["int8", "int16", "int32", "int64", "float16", "float32", "float64"]
FLOAT_DTYPES = ["float16", "float32", "float64"]
EVERY_DTYPE = INTEGER_DTYPES + FLOAT_DTYPES

# Small integers: exact in every dtype (float16 holds integers up to 2048 exactly), so every
# dtype must give the float64 result bit for bit.
X = [[2, 30, 4], [4, 10, 8], [6, 20, 2], [5, 25, 7]]
W = [0.5, 0.3, 0.2]
TYPES = [1, -1, 1]


def reference(method: Any, *args: Any, **kwargs: Any) -> np.ndarray:
    return method(np.array(X, dtype=np.float64), *args, **kwargs)


def panel(liaoning: pl.DataFrame) -> cc.Panel:
    return cc.Panel.from_frame(liaoning, unit="city")


# ---------------------------------------------------------------------------------------
# The failing calls of the issue


def test_topsis_with_numpy_types() -> None:
    x = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]])
    w = np.array([0.3, 0.4, 0.3])
    by_numpy = cc.mcda.topsis(x, w, np.array([1, 1, -1]))
    by_list = cc.mcda.topsis(x.tolist(), w.tolist(), [1, 1, -1])
    np.testing.assert_array_equal(by_numpy, by_list)
    assert by_numpy.dtype == np.float64 and by_numpy.shape == (4,)


def test_entropy_normalized_with_numpy_types() -> None:
    x = np.array(X)
    by_numpy = cc.weights.entropy_normalized(x, np.array([1, 1, -1]))
    by_list = cc.weights.entropy_normalized(X, [1, 1, -1])
    np.testing.assert_array_equal(by_numpy, by_list)
    assert by_numpy.sum() == pytest.approx(1.0)


def test_diagnose_with_a_numpy_year(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    df = liaoning.to_pandas()
    year = df.year.max()
    assert isinstance(year, np.integer)
    d = cc.diagnose(panel(liaoning), catalog, year=year)
    assert d.year == 2012 and type(d.year) is int
    assert d.ledger.equals(cc.diagnose(panel(liaoning), catalog, year=2012).ledger)
    # top and the peer-share options take numpy numbers too.
    assert (
        cc.diagnose(panel(liaoning), catalog, year=np.int32(2011), top=np.int64(3), weak_share=np.float32(0.25)).year
        == 2011
    )


def test_score_with_a_numpy_reference_year(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    by_numpy = cc.score(panel(liaoning), catalog, scope=np.int64(2011))
    assert by_numpy.spec["scope"] == {"reference_year": 2011}
    assert by_numpy.scores.equals(cc.score(panel(liaoning), catalog, scope=2011).scores)
    # The index of a year given as a numpy integer.
    assert by_numpy.index(np.int16(2012)).equals(by_numpy.index(2012))


def test_evaluate_with_numpy_years(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    ev = cc.evaluate(panel(liaoning), catalog, from_year=np.int64(2008), to_year=np.uint16(2012), alpha=np.float64(0.1))
    assert ev.summary["from"] == 2008 and ev.summary["to"] == 2012
    same = cc.evaluate(panel(liaoning), catalog, from_year=2008, to_year=2012, alpha=0.1)
    assert ev.trends.equals(same.trends)


def test_numpy_values_inside_a_spec(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    spec = {
        "scope": {"reference_year": np.int64(2011)},
        "normalize": {"method": "min_max", "lo": np.float32(0), "hi": np.int64(100)},
    }
    by_spec = cc.score(panel(liaoning), catalog, spec=spec)
    assert by_spec.spec["scope"] == {"reference_year": 2011}
    assert by_spec.scores.equals(cc.score(panel(liaoning), catalog, spec="default", scope=2011).scores)
    # Levels as numpy integers, parameters as numpy floats: the check-up default by keywords.
    weights = {"default": "equal", "levels": {np.int64(2): {"method": "entropy_normalized", "shift": np.float64(1e-4)}}}
    assert cc.score(panel(liaoning), catalog, weights=weights).scores.equals(cc.score(panel(liaoning), catalog).scores)


# ---------------------------------------------------------------------------------------
# Every integer and float dtype


@pytest.mark.parametrize("dtype", EVERY_DTYPE)
def test_every_dtype_of_matrix(dtype: str) -> None:
    x = np.array(X).astype(dtype)
    np.testing.assert_array_equal(cc.mcda.topsis(x, W, TYPES), reference(cc.mcda.topsis, W, TYPES))
    np.testing.assert_array_equal(cc.mcda.weighted_sum(x, W, TYPES), reference(cc.mcda.weighted_sum, W, TYPES))
    np.testing.assert_array_equal(cc.mcda.arithmetic(x, W), reference(cc.mcda.arithmetic, W))
    np.testing.assert_array_equal(cc.weights.entropy(x), reference(cc.weights.entropy))
    np.testing.assert_array_equal(cc.weights.critic(x), reference(cc.weights.critic))


@pytest.mark.parametrize("dtype", EVERY_DTYPE)
def test_every_dtype_of_weights(dtype: str) -> None:
    w = np.array([5, 3, 2]).astype(dtype)  # weights are used as given: these sum to 10
    expected = reference(cc.mcda.weighted_sum, [5.0, 3.0, 2.0], TYPES)
    np.testing.assert_array_equal(cc.mcda.weighted_sum(X, w, TYPES), expected)
    np.testing.assert_array_equal(cc.mcda.geometric(X, w), reference(cc.mcda.geometric, [5.0, 3.0, 2.0]))


@pytest.mark.parametrize("dtype", SIGNED_DTYPES)
def test_every_signed_dtype_of_types(dtype: str) -> None:
    types = np.array(TYPES).astype(dtype)
    np.testing.assert_array_equal(cc.mcda.topsis(X, W, types), reference(cc.mcda.topsis, W, TYPES))
    np.testing.assert_array_equal(
        cc.weights.entropy_normalized(X, types), reference(cc.weights.entropy_normalized, TYPES)
    )


def test_types_as_numpy_strings_series_and_arrow() -> None:
    expected = reference(cc.mcda.topsis, W, TYPES)
    for types in (
        np.array(["higher", "lower", "higher"]),
        pd.Series([1, -1, 1], dtype="Int64"),
        pl.Series([1, -1, 1]),
        pa.array([1, -1, 1]),
        [np.int64(1), np.int8(-1), 1.0],
    ):
        np.testing.assert_array_equal(cc.mcda.topsis(X, W, types), expected)


def test_a_bool_matrix_and_numpy_scalars_in_lists() -> None:
    x = np.array([[True, False], [True, True]])
    np.testing.assert_array_equal(cc.mcda.arithmetic(x, [np.float32(0.5), np.float64(0.5)]), [0.5, 1.0])
    np.testing.assert_array_equal(cc.mcda.arithmetic([[np.int64(1), np.float16(3)]], [1, np.uint8(1)]), [2.0])


def test_non_contiguous_and_fortran_ordered_matrices() -> None:
    wide = np.array([[2, 0, 30, 0, 4], [4, 0, 10, 0, 8], [6, 0, 20, 0, 2], [5, 0, 25, 0, 7]], dtype=np.int32)
    strided = wide[:, ::2]
    assert not strided.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(cc.mcda.topsis(strided, W, TYPES), reference(cc.mcda.topsis, W, TYPES))
    fortran = np.asfortranarray(np.array(X, dtype=np.float64))
    np.testing.assert_array_equal(cc.mcda.topsis(fortran, W, TYPES), reference(cc.mcda.topsis, W, TYPES))


def test_masked_arrays_are_missing_cells() -> None:
    x = np.ma.masked_array([[1.0, 4.0], [2.0, 2.0]], mask=[[False, True], [False, False]])
    np.testing.assert_array_equal(cc.mcda.arithmetic(x, [0.5, 0.5]), [1.0, 2.0])


def test_kernels_return_float64_arrays() -> None:
    assert cc.weights.equal(np.ones((2, 3), dtype=np.int8)).dtype == np.float64
    r = cc.mcda.vikor(X, W, TYPES)
    assert r.q.dtype == np.float64 and r.ranks.dtype == np.int64


# ---------------------------------------------------------------------------------------
# pandas: frames (column names carried into messages), Series and nullable dtypes


def test_a_pandas_frame_names_the_criteria_and_the_units() -> None:
    df = pd.DataFrame({"parks": [3.0, 0.0], "gdp": [1, 3]}, index=["沈阳市", "大连市"])
    with pytest.raises(cc.MethodError, match=r"大连市.*parks"):
        cc.mcda.weighted_product(df, [0.5, 0.5])
    with pytest.raises(cc.MethodError, match="gdp"):
        cc.weights.entropy(pd.DataFrame({"parks": [1.0, 2.0], "gdp": [1.0, -1.0]}))


def test_pandas_nullable_columns_are_missing_cells() -> None:
    df = pd.DataFrame({"a": pd.array([1, pd.NA, 3], dtype="Int64"), "b": pd.array([2.0, 4.0, pd.NA], dtype="Float64")})
    out = cc.mcda.arithmetic(df, [0.5, 0.5])
    np.testing.assert_allclose(out, [1.5, 4.0, 3.0], rtol=0, atol=0)


def test_pandas_series_and_nullable_dtypes_as_vectors() -> None:
    expected = reference(cc.mcda.weighted_sum, W, TYPES)
    for w in (pd.Series(W), pd.Series(W, dtype="Float64"), pd.Series(np.array(W, dtype=np.float64), index=list("abc"))):
        np.testing.assert_array_equal(cc.mcda.weighted_sum(X, w, TYPES), expected)
    ints = pd.Series([5, 3, 2], dtype="Int64")
    np.testing.assert_array_equal(
        cc.mcda.weighted_sum(X, ints, TYPES), reference(cc.mcda.weighted_sum, [5, 3, 2], TYPES)
    )


def test_missing_weights_are_named_by_position() -> None:
    with pytest.raises(cc.DataError, match=r"weights\[2\] is missing \(pd\.NA\)"):
        cc.mcda.topsis(X, pd.Series([0.5, 0.3, pd.NA], dtype="Float64"), TYPES)
    with pytest.raises(cc.DataError, match=r"weights\[1\] is missing \(pd\.NA\)"):
        cc.mcda.weighted_sum(X, pd.Series([5, pd.NA, 2], dtype="Int64"))
    with pytest.raises(cc.DataError, match=r"weights\[1\] is missing \(NaN\)"):
        cc.mcda.arithmetic(X, np.array([0.5, np.nan, 0.2]))
    with pytest.raises(cc.DataError, match=r"weights\[0\] is missing \(None\)"):
        cc.mcda.arithmetic(X, [None, 0.3, 0.2])
    with pytest.raises(cc.DataError, match=r"weights\[1\] is missing \(null\)"):
        cc.mcda.arithmetic(X, pl.Series([0.5, None, 0.2]))
    with pytest.raises(cc.DataError, match=r"weights\[2\] is missing \(null\)"):
        cc.mcda.arithmetic(X, pa.array([0.5, 0.3, None]))


def test_not_a_number_is_named_by_position_and_value() -> None:
    with pytest.raises(cc.DataError, match=r"x\[0, 1\] is not a number: 'a'"):
        cc.mcda.topsis([[1, "a"], [2, 3]], [0.5, 0.5])
    with pytest.raises(cc.DataError, match=r"weights\[0\] is not a number: '0\.5'"):
        cc.mcda.arithmetic([[1.0, 2.0]], ["0.5", "0.5"])
    with pytest.raises(cc.DataError, match=r"x\['city'\]\[1\] is not a number: 'b'"):
        cc.weights.entropy(pd.DataFrame({"gdp": [1.0, 2.0], "city": [3.0, "b"]}))
    with pytest.raises(cc.DataError, match=r"column 'city' is not numeric"):
        cc.weights.entropy(pd.DataFrame({"gdp": [1.0, 2.0], "city": pd.Series(["a", "b"], dtype="string")}))
    with pytest.raises(cc.DataError, match=r"column 'city' is not numeric"):
        cc.weights.entropy(pl.DataFrame({"city": ["沈阳市", "大连市"], "gdp": [1.0, 2.0]}))
    with pytest.raises(cc.DataError, match=r"column 'city' is not numeric"):
        cc.weights.entropy(pa.table({"city": ["沈阳市", "大连市"], "gdp": [1.0, 2.0]}))
    with pytest.raises(cc.DataError, match="not a number"):
        cc.mcda.arithmetic(np.array([["1", "2"]]), [0.5, 0.5])
    with pytest.raises(cc.DataError, match=r"y\[1\] is not a number"):
        cc.trend.ols([1.0, "x", 3.0])
    with pytest.raises(cc.DataError):
        cc.weights.entropy({"gdp": [1.0, 2.0]})


def test_bad_shapes_and_types_are_spec_errors_never_type_errors() -> None:
    with pytest.raises(cc.SpecError, match="ragged"):
        cc.mcda.arithmetic([[1.0, 2.0], [3.0]], [0.5, 0.5])
    with pytest.raises(cc.SpecError, match=r"types\[1\]"):
        cc.mcda.topsis(X, W, [1, 0, 1])
    with pytest.raises(cc.SpecError, match="3 types"):
        cc.mcda.topsis(X, W, np.array([1, -1]))
    with pytest.raises(cc.SpecError, match="3 weights"):
        cc.mcda.topsis(X, np.array([0.5, 0.5]))
    with pytest.raises(cc.SpecError):
        cc.mcda.topsis(X, np.float64(0.5))


def test_bad_years_are_spec_errors(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    p = panel(liaoning)
    with pytest.raises(cc.SpecError, match=r"missing \(pd\.NA\)"):
        cc.diagnose(p, catalog, year=pd.NA)
    with pytest.raises(cc.SpecError, match="integer"):
        cc.evaluate(p, catalog, from_year="2008")  # type: ignore[arg-type]
    with pytest.raises(cc.SpecError, match="integer"):
        cc.score(p, catalog, scope=np.float64(2011.5))
    # A whole float is a year (a pandas year column with a gap is float).
    assert cc.diagnose(p, catalog, year=np.float64(2012.0)).year == 2012


# ---------------------------------------------------------------------------------------
# polars and pyarrow


def test_polars_and_pyarrow_matrices_and_vectors() -> None:
    columns = {"gdp": [2, 4, 6, 5], "so2": [30, 10, 20, 25], "green": [4.0, 8.0, 2.0, 7.0]}
    expected = reference(cc.mcda.topsis, W, TYPES)
    for x in (pl.DataFrame(columns), pl.DataFrame(columns).lazy(), pa.table(columns), pd.DataFrame(columns)):
        np.testing.assert_array_equal(cc.mcda.topsis(x, W, TYPES), expected)
    for w in (pl.Series(W), pa.array(W), pa.chunked_array([W[:1], W[1:]]), pl.Series(W, dtype=pl.Float32)):
        got = cc.mcda.topsis(X, w, TYPES)
        np.testing.assert_allclose(
            got, reference(cc.mcda.topsis, np.asarray(w, dtype=np.float64), TYPES), rtol=0, atol=0
        )


def test_polars_and_pyarrow_column_names_reach_the_messages() -> None:
    with pytest.raises(cc.MethodError, match="so2"):
        cc.weights.entropy(pl.DataFrame({"gdp": [1.0, 2.0], "so2": [1.0, -2.0]}))
    with pytest.raises(cc.MethodError, match="so2"):
        cc.weights.entropy(pa.table({"gdp": [1.0, 2.0], "so2": [1.0, -2.0]}))
    # Explicit names win over the frame's.
    with pytest.raises(cc.MethodError, match="二氧化硫"):
        cc.weights.entropy(pl.DataFrame({"gdp": [1.0, 2.0], "so2": [1.0, -2.0]}), criteria=["gdp", "二氧化硫"])


def test_polars_nulls_are_missing_cells() -> None:
    x = pl.DataFrame({"a": [1, None, 3], "b": [2.0, 4.0, None]})
    np.testing.assert_array_equal(cc.mcda.arithmetic(x, [0.5, 0.5]), [1.5, 4.0, 3.0])
    np.testing.assert_array_equal(cc.mcda.arithmetic(pa.table(x.to_dict(as_series=False)), [0.5, 0.5]), [1.5, 4.0, 3.0])


# ---------------------------------------------------------------------------------------
# Trend, diagnosis and survey kernels


@pytest.mark.parametrize("dtype", EVERY_DTYPE)
def test_trend_series_of_every_dtype(dtype: str) -> None:
    y = np.array([3, 4, 6, 7, 9]).astype(dtype)
    years = np.array([2021, 2022, 2023, 2024, 2025]).astype("int64" if dtype in ("int8", "uint8", "float16") else dtype)
    fit = cc.trend.ols(y, years)
    assert fit.slope == pytest.approx(1.5, abs=1e-12)  # Σ(t − t̄)(y − ȳ) / Σ(t − t̄)² = 15 / 10
    assert cc.trend.mann_kendall(y, years).s == 10
    assert cc.trend.sen_slope(y, years).slope == pytest.approx(1.5, abs=1e-12)


def test_trend_with_pandas_nullable_values() -> None:
    y = pd.Series([1, pd.NA, 3, 4], dtype="Int64")
    years = pd.Series([2020, 2021, 2022, 2023], dtype="Int16")
    assert cc.trend.ols(y, years).n == 3  # the pair with pd.NA is dropped
    assert cc.trend.cagr(pl.Series([100, None, 121]), np.array([2020, 2021, 2022])) == pytest.approx(0.1, abs=1e-12)
    with pytest.raises(cc.DataError, match=r"t\[1\] is missing \(pd\.NA\)"):
        cc.trend.ols([1.0, 2.0, 3.0], pd.Series([2020, pd.NA, 2022], dtype="Int64"))


def test_diagnosis_kernels_with_numpy_types() -> None:
    k = cc.diagnosis.coupling_coordination(np.array([0.2, 0.4, 0.8], dtype=np.float32), np.full(3, 1 / 3))
    assert k.c == pytest.approx(6 / 7, abs=1e-6)
    o = cc.diagnosis.obstacle_degree(pl.Series([0.5, 0.3, 0.2]), pa.array([0.8, None, 0.0]))
    assert o[0] == pytest.approx(100 / 3, abs=1e-12) and math.isnan(o[1])


def test_survey_kernels_with_numpy_types() -> None:
    assert cc.survey.combine(np.float64(80.0), np.int64(60), np.array([0.7, 0.3])) == pytest.approx(74.0)
    assert cc.survey.confirmed(np.array([False, True, True]), np.int64(2))
