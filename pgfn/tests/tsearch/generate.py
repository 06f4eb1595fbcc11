#!/usr/bin/env python3
"""Writes pgfn/tests/tsearch/cases.tsv: full-text search cases with the answers of a real
PostgreSQL 15 (database encoding UTF8, LC_CTYPE C, as MindooDB reports).

Regenerate (needs Debian's postgresql-15; `bash scripts/deps.sh postgresql-15`):
    PGHOST=/tmp/pgts PGPORT=54315 PGUSER=postgres python3 pgfn/tests/tsearch/generate.py
against a throwaway cluster made with `initdb --locale=C -E UTF8`. Random inputs come from
a fixed seed, so the file only changes when the case list does. For a larger one-off run:
    TSEARCH_SEED=7 TSEARCH_SCALE=10 TSEARCH_OUT=/tmp/big.tsv python3 .../generate.py
    TSEARCH_CASES=/tmp/big.tsv cargo test -p mindoodb-pgfn --test tsearch

Each line: function, expected answer, arguments; fields escaped as in COPY text format
(\\t, \\n, \\r, \\\\; \\N is SQL NULL). The answer is `V:<text>`, `NULL`, or
`E:<SQLSTATE>:<message>`.
"""

import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from corpus import SENTENCES, HTML_TEXTS, TSVECTORS, TSQUERIES, STANDARD_QUERIES, WEB_QUERIES  # noqa: E402

CONFIGS = ["simple", "english"]


def lit(value):
    if value is None:
        return "NULL"
    return "'" + value.replace("'", "''") + "'"


