#!/usr/bin/env python3
"""Writes the seeded, generated part of pgfn's test cases: testdata/AREA.cases.

Usage: gen_cases.py AREA [AREA ...]. Hand-picked edge cases live in testdata/AREA.edge and are
copied in first; the random ones follow from a fixed seed, so the output is reproducible.
Then run pg_expected.py to get PostgreSQL 15's answers.
"""
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def esc(v):
    if v is None:
        return "\\N"
    return v.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def rand_numeric(rng):
    kind = rng.random()
    if kind < 0.04:
        return rng.choice(["NaN", "Infinity", "-Infinity", "0", "-0", "0.000", "1", "-1"])
    sign = "-" if rng.random() < 0.35 else ""
    int_len = rng.choice([0, 1, 1, 2, 3, 4, 5, 8, 12, 20, 30])
    frac_len = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20])
    int_part = "".join(rng.choice("0123456789") for _ in range(int_len)).lstrip("0") or "0"
    frac = "".join(rng.choice("0123456789") for _ in range(frac_len))
    text = sign + int_part + ("." + frac if frac_len else "")
    if rng.random() < 0.1:
        text += "e" + str(rng.randint(-30, 30))
    return text


def numeric(rng):
    out = []
    for _ in range(300):
        out.append(["numeric_in", rand_numeric(rng)])
    for fn in ["numeric_add", "numeric_sub", "numeric_mul", "numeric_div", "numeric_mod",
               "numeric_div_trunc", "numeric_cmp"]:
        for _ in range(180):
            a, b = rand_numeric(rng), rand_numeric(rng)
            if rng.random() < 0.1:
                b = a
            out.append([fn, a, b])
    for fn in ["numeric_round", "numeric_trunc"]:
        for _ in range(120):
            out.append([fn, rand_numeric(rng), str(rng.randint(-8, 12))])
    for fn in ["numeric_ceil", "numeric_floor", "numeric_abs", "numeric_neg", "numeric_sign",
               "numeric_int4", "numeric_int8", "numeric_float8"]:
        for _ in range(40):
            out.append([fn, rand_numeric(rng)])
    for _ in range(250):
        precision = rng.choice([1, 2, 3, 5, 8, 10, 20, 38, 1000])
        scale = rng.choice([0, 0, 1, 2, 3, 5, -1, -3, precision, precision + 2])
        out.append(["numeric_typmod", rand_numeric(rng), str(precision), str(scale)])
    for _ in range(150):
        e = rng.randint(-300, 300)
        m = rng.random() * rng.choice([1, 10, 1000])
        text = repr(m * 10.0 ** e) if rng.random() < 0.5 else "%.17g" % (rng.random() * 10 ** rng.randint(-6, 20))
        out.append([rng.choice(["float8_numeric", "float8_out"]), text])
    for _ in range(200):
        # Integers past 2^53 often make a shortest decimal sit exactly on a rounding bound.
        out.append(["float8_out", str(rng.randint(2 ** 53, 2 ** 70))])
    for _ in range(60):
        out.append(["float4_out", str(rng.randint(2 ** 24, 2 ** 40))])
    for _ in range(60):
        text = "%.9g" % (rng.random() * 10 ** rng.randint(-40, 38))
        out.append([rng.choice(["float4_numeric", "float4_out"]), text])
    return out


KEYS = ["a", "b", "c", "aa", "ab", "b1", "key", "Key", "", "é", "ü", "日本", "a b", "x\"y", "\\", "long_key_name", "10", "2"]
STRINGS = ["", "x", "hello", "é", "日本語", "tab\\t", "nl\\n", "q\\\"", "\\u00e9", "\\ud83d\\ude00", "\\u001f", "\\/", "a\\\\b", "emoji 😀", "\\b\\f\\r"]
NUMBERS = ["0", "-0", "1", "-1", "1.0", "1.50", "12.500", "1e2", "1E+2", "1e-6", "-1.5e-3", "0.0", "100", "123456789012345678901234567890",
           "1.23456789012345678901234567890", "3.14159", "2e10", "5e-324", "0.000001000", "-0.0e5", "99999999999999999999e-20"]


