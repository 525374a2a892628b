//! Target expressions (`heads`, `x@head`, `-1`, `ae10+2`...) and what they designate.

use std::collections::BTreeMap;

use super::{Direction, Edges, GraphError, RevisionGraph};

/// Partial ids need this many characters, as in Alembic.
pub(super) const MIN_PREFIX: usize = 4;

/// A parsed target expression. `branch` is the text before `@`: a label or a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Expr<'t> {
    /// `heads`, `<branch>@heads`.
    Heads(Option<&'t str>),
    /// `head`, `<branch>@head`.
    Head(Option<&'t str>),
    /// `base`, `<branch>@base`.
    Base(Option<&'t str>),
    /// An id or a prefix, maybe checked against a branch: `ae10`, `<branch>@ae10`.
    Rev {
        branch: Option<&'t str>,
        id: &'t str,
    },
    /// `+N`, `-N`, `<branch>@-N`, `<id>+N`, `<branch>@head-N`...; `symbol: None` is relative to
    /// the current rows.
    Relative {
        branch: Option<&'t str>,
        symbol: Option<&'t str>,
        steps: usize,
        direction: Direction,
    },
}

/// Parses a target expression.
pub(super) fn parse(target: &str) -> Result<Expr<'_>, GraphError> {
    if target.is_empty() {
        return Err(invalid(target, "it is empty"));
    }
    if target.contains(':') {
        return Err(invalid(target, "ranges (`a:b`) are not supported here"));
    }
    let (branch, rest) = match target.split_once('@') {
        Some(("", _)) => {
            return Err(invalid(
                target,
                "a branch label or revision must come before `@`",
            ));
        }
        Some((_, "")) => {
            let reason = "something must follow `@`: `head`, `heads`, `base`, an id or a step";
            return Err(invalid(target, reason));
        }
        Some((_, rest)) if rest.contains('@') => {
            return Err(invalid(target, "only one `@` is allowed"));
        }
        Some((branch, rest)) => (Some(branch), rest),
        None => (None, target),
    };
    match rest {
        "heads" => Ok(Expr::Heads(branch)),
        "head" => Ok(Expr::Head(branch)),
        "base" => Ok(Expr::Base(branch)),
        _ => match rest.find(['+', '-']) {
            None => Ok(Expr::Rev { branch, id: rest }),
            Some(sign_at) => relative(target, branch, rest, sign_at),
        },
    }
}

/// `[<symbol>]<sign><number>`, the part after `@` (if any) of a relative target; ids never
/// contain a sign, so the first one starts the step.
fn relative<'t>(
    target: &str,
    branch: Option<&'t str>,
    rest: &'t str,
    sign_at: usize,
) -> Result<Expr<'t>, GraphError> {
    let (symbol, number) = (&rest[..sign_at], &rest[sign_at + 1..]);
    let direction = if rest[sign_at..].starts_with('+') {
        Direction::Up
    } else {
        Direction::Down
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        let reason = "a relative step is a sign and a number, as in `-1`, `+2`, `x@-1` or `ae10+2`";
        return Err(invalid(target, reason));
    }
    let steps: usize = number
        .parse()
        .map_err(|_| invalid(target, "the step is too large"))?;
    if steps == 0 {
        return Err(invalid(target, "a relative step must be at least 1"));
    }
    let symbol = (!symbol.is_empty()).then_some(symbol);
    Ok(Expr::Relative {
        branch,
        symbol,
        steps,
        direction,
    })
}

fn invalid(target: &str, reason: &str) -> GraphError {
    GraphError::InvalidTarget {
        target: target.to_string(),
        reason: reason.to_string(),
    }
}

/// Which command resolves a target, for the commands that error messages suggest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Command {
    Resolve,
    Upgrade,
    Downgrade,
    Stamp,
}

impl Command {
    fn suggest(self, target: &str) -> String {
        match self {
            Command::Resolve => target.to_string(),
            Command::Upgrade => format!("db upgrade {target}"),
            Command::Downgrade => format!("db downgrade {target}"),
            Command::Stamp => format!("db stamp {target}"),
        }
    }
}

/// The version table's rows and what they imply.
#[derive(Debug, Clone)]
pub(super) struct Current {
    /// The rows, sorted, without repeats.
    pub(super) rows: Vec<usize>,
    /// The rows and their ancestors through parents and dependencies.
    pub(super) applied: Vec<bool>,
}

