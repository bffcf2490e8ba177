//! The default run against an independent implementation (tests/golden/README.md).

use std::collections::HashMap;

use citycheck::run::RunConfig;

use crate::prec::assert_close;

/// Tolerance between two double-precision implementations of the same formulas.
const IMPLEMENTATIONS: f64 = 1e-9;

type Key = (String, i32, String, String);

/// Reads `unit,year,node,kind,score,rank` (and citycheck's `imputed`, which must be false: the
/// default run imputes nothing, and `coverage`, which must be 1: no city-year present lacks an
/// indicator).
fn read_scores(text: &str) -> HashMap<Key, (f64, u32)> {
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    assert!(
        header == "unit,year,node,kind,score,rank" || header == "unit,year,node,kind,score,rank,imputed,coverage",
        "{header}"
    );
    lines
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let key = (f[0].to_string(), f[1].parse().unwrap(), f[2].to_string(), f[3].to_string());
            assert!(f.get(6).is_none_or(|&imputed| imputed == "false"), "{line}");
            assert!(f.get(7).is_none_or(|coverage| coverage.parse::<f64>().unwrap() == 1.0), "{line}");
            (key, (f[4].parse().unwrap(), f[5].parse().unwrap()))
        })
        .collect()
}

#[test]
fn default_run_matches_the_pandas_peer() {
    let dir = tempfile::tempdir().unwrap();
    let report = citycheck::run::run(&RunConfig::embedded(), Some(dir.path())).unwrap().report;
    assert_eq!((report.counts.units, report.counts.years, report.counts.unit_years), (14, 5, 60));
    let ours = read_scores(&std::fs::read_to_string(dir.path().join("scores.csv")).unwrap());
    let peer = read_scores(include_str!("../golden/default_run_scores_pandas.csv"));
    // 60 unit-years × (7 indicators + 3 dimensions + index), none without a score.
    assert_eq!(ours.len(), 660);
    assert_eq!(peer.len(), 660);
    for (key, (score, rank)) in &peer {
        let (our_score, our_rank) = ours.get(key).unwrap_or_else(|| panic!("{key:?} missing from citycheck's scores"));
        assert_close(*our_score, *score, IMPLEMENTATIONS, &format!("{key:?}"));
        assert_eq!(our_rank, rank, "rank of {key:?}");
    }
    // The city-years missing from the data have no rows at all (never zeros).
    for (unit, year) in [("沈阳市", 2010), ("盘锦市", 2008), ("本溪市", 2012)] {
        assert!(!ours.keys().any(|k| k.0 == unit && k.1 == year), "{unit} {year} should have no row");
    }
}

/// Compares two CSV tables cell by cell: numbers to 1e-9, text exactly.
fn assert_same_table(actual: &str, expected: &str, what: &str) {
    use crate::reference_csv::Table;
    let (a, e) = (Table::parse(actual), Table::parse(expected));
    assert_eq!(a.header, e.header, "{what}: columns");
    assert_eq!(a.rows.len(), e.rows.len(), "{what}: rows");
    for (k, (ra, re)) in a.rows.iter().zip(&e.rows).enumerate() {
        for (j, (x, y)) in ra.iter().zip(re).enumerate() {
            let same = match (x.parse::<f64>(), y.parse::<f64>()) {
                (Ok(x), Ok(y)) => (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                _ => x == y,
            };
            assert!(same, "{what}: row {}, column {}: {x:?} vs {y:?}", k + 2, a.header[j]);
        }
    }
}

/// The diagnosis of 2012 in the default run: the problem ledger and the project reserve, against
/// the independent pandas peer (scripts/peers/diagnose_pandas.py, written from the docs only;
/// tests/golden/README.md) and the reviewed snapshot. Two rows by hand:
/// - 丹东市 garbage_harmless_rate: 30% against 90% → attainment 1/3, red (3 points); global
///   weight 0.0985464609 → severity 3 × 100 × 0.0985464609 = 29.5639383.
/// - its reserve: task 7 (倡导绿色低碳生产生活方式) collects that one problem: priority 29.5639383.
#[test]
fn default_run_diagnosis_matches_the_reviewed_tables() {
    let dir = tempfile::tempdir().unwrap();
    citycheck::run::run(&RunConfig::embedded(), Some(dir.path())).unwrap();
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_same_table(&read("ledger.csv"), include_str!("../golden/default_run_ledger_2012.csv"), "ledger");
    assert_same_table(&read("reserve.csv"), include_str!("../golden/default_run_reserve_2012.csv"), "reserve");
    let peer_ledger = include_str!("../golden/default_run_ledger_2012_pandas.csv");
    assert_same_table(&read("ledger.csv"), peer_ledger, "ledger vs the pandas peer");
    let peer_reserve = include_str!("../golden/default_run_reserve_2012_pandas.csv");
    assert_same_table(&read("reserve.csv"), peer_reserve, "reserve vs the pandas peer");
    let ledger = crate::reference_csv::Table::parse(&read("ledger.csv"));
    let k = ledger
        .text("unit")
        .iter()
        .zip(ledger.text("indicator"))
        .position(|(u, i)| *u == "丹东市" && i == "garbage_harmless_rate")
        .unwrap();
    let weight = ledger.values("weight")[k];
    crate::prec::assert_close(
        ledger.values("severity")[k],
        3.0 * 100.0 * weight,
        1e-9,
        "severity = points × 100 × weight",
    );
    crate::prec::assert_close(ledger.values("attainment")[k], 30.0 / 90.0, 1e-12, "attainment");
}
