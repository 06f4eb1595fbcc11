# Area 5 of issue 18: date, timestamp, timestamptz, time and interval: input in PostgreSQL's
# formats ('January 8, 1999', 'today', 'infinity', BC dates), output, arithmetic, to_char,
# to_date, to_timestamp, date_trunc, EXTRACT of every field, age. Nothing here reads the
# clock except through comparisons whose answer does not depend on it.

# input and output
SELECT '2024-03-01'::date

SELECT 'January 8, 1999'::date

SELECT '1999-01-08'::date, '1/8/1999'::date, '19990108'::date, '08-Jan-1999'::date, 'Jan 8 1999'::date

SELECT '99-01-08'::date

SELECT 'J2451187'::date

SELECT '1999.008'::date

SELECT '2024-02-29'::date

SELECT '2023-02-29'::date

SELECT '2024-13-01'::date

SELECT 'not a date'::date

SELECT ''::date

SELECT '0001-01-01'::date, '0001-12-31 BC'::date, '4713-01-01 BC'::date

SELECT '5874897-12-31'::date

SELECT 'infinity'::date, '-infinity'::date, 'infinity'::date > '9999-12-31'

SELECT 'epoch'::date, 'epoch'::timestamp, 'epoch'::timestamptz

SELECT 'today'::date = current_date, 'tomorrow'::date - 'yesterday'::date

SELECT 'now'::timestamptz <= now() + interval '1 minute'

SELECT 'allballs'::time

SELECT '2024-03-01 12:34:56'::timestamp

SELECT '2024-03-01T12:34:56.123456'::timestamp

SELECT '2024-03-01 12:34:56.1234567'::timestamp

SELECT '2024-03-01 24:00:00'::timestamp

SELECT '2024-03-01 25:00:00'::timestamp

SELECT '2024-03-01 12:34:56+02'::timestamptz

SELECT '2024-03-01 12:34:56 Europe/Zurich'::timestamptz

SELECT '2024-07-01 12:34:56 America/New_York'::timestamptz

SELECT '2024-03-01 12:34:56 PST'::timestamptz

SELECT '2024-03-01 12:34:56Z'::timestamptz, '2024-03-01T12:34:56.5+05:30'::timestamptz

SELECT '2024-03-01 12:34:56+02'::timestamp

SELECT '2024-03-01'::timestamptz

SELECT 'infinity'::timestamp, '-infinity'::timestamptz

SELECT '2000-01-01 BC'::timestamp

SELECT 'Sat Mar 02 10:00:00 2024'::timestamp

SELECT 'March 2, 2024 10:00 PM'::timestamp

SELECT '12:30'::time, '12:30:45.5'::time, '1:02 PM'::time, '23:59:60'::time, '24:00'::time

SELECT '25:00'::time

SELECT '12:30+02'::timetz

SELECT '1 day'::interval, '2 hours 30 minutes'::interval, '1 year 2 months'::interval

SELECT '1-2'::interval, 'P1Y2M3DT4H5M6S'::interval, '1 day -1 hour'::interval, '-1 week'::interval

SELECT '1.5 days'::interval, '90 minutes'::interval, '36 hours'::interval, '0.5 month'::interval

SELECT '@ 1 day ago'::interval, '00:00:01.5'::interval, '100:00:00'::interval

SELECT 'nonsense'::interval

SELECT interval '1' day, interval '1:30' hour to minute, interval '2 years 3 months' year to month

SELECT date '2024-03-01', timestamp '2024-03-01 10:00', timestamptz '2024-03-01 10:00+01', time '10:00', interval '1 h'

SELECT pg_typeof(now()), pg_typeof(current_date), pg_typeof(current_time), pg_typeof(localtimestamp)

SELECT pg_typeof('2024-01-01'::date + 1), pg_typeof('2024-01-01'::date + interval '1 day'), pg_typeof('2024-01-02'::date - '2024-01-01'::date)

# arithmetic
SELECT '2024-03-01'::date + 1, '2024-03-01'::date - 1, '2024-03-01'::date + 30

SELECT '2024-03-31'::date + interval '1 month', '2024-01-31'::date + interval '1 month'

