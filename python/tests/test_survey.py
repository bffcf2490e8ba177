"""citycheck.survey: the shipped synthetic survey, frames and files alike, against the
independent pandas implementation's numbers (tests/reference/survey_synthetic_expected.csv,
written by scripts/peers/survey_pandas.py), plus the error paths and the source kernels."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

import citycheck as cc
from citycheck import survey

from conftest import ROOT

DATA = ROOT / "datasets" / "survey_synthetic"
EXPECTED = ROOT / "tests" / "reference" / "survey_synthetic_expected.csv"
STATS = [
    "n",
    "weight_sum",
    "n_eff",
    "mean",
    "se",
    "ci_low",
    "ci_high",
    "satisfaction",
    "satisfaction_ci_low",
    "satisfaction_ci_high",
]


def scored(responses: object) -> survey.SurveyResult:
    definition = DATA / "definition.toml"
    return survey.score(responses, definition, unit="city", year="year", weight="weight", strata="district")


@pytest.fixture(scope="module")
def result() -> survey.SurveyResult:
    return scored(DATA / "responses.csv")


@pytest.fixture(scope="module")
def expected() -> pl.DataFrame:
    return pl.read_csv(EXPECTED, infer_schema_length=0)


def test_the_synthetic_survey_scores(result: survey.SurveyResult) -> None:
    s = result.summary
    assert (s["rows_read"], s["respondents"], s["excluded_rows"], s["units"]) == (6535, 6531, 4, 14)
    assert s["bad_answers"] == 7 and s["bad_by_reason"]["bad_weight"] == 3
    assert s["ignored_columns"] == ["respondent_id"]
    assert result.items.columns == ["unit", "year", "item", *STATS, "note"]
    assert result.dimensions.columns == ["unit", "year", "dimension", *STATS, "note"]
    assert result.reliability.columns == [
        "year",
        "dimension",
        "item",
        "n",
        "alpha",
        "alpha_if_deleted",
        "item_total_r",
        "note",
    ]
    assert result.items.height == 14 * 2 * 12 and result.dimensions.height == 14 * 2 * 4
    assert result.items["mean"].null_count() == 0
    assert "respondents" in repr(result) and "<table" in result._repr_html_()


@pytest.mark.parametrize(("table", "key"), [("items", "item"), ("dimensions", "dimension")])
def test_numbers_match_the_pandas_peer(
    result: survey.SurveyResult, expected: pl.DataFrame, table: str, key: str
) -> None:
    frame = getattr(result, table).with_columns(pl.col(STATS).cast(pl.Float64))
    ours = frame.unpivot(index=["unit", "year", key], on=STATS, variable_name="statistic")
    theirs = expected.filter(pl.col("table") == table).select(
        "unit",
        pl.col("year").cast(pl.Int32),
        pl.col("name").alias(key),
        "statistic",
        pl.col("value").cast(pl.Float64).alias("expected"),
    )
    joined = theirs.join(ours, on=["unit", "year", key, "statistic"])
    assert joined.height == theirs.height
    for value, want, what in joined.select("value", "expected", "statistic").iter_rows():
        assert value == pytest.approx(want, rel=1e-9, abs=1e-9), what


def test_alpha_matches_the_pandas_peer(result: survey.SurveyResult, expected: pl.DataFrame) -> None:
    want = expected.filter((pl.col("table") == "reliability") & (pl.col("statistic") == "alpha"))
    got = result.reliability.filter(pl.col("item").is_null())
    assert got.height == want.height == 8
    for year, dim, value in want.select("year", "name", "value").iter_rows():
        alpha = got.filter((pl.col("year") == int(year)) & (pl.col("dimension") == dim))["alpha"][0]
        assert alpha == pytest.approx(float(value), rel=1e-9)
        assert 0.7 < alpha < 0.9


def test_planted_bad_answers_are_reported_with_their_rows(result: survey.SurveyResult) -> None:
    bad = result.bad_answers
    assert bad.columns == ["unit", "year", "row", "item", "answer", "reason"]
    rows = {(r, i, a, why) for _, _, r, i, a, why in bad.iter_rows()}
    assert (13, "transport_rating", "810", "out_of_scale") in rows
    assert (520, "housing_quality", "很好", "unknown_label") in rows
    assert (1214, "transport_roads", "6", "unknown_label") in rows
    assert (2436, "weight", "0", "bad_weight") in rows
    assert bad.height == 11


def test_frames_read_like_the_file(result: survey.SurveyResult) -> None:
    frame = pl.read_csv(DATA / "responses.csv", infer_schema_length=0)
    from_polars = scored(frame)
    assert from_polars.items.drop("note").equals(result.items.drop("note"))
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    pandas_frame = pd.read_csv(DATA / "responses.csv", dtype=str, keep_default_na=False)
    from_pandas = scored(pandas_frame)
    assert from_pandas.dimensions["mean"].to_list() == pytest.approx(result.dimensions["mean"].to_list(), rel=1e-12)
    assert from_pandas.bad_answers["row"].to_list() == result.bad_answers["row"].to_list()


def test_definition_from_text_and_its_errors() -> None:
    text = (DATA / "definition.toml").read_text(encoding="utf-8")
    d = survey.SurveyDefinition.from_toml(text)
    assert d.id == "liaoning-satisfaction-synthetic"
    assert [x["id"] for x in d.dimensions] == ["housing", "transport", "services", "environment"]
    assert d.items[5]["column"] == "q06"
    with pytest.raises(cc.SpecError, match=r"\[\[items\]\] 'housing_quality': unknown scale 'likert7'"):
        survey.SurveyDefinition.from_toml(text.replace('scale = "likert5"', 'scale = "likert7"', 1))


def test_a_missing_item_column_is_named() -> None:
    frame = pl.read_csv(DATA / "responses.csv", infer_schema_length=0).drop("q07")
    with pytest.raises(cc.DataError, match="no column 'q07'"):
        scored(frame)
    with pytest.raises(cc.DataError, match="no weight column named 'w'"):
        survey.score(frame, DATA / "definition.toml", unit="city", weight="w")


def test_write(result: survey.SurveyResult, tmp_path: Path) -> None:
    paths = result.write(tmp_path / "out")
    assert [p.name for p in paths] == [
        "survey_items.csv",
        "survey_dimensions.csv",
        "reliability.csv",
        "bad_answers.csv",
        "survey.json",
    ]
    back = pl.read_csv(paths[0])
    assert back.height == result.items.height


def test_reconcile_combine_confirmed() -> None:
    t = pl.DataFrame(
        {
            "unit": ["A", "A", "B", "B"],
            "year": [2025] * 4,
            "indicator": ["green"] * 4,
            "source": ["self", "third_party", "自体检", "第三方"],
            "value": [105.0, 100.0, 105.5, 100.0],
        }
    )
    r = survey.reconcile(t, abs_tol=1.0, rel_tol=0.04)
    assert r["flagged"].to_list() == [False, True]  # 5 = 1 + 0.04·100 is not beyond the tolerance
    assert r["value"].to_list() == [100.0, 100.0]
    assert survey.reconcile(t, choice="mean")["value"].to_list() == [102.5, 102.75]
    with pytest.raises(cc.DataError, match="source 'x'"):
        survey.reconcile(t.with_columns(pl.lit("x").alias("source")))
    assert survey.combine(80.0, 60.0, (0.7, 0.3)) == pytest.approx(74.0)
    with pytest.raises(cc.SpecError):
        survey.combine(80.0, 60.0, (0.7, 0.4))
    with pytest.raises(cc.MethodError):
        survey.combine(80.0, math.nan)
    assert survey.confirmed([False, True, True], 2) and not survey.confirmed([True, False, False], 2)
