//! Writing revision files: Rust source that reads like a reviewed change.
//!
//! The output is deterministic apart from the id and the date, and laid out exactly as
//! `rustfmt` would lay it out (see [`layout`]), so a generated file never shows up as a
//! formatting diff.

pub(crate) mod exprs;
pub(crate) mod layout;
pub(crate) mod sql_consts;

use chrono::NaiveDateTime;

use crate::ops::Operation;
use sql_consts::SqlConsts;

/// Everything a new revision file holds.
#[derive(Debug, Clone)]
pub struct NewRevision<'a> {
    /// Revision id.
    pub id: &'a str,
    /// The message (first line of the header).
    pub message: &'a str,
    /// Parents (`DOWN_REVISION`).
    pub down_revisions: &'a [String],
    /// `BRANCH_LABELS`.
    pub branch_labels: &'a [String],
    /// `DEPENDS_ON`.
    pub depends_on: &'a [String],
    /// Creation time, shown in the header (UTC).
    pub create_date: NaiveDateTime,
    /// Operations of `upgrade`.
    pub upgrade: &'a [Operation],
    /// Operations of `downgrade`.
    pub downgrade: &'a [Operation],
    /// Comment lines written above each operation of `upgrade` (by index; fewer entries than
    /// operations is fine): the linter's findings, rename hints. Each line becomes `// line`,
    /// wrapped at 100 columns.
    pub notes: &'a [Vec<String>],
    /// More `Key: value` lines of the header, after the Create Date (a squash's `Replaces:`).
    pub header: &'a [String],
    /// Why `downgrade` cannot run, written as its first statement (`op.irreversible(..)`).
    pub irreversible: Option<&'a str>,
}

/// A fresh revision id: the last 12 hex digits of a UUID v4, as Alembic makes them.
pub fn new_id() -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string();
    hex[hex.len() - 12..].to_string()
}

/// The message's words, lower-cased and joined by `_`, cut at a word boundary to 40
/// characters (Alembic's slug).
///
/// ```
/// use outflow::revision::codegen::slug;
/// assert_eq!(slug("Add table 'computation_result'"), "add_table_computation_result");
/// ```
pub fn slug(message: &str) -> String {
    let words = message
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase);
    let mut out = String::new();
    for word in words {
        let extra = if out.is_empty() {
            word.chars().count()
        } else {
            word.chars().count() + 1
        };
        if out.chars().count() + extra > 40 {
            if out.is_empty() {
                out = word.chars().take(40).collect();
            }
            break;
        }
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&word);
    }
    out
}

/// `<id>_<slug>.rs` (just `<id>.rs` for a message without words).
pub fn file_name(id: &str, message: &str) -> String {
    match slug(message) {
        s if s.is_empty() => format!("{id}.rs"),
        s => format!("{id}_{s}.rs"),
    }
}

/// The full text of a revision file.
pub fn render(rev: &NewRevision<'_>) -> String {
    let mut out = String::new();
    for line in rev.message.trim().lines() {
        let line: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        push_doc(&mut out, &line);
    }
    push_doc(&mut out, "");
    push_doc(&mut out, &format!("Revision ID: {}", rev.id));
    push_doc(
        &mut out,
        &format!("Revises: {}", rev.down_revisions.join(", ")),
    );
    push_doc(
        &mut out,
        &format!(
            "Create Date: {}",
            rev.create_date.format("%Y-%m-%d %H:%M:%S")
        ),
    );
    for line in rev.header {
        push_doc(&mut out, &one_line(line));
    }
    out.push_str("\nuse outflow::migration::prelude::*;\n\n");
    out.push_str(&constant("REVISION", &format!("&str = {:?}", rev.id)));
    out.push_str(&list_constant("DOWN_REVISION", rev.down_revisions));
    out.push_str(&list_constant("BRANCH_LABELS", rev.branch_labels));
    out.push_str(&list_constant("DEPENDS_ON", rev.depends_on));
    out.push('\n');
    let consts = SqlConsts::collect(rev.upgrade, rev.downgrade);
    function(&mut out, "upgrade", rev.upgrade, rev.notes, &consts);
    out.push('\n');
    match rev.irreversible {
        Some(reason) => irreversible(&mut out, reason, rev.downgrade, &consts),
        None => function(&mut out, "downgrade", rev.downgrade, &[], &consts),
    }
    out.push_str(&consts.render());
    out
}