def rand_json(rng, depth=0):
    r = rng.random()
    if depth > 3 or r < 0.45:
        kind = rng.random()
        if kind < 0.35:
            return '"' + rng.choice(STRINGS) + '"'
        if kind < 0.75:
            return rng.choice(NUMBERS)
        return rng.choice(["true", "false", "null"])
    ws = lambda: rng.choice(["", "", "", " ", "\n", "  ", "\t"])
    n = rng.choice([0, 1, 1, 2, 3, 4, 6])
    if r < 0.72:
        return "[" + ws() + ("," + ws()).join(rand_json(rng, depth + 1) for _ in range(n)) + ws() + "]"
    pairs = []
    for _ in range(n):
        pairs.append('"' + rng.choice(KEYS) + '"' + ws() + ":" + ws() + rand_json(rng, depth + 1))
    return "{" + ws() + ("," + ws()).join(pairs) + ws() + "}"


MUTATIONS = ["", ",", "]", "}", "[", "{", ":", '"', "\\", "x", "1", ".", "-", "e", "tru", "nul", " ", "\\u", "\\uZZZZ", "\\ud800", "\\udc00", "\\u0000", "\\x"]


def mutate(rng, text):
    pos = rng.randint(0, len(text))
    if rng.random() < 0.3 and text:
        return text[:pos] + text[pos + 1:]
    return text[:pos] + rng.choice(MUTATIONS) + text[pos:]


def jsonb_io(rng):
    out = []
    docs = [rand_json(rng) for _ in range(700)]
    for d in docs:
        out.append(["jsonb_in", d])
    for d in docs[:250]:
        out.append(["jsonb_pretty", d])
    for _ in range(700):
        out.append(["jsonb_in", mutate(rng, rng.choice(docs))])
    for _ in range(900):
        a = rng.choice(docs)
        b = rng.choice(docs) if rng.random() < 0.6 else mutate_equalish(rng, a)
        out.append(["jsonb_cmp", a, b])
    return out


def mutate_equalish(rng, text):
    # A nearby document: same shape with one scalar changed, to exercise deep comparisons.
    for old, new in [("1", "2"), ("true", "false"), ('"a"', '"b"'), ("null", "0"), ("[]", "{}"), ("1.50", "1.5")]:
        if old in text and rng.random() < 0.5:
            return text.replace(old, new, 1)
    return text


DOCS = ['{}', '[]', '1', '"a"', 'null', 'true', '[1]', '["a"]', '{"a":1}', '{"a":null}', '{"a":{"b":{"c":1}}}',
        '{"a":[1,2,{"b":3}],"c":"x"}', '[1,"a",null,true,[2,3],{"k":"v"}]', '["a","b","a",1,"1"]', '{"a":1,"b":2,"c":3}',
        '[[1,2],[3,[4,5]]]', '{"a":{"b":[1,{"c":null}]},"d":null}', '{"":1," ":2}', '[null]', '[[]]', '{"x":[]}',
        '{"é":"ü","日本":[1.50,"2"]}', '"é"', '12.500', '[1.0,2.00]', '{"n":1e2,"m":-0.0}', '[{"a":1},{"a":2},{"b":1}]',
        '{"tags":["x","y"],"meta":{"n":1,"s":"t"}}', '[true,false]', '{"a":[],"b":{}}']
