# Area 4 of issue 18: queries. Correlated subqueries (scalar, EXISTS/NOT EXISTS, IN, ANY/ALL)
# wherever PostgreSQL allows them; GROUPING SETS/ROLLUP/CUBE with any expressions; DISTINCT ON;
# window functions with frames; recursive CTEs over jsonb; the joins and filters of everyday
# document queries.

# everyday filters and projections
SELECT id FROM products WHERE data ->> 'category' = 'tools' ORDER BY id

SELECT id, data ->> 'name' AS name FROM products WHERE (data ->> 'price')::numeric BETWEEN 10 AND 20 ORDER BY id

SELECT id FROM products WHERE data ->> 'category' IN ('tools', 'garden') ORDER BY id

SELECT id FROM products WHERE data ->> 'category' NOT IN ('tools', 'garden') ORDER BY id

SELECT id FROM products WHERE data ->> 'category' IS DISTINCT FROM 'tools' ORDER BY id

SELECT id FROM products WHERE coalesce(data ->> 'category', 'none') = 'none' ORDER BY id

SELECT id FROM products WHERE data ->> 'name' ILIKE '%chair%' ORDER BY id

SELECT id FROM products WHERE data ->> 'name' ~* '^(red|blue) ' ORDER BY id

SELECT id FROM products WHERE data ->> 'name' SIMILAR TO '(Red|Blue)%' ORDER BY id

SELECT id FROM products WHERE lower(data ->> 'name') LIKE 'steel%' ORDER BY id

SELECT id FROM products WHERE upper(data ->> 'name') = 'STRASSE SIGN' OR upper(data ->> 'name') = 'STRAßE SIGN' ORDER BY id

SELECT id FROM products WHERE (data ->> 'active')::bool IS TRUE ORDER BY id

SELECT id FROM products WHERE data ->> 'active' = 'true' ORDER BY id

SELECT id FROM products WHERE (data -> 'active') = 'true' ORDER BY id

SELECT id FROM products WHERE NOT (data ? 'active') ORDER BY id

SELECT id, CASE WHEN (data ->> 'qty')::numeric > 500 THEN 'many' WHEN (data ->> 'qty')::numeric > 0 THEN 'some' ELSE 'none' END FROM products ORDER BY id

SELECT id, nullif(data ->> 'category', 'toys') FROM products ORDER BY id LIMIT 30

SELECT id FROM products ORDER BY data ->> 'name', id LIMIT 40

SELECT id FROM products ORDER BY data ->> 'name' DESC, id LIMIT 40

SELECT id, data ->> 'name' FROM products ORDER BY lower(data ->> 'name'), id LIMIT 40

SELECT id FROM products ORDER BY (data ->> 'price')::numeric DESC NULLS LAST, id LIMIT 20

SELECT id FROM products ORDER BY id LIMIT 10 OFFSET 295

SELECT id FROM products ORDER BY id DESC LIMIT 5

SELECT id FROM products ORDER BY id OFFSET 298

SELECT id FROM products ORDER BY id FETCH FIRST 3 ROWS ONLY

SELECT id FROM products ORDER BY id LIMIT 0

SELECT id FROM products ORDER BY id LIMIT ALL OFFSET 299

SELECT id FROM products ORDER BY id LIMIT -1

SELECT count(*), count(data), count(DISTINCT id) FROM products

SELECT count(*) FROM products WHERE false

SELECT count(*) FROM products WHERE id = 'nope'

SELECT id, data FROM products WHERE id = 'p0100'

SELECT id, data FROM products WHERE id = 'P0100'

SELECT id FROM products WHERE id > 'p0290' ORDER BY id

SELECT id FROM products WHERE id LIKE 'p01%' ORDER BY id

SELECT id FROM products WHERE id IN ('p0001', 'p0002', 'nope') ORDER BY id

SELECT id FROM products WHERE id = ANY(ARRAY['p0003', 'p0004'])

SELECT id FROM products WHERE id BETWEEN 'p0010' AND 'p0015' ORDER BY id

SELECT data ->> 'category' AS category, count(*) FROM products GROUP BY data ->> 'category' ORDER BY 1

SELECT data ->> 'category' AS category, count(*) FROM products GROUP BY category ORDER BY category NULLS FIRST

SELECT data ->> 'category' AS category, count(*) FROM products GROUP BY 1 HAVING count(*) > 45 ORDER BY 1

SELECT data ->> 'status', count(*), sum((data ->> 'total')::numeric), round(avg((data ->> 'total')::numeric), 2) FROM orders GROUP BY 1 ORDER BY 1

SELECT data ->> 'customer', count(*) FROM orders GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10

