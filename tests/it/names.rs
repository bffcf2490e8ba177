//! One way to name a method: a misspelt method name gets one message — the unknown name, the
//! closest known name and every known name — whether it comes through `FromStr`, a TOML run
//! spec, a level override, JSON or a command-line flag.

use citycheck::aggregate::Aggregate;
use citycheck::normalize::Normalize;
use citycheck::run::RunConfig;
use citycheck::treat::Imputation;
use citycheck::weight::{AhpMethod, Combination, Weight};
use citycheck::{Error, Spec};

const MINMAX: &str =
    "unknown normalisation 'minmax': did you mean 'min_max'? known: min_max, band, z_score, goalposts, \
                      target, rank, percentile, vector, sum";
const ENTRPY: &str = "unknown weight method 'entrpy': did you mean 'entropy'? known: equal, fixed, entropy, \
                      entropy_normalized, critic, cv, std, pca, deviation_max, ahp, combined";

/// The message of an [`Error::Spec`]; any other error fails the test.
fn spec_message<T: std::fmt::Debug>(result: citycheck::Result<T>) -> String {
    match result {
        Err(Error::Spec(message) | Error::UnknownName { message, .. }) => message,
        other => panic!("expected a spec error, got {other:?}"),
    }
}

/// Checks that `message` carries `expected` and none of serde's generic texts.
fn assert_names(message: &str, expected: &str) {
    assert!(message.contains(expected), "expected «{expected}» in:\n{message}");
    for generic in ["untagged", "internally tagged", "unknown variant"] {
        assert!(!message.contains(generic), "serde's words «{generic}» in:\n{message}");
    }
}

#[test]
fn from_str_names_the_closest_method() {
    assert_eq!(spec_message("minmax".parse::<Normalize>()), MINMAX);
    assert_eq!(spec_message("entrpy".parse::<Weight>()), ENTRPY);
    assert_names(
        &spec_message("geometirc".parse::<Aggregate>()),
        "unknown aggregation 'geometirc': did you mean 'geometric'? known: arithmetic, geometric, harmonic, topsis, \
         grey_relational, vikor, weighted_sum, weighted_product",
    );
    assert_names(&spec_message("carry-forward".parse::<Imputation>()), "did you mean 'carry_forward'?");
    assert_names(&spec_message("eigen_vector".parse::<AhpMethod>()), "did you mean 'eigenvector'?");
    assert_names(&spec_message("gametheory".parse::<Combination>()), "did you mean 'game_theory'?");
    // Nothing close: no suggestion, but every name.
    assert_eq!(
        spec_message("median".parse::<Aggregate>()),
        "unknown aggregation 'median'; known: arithmetic, geometric, harmonic, topsis, grey_relational, vikor, \
         weighted_sum, weighted_product"
    );
    // Methods whose parameters have no default are refused by name, saying how to give them.
    let combined = spec_message("combined".parse::<Weight>());
    assert!(combined.contains("needs parameters") && combined.contains("of = ["), "{combined}");
    let group_mean = spec_message("group_mean".parse::<Imputation>());
    assert!(group_mean.contains("needs parameters") && group_mean.contains("by = "), "{group_mean}");
    // A name gives the method with default parameters, and Display writes the name.
    assert_eq!("min_max".parse::<Normalize>().unwrap(), Normalize::MinMax { lo: 0.0, hi: 100.0 });
    assert_eq!(
        "ahp".parse::<Weight>().unwrap(),
        Weight::Ahp {
            derivation: AhpMethod::Eigenvector,
            strict: false,
            random_index: Default::default(),
            reciprocal_tolerance: 0.005,
        }
    );
    assert_eq!(Aggregate::GreyRelational { rho: 0.3, normalize: Default::default() }.to_string(), "grey_relational");
    assert_eq!(AhpMethod::GeometricMean.to_string(), "geometric_mean");
    // NAMES lists every method, the parameterised ones too.
    assert!(Weight::NAMES.contains(&"ahp") && Weight::NAMES.contains(&"combined"));
}

