"""citycheck.diagnosis: the diagnosis through Python — the kernels by hand, the Liaoning example's
invariants (tests/it/diagnose.rs has the full hand-calculated set)."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

import citycheck as cc
from citycheck.diagnosis import Diagnosis, coupling_coordination, diagnose, obstacle_degree, renewal_tasks


def panel(liaoning: pl.DataFrame) -> cc.Panel:
    return cc.Panel.from_frame(liaoning, unit="city")


def test_obstacle_degree_by_hand() -> None:
    # F = (0.5, 0.3, 0.2), r = (0.8, 0.4, 0.0): F·I = (0.10, 0.18, 0.20), Σ = 0.48
    # → O = (125/6, 37.5, 125/3) %.
    o = obstacle_degree([0.5, 0.3, 0.2], [0.8, 0.4, 0.0])
    assert isinstance(o, np.ndarray) and o.dtype == np.float64
    np.testing.assert_allclose(o, [125 / 6, 37.5, 125 / 3], rtol=0, atol=1e-12)
    # A missing score is left out: F·I = (0.10, –, 0.20) → (33.3…, NaN, 66.6…).
    o = obstacle_degree([0.5, 0.3, 0.2], [0.8, None, 0.0])
    assert o[0] == pytest.approx(100 / 3, abs=1e-12) and math.isnan(o[1])
    # At its best everywhere: 0, never 0/0.
    assert obstacle_degree([0.5, 0.5], [1.0, 1.0]).tolist() == [0.0, 0.0]
    # numpy arrays of any dtype, and a pandas nullable Series with pd.NA as the missing score.
    pd = pytest.importorskip("pandas")
    o = obstacle_degree(np.array([0.5, 0.3, 0.2], dtype=np.float32), pd.Series([0.8, pd.NA, 0.0], dtype="Float64"))
    assert o[2] == pytest.approx(0.2 / (0.5 * 0.2 + 0.2) * 100, rel=1e-6) and math.isnan(o[1])
    with pytest.raises(cc.SpecError):
        obstacle_degree([0.5], [0.1, 0.2])


def test_coupling_by_hand() -> None:
    # U = (0.2, 0.4, 0.8): C = 3·0.4/1.4 = 6/7, T = 7/15, D = √0.4 → 初级协调.
    k = coupling_coordination([0.2, 0.4, 0.8])
    assert k.c == pytest.approx(6 / 7, abs=1e-12)
    assert k.t == pytest.approx(7 / 15, abs=1e-12)
    assert k.d == pytest.approx(math.sqrt(0.4), abs=1e-12)
    assert k.grade == "初级协调"
    # A zero subsystem: C = 0; all equal: C = 1.
    assert coupling_coordination([0.0, 0.9]).c == 0.0
    assert coupling_coordination([0.6, 0.6, 0.6]).c == 1.0
    # Weighted: β = (0.7, 0.3) on U = (0.4, 0.9): T = 0.55.
    assert coupling_coordination([0.4, 0.9], [0.7, 0.3]).t == pytest.approx(0.55, abs=1e-12)


def test_renewal_tasks_table() -> None:
    tasks = renewal_tasks()
    assert tasks.height == 18
    assert tasks["id"].to_list() == list(range(1, 19))
    assert set(tasks["area"].unique()) == {"green", "low_carbon", "smart", "humanistic", "vital"}


def test_diagnose_the_liaoning_example(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    d = diagnose(panel(liaoning), catalog)
    assert isinstance(d, Diagnosis)
    assert d.year == 2012 and d.options["top"] == 5
    assert d.attainment.columns == ["unit", "year", "indicator", "value", "standard", "met", "gap", "note"]
    assert d.reserve.columns == ["unit", "task", "task_name", "priority", "rank", "problems", "deadline"]
    # Obstacles of the indicators sum to 100 per unit.
    sums = d.obstacles.filter(pl.col("kind") == "indicator").group_by("unit").agg(pl.col("obstacle").sum())
    assert sums["obstacle"].to_list() == pytest.approx([100.0] * sums.height, abs=1e-9)
    # Every reserve problem is a ledger row of the same unit.
    problems = set(zip(d.ledger["unit"], d.ledger["indicator"]))
    for unit, listed in zip(d.reserve["unit"], d.reserve["problems"]):
        assert all((unit, p) in problems for p in listed.split(";"))
    # No NaN anywhere: what cannot be computed is null.
    for table in (d.attainment, d.obstacles, d.coupling, d.ledger, d.reserve):
        for name, dtype in table.schema.items():
            if dtype.is_float():
                assert not table[name].is_nan().any(), name
    assert d.top_obstacles(3)["rank"].max() <= 3
    assert "2012" in repr(d) and "<b>" in d._repr_html_()


def test_diagnose_is_deterministic_and_writes_the_files(catalog: cc.Catalog, liaoning: pl.DataFrame, tmp_path) -> None:
    first = diagnose(panel(liaoning), catalog, year=2011, top=3)
    second = diagnose(panel(liaoning), catalog, year=2011, top=3)
    assert first.year == 2011
    for name in ("obstacles", "ledger", "reserve", "coupling"):
        assert getattr(first, name).equals(getattr(second, name)), name
    paths = first.write(tmp_path)
    assert [p.name for p in paths] == [
        "attainment.csv",
        "attainment_rates.csv",
        "obstacles.csv",
        "weaknesses.csv",
        "coupling.csv",
        "ledger.csv",
        "reserve.csv",
    ]
    assert pl.read_csv(tmp_path / "ledger.csv").height == first.ledger.height


def test_worsening_trends_raise_severity(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    base = diagnose(panel(liaoning), catalog)
    row = base.ledger.row(0, named=True)
    raised = diagnose(panel(liaoning), catalog, worsening=[(row["unit"], row["indicator"])])
    again = raised.ledger.filter((pl.col("unit") == row["unit"]) & (pl.col("indicator") == row["indicator"]))
    assert again["points"][0] == row["points"] + 1
    assert "worsening trend" in again["reasons"][0]
    # The same from a mapping, as Evaluation trends give it.
    mapped = diagnose(panel(liaoning), catalog, worsening={(row["unit"], row["indicator"]): True})
    assert mapped.ledger.equals(raised.ledger)
    # Computed trends run without error.
    assert diagnose(panel(liaoning), catalog, trends=True).ledger.height > 0


def test_bad_requests_raise(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    with pytest.raises(cc.SpecError, match="2008"):
        diagnose(panel(liaoning), catalog, year=1999)
    with pytest.raises(cc.SpecError, match="bounded"):
        diagnose(panel(liaoning), catalog, spec={"normalize": {"method": "z_score"}})
    with pytest.raises(cc.SpecError, match="attribute"):
        diagnose(panel(liaoning), catalog, peers="province")
    with pytest.raises(cc.SpecError, match="beta"):
        diagnose(panel(liaoning), catalog, beta=[0.5, 0.5])
    with pytest.raises(cc.IoError):
        diagnose(panel(liaoning), catalog, tasks="no-such-tasks.toml")


def test_coupling_refuses_scores_outside_zero_one() -> None:
    # Scores on 0–100 by mistake gave D = 7.7 before; U must be in [0, 1].
    with pytest.raises(cc.MethodError, match=r"u\[1\] = 90 is outside \[0, 1\]"):
        coupling_coordination([0.4, 90.0])
    # The bounds themselves are allowed: a zero subsystem gives C = 0.
    assert coupling_coordination([0.0, 1.0]).c == 0.0


def test_criterion_types_in_the_notation_of_papers() -> None:
    # R's MCDM packages and Chinese tools write "+" / "-" or 正向 / 负向 for benefit / cost.
    x = np.array([[10.0, 7.0], [12.0, 9.0], [8.0, 5.0]])
    w = [0.5, 0.5]
    numeric = cc.mcda.topsis(x, w, [-1, 1])
    for types in (["-", "+"], ["cost", "benefit"], ["负向", "正向"], ["min", "max"]):
        assert np.array_equal(cc.mcda.topsis(x, w, types), numeric), types


def test_custom_coupling_grades(catalog: cc.Catalog, liaoning: pl.DataFrame) -> None:
    # Issue 17: a grade scale of (from, name) bands replaces the ten grades of 0.1; a boundary
    # belongs to the upper band. The string form is that of `citycheck diagnose --grades`.
    for grades in ([(0.0, "失调"), (0.5, "协调")], "0:失调,0.5:协调"):
        d = diagnose(panel(liaoning), catalog, grades=grades)
        rows = d.coupling.filter(pl.col("d").is_not_null())
        assert rows.height > 0
        for dv, grade in zip(rows["d"].to_list(), rows["grade"].to_list()):
            assert grade == ("协调" if dv >= 0.5 else "失调")
    with pytest.raises(cc.SpecError, match="grades"):
        diagnose(panel(liaoning), catalog, grades=[(0.2, "协调")])
    with pytest.raises(cc.SpecError, match="grades"):
        diagnose(panel(liaoning), catalog, grades="0:失调,half:协调")


def test_adjusted_coupling_degree_by_hand() -> None:
    # Wang Shujia et al. (2021): C = sqrt[(1 - mean |Ui - Uj|) * prod(Ui / max U)^(1/(k-1))].
    # U = (0.5, 0.75): (1 - 0.25) * (0.5 / 0.75) = 0.5, C = sqrt(0.5); T = 0.625.
    k = coupling_coordination([0.5, 0.75], adjusted=True)
    assert k.c == pytest.approx(0.5**0.5, abs=1e-12)
    assert k.d == pytest.approx((0.5**0.5 * 0.625) ** 0.5, abs=1e-12)
    # The classic C of the same scores is closer to 1: the adjustment spreads the grades.
    assert coupling_coordination([0.5, 0.75]).c > k.c
