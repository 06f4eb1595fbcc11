# Area 3 of issue 18: set-returning functions in FROM and in the select list:
# generate_series (ints, numerics, timestamps), unnest, generate_subscripts, regexp_matches,
# the jsonb ones; alias rules (FROM f(...) g names the column g; AS x(a, b)), WITH
# ORDINALITY, LATERAL.

# generate_series
SELECT * FROM generate_series(1, 3)

SELECT * FROM generate_series(1, 3) g

SELECT g FROM generate_series(1, 3) g

SELECT g.g FROM generate_series(1, 3) g

SELECT x FROM generate_series(1, 3) AS g(x)

SELECT generate_series FROM generate_series(1, 3)

SELECT * FROM generate_series(1, 10, 3)

SELECT * FROM generate_series(10, 1, -3)

SELECT * FROM generate_series(1, 0)

SELECT * FROM generate_series(1, 1)

SELECT * FROM generate_series(1, 3, 0)

SELECT * FROM generate_series(1, NULL)

SELECT * FROM generate_series(NULL::int, 3)

SELECT * FROM generate_series(-2, 2)

SELECT * FROM generate_series(2147483646, 2147483647)

SELECT * FROM generate_series(9223372036854775806, 9223372036854775807)

SELECT pg_typeof(g) FROM generate_series(1, 1) g

SELECT pg_typeof(g) FROM generate_series(1::int8, 1) g

SELECT pg_typeof(g) FROM generate_series(1::int2, 1::int2) g

SELECT * FROM generate_series(0.5, 2.5)

SELECT * FROM generate_series(0.5, 2, 0.5)

SELECT * FROM generate_series(1.0, 2.0, 0.25)

SELECT * FROM generate_series(1, 2, 0.3)

SELECT pg_typeof(g) FROM generate_series(1.5, 1.5) g

SELECT * FROM generate_series('2024-01-01'::timestamp, '2024-01-03', '1 day')

SELECT * FROM generate_series('2024-01-31'::timestamp, '2024-05-31', '1 month')

SELECT * FROM generate_series('2024-01-01 00:00'::timestamp, '2024-01-01 02:00', '30 minutes')

SELECT * FROM generate_series('2024-01-01'::timestamptz, '2024-01-02', '6 hours')

SELECT * FROM generate_series('2024-01-03'::timestamp, '2024-01-01', '-1 day')

SELECT * FROM generate_series('2024-01-01'::date, '2024-01-03'::date, '1 day')

SELECT d::date FROM generate_series('2024-02-27'::date, '2024-03-02'::date, '1 day') d

SELECT * FROM generate_series('2024-01-01'::timestamp, '2024-01-02', '0 days')

SELECT generate_series(1, 3)

SELECT generate_series(1, 3) AS n

SELECT generate_series(1, 3), generate_series(1, 2)

SELECT generate_series(1, 2), 'x'

SELECT generate_series(1, 2) + 10

SELECT count(*) FROM generate_series(1, 1000)

SELECT sum(g) FROM generate_series(1, 100000) g

SELECT g, g * g FROM generate_series(1, 5) g WHERE g % 2 = 1

SELECT g FROM generate_series(1, 10) g ORDER BY g DESC LIMIT 3

SELECT a, b FROM generate_series(1, 2) a, generate_series(1, 2) b

SELECT a.x, b.x FROM generate_series(1, 2) a(x) JOIN generate_series(2, 3) b(x) ON a.x = b.x

SELECT 'd' || g FROM generate_series(1, 5) g

SELECT 'd' || g, jsonb_build_object('n', g) FROM generate_series(1, 3) g

SELECT * FROM generate_series(1, 3) WITH ORDINALITY

SELECT * FROM generate_series(10, 12) WITH ORDINALITY AS t(v, n)

SELECT n, v FROM generate_series(10, 12) WITH ORDINALITY AS t(v, n) ORDER BY n DESC

SELECT * FROM generate_series(1, 3) g WITH ORDINALITY

SELECT * FROM generate_series('a', 'b')

SELECT * FROM generate_series(1)

