"""cc.uncertainty: the Monte Carlo uncertainty analysis of the ranking from Python, on the
shipped Liaoning example (tests/it/uncertainty.rs has the full set)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import citycheck as cc


def panel(liaoning: pl.DataFrame) -> cc.Panel:
    return cc.Panel.from_frame(liaoning, unit="city")


def one_alternative_each() -> list[dict[str, Any]]:
    """Every input fixed to the nominal spec's own choice: every draw is the nominal run."""
    spec = cc.checkup_default_spec()
    return [
        {"stage": "normalize", "alternatives": [spec["normalize"]]},
        {"stage": "weights", "alternatives": [spec["weights"]], "probabilities": [1.0]},
        {"stage": "weights", "perturb": 0.0},
        {"stage": "aggregate", "alternatives": [spec["aggregate"]]},
        {"stage": "impute", "alternatives": [spec["impute"]]},
        {"stage": "exclude", "indicators": []},
    ]


def uncertain(seed: int) -> dict[str, Any]:
    return {
        "draws": 30,
        "seed": seed,
        "sensitivity": {"rows": 4, "bootstrap": 20},
        "inputs": [
            {"stage": "normalize", "alternatives": ["min_max", "rank"], "probabilities": [0.7, 0.3]},
            {"stage": "weights", "perturb": 0.2},
        ],
    }