impl RevisionGraph {
    /// Resolves the version table's rows.
    pub(super) fn current(&self, rows: &[String]) -> Result<Current, GraphError> {
        let mut indices = Vec::with_capacity(rows.len());
        for row in rows {
            indices.push(self.find(row).ok_or_else(|| match self.squash_of(row) {
                Some(squash) => GraphError::SquashedCurrent {
                    id: row.clone(),
                    squash: squash.to_string(),
                },
                None => GraphError::UnknownCurrent { id: row.clone() },
            })?);
        }
        indices.sort_unstable();
        indices.dedup();
        let applied = self.closure(indices.iter().copied(), Edges::Ancestors);
        Ok(Current {
            rows: indices,
            applied,
        })
    }
}

/// What a target designates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Destination {
    /// The designated revisions, sorted; empty for base.
    pub(super) revisions: Vec<usize>,
    /// For a downgrade, the lowest revisions to revert (with their applied descendants and
    /// dependents). `None`: the children of `revisions`.
    pub(super) roots: Option<Vec<usize>>,
    /// For a downgrade, whether `revisions` must be applied (not for a branch's base).
    pub(super) must_be_applied: bool,
}

impl Destination {
    /// Plain revisions: what an upgrade applies, or what a downgrade keeps (so they must be
    /// applied).
    fn to(revisions: Vec<usize>) -> Destination {
        Destination {
            revisions,
            roots: None,
            must_be_applied: true,
        }
    }
}

/// The text before `@`, resolved.
#[derive(Debug, Clone, Copy)]
struct Branch<'t> {
    name: &'t str,
    /// The revision declaring the label, or the revision named.
    revision: usize,
    is_label: bool,
}

/// Resolves one target for one command against the current rows.
pub(super) struct Resolver<'a> {
    pub(super) graph: &'a RevisionGraph,
    pub(super) target: &'a str,
    pub(super) current: &'a Current,
    pub(super) command: Command,
}

