//! A deterministic generator of check-up panels for the benchmarks: units × indicators ×
//! years, indicators in 8 dimensions, every 5th indicator "lower", lognormal positive values
//! with a per-indicator scale, about 3% of cells and 1% of unit-years missing — the same
//! shape and gap rates as `scripts/peers/pipeline_pandas.py --generate`.

// Each bench file uses its own subset of this module.
#![allow(dead_code)]

use citycheck::{Catalog, Panel};

/// SplitMix64: small, fast and reproducible across platforms.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(f64::MIN_POSITIVE);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

pub const GROUPS: usize = 8;

/// A catalogue of `indicators` indicators in 8 groups under the index.
pub fn catalog(indicators: usize) -> Catalog {
    let mut toml = String::from("[catalog]\nid = \"bench\"\nname = \"bench\"\nversion = \"1\"\n");
    for g in 0..GROUPS {
        toml.push_str(&format!("[[groups]]\nid = \"g{g}\"\nname_zh = \"维度{g}\"\nname_en = \"group {g}\"\n"));
    }
    for j in 0..indicators {
        let direction = if j % 5 == 4 { "lower" } else { "higher" };
        toml.push_str(&format!(
            "[[indicators]]\nid = \"x{j}\"\nname_zh = \"指标{j}\"\nname_en = \"indicator {j}\"\ngroup = \"g{}\"\nunit = \"index\"\ndirection = \"{direction}\"\n",
            j % GROUPS
        ));
    }
    Catalog::from_toml(&toml, "bench").expect("the generated catalogue is valid")
}

/// Long-form records of a synthetic panel.
pub fn records(units: usize, indicators: usize, years: usize, seed: u64) -> Vec<(String, i32, String, f64)> {
    let mut rng = Rng(seed);
    let scales: Vec<f64> = (0..indicators).map(|_| 10f64.powf(rng.uniform() * 4.0)).collect();
    let names: Vec<String> = (0..indicators).map(|j| format!("x{j}")).collect();
    let mut out = Vec::with_capacity(units * indicators * years);
    for y in 0..years {
        for u in 0..units {
            if rng.uniform() < 0.01 {
                continue;
            }
            let unit = format!("unit{u:04}");
            for (j, name) in names.iter().enumerate() {
                if rng.uniform() < 0.03 {
                    continue;
                }
                let value = scales[j] * (0.5 * rng.normal()).exp();
                out.push((unit.clone(), 2020 + y as i32, name.clone(), value));
            }
        }
    }
    out
}

pub fn panel(records: &[(String, i32, String, f64)]) -> Panel {
    Panel::from_records(records.iter().map(|(u, y, i, v)| (u.as_str(), *y, i.as_str(), *v)))
}

/// A complete `m × n` decision matrix of positive lognormal values (no gaps: the objective
/// weight methods and the MCDM methods compare whole columns).
pub fn decision_matrix(m: usize, n: usize, seed: u64) -> citycheck::kernels::Array2<f64> {
    let mut rng = Rng(seed);
    let scales: Vec<f64> = (0..n).map(|_| 10f64.powf(rng.uniform() * 4.0)).collect();
    let mut data = Vec::with_capacity(m * n);
    for scale in &scales {
        for _ in 0..m {
            data.push(scale * (0.5 * rng.normal()).exp());
        }
    }
    citycheck::kernels::from_columns(m, n, data).expect("sizes match")
}

/// `count` series of `years` annual values (2021, 2022, …), concatenated: lognormal levels
/// with a random drift, so that some series trend and most do not. Returns the values and
/// the years.
pub fn trend_series(count: usize, years: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Rng(seed);
    let mut values = Vec::with_capacity(count * years);
    for _ in 0..count {
        let level = 10f64.powf(rng.uniform() * 4.0);
        let drift = 0.05 * rng.normal();
        for t in 0..years {
            values.push(level * (drift * t as f64 + 0.05 * rng.normal()).exp());
        }
    }
    (values, (0..years).map(|t| 2021.0 + t as f64).collect())
}
