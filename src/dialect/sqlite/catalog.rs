//! The catalog queries the introspection runs (see `introspect`): `sqlite_master` and the
//! pragma table functions, one row per table, column, index part and foreign-key column, of
//! every table or of the one given as `?1`.

pub(crate) const TABLES: &str = r"SELECT m.name AS table_name, m.sql AS create_sql FROM sqlite_master m
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND (?1 IS NULL OR m.name = ?1)
ORDER BY m.name";

pub(crate) const COLUMNS: &str = r#"SELECT m.name AS table_name, c.name AS column_name, c.type AS declared_type,
       c."notnull" AS not_null, c.dflt_value AS default_sql, c.pk AS pk_position, c.hidden AS hidden
FROM sqlite_master m JOIN pragma_table_xinfo(m.name) c
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND (?1 IS NULL OR m.name = ?1)
ORDER BY m.name, c.cid"#;

pub(crate) const INDEXES: &str = r#"SELECT m.name AS table_name, il.name AS index_name, il."unique" AS is_unique,
       il.origin AS origin, il.partial AS partial, ix.cid AS cid, ix.name AS column_name,
       s.sql AS index_sql
FROM sqlite_master m
JOIN pragma_index_list(m.name) il
JOIN pragma_index_xinfo(il.name) ix
LEFT JOIN sqlite_master s ON s.type = 'index' AND s.name = il.name
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND (?1 IS NULL OR m.name = ?1)
  AND ix.key = 1
ORDER BY m.name, il.name, ix.seqno"#;

pub(crate) const FOREIGN_KEYS: &str = r#"SELECT m.name AS table_name, f.id AS fk_id, f."table" AS ref_table,
       f."from" AS column_name, f."to" AS ref_column, f.on_update AS on_update, f.on_delete AS on_delete
FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND (?1 IS NULL OR m.name = ?1)
ORDER BY m.name, f.id, f.seq"#;