/// A `downgrade` that says first why it cannot run; its operations follow (what each replaced
/// revision's downgrade records), never run while it says so.
fn irreversible(out: &mut String, reason: &str, ops: &[Operation], consts: &SqlConsts) {
    out.push_str("pub fn downgrade(op: &mut Operations) {\n");
    let call = exprs::op_call("irreversible", vec![exprs::string(reason)]);
    out.push_str(&layout::statement(&call, 4));
    out.push('\n');
    statements(out, ops, &[], false, consts);
    out.push_str("}\n");
}

fn push_doc(out: &mut String, line: &str) {
    let line = line.trim_end();
    if line.is_empty() {
        out.push_str("//!\n");
    } else {
        out.push_str("//! ");
        out.push_str(line);
        out.push('\n');
    }
}

fn constant(name: &str, ty_and_value: &str) -> String {
    format!("pub const {name}: {ty_and_value};\n")
}

/// `pub const NAME: &[&str] = &["a", "b"];`, one element per line when rustfmt would break it.
fn list_constant(name: &str, items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
    let one_line = format!("pub const {name}: &[&str] = &[{}];", quoted.join(", "));
    let array_width = quoted.iter().map(|q| q.len() + 2).sum::<usize>();
    if one_line.len() <= 100 && array_width <= 62 {
        return format!("{one_line}\n");
    }
    let mut out = format!("pub const {name}: &[&str] = &[\n");
    for q in quoted {
        out.push_str(&format!("    {q},\n"));
    }
    out.push_str("];\n");
    out
}

/// Most operations one generated function holds. rustc's optimiser is quadratic in the size of
/// a function: a 1,000-table revision in one function took minutes to build in release, split
/// in parts of this size it takes seconds. Revisions written by people stay in one function.
const OPS_PER_FUNCTION: usize = 50;

/// Writes `pub fn name(op: &mut Operations)`; `notes` (the upgrade's) go above their
/// operations, with the `// DESTRUCTIVE:` line of each operation that loses data.
fn function(
    out: &mut String,
    name: &str,
    ops: &[Operation],
    notes: &[Vec<String>],
    consts: &SqlConsts,
) {
    let flag_destruction = name == "upgrade";
    if ops.is_empty() {
        out.push_str(&format!("pub fn {name}(_op: &mut Operations) {{}}\n"));
        return;
    }
    if ops.len() <= OPS_PER_FUNCTION {
        out.push_str(&format!("pub fn {name}(op: &mut Operations) {{\n"));
        statements(out, ops, notes, flag_destruction, consts);
        out.push_str("}\n");
        return;
    }
    let parts: Vec<&[Operation]> = ops.chunks(OPS_PER_FUNCTION).collect();
    out.push_str(&format!("pub fn {name}(op: &mut Operations) {{\n"));
    for i in 1..=parts.len() {
        out.push_str(&format!("    {name}_part_{i}(op);\n"));
    }
    out.push_str("}\n");
    for (i, part) in parts.iter().enumerate() {
        out.push_str(&format!(
            "\nfn {name}_part_{}(op: &mut Operations) {{\n",
            i + 1
        ));
        let from = (i * OPS_PER_FUNCTION).min(notes.len());
        let to = (from + part.len()).min(notes.len());
        statements(out, part, &notes[from..to], flag_destruction, consts);
        out.push_str("}\n");
    }
}

fn statements(
    out: &mut String,
    ops: &[Operation],
    notes: &[Vec<String>],
    flag_destruction: bool,
    consts: &SqlConsts,
) {
    for (i, op) in ops.iter().enumerate() {
        if flag_destruction && let Some(why) = op.destruction() {
            out.push_str(&format!("    // DESTRUCTIVE: {}.\n", one_line(&why)));
        }
        for note in notes.get(i).into_iter().flatten() {
            comment(out, &one_line(note));
        }
        out.push_str(&layout::statement(&exprs::operation(op, consts), 4));
        out.push('\n');
    }
}

/// Names may hold line breaks; a comment must stay on its line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `// text` in the function's body, wrapped at 100 columns (continuation lines indented).
fn comment(out: &mut String, text: &str) {
    const WIDTH: usize = 100 - "    // ".len();
    let mut line = String::new();
    let mut first = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let indent = if first { 0 } else { 2 };
        if !line.is_empty() && indent + line.chars().count() + 1 + word.chars().count() > WIDTH {
            push_comment(out, &line, first);
            first = false;
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        push_comment(out, &line, first);
    }
}

fn push_comment(out: &mut String, line: &str, first: bool) {
    let indent = if first { "" } else { "  " };
    out.push_str(&format!("    // {indent}{line}\n"));
}

#[cfg(test)]
pub(crate) mod tests;