impl Resolver<'_> {
    /// What `expr` designates.
    pub(super) fn destination(&self, expr: Expr<'_>) -> Result<Destination, GraphError> {
        match expr {
            Expr::Heads(None) => Ok(Destination::to(self.graph.real_heads.clone())),
            Expr::Heads(Some(name)) => Ok(Destination::to(
                self.graph.heads_above(self.branch(name)?.revision),
            )),
            Expr::Head(branch) => Ok(Destination::to(
                self.single_head(branch)?.into_iter().collect(),
            )),
            Expr::Base(branch) => self.base(branch),
            Expr::Rev { branch, id } => {
                let branch = branch.map(|name| self.branch(name)).transpose()?;
                Ok(Destination::to(vec![self.lookup(id, branch)?]))
            }
            Expr::Relative {
                branch,
                symbol,
                steps,
                direction,
            } => {
                let branch = branch.map(|name| self.branch(name)).transpose()?;
                self.relative(branch, symbol, steps, direction)
            }
        }
    }

    /// A revision by id or unique prefix (among the branch's lineage when a branch is given).
    fn lookup(&self, text: &str, branch: Option<Branch<'_>>) -> Result<usize, GraphError> {
        let graph = self.graph;
        let lineage = branch.map(|b| graph.lineage(b.revision));
        let not_on_branch = |id: &str| GraphError::NotOnBranch {
            id: id.to_string(),
            branch: branch.map(|b| b.name.to_string()).unwrap_or_default(),
        };
        if let Some(found) = graph.find(text) {
            return match &lineage {
                Some(lineage) if !lineage[found] => Err(not_on_branch(text)),
                _ => Ok(found),
            };
        }
        if graph.labels.contains_key(text) {
            return Err(GraphError::BareBranchLabel {
                label: text.to_string(),
            });
        }
        let all = graph.prefixed(text);
        if text.chars().count() < MIN_PREFIX {
            let target = text.to_string();
            return Err(if all.is_empty() {
                GraphError::UnknownRevision { target }
            } else {
                GraphError::TooShort { target }
            });
        }
        let candidates: Vec<usize> = match &lineage {
            Some(lineage) => all.iter().copied().filter(|&i| lineage[i]).collect(),
            None => all.clone(),
        };
        match candidates.as_slice() {
            [one] => Ok(*one),
            [] if !all.is_empty() => Err(not_on_branch(text)),
            [] => Err(match graph.squash_of(text) {
                Some(squash) => GraphError::SquashedTarget {
                    target: text.to_string(),
                    squash: squash.to_string(),
                },
                None => GraphError::UnknownRevision {
                    target: text.to_string(),
                },
            }),
            several => Err(GraphError::AmbiguousRevision {
                target: text.to_string(),
                candidates: graph.ids(several),
            }),
        }
    }

    /// The text before `@`: a branch label, else a revision (full id or prefix).
    fn branch<'t>(&self, name: &'t str) -> Result<Branch<'t>, GraphError> {
        if let Some(&revision) = self.graph.labels.get(name) {
            return Ok(Branch {
                name,
                revision,
                is_label: true,
            });
        }
        match self.lookup(name, None) {
            Ok(revision) => Ok(Branch {
                name,
                revision,
                is_label: false,
            }),
            Err(GraphError::UnknownRevision { .. }) => Err(GraphError::UnknownBranch {
                name: name.to_string(),
            }),
            Err(other) => Err(other),
        }
    }

    /// `head` or `<branch>@head`: the only head (none in an empty graph).
    fn single_head(&self, branch: Option<&str>) -> Result<Option<usize>, GraphError> {
        let graph = self.graph;
        let (heads, all) = match branch {
            None => (graph.real_heads.clone(), "heads".to_string()),
            Some(name) => (
                graph.heads_above(self.branch(name)?.revision),
                format!("{name}@heads"),
            ),
        };
        if heads.len() <= 1 {
            return Ok(heads.first().copied());
        }
        let target = match branch {
            None => "head".to_string(),
            Some(name) => format!("{name}@head"),
        };
        let names = self.head_names(&heads, branch.is_none());
        Err(GraphError::MultipleHeads {
            target,
            heads: graph.ids(&heads),
            choices: names
                .iter()
                .map(|name| self.command.suggest(name))
                .collect(),
            // `downgrade heads` is refused, so don't suggest it there.
            all: (self.command != Command::Downgrade).then_some(all),
        })
    }

    /// How to name each head: `<label>@head` when a label leads to it alone, else its id.
    fn head_names(&self, heads: &[usize], try_labels: bool) -> Vec<String> {
        let graph = self.graph;
        let mut by_head: BTreeMap<usize, &str> = BTreeMap::new();
        for (label, &declared) in graph.labels.iter().filter(|_| try_labels) {
            if let [only] = graph.heads_above(declared).as_slice() {
                by_head.entry(*only).or_insert(label);
            }
        }
        heads
            .iter()
            .map(|&h| match by_head.get(&h) {
                Some(label) => format!("{label}@head"),
                None => graph.id(h).to_string(),
            })
            .collect()
    }

    /// `base` (everything), `<label>@base` (the label's revisions) or `<rev>@base` (the bases of
    /// the revision's lineage, and everything above them).
    fn base(&self, branch: Option<&str>) -> Result<Destination, GraphError> {
        let graph = self.graph;
        let Some(name) = branch else {
            let roots = graph.base_indices().collect();
            return Ok(Destination {
                revisions: Vec::new(),
                roots: Some(roots),
                must_be_applied: false,
            });
        };
        let branch = self.branch(name)?;
        if branch.is_label {
            let bottom = graph.label_bottom(branch.revision);
            let mut below = graph.nodes[bottom].parents.clone();
            below.sort_unstable();
            return Ok(Destination {
                revisions: below,
                roots: Some(vec![bottom]),
                must_be_applied: false,
            });
        }
        let lineage = graph.closure([branch.revision], Edges::Parents);
        let roots = graph.base_indices().filter(|&b| lineage[b]).collect();
        Ok(Destination {
            revisions: Vec::new(),
            roots: Some(roots),
            must_be_applied: false,
        })
    }

    /// A relative step: from the current rows (no symbol), or from a revision, `head` or `base`.
    fn relative(
        &self,
        branch: Option<Branch<'_>>,
        symbol: Option<&str>,
        steps: usize,
        direction: Direction,
    ) -> Result<Destination, GraphError> {
        let Some(symbol) = symbol else {
            return self.relative_to_rows(branch, steps, direction);
        };
        let start = match symbol {
            "head" | "heads" => {
                let branch_name = branch.map(|b| b.name);
                let head = self.single_head(branch_name)?;
                head.ok_or_else(|| self.past(Some(symbol), 0, direction))?
            }
            "base" if direction == Direction::Up => {
                return self.walk_up(None, steps, branch, Some("base"));
            }
            "base" => return Err(self.past(Some("base"), 0, Direction::Down)),
            id => self.lookup(id, branch)?,
        };
        let start_name = self.graph.id(start).to_string();
        match direction {
            Direction::Up => self.walk_up(Some(start), steps, branch, Some(&start_name)),
            Direction::Down => self.walk_down(start, steps, Some(&start_name)),
        }
    }

    /// `+N`, `-N`, `<branch>@+N`, `<branch>@-N`: from the applied revision at the tip of the
    /// branch (or of everything), which must be unique.
    fn relative_to_rows(
        &self,
        branch: Option<Branch<'_>>,
        steps: usize,
        direction: Direction,
    ) -> Result<Destination, GraphError> {
        let graph = self.graph;
        let applied = &self.current.applied;
        let lineage = branch.map(|b| graph.lineage(b.revision));
        let on_branch = |i: usize| applied[i] && lineage.as_ref().is_none_or(|l| l[i]);
        let tips: Vec<usize> = (0..graph.len())
            .filter(|&i| on_branch(i) && !graph.nodes[i].children.iter().any(|&c| on_branch(c)))
            .collect();
        if tips.len() > 1 {
            let sign = if direction == Direction::Up { '+' } else { '-' };
            let choices = tips.iter().map(|&t| {
                self.command
                    .suggest(&format!("{}@{sign}{steps}", graph.id(t)))
            });
            return Err(GraphError::SeveralCurrentHeads {
                target: self.target.to_string(),
                heads: graph.ids(&tips),
                choices: choices.collect(),
            });
        }
        match (direction, tips.first()) {
            (Direction::Up, tip) => self.walk_up(tip.copied(), steps, branch, None),
            (Direction::Down, Some(&tip)) => self.walk_down(tip, steps, None),
            (Direction::Down, None) => Err(self.past(None, 0, Direction::Down)),
        }
    }

    /// Steps down `steps` parents from `start`; the revision left last is the root of what a
    /// downgrade reverts.
    fn walk_down(
        &self,
        start: usize,
        steps: usize,
        start_name: Option<&str>,
    ) -> Result<Destination, GraphError> {
        let graph = self.graph;
        let (mut cur, mut left) = (Some(start), start);
        for taken in 0..steps {
            let Some(node) = cur else {
                return Err(self.past(start_name, taken, Direction::Down));
            };
            left = node;
            match graph.nodes[node].parents.as_slice() {
                [] => cur = None,
                [parent] => cur = Some(*parent),
                parents => {
                    let remaining = steps - taken - 1;
                    let name = |p: usize| match remaining {
                        0 => graph.id(p).to_string(),
                        r => format!("{}-{r}", graph.id(p)),
                    };
                    return Err(GraphError::AmbiguousStepDown {
                        step: format!("-{}", steps - taken),
                        merge: graph.id(node).to_string(),
                        parents: graph.ids(parents),
                        choices: parents
                            .iter()
                            .map(|&p| self.command.suggest(&name(p)))
                            .collect(),
                    });
                }
            }
        }
        Ok(Destination {
            revisions: cur.into_iter().collect(),
            roots: Some(vec![left]),
            must_be_applied: true,
        })
    }

    /// Steps up `steps` children from `start` (`None`: from base), staying in the branch's
    /// lineage when one is given.
    fn walk_up(
        &self,
        start: Option<usize>,
        steps: usize,
        branch: Option<Branch<'_>>,
        start_name: Option<&str>,
    ) -> Result<Destination, GraphError> {
        let graph = self.graph;
        let lineage = branch.map(|b| graph.lineage(b.revision));
        let mut cur = start;
        for taken in 0..steps {
            let next: Vec<usize> = match cur {
                None => graph.base_indices().collect(),
                Some(node) => graph.nodes[node].children.clone(),
            };
            let next: Vec<usize> = next
                .into_iter()
                .filter(|&c| lineage.as_ref().is_none_or(|l| l[c]))
                .collect();
            match next.as_slice() {
                [] => return Err(self.past(start_name, taken, Direction::Up)),
                [one] => cur = Some(*one),
                several => {
                    let remaining = steps - taken - 1;
                    let name = |c: usize| match remaining {
                        0 => graph.id(c).to_string(),
                        r => format!("{}+{r}", graph.id(c)),
                    };
                    return Err(GraphError::AmbiguousStepUp {
                        step: format!("+{}", steps - taken),
                        from: cur.map(|c| graph.id(c).to_string()),
                        children: graph.ids(several),
                        choices: several
                            .iter()
                            .map(|&c| self.command.suggest(&name(c)))
                            .collect(),
                    });
                }
            }
        }
        Ok(Destination::to(cur.into_iter().collect()))
    }

    fn past(&self, start: Option<&str>, available: usize, direction: Direction) -> GraphError {
        let (target, start) = (self.target.to_string(), start.map(str::to_string));
        match direction {
            Direction::Down => GraphError::PastBase {
                target,
                start,
                available,
            },
            Direction::Up => GraphError::PastHead {
                target,
                start,
                available,
            },
        }
    }
}
