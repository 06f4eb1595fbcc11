# Area 1 of issue 18: the jsonb operators of PostgreSQL 15's chapter 9.16
# (-> ->> #> #>> @> <@ ? ?| ?& || - #- @? @@), on literals (NULL, empty and edge inputs,
# errors) and on the seeded document tables.
# Format: see server/tests/it/differential/corpus.rs (records separated by blank lines; rows
# compared in order only under a top-level ORDER BY).

# -> with a key
SELECT '{"a": 1, "b": 2}'::jsonb -> 'a'

SELECT '{"a": {"b": {"c": 1}}}'::jsonb -> 'a'

SELECT '{"a": {"b": {"c": 1}}}'::jsonb -> 'a' -> 'b'

SELECT '{"a": {"b": {"c": 1}}}'::jsonb -> 'a' -> 'b' -> 'c'

SELECT '{"a": 1}'::jsonb -> 'missing'

SELECT '{"a": null}'::jsonb -> 'a'

SELECT '{"": 5}'::jsonb -> ''

SELECT '{"a b": 1, "ü": 2}'::jsonb -> 'ü'

SELECT '{"a": 1}'::jsonb -> NULL

SELECT NULL::jsonb -> 'a'

SELECT '[1, 2, 3]'::jsonb -> 'a'

SELECT '"text"'::jsonb -> 'a'

SELECT '42'::jsonb -> 'a'

SELECT '{"A": 1, "a": 2}'::jsonb -> 'A'

SELECT '{"a": [1, 2]}'::jsonb -> 'a'

SELECT '{"a": "x"}'::jsonb -> 'a' AS val

# -> with an index
SELECT '[1, 2, 3]'::jsonb -> 0

SELECT '[1, 2, 3]'::jsonb -> 2

SELECT '[1, 2, 3]'::jsonb -> 3

SELECT '[1, 2, 3]'::jsonb -> -1

SELECT '[1, 2, 3]'::jsonb -> -3

SELECT '[1, 2, 3]'::jsonb -> -4

SELECT '[]'::jsonb -> 0

SELECT '[[1, 2], [3, 4]]'::jsonb -> 1 -> 0

SELECT '{"0": "zero"}'::jsonb -> 0

SELECT '{"0": "zero"}'::jsonb -> '0'

SELECT '[{"a": 1}, {"a": 2}]'::jsonb -> 1 -> 'a'

SELECT '[1, 2, 3]'::jsonb -> '1'

SELECT '[1, 2, 3]'::jsonb -> 2147483647

SELECT '[1, 2, 3]'::jsonb -> NULL::int

SELECT '"scalar"'::jsonb -> 0

# ->> with a key and an index
SELECT '{"a": 1, "b": 2}'::jsonb ->> 'a'

SELECT '{"a": "text"}'::jsonb ->> 'a'

SELECT '{"a": "with \"quotes\" and \\ backslash"}'::jsonb ->> 'a'

SELECT '{"a": "line\nbreak"}'::jsonb ->> 'a'

SELECT '{"a": "\u00e9t\u00e9"}'::jsonb ->> 'a'

SELECT '{"a": null}'::jsonb ->> 'a'

SELECT ('{"a": null}'::jsonb ->> 'a') IS NULL

SELECT '{"a": true}'::jsonb ->> 'a'

SELECT '{"a": false}'::jsonb ->> 'a'

SELECT '{"a": 1.50}'::jsonb ->> 'a'

SELECT '{"a": 1e3}'::jsonb ->> 'a'

SELECT '{"a": 1E-7}'::jsonb ->> 'a'

SELECT '{"a": -0}'::jsonb ->> 'a'

SELECT '{"a": 12345678901234567890}'::jsonb ->> 'a'

SELECT '{"a": {"b": [1, {"c": 2}]}}'::jsonb ->> 'a'

SELECT '{"a": []}'::jsonb ->> 'a'

SELECT '{"a": {}}'::jsonb ->> 'a'

SELECT '{"a": ""}'::jsonb ->> 'a'

SELECT '[1, "two", null, true]'::jsonb ->> 1

SELECT '[1, "two", null, true]'::jsonb ->> 2

SELECT '[1, "two", null, true]'::jsonb ->> -1

SELECT '[1, "two", null, true]'::jsonb ->> 10

SELECT '{"a": 1}'::jsonb ->> NULL

