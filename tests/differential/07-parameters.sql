# Area 7 of issue 18: typed parameters through the extended protocol. Every record here sends
# Parse with no parameter types, so the server infers them; the inferred types
# (ParameterDescription) are compared, then the values below are bound in text format and
# the results compared (in binary format where the record says `-- binary`).

# explicit casts: every type of item 7, a value and NULL
-- params: ["42"]
SELECT $1::int4

-- params: [null]
SELECT $1::int4

-- params: ["-32768"]
SELECT $1::int2

-- params: ["9223372036854775807"]
SELECT $1::int8

-- params: [null]
SELECT $1::int8

-- params: ["1.5"]
SELECT $1::float4

-- params: ["0.1"]
SELECT $1::float8

-- params: ["NaN"]
SELECT $1::float8

-- params: ["12.500"]
SELECT $1::numeric

-- params: ["1e3"]
SELECT $1::numeric

-- params: ["t"]
SELECT $1::bool

-- params: ["yes"]
SELECT $1::boolean

-- params: ["hello"]
SELECT $1::text

-- params: [""]
SELECT $1::text

-- params: ["ünïcödé 東京 🍕"]
SELECT $1::text

-- params: ["abc"]
SELECT $1::varchar

-- params: ["abcdef"]
SELECT $1::varchar(3)

-- params: ["\\x0102ff"]
SELECT $1::bytea

-- params: ["{\"b\": 1, \"a\": [1, 2]}"]
SELECT $1::json

-- params: ["{\"b\": 1, \"a\": [1, 2]}"]
SELECT $1::jsonb

-- params: ["{\"a\": 1.50, \"b\": 1e-6}"]
SELECT $1::jsonb

-- params: ["null"]
SELECT $1::jsonb

-- params: [null]
SELECT $1::jsonb

-- params: ["2024-03-01"]
SELECT $1::date

-- params: ["12:34:56.5"]
SELECT $1::time

-- params: ["2024-03-01 12:34:56"]
SELECT $1::timestamp

-- params: ["2024-03-01 12:34:56+02"]
SELECT $1::timestamptz

-- params: ["1 day 02:03:04"]
SELECT $1::interval

-- params: ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"]
SELECT $1::uuid

-- params: [null]
SELECT $1::uuid

-- params: ["{1,2,3}"]
SELECT $1::int4[]

-- params: ["{1,NULL,3}"]
SELECT $1::int8[]

-- params: ["{a,\"b c\",NULL}"]
SELECT $1::text[]

-- params: ["{}"]
SELECT $1::text[]

-- params: ["{1.5,2.25}"]
SELECT $1::numeric[]

-- params: ["{t,f}"]
SELECT $1::bool[]

-- params: ["{\"{\\\"a\\\": 1}\",\"[2]\"}"]
SELECT $1::jsonb[]

-- params: ["{2024-03-01,2024-03-02}"]
SELECT $1::date[]

-- params: ["{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"]
SELECT $1::uuid[]

-- params: ["{1.5,2}"]
SELECT $1::float8[]

-- params: [null]
SELECT $1::int4[]

# NULL of each type
-- params: [null]
SELECT $1::int2

-- params: [null]
SELECT $1::float4

-- params: [null]
SELECT $1::float8

-- params: [null]
SELECT $1::numeric

-- params: [null]
SELECT $1::bool

-- params: [null]
SELECT $1::text

-- params: [null]
SELECT $1::varchar

-- params: [null]
SELECT $1::bytea

-- params: [null]
SELECT $1::json

-- params: [null]
SELECT $1::date

-- params: [null]
SELECT $1::time

-- params: [null]
SELECT $1::timestamp

-- params: [null]
SELECT $1::timestamptz

-- params: [null]
SELECT $1::interval

-- params: [null]
SELECT $1::text[]

-- params: [null]
SELECT $1::jsonb[]

-- params: [null]
SELECT $1::uuid[]

# one-dimensional arrays of the other types
-- params: ["{1,-2}"]
SELECT $1::int2[]

-- params: ["{1.5,NaN}"]
SELECT $1::float4[]

-- params: ["{x,y}"]
SELECT $1::varchar[]

-- params: ["{\"\\\\x01\",\"\\\\xff\"}"]
SELECT $1::bytea[]

