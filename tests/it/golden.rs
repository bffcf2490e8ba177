//! The default run against an independent implementation (tests/golden/README.md).

use std::collections::HashMap;

use citycheck::io::RunConfig;

use crate::prec::assert_close;

/// Tolerance between two double-precision implementations of the same formulas.
const IMPLEMENTATIONS: f64 = 1e-9;

type Key = (String, i32, String, String);

/// Reads `unit,year,node,kind,score,rank` (and citycheck's `imputed`, which must be false: the
/// default run imputes nothing).
fn read_scores(text: &str) -> HashMap<Key, (f64, u32)> {
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    assert!(
        header == "unit,year,node,kind,score,rank" || header == "unit,year,node,kind,score,rank,imputed",
        "{header}"
    );
    lines
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let key = (f[0].to_string(), f[1].parse().unwrap(), f[2].to_string(), f[3].to_string());
            assert!(f.get(6).is_none_or(|&imputed| imputed == "false"), "{line}");
            (key, (f[4].parse().unwrap(), f[5].parse().unwrap()))
        })
        .collect()
}

#[test]
fn default_run_matches_the_pandas_peer() {
    let dir = tempfile::tempdir().unwrap();
    let report = citycheck::io::run(&RunConfig::embedded(), Some(dir.path())).unwrap().report;
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
