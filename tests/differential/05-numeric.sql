# Area 5 of issue 18: numeric with its exact scale, integer and float arithmetic, casts and
# their errors, as documents' numbers meet SQL.

SELECT 12.500::numeric

SELECT '12.500'::numeric

SELECT '12.5'::numeric(10, 3)

SELECT 12.5::numeric(10, 0)

SELECT 12.5::numeric(3, 1)

SELECT 123.45::numeric(4, 1)

SELECT 0.00::numeric

SELECT '-0.00'::numeric

SELECT '1e3'::numeric, '1.5e-3'::numeric, '1E+2'::numeric

SELECT '  7.10  '::numeric

SELECT 'abc'::numeric

SELECT ''::numeric

SELECT 'NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric

SELECT 1.10 + 2.205

SELECT 1.10 * 2.205

SELECT 10.00 / 3

SELECT 10 / 3.0

SELECT 1 / 3::numeric

SELECT 2::numeric / 3

SELECT 1.000 / 1

SELECT 100::numeric / 7

SELECT 12.345 % 1

SELECT -7.5 % 2

SELECT 1.5 - 1.50

SELECT 0.1 + 0.2

SELECT 0.1::float8 + 0.2::float8

SELECT 0.1::float4 + 0.2::float4

SELECT 1e308::float8 * 10

SELECT 1::numeric / 0

SELECT 1 / 0

SELECT 1.0::float8 / 0

SELECT 0.0 / 0.0

SELECT 1 % 0

SELECT 5 / 2, 5 / -2, -5 / 2

SELECT 5 % 3, -5 % 3, 5 % -3

SELECT 2 ^ 10, 2.0 ^ 0.5, (-8) ^ (1.0 / 3)

SELECT 2 ^ 1000

SELECT 2::numeric ^ 100

SELECT 2147483647 + 1

SELECT 2147483647::int8 + 1

SELECT 9223372036854775807 + 1

SELECT -2147483648::int4

SELECT (-2147483648)::int4 / -1

SELECT 32767::int2 + 1::int2

SELECT 1e20::int8

SELECT 2.5::int, 3.5::int, -2.5::int, 2.4::int

SELECT 2.5::float8::int, 3.5::float8::int

SELECT '2.5'::int

SELECT ' 42 '::int

SELECT '42abc'::int

SELECT '0x2A'::int

SELECT '1_000'::int

SELECT '9999999999'::int

SELECT '-9223372036854775808'::int8

SELECT round(2.5), round(3.5), round(-2.5), round(2.5::float8), round(3.5::float8)

SELECT round(1234.5678, 2), round(1234.5678, -2), round(1234.5678, 0)

SELECT round(12.5::numeric(10, 3), 1)

SELECT trunc(1234.5678, 2), trunc(-1.9), trunc(1.9::float8)

SELECT ceil(1.2), ceil(-1.2), floor(1.8), floor(-1.8), ceiling(0.0)

SELECT abs(-1.50), abs(-7), abs(-0.0::float8)

SELECT sign(-3.2), sign(0), sign(7::float8)

SELECT sqrt(2), sqrt(2::numeric), sqrt(16), sqrt(-1)

SELECT cbrt(27), exp(1), ln(10), log(100), log(2, 8), log10(1000)

SELECT ln(0)

SELECT power(2, 0.5), power(2::numeric, 3), power(0, 0)

SELECT mod(10, 3), mod(10.5, 3), div(10, 3), div(-10.5, 3)

SELECT gcd(12, 18), lcm(4, 6)

SELECT factorial(10)

SELECT pi()

SELECT degrees(pi()), radians(180)

SELECT sin(0), cos(0), tan(0.5), atan2(1, 1)

SELECT width_bucket(5.35, 0.024, 10.06, 5)

SELECT scale(12.500), scale(1::numeric), scale(1e-5)

SELECT min_scale(12.500), trim_scale(12.500)

SELECT 12.500::numeric::text, 12.5000000000::numeric::float8::text

SELECT 1e-7::float8, 1e15::float8, 1e16::float8, 123456789.123456789::float8

SELECT 1.0::float4, 0.1::float4, 3.4e38::float4

SELECT 'NaN'::float8, 'Infinity'::float8, '-inf'::float8, 'nan'::float8 = 'nan'::float8

