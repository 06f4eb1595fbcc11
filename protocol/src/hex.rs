//! Lowercase hex for hashes and public keys, the form SQL users see (`rev`, `author`).

pub(crate) fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

pub(crate) fn decode<const N: usize>(text: &str) -> Option<[u8; N]> {
    let raw = text.as_bytes();
    if raw.len() != N * 2 {
        return None;
    }
    let mut out = [0u8; N];
    for (idx, pair) in raw.chunks_exact(2).enumerate() {
        out[idx] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    return Some(out);

    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_is_lowercase_two_digits_per_byte_and_decodes_back() {
        let bytes = [0x00, 0x0f, 0xa5, 0xff, 0x10];
        assert_eq!(encode(&bytes), "000fa5ff10");
        assert_eq!(decode::<5>(&encode(&bytes)), Some(bytes));
        assert_eq!(decode::<2>("0FA5"), Some([0x0f, 0xa5]));
    }
}
