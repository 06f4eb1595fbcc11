//! Postgres' COPY text and CSV formats, both ways: a row of field texts to one line (COPY TO,
//! written by `pg/copy.rs`), and COPY FROM data back to rows (read by `engine/copy.rs`).
//!
//! Invariants:
//! - The text format escapes backslash, the delimiter and control characters as Postgres'
//!   `COPY ... TO` does, and reads every escape Postgres' `COPY ... FROM` reads, so what one
//!   direction writes the other reads back.
//! - A malformed line or a row with the wrong number of fields is 22P04, naming the line.
//!
//! See: docs/SQL.md#copy

use crate::error::Error;
use crate::output::CopyFormat;

/// One row in `format`, with its newline.
pub(crate) fn line(fields: &[Option<String>], format: &CopyFormat) -> String {
    let mut out = String::new();
    for (idx, field) in fields.iter().enumerate() {
        if idx > 0 {
            out.push(format.delimiter);
        }
        match field {
            None => out.push_str(&format.null),
            Some(value) if format.csv => csv_field(value, format, &mut out),
            Some(value) => text_field(value, format.delimiter, &mut out),
        }
    }
    out.push('\n');
    out
}

/// Rows of COPY FROM data: each exactly `n_columns` fields, `None` for NULL.
pub(crate) fn rows(
    data: &[u8],
    format: &CopyFormat,
    n_columns: usize,
) -> Result<Vec<Vec<Option<String>>>, Error> {
    let text = std::str::from_utf8(data)
        .map_err(|_| Error::BadCopyData("COPY data is not valid UTF-8".into()))?;
    let records = if format.csv {
        csv_records(text, format)?
    } else {
        text_records(text, format)?
    };
    let skip = usize::from(format.header);
    records
        .into_iter()
        .skip(skip)
        .enumerate()
        .map(|(idx, record)| {
            let line = idx + 1 + skip;
            if record.len() > n_columns {
                Err(Error::BadCopyData(format!(
                    "extra data after last expected column (line {line})"
                )))
            } else if record.len() < n_columns {
                Err(Error::BadCopyData(format!(
                    "missing data for a column (line {line})"
                )))
            } else {
                Ok(record)
            }
        })
        .collect()
}

fn text_field(value: &str, delimiter: char, out: &mut String) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' if delimiter == '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if c == delimiter => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

fn csv_field(value: &str, format: &CopyFormat, out: &mut String) {
    let quote = value == format.null
        || value
            .chars()
            .any(|c| c == format.delimiter || matches!(c, '"' | '\n' | '\r'));
    if !quote {
        out.push_str(value);
        return;
    }
    out.push('"');
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
}

fn text_records(text: &str, format: &CopyFormat) -> Result<Vec<Vec<Option<String>>>, Error> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    // The newline ending the last row does not start another.
    if lines.last() == Some(&"") {
        lines.pop();
    }
    let mut records = Vec::new();
    for (idx, raw) in lines.into_iter().enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw == "\\." {
            break;
        }
        let mut record = Vec::new();
        for field in split_unescaped(raw, format.delimiter) {
            if field == format.null {
                record.push(None);
            } else {
                record.push(Some(unescape(field).map_err(|why| {
                    Error::BadCopyData(format!("{why} (line {})", idx + 1))
                })?));
            }
        }
        records.push(record);
    }
    Ok(records)
}

/// Splits at delimiters that no backslash escapes.
fn split_unescaped(line: &str, delimiter: char) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (idx, c) in line.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == delimiter {
            fields.push(&line[start..idx]);
            start = idx + c.len_utf8();
        }
    }
    fields.push(&line[start..]);
    fields
}

/// Postgres' text-format escapes: `\b \f \n \r \t \v`, octal `\ooo`, hex `\xhh`, and a
/// backslash before any other character stands for that character.
fn unescape(field: &str) -> Result<String, &'static str> {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(next) = chars.next() else {
            return Err("a backslash ends a field");
        };
        match next {
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '0'..='7' => {
                let mut value = next.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(digit) => {
                            value = value * 8 + digit;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(byte_char(value)?);
            }
            'x' => {
                let mut value = None;
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(16)) {
                        Some(digit) => {
                            value = Some(value.unwrap_or(0) * 16 + digit);
                            chars.next();
                        }
                        None => break,
                    }
                }
                match value {
                    Some(value) => out.push(byte_char(value)?),
                    None => out.push('x'),
                }
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// Escaped bytes must be ASCII: a multi-byte character cannot be assembled from escapes
/// while keeping the text valid UTF-8.
fn byte_char(value: u32) -> Result<char, &'static str> {
    u8::try_from(value)
        .ok()
        .filter(u8::is_ascii)
        .map(char::from)
        .ok_or("an escaped byte is not ASCII")
}

