//! Objects other than tables (views, triggers, functions...): matched by kind, table and name,
//! compared by the normal form of their definition, replaced whole when it differs.
//!
//! An object is created after what it uses and dropped before it. Which objects use which is
//! read from their definitions: every name in the text that is a table or another object's
//! name (see [`references`]) counts, which may count a column named like a table too; that
//! only recreates an object more than needed. An object that is kept but uses a table whose
//! columns change or go, or an object that is dropped and created again, is itself dropped
//! before and created after: PostgreSQL refuses to change a column a view uses, and a view
//! over a dropped object would dangle.

use std::collections::{BTreeMap, BTreeSet};

use super::Compare;
use crate::ops::Operation;
use crate::schema::{Object, ObjectKey, Schema};

/// The object operations, in the groups the caller places around the tables' operations.
#[derive(Debug, Default)]
pub(crate) struct ObjectChanges {
    /// Objects dropped before the tables change: those that use tables, and every object
    /// dropped to be created again, dependents first.
    pub early_drops: Vec<Operation>,
    /// Objects tables may use (types, sequences, functions...), created or replaced before the
    /// tables, dependencies first.
    pub before_tables: Vec<Operation>,
    /// Objects that use tables (views, triggers...), created or replaced after every table
    /// change, dependencies first; comment changes.
    pub after_tables: Vec<Operation>,
    /// Objects tables may use, dropped once no table uses them, dependents first.
    pub late_drops: Vec<Operation>,
}

/// What happens to one object found on either side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Create,
    Drop,
    Replace,
    Recreate,
    Comment,
    Keep,
}

/// The operations that turn `current`'s objects into `desired`'s; `reshaped` are the tables
/// whose columns change or go.
pub(crate) fn object_changes(
    current: &Schema,
    desired: &Schema,
    reshaped: &BTreeSet<String>,
    cmp: &dyn Compare,
) -> ObjectChanges {
    let mut fates: BTreeMap<ObjectKey, Fate> = BTreeMap::new();
    for o in desired.objects() {
        if o.enum_labels().is_some() {
            // Enum types are created, relabelled and dropped with the columns' (diff::enums);
            // only their comment changes here.
            let old_comment = current.object(&o.key()).and_then(|c| c.comment.clone());
            let fate = match cmp.comments() && old_comment != o.comment {
                true => Fate::Comment,
                false => Fate::Keep,
            };
            fates.insert(o.key(), fate);
            continue;
        }
        let fate = match current.object(&o.key()) {
            None => Fate::Create,
            Some(old) if cmp.definition(old) != cmp.definition(o) => {
                if cmp.replaceable(old, o) {
                    Fate::Replace
                } else {
                    Fate::Recreate
                }
            }
            Some(old) if cmp.comments() && old.comment != o.comment => Fate::Comment,
            Some(_) => Fate::Keep,
        };
        fates.insert(o.key(), fate);
    }
    for o in current.objects() {
        let gone = if o.enum_labels().is_some() {
            Fate::Keep
        } else {
            Fate::Drop
        };
        fates.entry(o.key()).or_insert(gone);
    }
    recreate_dependents(current, reshaped, &mut fates);
    let tables: BTreeSet<String> = current
        .table_names()
        .chain(desired.table_names())
        .map(str::to_lowercase)
        .collect();
    let (old_after, new_after) = (
        super::placement::after_tables(current, &tables),
        super::placement::after_tables(desired, &tables),
    );
    let mut out = ObjectChanges::default();
    for key in dependency_order(current, &fates).into_iter().rev() {
        let old = current.object(&key).expect("ordered from the current side");
        if matches!(fates[&key], Fate::Drop | Fate::Recreate) {
            let drop = drop_of(old);
            match !old_after.contains(&key) && fates[&key] == Fate::Drop {
                true => out.late_drops.push(drop),
                false => out.early_drops.push(drop),
            }
        }
    }
    for key in dependency_order(desired, &fates) {
        let new = desired.object(&key).expect("ordered from the desired side");
        let old = current.object(&key);
        let op = match fates[&key] {
            Fate::Create | Fate::Recreate => Operation::CreateObject(new.clone()),
            Fate::Replace => Operation::ReplaceObject {
                object: new.clone(),
                previous: old.cloned().map(Box::new),
            },
            Fate::Comment => Operation::SetObjectComment {
                kind: new.kind,
                table: new.table.clone(),
                name: new.name.clone(),
                comment: new.comment.clone(),
                previous: Some(old.and_then(|o| o.comment.clone())),
            },
            Fate::Drop | Fate::Keep => continue,
        };
        match !new_after.contains(&key) && fates[&key] != Fate::Comment {
            true => out.before_tables.push(op),
            false => out.after_tables.push(op),
        }
    }
    out
}

fn drop_of(o: &Object) -> Operation {
    Operation::DropObject {
        kind: o.kind,
        table: o.table.clone(),
        name: o.name.clone(),
        definition: Some(Box::new(o.clone())),
    }
}

