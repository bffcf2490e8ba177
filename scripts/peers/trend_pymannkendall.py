"""Peer timing for benches/trend.rs: every trend statistic of N five-point annual series with
pymannkendall 1.4.3 (`original_test`, `sens_slope`) and `scipy.stats.linregress`, one series
at a time as a researcher's script does. Dev-only (needs numpy, scipy, pymannkendall).

The series have the shape of benches/common/mod.rs `trend_series` (lognormal level, random
drift, 5 years); the cost per series does not depend on the values. Usage:

    .venv-peer/bin/python scripts/peers/trend_pymannkendall.py [N]   (default 20000)

Prints the time per series and the projected time for 200,100 series (2,900 × 69): the per-
series cost is constant, so the projection is linear.
"""
import sys
import time

import numpy as np
import pymannkendall as mk
from scipy import stats

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
rng = np.random.default_rng(11)
years = np.arange(2021.0, 2026.0)
level = 10 ** (rng.uniform(size=(n, 1)) * 4)
drift = 0.05 * rng.normal(size=(n, 1))
series = level * np.exp(drift * np.arange(5) + 0.05 * rng.normal(size=(n, 5)))

start = time.perf_counter()
for y in series:
    mk.original_test(y)
    mk.sens_slope(y)
    stats.linregress(years, y)
    (y[-1] / y[0]) ** (1 / 4) - 1
elapsed = time.perf_counter() - start
per = elapsed / n
print(f"{n} series: {elapsed:.2f} s, {per * 1e6:.1f} µs per series; projected 200,100 series: {per * 200100:.1f} s")
