#!/usr/bin/env python3
"""Independent DuckDB implementation of the check-up indicators computed from object records.

DEV-ONLY. Not part of the citycheck library, its Python bindings or any package; DuckDB is a
development tool here, never a dependency of citycheck. It is the SQL speed peer of citycheck's
indicator stage (src/compute) and a second, independent check of compute_pandas.py. Written the
way a DuckDB user would: the files are queried in place, one GROUP BY per table at its finest
level, then GROUPING SETS for the four levels and UNPIVOT to the long form, all in SQL.

Setup (once, from the repository root; .venv-peer/ is git-ignored):
    python3 -m venv .venv-peer && .venv-peer/bin/pip install numpy pandas pyarrow duckdb

Run:
    .venv-peer/bin/python scripts/peers/compute_duckdb.py --data DIR --out INDICATORS.csv \
        [--threads 2] [--check-against OTHER.csv]

Input and output are those of compute_pandas.py (its docstring and datasets/README.md,
"Synthetic province (records)", define every indicator): the same columns, rows and order.
--check-against compares the result with another output (e.g. compute_pandas.py's) row by row:
the same (level, unit, year, indicator) rows, every number equal to 1e-9 relative, empty where
the other is empty; it exits with status 1 and lists the first differences otherwise.

Prints the seconds spent on the finest-level aggregation (which includes reading the files),
on the roll-up, reshaping, sorting and writing, the total wall time, DuckDB's thread count and
the peak resident set size of the process (getrusage ru_maxrss; DuckDB runs in-process).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import duckdb

LEVELS = ("compound", "block", "district", "city")  # output order, finest first
RELATIVE_TOLERANCE = 1e-9

# indicator -> (kind, inputs); kinds: true_count, false_count, sum, shortfall, coverage, ratio, condition (SQL).
BUILDING_INDICATORS = {
    "structural_hazard_dwellings": ("true_count", ("structural_hazard",)),
    "gas_hazard_dwellings": ("true_count", ("gas_hazard",)),
    "stairwell_hazard_dwellings": ("true_count", ("stairwell_hazard",)),
    "envelope_hazard_dwellings": ("true_count", ("envelope_hazard",)),
    "damaged_pipe_dwellings": ("true_count", ("pipe_damage",)),
    "age_friendly_retrofit_dwellings": ("true_count", ("needs_age_friendly",)),
    "water_quality_dwellings": ("true_count", ("water_quality_fail",)),
    "energy_retrofit_dwellings": ("true_count", ("needs_energy_retrofit",)),
    "digital_retrofit_dwellings": ("true_count", ("needs_digital_retrofit",)),
    "non_self_contained_dwellings": ("sum", ("non_self_contained",)),
}
COMPOUND_INDICATORS = {
    "compounds_without_elderly_care": ("false_count", ("has_elderly_care",)),
    "compounds_without_infant_care": ("false_count", ("has_infant_care",)),
    "compounds_without_kindergarten": ("false_count", ("has_kindergarten",)),
    "compounds_without_ebike_charging": ("false_count", ("has_ebike_charging",)),
    "compounds_without_activity_space": ("false_count", ("has_activity_space",)),
    "compounds_without_waste_sorting": ("false_count", ("waste_sorting",)),
    "compounds_without_property_management": ("false_count", ("property_management",)),
    "primary_school_place_gap": ("shortfall", ("primary_places_required", "primary_places_provided")),
    "parking_space_gap": ("shortfall", ("parking_required", "parking_provided")),
    "ev_charger_gap": ("shortfall", ("ev_chargers_required", "ev_chargers_provided")),
    "substandard_footpath_length": ("sum", ("substandard_footpath_km",)),
    "middle_school_coverage": ("coverage", ("residents", "middle_school_distance_m", 1000.0)),
    "park_activity_space_coverage": ("coverage", ("residents", "park_distance_m", 500.0)),
    # Facility norms with the catalogue's default [parameters] (mohurd-2023), as SQL conditions
    # (three-valued logic); the first input is read as a boolean.
    "compounds_below_elderly_care_norm": (
        "condition",
        (
            "is_new",
            "(is_new AND elderly_care_area_m2 * 100.0 / nullif(households, 0) < 20.0)"
            " OR (NOT is_new AND elderly_care_area_m2 * 100.0 / nullif(households, 0) < 15.0)",
        ),
    ),
    "compounds_below_service_complex_norm": (
        "condition",
        (None, "service_complex_area_m2 < 600.0 OR service_complex_functions < 3"),
    ),
}
BLOCK_INDICATORS = {
    "roads_with_disorderly_parking": ("sum", ("roads_disorderly_parking",)),
    "missing_sports_grounds": ("false_count", ("has_sports_ground",)),
    "missing_cultural_centres": ("false_count", ("has_culture_centre",)),
}
DISTRICT_INDICATORS = {
    "road_network_density": ("ratio", ("road_length_km", "area_km2", 1.0)),
    "park_green_per_capita": ("ratio", ("park_green_area_m2", "population", 1.0)),
    "green_building_share": ("ratio", ("green_new_building_area_m2", "new_building_area_m2", 100.0)),
}
# table -> (its id columns, coarse to fine; its indicators; the levels it is reported at)
TABLES = {
    "buildings": (("city_id", "district_id", "block_id", "compound_id"), BUILDING_INDICATORS, LEVELS),
    "compounds": (("city_id", "district_id", "block_id", "compound_id"), COMPOUND_INDICATORS, LEVELS),
    "blocks": (("city_id", "district_id", "block_id"), BLOCK_INDICATORS, LEVELS[1:]),
    "districts": (("city_id", "district_id"), DISTRICT_INDICATORS, LEVELS[2:]),
}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def source(folder: Path, name: str) -> str:
    """A table function reading <name>.parquet, <name>.csv or the part files of <name>/."""
    files: list[Path] = []
    for ext in ("parquet", "csv"):
        if (folder / f"{name}.{ext}").is_file():
            files = [folder / f"{name}.{ext}"]
            break
    else:
        if (folder / name).is_dir():
            files = sorted((folder / name).glob("*.parquet")) or sorted((folder / name).glob("*.csv"))
    if not files:
        raise SystemExit(f"{folder}: no {name}.parquet, {name}.csv or {name}/ with part files")
    paths = "[" + ", ".join(lit(str(f)) for f in files) + "]"
    if files[0].suffix == ".parquet":
        return f"read_parquet({paths})"
    ids, indicators, _ = TABLES[name]
    flags = {c for kind, spec in indicators.values() if kind.endswith("_count") for c in spec}
    flags |= {spec[0] for kind, spec in indicators.values() if kind == "condition" and spec[0]}
    types = ", ".join(f"{lit(c)}: 'VARCHAR'" for c in ids) + "".join(f", {lit(c)}: 'BOOLEAN'" for c in sorted(flags))
    return f"read_csv({paths}, header = true, types = {{{types}}})"


def finest_aggregates(indicators: dict) -> list[str]:
    """Per indicator: numerator, denominator (if any) and unknown, summed over the objects of a group."""
    out = []
    for ind, (kind, spec) in indicators.items():
        num, den, unk = (q(f"{ind}|{part}") for part in ("num", "den", "unk"))
        if kind in ("true_count", "false_count"):
            flag = q(spec[0])
            hit = flag if kind == "true_count" else f"NOT {flag}"
            out += [
                f"coalesce(count_if({hit}), 0) AS {num}",
                f"count({flag}) AS {den}",
                f"count(*) - count({flag}) AS {unk}",
            ]
            continue
        if kind == "condition":
            cond = f"({spec[1]})"
            out += [
                f"coalesce(count_if({cond}), 0) AS {num}",
                f"count({cond}) AS {den}",
                f"count(*) - count({cond}) AS {unk}",
            ]
            continue
        if kind == "sum":
            known = f"{q(spec[0])} IS NOT NULL"
            out.append(f"coalesce(sum({q(spec[0])}), 0)::DOUBLE AS {num}")
        elif kind == "shortfall":
            required, provided = map(q, spec)
            known = f"{required} IS NOT NULL AND {provided} IS NOT NULL"
            # greatest() skips NULLs in DuckDB, hence the explicit filter.
            out.append(f"coalesce(sum(greatest({required} - {provided}, 0)) FILTER ({known}), 0)::DOUBLE AS {num}")
        elif kind == "coverage":
            weight, distance, radius = q(spec[0]), q(spec[1]), spec[2]
            known = f"{weight} IS NOT NULL AND {distance} IS NOT NULL"
            out.append(f"coalesce(sum({weight}) FILTER ({known} AND {distance} <= {radius!r}), 0)::DOUBLE AS {num}")
            out.append(f"coalesce(sum({weight}) FILTER ({known}), 0)::DOUBLE AS {den}")
        elif kind == "ratio":
            a, b = q(spec[0]), q(spec[1])
            known = f"{a} IS NOT NULL AND {b} IS NOT NULL"
            out.append(f"coalesce(sum({a}) FILTER ({known}), 0)::DOUBLE AS {num}")
            out.append(f"coalesce(sum({b}) FILTER ({known}), 0)::DOUBLE AS {den}")
        else:
            raise AssertionError(kind)
        out.append(f"count(*) - count_if({known}) AS {unk}")
    return out


def level_query(name: str) -> str:
    """The finest sums of `name` rolled up to its levels (GROUPING SETS), then UNPIVOTed to long rows."""
    _, indicators, levels = TABLES[name]
    id_of = {level: f"{level}_id" for level in levels}
    level_case = " ".join(f"WHEN grouping({q(i)}) = 0 THEN {lit(lv)}" for lv, i in id_of.items())
    rank_case = " ".join(f"WHEN grouping({q(i)}) = 0 THEN {LEVELS.index(lv)}" for lv, i in id_of.items())
    unit_case = " ".join(f"WHEN grouping({q(i)}) = 0 THEN {q(i)}" for i in id_of.values())
    cols, unpivot = [], []
    for ind, (kind, spec) in indicators.items():
        num, den, unk = (f"sum({q(f'{ind}|{part}')})" for part in ("num", "den", "unk"))
        if kind in ("coverage", "ratio"):
            scale = 100.0 if kind == "coverage" else spec[2]
            value = f"CASE WHEN {den} > 0 THEN {scale!r} * {num} / {den} END"
        else:
            value = num
        denominator = den if kind in ("true_count", "false_count", "condition", "coverage", "ratio") else "NULL"
        names = [q(f"{ind}|{part}") for part in ("value", "numerator", "denominator", "unknown")]
        cols += [
            f"({value})::DOUBLE AS {names[0]}",
            f"({num})::DOUBLE AS {names[1]}",
            f"({denominator})::DOUBLE AS {names[2]}",
            f"({unk})::BIGINT AS {names[3]}",
        ]
        unpivot.append(f"({', '.join(names)}) AS {q(ind)}")
    grouping_sets = ", ".join(f"(year, {q(i)})" for i in id_of.values())
    # INCLUDE NULLS keeps the rows whose denominator is empty (sums and shortfalls).
    return f"""
        SELECT * FROM (
            SELECT CASE {level_case} END AS level, CASE {rank_case} END AS level_rank,
                   CASE {unit_case} END AS unit, year, {", ".join(cols)}
            FROM {name}_finest
            GROUP BY GROUPING SETS ({grouping_sets})
        )
        UNPIVOT INCLUDE NULLS ((value, numerator, denominator, unknown) FOR indicator IN ({", ".join(unpivot)}))
    """


def compute(con: duckdb.DuckDBPyConnection, data: Path, out: Path) -> tuple[int, float, float]:
    """Writes the indicators to `out`; returns the rows written and the seconds of the two phases."""
    t0 = time.perf_counter()
    for name, (ids, indicators, _) in TABLES.items():
        keys = ", ".join(["year", *map(q, ids)])
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name}_finest AS "
            f"SELECT {keys}, {', '.join(finest_aggregates(indicators))} "
            f"FROM {source(data, name)} GROUP BY {keys}"
        )
    t1 = time.perf_counter()
    union = " UNION ALL ".join(f"SELECT * FROM ({level_query(name)})" for name in TABLES)
    rows = con.execute(
        f"COPY (SELECT unit, level, year, indicator, value, numerator, denominator, unknown "
        f"FROM ({union}) ORDER BY level_rank, unit, year, indicator) "
        f"TO {lit(str(out))} (FORMAT csv, HEADER true)"
    ).fetchone()[0]
    return rows, t1 - t0, time.perf_counter() - t1


def check_against(con: duckdb.DuckDBPyConnection, ours: Path, theirs: Path) -> int:
    """Number of differing rows between two outputs (printing the first ten)."""
    same = []
    for c in ("value", "numerator", "denominator", "unknown"):
        a, b = f"a.{c}::DOUBLE", f"b.{c}::DOUBLE"
        same.append(
            f"({a} IS NOT DISTINCT FROM {b} OR "
            f"coalesce(abs({a} - {b}) <= {RELATIVE_TOLERANCE!r} * greatest(abs({a}), abs({b})), false))"
        )
    diff = con.execute(
        f"""
        SELECT coalesce(a.level, b.level) AS level, coalesce(a.unit, b.unit) AS unit,
               coalesce(a.year, b.year) AS year, coalesce(a.indicator, b.indicator) AS indicator,
               a.value AS ours, b.value AS theirs, a.unit IS NULL AS only_theirs, b.unit IS NULL AS only_ours
        FROM read_csv({lit(str(ours))}, header = true) a
        FULL JOIN read_csv({lit(str(theirs))}, header = true) b
          ON a.level = b.level AND a.unit = b.unit AND a.year = b.year AND a.indicator = b.indicator
        WHERE a.unit IS NULL OR b.unit IS NULL OR NOT ({" AND ".join(same)})
        ORDER BY 1, 2, 3, 4
        """
    ).fetchall()
    for row in diff[:10]:
        print("differs:", row)
    return len(diff)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, type=Path, help="folder written by scripts/gen_province.py")
    ap.add_argument("--out", required=True, type=Path, help="output CSV")
    ap.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    ap.add_argument("--check-against", type=Path, help="another output to compare with (1e-9 relative)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads = {int(args.threads)}")
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    rows, aggregate_s, rollup_write_s = compute(con, args.data, args.out)
    wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows: {rows}")
    print(f"duckdb_version: {duckdb.__version__}")
    print(f"threads: {threads}")
    print(f"aggregate_seconds: {aggregate_s:.2f}")
    print(f"rollup_write_seconds: {rollup_write_s:.2f}")
    print(f"wall_seconds: {wall:.2f}")
    print(f"peak_rss_mb: {peak_mb:.0f}")
    if args.check_against:
        n = check_against(con, args.out, args.check_against)
        print(f"check_against {args.check_against}: {'agrees' if n == 0 else f'{n} rows differ'}")
        return 1 if n else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
