//! The catalog queries the introspection runs (see `introspect`): `information_schema` of the
//! connection's database, one row per table, partition, column, index part, foreign-key column
//! and check.

pub(crate) const TABLES: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS table_name,
       CAST(TABLE_COLLATION AS CHAR) AS table_collation, CAST(TABLE_COMMENT AS CHAR) AS comment,
       CAST(ENGINE AS CHAR) AS engine, CAST(CREATE_OPTIONS AS CHAR) AS create_options
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'";

/// Partitions of partitioned tables, in order (subpartitions are not read).
pub(crate) const PARTITIONS: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS table_name,
       CAST(PARTITION_NAME AS CHAR) AS partition_name,
       CAST(PARTITION_METHOD AS CHAR) AS method,
       CAST(PARTITION_EXPRESSION AS CHAR) AS expression,
       CAST(PARTITION_DESCRIPTION AS CHAR) AS description
FROM information_schema.PARTITIONS
WHERE TABLE_SCHEMA = DATABASE() AND PARTITION_NAME IS NOT NULL
  AND (SUBPARTITION_ORDINAL_POSITION IS NULL OR SUBPARTITION_ORDINAL_POSITION = 1)
ORDER BY TABLE_NAME, PARTITION_ORDINAL_POSITION";

/// Each character set's default collation: a table's collation is an option only when it is
/// not its character set's default.
pub(crate) const CHARSETS: &str = "SELECT CAST(CHARACTER_SET_NAME AS CHAR) AS charset,
       CAST(DEFAULT_COLLATE_NAME AS CHAR) AS collation
FROM information_schema.CHARACTER_SETS";

pub(crate) const COLUMNS: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS table_name,
       CAST(COLUMN_NAME AS CHAR) AS column_name, CAST(COLUMN_TYPE AS CHAR) AS column_type,
       CAST(IS_NULLABLE AS CHAR) AS is_nullable, CAST(COLUMN_DEFAULT AS CHAR) AS column_default,
       CAST(EXTRA AS CHAR) AS extra, CAST(GENERATION_EXPRESSION AS CHAR) AS generation_expr,
       CAST(COLLATION_NAME AS CHAR) AS collation, CAST(COLUMN_COMMENT AS CHAR) AS comment
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, ORDINAL_POSITION";

pub(crate) const INDEXES: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS table_name,
       CAST(INDEX_NAME AS CHAR) AS index_name, CAST(NON_UNIQUE AS SIGNED) AS non_unique,
       CAST(COLUMN_NAME AS CHAR) AS column_name, CAST(SUB_PART AS SIGNED) AS sub_part,
       CAST(INDEX_TYPE AS CHAR) AS index_type, CAST(COLLATION AS CHAR) AS part_order,
       CAST(INDEX_COMMENT AS CHAR) AS index_comment
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

pub(crate) const FOREIGN_KEYS: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS table_name,
       CAST(CONSTRAINT_NAME AS CHAR) AS constraint_name, CAST(COLUMN_NAME AS CHAR) AS column_name,
       CAST(REFERENCED_TABLE_NAME AS CHAR) AS ref_table,
       CAST(REFERENCED_COLUMN_NAME AS CHAR) AS ref_column
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION";

pub(crate) const RULES: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS table_name,
       CAST(CONSTRAINT_NAME AS CHAR) AS constraint_name, CAST(UPDATE_RULE AS CHAR) AS on_update,
       CAST(DELETE_RULE AS CHAR) AS on_delete
FROM information_schema.REFERENTIAL_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = DATABASE()";

pub(crate) const CHECKS_MARIADB: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS table_name,
       CAST(CONSTRAINT_NAME AS CHAR) AS constraint_name, CAST(CHECK_CLAUSE AS CHAR) AS check_clause,
       CAST(LEVEL AS CHAR) AS level
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = DATABASE()";

// MySQL 8's CHECK_CONSTRAINTS has no TABLE_NAME; its information_schema views read the data
// dictionary, so this join costs nothing like MariaDB's (and check names are unique per schema
// there).
pub(crate) const CHECKS_MYSQL: &str = "SELECT CAST(tc.TABLE_NAME AS CHAR) AS table_name,
       CAST(cc.CONSTRAINT_NAME AS CHAR) AS constraint_name,
       CAST(cc.CHECK_CLAUSE AS CHAR) AS check_clause, 'Table' AS level
FROM information_schema.CHECK_CONSTRAINTS cc
JOIN information_schema.TABLE_CONSTRAINTS tc
  ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME
 AND tc.CONSTRAINT_TYPE = 'CHECK'
WHERE cc.CONSTRAINT_SCHEMA = DATABASE()";
