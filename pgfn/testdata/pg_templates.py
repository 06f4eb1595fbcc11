"""SQL templates for pg_expected.py: each test function's PostgreSQL 15 query.

$1, $2, ... are the case's arguments as SQL string literals (or NULL). Every query returns
one text column; several rows are several result fields.
"""

TEMPLATES = {
    # numeric
    "numeric_in": "SELECT $1::numeric::text",
    "numeric_typmod": "SELECT $1::numeric(%2, %3)::text",
    "numeric_add": "SELECT ($1::numeric + $2::numeric)::text",
    "numeric_sub": "SELECT ($1::numeric - $2::numeric)::text",
    "numeric_mul": "SELECT ($1::numeric * $2::numeric)::text",
    "numeric_div": "SELECT ($1::numeric / $2::numeric)::text",
    "numeric_mod": "SELECT ($1::numeric % $2::numeric)::text",
    "numeric_div_trunc": "SELECT div($1::numeric, $2::numeric)::text",
    "numeric_cmp": "SELECT sign(numeric_cmp($1::numeric, $2::numeric))::text",
    "numeric_round": "SELECT round($1::numeric, $2::int)::text",
    "numeric_trunc": "SELECT trunc($1::numeric, $2::int)::text",
    "numeric_ceil": "SELECT ceil($1::numeric)::text",
    "numeric_floor": "SELECT floor($1::numeric)::text",
    "numeric_abs": "SELECT abs($1::numeric)::text",
    "numeric_neg": "SELECT (-$1::numeric)::text",
    "numeric_sign": "SELECT sign($1::numeric)::text",
    "numeric_int2": "SELECT $1::numeric::int2::text",
    "numeric_int4": "SELECT $1::numeric::int4::text",
    "numeric_int8": "SELECT $1::numeric::int8::text",
    "numeric_float8": "SELECT $1::numeric::float8::text",
    "float8_numeric": "SELECT $1::float8::numeric::text",
    "float4_numeric": "SELECT $1::float4::numeric::text",
    "float8_out": "SELECT $1::float8::text",
    "float4_out": "SELECT $1::float4::text",
    # jsonb input, output, order
    "jsonb_in": "SELECT $1::jsonb::text",
    "jsonb_pretty": "SELECT jsonb_pretty($1::jsonb)",
    "jsonb_cmp": "SELECT sign(jsonb_cmp($1::jsonb, $2::jsonb))::text",
    "json_in": "SELECT $1::json::text",
    # jsonb operators and functions
    "jsonb_field": "SELECT ($1::jsonb -> $2::text)::text",
    "jsonb_field_text": "SELECT $1::jsonb ->> $2::text",
    "jsonb_element": "SELECT ($1::jsonb -> $2::int)::text",
    "jsonb_element_text": "SELECT $1::jsonb ->> $2::int",
    "jsonb_path": "SELECT ($1::jsonb #> $2::text[])::text",
    "jsonb_path_text": "SELECT $1::jsonb #>> $2::text[]",
    "jsonb_extract_path": "SELECT jsonb_extract_path($1::jsonb, VARIADIC $2::text[])::text",
    "jsonb_extract_path_text": "SELECT jsonb_extract_path_text($1::jsonb, VARIADIC $2::text[])",
    "jsonb_exists": "SELECT ($1::jsonb ? $2::text)::text",
    "jsonb_exists_any": "SELECT ($1::jsonb ?| $2::text[])::text",
    "jsonb_exists_all": "SELECT ($1::jsonb ?& $2::text[])::text",
    "jsonb_contains": "SELECT ($1::jsonb @> $2::jsonb)::text",
    "jsonb_contained": "SELECT ($1::jsonb <@ $2::jsonb)::text",
    "jsonb_concat": "SELECT ($1::jsonb || $2::jsonb)::text",
    "jsonb_delete_key": "SELECT ($1::jsonb - $2::text)::text",
    "jsonb_delete_keys": "SELECT ($1::jsonb - $2::text[])::text",
    "jsonb_delete_index": "SELECT ($1::jsonb - $2::int)::text",
    "jsonb_delete_path": "SELECT ($1::jsonb #- $2::text[])::text",
    "jsonb_set": "SELECT jsonb_set($1::jsonb, $2::text[], $3::jsonb, $4::bool)::text",
    "jsonb_set_lax": "SELECT jsonb_set_lax($1::jsonb, $2::text[], $3::jsonb, $4::bool, $5::text)::text",
    "jsonb_insert": "SELECT jsonb_insert($1::jsonb, $2::text[], $3::jsonb, $4::bool)::text",
    "jsonb_strip_nulls": "SELECT jsonb_strip_nulls($1::jsonb)::text",
    "jsonb_array_length": "SELECT jsonb_array_length($1::jsonb)::text",
    "jsonb_array_elements": "SELECT x::text FROM jsonb_array_elements($1::jsonb) x",
    "jsonb_array_elements_text": "SELECT x FROM jsonb_array_elements_text($1::jsonb) x",
    "jsonb_each": "SELECT key || '=' || value::text FROM jsonb_each($1::jsonb)",
    "jsonb_each_text": "SELECT key || '=' || coalesce(value, '<NULL>') FROM jsonb_each_text($1::jsonb)",
    "jsonb_object_keys": "SELECT k FROM jsonb_object_keys($1::jsonb) k",
    "jsonb_typeof": "SELECT jsonb_typeof($1::jsonb)",
    "jsonb_subscript": "SELECT ($1::jsonb)@SUBS2::text",
    "jsonb_subscript_assign": "UPDATE pgfn_assign SET j = $1::jsonb;;UPDATE pgfn_assign SET j@SUBS3 = $2::jsonb;;SELECT j::text FROM pgfn_assign",
    "jsonb_cast_bool": "SELECT $1::jsonb::bool::text",
    "jsonb_cast_numeric": "SELECT $1::jsonb::numeric::text",
    "jsonb_cast_int2": "SELECT $1::jsonb::int2::text",
    "jsonb_cast_int4": "SELECT $1::jsonb::int4::text",
    "jsonb_cast_int8": "SELECT $1::jsonb::int8::text",
    "jsonb_cast_float4": "SELECT $1::jsonb::float4::text",
    "jsonb_cast_float8": "SELECT $1::jsonb::float8::text",
    # building jsonb from typed SQL values (@n, @*: `type::value` arguments)
    "to_jsonb": "SELECT to_jsonb(@1)::text",
    "jsonb_build_array": "SELECT jsonb_build_array(@*)::text",
    "jsonb_build_object": "SELECT jsonb_build_object(@*)::text",
    "jsonb_object": "SELECT jsonb_object($1::text[])::text",
    "jsonb_object2": "SELECT jsonb_object($1::text[], $2::text[])::text",
    "jsonb_agg": "SELECT jsonb_agg(x ORDER BY o)::text FROM unnest(ARRAY[@*]) WITH ORDINALITY u(x, o)",
    "jsonb_object_agg": "SELECT jsonb_object_agg(k, v ORDER BY o)::text FROM unnest(@1, @2) WITH ORDINALITY u(k, v, o)",
}

