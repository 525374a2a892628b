//! Differential test: random statements of the generator's grammar, laid out by the engine
//! and by the real `rustfmt --edition 2024`, must be byte-identical.
//!
//! Each statement is checked twice: rustfmt applied to the engine's layout must keep it as
//! it is, and rustfmt applied to the statement written on one line must give the engine's
//! layout (or, where rustfmt gives up on the statement, keep the one-line text: the engine
//! must have given up too). The corpus is deterministic (fixed seed); set
//! `LAYOUT_DIFFTEST_CASES`, `LAYOUT_DIFFTEST_SEED` and `LAYOUT_DIFFTEST_INDENT` (4 or 8)
//! to explore more, and `LAYOUT_DIFFTEST_DUMP=<file>` to write the engine's layouts to a
//! file.

use std::io::Write;
use std::process::{Command, Stdio};

use super::corpus::{Rng, random_statement, sized_statements};
use super::{Expr, format_statement, one_line, statement};

/// Statements in the default corpus.
const DEFAULT_CASES: usize = 600;
/// Seed of the default corpus.
const DEFAULT_SEED: u64 = 0x5EED_1A70_2024_0001;

/// `rustfmt --edition 2024` on `source`, or `None` when rustfmt is not installed.
fn rustfmt(source: &str) -> Option<String> {
    let spawned = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        spawned => spawned.expect("start rustfmt"),
    };
    child
        .stdin
        .take()?
        .write_all(source.as_bytes())
        .expect("write to rustfmt");
    let output = child.wait_with_output().expect("run rustfmt");
    assert!(
        output.status.success(),
        "rustfmt failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).expect("rustfmt output is UTF-8"))
}

/// A function holding `statements` at block indentation `indent` (4, or 8 inside a
/// block), each after a `// case N` marker line.
fn file(statements: &[String], indent: usize) -> String {
    let mut out = String::from("pub fn upgrade(op: &mut Operations) {\n");
    if indent == 8 {
        out.push_str("    {\n");
    }
    for (i, s) in statements.iter().enumerate() {
        out.push_str(&format!("{}// case {i}\n{s}\n", " ".repeat(indent)));
    }
    if indent == 8 {
        out.push_str("    }\n");
    }
    out.push_str("}\n");
    out
}

/// The statements of a formatted `file`, split at the markers.
fn statements_of(formatted: &str) -> Vec<String> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    for line in formatted.lines() {
        if line.trim_start().starts_with("// case ") {
            out.push(Vec::new());
        } else if line != "}"
            && line != "    }"
            && let Some(current) = out.last_mut()
        {
            current.push(line);
        }
    }
    out.into_iter().map(|lines| lines.join("\n")).collect()
}

/// Statements per file given to rustfmt (far larger functions overflow its stack).
const CHUNK: usize = 2000;

/// The outcome of comparing statements with rustfmt.
#[derive(Default)]
struct Comparison {
    /// Descriptions of the statements laid out differently.
    mismatches: Vec<String>,
    /// Statements rustfmt leaves as written (and the engine lays out leniently).
    gave_up: usize,
}

/// Formats `exprs` with the engine and with rustfmt, or `None` when rustfmt is not
/// installed.
fn compare(exprs: &[Expr], indent: usize) -> Option<Comparison> {
    let mut comparison = Comparison::default();
    for (chunk_index, chunk) in exprs.chunks(CHUNK).enumerate() {
        compare_chunk(chunk, indent, chunk_index * CHUNK, &mut comparison)?;
    }
    Some(comparison)
}

