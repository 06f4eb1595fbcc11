"""SQL templates for pg_expected.py: each test function's PostgreSQL 15 query.

$1, $2, ... are the case's arguments as SQL string literals (or NULL). Every query returns
one text column; several rows are several result fields.
"""

TEMPLATES = {
    # numeric
    "numeric_in": "SELECT $1::numeric::text",
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
}
