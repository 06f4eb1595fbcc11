# Area 2 of issue 18: jsonb semantics. Equality and ordering as PostgreSQL's (numbers
# numerically, objects regardless of key order, its btree order across types), hashing for
# GROUP BY and DISTINCT consistent with that equality, numbers kept as numeric, and the text
# output byte for byte.

# equality
SELECT '{"a": 1.0}'::jsonb = '{"a": 1}'::jsonb

SELECT '1.0'::jsonb = '1'::jsonb

SELECT '1e2'::jsonb = '100'::jsonb

SELECT '-0'::jsonb = '0'::jsonb

SELECT '0.10'::jsonb = '0.1'::jsonb

SELECT '{"a": 1, "b": 2}'::jsonb = '{"b": 2, "a": 1}'::jsonb

SELECT '[1, 2]'::jsonb = '[2, 1]'::jsonb

SELECT '"1"'::jsonb = '1'::jsonb

SELECT 'null'::jsonb = 'null'::jsonb

SELECT 'null'::jsonb IS NULL

SELECT '{"a": null}'::jsonb = '{}'::jsonb

SELECT '{"a": [1, {"b": 2.50}]}'::jsonb = '{"a": [1.0, {"b": 2.5}]}'::jsonb

SELECT '9007199254740993'::jsonb = '9007199254740992'::jsonb

SELECT '0.1'::jsonb = '0.10000000000000001'::jsonb

SELECT '"ü"'::jsonb = '"\u00fc"'::jsonb

SELECT '{"a": 1}'::jsonb <> '{"a": 2}'::jsonb

SELECT '{"a": 1}'::jsonb IS DISTINCT FROM '{"a": 1.00}'::jsonb

SELECT NULL::jsonb = '{}'::jsonb

SELECT '[]'::jsonb = '{}'::jsonb

# ordering: within types and across them (object > array > boolean > number > string > null)
SELECT '1'::jsonb < '2'::jsonb, '10'::jsonb > '9'::jsonb, '"10"'::jsonb < '"9"'::jsonb

SELECT '1.5'::jsonb > '1.25'::jsonb

SELECT '"a"'::jsonb < '"b"'::jsonb, '"B"'::jsonb < '"a"'::jsonb

SELECT '"ab"'::jsonb < '"b"'::jsonb

SELECT 'true'::jsonb > 'false'::jsonb

SELECT '{}'::jsonb > '[]'::jsonb

SELECT '[]'::jsonb > 'true'::jsonb

SELECT 'true'::jsonb > '1'::jsonb

SELECT '1'::jsonb > '"x"'::jsonb

SELECT '"x"'::jsonb > 'null'::jsonb

SELECT '[]'::jsonb < '[0]'::jsonb, '[1, 2]'::jsonb < '[1, 3]'::jsonb, '[9]'::jsonb < '[1, 1]'::jsonb

SELECT '{"a": 1}'::jsonb < '{"a": 2}'::jsonb, '{"b": 1}'::jsonb < '{"a": 1, "c": 1}'::jsonb

SELECT '{"aa": 1}'::jsonb < '{"b": 1}'::jsonb

SELECT '[[]]'::jsonb > '[1]'::jsonb

SELECT v FROM (VALUES ('1'::jsonb), ('"a"'), ('null'), ('true'), ('false'), ('[]'), ('{}'), ('[1]'), ('{"a": 1}'), ('2.5'), ('"B"'), ('-1'), ('[null]'), ('{"a": null}'), ('""')) t(v) ORDER BY v

SELECT v FROM (VALUES ('1'::jsonb), ('"a"'), ('null'), ('true'), ('[]'), ('{}')) t(v) ORDER BY v DESC

SELECT v FROM (VALUES ('10'::jsonb), ('9'), ('1e1'), ('-0.5'), ('1.0'), ('1'), ('100e-2')) t(v) ORDER BY v, v::text

SELECT v FROM (VALUES ('"b"'::jsonb), ('"a"'), ('"A"'), ('"ä"'), ('"aa"'), ('""'), ('"Z"')) t(v) ORDER BY v

