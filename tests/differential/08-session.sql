# Area 8 of issue 18: session SQL. PREPARE/EXECUTE/DEALLOCATE [ALL], DISCARD ALL, RESET,
# SET LOCAL, SET/SHOW (SHOW ALL included), unknown and custom parameters, transaction
# commands, and quoted identifiers everywhere. Records of one file share a session, in order.

# SET, SHOW, RESET
SHOW TimeZone

SHOW timezone

SHOW "TimeZone"

SHOW DateStyle

SHOW datestyle

SHOW client_encoding

SHOW server_encoding

SHOW standard_conforming_strings

SHOW integer_datetimes

SHOW IntervalStyle

SHOW search_path

SHOW transaction_isolation

SHOW TRANSACTION ISOLATION LEVEL

SHOW default_transaction_isolation

SHOW transaction_read_only

SHOW application_name

SHOW extra_float_digits

SHOW bytea_output

SHOW max_identifier_length

SHOW statement_timeout

SHOW lc_collate

SHOW server_version_num

SHOW server_version

SHOW is_superuser

SHOW nope

SHOW ALL

SET TimeZone = 'Europe/Zurich'; SHOW TimeZone; SELECT '2024-07-01 12:00+00'::timestamptz; SELECT '2024-01-01 12:00'::timestamptz::text

SET TIME ZONE 'America/New_York'; SHOW TimeZone; SELECT '2024-07-01 12:00+00'::timestamptz

SET TIME ZONE LOCAL; SHOW TimeZone

SET timezone TO DEFAULT; SHOW timezone

SET TimeZone = 'Nowhere/Invalid'

SET TimeZone = '+05:30'; SELECT '2024-07-01 12:00+00'::timestamptz; RESET TimeZone

SET TimeZone = 'UTC'; SELECT '2024-07-01 12:00+00'::timestamptz

SET DateStyle = 'German'; SELECT '2024-03-01'::date, '2024-03-01 10:00'::timestamp; RESET DateStyle

SET DateStyle = 'SQL, DMY'; SELECT '2024-03-01'::date, '01/03/2024'::date; SHOW DateStyle; RESET DateStyle

SET DateStyle = 'ISO, DMY'; SELECT '01/03/2024'::date; RESET DateStyle

SET DateStyle = 'Postgres'; SELECT '2024-03-01 10:00'::timestamp; RESET DateStyle

SET DateStyle = 'nonsense'

SET IntervalStyle = 'iso_8601'; SELECT '1 day 02:03:04'::interval; RESET IntervalStyle

SET IntervalStyle = 'sql_standard'; SELECT '1 day 02:03:04'::interval, '1 year 2 months'::interval; RESET IntervalStyle

SET IntervalStyle = 'postgres_verbose'; SELECT '1 day 02:03:04'::interval; RESET IntervalStyle

SET extra_float_digits = 3; SELECT 0.1::float8, 1.5::float4; RESET extra_float_digits

SET extra_float_digits = 0; SELECT 0.1::float8, 0.1::float4, 1e16::float8; RESET extra_float_digits

SET extra_float_digits = 5

SET bytea_output = 'escape'; SELECT '\x61626301ff'::bytea; RESET bytea_output

SET application_name = 'difftest'; SHOW application_name; RESET application_name; SHOW application_name

SET application_name TO 'with space'; SELECT current_setting('application_name'); SET application_name = DEFAULT

SET search_path = public; SHOW search_path; SELECT count(*) FROM products; RESET search_path; SHOW search_path

SET search_path TO 'nope', public; SELECT count(*) FROM customers; RESET search_path

SET search_path = nope; SELECT count(*) FROM customers; RESET search_path

RESET search_path

RESET ALL

SET statement_timeout = 0

SET statement_timeout = '5s'; SHOW statement_timeout; RESET statement_timeout

SET lock_timeout = 1000; SHOW lock_timeout; RESET lock_timeout

SET client_min_messages = warning; SHOW client_min_messages; RESET client_min_messages

SET default_text_search_config = 'pg_catalog.simple'; SELECT to_tsvector('The cats'); RESET default_text_search_config

SET nope = 1

SET nope.custom = 'x'; SHOW nope.custom; SELECT current_setting('nope.custom')

SHOW nope.other

SET "nope.quoted" = 'q'; SHOW "nope.quoted"

SELECT set_config('my.var', 'v1', false), current_setting('my.var')

SELECT set_config('my.var', 'v2', true), current_setting('my.var')

SET SESSION TimeZone = 'UTC'

SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED

SET client_encoding = 'UTF8'

SET client_encoding = 'LATIN1'; SELECT 1; SET client_encoding = 'UTF8'

SET NAMES 'UTF8'

SET ROLE NONE

