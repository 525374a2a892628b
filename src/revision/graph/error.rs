//! What can go wrong when building the revision graph or resolving a target.

use super::Direction;

/// A failure of the revision graph: a broken set of revisions (from [`RevisionGraph::new`]) or a
/// target that cannot be reached (from `resolve`, `upgrade` and `downgrade`).
///
/// Every variant carries the ids and files involved; the messages say what to do next and, where
/// a choice is needed, list the exact commands that make it.
///
/// [`RevisionGraph::new`]: super::RevisionGraph::new
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// A revision's id is empty.
    #[error("a revision has an empty id{}", within(.origin))]
    EmptyId {
        /// The file it comes from.
        origin: Option<String>,
    },
    /// A revision's id contains `@`, `-`, `+`, `:` or whitespace, which target expressions use.
    #[error(
        "character(s) {} not allowed in revision id '{id}'{}: \
         ids may not contain '@', '-', '+', ':' or whitespace",
        quoted_chars(.chars),
        within(.origin)
    )]
    IllegalCharacters {
        /// The id.
        id: String,
        /// The offending characters, each once, in order of appearance.
        chars: Vec<char>,
        /// The file it comes from.
        origin: Option<String>,
    },
    /// A revision's id does not fit the version table's `VARCHAR(32)` column.
    #[error(
        "revision id '{id}'{} has {length} characters; the version table holds at most {}",
        within(.origin),
        super::MAX_ID_LEN
    )]
    IdTooLong {
        /// The id.
        id: String,
        /// Its length in characters.
        length: usize,
        /// The file it comes from.
        origin: Option<String>,
    },
    /// A revision's id is `head`, `heads` or `base`, which name targets.
    #[error(
        "revision id '{id}'{} is reserved: `head`, `heads` and `base` name targets",
        within(.origin)
    )]
    ReservedId {
        /// The id.
        id: String,
        /// The file it comes from.
        origin: Option<String>,
    },
    /// Two revisions share an id.
    #[error("revision id '{id}' is defined twice{}", both(.first, .second))]
    DuplicateId {
        /// The id.
        id: String,
        /// The file of the first definition.
        first: Option<String>,
        /// The file of the second definition.
        second: Option<String>,
    },
    /// A revision revises (`down_revisions`) an id that no revision has.
    #[error("revision '{id}'{} revises '{parent}', which is not a known revision", within(.origin))]
    MissingParent {
        /// The revision.
        id: String,
        /// The missing parent.
        parent: String,
        /// The revision's file.
        origin: Option<String>,
    },
    /// A revision depends on something that is neither a revision, a branch label nor a unique
    /// prefix of a revision id.
    #[error(
        "revision '{id}'{} depends on '{dependency}', which is neither a revision, a branch label \
         nor a unique prefix (at least 4 characters) of a revision id",
        within(.origin)
    )]
    MissingDependency {
        /// The revision.
        id: String,
        /// The dependency as written.
        dependency: String,
        /// The revision's file.
        origin: Option<String>,
    },
    /// A revision depends on a prefix that several revision ids start with.
    #[error(
        "revision '{id}'{} depends on '{dependency}', which matches several revisions ({}); \
         give the full id",
        within(.origin),
        .candidates.join(", ")
    )]
    AmbiguousDependency {
        /// The revision.
        id: String,
        /// The dependency as written.
        dependency: String,
        /// The revisions it matches.
        candidates: Vec<String>,
        /// The revision's file.
        origin: Option<String>,
    },
    /// A branch label cannot be used in a target expression.
    #[error(
        "branch label '{label}' of revision '{id}'{} is not valid: a label may not be empty, \
         contain '@', ':' or whitespace, or be `head`, `heads` or `base`",
        within(.origin)
    )]
    InvalidBranchLabel {
        /// The label.
        label: String,
        /// The revision declaring it.
        id: String,
        /// The revision's file.
        origin: Option<String>,
    },
    /// Two revisions declare the same branch label.
    #[error(
        "branch label '{label}' is declared by revision '{first}'{} and by revision '{second}'{}",
        within(.first_origin),
        within(.second_origin)
    )]
    DuplicateBranchLabel {
        /// The label.
        label: String,
        /// The first revision declaring it.
        first: String,
        /// Its file.
        first_origin: Option<String>,
        /// The second revision declaring it.
        second: String,
        /// Its file.
        second_origin: Option<String>,
    },
    /// A branch label is also a revision id.
    #[error(
        "branch label '{label}' of revision '{id}'{} is also the id of a revision",
        within(.origin)
    )]
    BranchLabelIsRevision {
        /// The label.
        label: String,
        /// The revision declaring it.
        id: String,
        /// The revision's file.
        origin: Option<String>,
    },
    /// Revisions revise or depend on each other in a loop.
    #[error(
        "revisions form a cycle (each revises or depends on the one before it): {}{}",
        .path.join(" -> "),
        files(.origins)
    )]
    Cycle {
        /// The cycle, first revision repeated at the end (`a -> b -> a`; `a -> a` for a revision
        /// that names itself).
        path: Vec<String>,
        /// The files of the revisions in the cycle, where known.
        origins: Vec<String>,
    },
    /// The version table names a revision a squash replaced: the database is in the middle of
    /// the squashed run.
    #[error(
        "the version table names revision '{id}', which squash {squash} replaced: this database is in the middle of the squashed run; upgrade it to {squash} with a build from before the squash, then run this one again"
    )]
    SquashedCurrent {
        /// The row.
        id: String,
        /// The squash.
        squash: String,
    },
    /// A target names a revision a squash replaced.
    #[error("revision '{target}' was squashed into {squash}: name {squash} instead")]
    SquashedTarget {
        /// The text.
        target: String,
        /// The squash.
        squash: String,
    },
    /// A squash replaces a revision that is still there.
    #[error(
        "revision {squash} replaces {id}, which is still a revision{}: delete the file of the replaced revision (`db squash` does)",
        origin.as_ref().map(|o| format!(" ({o})")).unwrap_or_default()
    )]
    ReplacedStillThere {
        /// The replaced id.
        id: String,
        /// The squash.
        squash: String,
        /// The file still holding it.
        origin: Option<String>,
    },
    /// The version table names a revision the graph does not have.
    #[error("the version table names revision '{id}', which is not among the known revisions")]
    UnknownCurrent {
        /// The row.
        id: String,
    },
    /// The target expression cannot be parsed.
    #[error("'{target}' is not a valid target: {reason}")]
    InvalidTarget {
        /// The target.
        target: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No revision id is or starts with the given text.
    #[error("no revision matches '{target}'")]
    UnknownRevision {
        /// The text.
        target: String,
    },
    /// A partial id shorter than 4 characters.
    #[error("'{target}' is too short: give at least 4 characters")]
    TooShort {
        /// The text.
        target: String,
    },
    /// Several revision ids start with the given text.
    #[error(
        "'{target}' matches several revisions ({}); give more characters",
        .candidates.join(", ")
    )]
    AmbiguousRevision {
        /// The text.
        target: String,
        /// The matching ids.
        candidates: Vec<String>,
    },
    /// A branch label used where a revision is expected.
    #[error(
        "'{label}' is a branch label, not a revision: \
         use `{label}@head`, `{label}@heads` or `{label}@base`"
    )]
    BareBranchLabel {
        /// The label.
        label: String,
    },
    /// The part before `@` is neither a branch label nor a revision.
    #[error("no branch label or revision matches '{name}'")]
    UnknownBranch {
        /// The text before `@`.
        name: String,
    },
    /// No revision declares this branch label.
    #[error("no revision declares the branch label '{label}'")]
    UnknownLabel {
        /// The label.
        label: String,
    },
    /// `<branch>@<rev>` where the revision is not on that branch.
    #[error("revision '{id}' is not on branch '{branch}'")]
    NotOnBranch {
        /// The revision (or the prefix given).
        id: String,
        /// The branch.
        branch: String,
    },
    /// `head` (or `<branch>@head`) while there are several heads.
    #[error(
        "'{target}' designates several heads ({}); name one: {}{}",
        .heads.join(", "),
        one_of(.choices),
        all_of_them(.all)
    )]
    MultipleHeads {
        /// The target.
        target: String,
        /// The heads.
        heads: Vec<String>,
        /// One command per head.
        choices: Vec<String>,
        /// The target meaning all of them, where the command accepts one.
        all: Option<String>,
    },
    /// `heads` given to `downgrade`.
    #[error(
        "'{target}' is not a downgrade target: name a revision, `<branch>@head`, `-1` or `base`"
    )]
    HeadsNotDowngradeTarget {
        /// The target.
        target: String,
    },
    /// A relative step from the current rows in the other command's direction (`upgrade -1`).
    #[error(
        "'{target}' steps {}: use `{}`",
        steps_word(*.direction),
        other_command(*.direction, .target)
    )]
    WrongDirection {
        /// The target.
        target: String,
        /// The direction the step goes.
        direction: Direction,
    },
    /// A relative step from the current rows while several heads are applied.
    #[error("several heads are applied ({}); name one: {}", .heads.join(", "), one_of(.choices))]
    SeveralCurrentHeads {
        /// The target.
        target: String,
        /// The applied heads.
        heads: Vec<String>,
        /// One command per head.
        choices: Vec<String>,
    },
    /// A step down reaches a merge point: which parent to follow?
    #[error(
        "stepping {step} from merge point {merge} leaves several parents ({}); name one: {}",
        .parents.join(", "),
        one_of(.choices)
    )]
    AmbiguousStepDown {
        /// The steps left at the merge point (`-1`).
        step: String,
        /// The merge point.
        merge: String,
        /// Its parents.
        parents: Vec<String>,
        /// One command per parent.
        choices: Vec<String>,
    },
    /// A step up reaches a branch point (or base with several bases): which child to follow?
    #[error(
        "stepping {step} from {} leads to several revisions ({}); name one: {}",
        branch_point(.from),
        .children.join(", "),
        one_of(.choices)
    )]
    AmbiguousStepUp {
        /// The steps left at the branch point (`+1`).
        step: String,
        /// The branch point; `None` for base.
        from: Option<String>,
        /// The revisions one step up.
        children: Vec<String>,
        /// One command per child.
        choices: Vec<String>,
    },
    /// A step down walks past base.
    #[error("relative revision {target} goes past base: {}", past_base(.start, *.available))]
    PastBase {
        /// The target.
        target: String,
        /// Where the walk starts: `None` for the current rows.
        start: Option<String>,
        /// How many steps down are possible.
        available: usize,
    },
    /// A step up walks past the head.
    #[error("relative revision {target} goes past head: {}", past_head(.start, *.available))]
    PastHead {
        /// The target.
        target: String,
        /// Where the walk starts: `None` for the current rows.
        start: Option<String>,
        /// How many steps up are possible.
        available: usize,
    },
    /// A downgrade target that is not applied.
    #[error("revision {id} is not applied; nothing to downgrade to")]
    NotApplied {
        /// The target as given.
        target: String,
        /// The revision it designates.
        id: String,
    },
    /// A range (`history -r`) without exactly one `:`.
    #[error(
        "'{spec}' is not a range: write `a:b` (`a:` runs to the heads, `:b` from base; \
         either side may be `current`)"
    )]
    InvalidRange {
        /// The range as given.
        spec: String,
    },
    /// A range whose start is not below its end.
    #[error(
        "revision {id} is not an ancestor of {end}: the range {start}:{end} is empty; \
         did you mean {end}:{start}?"
    )]
    RangeNotAncestor {
        /// The revision the start designates that is not an ancestor of the end.
        id: String,
        /// The start as given (`base` when empty).
        start: String,
        /// The end as given (`heads` when empty).
        end: String,
    },
    /// `stamp` without any target.
    #[error("nothing to stamp: name a revision, `heads` or `base`")]
    NoStampTarget,
    /// `stamp` while the version table names a revision the graph does not have.
    #[error(
        "the version table names revision '{id}', which is not among the known revisions; \
         use `db stamp --purge <target>` to replace every row"
    )]
    StampUnknownCurrent {
        /// The row.
        id: String,
    },
    /// Two stamp targets on one line of history: only one of them can be a head.
    #[error(
        "stamp targets '{first}' and '{second}' conflict: {ancestor} is an ancestor of \
         {descendant}, so they cannot both be heads; stamp one of them"
    )]
    StampConflict {
        /// The earlier target, as given.
        first: String,
        /// The later target, as given.
        second: String,
        /// The revision below.
        ancestor: String,
        /// The revision above.
        descendant: String,
    },
    /// A `base` stamp target removing what an earlier target stamped.
    #[error(
        "stamp target '{base}' removes the row {id} that '{target}' stamps; \
         give '{base}' first or drop one of them"
    )]
    StampBaseConflict {
        /// The earlier target, as given.
        target: String,
        /// The later `base` or `<branch>@base` target, as given.
        base: String,
        /// The revision the earlier target stamped.
        id: String,
    },
}