SELECT data #>> '{meta,supplier,country}' AS country, count(*), min(id), max(id) FROM products GROUP BY 1 ORDER BY 1

SELECT data ->> 'country', string_agg(id, ',' ORDER BY id) FROM customers GROUP BY 1 ORDER BY 1

SELECT data ->> 'country', array_agg(id ORDER BY id) FROM customers GROUP BY 1 ORDER BY 1

SELECT extract(month FROM (data ->> 'placed_at')::timestamptz) AS m, count(*) FROM orders GROUP BY 1 ORDER BY 1

SELECT date_trunc('month', (data ->> 'placed_at')::timestamptz) AS m, count(*) FROM orders GROUP BY 1 ORDER BY 1

SELECT (data ->> 'placed_at')::date AS d, count(*) FROM orders GROUP BY 1 HAVING count(*) > 1 ORDER BY 1

SELECT id FROM orders WHERE (data ->> 'placed_at')::timestamptz > '2024-11-01' ORDER BY id

SELECT id FROM orders WHERE (data ->> 'placed_at')::timestamptz BETWEEN '2024-03-01' AND '2024-03-31 23:59:59' ORDER BY id

# joins
SELECT o.id, c.data ->> 'name' FROM orders o JOIN customers c ON c.id = o.data ->> 'customer' ORDER BY o.id

SELECT o.id, c.data ->> 'name' FROM orders o LEFT JOIN customers c ON c.id = o.data ->> 'customer' WHERE c.id IS NULL ORDER BY o.id

SELECT c.id, count(o.id) FROM customers c LEFT JOIN orders o ON o.data ->> 'customer' = c.id GROUP BY c.id ORDER BY c.id

SELECT c.id, coalesce(sum((o.data ->> 'total')::numeric), 0) FROM customers c LEFT JOIN orders o ON o.data ->> 'customer' = c.id GROUP BY c.id ORDER BY 2 DESC, c.id LIMIT 10

SELECT c.data ->> 'country' AS country, count(DISTINCT o.id) FROM customers c JOIN orders o ON o.data ->> 'customer' = c.id GROUP BY 1 ORDER BY 1

SELECT o.id, p.data ->> 'name' FROM orders o JOIN products p ON p.id = o.data #>> '{items,0,product}' ORDER BY o.id

SELECT o.id, i ->> 'product', p.data ->> 'name' FROM orders o CROSS JOIN jsonb_array_elements(o.data -> 'items') i LEFT JOIN products p ON p.id = i ->> 'product' WHERE o.id < 'o0030' ORDER BY 1, 2

SELECT a.id, b.id FROM customers a JOIN customers b ON a.data ->> 'name' = b.data ->> 'name' AND a.id < b.id ORDER BY 1, 2

SELECT c.id, o.id FROM customers c FULL JOIN orders o ON o.data ->> 'customer' = c.id AND o.data ->> 'status' = 'returned' WHERE c.id < 'c010' OR c.id IS NULL ORDER BY 1, 2

SELECT count(*) FROM customers c CROSS JOIN orders o

SELECT c.id FROM customers c NATURAL JOIN customers d ORDER BY 1 LIMIT 5

SELECT id FROM customers JOIN orders USING (id)

SELECT p.id FROM products p WHERE p.id IN (SELECT data #>> '{items,0,product}' FROM orders) ORDER BY p.id

# correlated subqueries
SELECT c.id, (SELECT count(*) FROM orders o WHERE o.data ->> 'customer' = c.id) AS n FROM customers c ORDER BY c.id

SELECT c.id, (SELECT max((o.data ->> 'total')::numeric) FROM orders o WHERE o.data ->> 'customer' = c.id) FROM customers c ORDER BY c.id

SELECT c.id, (SELECT o.id FROM orders o WHERE o.data ->> 'customer' = c.id ORDER BY o.id LIMIT 1) FROM customers c ORDER BY c.id

SELECT c.id, (SELECT o.id FROM orders o WHERE o.data ->> 'customer' = c.id) FROM customers c ORDER BY c.id

SELECT c.id, EXISTS (SELECT 1 FROM orders o WHERE o.data ->> 'customer' = c.id) FROM customers c ORDER BY c.id

SELECT c.id, NOT EXISTS (SELECT 1 FROM orders o WHERE o.data ->> 'customer' = c.id AND o.data ->> 'status' = 'cancelled') FROM customers c ORDER BY c.id

SELECT c.id FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.data ->> 'customer' = c.id AND (o.data ->> 'total')::numeric > 900) ORDER BY c.id

SELECT c.id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.data ->> 'customer' = c.id) ORDER BY c.id

