//! Test inputs: a parser from one-line source to [`Expr`], random statements of the
//! generator's grammar, and width sweeps.

use super::Expr;

/// Parses one statement expression of the grammar written as Rust source
/// (`op.create_table(table("t").column(column("a", Type::Integer)))`).
pub(super) fn parse(source: &str) -> Expr {
    let mut parser = Parser { rest: source };
    let expr = parser.expr();
    assert!(parser.rest.trim().is_empty(), "unparsed: {}", parser.rest);
    expr
}

struct Parser<'a> {
    rest: &'a str,
}

impl Parser<'_> {
    /// `primary ('.' method '(' args ')')*`
    fn expr(&mut self) -> Expr {
        let primary = self.primary();
        let mut methods = Vec::new();
        while self.eat('.') {
            let method = self.path();
            assert!(self.eat('('), "expected `(` at {}", self.rest);
            methods.push((method, self.args(')')));
        }
        if methods.is_empty() {
            primary
        } else {
            Expr::Chain(Box::new(primary), methods)
        }
    }

    /// A string literal, an array, a path or a call.
    fn primary(&mut self) -> Expr {
        self.rest = self.rest.trim_start();
        if self.rest.starts_with('"') {
            return self.string();
        }
        if self.eat('[') {
            return Expr::Array(self.args(']'));
        }
        let path = self.path();
        if self.eat('(') {
            Expr::Call(path, self.args(')'))
        } else {
            Expr::Atom(path)
        }
    }

    /// A string literal, kept escaped as written.
    fn string(&mut self) -> Expr {
        let mut escaped = false;
        for (i, c) in self.rest.char_indices().skip(1) {
            match c {
                '"' if !escaped => {
                    let (literal, rest) = self.rest.split_at(i + 1);
                    self.rest = rest;
                    return Expr::Atom(literal.to_string());
                }
                '\\' => escaped = !escaped,
                _ => escaped = false,
            }
        }
        panic!("unterminated string literal: {}", self.rest);
    }

    /// A path (`op`, `Type::Integer`), a method name or a number.
    fn path(&mut self) -> String {
        self.rest = self.rest.trim_start();
        let end = self
            .rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'));
        let (path, rest) = self.rest.split_at(end.unwrap_or(self.rest.len()));
        assert!(!path.is_empty(), "expected a path at {}", self.rest);
        self.rest = rest;
        path.to_string()
    }

    /// Comma-separated expressions up to `close` (a trailing comma is allowed).
    fn args(&mut self, close: char) -> Vec<Expr> {
        let mut args = Vec::new();
        while !self.eat(close) {
            args.push(self.expr());
            if !self.eat(',') {
                assert!(self.eat(close), "expected `{close}` at {}", self.rest);
                break;
            }
        }
        args
    }

    /// Skips whitespace, then `c` if it comes next.
    fn eat(&mut self, c: char) -> bool {
        self.rest = self.rest.trim_start();
        match self.rest.strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }
}

/// Statements around one `$` literal: sweeping its length crosses every width limit of
/// each shape.
const TEMPLATES: &[&str] = &[
    r#"op.execute($)"#,
    r#"op.rename_table($, "new_name_of_the_table")"#,
    r#"op.add_column("t", column($, Type::Integer).not_null().default("0"))"#,
    r#"op.create_table(table("t").column(column($, Type::Integer)))"#,
    r#"op.create_table(table("t").column(column("a", Type::Integer).comment($)))"#,
    r#"op.create_table(table("t").column(column("a", Type::Integer)).unique($, ["a", "b"]))"#,
    r#"op.create_table(table("t").column(column("id", Type::Integer)).foreign_key(foreign_key($, ["a"], "parent", ["id"]).on_delete(Action::Cascade)))"#,
    r#"op.create_table(table("t").check("ck", $).comment("a table"))"#,
    r#"op.create_table(table("t").column(column("a", Type::raw($))))"#,
    r#"op.create_table(table($).column(column("a", Type::Integer)).primary_key("pk", ["a"]))"#,
    r#"op.create_index("t", index($, ["a", "b"]).unique())"#,
    r#"op.create_foreign_key("child", foreign_key($, ["a"], "parent", ["id"]).on_update(Action::SetNull))"#,
    r#"op.alter_column("t", $, alter().set_type(Type::BigInt).set_not_null().drop_default())"#,
    r#"op.alter_column($, "c", alter().set_comment("a comment"))"#,
    r#"op.set_table_comment("t", Some($))"#,
    r#"op.create_check("t", "ck_t", $)"#,
    r#"op.create_unique("t", "uq", ["a", "bb", $, "ccc"])"#,
    r#"op.create_primary_key("t", $, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"])"#,
];

