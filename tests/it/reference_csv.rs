//! The reference CSVs of tests/reference (COINr's ASEM example): a small CSV reader shared by
//! the modules that read them.

use citycheck::kernels::{from_columns, Array2};

/// The ASEM data files start with 7 key columns (UnitCode … Group_EurAsia); the indicators follow.
pub const KEY_COLUMNS: usize = 7;

// A small CSV reader: comma-separated, fields optionally in double quotes ("" inside quotes is
// a quote), no line breaks inside fields; an empty field is a missing value.

pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn parse(text: &str) -> Table {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header = split_line(lines.next().expect("a header line"));
        let rows: Vec<Vec<String>> = lines.map(split_line).collect();
        for (k, row) in rows.iter().enumerate() {
            assert_eq!(row.len(), header.len(), "line {} has {} fields, the header {}", k + 2, row.len(), header.len());
        }
        Table { header, rows }
    }

    pub fn column(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column '{name}'"))
    }

    pub fn text(&self, name: &str) -> Vec<&str> {
        let j = self.column(name);
        self.rows.iter().map(|r| r[j].as_str()).collect()
    }

    pub fn values(&self, name: &str) -> Vec<f64> {
        self.text(name)
            .into_iter()
            .map(|s| {
                if s.is_empty() {
                    f64::NAN
                } else {
                    s.parse::<f64>().unwrap_or_else(|e| panic!("{name}: {s:?}: {e}"))
                }
            })
            .collect()
    }

    /// The indicator columns of a data file.
    pub fn indicators(&self) -> Vec<&str> {
        self.header[KEY_COLUMNS..].iter().map(String::as_str).collect()
    }

    /// Units × the given indicators.
    pub fn matrix(&self, indicators: &[&str]) -> Array2<f64> {
        let data: Vec<f64> = indicators.iter().flat_map(|c| self.values(c)).collect();
        from_columns(self.rows.len(), indicators.len(), data).expect("a full table")
    }
}

fn split_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}
