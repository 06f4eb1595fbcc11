# Area 5 of issue 18: the string functions people use with documents: format, md5,
# concat_ws, initcap, left/right, split_part, string_to_table, regexp_replace and
# regexp_split_to_table, LIKE ... ESCAPE, VARIADIC arguments, and their NULL and edge cases.

# format
SELECT format('Hello %s', 'World')

SELECT format('%s, %s and %s', 'a', 'b', 'c')

SELECT format('%s', NULL)

SELECT format('%I', 'my table')

SELECT format('%I', 'simple')

SELECT format('%I', 'Mixed')

SELECT format('%I', NULL)

SELECT format('%L', 'it''s')

SELECT format('%L', NULL)

SELECT format('%L', 12.5)

SELECT format('%L', 'back\slash')

SELECT format('%1$s %1$s %2$s', 'a', 'b')

SELECT format('%2$s %1$s', 'a', 'b')

SELECT format('|%10s|%-10s|', 'right', 'left')

SELECT format('|%*s|', 6, 'x')

SELECT format('|%-*s|', 6, 'x')

SELECT format('%%')

SELECT format('no args')

SELECT format('%s')

SELECT format('%x', 1)

SELECT format('%s %s', 'only one')

SELECT format(NULL)

SELECT format('%s', ARRAY[1, 2])

SELECT format('%s', '{"a": 1}'::jsonb)

SELECT format('%s and %s', VARIADIC ARRAY['x', 'y'])

SELECT format('%s', 1.50, 'extra')

SELECT format('INSERT INTO %I VALUES (%L, %L)', 'scratch', 'id-1', '{"a": 1}')

SELECT id, format('%s costs %s', data ->> 'name', data ->> 'price') FROM products ORDER BY id LIMIT 20

# md5 and other hashes
SELECT md5('')

SELECT md5('abc')

SELECT md5('ünïcödé')

SELECT md5(NULL)

SELECT md5('\x00ff'::bytea)

SELECT md5(data::text) FROM customers WHERE id = 'c001'

SELECT sha256('abc'::bytea), sha224(''::bytea), sha384('a'::bytea), sha512('a'::bytea)

SELECT encode(sha256('abc'), 'hex')

SELECT encode('hello', 'base64'), decode('aGVsbG8=', 'base64'), encode('\x00ff', 'hex')

SELECT encode('a\nb', 'escape')

SELECT encode(E'a\\001b'::bytea, 'escape')

SELECT decode('zz', 'hex')

SELECT convert_to('ü', 'UTF8'), convert_from('\xc3bc', 'UTF8')

SELECT hashtext('abc') IS NOT NULL

# concatenation and concat/concat_ws
SELECT 'a' || 'b', 'a' || NULL, 'a' || 1, 1 || 'a'

SELECT concat('a', NULL, 'b', 1, 2.50, true)

SELECT concat()

SELECT concat(NULL)

SELECT concat_ws(', ', 'a', NULL, 'b', '')

SELECT concat_ws(NULL, 'a', 'b')

SELECT concat_ws('-', VARIADIC ARRAY['x', 'y', 'z'])

SELECT concat_ws('|')

SELECT concat(VARIADIC ARRAY[1, 2, 3])

SELECT concat(VARIADIC NULL::text[])

