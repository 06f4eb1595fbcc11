# Area 6 of issue 18: full-text search over documents as PostgreSQL 15 does it: to_tsvector,
# to_tsquery, plainto_tsquery, phraseto_tsquery, websearch_to_tsquery, @@, ts_rank,
# ts_rank_cd, ts_headline, jsonb_to_tsvector, json_to_tsvector, with the simple and english
# configurations (and the default one, english in this cluster as in most).

# to_tsvector
SELECT to_tsvector('english', 'The quick brown foxes jumped over the lazy dogs')

SELECT to_tsvector('simple', 'The quick brown foxes jumped over the lazy dogs')

SELECT to_tsvector('The quick brown foxes jumped over the lazy dogs')

SELECT to_tsvector('english', 'Running runs ran; databases, encrypted encryption!')

SELECT to_tsvector('english', '')

SELECT to_tsvector('english', 'the a of and')

SELECT to_tsvector('english', NULL)

SELECT to_tsvector('english', 'a-b c.d e_f foo@example.com http://example.com/path 3.14 -5 1e3')

SELECT to_tsvector('english', 'Zürich Köln naïve café 東京 Ωmega')

SELECT to_tsvector('simple', 'Zürich Köln naïve café')

SELECT to_tsvector('english', 'PostgreSQL JSON JSONB append-only full-text')

SELECT to_tsvector('english', 'word word word other word')

SELECT to_tsvector('english', repeat('x ', 5))

SELECT to_tsvector('nope', 'x')

SELECT to_tsvector('english', '{"a": "hello world"}'::jsonb)

SELECT to_tsvector('english', '{"a": "hello", "b": ["worlds", 1, true]}'::json)

SELECT length(to_tsvector('english', 'The quick brown fox')), numnode(to_tsquery('english', 'a & b'))

SELECT strip(to_tsvector('english', 'cats and dogs')), setweight(to_tsvector('english', 'cats'), 'A')

SELECT setweight(to_tsvector('english', 'cats'), 'A') || to_tsvector('english', 'dogs cats')

SELECT tsvector_to_array(to_tsvector('english', 'cats and dogs')), array_to_tsvector(ARRAY['b', 'a', 'a'])

SELECT * FROM unnest(to_tsvector('english', 'cats and dogs chasing cats'))

SELECT ts_delete(to_tsvector('english', 'cats and dogs'), 'dog'), ts_filter(setweight(to_tsvector('english', 'cats'), 'A'), '{a}')

SELECT 'a fat cat'::tsvector, 'b:2 a:1,3'::tsvector, $$'quoted word' x$$::tsvector

SELECT 'a:1A b:2B'::tsvector

# queries
SELECT to_tsquery('english', 'cats & dogs')

SELECT to_tsquery('english', 'cat | dog')

SELECT to_tsquery('english', '!cat')

SELECT to_tsquery('english', 'fat <-> cat')

SELECT to_tsquery('english', 'fat <2> cat')

SELECT to_tsquery('english', 'supern:*')

SELECT to_tsquery('english', 'cat:A')

SELECT to_tsquery('english', '(cat | dog) & !rat')

SELECT to_tsquery('english', 'the')

SELECT to_tsquery('english', 'the & cat')

SELECT to_tsquery('english', '')

SELECT to_tsquery('english', 'cat dog')

SELECT to_tsquery('english', 'cat &')

SELECT to_tsquery('english', '& cat')

SELECT to_tsquery('simple', 'The & Cats')

SELECT to_tsquery('Running & Databases')

SELECT plainto_tsquery('english', 'The fat rats')

SELECT plainto_tsquery('english', 'cat & dog | !bird')

SELECT plainto_tsquery('english', '')

SELECT plainto_tsquery('simple', 'The fat rats')

SELECT phraseto_tsquery('english', 'The fat rats')

SELECT phraseto_tsquery('english', 'the cat and the hat')

SELECT phraseto_tsquery('simple', 'quick brown fox')

SELECT websearch_to_tsquery('english', 'The fat rats')

SELECT websearch_to_tsquery('english', '"supernovae stars" -crab')

SELECT websearch_to_tsquery('english', '"sad cat" or "fat rat"')

SELECT websearch_to_tsquery('english', 'signal -"segmentation fault"')

