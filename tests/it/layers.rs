//! The library's layers point one way (DESIGN.md, "Layers"): every `crate::` path in a module's
//! source names a module of a lower layer (or of an allowed one in the same layer). This test
//! reads the sources, so an import that breaks the table fails here with the file and line.

use std::collections::BTreeMap;
use std::path::Path;

/// Layer of every top-level module, and the modules of its own layer it may also use.
const LAYERS: &[(&str, u32, &[&str])] = &[
    ("error", 0, &[]),
    ("direction", 0, &[]),
    ("kernels", 0, &["error", "direction"]),
    ("io", 0, &["error"]),
    // Method names: parsing, the closest known name, serde.
    ("names", 0, &["error"]),
    // Sobol sensitivity: a generic kernel on a model closure, with the seeded generator.
    ("sensitivity", 0, &["error", "kernels", "progress"]),
    // The observer of long work (progress bars are drawn by the binary): imports nothing.
    ("progress", 0, &[]),
    ("catalog", 1, &[]),
    ("panel", 2, &[]),
    // Methods: plain arrays, directions and criteria, never the catalogue or one another.
    ("treat", 3, &[]),
    ("normalize", 3, &[]),
    ("weight", 3, &[]),
    ("aggregate", 3, &[]),
    // Efficiency (DEA, Malmquist): plain arrays and the LP solver, like the other methods.
    ("efficiency", 3, &[]),
    ("checkup", 4, &[]),
    ("trend", 4, &[]),
    // The step-by-step tables of the weight and ranking methods on a decision matrix.
    ("explain", 4, &[]),
    ("evaluate", 5, &[]),
    ("survey", 5, &[]),
    ("compute", 5, &[]),
    // The diagnosis reads the evaluation's trends and the survey's reconciliation.
    ("diagnose", 5, &["evaluate", "survey"]),
    // The re-check (复查) follows the diagnosis's ledgers across years.
    ("recheck", 5, &["diagnose"]),
    ("projects", 5, &["diagnose", "recheck"]),
    // The annual assessment (年度考核评估) reads the projects table and the re-check's level name.
    ("assess", 5, &["projects", "recheck"]),
    // Monte Carlo uncertainty and the Sobol sensitivity of a spec's ranks.
    ("uncertainty", 5, &[]),
    // The statistical audit of a check-up's normalised values (coverage, outliers,
    // correlations, Cronbach's α, principal components).
    ("audit", 5, &[]),
    ("pipeline", 6, &[]),
    // The check-up report (report.html) reads a run's output folder; the run writes its report
    // through it.
    ("report", 7, &[]),
    ("run", 7, &["pipeline", "report"]),
];

/// Methods may import only these lower layers: the catalogue and the panel are out of reach.
const METHOD_LAYER_MAY_USE: &[&str] = &["error", "direction", "kernels", "names", "progress"];

fn layer_of(module: &str) -> Option<(u32, &'static [&'static str])> {
    LAYERS.iter().find(|(m, _, _)| *m == module).map(|&(_, l, same)| (l, same))
}

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `crate::module` names on one line of code (comments and doc comments left out).
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.trim_start();
    if code.starts_with("//") {
        return Vec::new();
    }
    let code = code.split(" //").next().unwrap_or(code);
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        // `crate::{a, b}` lists several modules.
        if name.is_empty() && after.starts_with('{') {
            let inner = after[1..].split('}').next().unwrap_or("");
            found.extend(inner.split(',').filter_map(|p| {
                let m: String = p.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                (!m.is_empty()).then_some(m)
            }));
        } else if !name.is_empty() {
            found.push(name);
        }
        rest = after;
    }
    found
}

#[test]
fn imports_point_down_the_layer_table() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut broken = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let first = relative.components().next().expect("a component").as_os_str().to_string_lossy().to_string();
        let module = first.trim_end_matches(".rs").to_string();
        // The binary and lib.rs (which declares the modules) are on top. (The Python binding is
        // another crate, python/, and sees the public API only.)
        if matches!(module.as_str(), "bin" | "lib") {
            continue;
        }
        let (layer, same) = layer_of(&module).unwrap_or_else(|| panic!("module '{module}' is not in the layer table"));
        *seen.entry(module.clone()).or_default() += 1;
        let text = std::fs::read_to_string(file).expect("readable");
        // Unit tests (a `#[cfg(test)]` module, last in its file) may use anything.
        for (n, line) in text.lines().enumerate().take_while(|(_, l)| l.trim() != "#[cfg(test)]") {
            for used in crate_paths(line) {
                if used == module || matches!(used.as_str(), "Result" | "Error") {
                    continue;
                }
                // Re-exports at the crate root (crate::Catalog, crate::Checkup, …) are types of
                // the modules that define them.
                let used_module = match used.as_str() {
                    "Catalog" => "catalog",
                    "Checkup" | "Dataset" | "Fitted" | "Outcome" | "Scores" | "Spec" | "Preparation" | "Ranked" => {
                        "checkup"
                    }
                    "Panel" | "ReadOptions" | "Validation" | "ValidationMode" => "panel",
                    "Issue" => "error",
                    "Pipeline" | "Report" => "pipeline",
                    other => other,
                };
                let Some((used_layer, _)) = layer_of(used_module) else {
                    broken.push(format!("{}:{}: unknown module crate::{used}", relative.display(), n + 1));
                    continue;
                };
                let allowed = if layer == 3 {
                    METHOD_LAYER_MAY_USE.contains(&used_module)
                } else {
                    used_layer < layer || same.contains(&used_module)
                };
                if !allowed {
                    broken.push(format!(
                        "{}:{}: layer {layer} module '{module}' uses '{used_module}' (layer {used_layer})",
                        relative.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    for (module, _, _) in LAYERS {
        assert!(seen.contains_key(*module), "module '{module}' of the table has no source file");
    }
    assert!(broken.is_empty(), "imports against the layer table:\n{}", broken.join("\n"));
}

#[test]
fn the_line_reader_finds_grouped_imports() {
    assert_eq!(crate_paths("use crate::{catalog::Catalog, error::Result};"), ["catalog", "error"]);
    assert_eq!(crate_paths("    let x = crate::kernels::stats::sum(y);"), ["kernels"]);
    assert!(crate_paths("/// see crate::catalog").is_empty());
}
