//! `--explain DIR` on `weights` and `rank` (issue 17): the intermediate tables sum back to the
//! numbers the command prints, step by step — p sums to 1 down each column and w = d/Σd for
//! entropy; v = w·r, C = D−/(D+ + D−) for TOPSIS; γ = Σ w ξ for grey relational analysis;
//! S = Σ_j d_ij, R = max_j d_ij and Q for VIKOR — and a method without tables refuses the flag.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};

const MATRIX: &str = "alternative,cost,quality,speed\nA,12,7,3.5\nB,15,9,2.0\nC,9,5,4.1\nD,20,8,1.5\nE,11,6,2.9\n";

fn citycheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citycheck")).args(args).output().expect("the citycheck binary runs")
}

/// A CSV without quoted fields: the header, then the rows keyed by their first cell.
fn read(path: &Path) -> (Vec<String>, HashMap<String, Vec<f64>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_string).collect();
    let rows = lines
        .map(|l| {
            let mut cells = l.split(',');
            let key = cells.next().unwrap().to_string();
            (key, cells.map(|c| c.parse::<f64>().unwrap_or(f64::NAN)).collect())
        })
        .collect();
    (header, rows)
}

/// The printed `name,value` pairs of the first two columns of stdout.
fn printed(out: &Output) -> HashMap<String, f64> {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1)
        .map(|l| {
            let mut cells = l.split(',');
            (cells.next().unwrap().to_string(), cells.next().unwrap().parse().unwrap())
        })
        .collect()
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < 1e-12, "{what}: {a} vs {b}");
}

#[test]
fn entropy_tables_sum_back_to_the_weights() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m.csv");
    std::fs::write(&m, MATRIX).unwrap();
    let m = m.display().to_string();
    for (k, extra) in [&[][..], &["--types", "-,+,+", "--rescale", "0.002,0.996"][..]].iter().enumerate() {
        let method = if k == 0 { "entropy" } else { "entropy_normalized" };
        let out_dir = dir.path().join(format!("explain{k}"));
        let out_str = out_dir.display().to_string();
        let mut args = vec!["weights", "--matrix", m.as_str(), "--method", method, "--explain", out_str.as_str()];
        args.extend_from_slice(extra);
        let weights = printed(&citycheck(&args));
        let (header, p) = read(&out_dir.join("entropy_p.csv"));
        assert_eq!(header, ["alternative", "cost", "quality", "speed"]);
        let (_, criteria) = read(&out_dir.join("entropy_criteria.csv"));
        let d_total: f64 = criteria.values().map(|row| row[1]).sum();
        for (j, name) in header[1..].iter().enumerate() {
            let column_sum: f64 = p.values().map(|row| row[j]).sum();
            close(column_sum, 1.0, &format!("{method}: p of {name} sums to 1"));
            let [e, d, w] = criteria[name.as_str()][..] else { panic!("e, d, weight") };
            // e = −(1/ln m) Σ p ln p, from the p table.
            let h: f64 = p.values().map(|row| row[j]).filter(|&q| q > 0.0).map(|q| q * q.ln()).sum();
            close(e, -h / (p.len() as f64).ln(), &format!("{method}: e of {name}"));
            close(d, 1.0 - e, &format!("{method}: d of {name}"));
            close(w, d / d_total, &format!("{method}: w = d/Σd of {name}"));
            close(w, weights[name.as_str()], &format!("{method}: the printed weight of {name}"));
        }
    }
    // A method without tables refuses the flag, naming those with tables.
    let out = citycheck(&["weights", "--matrix", &m, "--method", "cv", "--explain", "x"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--explain") && err.contains("entropy_normalized, critic"), "{err}");
}

/// Diakoulaki, Mavrotas & Papayannakis (1995), Computers & Operations Research 22(7):763–770:
/// w = [0.20222554, 0.48090173, 0.31687273] (the crate's doc example of `critic`).
#[test]
fn critic_tables_sum_back_to_the_weights() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m.csv");
    std::fs::write(
        &m,
        "alternative,c1,c2,c3\nA1,61.0,1.08,4.33\nA2,20.7,0.26,4.34\nA3,16.3,1.98,2.53\nA4,9.0,3.29,1.65\n\
         A5,5.4,2.77,2.33\nA6,4.0,4.12,1.21\nA7,-6.1,3.52,2.10\nA8,-34.6,3.31,0.98\n",
    )
    .unwrap();
    let out_dir = dir.path().join("explain");
    let (m, out_str) = (m.display().to_string(), out_dir.display().to_string());
    let weights = printed(&citycheck(&["weights", "--matrix", &m, "--method", "critic", "--explain", &out_str]));
    for (c, w) in ["c1", "c2", "c3"].iter().zip([0.20222554, 0.48090173, 0.31687273]) {
        assert!((weights[*c] - w).abs() < 5e-9, "{c}: {} vs Diakoulaki {w}", weights[*c]);
    }
    let (_, rho) = read(&out_dir.join("critic_correlation.csv"));
    let (_, criteria) = read(&out_dir.join("critic_criteria.csv"));
    let total: f64 = criteria.values().map(|row| row[2]).sum();
    for c in ["c1", "c2", "c3"] {
        let [sigma, conflict, information, w] = criteria[c][..] else { panic!("four columns") };
        close(conflict, rho[c].iter().map(|r| 1.0 - r).sum(), "conflict = Σ (1 − ρ)");
        close(information, sigma * conflict, "C = σ · conflict");
        close(w, information / total, "w = C/ΣC");
        close(w, weights[c], "the printed weight");
    }
}