SELECT c.id FROM customers c WHERE c.id IN (SELECT o.data ->> 'customer' FROM orders o WHERE o.data ->> 'status' = 'returned') ORDER BY c.id

SELECT c.id FROM customers c WHERE c.id NOT IN (SELECT o.data ->> 'customer' FROM orders o) ORDER BY c.id

SELECT c.id FROM customers c WHERE (SELECT count(*) FROM orders o WHERE o.data ->> 'customer' = c.id) > 5 ORDER BY c.id

SELECT c.id FROM customers c WHERE 500 < ANY (SELECT (o.data ->> 'total')::numeric FROM orders o WHERE o.data ->> 'customer' = c.id) ORDER BY c.id

SELECT c.id FROM customers c WHERE 100 < ALL (SELECT (o.data ->> 'total')::numeric FROM orders o WHERE o.data ->> 'customer' = c.id) ORDER BY c.id

SELECT o.id FROM orders o WHERE (o.data ->> 'total')::numeric > (SELECT avg((o2.data ->> 'total')::numeric) FROM orders o2 WHERE o2.data ->> 'customer' = o.data ->> 'customer') ORDER BY o.id

SELECT o.id, (SELECT string_agg(i ->> 'product', ',') FROM jsonb_array_elements(o.data -> 'items') i) FROM orders o ORDER BY o.id

SELECT p.id, (SELECT count(*) FROM jsonb_array_elements_text(p.data -> 'tags') t WHERE t = 'sale') FROM products p ORDER BY p.id LIMIT 50

SELECT p.id FROM products p WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.data -> 'tags') t WHERE t ILIKE 's%') ORDER BY p.id

SELECT c.id, CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.data ->> 'customer' = c.id) THEN 'buyer' ELSE 'prospect' END FROM customers c ORDER BY c.id

SELECT c.id FROM customers c ORDER BY (SELECT count(*) FROM orders o WHERE o.data ->> 'customer' = c.id) DESC, c.id LIMIT 10

SELECT (SELECT count(*) FROM products) + (SELECT count(*) FROM orders)

SELECT (SELECT id FROM products ORDER BY id LIMIT 1), (SELECT id FROM products ORDER BY id DESC LIMIT 1)

SELECT (SELECT id FROM products)

SELECT (SELECT id, data FROM products LIMIT 1)

SELECT id FROM products WHERE id = (SELECT min(id) FROM products)

SELECT c.data ->> 'country', (SELECT count(*) FROM customers c2 WHERE c2.data ->> 'country' = c.data ->> 'country') FROM customers c GROUP BY 1 ORDER BY 1

SELECT c.id, o.n FROM customers c, LATERAL (SELECT count(*) AS n FROM orders o WHERE o.data ->> 'customer' = c.id) o ORDER BY c.id

SELECT id FROM orders WHERE data ->> 'customer' = ANY (SELECT id FROM customers WHERE (data ->> 'vip')::bool) ORDER BY id

# GROUPING SETS, ROLLUP, CUBE
SELECT data ->> 'status' AS s, (data ->> 'paid') AS p, count(*) FROM orders GROUP BY ROLLUP (1, 2) ORDER BY 1, 2

SELECT data ->> 'status' AS s, (data ->> 'paid')::bool AS p, count(*) FROM orders GROUP BY ROLLUP ((data ->> 'status'), (data ->> 'paid')::bool) ORDER BY 1, 2

SELECT data ->> 'status' AS s, data ->> 'paid' AS p, count(*) FROM orders GROUP BY CUBE (data ->> 'status', data ->> 'paid') ORDER BY 1, 2

SELECT data ->> 'status' AS s, data ->> 'paid' AS p, count(*) FROM orders GROUP BY GROUPING SETS ((data ->> 'status'), (data ->> 'paid'), ()) ORDER BY 1, 2

SELECT data ->> 'status' AS s, grouping(data ->> 'status'), count(*) FROM orders GROUP BY ROLLUP (data ->> 'status') ORDER BY 1

SELECT data ->> 'country' AS country, (data ->> 'vip')::bool AS vip, count(*), grouping(data ->> 'country', (data ->> 'vip')::bool) FROM customers GROUP BY CUBE (1, 2) ORDER BY 1, 2

SELECT date_trunc('quarter', (data ->> 'placed_at')::timestamptz) AS q, data ->> 'status' AS s, sum((data ->> 'total')::numeric) FROM orders GROUP BY ROLLUP (1, 2) ORDER BY 1, 2

SELECT data ->> 'category' AS c, count(*) FROM products GROUP BY GROUPING SETS ((data ->> 'category'), ()) ORDER BY 1

SELECT count(*) FROM products GROUP BY ()

