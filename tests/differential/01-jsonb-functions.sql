# Area 1 of issue 18: the jsonb functions of PostgreSQL 15's chapter 9.16 (construction,
# processing, modification), with NULL, empty and edge inputs and their errors.

# to_jsonb and to_json
SELECT to_jsonb(1)

SELECT to_jsonb(1.50)

SELECT to_jsonb(1.50::numeric(10,3))

SELECT to_jsonb(-0.0)

SELECT to_jsonb(1e20::numeric)

SELECT to_jsonb(1.5::float8)

SELECT to_jsonb(0.1::float4)

SELECT to_jsonb(1e100::float8)

SELECT to_jsonb('NaN'::float8)

SELECT to_jsonb('Infinity'::float8)

SELECT to_jsonb('NaN'::numeric)

SELECT to_jsonb(true)

SELECT to_jsonb('text'::text)

SELECT to_jsonb('quote " and \ backslash'::text)

SELECT to_jsonb(E'tab\there'::text)

SELECT to_jsonb(E'\u0001'::text)

SELECT to_jsonb('ünïcödé 東京 🍕'::text)

SELECT to_jsonb(''::text)

SELECT to_jsonb(NULL::text)

SELECT to_jsonb(NULL::int)

SELECT to_jsonb(ARRAY[1, 2, 3])

SELECT to_jsonb(ARRAY['a', NULL, 'c'])

SELECT to_jsonb(ARRAY[[1, 2], [3, 4]])

SELECT to_jsonb('{}'::int[])

SELECT to_jsonb('2024-03-01'::date)

SELECT to_jsonb('2024-03-01 12:34:56.789'::timestamp)

SELECT to_jsonb('2024-03-01 12:34:56+02'::timestamptz)

SELECT to_jsonb('1 day 2 hours'::interval)

SELECT to_jsonb('12:30'::time)

SELECT to_jsonb('\x0102'::bytea)

SELECT to_jsonb('{"a": 1}'::jsonb)

SELECT to_jsonb('{"a": 1}'::json)

SELECT to_jsonb(ROW(1, 'x'))

SELECT to_jsonb(r) FROM (SELECT 1 AS a, 'two' AS b, NULL::int AS c) r

SELECT to_jsonb(r) FROM (SELECT 1 AS "UPPER", 2 AS "with space") r

SELECT to_jsonb(p) FROM (SELECT id, data -> 'name' AS name FROM products ORDER BY id LIMIT 3) p

SELECT to_jsonb('a'::char(3))

SELECT to_jsonb('a'::varchar)

SELECT to_jsonb(12::int2), to_jsonb(12::int8)