SQL = {
    "tsvector_in": "select {0}::tsvector::text",
    "tsquery_in": "select {0}::tsquery::text",
    "regconfig": "select {0}::regconfig::text",
    "to_tsvector": "select to_tsvector({0}::regconfig, {1})::text",
    "to_tsquery": "select to_tsquery({0}::regconfig, {1})::text",
    "plainto_tsquery": "select plainto_tsquery({0}::regconfig, {1})::text",
    "phraseto_tsquery": "select phraseto_tsquery({0}::regconfig, {1})::text",
    "websearch_to_tsquery": "select websearch_to_tsquery({0}::regconfig, {1})::text",
    "match": "select ({0}::tsvector @@ {1}::tsquery)::text",
    "match_text": "select (to_tsvector({0}::regconfig, {1}) @@ to_tsquery({0}::regconfig, {2}))::text",
    "text_match_text": "select ({0} @@ {1})::text",
    "ts_rank": "select ts_rank({0}::tsvector, {1}::tsquery, {2}::int)::text",
    "ts_rank_w": "select ts_rank({0}::float4[], {1}::tsvector, {2}::tsquery, {3}::int)::text",
    "ts_rank_cd": "select ts_rank_cd({0}::tsvector, {1}::tsquery, {2}::int)::text",
    "ts_rank_cd_w": "select ts_rank_cd({0}::float4[], {1}::tsvector, {2}::tsquery, {3}::int)::text",
    "ts_rank_text": "select ts_rank(to_tsvector({0}::regconfig, {1}), to_tsquery({0}::regconfig, {2}), {3}::int)::text",
    "ts_rank_cd_text": "select ts_rank_cd(to_tsvector({0}::regconfig, {1}), to_tsquery({0}::regconfig, {2}), {3}::int)::text",
    "ts_headline_text": "select ts_headline({0}::regconfig, {1}, to_tsquery({0}::regconfig, {2}))",
    "ts_headline_text_opt": "select ts_headline({0}::regconfig, {1}, to_tsquery({0}::regconfig, {2}), {3})",
    "setweight": "select setweight({0}::tsvector, {1}::\"char\")::text",
    "setweight_lexemes": "select setweight({0}::tsvector, {1}::\"char\", {2}::text[])::text",
    "strip": "select strip({0}::tsvector)::text",
    "length": "select length({0}::tsvector)::text",
    "numnode": "select numnode({0}::tsquery)::text",
    "querytree": "select querytree({0}::tsquery)",
    "concat": "select ({0}::tsvector || {1}::tsvector)::text",
    "tsq_and": "select ({0}::tsquery && {1}::tsquery)::text",
    "tsq_or": "select ({0}::tsquery || {1}::tsquery)::text",
    "tsq_not": "select (!! {0}::tsquery)::text",
    "tsq_phrase": "select tsquery_phrase({0}::tsquery, {1}::tsquery, {2}::int)::text",
    "ts_delete": "select ts_delete({0}::tsvector, {1}::text[])::text",
    "ts_filter": "select ts_filter({0}::tsvector, {1}::\"char\"[])::text",
    "tsvector_to_array": "select tsvector_to_array({0}::tsvector)::text",
    "array_to_tsvector": "select array_to_tsvector({0}::text[])::text",
    "ts_parse": "select string_agg(t.alias || ':' || p.token, chr(31) order by n) "
    "from ts_parse('default', {0}) with ordinality as p(tokid, token, n) "
    "join ts_token_type('default') t on t.tokid = p.tokid",
    "tsvector_cmp": "select ((({0}::tsvector > {1}::tsvector)::int) - (({0}::tsvector < {1}::tsvector)::int))::text",
    "tsquery_cmp": "select sign(tsquery_cmp({0}::tsquery, {1}::tsquery))::text",
    "tsquery_contains": "select ({0}::tsquery @> {1}::tsquery)::text",
    "ts_debug": "select string_agg(alias || ',' || description || ',' || token || ',' || dictionaries::text || ',' "
    "|| coalesce(dictionary::text, '-') || ',' || coalesce(lexemes::text, '-'), chr(31) order by n) "
    "from ts_debug({0}::regconfig, {1}) with ordinality as d(alias, description, token, dictionaries, dictionary, "
    "lexemes, n)",
    "jsonb_filter": "select jsonb_to_tsvector('simple', '{{\"k\": \"v w\", \"n\": 1.5, \"b\": true, \"z\": null}}', "
    "to_jsonb(string_to_array({0}, chr(31))))::text",
    "tsvector_send": "select encode(tsvectorsend({0}::tsvector), 'hex')",
    "tsquery_send": "select encode(tsquerysend({0}::tsquery), 'hex')",
    "ts_lexize": "select ts_lexize({0}::regdictionary, {1})::text",
    "json_headline": "select ts_headline({0}::regconfig, to_jsonb(string_to_array({1}, chr(31))), "
    "to_tsquery({0}::regconfig, {2}), {3})::text",
    "json_to_tsvector": "select json_to_tsvector({0}::regconfig, "
    "to_json(string_to_array({1}, chr(31))), '[\"string\"]')::text",
}


def random_text(rng, alphabet, lo, hi):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


SEED = int(os.environ.get("TSEARCH_SEED", "20260415"))
SCALE = int(os.environ.get("TSEARCH_SCALE", "1"))
OUT = os.environ.get("TSEARCH_OUT", os.path.join(HERE, "cases.tsv"))


