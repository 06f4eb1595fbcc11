# Area 1 of issue 18: SQL/JSON path (jsonb_path_exists, _match, _query, _query_array,
# _query_first, @? and @@) with the jsonpath language: accessors, filters, methods,
# like_regex, starts with, exists, strict and lax, variables, and jsonpath errors.

# accessors
SELECT jsonb_path_query('{"a": 1}', '$')

SELECT jsonb_path_query('{"a": 1}', '$.a')

SELECT jsonb_path_query('{"a": {"b": [1, 2]}}', '$.a.b')

SELECT jsonb_path_query('{"a": {"b": [1, 2]}}', '$.a.b[*]')

SELECT jsonb_path_query('{"a": {"b": [1, 2]}}', '$.a.b[1]')

SELECT jsonb_path_query('{"a": {"b": [1, 2]}}', '$.a.b[last]')

SELECT jsonb_path_query('[1, 2, 3, 4, 5]', '$[1 to 3]')

SELECT jsonb_path_query('[1, 2, 3, 4, 5]', '$[0, 2, 4]')

SELECT jsonb_path_query('[1, 2, 3, 4, 5]', '$[last - 1]')

SELECT jsonb_path_query('[1, 2, 3]', '$[5]')

SELECT jsonb_path_query('[1, 2, 3]', 'strict $[5]')

SELECT jsonb_path_query('{"a": 1, "b": 2}', '$.*')

SELECT jsonb_path_query('{"a": {"b": {"c": 1}}}', '$.**')

SELECT jsonb_path_query('{"a": {"b": {"c": 1}}}', '$.**.c')

SELECT jsonb_path_query('{"a": {"b": {"c": 1}}}', '$.**{2}')

SELECT jsonb_path_query('{"a": {"b": {"c": 1}}}', '$.**{1 to last}')

SELECT jsonb_path_query('{"a b": 1}', '$."a b"')

SELECT jsonb_path_query('{"$": 1}', '$."$"')

SELECT jsonb_path_query('{"a": 1}', '$.b')

SELECT jsonb_path_query('{"a": 1}', 'strict $.b')

SELECT jsonb_path_query('{"a": 1}', 'lax $.b')

SELECT jsonb_path_query('{"a": [1, 2]}', 'lax $.a.b')

SELECT jsonb_path_query('{"a": [{"b": 1}, {"b": 2}]}', 'lax $.a.b')

SELECT jsonb_path_query('{"a": [{"b": 1}, {"b": 2}]}', 'strict $.a.b')

SELECT jsonb_path_query('{"a": 5}', 'lax $.a[0]')

SELECT jsonb_path_query('{"a": 5}', 'strict $.a[0]')

SELECT jsonb_path_query('[]', '$[*]')

SELECT jsonb_path_query('{}', '$.*')

SELECT jsonb_path_query('null', '$')

SELECT jsonb_path_query(NULL, '$')

SELECT jsonb_path_query('{"a": 1}', NULL)

# filters and predicates
SELECT jsonb_path_query('[1, 2, 3, 4]', '$[*] ? (@ > 2)')

SELECT jsonb_path_query('[1, 2, 3, 4]', '$[*] ? (@ >= 2 && @ < 4)')

SELECT jsonb_path_query('[1, 2, 3, 4]', '$[*] ? (@ == 1 || @ == 4)')

SELECT jsonb_path_query('[1, 2, 3, 4]', '$[*] ? (!(@ > 2))')

SELECT jsonb_path_query('[1, 2, 3, 4]', '$[*] ? (@ != 2)')

SELECT jsonb_path_query('[1, 2, 3, 4]', '$[*] ? (@ <> 2)')

SELECT jsonb_path_query('[1, "2", null, true]', '$[*] ? (@ == "2")')

SELECT jsonb_path_query('[1, "2", null, true]', '$[*] ? (@ == null)')

SELECT jsonb_path_query('[1, "2", null, true]', '$[*] ? (@ == true)')

