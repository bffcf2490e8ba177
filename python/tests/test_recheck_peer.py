"""The default run's re-check (复查, 2011 → 2012) against an independent pandas implementation
written from the documentation (scripts/peers/recheck_pandas.py: METHODS.md §10, the issue, the
documented tables and notes), as the diagnosis is checked against scripts/peers/diagnose_pandas.py:
both read the same ledgers, and recheck.csv and recheck_summary.csv agree cell by cell (numbers
to 1e-9 relative, text exactly, empty = empty)."""

from __future__ import annotations

import csv
import importlib.util
import math
import sys
import types
from pathlib import Path

import pytest

import citycheck as cc

from conftest import LIAONING, ROOT

PEER = ROOT / "scripts" / "peers" / "recheck_pandas.py"


def load_peer() -> types.ModuleType:
    pytest.importorskip("pandas")
    spec = importlib.util.spec_from_file_location("recheck_pandas", PEER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def assert_same_table(ours: Path, theirs: Path) -> None:
    a, b = read(ours), read(theirs)
    assert a[0] == b[0], f"{ours.name}: columns"
    assert len(a) == len(b), f"{ours.name}: {len(a) - 1} rows vs the peer's {len(b) - 1}"
    for k, (ra, rb) in enumerate(zip(a[1:], b[1:]), start=2):
        for column, x, y in zip(a[0], ra, rb):
            if x == y:
                continue
            try:
                same = math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-300)
            except ValueError:
                same = False
            assert same, f"{ours.name} row {k}, column {column}: citycheck {x!r}, peer {y!r}"


def peer_args(ledgers: list[str], out: Path) -> list[str]:
    args = [a for ledger in ledgers for a in ("--ledger", ledger)]
    return [
        *args,
        "--catalog",
        str(ROOT / "indicators" / "ccsy-example.toml"),
        "--tasks",
        str(ROOT / "indicators" / "renewal-tasks-liaoning.toml"),
        "--out",
        str(out),
    ]


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The default run (it re-checks 2011 → 2012 and writes the ledger of 2012) and the same
    config diagnosing 2011 (its ledger, the one the run re-checks from)."""
    d = tmp_path_factory.mktemp("recheck_peer")
    result = cc.run(out=d / "run")
    assert result.report is not None and result.report["recheck"]["years"] == [2011, 2012]
    config = (ROOT / "datasets" / "default-run.toml").read_text(encoding="utf-8")
    assert "[diagnose]\n" in config
    y2011 = d / "y2011.toml"
    y2011.write_text(config.replace("[diagnose]\n", "[diagnose]\nyear = 2011\n", 1), encoding="utf-8")
    cc.run(y2011, out=d / "run2011")
    return {"dir": d, "run": d / "run", "2011": d / "run2011" / "ledger.csv", "2012": d / "run" / "ledger.csv"}


def test_the_default_run_agrees_with_the_pandas_peer(ledgers: dict[str, Path]) -> None:
    peer = load_peer()
    out = ledgers["dir"] / "peer"
    # The run's values of each year: the observed data after the catalogue's denominators.
    peer.main(
        [
            *peer_args([f"2011={ledgers['2011']}", f"2012={ledgers['2012']}"], out),
            "--data",
            str(LIAONING),
            "--unit-column",
            "city",
            "--groups",
            str(ROOT / "tests" / "golden" / "ccsy_example_groups.json"),
        ]
    )
    for name in ("recheck.csv", "recheck_summary.csv"):
        assert_same_table(ledgers["run"] / name, out / name)
    rows = {
        (r["unit"], r["indicator"], r["year"]): r for r in csv.DictReader((out / "recheck.csv").open(encoding="utf-8"))
    }
    # By hand from the data: 盘锦市's garbage treatment, 78.05 % in 2011 (below the 90 % standard),
    # is 100 % in 2012 and leaves the ledger: resolved and closed.
    r = rows[("盘锦市", "garbage_harmless_rate", "2012")]
    assert (r["status"], float(r["value_before"]), float(r["value_after"]), float(r["standard"]), r["closed"]) == (
        "resolved",
        78.05,
        100.0,
        90.0,
        "true",
    )
    # 本溪市 has no data in 2012: its five problems of 2011 are not assessed, never resolved.
    summary = {(s["unit"], s["year"]): s for s in csv.DictReader((out / "recheck_summary.csv").open(encoding="utf-8"))}
    s = summary[("本溪市", "2012")]
    assert (s["carried_over"], s["not_assessed"], s["resolved"], float(s["rectification_rate"])) == ("5", "5", "0", 0.0)


def test_the_ledger_files_through_cc_recheck_agree_with_the_peer(ledgers: dict[str, Path]) -> None:
    # The same ledgers and the attainment table of 2012 (values of the indicators with a
    # standard only): cc.recheck and the peer read the same files.
    peer = load_peer()
    attainment = ledgers["run"] / "attainment.csv"
    files = {2011: ledgers["2011"], 2012: ledgers["2012"]}
    r = cc.recheck(files, attainment, catalog=cc.Catalog.builtin("ccsy-example"), tasks="renewal-tasks-liaoning")
    ours = ledgers["dir"] / "files"
    r.write(ours)
    out = ledgers["dir"] / "peer_files"
    peer.main([*peer_args([f"{y}={p}" for y, p in files.items()], out), "--values", str(attainment)])
    for name in ("recheck.csv", "recheck_summary.csv"):
        assert_same_table(ours / name, out / name)
    # Without the values of the indicators without a standard, 大连市's gdp (resolved in the
    # run, with the data's value) has no value in 2012 here: not assessed.
    gdp = r.rows.filter((r.rows["unit"] == "大连市") & (r.rows["indicator"] == "gdp") & (r.rows["year"] == 2012))
    assert gdp["status"].to_list() == ["not_assessed"]
