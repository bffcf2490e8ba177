"""cc.efficiency, cc.malmquist and cc.dea.dea: data envelopment analysis from Python, against the
hand-worked and published examples of tests/it/efficiency.rs (Cooper, Seiford & Tone, Example
3.2; a two-year toy; Tone 2003's undesirable output; Coelli's DEAP 2.1 example 4)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

import citycheck as cc

from conftest import ROOT

LP = 1e-6


def stores() -> pl.DataFrame:
    """Example 3.2: six stores, inputs employees and floor area, output 1."""
    return pl.DataFrame(
        {
            "unit": ["A", "B", "C", "D", "E", "F"],
            "employees": [4, 7, 8, 4, 2, 10],
            "area": [3.0, 3.0, 1.0, 2.0, 4.0, 1.0],
            "sales": [1] * 6,
        }
    )


def two_years() -> pl.DataFrame:
    """Year t: A (1, 1), B (2, 1); year t+1: A (1, 2), B (2, 1.5)."""
    return pl.DataFrame(
        {
            "unit": ["A", "B", "A", "B"],
            "year": [2020, 2020, 2021, 2021],
            "staff": [1, 2, 1, 2],
            "served": [1.0, 1.0, 2.0, 1.5],
        }
    )


def ccr(frame: Any, **kwargs: Any) -> pl.DataFrame:
    """Example 3.2 with `kwargs`: six units for three variables, which the analysis warns of."""
    with pytest.warns(cc.CitycheckWarning, match="discriminates"):
        return cc.efficiency(frame, ["employees", "area"], ["sales"], **kwargs)


def test_ccr_input_scores_peers_slacks_and_targets_of_example_3_2() -> None:
    t = ccr(stores())
    assert t.columns == [
        "unit", "year", "model", "orientation", "super_efficiency", "score", "expansion", "status", "efficient",
        "scale_efficiency", "returns_to_scale", "peers", "lambdas", "slack_employees", "slack_area", "slack_sales",
        "target_employees", "target_area", "target_sales", "note",
    ]  # fmt: skip
    expected = [6 / 7, 12 / 19, 1.0, 1.0, 1.0, 1.0]
    assert t["score"].to_list() == pytest.approx(expected, abs=LP)
    # F has θ = 1 but an employee slack of 2 (C uses 8 where F uses 10): weakly efficient only.
    assert t["efficient"].to_list() == [False, False, True, True, True, False]
    assert t["status"].unique().to_list() == ["optimal"]
    assert t["year"].null_count() == t.height
    assert set(t["model"]) == {"ccr"} and set(t["orientation"]) == {"input"}
    a = t.row(0, named=True)
    assert a["peers"] == "D;E"
    lambdas = dict(item.split(":") for item in a["lambdas"].split(";"))
    assert float(lambdas["D"]) == pytest.approx(5 / 7, abs=LP)
    assert float(lambdas["E"]) == pytest.approx(2 / 7, abs=LP)
    assert a["target_employees"] == pytest.approx(24 / 7, abs=LP)
    assert a["target_area"] == pytest.approx(18 / 7, abs=LP)
    f = t.row(5, named=True)
    assert f["slack_employees"] == pytest.approx(2.0, abs=LP)
    assert f["slack_area"] == pytest.approx(0.0, abs=LP)
    assert f["target_employees"] == pytest.approx(8.0, abs=LP)
    assert f["peers"] == "C"
    # Efficient units are their own peers.
    assert t["peers"].to_list()[2:5] == ["C", "D", "E"]


def test_pandas_and_a_single_column_name_give_the_same_table() -> None:
    from_polars = ccr(stores())
    from_pandas = ccr(stores().to_pandas())
    assert from_pandas["score"].to_list() == pytest.approx(from_polars["score"].to_list(), abs=1e-12)
    # 6 units for 1 input and 1 output meet the rule of thumb max(m·s, 3(m + s)) = 6: no warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error", cc.CitycheckWarning)
        one = cc.efficiency(stores(), "employees", "sales")
    assert one.columns[-3:] == ["target_employees", "target_sales", "note"]


def test_output_orientation_bcc_and_super_efficiency() -> None:
    out = ccr(stores(), orientation="output")
    assert out["score"].to_list() == pytest.approx([6 / 7, 12 / 19, 1.0, 1.0, 1.0, 1.0], abs=LP)
    for score, expansion in out.select("score", "expansion").iter_rows():
        assert expansion == pytest.approx(1 / score, abs=LP)
    bcc = ccr(stores(), model="bcc")
    assert all(b >= c - LP for b, c in zip(bcc["score"], ccr(stores())["score"]))
    sup = ccr(stores(), super_efficiency=True)
    assert set(sup["super_efficiency"]) == {True}
    # Super-efficiency: inefficient units keep their score, efficient ones may exceed 1.
    assert sup["score"].to_list()[:2] == pytest.approx([6 / 7, 12 / 19], abs=LP)
    assert max(sup["score"]) > 1.0
    sbm = ccr(stores(), model="sbm")
    assert set(sbm["orientation"]) == {"non_oriented"}


def test_a_missing_value_names_the_unit_and_the_column() -> None:
    gap = stores().with_columns(pl.when(pl.col("unit") == "B").then(None).otherwise(pl.col("area")).alias("area"))
    with pytest.raises(cc.DataError, match=r"unit 'B'.*'area'.*missing"):
        cc.efficiency(gap, ["employees", "area"], ["sales"])
    nan = stores().to_pandas()
    nan["employees"] = nan["employees"].astype(float)
    nan.loc[3, "employees"] = float("nan")
    with pytest.raises(cc.DataError, match=r"unit 'D'.*'employees'"):
        cc.efficiency(nan, ["employees", "area"], ["sales"])
    text = stores().with_columns(pl.col("area").cast(pl.String))
    with pytest.raises(cc.DataError, match="area"):
        cc.efficiency(text, ["employees", "area"], ["sales"])


def test_bad_requests_raise() -> None:
    with pytest.raises(cc.SpecError, match="floor"):
        cc.efficiency(stores(), ["employees", "floor"], ["sales"])
    with pytest.raises(cc.SpecError, match="store"):
        cc.efficiency(stores(), ["employees"], ["sales"], unit="store")
    with pytest.raises(cc.SpecError, match="model"):
        cc.efficiency(stores(), ["employees"], ["sales"], model="dea")
    with pytest.raises(cc.SpecError, match="orientation"):
        cc.efficiency(stores(), ["employees"], ["sales"], orientation="sideways")
    with pytest.raises(cc.SpecError):
        cc.efficiency(stores(), [], ["sales"])
    negative = stores().with_columns(pl.col("sales") * -1)
    with pytest.raises(cc.MethodError, match="negative"):
        cc.efficiency(negative, ["employees"], ["sales"])
    with pytest.raises(cc.SpecError, match="two or more years"):
        cc.malmquist(two_years().filter(pl.col("year") == 2020), ["staff"], ["served"])


@pytest.mark.filterwarnings("ignore::citycheck.CitycheckWarning")
def test_efficiency_year_by_year() -> None:
    t = cc.efficiency(two_years(), ["staff"], ["served"], year="year")
    assert t.select("unit", "year").rows() == [("A", 2020), ("B", 2020), ("A", 2021), ("B", 2021)]
    # Year t: B = (1/2) / 1; year t+1: B = (1.5/2) / 2.
    assert t["score"].to_list() == pytest.approx([1.0, 0.5, 1.0, 0.375], abs=LP)
    # A pandas frame whose years are floats (as a column with a gap holds them).
    frame = two_years().to_pandas()
    frame["year"] = frame["year"].astype(float)
    assert cc.efficiency(frame, ["staff"], ["served"], year="year")["year"].to_list() == [2020, 2020, 2021, 2021]
    broken = pd.DataFrame({"unit": ["A"], "year": ["2020a"], "staff": [1], "served": [1]})
    with pytest.raises(cc.DataError, match="not a year"):
        cc.efficiency(broken, ["staff"], ["served"], year="year")


def test_malmquist_is_the_efficiency_change_times_the_technical_change() -> None:
    m = cc.malmquist(two_years(), ["staff"], ["served"])
    assert m.columns == [
        "unit", "from_year", "to_year", "malmquist", "efficiency_change", "technical_change",
        "pure_efficiency_change", "scale_efficiency_change",
        "d_from_from", "d_from_to", "d_to_from", "d_to_to", "vrs_from_from", "vrs_to_to", "note",
    ]  # fmt: skip
    assert m.select("unit", "from_year", "to_year").rows() == [("A", 2020, 2021), ("B", 2020, 2021)]
    # A: M = √(2 · 2) = 2, EC 1, TC 2; B: M = 1.5, EC 3/4, TC 2.
    assert m["malmquist"].to_list() == pytest.approx([2.0, 1.5], abs=LP)
    assert m["efficiency_change"].to_list() == pytest.approx([1.0, 0.75], abs=LP)
    assert m["technical_change"].to_list() == pytest.approx([2.0, 2.0], abs=LP)
    for mi, ec, tc in m.select("malmquist", "efficiency_change", "technical_change").iter_rows():
        assert math.isclose(mi, ec * tc, rel_tol=1e-12)
    assert m["d_to_from"][1] == pytest.approx(0.25, abs=LP)
    assert m["note"].null_count() == 2
    # Under variable returns A's 2021 output is beyond 2020's technology: no index, and why.
    v = cc.malmquist(two_years(), ["staff"], ["served"], model="bcc")
    assert v["malmquist"][0] is None and v["d_from_to"][0] is None
    assert "D^t(x^t+1): infeasible" in v["note"][0]


def test_malmquist_over_three_years_pairs_consecutive_years_then_the_window() -> None:
    third = pl.DataFrame({"unit": ["A", "B"], "year": [2022, 2022], "staff": [1, 2], "served": [2.0, 3.0]})
    m = cc.malmquist(pl.concat([third, two_years()]), ["staff"], ["served"], "unit", "year")
    pairs = m.select("from_year", "to_year").unique(maintain_order=True).rows()
    assert pairs == [(2020, 2021), (2021, 2022), (2020, 2022)]


def tone_2003() -> pl.DataFrame:
    """Tone (2003)'s example: nine DMUs, input 1, a good and a bad output."""
    return pl.DataFrame(
        {
            "unit": list("ABCDEFGHI"),
            "x": [1] * 9,
            "good": [1, 2, 6, 8, 9, 5, 4, 6, 4],
            "bad": [1, 1, 2, 4, 7, 2, 3, 4, 6],
        }
    )