SET extra_float_digits TO 1; SHOW extra_float_digits

# SET LOCAL and transaction-scoped settings
BEGIN; SET LOCAL TimeZone = 'Asia/Tokyo'; SHOW TimeZone; COMMIT; SHOW TimeZone

BEGIN; SET LOCAL TimeZone = 'Asia/Tokyo'; ROLLBACK; SHOW TimeZone

BEGIN; SET TimeZone = 'Asia/Tokyo'; ROLLBACK; SHOW TimeZone; RESET TimeZone

BEGIN; SET TimeZone = 'Asia/Tokyo'; COMMIT; SHOW TimeZone; RESET TimeZone

SET LOCAL TimeZone = 'Asia/Tokyo'; SHOW TimeZone

BEGIN; SELECT set_config('my.local', 'x', true); SELECT current_setting('my.local'); COMMIT; SELECT current_setting('my.local', true)

BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ; SHOW transaction_isolation; COMMIT

BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY; SHOW transaction_read_only; COMMIT

START TRANSACTION; SELECT 1; COMMIT

BEGIN WORK; ROLLBACK WORK

BEGIN; COMMIT AND NO CHAIN

BEGIN READ ONLY; INSERT INTO scratch (id, data) VALUES ('ro', '{}'); ROLLBACK

BEGIN; SET TRANSACTION READ ONLY; SELECT count(*) FROM customers; COMMIT

BEGIN; BEGIN; COMMIT

COMMIT

END

ABORT

BEGIN; SELECT 1/0; SELECT 1; ROLLBACK

BEGIN; SAVEPOINT a; SELECT 1/0; ROLLBACK TO SAVEPOINT a; SELECT 2; COMMIT

BEGIN; SAVEPOINT a; RELEASE a; RELEASE a; ROLLBACK

# PREPARE, EXECUTE, DEALLOCATE
PREPARE q1 AS SELECT id FROM customers WHERE id = $1

EXECUTE q1('c001')

EXECUTE q1('nope')

EXECUTE q1

EXECUTE q1('a', 'b')

PREPARE q1 AS SELECT 1

PREPARE q2(int) AS SELECT $1 + 1

EXECUTE q2(41)

EXECUTE q2('41')

EXECUTE q2('x')

PREPARE q3(text, jsonb) AS INSERT INTO scratch (id, data) VALUES ($1, $2) RETURNING id, data

EXECUTE q3('prep1', '{"p": 1}')

EXECUTE q3('prep1', '{"p": 2}')

PREPARE q4 AS SELECT count(*) FROM scratch WHERE id LIKE $1

EXECUTE q4('prep%')

PREPARE q5 AS DELETE FROM scratch WHERE id = $1

EXECUTE q5('prep1')

EXECUTE q4('prep%')

PREPARE q6 (int, int) AS SELECT g FROM generate_series($1, $2) g ORDER BY g

EXECUTE q6(1, 3)

PREPARE q7 AS SELECT id, data -> 'name' FROM customers ORDER BY id LIMIT $1

EXECUTE q7(2)

PREPARE q8 AS SELECT nope

PREPARE q9 AS SELECT $1::jsonb -> 'a'

EXECUTE q9('{"a": [1]}')

SELECT name, statement, parameter_types FROM pg_prepared_statements ORDER BY name

DEALLOCATE q1

EXECUTE q1('c001')

DEALLOCATE q1

DEALLOCATE PREPARE q2

DEALLOCATE nope

DEALLOCATE ALL

EXECUTE q3('x', '{}')

SELECT count(*) FROM pg_prepared_statements

PREPARE "Quoted Name" AS SELECT 'quoted'; EXECUTE "Quoted Name"; DEALLOCATE "Quoted Name"

PREPARE q10 AS SELECT 1; DISCARD ALL; EXECUTE q10

SET TimeZone = 'Asia/Tokyo'; DISCARD ALL; SHOW TimeZone

BEGIN; DISCARD ALL; ROLLBACK

DISCARD PLANS

DISCARD TEMP

DISCARD SEQUENCES

# quoted identifiers everywhere
SELECT "id", "data" -> 'name' FROM "customers" WHERE "id" = 'c001'

SELECT c."id" FROM "customers" AS "c" WHERE c.id = 'c001'

SELECT id AS "Id", data AS "Data Column" FROM customers WHERE id = 'c001'

SELECT id AS "select", 1 AS "from" FROM customers WHERE id = 'c001'

SELECT 2 AS "" FROM customers WHERE id = 'c001'

SELECT 1 AS "a""b"

SELECT "t"."x" FROM (SELECT 1 AS "x") "t"

SELECT "X" FROM (SELECT 1 AS x) t