SELECT '2024-03-01'::date - '2024-01-01'::date

SELECT '2024-03-01'::date + '10:30'::time

SELECT '2024-03-01 10:00'::timestamp + interval '1 day 2 hours'

SELECT '2024-03-01 10:00'::timestamp - '2024-02-28 08:30'::timestamp

SELECT '2024-03-10 01:00 America/New_York'::timestamptz + interval '1 day'

SELECT '2024-03-01 10:00+00'::timestamptz - interval '36 hours'

SELECT interval '1 day' * 3, interval '1 hour' / 4, interval '1 day' + interval '1 hour', -interval '1 day'

SELECT interval '1 month' = interval '30 days', interval '1 day' = interval '24 hours', interval '25 hours' > interval '1 day'

SELECT justify_days(interval '35 days'), justify_hours(interval '27 hours'), justify_interval(interval '1 month -1 hour')

SELECT '2024-03-01'::date < '2024-03-02'::date, '2024-03-01'::date = '2024-03-01 00:00'::timestamp

SELECT '2024-03-01 10:00'::timestamp = '2024-03-01 10:00+00'::timestamptz

SELECT ('2024-01-01'::date, '2024-02-01'::date) OVERLAPS ('2024-01-15'::date, '2024-03-01'::date)

SELECT 'infinity'::date + 1, 'infinity'::timestamp - interval '1 day'

SELECT '2024-03-01'::date + 2147483647

# age
SELECT age('2024-03-01'::timestamp, '2020-01-15'::timestamp)

SELECT age('2024-03-01'::date, '2024-02-29'::date)

SELECT age('2020-01-15 10:00'::timestamp, '2024-03-01 09:00'::timestamp)

SELECT age('2024-03-01 10:00+00'::timestamptz, '2023-12-31 23:00+00'::timestamptz)

SELECT age(NULL::timestamp, '2024-01-01')

SELECT age(current_date::timestamp) >= interval '0'

# EXTRACT and date_part of every field
SELECT extract(year FROM '2024-03-01 12:34:56.789'::timestamp), extract(month FROM '2024-03-01'::date), extract(day FROM '2024-03-01'::date)

SELECT extract(hour FROM '2024-03-01 12:34:56.789'::timestamp), extract(minute FROM '2024-03-01 12:34:56.789'::timestamp), extract(second FROM '2024-03-01 12:34:56.789'::timestamp)

SELECT extract(milliseconds FROM '2024-03-01 12:34:56.789'::timestamp), extract(microseconds FROM '2024-03-01 12:34:56.789'::timestamp)

SELECT extract(dow FROM '2024-03-03'::date), extract(isodow FROM '2024-03-03'::date), extract(doy FROM '2024-03-01'::date)

SELECT extract(week FROM '2024-12-30'::date), extract(isoyear FROM '2024-12-30'::date), extract(isoyear FROM '2021-01-01'::date)

SELECT extract(quarter FROM '2024-08-15'::date), extract(decade FROM '2024-01-01'::date), extract(century FROM '2024-01-01'::date), extract(millennium FROM '2024-01-01'::date)

SELECT extract(century FROM '2000-12-31'::date), extract(century FROM '0001-01-01 BC'::date), extract(year FROM '0001-01-01 BC'::date)

SELECT extract(epoch FROM '2024-03-01 00:00:00+00'::timestamptz), extract(epoch FROM '2024-03-01 00:00:00'::timestamp), extract(epoch FROM '1970-01-01'::date)

SELECT extract(epoch FROM interval '1 day 2 hours'), extract(epoch FROM interval '1 month')

SELECT extract(julian FROM '2024-03-01'::date), extract(julian FROM '2024-03-01 12:00'::timestamp)

SELECT extract(timezone FROM '2024-03-01 12:00+02'::timestamptz), extract(timezone_hour FROM '2024-03-01 12:00+02'::timestamptz), extract(timezone_minute FROM '2024-03-01 12:00+05:30'::timestamptz)

SELECT extract(day FROM interval '40 days 3 hours'), extract(hour FROM interval '40 days 3 hours'), extract(month FROM interval '14 months'), extract(year FROM interval '14 months')

