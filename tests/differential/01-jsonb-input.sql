# Area 1 of issue 18: jsonb input validation exactly as PostgreSQL's (what is an error, what
# is kept), and the text PostgreSQL prints back for every kind of input.

# valid scalars
SELECT 'null'::jsonb

SELECT 'true'::jsonb, 'false'::jsonb

SELECT '0'::jsonb

SELECT '-0'::jsonb

SELECT '-0.0'::jsonb

SELECT '1'::jsonb

SELECT '-1'::jsonb

SELECT '1.0'::jsonb

SELECT '1.50'::jsonb

SELECT '12.500'::jsonb

SELECT '0.1'::jsonb

SELECT '1e3'::jsonb

SELECT '1E3'::jsonb

SELECT '1e+3'::jsonb

SELECT '1.5e3'::jsonb

SELECT '1e-3'::jsonb

SELECT '1e-6'::jsonb

SELECT '1e-7'::jsonb

SELECT '1.23e-10'::jsonb

SELECT '2.5E+1'::jsonb

SELECT '0.5e1'::jsonb

SELECT '1e20'::jsonb

SELECT '1e100'::jsonb

SELECT '123456789012345678901234567890'::jsonb

SELECT '9007199254740993'::jsonb

SELECT '3.14159265358979323846264338327950288'::jsonb

SELECT '0.000000000000000000000000000001'::jsonb

SELECT '100e-2'::jsonb

SELECT '-1.5e-5'::jsonb

SELECT '0e10'::jsonb

SELECT '"x"'::jsonb

SELECT '""'::jsonb

SELECT '"ü"'::jsonb

SELECT '"\u00fc"'::jsonb

SELECT '"\u00FC"'::jsonb

SELECT '"\ud83c\udf55"'::jsonb

SELECT '"🍕"'::jsonb

SELECT '"tab\tnew\nline\r cr\b bs\f ff"'::jsonb

SELECT '"quote\" slash\/ back\\"'::jsonb

SELECT '"\u0001\u001f"'::jsonb

SELECT '"\u007f"'::jsonb

SELECT '"a\u0020b"'::jsonb

SELECT '  {"a" :  1 }  '::jsonb

SELECT E'{\n"a":\t1\r\n}'::jsonb

# objects and arrays: key order, duplicates, nesting
SELECT '{"b": 1, "a": 2}'::jsonb

SELECT '{"aa": 1, "b": 2, "a": 3}'::jsonb

SELECT '{"fragile": true, "gift": false}'::jsonb

SELECT '{"B": 1, "a": 2, "A": 3, "b": 4}'::jsonb

SELECT '{"é": 1, "z": 2, "ab": 3}'::jsonb

SELECT '{"a": 1, "a": 2}'::jsonb

SELECT '{"a": 1, "b": 0, "a": {"x": 1}}'::jsonb

SELECT '{"a": {"b": 1, "b": 2}}'::jsonb

SELECT '{}'::jsonb

SELECT '[]'::jsonb

SELECT '[[]]'::jsonb

SELECT '[{}]'::jsonb

SELECT '{"": ""}'::jsonb

SELECT '[1, "a", null, true, {"x": [2]}]'::jsonb

SELECT '[1,2,3]'::jsonb

SELECT '{"a":[1,{"b":{"c":[true,false,null]}}]}'::jsonb

SELECT '{"key with spaces": 1, "key\"quote": 2}'::jsonb

SELECT '[[[[[[[[[[1]]]]]]]]]]'::jsonb

# invalid input: SQLSTATE 22P02 (and friends)
SELECT ''::jsonb

SELECT ' '::jsonb

SELECT '01'::jsonb

SELECT '-01'::jsonb

SELECT '1.'::jsonb

SELECT '.1'::jsonb

SELECT '+1'::jsonb

SELECT '1e'::jsonb

SELECT '1e+'::jsonb

SELECT '0x10'::jsonb