SELECT id, concat_ws(' / ', data ->> 'name', data ->> 'category', data #>> '{meta,supplier,name}') FROM products ORDER BY id LIMIT 30

# case, trimming, padding
SELECT upper('abc'), lower('ABC'), upper('straße'), lower('ÄÖÜ'), upper('ﬁ')

SELECT initcap('hello world'), initcap('HELLO wORLD'), initcap('o''neil mc-donald'), initcap('élan vital'), initcap('')

SELECT initcap(NULL)

SELECT trim('  x  '), ltrim('  x  '), rtrim('  x  '), btrim('xxaxx', 'x'), trim(both 'x' from 'xxaxx')

SELECT trim(leading '0' from '000120'), trim(trailing from 'a  '), ltrim('abcabc', 'ab')

SELECT lpad('7', 3, '0'), rpad('ab', 5, '-'), lpad('toolong', 3), rpad('x', 0), lpad('x', -1)

SELECT lpad('ü', 3, 'ä'), rpad('', 2, '')

SELECT repeat('ab', 3), repeat('x', 0), repeat('x', -1), repeat(NULL, 2)

SELECT reverse('abc'), reverse('東京'), reverse('')

# length and position
SELECT length('abc'), length('ü東'), char_length('ü'), octet_length('ü'), bit_length('ü'), length('')

SELECT length(NULL), length('  ')

SELECT position('b' IN 'abc'), position('x' IN 'abc'), position('' IN 'abc'), strpos('abcabc', 'c')

SELECT substring('hello' FROM 2 FOR 3), substring('hello', 2), substring('hello' FROM 0 FOR 2), substr('hello', -1, 3)

SELECT substring('hello', 2, -1)

SELECT substring('abc123def' FROM '[0-9]+'), substring('foobar' FROM 'o(.)b'), substring('x' FROM 'y')

SELECT substring('Thomas' SIMILAR '%#"o_a#"_' ESCAPE '#')

SELECT overlay('Txxxxas' PLACING 'hom' FROM 2 FOR 4), overlay('abc' PLACING 'X' FROM 10)

# left and right
SELECT left('abcde', 2), right('abcde', 2)

SELECT left('abcde', -2), right('abcde', -2)

SELECT left('abcde', 0), right('abcde', 10), left('', 3)

SELECT left('ü東京', 2), right('ü東京', 1)

SELECT left(NULL, 1), right('abc', NULL)

SELECT id, left(data ->> 'name', 5), right(data ->> 'name', 3) FROM products ORDER BY id LIMIT 30

# split_part
SELECT split_part('a,b,c', ',', 2)

SELECT split_part('a,b,c', ',', 5)

SELECT split_part('a,b,c', ',', -1)

SELECT split_part('a,b,c', ',', -3)

SELECT split_part('a,b,c', ',', 0)

SELECT split_part('a,b,c', '', 1)

SELECT split_part('', ',', 1)

SELECT split_part('a::b::c', '::', 2)

SELECT split_part(NULL, ',', 1)

SELECT id, split_part(data ->> 'email', '@', 1), split_part(data ->> 'email', '@', 2) FROM customers ORDER BY id

SELECT split_part(data ->> 'name', ' ', 1) AS first, count(*) FROM customers GROUP BY 1 ORDER BY 1

# string_to_array, array_to_string
SELECT string_to_array('a,b,c', ',')

SELECT string_to_array('a,b,,c', ',', '')

SELECT string_to_array('abc', NULL)

SELECT string_to_array('abc', '')

SELECT string_to_array('', ',')

SELECT string_to_array(NULL, ',')

SELECT array_to_string(ARRAY['a', NULL, 'c'], ',')

SELECT array_to_string(ARRAY['a', NULL, 'c'], ',', '*')

SELECT array_to_string(ARRAY[1, 2], '')

SELECT array_to_string('{}'::text[], ',')

# regexp functions
SELECT regexp_replace('Thomas', '.[mN]a.', 'M')

SELECT regexp_replace('foobarbaz', 'b..', 'X', 'g')

SELECT regexp_replace('foobarbaz', 'B..', 'X', 'gi')

SELECT regexp_replace('abc', '(a)(b)', '\2\1')

SELECT regexp_replace('abc', 'b', '\\')

SELECT regexp_replace('abc', 'x', 'y')

SELECT regexp_replace('aaa', 'a', 'b', 2)

SELECT regexp_replace('a-b-c', '-', '+', 1, 0)

SELECT regexp_replace('abc', '(', 'x')

SELECT regexp_replace(NULL, 'a', 'b')

SELECT regexp_replace('  many   spaces  ', '\s+', ' ', 'g')

SELECT regexp_replace('ÄÖÜ äöü', '[[:upper:]]', '_', 'g')

SELECT regexp_replace('phone: 555-1234', '\D', '', 'g')

SELECT * FROM regexp_split_to_table('one  two three', '\s+')

SELECT * FROM regexp_split_to_table('abc', '')

SELECT * FROM regexp_split_to_table('', ',')

SELECT regexp_split_to_array('a1b2c3', '\d')

SELECT regexp_split_to_array('hello', 'x')

SELECT regexp_match('foobar', 'o(b)')

SELECT regexp_match('foobar', 'x')

SELECT regexp_count('banana', 'an'), regexp_count('banana', 'a', 3)

SELECT regexp_instr('banana', 'an'), regexp_instr('banana', 'an', 1, 2)

SELECT regexp_substr('banana', 'a.a'), regexp_substr('banana', 'a.a', 1, 2)

SELECT regexp_like('Hello', 'h'), regexp_like('Hello', 'h', 'i')

SELECT 'abc' ~ 'b', 'abc' ~* 'B', 'abc' !~ 'b', 'abc' !~* 'B'

SELECT 'abc' ~ '('

SELECT 'a.c' ~ '^a\.c$', 'abc' ~ '^a\.c$'

SELECT 'café' ~ '^caf.$', 'straße' ~* 'STRASSE'

SELECT id, regexp_replace(data ->> 'name', '[^a-zA-Z ]', '', 'g') FROM products ORDER BY id LIMIT 40

SELECT id FROM articles WHERE data ->> 'title' ~ '\m(fast|quick)\M' ORDER BY id

# LIKE, ILIKE, ESCAPE, SIMILAR TO
SELECT 'abc' LIKE 'a%', 'abc' LIKE 'a_c', 'abc' LIKE 'A%', 'abc' ILIKE 'A%', 'abc' NOT LIKE '%b%'

SELECT '100%' LIKE '100\%', '100x' LIKE '100\%'

SELECT '100%' LIKE '100#%' ESCAPE '#', '100x' LIKE '100#%' ESCAPE '#'

SELECT 'a_b' LIKE 'a$_b' ESCAPE '$', 'axb' LIKE 'a$_b' ESCAPE '$'

SELECT 'a\b' LIKE 'a\\b', 'a\b' LIKE 'a\b' ESCAPE ''

SELECT 'abc' LIKE 'abc' ESCAPE 'xy'

SELECT 'ab' LIKE 'a%' ESCAPE NULL

SELECT 'x' LIKE NULL, NULL LIKE 'x', NULL ILIKE NULL

SELECT 'ÄBC' ILIKE 'äbc', 'straße' ILIKE 'STRASSE'

SELECT '' LIKE '', '' LIKE '%', '' LIKE '_'

SELECT 'abc' ~~ 'a%', 'abc' ~~* 'A%', 'abc' !~~ 'a%', 'abc' !~~* 'A%'

SELECT 'abc' SIMILAR TO 'a(b|x)c', 'abc' SIMILAR TO 'a', 'abc' SIMILAR TO '%(b|d)%'

SELECT 'abc' LIKE ANY (ARRAY['x%', 'a%']), 'abc' LIKE ALL (ARRAY['%c', 'a%'])

SELECT id FROM products WHERE data ->> 'name' LIKE '%\%%' ORDER BY id

SELECT id FROM products WHERE data ->> 'name' LIKE '% \_%' ESCAPE '\' ORDER BY id

SELECT id FROM products WHERE data ->> 'name' LIKE '%!"%' ESCAPE '!' ORDER BY id

SELECT id FROM products WHERE data ->> 'name' ILIKE '%CAFÉ%' ORDER BY id

SELECT id FROM customers WHERE data ->> 'name' LIKE '%O''Brien%' ORDER BY id

# other string functions
SELECT replace('abcabc', 'b', 'X'), replace('abc', '', 'X'), replace('abc', 'b', NULL)

SELECT translate('12345', '143', 'ax'), translate('abc', '', 'x')

SELECT ascii('A'), ascii('ü'), ascii(''), chr(65), chr(252)

SELECT chr(0)

SELECT quote_ident('a b'), quote_ident('abc'), quote_ident('Abc'), quote_ident('select')

SELECT quote_literal('it''s'), quote_literal(NULL), quote_nullable(NULL), quote_nullable(42)

SELECT to_hex(255), to_hex(-1), to_hex(9223372036854775807)

SELECT starts_with('alphabet', 'alph'), starts_with('alphabet', 'beta'), starts_with('', '')

SELECT 'abc' ^@ 'ab'

SELECT string_agg(x, ', ') FROM (VALUES ('a'), ('b'), (NULL), ('c')) t(x)

SELECT string_agg(x, ', ' ORDER BY x DESC) FROM (VALUES ('a'), ('b'), ('c')) t(x)

SELECT string_agg(x, NULL) FROM (VALUES ('a'), ('b')) t(x)

SELECT string_agg(DISTINCT x, '') FROM (VALUES ('b'), ('a'), ('b')) t(x)

SELECT string_agg(x, ',') FROM (VALUES ('a')) t(x) WHERE false

SELECT string_agg(x::text, ',') FROM generate_series(1, 5) x

SELECT data ->> 'category', string_agg(DISTINCT data ->> 'name', ' | ' ORDER BY data ->> 'name') FROM products GROUP BY 1 ORDER BY 1

SELECT 'a' < 'b', 'B' < 'a', 'ä' > 'z', 'abc' < 'abd', '' < 'a'

SELECT x FROM (VALUES ('b'), ('a'), ('B'), ('ä'), ('A'), ('_'), ('1'), (''), ('z'), ('É'), ('e')) t(x) ORDER BY x

SELECT x FROM (VALUES ('b'), ('a'), ('B'), ('ä')) t(x) ORDER BY x COLLATE "C"

SELECT 'abc'::varchar(2), 'abc'::char(5), length('ab'::char(5)), 'ab'::char(5) = 'ab'

SELECT 'abc'::char(5) || 'x', concat('ab'::char(4), 'x')

SELECT 'x'::varchar(2) || 'yyy'

SELECT E'a\tb\nc', E'\\', E'\x41', E'\u00e9', U&'\00e9', $$dollar 'quoted'$$, $tag$x$tag$

SELECT E'\xZZ'

SELECT 'a' 'b'

SELECT 'a'
'b'

SELECT text 'typed', varchar 'v', char 'c'

SELECT pg_typeof('x'), pg_typeof('x'::text), pg_typeof('x' || 'y'), pg_typeof(concat('a'))
