//! Foreign-key order: parents before children, with cycles broken.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;

use crate::schema::{ForeignKey, Table};

/// Tables in creation order, and the foreign keys that must be added after every table exists.
#[derive(Debug, Default)]
pub(crate) struct CreationOrder<'a> {
    /// Parents before children; ties in name order.
    pub tables: Vec<&'a Table>,
    /// `(table, foreign key)` pairs that close a cycle between the tables.
    pub deferred: Vec<(&'a str, &'a ForeignKey)>,
}

/// Orders `tables` so that each comes after the tables its foreign keys reference and the
/// tables it is made from ([`Table::parents`]). References to tables outside the set are
/// ignored; a self-reference needs no ordering. Foreign keys that form a cycle between several
/// tables are deferred.
pub(crate) fn creation_order<'a>(tables: &[&'a Table]) -> CreationOrder<'a> {
    let names: BTreeSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let mut graph: DiGraphMap<&str, ()> = DiGraphMap::new();
    for t in tables {
        graph.add_node(&t.name);
        for parent in t.parents() {
            if parent != t.name && names.contains(parent) {
                graph.add_edge(parent, &t.name, ());
            }
        }
        for fk in &t.foreign_keys {
            let parent = fk.ref_table.as_str();
            if parent != t.name && names.contains(parent) {
                graph.add_edge(parent, &t.name, ());
            }
        }
    }
    let mut component: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, scc) in tarjan_scc(&graph).into_iter().enumerate() {
        if scc.len() > 1 {
            for name in scc {
                component.insert(name, i);
            }
        }
    }
    let in_cycle = |a: &str, b: &str| {
        component
            .get(a)
            .is_some_and(|c| component.get(b) == Some(c))
    };
    let mut deferred = Vec::new();
    for t in tables {
        for fk in &t.foreign_keys {
            if fk.ref_table != t.name && in_cycle(&fk.ref_table, &t.name) {
                graph.remove_edge(&fk.ref_table, &t.name);
                deferred.push((t.name.as_str(), fk));
            }
        }
    }
    let by_name: BTreeMap<&str, &'a Table> = tables.iter().map(|t| (t.name.as_str(), *t)).collect();
    let tables = kahn(&graph).into_iter().map(|n| by_name[n]).collect();
    CreationOrder { tables, deferred }
}

/// Topological order of an acyclic graph, smallest name first among the ready nodes, so the
/// order is the same on every run.
fn kahn<'a>(graph: &DiGraphMap<&'a str, ()>) -> Vec<&'a str> {
    let mut incoming: BTreeMap<&str, usize> = graph.nodes().map(|n| (n, 0)).collect();
    for (_, child, _) in graph.all_edges() {
        *incoming.get_mut(child).expect("edge ends are nodes") += 1;
    }
    let mut ready: BTreeSet<&str> = incoming
        .iter()
        .filter(|(_, d)| **d == 0)
        .map(|(n, _)| *n)
        .collect();
    let mut out = Vec::with_capacity(incoming.len());
    while let Some(node) = ready.pop_first() {
        out.push(node);
        for child in graph.neighbors(node) {
            let degree = incoming.get_mut(child).expect("child is a node");
            *degree -= 1;
            if *degree == 0 {
                ready.insert(child);
            }
        }
    }
    debug_assert_eq!(
        out.len(),
        incoming.len(),
        "cycles are removed before sorting"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Type, column, foreign_key, table};

    fn t(name: &str, refs: &[&str]) -> Table {
        let mut t = table(name)
            .column(column("id", Type::Integer))
            .column(column("r", Type::Integer));
        for r in refs {
            t = t.foreign_key(foreign_key(format!("fk_{name}_{r}"), ["r"], *r, ["id"]));
        }
        t
    }

    fn order(tables: &[Table]) -> (Vec<String>, Vec<String>) {
        let refs: Vec<&Table> = tables.iter().collect();
        let o = creation_order(&refs);
        (
            o.tables.iter().map(|t| t.name.clone()).collect(),
            o.deferred.iter().map(|(_, fk)| fk.name.clone()).collect(),
        )
    }

    #[test]
    fn parents_come_first_and_ties_in_name_order() {
        let tables = [
            t("c", &["b"]),
            t("b", &["a"]),
            t("a", &[]),
            t("z", &[]),
            t("y", &["outside"]),
        ];
        assert_eq!(order(&tables).0, ["a", "b", "c", "y", "z"]);
    }

    #[test]
    fn self_references_need_nothing_and_cycles_are_deferred() {
        let tables = [
            t("a", &["a", "b"]),
            t("b", &["c"]),
            t("c", &["a"]),
            t("d", &["c"]),
        ];
        let (names, deferred) = order(&tables);
        assert_eq!(names, ["a", "b", "c", "d"]);
        assert_eq!(deferred, ["fk_a_b", "fk_b_c", "fk_c_a"]);
    }
}