SELECT x FROM (SELECT 1 AS "X") t

SELECT "count"(*) FROM customers

SELECT "pg_catalog"."upper"('x'), pg_catalog.lower('Y'), "public".customers.id FROM public.customers WHERE id = 'c001'

SELECT count(*) FROM public.customers

SELECT count(*) FROM "public"."customers"

SELECT count(*) FROM alice.public.customers

SELECT count(*) FROM other.public.customers

SELECT jsonb_typeof("data" -> 'vip') FROM "customers" WHERE "id" = 'c001'

WITH "My CTE" AS (SELECT 1 AS "v") SELECT "v" FROM "My CTE"

SELECT U&"d\0061t\+000061" FROM (SELECT 1 AS data) t

SELECT id FROM customers "Customers" WHERE "Customers".id = 'c001'

BEGIN; UPDATE "customers" SET "data" = "data" || '{"q": 1}' WHERE "id" = 'c001' RETURNING "id", "data" -> 'q'; ROLLBACK

BEGIN; INSERT INTO "scratch" ("id", "data") VALUES ('quoted', '{}') RETURNING "id"; ROLLBACK

# misc statements drivers and tools send
SELECT 1

SELECT 1;

;

SELECT 1; SELECT 2

SELECT 1;; SELECT 2

-- only a comment

/* block comment */ SELECT /* inline */ 1 -- trailing

SELECT 'x' /* nested /* comment */ */

EMPTY

SELECT pg_catalog.set_config('search_path', '', false); SELECT count(*) FROM public.customers; RESET search_path

SELECT current_setting('server_version_num')::int >= 150000

SET SESSION AUTHORIZATION DEFAULT

LISTEN some_channel

UNLISTEN *

NOTIFY some_channel, 'payload'

SELECT pg_notify('some_channel', 'x')

CHECKPOINT

VACUUM customers

ANALYZE customers

EXPLAIN SELECT 1 WHERE false

# parameters in the startup packet are applied like SET (on MindooDB the key travels there too,
# as mindoo.keys, so a count of documents shows whether it was applied)
-- startup: {"application_name": "keys-in-the-startup-packet"}
SELECT count(*) FROM customers; SELECT current_setting('application_name')

-- startup: {"TimeZone": "Asia/Tokyo"}
SHOW TimeZone; SELECT '2024-07-01 12:00+00'::timestamptz

-- startup: {"DateStyle": "German"}
SELECT '2024-03-01'::date

-- startup: {"search_path": "nope, public"}
SHOW search_path; SELECT count(*) FROM customers

-- startup: {"extra_float_digits": "0"}
SELECT 0.1::float8, 1e16::float8

-- startup: {"options": "-c TimeZone=Asia/Tokyo -c extra_float_digits=0"}
SHOW TimeZone; SHOW extra_float_digits; SELECT count(*) FROM orders

-- startup: {"nope.custom": "x"}
SHOW nope.custom

-- startup: {"nope": "1"}
SELECT 1

-- startup: {"TimeZone": "Nowhere/Invalid"}
SELECT 1

-- startup: {"extra_float_digits": "99"}
SELECT 1

# Notices and warnings: PostgreSQL sends them before the reply, and so must MindooDB.
ROLLBACK

DROP TABLE IF EXISTS nope

DROP VIEW IF EXISTS nope, nope2

DROP ROLE IF EXISTS nope

DROP DATABASE IF EXISTS nope

CREATE TABLE IF NOT EXISTS products ()

CREATE TABLE dropme (); CREATE VIEW dropme_v AS SELECT count(*) AS n FROM dropme; DROP TABLE dropme CASCADE

CREATE TABLE dropme (); CREATE VIEW dropme_v AS SELECT count(*) AS n FROM dropme; CREATE VIEW dropme_w AS SELECT n FROM dropme_v; DROP TABLE dropme CASCADE

# Timeouts are integer milliseconds with units, checked and shown as PostgreSQL does.
SET statement_timeout = 'abc'

SET statement_timeout = -1

SET statement_timeout = '2147483648'

SET statement_timeout = '5S'

SET statement_timeout = 1500; SHOW statement_timeout; SET statement_timeout = '10 min'; SHOW statement_timeout; SET statement_timeout = '1.5s'; SHOW statement_timeout; SET statement_timeout = 60000; SHOW statement_timeout; RESET statement_timeout

SET statement_timeout = '1h'; SET statement_timeout TO DEFAULT; SHOW statement_timeout

SET idle_in_transaction_session_timeout = 'x'

SET lock_timeout = '2s'; SHOW lock_timeout; SELECT current_setting('lock_timeout'), set_config('lock_timeout', '60000', false); RESET lock_timeout

SET search_path TO DEFAULT; SHOW search_path
