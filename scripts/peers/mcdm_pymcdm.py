"""Speed peer for benches/weights.rs and benches/aggregate.rs (dev-only).

Times pymcdm's weight methods and TOPSIS / VIKOR on a 2,900 x 69 decision matrix of positive
lognormal values (the shape of benches/common::decision_matrix), every 5th criterion a cost.
Grey relational analysis has no pymcdm method and is timed as a straightforward numpy
implementation. Prints the median of --repeat runs per method, in milliseconds.

    python -m venv .venv-peer && .venv-peer/bin/pip install numpy pymcdm
    .venv-peer/bin/python scripts/peers/mcdm_pymcdm.py --repeat 7
"""
import argparse
import statistics
import time

import numpy as np
from pymcdm import methods, weights


def grey_relational(x, w, types, rho=0.5):
    lo, hi = x.min(axis=0), x.max(axis=0)
    r = np.where(types > 0, (x - lo) / (hi - lo), (hi - x) / (hi - lo))
    delta = np.abs(r.max(axis=0) - r)
    xi = (delta.min() + rho * delta.max()) / (delta + rho * delta.max())
    return xi @ (w / w.sum())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=2900)
    ap.add_argument("--criteria", type=int, default=69)
    ap.add_argument("--repeat", type=int, default=7)
    a = ap.parse_args()
    rng = np.random.default_rng(7)
    scales = 10 ** (rng.random(a.criteria) * 4)
    x = scales * np.exp(0.5 * rng.standard_normal((a.units, a.criteria)))
    types = np.array([-1 if j % 5 == 4 else 1 for j in range(a.criteria)])
    w = np.full(a.criteria, 1 / a.criteria)
    cases = {
        "entropy": lambda: weights.entropy_weights(x),
        "critic": lambda: weights.critic_weights(x),
        "std": lambda: weights.standard_deviation_weights(x),
        "topsis_min_max": lambda: methods.TOPSIS()(x, w, types),
        "vikor": lambda: methods.VIKOR()(x, w, types),
        "grey_relational(numpy)": lambda: grey_relational(x, w, types),
    }
    for name, run in cases.items():
        times = []
        for _ in range(a.repeat):
            t = time.perf_counter()
            run()
            times.append(time.perf_counter() - t)
        print(f"{name}: {statistics.median(times) * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
