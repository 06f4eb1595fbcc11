# Area 5 of issue 18: arrays as PostgreSQL has them: literals (also multi-dimensional, with
# NULL elements and bounds), = ANY, array_agg, unnest, array_remove/array_replace/array_cat/
# array_fill, subscripts and slices, containment, and their output text.

SELECT ARRAY[1, 2, 3]

SELECT ARRAY['a', 'b', NULL]

SELECT ARRAY[[1, 2], [3, 4]]

SELECT ARRAY[[1, 2], [3]]

SELECT ARRAY[]::int[]

SELECT ARRAY[]

SELECT ARRAY[1, 'a']

SELECT ARRAY[1.5, 2]

SELECT ARRAY['a b', 'c,d', 'e"f', 'g\h', '', 'NULL', NULL]

SELECT ARRAY[true, false], ARRAY['2024-03-01'::date], ARRAY['{"a": 1}'::jsonb]

SELECT '{1,2,3}'::int[]

SELECT '{{1,2},{3,4}}'::int[]

SELECT '{a,NULL,"NULL",""}'::text[]

SELECT '{ 1 , 2 }'::int[]

SELECT '[0:2]={1,2,3}'::int[]

SELECT '{1,2'::int[]

SELECT '{{1},{2,3}}'::int[]

SELECT '{1,a}'::int[]

SELECT '{}'::text[], '{}'::int[] = ARRAY[]::int[]

SELECT pg_typeof(ARRAY[1]), pg_typeof(ARRAY['a']), pg_typeof('{}'::text[]), pg_typeof(ARRAY[1.5])

SELECT ARRAY(SELECT id FROM customers WHERE id < 'c005' ORDER BY id)

SELECT ARRAY(SELECT 1 WHERE false)

SELECT ARRAY(SELECT ARRAY[1, 2])

# subscripts and slices
SELECT (ARRAY[10, 20, 30])[1], (ARRAY[10, 20, 30])[3], (ARRAY[10, 20, 30])[0], (ARRAY[10, 20, 30])[4]

SELECT (ARRAY[10, 20, 30])[2:3], (ARRAY[10, 20, 30])[:2], (ARRAY[10, 20, 30])[2:], (ARRAY[10, 20, 30])[3:1]

SELECT (ARRAY[[1, 2], [3, 4]])[2][1], (ARRAY[[1, 2], [3, 4]])[1], (ARRAY[[1, 2], [3, 4]])[1:1]

SELECT ('[0:2]={1,2,3}'::int[])[0]

SELECT (ARRAY[1, 2])[NULL]

SELECT (ARRAY[1, 2])['1']

SELECT (ARRAY[1, 2])['x']

# functions
SELECT array_length(ARRAY[1, 2, 3], 1), array_length(ARRAY[[1, 2], [3, 4]], 2), array_length('{}'::int[], 1), array_length(ARRAY[1], 2)

SELECT cardinality(ARRAY[[1, 2], [3, 4]]), cardinality('{}'::int[]), cardinality(NULL::int[])

SELECT array_ndims(ARRAY[[1], [2]]), array_dims(ARRAY[[1, 2], [3, 4]]), array_dims('[0:2]={1,2,3}'::int[]), array_dims('{}'::int[])

SELECT array_lower(ARRAY[1, 2], 1), array_upper(ARRAY[1, 2], 1), array_lower('[3:4]={1,2}'::int[], 1), array_upper('{}'::int[], 1)

SELECT array_append(ARRAY[1, 2], 3), array_prepend(0, ARRAY[1, 2]), array_append(NULL::int[], 1), array_append(ARRAY[1], NULL)

SELECT array_cat(ARRAY[1, 2], ARRAY[3, 4]), array_cat(ARRAY[[1, 2]], ARRAY[3, 4]), array_cat(NULL::int[], ARRAY[1]), array_cat('{}'::int[], '{}'::int[])

SELECT array_cat(ARRAY[1, 2], ARRAY[[3, 4]])

SELECT array_cat(ARRAY[[1, 2]], ARRAY[3])

SELECT ARRAY[1, 2] || ARRAY[3], ARRAY[1, 2] || 3, 0 || ARRAY[1], ARRAY[[1, 2]] || ARRAY[[3, 4]], ARRAY[1] || NULL::int

SELECT ARRAY['a'] || 'b'

SELECT ARRAY[1, 2] || ARRAY['a']

SELECT array_remove(ARRAY[1, 2, 1, 3], 1), array_remove(ARRAY[1, NULL, 2], NULL), array_remove(ARRAY['a'], 'b'), array_remove('{}'::int[], 1)

SELECT array_remove(ARRAY[[1, 2], [3, 4]], 1)

SELECT array_replace(ARRAY[1, 2, 1], 1, 9), array_replace(ARRAY[1, NULL], NULL, 0), array_replace(ARRAY[[1, 2], [1, 3]], 1, 0)

SELECT array_fill(7, ARRAY[3]), array_fill('x'::text, ARRAY[2, 2]), array_fill(0, ARRAY[2], ARRAY[5]), array_fill(NULL::int, ARRAY[2])

SELECT array_fill(1, ARRAY[-1])

SELECT array_fill(1, NULL)

SELECT array_position(ARRAY['a', 'b', 'c', 'b'], 'b'), array_position(ARRAY['a', 'b', 'c', 'b'], 'b', 3), array_position(ARRAY[1], 9), array_position(ARRAY[1, NULL], NULL)

SELECT array_positions(ARRAY['a', 'b', 'a'], 'a'), array_positions(ARRAY[1], 2)

SELECT array_to_string(ARRAY[1, NULL, 3], '-', '?'), array_to_string(ARRAY[[1, 2], [3, 4]], ',')