-- params: ["{\"{\\\"a\\\": 1}\"}"]
SELECT $1::json[]

-- params: ["{12:00,13:30:15}"]
SELECT $1::time[]

-- params: ["{\"2024-03-01 10:00\"}"]
SELECT $1::timestamp[]

-- params: ["{\"2024-03-01 10:00+02\"}"]
SELECT $1::timestamptz[]

-- params: ["{\"1 day\",\"2 hours\"}"]
SELECT $1::interval[]

-- params: ["{NULL}"]
SELECT $1::numeric[]

-- params: ["42", "x", "2024-03-01"]
SELECT $1::int4 AS a, $2::text AS b, $3::date AS c

-- params: ["42"]
SELECT CAST($1 AS int8)

-- params: ["42"]
SELECT $1::int4 + 1

-- params: ["5"]
SELECT $1::int + $1::int

# invalid values: the SQLSTATE of the failed bind or cast
-- params: ["abc"]
SELECT $1::int4

-- params: ["99999999999"]
SELECT $1::int4

-- params: ["1.5"]
SELECT $1::int8

-- params: ["{\"a\": 1,}"]
SELECT $1::jsonb

-- params: ["2024-02-30"]
SELECT $1::date

-- params: ["not-a-uuid"]
SELECT $1::uuid

-- params: ["maybe"]
SELECT $1::bool

-- params: ["{1,2"]
SELECT $1::int4[]

-- params: ["\\xzz"]
SELECT $1::bytea

-- params: ["1"]
SELECT $1::int4, $2::int4

-- params: ["1", "2"]
SELECT $1::int4

# inference without casts: comparison, operators, function arguments
-- params: ["c001"]
SELECT id FROM customers WHERE id = $1

-- params: ["c001"]
SELECT id, data FROM customers WHERE id = $1

-- params: ["nope"]
SELECT id, data FROM customers WHERE id = $1

-- params: [null]
SELECT id FROM customers WHERE id = $1

-- params: ["c005"]
SELECT id FROM customers WHERE id < $1 ORDER BY id

-- params: ["CH"]
SELECT id FROM customers WHERE data ->> 'country' = $1 ORDER BY id

-- params: ["country", "CH"]
SELECT id FROM customers WHERE data ->> $1 = $2 ORDER BY id

-- params: ["{\"country\": \"JP\"}"]
SELECT id FROM customers WHERE data @> $1 ORDER BY id

-- params: ["{\"country\": \"JP\"}"]
SELECT id FROM customers WHERE data @> $1::jsonb ORDER BY id

-- params: ["phone"]
SELECT id FROM customers WHERE data ? $1 ORDER BY id

-- params: ["{phone,vip}"]
SELECT count(*) FROM customers WHERE data ?& $1

-- params: ["name"]
SELECT id, data -> $1 FROM customers WHERE id < 'c004' ORDER BY id

-- params: ["0"]
SELECT data -> 'tags' -> $1::int FROM customers WHERE id = 'c001'

-- params: ["{address,city}"]
SELECT id, data #>> $1 FROM customers WHERE id < 'c004' ORDER BY id

-- params: ["$.address.geo ? (@.lat > 45)"]
SELECT id FROM customers WHERE data @? $1 ORDER BY id

-- params: ["$.address.geo ? (@.lat > 45)"]
SELECT id FROM customers WHERE jsonb_path_exists(data, $1) ORDER BY id

-- params: ["500"]
SELECT id FROM orders WHERE (data ->> 'total')::numeric > $1 ORDER BY id

-- params: ["900"]
SELECT id FROM products WHERE (data ->> 'qty')::int8 > $1 ORDER BY id

-- params: ["2024-11-15"]
SELECT id FROM orders WHERE (data ->> 'placed_at')::timestamptz > $1 ORDER BY id

-- params: ["2024-12-01"]
SELECT id FROM orders WHERE (data ->> 'placed_at')::date >= $1 ORDER BY id

-- params: ["true"]
SELECT id FROM customers WHERE (data ->> 'vip')::bool = $1 ORDER BY id

-- params: ["{c001,c002,c999}"]
SELECT id FROM customers WHERE id = ANY($1) ORDER BY id

