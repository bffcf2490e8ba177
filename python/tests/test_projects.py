"""cc.projects: a projects table (项目生成) linked to a year's ledger through Python, every value
by hand (tests/it/projects.rs has the same set in Rust), bad cells reported with row and column,
and a year without problems."""

from __future__ import annotations

import datetime
from pathlib import Path

import polars as pl
import pytest

import citycheck as cc

LEDGER = """unit,year,indicator,value,standard,severity
A,2023,green_coverage_builtup,35,40,6
A,2023,tertiary_share,38,,2
A,2023,hospital_beds,40,,4
B,2023,green_coverage_builtup,38,40,3
B,2023,garbage_harmless_rate,80,100,5
"""
# P1: 2024-01-01 → 2024-12-31 (365 days); at 2024-07-01 182 days have passed.
# P2 ended 2024-03-31, not completed: overdue. P3 starts on the reference date.
# P4 names no problem and is completed.
PROJECTS = """project_id,unit,name,tasks,problems,investment,funding_source,lead_department,plan_start,plan_end,status,progress
P1,A,绿地提升,2;3,green_coverage_builtup;tertiary_share,100,专项债,住建局,2024-01-01,2024-12-31,in_progress,30
P2,A,医疗设施,13,hospital_beds,50.5,地方财政,卫健委,2023-01-01,2024-03-31,在建,90
P3,A,口袋公园,2,green_coverage_builtup,20,社会资本,园林局,2024-07-01,2025-06-30,planned,0
P4,B,智慧平台,9,,5,地方财政,大数据局,2024-01,2024-05,completed,100%
"""


def write(d: Path, name: str, text: str) -> Path:
    path = d / name
    path.write_text(text, encoding="utf-8")
    return path


def linked(d: Path) -> cc.Projects:
    return cc.projects(
        write(d, "projects.csv", PROJECTS),
        write(d, "ledger.csv", LEDGER),
        tasks="renewal-tasks-liaoning",
        as_of=datetime.date(2024, 7, 1),
    )


def test_priority_rank_progress_and_gaps_by_hand(tmp_path: Path) -> None:
    p = linked(tmp_path)
    assert p.issues == []
    assert (p.year, p.as_of) == (2023, "2024-07-01")
    rows = {r["project_id"]: r for r in p.projects.iter_rows(named=True)}
    # Priority = Σ severity addressed: P1 6 + 2 = 8, P3 6, P2 4; ranks within A 1, 2, 3.
    assert [(rows[k]["priority"], rows[k]["rank"]) for k in ("P1", "P3", "P2", "P4")] == [
        (8.0, 1),
        (6.0, 2),
        (4.0, 3),
        (0.0, 1),
    ]
    assert rows["P1"]["addressed"] == "green_coverage_builtup;tertiary_share"
    assert rows["P2"]["status"] == "in_progress"  # 在建
    planned = 100 * 182 / 365
    assert rows["P1"]["planned_progress"] == pytest.approx(planned, abs=1e-12)
    assert rows["P1"]["progress_gap"] == pytest.approx(30 - planned, abs=1e-12)
    assert (rows["P2"]["planned_progress"], rows["P2"]["progress_gap"], rows["P2"]["overdue"]) == (100.0, -10.0, True)
    assert (rows["P3"]["planned_progress"], rows["P3"]["overdue"]) == (0.0, False)
    # A month alone: the first day of a start, the last of an end; "100%" reads as 100.
    assert (rows["P4"]["plan_start"], rows["P4"]["plan_end"], rows["P4"]["progress"]) == (
        "2024-01-01",
        "2024-05-31",
        100.0,
    )
    # Coverage in ledger order; the gaps are B's two problems, by severity.
    assert p.coverage.select("unit", "indicator", "n_projects").rows() == [
        ("A", "green_coverage_builtup", 2),
        ("A", "tertiary_share", 1),
        ("A", "hospital_beds", 1),
        ("B", "green_coverage_builtup", 0),
        ("B", "garbage_harmless_rate", 0),
    ]
    assert p.gaps.select("rank", "indicator", "severity").rows() == [
        (1, "garbage_harmless_rate", 5.0),
        (2, "green_coverage_builtup", 3.0),
    ]
    assert p.reserve.filter(pl.col("unit") == "A")["project_id"].to_list() == ["P1", "P3", "P2"]
    written = p.write(tmp_path / "out")
    assert [w.name for w in written] == [
        "projects.csv",
        "project_reserve.csv",
        "project_implementation.csv",
        "problem_coverage.csv",
        "gaps.csv",
    ]
    assert "2023" in repr(p)


def test_bad_cells_are_issues_with_row_and_column(tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "bad.csv",
        "project_id,unit,name,tasks,problems,investment,plan_start,plan_end,progress\n"
        "Q1,A,x,2,green_coverage_builtup,12万,2024-05-01,2024-01-31,120\n"
        "Q2,C,y,99,green_coverage_builtup,1,,,\n",
    )
    p = cc.projects(bad, write(tmp_path, "ledger.csv", LEDGER), tasks="renewal-tasks-liaoning")
    found = {(i["kind"], i.get("row"), i.get("column")) for i in p.issues}
    assert ("non_numeric", 2, "investment") in found
    assert ("out_of_range", 2, "progress") in found
    assert ("invalid_schedule", 2, "plan_end") in found
    assert ("unknown_reference", 3, "unit") in found  # C is in no ledger
    assert ("unknown_reference", 3, "tasks") in found  # task 99
    assert p.projects.height == 2  # nothing dropped
    twice = write(tmp_path, "twice.csv", "project_id,unit,name\nP1,A,x\nP1,B,y\n")
    with pytest.raises(cc.DataError, match="rows 2 and 3"):
        cc.projects(twice, tmp_path / "ledger.csv")


def test_a_year_without_problems(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.csv", "unit,year,indicator,value,standard,severity\n")
    table = write(tmp_path, "projects.csv", PROJECTS)
    p = cc.projects(table, empty, year=2024, units=["A", "B"], catalog=cc.Catalog.builtin("ccsy-example"))
    assert p.issues == []
    assert (p.year, p.coverage.height, p.gaps.height) == (2024, 0, 0)
    assert p.projects["priority"].to_list() == [0.0] * 4
    assert p.projects["unrecorded"][0] == "green_coverage_builtup;tertiary_share"
    # Without its year, a ledger without rows cannot be read: no row says which year it is.
    with pytest.raises(cc.DataError, match="header and no rows"):
        cc.projects(table, empty)