def test_an_undesirable_output_is_reduced_by_sbm() -> None:
    # Worked by hand in tests/it/efficiency.rs: ρ = 2/3, 1, 1, 1, 1, 10/11, 12/17, 4/5, 3/5.
    t = cc.efficiency(tone_2003(), "x", ["good", "bad"], model="sbm_vrs", undesirable="bad")
    assert t["score"].to_list() == pytest.approx([2 / 3, 1, 1, 1, 1, 10 / 11, 12 / 17, 0.8, 0.6], abs=LP)
    assert set(t["model"]) == {"sbm_vrs"}
    # I's target is D: good up to 8, bad down to 4.
    assert t.filter(pl.col("unit") == "I").select("target_good", "target_bad").row(0) == pytest.approx((8, 4), abs=LP)
    with pytest.raises(cc.SpecError, match="undesirable"):
        cc.efficiency(tone_2003(), "x", ["good", "bad"], model="ccr", undesirable=["bad"])
    with pytest.raises(cc.SpecError, match="not among the outputs"):
        cc.efficiency(tone_2003(), "x", ["good", "bad"], model="sbm", undesirable="noise")


def deap_example_4() -> pl.DataFrame:
    """Coelli's DEAP 2.1 guide, example 4: five firms, input x, output y, years 1–3."""
    x = {1: [2, 4, 3, 5, 6], 2: [2, 4, 3, 5, 5], 3: [2, 4, 3, 5, 5]}
    y = {1: [1, 2, 3, 4, 5], 2: [1, 3, 4, 3, 5], 3: [1, 3, 4, 3, 5]}
    rows = [(str(f + 1), year, x[year][f], y[year][f]) for year in (1, 2, 3) for f in range(5)]
    return pl.DataFrame(rows, schema=["unit", "year", "x", "y"], orient="row")


