//! The library call behind each case KIND of the pg15 differential files (the SQL side is
//! `KINDS` in generate.py): arguments are the case's text fields, the answer is text or NULL.

use mindoodb_pgfn::Result;
use mindoodb_pgfn::datetime::{self as dt, Context};

/// Runs one case.
pub fn run(kind: &str, args: &[&str], ctx: &Context) -> Result<Option<String>> {
    let a = |i: usize| args.get(i).copied().unwrap_or("");
    let text = match kind {
        "date" => dt::date_out(dt::date_in(a(0), ctx)?),
        "time" => dt::time_out(dt::time_in(a(0), ctx)?),
        "timetz" => dt::timetz_out(dt::timetz_in(a(0), ctx)?),
        "timestamp" => dt::timestamp_out(dt::timestamp_in(a(0), ctx)?)?,
        "timestamptz" => dt::timestamptz_out(dt::timestamptz_in(a(0), ctx)?, ctx)?,
        "interval" => dt::interval_out(dt::interval_in(a(0))?),
        other => panic!("unknown case kind {other}"),
    };
    Ok(Some(text))
}
