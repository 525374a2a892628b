//! Properties over random graphs, checked against a plain model of what "applied" means, and
//! the size the graph must handle quickly.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::revision::graph::fixtures::{branchy, id, linear};

/// The graph as plain maps, with the definitions the plans must honour.
struct Model {
    parents: BTreeMap<String, Vec<String>>,
    deps: BTreeMap<String, Vec<String>>,
}

impl Model {
    fn new(revisions: &[Revision]) -> Model {
        let parents = revisions
            .iter()
            .map(|r| (r.id.clone(), r.down_revisions.clone()))
            .collect();
        let deps = revisions
            .iter()
            .map(|r| (r.id.clone(), r.depends_on.clone()))
            .collect();
        Model { parents, deps }
    }

    /// What `id` needs: its parents and dependencies.
    fn needs(&self, id: &str) -> impl Iterator<Item = &String> {
        self.parents[id].iter().chain(&self.deps[id])
    }

    /// `starts` and everything they need, transitively.
    fn applied_by(&self, starts: &BTreeSet<String>) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut todo: Vec<String> = starts.iter().cloned().collect();
        while let Some(id) = todo.pop() {
            if out.insert(id.clone()) {
                todo.extend(self.needs(&id).cloned());
            }
        }
        out
    }

    /// `starts` and everything needing them (through children or dependents), transitively.
    fn needing(&self, starts: &BTreeSet<String>) -> BTreeSet<String> {
        let mut out = starts.clone();
        loop {
            let more: Vec<String> = self
                .parents
                .keys()
                .filter(|id| !out.contains(*id) && self.needs(id).any(|n| out.contains(n)))
                .cloned()
                .collect();
            if more.is_empty() {
                return out;
            }
            out.extend(more);
        }
    }

    /// The rows for an applied set: applied revisions no applied revision has as a parent.
    fn rows_for(&self, applied: &BTreeSet<String>) -> BTreeSet<String> {
        let parents_of_applied: BTreeSet<&String> =
            applied.iter().flat_map(|a| &self.parents[a]).collect();
        applied
            .iter()
            .filter(|a| !parents_of_applied.contains(a))
            .cloned()
            .collect()
    }

    /// Replays `plan` from `rows`, checking each step against the applied set, and returns the
    /// applied set at the end. With `exact`, the rows must also be exactly `rows_for` after
    /// every step.
    fn replay(&self, rows: &BTreeSet<String>, plan: &[PlanStep], exact: bool) -> BTreeSet<String> {
        let mut rows = rows.clone();
        let mut applied = self.applied_by(&rows);
        for step in plan {
            let id = &step.revision;
            match step.direction {
                Direction::Up => {
                    assert!(!applied.contains(id), "{id} is applied twice");
                    assert!(
                        self.needs(id).all(|n| applied.contains(n)),
                        "{id} runs before what it needs"
                    );
                    applied.insert(id.clone());
                }
                Direction::Down => {
                    assert!(applied.remove(id), "{id} is reverted but not applied");
                    assert!(
                        applied.iter().all(|a| self.needs(a).all(|n| n != id)),
                        "{id} is reverted too early"
                    );
                }
            }
            apply(&mut rows, &step.version);
            assert_eq!(
                self.applied_by(&rows),
                applied,
                "the rows after {id} imply the applied revisions"
            );
            if exact {
                assert_eq!(rows, self.rows_for(&applied), "the rows after {id}");
            }
        }
        applied
    }
}

/// How a random revision is made: how many parents, which ones, which dependency, whether it
/// declares a label.
type Spec = (usize, [u16; 2], Option<u16>, bool);

/// Random graphs of up to 11 revisions `r000`...: each revises up to two earlier ones (none
/// makes a new base), may depend on another earlier one, and may declare a label.
fn random_revisions() -> impl Strategy<Value = Vec<Revision>> {
    let spec = (
        0usize..=2,
        any::<[u16; 2]>(),
        prop::option::weighted(0.3, any::<u16>()),
        prop::bool::weighted(0.2),
    );
    prop::collection::vec(spec, 1..12).prop_map(|specs| {
        let id = |k: usize| format!("r{k:03}");
        let revision = |(i, &(count, picks, dep, label)): (usize, &Spec)| {
            let mut parents: Vec<String> = Vec::new();
            for &pick in picks.iter().take(if i == 0 { 0 } else { count }) {
                let parent = id(usize::from(pick) % i);
                if !parents.contains(&parent) {
                    parents.push(parent);
                }
            }
            let dep = dep
                .filter(|_| i > 0)
                .map(|d| id(usize::from(d) % i))
                .filter(|d| !parents.contains(d));
            let branch_labels = if label {
                vec![format!("label{i}")]
            } else {
                Vec::new()
            };
            Revision {
                id: id(i),
                down_revisions: parents,
                depends_on: dep.into_iter().collect(),
                branch_labels,
                origin: None,
                replaces: Vec::new(),
            }
        };
        specs.iter().enumerate().map(revision).collect()
    })
}

/// A random graph, a random applied state of it (as the rows this module writes), and a pick.
fn scenario() -> impl Strategy<Value = (Vec<Revision>, BTreeSet<String>, usize)> {
    random_revisions().prop_flat_map(|revisions| {
        let n = revisions.len();
        (
            Just(revisions),
            prop::collection::vec(any::<bool>(), n),
            0..n + 2,
        )
            .prop_map(|(revisions, chosen, pick)| {
                let model = Model::new(&revisions);
                let starts = revisions
                    .iter()
                    .zip(&chosen)
                    .filter(|(_, c)| **c)
                    .map(|(r, _)| r.id.clone())
                    .collect();
                let rows = model.rows_for(&model.applied_by(&starts));
                (revisions, rows, pick)
            })
    })
}