-- params: ["{c001,c002}"]
SELECT id FROM customers WHERE id = ANY($1::text[]) ORDER BY id

-- params: ["{c001,c002}"]
SELECT id FROM customers WHERE id <> ALL($1) ORDER BY id

-- params: ["{1,2,3}"]
SELECT 2 = ANY($1)

-- params: ["{CH,JP}"]
SELECT count(*) FROM customers WHERE data ->> 'country' = ANY($1)

-- params: ["%ü%"]
SELECT id FROM products WHERE data ->> 'name' LIKE $1 ORDER BY id

-- params: ["chair"]
SELECT id FROM products WHERE data ->> 'name' ILIKE '%' || $1 || '%' ORDER BY id

-- params: ["^Red"]
SELECT id FROM products WHERE data ->> 'name' ~ $1 ORDER BY id

-- params: ["a", "1"]
SELECT jsonb_build_object($1::text, $2::int)

-- params: ["a", "1"]
SELECT jsonb_build_object($1, $2)

-- params: ["1", "x"]
SELECT jsonb_build_array($1, $2)

-- params: ["5"]
SELECT to_jsonb($1::int)

-- params: ["5"]
SELECT to_jsonb($1)

-- params: ["{\"a\": 1}", "{b}", "2"]
SELECT jsonb_set($1, $2, $3)

-- params: ["{\"a\": 1}", "b", "2"]
SELECT $1::jsonb || jsonb_build_object($2::text, $3::int)

-- params: ["x"]
SELECT length($1)

-- params: ["x"]
SELECT upper($1)

-- params: ["Hello %s", "World"]
SELECT format($1, $2)

-- params: ["abc"]
SELECT md5($1)

-- params: ["a,b,c", ",", "2"]
SELECT split_part($1, $2, $3)

-- params: ["x"]
SELECT $1

-- params: ["x"]
SELECT $1 AS v

-- params: [null]
SELECT $1 IS NULL

-- params: ["1", "2"]
SELECT $1 + $2

-- params: ["1"]
SELECT $1 + 1

-- params: ["1.5"]
SELECT $1 + 1.0

-- params: ["1"]
SELECT 1 + $1::numeric

-- params: ["x", "y"]
SELECT $1 || $2

-- params: ["x"]
SELECT coalesce($1, 'default')

-- params: ["2"]
SELECT CASE WHEN $1::int > 1 THEN 'big' ELSE 'small' END

-- params: ["2024-03-01"]
SELECT $1::date + 1

-- params: ["2024-03-01", "1 day"]
SELECT $1::timestamp + $2::interval

-- params: ["2024-03-01 10:00"]
SELECT date_trunc('day', $1::timestamptz)

-- params: ["YYYY-MM-DD"]
SELECT to_char('2024-03-01'::date, $1)

-- params: ["english", "fat & rats"]
SELECT to_tsquery($1::regconfig, $2)

-- params: ["the fat rats"]
SELECT to_tsvector('english', $1) @@ plainto_tsquery('english', 'rat')

# LIMIT and OFFSET parameters are int8
-- params: ["3"]
SELECT id FROM customers ORDER BY id LIMIT $1

-- params: ["3", "2"]
SELECT id FROM customers ORDER BY id LIMIT $1 OFFSET $2

-- params: [null]
SELECT id FROM customers ORDER BY id LIMIT $1

-- params: ["-1"]
SELECT id FROM customers ORDER BY id LIMIT $1

-- params: ["x"]
SELECT id FROM customers ORDER BY id LIMIT $1

-- params: ["2"]
SELECT g FROM generate_series(1, 10) g ORDER BY g FETCH FIRST $1 ROWS ONLY

# set-returning functions with parameters
-- params: ["1", "5"]
SELECT * FROM generate_series($1::int, $2::int)

-- params: ["1", "5"]
SELECT * FROM generate_series($1, $2)

-- params: ["[1, \"a\", null]"]
SELECT * FROM jsonb_array_elements($1)

-- params: ["[1, \"a\", null]"]
SELECT * FROM jsonb_array_elements($1::jsonb)

-- params: ["{\"b\": 1, \"a\": 2}"]
SELECT * FROM jsonb_each($1::jsonb)