SELECT * FROM generate_series(1, 3) AS g(a, b)

# unnest
SELECT * FROM unnest(ARRAY[1, 2, 3])

SELECT * FROM unnest(ARRAY[1, 2, 3]) u

SELECT u FROM unnest(ARRAY['a', 'b']) u

SELECT x FROM unnest(ARRAY['a', 'b']) AS u(x)

SELECT unnest FROM unnest(ARRAY[1])

SELECT * FROM unnest(ARRAY[1, NULL, 3])

SELECT * FROM unnest('{}'::int[])

SELECT * FROM unnest(NULL::int[])

SELECT * FROM unnest(ARRAY[[1, 2], [3, 4]])

SELECT * FROM unnest(ARRAY[1, 2], ARRAY['a', 'b', 'c'])

SELECT * FROM unnest(ARRAY[1, 2], ARRAY['a', 'b']) AS t(n, s)

SELECT * FROM unnest(ARRAY['x', 'y']) WITH ORDINALITY

SELECT * FROM unnest(ARRAY['x', 'y']) WITH ORDINALITY AS t(v, i)

SELECT * FROM unnest('{a,b}'::text[])

SELECT unnest(ARRAY[1, 2, 3])

SELECT unnest(ARRAY[1, 2]), unnest(ARRAY['a', 'b', 'c'])

SELECT unnest('{}'::int[])

SELECT unnest(ARRAY['{"a": 1}'::jsonb, '[2]'])

SELECT id, unnest(ARRAY['x', 'y']) FROM customers WHERE id < 'c004'

SELECT * FROM unnest(1)

# generate_subscripts
SELECT * FROM generate_subscripts(ARRAY['a', 'b', 'c'], 1)

SELECT generate_subscripts(ARRAY['a', 'b', 'c'], 1)

SELECT * FROM generate_subscripts(ARRAY['a', 'b', 'c'], 1, true)

SELECT * FROM generate_subscripts(ARRAY[[1, 2], [3, 4]], 2)

SELECT * FROM generate_subscripts(ARRAY[1], 2)

SELECT * FROM generate_subscripts('{}'::int[], 1)

SELECT * FROM generate_subscripts('[0:2]={a,b,c}'::text[], 1)

SELECT s, a[s] FROM (SELECT ARRAY['x', 'y', 'z'] AS a) t, generate_subscripts(t.a, 1) s

# regexp_matches
SELECT regexp_matches('foobarbequebaz', 'ba.')

SELECT regexp_matches('foobarbequebaz', 'ba.', 'g')

SELECT regexp_matches('foobarbequebaz', '(b)(a)(.)', 'g')

SELECT regexp_matches('abc', 'x')

SELECT regexp_matches('ABC abc', 'a', 'gi')

SELECT regexp_matches('abc', '(x)?b')

SELECT * FROM regexp_matches('a1b22c333', '\d+', 'g')

SELECT * FROM regexp_matches('a1b22c333', '\d+', 'g') AS m(arr)

SELECT m[1] FROM regexp_matches('k1=v1;k2=v2', '(\w+)=(\w+)', 'g') AS m

SELECT regexp_matches(NULL, 'a')

SELECT regexp_matches('abc', '(')

SELECT regexp_matches('abc', 'a', 'z')

SELECT * FROM regexp_split_to_table('a,b,,c', ',')

SELECT * FROM regexp_split_to_table('a1b2c', '\d') WITH ORDINALITY

SELECT regexp_split_to_table('hello world', '\s+')

SELECT * FROM string_to_table('a,b,c', ',')

SELECT * FROM string_to_table('a,b,,c', ',', '')

SELECT * FROM string_to_table('abc', NULL)

SELECT * FROM string_to_table('abc', '')

SELECT string_to_table('x y', ' ')

# jsonb set-returning functions
SELECT * FROM jsonb_array_elements('[1, "a", null, {"b": 2}, [3]]')

SELECT * FROM jsonb_array_elements('[1, 2]') e

SELECT e FROM jsonb_array_elements('[1, 2]') e

SELECT value FROM jsonb_array_elements('[1, 2]')