def test_malmquist_output_distances_match_deap() -> None:
    m = cc.malmquist(deap_example_4(), "x", "y", orientation="output")
    first = m.filter((pl.col("from_year") == 1) & (pl.col("to_year") == 2))
    # Printed for year 2: effch, techch, pech, sech, tfpch per firm (exact fractions here).
    assert first["efficiency_change"].to_list() == pytest.approx([3 / 4, 9 / 8, 1, 9 / 16, 9 / 10], abs=LP)
    assert first["technical_change"].to_list() == pytest.approx([4 / 3] * 5, abs=LP)
    assert first["pure_efficiency_change"].to_list() == pytest.approx([1, 11 / 9, 1, 13 / 20, 1], abs=LP)
    assert first["scale_efficiency_change"].to_list() == pytest.approx([3 / 4, 81 / 88, 1, 45 / 52, 9 / 10], abs=LP)
    assert first["malmquist"].to_list() == pytest.approx([1, 1.5, 4 / 3, 0.75, 1.2], abs=LP)
    # The window 1 → 3 is there too (year 3 repeats year 2).
    window = m.filter((pl.col("from_year") == 1) & (pl.col("to_year") == 3))
    assert window["malmquist"].to_list() == pytest.approx(first["malmquist"].to_list(), abs=LP)
    with pytest.raises(cc.SpecError, match="orientation"):
        cc.malmquist(deap_example_4(), "x", "y", orientation="non_oriented")


