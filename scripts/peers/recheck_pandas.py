#!/usr/bin/env python3
"""Independent pandas implementation of citycheck's re-check across years (复查): the status of
every problem of yearly ledgers at every ledger year, and the counts and rates per unit.

DEV-ONLY. Not part of the citycheck library, its Python bindings or any package. Written from
the documentation — METHODS.md §10 (re-check across years), issue 15 (what recheck.csv and
recheck_summary.csv hold) and the documentation of the output (README.md's table of
recheck.csv and recheck_summary.csv; the module docs of src/recheck: the status table, the
row's fields, the counts and the wording of the `note` column) — not from citycheck's code. It
checks the default run's re-check (python/tests/test_recheck_peer.py runs both on the same
ledgers and compares the tables cell by cell). Caveat for the reader: it was written by a
session that had also read the Rust module; the two were written apart, but not by strangers.

Run (from the repository root; any Python with pandas):
    python scripts/peers/recheck_pandas.py \\
        --ledger 2011=out2011/ledger.csv --ledger out/ledger.csv \\
        --data datasets/cn_city_ccsy_2004_2012/liaoning_example_2008_2012_long.csv --unit-column city \\
        --groups tests/golden/ccsy_example_groups.json \\
        --catalog indicators/ccsy-example.toml --tasks indicators/renewal-tasks-liaoning.toml \\
        --out /tmp/recheck_peer
    (writes recheck.csv and recheck_summary.csv; --values FILE instead of --data reads the values
    of a year from a long table: unit, year, indicator, value[, standard, met, level, object_id])

What is computed (P the previous ledger year of ledger year Y)
    identity   (unit, level, object_id, indicator); object_id empty for a diagnosis's ledger
    status     listed in P and Y                  -> persisting (change: severity fell ->
                                                     improved, rose -> worsened, else unchanged;
                                                     equal within 1e-9 x max(1, |severity_P|))
               in Y only, in a ledger before P    -> recurring
               in Y only, never before            -> new
               in P only, indicator not in the    -> not_assessed
                 catalogue
               in P only, a value v in Y          -> resolved; persisting instead when v is judged
                                                     to miss the standard
               in P only, no value in Y           -> not_assessed (never counted as resolved)
               the first ledger year: every problem new
    values     value_before: P's ledger value, else the value observed in P
               value_after:  Y's ledger value, else the value observed in Y
               standard:     Y's ledger's, else P's, else (resolved) the observation's
               met:          the observation's `met`, else judged with the catalogue
                             (higher: v >= T, lower: v <= T; T the unit's standard)
    closed     resolved, and no standard or the standard met
    counts     per unit, level and year: carried_over = resolved + persisting + not_assessed
               (the problems of P); new, recurring apart; rectification_rate = resolved /
               carried_over; listed = distinct problems of the ledgers up to P; closed = of
               those, closed at a re-check up to Y and listed in no ledger since; closure_rate
               = closed / listed; a rate with denominator 0 is empty. A unit has a row in a
               year when it has a re-check row that year or a problem listed up to P.
    values of a run   the observed values after the catalogue's denominators (the groups file
               names them), of every scored indicator of every unit-year; met judged against
               the catalogue's standard (by_unit, else value); source "data of {year}"
    order      recheck.csv by year, then unit, level, object_id (empty first), indicator;
               recheck_summary.csv by year, then unit, level

--compare A B: two recheck.csv (or two recheck_summary.csv) cell by cell: numbers to 1e-9
    relative, text exactly; exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pipeline_pandas as pp  # noqa: E402  (reading the long data and its denominators)

RECHECK_COLUMNS = ["unit", "level", "object_id", "indicator", "first_year", "year", "status", "value_before",
                   "value_after", "standard", "severity_before", "severity_after", "tasks", "note", "change",
                   "previous_year", "closed"]
SUMMARY_COLUMNS = ["unit", "level", "year", "carried_over", "resolved", "persisting", "new", "recurring",
                   "not_assessed", "rectification_rate", "closure_rate", "listed", "closed"]


# --------------------------------------------------------------------------- inputs

@dataclass
class Problem:
    key: tuple            # (unit, level, object_id or None, indicator)
    value: float | None
    standard: float | None
    severity: float | None
    row: int


@dataclass
class Ledger:
    year: int
    source: str
    problems: dict = field(default_factory=dict)   # key -> Problem


@dataclass
class Observation:
    value: float
    standard: float | None
    met: bool | None
    source: str


def cell(x) -> str | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    s = str(x).strip()
    return s or None


def number(x) -> float | None:
    s = cell(x)
    return None if s is None else float(s)


def read_ledgers(spec: str, level: str) -> list[Ledger]:
    """`FILE` (its years from its rows) or `YEAR=FILE` (its rows of that year; no rows: a year
    without problems)."""
    year = None
    path = spec
    head, sep, tail = spec.partition("=")
    if sep and head.strip().lstrip("-").isdigit():
        year, path = int(head), tail
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    objects = "object_id" in df.columns
    for need in ("year", "indicator") + (("level", "object_id") if objects else ("unit",)):
        if need not in df.columns:
            raise SystemExit(f"{path}: no column '{need}'")
    by_year: dict[int, Ledger] = {}
    for i, r in df.iterrows():
        y = int(float(r["year"]))
        unit = cell(r.get("city_id")) if objects else cell(r["unit"])
        key = (unit or "", cell(r["level"]) if objects else level,
               cell(r["object_id"]) if objects else None, cell(r["indicator"]))
        ledger = by_year.setdefault(y, Ledger(y, path))
        if key in ledger.problems:
            raise SystemExit(f"{path}: the same problem twice in {y} (rows {ledger.problems[key].row} and {i + 2})")
        ledger.problems[key] = Problem(key, number(r.get("value")), number(r.get("standard")),
                                       number(r.get("severity")), i + 2)
    if year is None:
        if not by_year:
            raise SystemExit(f"{path}: a ledger without rows needs its year (YEAR=FILE)")
        return [by_year[y] for y in sorted(by_year)]
    if not by_year:
        return [Ledger(year, path)]
    if year not in by_year:
        raise SystemExit(f"{path}: no problem of year {year} (its years: {sorted(by_year)})")
    return [by_year[year]]


def read_catalog(path: str) -> tuple[str, str, dict[str, dict]]:
    with open(path, "rb") as fh:
        cat = tomllib.load(fh)
    entries = {}
    for ind in cat.get("indicators", []):
        entries[ind["id"]] = ind
        for alias in ind.get("aliases", []):
            entries.setdefault(alias, ind)
    return cat["catalog"]["id"], str(cat["catalog"]["version"]), entries


def standard_for(entry: dict | None, unit: str) -> float | None:
    std = (entry or {}).get("standard")
    if not std:
        return None
    by_unit = std.get("by_unit", {})
    if unit in by_unit:
        return float(by_unit[unit])
    return float(std["value"]) if "value" in std else None


def judged(entry: dict | None, unit: str, v: float) -> bool | None:
    """Whether v meets the unit's standard; None without one (or another direction)."""
    t = standard_for(entry, unit)
    if t is None:
        return None
    direction = entry.get("direction")
    if direction == "higher":
        return v >= t
    if direction == "lower":
        return v <= t
    return None


