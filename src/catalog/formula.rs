//! The formula form of an indicator computed from object records (`[indicators.formula]`):
//! a small expression language, parsed once and checked against the records' columns before
//! anything runs.
//!
//! # Grammar
//! ```text
//! formula   := count(cond) | share(cond) | sum(column [, cond]) | ratio(column, column)
//!            | per_capita(column, column) | coverage(column, cond) | shortfall(arith, arith)
//! cond      := and ('||' and)*
//! and       := unary ('&&' unary)*
//! unary     := '!' unary | '(' cond ')' | arith [op arith] | column op literal
//! arith     := term (('+' | '-') term)*
//! term      := factor (('*' | '/') factor)*
//! factor    := '-' factor | number | '$' name | column | '(' arith ')'
//! op        := '==' | '!=' | '<' | '<=' | '>' | '>='
//! literal   := true | false | "text"          (== and != only, a column on the left)
//! column    := letters (CJK too), digits and '_', not starting with a digit
//! name      := a parameter of the catalogue's [parameters] table
//! ```
//! A bare column in a condition is a flag (a boolean column, or 0/1, or true/false text); any
//! other arithmetic in a condition must be compared (`elderly_area * 100 / households >= 20`).
//! `*` and `/` bind tighter than `+` and `-`, all four associate to the left, unary minus binds
//! tightest; `&&` binds tighter than `||`.
//!
//! `$name` is a number of the catalogue's `[parameters]` table (a norm such as 20 m² of
//! elderly-care space per 100 households), which a province overrides without editing the
//! formula ([`crate::Catalog::with_parameters`]); a parameter the table does not define is an
//! error when the catalogue loads.
//!
//! Arithmetic is on numbers: a missing input makes the result unknown, and so does a division
//! by zero (never inf or NaN). Comparisons of two arithmetic sides are numeric.
//!
//! Errors name the character (counted in characters, not bytes) and show the formula with a
//! caret under it; under a wide (CJK) character the caret line holds an ideographic space, so
//! the caret stands under the right character in a terminal.
//!
//! # What each kind computes over the objects under a unit
//! | kind | value | numerator | denominator |
//! |---|---|---|---|
//! | `count(c)` | objects where c holds | same | objects where c is known |
//! | `share(c)` | scale · num / den (scale 100: a percentage) | objects where c holds | objects where c is known |
//! | `sum(x[, c])` | Σ x (over objects where c holds) | Σ x | — |
//! | `ratio(a, b)` | scale · Σa / Σb | Σ a | Σ b |
//! | `per_capita(a, p)` | scale · Σa / Σp (set `scale = 10000` for per 10,000 people) | Σ a | Σ p |
//! | `coverage(w, c)` | scale · Σ w[c] / Σ w (scale 100) | Σ w where c holds | Σ w |
//! | `shortfall(r, p)` | Σ max(0, r − p), r and p arithmetic | same | — |
//!
//! Sums are taken over the objects where every input of the formula is present; an object
//! with a missing input is *unknown*: counted in the output's `unknown` column and never as
//! "no problem". Conditions follow three-valued logic (false && unknown = false, true || unknown
//! = true), so a known answer is never lost to an unrelated missing flag.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The formula of one indicator, as written in the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormulaSpec {
    /// The object type whose records the formula reads.
    pub object: ObjectLevel,
    /// The expression (see the module documentation).
    pub expr: String,
    /// Multiplier of the value; default 100 for `share` and `coverage`, else 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
}

/// The object levels a check-up may use, finest first: 住房 building → 小区 compound → 社区
/// community → 街区 block → 城区 district → 城市 city.
///
/// Which of them a catalogue uses, in this order, is its hierarchy
/// ([`super::Catalog::levels`], TOML `[[levels]]`): the 2023 list's 小区(社区) is one level
/// (compound) and its catalogues need no community; practice since 2025 reports 社区 apart, and a
/// catalogue that declares `community` rolls compounds up to communities where the records carry
/// `community_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectLevel {
    /// 住房: a dwelling building (TOML also `dwelling`).
    #[serde(alias = "dwelling")]
    Building,
    /// 小区: a residential compound (the 2023 list's 小区(社区)).
    Compound,
    /// 社区: a community (a residents' committee area of one or more compounds).
    Community,
    /// 街区: a block.
    Block,
    /// 城区: a district.
    District,
    /// 城市: a city.
    City,
}

