//! Inputs that read the session clock (`now`, `today`, `tomorrow`, `yesterday`, a time without
//! a date, one-argument `age`) answer from the `Context` the server passes, in its zone, the
//! way PostgreSQL answers from the transaction start time; no function reads a real clock.

use mindoodb_pgfn::datetime::{self as dt, Context, TimestampTz, Zone};

/// 2024-03-10 06:30:00.25 UTC: 01:30 in New York, before that day's spring-forward gap.
fn ctx(zone: &str) -> Context {
    let utc = Context::new(Zone::utc(), TimestampTz(0));
    let now = dt::timestamptz_in("2024-03-10 06:30:00.25+00", &utc).expect("now");
    Context::new(Zone::by_name(zone).expect("zone"), now)
}

fn check(zone: &str, cases: &[(&str, &str, &str)]) {
    let c = ctx(zone);
    for (kind, input, want) in cases {
        let got = match *kind {
            "date" => dt::date_out(dt::date_in(input, &c).expect("date")),
            "timestamp" => {
                dt::timestamp_out(dt::timestamp_in(input, &c).expect("ts")).expect("out")
            }
            "timestamptz" => {
                dt::timestamptz_out(dt::timestamptz_in(input, &c).expect("tstz"), &c).expect("out")
            }
            "time" => dt::time_out(dt::time_in(input, &c).expect("time")),
            "timetz" => dt::timetz_out(dt::timetz_in(input, &c).expect("timetz")),
            other => panic!("kind {other}"),
        };
        assert_eq!(&got, want, "{zone}: {kind} '{input}'");
    }
}

#[test]
fn special_words_use_the_transaction_start_in_the_session_zone() {
    check(
        "America/New_York",
        &[
            ("date", "today", "2024-03-10"),
            ("date", "tomorrow", "2024-03-11"),
            ("date", "yesterday", "2024-03-09"),
            ("date", "now", "2024-03-10"),
            ("timestamp", "now", "2024-03-10 01:30:00.25"),
            ("timestamp", "today", "2024-03-10 00:00:00"),
            ("timestamp", "tomorrow", "2024-03-11 00:00:00"),
            ("timestamptz", "now", "2024-03-10 01:30:00.25-05"),
            ("timestamptz", "today", "2024-03-10 00:00:00-05"),
            ("timestamptz", "tomorrow", "2024-03-11 00:00:00-04"),
            ("timestamptz", "yesterday 12:00", "2024-03-09 12:00:00-05"),
            ("time", "now", "01:30:00.25"),
            ("timetz", "now", "01:30:00.25-05"),
            ("timetz", "01:00", "01:00:00-05"),
            ("timetz", "12:00", "12:00:00-04"),
            ("timetz", "12:00 MSK", "12:00:00+03"),
        ],
    );
    check(
        "Asia/Tokyo",
        &[
            ("date", "today", "2024-03-10"),
            ("timestamptz", "now", "2024-03-10 15:30:00.25+09"),
            ("timestamp", "yesterday", "2024-03-09 00:00:00"),
        ],
    );
    check(
        "Pacific/Honolulu",
        &[
            ("date", "today", "2024-03-09"),
            ("timestamptz", "today", "2024-03-09 00:00:00-10"),
        ],
    );
}

#[test]
fn one_argument_age_counts_from_midnight_today() {
    let c = ctx("America/New_York");
    let ts = dt::timestamp_in("2000-01-15 12:00", &c).expect("ts");
    let age = dt::timestamp_age_now(ts, &c).expect("age");
    assert_eq!(dt::interval_out(age), "24 years 1 mon 25 days 12:00:00");
    let tstz = dt::timestamptz_in("2024-03-10 00:00-05", &c).expect("tstz");
    assert_eq!(
        dt::interval_out(dt::timestamptz_age_now(tstz, &c).expect("age")),
        "00:00:00"
    );
}

#[test]
fn time_to_timetz_takes_todays_offset() {
    let c = ctx("America/New_York");
    let t = dt::time_in("01:00", &c).expect("time");
    assert_eq!(dt::timetz_out(dt::time_to_timetz(t, &c)), "01:00:00-05");
    let later = Context::new(
        c.zone.clone(),
        dt::timestamptz_in("2024-07-01 12:00+00", &c).expect("now"),
    );
    assert_eq!(dt::timetz_out(dt::time_to_timetz(t, &later)), "01:00:00-04");
}