SELECT x FROM jsonb_array_elements('[1, 2]') AS t(x)

SELECT * FROM jsonb_array_elements('[]')

SELECT * FROM jsonb_array_elements('{"a": 1}')

SELECT * FROM jsonb_array_elements('5')

SELECT * FROM jsonb_array_elements(NULL)

SELECT * FROM jsonb_array_elements('[1, 2]') WITH ORDINALITY

SELECT * FROM jsonb_array_elements('["a", "b"]') WITH ORDINALITY AS t(v, i)

SELECT jsonb_array_elements('[1, [2]]')

SELECT jsonb_array_elements('[1, [2]]') -> 0

SELECT * FROM jsonb_array_elements_text('[1, "a", null, {"b": 2}, "é\n"]')

SELECT jsonb_array_elements_text('["x", 1.50]')

SELECT pg_typeof(jsonb_array_elements_text('["x"]'))

SELECT * FROM jsonb_array_elements_text('{"a": 1}')

SELECT * FROM jsonb_each('{"b": 1, "a": [2], "c": null}')

SELECT key, value FROM jsonb_each('{"b": 1, "a": 2}') ORDER BY key

SELECT k, v FROM jsonb_each('{"b": 1, "a": 2}') AS t(k, v) ORDER BY k

SELECT e FROM jsonb_each('{"a": 1}') e

SELECT (e).key FROM jsonb_each('{"a": 1}') e

SELECT * FROM jsonb_each('{}')

SELECT * FROM jsonb_each('[1]')

SELECT * FROM jsonb_each('{"a": 1, "b": 2}') WITH ORDINALITY

SELECT jsonb_each('{"a": 1, "b": [1]}')

SELECT (jsonb_each('{"a": 1, "b": [1]}')).*

SELECT (jsonb_each('{"a": 1, "b": [1]}')).value

SELECT * FROM jsonb_each_text('{"a": 1, "b": "x", "c": null, "d": [1, "y"]}')

SELECT pg_typeof(value) FROM jsonb_each_text('{"a": 1}')

SELECT jsonb_each_text('{"a": 1}')

SELECT * FROM jsonb_object_keys('{"b": 1, "a": 2, "aa": 3}')

SELECT jsonb_object_keys('{"b": 1, "a": 2}')

SELECT k FROM jsonb_object_keys('{"b": 1, "a": 2}') k ORDER BY k

SELECT * FROM jsonb_object_keys('{}')

SELECT * FROM jsonb_object_keys('[1]')

SELECT * FROM jsonb_object_keys('"x"')

SELECT * FROM jsonb_path_query('[1, 2, 3]', '$[*] ? (@ > 1)')

SELECT * FROM jsonb_path_query('[1, 2, 3]', '$[*]') AS t(v)

SELECT * FROM jsonb_path_query('[1, 2, 3]', '$[*]') WITH ORDINALITY

# LATERAL and the seeded documents
SELECT p.id, t.tag FROM products p, jsonb_array_elements_text(p.data -> 'tags') t(tag) ORDER BY p.id, t.tag

SELECT p.id, t FROM products p, jsonb_array_elements_text(p.data -> 'tags') t ORDER BY 1, 2

SELECT p.id, t.value FROM products p CROSS JOIN LATERAL jsonb_array_elements(p.data -> 'ratings') t WHERE p.id < 'p0050' ORDER BY 1, 2

SELECT t.tag, count(*) FROM products p, jsonb_array_elements_text(p.data -> 'tags') t(tag) GROUP BY t.tag ORDER BY 2 DESC, 1

SELECT o.id, i.value -> 'product', i.ordinality FROM orders o, jsonb_array_elements(o.data -> 'items') WITH ORDINALITY i ORDER BY o.id, i.ordinality

SELECT o.id, i ->> 'product' AS product, (i ->> 'qty')::int * (i ->> 'price')::numeric AS line FROM orders o, jsonb_array_elements(o.data -> 'items') i ORDER BY 1, 2, 3