# DISTINCT and DISTINCT ON
SELECT DISTINCT data ->> 'category' FROM products ORDER BY 1

SELECT DISTINCT data ->> 'status', data ->> 'paid' FROM orders ORDER BY 1, 2

SELECT DISTINCT ON (data ->> 'customer') data ->> 'customer', id FROM orders ORDER BY data ->> 'customer', id

SELECT DISTINCT ON (data ->> 'customer') data ->> 'customer', id, data ->> 'total' FROM orders ORDER BY data ->> 'customer', (data ->> 'total')::numeric DESC, id

SELECT DISTINCT ON (data ->> 'category') id, data ->> 'category' FROM products ORDER BY data ->> 'category', (data ->> 'price')::numeric, id

SELECT DISTINCT ON (1) data ->> 'country', id FROM customers ORDER BY 1, 2

SELECT DISTINCT ON (data ->> 'country') id FROM customers ORDER BY id

# window functions with frames
SELECT id, row_number() OVER (ORDER BY id) FROM customers ORDER BY id

SELECT id, row_number() OVER (PARTITION BY data ->> 'country' ORDER BY id) FROM customers ORDER BY id

SELECT id, rank() OVER (ORDER BY data ->> 'country'), dense_rank() OVER (ORDER BY data ->> 'country') FROM customers ORDER BY id

SELECT id, percent_rank() OVER (ORDER BY id), cume_dist() OVER (ORDER BY id) FROM customers WHERE id < 'c010' ORDER BY id

SELECT id, ntile(4) OVER (ORDER BY id) FROM customers ORDER BY id

SELECT id, lag(id) OVER (ORDER BY id), lead(id, 2, 'none') OVER (ORDER BY id) FROM customers ORDER BY id

SELECT id, first_value(id) OVER w, last_value(id) OVER w, nth_value(id, 2) OVER w FROM customers WINDOW w AS (PARTITION BY data ->> 'country' ORDER BY id) ORDER BY id

