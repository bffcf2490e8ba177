#!/usr/bin/env python3
"""Synthetic province of city check-up (城市体检) object records: buildings, compounds, blocks, districts.

DEV-ONLY. Not part of the citycheck library or any package. It makes the records the indicator
stage (src/compute) reads, for tests (datasets/province_sample/) and benchmarks (10 million buildings),
with the same generator for both.

Setup (once, from the repository root; .venv-peer/ is git-ignored):
    python3 -m venv .venv-peer && .venv-peer/bin/pip install numpy pandas pyarrow

Run:
    .venv-peer/bin/python scripts/gen_province.py --out DIR [--buildings N] [--seed S]
        [--year Y | --years Y1,Y2,...] [--format parquet|csv] [--split-by district] [--defects]

Output (DIR/<table>.<parquet|csv>; with --split-by district, buildings go to
DIR/buildings/part-<district_id>.<ext>, one file per district holding all years). Every table
has one row per object and check-up year; rows are ordered by year, then id.
    buildings  year, city_id, district_id, block_id, compound_id, building_id, construction_year,
               floors, dwellings, residents, structural_hazard, gas_hazard, stairwell_hazard,
               envelope_hazard, pipe_damage, needs_age_friendly, water_quality_fail,
               needs_energy_retrofit, needs_digital_retrofit, non_self_contained, gas_pipe_age
    compounds  year, city_id, district_id, block_id, compound_id, households, residents,
               has_elderly_care, has_infant_care, has_kindergarten, has_ebike_charging,
               has_activity_space, waste_sorting, property_management, primary_places_required,
               primary_places_provided, parking_required, parking_provided, ev_chargers_required,
               ev_chargers_provided, substandard_footpath_km, middle_school_distance_m, park_distance_m,
               is_new, elderly_care_area_m2, service_complex_area_m2, service_complex_functions
    blocks     year, city_id, district_id, block_id, roads, roads_disorderly_parking,
               has_sports_ground, has_culture_centre
    districts  year, city_id, district_id, population, area_km2, road_length_km, park_green_area_m2,
               new_building_area_m2, green_new_building_area_m2
CSV: UTF-8, comma, header, booleans true/false, a missing value is an empty field, floats in
shortest round-trip form (so CSV and Parquet hold the same doubles).

Model (datasets/README.md, section "Synthetic province (records)", gives the resulting ranges)
    Structure. max(2, min(14, N // 300000)) cities, lognormal sizes (C01, the capital, largest);
    3-10 districts per city (fewer when a city has few blocks; D01 is the old core, the last
    district the newest); blocks of 5-30 compounds; compounds of 1-60 buildings (lognormal,
    median 9); exactly N buildings. Ids are hierarchical: C01, C01-D02, C01-D02-B003,
    C01-D02-B003-R0012, C01-D02-B003-R0012-0007 (block numbers get a fourth digit in a city where
    some district has more than 999 blocks: C01, C03 and C07 at 10 million buildings).
    Age. Each district has a mean construction year (about 1976 in the core to 2008 at the edge),
    each block and compound scatters around it, buildings mostly share their compound's year;
    construction_year is in 1950-2024. Floors, dwellings per floor and occupancy follow the era
    (walk-ups before 1980, high-rises after 2000).
    Hazards. Each building flag is true when a fixed uniform draw of the building is below
    expit(a + b * driver + compound effect - 0.10 * (year - 2024)): the driver is the age in
    decades (gas: pipe age, with a step at 20 years), so prevalence rises with age, bad compounds
    are bad in every flag, and flags change slowly from year to year (ageing against renewal).
    About 0.5 % of every building flag and compound facility flag is missing (un-surveyed), drawn
    afresh each year.
    Years. The objects (ids, sizes, construction years, latent draws) depend only on the seed and
    the city; what changes with the year is drawn from a stream seeded by (seed, city, year), so a
    year's records are the same whichever other years are generated with it. The objects are the
    2024 stock: a check-up year before 2024 still lists the buildings built after it.
    Realism of the coarse numbers: road density 4-9.5 km/km², park green 8-16 m²/person, green
    share of new buildings 40-100 %, population density 5,000-28,000 per km². At 10 million
    buildings the province is a stress test (about 1.1 billion residents), not a real province.
--defects (CSV only) also writes DIR/defects/: the 2025 (or last) year of the first two
districts of C01 with three deliberate errors; datasets/province_sample/PROVENANCE.md lists them.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

BASE_YEAR = 2024  # the year the trends are centred on
BUILT_RANGE = (1950, 2024)
MISSING_SHARE = 0.005  # share of each survey flag left un-surveyed, per year

# Building flags: (column, intercept a, slope b per unit of driver, driver).
BUILDING_FLAGS = (
    ("structural_hazard", -5.0, 0.55, "age"),
    ("gas_hazard", -4.6, 0.90, "pipe"),
    ("stairwell_hazard", -3.5, 0.50, "age"),
    ("envelope_hazard", -4.0, 0.55, "age"),
    ("pipe_damage", -3.8, 0.55, "age"),
    ("needs_age_friendly", -3.4, 0.30, "age"),
    ("water_quality_fail", -5.0, 0.35, "age"),
    ("needs_energy_retrofit", -3.9, 0.20, "age"),
    ("needs_digital_retrofit", -2.4, 0.40, "age"),
)

# Compound facility flags: (column, intercept, per ln(households / 400), per year of age over 20, per check-up year).
COMPOUND_FLAGS = (
    ("has_elderly_care", -0.4, 0.7, -0.03, 0.25),
    ("has_infant_care", -1.6, 0.6, -0.02, 0.30),
    ("has_kindergarten", -0.9, 1.0, -0.02, 0.10),
    ("has_ebike_charging", 0.2, 0.3, -0.03, 0.50),
    ("has_activity_space", 0.6, 0.5, -0.04, 0.20),
    ("waste_sorting", 1.2, 0.2, 0.00, 0.40),
    ("property_management", 2.2, 0.5, -0.07, 0.15),
)

# Floors by construction era: (first year of era, floor values, probabilities).
FLOORS_BY_ERA = (
    (0, (3, 4, 5, 6, 7), (0.05, 0.15, 0.35, 0.40, 0.05)),
    (1980, (4, 5, 6, 7, 9, 11, 16, 18), (0.05, 0.20, 0.40, 0.13, 0.05, 0.07, 0.05, 0.05)),
    (2000, (5, 6, 7, 11, 12, 18, 24, 26, 30, 33), (0.05, 0.20, 0.05, 0.15, 0.05, 0.20, 0.10, 0.08, 0.07, 0.05)),
    (2010, (6, 11, 15, 18, 24, 26, 28, 32, 33, 34), (0.08, 0.12, 0.05, 0.20, 0.10, 0.15, 0.10, 0.07, 0.08, 0.05)),
)

ID = pa.string()
I32 = pa.int32()
F64 = pa.float64()
BOOL = pa.bool_()
KEYS = [("year", I32), ("city_id", ID), ("district_id", ID)]
SCHEMAS = {
    "buildings": pa.schema(
        KEYS
        + [
            ("block_id", ID),
            ("compound_id", ID),
            ("building_id", ID),
            ("construction_year", I32),
            ("floors", I32),
            ("dwellings", I32),
            ("residents", I32),
        ]
        + [(name, BOOL) for name, *_ in BUILDING_FLAGS]
        + [("non_self_contained", I32), ("gas_pipe_age", I32)]
    ),
    "compounds": pa.schema(
        KEYS
        + [("block_id", ID), ("compound_id", ID), ("households", I32), ("residents", I32)]
        + [(name, BOOL) for name, *_ in COMPOUND_FLAGS]
        + [
            (f"{what}_{side}", I32)
            for what in ("primary_places", "parking", "ev_chargers")
            for side in ("required", "provided")
        ]
        + [("substandard_footpath_km", F64), ("middle_school_distance_m", F64), ("park_distance_m", F64)]
        # Facility norms (added later, last, from a stream of their own: the columns above are unchanged).
        + [
            ("is_new", BOOL),
            ("elderly_care_area_m2", F64),
            ("service_complex_area_m2", F64),
            ("service_complex_functions", I32),
        ]
    ),
    "blocks": pa.schema(
        KEYS
        + [
            ("block_id", ID),
            ("roads", I32),
            ("roads_disorderly_parking", I32),
            ("has_sports_ground", BOOL),
            ("has_culture_centre", BOOL),
        ]
    ),
    "districts": pa.schema(
        KEYS
        + [
            ("population", pa.int64()),
            ("area_km2", F64),
            ("road_length_km", F64),
            ("park_green_area_m2", F64),
            ("new_building_area_m2", F64),
            ("green_new_building_area_m2", F64),
        ]
    ),
}


def expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# --------------------------------------------------------------------------- structure


def plan_cities(n_buildings: int, seed: int) -> np.ndarray:
    """Buildings per city (C01 first and largest); they add up to n_buildings."""
    rng = np.random.default_rng(seed)
    n_cities = min(max(2, min(14, n_buildings // 300_000)), n_buildings)
    weight = np.sort(rng.lognormal(0.0, 0.45, n_cities))[::-1]
    weight[0] *= 1.6  # the provincial capital
    counts = np.maximum(1, np.floor(weight / weight.sum() * n_buildings)).astype(np.int64)
    counts[0] += n_buildings - counts.sum()
    return counts


def sizes_adding_up_to(total: int, draw, mean: float) -> np.ndarray:
    """Draw sizes until they reach `total`; the last one is cut so that they add up exactly."""
    parts, reached = [], 0
    while reached < total:
        part = draw(int((total - reached) / mean * 1.1) + 16)
        parts.append(part)
        reached += int(part.sum())
    sizes = np.concatenate(parts)
    cum = np.cumsum(sizes)
    last = int(np.searchsorted(cum, total))
    sizes = sizes[: last + 1].copy()
    sizes[-1] -= cum[last] - total
    return sizes


def positions(parent_of: np.ndarray) -> np.ndarray:
    """1-based position of each child among its parent's children (children sorted by parent)."""
    first = np.searchsorted(parent_of, parent_of, side="left")
    return np.arange(len(parent_of)) - first + 1