impl ObjectLevel {
    /// Every level, finest first.
    pub const ALL: [ObjectLevel; 6] = [
        ObjectLevel::Building,
        ObjectLevel::Compound,
        ObjectLevel::Community,
        ObjectLevel::Block,
        ObjectLevel::District,
        ObjectLevel::City,
    ];

    /// `building`, `compound`, `community`, `block`, `district` or `city`.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectLevel::Building => "building",
            ObjectLevel::Compound => "compound",
            ObjectLevel::Community => "community",
            ObjectLevel::Block => "block",
            ObjectLevel::District => "district",
            ObjectLevel::City => "city",
        }
    }

    /// The id column of this level in a record table: `building_id`, …, `city_id`.
    pub fn id_column(self) -> &'static str {
        match self {
            ObjectLevel::Building => "building_id",
            ObjectLevel::Compound => "compound_id",
            ObjectLevel::Community => "community_id",
            ObjectLevel::Block => "block_id",
            ObjectLevel::District => "district_id",
            ObjectLevel::City => "city_id",
        }
    }

    /// The level from its name (`dwelling` is read as `building`).
    ///
    /// # Errors
    /// [`Error::Spec`] for an unknown name, listing the known ones.
    pub fn from_name(name: &str) -> Result<ObjectLevel> {
        let name = if name == "dwelling" { "building" } else { name };
        ObjectLevel::ALL.into_iter().find(|l| l.as_str() == name).ok_or_else(|| {
            Error::Spec(format!("unknown level '{name}'; levels: building, compound, community, block, district, city"))
        })
    }

    /// This level and the coarser ones.
    pub fn and_above(self) -> impl Iterator<Item = ObjectLevel> {
        ObjectLevel::ALL.into_iter().filter(move |l| *l >= self)
    }
}

