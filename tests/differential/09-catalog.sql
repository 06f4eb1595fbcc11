# Area 9 of issue 18: catalog and tool queries where a differential comparison is sensible:
# what information_schema and pg_catalog say about the document tables (not OIDs, sizes or the
# server's own system objects, which necessarily differ), and the shapes of the queries psql,
# pg_dump and ORMs send.

# information_schema
SELECT table_catalog, table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name

SELECT table_name, column_name, ordinal_position, data_type, is_nullable, udt_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'products' ORDER BY ordinal_position

SELECT column_name, data_type, character_maximum_length, numeric_precision, datetime_precision FROM information_schema.columns WHERE table_name = 'customers' ORDER BY ordinal_position

SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'

SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ('public', 'pg_catalog', 'information_schema') ORDER BY 1

SELECT constraint_name, constraint_type FROM information_schema.table_constraints WHERE table_name = 'products' AND constraint_type = 'PRIMARY KEY'

SELECT kcu.column_name FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name WHERE tc.table_name = 'products' AND tc.constraint_type = 'PRIMARY KEY'

SELECT table_name FROM information_schema.views WHERE table_schema = 'public'

SELECT routine_name FROM information_schema.routines WHERE routine_name = 'jsonb_typeof'

SELECT character_set_name FROM information_schema.character_sets

# pg_catalog: the document tables
SELECT relname, relkind, relnatts FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY relname

SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1

SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'i' ORDER BY 1

SELECT attname, atttypid::regtype, attnum, attnotnull FROM pg_attribute WHERE attrelid = 'products'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum

SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = 'public.orders'::regclass AND a.attnum > 0 ORDER BY a.attnum

SELECT attname FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attnum < 0 ORDER BY attnum

SELECT nspname FROM pg_namespace WHERE nspname IN ('public', 'pg_catalog', 'information_schema') ORDER BY 1

SELECT typname, typtype, typcategory, typlen FROM pg_type WHERE typname IN ('int4', 'text', 'jsonb', 'json', 'uuid', 'numeric', 'timestamptz', 'bool', 'bytea', 'date', '_text', '_jsonb', 'jsonpath', 'tsvector') ORDER BY typname

SELECT oid, typname FROM pg_type WHERE oid IN (16, 20, 21, 23, 25, 114, 700, 701, 1043, 1082, 1114, 1184, 1186, 1700, 2950, 3802) ORDER BY oid

SELECT typname, typelem::regtype, typarray::regtype FROM pg_type WHERE typname IN ('int4', 'jsonb', 'text') ORDER BY typname

SELECT datname, encoding, datcollate, datctype FROM pg_database WHERE datname = current_database()

SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()

SELECT rolname, rolsuper, rolcanlogin FROM pg_roles WHERE rolname = current_user

SELECT usename FROM pg_user WHERE usename = current_user

SELECT i.indexname, i.tablename FROM pg_indexes i WHERE i.schemaname = 'public' ORDER BY 1

SELECT indisprimary, indisunique FROM pg_index WHERE indrelid = 'products'::regclass

SELECT conname, contype FROM pg_constraint WHERE conrelid = 'products'::regclass ORDER BY 1

SELECT count(*) FROM pg_views WHERE schemaname = 'public'

SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1

SELECT name, setting FROM pg_settings WHERE name IN ('TimeZone', 'DateStyle', 'server_encoding', 'client_encoding', 'standard_conforming_strings', 'integer_datetimes') ORDER BY name

SELECT extname FROM pg_extension ORDER BY 1

SELECT lanname FROM pg_language WHERE lanname IN ('sql', 'plpgsql', 'internal', 'c') ORDER BY 1

SELECT proname, pronargs FROM pg_proc WHERE proname IN ('jsonb_typeof', 'jsonb_build_object', 'to_tsvector') ORDER BY 1, 2

SELECT count(*) > 0 FROM pg_proc WHERE proname = 'jsonb_path_query'

SELECT oprname, oprleft::regtype, oprright::regtype, oprresult::regtype FROM pg_operator WHERE oprleft = 'jsonb'::regtype AND oprname IN ('->', '->>', '@>', '?', '||', '-', '#-') ORDER BY 1, 2, 3

SELECT collname FROM pg_collation WHERE collname IN ('default', 'C', 'POSIX') ORDER BY 1

SELECT amname FROM pg_am WHERE amname IN ('btree', 'hash', 'gin') ORDER BY 1

SELECT spcname FROM pg_tablespace ORDER BY 1

SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid = pg_backend_pid()

SELECT description FROM pg_description WHERE objoid = 'products'::regclass

SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'products'::regclass

SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'products'::regclass

SELECT pg_get_userbyid(relowner) = current_user FROM pg_class WHERE relname = 'products'

SELECT relname, reltuples >= -1 FROM pg_class WHERE relname = 'orders'

SELECT has_table_privilege(current_user, 'orders', 'INSERT'), has_table_privilege('orders', 'UPDATE, DELETE')

SELECT relname FROM pg_class WHERE oid = 'customers'::regclass

SELECT 'customers'::regclass::oid = (SELECT oid FROM pg_class WHERE relname = 'customers')

SELECT pg_relation_filepath('customers') IS NOT NULL

# the shapes psql (\dt, \d t, \dn, \l, \du), pg_dump and ORMs send
SELECT n.nspname as "Schema", c.relname as "Name", CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type", pg_catalog.pg_get_userbyid(c.relowner) as "Owner" FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam WHERE c.relkind IN ('r','p','') AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND n.nspname <> 'information_schema' AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1,2

SELECT c.relname, n.nspname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname OPERATOR(pg_catalog.~) '^(products)$' COLLATE pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 1

SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef), a.attnotnull, (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation, a.attidentity, a.attgenerated FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'products'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum

SELECT n.nspname AS "Name", pg_catalog.pg_get_userbyid(n.nspowner) AS "Owner" FROM pg_catalog.pg_namespace n WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' ORDER BY 1

SELECT d.datname as "Name", pg_catalog.pg_encoding_to_char(d.encoding) as "Encoding" FROM pg_catalog.pg_database d WHERE d.datname = current_database() ORDER BY 1

SELECT r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, r.rolconnlimit FROM pg_catalog.pg_roles r WHERE r.rolname = current_user ORDER BY 1

SELECT pg_catalog.pg_get_viewdef('customers'::regclass, true)

SELECT t.typname, t.oid FROM pg_catalog.pg_type t WHERE t.typname = 'jsonb'

SELECT typinput = 'array_in'::regproc, typname, typelem FROM pg_catalog.pg_type WHERE oid = 3807

SELECT current_schemas(true) @> ARRAY['pg_catalog']::name[]

SELECT c.relname AS table_name, a.attname AS column_name FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid JOIN pg_index i ON i.indrelid = c.oid AND a.attnum = ANY(i.indkey) WHERE c.relname = 'products' AND i.indisprimary

SELECT pg_catalog.pg_is_in_recovery()

SELECT t.oid, typarray FROM pg_type t JOIN pg_namespace ns ON typnamespace = ns.oid WHERE typname = 'jsonb' AND nspname = 'pg_catalog'

SELECT current_setting('server_version_num')::int / 10000 AS major
