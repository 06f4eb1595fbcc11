//! PostgreSQL 15's formatting functions (formatting.c): `to_char` of date/time values and
//! numbers, `to_date`, `to_timestamp(text, text)` and `to_number`.
//!
//! Invariants:
//! - Templates parse and format exactly as PostgreSQL 15's; names are the C locale's English.

mod datetime_to_char;
mod dec;
mod from_char;
mod keywords;
mod node;
mod number;
mod number_desc;
mod number_io;
mod to_char;
mod to_timestamp;

pub use number_io::{
    float4_to_char, float8_to_char, int4_to_char, int8_to_char, numeric_to_char, to_number,
};
pub use to_char::{interval_to_char, timestamp_to_char, timestamptz_to_char};
pub use to_timestamp::{to_date, to_timestamp};
