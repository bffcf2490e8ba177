//! The words of the report: the catalogue's names of its nodes (`name_zh`, or `name_en` with
//! English labels) and the report's own headings in Chinese or English.

use std::sync::Arc;

use crate::catalog::Catalog;
use crate::io::{header_zh, Lang};

/// Labels in one language, with the catalogue that names the nodes (when there is one).
pub(super) struct Labels {
    lang: Lang,
    catalog: Option<Arc<Catalog>>,
}

impl Labels {
    pub(super) fn new(lang: Lang, catalog: Option<Arc<Catalog>>) -> Labels {
        Labels { lang, catalog }
    }

    /// The report's language.
    pub(super) fn lang(&self) -> Lang {
        self.lang
    }

    /// `zh` or `en`, whichever the report is written in.
    pub(super) fn t(&self, zh: &'static str, en: &'static str) -> &'static str {
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The name of a node (the index, a group or an indicator) in the report's language; its
    /// id when the catalogue does not know it or there is no catalogue.
    pub(super) fn node(&self, id: &str) -> String {
        if id == "index" {
            return self.t("综合指数", "Index").to_string();
        }
        let Some(catalog) = &self.catalog else { return id.to_string() };
        if let Some(group) = catalog.group(id) {
            return match self.lang {
                Lang::Zh => group.name_zh.clone(),
                Lang::En => group.name_en.clone(),
            };
        }
        match catalog.indicator(id) {
            Some(indicator) => match self.lang {
                Lang::Zh => indicator.name_zh.clone(),
                Lang::En => indicator.name_en.clone(),
            },
            None => id.to_string(),
        }
    }

    /// The unit of measurement of an indicator, when the catalogue knows it.
    pub(super) fn unit_of(&self, id: &str) -> Option<String> {
        self.catalog.as_ref()?.indicator(id).map(|i| i.unit.clone()).filter(|u| !u.is_empty())
    }

    /// The header of a table column: the output tables' Chinese header (`io::header_zh`), or
    /// the column name with spaces for underscores.
    pub(super) fn header(&self, column: &str) -> String {
        match self.lang {
            Lang::Zh => header_zh(column).map(str::to_string).unwrap_or_else(|| column.to_string()),
            Lang::En => column.replace('_', " "),
        }
    }

    /// A warning level (red, yellow, green) in words.
    pub(super) fn level(&self, level: &str) -> String {
        match level {
            "red" => self.t("红", "red"),
            "yellow" => self.t("黄", "yellow"),
            "green" => self.t("绿", "green"),
            other => return other.to_string(),
        }
        .to_string()
    }

    /// A trend verdict of `trends.csv` in words.
    pub(super) fn verdict(&self, verdict: &str) -> String {
        match verdict {
            "improving" => self.t("改善", "improving"),
            "worsening" => self.t("恶化", "worsening"),
            "no_clear_trend" => self.t("无明显趋势", "no clear trend"),
            "too_short" => self.t("序列过短", "too short"),
            other => return other.to_string(),
        }
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_catalogue_in_the_chosen_language() {
        let catalog = Arc::new(Catalog::builtin("ccsy-example").unwrap());
        let zh = Labels::new(Lang::Zh, Some(Arc::clone(&catalog)));
        let en = Labels::new(Lang::En, Some(catalog));
        let gdp = Catalog::builtin("ccsy-example").unwrap().indicator("gdp").unwrap().clone();
        assert_eq!(zh.node("gdp"), gdp.name_zh);
        assert_eq!(en.node("gdp"), gdp.name_en);
        assert_eq!(zh.node("index"), "综合指数");
        assert_eq!(zh.node("not_a_node"), "not_a_node");
        assert_eq!(Labels::new(Lang::Zh, None).node("gdp"), "gdp");
        assert_eq!(zh.header("score"), "得分");
        assert_eq!(en.header("rank_change"), "rank change");
    }
}
