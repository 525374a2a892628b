//! A layout engine that lays out generated statements exactly as
//! `rustfmt --edition 2024` does with its default configuration.
//!
//! Running rustfmt at generation time is too slow for large revisions (and it may not be
//! installed), so this module re-implements the part of rustfmt that the generated
//! statements exercise: chains (`chains.rs`), call arguments and arrays with their
//! "overflow" of the last argument (`overflow.rs`), list tactics (`lists.rs`) and the
//! width checks that decide between them (`shape.rs`, `utils.rs`). The functions mirror
//! rustfmt's own decomposition so that each branch can be checked against the rule it
//! copies; the differential test in `layout/difftest.rs` compares the result with the
//! real rustfmt on a corpus of random statements.
//!
//! Configuration assumed (rustfmt's defaults): `max_width = 100`, `tab_spaces = 4`,
//! `use_small_heuristics = "Default"` (`fn_call_width = chain_width = array_width = 60`),
//! `short_array_element_width_threshold = 10`, `trailing_comma = "Vertical"`, block indent,
//! and style edition 2024 (implied by `--edition 2024`), under which a single-line string
//! literal is never rejected for its width.

mod chain;
mod list;
mod width;

#[cfg(test)]
mod corpus;
#[cfg(test)]
mod difftest;
#[cfg(test)]
mod tests;

use std::cell::Cell;

/// An expression of a generated revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expr {
    /// A token printed as is: `op`, `Type::Integer`, `Action::Cascade`, `None`, `42`, or a
    /// string literal already escaped (`"it's"`, produced with `format!("{:?}", s)`).
    Atom(String),
    /// `callee(args)`: callee is a path such as `table`, `column`, `Type::Numeric`, `Some`.
    Call(String, Vec<Expr>),
    /// `receiver.method(args).method(args)...` (at least one method).
    Chain(Box<Expr>, Vec<(String, Vec<Expr>)>),
    /// `[a, b, c]` (elements are string-literal atoms).
    Array(Vec<Expr>),
}

/// The statement `expr;` laid out as rustfmt does at block indentation `indent` (spaces):
/// every line prefixed by its indentation, lines joined by '\n', no trailing newline.
///
/// When rustfmt cannot format the statement within `max_width` (a string literal too long
/// for any layout), it leaves the statement exactly as written, whatever its layout. The
/// layout returned then is the one rustfmt's rules give when the width checks that failed
/// are let through (`Ctx::lenient`): the rustfmt style, with the overlong lines where they
/// fall.
pub(crate) fn statement(expr: &Expr, indent: usize) -> String {
    let body = format_statement(expr, indent).unwrap_or_else(|| {
        rewrite(expr, statement_shape(indent), &Ctx::new(true)).unwrap_or_else(|| one_line(expr))
    });
    format!("{}{body};", " ".repeat(indent))
}

/// The tail expression `expr` of a block at indentation `indent`, laid out as rustfmt does
/// (the whole width: no `;` follows), first line indented.
pub(crate) fn tail_expression(expr: &Expr, indent: usize) -> String {
    let shape = Shape::indented(indent);
    let body = rewrite(expr, shape, &Ctx::new(false))
        .unwrap_or_else(|| rewrite(expr, shape, &Ctx::new(true)).unwrap_or_else(|| one_line(expr)));
    format!("{}{body}", " ".repeat(indent))
}

/// The statement as rustfmt formats it (without indentation of the first line nor `;`),
/// or `None` where rustfmt gives up and keeps the source text.
fn format_statement(expr: &Expr, indent: usize) -> Option<String> {
    rewrite(expr, statement_shape(indent), &Ctx::new(false))
}

/// `Shape::indented(block_indent)` minus the `;` (stmt.rs `format_stmt`).
fn statement_shape(indent: usize) -> Shape {
    let shape = Shape::indented(indent);
    shape.sub_width(1).unwrap_or(Shape { width: 0, ..shape })
}

/// `max_width`.
const MAX_WIDTH: usize = 100;
/// `tab_spaces`.
const TAB_SPACES: usize = 4;
/// `fn_call_width`: the widest argument list kept on one line.
const FN_CALL_WIDTH: usize = 60;
/// `chain_width`: the widest chain kept on one line.
const CHAIN_WIDTH: usize = 60;
/// `array_width`: the widest array kept on one line.
const ARRAY_WIDTH: usize = 60;
/// `short_array_element_width_threshold`: the longest element of a "mixed" list.
const SHORT_ELEMENT_WIDTH: usize = 10;

/// rustfmt's `Shape` under block indentation: `indent` is the block indentation of the
/// lines after the first, `offset` what is already written on the first line after the
/// indentation, and `width` the room left on the first line. (rustfmt's visual alignment is
/// always zero here: block indent style never creates one for these expressions.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    width: usize,
    indent: usize,
    offset: usize,
}

impl Shape {
    /// `Shape::indented`: a fresh line at `indent`.
    fn indented(indent: usize) -> Shape {
        Shape {
            width: MAX_WIDTH.saturating_sub(indent),
            indent,
            offset: 0,
        }
    }

    /// `Shape::with_max_width`: all the room of a line at this indentation.
    fn with_max_width(self) -> Shape {
        Shape {
            width: MAX_WIDTH.saturating_sub(self.indent),
            ..self
        }
    }

    /// `Shape::block_indent`: `delta` more columns of block indentation.
    fn block_indent(self, delta: usize) -> Shape {
        Shape {
            width: self.width,
            indent: self.indent + delta,
            offset: 0,
        }
    }