TEMPLATES.update({
    # jsonpath (vars defaults to '{}' and silent to false, as the SQL functions' defaults)
    "jsonpath_in": "SELECT $1::jsonpath::text",
    "jsonb_path_exists": "SELECT jsonb_path_exists($1::jsonb, $2::jsonpath, coalesce($3::jsonb, '{}'), coalesce($4::bool, false))::text",
    "jsonb_path_match": "SELECT jsonb_path_match($1::jsonb, $2::jsonpath, coalesce($3::jsonb, '{}'), coalesce($4::bool, false))::text",
    "jsonb_path_query": "SELECT x::text FROM jsonb_path_query($1::jsonb, $2::jsonpath, coalesce($3::jsonb, '{}'), coalesce($4::bool, false)) x",
    "jsonb_path_query_array": "SELECT jsonb_path_query_array($1::jsonb, $2::jsonpath, coalesce($3::jsonb, '{}'), coalesce($4::bool, false))::text",
    "jsonb_path_query_first": "SELECT jsonb_path_query_first($1::jsonb, $2::jsonpath, coalesce($3::jsonb, '{}'), coalesce($4::bool, false))::text",
    "jsonb_path_exists_op": "SELECT ($1::jsonb @? $2::jsonpath)::text",
    "jsonb_path_match_op": "SELECT ($1::jsonb @@ $2::jsonpath)::text",
})