impl fmt::Display for ObjectLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<` (numbers only)
    Lt,
    /// `<=` (numbers only)
    Le,
    /// `>` (numbers only)
    Gt,
    /// `>=` (numbers only)
    Ge,
}

impl Op {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// A literal on the right of a comparison with a column.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A number, compared with a numeric column.
    Number(f64),
    /// `true` or `false`, compared with a flag column (`==` and `!=` only).
    Bool(bool),
    /// A quoted text, compared with a text column (`==` and `!=` only).
    Text(String),
}

/// A condition on one object.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// A bare column: a flag (boolean, 0/1 or true/false text) that holds when true.
    Flag(String),
    /// `column op literal`: a column compared with a number, `true`/`false` or a text.
    Compare(String, Op, Literal),
    /// `arith op arith`: any other numeric comparison (column with column, arithmetic,
    /// parameters), e.g. `elderly_area * 100 / households >= $elderly_norm_new`.
    Numeric(Operand, Op, Operand),
    /// `!cond`.
    Not(Box<Cond>),
    /// `cond && cond`, three-valued (false && unknown = false).
    And(Box<Cond>, Box<Cond>),
    /// `cond || cond`, three-valued (true || unknown = true).
    Or(Box<Cond>, Box<Cond>),
}

/// Arithmetic on the numbers of one object: a column, a constant, a parameter, or `+ - * /`
/// and unary minus of them. Unknown when an input is missing or a divisor is 0.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A numeric column of the records.
    Column(String),
    /// A constant.
    Number(f64),
    /// `$name`: a parameter of the catalogue (`[parameters]`), by name without the `$`.
    Param(String),
    /// `-a`.
    Neg(Box<Operand>),
    /// `a + b`.
    Add(Box<Operand>, Box<Operand>),
    /// `a - b`.
    Sub(Box<Operand>, Box<Operand>),
    /// `a * b`.
    Mul(Box<Operand>, Box<Operand>),
    /// `a / b`; unknown when b is 0.
    Div(Box<Operand>, Box<Operand>),
}

impl Operand {
    fn columns(&self, out: &mut Vec<(String, ColumnUse)>) {
        match self {
            Operand::Column(c) => out.push((c.clone(), ColumnUse::Number)),
            Operand::Number(_) | Operand::Param(_) => {}
            Operand::Neg(a) => a.columns(out),
            Operand::Add(a, b) | Operand::Sub(a, b) | Operand::Mul(a, b) | Operand::Div(a, b) => {
                a.columns(out);
                b.columns(out);
            }
        }
    }

    fn parameters(&self, out: &mut Vec<String>) {
        match self {
            Operand::Param(p) => out.push(p.clone()),
            Operand::Column(_) | Operand::Number(_) => {}
            Operand::Neg(a) => a.parameters(out),
            Operand::Add(a, b) | Operand::Sub(a, b) | Operand::Mul(a, b) | Operand::Div(a, b) => {
                a.parameters(out);
                b.parameters(out);
            }
        }
    }

    fn bind(&self, values: &BTreeMap<String, f64>) -> Operand {
        let bound = |a: &Operand| Box::new(a.bind(values));
        match self {
            Operand::Param(p) => values.get(p).map_or_else(|| self.clone(), |v| Operand::Number(*v)),
            Operand::Column(_) | Operand::Number(_) => self.clone(),
            Operand::Neg(a) => Operand::Neg(bound(a)),
            Operand::Add(a, b) => Operand::Add(bound(a), bound(b)),
            Operand::Sub(a, b) => Operand::Sub(bound(a), bound(b)),
            Operand::Mul(a, b) => Operand::Mul(bound(a), bound(b)),
            Operand::Div(a, b) => Operand::Div(bound(a), bound(b)),
        }
    }
}

/// A parsed formula; the kinds are in the module documentation's table.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Formula {
    /// `count(c)`: objects where the condition holds.
    Count(Cond),
    /// `share(c)`: scale · objects where it holds / objects where it is known.
    Share(Cond),
    /// `sum(x[, c])`: Σ of a column, over the objects where the condition holds when given.
    Sum(String, Option<Cond>),
    /// `ratio(a, b)`: scale · Σa / Σb.
    Ratio(String, String),
    /// `per_capita(a, p)`: scale · Σa / Σp, p a population column.
    PerCapita(String, String),
    /// `coverage(w, c)`: scale · Σw where the condition holds / Σw.
    Coverage(String, Cond),
    /// `shortfall(r, p)`: Σ max(0, r − p), required minus provided.
    Shortfall(Operand, Operand),
}

impl Formula {
    /// The kind's name, as written.
    pub fn kind(&self) -> &'static str {
        match self {
            Formula::Count(_) => "count",
            Formula::Share(_) => "share",
            Formula::Sum(..) => "sum",
            Formula::Ratio(..) => "ratio",
            Formula::PerCapita(..) => "per_capita",
            Formula::Coverage(..) => "coverage",
            Formula::Shortfall(..) => "shortfall",
        }
    }

    /// The default scale: 100 for share and coverage (percentages), 1 otherwise.
    pub fn default_scale(&self) -> f64 {
        match self {
            Formula::Share(_) | Formula::Coverage(..) => 100.0,
            _ => 1.0,
        }
    }

    /// Whether the value is a quotient of two sums (then `denominator` is meaningful).
    pub fn has_denominator(&self) -> bool {
        !matches!(self, Formula::Sum(..) | Formula::Shortfall(..))
    }

    /// Whether the denominator is a sum of its own (ratio, per capita, coverage), not the count
    /// of known objects (count, share).
    pub fn sums_denominator(&self) -> bool {
        matches!(self, Formula::Ratio(..) | Formula::PerCapita(..) | Formula::Coverage(..))
    }

    /// Every column the formula reads, with whether it is used as a flag (boolean).
    pub fn columns(&self) -> Vec<(String, ColumnUse)> {
        let mut out = Vec::new();
        match self {
            Formula::Count(c) | Formula::Share(c) => c.columns(&mut out),
            Formula::Sum(x, c) => {
                out.push((x.clone(), ColumnUse::Number));
                if let Some(c) = c {
                    c.columns(&mut out);
                }
            }
            Formula::Ratio(a, b) | Formula::PerCapita(a, b) => {
                out.push((a.clone(), ColumnUse::Number));
                out.push((b.clone(), ColumnUse::Number));
            }
            Formula::Coverage(w, c) => {
                out.push((w.clone(), ColumnUse::Number));
                c.columns(&mut out);
            }
            Formula::Shortfall(r, p) => {
                r.columns(&mut out);
                p.columns(&mut out);
            }
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|entry| seen.insert(entry.clone()));
        out
    }

    /// The `$parameters` the formula reads, by name (without `$`), each once, in order.
    ///
    /// # Examples
    /// ```
    /// use citycheck::compute::parse_formula;
    /// let f = parse_formula("count(new && area * 100 / households < $norm_new)").unwrap();
    /// assert_eq!(f.parameters(), ["norm_new"]);
    /// ```
    pub fn parameters(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self {
            Formula::Count(c) | Formula::Share(c) | Formula::Sum(_, Some(c)) | Formula::Coverage(_, c) => {
                c.parameters(&mut out)
            }
            Formula::Shortfall(r, p) => {
                r.parameters(&mut out);
                p.parameters(&mut out);
            }
            Formula::Sum(_, None) | Formula::Ratio(..) | Formula::PerCapita(..) => {}
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|name| seen.insert(name.clone()));
        out
    }

    /// The formula with each `$parameter` named in `values` replaced by its number (the others
    /// are left as they are).
    ///
    /// # Examples
    /// ```
    /// use citycheck::compute::{parse_formula, Cond, Formula, Op, Operand};
    /// let f = parse_formula("count(area >= $norm)").unwrap();
    /// let bound = f.bind(&[("norm".to_string(), 20.0)].into());
    /// assert_eq!(bound, Formula::Count(Cond::Numeric(
    ///     Operand::Column("area".into()), Op::Ge, Operand::Number(20.0),
    /// )));
    /// ```
    pub fn bind(&self, values: &BTreeMap<String, f64>) -> Formula {
        match self {
            Formula::Count(c) => Formula::Count(c.bind(values)),
            Formula::Share(c) => Formula::Share(c.bind(values)),
            Formula::Sum(x, c) => Formula::Sum(x.clone(), c.as_ref().map(|c| c.bind(values))),
            Formula::Coverage(w, c) => Formula::Coverage(w.clone(), c.bind(values)),
            Formula::Shortfall(r, p) => Formula::Shortfall(r.bind(values), p.bind(values)),
            Formula::Ratio(..) | Formula::PerCapita(..) => self.clone(),
        }
    }
}