    /// `Shape::sub_width`: `n` fewer columns at the end.
    fn sub_width(self, n: usize) -> Option<Shape> {
        Some(Shape {
            width: self.width.checked_sub(n)?,
            ..self
        })
    }

    /// `Shape::offset_left`: `n` columns already used on the first line.
    fn offset_left(self, n: usize) -> Option<Shape> {
        Some(Shape {
            width: self.width.checked_sub(n)?,
            offset: self.offset + n,
            ..self
        })
    }

    /// `Shape::used_width`.
    fn used_width(self) -> usize {
        self.indent + self.offset
    }

    /// `Shape::rhs_overhead`: what the enclosing expression writes after this one.
    fn rhs_overhead(self) -> usize {
        MAX_WIDTH.saturating_sub(self.used_width() + self.width)
    }

    /// `Shape::to_string_with_newline`: a line break and this shape's indentation.
    fn newline_indent(self) -> String {
        format!("\n{}", " ".repeat(self.indent + self.offset))
    }
}

/// rustfmt's `RewriteContext`, reduced to the state these rewrites read.
struct Ctx {
    /// `force_one_line_chain`: set while rustfmt tries to overflow a method call as the last
    /// argument of a list; every chain rewritten meanwhile must keep its elements on one line.
    force_one_line_chain: Cell<bool>,
    /// Accept results that overflow `max_width` instead of failing (used only once the
    /// faithful rewrite failed: rustfmt then keeps the text as is, whatever its layout).
    lenient: bool,
}

impl Ctx {
    fn new(lenient: bool) -> Ctx {
        Ctx {
            force_one_line_chain: Cell::new(false),
            lenient,
        }
    }

    /// `wrap_str`: the result if it fits `shape` (first line within `shape.width`, other
    /// lines within `max_width`, last line within the shape's right edge).
    fn wrap_str(&self, s: String, shape: Shape) -> Option<String> {
        (self.lenient || fits(&s, shape)).then_some(s)
    }
}

/// `utils::filtered_str_fits` (the generated code has no comment to filter out).
fn fits(s: &str, shape: Shape) -> bool {
    if first_line_width(s) > shape.width {
        return false;
    }
    if !s.contains('\n') {
        return true;
    }
    s.lines()
        .skip(1)
        .all(|line| width::str_width(line) <= MAX_WIDTH)
        && last_line_width(s) <= shape.used_width() + shape.width
}

/// `format_expr` for the expression kinds of the grammar.
fn rewrite(expr: &Expr, shape: Shape, ctx: &Ctx) -> Option<String> {
    match expr {
        Expr::Atom(text) => rewrite_atom(text, shape),
        Expr::Call(callee, args) => {
            // `ExprKind::Call`: the callee path is rewritten in the whole shape first.
            let callee = rewrite_atom(callee, shape)?;
            list::rewrite_call(ctx, &callee, args, shape)
        }
        Expr::Chain(parent, children) => chain::rewrite_chain(ctx, parent, children, shape),
        Expr::Array(items) => list::rewrite_array(ctx, items, shape),
    }
}

/// A literal or a path.
fn rewrite_atom(text: &str, shape: Shape) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    if text.starts_with('"') && lines[..lines.len() - 1].iter().all(|l| l.ends_with('\\')) {
        // `rewrite_string_lit`: with `format_strings = false` and style edition 2024, a
        // literal whose inner lines all end in a continuation `\` (so any single-line
        // literal) is returned as is, whatever its width.
        return Some(text.to_string());
    }
    // `rewrite_literal` (`wrap_str` on the snippet) and `rewrite_path_segments` (each
    // segment must fit the width left after the previous ones) both reduce, for a
    // single-line token, to "the token fits the shape".
    fits(text, shape).then(|| text.to_string())
}

/// `expr::is_simple_expr`: literals and single-segment paths.
fn is_simple(expr: &Expr) -> bool {
    match expr {
        Expr::Atom(text) => !text.contains("::"),
        _ => false,
    }
}

/// `utils::first_line_width`.
fn first_line_width(s: &str) -> usize {
    width::str_width(s.split('\n').next().unwrap_or(""))
}

/// `utils::last_line_width`.
fn last_line_width(s: &str) -> usize {
    width::str_width(s.rsplit('\n').next().unwrap_or(""))
}

/// `utils::last_line_extendable`: the last line holds only closing delimiters.
fn last_line_extendable(s: &str) -> bool {
    for c in s.chars().rev() {
        match c {
            '(' | ')' | ']' | '}' | '?' | '>' => continue,
            '\n' => break,
            _ if c.is_whitespace() => continue,
            _ => return false,
        }
    }
    true
}

/// The expression on one line, as written before formatting; the last resort when no
/// layout exists at all (rustfmt keeps the source text then).
fn one_line(expr: &Expr) -> String {
    let join = |items: &[Expr]| items.iter().map(one_line).collect::<Vec<_>>().join(", ");
    match expr {
        Expr::Atom(text) => text.clone(),
        Expr::Call(callee, args) => format!("{callee}({})", join(args)),
        Expr::Chain(parent, children) => {
            let mut out = one_line(parent);
            for (method, args) in children {
                out.push_str(&format!(".{method}({})", join(args)));
            }
            out
        }
        Expr::Array(items) => format!("[{}]", join(items)),
    }
}