/// The templates with a literal of `n` times `unit`, plus an array of `n` short elements.
pub(super) fn sized_statements(n: usize, unit: &str) -> Vec<Expr> {
    let literal = format!("{:?}", unit.repeat(n));
    let mut out: Vec<Expr> = TEMPLATES
        .iter()
        .map(|t| parse(&t.replace('$', &literal)))
        .collect();
    let element = format!("{:?}", unit.repeat(3));
    let elements = vec![element.as_str(); n].join(", ");
    out.push(parse(&format!(
        r#"op.create_unique("t", "uq", [{elements}])"#
    )));
    out
}

/// xorshift64*: a small deterministic generator (no dependency, stable across platforms).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `percent`%.
    fn chance(&mut self, percent: usize) -> bool {
        self.range(1, 100) <= percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }
}

/// Pieces of text content, including what `{:?}` escapes and wide characters.
const PIECES: &[&str] = &[
    "a", "b", "x", "id", "_", "name", "0", "7", " ", " ", "'", "\"", "\\", "\n", "\t", "é", "ß",
    "ж", "Ω", "中", "日本", "한", "🎉", "★", "✓", "(", ")", ",", ";", ".", "//", "/*", "*/", "{}",
    "=",
];

/// A length biased towards the boundaries that matter (short, around 60, past 100).
fn length(rng: &mut Rng) -> usize {
    match rng.range(0, 9) {
        0..=3 => rng.range(1, 12),
        4..=6 => rng.range(12, 40),
        7 | 8 => rng.range(40, 75),
        _ => rng.range(75, 180),
    }
}

/// The source of a string literal of about `len` characters, identifier-like most of the
/// time, else mixing quotes, backslashes, line breaks and wide characters.
fn literal(rng: &mut Rng, len: usize) -> String {
    let mut text = String::new();
    if rng.chance(75) {
        while text.len() < len {
            text.push(char::from(
                b"abcdefghijklmnopqrstuvwxyz_0123456789"[rng.range(0, 36)],
            ));
        }
    } else {
        while text.chars().count() < len {
            text.push_str(rng.pick(PIECES));
        }
    }
    format!("{text:?}")
}

/// A table, column, constraint or index name (up to 70 characters).
fn name(rng: &mut Rng) -> String {
    let len = length(rng).min(70);
    literal(rng, len)
}

/// A comment, default or check expression (any length).
fn text(rng: &mut Rng) -> String {
    let len = length(rng);
    literal(rng, len)
}

