//! PostgreSQL 15's date/time types and functions: `date`, `time`, `timetz`, `timestamp`,
//! `timestamptz`, `interval`, their text and binary forms, arithmetic and functions.
//!
//! Invariants:
//! - Values are PostgreSQL's own representations (see `types`); every function answers as
//!   PostgreSQL 15 does with `DateStyle = 'ISO, MDY'` and `IntervalStyle = 'postgres'`.

mod abbrevs;
mod calendar;
mod cnum;
mod context;
mod decode;
mod encode;
mod fields;
mod interval_in;
mod lex;
mod text_io;
mod tm;
mod tokens;
mod types;
mod zone;

pub use context::Context;
pub use text_io::{
    date_in, date_out, interval_in, interval_out, time_in, time_out, timestamp_in, timestamp_out,
    timestamptz_in, timestamptz_out, timetz_in, timetz_out,
};
pub use types::{Date, Interval, Time, TimeTz, Timestamp, TimestampTz};
pub use zone::Zone;
