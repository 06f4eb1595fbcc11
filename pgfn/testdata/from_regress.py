#!/usr/bin/env python3
"""Turns PostgreSQL 15's own regression inputs (src/test/regress/sql/jsonpath.sql and
jsonb_jsonpath.sql) into pgfn test cases: testdata/jsonpath.regress.

Usage: from_regress.py PATH_TO_POSTGRES_SOURCE. Only statements whose arguments are all
literals are taken; `.datetime()` and the `_tz` functions are left out (not implemented).
Expected values then come from running the cases through PostgreSQL 15 (pg_expected.py).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def statements(text):
    buf, in_str, i = [], False, 0
    while i < len(text):
        ch = text[i]
        if not in_str and text.startswith("--", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        buf.append(ch)
        if ch == "'":
            in_str = not in_str
        elif ch == ";" and not in_str:
            yield "".join(buf).strip()
            buf = []
        i += 1


def tokens(stmt):
    pos = 0
    while pos < len(stmt):
        ch = stmt[pos]
        if ch.isspace():
            pos += 1
        elif ch == "'":
            end, val = pos + 1, []
            while True:
                if stmt[end] == "'" and end + 1 < len(stmt) and stmt[end + 1] == "'":
                    val.append("'")
                    end += 2
                elif stmt[end] == "'":
                    break
                else:
                    val.append(stmt[end])
                    end += 1
            yield ("str", "".join(val))
            pos = end + 1
        elif stmt.startswith("=>", pos) or stmt.startswith("@?", pos) or stmt.startswith("@@", pos) or stmt.startswith("::", pos):
            yield ("op", stmt[pos:pos + 2])
            pos += 2
        elif ch.isalnum() or ch == "_" or ch == "*":
            end = pos
            while end < len(stmt) and (stmt[end].isalnum() or stmt[end] in "_*"):
                end += 1
            yield ("word", stmt[pos:end].lower())
            pos = end
        else:
            yield ("op", ch)
            pos += 1


def esc(v):
    return "\\N" if v is None else v.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def convert(stmt):
    toks = list(tokens(stmt))
    words = [t[1] for t in toks]
    if "datetime" in stmt or "_tz" in stmt:
        return None
    # select jsonb 'X' @? 'P';
    if len(toks) == 6 and words[:2] == ["select", "jsonb"] and toks[2][0] == "str" and toks[3][1] in ("@?", "@@") and toks[4][0] == "str":
        fn = "jsonb_path_exists_op" if toks[3][1] == "@?" else "jsonb_path_match_op"
        return [fn, toks[2][1], toks[4][1]]
    # select 'P'::jsonpath;
    if len(toks) == 5 and words[0] == "select" and toks[1][0] == "str" and toks[2][1] == "::" and words[3] == "jsonpath":
        return ["jsonpath_in", toks[1][1]]
    # select [* from] jsonb_path_xxx('X', 'P'[, 'V'][, silent => b][, vars => 'V']);
    i = 1
    if words[1:3] == ["*", "from"]:
        i = 3
    fn = words[i] if i < len(words) else ""
    if fn not in ("jsonb_path_query", "jsonb_path_exists", "jsonb_path_match", "jsonb_path_query_array", "jsonb_path_query_first"):
        return None
    rest = toks[i + 1:]
    if not rest or rest[0][1] != "(" or rest[-1][1] != ";" or rest[-2][1] != ")":
        return None
    args, named, j = [], {}, 1
    inner = rest[1:-2]
    while j <= len(inner):
        part = []
        while j <= len(inner) and (j == len(inner) + 1 or j - 1 < len(inner)) and inner[j - 1][1] != ",":
            part.append(inner[j - 1])
            j += 1
        j += 1
        if len(part) == 1 and part[0][0] == "str":
            args.append(part[0][1])
        elif len(part) == 3 and part[1][1] == "=>" and part[0][0] == "word":
            if part[2][0] == "str":
                named[part[0][1]] = part[2][1]
            elif part[2][1] in ("true", "false"):
                named[part[0][1]] = part[2][1]
            else:
                return None
        else:
            return None
    if len(args) < 2 or len(args) > 3:
        return None
    vars_ = args[2] if len(args) == 3 else named.get("vars")
    silent = named.get("silent")
    return [fn, args[0], args[1], vars_, silent]


def main():
    src = sys.argv[1]
    cases = []
    for name in ("jsonpath.sql", "jsonb_jsonpath.sql"):
        with open(os.path.join(src, "src/test/regress/sql", name), encoding="utf-8") as f:
            for stmt in statements(f.read()):
                case = convert(stmt)
                if case:
                    cases.append(case)
    with open(os.path.join(HERE, "jsonpath.regress"), "w", encoding="utf-8") as out:
        out.write("# from PostgreSQL 15's regression inputs (from_regress.py), expected values from a real server\n")
        for case in cases:
            out.write("\t".join([case[0]] + [esc(a) for a in case[1:]]) + "\n")
    print("jsonpath.regress: %d cases" % len(cases))


if __name__ == "__main__":
    main()