/// Kept objects that use a reshaped table, or an object dropped (or dropped and created
/// again), are dropped and created again around the change, until nothing more changes.
fn recreate_dependents(
    current: &Schema,
    reshaped: &BTreeSet<String>,
    fates: &mut BTreeMap<ObjectKey, Fate>,
) {
    let names = names_of(current);
    loop {
        let gone: BTreeSet<String> = fates
            .iter()
            .filter(|(_, f)| matches!(f, Fate::Drop | Fate::Recreate))
            .map(|(k, _)| base_name(&k.2))
            .chain(reshaped.iter().map(|t| t.to_lowercase()))
            .collect();
        let mut changed = false;
        for o in current.objects() {
            let fate = fates.get_mut(&o.key()).expect("every object has a fate");
            if !matches!(*fate, Fate::Keep | Fate::Comment) {
                continue;
            }
            let uses = uses(o, &names);
            if uses
                .iter()
                .any(|u| gone.contains(u) && *u != base_name(&o.name))
            {
                *fate = Fate::Recreate;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// The lower-cased names of every table and object of `schema`.
fn names_of(schema: &Schema) -> BTreeSet<String> {
    schema
        .table_names()
        .map(str::to_lowercase)
        .chain(schema.objects().map(|o| base_name(&o.name)))
        .collect()
}

/// A name as definitions write it: lower case, a function's without its argument list.
pub(super) fn base_name(name: &str) -> String {
    name.split('(').next().unwrap_or(name).trim().to_lowercase()
}

/// The tables and objects among `names` that `o` uses.
fn uses(o: &Object, names: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = references(&o.definition)
        .into_iter()
        .filter(|r| names.contains(r))
        .collect();
    out.extend(o.table.as_deref().map(str::to_lowercase));
    out
}

/// The objects of `schema` that have a fate other than keep, each after the objects it uses
/// (a cycle is broken in key order).
fn dependency_order(schema: &Schema, fates: &BTreeMap<ObjectKey, Fate>) -> Vec<ObjectKey> {
    let names = names_of(schema);
    let mut pending: Vec<&Object> = schema
        .objects()
        .filter(|o| fates.get(&o.key()).is_some_and(|f| *f != Fate::Keep))
        .collect();
    let by_name: BTreeMap<String, Vec<ObjectKey>> =
        pending.iter().fold(BTreeMap::new(), |mut m, o| {
            m.entry(base_name(&o.name)).or_default().push(o.key());
            m
        });
    let mut out: Vec<ObjectKey> = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let ready = pending.iter().position(|o| {
            uses(o, &names).iter().all(|u| {
                *u == base_name(&o.name)
                    || by_name
                        .get(u)
                        .is_none_or(|keys| keys.iter().all(|k| out.contains(k) || *k == o.key()))
            })
        });
        out.push(pending.remove(ready.unwrap_or(0)).key());
    }
    out
}

/// The names a definition mentions, lower-cased: bare words and quoted identifiers (`"x"`,
/// `` `x` ``, `[x]`), each part of a qualified name. String literals, comments and
/// dollar-quoted bodies are skipped.
pub(crate) fn references(sql: &str) -> BTreeSet<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\'' => i = skip_quoted(&chars, i, '\''),
            '-' if next == Some('-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                let end = skip_quoted(&chars, i, close);
                let inner: String = chars[i + 1..end.saturating_sub(1).max(i + 1)]
                    .iter()
                    .collect();
                out.insert(inner.to_lowercase());
                i = end;
            }
            '$' => i = skip_dollar_body(&chars, i),
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.insert(word.to_lowercase());
            }
            _ => i += 1,
        }
    }
    out
}

/// The index after the quoted text opened at `start` (doubled quotes stay inside).
fn skip_quoted(chars: &[char], start: usize, close: char) -> usize {
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == close {
            if chars.get(i + 1) == Some(&close) && close != ']' {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    chars.len()
}

/// The index after a `$tag$ ... $tag$` body starting at `start`, or after the `$` alone.
fn skip_dollar_body(chars: &[char], start: usize) -> usize {
    let mut j = start + 1;
    while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
        j += 1;
    }
    if chars.get(j) != Some(&'$') {
        return start + 1;
    }
    let tag: Vec<char> = chars[start..=j].to_vec();
    let mut i = j + 1;
    while i + tag.len() <= chars.len() {
        if chars[i..i + tag.len()] == tag[..] {
            return i + tag.len();
        }
        i += 1;
    }
    chars.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_skip_strings_comments_and_bodies() {
        let sql = "CREATE VIEW \"Big View\" AS SELECT a.id, 'users' FROM public.Accounts a \
                   -- orders\n JOIN [Items] i ON $$ x $$ /* stock */";
        let refs = references(sql);
        for expected in ["big view", "public", "accounts", "items", "id", "a"] {
            assert!(refs.contains(expected), "{expected} in {refs:?}");
        }
        for absent in ["users", "orders", "stock", "x"] {
            assert!(!refs.contains(absent), "{absent} in {refs:?}");
        }
    }
}