SELECT NULL::jsonb ->> 0

SELECT '"x"'::jsonb ->> 'a'

SELECT pg_typeof('{"a": 1}'::jsonb ->> 'a'), pg_typeof('{"a": 1}'::jsonb -> 'a')

SELECT ('{"a": "5"}'::jsonb ->> 'a')::int + 1

SELECT ('{"a": 5.5}'::jsonb ->> 'a')::numeric * 2

SELECT ('{"a": "abc"}'::jsonb ->> 'a')::int

SELECT ('{"a": "2024-03-01"}'::jsonb ->> 'a')::date

SELECT ('{"a": true}'::jsonb ->> 'a')::boolean

SELECT ('{"a": 1}'::jsonb -> 'a')::int

SELECT ('{"a": 1.5}'::jsonb -> 'a')::numeric

SELECT ('{"a": 1.5}'::jsonb -> 'a')::float8

SELECT ('{"a": true}'::jsonb -> 'a')::bool

SELECT ('{"a": "1"}'::jsonb -> 'a')::int

SELECT ('{"a": 1.5}'::jsonb -> 'a')::int

SELECT ('{"a": 2.5}'::jsonb -> 'a')::int

SELECT ('{"a": null}'::jsonb -> 'a')::int

SELECT ('{"a": 1}'::jsonb -> 'a')::text

SELECT ('{"a": "x"}'::jsonb -> 'a')::text

SELECT ('{"a": 99999999999}'::jsonb -> 'a')::int

SELECT ('{"a": 99999999999}'::jsonb -> 'a')::int8

SELECT ('[1,2]'::jsonb)::int

# #> and #>> with paths
SELECT '{"a": {"b": {"c": 1}}}'::jsonb #> '{a,b}'

SELECT '{"a": {"b": {"c": 1}}}'::jsonb #> '{a,b,c}'

SELECT '{"a": {"b": {"c": 1}}}'::jsonb #>> '{a,b,c}'

SELECT '{"a": {"b": {"c": 1}}}'::jsonb #> '{}'

SELECT '{"a": {"b": {"c": 1}}}'::jsonb #>> '{}'

SELECT '{"a": [10, 20, {"b": 30}]}'::jsonb #> '{a,2,b}'

SELECT '{"a": [10, 20, {"b": 30}]}'::jsonb #>> '{a,1}'

SELECT '{"a": [10, 20, {"b": 30}]}'::jsonb #>> '{a,-1,b}'

SELECT '{"a": [10, 20]}'::jsonb #> '{a,5}'

SELECT '{"a": [10, 20]}'::jsonb #> '{a,x}'

SELECT '{"a": 1}'::jsonb #> '{a,b}'

SELECT '{"a": 1}'::jsonb #> '{missing}'

SELECT '{"a": 1}'::jsonb #> NULL

SELECT '{"a": 1}'::jsonb #> '{NULL}'

SELECT '{"a": 1}'::jsonb #> ARRAY['a']

SELECT '{"a": {"b": 2}}'::jsonb #>> ARRAY['a', 'b']

SELECT '{"a b": {"c,d": 3}}'::jsonb #>> '{"a b","c,d"}'

SELECT '{"a": null}'::jsonb #>> '{a}'

SELECT '"x"'::jsonb #>> '{}'

SELECT '[[1, 2], [3, [4, 5]]]'::jsonb #> '{1,1,0}'

SELECT '{"a": 1}'::jsonb #> '{a'