/// How a formula uses a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnUse {
    /// A flag: boolean, 0/1, or true/false text.
    Flag,
    /// A number.
    Number,
    /// Compared with a text literal.
    Text,
}

impl Cond {
    fn columns(&self, out: &mut Vec<(String, ColumnUse)>) {
        match self {
            Cond::Flag(c) => out.push((c.clone(), ColumnUse::Flag)),
            Cond::Compare(c, _, Literal::Number(_)) => out.push((c.clone(), ColumnUse::Number)),
            Cond::Compare(c, _, Literal::Bool(_)) => out.push((c.clone(), ColumnUse::Flag)),
            Cond::Compare(c, _, Literal::Text(_)) => out.push((c.clone(), ColumnUse::Text)),
            Cond::Numeric(a, _, b) => {
                a.columns(out);
                b.columns(out);
            }
            Cond::Not(a) => a.columns(out),
            Cond::And(a, b) | Cond::Or(a, b) => {
                a.columns(out);
                b.columns(out);
            }
        }
    }

    fn parameters(&self, out: &mut Vec<String>) {
        match self {
            Cond::Flag(_) | Cond::Compare(..) => {}
            Cond::Numeric(a, _, b) => {
                a.parameters(out);
                b.parameters(out);
            }
            Cond::Not(a) => a.parameters(out),
            Cond::And(a, b) | Cond::Or(a, b) => {
                a.parameters(out);
                b.parameters(out);
            }
        }
    }

