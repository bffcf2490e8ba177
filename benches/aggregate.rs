//! TOPSIS, grey relational analysis and VIKOR on a 2,900 × 69 decision matrix.
//! Peer: `scripts/peers/mcdm_pymcdm.py` (pymcdm, same shape).

mod common;

use criterion::{criterion_group, criterion_main, Criterion};

use citycheck::aggregate::{grey_relational, topsis, vikor, Labels, TopsisNormalization};
use citycheck::catalog::Direction;
use citycheck::weight::equal;

fn aggregate(c: &mut Criterion) {
    let x = common::decision_matrix(2900, 69, 7);
    let w = equal(69);
    let d: Vec<Direction> = (0..69).map(|j| if j % 5 == 4 { Direction::Lower } else { Direction::Higher }).collect();
    let labels = Labels { rows: &[], columns: &[], year: None };
    let mut group = c.benchmark_group("mcda_2900x69");
    group.bench_function("topsis_vector", |b| b.iter(|| topsis(x.view(), &w, &d, TopsisNormalization::Vector, labels)));
    group
        .bench_function("topsis_min_max", |b| b.iter(|| topsis(x.view(), &w, &d, TopsisNormalization::MinMax, labels)));
    group.bench_function("grey_relational", |b| b.iter(|| grey_relational(x.view(), &w, &d, 0.5, labels)));
    group.bench_function("vikor", |b| b.iter(|| vikor(x.view(), &w, &d, 0.5, labels)));
    group.finish();
}

criterion_group!(benches, aggregate);
criterion_main!(benches);
