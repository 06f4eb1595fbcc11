//! PostgreSQL 15's date/time types and functions: `date`, `time`, `timetz`, `timestamp`,
//! `timestamptz`, `interval`, their text and binary forms, arithmetic and functions.
//!
//! Invariants:
//! - Values are PostgreSQL's own representations (see `types`); every function answers as
//!   PostgreSQL 15 does with `DateStyle = 'ISO, MDY'` and `IntervalStyle = 'postgres'`.
//! - Nothing here reads a clock or the host's zone files: the session passes a `Context`.

mod abbrevs;
mod arith;
mod binary;
pub(crate) mod calendar;
pub(crate) mod cformat;
pub(crate) mod cnum;
mod compare;
mod context;
mod convert;
mod decimal;
mod decode;
mod decode_time;
mod encode;
mod extract;
pub(crate) mod fields;
mod interval_fields;
mod interval_in;
mod interval_ops;
pub(crate) mod lex;
mod make;
mod setting;
mod text_io;
pub(crate) mod tm;
mod tokens;
mod trunc;
pub(crate) mod types;
pub(crate) mod typmod;
mod zone;
mod zone_arg;

pub use arith::{
    date_bin, date_is_finite, date_mi, date_mi_interval, date_mii, date_pl_interval, date_pl_time,
    date_pli, date_to_timestamp, date_to_timestamptz, time_mi_interval, time_mi_time,
    time_pl_interval, timestamp_age, timestamp_age_now, timestamp_is_finite, timestamp_mi,
    timestamp_mi_interval, timestamp_pl_interval, timestamptz_age, timestamptz_age_now,
    timestamptz_mi_interval, timestamptz_pl_interval, timetz_mi_interval, timetz_pl_interval,
};
pub use binary::{
    date_recv, date_send, interval_recv, interval_send, time_recv, time_send, timestamp_recv,
    timestamp_send, timestamptz_recv, timestamptz_send, timetz_recv, timetz_send,
};
pub use compare::{date_cmp_timestamp, date_cmp_timestamptz, overlaps, timestamp_cmp_timestamptz};
pub use context::Context;
pub use convert::{
    interval_to_time, time_to_interval, time_to_timetz, timestamp_at_interval, timestamp_at_zone,
    timestamp_to_date, timestamp_to_time, timestamp_to_timestamptz, timestamptz_at_interval,
    timestamptz_at_zone, timestamptz_to_date, timestamptz_to_time, timestamptz_to_timestamp,
    timestamptz_to_timetz, timetz_at_zone, timetz_to_time,
};
pub use decimal::Decimal;
pub use extract::{
    date_part_interval, date_part_time, date_part_timestamp, date_part_timestamptz,
    date_part_timetz, extract_date, extract_interval, extract_time, extract_timestamp,
    extract_timestamptz, extract_timetz,
};
pub use interval_fields::{IntervalFields, interval_adjust, interval_in_typmod};
pub use interval_ops::{
    interval_add, interval_div, interval_mul, interval_neg, interval_sub, justify_days,
    justify_hours, justify_interval,
};
pub use make::{
    make_date, make_interval, make_time, make_timestamp, make_timestamptz, make_timestamptz_at,
    to_timestamp_epoch,
};
pub use text_io::{
    date_in, date_out, interval_in, interval_out, time_in, time_out, timestamp_in, timestamp_out,
    timestamptz_in, timestamptz_out, timetz_in, timetz_out,
};
pub use trunc::{interval_trunc, timestamp_trunc, timestamptz_trunc, timestamptz_trunc_zone};
pub use types::{Date, Interval, Time, TimeTz, Timestamp, TimestampTz};
pub use typmod::{interval_round, time_round, timestamp_round, timestamptz_round};
pub use zone::Zone;