def build_cases():
    rng = random.Random(SEED)
    cases = []

    def add(func, *args):
        cases.append((func, list(args)))

    texts = SENTENCES + HTML_TEXTS
    parser_alphabet = list("abcXYZ019 .-_@/:<>&;#!?'\"\\~+=%,()[]*\t\n") + ["é", "ß", "Ж", "中", "\u0301", "😀"]
    randoms = [random_text(rng, parser_alphabet, 0, 24) for _ in range(1500 * SCALE)]

    for text in texts + randoms:
        add("ts_parse", text)
    for text in texts + randoms[:700]:
        for config in CONFIGS:
            add("to_tsvector", config, text)
    for text in texts + randoms[:200]:
        for config in CONFIGS:
            add("ts_debug", config, text)
    for pieces in [["a b", "c"], ["The cat", "sat on", "", "the mat"], ["1.5", "x@y.com"], [], ["only"],
                   ["stop", "the", "words"], ["a-b c", "d"], SENTENCES[:5], SENTENCES[5:9]]:
        for config in CONFIGS:
            add("json_to_tsvector", config, "\x1f".join(pieces) if pieces else None)

    for name in ["simple", "english", "English", '"English"', " english ", "pg_catalog.english",
                 "PG_CATALOG.Simple", "public.english", "a.b.c", "a.b.c.d", "", "eng lish",
                 '"english"', "pg_catalog . english", "x", "pg_catalog.", ".english", '"pg_catalog".simple']:
        add("regconfig", name)

    vector_alphabet = list("ab 'c\\:1,2AaBbCcDd*xyz\t") + ["é"]
    random_vectors = [random_text(rng, vector_alphabet, 0, 14) for _ in range(500)]
    for v in TSVECTORS + random_vectors:
        add("tsvector_in", v)
        add("strip", v)
        add("length", v)
        for w in ["A", "b", "C", "d"]:
            add("setweight", v, w)
    query_alphabet = list("ab c!&|()<->:*AB12'\\ ") + ["é"]
    random_queries = [random_text(rng, query_alphabet, 0, 16) for _ in range(700)]
    for v in TSVECTORS + random_vectors[:100]:
        add("tsvector_send", v)
    for q in TSQUERIES + random_queries[:100]:
        add("tsquery_send", q)
    for q in TSQUERIES + random_queries:
        add("tsquery_in", q)
        add("numnode", q)
        add("querytree", q)
        add("tsq_not", q)
    for q in STANDARD_QUERIES + random_queries[:300]:
        for config in CONFIGS:
            add("to_tsquery", config, q)
    for text in SENTENCES + WEB_QUERIES + randoms[:300]:
        for config in CONFIGS:
            add("plainto_tsquery", config, text)
            add("phraseto_tsquery", config, text)
    for text in WEB_QUERIES + SENTENCES + randoms[:300]:
        for config in CONFIGS:
            add("websearch_to_tsquery", config, text)

    # Matching, ranking, headlines over sentences and queries made from their words.
    good_vectors = [v for v in TSVECTORS if "\\" not in v][:40]
    for v in good_vectors:
        for q in TSQUERIES[:40]:
            add("match", v, q)
    for i, text in enumerate(SENTENCES):
        words = [w.strip(".,;:!?\"'()") for w in text.split()]
        words = [w for w in words if w.isalpha()]
        if not words:
            continue
        for config in CONFIGS:
            for _ in range(4):
                a, b = rng.choice(words), rng.choice(words)
                op = rng.choice([" & ", " | ", " <-> ", " <2> ", " & !", " <-> !"])
                q = a.lower() + op + b.lower()
                if rng.random() < 0.2:
                    q = a.lower()[:3] + ":*"
                add("match_text", config, text, q)
                norm = rng.choice([0, 1, 2, 4, 8, 16, 32, 1 | 4, 2 | 8 | 32])
                add("ts_rank_text", config, text, q, str(norm))
                add("ts_rank_cd_text", config, text, q, str(norm))
                add("ts_headline_text", config, text, q)
    for v in TSVECTORS[:30]:
        for q in TSQUERIES[:25]:
            add("ts_rank", v, q, "0")
            add("ts_rank_cd", v, q, "0")
    for weights in ["{0.1,0.2,0.4,1.0}", "{1,1,1,1}", "{0,0,0,1}", "{-1,0.5,-1,0.9}", "{0.1,0.2,0.4}",
                    "{0.1,0.2,0.4,1.5}", "{0.1,NULL,0.4,1}", "{1,0.5,0.25,0.125,9}", "{}", "{{1,2},{3,4}}"]:
        for v, q in [("a:1A,3B b:2C,5 c:4", "a & b"), ("a:1A,3B b:2C,5 c:4", "a | c"),
                     ("a:1,2,3 b:4", "a <-> b"), ("x:1", "y")]:
            for norm in ["0", "1", "33"]:
                add("ts_rank_w", weights, v, q, norm)
                add("ts_rank_cd_w", weights, v, q, norm)

    long_text = " ".join(SENTENCES[:12])
    for text in SENTENCES[:60] + HTML_TEXTS + [long_text]:
        for q in ["fox", "dog & fox", "quick <-> brown", "lazy | jump", "!fox", "data:*", "the", "search & engin"]:
            add("ts_headline_text", "english", text, q)
    options = ["MaxWords=5, MinWords=2", "StartSel=<em>, StopSel=</em>", "HighlightAll=true",
               "MaxFragments=2, MaxWords=6, MinWords=2", "MaxFragments=3, FragmentDelimiter=\" // \", MaxWords=4, MinWords=1",
               "ShortWord=0", "MaxWords=3, MinWords=3", "MinWords=0", "ShortWord=-1", "MaxFragments=-1",
               "Foo=1", "MaxWords=x", "MaxWords=99999999999", "MaxWords=1.5", "StartSel='<<', StopSel='>>'",
               "StartSel=E'\\\\x', StopSel=\"q\"\"q\"", "HighlightAll=01", "HighlightAll='01'", "highlightall=YES",
               "MaxWords=10 MinWords=5", "MaxWords", "MaxWords=", "= 5", "\"Max\"\"Words\"=5", "MaxWords = 7, MinWords = 1",
               "MaxFragments=1, MaxWords=5, MinWords=1, ShortWord=1", "HighlightAll=1, MaxWords=1, MinWords=9"]
    for text in SENTENCES[:25] + HTML_TEXTS[:4] + [long_text]:
        for opt in options:
            for q in ["fox & dog", "search | quick", "brown <-> fox"]:
                add("ts_headline_text_opt", "english", text, q, opt)

    # Operators over vectors and queries.
    for a in TSVECTORS[:25]:
        for b in TSVECTORS[:25]:
            add("concat", a, b)
    for a in TSQUERIES[:30]:
        for b in TSQUERIES[:12]:
            add("tsq_and", a, b)
            add("tsq_or", a, b)
            add("tsq_phrase", a, b, rng.choice(["0", "1", "3", "16384", "16385", "-1"]))
    for v in TSVECTORS[:30]:
        add("setweight_lexemes", v, "A", "{a,b,NULL,zz}")
        add("setweight_lexemes", v, "c", "{}")
        add("ts_delete", v, "{a,c,NULL}")
        add("ts_filter", v, "{a,b}")
        add("ts_filter", v, "{d}")
        add("tsvector_to_array", v)
    for v in TSVECTORS[:3]:
        add("ts_filter", v, "{a,NULL}")
        add("ts_filter", v, "{x}")
        add("setweight", v, "x")
        add("setweight_lexemes", v, "x", "{a}")
    for arr in ["{a,b,a}", "{}", "{z,y,x}", "{a,NULL}", "{a,\"\"}", "{\"it's\",back\\\\slash}"]:
        add("array_to_tsvector", arr)
    for text, q in [("The quick brown fox", "quick fox"), ("The quick brown fox", "slow"),
                    ("cats and dogs", "dog"), ("", ""), ("stop words only", "the and")]:
        add("text_match_text", text, q)
    add_edge_cases(add, rng)
    return cases