KEYS2 = ["a", "b", "c", "d", "k", "x", "tags", "meta", "", " ", "é", "日本", "1", "0", "-1", "n", "A", "aa"]
PATHS = ["{}", "{a}", "{a,b}", "{a,b,c}", "{a,0}", "{a,2,b}", "{0}", "{1}", "{-1}", "{5}", "{-7}", "{1,0}", "{1,1,0}",
         "{4,1}", "{5,k}", "{a,NULL}", "{NULL}", "{x,0}", "{meta,n}", "{tags,-1}", "{\"\"}", "{é}", "{a,b,1,c}",
         "{ 1}", "{1 }", "{+1}", "{01}", "{x}", "{2147483648}", "{-2147483649}", "{a,b,0}", "{d}", "{1,a}", "{0,0,0}"]
KEYARRS = ["{}", "{a}", "{a,b}", "{a,NULL}", "{NULL}", "{x,y,z}", "{1}", "{k,v}", "{\"\"}", "{é,日本}", "{tags,meta}"]
NEWVALS = ['1', '"new"', 'null', '[1,2]', '{"z":0}', '{}', '[]', 'true']


def jsonb_funcs(rng):
    out = []
    docs = DOCS + [rand_json(rng) for _ in range(40)]
    for d in docs:
        for fn in ["jsonb_strip_nulls", "jsonb_array_length", "jsonb_array_elements", "jsonb_array_elements_text",
                   "jsonb_each", "jsonb_each_text", "jsonb_object_keys", "jsonb_typeof"]:
            out.append([fn, d])
        for k in rng.sample(KEYS2, 4):
            out.append([rng.choice(["jsonb_field", "jsonb_field_text", "jsonb_exists", "jsonb_delete_key"]), d, k])
        for i in rng.sample(["0", "1", "2", "-1", "-2", "5", "-6", "2147483647", "-2147483648"], 3):
            out.append([rng.choice(["jsonb_element", "jsonb_element_text", "jsonb_delete_index"]), d, i])
        for p in rng.sample(PATHS, 5):
            out.append([rng.choice(["jsonb_path", "jsonb_path_text", "jsonb_delete_path", "jsonb_extract_path", "jsonb_extract_path_text"]), d, p])
        for ka in rng.sample(KEYARRS, 3):
            out.append([rng.choice(["jsonb_exists_any", "jsonb_exists_all", "jsonb_delete_keys"]), d, ka])
        for _ in range(3):
            other = rng.choice(docs)
            out.append([rng.choice(["jsonb_contains", "jsonb_contained", "jsonb_concat"]), d, other])
        for _ in range(4):
            p = rng.choice(PATHS)
            v = rng.choice(NEWVALS)
            fn = rng.choice(["jsonb_set", "jsonb_insert"])
            out.append([fn, d, p, v, rng.choice(["true", "false"])])
        for _ in range(3):
            subs = [rng.choice(["text::a", "text::b", "int4::0", "int4::1", "int4::-1", "int4::3", "text::0", "text::x", "int4::-5", "text::k"])
                    for _ in range(rng.randint(1, 3))]
            out.append(["jsonb_subscript", d] + subs)
            out.append(["jsonb_subscript_assign", rng.choice([d, None]), rng.choice(NEWVALS + [None])] + subs)
        for cast in ["bool", "numeric", "int4", "float8"]:
            if rng.random() < 0.3:
                out.append(["jsonb_cast_" + cast, d])
    for _ in range(300):
        a, b = rng.choice(docs), rng.choice(docs)
        out.append([rng.choice(["jsonb_contains", "jsonb_contained"]), a, b])
    return out


PATH_DOCS = ['{"a":1,"b":[1,2,3],"c":{"d":"x","e":null},"f":[{"g":1},{"g":2,"h":[true,false]}],"s":"abc"}',
             '[1,"2",3.5,null,true,[4,5],{"a":6}]', '{"a":{"a":{"a":1}}}', '[[1,2],[3,[4]]]', '"abc"', '12.50', 'null', '{}', '[]',
             '{"x":[{"y":1,"z":"a"},{"y":2,"z":"b"},{"y":3}],"n":-1.5,"t":"2020-01-01"}', '[{"k":"v"},{"k":{"kk":[1]}}]']
