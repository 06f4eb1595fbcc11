//! Arrow values as Postgres field bytes: the text form (`*out` functions) and the binary form
//! (`*send` functions) of every `PgType`, and the epochs Postgres counts time from.
//!
//! Invariants:
//! - A column's Arrow array has exactly `PgType::arrow_type()` (output.rs); any other array
//!   is reported as an internal error, never a panic.
//! - Binary forms follow Postgres' `*send` functions: big-endian integers and floats,
//!   `jsonb` = version byte 1 + text, `timestamptz` = µs and `date` = days since 2000-01-01.
#![allow(
    clippy::big_endian_bytes,
    reason = "the PostgreSQL wire format is big-endian"
)]

use chrono::{DateTime, NaiveDate};
use datafusion::arrow::array::{
    Array, BinaryArray, BooleanArray, Date32Array, Float32Array, Float64Array, Int16Array,
    Int32Array, Int64Array, ListArray, StringArray, TimestampMicrosecondArray, UInt32Array,
};
use pgwire::api::results::FieldFormat;
use pgwire::error::PgWireResult;

use crate::output::PgType;
use crate::pg::error::internal;

/// Microseconds from the Unix epoch to 2000-01-01, Postgres' timestamp epoch.
pub(crate) const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;
/// Days from the Unix epoch to 2000-01-01.
pub(crate) const PG_EPOCH_DAYS: i32 = 10_957;
/// `NaiveDate::num_days_from_ce` of 1970-01-01.
pub(crate) const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// Postgres text output of a float (`float8out` with the default extra_float_digits):
/// shortest round-trip digits, exponent form outside 1e-4 ..< 1e15.
pub(crate) fn float_text(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    let exponent = value.abs().log10().floor();
    if (-4.0..15.0).contains(&exponent) {
        return value.to_string();
    }
    // Rust writes "1.5e20"/"1e-7"; Postgres writes "1.5e+20"/"1e-07".
    let sci = format!("{value:e}");
    match sci.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(digits) => ('-', digits),
                None => ('+', exp),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => sci,
    }
}

/// The text form of the value at `row` (`None` for NULL), as a text-format field carries it.
pub(crate) fn text_value(
    array: &dyn Array,
    row: usize,
    pg_type: PgType,
) -> PgWireResult<Option<String>> {
    if array.is_null(row) {
        return Ok(None);
    }
    let bytes = value_bytes(array, row, pg_type, false)?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| internal(format!("{pg_type:?} text is not UTF-8")))
}