/// A revision for a pick of 2 and more, else `heads` for 0 and `other` for 1.
fn pick_any(revisions: &[Revision], pick: usize, other: &str) -> String {
    match pick {
        0 => "heads".to_string(),
        1 => other.to_string(),
        _ => revisions[pick - 2].id.clone(),
    }
}

/// An applied revision for a pick of 2 and more (when there is one), else `base`.
fn pick_applied(applied: &BTreeSet<String>, pick: usize) -> String {
    pick.checked_sub(2)
        .and_then(|i| applied.iter().nth(i))
        .cloned()
        .unwrap_or_else(|| "base".to_string())
}

fn vec_of(rows: &BTreeSet<String>) -> Vec<String> {
    rows.iter().cloned().collect()
}

proptest! {
    #[test]
    fn upgrading_heads_then_downgrading_base_comes_back_empty(revisions in random_revisions()) {
        let g = graph(revisions.clone());
        let model = Model::new(&revisions);
        let up = g.upgrade(&[], "heads").unwrap();
        let applied = model.replay(&BTreeSet::new(), &up, true);
        prop_assert_eq!(applied.len(), revisions.len());
        let rows = rows_after(&[], &up);
        let down = g.downgrade(&vec_of(&rows), "base").unwrap();
        prop_assert!(model.replay(&rows, &down, true).is_empty());
        prop_assert!(rows_after(&vec_of(&rows), &down).is_empty());
    }

    #[test]
    fn an_upgrade_applies_exactly_what_the_target_needs((revisions, rows, pick) in scenario()) {
        let g = graph(revisions.clone());
        let model = Model::new(&revisions);
        let target = pick_any(&revisions, pick, "base");
        let plan = g.upgrade(&vec_of(&rows), &target).unwrap();
        let mut expected = model.applied_by(&rows);
        let designated: BTreeSet<String> = g.resolve(&target, &[]).unwrap().into_iter().collect();
        expected.extend(model.applied_by(&designated));
        prop_assert_eq!(model.replay(&rows, &plan, true), expected);
    }

    #[test]
    fn a_downgrade_reverts_exactly_what_needs_the_reverted((revisions, rows, pick) in scenario()) {
        let g = graph(revisions.clone());
        let model = Model::new(&revisions);
        let applied = model.applied_by(&rows);
        let target = pick_applied(&applied, pick);
        let plan = g.downgrade(&vec_of(&rows), &target).unwrap();
        let expected = if target == "base" {
            BTreeSet::new()
        } else {
            let children = model.parents.iter().filter(|(_, p)| p.contains(&target));
            let children = children.map(|(c, _)| c.clone()).collect();
            applied.difference(&model.needing(&children)).cloned().collect()
        };
        prop_assert_eq!(model.replay(&rows, &plan, true), expected);
    }

    #[test]
    fn upgrading_somewhere_first_ends_at_the_same_rows((revisions, rows, pick) in scenario()) {
        let g = graph(revisions.clone());
        let target = pick_any(&revisions, pick, "base");
        let current = vec_of(&rows);
        let direct = rows_after(&current, &g.upgrade(&current, "heads").unwrap());
        let first = rows_after(&current, &g.upgrade(&current, &target).unwrap());
        let then = rows_after(&vec_of(&first), &g.upgrade(&vec_of(&first), "heads").unwrap());
        prop_assert_eq!(then, direct);
    }

    #[test]
    fn rows_written_otherwise_stay_consistent((revisions, rows, pick) in scenario()) {
        // Alembic's rows: only the revisions nothing applied needs (dependencies folded in).
        let g = graph(revisions.clone());
        let model = Model::new(&revisions);
        let applied = model.applied_by(&rows);
        let folded =
            applied.iter().filter(|a| !applied.iter().any(|b| model.needs(b).any(|n| n == *a)));
        let folded: BTreeSet<String> = folded.cloned().collect();
        let target = pick_applied(&applied, pick);
        let down = g.downgrade(&vec_of(&folded), &target).unwrap();
        model.replay(&folded, &down, false);
        let up = g.upgrade(&vec_of(&folded), "heads").unwrap();
        prop_assert_eq!(model.replay(&folded, &up, false).len(), revisions.len());
    }
}

/// Speed is measured by the `graph` benchmark (`benches/engine.rs`); this checks the shapes
/// it measures resolve correctly.
#[test]
fn ten_thousand_revisions_resolve_their_heads() {
    let linear = RevisionGraph::new(linear(10_000)).unwrap();
    assert_eq!(linear.resolve("heads", &[]).unwrap(), [id(9_999)]);
    let branchy = RevisionGraph::new(branchy()).unwrap();
    assert_eq!(branchy.resolve("heads", &[]).unwrap().len(), 100);
}

#[test]
fn ten_thousand_revisions_plan_in_one_go() {
    let g = RevisionGraph::new(linear(10_000)).unwrap();
    let up = g.upgrade(&[], "heads").unwrap();
    assert_eq!(up.len(), 10_000);
    let rows = rows_after(&[], &up);
    assert_eq!(rows.len(), 1);
    assert_eq!(g.downgrade(&vec_of(&rows), "base").unwrap().len(), 10_000);
    let g = RevisionGraph::new(branchy()).unwrap();
    let up = g.upgrade(&[], "heads").unwrap();
    assert_eq!(rows_after(&[], &up).len(), 100);
}
