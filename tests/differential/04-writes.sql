# Area 4 of issue 18: statements that write, as users write them: INSERT, UPDATE and DELETE on
# the seeded tables inside blocks that roll back, and on the scratch table (emptied again at
# the end). RETURNING lists id and data only: rev, seq and the timestamps are MindooDB's own.

INSERT INTO scratch (id, data) VALUES ('s1', '{"a": 1}')

INSERT INTO scratch (id, data) VALUES ('s2', '{"b": [1, 2], "a": "x"}'), ('s3', '{}'), ('s4', '[]')

INSERT INTO scratch (id, data) VALUES ('s5', '"just a string"'), ('s6', '42'), ('s7', 'null')

INSERT INTO scratch (id, data) VALUES ('s8', '{"n": 1.50, "e": 1e3, "big": 123456789012345678901234567890}') RETURNING id, data

INSERT INTO scratch (id, data) VALUES ('s9', jsonb_build_object('k', 'v')) RETURNING data

INSERT INTO scratch (id, data) VALUES ('s10', '{"ü": "東京", "emoji": "🍕"}') RETURNING id, data ->> 'ü'

INSERT INTO scratch (id, data) SELECT 'copy-' || id, data FROM customers WHERE id < 'c004'

INSERT INTO scratch (id, data) VALUES ('s1', '{"dup": true}')

INSERT INTO scratch (id, data) VALUES ('s11', '{"a": 1,}')

INSERT INTO scratch (id, data) VALUES ('s12', NULL) RETURNING id, data

INSERT INTO scratch (id) VALUES ('s13') RETURNING id, data

INSERT INTO scratch (id, data) VALUES (NULL, '{}')

INSERT INTO scratch (id, data) VALUES ('', '{"empty id": true}') RETURNING id

INSERT INTO scratch (id, data) VALUES ('s14', '{}'), ('s14', '{}')

INSERT INTO scratch (id, data) VALUES ('s15', 5)

INSERT INTO scratch (id, data) VALUES ('s16', '{"a": 1}'::json)

INSERT INTO scratch (id, data) VALUES ('s17', '{"a": 1}'::text)

INSERT INTO scratch (nope) VALUES (1)

INSERT INTO scratch (id, data) VALUES ('s18')

INSERT INTO scratch VALUES ('s19', '{"positional": true}')

INSERT INTO scratch (id, data) VALUES ('s20', '{"x": 1}') ON CONFLICT DO NOTHING

INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 1}') ON CONFLICT DO NOTHING

INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 2}') ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data RETURNING id, data

INSERT INTO scratch (id, data) VALUES ('s1', '{"y": 3}') ON CONFLICT (id) DO UPDATE SET data = scratch.data || EXCLUDED.data RETURNING id, data

# ON CONFLICT: the arbiter, DO NOTHING and DO UPDATE with their errors, each in a block that
# rolls back so that the scratch table stays as it was.
BEGIN; INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 1}'), ('oc1', '{}'), ('oc1', '{"b": 1}') ON CONFLICT DO NOTHING RETURNING id, data; SELECT id, data FROM scratch WHERE id IN ('s1', 'oc1'); ROLLBACK

INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 1}'), ('s1', '{}') ON CONFLICT (id) DO UPDATE SET data = excluded.data

INSERT INTO scratch (id, data) VALUES ('oc2', '{"x": 1}'), ('oc2', '{}') ON CONFLICT (id) DO UPDATE SET data = excluded.data

INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 1}') ON CONFLICT (data) DO NOTHING

INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 1}') ON CONFLICT (id, data) DO NOTHING

INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 1}') ON CONFLICT (nope) DO NOTHING

INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 1}') ON CONFLICT ON CONSTRAINT nope DO NOTHING

BEGIN; INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 1}'), ('oc3', '{}') ON CONFLICT ON CONSTRAINT scratch_pkey DO NOTHING RETURNING id; ROLLBACK

INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 1}') ON CONFLICT DO UPDATE SET data = excluded.data

BEGIN; INSERT INTO scratch AS c (id, data) VALUES ('s1', '{"x": 1}'), ('oc4', '{"new": 1}') ON CONFLICT (id) DO UPDATE SET data = c.data || excluded.data WHERE c.data ? 'x' RETURNING id, data; ROLLBACK

BEGIN; INSERT INTO scratch AS c (id, data) VALUES ('s1', '{"x": 1}') ON CONFLICT (id) DO UPDATE SET data = c.data || excluded.data WHERE c.data ? 'zz' RETURNING id; SELECT data FROM scratch WHERE id = 's1'; ROLLBACK