# jsonb_populate_record & co: one result row per column (rows one after another)
_COLS = "unnest(ARRAY[a::text, b::text, c::text, d::text, e::text, f::text, g::text, h::text, r::text])"
_DEF = "x(a int, b text, c jsonb, d json, e int[], f numeric, g bool, h float8, r pg_temp.pgfn_rec)"
_BASE = ("CASE WHEN $2 IS NULL THEN NULL::pg_temp.pgfn_all ELSE ROW(7, 'base', '{\"z\": 1}', '[0]', '{9}', 1.5, false, 2.5, "
         "ROW(5, 'q'))::pg_temp.pgfn_all END")
TEMPLATES.update({
    "jsonb_to_record": "SELECT " + _COLS + " FROM jsonb_to_record($1::jsonb) AS " + _DEF,
    "jsonb_to_recordset": "SELECT " + _COLS + " FROM jsonb_to_recordset($1::jsonb) AS " + _DEF,
    "jsonb_populate_record": "SELECT " + _COLS + " FROM jsonb_populate_record(" + _BASE + ", $1::jsonb)",
    "jsonb_populate_recordset": "SELECT " + _COLS + " FROM jsonb_populate_recordset(" + _BASE + ", $1::jsonb)",
})

TEMPLATES.update({
    # json: reading (values keep their text) and building
    "json_field": "SELECT $1::json -> $2::text",
    "json_field_text": "SELECT $1::json ->> $2::text",
    "json_element": "SELECT $1::json -> $2::int",
    "json_element_text": "SELECT $1::json ->> $2::int",
    "json_path": "SELECT $1::json #> $2::text[]",
    "json_path_text": "SELECT $1::json #>> $2::text[]",
    "json_typeof": "SELECT json_typeof($1::json)",
    "json_array_length": "SELECT json_array_length($1::json)::text",
    "json_each": "SELECT key || '=' || value::text FROM json_each($1::json)",
    "json_each_text": "SELECT key || '=' || coalesce(value, '<NULL>') FROM json_each_text($1::json)",
    "json_array_elements": "SELECT x::text FROM json_array_elements($1::json) x",
    "json_array_elements_text": "SELECT x FROM json_array_elements_text($1::json) x",
    "json_object_keys": "SELECT k FROM json_object_keys($1::json) k",
    "json_strip_nulls": "SELECT json_strip_nulls($1::json)::text",
    "to_json": "SELECT to_json(@1)::text",
    "json_build_array": "SELECT json_build_array(@*)::text",
    "json_build_object": "SELECT json_build_object(@*)::text",
    "json_object": "SELECT json_object($1::text[])::text",
    "json_object2": "SELECT json_object($1::text[], $2::text[])::text",
    "json_agg": "SELECT json_agg(x ORDER BY o)::text FROM @VALUES",
    "json_object_agg": "SELECT json_object_agg(k, v ORDER BY o)::text FROM unnest(@1, @2) WITH ORDINALITY u(k, v, o)",
    "row_to_json": "SELECT row_to_json(@1)::text",
    "row_to_json_pretty": "SELECT row_to_json(@1, true)::text",
    "array_to_json": "SELECT array_to_json(@1)::text",
    "array_to_json_pretty": "SELECT array_to_json(@1, true)::text",
    "json_to_record": "SELECT " + _COLS + " FROM json_to_record($1::json) AS " + _DEF,
    "json_to_recordset": "SELECT " + _COLS + " FROM json_to_recordset($1::json) AS " + _DEF,
    "json_populate_record": "SELECT " + _COLS + " FROM json_populate_record(" + _BASE + ", $1::json)",
    "json_populate_recordset": "SELECT " + _COLS + " FROM json_populate_recordset(" + _BASE + ", $1::json)",
})