def values_from_table(path: str, level: str) -> dict:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    out: dict = {}
    for i, r in df.iterrows():
        v = number(r["value"])
        if v is None or not math.isfinite(v):
            continue
        met_text = (cell(r.get("met")) or "").lower()
        met = {"true": True, "1": True, "false": False, "0": False}.get(met_text)
        key = (cell(r["unit"]), cell(r.get("level")) or level, cell(r.get("object_id")), cell(r["indicator"]))
        out.setdefault((key, int(float(r["year"]))),
                       Observation(v, number(r.get("standard")), met, f"{path} row {i + 2}"))
    return out


def values_from_data(data: str, unit_column: str, groups: str, entries: dict, level: str, years: set) -> dict:
    inds, _, _ = pp.read_groups(groups)
    long = pp.denominate(pp.read_long(data, unit_column), pp.read_denominators(groups))
    long = long[long["indicator"].isin(inds) & long["value"].notna() & long["year"].isin(years)]
    out: dict = {}
    for r in long.itertuples(index=False):
        entry = entries.get(r.indicator)
        key = (r.unit, level, None, r.indicator)
        out.setdefault((key, int(r.year)), Observation(float(r.value), standard_for(entry, r.unit),
                                                       judged(entry, r.unit, float(r.value)), f"data of {int(r.year)}"))
    return out


def tasks_of(indicator: str, entries: dict, tasks: list[dict]) -> str | None:
    ids = {int(t) for t in (entries.get(indicator) or {}).get("tasks", [])}
    ids |= {int(t["id"]) for t in tasks if indicator in t.get("indicators", [])}
    return ";".join(str(t) for t in sorted(ids)) or None


# --------------------------------------------------------------------------- the re-check

def rust_number(x: float) -> str:
    """A number as the notes write it: shortest round-trip digits, no exponent, no trailing .0."""
    s = format(Decimal(repr(float(x))), "f")
    return s[:-2] if s.endswith(".0") else s


def sort_key(key: tuple) -> tuple:
    unit, level, obj, indicator = key
    return (unit, level, (0, "") if obj is None else (1, obj), indicator)


