"""citycheck.score: the Liaoning example through Python, against the independent pandas peer
(tests/golden/README.md says how the golden file was made)."""

from __future__ import annotations

import polars as pl
import pytest

import citycheck as cc

from conftest import GOLDEN, LIAONING

# The golden file agrees with the Rust implementation to 4.8e-13 (tests/golden/README.md);
# the Rust golden test uses 1e-9, and so does this one.
TOLERANCE = 1e-9


def _score(df, catalog: cc.Catalog) -> cc.Result:
    panel = cc.Panel.from_frame(df, unit="city")
    return cc.score(panel, catalog, spec="checkup_default")


def test_shenyang_2012_index(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    result = _score(liaoning, catalog)
    index = result.scores.filter(
        (pl.col("unit") == "沈阳市") & (pl.col("year") == 2012) & (pl.col("node") == "index")
    )
    assert index.height == 1
    # tests/golden/default_run_scores_pandas.csv: 92.72102145151642, rank 1 (per-capita GDP,
    # retail sales and beds, SO2 per unit of GDP).
    assert index["score"][0] == pytest.approx(92.72102145151642, abs=1e-9)
    assert index["rank"][0] == 1


def test_matches_the_pandas_peer(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    ours = _score(liaoning, catalog).scores.with_columns(pl.col("year").cast(pl.Int64), pl.col("rank").cast(pl.Int64))
    peer = pl.read_csv(GOLDEN).with_columns(pl.col("year").cast(pl.Int64), pl.col("rank").cast(pl.Int64))
    joined = peer.join(ours, on=["unit", "year", "node", "kind"], how="left", suffix="_ours")
    assert joined.height == peer.height
    assert joined["score_ours"].null_count() == 0
    worst = (joined["score"] - joined["score_ours"]).abs().max()
    assert worst is not None and worst <= TOLERANCE
    assert (joined["rank"] == joined["rank_ours"]).all()
    # Every score we have, the peer has (the peer writes only scored rows).
    assert ours.filter(pl.col("score").is_not_null()).height == peer.height


def test_polars_and_pandas_inputs_give_identical_scores(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    from_polars = _score(liaoning, catalog).scores
    from_pandas = _score(pd.read_csv(LIAONING), catalog).scores
    assert from_polars.equals(from_pandas)


def test_result_carries_spec_fitted_and_weights(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    result = _score(liaoning, catalog)
    assert result.spec == cc.checkup_default_spec()
    assert result.fitted["catalog_id"] == "ccsy-example"
    assert result.fitted["spec"] == result.spec
    assert set(result.weights.columns) == {"year", "node", "parent", "weight", "global_weight"}
    within_index = result.weights.filter(pl.col("parent") == "index")["weight"].sum()
    assert within_index == pytest.approx(1.0)
    assert "entropy_normalized" in result.spec_toml()
    assert "沈阳市" in result._repr_html_()
    assert result.index(2012)["unit"][0] == "沈阳市"


def test_keyword_arguments_build_the_spec(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    by_keywords = cc.score(
        cc.Panel.from_frame(liaoning, unit="city"),
        catalog,
        normalize={"method": "min_max", "lo": 0.0, "hi": 100.0},
        scope="panel",
        weights={"default": "equal", "levels": {2: {"method": "entropy_normalized", "shift": 1e-4}}},
        aggregate="arithmetic",
    )
    assert by_keywords.scores.equals(_score(liaoning, catalog).scores)


def test_a_bad_cell_raises_data_error_with_its_row(catalog: cc.Catalog) -> None:
    df = pl.DataFrame(
        {
            "city": ["沈阳市", "大连市"],
            "year": [2012, 2012],
            "indicator": ["gdp", "gdp"],
            "value": ["5000", "1,234"],
        }
    )
    panel = cc.Panel.from_frame(df, unit="city")
    # Data row 2 is line 3 (the header is row 1), as in a spreadsheet.
    with pytest.raises(cc.DataError, match=r"row 3.*thousands separators"):
        cc.score(panel, catalog)


def test_unknown_method_raises_spec_error(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    with pytest.raises(cc.SpecError):
        cc.score(cc.Panel.from_frame(liaoning, unit="city"), catalog, weights="no_such_method")


def test_geometric_on_zero_scores_raises_method_error(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    # min_max [0, 100] gives the worst city 0 on each indicator: the geometric mean refuses it.
    with pytest.raises(cc.MethodError, match="geometric"):
        cc.score(cc.Panel.from_frame(liaoning, unit="city"), catalog, aggregate="geometric")


def test_imputation_is_flagged_in_the_scores() -> None:
    import polars as pl

    # B has no 2021 value: unit_mean fills it with B's 2020 value (the only other year).
    frame = pl.DataFrame(
        {
            "unit": ["A", "B", "A", "B"],
            "year": [2020, 2020, 2021, 2021],
            "indicator": ["green_coverage_builtup"] * 4,
            "value": [30.0, 40.0, 35.0, None],
        }
    )
    catalog = cc.Catalog.builtin("ccsy-example")
    result = cc.score(cc.Panel.from_frame(frame), catalog, impute="unit_mean")
    flagged = result.scores.filter(pl.col("imputed"))
    assert flagged.select("unit", "year", "node").rows() == [("B", 2021, "green_coverage_builtup")]
    # min-max over the panel: 30 → 0, 40 → 100; B 2021 imputed as 40 → 100.
    assert flagged["score"][0] == pytest.approx(100.0)


def test_outlier_treatment_is_reported_in_fitted() -> None:
    import polars as pl

    values = [float(v) for v in range(1, 10)] + [100.0]
    frame = pl.DataFrame(
        {
            "unit": [f"u{i}" for i in range(10)],
            "year": [2020] * 10,
            "indicator": ["green_coverage_builtup"] * 10,
            "value": values,
        }
    )
    result = cc.score(frame, cc.Catalog.builtin("ccsy-example"), treat=True)
    treatment = result.fitted["sets"][0]["treatment"][0]
    # 1..9 and 100: skewness 3.12, kurtosis 9.80; one point winsorised (100 → 9).
    assert treatment["report"]["treatment"] == {"kind": "winsorised", "low": 0, "high": 1}
    assert treatment["transform"] == {"kind": "clip", "low": 1.0, "high": 9.0}
