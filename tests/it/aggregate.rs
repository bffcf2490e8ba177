//! Aggregation (METHODS.md §5) by hand on a 2 × 3 matrix, gaps, and the errors.
//!
//! Matrices (rows = units, columns = children), weights w = [1/2, 1/4, 1/4]:
//!   沈阳市: [4, 16, 64]
//!   大连市: [9,  3,  1]
//! arithmetic  沈阳市 2 + 4 + 16 = 22;                 大连市 4.5 + 0.75 + 0.25 = 5.5
//! geometric   沈阳市 4^½·16^¼·64^¼ = 2·2·2√2 = 8√2;   大连市 9^½·3^¼·1^¼ = 3^(5/4)
//! harmonic    沈阳市 1/(1/8 + 1/64 + 1/256) = 256/37;  大连市 1/(1/18 + 1/12 + 1/4) = 18/7

use citycheck::aggregate::{arithmetic, geometric, harmonic, Aggregate, Labels, MissingPolicy};
use citycheck::kernels::{from_rows, Array2};
use citycheck::Error;

use crate::prec::{assert_all_close, HAND};

const NAN: f64 = f64::NAN;
const W: [f64; 3] = [0.5, 0.25, 0.25];

fn units() -> Vec<String> {
    vec!["沈阳市".to_string(), "大连市".to_string()]
}

fn children() -> Vec<String> {
    vec!["green".to_string(), "water".to_string(), "air".to_string()]
}

fn matrix(rows: [[f64; 3]; 2]) -> Array2<f64> {
    from_rows(&rows).expect("2 x 3")
}

#[test]
fn arithmetic_by_hand() {
    let x = matrix([[4.0, 16.0, 64.0], [9.0, 3.0, 1.0]]);
    assert_all_close(&arithmetic(x.view(), &W), &[22.0, 5.5], HAND, "arithmetic");
}

#[test]
fn geometric_by_hand() {
    let x = matrix([[4.0, 16.0, 64.0], [9.0, 3.0, 1.0]]);
    let (u, c) = (units(), children());
    let labels = Labels { rows: &u, columns: &c, year: Some(2024) };
    let g = geometric(x.view(), &W, labels).expect("all scores > 0");
    assert_all_close(&g, &[8.0 * 2f64.sqrt(), 3f64.powf(1.25)], HAND, "geometric");
}

#[test]
fn harmonic_by_hand() {
    let x = matrix([[4.0, 16.0, 64.0], [9.0, 3.0, 1.0]]);
    let (u, c) = (units(), children());
    let labels = Labels { rows: &u, columns: &c, year: None };
    let h = harmonic(x.view(), &W, labels).expect("all scores > 0");
    assert_all_close(&h, &[256.0 / 37.0, 18.0 / 7.0], HAND, "harmonic");
}

#[test]
fn means_are_ordered_arithmetic_geometric_harmonic() {
    // AM ≥ GM ≥ HM for positive data, with equality for a constant row.
    let x = matrix([[4.0, 16.0, 64.0], [10.0, 10.0, 10.0]]);
    let (u, c) = (units(), children());
    let labels = Labels { rows: &u, columns: &c, year: None };
    for method in [Aggregate::Arithmetic, Aggregate::Geometric, Aggregate::Harmonic] {
        let v = method.apply(x.view(), &W, MissingPolicy::Renormalize, labels).unwrap();
        assert_all_close(&v[1..], &[10.0], HAND, &format!("{} of a constant row", method.name()));
    }
    let a = arithmetic(x.view(), &W)[0];
    let g = geometric(x.view(), &W, labels).unwrap()[0];
    let h = harmonic(x.view(), &W, labels).unwrap()[0];
    assert!(a > g && g > h, "AM {a} > GM {g} > HM {h}");
}