def add_edge_cases(add, rng):
    """Limits, deep nesting, token-shaped random text, and exhaustive small phrase cases."""
    # The Snowball English stemmer against PostgreSQL's on a sample of a large word list
    # (Debian's wamerican-large; the full list of 166,371 words was checked once by hand).
    words_file = "/usr/share/dict/american-english-large"
    if os.path.exists(words_file):
        with open(words_file, encoding="utf-8") as f:
            words = sorted({w.strip().lower() for w in f if w.strip()})
        for word in words[::8]:
            add("ts_lexize", "english_stem", word)
    for word in ["The", "RUNNING", "", "a" * 1001, "Ab" * 600, "naïve", "ÉCOLE", "it's", "x1"]:
        add("ts_lexize", "english_stem", word)
        add("ts_lexize", "simple", word)
    add("ts_lexize", "no_such_dictionary", "x")
    for flags in ["string", "numeric", "boolean", "key", "all", "String\x1fKEY", "numeric\x1fboolean", "bad",
                  "key\x1fnope", "", "ALL"]:
        add("jsonb_filter", flags)
    big_word = "x" * 2046
    for text in ["a " + "b" * 2046 + " c", "a " + "b" * 2047 + " c", "a " + "é" * 1100 + " c",
                 "Running " + "runnings" * 130 + " dogs", " ".join(["fox"] * 300),
                 " ".join(["w%d" % (i % 7) for i in range(17000)]) + " end",
                 "alpha " * 16390 + "omega"]:
        for config in CONFIGS:
            add("to_tsvector", config, text)
    add("tsvector_in", big_word)
    add("tsvector_in", big_word + "y")
    add("tsvector_in", "a:" + ",".join(str(i) for i in range(1, 300)))
    add("tsvector_in", "a:" + ",".join(str(i) for i in range(16370, 16400)))
    add("tsquery_in", "(" * 300 + "a" + ")" * 300)
    add("tsquery_in", "!" * 31 + "a")
    add("tsquery_in", "!" * 33 + "a")
    add("tsquery_in", " & ".join("w%d" % i for i in range(3000)))
    add("tsquery_in", " <-> ".join("w%d" % i for i in range(2000)))
    add("tsquery_in", big_word)
    add("tsquery_in", big_word + "z")
    add("numnode", " | ".join("w%d" % i for i in range(5000)))
    add("querytree", " & ".join(("!w%d" if i % 3 == 0 else "w%d") % i for i in range(500)))
    for config in CONFIGS:
        add("plainto_tsquery", config, " ".join("w%d the" % i for i in range(3000)))
        add("phraseto_tsquery", config, " ".join("w%d the a" % i for i in range(2000)))
        add("to_tsquery", config, " & ".join("the" for _ in range(50)))
    cmp_vectors = TSVECTORS[:20] + ["a:1", "a:1A", "a", "a:2", "b:1", "a:1,2", "a b", "ab", "a:1 b"]
    for a in cmp_vectors:
        for b in cmp_vectors:
            add("tsvector_cmp", a, b)
    cmp_queries = TSQUERIES[:20] + ["b", "ab", "a:*", "a:A", "b & a", "a <3> b", "!b", "c | d"]
    for a in cmp_queries:
        for b in cmp_queries:
            add("tsquery_cmp", a, b)
            add("tsquery_contains", a, b)
    add("concat", "a:16380 b:5", "a:10 c:16383")
    add("concat", "a:1,2,3", "a:" + ",".join(str(i) for i in range(1, 256)))
    add("concat", "a b", "a:1 c:2")
    add("concat", "a:3 b", "a b:2A")

    pieces = ["http://", "https://", "ftp://", "www.", "example", ".com", ".org", "@", "-", "_", "/", ".", ":",
              "8080", "<", ">", "</", "/>", "&", ";", "#", "x", "1", "2.5", "e5", "é", "ß", " ", "  ", "~", "..",
              "'", "\"", "=", "?", "%20", "<b>", "</b>", "<!--", "-->", "<script>", "</script>", "&amp;",
              "&#65;", "&#x4a;", "v1.2", "3.4.5", "foo", "Bar", "a-b", "--", "+", "1e-3", "<?xml", "<!DOCTYPE"]
    token_texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 10))) for _ in range(2500 * SCALE)]
    for text in token_texts:
        add("ts_parse", text)
    for text in token_texts[:1200]:
        for config in CONFIGS:
            add("to_tsvector", config, text)
    for text in token_texts[:300]:
        for config in CONFIGS:
            add("plainto_tsquery", config, text)
            add("websearch_to_tsquery", config, text)
            add("to_tsquery", config, text)

    lexemes = ["a", "b", "c", "ab", "abc"]
    weights = ["", "A", "B", "C"]
    vectors = []
    for _ in range(150 * SCALE):
        entries = []
        for lex in rng.sample(lexemes, rng.randint(1, 4)):
            if rng.random() < 0.1:
                entries.append(lex)
                continue
            poss = sorted(rng.sample(range(1, 9), rng.randint(1, 3)))
            entries.append(lex + ":" + ",".join(str(p) + rng.choice(weights) for p in poss))
        vectors.append(" ".join(entries))

    def random_query(depth):
        if depth == 0 or rng.random() < 0.3:
            q = rng.choice(lexemes)
            if rng.random() < 0.2:
                q += ":" + rng.choice(["*", "A", "B", "AB", "*C", "D"])
            return q
        kind = rng.choice(["&", "|", "<->", "<2>", "<0>", "!"])
        if kind == "!":
            return "!" + random_query(depth - 1)
        return "(" + random_query(depth - 1) + " " + kind + " " + random_query(depth - 1) + ")"

    queries = [random_query(3) for _ in range(120)]
    for v in vectors:
        for q in rng.sample(queries, 12):
            add("match", v, q)
            add("ts_rank", v, q, rng.choice(["0", "1", "2", "8", "16", "32", "63"]))
            add("ts_rank_cd", v, q, rng.choice(["0", "1", "2", "4", "8", "16", "32", "63"]))
    for q in queries:
        add("tsquery_in", q)
        add("querytree", q)
        add("numnode", q)

    words = "the quick brown fox jumps over lazy dog a fat cat sat on mat search engine data".split()
    for _ in range(250 * SCALE):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 60)))
        q = random_query(2).replace("abc", "fox").replace("ab", "dog").replace("a", "cat").replace("b", "quick") \
            .replace("c", "search")
        for config in CONFIGS:
            add("match_text", config, text, q)
            add("ts_rank_cd_text", config, text, q, "0")
            add("ts_headline_text", config, text, q)
            add("ts_headline_text_opt", config, text, q, rng.choice(
                ["MaxFragments=2, MaxWords=5, MinWords=1", "MaxWords=4, MinWords=2, ShortWord=1",
                 "HighlightAll=true", "MaxFragments=1", "MaxFragments=4, MaxWords=3, MinWords=1, ShortWord=5"]))
    for config in CONFIGS:
        for pieces_list in [["The quick fox", "lazy dog", "", "fox and dog"], ["no match here"], []]:
            add("json_headline", config, "\x1f".join(pieces_list), "fox | dog", "MaxWords=4, MinWords=1")
        add("json_headline", config, "a fox\x1fb", "fox", "MinWords=0")