fn csv_records(text: &str, format: &CopyFormat) -> Result<Vec<Vec<Option<String>>>, Error> {
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    loop {
        if chars.peek().is_none() {
            return Ok(records);
        }
        let mut record = Vec::new();
        let mut at_line_start = true;
        loop {
            let mut field = String::new();
            let mut quoted = false;
            if chars.peek() == Some(&'"') {
                quoted = true;
                chars.next();
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            field.push(c);
                        }
                        None => {
                            return Err(Error::BadCopyData(format!(
                                "unterminated CSV quoted field (line {line})"
                            )));
                        }
                    }
                }
            }
            while let Some(&c) = chars.peek() {
                if c == format.delimiter || c == '\n' || c == '\r' {
                    break;
                }
                field.push(c);
                chars.next();
            }
            if at_line_start
                && !quoted
                && field == "\\."
                && matches!(chars.peek(), None | Some('\n' | '\r'))
            {
                return Ok(records);
            }
            at_line_start = false;
            record.push((quoted || field != format.null).then_some(field));
            match chars.next() {
                Some(c) if c == format.delimiter => {}
                Some('\r') => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    break;
                }
                Some(_) | None => break,
            }
        }
        line += 1;
        records.push(record);
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> CopyFormat {
        CopyFormat {
            csv: false,
            header: false,
            delimiter: '\t',
            null: "\\N".into(),
        }
    }

    fn csv() -> CopyFormat {
        CopyFormat {
            csv: true,
            header: false,
            delimiter: ',',
            null: String::new(),
        }
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    #[test]
    fn text_lines_escape_like_postgres() {
        let fields = [some("a\tb\\c\nd"), None, some("{\"x\":1}")];
        assert_eq!(line(&fields, &text()), "a\\tb\\\\c\\nd\t\\N\t{\"x\":1}\n");
    }

    #[test]
    fn csv_lines_quote_when_needed() {
        let fields = [some("plain"), some("{\"a\":1,\"b\":2}"), None, some("")];
        assert_eq!(
            line(&fields, &csv()),
            "plain,\"{\"\"a\"\":1,\"\"b\"\":2}\",,\"\"\n"
        );
    }

    #[test]
    fn text_data_reads_back() {
        let data = "a\\tb\\\\c\\nd\t\\N\n\\x41\\101\tz\r\n\\.\nignored\n";
        assert_eq!(
            rows(data.as_bytes(), &text(), 2).unwrap(),
            vec![vec![some("a\tb\\c\nd"), None], vec![some("AA"), some("z")]]
        );
    }

    #[test]
    fn csv_data_reads_back() {
        let data = "id,data\n1,\"{\"\"a\"\":1}\"\n2,\n3,\"\"\n\"4\",\"multi\nline\"\r\n";
        let mut format = csv();
        format.header = true;
        assert_eq!(
            rows(data.as_bytes(), &format, 2).unwrap(),
            vec![
                vec![some("1"), some("{\"a\":1}")],
                vec![some("2"), None],
                vec![some("3"), some("")],
                vec![some("4"), some("multi\nline")],
            ]
        );
    }

    #[test]
    fn what_is_written_reads_back() {
        let fields = [some("a\tb\\c\nd,\"e\""), None, some(""), some("\\N")];
        for format in [text(), csv()] {
            let data = line(&fields, &format).repeat(2);
            assert_eq!(
                rows(data.as_bytes(), &format, fields.len()).unwrap(),
                vec![fields.to_vec(), fields.to_vec()],
                "{format:?}"
            );
        }
    }

    #[test]
    fn wrong_field_counts_are_22p04() {
        for (data, format) in [("a\tb\tc\n", text()), ("a\n", text()), ("a,b,c\n", csv())] {
            assert!(matches!(
                rows(data.as_bytes(), &format, 2),
                Err(Error::BadCopyData(_))
            ));
        }
        assert!(rows(b"\"open,1\n", &csv(), 2).is_err());
        assert!(rows(b"\xff\n", &text(), 1).is_err());
    }
}