SELECT jsonb_path_query('[1, "a", 2]', '$[*] ? (@ > 1)')

SELECT jsonb_path_query('[1, "a", 2]', 'strict $[*] ? (@ > 1)')

SELECT jsonb_path_query('[{"a": 1}, {"a": 5}, {"b": 2}]', '$[*] ? (@.a > 2)')

SELECT jsonb_path_query('[{"a": 1}, {"a": 5}, {"b": 2}]', '$[*] ? (exists (@.b))')

SELECT jsonb_path_query('[{"a": 1}, {"a": 5}, {"b": 2}]', '$[*] ? (!exists (@.a))')

SELECT jsonb_path_query('[{"a": [1, 9]}, {"a": [2]}]', '$[*] ? (@.a[*] > 5)')

SELECT jsonb_path_query('["abc", "abd", "xyz"]', '$[*] ? (@ like_regex "^ab")')

SELECT jsonb_path_query('["abc", "ABD", "xyz"]', '$[*] ? (@ like_regex "^ab" flag "i")')

SELECT jsonb_path_query('["a.c", "abc"]', '$[*] ? (@ like_regex "a\\.c")')

SELECT jsonb_path_query('["line1\nline2"]', '$[*] ? (@ like_regex "^line2" flag "m")')

SELECT jsonb_path_query('["abc", "abd", "xyz"]', '$[*] ? (@ starts with "ab")')

SELECT jsonb_path_query('["abc", 1]', '$[*] ? (@ starts with "a")')

SELECT jsonb_path_query('[1, 2, 3]', '$[*] ? ((@ > 1) is unknown)')

SELECT jsonb_path_query('[1, "x", 3]', '$[*] ? ((@ > 1) is unknown)')

SELECT jsonb_path_query('{"a": 1, "b": 2}', '$ ? (@.a < @.b)')

SELECT jsonb_path_query('{"a": 1}', '$.a ? (@ == 1.0)')

SELECT jsonb_path_query('{"a": 1.50}', '$.a ? (@ == 1.5)')

SELECT jsonb_path_query('{"a": 1e2}', '$.a ? (@ == 100)')

# arithmetic
SELECT jsonb_path_query('{"a": 7}', '$.a + 3')

SELECT jsonb_path_query('{"a": 7}', '$.a - 10')

SELECT jsonb_path_query('{"a": 7}', '$.a * 1.5')

SELECT jsonb_path_query('{"a": 7}', '$.a / 2')

SELECT jsonb_path_query('{"a": 7}', '$.a % 3')

SELECT jsonb_path_query('{"a": 7}', '-$.a')

SELECT jsonb_path_query('{"a": 7}', '+$.a')

SELECT jsonb_path_query('{"a": 7}', '$.a / 0')

SELECT jsonb_path_query('{"a": "x"}', '$.a + 1')

SELECT jsonb_path_query('[1, 2]', '$ + 1')

SELECT jsonb_path_query('[1, 2]', '$[*] + 1')

SELECT jsonb_path_query('{"a": 0.1}', '$.a + 0.2')

SELECT jsonb_path_query('{"a": 1e20}', '$.a * 10')

SELECT jsonb_path_query('{}', '1.5 + 2')

# methods
SELECT jsonb_path_query('[1, 2, 3]', '$.size()')

SELECT jsonb_path_query('{"a": 1}', '$.size()')

SELECT jsonb_path_query('{"a": 1}', 'strict $.size()')

SELECT jsonb_path_query('5', '$.size()')

SELECT jsonb_path_query('[1, "a", null, true, [], {}]', '$[*].type()')

SELECT jsonb_path_query('1.5', '$.type()')

SELECT jsonb_path_query('"1.5"', '$.double()')

SELECT jsonb_path_query('1', '$.double()')

SELECT jsonb_path_query('"abc"', '$.double()')

SELECT jsonb_path_query('"1e400"', '$.double()')

SELECT jsonb_path_query('true', '$.double()')

