//! The scoring hierarchy of a catalogue: index → groups (any depth) → indicators.

use serde::Serialize;

use super::Catalog;

/// Id of the root node, the overall index.
pub const ROOT_ID: &str = "index";

/// What a node of the scoring tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// An indicator: a leaf.
    Indicator,
    /// A group of indicators or of other groups (dimension, level or aspect).
    Group,
    /// The root, the overall index (id `index`).
    Index,
}

impl NodeKind {
    /// `indicator`, `group` or `index`, as in serde and the `kind` columns.
    pub fn as_str(&self) -> &'static str {
        match self {
            NodeKind::Indicator => "indicator",
            NodeKind::Group => "group",
            NodeKind::Index => "index",
        }
    }
}

/// One node of the scoring tree.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Node {
    /// The group's or indicator's id; `index` for the root.
    pub id: String,
    /// Indicator, group or index.
    pub kind: NodeKind,
    /// Position of the parent node in [`Tree::nodes`]; `None` for the root.
    pub parent: Option<usize>,
    /// Positions of the children in [`Tree::nodes`], in catalogue order; empty for indicators.
    pub children: Vec<usize>,
    /// 1 for indicators; a group's level is one more than its highest child (COINr's levels).
    pub level: u32,
    /// Position in [`Catalog::indicators`] for indicator nodes.
    pub indicator: Option<usize>,
    /// Expert weight from the catalogue, if any.
    pub expert_weight: Option<f64>,
}

/// The hierarchy that a run scores: node 0 is the index; nodes are stored in catalogue order
/// (index, groups, indicators), and [`Tree::bottom_up`] gives an order in which every node
/// comes after all its children.
#[derive(Debug, Clone)]
pub struct Tree {
    nodes: Vec<Node>,
    bottom_up: Vec<usize>,
}

impl Tree {
    pub(super) fn build(catalog: &Catalog, keep: impl Fn(usize, &super::Indicator) -> bool) -> Tree {
        let kept: Vec<usize> = catalog
            .indicators
            .iter()
            .enumerate()
            .filter(|(i, ind)| ind.is_scored() && keep(*i, ind))
            .map(|(i, _)| i)
            .collect();
        // A group survives if some kept indicator lies below it.
        let group_pos = |id: &str| catalog.groups.iter().position(|g| g.id == id);
        let mut alive = vec![false; catalog.groups.len()];
        for &i in &kept {
            let mut g = catalog.indicators[i].group.as_deref().and_then(group_pos);
            while let Some(gi) = g {
                if alive[gi] {
                    break;
                }
                alive[gi] = true;
                g = catalog.groups[gi].parent.as_deref().and_then(group_pos);
            }
        }
        let mut nodes = vec![Node {
            id: ROOT_ID.to_string(),
            kind: NodeKind::Index,
            parent: None,
            children: Vec::new(),
            level: 1,
            indicator: None,
            expert_weight: None,
        }];
        let mut node_of_group = vec![usize::MAX; catalog.groups.len()];
        for (gi, group) in catalog.groups.iter().enumerate() {
            if alive[gi] {
                node_of_group[gi] = nodes.len();
                nodes.push(Node {
                    id: group.id.clone(),
                    kind: NodeKind::Group,
                    parent: None,
                    children: Vec::new(),
                    level: 1,
                    indicator: None,
                    expert_weight: group.weight,
                });
            }
        }
        for (gi, group) in catalog.groups.iter().enumerate() {
            if alive[gi] {
                let parent = group.parent.as_deref().and_then(group_pos).map(|p| node_of_group[p]).unwrap_or(0);
                nodes[node_of_group[gi]].parent = Some(parent);
            }
        }
        for &i in &kept {
            let ind = &catalog.indicators[i];
            let parent = ind.group.as_deref().and_then(group_pos).map(|p| node_of_group[p]).unwrap_or(0);
            nodes.push(Node {
                id: ind.id.clone(),
                kind: NodeKind::Indicator,
                parent: Some(parent),
                children: Vec::new(),
                level: 1,
                indicator: Some(i),
                expert_weight: ind.weight,
            });
        }
        for n in 1..nodes.len() {
            let p = nodes[n].parent.expect("every non-root node has a parent");
            nodes[p].children.push(n);
        }
        // Levels and the bottom-up order by one depth-first walk (the catalogue has no cycles).
        let mut bottom_up: Vec<usize> = Vec::with_capacity(nodes.len());
        fn visit(nodes: &mut [Node], n: usize, order: &mut Vec<usize>) -> u32 {
            let children = nodes[n].children.clone();
            let mut level = 1;
            for c in children {
                level = level.max(visit(nodes, c, order) + 1);
            }
            nodes[n].level = level;
            order.push(n);
            level
        }
        visit(&mut nodes, 0, &mut bottom_up);
        Tree { nodes, bottom_up }
    }

    /// Every node: the index first, then groups and indicators in catalogue order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The node at position `n` (panics when out of range).
    pub fn node(&self, n: usize) -> &Node {
        &self.nodes[n]
    }

    /// The root, the overall index.
    pub fn root(&self) -> &Node {
        &self.nodes[0]
    }

    /// Node positions with every child before its parent.
    pub fn bottom_up(&self) -> &[usize] {
        &self.bottom_up
    }

    /// Indicator nodes in catalogue order.
    pub fn indicator_nodes(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(|&n| self.nodes[n].kind == NodeKind::Indicator)
    }

    /// Product of `local` weights from `n` up to the root (the root's own weight is 1).
    pub fn global_weight(&self, n: usize, local: &[f64]) -> f64 {
        let mut w = 1.0;
        let mut cur = n;
        while let Some(p) = self.nodes[cur].parent {
            w *= local[cur];
            cur = p;
        }
        w
    }
}
