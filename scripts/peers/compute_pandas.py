#!/usr/bin/env python3
"""Independent pandas implementation of the check-up indicators computed from object records.

DEV-ONLY. Not part of the citycheck library, its Python bindings or any package. It exists
(a) as the pandas speed peer of citycheck's indicator stage (src/compute) in benchmarks and
(b) as an independent source of its expected values (tests/reference/province_sample_expected.csv).
Written the way a pandas user would: read Parquet through pyarrow with the ids as categoricals,
one groupby at the finest level of each table, then roll-ups of those sums.

Setup (once, from the repository root; .venv-peer/ is git-ignored):
    python3 -m venv .venv-peer && .venv-peer/bin/pip install numpy pandas pyarrow

Run:
    .venv-peer/bin/python scripts/peers/compute_pandas.py --data DIR --out INDICATORS.csv

Input: DIR as written by scripts/gen_province.py: buildings, compounds, blocks and districts,
each as <table>.parquet, <table>.csv or a folder <table>/ of part files (*.parquet or *.csv).

Output: INDICATORS.csv with columns unit, level, year, indicator, value, numerator, denominator,
unknown; rows sorted by level (compound, block, district, city: finest first), unit, year,
indicator. Floats are written in shortest round-trip form; an empty field is no value.

What is computed (datasets/README.md, "Synthetic province (records)", states it in full).
Every value comes from sums over the objects under the unit, never from means of ratios:
    count     objects whose flag is true (building hazards) or false (a missing facility);
              numerator = value = that count, denominator = objects whose flag is known
    sum       Σ x; numerator = value, denominator empty
    shortfall Σ max(0, required - provided); numerator = value, denominator empty
    coverage  100 · Σ residents[distance <= radius] / Σ residents
    ratio     scale · Σ a / Σ b (scale 100 for green_building_share)
An object with a missing input of an indicator is left out of its sums and counted in
`unknown` (never as "no problem"); a coverage or ratio whose denominator is 0 has no value.
Levels: building and compound indicators at compound, block, district and city; block
indicators at block, district and city; district indicators at district and city. The first
grouping is by year and every id column of the table; each coarser level groups those sums by
(year, its id).

Prints the seconds spent reading, computing (including the sort) and writing, the total wall
time and the peak resident set size (getrusage ru_maxrss).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

LEVELS = ("compound", "block", "district", "city")  # output order, finest first
ID_OF = {level: f"{level}_id" for level in LEVELS}

# indicator -> (kind, inputs); kinds: true_count, false_count, sum, shortfall, coverage, ratio,
# elderly_norm, complex_norm.
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
    # Facility norms with the catalogue's default [parameters] (mohurd-2023): m² of elderly-care
    # space per 100 households, new / existing compounds; service complex floor area and functions.
    "compounds_below_elderly_care_norm": ("elderly_norm", ("is_new", "elderly_care_area_m2", "households", 20.0, 15.0)),
    "compounds_below_service_complex_norm": (
        "complex_norm",
        ("service_complex_area_m2", "service_complex_functions", 600.0, 3.0),
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
WITH_DENOMINATOR = {"true_count", "false_count", "coverage", "ratio", "elderly_norm", "complex_norm"}
# Categoricals whose category order is the output order (levels finest first, indicators by id).
LEVEL_TYPE = pd.CategoricalDtype(LEVELS, ordered=True)
INDICATOR_TYPE = pd.CategoricalDtype(sorted(i for _, inds, _ in TABLES.values() for i in inds), ordered=True)


# --------------------------------------------------------------------------- input


def table_files(folder: Path, name: str) -> list[Path]:
    for ext in ("parquet", "csv"):
        if (folder / f"{name}.{ext}").is_file():
            return [folder / f"{name}.{ext}"]
    if (folder / name).is_dir():
        parts = sorted((folder / name).glob("*.parquet")) or sorted((folder / name).glob("*.csv"))
        if parts:
            return parts
    raise SystemExit(f"{folder}: no {name}.parquet, {name}.csv or {name}/ with part files")


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """The columns the indicators need; ids as categoricals, flags as nullable booleans."""
    ids, indicators, _ = TABLES[name]
    inputs = [c for _, spec in indicators.values() for c in spec if isinstance(c, str)]
    columns = ["year", *ids, *dict.fromkeys(inputs)]
    files = table_files(folder, name)
    if files[0].suffix == ".parquet":
        table = pq.read_table(files if len(files) > 1 else files[0], columns=columns, read_dictionary=list(ids))
        return table.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
    flags = {c for kind, spec in indicators.values() if kind.endswith("_count") for c in spec}
    flags |= {spec[0] for kind, spec in indicators.values() if kind == "elderly_norm"}
    dtype = {c: "boolean" for c in flags} | {c: "str" for c in ids}
    frames = [pd.read_csv(f, usecols=columns, dtype=dtype) for f in files]
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return df.astype({c: "category" for c in ids})


# --------------------------------------------------------------------------- compute


def below(x: pd.Series, bound: float) -> pd.Series:
    """x < bound as a nullable boolean: missing where x is missing."""
    return pd.Series(x < bound, dtype="boolean").mask(x.isna())


def norm_condition(df: pd.DataFrame, kind: str, spec: tuple) -> pd.Series:
    """Whether a compound misses a facility norm, in three-valued (Kleene) logic: missing only when
    the missing input decides it (pandas' nullable booleans: NA | True is True, NA & False is False)."""
    if kind == "elderly_norm":
        new_col, area, households, norm_new, norm_existing = spec
        is_new = df[new_col].astype("boolean")
        hh = df[households].astype("float64")
        per_100 = (df[area].astype("float64") * 100.0 / hh).where(hh != 0)  # / 0: unknown
        return (is_new & below(per_100, norm_new)) | (~is_new & below(per_100, norm_existing))
    area, functions, min_area, min_functions = spec
    return below(df[area].astype("float64"), min_area) | below(df[functions].astype("float64"), min_functions)


def contributions(df: pd.DataFrame, indicators: dict) -> pd.DataFrame:
    """Per object and indicator: what it adds to the numerator, the denominator and `unknown`."""
    out = {}
    for ind, (kind, spec) in indicators.items():
        if kind in ("true_count", "false_count"):
            flag = df[spec[0]]
            known = flag.notna().to_numpy()
            hit = (flag if kind == "true_count" else ~flag).fillna(False).to_numpy(dtype=bool)
            out[f"{ind}|num"] = hit.astype(np.int8)
            out[f"{ind}|den"] = known.astype(np.int8)
        elif kind in ("elderly_norm", "complex_norm"):
            cond = norm_condition(df, kind, spec)
            known = cond.notna().to_numpy()
            out[f"{ind}|num"] = cond.fillna(False).to_numpy(dtype=bool).astype(np.int8)
            out[f"{ind}|den"] = known.astype(np.int8)
        elif kind == "sum":
            x = df[spec[0]].astype("float64")
            known = x.notna().to_numpy()
            out[f"{ind}|num"] = x.fillna(0.0).to_numpy()
        elif kind == "shortfall":
            gap = (df[spec[0]].astype("float64") - df[spec[1]].astype("float64")).clip(lower=0.0)
            known = gap.notna().to_numpy()
            out[f"{ind}|num"] = gap.fillna(0.0).to_numpy()
        elif kind == "coverage":
            weight, distance, radius = spec
            w, d = df[weight].astype("float64"), df[distance].astype("float64")
            known = (w.notna() & d.notna()).to_numpy()
            w = w.where(known, 0.0)
            out[f"{ind}|num"] = w.where(d <= radius, 0.0).to_numpy()
            out[f"{ind}|den"] = w.to_numpy()
        elif kind == "ratio":
            a, b = df[spec[0]].astype("float64"), df[spec[1]].astype("float64")
            known = (a.notna() & b.notna()).to_numpy()
            out[f"{ind}|num"] = a.where(known, 0.0).to_numpy()
            out[f"{ind}|den"] = b.where(known, 0.0).to_numpy()
        else:
            raise AssertionError(kind)
        out[f"{ind}|unk"] = (~known).astype(np.int8)
    return pd.DataFrame(out, index=df.index)


def to_long(sums: pd.DataFrame, id_col: str, level: str, indicators: dict) -> pd.DataFrame:
    """Long rows of one level from its summed numerators, denominators and unknown counts."""
    parts = []
    for ind, (kind, spec) in indicators.items():
        num = sums[f"{ind}|num"].astype("float64")
        den = sums[f"{ind}|den"].astype("float64") if kind in WITH_DENOMINATOR else pd.Series(np.nan, index=sums.index)
        if kind in ("coverage", "ratio"):
            scale = 100.0 if kind == "coverage" else spec[2]
            value = (scale * num / den).where(den > 0)
        else:
            value = num
        parts.append(
            pd.DataFrame(
                {
                    "unit": sums[id_col].astype(str),
                    "level": pd.Categorical.from_codes(np.full(len(sums), LEVELS.index(level)), dtype=LEVEL_TYPE),
                    "year": sums["year"],
                    "indicator": pd.Categorical.from_codes(
                        np.full(len(sums), INDICATOR_TYPE.categories.get_loc(ind)), dtype=INDICATOR_TYPE
                    ),
                    "value": value,
                    "numerator": num,
                    "denominator": den,
                    "unknown": sums[f"{ind}|unk"].astype("int64"),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def compute(data: Path) -> tuple[pd.DataFrame, float]:
    """All indicators at all levels; also returns the seconds spent reading."""
    read_s, parts = 0.0, []
    for name, (ids, indicators, levels) in TABLES.items():
        t0 = time.perf_counter()
        df = read_table(data, name)
        read_s += time.perf_counter() - t0
        keys = ["year", *ids]
        contrib = contributions(df, indicators)
        contrib[keys] = df[keys]
        del df
        finest = contrib.groupby(keys, observed=True, sort=False).sum().reset_index()
        del contrib
        for level in levels:
            id_col = ID_OF[level]
            sums = (
                finest.drop(columns=[c for c in ids if c != id_col])
                .groupby(["year", id_col], observed=True, sort=False)
                .sum()
                .reset_index()
            )
            parts.append(to_long(sums, id_col, level, indicators))
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["level", "unit", "year", "indicator"], ignore_index=True)
    return out, read_s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, type=Path, help="folder written by scripts/gen_province.py")
    ap.add_argument("--out", required=True, type=Path, help="output CSV")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    out, read_s = compute(args.data)
    t1 = time.perf_counter()
    out.to_csv(args.out, index=False, lineterminator="\n")
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows: {len(out)}")
    print(f"read_seconds: {read_s:.2f}")
    print(f"compute_seconds: {t1 - t0 - read_s:.2f}")
    print(f"write_seconds: {t2 - t1:.2f}")
    print(f"wall_seconds: {t2 - t0:.2f}")
    print(f"peak_rss_mb: {peak_mb:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