/// The text or binary form of the non-NULL value at `row`.
pub(crate) fn value_bytes(
    array: &dyn Array,
    row: usize,
    pg_type: PgType,
    binary: bool,
) -> PgWireResult<Vec<u8>> {
    Ok(match pg_type {
        PgType::Bool => {
            let value = typed::<BooleanArray>(array, pg_type)?.value(row);
            match (binary, value) {
                (true, _) => vec![u8::from(value)],
                (false, true) => b"t".to_vec(),
                (false, false) => b"f".to_vec(),
            }
        }
        PgType::Int2 => {
            let value = typed::<Int16Array>(array, pg_type)?.value(row);
            if binary {
                value.to_be_bytes().to_vec()
            } else {
                value.to_string().into_bytes()
            }
        }
        PgType::Int4 => {
            let value = typed::<Int32Array>(array, pg_type)?.value(row);
            if binary {
                value.to_be_bytes().to_vec()
            } else {
                value.to_string().into_bytes()
            }
        }
        PgType::Int8 => {
            let value = typed::<Int64Array>(array, pg_type)?.value(row);
            if binary {
                value.to_be_bytes().to_vec()
            } else {
                value.to_string().into_bytes()
            }
        }
        PgType::Float4 => {
            let value = typed::<Float32Array>(array, pg_type)?.value(row);
            if binary {
                value.to_be_bytes().to_vec()
            } else {
                // Through f64 for the shape rules, but with f32's shortest digits.
                let text = float_text(f64::from(value));
                if value.is_finite() && value != 0.0 && !text.contains('e') {
                    value.to_string().into_bytes()
                } else {
                    text.into_bytes()
                }
            }
        }
        PgType::Float8 => {
            let value = typed::<Float64Array>(array, pg_type)?.value(row);
            if binary {
                value.to_be_bytes().to_vec()
            } else {
                float_text(value).into_bytes()
            }
        }
        PgType::Numeric => {
            let text = typed::<StringArray>(array, pg_type)?.value(row);
            if binary {
                numeric_binary(text)
                    .ok_or_else(|| internal(format!("numeric value {text:?} is not decimal")))?
            } else {
                text.as_bytes().to_vec()
            }
        }
        // `name`, `varchar` and `"char"` send their text as it is, binary too (`"char"` holds
        // one ASCII byte); `aclitem` has no binary form, and `encode::data_row` refuses it
        // before a value is encoded.
        PgType::Text | PgType::Name | PgType::AclItem | PgType::Varchar | PgType::Char => {
            typed::<StringArray>(array, pg_type)?
                .value(row)
                .as_bytes()
                .to_vec()
        }
        PgType::TsVector | PgType::TsQuery | PgType::RegConfig => {
            let text = typed::<StringArray>(array, pg_type)?.value(row);
            if binary {
                tsearch_binary(pg_type, text)?
            } else {
                text.as_bytes().to_vec()
            }
        }
        PgType::Jsonb => {
            let text = typed::<StringArray>(array, pg_type)?.value(row);
            let mut bytes = Vec::with_capacity(text.len() + 1);
            if binary {
                bytes.push(1);
            }
            bytes.extend_from_slice(text.as_bytes());
            bytes
        }
        PgType::Bytea => {
            let value = typed::<BinaryArray>(array, pg_type)?.value(row);
            if binary {
                value.to_vec()
            } else {
                bytea_text(value).into_bytes()
            }
        }
        PgType::Timestamptz => {
            let micros = typed::<TimestampMicrosecondArray>(array, pg_type)?.value(row);
            if binary {
                micros
                    .saturating_sub(PG_EPOCH_MICROS)
                    .to_be_bytes()
                    .to_vec()
            } else {
                timestamptz_text(micros)?.into_bytes()
            }
        }
        PgType::Date => {
            let days = typed::<Date32Array>(array, pg_type)?.value(row);
            if binary {
                days.saturating_sub(PG_EPOCH_DAYS).to_be_bytes().to_vec()
            } else {
                date_text(days)?.into_bytes()
            }
        }
        PgType::Oid => {
            let value = typed::<UInt32Array>(array, pg_type)?.value(row);
            if binary {
                value.to_be_bytes().to_vec()
            } else {
                value.to_string().into_bytes()
            }
        }
        PgType::BoolArray
        | PgType::Int2Array
        | PgType::Int4Array
        | PgType::Int8Array
        | PgType::Float8Array
        | PgType::OidArray
        | PgType::TextArray
        | PgType::AclItemArray => {
            let list = typed::<ListArray>(array, pg_type)?;
            let element = pg_type
                .element()
                .ok_or_else(|| internal(format!("{pg_type:?} has no element type")))?;
            let values = list.value(row);
            if binary {
                array_binary(values.as_ref(), element)?
            } else {
                array_text(values.as_ref(), element)?.into_bytes()
            }
        }
    })
}

/// `array_out`: `{a,b,NULL}`, with elements quoted when Postgres would quote them.
fn array_text(values: &dyn Array, element: PgType) -> PgWireResult<String> {
    let mut text = String::from("{");
    for idx in 0..values.len() {
        if idx > 0 {
            text.push(',');
        }
        if values.is_null(idx) {
            text.push_str("NULL");
            continue;
        }
        let bytes = value_bytes(values, idx, element, false)?;
        let item = String::from_utf8(bytes)
            .map_err(|_| internal("array element is not UTF-8".to_owned()))?;
        let needs_quotes = item.is_empty()
            || item.eq_ignore_ascii_case("NULL")
            || item
                .chars()
                .any(|c| matches!(c, '{' | '}' | ',' | '"' | '\\') || c.is_ascii_whitespace());
        if needs_quotes {
            text.push('"');
            for c in item.chars() {
                if matches!(c, '"' | '\\') {
                    text.push('\\');
                }
                text.push(c);
            }
            text.push('"');
        } else {
            text.push_str(&item);
        }
    }
    text.push('}');
    Ok(text)
}

