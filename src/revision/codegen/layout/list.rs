//! Argument lists and arrays: rustfmt's `overflow.rs` (the `Context` that tries to
//! "overflow" the last argument) and the parts of `lists.rs` it uses.

use super::width::str_width;
use super::{
    ARRAY_WIDTH, Ctx, Expr, FN_CALL_WIDTH, SHORT_ELEMENT_WIDTH, Shape, TAB_SPACES,
    first_line_width, is_simple, last_line_width, rewrite,
};

/// `DefinitiveListTactic` (without the macro-only `SpecialMacro`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tactic {
    /// `a, b, c` on the current line.
    Horizontal,
    /// One item per line, each followed by `,`.
    Vertical,
    /// As many items per line as fit (short simple items only), trailing `,`.
    Mixed,
}

/// `expr::rewrite_call`: `callee(args)`, also used for `.method(args)` in chains.
pub(super) fn rewrite_call(ctx: &Ctx, callee: &str, args: &[Expr], shape: Shape) -> Option<String> {
    List::new(callee, args, shape, ("(", ")"), FN_CALL_WIDTH).rewrite(ctx)
}

/// `expr::rewrite_array`: `[items]`, with an empty name and `array_width`.
pub(super) fn rewrite_array(ctx: &Ctx, items: &[Expr], shape: Shape) -> Option<String> {
    List::new("", items, shape, ("[", "]"), ARRAY_WIDTH).rewrite(ctx)
}

/// `overflow::Context`: a delimited list of expressions after `ident`.
struct List<'a> {
    ident: &'a str,
    items: &'a [Expr],
    shape: Shape,
    delims: (&'static str, &'static str),
    /// `fn_call_width` or `array_width`.
    item_max_width: usize,
    /// Room for the items on the current line, between the delimiters.
    one_line_width: usize,
    /// The shape of the items on the current line (after `ident(`, before `)`).
    one_line_shape: Shape,
    /// The shape of an item on its own line, one block deeper, before its `,`.
    nested_shape: Shape,
}