def child_ids(parent_ids: pa.Array, parent_of: np.ndarray, tag: str, width: int) -> pa.Array:
    """Hierarchical ids: '<parent id>-<tag><position, zero-padded>'."""
    number = positions(parent_of)
    width = max(width, len(str(int(number.max()))))
    labels = pa.array([f"-{tag}{k:0{width}d}" for k in range(int(number.max()) + 1)])
    return pc.binary_join_element_wise(parent_ids.take(pa.array(parent_of)), labels.take(pa.array(number)), "")


@dataclass
class City:
    """The objects of one city: ids, parents, sizes and the latent draws that do not change with the year."""

    number: int
    city_id: str
    district_ids: pa.Array
    blocks: dict[str, np.ndarray]
    block_ids: pa.Array
    compounds: dict[str, np.ndarray]
    compound_ids: pa.Array
    buildings: dict[str, np.ndarray]
    building_ids: pa.Array
    district: dict[str, np.ndarray]


def make_city(seed: int, number: int, n_buildings: int) -> City:
    rng = np.random.default_rng([seed, number])

    # Hierarchy, finest first: building sizes of compounds, compound counts of blocks, block counts of districts.
    comp_size = sizes_adding_up_to(
        n_buildings, lambda k: np.clip(np.rint(rng.lognormal(np.log(9.0), 0.85, k)), 1, 60).astype(np.int64), 13.0
    )
    n_comp = len(comp_size)
    block_size = sizes_adding_up_to(n_comp, lambda k: 5 + rng.binomial(25, rng.beta(4.0, 6.0, k)), 15.0)
    if len(block_size) > 1 and block_size[-1] < 5:  # keep every block at 5-30 compounds
        both = block_size[-2] + block_size[-1]
        block_size = np.concatenate([block_size[:-2], [both] if both <= 30 else [both - both // 2, both // 2]])
    n_block = len(block_size)
    # 3-10 districts, more for big cities (about 600 blocks at most on average), fewer for tiny ones.
    n_dist = min(max(int(rng.integers(3, 11)), min(10, -(-n_block // 600))), max(1, n_block // 2))
    dist_size = 1 + rng.multinomial(n_block - n_dist, rng.dirichlet(np.full(n_dist, 4.0)))

    block_dist = np.repeat(np.arange(n_dist), dist_size)
    comp_block = np.repeat(np.arange(n_block), block_size)
    bldg_comp = np.repeat(np.arange(n_comp), comp_size)
    comp_start = np.concatenate([[0], np.cumsum(comp_size)[:-1]])

    city_id = f"C{number:02d}"
    district_ids = pa.array([f"{city_id}-D{d + 1:02d}" for d in range(n_dist)])
    block_ids = child_ids(district_ids, block_dist, "B", 3)
    compound_ids = child_ids(block_ids, comp_block, "R", 4)
    building_ids = child_ids(compound_ids, bldg_comp, "", 4)

    # Districts: 0 = old core, 1 = newest edge.
    outer = np.arange(n_dist) / (n_dist - 1) if n_dist > 1 else np.full(1, 0.5)
    district = {
        "outer": outer,
        "mean_built": 1976 + 32 * outer**0.9 + rng.normal(0, 3, n_dist),
        "effect": rng.normal(0, 0.3, n_dist),
        "pop_factor": rng.uniform(1.05, 1.35, n_dist),  # people outside the surveyed compounds
        "density": np.exp(np.log(22_000) - 1.3 * outer + rng.normal(0, 0.15, n_dist)),  # people per km²
        "road_density": np.clip(8.5 - 3.5 * outer + rng.normal(0, 0.4, n_dist), 4.0, 9.5),
        "park_per_capita": rng.uniform(8.0, 16.0, n_dist),
        "new_build_rate": (0.4 + 2.0 * outer) * rng.uniform(0.7, 1.3, n_dist),  # m² per person per year
        "green_share": rng.uniform(0.40, 0.92, n_dist),
    }

    b_outer = outer[block_dist]
    blocks = {
        "district": block_dist,
        "mean_built": district["mean_built"][block_dist] + rng.normal(0, 6, n_block),
        "roads": 3 + rng.poisson(0.9 * block_size),
        "disorder": rng.beta(2, 5, n_block) * (1.2 - 0.4 * b_outer),
        "u_sports": rng.random(n_block),
        "u_culture": rng.random(n_block),
        "school_base": rng.lognormal(np.log(650) + 0.35 * b_outer, 0.45),
        "park_base": rng.lognormal(np.log(380) + 0.30 * b_outer, 0.50),
        "outer": b_outer,
    }

    c_dist = block_dist[comp_block]
    built_c = np.clip(np.rint(blocks["mean_built"][comp_block] + rng.normal(0, 6, n_comp)), *BUILT_RANGE)
    compounds = {
        "block": comp_block,
        "district": c_dist,
        "start": comp_start,
        "size": comp_size,
        "built": built_c,
        "effect": rng.normal(0, 0.6, n_comp) + district["effect"][c_dist],
        "hh_size": rng.uniform(2.3, 2.9, n_comp),
        "u_flags": rng.random((len(COMPOUND_FLAGS), n_comp)),
        "school_ratio": rng.lognormal(-0.05 - 0.15 * blocks["outer"][comp_block], 0.2),
        "parking_ratio": np.where(built_c >= 2005, rng.uniform(0.85, 1.25, n_comp), rng.uniform(0.1, 0.7, n_comp)),
        "ev_share": rng.beta(2.0, 2.5, n_comp),
        "footpath_len": 0.15 * comp_size**0.7 * rng.uniform(0.7, 1.3, n_comp),
        "footpath_share": np.where(
            rng.random(n_comp) < np.where(BASE_YEAR - built_c < 15, 0.7, 0.25), 0.0, rng.beta(1.2, 4.0, n_comp)
        ),
        "school_dist": np.round(blocks["school_base"][comp_block] * rng.lognormal(0, 0.25, n_comp), 1),
        "park_dist": np.round(blocks["park_base"][comp_block] * rng.lognormal(0, 0.30, n_comp), 1),
    }

    # Buildings: most share their compound's year; some are a little older or newer, a few are infill.
    n = n_buildings
    shift = np.where(rng.random(n) < 0.8, 0, rng.integers(-2, 3, n))
    shift = np.where(rng.random(n) < 0.05, rng.integers(3, 26, n), shift)
    built = np.clip(built_c[bldg_comp] + shift, *BUILT_RANGE).astype(np.int32)
    floors = np.empty(n, dtype=np.int32)
    era = np.searchsorted([start for start, *_ in FLOORS_BY_ERA], built, side="right") - 1
    for k, (_, values, probs) in enumerate(FLOORS_BY_ERA):
        in_era = era == k
        floors[in_era] = rng.choice(values, size=int(in_era.sum()), p=probs)
    walkup = floors <= 7
    per_floor = np.where(
        walkup,
        rng.choice([2, 4, 6, 8], size=n, p=[0.10, 0.35, 0.35, 0.20]),
        rng.choice([2, 3, 4, 6, 8], size=n, p=[0.20, 0.20, 0.35, 0.15, 0.10]),
    )
    dwellings = (floors * per_floor).astype(np.int32)
    occupancy = np.where(built >= 2015, rng.beta(12, 4, n), rng.beta(18, 2, n))
    nsc_share = np.where(built < 1980, rng.beta(2, 2, n), 0.3)
    has_nsc = rng.random(n) < np.select([built < 1980, built < 1990], [0.4, 0.08], 0.0)
    non_self_contained = np.where(has_nsc, rng.binomial(dwellings, nsc_share), 0).astype(np.int32)
    # Piped gas reached old buildings in 1985-2005; some pipes were replaced in 2012-2024.
    gas_from = np.where(built < 1990, np.maximum(built, rng.integers(1985, 2006, n)), built)
    replaced = rng.random(n) < np.where(built < 2000, 0.35, 0.05)
    gas_from = np.where(replaced, np.maximum(gas_from, rng.integers(2012, 2025, n)), gas_from)
    buildings = {
        "compound": bldg_comp,
        "built": built,
        "floors": floors,
        "dwellings": dwellings,
        "walkup_multi": (floors >= 4) & walkup,
        "occupancy": occupancy,
        "non_self_contained": non_self_contained,
        "gas_from": gas_from,
        "u_flags": rng.random((len(BUILDING_FLAGS), n)),
    }
    return City(
        number, city_id, district_ids, blocks, block_ids, compounds, compound_ids, buildings, building_ids, district
    )


# --------------------------------------------------------------------------- one check-up year


def survey_flag(truth: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """A flag as surveyed: about MISSING_SHARE of the objects were not surveyed this year."""
    return pa.array(truth, mask=rng.random(len(truth)) < MISSING_SHARE)


NEW_COMPOUND_FROM = 2014  # a compound built in or after this year is "new" (synthetic choice, not a norm)
NORM_STREAM = 1_000_003  # tag of the facility-norm streams, apart from every other stream


def facility_norms(city: City, seed: int, year: int, households: np.ndarray, has_elderly: pa.Array) -> dict:
    """Compound columns of the facility-norm indicators, drawn from streams of their own.

    They were added after the other columns, so they never touch the generator's other streams:
    the latent draws come from a stream seeded by (seed, city, NORM_STREAM), the yearly ones from
    (seed, city, year, NORM_STREAM); every other column keeps its values.
        is_new                     construction year >= NEW_COMPOUND_FROM
        elderly_care_area_m2       0 where has_elderly_care is false, missing where it is missing;
                                   else households / 100 * (20 if new else 15) * a latent factor
                                   (lognormal, median 1.1; about 40 % below the norm), growing
                                   2 % per check-up year
        service_complex_area_m2    floor area of the embedded community service complex serving the
                                   compound: 0 for the 35-55 % without one (more in old districts),
                                   else lognormal (median 650 m²); about 0.5 % missing per year
        service_complex_functions  functions it houses (elderly care, child care, canteen, health,
                                   culture, ...): 0 without one, else 1-6
    """
    c = city.compounds
    n_c = len(c["built"])
    latent = np.random.default_rng([seed, city.number, NORM_STREAM])
    yearly = np.random.default_rng([seed, city.number, year, NORM_STREAM])
    t = year - BASE_YEAR
    is_new = c["built"] >= NEW_COMPOUND_FROM
    elderly_factor = latent.lognormal(np.log(1.1), 0.35, n_c)
    u_complex = latent.random(n_c)
    complex_area = latent.lognormal(np.log(650.0), 0.35, n_c)
    functions = 1 + latent.binomial(5, 0.5, n_c)
    norm = np.where(is_new, 20.0, 15.0)
    care = np.round(households / 100.0 * norm * elderly_factor * (1 + 0.02 * t), 1)
    known = pc.is_valid(has_elderly).to_numpy(zero_copy_only=False)  # false where un-surveyed
    present = pc.fill_null(has_elderly, False).to_numpy(zero_copy_only=False)
    care = np.where(present, care, 0.0)
    age = np.clip(year - c["built"], 0, None)
    without = u_complex < np.clip(0.35 + 0.005 * age - 0.04 * t, 0.05, 0.9)
    area = np.where(without, 0.0, np.round(complex_area, 1))
    return {
        "is_new": pa.array(is_new),
        "elderly_care_area_m2": pa.array(care, mask=~known),
        "service_complex_area_m2": pa.array(area, mask=yearly.random(n_c) < MISSING_SHARE),
        "service_complex_functions": pa.array(np.where(without, 0, functions).astype(np.int32)),
    }


def city_year(city: City, seed: int, year: int) -> dict[str, pa.Table]:
    rng = np.random.default_rng([seed, city.number, year])
    t = year - BASE_YEAR
    d, bl, c, b = city.district, city.blocks, city.compounds, city.buildings
    n_b, n_c = len(b["built"]), len(c["built"])
    district_of_c = c["district"]

    # Buildings.
    age = np.clip(year - b["built"], 0, None) / 10.0
    pipe_age = np.clip(year - b["gas_from"], 0, None)
    base = c["effect"][b["compound"]] - 0.10 * t
    extra = {
        "gas_hazard": 0.8 * (pipe_age >= 20),
        "needs_age_friendly": 2.6 * b["walkup_multi"],
        "needs_energy_retrofit": 2.8 * (b["built"] < 2000),
    }
    flags = {}
    for k, (name, a, slope, driver) in enumerate(BUILDING_FLAGS):
        x = pipe_age / 10.0 if driver == "pipe" else age
        p = expit(a + slope * x + base + extra.get(name, 0.0))
        flags[name] = survey_flag(b["u_flags"][k] < p, rng)
    households_b = np.rint(b["dwellings"] * b["occupancy"])
    residents = np.maximum(1, np.rint(households_b * c["hh_size"][b["compound"]] * (1 + 0.005 * t))).astype(np.int32)
    comp_of_b = pa.array(b["compound"])
    block_of_c = pa.array(c["block"])
    ids_c = {
        "city_id": pa.array(np.full(n_c, city.city_id)),
        "district_id": city.district_ids.take(pa.array(district_of_c)),
        "block_id": city.block_ids.take(block_of_c),
        "compound_id": city.compound_ids,
    }
    buildings = pa.table(
        {"year": pa.array(np.full(n_b, year, dtype=np.int32))}
        | {k: v.take(comp_of_b) for k, v in ids_c.items()}
        | {
            "building_id": city.building_ids,
            "construction_year": b["built"],
            "floors": b["floors"],
            "dwellings": b["dwellings"],
            "residents": residents,
        }
        | flags
        | {"non_self_contained": b["non_self_contained"], "gas_pipe_age": pipe_age.astype(np.int32)},
        schema=SCHEMAS["buildings"],
    )

    # Compounds (sums over their buildings, which are contiguous).
    households = np.add.reduceat(households_b, c["start"]).astype(np.int32)
    residents_c = np.add.reduceat(residents.astype(np.int64), c["start"])
    residents_base = np.add.reduceat(np.rint(households_b * c["hh_size"][b["compound"]]), c["start"])
    age_c = year - c["built"]
    size = np.log(np.maximum(households, 1) / 400.0)
    facility = {}
    for k, (name, a, per_size, per_age, per_year) in enumerate(COMPOUND_FLAGS):
        p = expit(a + per_size * size + per_age * (age_c - 20) + per_year * t)
        facility[name] = survey_flag(c["u_flags"][k] < p, rng)
    school_req = np.rint(residents_c * 0.065)
    parking_norm = np.select([c["built"] >= 2010, c["built"] >= 2000], [1.0, 0.8], 0.5)
    parking_req = np.rint(households * parking_norm)
    parking_base = np.rint(np.add.reduceat(households_b, c["start"]) * parking_norm)
    old = c["built"] < 2005
    ev_req = np.rint(parking_req * np.clip(0.15 + 0.05 * t, 0.05, 0.5))
    ev_base = np.rint(parking_base * 0.15)
    counts = {
        "primary_places_required": school_req,
        "primary_places_provided": np.rint(np.rint(residents_base * 0.065) * c["school_ratio"]),
        "parking_required": parking_req,
        "parking_provided": np.rint(parking_base * c["parking_ratio"] * (1 + 0.05 * t * old).clip(0.5)),
        "ev_chargers_required": ev_req,
        "ev_chargers_provided": np.rint(ev_base * c["ev_share"] * max(0.2, 1 + 0.25 * t)),
    }
    compounds = pa.table(
        {"year": pa.array(np.full(n_c, year, dtype=np.int32))}
        | ids_c
        | {"households": households, "residents": residents_c.astype(np.int32)}
        | facility
        | {k: v.astype(np.int32) for k, v in counts.items()}
        | {
            "substandard_footpath_km": np.round(c["footpath_len"] * c["footpath_share"] * max(0.5, 1 - 0.05 * t), 3),
            "middle_school_distance_m": c["school_dist"],
            "park_distance_m": c["park_dist"],
        }
        | facility_norms(city, seed, year, households, facility["has_elderly_care"]),
        schema=SCHEMAS["compounds"],
    )

    # Blocks.
    n_bl = len(city.block_ids)
    roads = bl["roads"]
    blocks = pa.table(
        {
            "year": pa.array(np.full(n_bl, year, dtype=np.int32)),
            "city_id": pa.array(np.full(n_bl, city.city_id)),
            "district_id": city.district_ids.take(pa.array(bl["district"])),
            "block_id": city.block_ids,
            "roads": roads.astype(np.int32),
            "roads_disorderly_parking": rng.binomial(roads, np.clip(bl["disorder"] * 0.92**t, 0, 1)).astype(np.int32),
            "has_sports_ground": bl["u_sports"] < expit(0.3 + 0.3 * t + 0.4 * bl["outer"]),
            "has_culture_centre": bl["u_culture"] < expit(0.5 + 0.25 * t - 0.3 * bl["outer"]),
        },
        schema=SCHEMAS["blocks"],
    )

    # Districts: surveyed residents plus the people outside surveyed compounds; area fixed by base population.
    n_d = len(city.district_ids)
    surveyed = np.bincount(district_of_c, weights=residents_c, minlength=n_d)
    surveyed_base = np.bincount(district_of_c, weights=residents_base, minlength=n_d)
    population = np.rint(surveyed * d["pop_factor"]).astype(np.int64)
    pop_base = surveyed_base * d["pop_factor"]
    area = np.round(pop_base / d["density"], 2)
    new_area = np.round(pop_base * d["new_build_rate"] * rng.lognormal(0, 0.15, n_d), 0)
    green_share = np.clip(d["green_share"] + 0.04 * t + rng.normal(0, 0.02, n_d), 0.4, 1.0)
    districts = pa.table(
        {
            "year": pa.array(np.full(n_d, year, dtype=np.int32)),
            "city_id": pa.array(np.full(n_d, city.city_id)),
            "district_id": city.district_ids,
            "population": population,
            "area_km2": area,
            "road_length_km": np.round(area * d["road_density"] * (1 + 0.01 * t), 1),
            "park_green_area_m2": np.round(pop_base * d["park_per_capita"] * (1 + 0.015 * t), 0),
            "new_building_area_m2": new_area,
            "green_new_building_area_m2": np.round(new_area * green_share, 0),
        },
        schema=SCHEMAS["districts"],
    )
    return {"buildings": buildings, "compounds": compounds, "blocks": blocks, "districts": districts}


# --------------------------------------------------------------------------- writing


class Sink:
    """One output file, written a table at a time (Parquet row groups or CSV rows)."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: str):
        self.fmt = fmt
        if fmt == "parquet":
            self.writer = pq.ParquetWriter(path, schema)
        else:
            # Held open across write() calls; close() closes it.
            self.fh = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self.fh.write(",".join(schema.names) + "\n")

    def write(self, table: pa.Table) -> None:
        if self.fmt == "parquet":
            self.writer.write_table(table)
            return
        # Booleans as true/false; floats via pandas, which writes the shortest round-trip form.
        cols = {
            name: pc.if_else(col, "true", "false") if pa.types.is_boolean(col.type) else col
            for name, col in zip(table.column_names, table.columns)
        }
        pa.table(cols).to_pandas().to_csv(self.fh, header=False, index=False, lineterminator="\n")

    def close(self) -> None:
        if self.fmt == "parquet":
            self.writer.close()
        else:
            self.fh.close()


class DistrictSplitSink:
    """buildings/part-<district_id>.<ext>: one file per district, all years."""

    def __init__(self, folder: Path, schema: pa.Schema, fmt: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.schema, self.fmt = folder, schema, fmt
        self.parts: dict[str, Sink] = {}

    def write(self, table: pa.Table) -> None:
        district = table.column("district_id").to_numpy(zero_copy_only=False)
        starts = np.flatnonzero(np.r_[True, district[1:] != district[:-1]])  # rows are sorted by district
        ends = np.r_[starts[1:], len(district)]
        for s, e in zip(starts, ends):
            did = str(district[s])
            if did not in self.parts:
                self.parts[did] = Sink(self.folder / f"part-{did}.{self.fmt}", self.schema, self.fmt)
            self.parts[did].write(table.slice(s, e - s))

    def close(self) -> None:
        for sink in self.parts.values():
            sink.close()


def generate(n_buildings: int, seed: int, years: list[int], out: Path, fmt: str, split: str | None) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    sinks: dict[str, Sink | DistrictSplitSink] = {
        name: Sink(out / f"{name}.{fmt}", schema, fmt) for name, schema in SCHEMAS.items()
    }
    if split == "district":
        sinks["buildings"].close()
        (out / f"buildings.{fmt}").unlink()
        sinks["buildings"] = DistrictSplitSink(out / "buildings", SCHEMAS["buildings"], fmt)
    rows = dict.fromkeys(SCHEMAS, 0)
    plan = plan_cities(n_buildings, seed)
    for year in years:
        for number, n_city in enumerate(plan, start=1):
            # Rebuilt per year (cheap next to writing) so that rows come out ordered by year, then id.
            city = make_city(seed, number, int(n_city))
            for name, table in city_year(city, seed, year).items():
                sinks[name].write(table)
                rows[name] += table.num_rows
    for sink in sinks.values():
        sink.close()
    return rows


# --------------------------------------------------------------------------- deliberate defects


def write_defects(out: Path, year: int) -> list[str]:
    """DIR/defects/: `year` of the first two districts of C01, as written, with three deliberate errors.

    The four tables are copied line for line (so the folder reads on its own); then buildings.csv
    gets a duplicate building_id, a building whose district_id disagrees with its compound's, and
    a building whose compound is not in compounds.csv. Returns one line per defect.
    """
    folder = out / "defects"
    folder.mkdir(parents=True, exist_ok=True)
    tables = {}
    for name in SCHEMAS:
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as fh:
            header, *lines = fh.read().splitlines()
        tables[name] = (header.split(","), [line.split(",") for line in lines])  # ids hold no commas
    cols, rows = tables["districts"]
    keep = sorted(r[cols.index("district_id")] for r in rows if r[0] == str(year) and r[1] == "C01")[:2]
    if len(keep) < 2:
        raise SystemExit(f"--defects needs a city C01 with two districts in {year}")
    for name, (cols, rows) in tables.items():
        k = cols.index("district_id")
        tables[name] = (cols, [r for r in rows if r[0] == str(year) and r[k] in keep])

    cols, rows = tables["buildings"]
    col = {c: i for i, c in enumerate(cols)}
    # 1. A building surveyed twice (same id and year) with conflicting structural_hazard.
    i = next(i for i in range(10, len(rows)) if rows[i][col["structural_hazard"]] in ("true", "false"))
    twin = list(rows[i])
    twin[col["structural_hazard"]] = "false" if twin[col["structural_hazard"]] == "true" else "true"
    rows.insert(i + 1, twin)
    # 2. A building in the first district whose district_id names the second (its compound and block stay).
    j = next(j for j in range(i + 30, len(rows)) if rows[j][col["district_id"]] == keep[0])
    rows[j] = list(rows[j])
    rows[j][col["district_id"]] = keep[1]
    # 3. A building whose compound is not in compounds.csv (blocks hold at most 30 compounds).
    orphan = list(rows[-1])
    orphan[col["compound_id"]] = f"{orphan[col['block_id']]}-R0099"
    orphan[col["building_id"]] = f"{orphan[col['compound_id']]}-0001"
    rows.append(orphan)

    for name, (header, lines) in tables.items():
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            fh.write("\n".join(",".join(r) for r in [header, *lines]) + "\n")
    # Data row n (1-based, header not counted) is line n + 1 of the file.
    return [
        (
            f"defect duplicate_building_id: rows {i + 1} and {i + 2} (lines {i + 2}, {i + 3}) are building "
            f"{rows[i][col['building_id']]}, year {year}, structural_hazard {rows[i][col['structural_hazard']]} "
            f"vs {rows[i + 1][col['structural_hazard']]}"
        ),
        (
            f"defect district_mismatch: row {j + 1} (line {j + 2}) building {rows[j][col['building_id']]} has "
            f"district_id {keep[1]}, its compound {rows[j][col['compound_id']]} and block are in {keep[0]}"
        ),
        (
            f"defect unknown_compound: row {len(rows)} (line {len(rows) + 1}) building "
            f"{orphan[col['building_id']]} names compound {orphan[col['compound_id']]}, not in compounds.csv"
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--buildings", type=int, default=5000, help="number of buildings (default 5000)")
    ap.add_argument("--seed", type=int, default=2025)
    when = ap.add_mutually_exclusive_group()
    when.add_argument("--year", type=int, default=2025, help="one check-up year (default 2025)")
    when.add_argument("--years", help="several check-up years, comma-separated, e.g. 2024,2025")
    ap.add_argument("--out", required=True, type=Path, help="output folder")
    ap.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    ap.add_argument("--split-by", choices=("district",), help="one buildings file per district")
    ap.add_argument("--defects", action="store_true", help="also write DIR/defects/ (CSV only)")
    args = ap.parse_args(argv)
    if args.buildings < 1:
        ap.error("--buildings must be at least 1")
    years = sorted({int(y) for y in args.years.split(",")}) if args.years else [args.year]
    if args.defects and (args.format != "csv" or args.split_by):
        ap.error("--defects needs --format csv and one buildings file")

    start = time.perf_counter()
    rows = generate(args.buildings, args.seed, years, args.out, args.format, args.split_by)
    if args.defects:
        for line in write_defects(args.out, years[-1]):
            print(line)
    counts = ", ".join(f"{name} {n}" for name, n in rows.items())
    print(
        f"wrote {args.out} ({args.format}, years {','.join(map(str, years))}): {counts} rows "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