def to_sql(func, args):
    return SQL[func].format(*[lit(a) for a in args])


def escape(value):
    if value is None:
        return "\\N"
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def unescape(field):
    if field == "\\N":
        return None
    out, i = [], 0
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field):
            n = field[i + 1]
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


SETUP = r"""
set client_min_messages = warning;
drop table if exists ts_cases;
create table ts_cases(id int primary key, q text);
create or replace function ts_try(q text) returns text language plpgsql as $$
declare r text;
begin
  execute q into r;
  return coalesce('V:' || r, 'NULL');
exception when others then
  return 'E:' || sqlstate || ':' || sqlerrm;
end $$;
"""


def main():
    cases = build_cases()
    copy_in = "".join("{}\t{}\n".format(i, escape(to_sql(f, a))) for i, (f, a) in enumerate(cases))
    script = SETUP + "copy ts_cases from stdin;\n" + copy_in + "\\.\n" + \
        "copy (select id, ts_try(q) from ts_cases order by id) to stdout;\n"
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres"], input=script.encode(),
                         capture_output=True, check=True).stdout.decode()
    answers = {}
    for line in out.splitlines():
        if not line:
            continue
        i, answer = line.split("\t", 1)
        answers[int(i)] = unescape(answer)
    if len(answers) != len(cases):
        sys.exit("expected {} answers, got {}".format(len(cases), len(answers)))
    with open(OUT, "w", encoding="utf-8") as f:
        for i, (func, args) in enumerate(cases):
            f.write("\t".join([func, escape(answers[i])] + [escape(a) for a in args]) + "\n")
    print("{} cases".format(len(cases)))


if __name__ == "__main__":
    main()