BEGIN; INSERT INTO scratch (id, data) VALUES ('s2', '{"z": 1}') ON CONFLICT (id) DO UPDATE SET data = scratch.data || excluded.data WHERE excluded.id = 's2' RETURNING id, data; ROLLBACK

BEGIN; INSERT INTO scratch (id, data) VALUES ('s2', '{}') ON CONFLICT (id) DO UPDATE SET data = jsonb_set(scratch.data, '{from}', to_jsonb(excluded.key_id)) RETURNING data; ROLLBACK

BEGIN; INSERT INTO scratch (id, data) VALUES ('s3', '{}') ON CONFLICT (id) DO UPDATE SET data = (SELECT data FROM scratch o WHERE o.id = 's2') RETURNING id, data; ROLLBACK

BEGIN; INSERT INTO scratch (id, data) SELECT id, '{"again": true}' FROM scratch WHERE id IN ('s2', 's3') ON CONFLICT (id) DO UPDATE SET data = scratch.data || excluded.data RETURNING id, data; ROLLBACK

INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 1}') ON CONFLICT (id) DO UPDATE SET data = excluded.nope

INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 1}') ON CONFLICT (id) DO UPDATE SET data = nope

INSERT INTO scratch (id, data) VALUES ('s1', '{"x": 1}') ON CONFLICT (id) DO UPDATE SET data = data

INSERT INTO scratch (id, data) VALUES ('s1', '{"q": 1}') ON CONFLICT (id) DO UPDATE SET data = excluded.data, data = '{}'

BEGIN; INSERT INTO scratch (id, data) VALUES ('s1', '{}') ON CONFLICT (id) DO NOTHING; INSERT INTO scratch (id, data) VALUES ('s1', '{}'); ROLLBACK

SELECT id, data FROM scratch ORDER BY id

SELECT count(*) FROM scratch

SELECT id, key_id, author FROM scratch ORDER BY id

UPDATE scratch SET data = data || '{"touched": true}' WHERE id = 's2' RETURNING id, data

UPDATE scratch SET data = jsonb_set(data, '{b,0}', '99') WHERE id = 's2' RETURNING data

UPDATE scratch SET data = data - 'touched' WHERE id = 's2' RETURNING data

UPDATE scratch SET data = data #- '{b,1}' WHERE id = 's2' RETURNING data

UPDATE scratch SET data = '{"replaced": 1}' WHERE id LIKE 'copy-%'

UPDATE scratch SET data = data WHERE id = 'nope'

UPDATE scratch SET data = '{"bad": }' WHERE id = 's3'

UPDATE scratch SET id = 's3-renamed' WHERE id = 's3' RETURNING id

UPDATE scratch SET data = jsonb_build_object('was', data) WHERE jsonb_typeof(data) <> 'object' RETURNING id, data

UPDATE scratch SET nope = 1

UPDATE scratch s SET data = s.data || jsonb_build_object('len', length(s.id)) WHERE s.id IN ('s1', 's2') RETURNING s.id, s.data

SELECT id, data FROM scratch ORDER BY id

DELETE FROM scratch WHERE id = 's4' RETURNING id, data

DELETE FROM scratch WHERE id = 'nope'

DELETE FROM scratch WHERE data ? 'replaced'

DELETE FROM scratch WHERE data @> '{"a": "x"}' RETURNING id

SELECT id, data FROM scratch ORDER BY id

BEGIN; DELETE FROM scratch; SELECT count(*) FROM scratch; ROLLBACK

SELECT count(*) FROM scratch

BEGIN; INSERT INTO scratch (id, data) VALUES ('t1', '{}'); SELECT id FROM scratch WHERE id = 't1'; COMMIT

SELECT id, data FROM scratch WHERE id = 't1'

BEGIN; INSERT INTO scratch (id, data) VALUES ('t2', '{}'); INSERT INTO scratch (id, data) VALUES ('t2', '{}'); COMMIT

SELECT count(*) FROM scratch WHERE id = 't2'

BEGIN; INSERT INTO scratch (id, data) VALUES ('t3', '{}'); SAVEPOINT sp; INSERT INTO scratch (id, data) VALUES ('t3', '{}'); ROLLBACK TO SAVEPOINT sp; INSERT INTO scratch (id, data) VALUES ('t4', '{}'); COMMIT

SELECT id FROM scratch WHERE id IN ('t3', 't4') ORDER BY id