    fn bind(&self, values: &BTreeMap<String, f64>) -> Cond {
        match self {
            Cond::Flag(_) | Cond::Compare(..) => self.clone(),
            Cond::Numeric(a, op, b) => Cond::Numeric(a.bind(values), *op, b.bind(values)),
            Cond::Not(a) => Cond::Not(Box::new(a.bind(values))),
            Cond::And(a, b) => Cond::And(Box::new(a.bind(values)), Box::new(b.bind(values))),
            Cond::Or(a, b) => Cond::Or(Box::new(a.bind(values)), Box::new(b.bind(values))),
        }
    }
}

/// Parses a formula expression; `$parameters` are kept by name ([`Formula::parameters`],
/// [`Formula::bind`]).
///
/// # Errors
/// [`Error::Spec`] naming the character (counted in characters) and what was expected, with
/// the formula and a caret under that character on the next lines.
///
/// # Examples
/// ```
/// use citycheck::compute::{parse_formula, Cond, Formula, Op, Literal, Operand};
/// let f = parse_formula("count(gas_hazard && gas_pipe_age >= 20)").unwrap();
/// assert_eq!(f, Formula::Count(Cond::And(
///     Box::new(Cond::Flag("gas_hazard".into())),
///     Box::new(Cond::Compare("gas_pipe_age".into(), Op::Ge, Literal::Number(20.0))),
/// )));
/// // Arithmetic between columns, compared with a parameter of the catalogue.
/// let f = parse_formula("count(area * 100 / households < $norm)").unwrap();
/// let Formula::Count(Cond::Numeric(_, Op::Lt, Operand::Param(p))) = f else { panic!() };
/// assert_eq!(p, "norm");
/// let err = parse_formula("count(gas_hazard").unwrap_err().to_string();
/// assert!(err.ends_with("count(gas_hazard\n                  ^"), "{err}");
/// ```
pub fn parse_formula(text: &str) -> Result<Formula> {
    parse(text).map(|(formula, _)| formula)
}

/// Parses a formula whose `$parameters` must all be keys of `known`: an unknown one is an
/// [`Error::Spec`] naming it, with a caret under it.
pub(crate) fn parse_formula_with<V>(text: &str, known: &BTreeMap<String, V>) -> Result<Formula> {
    let (formula, uses) = parse(text)?;
    if let Some((name, at)) = uses.iter().find(|(name, _)| !known.contains_key(name)) {
        let defined = if known.is_empty() {
            "the catalogue has no [parameters] table".to_string()
        } else {
            format!("[parameters] defines {}", known.keys().map(|k| format!("${k}")).collect::<Vec<_>>().join(", "))
        };
        return Err(located(text, *at, &format!("unknown parameter '${name}'; {defined}")));
    }
    Ok(formula)
}

/// The formula and every `$parameter` it reads with the character where it stands.
fn parse(text: &str) -> Result<(Formula, Vec<(String, usize)>)> {
    let tokens = tokenize(text)?;
    let mut p = Parser { tokens, pos: 0, params: Vec::new() };
    let parsed =
        p.formula().and_then(|f| if p.pos < p.tokens.len() { Err(p.fail("the end of the formula")) } else { Ok(f) });
    match parsed {
        Ok(formula) => Ok((formula, p.params)),
        Err(fail) => {
            let at = p.tokens.get(fail.token).map_or_else(|| text.chars().count(), |(at, _)| *at);
            Err(located(text, at, &fail.message))
        }
    }
}

/// Whether a character takes two columns in a terminal (CJK ideographs, kana, Hangul,
/// fullwidth forms).
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x2FFFD | 0x30000..=0x3FFFD)
}

