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
    assert isinstance(result.fitted, cc.Fitted)
    assert result.fitted.to_dict()["catalog_id"] == "ccsy-example"
    assert result.fitted.spec == result.spec
    assert result.fitted.catalog.sha256 == catalog.sha256
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
    treatment = result.fitted.to_dict()["sets"][0]["treatment"][0]
    # 1..9 and 100: skewness 3.12, kurtosis 9.80; one point winsorised (100 → 9).
    assert treatment["report"]["treatment"] == {"kind": "winsorised", "low": 0, "high": 1}
    assert treatment["transform"] == {"kind": "clip", "low": 1.0, "high": 9.0}


def test_score_without_a_spec_uses_the_checkup_default(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    # One default spec: cc.score, cc.Checkup, cc.evaluate and cc.diagnose all start from it.
    panel = cc.Panel.from_frame(liaoning, unit="city")
    by_default = cc.score(panel, catalog)
    assert by_default.spec == cc.checkup_default_spec()
    assert by_default.scores.equals(cc.score(panel, catalog, spec="checkup_default").scores)
    assert by_default.scores.equals(cc.score(panel, catalog, spec=cc.checkup_default_spec()).scores)
    assert by_default.scores.equals(cc.evaluate(panel, catalog).result.scores)


def test_the_default_spec_string_is_the_library_default(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    # "default" is Spec::default (equal weights everywhere), the same as an empty dict.
    panel = cc.Panel.from_frame(liaoning, unit="city")
    library_default = cc.score(panel, catalog, spec="default")
    assert library_default.spec == cc.score(panel, catalog, spec={}).spec
    assert library_default.spec != cc.checkup_default_spec()
    assert "entropy_normalized" not in library_default.spec_toml()
    # Keyword overrides apply on top of either.
    equal = cc.score(panel, catalog, weights="equal")
    assert equal.scores.equals(library_default.scores)


def test_an_unknown_spec_name_raises_spec_error(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    panel = cc.Panel.from_frame(liaoning, unit="city")
    with pytest.raises(cc.SpecError, match="checkup_default"):
        cc.score(panel, catalog, spec="checkup-default")
    with pytest.raises(cc.SpecError):
        cc.score(panel, catalog, spec=42)  # type: ignore[arg-type]


def test_a_table_or_a_file_is_a_panel_too(catalog: cc.Catalog, tmp_path) -> None:
    frame = pl.DataFrame(
        {"city": ["A", "B", "C"], "year": [2021] * 3, "green_coverage_builtup": [30.0, 40.0, 35.0]}
    )
    from_table = cc.score(frame, catalog)
    path = tmp_path / "panel.csv"
    frame.write_csv(path)
    from_file = cc.score(path, catalog)
    from_panel = cc.score(cc.Panel.from_wide(frame, unit="city"), catalog)
    assert from_table.scores.equals(from_panel.scores)
    assert from_file.scores.equals(from_panel.scores)
    index = from_table.index(2021)
    assert index["unit"].to_list() == ["B", "C", "A"]
    assert index["score"].to_list() == pytest.approx([100.0, 50.0, 0.0], abs=1e-12)