def test_dea_on_numpy_matrices_equals_the_frame_route() -> None:
    x = np.array([[4, 3], [7, 3], [8, 1], [4, 2], [2, 4], [10, 1]])
    with pytest.warns(cc.CitycheckWarning, match="discriminates"):
        t = cc.dea.dea(x, np.ones((6, 1)), units=list("ABCDEF"), inputs=["employees", "area"], outputs=["sales"])
    frame = ccr(stores())
    assert t.columns == frame.columns
    assert t["score"].to_list() == pytest.approx(frame["score"].to_list(), abs=LP)
    assert t["peers"].to_list() == frame["peers"].to_list()
    # Default names, and an undesirable output by position.
    good_bad = tone_2003().select("good", "bad").to_numpy()
    u = cc.dea.dea(np.ones((9, 1)), good_bad, model="sbm_vrs", undesirable=[1])
    assert u["unit"].to_list() == [str(k) for k in range(1, 10)]
    assert "target_y2" in u.columns
    assert u["score"][8] == pytest.approx(0.6, abs=LP)
    with pytest.raises(cc.SpecError, match="rows"):
        cc.dea.dea(np.ones((3, 1)), np.ones((2, 1)))
    with pytest.raises(cc.DataError, match=r"unit '2'.*'x1'"):
        cc.dea.dea(np.array([[1.0], [np.nan]]), np.ones((2, 1)))


# Panels: the [efficiency] analysis of a run, from Python. The facility classes are those of the
# test catalogue tests/fixtures/facilities.toml ([[facilities]]).


def _facilities() -> cc.Catalog:
    return cc.Catalog.load(ROOT / "tests" / "fixtures" / "facilities.toml")