SELECT websearch_to_tsquery('english', '""" )( dummy \\ query <->')

SELECT websearch_to_tsquery('english', 'or')

SELECT websearch_to_tsquery('english', '')

SELECT websearch_to_tsquery('simple', 'Quick OR brown -fox')

SELECT 'fat & rat'::tsquery, 'fat & (rat | cat)'::tsquery, '!fat'::tsquery, 'a <-> b'::tsquery

SELECT 'fat & '::tsquery

SELECT querytree(to_tsquery('english', '!defined')), querytree(to_tsquery('english', 'cat & !rat'))

SELECT to_tsquery('english', 'cat') && to_tsquery('english', 'dog'), to_tsquery('english', 'cat') || to_tsquery('english', 'dog'), !! to_tsquery('english', 'cat')

SELECT to_tsquery('english', 'cat') <-> to_tsquery('english', 'dog'), tsquery_phrase(to_tsquery('cat'), to_tsquery('dog'), 3)

SELECT to_tsquery('cat & rat') @> to_tsquery('cat'), to_tsquery('cat') <@ to_tsquery('cat & rat')

SELECT ts_rewrite('a & b'::tsquery, 'a'::tsquery, 'c'::tsquery)

# matching
SELECT to_tsvector('english', 'The quick brown fox') @@ to_tsquery('english', 'foxes')

SELECT to_tsvector('english', 'The quick brown fox') @@ to_tsquery('english', 'quick & !fox')

SELECT to_tsvector('english', 'The quick brown fox') @@ to_tsquery('english', 'quick <-> brown')

SELECT to_tsvector('english', 'The quick brown fox') @@ to_tsquery('english', 'brown <-> quick')

SELECT to_tsvector('english', 'The quick brown fox') @@ to_tsquery('english', 'quick <2> fox')

SELECT to_tsvector('english', 'The quick brown fox') @@ to_tsquery('english', 'qui:*')

SELECT to_tsvector('english', 'The quick brown fox') @@ plainto_tsquery('english', 'the brown')

SELECT to_tsvector('english', 'The quick brown fox') @@ phraseto_tsquery('english', 'quick brown')

SELECT to_tsvector('english', 'The quick brown fox') @@ websearch_to_tsquery('english', 'fox -dog')

SELECT to_tsvector('english', 'The quick brown fox') @@ to_tsquery('english', 'the')

SELECT 'The quick brown fox' @@ 'fox'

SELECT 'The quick brown fox' @@ to_tsquery('foxes')

SELECT to_tsvector('english', 'x') @@ NULL::tsquery

SELECT to_tsquery('english', 'fox') @@ to_tsvector('english', 'the fox')

# ranking and headlines
SELECT ts_rank(to_tsvector('english', 'The quick brown fox jumps'), to_tsquery('english', 'fox'))

SELECT ts_rank(to_tsvector('english', 'fox fox fox dog'), to_tsquery('english', 'fox | dog'))

SELECT ts_rank(to_tsvector('english', 'fox'), to_tsquery('english', 'cat'))

SELECT ts_rank(to_tsvector('english', 'The quick brown fox jumps'), to_tsquery('english', 'fox'), 1)

SELECT ts_rank(to_tsvector('english', 'The quick brown fox jumps'), to_tsquery('english', 'fox'), 32)

SELECT ts_rank('{0.1, 0.2, 0.4, 1.0}', setweight(to_tsvector('english', 'fox'), 'A'), to_tsquery('english', 'fox'))

SELECT ts_rank_cd(to_tsvector('english', 'The quick brown fox jumps over the lazy fox'), to_tsquery('english', 'quick & fox'))

SELECT ts_rank_cd(to_tsvector('english', 'The quick brown fox'), to_tsquery('english', 'fox'), 2)

SELECT ts_rank_cd(to_tsvector('english', 'cat'), to_tsquery('english', 'dog'))

SELECT ts_headline('english', 'The quick brown fox jumps over the lazy dog', to_tsquery('english', 'fox'))

SELECT ts_headline('english', 'The quick brown fox jumps over the lazy dog', to_tsquery('english', 'fox & dog'), 'StartSel=<b>, StopSel=</b>')