/// An error at character `at` (0-based; the length of the text for its end): the message, then
/// the formula and a caret under the character.
fn located(text: &str, at: usize, message: &str) -> Error {
    let shown: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let pad: String = shown.chars().take(at).map(|c| if is_wide(c) { '\u{3000}' } else { ' ' }).collect();
    let place = if at >= text.chars().count() { "at its end".to_string() } else { format!("at character {}", at + 1) };
    Error::Spec(format!("formula {place}: {message}\n  {shown}\n  {pad}^"))
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Param(String),
    Number(f64),
    Text(String),
    Op(Op),
    And,
    Or,
    Not,
    Plus,
    Minus,
    Star,
    Slash,
    Open,
    Close,
    Comma,
}

/// The tokens of `text`, each with the position of its first character (in characters).
fn tokenize(text: &str) -> Result<Vec<(usize, Token)>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let word = |from: usize| chars[from..].iter().take_while(|c| c.is_alphanumeric() || **c == '_').count();
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let two = |t: Token| (t, 2);
        let (token, width) = match (c, next) {
            (c, _) if c.is_whitespace() => {
                i += 1;
                continue;
            }
            ('(', _) => (Token::Open, 1),
            (')', _) => (Token::Close, 1),
            (',', _) => (Token::Comma, 1),
            ('+', _) => (Token::Plus, 1),
            ('-', _) => (Token::Minus, 1),
            ('*', _) => (Token::Star, 1),
            ('/', _) => (Token::Slash, 1),
            ('&', Some('&')) => two(Token::And),
            ('|', Some('|')) => two(Token::Or),
            ('=', Some('=')) => two(Token::Op(Op::Eq)),
            ('!', Some('=')) => two(Token::Op(Op::Ne)),
            ('<', Some('=')) => two(Token::Op(Op::Le)),
            ('>', Some('=')) => two(Token::Op(Op::Ge)),
            ('<', _) => (Token::Op(Op::Lt), 1),
            ('>', _) => (Token::Op(Op::Gt), 1),
            ('!', _) => (Token::Not, 1),
            ('=', _) => return Err(located(text, i, "'=' alone is no operator: write '==' to compare")),
            ('&', _) => return Err(located(text, i, "'&' alone is no operator: write '&&' for and")),
            ('|', _) => return Err(located(text, i, "'|' alone is no operator: write '||' for or")),
            ('"', _) => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '"')
                    .ok_or_else(|| located(text, i, "a text literal is not closed with \""))?;
                (Token::Text(chars[i + 1..i + 1 + end].iter().collect()), end + 2)
            }
            ('$', _) => {
                let len = word(i + 1);
                if len == 0 {
                    return Err(located(text, i, "'$' is followed by a parameter name, e.g. $elderly_norm_new"));
                }
                (Token::Param(chars[i + 1..i + 1 + len].iter().collect()), len + 1)
            }
            (c, _) if c.is_ascii_digit() || c == '.' => {
                // Digits and points, then an exponent: e or E, an optional sign, digits.
                let mut len = chars[i..].iter().take_while(|c| c.is_ascii_digit() || **c == '.').count();
                if matches!(chars.get(i + len), Some('e' | 'E')) {
                    let sign = usize::from(matches!(chars.get(i + len + 1), Some('+' | '-')));
                    let digits = chars[(i + len + 1 + sign).min(chars.len())..]
                        .iter()
                        .take_while(|c| c.is_ascii_digit())
                        .count();
                    if digits > 0 {
                        len += 1 + sign + digits;
                    }
                }
                // A number runs into no letter: `2x` is neither a number nor a column.
                len += word(i + len);
                let s: String = chars[i..i + len].iter().collect();
                let v: f64 = s.parse().map_err(|_| located(text, i, &format!("'{s}' is not a number")))?;
                (Token::Number(v), len)
            }
            (c, _) if c.is_alphabetic() || c == '_' => {
                let len = word(i);
                (Token::Ident(chars[i..i + len].iter().collect()), len)
            }
            (c, _) => return Err(located(text, i, &format!("unexpected character '{c}'"))),
        };
        out.push((i, token));
        i += width;
    }
    Ok(out)
}

/// A parse failure: at which token (the number of tokens for the end) and what was wrong.
struct Fail {
    token: usize,
    message: String,
}

type Parsed<T> = std::result::Result<T, Fail>;