SELECT extract(hour FROM '12:34:56'::time), extract(second FROM '12:34:56.5'::time)

SELECT extract(year FROM 'infinity'::timestamp), extract(epoch FROM 'infinity'::timestamp)

SELECT extract(hour FROM '2024-03-01'::date)

SELECT extract(fortnight FROM '2024-03-01'::date)

SELECT extract('year' FROM '2024-03-01'::date), extract(YEAR FROM '2024-03-01'::date)

SELECT date_part('year', '2024-03-01'::date), date_part('epoch', '2024-03-01 00:00+00'::timestamptz), date_part('dow', '2024-03-01'::timestamp)

SELECT pg_typeof(extract(year FROM '2024-03-01'::date)), pg_typeof(date_part('year', '2024-03-01'::date))

# date_trunc and date_bin
SELECT date_trunc('year', '2024-08-15 12:34:56'::timestamp), date_trunc('quarter', '2024-08-15'::timestamp), date_trunc('month', '2024-08-15 12:34'::timestamp)

SELECT date_trunc('week', '2024-08-15'::timestamp), date_trunc('day', '2024-08-15 12:34'::timestamp), date_trunc('hour', '2024-08-15 12:34:56'::timestamp)

SELECT date_trunc('minute', '2024-08-15 12:34:56.7'::timestamp), date_trunc('second', '2024-08-15 12:34:56.7'::timestamp), date_trunc('milliseconds', '2024-08-15 12:34:56.789123'::timestamp)

SELECT date_trunc('decade', '2024-08-15'::timestamp), date_trunc('century', '2024-08-15'::timestamp), date_trunc('millennium', '2024-08-15'::timestamp)

SELECT date_trunc('day', '2024-08-15 23:30+00'::timestamptz), date_trunc('day', '2024-08-15 23:30+00'::timestamptz, 'Asia/Tokyo')

SELECT date_trunc('month', '2024-08-15'::date)

SELECT date_trunc('hour', interval '3 days 4 hours 5 minutes')

SELECT date_trunc('fortnight', '2024-08-15'::timestamp)

SELECT date_trunc('day', NULL::timestamp)

SELECT date_bin('15 minutes', '2024-08-15 12:34:56'::timestamp, '2000-01-01'::timestamp)

# to_char, to_date, to_timestamp
SELECT to_char('2024-03-01 14:05:09'::timestamp, 'YYYY-MM-DD HH24:MI')

SELECT to_char('2024-03-01 14:05:09'::timestamp, 'YYYY-MM-DD HH24:MI:SS')

SELECT to_char('2024-03-01 14:05:09.123456'::timestamp, 'HH12:MI:SS AM.MS.US')

SELECT to_char('2024-03-01'::date, 'Day, DD Month YYYY'), to_char('2024-03-01'::date, 'FMDay, FMDD FMMonth YYYY')

SELECT to_char('2024-03-01'::date, 'Dy Mon DD'), to_char('2024-03-01'::date, 'DY MON dd'), to_char('2024-03-01'::date, 'day month')

SELECT to_char('2024-03-01'::date, 'YY YYY Y,YYY IYYY IW WW W Q DDD D ID J CC')

SELECT to_char('2024-03-01'::date, 'DDth "of" Month'), to_char('2024-03-22'::date, 'FMDDth')

SELECT to_char('2024-03-01 14:05+00'::timestamptz, 'YYYY-MM-DD HH24:MI TZ OF')

SELECT to_char(interval '1 day 03:04:05', 'DD HH24:MI:SS'), to_char(interval '40 hours', 'HH24')

SELECT to_char('2024-03-01'::date, ''), to_char(NULL::date, 'YYYY')

SELECT to_char('2024-03-01'::date, 'yyyy-mm-dd "literal" \"quoted\"')

SELECT to_date('2024-03-01', 'YYYY-MM-DD'), to_date('01/03/2024', 'DD/MM/YYYY'), to_date('March 1 2024', 'Month DD YYYY')