SELECT to_jsonb('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid)

SELECT to_json(1)

SELECT to_json('text'::text)

SELECT to_json(ARRAY[1, 2])

SELECT to_json(NULL::int)

SELECT to_json(r) FROM (SELECT 1 AS a, 'x' AS b) r

SELECT to_json('{"b": 1,   "a": 2}'::json)

SELECT to_json('{"b": 1,   "a": 2}'::jsonb)

SELECT to_json(1.50)

SELECT to_json('2024-03-01 12:34:56'::timestamp)

SELECT pg_typeof(to_json(1)), pg_typeof(to_jsonb(1))

# jsonb_build_array and jsonb_build_object
SELECT jsonb_build_array()

SELECT jsonb_build_array(1, 'two', NULL, true, 1.50)

SELECT jsonb_build_array(ARRAY[1, 2], '{"a": 1}'::jsonb)

SELECT jsonb_build_array('{"a": 1}'::json)

SELECT jsonb_build_array('{"a": 1}')

SELECT jsonb_build_array(NULL)

SELECT jsonb_build_array(jsonb_build_array())

SELECT jsonb_build_array(VARIADIC ARRAY[1, 2, 3])

SELECT jsonb_build_array(VARIADIC NULL::int[])

SELECT jsonb_build_object()

SELECT jsonb_build_object('a', 1, 'b', 'two', 'c', NULL)

SELECT jsonb_build_object('b', 1, 'a', 2)

SELECT jsonb_build_object('a', 1, 'a', 2)

SELECT jsonb_build_object(1, 2)

SELECT jsonb_build_object(1.5, 'x', true, 'y')

SELECT jsonb_build_object('a')

SELECT jsonb_build_object('a', 1, 'b')

SELECT jsonb_build_object(NULL, 1)

SELECT jsonb_build_object('nested', jsonb_build_object('x', jsonb_build_array(1, 2)))

SELECT jsonb_build_object('d', '2024-03-01'::date, 'ts', '2024-03-01 10:00'::timestamp)

SELECT jsonb_build_object('arr', ARRAY['x', 'y'])

SELECT jsonb_build_object(VARIADIC ARRAY['a', 'b', 'c', 'd'])

SELECT jsonb_build_object('a', '{"x": 1}'::jsonb, 'b', '{"x": 1}'::text)

SELECT jsonb_build_object('', 0)

SELECT jsonb_build_object(ARRAY[1], 2)

SELECT jsonb_build_object('{"a":1}'::jsonb, 2)

SELECT id, jsonb_build_object('id', id, 'name', data -> 'name', 'price', data -> 'price') FROM products ORDER BY id LIMIT 25

SELECT jsonb_build_object('id', id, 'city', data #> '{address,city}') FROM customers ORDER BY id

# jsonb_object
SELECT jsonb_object('{a, 1, b, 2}')

SELECT jsonb_object('{{a, 1}, {b, 2}}')

SELECT jsonb_object('{a, b}', '{1, 2}')

SELECT jsonb_object('{}')

SELECT jsonb_object('{a, 1, b}')

SELECT jsonb_object('{a, NULL}')

SELECT jsonb_object('{NULL, 1}')

SELECT jsonb_object('{a, b}', '{1}')

SELECT jsonb_object('{b, 2, a, 1, a, 3}')

SELECT jsonb_object('{{a, 1, x}}')

SELECT jsonb_object(NULL::text[])

# row_to_json and array_to_json
SELECT row_to_json(ROW(1, 'x', NULL))

SELECT row_to_json(r) FROM (SELECT 1 AS a, ARRAY[1, 2] AS b) r

SELECT row_to_json(r, true) FROM (SELECT 1 AS a, 2 AS b) r

SELECT row_to_json(r, false) FROM (SELECT 'x' AS a) r

SELECT row_to_json(c) FROM (SELECT id, data ->> 'name' AS name FROM customers ORDER BY id LIMIT 5) c

SELECT row_to_json(NULL::record)

SELECT array_to_json(ARRAY[1, 2, 3])

SELECT array_to_json(ARRAY[[1, 2], [3, 4]])

SELECT array_to_json(ARRAY[[1, 2], [3, 4]], true)

SELECT array_to_json('{}'::int[])

SELECT array_to_json(ARRAY['a', NULL])

SELECT array_to_json(ARRAY['{"a":1}'::jsonb, '[2]'::jsonb])

SELECT array_to_json(NULL::int[])

SELECT array_to_json(ARRAY[1.50, 2.0])

SELECT array_to_json(1)

# jsonb_typeof
SELECT jsonb_typeof('{}')

SELECT jsonb_typeof('[]')

SELECT jsonb_typeof('1')

SELECT jsonb_typeof('1.5e3')

SELECT jsonb_typeof('"x"')

SELECT jsonb_typeof('true')

SELECT jsonb_typeof('null')

SELECT jsonb_typeof(NULL)

SELECT jsonb_typeof('{"a": null}' -> 'a')

SELECT jsonb_typeof('{"a": null}'::jsonb -> 'b')

SELECT jsonb_typeof(data -> 'active') AS t, count(*) FROM products GROUP BY 1 ORDER BY 1

SELECT jsonb_typeof(data -> 'dims') AS t, count(*) FROM products GROUP BY 1 ORDER BY 1

SELECT jsonb_typeof(data -> 'price') AS t, count(*) FROM products GROUP BY 1 ORDER BY 1

SELECT jsonb_typeof(data -> 'paid') AS t, count(*) FROM orders GROUP BY 1 ORDER BY 1

# jsonb_array_length
SELECT jsonb_array_length('[1, 2, 3]')

SELECT jsonb_array_length('[]')

SELECT jsonb_array_length('[[1, 2], 3]')

SELECT jsonb_array_length('[null]')

SELECT jsonb_array_length('{"a": 1}')

SELECT jsonb_array_length('"x"')

SELECT jsonb_array_length('5')

SELECT jsonb_array_length('null')

SELECT jsonb_array_length(NULL)

SELECT id, jsonb_array_length(data -> 'tags') FROM products ORDER BY id

SELECT id, jsonb_array_length(data -> 'items') FROM orders ORDER BY id

SELECT jsonb_array_length(data -> 'items') AS n, count(*) FROM orders GROUP BY 1 ORDER BY 1

SELECT id FROM products WHERE jsonb_array_length(data -> 'ratings') = 0 ORDER BY id

SELECT sum(jsonb_array_length(data -> 'tags')) FROM products

SELECT jsonb_array_length(data -> 'dims') FROM products WHERE id = 'p0001'

# jsonb_extract_path and jsonb_extract_path_text
SELECT jsonb_extract_path('{"a": {"b": 1}}', 'a', 'b')

SELECT jsonb_extract_path('{"a": {"b": 1}}', 'a')

SELECT jsonb_extract_path('{"a": {"b": 1}}')

SELECT jsonb_extract_path('{"a": [1, 2]}', 'a', '1')

SELECT jsonb_extract_path('{"a": [1, 2]}', 'a', '-1')

SELECT jsonb_extract_path('{"a": 1}', 'x')

SELECT jsonb_extract_path('{"a": 1}', NULL)

SELECT jsonb_extract_path(NULL, 'a')

SELECT jsonb_extract_path('{"a": {"b": 1}}', VARIADIC ARRAY['a', 'b'])

SELECT jsonb_extract_path_text('{"a": {"b": "x"}}', 'a', 'b')

SELECT jsonb_extract_path_text('{"a": {"b": null}}', 'a', 'b')

SELECT jsonb_extract_path_text('{"a": {"b": [1]}}', 'a', 'b')

SELECT jsonb_extract_path_text('{"a": 1}')

SELECT jsonb_extract_path_text('"x"')

SELECT id, jsonb_extract_path_text(data, 'meta', 'supplier', 'country') FROM products ORDER BY id

SELECT id, jsonb_extract_path(data, 'address', 'geo', 'lat') FROM customers ORDER BY id

# jsonb_strip_nulls
SELECT jsonb_strip_nulls('{"a": 1, "b": null}')

SELECT jsonb_strip_nulls('{"a": {"b": null, "c": 1}}')

SELECT jsonb_strip_nulls('[1, null, {"a": null}]')

SELECT jsonb_strip_nulls('null')

SELECT jsonb_strip_nulls('{}')

SELECT jsonb_strip_nulls('{"a": null}')

SELECT jsonb_strip_nulls(NULL)

SELECT jsonb_strip_nulls('{"a": [null, {"b": null, "c": [null]}]}')

SELECT id, jsonb_strip_nulls(data) FROM products WHERE data ? 'discount' OR data -> 'category' = 'null' ORDER BY id LIMIT 30

SELECT id, jsonb_strip_nulls(data) FROM orders WHERE data -> 'paid' = 'null' ORDER BY id

# jsonb_set and jsonb_set_lax
SELECT jsonb_set('{"a": 1}', '{a}', '2')

SELECT jsonb_set('{"a": 1}', '{b}', '2')

SELECT jsonb_set('{"a": 1}', '{b}', '2', false)

SELECT jsonb_set('{"a": {"b": 1}}', '{a,b}', '"x"')

SELECT jsonb_set('{"a": {"b": 1}}', '{a,c}', '[1, 2]')

SELECT jsonb_set('{"a": {"b": 1}}', '{x,y}', '1')

SELECT jsonb_set('{"a": [1, 2, 3]}', '{a,0}', '9')

SELECT jsonb_set('{"a": [1, 2, 3]}', '{a,-1}', '9')

SELECT jsonb_set('{"a": [1, 2, 3]}', '{a,10}', '9')

SELECT jsonb_set('{"a": [1, 2, 3]}', '{a,-10}', '9')

SELECT jsonb_set('{"a": [1, 2, 3]}', '{a,x}', '9')

SELECT jsonb_set('[1, 2]', '{0}', '"first"')

SELECT jsonb_set('{"a": 1}', '{}', '2')

SELECT jsonb_set('{"a": 1}', '{a}', NULL)

SELECT jsonb_set('{"a": 1}', '{a}', 'null')

SELECT jsonb_set(NULL, '{a}', '1')

SELECT jsonb_set('{"a": 1}', NULL, '1')

SELECT jsonb_set('"scalar"', '{a}', '1')

SELECT jsonb_set('{"a": 1}', '{a,b}', '1')

SELECT jsonb_set('{"a": 1}', '{NULL}', '1')

SELECT jsonb_set('{"a": 1}', '{a}', '{"deep": [1, {"x": null}]}')

SELECT jsonb_set('{"b": 1}', '{a}', to_jsonb(42))

SELECT jsonb_set_lax('{"a": 1}', '{a}', NULL)

SELECT jsonb_set_lax('{"a": 1}', '{a}', NULL, true, 'use_json_null')

SELECT jsonb_set_lax('{"a": 1, "b": 2}', '{a}', NULL, true, 'delete_key')

SELECT jsonb_set_lax('{"a": 1}', '{a}', NULL, true, 'return_target')

SELECT jsonb_set_lax('{"a": 1}', '{a}', NULL, true, 'raise_exception')

SELECT jsonb_set_lax('{"a": 1}', '{a}', NULL, true, 'bogus')

SELECT jsonb_set_lax('{"a": 1}', '{a}', '5')

SELECT jsonb_set_lax('{"a": 1}', '{b}', '5', false)

SELECT jsonb_set_lax(NULL, '{a}', '5')

SELECT jsonb_set_lax('{"a": 1}', '{a}', NULL, true, NULL)

SELECT id, jsonb_set(data, '{price}', '0') -> 'price' FROM products ORDER BY id LIMIT 10

SELECT id, jsonb_set(data, '{meta,supplier,country}', '"XX"') #> '{meta,supplier}' FROM products WHERE data ? 'meta' ORDER BY id LIMIT 10

SELECT id, jsonb_set(data, '{tags,0}', '"first"') -> 'tags' FROM products ORDER BY id LIMIT 20

# jsonb_insert
SELECT jsonb_insert('{"a": [0, 1, 2]}', '{a,1}', '"new"')

SELECT jsonb_insert('{"a": [0, 1, 2]}', '{a,1}', '"new"', true)

SELECT jsonb_insert('{"a": [0, 1, 2]}', '{a,-1}', '"new"')

SELECT jsonb_insert('{"a": [0, 1, 2]}', '{a,-1}', '"new"', true)

SELECT jsonb_insert('{"a": [0, 1, 2]}', '{a,10}', '"new"')

SELECT jsonb_insert('{"a": [0, 1, 2]}', '{a,-10}', '"new"')

SELECT jsonb_insert('{"a": [0, 1, 2]}', '{a,0}', '"new"')

SELECT jsonb_insert('{"a": []}', '{a,0}', '1')

SELECT jsonb_insert('{"a": 1}', '{b}', '2')

SELECT jsonb_insert('{"a": 1}', '{a}', '2')

SELECT jsonb_insert('{"a": {"b": 1}}', '{a,c}', '2')

SELECT jsonb_insert('{"a": 1}', '{x,y}', '2')

SELECT jsonb_insert('[1, 2]', '{1}', '{"x": 1}')

SELECT jsonb_insert('"s"', '{0}', '1')

SELECT jsonb_insert(NULL, '{0}', '1')

SELECT jsonb_insert('[1]', '{0}', NULL)

# jsonb_pretty
SELECT jsonb_pretty('{"a": 1, "b": [1, 2, {"c": null}], "d": {}}')

SELECT jsonb_pretty('[]')

SELECT jsonb_pretty('{}')

SELECT jsonb_pretty('[[], {}]')

SELECT jsonb_pretty('1')

SELECT jsonb_pretty('"x"')

SELECT jsonb_pretty('null')

SELECT jsonb_pretty(NULL)

SELECT jsonb_pretty('{"b": {"c": {"d": [1, [2, [3]]]}}, "a": "ü\n"}')

SELECT jsonb_pretty(data) FROM products WHERE id IN ('p0001', 'p0002', 'p0003') ORDER BY id

SELECT jsonb_pretty(data) FROM orders WHERE id = 'o0001'

# jsonb_populate_record(set) and jsonb_to_record(set)
CREATE TYPE pg_temp.t_ab AS (a int, b text)

SELECT * FROM jsonb_to_record('{"a": 1, "b": "x"}') AS r(a int, b text)

SELECT * FROM jsonb_to_record('{"a": 1, "b": "x", "c": true}') AS r(a int, c bool)

SELECT * FROM jsonb_to_record('{"a": "1"}') AS r(a int)

SELECT * FROM jsonb_to_record('{"a": 1.7}') AS r(a int)

SELECT * FROM jsonb_to_record('{"a": "x"}') AS r(a int)

SELECT * FROM jsonb_to_record('{}') AS r(a int, b text)

SELECT * FROM jsonb_to_record('{"a": null}') AS r(a int)

SELECT * FROM jsonb_to_record('{"a": [1, 2]}') AS r(a int[])

SELECT * FROM jsonb_to_record('{"a": [1, 2]}') AS r(a jsonb)

SELECT * FROM jsonb_to_record('{"a": {"x": 1}}') AS r(a jsonb)

SELECT * FROM jsonb_to_record('{"a": {"x": 1}}') AS r(a text)

SELECT * FROM jsonb_to_record('{"a": "2024-03-01"}') AS r(a date)

SELECT * FROM jsonb_to_record('{"a": 12.50}') AS r(a numeric)

SELECT * FROM jsonb_to_record('{"A": 1, "a": 2}') AS r("A" int, a int)

SELECT * FROM jsonb_to_record('[1]') AS r(a int)

SELECT * FROM jsonb_to_record('{"a": 1}')

SELECT * FROM jsonb_to_recordset('[{"a": 1, "b": "x"}, {"a": 2}]') AS r(a int, b text)

SELECT * FROM jsonb_to_recordset('[]') AS r(a int)

SELECT * FROM jsonb_to_recordset('[{"a": 1}, 5]') AS r(a int)

SELECT * FROM jsonb_to_recordset('{"a": 1}') AS r(a int)

SELECT r.* FROM products p, jsonb_to_record(p.data) AS r(name text, price numeric, qty int8) WHERE p.id < 'p0030' ORDER BY p.id

SELECT o.id, i.* FROM orders o, jsonb_to_recordset(o.data -> 'items') AS i(product text, qty int, price numeric) ORDER BY o.id, i.product, i.qty

SELECT * FROM jsonb_populate_record(NULL::pg_temp.t_ab, '{"a": 1, "b": "x"}')

SELECT * FROM jsonb_populate_record(ROW(5, 'old')::pg_temp.t_ab, '{"b": "new"}')

SELECT * FROM jsonb_populate_record(NULL::pg_temp.t_ab, '{"a": "bad"}')

SELECT * FROM jsonb_populate_recordset(NULL::pg_temp.t_ab, '[{"a": 1}, {"b": "y"}]')

SELECT jsonb_populate_record(NULL::pg_temp.t_ab, '{"a": 1}')

SELECT (jsonb_populate_record(NULL::pg_temp.t_ab, '{"a": 1, "b": "q"}')).b

SELECT * FROM jsonb_populate_record(NULL::scratch, '{"id": "x1", "data": {"a": [1, 2]}, "seq": 5}')

SELECT (jsonb_populate_record(NULL::scratch, '{"id": "x1", "key_id": "k"}')).key_id

SELECT id, data FROM jsonb_populate_recordset(NULL::scratch, '[{"id": "a", "data": 1}, {"id": "b"}]')
