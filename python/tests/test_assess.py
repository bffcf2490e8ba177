"""cc.assess: the annual assessment (年度考核评估) through Python — two cities, one year, every
value and score by hand (tests/it/assess.rs has two years), the incentive tiers (以奖代补),
the Chinese ranking (通报) and bad input."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import citycheck as cc


def write(d: Path, name: str, text: str) -> Path:
    path = d / name
    path.write_text(text, encoding="utf-8")
    return path


def tables(d: Path) -> dict[str, Path]:
    """Hand-made tables of 2024 (values ×100 where the table holds fractions):
    - rectification_rate 沈阳市 90, 大连市 50; closure_rate 60, 30;
    - target_progress 沈阳市 (80 + 100 capped from 120) / 2 = 90, 大连市 30;
    - red_warnings_reduced 沈阳市 3 red in 2023, 1 in 2024 → 2; 大连市 2 and 2 → 0;
    - projects: 沈阳市 1 of 2 completed → 50, investment (100·100 % + 300·50 %) / 400 = 62.5;
      大连市 0 of 1 → 0, 200·25 % / 200 = 25."""
    return {
        "recheck_summary": write(
            d,
            "recheck_summary.csv",
            "unit,level,year,rectification_rate,closure_rate\n沈阳市,city,2024,0.9,0.6\n大连市,city,2024,0.5,0.3\n",
        ),
        "progress": write(
            d,
            "progress.csv",
            "unit,indicator,latest_year,progress\n沈阳市,a,2024,0.8\n沈阳市,b,2024,1.2\n大连市,a,2024,0.3\n",
        ),
        "warnings": write(
            d,
            "warnings.csv",
            "unit,year,level\n沈阳市,2023,red\n沈阳市,2023,red\n沈阳市,2023,red\n沈阳市,2024,red\n沈阳市,2024,green\n"
            "大连市,2023,red\n大连市,2023,red\n大连市,2024,red\n大连市,2024,red\n",
        ),
        "projects": write(
            d,
            "projects.csv",
            "project_id,unit,name,investment,status,progress\n"
            "P1,沈阳市,x,100,completed,100\nP2,沈阳市,y,300,in_progress,50\nP3,大连市,z,200,in_progress,25\n",
        ),
    }


def test_two_cities_by_hand(tmp_path: Path) -> None:
    t = tables(tmp_path)
    a = cc.assess(
        recheck_summary=t["recheck_summary"],
        progress=t["progress"],
        warnings=t["warnings"],
        projects={2024: t["projects"]},
        spec="default",  # equal weights: the score is the mean of the min-max scores
        top_share=0.5,
    )
    assert a.catalog == "liaoning-assessment"
    row = {r["unit"]: r for r in a.table.iter_rows(named=True)}
    expected = {
        "rectification_rate": (90.0, 50.0),
        "closure_rate": (60.0, 30.0),
        "target_progress": (90.0, 30.0),
        "red_warnings_reduced": (2.0, 0.0),
        "projects_completed_share": (50.0, 0.0),
        "investment_executed_share": (62.5, 25.0),
    }
    for indicator, (shenyang, dalian) in expected.items():
        assert row["沈阳市"][indicator] == pytest.approx(shenyang, abs=1e-9), indicator
        assert row["大连市"][indicator] == pytest.approx(dalian, abs=1e-9), indicator
    assert row["沈阳市"]["satisfaction"] is None  # no survey table
    assert any("no survey table" in n for n in a.notes)
    # Two units, one year: min-max gives 沈阳市 100 and 大连市 0 on every indicator.
    assert (row["沈阳市"]["score"], row["大连市"]["score"]) == (pytest.approx(100.0), pytest.approx(0.0))
    assert a.ranking.select("year", "rank", "unit", "tier").rows() == [
        (2024, 1, "沈阳市", "reward"),
        (2024, 2, "大连市", "none"),
    ]
    assert a.ranking_zh.columns == ["年度", "排名", "城市", "得分", "排名变化", "激励档次"]
    assert a.ranking_zh["激励档次"].to_list() == ["奖励", "无"]
    # A threshold instead: both below 101, only 沈阳市 at least 50.
    t50 = cc.assess(recheck_summary=t["recheck_summary"], threshold=50)
    assert t50.table.sort("unit")["tier"].to_list() == ["none", "reward"]  # 大连市, 沈阳市
    assert "at least 50" in t50.incentive


def test_years_and_bad_input(tmp_path: Path) -> None:
    t = tables(tmp_path)
    # warnings.csv has 2023 and 2024; red_warnings_reduced exists in 2024 only.
    a = cc.assess(warnings=t["warnings"], years=[2024])
    assert set(a.table["year"].to_list()) == {2024}
    with pytest.raises(cc.SpecError, match="not both"):
        cc.assess(recheck_summary=t["recheck_summary"], top_share=0.3, threshold=50)
    with pytest.raises(cc.SpecError):
        cc.assess(recheck_summary=t["recheck_summary"], top_share=1.5)
    bad = write(tmp_path, "bad.csv", "unit,year,rectification_rate,closure_rate\n沈阳市,2024,80,0.5\n")
    with pytest.raises(cc.DataError, match=r"bad\.csv.*rectification_rate"):
        cc.assess(recheck_summary=bad)
    with pytest.raises(cc.SpecError, match="no assessment value"):
        cc.assess()
    written = cc.assess(recheck_summary=t["recheck_summary"]).write(tmp_path / "out")
    assert [p.name for p in written] == ["assessment.csv", "assessment_ranking.csv", "assessment_ranking_zh.csv"]
    assert pl.read_csv(tmp_path / "out" / "assessment.csv").height == 2
