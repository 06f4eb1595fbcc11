//! The binary wire formats (`*_send` / `*_recv`) of the date/time types: big-endian integers
//! counting from 2000-01-01, as PostgreSQL sends and receives them.
//!
//! Invariants:
//! - `date` is 4 bytes (days), `time`/`timestamp`/`timestamptz` 8 bytes (microseconds),
//!   `timetz` 8 + 4 (microseconds, seconds west), `interval` 8 + 4 + 4 (micros, days, months).
//! - Receiving checks ranges exactly as PostgreSQL's `*_recv` do; a wrong length is 22P03.

// PostgreSQL's wire format is big-endian by definition.
#![allow(clippy::big_endian_bytes)]

use super::calendar::{TZDISP_LIMIT, USECS_PER_DAY};
use super::text_io::timestamp_out_of_range;
use super::tm::timestamp2tm;
use super::types::{Date, Interval, Time, TimeTz, Timestamp, TimestampTz, is_valid_timestamp};
use crate::{Condition, Error, Result};

fn bad_length() -> Error {
    Error::new(
        Condition::InvalidBinaryRepresentation,
        "insufficient data left in message",
    )
}

fn i32_at(b: &[u8], at: usize) -> Result<i32> {
    let bytes: [u8; 4] = b
        .get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(bad_length)?;
    Ok(i32::from_be_bytes(bytes))
}

fn i64_at(b: &[u8], at: usize) -> Result<i64> {
    let bytes: [u8; 8] = b
        .get(at..at + 8)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(bad_length)?;
    Ok(i64::from_be_bytes(bytes))
}

fn exact(b: &[u8], len: usize) -> Result<()> {
    if b.len() < len {
        return Err(bad_length());
    }
    if b.len() > len {
        return Err(Error::new(
            Condition::InvalidBinaryRepresentation,
            "incorrect binary data format",
        ));
    }
    Ok(())
}

/// `date_send`.
pub fn date_send(date: Date) -> [u8; 4] {
    date.0.to_be_bytes()
}

/// `date_recv`.
pub fn date_recv(b: &[u8]) -> Result<Date> {
    exact(b, 4)?;
    let date = Date(i32_at(b, 0)?);
    if date.is_finite() && !date.is_valid() {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            "date out of range",
        ));
    }
    Ok(date)
}

/// `time_send`.
pub fn time_send(time: Time) -> [u8; 8] {
    time.0.to_be_bytes()
}

/// `time_recv`.
pub fn time_recv(b: &[u8]) -> Result<Time> {
    exact(b, 8)?;
    let t = i64_at(b, 0)?;
    if !(0..=USECS_PER_DAY).contains(&t) {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            "time out of range",
        ));
    }
    Ok(Time(t))
}

/// `timetz_send`.
pub fn timetz_send(time: TimeTz) -> [u8; 12] {
    let mut out = [0u8; 12];
    out[..8].copy_from_slice(&time.time.to_be_bytes());
    out[8..].copy_from_slice(&time.zone.to_be_bytes());
    out
}

/// `timetz_recv`.
pub fn timetz_recv(b: &[u8]) -> Result<TimeTz> {
    exact(b, 12)?;
    let time = i64_at(b, 0)?;
    if !(0..=USECS_PER_DAY).contains(&time) {
        return Err(Error::new(
            Condition::DatetimeFieldOverflow,
            "time out of range",
        ));
    }
    let zone = i32_at(b, 8)?;
    if zone <= -TZDISP_LIMIT || zone >= TZDISP_LIMIT {
        return Err(Error::new(
            Condition::InvalidTimeZoneDisplacementValue,
            "time zone displacement out of range",
        ));
    }
    Ok(TimeTz { time, zone })
}

fn recv_timestamp(b: &[u8]) -> Result<i64> {
    exact(b, 8)?;
    let t = i64_at(b, 0)?;
    if t == i64::MIN || t == i64::MAX {
        return Ok(t);
    }
    if timestamp2tm(t, None).is_none() || !is_valid_timestamp(t) {
        return Err(timestamp_out_of_range());
    }
    Ok(t)
}

/// `timestamp_send`.
pub fn timestamp_send(ts: Timestamp) -> [u8; 8] {
    ts.0.to_be_bytes()
}

/// `timestamp_recv`.
pub fn timestamp_recv(b: &[u8]) -> Result<Timestamp> {
    recv_timestamp(b).map(Timestamp)
}

/// `timestamptz_send`.
pub fn timestamptz_send(ts: TimestampTz) -> [u8; 8] {
    ts.0.to_be_bytes()
}

/// `timestamptz_recv`.
pub fn timestamptz_recv(b: &[u8]) -> Result<TimestampTz> {
    recv_timestamp(b).map(TimestampTz)
}

/// `interval_send`.
pub fn interval_send(span: Interval) -> [u8; 16] {
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&span.micros.to_be_bytes());
    out[8..12].copy_from_slice(&span.days.to_be_bytes());
    out[12..].copy_from_slice(&span.months.to_be_bytes());
    out
}

/// `interval_recv`.
pub fn interval_recv(b: &[u8]) -> Result<Interval> {
    exact(b, 16)?;
    Ok(Interval::new(i32_at(b, 12)?, i32_at(b, 8)?, i64_at(b, 0)?))
}
