//! The whole annual check-up on every Chinese prefecture and county: 2,900 units × 69
//! indicators × 5 years, from an in-memory long panel to ranked scores (validate → dense
//! matrix → min-max over the panel → entropy weights per dimension → arithmetic means → ranks).
//! The peer is `scripts/peers/pipeline_pandas.py --repeat` on a panel of the same shape.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};

use citycheck::{Checkup, Spec, ValidationMode};

fn pipeline(c: &mut Criterion) {
    let catalog = std::sync::Arc::new(common::catalog(69));
    let records = common::records(2900, 69, 5, 42);
    let panel = common::panel(&records);
    let spec = Spec::checkup_default();
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(20);
    group.bench_function("2900x69x5", |b| {
        b.iter(|| {
            let validation = panel.validate(&catalog, ValidationMode::Strict).expect("valid");
            Checkup::new(catalog.clone(), spec.clone()).expect("spec").run(&panel, &validation).expect("run")
        })
    });
    let validation = panel.validate(&catalog, ValidationMode::Strict).expect("valid");
    group.bench_function("validate", |b| b.iter(|| panel.validate(&catalog, ValidationMode::Strict).expect("valid")));
    let checkup = Checkup::new(catalog.clone(), spec.clone()).expect("spec");
    group.bench_function("dataset", |b| b.iter(|| checkup.prepare(&panel, &validation).expect("prepare")));
    let data = checkup.prepare(&panel, &validation).expect("prepare");
    group.bench_function("run", |b| b.iter(|| checkup.fit(&data).expect("fit")));
    let column: Vec<f64> = records.iter().take(2900).map(|r| r.3).collect();
    group.bench_function("rank_2900", |b| b.iter(|| citycheck::kernels::rank::rank_best_first(&column)));
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
