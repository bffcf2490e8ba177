//! Progress to a target with a deadline, METHODS.md §7, after the UN regional commissions' SDG
//! progress assessment (ESCAP's current-status and anticipated-progress indices) and the SDSN
//! trend dashboards.
//!
//! # Formula
//! For a series of years t with values y (baseline = first observation, latest = last), target
//! T and deadline D, for a higher-is-better indicator (lower-is-better mirrored):
//! ```text
//! met(x)        = x ≥ T                      (lower: x ≤ T)
//! progress      = (y_latest − y_base) / (T − y_base)   share of the distance covered; < 0 = regress
//! trend         = OLS line a + b·t over the observations
//! anticipated   = a + b·D                    the trend's value at the deadline
//! on_track      = met(y_latest) or met(anticipated)
//! projected     = the first whole year t ≥ latest + 1 with a + b·t meeting T: ⌈(T − a)/b⌉;
//!                 never when b does not point to T (b ≤ 0 for higher)
//! pace          = observed annual change / required annual change = b / [(T − y_base)/(D − t_base)]
//!                 (b, the trend's slope, is the change between the two points when n = 2)
//! pace label    ≥ 1 on_track, ≥ 0.5 moderately_improving, > 0 stagnating, ≤ 0 worsening
//! ```
//! The trend line is OLS by default; [`TrendFit::RecencyWeighted`] fits weighted least squares
//! with weights w = 0.5^((t_latest − t)/half_life), so that the latest check-ups count more
//! (a year `half_life` years before the latest weighs half as much):
//! ```text
//! t̄_w = Σ w t / Σ w,  ȳ_w = Σ w y / Σ w,  b = Σ w (t − t̄_w)(y − ȳ_w) / Σ w (t − t̄_w)²,  a = ȳ_w − b t̄_w
//! ```
//! The cut-offs are [`PaceCutoffs`]. A baseline that already meets T has no distance to
//! cover: progress, pace and projection are missing with a note, and on_track says whether the
//! latest value still meets it. One observation gives neither progress nor trend.
//!
//! # References
//! UN ESCAP (2023), *Asia and the Pacific SDG Progress Report*, methodological note (current
//! status index; anticipated progress); Sachs et al., *Sustainable Development Report* (SDSN),
//! trend dashboards; METHODS.md §7.

use serde::{Deserialize, Serialize};

use super::super::trend::ols;
use crate::direction::Direction;
use crate::error::{Error, Result};

/// Cut-offs of the pace labels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaceCutoffs {
    /// Pace at or above this is `on_track` (default 1).
    #[serde(default = "one")]
    pub on_track: f64,
    /// Pace at or above this (and below `on_track`) is `moderately_improving` (default 0.5);
    /// above 0 `stagnating`, at or below 0 `worsening`.
    #[serde(default = "half")]
    pub moderate: f64,
}

fn one() -> f64 {
    1.0
}

fn half() -> f64 {
    0.5
}

impl Default for PaceCutoffs {
    fn default() -> Self {
        PaceCutoffs { on_track: 1.0, moderate: 0.5 }
    }
}

impl PaceCutoffs {
    /// Checks 0 < moderate ≤ on_track, both finite.
    pub fn check(&self) -> Result<()> {
        if !(self.moderate.is_finite()
            && self.on_track.is_finite()
            && 0.0 < self.moderate
            && self.moderate <= self.on_track)
        {
            return Err(Error::Spec(format!(
                "pace cut-offs must satisfy 0 < moderate <= on_track, got moderate {} and on_track {}",
                self.moderate, self.on_track
            )));
        }
        Ok(())
    }

    /// The label of a pace.
    pub fn label(&self, pace: f64) -> Pace {
        if pace >= self.on_track {
            Pace::OnTrack
        } else if pace >= self.moderate {
            Pace::ModeratelyImproving
        } else if pace > 0.0 {
            Pace::Stagnating
        } else {
            Pace::Worsening
        }
    }
}

/// Why a progress statistic is empty at the limits of f64.
const NOT_REPRESENTABLE: &str = "values too large or too small";

/// How the trend line of a progress assessment is fitted (METHODS.md §7).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum TrendFit {
    /// Ordinary least squares: every check-up counts the same (default).
    #[default]
    Ols,
    /// Weighted least squares, w = 0.5^((t_latest − t)/half_life): later years count more.
    RecencyWeighted {
        /// Years after which a check-up's weight halves (> 0).
        half_life: f64,
    },
}

