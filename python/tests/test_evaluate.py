"""cc.evaluate: the five-year evaluation from Python, against the Rust command line's numbers
and hand calculations (tests/it/evaluate.rs has the full set)."""

from __future__ import annotations

import math

import polars as pl
import pytest

import citycheck as cc


def panel(liaoning: pl.DataFrame) -> cc.Panel:
    return cc.Panel.from_frame(liaoning, unit="city")


def test_evaluate_the_liaoning_example(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    ev = cc.evaluate(panel(liaoning), catalog, from_year=2008, to_year=2012)
    assert ev.comparable
    # 14 cities × (7 indicators with data + 3 dimensions + the index).
    assert ev.trends.height == 14 * 11
    assert ev.trends.columns[:4] == ["unit", "node", "kind", "n"]
    assert set(ev.trends["verdict"].unique()) <= {"improving", "worsening", "no_clear_trend", "too_short"}
    # No NaN: what cannot be computed is null with a note.
    for column in ("ols_p", "mk_p", "sen_ci_low", "cagr"):
        assert not ev.trends[column].is_nan().any()
    # 丹东市 2008: 34% household-garbage treatment against the national 90% target: red.
    red = ev.warnings.filter((pl.col("unit") == "丹东市") & (pl.col("year") == 2008))
    assert red["level"].to_list() == ["red"]
    assert red["attainment"][0] == pytest.approx(34 / 90, abs=1e-12)
    assert ev.progress.filter(pl.col("unit") == "沈阳市")["target"].to_list() == [100.0]
    assert "improving" in repr(ev) and "<b>" in ev._repr_html_()
    assert ev.result.scores.height > 0


def test_recency_weighted_progress(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    ols = cc.evaluate(panel(liaoning), catalog)
    recent = cc.evaluate(panel(liaoning), catalog, fit={"method": "recency_weighted", "half_life": 1.0})
    assert ols.progress.height == recent.progress.height
    # Same baselines and targets; the trend-based columns may differ.
    assert ols.progress["baseline"].equals(recent.progress["baseline"])
    assert not ols.progress["anticipated"].equals(recent.progress["anticipated"])
    with pytest.raises(cc.SpecError, match="half_life"):
        cc.evaluate(panel(liaoning), catalog, fit={"method": "recency_weighted", "half_life": -1.0})


def test_per_year_scope_is_flagged(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    ev = cc.evaluate(panel(liaoning), catalog, scope="year")
    assert not ev.comparable
    assert any("not comparable" in n for n in ev.summary["notes"])
    index = ev.trends.filter(pl.col("kind") == "index")
    assert index["note"].str.contains("scope = year").all()


def test_hand_calculated_series_through_python() -> None:
    # The series of tests/it/evaluate.rs five_checkups_by_hand: S = 8, exact p = 1/12.
    mk = cc.trend.mann_kendall([60, 62, 61, 65, 67])
    assert mk.s == 8 and math.isclose(mk.p_value, 1 / 12, abs_tol=1e-15)


def test_bad_window_and_options_raise(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    with pytest.raises(cc.SpecError, match="2008–2012"):
        cc.evaluate(panel(liaoning), catalog, from_year=2020, to_year=2021)
    with pytest.raises(cc.SpecError, match="alpha"):
        cc.evaluate(panel(liaoning), catalog, alpha=2.0)
    with pytest.raises(cc.SpecError, match="pace"):
        cc.evaluate(panel(liaoning), catalog, pace={"on_track": 0.3, "moderate": 0.5})


def test_run_returns_the_evaluation_of_the_embedded_config(tmp_path) -> None:
    result = cc.run(out=tmp_path)
    assert result.evaluation is not None
    assert result.evaluation.summary["from"] == 2008
    for name in ("trends.csv", "progress.csv", "warnings.csv"):
        assert (tmp_path / name).exists()
    assert result.report is not None and result.report["evaluation"]["to"] == 2012
    # The default run also diagnoses its latest year (issue 5).
    assert result.diagnosis is not None and result.diagnosis.year == 2012
    assert result.diagnosis.ledger.height > 0 and (tmp_path / "reserve.csv").exists()


def test_trend_conventions_reach_the_trends_table(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    # Issue 17: the same names as [evaluate] and `citycheck evaluate --p-value … --tau …`.
    a = cc.evaluate(panel(liaoning), catalog)
    b = cc.evaluate(panel(liaoning), catalog, p_value="normal", tau="b", alternative="two_sided")
    tested = b.trends.filter(pl.col("mk_tau").is_not_null())
    assert tested.height > 0
    assert set(tested["mk_p_method"].unique()) == {"normal_uncorrected"}
    # tau_b = S / sqrt(n0 (n0 - n1)) is at least |tau_a| = |S| / n0 in size, with the same sign.
    for ta, tb in zip(a.trends["mk_tau"].to_list(), b.trends["mk_tau"].to_list()):
        if ta is not None:
            assert abs(tb) >= abs(ta) - 1e-12 and ta * tb >= 0
    with pytest.raises(cc.SpecError):
        cc.evaluate(panel(liaoning), catalog, tau="c")
