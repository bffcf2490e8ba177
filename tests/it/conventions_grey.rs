//! Grey relational analysis's normalisations (issue 17): `normalize = "min_max" |
//! "initial_value" | "mean_value"` in the library, a spec's aggregation table and on
//! `citycheck rank --method grey_relational --normalize …`, against a hand calculation.
//!
//! The example: three alternatives, a benefit criterion c1 and a cost criterion c2,
//! w = (1/2, 1/2), ρ = 1/2.
//!
//! ```text
//!        c1 (+)  c2 (−)
//!   A      4      20
//!   B      6      10
//!   C      8      25
//!
//! initial_value (初值化, divide by the first row):
//!   c1: 4/4, 6/4, 8/4 = 1, 1.5, 2        reference max = 2      Δ = 1, 0.5, 0
//!   c2: 20/20, 10/20, 25/20 = 1, 0.5, 1.25  reference min = 0.5  Δ = 0.5, 0, 0.75
//!   Δmin = 0, Δmax = 1, ξ = (0 + 0.5·1)/(Δ + 0.5·1) = 0.5/(Δ + 0.5)
//!   c1: ξ = 1/3, 1/2, 1        c2: ξ = 1/2, 1, 0.4
//!   γ = (ξ1 + ξ2)/2:  A = 5/12,  B = 3/4,  C = 7/10
//!
//! mean_value (均值化, divide by the column mean):
//!   c1: mean 6      r = 2/3, 1, 4/3          reference 4/3   Δ = 2/3, 1/3, 0
//!   c2: mean 55/3   r = 12/11, 6/11, 15/11   reference 6/11  Δ = 6/11, 0, 9/11
//!   Δmin = 0, Δmax = 9/11, ρΔmax = 9/22 = 27/66
//!   c1: ξ = 27/(44+27), 27/(22+27), 1 = 27/71, 27/49, 1
//!   c2: ξ = 27/(36+27), 1, 27/(54+27) = 3/7, 1, 1/3
//!   γ:  A = (27/71 + 3/7)/2 = 201/497,  B = (27/49 + 1)/2 = 38/49,  C = (1 + 1/3)/2 = 2/3
//!
//! min_max (default; cost oriented as −x):
//!   c1: r = 0, 1/2, 1   Δ = 1, 1/2, 0;   c2: r = 1/3, 1, 0   Δ = 2/3, 0, 1;   Δmax = 1
//!   γ:  A = (1/3 + 3/7)/2 = 8/21,  B = (1/2 + 1)/2 = 3/4,  C = (1 + 1/3)/2 = 2/3
//! ```
//! (checked once with exact fractions in plain Python, written independently of the crate).

use std::process::{Command, Output};

use citycheck::aggregate::{grey_relational, grey_relational_with, Aggregate, GreyNormalization, Labels};
use citycheck::direction::Direction;
use citycheck::kernels::array;

const DIRECTIONS: [Direction; 2] = [Direction::Higher, Direction::Lower];

fn labels() -> Labels<'static> {
    Labels { rows: &[], columns: &[], year: None }
}

fn close_all(actual: &[f64], expected: &[f64], what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}");
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() < 1e-12, "{what}: {actual:?} vs {expected:?}");
    }
}

fn citycheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citycheck")).args(args).output().expect("the citycheck binary runs")
}

#[test]
fn initial_and_mean_value_match_the_hand_calculation() -> citycheck::Result<()> {
    let x = array![[4.0, 20.0], [6.0, 10.0], [8.0, 25.0]];
    let w = [0.5, 0.5];
    let g = |n: GreyNormalization| grey_relational_with(x.view(), &w, &DIRECTIONS, 0.5, n, labels());
    close_all(&g(GreyNormalization::InitialValue)?, &[5.0 / 12.0, 0.75, 0.7], "initial_value");
    close_all(&g(GreyNormalization::MeanValue)?, &[201.0 / 497.0, 38.0 / 49.0, 2.0 / 3.0], "mean_value");
    close_all(&g(GreyNormalization::MinMax)?, &[8.0 / 21.0, 0.75, 2.0 / 3.0], "min_max");
    // The default is min_max, unchanged.
    assert_eq!(grey_relational(x.view(), &w, &DIRECTIONS, 0.5, labels())?, g(GreyNormalization::MinMax)?);
    Ok(())
}