SELECT id, last_value(id) OVER (PARTITION BY data ->> 'country' ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM customers ORDER BY id

SELECT id, (data ->> 'total')::numeric AS t, sum((data ->> 'total')::numeric) OVER (ORDER BY id) FROM orders ORDER BY id

SELECT id, sum((data ->> 'total')::numeric) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM orders ORDER BY id

SELECT id, avg((data ->> 'total')::numeric) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM orders ORDER BY id

SELECT id, count(*) OVER (ORDER BY (data ->> 'total')::numeric RANGE BETWEEN 50 PRECEDING AND 50 FOLLOWING) FROM orders ORDER BY id

SELECT id, count(*) OVER (ORDER BY data ->> 'status' GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM orders ORDER BY id

SELECT id, sum((data ->> 'total')::numeric) OVER (PARTITION BY data ->> 'customer' ORDER BY id ROWS UNBOUNDED PRECEDING EXCLUDE CURRENT ROW) FROM orders ORDER BY id

SELECT id, max((data ->> 'total')::numeric) OVER (PARTITION BY data ->> 'status') FROM orders ORDER BY id

SELECT id, count(*) OVER () FROM customers ORDER BY id LIMIT 5

SELECT id, jsonb_agg(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM customers WHERE id < 'c008' ORDER BY id

SELECT data ->> 'status', count(*), rank() OVER (ORDER BY count(*) DESC) FROM orders GROUP BY 1 ORDER BY 1

SELECT * FROM (SELECT id, data ->> 'customer' AS c, row_number() OVER (PARTITION BY data ->> 'customer' ORDER BY (data ->> 'total')::numeric DESC, id) AS r FROM orders) t WHERE r = 1 ORDER BY c

SELECT id, row_number() OVER (ORDER BY id) FROM customers WHERE row_number() OVER (ORDER BY id) < 3

# CTEs and recursive CTEs over jsonb
WITH big AS (SELECT id, (data ->> 'total')::numeric AS t FROM orders WHERE (data ->> 'total')::numeric > 800) SELECT count(*), sum(t) FROM big

WITH c AS (SELECT id, data ->> 'country' AS country FROM customers), o AS (SELECT data ->> 'customer' AS cid FROM orders) SELECT country, count(*) FROM c JOIN o ON o.cid = c.id GROUP BY 1 ORDER BY 1

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT sum(i) FROM n

WITH RECURSIVE t(path, value) AS (SELECT ARRAY[]::text[], '{"a": {"b": {"c": 1}, "d": [1, 2]}, "e": "x"}'::jsonb UNION ALL SELECT t.path || kv.key, kv.value FROM t, jsonb_each(CASE jsonb_typeof(t.value) WHEN 'object' THEN t.value ELSE '{}' END) kv) SELECT path, value FROM t ORDER BY path

WITH RECURSIVE walk(id, key, value) AS (SELECT id, NULL::text, data FROM products WHERE id < 'p0004' UNION ALL SELECT w.id, kv.key, kv.value FROM walk w, jsonb_each(w.value) kv WHERE jsonb_typeof(w.value) = 'object') SELECT id, key, value FROM walk WHERE key IS NOT NULL ORDER BY id, key, value

WITH RECURSIVE elems(doc, depth) AS (SELECT '[1, [2, [3, [4]]]]'::jsonb, 0 UNION ALL SELECT e, depth + 1 FROM elems, jsonb_array_elements(doc) e WHERE jsonb_typeof(doc) = 'array') SELECT depth, doc FROM elems ORDER BY depth, doc

WITH RECURSIVE chain(id, n) AS (SELECT 'c001'::text, 1 UNION ALL SELECT (SELECT min(id) FROM customers WHERE id > chain.id), n + 1 FROM chain WHERE n < 5) SELECT * FROM chain

WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n FROM r) SELECT * FROM r

WITH x AS MATERIALIZED (SELECT id FROM customers WHERE id < 'c004') SELECT * FROM x ORDER BY id

WITH x AS NOT MATERIALIZED (SELECT id FROM customers WHERE id < 'c004') SELECT * FROM x ORDER BY id

WITH x(a, b) AS (VALUES (1, 'one'), (2, 'two')) SELECT b, a FROM x ORDER BY a

# set operations, VALUES, misc
SELECT id FROM customers WHERE id < 'c003' UNION ALL SELECT id FROM customers WHERE id < 'c002' ORDER BY 1

SELECT id FROM customers WHERE id < 'c005' INTERSECT SELECT id FROM customers WHERE id > 'c002' ORDER BY 1

SELECT id FROM customers WHERE id < 'c005' EXCEPT SELECT id FROM customers WHERE id > 'c002' ORDER BY 1

SELECT data ->> 'city' FROM customers UNION SELECT data #>> '{shipping,city}' FROM orders ORDER BY 1

SELECT 1 AS a UNION SELECT 'x'

VALUES (1, 'a'), (2, 'b')

VALUES (1, 'a'), (2, 'b') ORDER BY 1 DESC

SELECT * FROM (VALUES (1, '{"a": 1}'::jsonb), (2, NULL)) v(n, j) ORDER BY n

SELECT * FROM (SELECT id FROM customers ORDER BY id LIMIT 3) s ORDER BY id DESC

TABLE customers ORDER BY id LIMIT 2

SELECT id, data FROM customers ORDER BY id LIMIT 3

SELECT customers.id FROM customers ORDER BY 1 LIMIT 3

SELECT c.* FROM (SELECT id, data -> 'vip' AS vip FROM customers) c ORDER BY c.id LIMIT 5

SELECT "id" FROM "customers" ORDER BY "id" LIMIT 2

SELECT ID FROM CUSTOMERS ORDER BY Id LIMIT 2

SELECT "ID" FROM customers

SELECT id FROM "Customers"

SELECT nope FROM customers

SELECT * FROM nope

SELECT id FROM customers c WHERE customers.id = 'c001'

SELECT id FROM customers, orders

SELECT id, count(*) FROM customers

SELECT data ->> 'country', id FROM customers GROUP BY 1

SELECT 1 FROM customers HAVING count(*) > 1

SELECT count(*) FILTER (WHERE (data ->> 'vip')::bool), count(*) FILTER (WHERE NOT (data ->> 'vip')::bool) FROM customers

# the generated document columns: comparable where both systems must agree, and SELECT * as
# users write it (its rev and timestamps necessarily differ)
SELECT id, key_id, author FROM customers ORDER BY id

SELECT key_id, count(*) FROM products GROUP BY 1

SELECT count(*) FROM orders WHERE created_at <= now() AND updated_at >= created_at

SELECT count(*) FROM orders WHERE rev IS NOT NULL

SELECT id, seq FROM customers ORDER BY id

SELECT id FROM customers ORDER BY seq LIMIT 5

SELECT max(seq) FROM orders

SELECT pg_typeof(id), pg_typeof(data), pg_typeof(rev), pg_typeof(seq), pg_typeof(key_id), pg_typeof(author), pg_typeof(created_at), pg_typeof(updated_at) FROM customers WHERE id = 'c001'

SELECT * FROM customers ORDER BY id LIMIT 3

SELECT * FROM customers WHERE false

SELECT c.* FROM customers c WHERE c.id = 'c001'