SELECT trim_array(ARRAY[1, 2, 3, 4], 2), trim_array(ARRAY[1], 1)

SELECT trim_array(ARRAY[1], 3)

SELECT array_sample(ARRAY[1], 1)

# comparison, containment, ANY and ALL
SELECT ARRAY[1, 2] = ARRAY[1, 2], ARRAY[1, 2] = ARRAY[2, 1], ARRAY[1, 2] < ARRAY[1, 3], ARRAY[1, 2] < ARRAY[1, 2, 0], ARRAY[2] > ARRAY[1, 9]

SELECT ARRAY[1, NULL] = ARRAY[1, NULL], ARRAY[[1, 2]] = ARRAY[1, 2]

SELECT ARRAY[1, 2, 3] @> ARRAY[2, 1], ARRAY[1, 2] <@ ARRAY[1, 2, 3], ARRAY[1, 2] && ARRAY[2, 9], ARRAY[1] && ARRAY[2]

SELECT ARRAY[1, NULL] @> ARRAY[NULL::int], '{}'::int[] <@ ARRAY[1]

SELECT 1 = ANY(ARRAY[1, 2]), 3 = ANY(ARRAY[1, 2]), 3 <> ALL(ARRAY[1, 2]), 2 > ALL(ARRAY[1, 2])

SELECT 1 = ANY(ARRAY[NULL, 1]), 2 = ANY(ARRAY[NULL, 1]), 1 = ANY('{}'::int[]), 1 = ALL('{}'::int[]), NULL = ANY(ARRAY[1])

SELECT 'b' = ANY('{a,b,c}'), 'x' = ANY('{a,b}'::text[]), 'b' = SOME(ARRAY['a', 'b'])

SELECT 1 = ANY(ARRAY[[1, 2], [3, 4]])

SELECT 'a' LIKE ANY(ARRAY['%a', 'b%'])

SELECT 1 = ANY(1)

SELECT id FROM customers WHERE id = ANY(ARRAY['c001', 'c003', 'c999']) ORDER BY id

SELECT id FROM customers WHERE id = ANY('{c002,c004}') ORDER BY id

SELECT id FROM customers WHERE data ->> 'country' = ANY(ARRAY['CH', 'JP']) ORDER BY id

SELECT id FROM customers WHERE NOT (data ->> 'country' = ANY(ARRAY['CH', 'JP', 'DE', 'FR'])) ORDER BY id

SELECT id FROM customers WHERE data ->> 'country' <> ALL(ARRAY['CH', 'JP', 'DE', 'FR']) ORDER BY id

SELECT id FROM products WHERE (data ->> 'qty')::numeric = ANY(ARRAY[0, 1, 2]) ORDER BY id

# array_agg and unnest
SELECT array_agg(x) FROM (VALUES (1), (2), (NULL)) t(x)

SELECT array_agg(x ORDER BY x DESC NULLS LAST) FROM (VALUES (1), (2), (NULL)) t(x)

SELECT array_agg(DISTINCT x) FROM (VALUES (2), (1), (2)) t(x)

SELECT array_agg(x) FROM (VALUES (1)) t(x) WHERE false

SELECT array_agg(x) FROM (VALUES (ARRAY[1, 2]), (ARRAY[3, 4])) t(x)

SELECT array_agg(x) FROM (VALUES (ARRAY[1, 2]), (ARRAY[3])) t(x)

SELECT array_agg(x) FILTER (WHERE x > 1) FROM (VALUES (1), (2), (3)) t(x)

SELECT array_agg(data -> 'name' ORDER BY id) FROM customers WHERE id < 'c004'

SELECT array_agg(id ORDER BY id) FILTER (WHERE (data ->> 'vip')::bool) FROM customers

SELECT data ->> 'status', array_agg(id ORDER BY id) FROM orders WHERE id < 'o0040' GROUP BY 1 ORDER BY 1

SELECT pg_typeof(array_agg(id)) FROM customers

SELECT unnest(array_agg(id ORDER BY id)) FROM customers WHERE id < 'c004'

SELECT cardinality(array_agg(DISTINCT data ->> 'country')) FROM customers

SELECT (array_agg(id ORDER BY id DESC))[1:3] FROM customers

SELECT x, count(*) FROM (SELECT unnest(ARRAY['a', 'b', 'a']) AS x) t GROUP BY x ORDER BY x

SELECT array_agg(t ORDER BY t) FROM products p, jsonb_array_elements_text(p.data -> 'tags') t WHERE p.id < 'p0010'

SELECT ARRAY(SELECT jsonb_array_elements_text(data -> 'tags')) FROM products WHERE id < 'p0010' ORDER BY id

SELECT ARRAY(SELECT jsonb_array_elements_text(data -> 'tags') ORDER BY 1) FROM products ORDER BY id LIMIT 20

# casts and output
SELECT ARRAY[1, 2]::text[], ARRAY['1', '2']::int[], ARRAY[1.5, 2.5]::int[], ARRAY['a']::varchar[]

SELECT ARRAY['x']::int[]

SELECT ARRAY[1, 2]::text, ARRAY['a b', NULL]::text, ARRAY[[1, 2], [3, 4]]::text

SELECT array_to_json(ARRAY['a', 'b']), to_jsonb(ARRAY['a', NULL]), to_jsonb(ARRAY[[1, 2], [3, 4]])

SELECT ARRAY['{"a":1}'::jsonb, '[]'::jsonb]::text

SELECT ARRAY['2024-03-01 10:00'::timestamp], ARRAY['1 day'::interval], ARRAY[1.50::numeric, 2]

SELECT ARRAY['ü', '東京', 'a"b', 'c\d']

SELECT ARRAY[ARRAY['a', 'b'], ARRAY['c', 'd']]

SELECT string_to_array('1,2,3', ',')::int[]