PATH_ATOMS = ["$", "$.a", "$.b", "$.c", "$.*", "$[*]", "$.**", "$.b[*]", "$.b[0]", "$.b[last]", "$.b[1 to 2]", "$.f[*].g",
              "$.f[*].h[*]", "$.c.d", "$.x[*].y", "$.x[*] ? (@.y > 1)", "$.**{2}", "$.**{1 to last}", "$.a.a.a", "$[0]", "$[-1]",
              "$.n", "$.s", "$.t", "$.nope", "$[*].a", "$.*.*", "$.b.size()", "$.type()", "$.keyvalue()", "$.*.keyvalue()",
              "$.c.keyvalue().value", "$.**.keyvalue()", "$.f[1].keyvalue()", "$.x[*].keyvalue().key", "$[*].type()", "$.b[*] * 2",
              "$.n.abs()", "$.n.floor()", "$.n.ceiling()", "$.s.double()", "$.a.double()", "$.b.double()", "$[*] ? (@ starts with \"a\")",
              "$.* ? (@ like_regex \"^a\" flag \"i\")", "$ ? (exists(@.a))", "$.a + 1", "$.a / 0", "$.b[*] ? (@ >= 2)",
              "$.x ? (@[*].y == 2)", "$.c ? (@.e == null)", "$.c.e == null", "$.a == 1", "$.b[0] < $.b[1]", "$.s == \"abc\"",
              "-$.b[*]", "$ ? (@.a > 0 && @.b[0] == 1)", "$.x[*] ? (@.z != \"a\" || !(@.y < 3))", "$.x.size()", "$.*.size()",
              "$.b[$.a]", "$.b[$.a to last]", "$[last - 1]", "$.f[*] ? (@.h[*] == true).g", "1 + 2", "$.a ? (@ == $v)", "$v", "$v.k",
              "(1, 2)", "$.b[1.7]", "$.b[10 to 20]", "$.b[2 to 1]", "$.b[-1 to 0]", "$.c.keyvalue() ? (@.value == null).key",
              "$.x[*].y.double() * 2", "$.a.b", "$.a[0]", "$.b.a", "$.c[*]", "($.a, $.b)", "$.a ? (@ is unknown)", "($.a == 1) is unknown",
              "$.b[*] + 1", "$.b + 1", "- $.b", "$.s.size()", "$.s[0]", "$.s.*", "$.c.e.type()", "$.**.a", "$.**{0}", "$.**{last}"]


def jsonpath(rng):
    out = []
    for _ in range(1400):
        doc = rng.choice(PATH_DOCS)
        atom = rng.choice(PATH_ATOMS)
        if "(1, 2)" in atom or "($.a, $.b)" in atom:
            atom = "$"
        mode = rng.choice(["", "", "strict ", "lax "])
        fn = rng.choice(["jsonb_path_query", "jsonb_path_query", "jsonb_path_exists", "jsonb_path_match", "jsonb_path_query_array",
                         "jsonb_path_query_first", "jsonb_path_exists_op", "jsonb_path_match_op"])
        vars_ = rng.choice([None, None, '{"v":1}', '{"v":{"k":[1,2]}}', '{"w":1}', '[1]'])
        silent = rng.choice([None, "true", "false"])
        if fn.endswith("_op"):
            out.append([fn, doc, mode + atom])
        else:
            out.append([fn, doc, mode + atom, vars_, silent])
    for atom in PATH_ATOMS:
        out.append(["jsonpath_in", atom])
        out.append(["jsonpath_in", "strict " + atom])
    return out