/// [`compare`] on one file's worth of statements, the first being case `first`.
fn compare_chunk(exprs: &[Expr], indent: usize, first: usize, out: &mut Comparison) -> Option<()> {
    let strict: Vec<Option<String>> = exprs.iter().map(|e| format_statement(e, indent)).collect();
    let ours: Vec<String> = exprs.iter().map(|e| statement(e, indent)).collect();
    let pad = " ".repeat(indent);
    let inputs: Vec<String> = exprs
        .iter()
        .map(|e| format!("{pad}{};", one_line(e)))
        .collect();
    if let Ok(path) = std::env::var("LAYOUT_DIFFTEST_DUMP") {
        std::fs::write(path, file(&ours, indent)).expect("write the dump");
    }
    let from_ours = statements_of(&rustfmt(&file(&ours, indent))?);
    let from_input = statements_of(&rustfmt(&file(&inputs, indent))?);
    assert_eq!(
        (from_ours.len(), from_input.len()),
        (exprs.len(), exprs.len())
    );
    for i in 0..exprs.len() {
        // Where the engine gives up, rustfmt must give up too and keep the input.
        let expected_from_input = if strict[i].is_some() {
            &ours[i]
        } else {
            &inputs[i]
        };
        out.gave_up += usize::from(strict[i].is_none());
        if from_ours[i] != ours[i] || from_input[i] != *expected_from_input {
            let (input, engine) = (&inputs[i], &ours[i]);
            let (of_engine, of_input) = (&from_ours[i], &from_input[i]);
            out.mismatches.push(format!(
                "case {}\n--- input\n{input}\n--- engine\n{engine}\n--- rustfmt(engine)\n\
                 {of_engine}\n--- rustfmt(input)\n{of_input}\n",
                first + i
            ));
        }
    }
    Some(())
}

/// Compares `exprs` at `indent`, prints what was compared and asserts there is no mismatch.
fn assert_same_as_rustfmt(what: &str, exprs: &[Expr], indent: usize) {
    let Some(Comparison {
        mismatches,
        gave_up,
    }) = compare(exprs, indent)
    else {
        println!("SKIPPED: the `rustfmt` binary is not installed, nothing compared");
        return;
    };
    println!(
        "{} {what} at indent {indent} compared with rustfmt ({gave_up} that rustfmt leaves as written)",
        exprs.len()
    );
    for mismatch in mismatches.iter().take(5) {
        println!("{mismatch}");
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} {what} differ from rustfmt",
        mismatches.len(),
        exprs.len()
    );
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_statements_match_rustfmt() {
    let cases = env_number("LAYOUT_DIFFTEST_CASES", DEFAULT_CASES as u64) as usize;
    let mut rng = Rng(env_number("LAYOUT_DIFFTEST_SEED", DEFAULT_SEED));
    let exprs: Vec<Expr> = (0..cases).map(|_| random_statement(&mut rng)).collect();
    let indent = env_number("LAYOUT_DIFFTEST_INDENT", 4) as usize;
    assert_same_as_rustfmt("random statements", &exprs, indent);
}

#[test]
fn width_sweeps_match_rustfmt() {
    let mut exprs = Vec::new();
    for unit in ["a", "é", "中"] {
        for n in 1..=110 {
            exprs.extend(sized_statements(n, unit));
        }
    }
    for indent in [4, 8] {
        assert_same_as_rustfmt("swept statements", &exprs, indent);
    }
}

/// `op.execute` of `c` repeated to the lengths that tell widths 0, 1 and 2 apart: at width
/// 1 the four statements fit on one line, on one line, on their own line (82 columns) and
/// nowhere (90 columns); at width 2 the first already needs its own line.
fn character_statements(c: char) -> Vec<Expr> {
    let op = |text: String| {
        let args = vec![Expr::Atom(format!("{text:?}"))];
        Expr::Chain(
            Box::new(Expr::Atom("op".into())),
            vec![("execute".into(), args)],
        )
    };
    [41, 45, 82, 90]
        .into_iter()
        .map(|n| op(c.to_string().repeat(n)))
        .collect()
}

/// Checks the width of the characters `{:?}` leaves as they are, from U+00A0 every `step`
/// code points, plus the ends of the width table's ranges.
fn assert_character_widths(step: usize) {
    let printable = |c: &char| format!("{:?}", c.to_string()) == format!("\"{c}\"");
    let sample = (0xA0..0x40000).step_by(step).filter_map(char::from_u32);
    let chars: Vec<char> = sample
        .chain(super::width::boundaries())
        .filter(printable)
        .collect();
    let exprs: Vec<Expr> = chars.into_iter().flat_map(character_statements).collect();
    assert_same_as_rustfmt("character statements", &exprs, 4);
}

/// Every 211th code point by default; `OUTFLOW_LAYOUT_CHAR_STEP=1` checks every character
/// (about four minutes), which is worth doing when rustfmt's Unicode data may have changed.
#[test]
fn character_widths_match_rustfmt() {
    let step = std::env::var("OUTFLOW_LAYOUT_CHAR_STEP")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(211);
    assert_character_widths(step);
}