/// `[..]`: a few elements, sometimes many, often short.
fn array(rng: &mut Rng) -> String {
    let count = if rng.chance(80) {
        rng.range(1, 4)
    } else {
        rng.range(5, 24)
    };
    let short = rng.chance(50);
    let items: Vec<String> = (0..count)
        .map(|_| {
            let len = if short {
                rng.range(1, 8)
            } else {
                length(rng).min(40)
            };
            literal(rng, len)
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn ty(rng: &mut Rng) -> String {
    match rng.range(0, 5) {
        0 => format!("Type::Varchar({})", rng.range(1, 65535)),
        1 => format!("Type::Numeric({}, 2)", rng.range(1, 38)),
        2 => format!("Type::raw({})", name(rng)),
        _ => rng
            .pick(&[
                "Type::Integer",
                "Type::BigInt",
                "Type::Text",
                "Type::TimestampTz",
            ])
            .into(),
    }
}

/// Appends `.method(arg)` with probability `percent`%.
fn maybe(rng: &mut Rng, out: &mut String, percent: usize, method: &str, arg: &str) {
    if rng.chance(percent) {
        out.push_str(&format!(".{method}({arg})"));
    }
}

fn column(rng: &mut Rng) -> String {
    let mut out = format!("column({}, {})", name(rng), ty(rng));
    maybe(rng, &mut out, 50, "not_null", "");
    let default = text(rng);
    maybe(rng, &mut out, 25, "default", &default);
    maybe(rng, &mut out, 10, "autoincrement", "");
    let comment = text(rng);
    maybe(rng, &mut out, 20, "comment", &comment);
    out
}

fn foreign_key(rng: &mut Rng) -> String {
    let (n, c, r, rc) = (name(rng), array(rng), name(rng), array(rng));
    let mut out = format!("foreign_key({n}, {c}, {r}, {rc})");
    let actions = ["Action::Cascade", "Action::SetNull", "Action::SetDefault"];
    let (delete, update) = (rng.pick(&actions), rng.pick(&actions));
    maybe(rng, &mut out, 50, "on_delete", delete);
    maybe(rng, &mut out, 30, "on_update", update);
    out
}

fn table(rng: &mut Rng) -> String {
    let mut out = format!("table({})", name(rng));
    let columns = if rng.chance(70) {
        rng.range(0, 3)
    } else {
        rng.range(4, 10)
    };
    for _ in 0..columns {
        out.push_str(&format!(".column({})", column(rng)));
    }
    for _ in 0..rng.range(0, 3) {
        let method = rng.pick(&["primary_key", "unique", "index", "unique_index"]);
        out.push_str(&format!(".{method}({}, {})", name(rng), array(rng)));
    }
    let (fk, check, comment) = (
        foreign_key(rng),
        format!("{}, {}", name(rng), text(rng)),
        text(rng),
    );
    maybe(rng, &mut out, 25, "foreign_key", &fk);
    maybe(rng, &mut out, 15, "check", &check);
    maybe(rng, &mut out, 15, "comment", &comment);
    out
}

fn alter(rng: &mut Rng) -> String {
    let mut out = String::from("alter()");
    let ty = ty(rng);
    maybe(rng, &mut out, 50, "set_type", &ty);
    let nullable = rng.pick(&["set_not_null", "set_nullable"]);
    maybe(rng, &mut out, 50, nullable, "");
    let (default, comment) = (text(rng), text(rng));
    for (set, drop, value) in [
        ("set_default", "drop_default", default),
        ("set_comment", "drop_comment", comment),
    ] {
        match rng.range(0, 3) {
            0 => out.push_str(&format!(".{set}({value})")),
            1 => out.push_str(&format!(".{drop}()")),
            _ => {}
        }
    }
    let flag = rng.pick(&["true", "false"]);
    maybe(rng, &mut out, 20, "set_autoincrement", flag);
    out
}

/// The arguments of a random `op.<method>(..)`.
fn operation_args(rng: &mut Rng) -> (&'static str, String) {
    let (n1, n2, n3) = (name(rng), name(rng), name(rng));
    match rng.range(0, 17) {
        0..=4 => ("create_table", table(rng)),
        5 => ("drop_table", n1),
        6 => ("rename_table", format!("{n1}, {n2}")),
        7 => ("add_column", format!("{n1}, {}", column(rng))),
        8 => ("alter_column", format!("{n1}, {n2}, {}", alter(rng))),
        9 => ("rename_column", format!("{n1}, {n2}, {n3}")),
        10 => (
            "create_index",
            format!(
                "{n1}, index({n2}, {}){}",
                array(rng),
                [".unique()", ""][rng.range(0, 1)]
            ),
        ),
        11 => (
            rng.pick(&["drop_index", "drop_column", "drop_constraint"]),
            format!("{n1}, {n2}"),
        ),
        12 => (
            rng.pick(&["create_primary_key", "create_unique"]),
            format!("{n1}, {n2}, {}", array(rng)),
        ),
        13 => ("create_check", format!("{n1}, {n2}, {}", text(rng))),
        14 => ("create_foreign_key", format!("{n1}, {}", foreign_key(rng))),
        15 if rng.chance(20) => ("set_table_comment", format!("{n1}, None")),
        15 => ("set_table_comment", format!("{n1}, Some({})", text(rng))),
        16 => (
            "execute_on",
            format!("DialectName::Postgres, {}", text(rng)),
        ),
        _ => ("execute", text(rng)),
    }
}

/// A random `op.<method>(..)` statement of the generator's grammar.
pub(super) fn random_statement(rng: &mut Rng) -> Expr {
    let (method, args) = operation_args(rng);
    parse(&format!("op.{method}({args})"))
}