impl<'a> List<'a> {
    /// `Context::new`.
    fn new(
        ident: &'a str,
        items: &'a [Expr],
        shape: Shape,
        delims: (&'static str, &'static str),
        item_max_width: usize,
    ) -> List<'a> {
        // `extra_offset(ident)`: the byte length of a single-line ident; 2 = the delimiters.
        let one_line_width = shape.width.saturating_sub(ident.len() + 2);
        let one_line_shape = shape
            .offset_left(last_line_width(ident) + 1)
            .and_then(|s| s.sub_width(1))
            .unwrap_or(Shape { width: 0, ..shape });
        // `shape_from_indent_style` under block indent; 1 = the `,` after each item.
        let nested = shape.block_indent(TAB_SPACES).with_max_width();
        let nested_shape = Shape {
            width: nested.width.saturating_sub(1),
            ..nested
        };
        List {
            ident,
            items,
            shape,
            delims,
            item_max_width,
            one_line_width,
            one_line_shape,
            nested_shape,
        }
    }

    /// `Context::rewrite` (`rewrite_items` then `wrap_items`).
    fn rewrite(&self, ctx: &Ctx) -> Option<String> {
        // `itemize_list`: every item is first rewritten on its own line.
        let mut items: Vec<Option<String>> = self
            .items
            .iter()
            .map(|item| rewrite(item, self.nested_shape, ctx))
            .collect();
        let tactic = self.try_overflow_last_item(ctx, &mut items);
        let items_str = write_list(&items, tactic, self.nested_shape)?;
        Some(self.wrap_items(&items_str, tactic == Tactic::Horizontal))
    }

    /// `Context::try_overflow_last_item`: lets the last item start on the current line and
    /// continue below (`foo(a, bar(` ... `))`) when its first line fits with the others,
    /// and otherwise picks between one line, one item per line and the mixed layout.
    fn try_overflow_last_item(&self, ctx: &Ctx, items: &mut [Option<String>]) -> Tactic {
        let count = self.items.len();
        let Some(last) = self.items.last() else {
            // No argument: `definitive_tactic` of an empty list.
            return Tactic::Horizontal;
        };
        // `combine_arg_with_callee`: a lone argument of a callee shorter than a tab.
        let combine = count == 1 && self.ident.len() < TAB_SPACES;
        let overflow_last = combine || can_be_overflowed(last, count);
        let placeholder = if overflow_last {
            self.overflow_last_item(ctx, combine, items)
        } else {
            None
        };
        let tactic = self.default_tactic(items);
        match (overflow_last, tactic, placeholder) {
            (true, Tactic::Horizontal, Some(overflowed)) if count == 1 => {
                // A two-line overflow may come from a budget cut for nested calls: prefer
                // the item on its own line when it then fits on one line.
                let own_line = (overflowed.matches('\n').count() == 1)
                    .then(|| rewrite(last, self.nested_shape, ctx))
                    .flatten()
                    .filter(|rw| !rw.contains('\n'));
                items[count - 1] = Some(own_line.unwrap_or(overflowed));
                Tactic::Horizontal
            }
            (true, Tactic::Horizontal, Some(overflowed)) => {
                items[count - 1] = Some(overflowed);
                Tactic::Horizontal
            }
            _ => {
                items[count - 1] = rewrite(last, self.nested_shape, ctx);
                self.tactic_without_overflow(items)
            }
        }
    }

    /// The overflowed rewrite of the last item, its first line standing in for it in
    /// `items` (the "placeholder" of rustfmt).
    fn overflow_last_item(
        &self,
        ctx: &Ctx,
        combine: bool,
        items: &mut [Option<String>],
    ) -> Option<String> {
        let last = self.items.last()?;
        let previous = ctx.force_one_line_chain.get();
        if !combine && matches!(last, Expr::Chain(..)) {
            // A method call overflowed after other text must keep its chain on one line.
            ctx.force_one_line_chain.set(true);
        }
        let result = self
            .last_item_shape(items)
            .and_then(|shape| rewrite(last, shape, ctx));
        ctx.force_one_line_chain.set(previous);
        let result = result?;
        let first_line = result.split('\n').next().unwrap_or_default().to_string();
        items[self.items.len() - 1] = Some(first_line);
        Some(result)
    }

    /// `overflow::last_item_shape`: the room left for the last item after the others.
    fn last_item_shape(&self, items: &[Option<String>]) -> Option<Shape> {
        if self.items.len() == 1 && !matches!(self.items[0], Expr::Call(..)) {
            return Some(self.one_line_shape);
        }
        // 2 = ", " after each previous item (byte lengths, as rustfmt counts them).
        let before: usize = items[..items.len() - 1]
            .iter()
            .map(|i| 2 + i.as_deref().map_or(0, str::len))
            .sum();
        let width = self.item_max_width.min(self.one_line_shape.width);
        Shape {
            width,
            ..self.one_line_shape
        }
        .offset_left(before)
    }

    /// The tactic once the last item is rewritten on its own line (the fallback branch of
    /// `try_overflow_last_item`).
    fn tactic_without_overflow(&self, items: &[Option<String>]) -> Tactic {
        // "Use horizontal layout for a function with a single argument as long as
        // everything fits in a single line."
        if let [only] = items {
            let only = only.as_deref().unwrap_or_default();
            if self.one_line_width != 0
                && !only.contains('\n')
                && str_width(only) <= self.one_line_width
            {
                return Tactic::Horizontal;
            }
        }
        let tactic = self.default_tactic(items);
        // Short simple items (`"a", "b"`, numbers) fill lines instead of one per line.
        let short = |i: &Option<String>| i.as_deref().map_or(0, str::len) <= SHORT_ELEMENT_WIDTH;
        if tactic == Tactic::Vertical && self.items.iter().all(is_simple) && items.iter().all(short)
        {
            return Tactic::Mixed;
        }
        tactic
    }

    /// `definitive_tactic` with `LimitedHorizontalVertical(item_max_width)`: one line when
    /// the items and their `, ` fit both the line and `fn_call_width`/`array_width`.
    fn default_tactic(&self, items: &[Option<String>]) -> Tactic {
        let limit = self.one_line_width.min(self.item_max_width);
        let widths: usize = items
            .iter()
            .map(|i| i.as_deref().map_or(0, str_width))
            .sum();
        let total = widths + 2 * items.len().saturating_sub(1);
        let multiline = items
            .iter()
            .any(|i| i.as_deref().is_some_and(|s| s.contains('\n')));
        if total <= limit && !multiline {
            Tactic::Horizontal
        } else {
            Tactic::Vertical
        }
    }

    /// `Context::wrap_items`: the delimiters around the items, the items on the current
    /// line when they are horizontal and their first line fits, else on their own lines.
    fn wrap_items(&self, items_str: &str, extendable: bool) -> String {
        let width = self.shape.width.saturating_sub(last_line_width(self.ident));
        let extend_width = if items_str.is_empty() {
            2
        } else {
            first_line_width(items_str) + 1
        };
        let (prefix, suffix) = self.delims;
        let mut out = format!("{}{prefix}", self.ident);
        if extendable && extend_width <= width {
            out.push_str(items_str);
        } else {
            if !items_str.is_empty() {
                out.push_str(&self.nested_shape.newline_indent());
                out.push_str(items_str);
            }
            out.push('\n');
            out.push_str(&" ".repeat(self.shape.indent));
        }
        out.push_str(suffix);
        out
    }
}

/// `can_be_overflowed_expr` under block indent: calls, method calls and arrays, when they
/// are the only item.
fn can_be_overflowed(expr: &Expr, count: usize) -> bool {
    !matches!(expr, Expr::Atom(_)) && count == 1
}

/// `lists::write_list` for items without comments, `,` separators and
/// `trailing_comma = "Vertical"`; `None` when an item could not be rewritten.
fn write_list(items: &[Option<String>], tactic: Tactic, shape: Shape) -> Option<String> {
    let ends_with_newline = matches!(tactic, Tactic::Vertical | Tactic::Mixed);
    let mut trailing_separator = tactic == Tactic::Vertical;
    let indent = " ".repeat(shape.indent);
    let mut out = String::new();
    let mut line_len = 0;
    for (i, item) in items.iter().enumerate() {
        let item = item.as_deref()?;
        let last = i + 1 == items.len();
        let mut separate = !last || trailing_separator;
        if item.is_empty() {
            continue;
        }
        match tactic {
            Tactic::Horizontal if i > 0 => out.push(' '),
            Tactic::Vertical if i > 0 && !out.is_empty() => {
                out.push('\n');
                out.push_str(&indent);
            }
            Tactic::Mixed => {
                let total_width = str_width(item) + usize::from(separate);
                if line_len > 0 && line_len + 1 + total_width > shape.width {
                    out.push('\n');
                    out.push_str(&indent);
                    line_len = 0;
                    if ends_with_newline {
                        // A mixed list that wraps ends with a trailing separator.
                        trailing_separator = true;
                    }
                } else if line_len > 0 {
                    out.push(' ');
                    line_len += 1;
                }
                if last && ends_with_newline {
                    // `trailing_comma` is not `Never`.
                    separate = true;
                }
                line_len += total_width;
            }
            _ => {}
        }
        out.push_str(item);
        if separate {
            out.push(',');
        }
    }
    Some(out)
}
