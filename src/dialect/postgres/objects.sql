-- Every object of schema $1 other than tables, columns, their constraints and indexes and enum
-- types, one row each: kind, name, the table it belongs to, the statement that creates it,
-- its comment. Run with search_path set to the schema alone, so that the names of the schema
-- come back unqualified (pg_catalog's own names still win, and the deparser knows it).
-- Objects of extensions (pg_depend 'e') and those made by the system for another ('i': the
-- constructors of a range type) are left out.
WITH own AS (
  SELECT oid FROM pg_namespace WHERE nspname = $1
), member AS (
  SELECT classid, objid FROM pg_depend WHERE deptype IN ('e', 'i')
)
-- views and materialized views
SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized_view' END AS kind,
       c.relname::text AS name, NULL::text AS table_name,
       format('CREATE %s %I%s AS%s%s',
              CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END, c.relname,
              CASE WHEN c.reloptions IS NULL THEN ''
                   ELSE ' WITH (' || (SELECT string_agg(split_part(o, '=', 1) || '='
                                             || quote_literal(substr(o, strpos(o, '=') + 1)), ', '
                                             ORDER BY ord)
                                      FROM unnest(c.reloptions) WITH ORDINALITY u(o, ord)) || ')' END,
              E'\n' || rtrim(pg_get_viewdef(c.oid, true), ';'),
              CASE WHEN c.relkind = 'm' AND NOT c.relispopulated THEN E'\nWITH NO DATA' ELSE '' END)
         AS definition,
       d.description AS comment
FROM pg_class c
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relnamespace = (SELECT oid FROM own) AND c.relkind IN ('v', 'm')
  AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
UNION ALL
-- indexes of materialized views
SELECT 'index', ic.relname::text, c.relname::text, pg_get_indexdef(i.indexrelid, 0, true),
       d.description
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class c ON c.oid = i.indrelid AND c.relkind = 'm'
LEFT JOIN pg_description d ON d.objoid = ic.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relnamespace = (SELECT oid FROM own)
UNION ALL
-- triggers (not those of constraints, nor the clones of a partitioned table's trigger)
SELECT 'trigger', t.tgname::text, c.relname::text,
       pg_get_triggerdef(t.oid, true)
         || CASE t.tgenabled WHEN 'O' THEN ''
            ELSE format(E';\nALTER TABLE %I %s TRIGGER %I', c.relname,
                        CASE t.tgenabled WHEN 'D' THEN 'DISABLE' WHEN 'R' THEN 'ENABLE REPLICA'
                             ELSE 'ENABLE ALWAYS' END, t.tgname) END,
       d.description
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_trigger'::regclass AND d.objsubid = 0
WHERE c.relnamespace = (SELECT oid FROM own) AND NOT t.tgisinternal AND t.tgparentid = 0
UNION ALL
-- functions and procedures (pg_get_functiondef qualifies the name: the caller unqualifies it)
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
       p.proname::text || '(' || pg_get_function_identity_arguments(p.oid) || ')', NULL,
       rtrim(pg_get_functiondef(p.oid), E'\n'),
       d.description
FROM pg_proc p
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
WHERE p.pronamespace = (SELECT oid FROM own) AND p.prokind IN ('f', 'p', 'w')
  AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_proc'::regclass AND m.objid = p.oid)
UNION ALL
-- aggregates
SELECT 'aggregate',
       p.proname::text || '(' || CASE WHEN p.pronargs = 0 THEN '*'
                                      ELSE pg_get_function_identity_arguments(p.oid) END || ')',
       NULL,
       format('CREATE AGGREGATE %I(%s) (%s)', p.proname,
         CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_get_function_arguments(p.oid) END,
         concat_ws(', ',
           'SFUNC = ' || a.aggtransfn::regproc::text,
           'STYPE = ' || format_type(a.aggtranstype, NULL),
           'SSPACE = ' || nullif(a.aggtransspace, 0),
           'FINALFUNC = ' || nullif(a.aggfinalfn, 0)::regproc::text,
           CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
           'FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY'
                                      WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END,
           'COMBINEFUNC = ' || nullif(a.aggcombinefn, 0)::regproc::text,
           'SERIALFUNC = ' || nullif(a.aggserialfn, 0)::regproc::text,
           'DESERIALFUNC = ' || nullif(a.aggdeserialfn, 0)::regproc::text,
           'INITCOND = ' || quote_literal(a.agginitval),
           'MSFUNC = ' || nullif(a.aggmtransfn, 0)::regproc::text,
           'MINVFUNC = ' || nullif(a.aggminvtransfn, 0)::regproc::text,
           'MSTYPE = ' || format_type(nullif(a.aggmtranstype, 0), NULL),
           'MSSPACE = ' || nullif(a.aggmtransspace, 0),
           'MFINALFUNC = ' || nullif(a.aggmfinalfn, 0)::regproc::text,
           CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
           CASE WHEN a.aggmtransfn <> 0 THEN
             'MFINALFUNC_MODIFY = ' || CASE a.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY'
                                         WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
           'MINITCOND = ' || quote_literal(a.aggminitval),
           (SELECT format('SORTOP = OPERATOR(%I.%s)', opn.nspname, o.oprname)
              FROM pg_operator o JOIN pg_namespace opn ON opn.oid = o.oprnamespace
             WHERE o.oid = a.aggsortop),
           CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END,
           'PARALLEL = ' || CASE p.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED'
                                ELSE 'UNSAFE' END)),
       d.description
FROM pg_proc p
JOIN pg_aggregate a ON a.aggfnoid = p.oid
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
WHERE p.pronamespace = (SELECT oid FROM own) AND p.prokind = 'a'
  AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_proc'::regclass AND m.objid = p.oid)
UNION ALL
-- extensions: placed in the schema unless they live elsewhere; the version is the server's
SELECT 'extension', e.extname::text, NULL,
       format('CREATE EXTENSION IF NOT EXISTS %I', e.extname)
         || CASE WHEN e.extnamespace = (SELECT oid FROM own) THEN ''
                 ELSE format(' WITH SCHEMA %I', n.nspname) END,
       CASE WHEN d.description IS DISTINCT FROM ae.comment THEN d.description END
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
LEFT JOIN pg_available_extensions ae ON ae.name = e.extname
LEFT JOIN pg_description d ON d.objoid = e.oid AND d.classoid = 'pg_extension'::regclass AND d.objsubid = 0
WHERE e.extname <> 'plpgsql'
UNION ALL
-- collations (the locale column of an ICU collation has had three names: read it by name)
SELECT 'collation', c.collname::text, NULL,
       format('CREATE COLLATION %I (provider = %s, %s%s)', c.collname,
              CASE c.collprovider WHEN 'i' THEN 'icu' ELSE 'libc' END,
              CASE WHEN c.collprovider = 'i'
                   THEN format('locale = %L', coalesce(to_jsonb(c) ->> 'colllocale',
                                                       to_jsonb(c) ->> 'colliculocale', c.collcollate))
                   WHEN c.collcollate = c.collctype THEN format('locale = %L', c.collcollate)
                   ELSE format('lc_collate = %L, lc_ctype = %L', c.collcollate, c.collctype)
              END,
              CASE WHEN c.collisdeterministic THEN '' ELSE ', deterministic = false' END),
       d.description
FROM pg_collation c
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_collation'::regclass
WHERE c.collnamespace = (SELECT oid FROM own)
  AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_collation'::regclass AND m.objid = c.oid)
UNION ALL
-- domains (NOT VALID checks cannot be written in CREATE DOMAIN: added after it)
SELECT 'domain', t.typname::text, NULL,
       concat(format('CREATE DOMAIN %I AS %s', t.typname, format_type(t.typbasetype, t.typtypmod)),
              CASE WHEN t.typcollation <> bt.typcollation
                   THEN format(' COLLATE %I.%I', cn.nspname, co.collname) END,
              ' DEFAULT ' || pg_get_expr(t.typdefaultbin, 0, true),
              CASE WHEN t.typnotnull THEN ' NOT NULL' END,
              (SELECT string_agg(format(' CONSTRAINT %I %s', con.conname,
                                        pg_get_constraintdef(con.oid, true)), '' ORDER BY con.conname)
                 FROM pg_constraint con WHERE con.contypid = t.oid AND con.convalidated),
              (SELECT string_agg(format(E';\nALTER DOMAIN %I ADD CONSTRAINT %I %s', t.typname,
                                        con.conname, pg_get_constraintdef(con.oid, true)), ''
                                 ORDER BY con.conname)
                 FROM pg_constraint con WHERE con.contypid = t.oid AND NOT con.convalidated)),
       d.description
FROM pg_type t
JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
WHERE t.typnamespace = (SELECT oid FROM own) AND t.typtype = 'd'
  AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_type'::regclass AND m.objid = t.oid)
UNION ALL
-- enum types (columns use them or not: an enum type is compared by its labels, this row
-- carries its comment)
SELECT 'type', t.typname::text, NULL,
       format('CREATE TYPE %I AS ENUM (%s)', t.typname,
              (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                 FROM pg_enum e WHERE e.enumtypid = t.oid)),
       d.description
FROM pg_type t
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
WHERE t.typnamespace = (SELECT oid FROM own) AND t.typtype = 'e'
  AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_type'::regclass AND m.objid = t.oid)
UNION ALL
-- composite and range types
SELECT 'type', t.typname::text, NULL,
       CASE t.typtype
         WHEN 'c' THEN format('CREATE TYPE %I AS (%s)', t.typname,
           (SELECT coalesce(string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod))
                   || CASE WHEN a.attcollation <> at.typcollation
                           THEN format(' COLLATE %I.%I', cn.nspname, co.collname) ELSE '' END,
                   ', ' ORDER BY a.attnum), '')
              FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
              LEFT JOIN pg_collation co ON co.oid = a.attcollation
              LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
             WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped))
         ELSE format('CREATE TYPE %I AS RANGE (%s)', t.typname, concat_ws(', ',
           'SUBTYPE = ' || format_type(r.rngsubtype, NULL),
           (SELECT format('SUBTYPE_OPCLASS = %I.%I', ocn.nspname, oc.opcname) FROM pg_opclass oc
              JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
             WHERE oc.oid = r.rngsubopc AND NOT oc.opcdefault),
           (SELECT format('COLLATION = %I.%I', cn.nspname, co.collname) FROM pg_collation co
              JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = r.rngcollation),
           'CANONICAL = ' || nullif(r.rngcanonical, 0)::regproc::text,
           'SUBTYPE_DIFF = ' || nullif(r.rngsubdiff, 0)::regproc::text,
           (SELECT format('MULTIRANGE_TYPE_NAME = %I', m.typname) FROM pg_type m
             WHERE m.oid = r.rngmultitypid)))
       END,
       d.description