SELECT to_date('20240301', 'YYYYMMDD'), to_date('2024-060', 'YYYY-DDD'), to_date('24-3-1', 'YY-MM-DD')

SELECT to_date('2024-02-30', 'YYYY-MM-DD')

SELECT to_date('garbage', 'YYYY-MM-DD')

SELECT to_timestamp('2024-03-01 14:05:09', 'YYYY-MM-DD HH24:MI:SS')

SELECT to_timestamp('01 Mar 2024 2:05 PM', 'DD Mon YYYY HH:MI AM')

SELECT to_timestamp(0), to_timestamp(1709300000), to_timestamp(1709300000.5), to_timestamp(-1)

SELECT to_timestamp('infinity'::float8)

SELECT to_timestamp('2024-03-01 25:00', 'YYYY-MM-DD HH24:MI')

SELECT make_date(2024, 3, 1), make_time(14, 5, 9.5), make_timestamp(2024, 3, 1, 14, 5, 9.5), make_interval(days => 3, hours => 4)

SELECT make_timestamptz(2024, 3, 1, 14, 5, 0, 'Europe/Zurich')

SELECT make_date(2024, 2, 30)

SELECT timezone('Asia/Tokyo', '2024-03-01 12:00+00'::timestamptz), '2024-03-01 12:00'::timestamp AT TIME ZONE 'Europe/Zurich'

SELECT '2024-03-01 12:00+00'::timestamptz AT TIME ZONE 'UTC', '2024-03-01 12:00+00'::timestamptz AT TIME ZONE '+02'

SELECT isfinite('2024-03-01'::date), isfinite('infinity'::timestamp), isfinite(interval '1 day')

SELECT current_date - current_date, now() - now(), clock_timestamp() >= statement_timestamp()

SELECT now() = current_timestamp, transaction_timestamp() = now()

SELECT current_date = now()::date

# dates in documents
SELECT id, (data ->> 'placed_at')::timestamptz FROM orders ORDER BY id

SELECT id, (data ->> 'placed_at')::timestamp FROM orders ORDER BY id LIMIT 20

SELECT id, (data ->> 'placed_at')::date FROM orders ORDER BY id LIMIT 20

SELECT id, to_char((data ->> 'placed_at')::timestamptz, 'YYYY-MM-DD HH24:MI') FROM orders ORDER BY id

SELECT id, to_char((data ->> 'placed_at')::timestamptz, 'Dy DD Mon YYYY') FROM orders ORDER BY id LIMIT 30

SELECT id, extract(dow FROM (data ->> 'placed_at')::timestamptz), extract(hour FROM (data ->> 'placed_at')::timestamptz) FROM orders ORDER BY id

SELECT id, date_trunc('week', (data ->> 'placed_at')::timestamptz) FROM orders ORDER BY id LIMIT 40

SELECT id, age('2025-01-01'::timestamp, (data ->> 'since')::timestamp) FROM customers ORDER BY id

SELECT id, '2025-01-01'::date - (data ->> 'since')::date FROM customers ORDER BY id

SELECT id, (data ->> 'since')::date + interval '1 year' FROM customers ORDER BY id

SELECT id FROM customers WHERE (data ->> 'since')::date < '2018-01-01' ORDER BY id

SELECT extract(year FROM (data ->> 'since')::date) AS y, count(*) FROM customers GROUP BY 1 ORDER BY 1

SELECT to_char((data ->> 'placed_at')::timestamptz, 'YYYY-MM') AS m, count(*), sum((data ->> 'total')::numeric) FROM orders GROUP BY 1 ORDER BY 1

SELECT min((data ->> 'placed_at')::timestamptz), max((data ->> 'placed_at')::timestamptz) FROM orders

SELECT id, (data #>> '{meta,created}')::date FROM products WHERE data ? 'meta' ORDER BY (data #>> '{meta,created}')::date, id LIMIT 20

SELECT to_jsonb('2024-03-01 12:00+00'::timestamptz), to_jsonb('2024-03-01 12:00'::timestamp), jsonb_build_object('d', '2024-03-01'::date)

SELECT ('"2024-03-01T10:00:00Z"'::jsonb #>> '{}')::timestamptz