impl TrendFit {
    /// Slope and intercept of the line through (`t`, `y`) (n ≥ 2, times strictly increasing).
    fn line(self, t: &[f64], y: &[f64]) -> Result<(f64, f64)> {
        match self {
            TrendFit::Ols => ols(t, y).map(|f| (f.slope, f.intercept)),
            TrendFit::RecencyWeighted { half_life } => {
                if !(half_life.is_finite() && half_life > 0.0) {
                    return Err(Error::Spec(format!("recency_weighted: half_life {half_life} must be > 0")));
                }
                let latest = t[t.len() - 1];
                let w: Vec<f64> = t.iter().map(|&ti| 0.5f64.powf((latest - ti) / half_life)).collect();
                let sw: f64 = w.iter().sum();
                let tw = w.iter().zip(t).map(|(w, t)| w * t).sum::<f64>() / sw;
                let yw = w.iter().zip(y).map(|(w, y)| w * y).sum::<f64>() / sw;
                let (mut sty, mut stt) = (0.0, 0.0);
                for ((&wi, &ti), &yi) in w.iter().zip(t).zip(y) {
                    sty += wi * (ti - tw) * (yi - yw);
                    stt += wi * (ti - tw) * (ti - tw);
                }
                let b = sty / stt;
                Ok((b, yw - b * tw))
            }
        }
    }
}

/// The label of a pace (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    /// Pace at or above the `on_track` cut-off (default 1).
    OnTrack,
    /// Pace at or above the `moderate` cut-off (default 0.5), below `on_track`.
    ModeratelyImproving,
    /// Positive pace below the `moderate` cut-off.
    Stagnating,
    /// Pace at or below 0: moving away from the target.
    Worsening,
}

impl Pace {
    /// As in serde.
    pub fn as_str(self) -> &'static str {
        match self {
            Pace::OnTrack => "on_track",
            Pace::ModeratelyImproving => "moderately_improving",
            Pace::Stagnating => "stagnating",
            Pace::Worsening => "worsening",
        }
    }
}

/// Progress of one series to its target; `None` fields have a reason in `notes`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Progress {
    /// Year of the first observation.
    pub baseline_year: i32,
    /// The first observation, in the indicator's unit.
    pub baseline: f64,
    /// Year of the last observation.
    pub latest_year: i32,
    /// The last observation.
    pub latest: f64,
    /// The target (the unit's standard value).
    pub target: f64,
    /// The year the target is due; `None` when the standard has no deadline.
    pub deadline: Option<i32>,
    /// Share of the distance from baseline to target covered by the latest value; < 0 =
    /// regress. `None` with one observation or a baseline that already meets the target.
    pub progress: Option<f64>,
    /// The trend line's value at the deadline (OLS unless recency-weighted); `None` without a
    /// deadline or with one observation.
    pub anticipated: Option<f64>,
    /// The first whole year the trend meets the target (the latest year when it already
    /// does); `None` when the trend never gets there.
    pub projected_year: Option<i32>,
    /// Trend slope / annual change required from the baseline to meet the target by the
    /// deadline; `None` without a deadline, with one observation, or no distance to cover.
    pub pace: Option<f64>,
    /// The label of `pace` by the cut-offs; `None` when `pace` is.
    pub pace_label: Option<Pace>,
    /// The latest value or the trend's value at the deadline meets the target; `None`
    /// without a deadline.
    pub on_track: Option<bool>,
    /// Why fields are missing, and other remarks.
    pub notes: Vec<String>,
}

/// Progress of the series (`years`, `y`) (`NaN` values skipped) to `target` by `deadline` for
/// an indicator of direction `better` (higher or lower); `Ok(None)` without an observation.
///
/// # Errors
/// [`Error::Spec`] for a band or target direction (their standard is an interval, not a
/// target to move towards), non-integer or unsorted years, or bad cut-offs.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::direction::Direction;
/// use citycheck::evaluate::{progress, Pace, PaceCutoffs};
/// // 20 complete communities are due by 2025; 4 in 2021, 10 in 2023.
/// let p = progress(&[2021.0, 2022.0, 2023.0], &[4.0, 7.0, 10.0], 20.0, Some(2025), Direction::Higher,
///                  &PaceCutoffs::default())?.unwrap();
/// assert_eq!(p.progress, Some(6.0 / 16.0));
/// assert_eq!(p.anticipated, Some(16.0)); // 3 a year: 16 by 2025, short of 20
/// assert_eq!(p.on_track, Some(false));
/// assert_eq!(p.projected_year, Some(2027)); // 10 + 3·(t − 2023) ≥ 20 from 2026.33 on
/// assert_eq!(p.pace_label, Some(Pace::ModeratelyImproving)); // 3 a year against 4 needed
/// # Ok(()) }
/// ```
pub fn progress(
    years: &[f64],
    y: &[f64],
    target: f64,
    deadline: Option<i32>,
    better: Direction,
    cutoffs: &PaceCutoffs,
) -> Result<Option<Progress>> {
    progress_with(years, y, target, deadline, better, cutoffs, TrendFit::Ols)
}

