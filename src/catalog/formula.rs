//! The formula form of an indicator computed from object records (`[indicators.formula]`):
//! a small expression language, parsed once and checked against the records' columns before
//! anything runs.
//!
//! # Grammar
//! ```text
//! formula   := count(cond) | share(cond) | sum(column [, cond]) | ratio(column, column)
//!            | per_capita(column, column) | coverage(column, cond) | shortfall(operand, operand)
//! cond      := and ('||' and)*
//! and       := unary ('&&' unary)*
//! unary     := '!' unary | '(' cond ')' | column [op literal]
//! op        := '==' | '!=' | '<' | '<=' | '>' | '>='
//! literal   := number | true | false | "text"
//! operand   := column | number
//! column    := letters, digits and '_' (not starting with a digit)
//! ```
//! A bare column in a condition is a flag (a boolean column, or 0/1, or true/false text).
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
//! | `shortfall(r, p)` | Σ max(0, r − p) | same | — |
//!
//! Sums are taken over the objects where every input of the formula is present; an object
//! with a missing input is *unknown*: counted in the output's `unknown` column and never as
//! "no problem". Conditions follow three-valued logic (false && unknown = false, true || unknown
//! = true), so a known answer is never lost to an unrelated missing flag.

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

/// The levels of the 2023 check-up's object hierarchy, finest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectLevel {
    /// 住房: a dwelling building.
    Building,
    /// 小区(社区): a residential compound or community.
    Compound,
    /// 街区: a block.
    Block,
    /// 城区: a district.
    District,
    /// 城市: a city.
    City,
}

impl ObjectLevel {
    /// Every level, finest first.
    pub const ALL: [ObjectLevel; 5] =
        [ObjectLevel::Building, ObjectLevel::Compound, ObjectLevel::Block, ObjectLevel::District, ObjectLevel::City];

    /// `building`, `compound`, `block`, `district` or `city`.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectLevel::Building => "building",
            ObjectLevel::Compound => "compound",
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
            ObjectLevel::Block => "block_id",
            ObjectLevel::District => "district_id",
            ObjectLevel::City => "city_id",
        }
    }

    /// The level from its name.
    ///
    /// # Errors
    /// [`Error::Spec`] for an unknown name, listing the known ones.
    pub fn from_name(name: &str) -> Result<ObjectLevel> {
        ObjectLevel::ALL.into_iter().find(|l| l.as_str() == name).ok_or_else(|| {
            Error::Spec(format!("unknown level '{name}'; levels: building, compound, block, district, city"))
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

/// A literal on the right of a comparison.
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
    /// `column op literal`.
    Compare(String, Op, Literal),
    /// `!cond`.
    Not(Box<Cond>),
    /// `cond && cond`, three-valued (false && unknown = false).
    And(Box<Cond>, Box<Cond>),
    /// `cond || cond`, three-valued (true || unknown = true).
    Or(Box<Cond>, Box<Cond>),
}

/// A column or a constant.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A numeric column of the records.
    Column(String),
    /// A constant.
    Number(f64),
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
                for o in [r, p] {
                    if let Operand::Column(c) = o {
                        out.push((c.clone(), ColumnUse::Number));
                    }
                }
            }
        }
        out.dedup();
        out
    }
}

/// How a formula uses a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
            Cond::Not(a) => a.columns(out),
            Cond::And(a, b) | Cond::Or(a, b) => {
                a.columns(out);
                b.columns(out);
            }
        }
    }
}

