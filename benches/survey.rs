//! The satisfaction survey: 1,000,000 respondents × 30 five-point items in 6 dimensions, 300
//! unit-years, 8 strata each, design weights — item and dimension estimates, stratified
//! standard errors, Cronbach's α and bad answers (`survey::score` on read responses). Also the
//! shipped synthetic survey (6,535 × 12), read from CSV and scored.
//!
//! Peer: `scripts/peers/survey_pandas.py --synthetic 1000000,30,300,7 --repeat 3` (pandas
//! groupby + numpy, the same statistics and shape; it maps text labels, this bench numeric
//! codes — both are interned per distinct answer here, so scoring costs the same).

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use polars::prelude::{Column, DataFrame};

use citycheck::survey::{score, ReadSpec, Responses, SurveyDefinition, SurveyOptions};
use common::Rng;

const ITEMS: usize = 30;
const PER_DIMENSION: usize = 5;

/// Thirty items on the five-point labels scale (answers as codes 1–5), in dimensions of five.
fn definition() -> SurveyDefinition {
    let mut toml = String::from(
        "[survey]\nid = \"bench\"\nname = \"bench\"\n\
         [[scales]]\nid = \"likert5\"\nkind = \"labels\"\nlevels = [\n\
         { label = \"很满意\", score = 100, code = 5 }, { label = \"满意\", score = 80, code = 4 },\n\
         { label = \"一般\", score = 60, code = 3 }, { label = \"不满意\", score = 40, code = 2 },\n\
         { label = \"很不满意\", score = 20, code = 1 }]\n",
    );
    for d in 0..ITEMS / PER_DIMENSION {
        toml.push_str(&format!("[[dimensions]]\nid = \"d{d}\"\n"));
    }
    for j in 0..ITEMS {
        toml.push_str(&format!(
            "[[items]]\nid = \"q{j:02}\"\ndimension = \"d{}\"\nscale = \"likert5\"\n",
            j / PER_DIMENSION
        ));
    }
    SurveyDefinition::from_toml(&toml, "bench").expect("the generated definition is valid")
}

/// `rows` respondents in `groups` unit-years (two years per unit), 8 strata, weights in
/// [0.5, 3); answers from a latent attitude, 3% missing, one in 100,000 out of scale (6).
fn responses(rows: usize, groups: usize, seed: u64) -> Responses {
    let mut rng = Rng(seed);
    let mut unit = Vec::with_capacity(rows);
    let mut year = Vec::with_capacity(rows);
    let mut weight = Vec::with_capacity(rows);
    let mut district = Vec::with_capacity(rows);
    let mut latent = Vec::with_capacity(rows);
    let units: Vec<String> = (0..groups / 2).map(|u| format!("unit{u:04}")).collect();
    let strata: Vec<String> = (0..8).map(|h| format!("district{h}")).collect();
    for _ in 0..rows {
        let g = (rng.next_u64() % groups as u64) as usize;
        unit.push(units[g / 2].as_str());
        year.push(2024 + (g % 2) as i32);
        weight.push(0.5 + 2.5 * rng.uniform());
        district.push(strata[(rng.next_u64() % 8) as usize].as_str());
        latent.push(0.8 * rng.normal());
    }
    let mut columns = vec![
        Column::new("unit".into(), unit),
        Column::new("year".into(), year),
        Column::new("weight".into(), weight),
        Column::new("district".into(), district),
    ];
    for j in 0..ITEMS {
        let answers: Vec<Option<f64>> = latent
            .iter()
            .map(|&l| {
                let u = rng.uniform();
                if u < 0.03 {
                    None
                } else if u < 0.03001 {
                    Some(6.0)
                } else {
                    Some((3.0 + l + 0.8 * rng.normal()).round().clamp(1.0, 5.0))
                }
            })
            .collect();
        columns.push(Column::new(format!("q{j:02}").as_str().into(), answers));
    }
    let df = DataFrame::new_infer_height(columns).expect("equal lengths");
    let spec = ReadSpec {
        unit_column: "unit".into(),
        year_column: "year".into(),
        weight_column: Some("weight".into()),
        strata_column: Some("district".into()),
    };
    Responses::from_dataframe(&df, &spec).expect("readable")
}

fn survey(c: &mut Criterion) {
    let def = definition();
    let big = responses(1_000_000, 300, 7);
    let options = SurveyOptions::default();
    let mut group = c.benchmark_group("survey");
    group.sample_size(10);
    group.bench_function("score_1000000x30", |b| b.iter(|| score(&def, black_box(&big), &options).expect("scored")));
    drop(big);

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/survey_synthetic");
    let synthetic = SurveyDefinition::load(format!("{dir}/definition.toml")).expect("definition");
    let spec = ReadSpec {
        unit_column: "city".into(),
        year_column: "year".into(),
        weight_column: Some("weight".into()),
        strata_column: Some("district".into()),
    };
    group.bench_function("read_and_score_synthetic_6535x12", |b| {
        b.iter(|| {
            let responses = Responses::read(format!("{dir}/responses.csv"), &spec).expect("responses");
            score(&synthetic, &responses, &options).expect("scored")
        })
    });
    group.finish();
}

criterion_group!(benches, survey);
criterion_main!(benches);
