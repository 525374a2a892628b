//! Building the graph: validation of ids, labels and edges, then the topological order (which
//! finds cycles).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use super::{GraphError, MAX_ID_LEN, Node, Revision, RevisionGraph};

/// Words that name targets, so neither ids nor labels may be them.
const RESERVED: [&str; 3] = ["head", "heads", "base"];

/// Characters target expressions use: `x@head`, `ae10-1`, `+2`, `a:b`.
const ILLEGAL: [char; 4] = ['@', '-', '+', ':'];

pub(super) fn build(mut revisions: Vec<Revision>) -> Result<RevisionGraph, GraphError> {
    revisions.iter().try_for_each(check_id)?;
    // A stable sort keeps duplicates in input order, so "first" and "second" mean what they say.
    revisions.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(pair) = revisions.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(GraphError::DuplicateId {
            id: pair[0].id.clone(),
            first: pair[0].origin.clone(),
            second: pair[1].origin.clone(),
        });
    }
    let mut graph = RevisionGraph {
        nodes: revisions.into_iter().map(Node::new).collect(),
        labels: BTreeMap::new(),
        topo: Vec::new(),
        real_heads: Vec::new(),
        replaced: BTreeMap::new(),
    };
    graph.labels = collect_labels(&graph)?;
    graph.replaced = collect_replaced(&graph)?;
    for index in 0..graph.len() {
        graph.link(index)?;
    }
    graph.topo = topological_order(&graph.nodes)?;
    graph.real_heads = (0..graph.len())
        .filter(|&i| graph.nodes[i].children.is_empty() && graph.nodes[i].dependents.is_empty())
        .collect();
    Ok(graph)
}

impl Node {
    fn new(revision: Revision) -> Node {
        Node {
            revision,
            parents: Vec::new(),
            deps: Vec::new(),
            children: Vec::new(),
            dependents: Vec::new(),
        }
    }
}

/// The ids squashes replaced; one still present as a revision is an error (its file was kept).
fn collect_replaced(graph: &RevisionGraph) -> Result<BTreeMap<String, usize>, GraphError> {
    let mut replaced = BTreeMap::new();
    for (index, node) in graph.nodes.iter().enumerate() {
        for old in &node.revision.replaces {
            if let Some(kept) = graph.find(old) {
                return Err(GraphError::ReplacedStillThere {
                    id: old.clone(),
                    squash: node.revision.id.clone(),
                    origin: graph.nodes[kept].revision.origin.clone(),
                });
            }
            replaced.insert(old.clone(), index);
        }
    }
    Ok(replaced)
}

fn check_id(revision: &Revision) -> Result<(), GraphError> {
    let id = &revision.id;
    let origin = || revision.origin.clone();
    if id.is_empty() {
        return Err(GraphError::EmptyId { origin: origin() });
    }
    let mut chars: Vec<char> = Vec::new();
    for c in id
        .chars()
        .filter(|c| ILLEGAL.contains(c) || c.is_whitespace())
    {
        if !chars.contains(&c) {
            chars.push(c);
        }
    }
    if !chars.is_empty() {
        return Err(GraphError::IllegalCharacters {
            id: id.clone(),
            chars,
            origin: origin(),
        });
    }
    let length = id.chars().count();
    if length > MAX_ID_LEN {
        return Err(GraphError::IdTooLong {
            id: id.clone(),
            length,
            origin: origin(),
        });
    }
    if RESERVED.contains(&id.as_str()) {
        return Err(GraphError::ReservedId {
            id: id.clone(),
            origin: origin(),
        });
    }
    Ok(())
}

/// Each label and the revision declaring it, checked: valid, not a revision id, declared once.
fn collect_labels(graph: &RevisionGraph) -> Result<BTreeMap<String, usize>, GraphError> {
    let mut labels: BTreeMap<String, usize> = BTreeMap::new();
    for (index, node) in graph.nodes.iter().enumerate() {
        let revision = &node.revision;
        for label in &revision.branch_labels {
            let error_fields = || (label.clone(), revision.id.clone(), revision.origin.clone());
            if !valid_label(label) {
                let (label, id, origin) = error_fields();
                return Err(GraphError::InvalidBranchLabel { label, id, origin });
            }
            if graph.find(label).is_some() {
                let (label, id, origin) = error_fields();
                return Err(GraphError::BranchLabelIsRevision { label, id, origin });
            }
            match labels.get(label) {
                // Listing a label twice in one revision is harmless.
                Some(&first) if first == index => {}
                Some(&first) => {
                    let first = &graph.nodes[first].revision;
                    return Err(GraphError::DuplicateBranchLabel {
                        label: label.clone(),
                        first: first.id.clone(),
                        first_origin: first.origin.clone(),
                        second: revision.id.clone(),
                        second_origin: revision.origin.clone(),
                    });
                }
                None => {
                    labels.insert(label.clone(), index);
                }
            }
        }
    }
    Ok(labels)
}

fn valid_label(label: &str) -> bool {
    !label.is_empty()
        && !label
            .chars()
            .any(|c| c == '@' || c == ':' || c.is_whitespace())
        && !RESERVED.contains(&label)
}