SELECT ts_headline('english', 'The quick brown fox jumps over the lazy dog', to_tsquery('english', 'cat'))

SELECT ts_headline('english', 'The quick brown fox jumps over the lazy dog. Another sentence about a fox.', to_tsquery('english', 'fox'), 'MaxWords=5, MinWords=2')

SELECT ts_headline('english', 'The quick brown fox jumps over the lazy dog', to_tsquery('english', 'fox'), 'HighlightAll=true')

SELECT ts_headline('english', 'one two three four five six seven eight nine ten fox', to_tsquery('english', 'fox'), 'MaxFragments=2, MaxWords=3, MinWords=1, FragmentDelimiter=" ... "')

SELECT ts_headline('The quick brown fox', to_tsquery('fox'))

SELECT ts_headline('english', '{"a": "the fox", "b": ["a dog", "fox again"]}'::jsonb, to_tsquery('english', 'fox'))

SELECT ts_headline('english', 'x', to_tsquery('english', 'x'), 'Bogus=1')

# jsonb_to_tsvector and json_to_tsvector
SELECT jsonb_to_tsvector('english', '{"a": "The Fat Rats", "b": 42, "c": true, "d": ["cats", "dogs"]}', '"string"')

SELECT jsonb_to_tsvector('english', '{"a": "The Fat Rats", "b": 42, "c": true}', '"numeric"')

SELECT jsonb_to_tsvector('english', '{"a": "The Fat Rats", "b": 42, "c": true}', '"boolean"')

SELECT jsonb_to_tsvector('english', '{"a": "The Fat Rats", "b": 42, "c": true}', '"key"')

SELECT jsonb_to_tsvector('english', '{"a": "The Fat Rats", "b": 42, "c": true}', '"all"')

SELECT jsonb_to_tsvector('english', '{"a": "The Fat Rats", "b": 42}', '["string", "numeric"]')

SELECT jsonb_to_tsvector('simple', '{"a": "The Fat Rats"}', '["string", "key"]')

SELECT jsonb_to_tsvector('{"a": "running dogs"}', '"string"')

SELECT jsonb_to_tsvector('english', '{"a": 1}', '"nope"')

SELECT jsonb_to_tsvector('english', '{"a": 1}', '[]')

SELECT jsonb_to_tsvector('english', '"just a string"', '"string"')

SELECT json_to_tsvector('english', '{"a": "The Fat  Rats", "b": [1, "cats"]}', '"all"')

SELECT json_to_tsvector('simple', '{"a": "x y"}', '"string"')

SELECT to_tsvector('english', '["fat rats", {"k": "cats"}]'::jsonb)

# search over the seeded articles
SELECT id FROM articles WHERE to_tsvector('english', data ->> 'body') @@ to_tsquery('english', 'encrypt') ORDER BY id

SELECT id FROM articles WHERE to_tsvector('english', data ->> 'body') @@ to_tsquery('english', 'database & sync') ORDER BY id

SELECT id FROM articles WHERE to_tsvector('english', data->>'body') @@ to_tsquery('english', 'fox & dog') ORDER BY id

SELECT id FROM articles WHERE to_tsvector('english', data ->> 'body') @@ to_tsquery('english', 'quick <-> brown') ORDER BY id

SELECT id FROM articles WHERE to_tsvector('english', data ->> 'title') @@ plainto_tsquery('english', 'fast queries') ORDER BY id

SELECT id FROM articles WHERE to_tsvector('english', data ->> 'body') @@ websearch_to_tsquery('english', 'replica -backup') ORDER BY id

SELECT id FROM articles WHERE to_tsvector('english', data ->> 'body') @@ phraseto_tsquery('english', 'signed hash') ORDER BY id

SELECT id FROM articles WHERE to_tsvector('simple', data ->> 'body') @@ to_tsquery('simple', 'runs') ORDER BY id

SELECT id FROM articles WHERE to_tsvector('english', data ->> 'body') @@ to_tsquery('english', 'runs') ORDER BY id

SELECT id FROM articles WHERE to_tsvector('english', data ->> 'body') @@ to_tsquery('english', 'post:*') ORDER BY id

SELECT id FROM articles WHERE jsonb_to_tsvector('english', data, '"string"') @@ to_tsquery('english', 'mirror') ORDER BY id

