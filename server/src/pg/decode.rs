//! Bound parameters from the wire: text or binary bytes to `output::Value`, by the
//! statement's parameter type (or, for binary bytes, the type the client declared at Parse).
//!
//! Invariants:
//! - Malformed bytes are a 22P02/22P03 error (22021 when not UTF-8) naming the parameter,
//!   never a panic.
//! - Binary int2/int4/int8 all decode to `Value::Int` (psycopg sends small ints as int2), and
//!   float4/float8 to `Value::Float`, by their byte length.
//! - Text-format values of text-like types pass through unchanged; key tokens in them are
//!   never echoed in errors.
#![allow(
    clippy::big_endian_bytes,
    reason = "the PostgreSQL wire format is big-endian"
)]

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use pgwire::api::Type;
use pgwire::api::portal::Format;
use pgwire::api::results::FieldFormat;
use pgwire::error::PgWireResult;

use mindoodb_pgfn::tsearch;

use crate::output::{PgType, Value};
use crate::pg::encode::format_for;
use crate::pg::error::{bad_parameter, not_utf8, protocol_violation};
use crate::pg::values::{PG_EPOCH_DAYS, PG_EPOCH_MICROS, UNIX_EPOCH_DAYS_FROM_CE};

/// Why a parameter's bytes are refused when they are not UTF-8 (Postgres' wording); its own
/// SQLSTATE, 22021.
const NOT_UTF8: &str = "invalid byte sequence for encoding \"UTF8\"";

/// JSON's OID: binary `json` has no version byte, unlike `jsonb`.
const JSON_OID: u32 = 114;
/// Why an array-typed parameter is refused.
const ARRAY_PARAMETERS: &str = "array parameters are not supported; pass the elements separately";

/// Decodes every parameter of a Bind. `declared` are the OIDs the client gave at Parse.
pub(crate) fn params(
    param_types: &[PgType],
    declared: &[Option<Type>],
    formats: &Format,
    raw: &[Option<impl AsRef<[u8]>>],
) -> PgWireResult<Vec<Value>> {
    if raw.len() != param_types.len() {
        return Err(protocol_violation(format!(
            "bind message supplies {} parameters, but prepared statement requires {}",
            raw.len(),
            param_types.len()
        )));
    }
    raw.iter()
        .zip(param_types)
        .enumerate()
        .map(|(idx, (bytes, pg_type))| {
            let Some(bytes) = bytes else {
                return Ok(Value::Null);
            };
            let format = format_for(formats, idx, raw.len())?;
            let declared = declared.get(idx).and_then(Option::as_ref).map(Type::oid);
            param(*pg_type, declared, format, bytes.as_ref()).map_err(|why| {
                let message = format!("parameter ${}: {why}", idx + 1);
                if why == NOT_UTF8 {
                    not_utf8(message)
                } else {
                    bad_parameter(format == FieldFormat::Binary, message)
                }
            })
        })
        .collect()
}

/// One non-NULL parameter; the error says what is wrong, without the value.
fn param(
    pg_type: PgType,
    declared: Option<u32>,
    format: FieldFormat,
    bytes: &[u8],
) -> Result<Value, String> {
    match format {
        FieldFormat::Binary => {
            // Binary bytes are in the declared type's format when the client named one.
            let wire_type = declared.and_then(PgType::from_oid).unwrap_or(pg_type);
            binary(wire_type, declared == Some(JSON_OID), bytes)
        }
        FieldFormat::Text => text(pg_type, bytes),
    }
}

