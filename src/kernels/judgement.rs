//! Pairwise-comparison judgements as people write them: numbers or fractions (`1/3`), in a
//! CSV cell or a catalogue's `[[judgements]]` matrix. A leaf, so that the catalogue (layer 1)
//! and the panel readers (layer 2) read fractions without reaching up to `weight`.

use serde::Deserialize;

/// One cell of a pairwise comparison matrix as people write it: a number (`3`, `0.333`) or a
/// fraction `a/b` (`1/3`, as in Saaty's scale and most papers' tables). `None` if it is
/// neither.
///
/// # Examples
/// ```
/// use citycheck::kernels::judgement::parse_judgement;
/// assert_eq!(parse_judgement("1/3"), Some(1.0 / 3.0));
/// assert_eq!(parse_judgement(" 5 "), Some(5.0));
/// assert_eq!(parse_judgement("1/0"), None);
/// ```
pub fn parse_judgement(cell: &str) -> Option<f64> {
    let t = cell.trim();
    let value = match t.split_once('/') {
        Some((a, b)) => a.trim().parse::<f64>().ok()? / b.trim().parse::<f64>().ok()?,
        None => t.parse::<f64>().ok()?,
    };
    value.is_finite().then_some(value)
}

/// Serde helper: a judgement matrix whose cells are numbers or fraction strings (`"1/3"`).
pub(crate) fn deserialize_judgements<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Vec<Vec<f64>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Cell {
        Number(f64),
        Text(String),
    }
    let rows = Vec::<Vec<Cell>>::deserialize(deserializer)?;
    rows.into_iter()
        .map(|row| {
            row.into_iter()
                .map(|cell| match cell {
                    Cell::Number(x) => Ok(x),
                    Cell::Text(t) => parse_judgement(&t).ok_or_else(|| {
                        serde::de::Error::custom(format!(
                            "judgement '{t}' is neither a number nor a fraction such as \"1/3\""
                        ))
                    }),
                })
                .collect()
        })
        .collect()
}