SELECT v FROM (VALUES ('{"b": 1}'::jsonb), ('{"a": 2}'), ('{"a": 1, "b": 1}'), ('{}'), ('{"aa": 0}'), ('{"a": [1]}')) t(v) ORDER BY v

SELECT v FROM (VALUES ('[1, 2]'::jsonb), ('[1]'), ('[2]'), ('[]'), ('[[1]]'), ('["a"]'), ('[1, 1, 1]')) t(v) ORDER BY v

SELECT id, data -> 'price' FROM products ORDER BY data -> 'price', id

SELECT id, data -> 'price' FROM products ORDER BY data -> 'price' DESC, id

SELECT id, data -> 'active' FROM products ORDER BY data -> 'active' NULLS FIRST, id

SELECT id, data -> 'dims' FROM products ORDER BY data -> 'dims', id

SELECT id, data -> 'tags' FROM products ORDER BY data -> 'tags', id

SELECT id, data -> 'category' FROM products ORDER BY data -> 'category', id

SELECT id, data -> 'meta' FROM products ORDER BY data -> 'meta', id LIMIT 50

SELECT id FROM products ORDER BY data, id LIMIT 50

SELECT id, data -> 'total' FROM orders ORDER BY data -> 'total', id

SELECT id, data -> 'shipping' FROM orders ORDER BY data -> 'shipping', id

SELECT id, data -> 'address' FROM customers ORDER BY data -> 'address', id

SELECT greatest('1'::jsonb, '"a"'::jsonb, '[]'::jsonb), least('1'::jsonb, '"a"'::jsonb, 'null'::jsonb)

SELECT max(v), min(v) FROM (VALUES ('1'::jsonb), ('"a"')) t(v)

SELECT '1'::jsonb BETWEEN '0'::jsonb AND '2'::jsonb

# GROUP BY, DISTINCT, UNION, IN and joins use the same equality
SELECT v, count(*) FROM (VALUES ('1'::jsonb), ('1.0'), ('1.00'), ('2')) t(v) GROUP BY v ORDER BY v

SELECT count(DISTINCT v) FROM (VALUES ('1'::jsonb), ('1.0'), ('1e0'), ('10e-1')) t(v)

SELECT DISTINCT v FROM (VALUES ('{"a": 1, "b": 2}'::jsonb), ('{"b": 2, "a": 1}'), ('{"b": 2.0, "a": 1}')) t(v)

SELECT count(*) FROM (SELECT DISTINCT v FROM (VALUES ('[1.0]'::jsonb), ('[1]'), ('[1.00]')) t(v)) d

SELECT v FROM (VALUES ('1'::jsonb)) a(v) UNION SELECT v FROM (VALUES ('1.0'::jsonb)) b(v)

SELECT v FROM (VALUES ('1'::jsonb)) a(v) INTERSECT SELECT v FROM (VALUES ('1.0'::jsonb)) b(v)

SELECT v FROM (VALUES ('1'::jsonb)) a(v) EXCEPT SELECT v FROM (VALUES ('1.0'::jsonb)) b(v)

SELECT '1.0'::jsonb IN ('1'::jsonb, '2'::jsonb)

SELECT a.v, b.v FROM (VALUES ('1'::jsonb)) a(v) JOIN (VALUES ('1.000'::jsonb)) b(v) ON a.v = b.v

SELECT data -> 'category', count(*) FROM products GROUP BY data -> 'category' ORDER BY 1

SELECT data -> 'active', count(*) FROM products GROUP BY 1 ORDER BY 1

SELECT data -> 'price', count(*) FROM products GROUP BY 1 HAVING count(*) > 1 ORDER BY 1

SELECT data -> 'tags', count(*) FROM products GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20

SELECT data -> 'dims', count(*) FROM products WHERE jsonb_typeof(data -> 'dims') <> 'object' OR data -> 'dims' = '{}' GROUP BY 1 ORDER BY 1

