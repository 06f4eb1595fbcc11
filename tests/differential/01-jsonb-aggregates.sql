# Area 1 of issue 18: jsonb_agg and jsonb_object_agg (ORDER BY inside, FILTER, DISTINCT,
# GROUP BY, empty input, NULLs) and jsonb subscripting (data['a'][0], also as an UPDATE target).

SELECT jsonb_agg(x) FROM (VALUES (1), (2), (3)) v(x)

SELECT jsonb_agg(x ORDER BY x DESC) FROM (VALUES (1), (2), (3)) v(x)

SELECT jsonb_agg(x) FROM (VALUES (1), (NULL), (3)) v(x)

SELECT jsonb_agg(x) FROM (VALUES (1)) v(x) WHERE false

SELECT jsonb_agg(x) IS NULL FROM (VALUES (1)) v(x) WHERE false

SELECT coalesce(jsonb_agg(x), '[]') FROM (VALUES (1)) v(x) WHERE false

SELECT jsonb_agg(x) FILTER (WHERE x > 1) FROM (VALUES (1), (2), (3)) v(x)

SELECT jsonb_agg(DISTINCT x) FROM (VALUES (2), (1), (2)) v(x)

SELECT jsonb_agg(x ORDER BY x) FROM (VALUES ('b'), ('a'), (NULL)) v(x)

SELECT jsonb_agg(x ORDER BY x NULLS FIRST) FROM (VALUES ('b'), ('a'), (NULL)) v(x)

SELECT jsonb_agg(v) FROM (VALUES (1, 'a'), (2, 'b')) v(n, s)

SELECT jsonb_agg(v ORDER BY n DESC) FROM (VALUES (1, 'a'), (2, 'b')) v(n, s)

SELECT jsonb_agg(ROW(n, s) ORDER BY n) FROM (VALUES (1, 'a'), (2, 'b')) v(n, s)

SELECT jsonb_agg(x) FROM (VALUES ('{"a": 1}'::jsonb), ('[1]'), ('null'), (NULL)) v(x)

SELECT jsonb_agg(x) FROM (VALUES (1.50), (2.0)) v(x)

SELECT jsonb_agg(x) FROM (VALUES (ARRAY[1, 2]), (ARRAY[3])) v(x)

SELECT jsonb_agg(x) FROM (VALUES ('2024-03-01'::date)) v(x)

SELECT jsonb_agg(id ORDER BY id) FROM customers

SELECT jsonb_agg(data -> 'name' ORDER BY id) FROM customers

SELECT jsonb_agg(data ORDER BY id) FROM orders WHERE data ->> 'status' = 'returned'

SELECT data ->> 'status' AS status, jsonb_agg(id ORDER BY id) FROM orders GROUP BY 1 ORDER BY 1

SELECT data ->> 'category' AS category, jsonb_agg(data -> 'price' ORDER BY id) FILTER (WHERE data ? 'rating') FROM products GROUP BY 1 ORDER BY 1

SELECT data ->> 'customer' AS c, jsonb_agg(data -> 'total' ORDER BY data -> 'total', id) FROM orders GROUP BY 1 ORDER BY 1

SELECT jsonb_agg(t ORDER BY t.id) FROM (SELECT id, data -> 'vip' AS vip FROM customers WHERE id < 'c010') t

SELECT jsonb_object_agg(k, v) FROM (VALUES ('a', 1), ('b', 2)) t(k, v)

SELECT jsonb_object_agg(k, v) FROM (VALUES ('b', 1), ('a', 2), ('aa', 3)) t(k, v)

SELECT jsonb_object_agg(k, v) FROM (VALUES ('a', 1), ('a', 2)) t(k, v)

SELECT jsonb_object_agg(k, v ORDER BY v DESC) FROM (VALUES ('a', 1), ('a', 2)) t(k, v)

SELECT jsonb_object_agg(k, v) FROM (VALUES ('a', NULL::int)) t(k, v)

SELECT jsonb_object_agg(k, v) FROM (VALUES (NULL::text, 1)) t(k, v)

SELECT jsonb_object_agg(k, v) FROM (VALUES ('a', 1)) t(k, v) WHERE false

SELECT jsonb_object_agg(k, v) FILTER (WHERE v > 1) FROM (VALUES ('a', 1), ('b', 2)) t(k, v)

SELECT jsonb_object_agg(k, v) FROM (VALUES (1, 'x'), (2, 'y')) t(k, v)

SELECT jsonb_object_agg(k, v) FROM (VALUES ('a', '{"x": [1]}'::jsonb)) t(k, v)

SELECT jsonb_object_agg(id, data -> 'name') FROM customers WHERE id < 'c010'

SELECT jsonb_object_agg(id, data -> 'total' ORDER BY id) FROM orders WHERE id < 'o0015'

SELECT data ->> 'country' AS country, jsonb_object_agg(id, data ->> 'name') FROM customers GROUP BY 1 ORDER BY 1

