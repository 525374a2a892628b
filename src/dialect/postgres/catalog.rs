//! The catalog queries the introspection runs (see `introspect`), one row per table, column,
//! constraint, index and enum type of the schemas given as `$1`.
//!
//! A table's lineage is read with it: the tables it inherits from (`INHERITS`, in order) and,
//! for a partition, its parent and bound. An inheriting table's columns and constraints are
//! its own ones (`attislocal`, `conislocal`), as `pg_dump` shows them; a partition's columns
//! are all its parent's, and what it has from its parent (keys and indexes cloned when it was
//! attached) is not read: attaching makes them again.

pub(crate) const TABLES: &str = r"SELECT c.oid::int8 AS table_oid, c.relname::text AS table_name,
       c.relkind::text AS kind, c.relispartition AS is_partition, d.description AS comment,
       c.relpersistence = 'u' AS unlogged, coalesce(c.reloptions, '{}') AS reloptions,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
       ARRAY(SELECT p.relname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
              WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parents,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid, true) END
           AS partition_bound
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')
ORDER BY c.relname";

pub(crate) const COLUMNS: &str = r"SELECT a.attrelid::int8 AS table_oid, a.attname::text AS column_name,
       tn.nspname::text AS type_schema, t.typname::text AS type_name,
       t.typtype::text AS type_kind, format_type(a.atttypid, a.atttypmod) AS type_sql,
       a.attnotnull AS not_null, a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       CASE WHEN a.attcollation <> t.typcollation
            THEN (SELECT co.collname::text FROM pg_collation co WHERE co.oid = a.attcollation)
       END AS collation,
       pg_get_expr(ad.adbin, ad.adrelid, true) AS default_expr,
       seq_ns.nspname::text AS seq_schema, seq.relname::text AS seq_name,
       dep.deptype::text AS seq_dep, d.description AS comment,
       format_type(ps.seqtypid, NULL) AS seq_type, ps.seqstart AS seq_start,
       ps.seqincrement AS seq_increment, ps.seqmin AS seq_min, ps.seqmax AS seq_max,
       ps.seqcache AS seq_cache, ps.seqcycle AS seq_cycle
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN (pg_depend dep
           JOIN pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S'
           JOIN pg_namespace seq_ns ON seq_ns.oid = seq.relnamespace)
       ON dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
      AND dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
      AND dep.deptype IN ('a', 'i')
LEFT JOIN pg_sequence ps ON ps.seqrelid = seq.oid
LEFT JOIN pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE n.nspname = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
  AND (a.attislocal OR c.relispartition)
ORDER BY a.attrelid, a.attnum";

pub(crate) const CONSTRAINTS: &str = r"SELECT con.conrelid::int8 AS table_oid,
       con.conname::text AS constraint_name, con.contype::text AS kind,
       ARRAY(SELECT a.attname::text
               FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS columns,
       rn.nspname::text AS ref_schema, rc.relname::text AS ref_table,
       ARRAY(SELECT a.attname::text
               FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS ref_columns,
       con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete,
       CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid, true) END
           AS check_expr,
       pg_get_constraintdef(con.oid, true) AS definition,
       con.condeferrable AS deferrable, con.condeferred AS deferred,
       NOT con.convalidated AS not_valid, con.connoinherit AS no_inherit,
       con.confmatchtype = 'f' AS match_full,
       obj_description(con.oid, 'pg_constraint') AS comment
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE n.nspname = ANY($1) AND con.contype IN ('p', 'u', 'f', 'c', 'x')
  AND c.relkind IN ('r', 'p') AND con.conislocal AND con.conparentid = 0
ORDER BY con.conrelid, con.contype, con.conname";

/// The index query; `indnullsnotdistinct` exists from PostgreSQL 15 on. One row per index,
/// each key part in arrays by position: its column (none for an expression), its expression
/// text, its order and place of NULLs, its operator class and collation when not the default;
/// then the covering columns, the predicate, the method and the storage parameters.
macro_rules! indexes_query {
    ($nulls_not_distinct:literal) => {
        concat!(
            r"SELECT i.indrelid::int8 AS table_oid, ic.relname::text AS index_name,
       am.amname::text AS method, i.indisunique AS is_unique,
       ",
            $nulls_not_distinct,
            r" AS nulls_not_distinct,
       con.conname::text AS owned_by_constraint, i.indnkeyatts::int4 AS key_count,
       p.columns, p.exprs, p.descs, p.nulls_firsts, p.opclasses, p.collations,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       array_to_string(ic.reloptions, ', ') AS with_options,
       obj_description(i.indexrelid, 'pg_class') AS index_comment,
       pg_get_indexdef(i.indexrelid, 0, true) AS definition
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid AND c.relkind IN ('r', 'p')
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                           AND con.contype IN ('p', 'u', 'x')
CROSS JOIN LATERAL (
  SELECT array_agg(a.attname::text ORDER BY k.pos) AS columns,
         array_agg(CASE WHEN i.indkey[k.pos - 1] = 0
                        THEN pg_get_indexdef(i.indexrelid, k.pos, true) END ORDER BY k.pos) AS exprs,
         array_agg(k.pos <= i.indnkeyatts AND (i.indoption[k.pos - 1] & 1) = 1 ORDER BY k.pos) AS descs,
         -- NULLS FIRST is the default of DESC, NULLS LAST of ASC: only the other one is said.
         array_agg(CASE WHEN k.pos > i.indnkeyatts THEN NULL
                        WHEN (i.indoption[k.pos - 1] & 1) = 1 AND (i.indoption[k.pos - 1] & 2) = 0 THEN 'last'
                        WHEN (i.indoption[k.pos - 1] & 1) = 0 AND (i.indoption[k.pos - 1] & 2) = 2 THEN 'first'
                   END ORDER BY k.pos) AS nulls_firsts,
         array_agg(CASE WHEN k.pos <= i.indnkeyatts AND NOT oc.opcdefault THEN oc.opcname::text END
                   ORDER BY k.pos) AS opclasses,
         array_agg(CASE WHEN k.pos <= i.indnkeyatts AND i.indcollation[k.pos - 1] <> 0
                         AND i.indcollation[k.pos - 1] <> coalesce(a.attcollation, 0)
                         AND i.indcollation[k.pos - 1] <> 100
                        THEN (SELECT co.collname::text FROM pg_collation co
                               WHERE co.oid = i.indcollation[k.pos - 1]) END
                   ORDER BY k.pos) AS collations
    FROM generate_series(1, i.indnatts) AS k(pos)
    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.pos - 1]
                            AND i.indkey[k.pos - 1] <> 0
    LEFT JOIN pg_opclass oc ON oc.oid = i.indclass[k.pos - 1]
) p
WHERE n.nspname = ANY($1) AND NOT ic.relispartition
ORDER BY i.indrelid, ic.relname"
        )
    };
}

pub(crate) const INDEXES: &str = indexes_query!("i.indnullsnotdistinct");
pub(crate) const INDEXES_PG14: &str = indexes_query!("false");

pub(crate) const ENUMS: &str = r"SELECT t.typname::text AS enum_name,
       array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = ANY($1)
GROUP BY t.typname
ORDER BY 1";