def test_one_alternative_per_input_reproduces_the_nominal_ranks(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    config = {"draws": 50, "seed": 1, "inputs": one_alternative_each(), "sensitivity": {"rows": 4, "bootstrap": 10}}
    u = cc.uncertainty(panel(liaoning), catalog, config)
    assert (u.draws, u.seed) == (50, 1)
    assert u.table.columns == [
        "unit", "year", "node", "nominal_score", "nominal_rank", "median_rank", "q05_rank", "q95_rank",
        "mean_score", "sd_score",
    ]  # fmt: skip
    index = u.table.filter(pl.col("node") == "index")
    # 60 unit-years: 14 cities × 5 years less the 10 whole city-years the data lack.
    assert index.height == 60
    ranked = u.table.filter(pl.col("nominal_rank").is_not_null())
    assert ranked.height > 0
    # Zero-width intervals: every quantile is the nominal rank, the spread 0.
    for column in ("median_rank", "q05_rank", "q95_rank"):
        assert (ranked[column] == ranked["nominal_rank"]).all(), column
    assert (ranked["sd_score"] == 0.0).all()
    assert ranked["mean_score"].to_list() == pytest.approx(ranked["nominal_score"].to_list(), abs=1e-12)
    # The nominal ranks are those of cc.score with the same spec.
    scores = cc.score(panel(liaoning), catalog).scores.filter(pl.col("kind") == "index").select("unit", "year", "rank")
    joined = index.join(scores, on=["unit", "year"])
    assert joined.height == index.height
    assert (joined["nominal_rank"].cast(pl.Int64) == joined["rank"].cast(pl.Int64)).all()
    # Neither the rank shift nor any rank changes: a row per target and input, no index to
    # apportion. The targets: the rank shift, then each unit-year ranked nominally.
    assert u.sensitivity.columns[:3] == ["target", "input", "s1"]
    assert u.sensitivity.filter(pl.col("target") == "mean_abs_rank_shift").height == 6
    units = index.filter(pl.col("nominal_rank").is_not_null())
    assert u.sensitivity.height == 6 * (1 + units.height)
    expected = {f"unit:{unit}:{year}" for unit, year in units.select("unit", "year").rows()}
    assert set(u.sensitivity["target"].to_list()) == expected | {"mean_abs_rank_shift"}
    n = u.sensitivity.height
    assert u.sensitivity["s1"].null_count() == n and u.sensitivity["st"].null_count() == n


def test_the_same_seed_gives_the_same_tables(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    first = cc.uncertainty(panel(liaoning), catalog, uncertain(5))
    second = cc.uncertainty(panel(liaoning), catalog, uncertain(5))
    assert_frame_equal(first.table, second.table)
    assert_frame_equal(first.sensitivity, second.sensitivity)
    shift = first.sensitivity.filter(pl.col("target") == "mean_abs_rank_shift")
    assert shift["input"].to_list() == ["normalize", "weights_perturb"]
    # Each unit-year's rank is a target too, explained by the same two inputs.
    assert first.sensitivity.filter(pl.col("target") == "unit:沈阳市:2012")["input"].to_list() == [
        "normalize",
        "weights_perturb",
    ]
    # Real uncertainty: the quantiles are ordered and within the 14 ranks, and some unit moves.
    ranked = first.table.filter(pl.col("median_rank").is_not_null())
    assert ((ranked["q05_rank"] <= ranked["median_rank"]) & (ranked["median_rank"] <= ranked["q95_rank"])).all()
    assert ranked["q05_rank"].min() >= 1 and ranked["q95_rank"].max() <= 14
    assert (ranked["q05_rank"] < ranked["q95_rank"]).any()
    # draws= and seed= override the config's.
    other = cc.uncertainty(panel(liaoning), catalog, uncertain(5), draws=10, seed=6)
    assert (other.draws, other.seed) == (10, 6)


def test_write_and_repr(catalog: cc.Catalog, liaoning: pl.DataFrame, tmp_path: Path) -> None:
    u = cc.uncertainty(panel(liaoning), catalog, {"draws": 5, "inputs": [{"stage": "weights", "perturb": 0.1}]})
    paths = u.write(tmp_path)
    assert sorted(p.name for p in paths) == ["sensitivity.csv", "uncertainty.csv"]
    assert pl.read_csv(tmp_path / "uncertainty.csv").height == u.table.height
    assert "5 draws" in repr(u) and "<b>" in u._repr_html_()


def test_bad_configs_raise(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    with pytest.raises(cc.SpecError, match="draws"):
        cc.uncertainty(panel(liaoning), catalog, {"draws": 0})
    with pytest.raises(cc.SpecError, match="drawz"):
        cc.uncertainty(panel(liaoning), catalog, {"drawz": 10})
    with pytest.raises(cc.SpecError, match="min_maxx"):
        cc.uncertainty(panel(liaoning), catalog, {"inputs": [{"stage": "normalize", "alternatives": ["min_maxx"]}]})
    with pytest.raises(cc.SpecError):
        cc.uncertainty(panel(liaoning), catalog, {"draws": 5, "inputs": [{"stage": "exclude", "indicators": ["nope"]}]})


def _ishigami(x: np.ndarray) -> np.ndarray:
    """Ishigami (a = 7, b = 0.1) on inputs uniform on [−π, π], from the uniforms of the design."""
    z = -np.pi + 2 * np.pi * x
    return np.sin(z[:, 0]) + 7 * np.sin(z[:, 1]) ** 2 + 0.1 * z[:, 2] ** 4 * np.sin(z[:, 0])


def test_sobol_of_a_python_model_with_two_targets() -> None:
    # y = x1 + 2·x2 on uniforms: Var = 1/12 + 4/12 = 5/12, so S1 = ST = 1/5, 4/5, 0 (additive).
    def both(x: np.ndarray) -> np.ndarray:
        return np.column_stack([_ishigami(x), x[:, 0] + 2 * x[:, 1]])

    s = cc.sobol(both, k=3, n=1 << 14, seed=2, bootstrap=100, names=["a", "b", "c"])
    assert s.columns == ["target", "input", "s1", "s1_ci_low", "s1_ci_high", "st", "st_ci_low", "st_ci_high"]
    assert s["target"].to_list() == [0, 0, 0, 1, 1, 1]
    assert s["input"].to_list() == ["a", "b", "c"] * 2
    linear = s.filter(pl.col("target") == 1)
    # Jansen's ST has a standard error of about 0.003 (x1) and 0.008 (x2) at N = 2^14.
    assert linear["st"].to_list() == pytest.approx([0.2, 0.8, 0.0], abs=0.04)
    assert linear["s1"][2] == 0.0 and linear["st"][2] == 0.0  # x3 never changes y
    # Each target's indices are those of the model with that output alone, with the same seed.
    alone = cc.sobol(_ishigami, k=3, n=1 << 14, seed=2, bootstrap=100, names=["a", "b", "c"])
    assert_frame_equal(alone, s.filter(pl.col("target") == 0))
    # Ishigami's analytic totals (0.5576, 0.4424, 0.2437): standard errors at N = 2^14 are at
    # most 0.012 (tests/it/uncertainty.rs), 0.05 is four of them.
    assert alone["st"].to_list() == pytest.approx([0.5576, 0.4424, 0.2437], abs=0.05)


def test_sobol_reports_undefined_targets_and_refuses_bad_outputs() -> None:
    def partly(x: np.ndarray) -> np.ndarray:
        return np.column_stack([x[:, 0], np.where(x[:, 0] < 0.5, np.nan, x[:, 1])])

    s = cc.sobol(partly, k=2, n=64, seed=1, bootstrap=20)
    assert s.filter(pl.col("target") == 0)["st"].null_count() == 0
    assert s.filter(pl.col("target") == 1)["st"].null_count() == 2  # undefined where x1 < 0.5
    with pytest.raises(cc.SpecError):
        cc.sobol(lambda x: x[:3, 0], k=2, n=8)  # not one output per run
    with pytest.raises(cc.MethodError):
        cc.sobol(lambda x: np.full(x.shape[0], np.inf), k=2, n=8)
    with pytest.raises(cc.SpecError):
        cc.sobol(lambda x: x[:, 0], k=0, n=8)
