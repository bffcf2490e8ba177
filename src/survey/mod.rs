//! The satisfaction survey (社会满意度调查), METHODS.md §8: weighted item and dimension scores
//! with their uncertainty, reliability of the dimensions, and the combination of the survey
//! with the self-check and third-party check.
//!
//! ```text
//! definition.toml → SurveyDefinition ─┐
//! CSV/Parquet/xlsx/DataFrame → Responses ─┴→ score → SurveyReport → write (survey_items.csv, …)
//! ```
//!
//! - [`SurveyDefinition`]: scales (labels with scores, or numeric ranges), items, dimensions
//!   (`definition.rs` documents the TOML).
//! - [`Responses`]: one row per respondent — unit, year, optional design weight and stratum,
//!   one column per item.
//! - [`score`]: per unit × year × item and per unit × year × dimension, [`Stats`]; per year ×
//!   dimension, Cronbach's α ([`cronbach`]); every bad answer with its row.
//! - [`reconcile`], [`confirmed`], [`combine`]: the three sources side by side.
//!
//! # Answers
//! Each answer is judged against its item's scale: *valid* (a score, and whether it is in the
//! satisfied levels), *missing* (an empty cell or a `missing` mark such as 不清楚 — no answer,
//! not an error), or *bad* (an unknown label, a non-number on a numeric scale, a number
//! outside `[min, max]` such as 810 on 1–10, a number between steps). Bad answers are listed in
//! `bad_answers` with unit, year, row, item, answer and reason, and left out — never clipped
//! into the scale. A row whose weight is missing, not a number, zero or negative, or whose unit,
//! year or stratum cannot be read, is listed (with the column at fault) and left out whole.
//!
//! # Estimates (per unit-year; respondents i with a valid answer yᵢ, weights wᵢ)
//! ```text
//! mean ȳ        = Σ wᵢ yᵢ / Σ wᵢ
//! n_eff         = (Σ wᵢ)² / Σ wᵢ²                                  (Kish)
//! se (no strata) = √( n/(n−1) · Σ wᵢ² (yᵢ − ȳ)² ) / Σ wᵢ          (= s/√n when wᵢ = 1)
//! se (strata h) = √( Σ_h n_h/(n_h−1) · Σ_{i∈h} (zᵢ − z̄_h)² ),  zᵢ = wᵢ(yᵢ − ȳ)/Σ wᵢ
//! CI            = ȳ ± t_{1−α/2, n−H} · se                         (Student t, statrs; H strata)
//! satisfaction p = Σ wᵢ sᵢ / Σ wᵢ,  sᵢ = 1 if the answer is in the top levels, else 0
//! p's CI        = Wilson score interval at n = n_eff, z = Φ⁻¹(1 − α/2)
//! ```
//! The standard error is the Taylor linearisation of the ratio mean Σwy/Σw, respondents being
//! drawn with replacement within strata (no clustering) — R's
//! `svymean(~y, svydesign(ids = ~1, strata = ~h, weights = ~w))` on the respondents who
//! answered the item. Without strata the whole unit-year is one stratum and the formula
//! reduces to the first line. A stratum with a single answer adds no variance (noted in
//! `note`); n < 2 leaves se and both intervals empty with a note. Wilson's interval uses the
//! Kish n_eff, which accounts for unequal weights but not for stratification.
//!
//! # Dimensions
//! A respondent's dimension score is the unweighted mean of their valid answers to the
//! dimension's items (at least [`SurveyOptions::min_items_answered`] of them, default 1), and
//! their satisfied share sᵢ the fraction of those answers in the top levels; the estimates
//! above are then taken over respondents. For a share sᵢ ∈ [0, 1] with mean p the variance is at
//! most p(1 − p), so the Wilson interval is conservative there. Mixing items on different
//! score scales in one dimension averages those scores as they are: rescale numeric items to
//! 0–100 (`rescale = "range"` or `"of_max"`) to keep them comparable with labels.
//!
//! # Reliability
//! Cronbach's α per year and dimension, pooled over units, unweighted, on the complete cases
//! (respondents who answered every item of the dimension); α if item deleted and the corrected
//! item-total correlation per item. Dimensions with fewer than 2 items get an empty α and a
//! note. See [`cronbach`].
//!
//! # Speed
//! Each answer column is interned when read (distinct answers → `u32` codes); scoring judges
//! each distinct answer once and then makes two passes over the codes per item and per
//! dimension, in parallel over items (rayon), with no text handled per cell.
//!
//! # References
//! Kish (1965), *Survey Sampling*, Wiley; Wolter (2007), *Introduction to Variance
//! Estimation*, 2nd ed., Springer; Lumley (2010), *Complex Surveys: A Guide to Analysis Using
//! R*, Wiley; Wilson (1927), JASA 22(158):209–212; Cronbach (1951), Psychometrika 16:297–334.

mod definition;
mod output;
mod reconcile;
mod reliability;
mod responses;
mod score;

pub use definition::{
    Dimension, Item, Level, Rescale, Scale, ScaleKind, SurveyDefinition, SurveyMeta, DEFAULT_LEVELS, DEFAULT_MISSING,
    MAX_SCALE_MAGNITUDE,
};
pub use reconcile::{
    combine, confirmed, reconcile, ReconciledCell, Reconciliation, Resolution, SourceChoice, SourceValue, Tolerances,
};
pub use reliability::{cronbach, Cronbach, ReliabilityRow};
pub use responses::{BadAnswer, BadReason, ReadSpec, Responses};
pub use score::{estimate, score, wilson_interval, Estimate, Stats, SurveyOptions, SurveyReport, SurveySummary};