#[test]
fn a_toml_spec_gets_the_same_message() {
    assert_names(&spec_message(Spec::from_toml(r#"normalize = { method = "minmax" }"#)), MINMAX);
    // Staged methods, plain and with levels.
    assert_names(&spec_message(Spec::from_toml(r#"weights = { method = "entrpy" }"#)), ENTRPY);
    assert_names(
        &spec_message(Spec::from_toml(r#"aggregate = { default = { method = "geometirc" } }"#)),
        "default: unknown aggregation 'geometirc': did you mean 'geometric'?",
    );
    assert_names(
        &spec_message(Spec::from_toml(r#"impute = { method = "linaer" }"#)),
        "unknown imputation 'linaer': did you mean 'linear'?",
    );
    // Names inside a method's parameters.
    assert_names(
        &spec_message(Spec::from_toml(r#"weights = { method = "ahp", derivation = "geometric-mean" }"#)),
        "weight method 'ahp': unknown AHP derivation 'geometric-mean': did you mean 'geometric_mean'?",
    );
    assert_names(
        &spec_message(Spec::from_toml(
            r#"weights = { method = "combined", combination = { rule = "game_theory" }, of = [{ method = "entropy" }, { method = "critc" }] }"#,
        )),
        "weight method 'combined': unknown weight method 'critc': did you mean 'critic'?",
    );
    assert_names(
        &spec_message(Spec::from_toml(
            r#"weights = { method = "combined", combination = { rule = "gametheory" }, of = [{ method = "entropy" }, { method = "critic" }] }"#,
        )),
        "unknown combination rule 'gametheory': did you mean 'game_theory'?",
    );
    // A missing name, a bare string and a bad parameter say what was wrong.
    assert_names(
        &spec_message(Spec::from_toml("normalize = { lo = 0 }")),
        "missing 'method', the name of the normalisation; known: min_max, band",
    );
    assert_names(&spec_message(Spec::from_toml(r#"normalize = "z_score""#)), r#"{ method = "z_score" }"#);
    assert_names(
        &spec_message(Spec::from_toml(r#"normalize = { method = "min_max", low = 1 }"#)),
        "normalisation 'min_max': unknown field `low`, expected `lo` or `hi`",
    );
    // JSON (the Python keywords) reads methods the same way.
    let err = serde_json::from_str::<Spec>(r#"{"normalize": {"method": "minmax"}}"#).unwrap_err();
    assert_names(&err.to_string(), MINMAX);
}

#[test]
fn a_level_override_gets_the_same_message_and_its_level() {
    let config = r#"
catalog = "ccsy-example"

[data]
path = "data.csv"

[spec.weights]
default = { method = "equal" }

[spec.weights.levels]
"2" = { method = "entrpy" }
"#;
    let message = spec_message(RunConfig::from_toml(config));
    assert_names(&message, &format!("levels.\"2\": {ENTRPY}"));
    // The levels form refuses keys it does not know.
    let message = spec_message(Spec::from_toml(r#"weights = { default = { method = "equal" }, level = {} }"#));
    assert!(message.contains("unknown key 'level'"), "{message}");
}

#[cfg(feature = "cli")]
mod cli {
    use std::process::{Command, Output};

    use super::{assert_names, ENTRPY, MINMAX};
    use citycheck::aggregate::Aggregate;
    use citycheck::normalize::Normalize;
    use citycheck::weight::{AhpMethod, Weight};

    fn citycheck(args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_citycheck")).args(args).output().expect("the citycheck binary runs")
    }

    /// The error output of a command that must fail with exit code 2.
    fn failure(args: &[&str]) -> String {
        let out = citycheck(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: stdout {}", String::from_utf8_lossy(&out.stdout));
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    #[test]
    fn a_misspelt_flag_gets_the_same_message() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data.csv");
        std::fs::write(&data, "unit,year,green_coverage_builtup\nA,2012,40\n").unwrap();
        let data = data.to_str().unwrap();
        let score = ["score", "--catalog", "ccsy-example", "--data", data];
        assert_names(&failure(&[&score[..], &["--normalize", "minmax"]].concat()), MINMAX);
        assert_names(&failure(&[&score[..], &["--weights", "entrpy"]].concat()), ENTRPY);
        assert_names(
            &failure(&[&score[..], &["--aggregate", "geometirc"]].concat()),
            "unknown aggregation 'geometirc': did you mean 'geometric'?",
        );
        assert_names(&failure(&[&score[..], &["--weights", "combined"]].concat()), "needs parameters");

        let m = dir.path().join("m.csv");
        std::fs::write(&m, "alternative,c1,c2\nA,1,2\nB,2,1\n").unwrap();
        let m = m.to_str().unwrap();
        assert_names(&failure(&["weights", "--matrix", m, "--method", "entrpy"]), ENTRPY);
        assert_names(
            &failure(&["weights", "--method", "ahp", "--derivation", "eigen"]),
            "unknown AHP derivation 'eigen'",
        );
        assert_names(
            &failure(&["rank", "--matrix", m, "--method", "topsus"]),
            "unknown ranking method 'topsus': did you mean 'topsis'?",
        );
        // `rank --weights` also takes numbers or a file, so its name is read after clap.
        assert_names(&failure(&["rank", "--matrix", m, "--method", "topsis", "--weights", "entrpy"]), ENTRPY);
        assert_names(&failure(&["rank", "--matrix", m, "--method", "arithmetic", "--normalize", "minmax"]), MINMAX);
        assert_names(
            &failure(&["rank", "--matrix", m, "--method", "topsis", "--normalize", "vectr"]),
            "unknown TOPSIS normalisation 'vectr': did you mean 'vector'?",
        );

        // A misspelt name in a run config read by `citycheck run`, in a level override.
        let config = dir.path().join("run.toml");
        std::fs::write(
            &config,
            format!(
                "catalog = \"ccsy-example\"\n[data]\npath = {data:?}\n[spec.weights]\ndefault = {{ method = \"equal\" \
                 }}\n[spec.weights.levels]\n\"2\" = {{ method = \"entrpy\" }}\n"
            ),
        )
        .unwrap();
        assert_names(&failure(&["run", config.to_str().unwrap()]), &format!("levels.\"2\": {ENTRPY}"));
    }

    #[test]
    fn method_flags_list_every_name_in_their_help() {
        let words = |args: &[&str]| -> Vec<String> {
            let out = citycheck(args);
            assert!(out.status.success());
            String::from_utf8_lossy(&out.stdout)
                .split(|c: char| c.is_whitespace() || ",():;".contains(c))
                .map(str::to_string)
                .collect()
        };
        let score = words(&["score", "--help"]);
        for name in Normalize::NAMES.iter().chain(Weight::NAMES).chain(Aggregate::NAMES) {
            assert!(score.iter().any(|w| w == name), "score --help lacks '{name}'");
        }
        let weights = words(&["weights", "--help"]);
        for name in Weight::NAMES.iter().chain(AhpMethod::NAMES) {
            assert!(weights.iter().any(|w| w == name), "weights --help lacks '{name}'");
        }
    }
}

/// A parameter that is not a finite number is named as such (TOML's nan and inf reach the
/// name check as null).
#[test]
fn non_finite_parameters_are_named() {
    for text in ["normalize = { method = \"min_max\", lo = nan }", "normalize = { method = \"min_max\", hi = inf }"] {
        let err = Spec::from_toml(text).unwrap_err().to_string();
        assert!(err.contains("min_max") && err.contains("not a finite number"), "{text}: {err}");
    }
}