SELECT jsonb_object_agg(status, n) FROM (SELECT data ->> 'status' AS status, count(*) AS n FROM orders GROUP BY 1) s

SELECT json_object_agg(k, v) FROM (VALUES ('b', 1), ('a', 2)) t(k, v)

SELECT json_agg(x) FROM (VALUES (1), (2)) v(x)

SELECT json_agg(x ORDER BY x DESC) FROM (VALUES ('a'), ('b')) v(x)

SELECT json_agg(x) FROM (VALUES (1)) v(x) WHERE false

SELECT json_agg(v) FROM (VALUES (1, 'a'), (2, 'b')) v(n, s)

SELECT json_agg(id ORDER BY id) FROM customers WHERE id < 'c005'

SELECT array_agg(data -> 'name' ORDER BY id) FROM customers WHERE id < 'c005'

SELECT string_agg(data ->> 'name', ', ' ORDER BY id) FROM customers

SELECT count(DISTINCT data -> 'category') FROM products

SELECT count(data -> 'discount'), count(data ->> 'discount'), count(*) FROM products

SELECT min(data -> 'price'), max(data -> 'price') FROM products

SELECT min(data ->> 'name'), max(data ->> 'name') FROM products

SELECT sum((data ->> 'total')::numeric), avg((data ->> 'total')::numeric) FROM orders

SELECT sum((data -> 'qty')::numeric) FROM products

SELECT bool_and((data -> 'vip')::bool), bool_or((data -> 'vip')::bool) FROM customers

# subscripting
SELECT ('{"a": 1}'::jsonb)['a']

SELECT ('{"a": {"b": [1, 2]}}'::jsonb)['a']['b'][1]

SELECT ('{"a": {"b": [1, 2]}}'::jsonb)['a']['b'][-1]

SELECT ('{"a": {"b": [1, 2]}}'::jsonb)['a']['x']

SELECT ('[1, 2, 3]'::jsonb)[0]

SELECT ('[1, 2, 3]'::jsonb)['0']

SELECT ('{"a": 1}'::jsonb)[0]

SELECT ('{"a": 1}'::jsonb)[NULL]

SELECT ('"x"'::jsonb)['a']

SELECT ('{"a": 1}'::jsonb)['a':'b']

SELECT ('{"a": 1}'::jsonb)[1.5]

SELECT pg_typeof(('{"a": 1}'::jsonb)['a'])

SELECT id, data['name'] FROM products ORDER BY id LIMIT 30

SELECT id, data['meta']['supplier']['name'] FROM products ORDER BY id LIMIT 30

SELECT id, data['tags'][0] FROM products ORDER BY id LIMIT 30

SELECT id FROM products WHERE data['category'] = '"tools"' ORDER BY id

SELECT id, data['items'][0]['product'] FROM orders ORDER BY id LIMIT 30

SELECT id, data['address']['geo']['lat'] FROM customers ORDER BY id

SELECT id, (data['qty'])::int8 + 1 FROM products ORDER BY id LIMIT 30

BEGIN; UPDATE products SET data['price'] = '0' WHERE id = 'p0001'; SELECT data -> 'price' FROM products WHERE id = 'p0001'; ROLLBACK

BEGIN; UPDATE products SET data['new_key'] = '"v"' WHERE id = 'p0002'; SELECT data -> 'new_key', data ? 'new_key' FROM products WHERE id = 'p0002'; ROLLBACK

BEGIN; UPDATE products SET data['meta']['supplier']['country'] = '"XX"' WHERE id < 'p0010' AND data ? 'meta'; SELECT id, data #> '{meta,supplier}' FROM products WHERE id < 'p0010' ORDER BY id; ROLLBACK

BEGIN; UPDATE products SET data['tags'][0] = '"first"' WHERE id = 'p0002'; SELECT data -> 'tags' FROM products WHERE id = 'p0002'; ROLLBACK

BEGIN; UPDATE products SET data['tags'][10] = '"far"' WHERE id = 'p0002'; SELECT data -> 'tags' FROM products WHERE id = 'p0002'; ROLLBACK

BEGIN; UPDATE products SET data['tags'][-1] = '"last"' WHERE id = 'p0002'; SELECT data -> 'tags' FROM products WHERE id = 'p0002'; ROLLBACK

BEGIN; UPDATE products SET data['a']['b'] = '1' WHERE id = 'p0003'; SELECT data -> 'a' FROM products WHERE id = 'p0003'; ROLLBACK

BEGIN; UPDATE products SET data['name']['x'] = '1' WHERE id = 'p0003'; ROLLBACK

BEGIN; UPDATE products SET data['qty'] = to_jsonb((data ->> 'qty')::numeric + 1) WHERE id = 'p0004' RETURNING id, data -> 'qty'; ROLLBACK

BEGIN; UPDATE products SET data['x'] = NULL WHERE id = 'p0005' RETURNING data -> 'x', data IS NULL; ROLLBACK
