//! The library call behind each case KIND of the pg15 differential files (the SQL side is
//! `KINDS` in generate.py): arguments are the case's text fields, the answer is text or NULL.

use mindoodb_pgfn::datetime::{self as dt, Context, Decimal};
use mindoodb_pgfn::format as fmt;
use mindoodb_pgfn::{Condition, Error, Result};

/// PostgreSQL's `float8out` (shortest round-trip digits, exponent outside 1e-4..1e15).
pub(crate) fn float8_out(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v < 0.0 { "-Infinity" } else { "Infinity" }.to_string();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let sci = format!("{v:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..15).contains(&exp) {
        format!("{v}")
    } else {
        format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    }
}

fn int(s: &str) -> Result<i32> {
    match s.trim().parse::<i64>() {
        Ok(v) => i32::try_from(v).map_err(|_| {
            Error::new(
                Condition::NumericValueOutOfRange,
                format!("value \"{s}\" is out of range for type integer"),
            )
        }),
        Err(_) => Err(Error::new(
            Condition::InvalidTextRepresentation,
            format!("invalid input syntax for type integer: \"{s}\""),
        )),
    }
}

fn float(s: &str) -> Result<f64> {
    match s.trim().to_ascii_lowercase().as_str() {
        "nan" => return Ok(f64::NAN),
        "infinity" | "inf" => return Ok(f64::INFINITY),
        "-infinity" | "-inf" => return Ok(f64::NEG_INFINITY),
        _ => {}
    }
    s.trim().parse().map_err(|_| {
        Error::new(
            Condition::InvalidTextRepresentation,
            format!("invalid input syntax for type double precision: \"{s}\""),
        )
    })
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::from("\\x");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

fn num(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn flt(f: Option<f64>) -> Option<String> {
    f.map(float8_out)
}

/// Runs one case.
pub(crate) fn run(kind: &str, args: &[&str], ctx: &Context) -> Result<Option<String>> {
    let a = |i: usize| args.get(i).copied().unwrap_or("");
    let date = |i: usize| dt::date_in(a(i), ctx);
    let time = |i: usize| dt::time_in(a(i), ctx);
    let timetz = |i: usize| dt::timetz_in(a(i), ctx);
    let ts = |i: usize| dt::timestamp_in(a(i), ctx);
    let tstz = |i: usize| dt::timestamptz_in(a(i), ctx);
    let iv = |i: usize| dt::interval_in(a(i));
    let ts_out = |v: dt::Timestamp| dt::timestamp_out(v);
    let tstz_out = |v: dt::TimestampTz| dt::timestamptz_out(v, ctx);
    let text = match kind {
        "date" => dt::date_out(date(0)?),
        "time" => dt::time_out(time(0)?),
        "timetz" => dt::timetz_out(timetz(0)?),
        "timestamp" => ts_out(ts(0)?)?,
        "timestamptz" => tstz_out(tstz(0)?)?,
        "interval" => dt::interval_out(iv(0)?),
        "ts_pl_i" => ts_out(dt::timestamp_pl_interval(ts(0)?, iv(1)?)?)?,
        "ts_mi_i" => ts_out(dt::timestamp_mi_interval(ts(0)?, iv(1)?)?)?,
        "tstz_pl_i" => tstz_out(dt::timestamptz_pl_interval(tstz(0)?, iv(1)?, ctx)?)?,
        "tstz_mi_i" => tstz_out(dt::timestamptz_mi_interval(tstz(0)?, iv(1)?, ctx)?)?,
        "ts_mi_ts" => dt::interval_out(dt::timestamp_mi(ts(0)?.0, ts(1)?.0)?),
        "tstz_mi_tstz" => dt::interval_out(dt::timestamp_mi(tstz(0)?.0, tstz(1)?.0)?),
        "date_pli" => dt::date_out(dt::date_pli(date(0)?, int(a(1))?)?),
        "date_mii" => dt::date_out(dt::date_mii(date(0)?, int(a(1))?)?),
        "date_mi" => dt::date_mi(date(0)?, date(1)?)?.to_string(),
        "date_pl_i" => ts_out(dt::date_pl_interval(date(0)?, iv(1)?)?)?,
        "date_mi_i" => ts_out(dt::date_mi_interval(date(0)?, iv(1)?)?)?,
        "date_pl_time" => ts_out(dt::date_pl_time(date(0)?, time(1)?)?)?,
        "time_pl_i" => dt::time_out(dt::time_pl_interval(time(0)?, iv(1)?)),
        "time_mi_i" => dt::time_out(dt::time_mi_interval(time(0)?, iv(1)?)),
        "time_mi_time" => dt::interval_out(dt::time_mi_time(time(0)?, time(1)?)),
        "timetz_pl_i" => dt::timetz_out(dt::timetz_pl_interval(timetz(0)?, iv(1)?)),
        "i_pl" => dt::interval_out(dt::interval_add(iv(0)?, iv(1)?)?),
        "i_mi" => dt::interval_out(dt::interval_sub(iv(0)?, iv(1)?)?),
        "i_neg" => dt::interval_out(dt::interval_neg(iv(0)?)?),
        "i_mul" => dt::interval_out(dt::interval_mul(iv(0)?, float(a(1))?)?),
        "i_div" => dt::interval_out(dt::interval_div(iv(0)?, float(a(1))?)?),
        "i_cmp" => {
            let (x, y) = (iv(0)?, iv(1)?);
            format!("{} {}", x < y, x == y)
        }
        "justify_days" => dt::interval_out(dt::justify_days(iv(0)?)?),
        "justify_hours" => dt::interval_out(dt::justify_hours(iv(0)?)?),
        "justify_interval" => dt::interval_out(dt::justify_interval(iv(0)?)?),
        "trunc_ts" => ts_out(dt::timestamp_trunc(a(0), ts(1)?)?)?,
        "trunc_tstz" => tstz_out(dt::timestamptz_trunc(a(0), tstz(1)?, ctx)?)?,
        "trunc_tstz_zone" => tstz_out(dt::timestamptz_trunc_zone(a(0), tstz(1)?, a(2))?)?,
        "trunc_i" => dt::interval_out(dt::interval_trunc(a(0), iv(1)?)?),
        "extract_ts" => return Ok(num(dt::extract_timestamp(a(0), ts(1)?)?)),
        "extract_tstz" => return Ok(num(dt::extract_timestamptz(a(0), tstz(1)?, ctx)?)),
        "extract_date" => return Ok(num(dt::extract_date(a(0), date(1)?)?)),
        "extract_time" => return Ok(num(dt::extract_time(a(0), time(1)?)?)),
        "extract_timetz" => return Ok(num(dt::extract_timetz(a(0), timetz(1)?)?)),
        "extract_i" => return Ok(num(dt::extract_interval(a(0), iv(1)?)?)),
        "part_ts" => return Ok(flt(dt::date_part_timestamp(a(0), ts(1)?)?)),
        "part_tstz" => return Ok(flt(dt::date_part_timestamptz(a(0), tstz(1)?, ctx)?)),
        "part_time" => return Ok(flt(dt::date_part_time(a(0), time(1)?)?)),
        "part_timetz" => return Ok(flt(dt::date_part_timetz(a(0), timetz(1)?)?)),
        "part_i" => return Ok(flt(dt::date_part_interval(a(0), iv(1)?)?)),
        "age_ts" => dt::interval_out(dt::timestamp_age(ts(0)?, ts(1)?)?),
        "age_tstz" => dt::interval_out(dt::timestamptz_age(tstz(0)?, tstz(1)?, ctx)?),
        "bin_ts" => ts_out(dt::Timestamp(dt::date_bin(iv(0)?, ts(1)?.0, ts(2)?.0)?))?,
        "bin_tstz" => tstz_out(dt::TimestampTz(dt::date_bin(
            iv(0)?,
            tstz(1)?.0,
            tstz(2)?.0,
        )?))?,
        "make_date" => dt::date_out(dt::make_date(int(a(0))?, int(a(1))?, int(a(2))?)?),
        "make_time" => dt::time_out(dt::make_time(int(a(0))?, int(a(1))?, float(a(2))?)?),
        "make_ts" => ts_out(dt::make_timestamp(
            int(a(0))?,
            int(a(1))?,
            int(a(2))?,
            int(a(3))?,
            int(a(4))?,
            float(a(5))?,
        )?)?,
        "make_tstz" => tstz_out(dt::make_timestamptz(
            int(a(0))?,
            int(a(1))?,
            int(a(2))?,
            int(a(3))?,
            int(a(4))?,
            float(a(5))?,
            ctx,
        )?)?,
        "make_tstz_at" => tstz_out(dt::make_timestamptz_at(
            int(a(0))?,
            int(a(1))?,
            int(a(2))?,
            int(a(3))?,
            int(a(4))?,
            float(a(5))?,
            a(6),
        )?)?,
        "make_interval" => dt::interval_out(dt::make_interval(
            int(a(0))?,
            int(a(1))?,
            int(a(2))?,
            int(a(3))?,
            int(a(4))?,
            int(a(5))?,
            float(a(6))?,
        )?),
        "to_timestamp_f" => tstz_out(dt::to_timestamp_epoch(float(a(0))?)?)?,
        "ts_at" => tstz_out(dt::timestamp_at_zone(ts(0)?, a(1))?)?,
        "tstz_at" => ts_out(dt::timestamptz_at_zone(tstz(0)?, a(1))?)?,
        "ts_at_i" => tstz_out(dt::timestamp_at_interval(ts(0)?, iv(1)?)?)?,
        "tstz_at_i" => ts_out(dt::timestamptz_at_interval(tstz(0)?, iv(1)?)?)?,
        "ts_to_tstz" => tstz_out(dt::timestamp_to_timestamptz(ts(0)?, ctx)?)?,
        "tstz_to_ts" => ts_out(dt::timestamptz_to_timestamp(tstz(0)?, ctx)?)?,
        "tstz_to_date" => dt::date_out(dt::timestamptz_to_date(tstz(0)?, ctx)?),
        "ts_to_date" => dt::date_out(dt::timestamp_to_date(ts(0)?)?),
        "date_to_ts" => ts_out(dt::date_to_timestamp(date(0)?)?)?,
        "date_to_tstz" => tstz_out(dt::date_to_timestamptz(date(0)?, ctx)?)?,
        "tstz_to_time" => return Ok(dt::timestamptz_to_time(tstz(0)?, ctx)?.map(dt::time_out)),
        "tstz_to_timetz" => {
            return Ok(dt::timestamptz_to_timetz(tstz(0)?, ctx)?.map(dt::timetz_out));
        }
        "i_to_time" => dt::time_out(dt::interval_to_time(iv(0)?)),
        "isfinite_ts" => dt::timestamp_is_finite(ts(0)?.0).to_string(),
        "send_date" => hex(&dt::date_send(date(0)?)),
        "send_time" => hex(&dt::time_send(time(0)?)),
        "send_timetz" => hex(&dt::timetz_send(timetz(0)?)),
        "send_ts" => hex(&dt::timestamp_send(ts(0)?)),
        "send_tstz" => hex(&dt::timestamptz_send(tstz(0)?)),
        "send_i" => hex(&dt::interval_send(iv(0)?)),
        "to_char_ts" => return fmt::timestamp_to_char(ts(0)?, a(1)),
        "to_char_tstz" => return fmt::timestamptz_to_char(tstz(0)?, a(1), ctx),
        "to_char_i" => return fmt::interval_to_char(iv(0)?, a(1)),
        "to_date" => dt::date_out(fmt::to_date(a(0), a(1))?),
        "to_timestamp" => tstz_out(fmt::to_timestamp(a(0), a(1), ctx)?)?,
        "to_char_num" => fmt::numeric_to_char(a(0), a(1))?,
        "to_char_int" => {
            let v: i64 = a(0).trim().parse().map_err(|_| {
                Error::new(Condition::InvalidTextRepresentation, "bad int8 in case")
            })?;
            match i32::try_from(v) {
                Ok(v4) if args.get(2) == Some(&"int4") => fmt::int4_to_char(v4, a(1))?,
                _ => fmt::int8_to_char(v, a(1))?,
            }
        }
        "to_char_int4" => fmt::int4_to_char(int(a(0))?, a(1))?,
        "to_char_float" => fmt::float8_to_char(float(a(0))?, a(1))?,
        "to_char_float4" => fmt::float4_to_char(float(a(0))? as f32, a(1))?,
        "to_number" => return fmt::to_number(a(0), a(1)),
        "set_tz" => {
            let zone = dt::Zone::from_setting(a(0))?;
            let local = Context::new(zone.clone(), ctx.now);
            let instant = dt::timestamptz_in("2024-07-01 12:00:00.5+00", &local)?;
            format!("{} {}", zone.name(), dt::timestamptz_out(instant, &local)?)
        }
        "ts_round" => {
            let v = ts(0)?;
            format!(
                "{} {}",
                ts_out(dt::timestamp_round(v, 3)?)?,
                ts_out(dt::timestamp_round(v, 0)?)?
            )
        }
        "i_round" => dt::interval_out(dt::interval_round(iv(0)?, 2)?),
        "cmp_ts_tstz" => {
            let o = dt::timestamp_cmp_timestamptz(ts(0)?, tstz(1)?, ctx);
            format!("{} {}", o.is_lt(), o.is_eq())
        }
        "cmp_date_ts" => {
            let o = dt::date_cmp_timestamp(date(0)?, ts(1)?);
            format!("{} {}", o.is_lt(), o.is_eq())
        }
        "cmp_date_tstz" => {
            let o = dt::date_cmp_timestamptz(date(0)?, tstz(1)?, ctx);
            format!("{} {}", o.is_lt(), o.is_eq())
        }
        "overlaps" => {
            let opt = |i: usize| -> Result<Option<dt::Timestamp>> {
                if a(i) == "null" {
                    Ok(None)
                } else {
                    ts(i).map(Some)
                }
            };
            let r = dt::overlaps(opt(0)?, opt(1)?, opt(2)?, opt(3)?);
            return Ok(r.map(|b| b.to_string()));
        }
        "i_fields" => {
            use dt::IntervalFields as F;
            let (fields, precision) = match a(1) {
                "YEAR" => (Some(F::Year), None),
                "MONTH" => (Some(F::Month), None),
                "YEAR TO MONTH" => (Some(F::YearToMonth), None),
                "DAY" => (Some(F::Day), None),
                "HOUR" => (Some(F::Hour), None),
                "MINUTE" => (Some(F::Minute), None),
                "SECOND" => (Some(F::Second), None),
                "SECOND(1)" => (Some(F::Second), Some(1)),
                "DAY TO HOUR" => (Some(F::DayToHour), None),
                "DAY TO MINUTE" => (Some(F::DayToMinute), None),
                "DAY TO SECOND" => (Some(F::DayToSecond), None),
                "DAY TO SECOND(0)" => (Some(F::DayToSecond), Some(0)),
                "HOUR TO MINUTE" => (Some(F::HourToMinute), None),
                "HOUR TO SECOND" => (Some(F::HourToSecond), None),
                "MINUTE TO SECOND" => (Some(F::MinuteToSecond), None),
                "MINUTE TO SECOND(2)" => (Some(F::MinuteToSecond), Some(2)),
                "(3)" => (None, Some(3)),
                other => panic!("fields {other}"),
            };
            dt::interval_out(dt::interval_in_typmod(a(0), fields, precision)?)
        }
        other => panic!("unknown case kind {other}"),
    };
    Ok(Some(text))
}