fn binary(pg_type: PgType, plain_json: bool, bytes: &[u8]) -> Result<Value, String> {
    Ok(match pg_type {
        PgType::Bool => match bytes {
            [byte] => Value::Bool(*byte != 0),
            _ => return Err(length_error("bool", bytes)),
        },
        PgType::Int2 | PgType::Int4 | PgType::Int8 => Value::Int(match bytes.len() {
            2 => i64::from(i16::from_be_bytes(array(bytes)?)),
            4 => i64::from(i32::from_be_bytes(array(bytes)?)),
            8 => i64::from_be_bytes(array(bytes)?),
            _ => return Err(length_error("integer", bytes)),
        }),
        PgType::Float4 | PgType::Float8 => Value::Float(match bytes.len() {
            4 => f64::from(f32::from_be_bytes(array(bytes)?)),
            8 => f64::from_be_bytes(array(bytes)?),
            _ => return Err(length_error("float", bytes)),
        }),
        PgType::Numeric => Value::Text(numeric_text(bytes)?),
        PgType::Text | PgType::Name | PgType::AclItem | PgType::Varchar | PgType::Char => {
            Value::Text(utf8(bytes)?)
        }
        PgType::Jsonb => {
            let json = match (plain_json, bytes.split_first()) {
                (true, _) => bytes,
                (false, Some((1, json))) => json,
                (false, _) => return Err("unsupported jsonb version".to_owned()),
            };
            Value::Jsonb(utf8(json)?)
        }
        PgType::Bytea => Value::Bytea(bytes.to_vec()),
        PgType::Timestamptz => {
            let micros = i64::from_be_bytes(array(bytes)?);
            Value::Timestamptz(
                micros
                    .checked_add(PG_EPOCH_MICROS)
                    .ok_or("timestamp out of range")?,
            )
        }
        PgType::Oid => Value::Int(i64::from(u32::from_be_bytes(array(bytes)?))),
        PgType::TsVector => Value::Text(
            tsearch::tsvector_recv(bytes)
                .map_err(|err| err.message)?
                .to_string(),
        ),
        PgType::TsQuery => Value::Text(
            tsearch::tsquery_recv(bytes)
                .map_err(|err| err.message)?
                .to_string(),
        ),
        PgType::RegConfig => Value::Text(
            tsearch::TsConfig::from_oid(u32::from_be_bytes(array(bytes)?))
                .ok_or("text search configuration does not exist")?
                .name()
                .to_owned(),
        ),
        PgType::BoolArray
        | PgType::Int2Array
        | PgType::Int4Array
        | PgType::Int8Array
        | PgType::Float8Array
        | PgType::OidArray
        | PgType::TextArray
        | PgType::AclItemArray => return Err(ARRAY_PARAMETERS.to_owned()),
        // `Value` has no date: dates travel as ISO text, which the engine casts.
        PgType::Date => {
            let days = i32::from_be_bytes(array(bytes)?);
            let date = days
                .checked_add(PG_EPOCH_DAYS + UNIX_EPOCH_DAYS_FROM_CE)
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .ok_or("date out of range")?;
            Value::Text(date.format("%Y-%m-%d").to_string())
        }
    })
}

fn text(pg_type: PgType, bytes: &[u8]) -> Result<Value, String> {
    let text = utf8(bytes)?;
    let trimmed = text.trim();
    Ok(match pg_type {
        PgType::Bool => Value::Bool(match trimmed.to_ascii_lowercase().as_str() {
            "t" | "true" | "y" | "yes" | "on" | "1" => true,
            "f" | "false" | "n" | "no" | "off" | "0" => false,
            _ => return Err("invalid input syntax for type boolean".to_owned()),
        }),
        PgType::Int2 | PgType::Int4 | PgType::Int8 => Value::Int(
            trimmed
                .parse()
                .map_err(|_| "invalid input syntax for type integer".to_owned())?,
        ),
        PgType::Float4 | PgType::Float8 => Value::Float(
            trimmed
                .parse()
                .map_err(|_| "invalid input syntax for type double precision".to_owned())?,
        ),
        PgType::Numeric
        | PgType::Text
        | PgType::Name
        | PgType::AclItem
        | PgType::Varchar
        | PgType::Char
        | PgType::TsVector
        | PgType::TsQuery
        | PgType::RegConfig
        | PgType::Date => Value::Text(text),
        PgType::Jsonb => Value::Jsonb(text),
        PgType::Bytea => Value::Bytea(bytea_from_text(&text)?),
        PgType::Timestamptz => Value::Timestamptz(timestamptz_from_text(trimmed)?),
        PgType::Oid => Value::Int(i64::from(
            trimmed
                .parse::<u32>()
                .map_err(|_| "invalid input syntax for type oid".to_owned())?,
        )),
        PgType::BoolArray
        | PgType::Int2Array
        | PgType::Int4Array
        | PgType::Int8Array
        | PgType::Float8Array
        | PgType::OidArray
        | PgType::TextArray
        | PgType::AclItemArray => return Err(ARRAY_PARAMETERS.to_owned()),
    })
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| NOT_UTF8.to_owned())
}