SELECT o.id, sum((i ->> 'qty')::int * (i ->> 'price')::numeric) FROM orders o LEFT JOIN LATERAL jsonb_array_elements(o.data -> 'items') i ON true GROUP BY o.id ORDER BY o.id

SELECT o.id, count(i) FROM orders o LEFT JOIN LATERAL jsonb_array_elements(o.data -> 'items') i ON true GROUP BY o.id ORDER BY o.id

SELECT c.id, kv.key, kv.value FROM customers c, jsonb_each(c.data) kv WHERE c.id < 'c006' ORDER BY 1, 2

SELECT c.id, kv.key FROM customers c, jsonb_each_text(c.data -> 'address') kv WHERE c.id < 'c006' ORDER BY 1, 2

SELECT k, count(*) FROM products p, jsonb_object_keys(p.data) k GROUP BY k ORDER BY k

SELECT k, count(*) FROM orders, jsonb_object_keys(data) k GROUP BY k ORDER BY k

SELECT id, jsonb_object_keys(data) FROM customers WHERE id < 'c003' ORDER BY 1, 2

SELECT id, jsonb_array_elements_text(data -> 'tags') FROM products WHERE id < 'p0020' ORDER BY 1, 2

SELECT id, jsonb_array_elements(data -> 'items') -> 'qty' FROM orders WHERE id < 'o0010' ORDER BY 1, 2

SELECT id, jsonb_array_length(data -> 'tags'), jsonb_array_elements_text(data -> 'tags') FROM products WHERE id < 'p0010' ORDER BY 1, 3

SELECT p.id, x.* FROM products p, LATERAL (SELECT count(*) AS n FROM jsonb_array_elements(p.data -> 'tags')) x WHERE p.id < 'p0020' ORDER BY p.id

SELECT p.id, x.first_tag FROM products p LEFT JOIN LATERAL (SELECT t AS first_tag FROM jsonb_array_elements_text(p.data -> 'tags') t LIMIT 1) x ON true WHERE p.id < 'p0020' ORDER BY p.id

SELECT c.id, o.id FROM customers c, LATERAL (SELECT id FROM orders WHERE data ->> 'customer' = c.id ORDER BY id LIMIT 1) o ORDER BY c.id

SELECT g, p.id FROM generate_series(1, 3) g, LATERAL (SELECT id FROM products ORDER BY id OFFSET g LIMIT 1) p ORDER BY g

SELECT e.value FROM products p, jsonb_array_elements(p.data -> 'tags') e WHERE p.id = 'p0002'

SELECT * FROM products p, jsonb_array_elements(p.data -> 'name') e

SELECT * FROM products p, jsonb_array_elements(p.data -> 'dims') e

SELECT count(*) FROM products p, jsonb_array_elements(coalesce(p.data -> 'ratings', '[]')) e

SELECT count(*) FROM products p, jsonb_array_elements(CASE jsonb_typeof(p.data -> 'tags') WHEN 'array' THEN p.data -> 'tags' ELSE '[]' END) e

SELECT * FROM ROWS FROM (generate_series(1, 2), unnest(ARRAY['a', 'b', 'c']))

SELECT * FROM ROWS FROM (jsonb_array_elements('[1, 2]'), generate_series(1, 3)) WITH ORDINALITY AS t(v, g, n)

# INSERT ... SELECT from set-returning functions, rolled back
BEGIN; INSERT INTO scratch (id, data) SELECT 'g' || g, jsonb_build_object('n', g) FROM generate_series(1, 500) g; SELECT count(*), min(id), max(id) FROM scratch; ROLLBACK

BEGIN; INSERT INTO scratch (id, data) SELECT 'e' || ordinality, value FROM jsonb_array_elements('[{"a": 1}, [2], "three", 4.0, null]') WITH ORDINALITY; SELECT id, data FROM scratch ORDER BY id; ROLLBACK

BEGIN; INSERT INTO scratch (id, data) SELECT p.id || '-' || t, jsonb_build_object('tag', t) FROM products p, jsonb_array_elements_text(p.data -> 'tags') t WHERE p.id < 'p0010'; SELECT id, data FROM scratch ORDER BY id; ROLLBACK
