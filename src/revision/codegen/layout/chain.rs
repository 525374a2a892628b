//! Method chains: rustfmt's `chains.rs` with block indentation (`ChainFormatterBlock`).

use super::width::str_width;
use super::{
    CHAIN_WIDTH, Ctx, Expr, Shape, TAB_SPACES, first_line_width, last_line_extendable,
    last_line_width, list, rewrite,
};

/// A chain element after the parent: `.method(args)`.
type Child = (String, Vec<Expr>);

/// `Chain::rewrite`: the parent, then each `.method(args)` on the same line when the whole
/// chain fits, else one per line one block deeper (the last one may overflow instead).
pub(super) fn rewrite_chain(
    ctx: &Ctx,
    parent: &Expr,
    children: &[Child],
    shape: Shape,
) -> Option<String> {
    if children.is_empty() {
        return rewrite(parent, shape, ctx);
    }
    let (root, rest, root_ends_with_block) = format_root(ctx, parent, children, shape)?;
    let Some((last, middle)) = rest.split_last() else {
        // `pure_root`: every child joined the root.
        return ctx.wrap_str(root, shape);
    };
    // `get_block_child_shape`: children align with a parent that ends with a closing
    // delimiter on its own line (`foo(\n..\n)\n.bar()`), else go one block deeper.
    let delta = if root_ends_with_block { 0 } else { TAB_SPACES };
    let child_shape = shape.block_indent(delta).with_max_width();
    let mut rewrites = vec![root];
    for child in middle {
        rewrites.push(rewrite_child(ctx, child, child_shape)?);
    }
    let last = LastChild {
        child: last,
        child_count: children.len(),
        shape,
        child_shape,
    };
    let fits_single_line = last.format(ctx, &mut rewrites)?;
    // `join_rewrites`.
    let connector = if fits_single_line {
        String::new()
    } else if ctx.force_one_line_chain.get() {
        return None;
    } else {
        child_shape.newline_indent()
    };
    ctx.wrap_str(rewrites.join(&connector), shape)
}

/// `ChainFormatterBlock::format_root`: the parent, followed by the first children while it
/// is no wider than a tab (`op.create_table(..)` rather than a lone `op` above
/// `.create_table(..)`). Returns the root, the children left and whether the root ends
/// with a block (`is_block_like`, then `last_line_extendable` once a child joined).
fn format_root<'c>(
    ctx: &Ctx,
    parent: &Expr,
    children: &'c [Child],
    shape: Shape,
) -> Option<(String, &'c [Child], bool)> {
    let mut root = rewrite(parent, shape, ctx)?;
    // `is_block_expr`: a call is block-like when it spans several lines; paths and
    // single-line literals never are.
    let mut ends_with_block = matches!(parent, Expr::Call(..)) && root.contains('\n');
    let tab_width = TAB_SPACES.saturating_sub(shape.offset);
    let mut rest = children;
    while root.len() <= tab_width && !root.contains('\n') {
        let Some((child, tail)) = rest.split_first() else {
            break;
        };
        let child_shape = shape.offset_left(root.len())?;
        let Some(rewritten) = rewrite_child(ctx, child, child_shape) else {
            break;
        };
        root.push_str(&rewritten);
        ends_with_block = last_line_extendable(&root);
        rest = tail;
    }
    Some((root, rest, ends_with_block))
}

/// `ChainItem::rewrite` for a method call: `.method(args)`.
fn rewrite_child(ctx: &Ctx, (method, args): &Child, shape: Shape) -> Option<String> {
    list::rewrite_call(ctx, &format!(".{method}"), args, shape)
}

/// The inputs of `ChainFormatterShared::format_last_child`.
struct LastChild<'a> {
    child: &'a Child,
    /// The number of children of the whole chain (root ones included).
    child_count: usize,
    /// The shape of the whole chain.
    shape: Shape,
    /// The shape of a child on its own line.
    child_shape: Shape,
}

impl LastChild<'_> {
    /// `format_last_child`: rewrites the last child either on the line of the others
    /// (possibly overflowing onto the next lines) or on its own line, whichever rustfmt
    /// prefers, and pushes it. Returns whether the whole chain stays on one line.
    fn format(&self, ctx: &Ctx, rewrites: &mut Vec<String>) -> Option<bool> {
        let root = &rewrites[0];
        // The last child may continue the root's last line when it only closes blocks;
        // rustfmt then measures the root's last line alone.
        let extendable = last_line_extendable(root);
        let almost_total = if extendable {
            last_line_width(root)
        } else {
            rewrites.iter().map(|rw| str_width(rw)).sum()
        };
        // `chain_width` applies unless the chain has a single child.
        let limit = if self.child_count == 1 {
            self.shape.width
        } else {
            self.shape.width.min(CHAIN_WIDTH)
        };
        let one_line_budget = limit.saturating_sub(almost_total);
        let all_in_one_line = rewrites.iter().all(|rw| !rw.contains('\n')) && one_line_budget > 0;
        let last_shape = if all_in_one_line {
            self.shape
        } else if extendable {
            self.child_shape
        } else {
            self.child_shape.sub_width(self.shape.rhs_overhead())?
        };
        let mut fits_single_line = false;
        let mut chosen = None;
        if all_in_one_line || extendable {
            let overflowed = last_shape
                .offset_left(almost_total)
                .and_then(|one_line_shape| rewrite_child(ctx, self.child, one_line_shape));
            if let Some(rw) = overflowed {
                let could_fit = first_line_width(&rw) <= one_line_budget;
                let (rw, keep) = self.compare_with_own_line(ctx, rw, could_fit)?;
                fits_single_line = keep && could_fit && all_in_one_line;
                chosen = Some(rw);
            }
        }
        let last = match chosen {
            Some(rw) => rw,
            None => rewrite_child(ctx, self.child, last_shape)?,
        };
        rewrites.push(last);
        Some(fits_single_line)
    }

    /// Chooses between the last child rewritten after the others (`rw`) and on its own
    /// line: an overflow of five lines or more whose first line fits is kept; otherwise the
    /// own-line version wins when the overflow does not fit or when it takes fewer lines.
    /// Returns the choice and whether it is the overflowed one.
    fn compare_with_own_line(
        &self,
        ctx: &Ctx,
        rw: String,
        could_fit: bool,
    ) -> Option<(String, bool)> {
        let line_count = rw.lines().count();
        if could_fit && line_count >= 5 {
            return Some((rw, true));
        }
        let own_shape = self.child_shape.sub_width(self.shape.rhs_overhead())?;
        Some(match rewrite_child(ctx, self.child, own_shape) {
            Some(own) if !could_fit => (own, false),
            Some(own) if own.lines().count() >= line_count => (rw, true),
            Some(own) => (own, false),
            None => (rw, true),
        })
    }
}