/// Parses a formula expression.
///
/// # Errors
/// [`Error::Spec`] naming the position and what was expected.
///
/// # Examples
/// ```
/// use citycheck::compute::{parse_formula, Cond, Formula, Op, Literal};
/// let f = parse_formula("count(gas_hazard && gas_pipe_age >= 20)").unwrap();
/// assert_eq!(f, Formula::Count(Cond::And(
///     Box::new(Cond::Flag("gas_hazard".into())),
///     Box::new(Cond::Compare("gas_pipe_age".into(), Op::Ge, Literal::Number(20.0))),
/// )));
/// assert!(parse_formula("count(gas_hazard").is_err());
/// ```
pub fn parse_formula(text: &str) -> Result<Formula> {
    let mut p = Parser { text, tokens: tokenize(text)?, pos: 0 };
    let formula = p.formula()?;
    if p.pos < p.tokens.len() {
        return Err(p.error("end of formula"));
    }
    Ok(formula)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Number(f64),
    Text(String),
    Op(Op),
    And,
    Or,
    Not,
    Open,
    Close,
    Comma,
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token)>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let bad = |at: usize, what: String| Error::Spec(format!("formula '{text}', at character {}: {what}", at + 1));
    while i < chars.len() {
        let (at, c) = chars[i];
        let next = chars.get(i + 1).map(|&(_, c)| c);
        let two = |t: Token| (t, 2);
        let (token, width) = match (c, next) {
            (c, _) if c.is_whitespace() => {
                i += 1;
                continue;
            }
            ('(', _) => (Token::Open, 1),
            (')', _) => (Token::Close, 1),
            (',', _) => (Token::Comma, 1),
            ('&', Some('&')) => two(Token::And),
            ('|', Some('|')) => two(Token::Or),
            ('=', Some('=')) => two(Token::Op(Op::Eq)),
            ('!', Some('=')) => two(Token::Op(Op::Ne)),
            ('<', Some('=')) => two(Token::Op(Op::Le)),
            ('>', Some('=')) => two(Token::Op(Op::Ge)),
            ('<', _) => (Token::Op(Op::Lt), 1),
            ('>', _) => (Token::Op(Op::Gt), 1),
            ('!', _) => (Token::Not, 1),
            ('"', _) => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&(_, c)| c == '"')
                    .ok_or_else(|| bad(at, "a text literal is not closed with \"".into()))?;
                let s: String = chars[i + 1..i + 1 + end].iter().map(|&(_, c)| c).collect();
                (Token::Text(s), end + 2)
            }
            (c, _) if c.is_ascii_digit() || c == '.' || (c == '-' && next.is_some_and(|d| d.is_ascii_digit())) => {
                let len = 1 + chars[i + 1..]
                    .iter()
                    .take_while(|&&(_, c)| c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E')
                    .count();
                let s: String = chars[i..i + len].iter().map(|&(_, c)| c).collect();
                let v: f64 = s.parse().map_err(|_| bad(at, format!("'{s}' is not a number")))?;
                (Token::Number(v), len)
            }
            (c, _) if c.is_alphabetic() || c == '_' => {
                let len = chars[i..].iter().take_while(|&&(_, c)| c.is_alphanumeric() || c == '_').count();
                let s: String = chars[i..i + len].iter().map(|&(_, c)| c).collect();
                (Token::Ident(s), len)
            }
            (c, _) => return Err(bad(at, format!("unexpected character '{c}'"))),
        };
        out.push((at, token));
        i += width;
    }
    Ok(out)
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<(usize, Token)>,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, expected: &str) -> Error {
        match self.tokens.get(self.pos) {
            Some((at, t)) => Error::Spec(format!(
                "formula '{}', at character {}: expected {expected}, found {}",
                self.text,
                at + 1,
                describe(t)
            )),
            None => Error::Spec(format!("formula '{}': expected {expected}, found the end", self.text)),
        }
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn expect(&mut self, token: Token, what: &str) -> Result<()> {
        if self.peek() == Some(&token) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn ident(&mut self, what: &str) -> Result<String> {
        match self.peek() {
            Some(Token::Ident(s)) if s != "true" && s != "false" => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.error(what)),
        }
    }

    fn formula(&mut self) -> Result<Formula> {
        let kind = self.ident("a formula kind: count, share, sum, ratio, per_capita, coverage or shortfall")?;
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
            "shortfall" => {
                let r = self.operand()?;
                self.expect(Token::Comma, "','")?;
                Formula::Shortfall(r, self.operand()?)
            }
            other => {
                self.pos -= 2;
                return Err(Error::Spec(format!(
                    "formula '{}': unknown kind '{other}'; kinds: count, share, sum, ratio, per_capita, coverage, shortfall",
                    self.text
                )));
            }
        };
        self.expect(Token::Close, "')'")?;
        Ok(formula)
    }

    fn operand(&mut self) -> Result<Operand> {
        match self.peek() {
            Some(Token::Number(v)) => {
                let v = *v;
                self.pos += 1;
                Ok(Operand::Number(v))
            }
            _ => Ok(Operand::Column(self.ident("a column or a number")?)),
        }
    }

    fn cond(&mut self) -> Result<Cond> {
        let mut left = self.and()?;
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            left = Cond::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Cond> {
        let mut left = self.unary()?;
        while self.peek() == Some(&Token::And) {
            self.pos += 1;
            left = Cond::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Cond> {
        match self.peek() {
            Some(Token::Not) => {
                self.pos += 1;
                Ok(Cond::Not(Box::new(self.unary()?)))
            }
            Some(Token::Open) => {
                self.pos += 1;
                let c = self.cond()?;
                self.expect(Token::Close, "')'")?;
                Ok(c)
            }
            _ => {
                let column = self.ident("a column, '!' or '('")?;
                let Some(Token::Op(op)) = self.peek().cloned() else { return Ok(Cond::Flag(column)) };
                self.pos += 1;
                let literal = match self.peek().cloned() {
                    Some(Token::Number(v)) => Literal::Number(v),
                    Some(Token::Text(s)) => Literal::Text(s),
                    Some(Token::Ident(s)) if s == "true" || s == "false" => Literal::Bool(s == "true"),
                    _ => return Err(self.error("a number, true, false or a \"text\"")),
                };
                if matches!(literal, Literal::Bool(_) | Literal::Text(_)) && !matches!(op, Op::Eq | Op::Ne) {
                    return Err(self.error("a number (only == and != compare flags and text)"));
                }
                self.pos += 1;
                Ok(Cond::Compare(column, op, literal))
            }
        }
    }
}

fn describe(t: &Token) -> String {
    match t {
        Token::Ident(s) => format!("'{s}'"),
        Token::Number(v) => format!("the number {v}"),
        Token::Text(s) => format!("\"{s}\""),
        Token::Op(_) => "a comparison".into(),
        Token::And => "'&&'".into(),
        Token::Or => "'||'".into(),
        Token::Not => "'!'".into(),
        Token::Open => "'('".into(),
        Token::Close => "')'".into(),
        Token::Comma => "','".into(),
    }
}