FROM pg_type t
LEFT JOIN pg_class c ON c.oid = t.typrelid
LEFT JOIN pg_range r ON r.rngtypid = t.oid
LEFT JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
WHERE t.typnamespace = (SELECT oid FROM own)
  AND ((t.typtype = 'c' AND c.relkind = 'c') OR t.typtype = 'r')
  AND NOT EXISTS (SELECT 1 FROM member m WHERE m.classid = 'pg_type'::regclass AND m.objid = t.oid)
UNION ALL
-- sequences no column numbers itself with (identity, or serial: an owning column whose default
-- uses the sequence)
SELECT 'sequence', c.relname::text, NULL,
       format('CREATE %sSEQUENCE %I AS %s INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s %sCYCLE',
              CASE WHEN c.relpersistence = 'u' THEN 'UNLOGGED ' ELSE '' END, c.relname,
              format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart,
              s.seqcache, CASE WHEN s.seqcycle THEN '' ELSE 'NO ' END),
       d.description
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
LEFT JOIN pg_depend own_dep ON own_dep.classid = 'pg_class'::regclass AND own_dep.objid = c.oid
                           AND own_dep.refclassid = 'pg_class'::regclass
                           AND own_dep.refobjsubid > 0 AND own_dep.deptype = 'a'
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relnamespace = (SELECT oid FROM own)
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid
                  AND e.deptype IN ('i', 'e'))
  AND NOT EXISTS (SELECT 1 FROM pg_attrdef ad
                  JOIN pg_depend dd ON dd.classid = 'pg_attrdef'::regclass AND dd.objid = ad.oid
                                   AND dd.refclassid = 'pg_class'::regclass AND dd.refobjid = c.oid
                  WHERE ad.adrelid = own_dep.refobjid AND ad.adnum = own_dep.refobjsubid)
