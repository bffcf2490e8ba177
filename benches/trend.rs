//! Every trend statistic (OLS, Mann-Kendall with exact p, Sen's slope with interval, CAGR,
//! change, verdict) for 2,900 units × 69 indicators × 5 annual check-ups: 200,100 series.
//! Peer: `scripts/peers/trend_pymannkendall.py` (pymannkendall `original_test` + `sens_slope`
//! and `scipy.stats.linregress` on the same series).

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use rayon::prelude::*;

use citycheck::catalog::Direction;
use citycheck::trend::summarize;

fn trends(c: &mut Criterion) {
    let (series, years) = common::trend_series(2900 * 69, 5, 11);
    let mut group = c.benchmark_group("trend_200100x5");
    group.sample_size(10);
    group.bench_function("summarize_parallel", |b| {
        b.iter(|| {
            series
                .par_chunks(5)
                .map(|y| summarize(&years, y, 0.05, Direction::Higher).expect("summary").n)
                .sum::<usize>()
        })
    });
    group.bench_function("summarize_one_thread", |b| {
        b.iter(|| {
            series.chunks(5).map(|y| summarize(&years, y, 0.05, Direction::Higher).expect("summary").n).sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, trends);
criterion_main!(benches);