def recheck(ledgers: list[Ledger], obs: dict, catalog: tuple | None, tasks: list[dict]) -> tuple[list, list]:
    ledgers = sorted(ledgers, key=lambda l: l.year)
    for a, b in zip(ledgers, ledgers[1:]):
        if a.year == b.year:
            raise SystemExit(f"two ledgers of {a.year}: {a.source}, {b.source}")
    cat_id, cat_version, entries = catalog if catalog else (None, None, {})

    def unknown(indicator: str) -> bool:
        return catalog is not None and indicator not in entries

    def unknown_note(indicator: str) -> str:
        return f"indicator '{indicator}' is not in catalogue {cat_id} (version {cat_version}): not assessed"

    def change(before, after):
        if before is None or after is None:
            return None
        tol = 1e-9 * max(1.0, abs(before))
        return "improved" if after < before - tol else "worsened" if after > before + tol else "unchanged"

    rows = []
    first_year: dict = {}
    for k, ledger in enumerate(ledgers):
        y = ledger.year
        if k == 0:
            for key in sorted(ledger.problems, key=sort_key):
                p = ledger.problems[key]
                first_year.setdefault(key, y)
                rows.append(dict(key=key, first_year=y, year=y, status="new", value_before=None,
                                 value_after=p.value, standard=p.standard, severity_before=None,
                                 severity_after=p.severity, tasks=tasks_of(key[3], entries, tasks),
                                 note=unknown_note(key[3]) if unknown(key[3]) else None, change=None,
                                 previous_year=None, closed=False))
            continue
        prev = ledgers[k - 1]
        p_year = prev.year
        for key in sorted(set(prev.problems) | set(ledger.problems), key=sort_key):
            was, is_ = prev.problems.get(key), ledger.problems.get(key)
            after, before = obs.get((key, y)), obs.get((key, p_year))
            value_before = was.value if was is not None and was.value is not None else (
                before.value if before else None)
            standard = next((s for s in (is_ and is_.standard, was and was.standard) if s is not None), None)
            row = dict(key=key, first_year=first_year.get(key, y), year=y, status=None,
                       value_before=value_before, value_after=None, standard=standard,
                       severity_before=was.severity if was else None, severity_after=is_.severity if is_ else None,
                       tasks=tasks_of(key[3], entries, tasks), note=None, change=None, previous_year=p_year,
                       closed=False)
            indicator = key[3]
            if is_ is not None:
                row["value_after"] = is_.value if is_.value is not None else (after.value if after else None)
                if was is not None and unknown(indicator):
                    row["status"], row["note"] = "not_assessed", unknown_note(indicator)
                elif was is not None:
                    row["status"] = "persisting"
                    row["change"] = change(row["severity_before"], row["severity_after"])
                else:
                    earlier = [j for j in range(k - 1) if key in ledgers[j].problems]
                    if earlier:
                        row["status"] = "recurring"
                        row["note"] = f"listed in {ledgers[earlier[-1]].year}, not in {p_year}, listed again in {y}"
                    else:
                        row["status"] = "new"
                if row["status"] != "not_assessed" and unknown(indicator):
                    note = unknown_note(indicator)
                    row["note"] = note if row["note"] is None else f"{row['note']}; {note}"
            elif unknown(indicator):
                row["status"], row["note"] = "not_assessed", unknown_note(indicator)
                row["value_after"] = after.value if after else None
            elif after is None:
                row["status"] = "not_assessed"
                row["note"] = f"not in the ledger of {y} and no value in {y}: not assessed"
            else:
                row["value_after"] = after.value
                if row["standard"] is None:
                    row["standard"] = after.standard
                met = after.met if after.met is not None else judged(entries.get(indicator), key[0], after.value)
                s = row["standard"]
                if met is False and s is not None:
                    row["status"] = "persisting"
                    row["note"] = (f"not in the ledger of {y}, but its value {rust_number(after.value)} "
                                   f"({after.source}) still misses the standard {rust_number(s)}")
                else:
                    row["status"] = "resolved"
                    row["closed"] = s is None or met is True
                    if s is None:
                        evidence = ""
                    elif met is True:
                        evidence = f", meets the standard {rust_number(s)}"
                    else:
                        evidence = (f", not judged against the standard {rust_number(s)}: not closed without "
                                    f"that evidence")
                    row["note"] = (f"not in the ledger of {y}; value {rust_number(after.value)} in {y} "
                                   f"({after.source}){evidence}")
            first_year.setdefault(key, y)
            rows.append(row)

    # Counts per unit, level and year.
    summary = []
    ever: set = set()
    closed: set = set()
    for k, ledger in enumerate(ledgers):
        y = ledger.year
        if k > 0:
            ever |= set(ledgers[k - 1].problems)
        now = [r for r in rows if r["year"] == y]
        closed |= {r["key"] for r in now if r["closed"]}
        closed -= set(ledger.problems)
        groups: dict = {}

        def group(key):
            return groups.setdefault((key[0], key[1]), dict.fromkeys(
                ["carried_over", "resolved", "persisting", "new", "recurring", "not_assessed", "listed", "closed"], 0))

        for r in now:
            g = group(r["key"])
            g[r["status"]] += 1
            if r["status"] in ("resolved", "persisting", "not_assessed"):
                g["carried_over"] += 1
        for key in ever:
            g = group(key)
            g["listed"] += 1
            g["closed"] += key in closed
        for (unit, level) in sorted(groups):
            g = groups[(unit, level)]
            summary.append(dict(unit=unit, level=level, year=y, **{c: g[c] for c in SUMMARY_COLUMNS[3:9]},
                                rectification_rate=g["resolved"] / g["carried_over"] if g["carried_over"] else None,
                                closure_rate=g["closed"] / g["listed"] if g["listed"] else None,
                                listed=g["listed"], closed=g["closed"]))
    return rows, summary