SELECT jsonb_path_query('-1.7', '$.floor()')

SELECT jsonb_path_query('-1.2', '$.ceiling()')

SELECT jsonb_path_query('-5.5', '$.abs()')

SELECT jsonb_path_query('"x"', '$.abs()')

SELECT jsonb_path_query('{"a": 1, "b": [2]}', '$.keyvalue()')

SELECT jsonb_path_query('[{"a": 1}, {"b": 2}]', '$[*].keyvalue()')

SELECT jsonb_path_query('{"a": 1, "b": 2}', '$.keyvalue() ? (@.value > 1).key')

SELECT jsonb_path_query('1', '$.keyvalue()')

SELECT jsonb_path_query('{}', '$.keyvalue()')

SELECT jsonb_path_query('"2024-03-01"', '$.datetime()')

SELECT jsonb_path_query('"2024-03-01 12:30:00"', '$.datetime()')

SELECT jsonb_path_query('"03/01/2024"', '$.datetime("MM/DD/YYYY")')

SELECT jsonb_path_query('"not a date"', '$.datetime()')

SELECT jsonb_path_query('[3, 1, 2]', '$.size() + 1')

# variables
SELECT jsonb_path_query('[1, 2, 3, 4]', '$[*] ? (@ > $min)', '{"min": 2}')

SELECT jsonb_path_query('[1, 2, 3, 4]', '$[*] ? (@ > $min && @ < $max)', '{"min": 1, "max": 4}')

SELECT jsonb_path_query('[1, 2]', '$[*] ? (@ > $x)', '{}')

SELECT jsonb_path_query('[1, 2]', '$[*] ? (@ > $x)')

SELECT jsonb_path_query('[1, 2]', '$[*] ? (@ > $x)', '[1]')

SELECT jsonb_path_query('{"a": "x"}', '$.a ? (@ == $v)', '{"v": "x"}')

SELECT jsonb_path_query('[1, 2]', '$[*] ? (@ > $x)', '{"x": 1}', true)

SELECT jsonb_path_query('[1, "a"]', 'strict $[*] ? (@ > 0)', '{}', true)

SELECT jsonb_path_query('[1, "a"]', 'strict $[*] ? (@ > 0)', '{}', false)

# the other path functions
SELECT jsonb_path_exists('{"a": [1, 2, 3]}', '$.a[*] ? (@ > 2)')

SELECT jsonb_path_exists('{"a": [1, 2, 3]}', '$.a[*] ? (@ > 5)')

SELECT jsonb_path_exists('{"a": 1}', '$.b')

SELECT jsonb_path_exists('{"a": 1}', 'strict $.b')

SELECT jsonb_path_exists('{"a": 1}', 'strict $.b', '{}', true)

SELECT jsonb_path_exists('{"a": 1}', '$.a ? (@ > $v)', '{"v": 0}')

SELECT jsonb_path_exists(NULL, '$')

SELECT jsonb_path_match('{"a": 1}', '$.a == 1')

SELECT jsonb_path_match('{"a": 1}', '$.a > 1')

SELECT jsonb_path_match('{"a": 1}', '$.b == 1')

SELECT jsonb_path_match('{"a": 1}', '$.a')

SELECT jsonb_path_match('{"a": true}', '$.a')

SELECT jsonb_path_match('{"a": 1}', 'exists($.a)')

SELECT jsonb_path_match('{"a": 1}', '$.a', '{}', true)

SELECT jsonb_path_match('[1, 2]', '$[*] == 2')

SELECT jsonb_path_query_array('[1, 2, 3, 4]', '$[*] ? (@ > 2)')

SELECT jsonb_path_query_array('[1, 2, 3, 4]', '$[*] ? (@ > 9)')

SELECT jsonb_path_query_array('{"a": [{"b": 1}, {"b": 2}]}', '$.a[*].b')

SELECT jsonb_path_query_array('{"a": 1}', '$.*')

