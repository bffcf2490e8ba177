//! Every weight method on a 2,900 × 69 decision matrix (every prefecture and county, the
//! indicators of a full check-up). Peer: `scripts/peers/mcdm_pymcdm.py` (pymcdm, same shape).

mod common;

use criterion::{criterion_group, criterion_main, Criterion};

use citycheck::catalog::Direction;
use citycheck::weight::{Criteria, Weight};

fn weights(c: &mut Criterion) {
    let x = common::decision_matrix(2900, 69, 7);
    let names: Vec<String> = (0..69).map(|j| format!("x{j}")).collect();
    let directions: Vec<Direction> =
        (0..69).map(|j| if j % 5 == 4 { Direction::Lower } else { Direction::Higher }).collect();
    let expert = vec![None; 69];
    let criteria = Criteria { names: &names, directions: &directions, expert: &expert, judgement: None };
    let mut group = c.benchmark_group("weights_2900x69");
    for name in ["entropy", "entropy_normalized", "critic", "cv", "std", "pca", "deviation_max"] {
        let method: Weight = name.parse().expect("known");
        group.bench_function(name, |b| {
            b.iter(|| method.compute(x.view(), x.view(), criteria, &mut Vec::new()).expect("weights"))
        });
    }
    group.finish();
}

criterion_group!(benches, weights);
criterion_main!(benches);
