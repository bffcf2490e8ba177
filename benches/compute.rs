//! Indicators from object records: the shipped synthetic province (3,000 buildings, 2024–2025,
//! datasets/province_sample) computed to all four levels, read from CSV.
//!
//! The provincial scale is measured with the release command line, as a user runs it (the
//! 10,000,000-building input is 130 MB of Parquet and minutes to generate, too large for a
//! criterion loop):
//!
//! ```sh
//! .venv-peer/bin/python scripts/gen_province.py --buildings 10000000 --out /tmp/province10m
//! /usr/bin/time -v target/release/citycheck compute --catalog mohurd-2023 \
//!     --records /tmp/province10m --no-ledger --out /tmp/out10m
//! .venv-peer/bin/python scripts/peers/compute_duckdb.py --data /tmp/province10m --out /tmp/d.csv --threads 2
//! .venv-peer/bin/python scripts/peers/compute_pandas.py --data /tmp/province10m --out /tmp/p.csv
//! ```

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};

use citycheck::compute::{compute, ComputeOptions, RecordTable};
use citycheck::Catalog;

fn records(c: &mut Criterion) {
    let catalog = Catalog::builtin("mohurd-2023").expect("built in");
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/province_sample");
    let paths: Vec<PathBuf> =
        ["buildings", "compounds", "blocks", "districts"].iter().map(|t| folder.join(format!("{t}.csv"))).collect();
    let mut group = c.benchmark_group("compute_province_sample");
    group.bench_function("read_and_compute_all_levels", |b| {
        b.iter(|| {
            let tables = RecordTable::read_all(&paths).expect("records");
            let out = compute(&catalog, &tables, &ComputeOptions::default()).expect("computed");
            out.indicators().expect("rows").height()
        })
    });
    group.finish();
}

criterion_group!(benches, records);
criterion_main!(benches);