fn array<const N: usize>(bytes: &[u8]) -> Result<[u8; N], String> {
    bytes.try_into().map_err(|_| length_error("value", bytes))
}

fn length_error(what: &str, bytes: &[u8]) -> String {
    format!("binary {what} of {} bytes", bytes.len())
}

/// `\x` hex or the traditional escape format.
fn bytea_from_text(text: &str) -> Result<Vec<u8>, String> {
    if let Some(hex) = text.strip_prefix("\\x") {
        let digits: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        if !digits.len().is_multiple_of(2) {
            return Err("odd number of hex digits in bytea".to_owned());
        }
        return digits
            .chunks(2)
            .map(|pair| {
                std::str::from_utf8(pair)
                    .ok()
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                    .ok_or_else(|| "invalid hex digit in bytea".to_owned())
            })
            .collect();
    }
    let mut out = Vec::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut idx = 0;
    while let Some(&byte) = bytes.get(idx) {
        if byte != b'\\' {
            out.push(byte);
            idx += 1;
            continue;
        }
        match bytes.get(idx + 1..idx + 4) {
            Some([b'\\', ..]) => {
                out.push(b'\\');
                idx += 2;
            }
            Some(octal) if octal.iter().all(|d| (b'0'..=b'7').contains(d)) => {
                let value = octal
                    .iter()
                    .fold(0u16, |acc, d| acc * 8 + u16::from(d - b'0'));
                out.push(u8::try_from(value).map_err(|_| "invalid bytea escape".to_owned())?);
                idx += 4;
            }
            _ if bytes.get(idx + 1) == Some(&b'\\') => {
                out.push(b'\\');
                idx += 2;
            }
            _ => return Err("invalid bytea escape".to_owned()),
        }
    }
    Ok(out)
}

/// ISO timestamps with or without a zone (`2026-11-25 12:00:00.5+01`, `...T...Z`); without a
/// zone the session zone, UTC, applies.
fn timestamptz_from_text(text: &str) -> Result<i64, String> {
    let normalized = text.replacen('T', " ", 1);
    let normalized = match normalized.strip_suffix('Z') {
        Some(rest) => format!("{rest}+00:00"),
        None => normalized,
    };
    for zoned in ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%#z"] {
        if let Ok(at) = DateTime::parse_from_str(&normalized, zoned) {
            return Ok(at.timestamp_micros());
        }
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(&normalized, "%Y-%m-%d %H:%M:%S%.f") {
        return Ok(at.and_utc().timestamp_micros());
    }
    if let Ok(date) = NaiveDate::parse_from_str(&normalized, "%Y-%m-%d") {
        let midnight = date.and_hms_opt(0, 0, 0).ok_or("invalid date")?;
        return Ok(midnight.and_utc().timestamp_micros());
    }
    Err("invalid input syntax for type timestamp with time zone".to_owned())
}