-- params: ["{x,y}"]
SELECT * FROM unnest($1::text[]) WITH ORDINALITY

-- params: ["p0002"]
SELECT t FROM products p, jsonb_array_elements_text(p.data -> 'tags') t WHERE p.id = $1 ORDER BY t

# writes: INSERT/UPDATE/DELETE targets give their columns' types
-- params: ["pq1", "{\"a\": 1}"]
INSERT INTO scratch (id, data) VALUES ($1, $2)

-- params: ["pq2", "{\"b\": [1, 2.50]}"]
INSERT INTO scratch (id, data) VALUES ($1, $2) RETURNING id, data

-- params: ["pq3", null]
INSERT INTO scratch (id, data) VALUES ($1, $2) RETURNING id, data

-- params: ["pq4", "{bad"]
INSERT INTO scratch (id, data) VALUES ($1, $2)

-- params: ["pq1", "{}"]
INSERT INTO scratch (id, data) VALUES ($1, $2)

-- params: ["pq5", "{\"n\": 1}"]
INSERT INTO scratch (id, data) VALUES ($1, $2::jsonb)

-- params: ["pq6", "7"]
INSERT INTO scratch (id, data) VALUES ($1, jsonb_build_object('n', $2::int)) RETURNING data

-- params: ["{\"c\": 3}", "pq1"]
UPDATE scratch SET data = $1 WHERE id = $2

-- params: ["{\"d\": 4}", "pq1"]
UPDATE scratch SET data = data || $1 WHERE id = $2 RETURNING data

-- params: ["{\"d\": 4}", "pq1"]
UPDATE scratch SET data = data || $1::jsonb WHERE id = $2 RETURNING data

-- params: ["{n}", "99", "pq6"]
UPDATE scratch SET data = jsonb_set(data, $1, $2::jsonb) WHERE id = $3 RETURNING data

-- params: ["pq5"]
DELETE FROM scratch WHERE id = $1

-- params: ["{pq2,pq3}"]
DELETE FROM scratch WHERE id = ANY($1) RETURNING id

-- params: ["pq%"]
SELECT id, data FROM scratch WHERE id LIKE $1 ORDER BY id

-- params: ["pq%"]
DELETE FROM scratch WHERE id LIKE $1

# binary results for the same types
-- binary
SELECT 42::int2, 42::int4, 42::int8

-- binary
SELECT 1.5::float4, 0.1::float8

-- binary
SELECT 12.500::numeric, (-0.001)::numeric, 0::numeric, 123456789012345678901234567890::numeric

-- binary
SELECT true, false, NULL::bool

-- binary
SELECT 'text'::text, 'ü'::varchar, '\x0102'::bytea

-- binary
SELECT '{"b": 1, "a": 2}'::json, '{"b": 1, "a": 2}'::jsonb

-- binary
SELECT '2024-03-01'::date, '12:34:56.5'::time, '2024-03-01 12:34:56.789'::timestamp, '2024-03-01 12:34:56+02'::timestamptz

-- binary
SELECT '1 year 2 months 3 days 04:05:06.7'::interval

-- binary
SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid

-- binary
SELECT ARRAY[1, 2, NULL], ARRAY['a', 'b'], '{}'::int4[], ARRAY[1.5::float8]

-- binary
SELECT id, data FROM customers WHERE id < 'c004' ORDER BY id

-- binary
SELECT id, data -> 'address', (data #>> '{address,geo,lat}')::numeric FROM customers WHERE id < 'c004' ORDER BY id

-- binary
-- params: ["c002"]
SELECT id, data FROM customers WHERE id = $1

-- binary
-- params: ["7"]
SELECT $1::int4, $1::int8, $1::numeric, $1::float8, $1::text

-- binary
SELECT count(*), sum((data ->> 'total')::numeric) FROM orders

# extended protocol without parameters
-- extended
SELECT id, data FROM customers WHERE id < 'c004' ORDER BY id

-- extended
SELECT count(*) FROM products

-- extended
SELECT nope FROM products

-- extended
SELECT 1/0

-- extended
BEGIN

-- extended
SET TimeZone = 'UTC'

-- extended
SELECT jsonb_typeof('{}'), jsonb_build_object('a', 1)
