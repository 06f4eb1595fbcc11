# Area 1 of issue 18: the json type's counterparts of the jsonb functions, which keep their
# input text as PostgreSQL does (whitespace, key order, duplicate keys), and its operators.

SELECT '{"b": 1,   "a": 2}'::json

SELECT '{"a": 1, "a": 2}'::json

SELECT '  [1,2 , 3]  '::json

SELECT '1.50'::json, '1e3'::json, '-0'::json

SELECT '{"a": 1,}'::json

SELECT '01'::json

SELECT ''::json

SELECT '"\u0000"'::json

SELECT '"\ud83c"'::json

SELECT pg_typeof('{}'::json)

SELECT '{"a": {"b": 1}}'::json -> 'a'

SELECT '{"a": {"b": 1}}'::json ->> 'a'

SELECT '{"a":   [1,  2]}'::json -> 'a'

SELECT '[1, 2, 3]'::json -> 1

SELECT '[1, 2, 3]'::json -> -1

SELECT '[1, 2, 3]'::json ->> 5

SELECT '{"a": 1, "a": 2}'::json -> 'a'

SELECT '{"a": 1, "a": 2}'::json ->> 'a'

SELECT '{"a": {"b": [1, {"c": "x"}]}}'::json #> '{a,b,1}'

SELECT '{"a": {"b": [1, {"c": "x"}]}}'::json #>> '{a,b,1,c}'

SELECT '{"a": null}'::json ->> 'a'

SELECT '{"a": null}'::json -> 'a'

SELECT '{"a": 1}'::json @> '{"a": 1}'

SELECT '{"a": 1}'::json ? 'a'

SELECT '{"a": 1}'::json || '{"b": 2}'::json

SELECT '{"a": 1}'::json = '{"a": 1}'::json

SELECT '{"a": 1}'::json::jsonb = '{"a": 1}'::jsonb

SELECT json_build_object('b', 1, 'a', 2)

SELECT json_build_object('a', 1, 'a', 2)

SELECT json_build_object()

SELECT json_build_object('a', NULL, 'b', '{"x":1}'::json, 'c', ARRAY[1, 2])

SELECT json_build_object('a')

SELECT json_build_object(NULL, 1)

SELECT json_build_array(1, 'a', NULL, 1.50, true)

SELECT json_build_array()

SELECT json_build_array('{"a":1}'::json, '{"a":1}'::jsonb)

SELECT json_object('{a, 1, b, 2}')

SELECT json_object('{a, b}', '{1, 2}')

SELECT json_object('{a}')

SELECT json_typeof('{}'), json_typeof('[]'), json_typeof('1'), json_typeof('"x"'), json_typeof('null'), json_typeof('false')

SELECT json_array_length('[1, 2, 3]')

SELECT json_array_length('{}')

SELECT * FROM json_each('{"b": 1, "a": [2], "c": null}')

SELECT * FROM json_each('{"a": 1, "a": 2}')

SELECT * FROM json_each_text('{"b": 1, "a": "x", "c": null}')

SELECT * FROM json_each('[1]')

SELECT * FROM json_object_keys('{"b": 1, "a": 2, "b": 3}')

SELECT * FROM json_array_elements('[1, "a", {"b":  2}, null]')

SELECT * FROM json_array_elements_text('[1, "a", {"b":  2}, null]')

SELECT * FROM json_array_elements('{"a": 1}')

SELECT json_extract_path('{"a": {"b":  [1]}}', 'a', 'b')

SELECT json_extract_path_text('{"a": {"b": "x"}}', 'a', 'b')

SELECT json_strip_nulls('{"a": null, "b":  {"c": null, "d": 1}}')

SELECT * FROM json_to_record('{"a": 1, "b": "x"}') AS r(a int, b text)

SELECT * FROM json_to_record('{"a": [1,  2]}') AS r(a json)

SELECT * FROM json_to_recordset('[{"a": 1}, {"a": 2, "b": true}]') AS r(a int, b bool)

SELECT * FROM json_populate_record(NULL::scratch, '{"id": "j1", "data": {"k":   1}}')

SELECT json_agg(data -> 'name' ORDER BY id) FROM customers WHERE id < 'c006'

SELECT id, data::json -> 'name' FROM customers ORDER BY id LIMIT 10

SELECT id, data::json FROM customers ORDER BY id LIMIT 10

SELECT to_json(data) FROM customers WHERE id = 'c001'

SELECT row_to_json(c) FROM (SELECT id, data::json AS doc FROM customers WHERE id = 'c002') c

SELECT json_array_elements(data::json -> 'items') FROM orders WHERE id = 'o0002'

SELECT DISTINCT '{"a": 1}'::json

SELECT '{"a": 1}'::json GROUP BY 1