#[test]
fn renormalize_over_present_children() {
    // 沈阳市 [4, NaN, 64]: the present weights 1/2 and 1/4 are rescaled to 2/3 and 1/3.
    // arithmetic (2 + 16)/(3/4) = 24; geometric exp((½ ln 4 + ¼ ln 64)/(¾)) = 2^(2.5/0.75) = 2^(10/3);
    // harmonic (3/4)/(1/8 + 1/256) = (3/4)·(256/33) = 64/11.
    let x = matrix([[4.0, NAN, 64.0], [9.0, 3.0, 1.0]]);
    let (u, c) = (units(), children());
    let labels = Labels { rows: &u, columns: &c, year: None };
    let r = MissingPolicy::Renormalize;
    assert_all_close(&Aggregate::Arithmetic.apply(x.view(), &W, r, labels).unwrap(), &[24.0, 5.5], HAND, "arithmetic");
    assert_all_close(
        &Aggregate::Geometric.apply(x.view(), &W, r, labels).unwrap(),
        &[2f64.powf(10.0 / 3.0), 3f64.powf(1.25)],
        HAND,
        "geometric",
    );
    assert_all_close(
        &Aggregate::Harmonic.apply(x.view(), &W, r, labels).unwrap(),
        &[64.0 / 11.0, 18.0 / 7.0],
        HAND,
        "harmonic",
    );
}

#[test]
fn a_row_with_nothing_present_is_missing() {
    let x = matrix([[NAN, NAN, NAN], [9.0, 3.0, 1.0]]);
    let (u, c) = (units(), children());
    let labels = Labels { rows: &u, columns: &c, year: None };
    for method in [Aggregate::Arithmetic, Aggregate::Geometric, Aggregate::Harmonic] {
        let v = method.apply(x.view(), &W, MissingPolicy::Renormalize, labels).unwrap();
        assert!(v[0].is_nan(), "{}: a row of NaN scores NaN, got {}", method.name(), v[0]);
        assert!(!v[1].is_nan(), "{}: the complete row is scored", method.name());
    }
}

#[test]
fn geometric_with_a_zero_asks_for_lo_above_zero() {
    // METHODS.md §5: geometric needs r > 0, "else a clear error that suggests lo > 0".
    let x = matrix([[4.0, 16.0, 64.0], [9.0, 0.0, 1.0]]);
    let (u, c) = (units(), children());
    let labels = Labels { rows: &u, columns: &c, year: Some(2024) };
    for method in [Aggregate::Geometric, Aggregate::Harmonic] {
        let err = method.apply(x.view(), &W, MissingPolicy::Renormalize, labels).expect_err("a zero score");
        let Error::Method { method: name, location, message } = &err else {
            panic!("expected Error::Method, got {err:?}");
        };
        assert_eq!(*name, method.name());
        assert!(message.contains("lo > 0"), "the message suggests lo > 0: {message}");
        let location = location.as_ref().expect("the error says where");
        assert_eq!(location.unit.as_deref(), Some("大连市"));
        assert_eq!(location.indicator.as_deref(), Some("water"));
        assert_eq!(location.year, Some(2024));
    }
}

#[test]
fn missing_policy_error_names_the_unit() {
    let x = matrix([[4.0, 16.0, 64.0], [9.0, NAN, 1.0]]);
    let (u, c) = (units(), children());
    let labels = Labels { rows: &u, columns: &c, year: Some(2024) };
    let err = Aggregate::Arithmetic
        .apply(x.view(), &W, MissingPolicy::Error, labels)
        .expect_err("a gap under missing = error");
    assert!(matches!(err, Error::Method { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("大连市") && text.contains("water"), "the message names unit and child: {text}");
    // The same data under renormalize is scored.
    assert!(Aggregate::Arithmetic.apply(x.view(), &W, MissingPolicy::Renormalize, labels).is_ok());
}

#[test]
fn aggregation_names_round_trip() {
    for name in Aggregate::NAMES {
        assert_eq!(name.parse::<Aggregate>().unwrap().name(), *name);
    }
    assert!(matches!("median".parse::<Aggregate>(), Err(Error::UnknownName { .. })));
}