SELECT 1.5::float8::numeric, 0.1::float8::numeric, 1e20::float8::numeric

SELECT 123456789012345678901234567890::numeric + 1

SELECT 99999999999999999999.99::numeric(22, 2) * 10

SELECT 12.34::numeric(4, 2) * 10

SELECT (12.34 * 10)::numeric(4, 2)

SELECT 1.5 = 1.50, 1.5::numeric = 1.5::float8, 0.1::float4 = 0.1::float8

SELECT 1 = 1.0, 1::int8 = 1::int2, '1'::numeric = 1

SELECT 3 BETWEEN 1 AND 5, 3 BETWEEN SYMMETRIC 5 AND 1

SELECT greatest(1, 2.5, 2), least(1, 2.5, 0.5), greatest(NULL, 1), least(NULL::int, NULL)

SELECT coalesce(NULL, 1.50), coalesce(NULL::int, NULL)

SELECT sum(x), avg(x), min(x), max(x), count(x) FROM (VALUES (1.50), (2.25), (NULL)) t(x)

SELECT avg(x) FROM (VALUES (1), (2)) t(x)

SELECT avg(x), sum(x) FROM (VALUES (1::int8), (2::int8)) t(x)

SELECT sum(x) FROM (VALUES (9223372036854775807::int8), (1::int8)) t(x)

SELECT sum(x) FROM (VALUES (1.5::float8), (2.25)) t(x)

SELECT stddev(x), variance(x), stddev_pop(x), var_pop(x) FROM (VALUES (1.0), (2.0), (4.0)) t(x)

SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x), percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (2), (3), (4)) t(x)

SELECT mode() WITHIN GROUP (ORDER BY x) FROM (VALUES (1), (2), (2), (3)) t(x)

SELECT corr(x, y), covar_pop(x, y), regr_slope(y, x) FROM (VALUES (1.0, 2.0), (2.0, 4.1), (3.0, 5.9)) t(x, y)

SELECT bit_and(x), bit_or(x), bit_xor(x) FROM (VALUES (12), (10)) t(x)

SELECT 5 & 3, 5 | 3, 5 # 3, ~5, 1 << 4, 256 >> 2

SELECT to_char(1234.5, '9999.99'), to_char(1234.5, 'FM9999.99'), to_char(0.5, '0.00')

SELECT to_char(1234567.891, '9,999,999.99'), to_char(-12.3, 'S999.9'), to_char(12, '000')

SELECT to_char(1234.5, 'L9999.99')

SELECT to_char(15, 'RN'), to_char(2024, 'FMRN')

SELECT to_char(3, 'FM9th'), to_char(22, '99TH')

SELECT to_char(1e10, '9.99EEEE')

SELECT to_char(12.5::float8, '99D99'), to_char(1234, '9G999')

SELECT to_number('1,234.50', '9G999D99'), to_number('-12.3', 'S99.9')

SELECT to_number('$1,000', 'L9,999')

SELECT to_number('abc', '999')

SELECT id, (data ->> 'price')::numeric * (data ->> 'qty')::numeric FROM products WHERE id < 'p0040' ORDER BY id

SELECT id, round((data ->> 'price')::numeric, 1), trunc((data ->> 'price')::numeric) FROM products WHERE id < 'p0040' ORDER BY id

SELECT id, (data ->> 'price')::float8, (data ->> 'price')::float4 FROM products WHERE id < 'p0040' ORDER BY id

SELECT id, (data ->> 'price')::numeric(12, 2) FROM products WHERE id < 'p0060' ORDER BY id

SELECT id, (data ->> 'qty')::int FROM products WHERE id < 'p0060' ORDER BY id

SELECT sum((data ->> 'price')::numeric * (data ->> 'qty')::numeric) FROM products

SELECT avg((data ->> 'price')::numeric) FROM products

SELECT avg((data -> 'qty')::numeric), stddev((data -> 'qty')::numeric) FROM products

SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (data ->> 'total')::numeric) FROM orders

SELECT data ->> 'status', round(avg((data ->> 'total')::numeric), 3), max((data ->> 'total')::numeric) FROM orders GROUP BY 1 ORDER BY 1

SELECT id, (data #>> '{address,geo,lat}')::numeric + (data #>> '{address,geo,lon}')::numeric FROM customers ORDER BY id