SELECT id FROM articles WHERE to_tsvector('english', data) @@ to_tsquery('english', 'privacy & fox') ORDER BY id

SELECT id FROM articles WHERE data ->> 'body' @@ 'restore' ORDER BY id

SELECT id, ts_rank(to_tsvector('english', data ->> 'body'), to_tsquery('english', 'database | document')) AS r FROM articles ORDER BY r DESC, id LIMIT 15

SELECT id, ts_rank_cd(to_tsvector('english', data ->> 'body'), to_tsquery('english', 'key & server')) AS r FROM articles WHERE to_tsvector('english', data ->> 'body') @@ to_tsquery('english', 'key & server') ORDER BY r DESC, id

SELECT id, ts_headline('english', data ->> 'body', to_tsquery('english', 'encryption')) FROM articles WHERE to_tsvector('english', data ->> 'body') @@ to_tsquery('english', 'encryption') ORDER BY id LIMIT 10

SELECT id, to_tsvector('english', data ->> 'title') FROM articles ORDER BY id

SELECT id, to_tsvector('simple', data ->> 'title') FROM articles ORDER BY id LIMIT 30

SELECT id, length(to_tsvector('english', data ->> 'body')) FROM articles ORDER BY id

SELECT id, setweight(to_tsvector('english', data ->> 'title'), 'A') || setweight(to_tsvector('english', data ->> 'body'), 'D') FROM articles ORDER BY id LIMIT 5

SELECT word, ndoc, nentry FROM ts_stat($$SELECT to_tsvector('english', data ->> 'body') FROM articles$$) ORDER BY nentry DESC, word LIMIT 20

SELECT count(*) FROM articles WHERE to_tsvector('english', data ->> 'body') @@ to_tsquery('english', 'the')

SELECT id FROM products WHERE to_tsvector('english', data ->> 'name') @@ to_tsquery('english', 'chair') ORDER BY id

SELECT id FROM products WHERE to_tsvector('simple', data ->> 'name') @@ to_tsquery('simple', 'café') ORDER BY id

SELECT id FROM customers WHERE to_tsvector('simple', data ->> 'name') @@ to_tsquery('simple', 'müller') ORDER BY id

SELECT get_current_ts_config()

SELECT cfgname FROM pg_ts_config ORDER BY 1

SELECT * FROM ts_debug('english', 'The Brightest supernovaes')

SELECT * FROM ts_parse('default', '123 - a number')

SELECT alias, description FROM ts_token_type('default') ORDER BY tokid LIMIT 5

SELECT ts_lexize('english_stem', 'stars'), ts_lexize('simple', 'Stars')

# the types on the wire, casts, and overloads PostgreSQL lacks
-- binary
SELECT to_tsvector('english', 'fat cats ate'), to_tsquery('english', 'fat & !cat <-> rat:*A'), get_current_ts_config()

SELECT 'english'::regconfig, 'pg_catalog.simple'::regconfig, to_tsvector('simple'::regconfig, 'A b')

SELECT to_tsvector('english', 'fat cats')::text, length(to_tsvector('english', 'fat cats')::text)

SELECT setweight(to_tsvector('english', 'fat cats rats'), 'B', '{cat}'), ts_filter(to_tsvector('english', 'x'), '{z}')

SELECT ts_rank(ARRAY[0.1, 0.2, 0.4, 1.0], to_tsvector('english', 'fox'), to_tsquery('english', 'fox')), ts_rank(to_tsvector('english', 'fox'), 'fox')

SELECT ts_rank_cd('{0.1, 0.2}', to_tsvector('english', 'fox'), to_tsquery('english', 'fox'))

SELECT to_tsvector(42)

SELECT to_tsquery()

SELECT 'abc' @@ 'x y', to_tsvector('a b') @@ 'a & b', to_tsquery('english', 'a & b') @@ to_tsvector('english', 'a b')

SELECT !! 'a'::tsquery, 'a'::tsquery || 'b', 'a:1'::tsvector || 'b:1', 'a'::tsquery && 'b'::tsquery

-- params: ["fat rats"]
SELECT to_tsvector('english', $1), to_tsvector('english', $1) @@ to_tsquery('english', 'rat')

SHOW default_text_search_config
