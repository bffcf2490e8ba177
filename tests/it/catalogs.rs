//! The built-in catalogues: each loads, is consistent with indicators/README.md, and carries
//! the standards of its source.

use citycheck::catalog::NodeKind;
use citycheck::{Catalog, Error};

#[test]
fn every_builtin_catalogue_loads() {
    let ids: Vec<&str> = Catalog::builtin_ids().collect();
    assert_eq!(ids, ["ccsy-example", "mohurd-2021", "mohurd-2023", "liaoning-pilot-2025", "liaoning-assessment"]);
    for id in ids {
        let c = Catalog::builtin(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(c.id(), id);
        assert!(!c.meta().name.is_empty() && !c.meta().version.is_empty(), "{id}: name and version");
        assert_eq!(c.sha256().len(), 64, "{id}: sha256 is 64 hex digits");
        assert!(c.sha256().chars().all(|ch| ch.is_ascii_hexdigit()), "{id}: {}", c.sha256());
        assert!(!c.indicators().is_empty(), "{id} has indicators");
        // Catalog::resolve takes a built-in id as well.
        assert_eq!(Catalog::resolve(id).unwrap().sha256(), c.sha256());
    }
}

#[test]
fn builtin_catalogue_sizes_match_the_readme() {
    // indicators/README.md, "Shipped catalogues": mohurd-2021 41 indicators (39 scored, 2
    // context variables); mohurd-2023 53 (52 scored, 1 context); liaoning-pilot-2025 20
    // indicators, all scored, 16 with a standard; liaoning-assessment 7, all scored, none with a
    // standard. ccsy-example's own description: 17 indicators, of which 4 context variables
    // (population, enrolment, public green area, public toilets).
    for (id, total, scored) in [
        ("ccsy-example", 17, 13),
        ("mohurd-2021", 41, 39),
        ("mohurd-2023", 53, 52),
        ("liaoning-pilot-2025", 20, 20),
        ("liaoning-assessment", 7, 7),
    ] {
        let c = Catalog::builtin(id).unwrap();
        assert_eq!(c.indicators().len(), total, "{id}: indicators");
        assert_eq!(c.indicators().iter().filter(|i| i.is_scored()).count(), scored, "{id}: scored indicators");
    }
    let liaoning = Catalog::builtin("liaoning-pilot-2025").unwrap();
    assert_eq!(liaoning.indicators().iter().filter(|i| i.standard.is_some()).count(), 16);
    let assessment = Catalog::builtin("liaoning-assessment").unwrap();
    assert!(assessment.indicators().iter().all(|i| i.standard.is_none()), "the plan sets no assessment standard");
}

#[test]
fn builtin_trees_hold_every_scored_indicator_and_aliases_resolve() {
    for id in Catalog::builtin_ids() {
        let c = Catalog::builtin(id).unwrap();
        let tree = c.tree(|_, _| true);
        assert_eq!(tree.root().id, "index");
        assert_eq!(tree.root().kind, NodeKind::Index);
        let leaves = tree.indicator_nodes().count();
        assert_eq!(
            leaves,
            c.indicators().iter().filter(|i| i.is_scored()).count(),
            "{id}: every scored indicator is a leaf"
        );
        // Bottom-up order puts every child before its parent, and the root last.
        let order = tree.bottom_up();
        assert_eq!(order.len(), tree.nodes().len());
        assert_eq!(*order.last().unwrap(), 0);
        for (pos, &n) in order.iter().enumerate() {
            for &child in &tree.node(n).children {
                let child_pos = order.iter().position(|&m| m == child).unwrap();
                assert!(child_pos < pos, "{id}: child {} after its parent {}", tree.node(child).id, tree.node(n).id);
            }
        }
        for ind in c.indicators() {
            assert_eq!(c.indicator(&ind.id).map(|i| i.id.as_str()), Some(ind.id.as_str()));
            for alias in &ind.aliases {
                assert_eq!(c.indicator(alias).map(|i| i.id.as_str()), Some(ind.id.as_str()), "{id}: alias {alias}");
            }
        }
    }
}

#[test]
fn unknown_builtin_lists_the_known_ones() {
    let err = Catalog::builtin("mohurd-2020").expect_err("no such catalogue");
    let Error::Catalog { message, .. } = &err else { panic!("expected Error::Catalog, got {err:?}") };
    for id in Catalog::builtin_ids() {
        assert!(message.contains(id), "lists {id}: {message}");
    }
}

#[test]
fn liaoning_complete_communities_standard_per_city() {
    // indicators/liaoning-pilot-2025.toml, complete_communities (完整居住社区数量), from the
    // pilot-zone plan's 2025 targets (沈阳、大连市分别建设20个、其他城市各建设5个完整居住社区): 20 each
    // in 沈阳市 and 大连市, 5 in every other city, deadline 2025; 沈抚示范区 is not a city.
    let c = Catalog::builtin("liaoning-pilot-2025").unwrap();
    let ind = c.indicator("complete_communities").expect("indicator id");
    assert_eq!(c.indicator("完整居住社区").map(|i| i.id.as_str()), Some("complete_communities"), "Chinese alias");
    let standard = ind.standard.as_ref().expect("a standard");
    assert_eq!(standard.value_for("沈阳市"), Some(20.0));
    assert_eq!(standard.value_for("大连市"), Some(20.0));
    assert_eq!(standard.value_for("鞍山市"), Some(5.0));
    assert_eq!(standard.value_for("葫芦岛市"), Some(5.0));
    assert_eq!(standard.value_for("沈抚示范区"), None);
    assert_eq!(standard.deadline, Some(2025));
}