UNION ALL
-- row-level security switched on (and forced)
SELECT 'row_security', c.relname::text, c.relname::text,
       format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', c.relname)
         || CASE WHEN c.relforcerowsecurity
                 THEN format(E';\nALTER TABLE %I FORCE ROW LEVEL SECURITY', c.relname) ELSE '' END,
       NULL
FROM pg_class c
WHERE c.relnamespace = (SELECT oid FROM own) AND c.relkind IN ('r', 'p')
  AND (c.relrowsecurity OR c.relforcerowsecurity)
UNION ALL
-- policies
SELECT 'policy', p.polname::text, c.relname::text,
       concat(format('CREATE POLICY %I ON %I', p.polname, c.relname),
              CASE WHEN NOT p.polpermissive THEN ' AS RESTRICTIVE' END,
              ' FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT'
                             WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
              ' TO ' || (SELECT string_agg(CASE WHEN r = 0 THEN 'PUBLIC'
                                                ELSE quote_ident(pg_get_userbyid(r)) END, ', '
                                           ORDER BY CASE WHEN r = 0 THEN '' ELSE pg_get_userbyid(r) END)
                         FROM unnest(p.polroles) r),
              ' USING (' || pg_get_expr(p.polqual, p.polrelid, true) || ')',
              ' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid, true) || ')'),
       d.description
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass AND d.objsubid = 0
WHERE c.relnamespace = (SELECT oid FROM own)
UNION ALL
-- rules (not the _RETURN rule of a view)
SELECT 'rule', r.rulename::text, c.relname::text, rtrim(pg_get_ruledef(r.oid, true), ';'),
       d.description
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
LEFT JOIN pg_description d ON d.objoid = r.oid AND d.classoid = 'pg_rewrite'::regclass AND d.objsubid = 0
WHERE c.relnamespace = (SELECT oid FROM own) AND r.rulename <> '_RETURN'
UNION ALL
-- privileges on tables, views and sequences, one object per role (the owner's own are the
-- owner's; PUBLIC is a role here)
SELECT 'grant', g.grantee_name, g.relname,
       string_agg(format('GRANT %s ON %s %I TO %s%s', g.privileges, g.what, g.relname,
                         CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(g.grantee_name) END,
                         CASE WHEN g.grantable THEN ' WITH GRANT OPTION' ELSE '' END), E';\n'
                  ORDER BY g.grantable, g.privileges),
       NULL
FROM (
  SELECT c.relname::text AS relname, x.grantee, x.is_grantable AS grantable,
         CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee)::text END AS grantee_name,
         CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS what,
         string_agg(x.privilege_type, ', ' ORDER BY x.privilege_type) AS privileges
  FROM pg_class c, aclexplode(c.relacl) x
  WHERE c.relnamespace = (SELECT oid FROM own) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    AND x.grantee <> c.relowner
  GROUP BY c.relname, c.relkind, x.grantee, x.is_grantable
  UNION ALL
  -- privileges on columns: `SELECT (a, b)`, one per privilege
  SELECT c.relname::text, x.grantee, x.is_grantable,
         CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee)::text END,
         'TABLE',
         format('%s (%s)', x.privilege_type, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum))
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  CROSS JOIN LATERAL aclexplode(a.attacl) x
  WHERE c.relnamespace = (SELECT oid FROM own) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    AND x.grantee <> c.relowner
  GROUP BY c.relname, x.grantee, x.is_grantable, x.privilege_type
) g
GROUP BY g.relname, g.grantee, g.grantee_name
ORDER BY 1, 3, 2