BEGIN; UPDATE scratch SET data = '{"v": 1}' WHERE id = 't1'; SAVEPOINT a; UPDATE scratch SET data = '{"v": 2}' WHERE id = 't1'; ROLLBACK TO a; SELECT data FROM scratch WHERE id = 't1'; ROLLBACK

BEGIN; SELECT 1; SELECT nope

BEGIN; SELECT nope; SELECT 1

BEGIN; SELECT nope; ROLLBACK; SELECT 1

BEGIN; SELECT nope; COMMIT

BEGIN

COMMIT

ROLLBACK

SAVEPOINT x

BEGIN; RELEASE SAVEPOINT nope; ROLLBACK

DELETE FROM scratch RETURNING id

SELECT count(*) FROM scratch

# writes to the seeded tables, rolled back
BEGIN; UPDATE products SET data = data || '{"checked": true}' WHERE data ->> 'category' = 'tools'; SELECT count(*) FROM products WHERE data ? 'checked'; ROLLBACK

BEGIN; UPDATE products SET data = jsonb_set(data, '{price}', to_jsonb(round((data ->> 'price')::numeric * 1.1, 2))) WHERE id < 'p0010' RETURNING id, data -> 'price'; ROLLBACK

BEGIN; UPDATE products SET data = jsonb_set(data, '{meta,supplier,country}', '"CH"') WHERE data #>> '{meta,supplier,country}' = 'DE' RETURNING id; ROLLBACK

BEGIN; UPDATE products SET data = jsonb_insert(data, '{tags,0}', '"hot"') WHERE jsonb_typeof(data -> 'tags') = 'array' AND id < 'p0015' RETURNING id, data -> 'tags'; ROLLBACK

BEGIN; UPDATE products SET data = data - 'discount' WHERE data ? 'discount' RETURNING id; SELECT count(*) FROM products WHERE data ? 'discount'; ROLLBACK

BEGIN; UPDATE orders SET data = jsonb_set(data, '{status}', '"archived"') WHERE data ->> 'status' = 'delivered'; SELECT data ->> 'status', count(*) FROM orders GROUP BY 1 ORDER BY 1; ROLLBACK

BEGIN; UPDATE orders o SET data = o.data || jsonb_build_object('customer_name', c.data -> 'name') FROM customers c WHERE c.id = o.data ->> 'customer' AND o.id < 'o0010' RETURNING o.id, o.data -> 'customer_name'; ROLLBACK

BEGIN; UPDATE customers SET data = data || '{"vip": true}' WHERE id IN (SELECT data ->> 'customer' FROM orders WHERE (data ->> 'total')::numeric > 950) RETURNING id; ROLLBACK

BEGIN; UPDATE customers SET data = jsonb_set(data, '{orders}', (SELECT coalesce(jsonb_agg(o.id ORDER BY o.id), '[]') FROM orders o WHERE o.data ->> 'customer' = customers.id)) WHERE id < 'c005' RETURNING id, data -> 'orders'; ROLLBACK

BEGIN; DELETE FROM orders WHERE data ->> 'status' = 'cancelled'; SELECT count(*) FROM orders; ROLLBACK

BEGIN; DELETE FROM orders WHERE data ->> 'customer' IN (SELECT id FROM customers WHERE data ->> 'country' = 'JP') RETURNING id; ROLLBACK

BEGIN; DELETE FROM products p USING orders o WHERE o.data #>> '{items,0,product}' = p.id AND o.id < 'o0005' RETURNING p.id; ROLLBACK

BEGIN; DELETE FROM customers WHERE id = 'c001'; SELECT count(*) FROM customers; SELECT id FROM customers WHERE id = 'c001'; ROLLBACK

BEGIN; INSERT INTO products (id, data) VALUES ('p9999', '{"name": "new"}'); SELECT id, data FROM products WHERE id >= 'p0299' ORDER BY id; ROLLBACK

BEGIN; INSERT INTO products (id, data) VALUES ('p0001', '{}'); ROLLBACK

BEGIN; UPDATE products SET data = data || '{"x": 1}' WHERE id = 'p0001'; UPDATE products SET data = data || '{"y": 2}' WHERE id = 'p0001'; SELECT data -> 'x', data -> 'y' FROM products WHERE id = 'p0001'; ROLLBACK

BEGIN; UPDATE products SET data = '{}' WHERE true; SELECT count(*) FROM products WHERE data = '{}'; ROLLBACK

BEGIN; DELETE FROM products WHERE 1 = 0; SELECT count(*) FROM products; ROLLBACK

SELECT count(*), sum(length(data::text)) FROM products

SELECT count(*) FROM orders

SELECT count(*) FROM customers