SELECT pg_typeof('{"a": 1}'::jsonb #> '{a}'), pg_typeof('{"a": 1}'::jsonb #>> '{a}')

# @> and <@
SELECT '{"a": 1, "b": 2}'::jsonb @> '{"a": 1}'

SELECT '{"a": 1, "b": 2}'::jsonb @> '{"a": 2}'

SELECT '{"a": 1}'::jsonb @> '{}'

SELECT '{}'::jsonb @> '{}'

SELECT '[]'::jsonb @> '[]'

SELECT '[1, 2, 3]'::jsonb @> '[1, 3]'

SELECT '[1, 2, 3]'::jsonb @> '[3, 1, 1]'

SELECT '[1, 2, 3]'::jsonb @> '1'

SELECT '[1, 2, [3]]'::jsonb @> '3'

SELECT '[1, 2, [3]]'::jsonb @> '[[3]]'

SELECT '"a"'::jsonb @> '"a"'

SELECT '1'::jsonb @> '1.0'

SELECT '{"a": 1.0}'::jsonb @> '{"a": 1}'

SELECT '{"a": {"b": 1, "c": 2}}'::jsonb @> '{"a": {"b": 1}}'

SELECT '{"a": [1, 2, 3]}'::jsonb @> '{"a": [2]}'

SELECT '{"a": [1, 2, 3]}'::jsonb @> '{"a": 2}'

SELECT '[{"a": 1, "b": 2}, {"a": 3}]'::jsonb @> '[{"a": 3}]'

SELECT '{"a": null}'::jsonb @> '{"a": null}'

SELECT '{"a": 1}'::jsonb @> '{"a": null}'

SELECT '{"a": 1}'::jsonb @> NULL

SELECT '{"a": 1}'::jsonb <@ '{"a": 1, "b": 2}'

SELECT '{"a": 1, "c": 3}'::jsonb <@ '{"a": 1, "b": 2}'

SELECT '[1]'::jsonb <@ '[1, 2]'

SELECT '{}'::jsonb <@ '{"a": 1}'

SELECT '[]'::jsonb <@ '{}'

SELECT '{}'::jsonb @> '[]'

SELECT NULL::jsonb <@ '{}'

# ? ?| ?&
SELECT '{"a": 1, "b": 2}'::jsonb ? 'a'

SELECT '{"a": 1, "b": 2}'::jsonb ? 'c'

SELECT '{"a": null}'::jsonb ? 'a'

SELECT '["a", "b"]'::jsonb ? 'a'

SELECT '["a", "b"]'::jsonb ? 'c'

SELECT '[1, 2]'::jsonb ? '1'

SELECT '"a"'::jsonb ? 'a'

SELECT '{"a": {"b": 1}}'::jsonb ? 'b'

SELECT '{}'::jsonb ? ''

SELECT '{"": 1}'::jsonb ? ''

SELECT '{"a": 1}'::jsonb ? NULL

SELECT '{"a": 1, "b": 2}'::jsonb ?| ARRAY['b', 'c']

SELECT '{"a": 1, "b": 2}'::jsonb ?| ARRAY['c', 'd']

SELECT '{"a": 1, "b": 2}'::jsonb ?| '{}'::text[]

SELECT '{"a": 1, "b": 2}'::jsonb ?| '{a,x}'

SELECT '["x", "y"]'::jsonb ?| ARRAY['y']

SELECT '{"a": 1}'::jsonb ?| ARRAY[NULL, 'a']

SELECT '{"a": 1}'::jsonb ?| NULL

SELECT '{"a": 1, "b": 2}'::jsonb ?& ARRAY['a', 'b']

SELECT '{"a": 1, "b": 2}'::jsonb ?& ARRAY['a', 'c']

SELECT '{"a": 1, "b": 2}'::jsonb ?& '{}'::text[]

SELECT '["a", "b", "c"]'::jsonb ?& ARRAY['c', 'a']

SELECT '{"a": 1}'::jsonb ?& ARRAY['a', NULL]

SELECT '{"a": 1}'::jsonb ?& '{a,a}'

# || concatenation
SELECT '{"a": 1}'::jsonb || '{"b": 2}'::jsonb

SELECT '{"a": 1}'::jsonb || '{"a": 2}'::jsonb

SELECT '{"a": {"x": 1}}'::jsonb || '{"a": {"y": 2}}'::jsonb

SELECT '[1, 2]'::jsonb || '[3, 4]'::jsonb

SELECT '[1, 2]'::jsonb || '3'::jsonb

SELECT '1'::jsonb || '[2]'::jsonb

SELECT '[1]'::jsonb || '{"a": 1}'::jsonb

SELECT '{"a": 1}'::jsonb || '[1]'::jsonb

SELECT '"a"'::jsonb || '"b"'::jsonb

SELECT '1'::jsonb || '2'::jsonb

SELECT '{}'::jsonb || '{}'::jsonb

SELECT '[]'::jsonb || '[]'::jsonb

SELECT '{}'::jsonb || '[]'::jsonb

SELECT '{"a": 1}'::jsonb || NULL::jsonb

SELECT NULL::jsonb || '{"a": 1}'::jsonb

SELECT '{"b": 1}'::jsonb || '{"a": 2, "aa": 3}'::jsonb

SELECT '{"a": 1}'::jsonb || '{"b": null}'

SELECT '{"a": 1}' || '{"b": 2}'::jsonb

SELECT '[1, [2]]'::jsonb || '[[3]]'::jsonb

SELECT jsonb_typeof('[1]'::jsonb || '{}'::jsonb)

# - with a key, an index and a text array
SELECT '{"a": 1, "b": 2}'::jsonb - 'a'

SELECT '{"a": 1, "b": 2}'::jsonb - 'c'

SELECT '{"a": 1}'::jsonb - 'a'

SELECT '["a", "b", "a"]'::jsonb - 'a'

SELECT '["a", 1, "b"]'::jsonb - '1'

SELECT '{"a": 1, "b": 2, "c": 3}'::jsonb - ARRAY['a', 'c']

SELECT '{"a": 1, "b": 2}'::jsonb - '{}'::text[]

SELECT '{"a": 1, "b": 2}'::jsonb - ARRAY['x']

SELECT '["a", "b", "c"]'::jsonb - ARRAY['a', 'b']

SELECT '[1, 2, 3]'::jsonb - 0

SELECT '[1, 2, 3]'::jsonb - 2

SELECT '[1, 2, 3]'::jsonb - 3

SELECT '[1, 2, 3]'::jsonb - -1

SELECT '[1, 2, 3]'::jsonb - -5

SELECT '[]'::jsonb - 0

SELECT '{"a": 1}'::jsonb - 0

SELECT '"a"'::jsonb - 'a'

SELECT '1'::jsonb - 0

SELECT '{"a": 1}'::jsonb - NULL::text

SELECT '[1, 2]'::jsonb - NULL::int

SELECT '{"a": {"b": 1}}'::jsonb - 'b'

# #- with a path
SELECT '{"a": 1, "b": 2}'::jsonb #- '{a}'

SELECT '{"a": {"b": 1, "c": 2}}'::jsonb #- '{a,b}'

SELECT '{"a": [1, 2, 3]}'::jsonb #- '{a,1}'

SELECT '{"a": [1, 2, 3]}'::jsonb #- '{a,-1}'

SELECT '{"a": [1, 2, 3]}'::jsonb #- '{a,9}'

SELECT '{"a": 1}'::jsonb #- '{}'

SELECT '{"a": 1}'::jsonb #- '{x,y}'

SELECT '[1, [2, 3]]'::jsonb #- '{1,0}'

SELECT '{"a": [1, 2]}'::jsonb #- '{a,x}'

SELECT '{"a": 1}'::jsonb #- NULL

SELECT '"x"'::jsonb #- '{a}'

SELECT '{"a": {"b": {"c": 1}}}'::jsonb #- ARRAY['a', 'b', 'c']

# @? and @@ with jsonpath
SELECT '{"a": [1, 2, 3]}'::jsonb @? '$.a[*] ? (@ > 2)'

SELECT '{"a": [1, 2, 3]}'::jsonb @? '$.a[*] ? (@ > 3)'

SELECT '{"a": 1}'::jsonb @? '$.b'

SELECT '{"a": 1}'::jsonb @? '$.a'

SELECT '{"a": 1}'::jsonb @? 'strict $.b'

SELECT '{"a": [1, 2, 3]}'::jsonb @@ '$.a[*] > 2'

SELECT '{"a": [1, 2, 3]}'::jsonb @@ '$.a[0] == 1'

SELECT '{"a": 1}'::jsonb @@ '$.a'

SELECT '{"a": "x"}'::jsonb @@ '$.a == "x"'

SELECT '{"a": 1}'::jsonb @@ '$.b == 1'

SELECT '{"a": 1}'::jsonb @? NULL

SELECT NULL::jsonb @@ '$.a == 1'

SELECT '{"a": 1}'::jsonb @? '$.a ? (@ like_regex "^1")'

SELECT '[1, "a", null]'::jsonb @? '$[*] ? (@ == null)'

SELECT '{"a": 1}'::jsonb @@ '1 + 1 == 2'

SELECT '{"a": 1}'::jsonb @? '$$$'

# operators over the seeded documents
SELECT id, data -> 'name' FROM products ORDER BY id LIMIT 20

SELECT id, data ->> 'name' FROM products ORDER BY id LIMIT 20

SELECT id, data -> 'price' FROM products ORDER BY id

SELECT id, data ->> 'price' FROM products ORDER BY id

SELECT id, data -> 'qty' FROM products ORDER BY id

SELECT id, data -> 'tags' FROM products ORDER BY id

SELECT id, data -> 'dims' FROM products ORDER BY id

SELECT id, data #> '{meta,supplier}' FROM products ORDER BY id

SELECT id, data #>> '{meta,supplier,name}' FROM products ORDER BY id

SELECT id, data #> '{meta,codes,0}' FROM products ORDER BY id

SELECT id, data -> 'tags' -> 0 FROM products ORDER BY id

SELECT id, data -> 'tags' ->> -1 FROM products ORDER BY id

SELECT id, data -> 'ratings' -> 0 FROM products WHERE data ? 'ratings' ORDER BY id

SELECT id FROM products WHERE data @> '{"category": "tools"}' ORDER BY id

SELECT id FROM products WHERE data @> '{"category": "Küche"}' ORDER BY id

SELECT id FROM products WHERE data @> '{"tags": ["sale"]}' ORDER BY id

SELECT id FROM products WHERE data @> '{"tags": ["sale", "eco"]}' ORDER BY id

SELECT id FROM products WHERE data @> '{"active": true}' ORDER BY id

SELECT id FROM products WHERE data @> '{"active": "yes"}' ORDER BY id

SELECT id FROM products WHERE data @> '{"meta": {"supplier": {"country": "CH"}}}' ORDER BY id

SELECT id FROM products WHERE data @> '{"dims": {}}' ORDER BY id

SELECT id FROM products WHERE data @> '{"discount": null}' ORDER BY id

SELECT id FROM products WHERE data @> '{"price": 12.5}' ORDER BY id

SELECT id FROM products WHERE data @> '{"price": 100}' ORDER BY id

SELECT id FROM products WHERE data @> '{"price": 0}' ORDER BY id

SELECT count(*) FROM products WHERE data ? 'discount'

SELECT count(*) FROM products WHERE data ? 'rating'

SELECT count(*) FROM products WHERE NOT data ? 'tags'

SELECT count(*) FROM products WHERE data ?| ARRAY['discount', 'rating']

SELECT count(*) FROM products WHERE data ?& ARRAY['discount', 'rating']

SELECT id FROM products WHERE data -> 'tags' ? 'gift' ORDER BY id

SELECT id FROM products WHERE data -> 'tags' ?| ARRAY['gift', 'eco'] ORDER BY id

SELECT id FROM products WHERE data -> 'tags' ?& ARRAY['gift', 'eco'] ORDER BY id

SELECT id FROM products WHERE data -> 'tags' ? '' ORDER BY id

SELECT id FROM products WHERE data -> 'tags' @> '[null]' ORDER BY id

SELECT id FROM products WHERE data -> 'tags' = '[]' ORDER BY id

SELECT id FROM products WHERE data -> 'dims' = '{}' ORDER BY id

SELECT id FROM products WHERE data -> 'dims' = 'null' ORDER BY id

SELECT id FROM products WHERE data ->> 'dims' IS NULL ORDER BY id

SELECT id FROM products WHERE data -> 'dims' IS NULL ORDER BY id

SELECT id, data ->> 'category' FROM products WHERE data ->> 'category' IS NULL ORDER BY id

SELECT id FROM products WHERE data ->> 'name' = '' ORDER BY id

SELECT id, data ->> 'name' FROM products WHERE data ->> 'name' LIKE '%"%' ORDER BY id

SELECT id, data -> 'name' FROM products WHERE data ->> 'name' LIKE '%\\%' ORDER BY id

SELECT id, data -> 'name' FROM products WHERE strpos(data ->> 'name', E'\n') > 0 ORDER BY id

SELECT id, data -> 'name' FROM products WHERE data ->> 'name' ~ '[^\x01-\x7f]' ORDER BY id

SELECT id, data - 'meta' - 'dims' - 'ratings' FROM products ORDER BY id LIMIT 40

SELECT id, data - ARRAY['meta', 'dims', 'ratings', 'tags'] FROM products ORDER BY id LIMIT 40

SELECT id, data #- '{meta,supplier}' FROM products WHERE data ? 'meta' ORDER BY id LIMIT 30

SELECT id, data || '{"checked": true}' FROM products ORDER BY id LIMIT 30

SELECT id, (data -> 'dims') || '{"unit": "cm"}' FROM products ORDER BY id LIMIT 30

SELECT id, data -> 'tags' || '["extra"]' FROM products ORDER BY id LIMIT 30

SELECT id FROM products WHERE data @? '$.ratings[*] ? (@ == 5)' ORDER BY id

SELECT id FROM products WHERE data @@ '$.qty > 900' ORDER BY id

SELECT id FROM products WHERE data @@ '$.price < 1' ORDER BY id

SELECT id FROM products WHERE data @? '$.tags[*] ? (@ starts with "s")' ORDER BY id

SELECT id FROM products WHERE (data ->> 'qty')::numeric < 0 ORDER BY id

SELECT id, (data ->> 'price')::numeric FROM products ORDER BY id

SELECT id, (data -> 'price')::numeric FROM products ORDER BY id

SELECT id, (data ->> 'qty')::int8 FROM products ORDER BY id

SELECT id, (data -> 'qty')::int FROM products ORDER BY id

SELECT id, (data ->> 'active')::bool FROM products WHERE data -> 'active' IS NOT NULL ORDER BY id

SELECT id, (data -> 'active')::bool FROM products WHERE jsonb_typeof(data -> 'active') = 'boolean' ORDER BY id

SELECT id, (data -> 'rating')::float8 FROM products WHERE data ? 'rating' ORDER BY id

SELECT id, (data #>> '{meta,created}')::date FROM products WHERE data ? 'meta' ORDER BY id

SELECT id, data -> 'customer', data -> 'items' -> 0 -> 'product' FROM orders ORDER BY id

SELECT id, data #>> '{items,0,price}' FROM orders ORDER BY id

SELECT id, data #> '{shipping,city}' FROM orders ORDER BY id

SELECT id FROM orders WHERE data @> '{"status": "shipped", "paid": true}' ORDER BY id

SELECT id FROM orders WHERE data @> '{"items": [{"product": "p0007"}]}' ORDER BY id

SELECT id FROM orders WHERE data @> '{"shipping": {"express": true}}' ORDER BY id

SELECT id FROM orders WHERE data -> 'paid' = 'null'::jsonb ORDER BY id

SELECT id FROM orders WHERE data ? 'coupon' ORDER BY id

SELECT id, data -> 'address' -> 'geo' FROM customers ORDER BY id

SELECT id, data #>> '{address,geo,lat}' FROM customers ORDER BY id

SELECT id, (data #> '{address,geo,lon}')::numeric FROM customers ORDER BY id

SELECT id, data -> 'address' ->> 'city' FROM customers WHERE data -> 'address' ->> 'city' = 'Zürich' ORDER BY id

SELECT id FROM customers WHERE data ->> 'email' LIKE 'anna%' ORDER BY id

SELECT id, data -> 'phone' FROM customers WHERE data ? 'phone' ORDER BY id

# operator errors and type mismatches
SELECT '{"a": 1}'::jsonb -> 1.5

SELECT '{"a": 1}'::jsonb ->> true

SELECT '{"a": 1}'::jsonb @> '{"a": 1'

SELECT '{"a": 1}'::jsonb ? 1

SELECT '{"a": 1}'::jsonb ?| ARRAY[1, 2]

SELECT '{"a": 1}'::jsonb - 1.5

SELECT '{"a": 1}'::jsonb #- '{a'

SELECT '{"a": 1}'::jsonb @@ '$.a +'

SELECT '{"a": 1}'::jsonb || 1

SELECT '{"a": 1}'::jsonb -> 'a' + 1

SELECT '{"a": 1}'::jsonb + '{"b": 1}'::jsonb

SELECT '{"a": 1}'::jsonb = 1

SELECT 'x' ->> 'a'

SELECT id FROM products WHERE data -> 'qty' > 5 ORDER BY id

SELECT id FROM products WHERE data ->> 'qty' > 5 ORDER BY id

SELECT id FROM products WHERE data -> 'qty' > '500' ORDER BY id

SELECT id FROM products WHERE data ->> 'qty' > '500' ORDER BY id

# || of text and a jsonb cast to text is text concatenation, not jsonb's ||.
SELECT id || ' ' || data::text FROM customers ORDER BY id LIMIT 3

SELECT 'x' || '{"a": 1}'::jsonb::text, '{"a": 1}'::jsonb::text || 'y'

SELECT '[1]'::jsonb || '[2]'::jsonb::text::jsonb
