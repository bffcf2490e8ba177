"""cc.recheck: the re-check across years (复查) through Python, on hand-written ledgers
(tests/it/recheck.rs has the full hand-built set)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import citycheck as cc

LEDGER_2010 = """unit,year,indicator,value,standard,severity
A,2010,green_coverage_builtup,30,40,3
A,2010,tertiary_share,40,,2
B,2010,green_coverage_builtup,35,40,1
"""
LEDGER_2011 = """unit,year,indicator,value,standard,severity
A,2011,green_coverage_builtup,32,40,2
C,2011,tertiary_share,30,,1
"""
LEDGER_2012 = """unit,year,indicator,value,standard,severity
A,2012,tertiary_share,41,,2
"""
VALUES = """unit,year,indicator,value,met
A,2011,tertiary_share,52,
A,2012,green_coverage_builtup,42,true
C,2012,tertiary_share,33,
"""


def write(d: Path, name: str, text: str) -> Path:
    path = d / name
    path.write_text(text, encoding="utf-8")
    return path


def status(r: cc.Recheck, unit: str, indicator: str, year: int) -> str:
    rows = r.rows.filter((pl.col("unit") == unit) & (pl.col("indicator") == indicator) & (pl.col("year") == year))
    assert rows.height == 1, rows
    return str(rows["status"][0])


def test_statuses_and_rates(tmp_path: Path) -> None:
    ledgers = [write(tmp_path, f"ledger_{y}.csv", t) for y, t in ((2010, LEDGER_2010), (2011, LEDGER_2011))]
    ledgers.append(write(tmp_path, "ledger_2012.csv", LEDGER_2012))
    values = write(tmp_path, "values.csv", VALUES)
    r = cc.recheck(ledgers, values, catalog=cc.Catalog.builtin("ccsy-example"))
    assert r.years == [2010, 2011, 2012]
    # 2011 against 2010: A's green persists (severity 3 → 2: improved), A's tertiary is
    # resolved (a value in 2011), B's green has no value in 2011: not assessed; C's is new.
    assert status(r, "A", "green_coverage_builtup", 2011) == "persisting"
    assert status(r, "A", "tertiary_share", 2011) == "resolved"
    assert status(r, "B", "green_coverage_builtup", 2011) == "not_assessed"
    assert status(r, "C", "tertiary_share", 2011) == "new"
    change = r.rows.filter((pl.col("unit") == "A") & (pl.col("year") == 2011) & (pl.col("status") == "persisting"))
    assert change["change"].to_list() == ["improved"]
    # 2012 against 2011: A's tertiary is listed again after 2010 → recurring; A's green meets
    # its standard → resolved with evidence; C's tertiary has a value → resolved.
    assert status(r, "A", "tertiary_share", 2012) == "recurring"
    assert status(r, "A", "green_coverage_builtup", 2012) == "resolved"
    assert status(r, "C", "tertiary_share", 2012) == "resolved"
    a_2011 = r.summary.filter((pl.col("unit") == "A") & (pl.col("year") == 2011)).row(0, named=True)
    assert (a_2011["carried_over"], a_2011["resolved"], a_2011["persisting"]) == (2, 1, 1)
    assert a_2011["rectification_rate"] == pytest.approx(0.5)
    # resolved + persisting + not_assessed = carried over, everywhere.
    s = r.summary
    assert (s["resolved"] + s["persisting"] + s["not_assessed"] == s["carried_over"]).all()
    assert set(r.by_indicator["indicator"].to_list()) == {"green_coverage_builtup", "tertiary_share"}
    assert r.by_task.height > 0  # the catalogue links its indicators to renewal tasks
    assert r.issues == []
    written = r.write(tmp_path / "out")
    assert [p.name for p in written][:2] == ["recheck.csv", "recheck_summary.csv"]
    assert pl.read_csv(tmp_path / "out" / "recheck.csv").height == r.rows.height


def test_no_values_means_not_assessed(tmp_path: Path) -> None:
    one = write(tmp_path, "ledger.csv", LEDGER_2010 + LEDGER_2011.split("\n", 1)[1])
    r = cc.recheck(one)  # one file, two years
    assert r.years == [2010, 2011]
    assert status(r, "A", "tertiary_share", 2011) == "not_assessed"
    assert r.by_task.height == 0


def test_unknown_indicator_is_an_issue(tmp_path: Path) -> None:
    path = write(tmp_path, "ledger.csv", "unit,year,indicator\nA,2010,no_such_indicator\nA,2011,no_such_indicator\n")
    r = cc.recheck(path, catalog=cc.Catalog.builtin("ccsy-example"))
    assert len(r.issues) == 2
    assert r.issues[0]["row"] == 2 and "no_such_indicator" in r.issues[0]["message"]


def test_same_problem_twice_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "ledger.csv", "unit,year,indicator\nA,2010,x\nA,2010,x\n")
    with pytest.raises(cc.DataError, match="rows 2 and 3"):
        cc.recheck(path)


def test_a_year_without_problems(tmp_path: Path) -> None:
    # 2011 lists A's green (standard 40) and tertiary; 2012 has a ledger with no rows. Green has
    # a value meeting 40 in 2012 → resolved and closed; tertiary has none → not assessed.
    ledger_2011 = write(tmp_path, "2011.csv", LEDGER_2011.replace("C,2011,tertiary_share,30,,1", "A,2011,tertiary_share,30,,1"))
    empty = write(tmp_path, "2012.csv", "unit,year,indicator,value,standard,severity\n")
    values = write(tmp_path, "values.csv", "unit,year,indicator,value,met\nA,2012,green_coverage_builtup,42,true\n")
    for ledgers in ({2011: ledger_2011, 2012: empty}, [ledger_2011, (2012, empty)]):
        r = cc.recheck(ledgers, values)
        assert r.years == [2011, 2012]
        assert status(r, "A", "green_coverage_builtup", 2012) == "resolved"
        assert status(r, "A", "tertiary_share", 2012) == "not_assessed"
        # 2 carried over = 1 resolved + 1 not assessed: 整改率 1/2; 销号率 = 1 closed of 2 listed.
        row = r.summary.filter(pl.col("year") == 2012).row(0, named=True)
        assert (row["carried_over"], row["resolved"], row["not_assessed"], row["new"]) == (2, 1, 1, 0)
        assert (row["rectification_rate"], row["closure_rate"]) == (0.5, 0.5)
    # Without its year, a ledger without rows says no year: refused, naming what to do.
    with pytest.raises(cc.DataError, match="header and no rows"):
        cc.recheck([ledger_2011, empty])
    with pytest.raises(cc.SpecError, match="year"):
        cc.recheck({"twenty-twelve": empty})  # type: ignore[dict-item]