SELECT 'NaN'::jsonb

SELECT 'Infinity'::jsonb

SELECT '-Infinity'::jsonb

SELECT 'nul'::jsonb

SELECT 'NULL'::jsonb

SELECT 'True'::jsonb

SELECT 'undefined'::jsonb

SELECT '[1,2,]'::jsonb

SELECT '[,1]'::jsonb

SELECT '[1 2]'::jsonb

SELECT '{"a":1,}'::jsonb

SELECT '{"a"}'::jsonb

SELECT '{"a" 1}'::jsonb

SELECT '{a: 1}'::jsonb

SELECT '{''a'': 1}'::jsonb

SELECT '{"a": 1'::jsonb

SELECT '[1'::jsonb

SELECT '{"a": 1}}'::jsonb

SELECT '1 2'::jsonb

SELECT '"abc'::jsonb

SELECT '"a\qb"'::jsonb

SELECT '"\u12"'::jsonb

SELECT '"\u0000"'::jsonb

SELECT '"\ud83c"'::jsonb

SELECT '"\udf55"'::jsonb

SELECT E'"tab\tinside"'::jsonb

SELECT E'"new\nline"'::jsonb

SELECT '{1: 2}'::jsonb

SELECT '[1, 2] x'::jsonb

SELECT 'x'::jsonb

SELECT '{"a": 1e999999}'::jsonb

SELECT '1e1000'::jsonb

SELECT jsonb_typeof('1e1000')

SELECT CAST('{"a": 1,}' AS jsonb)

SELECT jsonb '{"a": 1}'

SELECT jsonb '{"a": 1,}'

SELECT '{"a": 1}'::text::jsonb

SELECT 'not json'::text::jsonb

SELECT NULL::text::jsonb

SELECT '{"b": 2, "a": 1}'::json::jsonb

SELECT '{"a": 1}'::jsonb::text

SELECT '{"b": 2,   "a": 1}'::jsonb::json

SELECT '{"a": 1}'::jsonb::varchar

SELECT length('{"b": 2, "a": 1}'::jsonb::text)

SELECT '[1, 2]'::jsonb::text[]

SELECT '{"a": 1}'::jsonb::bytea

SELECT ARRAY['{"a": 1}'::jsonb, '[]'::jsonb]

SELECT ARRAY['{"a": 1}', '2']::jsonb[]

SELECT '{"{\"a\": 1}", "[1]"}'::jsonb[]

SELECT pg_typeof(ARRAY['{}'::jsonb])

SELECT ('{"a": 1}'::jsonb)::text = '{"a": 1}'

SELECT quote_literal('{"a": 1}'::jsonb)

SELECT concat('x', '{"a": 1}'::jsonb, 'y')

SELECT 'doc: ' || '{"a": [1, 2]}'::jsonb

SELECT format('%s', '{"b": 1, "a": 2}'::jsonb)

# deep nesting limits and large documents
SELECT jsonb_array_length(('[' || repeat('1,', 9999) || '1]')::jsonb)

SELECT length((SELECT jsonb_agg(g) FROM generate_series(1, 5000) g)::text)

SELECT (repeat('[', 100) || repeat(']', 100))::jsonb #> '{0,0,0,0,0,0,0,0}'

SELECT length(repeat('x', 100000)::jsonb::text)

SELECT length(to_jsonb(repeat('x', 100000))::text)

SELECT jsonb_typeof(to_jsonb(repeat('ü', 1000)))

# the seeded documents as both systems print them
SELECT id, data FROM products ORDER BY id

SELECT id, data FROM customers ORDER BY id

SELECT id, data FROM orders ORDER BY id

SELECT id, data FROM articles ORDER BY id

SELECT id, data::text FROM products WHERE id < 'p0050' ORDER BY id

SELECT id, length(data::text) FROM orders ORDER BY id

SELECT id, md5(data::text) FROM products ORDER BY id