/// `array_send`: dimensions, a NULL flag, the element OID, bounds, then length-prefixed
/// elements (an empty array has zero dimensions).
fn array_binary(values: &dyn Array, element: PgType) -> PgWireResult<Vec<u8>> {
    let n_items = i32::try_from(values.len())
        .map_err(|_| internal(format!("an array of {} elements", values.len())))?;
    let mut out = Vec::new();
    out.extend_from_slice(&i32::from(n_items > 0).to_be_bytes());
    out.extend_from_slice(&i32::from(values.null_count() > 0).to_be_bytes());
    out.extend_from_slice(&element.oid().to_be_bytes());
    if n_items > 0 {
        out.extend_from_slice(&n_items.to_be_bytes());
        out.extend_from_slice(&1i32.to_be_bytes());
    }
    for idx in 0..values.len() {
        encode_cell(values, idx, element, FieldFormat::Binary, &mut out)?;
    }
    Ok(out)
}

/// The binary form of a full-text search value from its text: `tsvectorsend`,
/// `tsquerysend`, or a configuration's OID.
fn tsearch_binary(pg_type: PgType, text: &str) -> PgWireResult<Vec<u8>> {
    use mindoodb_pgfn::tsearch::{TsConfig, TsQuery, TsVector, tsquery_send, tsvector_send};
    let invalid = |why: mindoodb_pgfn::Error| {
        internal(format!("{pg_type:?} value {text:?}: {}", why.message))
    };
    Ok(match pg_type {
        PgType::TsVector => tsvector_send(&TsVector::parse(text).map_err(invalid)?),
        PgType::TsQuery => tsquery_send(&TsQuery::parse(text).map_err(invalid)?),
        _ => TsConfig::from_name(text)
            .map_err(invalid)?
            .oid()
            .to_be_bytes()
            .to_vec(),
    })
}

fn typed<T: 'static>(array: &dyn Array, pg_type: PgType) -> PgWireResult<&T> {
    array.as_any().downcast_ref::<T>().ok_or_else(|| {
        internal(format!(
            "column typed {pg_type:?} holds Arrow {}, not {}",
            array.data_type(),
            pg_type.arrow_type()
        ))
    })
}