SELECT jsonb_path_query_array(NULL, '$')

SELECT jsonb_path_query_first('[1, 2, 3]', '$[*] ? (@ > 1)')

SELECT jsonb_path_query_first('[1, 2, 3]', '$[*] ? (@ > 9)')

SELECT jsonb_path_query_first('{"a": {"b": "x"}}', '$.a.b')

SELECT jsonb_path_query_first('[]', '$[0]')

SELECT jsonb_path_query_first('[1]', 'strict $[3]')

SELECT jsonb_path_query_first('[1]', 'strict $[3]', '{}', true)

SELECT pg_typeof(jsonb_path_query_first('[1]', '$[0]'))

# jsonpath literals: input, output and errors
SELECT '$.a'::jsonpath

SELECT '$."a"'::jsonpath

SELECT '  $ . a [ * ] ? ( @ > 1 )  '::jsonpath

SELECT 'strict $.a'::jsonpath

SELECT 'lax $.a'::jsonpath

SELECT '$.a ? (@ like_regex "x" flag "iq")'::jsonpath

SELECT '$[1 to last]'::jsonpath

SELECT '$.**{1 to 2}'::jsonpath

SELECT '1 + 2 * 3'::jsonpath

SELECT '$.a.size() + 1'::jsonpath

SELECT '$'::jsonpath

SELECT '@'::jsonpath

SELECT ''::jsonpath

SELECT '$.'::jsonpath

SELECT '$[*'::jsonpath

SELECT '$ ? (@ > )'::jsonpath

SELECT 'last'::jsonpath

SELECT '$.a ? (@ like_regex "(")'::jsonpath

SELECT '$.a ? (@ like_regex "x" flag "z")'::jsonpath

SELECT '$.unknown()'::jsonpath

SELECT pg_typeof('$'::jsonpath)

# paths over the seeded documents
SELECT id, jsonb_path_query_array(data, '$.tags[*]') FROM products ORDER BY id LIMIT 40

SELECT id, jsonb_path_query_first(data, '$.meta.supplier.name') FROM products ORDER BY id LIMIT 40

SELECT id FROM products WHERE jsonb_path_exists(data, '$.ratings[*] ? (@ >= 5)') ORDER BY id

SELECT id FROM products WHERE jsonb_path_exists(data, '$.ratings[*][*] ? (@ == 2.5)') ORDER BY id

SELECT id FROM products WHERE jsonb_path_match(data, '$.price > 400') ORDER BY id

SELECT id FROM products WHERE jsonb_path_match(data, 'exists($.discount)') ORDER BY id

SELECT id, jsonb_path_query(data, '$.items[*] ? (@.qty >= 4).product') FROM orders ORDER BY 1, 2

SELECT id, jsonb_path_query_array(data, '$.items[*].price') FROM orders ORDER BY id

SELECT id, jsonb_path_query_first(data, '$.items.size()') FROM orders ORDER BY id

SELECT id, jsonb_path_query(data, '$.shipping.keyvalue()') FROM orders WHERE id < 'o0020' ORDER BY 1, 2

SELECT id, jsonb_path_query(data, '$.*.type()') FROM customers WHERE id < 'c010' ORDER BY 1, 2

SELECT id FROM customers WHERE data @? '$.address.geo ? (@.lat > 45)' ORDER BY id

SELECT id FROM customers WHERE data @@ '$.name like_regex "^[A-D]"' ORDER BY id

SELECT id FROM customers WHERE data @? '$.tags[*] ? (@ == "café")' ORDER BY id

SELECT count(*) FROM products WHERE data @? 'strict $.dims.w'

SELECT count(*) FROM products WHERE data @? 'lax $.dims.w'

SELECT count(*) FROM orders WHERE data @@ '$.total > 500'

SELECT count(*) FROM orders WHERE data @@ '$.items.size() == 0'

SELECT jsonb_path_query_array(jsonb_agg(data -> 'total' ORDER BY id), '$[0 to 4]') FROM orders