/// ` (in <file>)`, or nothing when the file is unknown.
fn within(origin: &Option<String>) -> String {
    origin
        .as_ref()
        .map(|o| format!(" (in {o})"))
        .unwrap_or_default()
}

/// ` (in a.rs and in b.rs)` for a duplicate, as far as the files are known.
fn both(first: &Option<String>, second: &Option<String>) -> String {
    match (first, second) {
        (Some(a), Some(b)) => format!(" (in {a} and in {b})"),
        (Some(one), None) | (None, Some(one)) => format!(" (once in {one})"),
        (None, None) => String::new(),
    }
}

fn files(origins: &[String]) -> String {
    if origins.is_empty() {
        String::new()
    } else {
        format!(" (in {})", origins.join(", "))
    }
}

fn quoted_chars(chars: &[char]) -> String {
    let quoted: Vec<String> = chars
        .iter()
        .map(|c| format!("'{}'", c.escape_default()))
        .collect();
    quoted.join(", ")
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
fn one_of(commands: &[String]) -> String {
    let quoted: Vec<String> = commands.iter().map(|c| format!("`{c}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

fn all_of_them(all: &Option<String>) -> String {
    all.as_ref()
        .map(|a| format!(", or use `{a}` for all of them"))
        .unwrap_or_default()
}

fn steps_word(direction: Direction) -> &'static str {
    match direction {
        Direction::Up => "up",
        Direction::Down => "down",
    }
}

fn other_command(direction: Direction, target: &str) -> String {
    match direction {
        Direction::Up => format!("db upgrade {target}"),
        Direction::Down => format!("db downgrade {target}"),
    }
}

fn branch_point(from: &Option<String>) -> String {
    match from {
        Some(id) => format!("branch point {id}"),
        None => "base".to_string(),
    }
}

fn past_base(start: &Option<String>, available: usize) -> String {
    match (start, available) {
        (None, 0) => "no revision is applied on this branch".to_string(),
        (None, 1) => "only 1 revision is applied on this branch".to_string(),
        (None, n) => format!("only {n} revisions are applied on this branch"),
        (Some(_), 0) => "there is nothing below base".to_string(),
        (Some(s), 1) => format!("{s} is only 1 step above base"),
        (Some(s), n) => format!("{s} is only {n} steps above base"),
    }
}

fn past_head(start: &Option<String>, available: usize) -> String {
    match (start, available) {
        (None, 0) => "no revision is left to apply on this branch".to_string(),
        (None, 1) => "only 1 revision is left to apply on this branch".to_string(),
        (None, n) => format!("only {n} revisions are left to apply on this branch"),
        (Some(s), 0) => format!("{s} is a head"),
        (Some(s), 1) => format!("{s} is only 1 step below head"),
        (Some(s), n) => format!("{s} is only {n} steps below head"),
    }
}