/// Postgres' binary `numeric` (`numeric_recv`) as decimal text.
fn numeric_text(bytes: &[u8]) -> Result<String, String> {
    let word = |idx: usize| -> Result<u16, String> {
        bytes
            .get(idx * 2..idx * 2 + 2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .ok_or_else(|| "truncated binary numeric".to_owned())
    };
    let n_digits = usize::from(word(0)?);
    let weight = i64::from(word(1)? as i16);
    let sign = word(2)?;
    let dscale = usize::from(word(3)?);
    if bytes.len() != 8 + n_digits * 2 {
        return Err("binary numeric has the wrong length".to_owned());
    }
    match sign {
        0xC000 => return Ok("NaN".to_owned()),
        0xD000 => return Ok("Infinity".to_owned()),
        0xF000 => return Ok("-Infinity".to_owned()),
        0x0000 | 0x4000 => {}
        _ => return Err("invalid numeric sign".to_owned()),
    }
    let digits = (0..n_digits)
        .map(|idx| {
            let digit = word(4 + idx)?;
            if digit < 10_000 {
                Ok(digit)
            } else {
                Err("invalid numeric digit".to_owned())
            }
        })
        .collect::<Result<Vec<u16>, String>>()?;
    // Digit i is worth 10000^(weight - i).
    let digit_at = |power: i64| -> u16 {
        usize::try_from(weight - power)
            .ok()
            .and_then(|idx| digits.get(idx).copied())
            .unwrap_or(0)
    };
    let mut text = String::new();
    if sign == 0x4000 {
        text.push('-');
    }
    if weight < 0 {
        text.push('0');
    } else {
        text.push_str(&digit_at(weight).to_string());
        for power in (0..weight).rev() {
            text.push_str(&format!("{:04}", digit_at(power)));
        }
    }
    if dscale > 0 {
        let mut fraction = String::new();
        let mut power = -1;
        while fraction.len() < dscale {
            fraction.push_str(&format!("{:04}", digit_at(power)));
            power -= 1;
        }
        fraction.truncate(dscale);
        text.push('.');
        text.push_str(&fraction);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(pg_type: PgType, declared: Option<u32>, format: FieldFormat, bytes: &[u8]) -> Value {
        param(pg_type, declared, format, bytes).unwrap()
    }

    #[test]
    fn integers_of_any_width_decode_to_int() {
        for bytes in [
            &42i16.to_be_bytes()[..],
            &42i32.to_be_bytes(),
            &42i64.to_be_bytes(),
        ] {
            assert_eq!(
                one(PgType::Int8, None, FieldFormat::Binary, bytes),
                Value::Int(42)
            );
        }
        assert_eq!(
            one(PgType::Int4, None, FieldFormat::Text, b" -7 "),
            Value::Int(-7)
        );
        assert!(param(PgType::Int4, None, FieldFormat::Binary, &[1, 2, 3]).is_err());
    }

    #[test]
    fn jsonb_binary_has_a_version_byte() {
        assert_eq!(
            one(PgType::Jsonb, None, FieldFormat::Binary, b"\x01{}"),
            Value::Jsonb("{}".into())
        );
        assert_eq!(
            one(PgType::Jsonb, Some(JSON_OID), FieldFormat::Binary, b"{}"),
            Value::Jsonb("{}".into())
        );
        assert!(param(PgType::Jsonb, None, FieldFormat::Binary, b"{}").is_err());
    }

    #[test]
    fn timestamps_decode_to_unix_micros() {
        assert_eq!(
            one(
                PgType::Timestamptz,
                None,
                FieldFormat::Binary,
                &0i64.to_be_bytes()
            ),
            Value::Timestamptz(PG_EPOCH_MICROS)
        );
        assert_eq!(
            one(
                PgType::Timestamptz,
                None,
                FieldFormat::Text,
                b"2000-01-01 00:00:01+00"
            ),
            Value::Timestamptz(PG_EPOCH_MICROS + 1_000_000)
        );
        assert_eq!(
            one(
                PgType::Timestamptz,
                None,
                FieldFormat::Text,
                b"2000-01-01T01:00:00+01:00"
            ),
            Value::Timestamptz(PG_EPOCH_MICROS)
        );
        assert_eq!(
            one(
                PgType::Timestamptz,
                None,
                FieldFormat::Text,
                b"2000-01-01 00:00:00.5"
            ),
            Value::Timestamptz(PG_EPOCH_MICROS + 500_000)
        );
    }

    #[test]
    fn numeric_binary_decodes_to_text() {
        let bytes = [0, 3, 0, 1, 0, 0, 0, 3, 0, 1, 0x09, 0x29, 0x1a, 0x7c];
        assert_eq!(
            one(PgType::Numeric, None, FieldFormat::Binary, &bytes),
            Value::Text("12345.678".into())
        );
        let small = [0, 1, 0xff, 0xff, 0x40, 0, 0, 4, 0, 1];
        assert_eq!(
            one(PgType::Numeric, None, FieldFormat::Binary, &small),
            Value::Text("-0.0001".into())
        );
    }

    #[test]
    fn bytea_text_forms() {
        assert_eq!(bytea_from_text("\\x00ff").unwrap(), vec![0, 255]);
        assert_eq!(
            bytea_from_text("a\\\\b\\001").unwrap(),
            b"a\\b\x01".to_vec()
        );
        assert!(bytea_from_text("\\x0").is_err());
    }

    #[test]
    fn parameter_count_must_match() {
        let raw: Vec<Option<Vec<u8>>> = vec![Some(b"1".to_vec())];
        assert!(params(&[], &[], &Format::UnifiedText, &raw).is_err());
        assert_eq!(
            params(
                &[PgType::Text],
                &[],
                &Format::UnifiedText,
                &[None::<Vec<u8>>]
            )
            .unwrap(),
            vec![Value::Null]
        );
    }
}
