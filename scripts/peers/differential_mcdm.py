"""Differential test of citycheck's weight and ranking methods against pymcdm (dev-only).

Draws random decision matrices (sizes, scales and directions vary), runs each method in both
libraries and states the largest difference and whether the rankings agree. Not part of the
default test run because it needs pymcdm:

    bash scripts/python-tests.sh                # builds citycheck into .venv
    .venv/bin/pip install pymcdm
    .venv/bin/python scripts/peers/differential_mcdm.py [--trials 200] [--seed 1]

Conventions compared (METHODS.md §4–§5): pymcdm's entropy_weights is the raw-sum variant
(citycheck `entropy`); critic_weights scales every column as benefit (citycheck `critic`);
standard_deviation_weights takes the matrix as given (citycheck `std`); TOPSIS with
minmax_normalization (pymcdm's default) and with vector_normalization (citycheck
`normalize="min_max"` / `"vector"`); VIKOR's Q with v = 0.5. pymcdm's TOPSIS preference is
higher-better and its VIKOR preference is Q (lower-better), as citycheck's.
"""
from __future__ import annotations

import argparse
import sys
import warnings

import numpy as np
from pymcdm import methods, normalizations, weights

import citycheck as cc


def rank_desc(x: np.ndarray) -> np.ndarray:
    order = np.argsort(-x, kind="stable")
    ranks = np.empty(len(x), dtype=int)
    ranks[order] = np.arange(1, len(x) + 1)
    return ranks


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    # pymcdm warns about dominated alternatives in random matrices; the numbers are what count.
    warnings.filterwarnings("ignore", module="pymcdm")
    rng = np.random.default_rng(a.seed)
    worst: dict[str, float] = {}
    rank_mismatch: dict[str, int] = {}
    for _ in range(a.trials):
        m, n = int(rng.integers(3, 60)), int(rng.integers(2, 12))
        scales = 10 ** rng.uniform(-2, 4, n)
        x = scales * np.exp(rng.normal(0, 0.6, (m, n)))
        types = np.where(rng.random(n) < 0.3, -1, 1)
        w = rng.random(n) + 0.05
        w = w / w.sum()
        pairs = {
            "entropy": (weights.entropy_weights(x), cc.weights.entropy(x)),
            "critic": (weights.critic_weights(x), cc.weights.critic(x)),
            "std": (weights.standard_deviation_weights(x), cc.weights.std(x)),
            "topsis_min_max": (methods.TOPSIS()(x, w, types), cc.mcda.topsis(x, w, types.tolist(), normalize="min_max")),
            "topsis_vector": (
                methods.TOPSIS(normalizations.vector_normalization)(x, w, types),
                cc.mcda.topsis(x, w, types.tolist(), normalize="vector"),
            ),
            "vikor_q": (methods.VIKOR()(x, w, types), cc.mcda.vikor(x, w, types.tolist()).q),
        }
        for name, (theirs, ours) in pairs.items():
            theirs, ours = np.asarray(theirs, float), np.asarray(ours, float)
            worst[name] = max(worst.get(name, 0.0), float(np.max(np.abs(theirs - ours))))
            sign = -1 if name == "vikor_q" else 1
            if not np.array_equal(rank_desc(sign * theirs), rank_desc(sign * ours)):
                rank_mismatch[name] = rank_mismatch.get(name, 0) + 1
    ok = True
    print(f"{a.trials} random matrices (3–59 alternatives, 2–11 criteria, ~30% cost criteria)")
    for name, diff in worst.items():
        mismatches = rank_mismatch.get(name, 0)
        agree = diff < 1e-9 and mismatches == 0
        ok &= agree
        print(f"{name:16s} max |difference| {diff:.2e}   ranking mismatches {mismatches:3d}   {'agree' if agree else 'DIFFER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