#[test]
fn rank_tables_sum_back_to_the_scores() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m.csv");
    std::fs::write(&m, MATRIX).unwrap();
    let m = m.display().to_string();
    let w = [0.5, 0.3, 0.2];
    let rank = |method: &str, extra: &[&str]| -> (HashMap<String, f64>, std::path::PathBuf) {
        let out_dir = dir.path().join(format!("{method}{}", extra.len()));
        let out_str = out_dir.display().to_string();
        let mut args = vec!["rank", "--matrix", m.as_str(), "--types", "-,+,+", "--weights", "0.5,0.3,0.2"];
        args.extend_from_slice(&["--method", method, "--explain", out_str.as_str()]);
        args.extend_from_slice(extra);
        (printed(&citycheck(&args)), out_dir)
    };

    for extra in [&[][..], &["--normalize", "min_max"][..]] {
        let (scores, out) = rank("topsis", extra);
        let (_, r) = read(&out.join("topsis_normalized.csv"));
        let (_, v) = read(&out.join("topsis_weighted.csv"));
        let (_, ideal) = read(&out.join("topsis_ideal.csv"));
        let (_, dist) = read(&out.join("topsis_distances.csv"));
        let criteria = ["cost", "quality", "speed"];
        for (a, row) in &dist {
            for (j, wj) in w.iter().enumerate() {
                close(v[a][j], wj * r[a][j], "v = w r");
            }
            let d_plus = (0..3).map(|j| (v[a][j] - ideal[criteria[j]][0]).powi(2)).sum::<f64>().sqrt();
            let d_minus = (0..3).map(|j| (v[a][j] - ideal[criteria[j]][1]).powi(2)).sum::<f64>().sqrt();
            close(row[0], d_plus, "D+");
            close(row[1], d_minus, "D−");
            close(row[2], d_minus / (d_plus + d_minus), "C = D−/(D+ + D−)");
            close(row[2], scores[a], "the printed closeness");
        }
    }

    for extra in [&[][..], &["--normalize", "mean_value", "--parameter", "0.4"][..]] {
        let (scores, out) = rank("grey_relational", extra);
        let (_, xi) = read(&out.join("grey_coefficients.csv"));
        let (_, delta) = read(&out.join("grey_delta.csv"));
        let (_, summary) = read(&out.join("grey_summary.csv"));
        let (delta_min, delta_max, rho) = {
            let text = std::fs::read_to_string(out.join("grey_summary.csv")).unwrap();
            let cells: Vec<f64> = text.lines().nth(1).unwrap().split(',').take(3).map(|c| c.parse().unwrap()).collect();
            (cells[0], cells[1], cells[2])
        };
        assert_eq!(summary.len(), 1);
        for (a, row) in &xi {
            for (j, &xij) in row.iter().take(3).enumerate() {
                let expected = (delta_min + rho * delta_max) / (delta[a][j] + rho * delta_max);
                close(xij, expected, "ξ from Δ");
            }
            let grade: f64 = (0..3).map(|j| w[j] * row[j]).sum();
            close(row[3], grade, "γ = Σ w ξ");
            close(grade, scores[a], "the printed grade");
        }
    }

    let (q, out) = rank("vikor", &[]);
    let (header, terms) = read(&out.join("vikor_terms.csv"));
    assert_eq!(header, ["alternative", "cost", "quality", "speed", "s", "r", "q"]);
    for (a, row) in &terms {
        close(row[3], row[..3].iter().sum(), "S = Σ d");
        close(row[4], row[..3].iter().copied().fold(0.0, f64::max), "R = max d");
        close(row[5], q[a], "the printed Q");
    }

    let out = citycheck(&["rank", "--matrix", &m, "--method", "weighted_sum", "--explain", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("topsis, grey_relational, vikor"));
}