# --------------------------------------------------------------------------- output

def text(x) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float):
        return repr(x)
    return str(x)


def write(rows: list, summary: list, out: str) -> None:
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "recheck.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(RECHECK_COLUMNS)
        for r in rows:
            unit, level, obj, indicator = r["key"]
            w.writerow([text(x) for x in (unit, level, obj, indicator, r["first_year"], r["year"], r["status"],
                                          r["value_before"], r["value_after"], r["standard"], r["severity_before"],
                                          r["severity_after"], r["tasks"], r["note"], r["change"], r["previous_year"],
                                          r["closed"])])
    with open(os.path.join(out, "recheck_summary.csv"), "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(SUMMARY_COLUMNS)
        for s in summary:
            w.writerow([text(s[c]) for c in SUMMARY_COLUMNS])


def compare(a_path: str, b_path: str, rel: float = 1e-9) -> list[str]:
    """Cell by cell in file order: numbers to `rel` relative, text exactly, empty = empty."""
    a = pd.read_csv(a_path, dtype=str, keep_default_na=False)
    b = pd.read_csv(b_path, dtype=str, keep_default_na=False)
    diffs = []
    if list(a.columns) != list(b.columns):
        diffs.append(f"columns differ: {list(a.columns)} vs {list(b.columns)}")
    if len(a) != len(b):
        diffs.append(f"row counts differ: {len(a)} vs {len(b)}")
    for k in range(min(len(a), len(b))):
        for c in [c for c in a.columns if c in b.columns]:
            x, y = a.at[k, c], b.at[k, c]
            if x == y:
                continue
            try:
                if math.isclose(float(x), float(y), rel_tol=rel, abs_tol=1e-300):
                    continue
            except ValueError:
                pass
            diffs.append(f"row {k + 2} column {c}: {x!r} vs {y!r}")
    return diffs


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ledger", action="append", default=[], help="FILE or YEAR=FILE; repeat per year")
    ap.add_argument("--values", action="append", default=[], help="long table of values (attainment.csv)")
    ap.add_argument("--data", help="the long data of a run (its values, after the groups' denominators)")
    ap.add_argument("--unit-column", default="unit")
    ap.add_argument("--groups", help="GROUPS.json: the scored indicators and their denominators")
    ap.add_argument("--catalog", help="catalogue TOML: unknown indicators, tasks, standards")
    ap.add_argument("--tasks", help="task file TOML")
    ap.add_argument("--level", default="city")
    ap.add_argument("--out")
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"))
    a = ap.parse_args(argv)
    if a.compare:
        diffs = compare(*a.compare)
        print("all cells agree" if not diffs else "\n".join(diffs))
        sys.exit(1 if diffs else 0)
    if not a.ledger or not a.out:
        ap.error("--ledger (at least one) and --out are required (or --compare)")
    ledgers = [ledger for spec in a.ledger for ledger in read_ledgers(spec, a.level)]
    catalog = read_catalog(a.catalog) if a.catalog else None
    entries = catalog[2] if catalog else {}
    tasks = []
    if a.tasks:
        with open(a.tasks, "rb") as fh:
            tasks = tomllib.load(fh)["tasks"]
    obs: dict = {}
    for path in a.values:
        for key, o in values_from_table(path, a.level).items():
            obs.setdefault(key, o)
    if a.data:
        if not a.groups:
            ap.error("--data needs --groups")
        years = {ledger.year for ledger in ledgers}
        for key, o in values_from_data(a.data, a.unit_column, a.groups, entries, a.level, years).items():
            obs.setdefault(key, o)
    rows, summary = recheck(ledgers, obs, catalog, tasks)
    write(rows, summary, a.out)
    print(f"recheck rows: {len(rows)}  summary rows: {len(summary)}")


if __name__ == "__main__":
    main()
