//! No input panics: every parser and formatter is fed random text and random values and must
//! return a value or a PostgreSQL error (the brief's "panics on input are bugs"). Seeded by
//! proptest's deterministic default runner; `PGFN_FUZZ_CASES` raises the case count.

use mindoodb_pgfn::datetime::{self as dt, Context, Interval, Timestamp, TimestampTz, Zone};
use mindoodb_pgfn::format as fmt;
use proptest::prelude::*;

fn ctx() -> Context {
    Context::new(
        Zone::by_name("America/New_York").expect("zone"),
        TimestampTz(7_000_000_000_000),
    )
}

/// Text shaped like date/time input: digits, letters, signs, separators.
fn datetimeish() -> impl Strategy<Value = String> {
    "[0-9a-zA-Z :.+\\-/,_'\"TZ]{0,48}"
}

/// Text shaped like templates.
fn templateish() -> impl Strategy<Value = String> {
    "[0-9YMDHISFTXmdyhisftxAPBCLGEVRNOQWJUZ.,:;\\- \"\\\\]{0,32}"
}

fn parse_everything(s: &str, c: &Context) {
    let _ = dt::date_in(s, c);
    let _ = dt::time_in(s, c);
    let _ = dt::timetz_in(s, c);
    let _ = dt::timestamp_in(s, c);
    let _ = dt::timestamptz_in(s, c);
    let _ = dt::interval_in(s);
    let _ = Zone::by_name(s);
    let _ = dt::timestamp_at_zone(Timestamp(0), s);
    let _ = dt::timestamptz_trunc_zone("day", TimestampTz(0), s);
    let _ = dt::extract_timestamp(s, Timestamp(0));
    let _ = dt::timestamp_trunc(s, Timestamp(0));
    let _ = dt::make_timestamptz_at(2000, 1, 1, 0, 0, 0.0, s);
    let _ = fmt::to_number(s, "9999.99");
    let _ = fmt::numeric_to_char(s, "9999.99");
}

fn format_everything(template: &str, input: &str, ts: i64, iv: Interval, c: &Context) {
    let _ = fmt::timestamp_to_char(Timestamp(ts), template);
    let _ = fmt::timestamptz_to_char(TimestampTz(ts), template, c);
    let _ = fmt::interval_to_char(iv, template);
    let _ = fmt::to_date(input, template);
    let _ = fmt::to_timestamp(input, template, c);
    let _ = fmt::to_number(input, template);
    let _ = fmt::int4_to_char(ts as i32, template);
    let _ = fmt::int8_to_char(ts, template);
    let _ = fmt::float8_to_char(f64::from_bits(ts as u64), template);
    let _ = fmt::float4_to_char(f32::from_bits(ts as u32), template);
    let _ = fmt::numeric_to_char(&ts.to_string(), template);
}

fn arithmetic_everything(a: i64, b: i64, iv: Interval, f: f64, c: &Context) {
    let _ = dt::timestamp_pl_interval(Timestamp(a), iv);
    let _ = dt::timestamptz_pl_interval(TimestampTz(a), iv, c);
    let _ = dt::timestamp_mi(a, b);
    let _ = dt::timestamp_age(Timestamp(a), Timestamp(b));
    let _ = dt::timestamptz_age(TimestampTz(a), TimestampTz(b), c);
    let _ = dt::date_bin(iv, a, b);
    let _ = dt::interval_mul(iv, f);
    let _ = dt::interval_div(iv, f);
    let _ = dt::justify_interval(iv);
    let _ = dt::justify_hours(iv);
    let _ = dt::justify_days(iv);
    let _ = dt::interval_add(iv, iv);
    let _ = dt::date_pli(dt::Date(a as i32), b as i32);
    let _ = dt::timestamp_out(Timestamp(a));
    let _ = dt::timestamptz_out(TimestampTz(a), c);
    let _ = dt::date_out(dt::Date(a as i32));
    let _ = dt::interval_out(iv);
    let _ = dt::time_out(dt::Time(a.rem_euclid(86_400_000_001)));
    let _ = dt::to_timestamp_epoch(f);
    let _ = dt::make_interval(a as i32, b as i32, 1, 1, a as i32, b as i32, f);
    let _ = dt::make_timestamp(a as i32, b as i32, (a >> 8) as i32, 1, 1, f);
    for field in [
        "epoch", "julian", "year", "week", "isoyear", "timezone", "doy",
    ] {
        let _ = dt::extract_timestamptz(field, TimestampTz(a), c);
        let _ = dt::date_part_timestamp(field, Timestamp(a));
        let _ = dt::extract_interval(field, iv);
    }
    for unit in ["week", "millennium", "day", "quarter"] {
        let _ = dt::timestamptz_trunc(unit, TimestampTz(a), c);
        let _ = dt::interval_trunc(unit, iv);
    }
    let _ = dt::timestamp_recv(&a.to_le_bytes());
    let _ = dt::interval_recv(&[0xff; 16]);
}

proptest! {
    // PGFN_FUZZ_CASES=100000 for a longer soak; 3000 per property in the normal run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PGFN_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(3000)
    ))]

    #[test]
    fn parsers_never_panic(s in datetimeish(), any in ".{0,40}") {
        let c = ctx();
        parse_everything(&s, &c);
        parse_everything(&any, &c);
    }

    #[test]
    fn formatters_never_panic(
        template in templateish(),
        input in datetimeish(),
        ts in any::<i64>(),
        months in any::<i32>(),
        days in any::<i32>(),
        micros in any::<i64>(),
    ) {
        let c = ctx();
        format_everything(&template, &input, ts, Interval::new(months, days, micros), &c);
        format_everything(&template, &input, ts % 9_000_000_000_000_000, Interval::new(months % 1000, days % 1000, micros % 1_000_000_000_000), &c);
    }

    #[test]
    fn arithmetic_never_panics(
        a in any::<i64>(),
        b in any::<i64>(),
        months in any::<i32>(),
        days in any::<i32>(),
        micros in any::<i64>(),
        f in any::<f64>(),
    ) {
        let c = ctx();
        arithmetic_everything(a, b, Interval::new(months, days, micros), f, &c);
        let small = |v: i64| v % 9_000_000_000_000_000;
        arithmetic_everything(small(a), small(b), Interval::new(months % 600, days % 1000, micros % 100_000_000_000), f, &c);
    }
}