/// [`progress`] with the trend line fitted by `fit`.
///
/// # Errors
/// As [`progress`]; [`Error::Spec`] for a half-life that is not positive.
///
/// # Examples
/// ```
/// # fn main() -> citycheck::Result<()> {
/// use citycheck::direction::Direction;
/// use citycheck::evaluate::{progress_with, PaceCutoffs, TrendFit};
/// // A slow start, then 4 a year: weighting recent years (half-life 1) sees the faster pace.
/// let years = [2021.0, 2022.0, 2023.0];
/// let cut = PaceCutoffs::default();
/// let ols = progress_with(&years, &[4.0, 4.0, 8.0], 20.0, Some(2025), Direction::Higher, &cut, TrendFit::Ols)?.unwrap();
/// let recent = progress_with(&years, &[4.0, 4.0, 8.0], 20.0, Some(2025), Direction::Higher, &cut,
///                            TrendFit::RecencyWeighted { half_life: 1.0 })?.unwrap();
/// assert!(recent.pace.unwrap() > ols.pace.unwrap());
/// # Ok(()) }
/// ```
pub fn progress_with(
    years: &[f64],
    y: &[f64],
    target: f64,
    deadline: Option<i32>,
    better: Direction,
    cutoffs: &PaceCutoffs,
    fit: TrendFit,
) -> Result<Option<Progress>> {
    cutoffs.check()?;
    let sign = match better {
        Direction::Higher => 1.0,
        Direction::Lower => -1.0,
        Direction::Band(_) | Direction::Target(_) => {
            return Err(Error::Spec("progress to a target needs a higher or lower direction".into()))
        }
    };
    if !target.is_finite() {
        return Err(Error::Spec(format!("progress: target {target} is not finite")));
    }
    let series = crate::trend::Series::check("progress", years, y)?;
    let (t, y) = (series.t(), series.y());
    if let Some(bad) = t.iter().find(|v| v.fract() != 0.0) {
        return Err(Error::Spec(format!("progress: year {bad} is not a whole year")));
    }
    let n = t.len();
    if n == 0 {
        return Ok(None);
    }
    let met = |x: f64| sign * (x - target) >= 0.0;
    let (base, latest) = (y[0], y[n - 1]);
    let (t_base, t_latest) = (t[0], t[n - 1]);
    let mut p = Progress {
        baseline_year: t_base as i32,
        baseline: base,
        latest_year: t_latest as i32,
        latest,
        target,
        deadline,
        progress: None,
        anticipated: None,
        projected_year: None,
        pace: None,
        pace_label: None,
        on_track: None,
        notes: Vec::new(),
    };
    let distance = target - base;
    let already = sign * distance <= 0.0;
    if already {
        p.notes.push("the baseline already meets the target: no distance to cover".into());
    } else if n > 1 {
        let progress = (latest - base) / distance;
        if progress.is_finite() {
            p.progress = Some(progress);
        } else {
            p.notes.push(format!("progress not representable in f64: {NOT_REPRESENTABLE}"));
        }
    } else {
        p.notes.push("one observation: no progress or trend".into());
    }

    // (slope, intercept) of the trend line.
    // A line beyond f64 (values near its limits) is no line, with a note: never NaN or inf.
    let fit = if n >= 2 {
        match fit.line(t, y) {
            Ok((slope, intercept)) if slope.is_finite() && intercept.is_finite() => Some((slope, intercept)),
            Ok(_) => {
                p.notes.push(format!("no trend line: {NOT_REPRESENTABLE}"));
                None
            }
            Err(Error::Method { message, .. }) => {
                p.notes.push(format!("no trend line: {message}"));
                None
            }
            Err(other) => return Err(other),
        }
    } else {
        None
    };
    if let (Some((slope, intercept)), Some(d)) = (fit, deadline) {
        p.anticipated = Some(intercept + slope * f64::from(d)).filter(|v| v.is_finite());
    }
    if met(latest) {
        p.projected_year = Some(p.latest_year);
        p.notes.push("the latest value meets the target".into());
    } else if let Some((slope, intercept)) = fit {
        if sign * slope > 0.0 {
            let crossing = (target - intercept) / slope;
            if crossing.is_finite() {
                p.projected_year = Some((crossing.ceil() as i32).max(p.latest_year + 1));
            } else {
                p.notes.push(format!("projected year not representable: {NOT_REPRESENTABLE}"));
            }
        } else {
            p.notes.push("the trend does not move towards the target: never reached at this trend".into());
        }
    }

    match deadline {
        None => p.notes.push("no deadline: on_track and pace undefined".into()),
        Some(d) => {
            p.on_track = Some(met(latest) || p.anticipated.is_some_and(met));
            if !met(latest) && p.latest_year >= d {
                p.notes.push(format!("the deadline {d} has passed without meeting the target"));
            }
            if !already && n > 1 {
                let years_left = f64::from(d) - t_base;
                if years_left > 0.0 {
                    // No line (noted above): no pace.
                    if let Some((observed, _)) = fit {
                        let required = distance / years_left;
                        let pace = observed / required;
                        if pace.is_finite() {
                            p.pace = Some(pace);
                            p.pace_label = Some(cutoffs.label(pace));
                        } else {
                            p.notes.push(format!("pace not representable in f64: {NOT_REPRESENTABLE}"));
                        }
                    }
                } else {
                    p.notes.push(format!("the deadline {d} is not after the baseline year: no pace"));
                }
            }
        }
    }
    Ok(Some(p))
}
