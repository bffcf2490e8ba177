#!/usr/bin/env python3
"""Generate datasets/survey_synthetic/responses.csv: a synthetic satisfaction survey
(社会满意度调查) of the 14 Liaoning cities, 2024 and 2025.

Standard library only; seeded and deterministic (the same bytes on every run and platform:
random.Random with a fixed seed, values rounded before writing). Run from the repository root:

    python3 scripts/gen_survey.py [--seed 20250601] [--out datasets/survey_synthetic/responses.csv]

Model (documented in datasets/survey_synthetic/README.md):
  latent answer of respondent i in city c, year t, to item j of dimension k
      u = base_j + city_c + city_dim_ck + year_ct + 0.55·eta_i + 0.40·eta_ik + 0.55·e_ij
  eta_i, eta_ik, e_ij ~ N(0, 1) (a general and a dimension-specific attitude, item noise);
  city_c ~ N(0, 0.30), city_dim_ck ~ N(0, 0.20), year_ct = 0.08 + N(0, 0.06) in 2025, 0 in 2024.
  Five-point items: u cut at -1.25, -0.55, 0.20, 0.95 into 很不满意 … 很满意;
  the 1–10 item: round(6 + 1.6·u) clipped to 1..10.
  Districts are the sampling strata: each city's districts get population shares and the
  sample is allocated unevenly (not proportionally), so design weights
  w = district population / district sample size vary within a city.
  不清楚 ("don't know") and blanks are sprinkled at item-specific rates; a handful of bad answers
  and bad weights are planted at fixed rows (printed at the end, listed in the README).
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from pathlib import Path

# City: (population in 10,000s, districts): urban districts of each prefecture-level city.
CITIES = {
    "沈阳市": (920, ["和平区", "沈河区", "大东区", "皇姑区", "铁西区"]),
    "大连市": (750, ["中山区", "西岗区", "沙河口区", "甘井子区"]),
    "鞍山市": (330, ["铁东区", "铁西区", "立山区", "千山区"]),
    "抚顺市": (180, ["新抚区", "东洲区", "望花区", "顺城区"]),
    "本溪市": (130, ["平山区", "溪湖区", "明山区", "南芬区"]),
    "丹东市": (210, ["元宝区", "振兴区", "振安区"]),
    "锦州市": (270, ["古塔区", "凌河区", "太和区"]),
    "营口市": (230, ["站前区", "西市区", "鲅鱼圈区", "老边区"]),
    "阜新市": (160, ["海州区", "新邱区", "太平区", "细河区"]),
    "辽阳市": (160, ["白塔区", "文圣区", "宏伟区", "太子河区"]),
    "盘锦市": (140, ["双台子区", "兴隆台区", "大洼区"]),
    "铁岭市": (230, ["银州区", "清河区"]),
    "朝阳市": (280, ["双塔区", "龙城区"]),
    "葫芦岛市": (240, ["连山区", "龙港区", "南票区"]),
}
YEARS = [2024, 2025]

# column, dimension, base level, rate of 不清楚, rate of blanks, kind
ITEMS = [
    ("q01", "housing", 0.35, 0.01, 0.005, "likert"),
    ("q02", "housing", 0.05, 0.03, 0.005, "likert"),
    ("q03", "housing", -0.45, 0.02, 0.010, "likert"),
    ("q04", "transport", 0.30, 0.02, 0.005, "likert"),
    ("q05", "transport", -0.30, 0.02, 0.005, "likert"),
    ("q06", "transport", 0.10, 0.01, 0.010, "ten"),
    ("q07", "services", 0.20, 0.12, 0.010, "likert"),
    ("q08", "services", 0.15, 0.03, 0.005, "likert"),
    ("q09", "services", -0.10, 0.09, 0.010, "likert"),
    ("q10", "environment", 0.00, 0.01, 0.005, "likert"),
    ("q11", "environment", 0.45, 0.01, 0.005, "likert"),
    ("q12", "environment", 0.05, 0.02, 0.005, "likert"),
]
DIMENSIONS = ["housing", "transport", "services", "environment"]
LABELS = ["很不满意", "不满意", "一般", "满意", "很满意"]
CUTS = [-1.25, -0.55, 0.20, 0.95]

# Planted problems: (city, year, respondent number within the city-year, column, value, what).
PLANTED = [
    ("沈阳市", 2024, 12, "q06", "810", "out of scale on 1–10 (a keying slip for 8 and 10)"),
    ("大连市", 2024, 40, "q01", "很好", "not a label of the five-point scale"),
    ("鞍山市", 2025, 7, "q05", "6", "6 on a five-point scale (codes are 1–5)"),
    ("抚顺市", 2024, 3, "q06", "7.5", "between the steps of 1–10"),
    ("锦州市", 2025, 88, "q06", "0", "out of scale on 1–10"),
    ("营口市", 2024, 15, "q06", "八", "not a number on the 1–10 scale"),
    ("盘锦市", 2025, 21, "q12", "满意了", "not a label"),
    ("丹东市", 2024, 5, "weight", "0", "zero weight: the row is left out"),
    ("铁岭市", 2025, 30, "weight", "-35.2", "negative weight: the row is left out"),
    ("朝阳市", 2024, 9, "weight", "", "missing weight: the row is left out"),
    ("葫芦岛市", 2025, 60, "weight", "n/a", "non-numeric weight: the row is left out"),
]


def likert(u: float) -> str:
    level = sum(u > c for c in CUTS)
    return LABELS[level]


def ten_point(u: float) -> str:
    return str(min(10, max(1, math.floor(6.0 + 1.6 * u + 0.5))))


def generate(seed: int) -> tuple[list[str], list[list[str]], list[str]]:
    rng = random.Random(seed)
    header = ["respondent_id", "city", "year", "district", "weight"] + [c for c, *_ in ITEMS]
    rows: list[list[str]] = []
    planted_at: list[str] = []
    planted = {(c, y, k): (col, v, what) for c, y, k, col, v, what in PLANTED}
    respondent = 0
    for city, (population, districts) in CITIES.items():
        city_effect = rng.gauss(0.0, 0.30)
        city_dim = {d: rng.gauss(0.0, 0.20) for d in DIMENSIONS}
        raw_shares = [rng.gammavariate(4.0, 1.0) for _ in districts]
        shares = [s / sum(raw_shares) for s in raw_shares]
        for year in YEARS:
            year_effect = 0.0 if year == 2024 else 0.08 + rng.gauss(0.0, 0.06)
            n = rng.randint(150, 300)
            # Uneven allocation: sampling probabilities differ from population shares.
            alloc = [s * rng.uniform(0.5, 1.6) for s in shares]
            total = sum(alloc)
            probs = [a / total for a in alloc]
            draws = [rng.choices(range(len(districts)), weights=probs)[0] for _ in range(n)]
            counts = [draws.count(h) for h in range(len(districts))]
            for k, h in enumerate(draws, start=1):
                respondent += 1
                weight = population * 10_000 * shares[h] / counts[h]
                eta = rng.gauss(0.0, 1.0)
                eta_dim = {d: rng.gauss(0.0, 1.0) for d in DIMENSIONS}
                answers = []
                for column, dim, base, dont_know, blank, kind in ITEMS:
                    u = (
                        base
                        + city_effect
                        + city_dim[dim]
                        + year_effect
                        + 0.55 * eta
                        + 0.40 * eta_dim[dim]
                        + 0.55 * rng.gauss(0.0, 1.0)
                    )
                    r = rng.random()
                    if r < dont_know:
                        answers.append("不清楚")
                    elif r < dont_know + blank:
                        answers.append("")
                    else:
                        answers.append(likert(u) if kind == "likert" else ten_point(u))
                row = [f"R{respondent:05d}", city, str(year), districts[h], f"{weight:.1f}"] + answers
                if (city, year, k) in planted:
                    column, value, what = planted[(city, year, k)]
                    row[header.index(column)] = value
                    # Row in the file: the header is row 1.
                    planted_at.append(f"row {len(rows) + 2}: {city} {year} {row[0]} {column} = {value!r}: {what}")
                rows.append(row)
    return header, rows, planted_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20250601)
    parser.add_argument("--out", type=Path, default=Path("datasets/survey_synthetic/responses.csv"))
    args = parser.parse_args()
    header, rows, planted_at = generate(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {args.out}: {len(rows)} respondents, {args.out.stat().st_size} bytes")
    for line in planted_at:
        print("planted", line)


if __name__ == "__main__":
    main()