#[test]
fn ratio_forms_refuse_what_they_cannot_divide() {
    let w = [0.5, 0.5];
    let columns = ["c1".to_string(), "c2".to_string()];
    let named = Labels { rows: &[], columns: &columns, year: None };
    let zero_first = array![[0.0, 20.0], [6.0, 10.0]];
    let err = grey_relational_with(zero_first.view(), &w, &DIRECTIONS, 0.5, GreyNormalization::InitialValue, named)
        .unwrap_err()
        .to_string();
    assert!(err.contains("c1") && err.contains("first unit"), "{err}");
    // The mean is a fine base where the first value is 0.
    assert!(grey_relational_with(zero_first.view(), &w, &DIRECTIONS, 0.5, GreyNormalization::MeanValue, named).is_ok());
    let negative = array![[4.0, -20.0], [6.0, 10.0]];
    let err = grey_relational_with(negative.view(), &w, &DIRECTIONS, 0.5, GreyNormalization::MeanValue, named)
        .unwrap_err()
        .to_string();
    assert!(err.contains("c2") && err.contains("negative"), "{err}");
    let band = [Direction::Higher, Direction::Band([5.0, 15.0])];
    let x = array![[4.0, 20.0], [6.0, 10.0]];
    let err =
        grey_relational_with(x.view(), &w, &band, 0.5, GreyNormalization::InitialValue, named).unwrap_err().to_string();
    assert!(err.contains("band") && err.contains("min_max"), "{err}");
    assert!(grey_relational_with(x.view(), &w, &band, 0.5, GreyNormalization::MinMax, named).is_ok());
}

#[test]
fn names_parse_and_a_spec_table_reads_normalize() {
    assert_eq!("initial_value".parse::<GreyNormalization>().unwrap(), GreyNormalization::InitialValue);
    assert_eq!("mean_value".parse::<GreyNormalization>().unwrap(), GreyNormalization::MeanValue);
    assert!("initial".parse::<GreyNormalization>().unwrap_err().to_string().contains("initial_value"));
    let a: Aggregate = toml::from_str("method = \"grey_relational\"\nnormalize = \"mean_value\"").unwrap();
    assert_eq!(a, Aggregate::GreyRelational { rho: 0.5, normalize: GreyNormalization::MeanValue });
    // In a hierarchy every column is a child score, higher is better: mean_value of
    // [[4], [6], [8]] is 2/3, 1, 4/3, reference 4/3, Δ = 2/3, 1/3, 0, Δmax = 2/3, ρΔmax = 1/3,
    // ξ = (1/3)/(Δ + 1/3) = 1/3, 1/2, 1.
    let x = array![[4.0], [6.0], [8.0]];
    let g = a.apply(x.view(), &[1.0], citycheck::aggregate::MissingPolicy::Renormalize, labels()).unwrap();
    close_all(&g, &[1.0 / 3.0, 0.5, 1.0], "apply");
}

#[test]
fn cli_rank_grey_relational_reads_normalize() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m.csv");
    std::fs::write(&m, "alternative,c1,c2\nA,4,20\nB,6,10\nC,8,25\n").unwrap();
    let m = m.display().to_string();
    let m = m.as_str();
    let scores = |extra: &[&str]| -> Vec<f64> {
        let mut args = vec!["rank", "--matrix", m, "--types", "+,-", "--weights", "0.5,0.5"];
        args.extend_from_slice(&["--method", "grey_relational"]);
        args.extend_from_slice(extra);
        let out = citycheck(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
            .collect()
    };
    close_all(&scores(&["--normalize", "initial_value"]), &[5.0 / 12.0, 0.75, 0.7], "--normalize initial_value");
    close_all(&scores(&["--normalize", "mean_value"]), &[201.0 / 497.0, 38.0 / 49.0, 2.0 / 3.0], "mean_value");
    close_all(&scores(&[]), &[8.0 / 21.0, 0.75, 2.0 / 3.0], "default min_max");
    let out = citycheck(&["rank", "--matrix", m, "--method", "grey_relational", "--normalize", "vector"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("initial_value") && err.contains("mean_value"), "{err}");
}