def _sanitation_panel(years: tuple[int, ...] = (2024,)) -> tuple[cc.Panel, pl.DataFrame]:
    """Four cities: sanitation vehicles (input), waste collected (output); in a second year B
    collects 45 instead of 30 and D 50 instead of 25. CCR: θ = (y/x) / max(y/x), so in 2024
    A 2/3, B 1, C 2/3, D 1/3 (waste per vehicle 1, 1.5, 1, 0.5)."""
    rows: list[dict[str, Any]] = []
    for year in years:
        later = year != years[0]
        cities = (("A", 10, 10), ("B", 20, 45 if later else 30), ("C", 40, 40), ("D", 50, 50 if later else 25))
        for city, vehicles, waste in cities:
            rows.append(
                {"city": city, "year": year, "sanitation_vehicles": float(vehicles), "waste_collected": float(waste)}
            )
    wide = pl.DataFrame(rows)
    return cc.Panel.from_wide(wide, unit="city"), wide


def test_a_panel_is_evaluated_by_a_facility_class_of_its_catalogue() -> None:
    panel, wide = _sanitation_panel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # four units for two variables: a warning
        by_class = cc.efficiency(panel, facility="sanitation", catalog=_facilities())
        by_names = cc.efficiency(panel, ["sanitation_vehicles"], ["waste_collected"])
        by_dea = cc.dea.dea(panel, facility="sanitation", catalog=_facilities())
        by_table = cc.efficiency(wide, ["sanitation_vehicles"], ["waste_collected"], unit="city", year="year")
    expected = [2 / 3, 1.0, 2 / 3, 1 / 3]
    for t in (by_class, by_names, by_dea, by_table):
        assert t["unit"].to_list() == ["A", "B", "C", "D"]
        assert t["year"].to_list() == [2024] * 4
        assert t["score"].to_list() == pytest.approx(expected, abs=LP)
    with pytest.warns(cc.CitycheckWarning, match="discriminates poorly"):
        cc.efficiency(panel, facility="sanitation", catalog=_facilities())


def test_malmquist_of_a_panel_equals_the_table_route() -> None:
    panel, wide = _sanitation_panel((2023, 2024))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        on_panel = cc.malmquist(panel, facility="sanitation", catalog=_facilities())
    on_table = cc.malmquist(wide, ["sanitation_vehicles"], ["waste_collected"], unit="city", year="year")
    assert on_panel["unit"].to_list() == on_table["unit"].to_list()
    for column in ("malmquist", "efficiency_change", "technical_change"):
        assert on_panel[column].to_list() == pytest.approx(on_table[column].to_list(), abs=LP)


def test_bad_panel_requests_raise() -> None:
    panel, wide = _sanitation_panel()
    with pytest.raises(cc.SpecError, match="give catalog="):
        cc.efficiency(panel, facility="sanitation")
    with pytest.raises(cc.SpecError, match="no such facility class"):
        cc.efficiency(panel, facility="sewers", catalog=_facilities())
    with pytest.raises(cc.SpecError, match="leave out inputs"):
        cc.efficiency(panel, ["sanitation_vehicles"], facility="sanitation", catalog=_facilities())
    with pytest.raises(cc.SpecError, match="name the inputs and outputs"):
        cc.efficiency(panel, ["sanitation_vehicles"])
    with pytest.raises(cc.SpecError, match=r"apply to a cc\.Panel"):
        cc.efficiency(wide, ["sanitation_vehicles"], ["waste_collected"], unit="city", facility="sanitation")
    with pytest.raises(cc.SpecError, match="leave out y"):
        cc.dea.dea(panel, np.ones((4, 1)))
    # Without a catalogue a cell given twice cannot be reconciled: refused, naming it.
    twice = cc.Panel.from_frame(
        pl.DataFrame(
            {
                "city": ["A", "A", "B", "B"],
                "year": [2024] * 4,
                "indicator": ["staff", "staff", "staff", "served"],
                "value": [1.0, 2.0, 1.0, 1.0],
            }
        ),
        unit="city",
    )
    with pytest.raises(cc.DataError, match="a second value"):
        cc.efficiency(twice, ["staff"], ["served"])