fn bytea_text(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(2 + bytes.len() * 2);
    text.push_str("\\x");
    for byte in bytes {
        text.push(char::from(HEX[usize::from(byte >> 4)]));
        text.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    text
}

/// `2026-11-25 12:00:00.123456+00`: Postgres' ISO output in the UTC session time zone.
fn timestamptz_text(micros: i64) -> PgWireResult<String> {
    let at = DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| internal(format!("timestamp {micros} µs is out of range")))?;
    let mut text = at.format("%Y-%m-%d %H:%M:%S").to_string();
    let fraction = micros.rem_euclid(1_000_000);
    if fraction != 0 {
        let digits = format!("{fraction:06}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    text.push_str("+00");
    Ok(text)
}

fn date_text(days: i32) -> PgWireResult<String> {
    days.checked_add(UNIX_EPOCH_DAYS_FROM_CE)
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .map(|date| date.format("%Y-%m-%d").to_string())
        .ok_or_else(|| internal(format!("date {days} days is out of range")))
}

/// Postgres' binary `numeric` (`numeric_send`) for decimal text: digit count, weight, sign,
/// display scale, then base-10000 digits. `None` when `text` is not a decimal.
fn numeric_binary(text: &str) -> Option<Vec<u8>> {
    const POSITIVE: u16 = 0x0000;
    const NEGATIVE: u16 = 0x4000;
    const NAN: u16 = 0xC000;
    const PLUS_INFINITY: u16 = 0xD000;
    const MINUS_INFINITY: u16 = 0xF000;
    let special = |sign: u16| {
        let mut out = vec![0; 4];
        out.extend_from_slice(&sign.to_be_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    };
    let text = text.trim();
    match text {
        "NaN" => return Some(special(NAN)),
        "Infinity" => return Some(special(PLUS_INFINITY)),
        "-Infinity" => return Some(special(MINUS_INFINITY)),
        _ => {}
    }
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (NEGATIVE, rest),
        None => (POSITIVE, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int_part, frac_part) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int_part.is_empty() && frac_part.is_empty())
        || !all_digits(int_part)
        || !all_digits(frac_part)
    {
        return None;
    }
    let dscale = u16::try_from(frac_part.len()).ok()?;
    let int_part = int_part.trim_start_matches('0');
    // Pad the integer digits on the left and the fraction on the right to whole groups.
    let int_pad = (4 - int_part.len() % 4) % 4;
    let frac_pad = (4 - frac_part.len() % 4) % 4;
    let padded: String = "0".repeat(int_pad) + int_part + frac_part + &"0".repeat(frac_pad);
    let mut groups: Vec<i16> = padded
        .as_bytes()
        .chunks(4)
        .map(|chunk| {
            chunk
                .iter()
                .fold(0i16, |acc, digit| acc * 10 + i16::from(digit - b'0'))
        })
        .collect();
    let mut weight = i16::try_from((int_part.len() + int_pad) / 4).ok()? - 1;
    let leading_zeros = groups.iter().take_while(|group| **group == 0).count();
    groups.drain(..leading_zeros);
    weight -= i16::try_from(leading_zeros).ok()?;
    while groups.last() == Some(&0) {
        groups.pop();
    }
    let (sign, weight) = if groups.is_empty() {
        (POSITIVE, 0)
    } else {
        (sign, weight)
    };
    let mut out = Vec::with_capacity(8 + groups.len() * 2);
    out.extend_from_slice(&i16::try_from(groups.len()).ok()?.to_be_bytes());
    out.extend_from_slice(&weight.to_be_bytes());
    out.extend_from_slice(&sign.to_be_bytes());
    out.extend_from_slice(&dscale.to_be_bytes());
    for group in groups {
        out.extend_from_slice(&group.to_be_bytes());
    }
    Some(out)
}

/// Appends one field (length, then bytes; length -1 for NULL) to `buf`.
pub(crate) fn encode_cell(
    array: &dyn Array,
    row: usize,
    pg_type: PgType,
    format: FieldFormat,
    buf: &mut Vec<u8>,
) -> PgWireResult<()> {
    if array.is_null(row) {
        buf.extend_from_slice(&(-1i32).to_be_bytes());
        return Ok(());
    }
    let bytes = value_bytes(array, row, pg_type, format == FieldFormat::Binary)?;
    let len = i32::try_from(bytes.len()).map_err(|_| {
        internal(format!(
            "a {} bytes field does not fit a message",
            bytes.len()
        ))
    })?;
    buf.extend_from_slice(&len.to_be_bytes());
    buf.extend_from_slice(&bytes);
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{ArrayRef, Int64Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field};

    use super::*;

    fn cell(array: ArrayRef, pg_type: PgType, format: FieldFormat) -> Vec<u8> {
        let mut buf = Vec::new();
        encode_cell(array.as_ref(), 0, pg_type, format, &mut buf).unwrap();
        buf[4..].to_vec()
    }

    #[test]
    fn floats_print_like_postgres() {
        assert_eq!(float_text(1.5), "1.5");
        assert_eq!(float_text(0.1), "0.1");
        assert_eq!(float_text(1e20), "1e+20");
        assert_eq!(float_text(1.5e-7), "1.5e-07");
        assert_eq!(float_text(f64::NAN), "NaN");
        assert_eq!(float_text(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(float_text(100.0), "100");
    }

    #[test]
    fn timestamps_print_like_postgres() {
        let micros = 1_795_608_000_123_456; // 2026-11-25 12:00:00.123456 UTC
        assert_eq!(
            timestamptz_text(micros).unwrap(),
            "2026-11-25 12:00:00.123456+00"
        );
        assert_eq!(
            timestamptz_text(1_795_608_000_000_000).unwrap(),
            "2026-11-25 12:00:00+00"
        );
        assert_eq!(
            timestamptz_text(1_795_608_000_500_000).unwrap(),
            "2026-11-25 12:00:00.5+00"
        );
        assert_eq!(date_text(0).unwrap(), "1970-01-01");
    }

    #[test]
    fn numeric_binary_matches_numeric_send() {
        // 12345.678: ndigits 3, weight 1, +, dscale 3, digits 1 2345 6780.
        assert_eq!(
            numeric_binary("12345.678").unwrap(),
            [0, 3, 0, 1, 0, 0, 0, 3, 0, 1, 0x09, 0x29, 0x1a, 0x7c]
        );
        // -0.0001: ndigits 1, weight -1, -, dscale 4, digit 1.
        assert_eq!(
            numeric_binary("-0.0001").unwrap(),
            [0, 1, 0xff, 0xff, 0x40, 0, 0, 4, 0, 1]
        );
        assert_eq!(numeric_binary("0").unwrap(), [0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            numeric_binary("10000").unwrap(),
            [0, 1, 0, 1, 0, 0, 0, 0, 0, 1]
        );
        assert!(numeric_binary("1e5").is_none());
        assert!(numeric_binary("").is_none());
    }

    #[test]
    fn cells_encode_in_both_formats() {
        let json: ArrayRef = Arc::new(StringArray::from(vec![r#"{"a":1}"#]));
        assert_eq!(
            cell(json.clone(), PgType::Jsonb, FieldFormat::Text),
            br#"{"a":1}"#
        );
        assert_eq!(
            cell(json, PgType::Jsonb, FieldFormat::Binary),
            b"\x01{\"a\":1}"
        );
        let int: ArrayRef = Arc::new(Int64Array::from(vec![7]));
        assert_eq!(
            cell(int.clone(), PgType::Int8, FieldFormat::Binary),
            7i64.to_be_bytes()
        );
        assert_eq!(cell(int, PgType::Int8, FieldFormat::Text), b"7");
        let stamp: ArrayRef = Arc::new(
            TimestampMicrosecondArray::from(vec![PG_EPOCH_MICROS + 1]).with_timezone("UTC"),
        );
        assert_eq!(
            cell(stamp, PgType::Timestamptz, FieldFormat::Binary),
            1i64.to_be_bytes()
        );
        let bytes: ArrayRef = Arc::new(BinaryArray::from(vec![&b"\x00\xff"[..]]));
        assert_eq!(cell(bytes, PgType::Bytea, FieldFormat::Text), b"\\x00ff");
    }

    #[test]
    fn arrays_encode_like_array_out_and_array_send() {
        use datafusion::arrow::array::{ListArray, UInt32Array};
        use datafusion::arrow::datatypes::Int32Type;
        let texts: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
            Some(vec![Some(1), None]),
        ]));
        let texts =
            datafusion::arrow::compute::cast(&texts, &PgType::TextArray.arrow_type()).unwrap();
        assert_eq!(
            cell(texts, PgType::TextArray, FieldFormat::Text),
            b"{1,NULL}"
        );
        let quoted: ArrayRef = Arc::new(ListArray::new(
            Arc::new(Field::new_list_field(DataType::Utf8, true)),
            datafusion::arrow::buffer::OffsetBuffer::from_lengths([3]),
            Arc::new(StringArray::from(vec!["a b", "", "x\"y"])),
            None,
        ));
        assert_eq!(
            cell(quoted, PgType::TextArray, FieldFormat::Text),
            b"{\"a b\",\"\",\"x\\\"y\"}"
        );
        let oids: ArrayRef = Arc::new(ListArray::new(
            Arc::new(Field::new_list_field(DataType::UInt32, true)),
            datafusion::arrow::buffer::OffsetBuffer::from_lengths([1, 0]),
            Arc::new(UInt32Array::from(vec![26])),
            None,
        ));
        let mut expected = Vec::new();
        for word in [1i32, 0, 26, 1, 1, 4, 26] {
            expected.extend_from_slice(&word.to_be_bytes());
        }
        assert_eq!(
            cell(oids.clone(), PgType::OidArray, FieldFormat::Binary),
            expected
        );
        // An empty array has no dimensions.
        let mut buf = Vec::new();
        encode_cell(
            oids.as_ref(),
            1,
            PgType::OidArray,
            FieldFormat::Binary,
            &mut buf,
        )
        .unwrap();
        assert_eq!(&buf[4..], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 26]);
    }

    #[test]
    fn wrong_arrow_type_is_an_error_not_a_panic() {
        let int: ArrayRef = Arc::new(Int64Array::from(vec![7]));
        let mut buf = Vec::new();
        assert!(encode_cell(int.as_ref(), 0, PgType::Text, FieldFormat::Text, &mut buf).is_err());
    }
}