impl RevisionGraph {
    /// Resolves the parents and dependencies of `index` and records it as their child or
    /// dependent. Revisions are linked in index order, so children and dependents come sorted.
    fn link(&mut self, index: usize) -> Result<(), GraphError> {
        let revision = &self.nodes[index].revision;
        let mut parents = Vec::new();
        for parent in &revision.down_revisions {
            let found = self.find(parent).ok_or_else(|| GraphError::MissingParent {
                id: revision.id.clone(),
                parent: parent.clone(),
                origin: revision.origin.clone(),
            })?;
            if !parents.contains(&found) {
                parents.push(found);
            }
        }
        let mut deps = Vec::new();
        for dependency in &revision.depends_on {
            let found = self.dependency(revision, dependency)?;
            if !parents.contains(&found) && !deps.contains(&found) {
                deps.push(found);
            }
        }
        for &parent in &parents {
            self.nodes[parent].children.push(index);
        }
        for &dep in &deps {
            self.nodes[dep].dependents.push(index);
        }
        let node = &mut self.nodes[index];
        node.parents = parents;
        node.deps = deps;
        Ok(())
    }

    /// A `depends_on` entry: an id, a branch label (the revision declaring it), or a unique
    /// prefix of at least 4 characters.
    fn dependency(&self, revision: &Revision, dependency: &str) -> Result<usize, GraphError> {
        if let Some(found) = self
            .find(dependency)
            .or_else(|| self.labels.get(dependency).copied())
        {
            return Ok(found);
        }
        let candidates = if dependency.chars().count() >= 4 {
            self.prefixed(dependency)
        } else {
            Vec::new()
        };
        match candidates.as_slice() {
            [one] => Ok(*one),
            [] => Err(GraphError::MissingDependency {
                id: revision.id.clone(),
                dependency: dependency.to_string(),
                origin: revision.origin.clone(),
            }),
            several => Err(GraphError::AmbiguousDependency {
                id: revision.id.clone(),
                dependency: dependency.to_string(),
                candidates: self.ids(several),
                origin: revision.origin.clone(),
            }),
        }
    }

    /// The revisions whose id starts with `prefix`, sorted.
    /// The squash that replaced `text` (an id, or a prefix of at least 4 characters of one).
    pub(super) fn squash_of(&self, text: &str) -> Option<&str> {
        if text.chars().count() < super::target::MIN_PREFIX {
            return None;
        }
        self.replaced
            .range(text.to_string()..)
            .take_while(|(old, _)| old.starts_with(text))
            .map(|(_, &i)| self.id(i))
            .next()
    }

    pub(super) fn prefixed(&self, prefix: &str) -> Vec<usize> {
        let start = self
            .nodes
            .partition_point(|n| n.revision.id.as_str() < prefix);
        (start..self.len())
            .take_while(|&i| self.id(i).starts_with(prefix))
            .collect()
    }
}

/// Kahn's algorithm over parents and dependencies, smallest index first; leftover revisions
/// mean a cycle, which is reported as a path.
fn topological_order(nodes: &[Node]) -> Result<Vec<usize>, GraphError> {
    let mut waiting: Vec<usize> = nodes
        .iter()
        .map(|n| n.parents.len() + n.deps.len())
        .collect();
    let mut ready: BinaryHeap<Reverse<usize>> = (0..nodes.len())
        .filter(|&i| waiting[i] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(Reverse(i)) = ready.pop() {
        order.push(i);
        for &next in nodes[i].children.iter().chain(&nodes[i].dependents) {
            waiting[next] -= 1;
            if waiting[next] == 0 {
                ready.push(Reverse(next));
            }
        }
    }
    if order.len() == nodes.len() {
        return Ok(order);
    }
    let mut done = vec![false; nodes.len()];
    order.iter().for_each(|&i| done[i] = true);
    Err(cycle_error(nodes, &done))
}

/// Every revision left out by Kahn's algorithm waits on another one left out, so walking from
/// one to a waited-on one must come back to a revision already seen: that loop is a cycle.
fn cycle_error(nodes: &[Node], done: &[bool]) -> GraphError {
    let start = (0..nodes.len())
        .find(|&i| !done[i])
        .expect("a revision is left out");
    let mut walked = vec![start];
    let cycle_start = loop {
        let cur = *walked.last().expect("the walk is never empty");
        let node = &nodes[cur];
        let next = node
            .parents
            .iter()
            .chain(&node.deps)
            .copied()
            .filter(|&p| !done[p])
            .min();
        let next = next.expect("a revision left out waits on another left out");
        if let Some(position) = walked.iter().position(|&w| w == next) {
            break position;
        }
        walked.push(next);
    };
    // The walk went from child to parent; print parents first, from the smallest id.
    let mut cycle: Vec<usize> = walked[cycle_start..].iter().rev().copied().collect();
    let smallest = (0..cycle.len())
        .min_by_key(|&k| cycle[k])
        .expect("a cycle is never empty");
    cycle.rotate_left(smallest);
    let origins = cycle
        .iter()
        .filter_map(|&i| nodes[i].revision.origin.clone())
        .collect();
    cycle.push(cycle[0]);
    GraphError::Cycle {
        path: cycle
            .iter()
            .map(|&i| nodes[i].revision.id.clone())
            .collect(),
        origins,
    }
}
