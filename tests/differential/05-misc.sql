# Area 5 of issue 18: uuid and gen_random_uuid, booleans, NULL handling, CASE and casts,
# bytea, and the system functions tools call (pg_database_size, pg_table_size,
# pg_get_serial_sequence, ...). Values that are random or size-dependent are compared
# through properties both systems must share.

# uuid
SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid

SELECT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid

SELECT '{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}'::uuid

SELECT 'a0eebc999c0b4ef8bb6d6bb9bd380a11'::uuid

SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1'::uuid

SELECT 'not-a-uuid'::uuid

SELECT ''::uuid

SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid

SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid < 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid

SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid::text, pg_typeof('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid)

SELECT to_jsonb('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid)

SELECT ('{"u": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}'::jsonb ->> 'u')::uuid

SELECT gen_random_uuid() IS NOT NULL, pg_typeof(gen_random_uuid()), length(gen_random_uuid()::text)

SELECT gen_random_uuid() <> gen_random_uuid()

SELECT substr(gen_random_uuid()::text, 15, 1), substr(gen_random_uuid()::text, 9, 1)

SELECT count(DISTINCT gen_random_uuid()) FROM generate_series(1, 100)

SELECT ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid]

SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'

SELECT md5('x')::uuid

BEGIN; INSERT INTO scratch (id, data) SELECT gen_random_uuid()::text, '{}' FROM generate_series(1, 10); SELECT count(*), count(DISTINCT id), min(length(id)) FROM scratch; ROLLBACK

# booleans
SELECT true, false, NULL::bool, 't'::bool, 'yes'::bool, 'on'::bool, '1'::bool, 'f'::bool, 'no'::bool, 'off'::bool, '0'::bool

SELECT 'maybe'::bool

SELECT ' TRUE '::bool, 'TrUe'::bool

SELECT true AND NULL, false AND NULL, true OR NULL, false OR NULL, NOT NULL::bool

SELECT NULL IS NULL, NULL IS NOT NULL, NULL::bool IS TRUE, NULL::bool IS NOT FALSE, NULL::bool IS UNKNOWN

SELECT 1 IS DISTINCT FROM NULL, NULL IS NOT DISTINCT FROM NULL, 1 IS DISTINCT FROM 1

SELECT true::int, false::int, 1::bool, 0::bool, 5::bool

SELECT true::text, false::text, true::varchar

SELECT bool_and(x), bool_or(x), every(x) FROM (VALUES (true), (false), (NULL)) t(x)

SELECT true > false, true < false

# NULL handling, CASE, coalesce, nullif
SELECT NULL = NULL, NULL <> 1, NULL + 1, NULL || 'x', 1 IN (NULL, 1), 2 IN (NULL, 1), 2 NOT IN (NULL, 1)

SELECT coalesce(NULL, NULL, 'c'), coalesce('a', NULL), nullif(1, 1), nullif(1, 2), nullif('', '')

SELECT CASE WHEN NULL THEN 'x' ELSE 'y' END, CASE NULL WHEN NULL THEN 'x' ELSE 'y' END, CASE 1 WHEN 1 THEN 'one' END, CASE 2 WHEN 1 THEN 'one' END

SELECT CASE WHEN true THEN 1 ELSE 'x' END

SELECT CASE WHEN true THEN 1 ELSE 2.5 END

SELECT CASE WHEN false THEN 1/0 ELSE 0 END

SELECT coalesce(1, 'x')

SELECT pg_typeof(coalesce(1, 2.5)), pg_typeof(coalesce(NULL, 'x')), pg_typeof(NULL)

SELECT NULL::text, NULL::int, NULL::jsonb, NULL::date, NULL::int[]

SELECT NULL

SELECT num_nulls(1, NULL, 2, NULL), num_nonnulls(1, NULL, 2)

# casts
SELECT '42'::int, 42::text, 42::numeric(5, 2), '3.7'::float8::int, 3.7::int8, '2024-03-01'::date::text

SELECT CAST('42' AS int), CAST(42 AS text), CAST(NULL AS int), int '42', '42'::int4::int2

SELECT 42::varchar(1), 'abcdef'::varchar(3), 'abcdef'::char(3)

SELECT CAST('x' AS int)

SELECT 1::regclass

SELECT 'customers'::regclass::text

SELECT 'nope'::regclass

SELECT 'int4'::regtype, 'text'::regtype::oid, 'jsonb'::regtype::oid, 'timestamptz'::regtype

SELECT 'upper'::regproc

SELECT 'pg_catalog.now'::regproc, 'jsonb_typeof'::regproc

# bytea
SELECT '\x0102ff'::bytea, 'abc'::bytea, '\000'::bytea, ''::bytea

SELECT '\xzz'::bytea

SELECT length('\x0102ff'::bytea), octet_length('abc'::bytea), get_byte('\x0102ff'::bytea, 2), set_byte('\x0102'::bytea, 0, 255)

SELECT '\x01'::bytea || '\x02'::bytea, substring('\x010203'::bytea FROM 2 FOR 1), position('\x02'::bytea IN '\x010203'::bytea)

SELECT encode('\x0102'::bytea, 'base64'), convert_to('abc', 'UTF8'), 'abc'::bytea = 'abc'

# system information functions
SELECT current_user, session_user, current_role, user

SELECT current_database(), current_catalog, current_schema, current_schema()

SELECT current_schemas(false), current_schemas(true)

SELECT current_setting('TimeZone'), current_setting('DateStyle'), current_setting('server_encoding'), current_setting('client_encoding')

SELECT current_setting('nope.nope')

SELECT current_setting('nope.nope', true)

SELECT current_setting('integer_datetimes'), current_setting('standard_conforming_strings'), current_setting('max_identifier_length')

SELECT set_config('application_name', 'difftest', false), current_setting('application_name')

SELECT pg_backend_pid() > 0, inet_client_addr() IS NULL OR true, pg_postmaster_start_time() < now() + interval '1 minute'

SELECT version() LIKE 'PostgreSQL %'

SELECT pg_database_size(current_database()) > 0

SELECT pg_database_size('alice') > 0

SELECT pg_database_size('nope')

SELECT pg_size_pretty(pg_database_size(current_database())) IS NOT NULL

SELECT pg_table_size('products') > 0, pg_total_relation_size('products') > 0, pg_relation_size('products') >= 0, pg_indexes_size('products') >= 0

SELECT pg_table_size('nope')

SELECT pg_size_pretty(1024::bigint), pg_size_pretty(123456789::bigint), pg_size_pretty(0::bigint), pg_size_pretty(1.5e12::numeric)

SELECT pg_size_bytes('1 kB'), pg_size_bytes('1.5 GB'), pg_size_bytes('10 bytes')

SELECT pg_get_serial_sequence('products', 'id')

SELECT pg_get_serial_sequence('products', 'nope')

SELECT pg_get_serial_sequence('nope', 'id')

SELECT has_table_privilege('products', 'SELECT'), has_database_privilege(current_database(), 'CONNECT'), has_schema_privilege('public', 'USAGE')

SELECT pg_table_is_visible('products'::regclass), to_regclass('products') IS NOT NULL, to_regclass('nope'), to_regtype('int4'), to_regproc('upper')

SELECT obj_description('products'::regclass, 'pg_class'), col_description('products'::regclass, 1)

SELECT format_type('int4'::regtype, NULL), format_type('numeric'::regtype, 655366), format_type(1043, 24), format_type(3802, -1)

SELECT pg_typeof(1), pg_typeof(1::int8), pg_typeof(1.5), pg_typeof(1.5::float8), pg_typeof('{}'::jsonb), pg_typeof(now()), pg_typeof(ARRAY[1])

SELECT pg_column_size(1), pg_column_size('abc'::text), pg_column_size(1::int8)

SELECT txid_current() > 0, pg_current_xact_id()::text::int8 > 0

SELECT pg_sleep(0)

SELECT random() >= 0 AND random() < 1, setseed(0.5) IS NULL