const KINDS: [&str; 7] = ["count", "share", "sum", "ratio", "per_capita", "coverage", "shortfall"];
const FACTOR: &str = "a number, a column, a $parameter, '-' or '('";

struct Parser {
    tokens: Vec<(usize, Token)>,
    pos: usize,
    /// Every `$parameter` read, with its character position.
    params: Vec<(String, usize)>,
}

impl Parser {
    fn fail(&self, expected: &str) -> Fail {
        let found = self.tokens.get(self.pos).map_or_else(|| "the end".to_string(), |(_, t)| describe(t));
        Fail { token: self.pos, message: format!("expected {expected}, found {found}") }
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn expect(&mut self, token: Token, what: &str) -> Parsed<()> {
        if self.peek() == Some(&token) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.fail(what))
        }
    }

    fn ident(&mut self, what: &str) -> Parsed<String> {
        match self.peek() {
            Some(Token::Ident(s)) if s != "true" && s != "false" => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.fail(what)),
        }
    }

    fn formula(&mut self) -> Parsed<Formula> {
        let start = self.pos;
        let kind = self.ident("a formula kind: count, share, sum, ratio, per_capita, coverage or shortfall")?;
        if !KINDS.contains(&kind.as_str()) {
            return Err(Fail { token: start, message: format!("unknown kind '{kind}'; kinds: {}", KINDS.join(", ")) });
        }
        self.expect(Token::Open, "'('")?;
        let formula = match kind.as_str() {
            "count" => Formula::Count(self.cond()?),
            "share" => Formula::Share(self.cond()?),
            "sum" => {
                let x = self.ident("a column")?;
                let c = if self.peek() == Some(&Token::Comma) {
                    self.pos += 1;
                    Some(self.cond()?)
                } else {
                    None
                };
                Formula::Sum(x, c)
            }
            "ratio" | "per_capita" => {
                let a = self.ident("a column")?;
                self.expect(Token::Comma, "','")?;
                let b = self.ident("a column")?;
                if kind == "ratio" {
                    Formula::Ratio(a, b)
                } else {
                    Formula::PerCapita(a, b)
                }
            }
            "coverage" => {
                let w = self.ident("a weight column (population or area)")?;
                self.expect(Token::Comma, "','")?;
                Formula::Coverage(w, self.cond()?)
            }
            _ => {
                let r = self.arith()?;
                self.expect(Token::Comma, "','")?;
                Formula::Shortfall(r, self.arith()?)
            }
        };
        self.expect(Token::Close, "')'")?;
        Ok(formula)
    }

    fn cond(&mut self) -> Parsed<Cond> {
        let mut left = self.and()?;
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            left = Cond::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Parsed<Cond> {
        let mut left = self.unary()?;
        while self.peek() == Some(&Token::And) {
            self.pos += 1;
            left = Cond::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    /// `!cond`, `(cond)`, or a comparison. A '(' opens either a condition or arithmetic
    /// (`(a + b) / 2 > c`): the condition is tried first, and kept unless arithmetic or a
    /// comparison follows its ')'; when both fail, the error that got further is reported.
    fn unary(&mut self) -> Parsed<Cond> {
        if self.peek() == Some(&Token::Not) {
            self.pos += 1;
            return Ok(Cond::Not(Box::new(self.unary()?)));
        }
        if self.peek() != Some(&Token::Open) {
            return self.comparison();
        }
        let (start, uses) = (self.pos, self.params.len());
        self.pos += 1;
        let group = self.cond().and_then(|c| self.expect(Token::Close, "')'").map(|_| c));
        let arithmetic_follows =
            matches!(self.peek(), Some(Token::Op(_) | Token::Plus | Token::Minus | Token::Star | Token::Slash));
        match group {
            Ok(c) if !arithmetic_follows => Ok(c),
            Ok(_) => {
                self.pos = start;
                self.params.truncate(uses);
                self.comparison()
            }
            Err(first) => {
                self.pos = start;
                self.params.truncate(uses);
                self.comparison().map_err(|second| if second.token >= first.token { second } else { first })
            }
        }
    }

    /// `arith op arith`, `column op literal`, or a bare column (a flag).
    fn comparison(&mut self) -> Parsed<Cond> {
        let start = self.pos;
        let left = self.arith()?;
        let Some(Token::Op(op)) = self.peek().cloned() else {
            return match left {
                Operand::Column(c) => Ok(Cond::Flag(c)),
                _ => Err(self.fail("a comparison (==, !=, <, <=, >, >=) after arithmetic")),
            };
        };
        self.pos += 1;
        let literal = match self.peek() {
            Some(Token::Text(s)) => Some(Literal::Text(s.clone())),
            Some(Token::Ident(s)) if s == "true" || s == "false" => Some(Literal::Bool(s == "true")),
            _ => None,
        };
        if let Some(literal) = literal {
            if !matches!(op, Op::Eq | Op::Ne) {
                return Err(self.fail("a number (only == and != compare flags and text)"));
            }
            let Operand::Column(column) = left else {
                return Err(Fail {
                    token: start,
                    message: "only a column is compared with true, false or a \"text\"".to_string(),
                });
            };
            self.pos += 1;
            return Ok(Cond::Compare(column, op, literal));
        }
        let right = self.arith()?;
        Ok(match (left, right) {
            (Operand::Column(c), Operand::Number(v)) => Cond::Compare(c, op, Literal::Number(v)),
            (left, right) => Cond::Numeric(left, op, right),
        })
    }

    fn arith(&mut self) -> Parsed<Operand> {
        let mut left = self.term()?;
        loop {
            let make: fn(Box<Operand>, Box<Operand>) -> Operand = match self.peek() {
                Some(Token::Plus) => Operand::Add,
                Some(Token::Minus) => Operand::Sub,
                _ => return Ok(left),
            };
            self.pos += 1;
            left = make(Box::new(left), Box::new(self.term()?));
        }
    }

    fn term(&mut self) -> Parsed<Operand> {
        let mut left = self.factor()?;
        loop {
            let make: fn(Box<Operand>, Box<Operand>) -> Operand = match self.peek() {
                Some(Token::Star) => Operand::Mul,
                Some(Token::Slash) => Operand::Div,
                _ => return Ok(left),
            };
            self.pos += 1;
            left = make(Box::new(left), Box::new(self.factor()?));
        }
    }

    fn factor(&mut self) -> Parsed<Operand> {
        let Some((at, token)) = self.tokens.get(self.pos).cloned() else { return Err(self.fail(FACTOR)) };
        match token {
            Token::Minus => {
                self.pos += 1;
                Ok(match self.factor()? {
                    Operand::Number(v) => Operand::Number(-v),
                    other => Operand::Neg(Box::new(other)),
                })
            }
            Token::Number(v) => {
                self.pos += 1;
                Ok(Operand::Number(v))
            }
            Token::Param(name) => {
                self.pos += 1;
                self.params.push((name.clone(), at));
                Ok(Operand::Param(name))
            }
            Token::Ident(s) if s != "true" && s != "false" => {
                self.pos += 1;
                Ok(Operand::Column(s))
            }
            Token::Open => {
                self.pos += 1;
                let a = self.arith()?;
                self.expect(Token::Close, "')'")?;
                Ok(a)
            }
            _ => Err(self.fail(FACTOR)),
        }
    }
}

fn describe(t: &Token) -> String {
    match t {
        Token::Ident(s) => format!("'{s}'"),
        Token::Param(s) => format!("'${s}'"),
        Token::Number(v) => format!("the number {v}"),
        Token::Text(s) => format!("\"{s}\""),
        Token::Op(op) => format!("'{}'", op.as_str()),
        Token::And => "'&&'".into(),
        Token::Or => "'||'".into(),
        Token::Not => "'!'".into(),
        Token::Plus => "'+'".into(),
        Token::Minus => "'-'".into(),
        Token::Star => "'*'".into(),
        Token::Slash => "'/'".into(),
        Token::Open => "'('".into(),
        Token::Close => "')'".into(),
        Token::Comma => "','".into(),
    }
}