JSON_DOCS = ['{"a":1, "b" : [1, 2 ,3], "c":{"d" : "x\\u0041"}, "a":2}', ' [1, "2", null, true, [3, {"k": "v"}], {"x": null}] ', ' 1 ', '"abc"',
             '"\\u0000"', '{"a":"\\u0000"}', '{"a":1,"b":"\\ud800"}', 'null', '{}', '[]', '[[1,2,3],[4]]', '{"a":[1,2],"a":[3,4,5]}',
             '{"a":{"b":{"c":[10, 20.0, 3e1]}}}', '{ "k" : null , "n" : [null, {"z": null}] }', '[1, 2', '{"a":1} x', '[1,2,3] ', '{"é":"ü"}',
             '{"a": "x\\ny", "b": "tab\\t"}', '12.50', 'true', '[{"a":1},{"a":"2"},{"b":[]}]', '{"":0, " ":1}', '{"1":"one"}', '["x", ["y"]]']
JSON_PATHS = ["{}", "{a}", "{b}", "{b,1}", "{b,-1}", "{c,d}", "{1}", "{-1}", "{0}", "{4,1,k}", "{a,-1}", "{1,-1}", "{0,-1}", "{a,b,c,1}",
              "{x}", "{k}", "{n,1,z}", "{\"\"}", "{1 }", "{ 1}", "{a,NULL}", "{-9}", "{2147483648}"]


def json_funcs(rng):
    out = []
    for d in JSON_DOCS:
        for fn in ["json_typeof", "json_array_length", "json_each", "json_each_text", "json_array_elements", "json_array_elements_text",
                   "json_object_keys", "json_strip_nulls"]:
            out.append([fn, d])
        for k in ["a", "b", "c", "x", "", "1", "k", "é"]:
            out.append([rng.choice(["json_field", "json_field_text"]), d, k])
        for i in ["0", "1", "-1", "-2", "5", "4"]:
            out.append([rng.choice(["json_element", "json_element_text"]), d, i])
        for p in JSON_PATHS:
            out.append([rng.choice(["json_path", "json_path_text"]), d, p])
    for fn in ["json_to_record", "json_populate_record", "json_to_recordset", "json_populate_recordset"]:
        for d in ['{"a":1,"b":"x\\u0041","c":{"b":1,"a":[1.0]},"d":{"b":2, "a" : 1},"e":[1,2],"f":1.50,"g":"yes","h":"1e3","r":{"x":1}}',
                  '{"a":"1e2"}', '{"f":1e2}', '{"d":"s\\u0041"}', '{"c":"x"}', '{"a":1,"a":2}', '{"r":{"y":"q","y":"w"}}', '{"e":[[1,2],[3]]}',
                  '{"e":"{1,2}"}', '{"d":1.0}', '{"c":1.0}', '[{"a":1},{"a":2}]', '[{"a":1},3]', '1', '[]', '{}', '[1,{"a":1}]', '{"a":"x"}',
                  '[{"d":[1, 2]}]', '{"d":null}', '{"c":null}', '{"e":[null]}', '[{"a":1}, x]']:
            out.append([fn, d, None])
            if "populate" in fn:
                out.append([fn, d, "base"])
    return out


GENERATORS = {"numeric": numeric, "jsonb_io": jsonb_io, "jsonb_funcs": jsonb_funcs, "jsonpath": jsonpath, "json_funcs": json_funcs}


def main():
    for area in sys.argv[1:]:
        rng = random.Random(18 * 1000 + len(area))
        lines = []
        for suffix in (".edge", ".regress"):
            edge = os.path.join(HERE, area + suffix)
            if os.path.exists(edge):
                with open(edge, encoding="utf-8") as f:
                    lines.extend(l.rstrip("\n") for l in f if l.strip())
        if area in GENERATORS:
            lines.append("# generated, seed %d" % (18 * 1000 + len(area)))
            lines.extend("\t".join(esc(f) if i else f for i, f in enumerate(case)) for case in GENERATORS[area](rng))
        with open(os.path.join(HERE, area + ".cases"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print("%s: %d lines" % (area, len(lines)))


if __name__ == "__main__":
    main()