SELECT DISTINCT data -> 'category' FROM products ORDER BY 1

SELECT DISTINCT data -> 'status' FROM orders ORDER BY 1

SELECT DISTINCT data -> 'shipping' -> 'city' FROM orders ORDER BY 1

SELECT count(DISTINCT data -> 'tags') FROM products

SELECT count(DISTINCT data -> 'price') FROM products

SELECT count(DISTINCT data) FROM products

SELECT data #> '{meta,supplier}' AS s, count(*) FROM products GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10

SELECT c.id, count(o.id) FROM customers c LEFT JOIN orders o ON o.data -> 'customer' = to_jsonb(c.id) GROUP BY c.id ORDER BY c.id

SELECT o.id, p.id FROM orders o JOIN products p ON o.data #> '{items,0,product}' = to_jsonb(p.id) ORDER BY o.id

# numbers stay numeric: scale, no float rounding, no exponent where PostgreSQL prints none
SELECT '{"a": 1e-6}'::jsonb

SELECT '{"a": 0.000001}'::jsonb

SELECT '{"a": 1.0e1}'::jsonb

SELECT '{"a": 1.23456789012345678901234567890}'::jsonb

SELECT '{"a": 100000000000000000000000}'::jsonb

SELECT '{"a": 0.1}'::jsonb -> 'a', ('{"a": 0.1}'::jsonb -> 'a')::float8

SELECT ('{"a": 0.1}'::jsonb ->> 'a')::numeric + ('{"a": 0.2}'::jsonb ->> 'a')::numeric

SELECT to_jsonb(0.1::float8 + 0.2::float8)

SELECT to_jsonb(1e-7::numeric), to_jsonb(1e-7::float8)

SELECT to_jsonb(12.500::numeric)

SELECT to_jsonb('12.500'::numeric)

SELECT to_jsonb(123456789012345678901234567890.123456789::numeric)

SELECT to_jsonb(1e15::float8), to_jsonb(1e16::float8), to_jsonb(1e17::float8)

SELECT to_jsonb(1.5e-5::float8), to_jsonb(1.5e-4::float8)

SELECT to_jsonb(2::float4 / 3::float4)

SELECT to_jsonb(1/3::numeric)

SELECT jsonb_build_object('n', 1.10, 'e', 1e3, 'f', 2.5::float8)

SELECT id, data -> 'price', (data -> 'price')::numeric, (data ->> 'price')::float8 FROM products ORDER BY id

SELECT id, data -> 'qty', (data -> 'qty')::numeric + 1 FROM products WHERE id IN ('p0007', 'p0014', 'p0021') ORDER BY id

SELECT id, data -> 'dims' -> 'd' FROM products WHERE jsonb_typeof(data -> 'dims' -> 'd') = 'number' ORDER BY id

SELECT id, data -> 'rating' FROM products WHERE data ? 'rating' ORDER BY id

SELECT sum((data ->> 'price')::numeric) FROM products

SELECT max((data ->> 'price')::numeric), min((data ->> 'price')::numeric) FROM products

SELECT sum((data -> 'price')::float8) FROM products

# text output: key order by length then bytes, spacing
SELECT '{"b": 1, "a": 2}'::jsonb::text

SELECT '{"long key": 1, "z": 2, "ab": 3, "aa": 4}'::jsonb

SELECT '{"ä": 1, "z": 2}'::jsonb

SELECT '{"a":1,"b":[1,2,{"c":null}]}'::jsonb

SELECT jsonb_build_object('fragile', true, 'gift', false)

SELECT '{"a": "x\u0007y"}'::jsonb

SELECT '{"a": "\/"}'::jsonb

SELECT '["\u00e9", "\u2028", "\ufeff"]'::jsonb

SELECT id, data -> 'meta' FROM products ORDER BY id LIMIT 40

SELECT id, data - 'name' FROM customers ORDER BY id

SELECT id, data -> 'items' FROM orders ORDER BY id

SELECT id, data -> 'shipping' FROM orders ORDER BY id
