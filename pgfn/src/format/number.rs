//! The number template engine (PostgreSQL's `NUM_processor`): writes a digit string into a
//! parsed template (`to_char`) or reads a number out of text with it (`to_number`).
//!
//! Invariants:
//! - A faithful port of PostgreSQL 15's state machine, C locale (`.` decimal point, `,` group
//!   separator, `-`/`+` signs, blank currency symbol), including its odd corners.
//! - Reads past the end of the input see a NUL, as PostgreSQL's C strings do; nothing panics.

use super::datetime_to_char::ordinal_suffix;
use super::keywords::Num;
use super::node::{Node, mblen};
use super::number_desc::{
    F_BRACKET, F_DECIMAL, F_EEEE, F_FILLMODE, F_LSIGN, F_MINUS, F_PLUS, F_ROMAN, F_ZERO,
    LSIGN_POST, LSIGN_PRE, NumDesc,
};
use crate::{Condition, Error, Result};

/// State of one `to_char` run (the writing half of `NUMProc`).
struct ToChar<'a> {
    num: NumDesc,
    sign: u8,
    sign_wrote: bool,
    num_count: i32,
    num_in: bool,
    num_curr: i32,
    out_pre_spaces: i32,
    /// The digit string; index `number_p` is the next digit (0 past the end).
    number: &'a [u8],
    number_p: usize,
    last_relevant: Option<usize>,
    out: Vec<u8>,
}

impl ToChar<'_> {
    fn digit(&self, i: usize) -> u8 {
        self.number.get(i).copied().unwrap_or(0)
    }

    fn is_predec_space(&self) -> bool {
        !self.num.has(F_ZERO) && self.number_p == 0 && self.digit(0) == b'0' && self.num.post != 0
    }

    fn last_relevant_is_point(&self) -> bool {
        self.last_relevant.is_some_and(|i| self.digit(i) == b'.')
    }

    /// `NUM_numpart_to_char`.
    fn numpart(&mut self, id: Num) {
        if self.num.has(F_ROMAN) {
            return;
        }
        self.num_in = false;
        if !self.sign_wrote
            && (self.num_curr >= self.out_pre_spaces
                || (self.num.has(F_ZERO) && self.num.zero_start == self.num_curr))
            && (!self.is_predec_space() || self.last_relevant_is_point())
        {
            if self.num.has(F_LSIGN) {
                if self.num.lsign == LSIGN_PRE {
                    self.out.push(if self.sign == b'-' { b'-' } else { b'+' });
                    self.sign_wrote = true;
                }
            } else if self.num.has(F_BRACKET) {
                self.out.push(if self.sign == b'+' { b' ' } else { b'<' });
                self.sign_wrote = true;
            } else if self.sign == b'+' {
                if !self.num.has(F_FILLMODE) {
                    self.out.push(b' ');
                }
                self.sign_wrote = true;
            } else if self.sign == b'-' {
                self.out.push(b'-');
                self.sign_wrote = true;
            }
        }
        if matches!(id, Num::Nine | Num::Zero | Num::D | Num::Dec) {
            if self.num_curr < self.out_pre_spaces
                && (self.num.zero_start > self.num_curr || !self.num.has(F_ZERO))
            {
                if !self.num.has(F_FILLMODE) {
                    self.out.push(b' ');
                }
            } else if self.num.has(F_ZERO)
                && self.num_curr < self.out_pre_spaces
                && self.num.zero_start <= self.num_curr
            {
                self.out.push(b'0');
                self.num_in = true;
            } else {
                if self.digit(self.number_p) == b'.' {
                    if !self.last_relevant_is_point() || self.num.has(F_FILLMODE) {
                        self.out.push(b'.');
                    }
                } else if self.last_relevant.is_some_and(|l| self.number_p > l) && id != Num::Zero {
                } else if self.is_predec_space() {
                    if !self.num.has(F_FILLMODE) {
                        self.out.push(b' ');
                    } else if self.last_relevant_is_point() {
                        self.out.push(b'0');
                    }
                } else {
                    // A NUL written here ends PostgreSQL's C string; `to_char` cuts there.
                    self.out.push(self.digit(self.number_p));
                    self.num_in = true;
                }
                if self.digit(self.number_p) != 0 {
                    self.number_p += 1;
                }
            }
            let mut end = self.num_count
                + i32::from(self.out_pre_spaces != 0)
                + i32::from(self.num.has(F_DECIMAL));
            if self.last_relevant.is_some_and(|l| l == self.number_p) {
                end = self.num_curr;
            }
            if self.num_curr + 1 == end {
                if self.sign_wrote && self.num.has(F_BRACKET) {
                    self.out.push(if self.sign == b'+' { b' ' } else { b'>' });
                } else if self.num.has(F_LSIGN) && self.num.lsign == LSIGN_POST {
                    self.out.push(if self.sign == b'-' { b'-' } else { b'+' });
                }
            }
        }
        self.num_curr += 1;
    }
}

/// `NUM_processor` in `to_char` mode: formats the digit string `number` (digits and an
/// optional point, or a roman numeral, or `#` overflow marks) with sign `sign` (`+`/`-`).
pub(crate) fn to_char(
    nodes: &[Node<Num>],
    desc: &NumDesc,
    number: &[u8],
    out_pre_spaces: i32,
    sign: u8,
) -> Result<String> {
    let mut num = desc.clone();
    if num.zero_start != 0 {
        num.zero_start -= 1;
    }
    if num.has(F_EEEE) {
        return Ok(String::from_utf8_lossy(number).into_owned());
    }
    let mut sign = sign;
    let mut out_pre_spaces = out_pre_spaces;
    if num.has(F_ROMAN) {
        num.lsign = 0;
        num.pre_lsign_num = 0;
        num.post = 0;
        num.pre = 0;
        out_pre_spaces = 0;
        sign = 0;
        num.flag = (num.flag & F_FILLMODE) | F_ROMAN;
    }
    let sign_wrote;
    if num.has(F_PLUS) || num.has(F_MINUS) {
        sign_wrote = !num.has(F_PLUS) || num.has(F_MINUS);
    } else {
        if sign != b'-' {
            if num.has(F_BRACKET) && num.has(F_FILLMODE) {
                num.flag &= !F_BRACKET;
            }
            if num.has(F_MINUS) {
                num.flag &= !F_MINUS;
            }
        } else if sign != b'+' && num.has(F_PLUS) {
            num.flag &= !F_PLUS;
        }
        sign_wrote = sign == b'+' && num.has(F_FILLMODE) && !num.has(F_LSIGN);
        if num.lsign == LSIGN_PRE && num.pre == num.pre_lsign_num {
            num.lsign = LSIGN_POST;
        }
    }
    let mut num_count = num.post + num.pre - 1;
    let mut last_relevant = None;
    if num.has(F_FILLMODE) && num.has(F_DECIMAL) {
        last_relevant = last_relevant_decnum(number);
        if let Some(lr) = last_relevant
            && num.zero_end > out_pre_spaces
        {
            let last_zero_pos = (number.len() as i32 - 1).min(num.zero_end - out_pre_spaces);
            if last_zero_pos >= 0 && lr < last_zero_pos as usize {
                last_relevant = Some(last_zero_pos as usize);
            }
        }
    }
    if !sign_wrote && out_pre_spaces == 0 {
        num_count += 1;
    }
    let mut st = ToChar {
        num,
        sign,
        sign_wrote,
        num_count,
        num_in: false,
        num_curr: 0,
        out_pre_spaces,
        number,
        number_p: 0,
        last_relevant,
        out: Vec::new(),
    };
    for node in nodes {
        let id = match node {
            Node::Action(id, _) => *id,
            Node::Char(c) | Node::Separator(c) | Node::Space(c) => {
                st.out.extend_from_slice(c.as_bytes());
                continue;
            }
        };
        let fill = st.num.has(F_FILLMODE);
        match id {
            Num::Nine | Num::Zero | Num::Dec | Num::D => st.numpart(id),
            Num::Comma | Num::G => {
                if !st.num_in {
                    if !fill {
                        st.out.push(b' ');
                    }
                } else {
                    st.out.push(b',');
                }
            }
            Num::L => st.out.push(b' '),
            Num::RnUpper | Num::RnLower => {
                let rest = &st.number[st.number_p.min(st.number.len())..];
                let text = String::from_utf8_lossy(rest);
                let text = if id == Num::RnLower {
                    text.to_ascii_lowercase()
                } else {
                    text.into_owned()
                };
                if fill {
                    st.out.extend_from_slice(text.as_bytes());
                } else {
                    st.out.extend_from_slice(format!("{text:>15}").as_bytes());
                }
            }
            Num::ThLower | Num::ThUpper => {
                if st.num.has(F_ROMAN)
                    || st.number.first() == Some(&b'#')
                    || st.sign == b'-'
                    || st.num.has(F_DECIMAL)
                {
                    continue;
                }
                let suffix =
                    ordinal_suffix(&String::from_utf8_lossy(st.number), id == Num::ThUpper)?;
                st.out.extend_from_slice(suffix.as_bytes());
            }
            Num::Mi => {
                if st.sign == b'-' {
                    st.out.push(b'-');
                } else if !fill {
                    st.out.push(b' ');
                }
            }
            Num::Pl => {
                if st.sign == b'+' {
                    st.out.push(b'+');
                } else if !fill {
                    st.out.push(b' ');
                }
            }
            Num::Sg => st.out.push(st.sign),
            Num::B | Num::C | Num::E | Num::Fm | Num::Pr | Num::S | Num::Sp | Num::V => {}
        }
    }
    let end = st.out.iter().position(|c| *c == 0).unwrap_or(st.out.len());
    Ok(String::from_utf8_lossy(&st.out[..end]).into_owned())
}

/// `get_last_relevant_decnum`: index of the last non-zero fraction digit, or of the point.
fn last_relevant_decnum(number: &[u8]) -> Option<usize> {
    let point = number.iter().position(|c| *c == b'.')?;
    let mut result = point;
    for (i, c) in number.iter().enumerate().skip(point + 1) {
        if *c != b'0' {
            result = i;
        }
    }
    Some(result)
}

/// State of one `to_number` run (the reading half of `NUMProc`).
struct FromChar<'a> {
    num: NumDesc,
    input: &'a [u8],
    p: usize,
    /// Output: `number[0]` is the sign (' ', '-', '+'), then digits and point.
    number: Vec<u8>,
    read_dec: bool,
    read_post: i32,
    read_pre: i32,
    num_in: bool,
}

impl FromChar<'_> {
    fn at(&self, i: usize) -> u8 {
        self.input.get(i).copied().unwrap_or(0)
    }

    fn overload(&self) -> bool {
        self.p >= self.input.len()
    }

    fn amount(&self, s: usize) -> bool {
        self.p + s <= self.input.len()
    }

    /// `NUM_numpart_from_char`.
    fn numpart(&mut self, id: Num) {
        if self.overload() {
            return;
        }
        if self.at(self.p) == b' ' {
            self.p += 1;
        }
        if self.overload() {
            return;
        }
        if self.number[0] == b' '
            && matches!(id, Num::Zero | Num::Nine)
            && self.read_pre + self.read_post == 0
        {
            if self.num.has(F_LSIGN) && self.num.lsign == LSIGN_PRE {
                if self.amount(1) && self.at(self.p) == b'-' {
                    self.p += 1;
                    self.number[0] = b'-';
                } else if self.amount(1) && self.at(self.p) == b'+' {
                    self.p += 1;
                    self.number[0] = b'+';
                }
            } else if self.at(self.p) == b'-'
                || (self.num.has(F_BRACKET) && self.at(self.p) == b'<')
            {
                self.number[0] = b'-';
                self.p += 1;
            } else if self.at(self.p) == b'+' {
                self.number[0] = b'+';
                self.p += 1;
            }
        }
        if self.overload() {
            return;
        }
        let mut isread = false;
        if self.at(self.p).is_ascii_digit() {
            if self.read_dec && self.read_post == self.num.post {
                return;
            }
            self.number.push(self.at(self.p));
            if self.read_dec {
                self.read_post += 1;
            } else {
                self.read_pre += 1;
            }
            isread = true;
        } else if self.num.has(F_DECIMAL)
            && !self.read_dec
            && self.amount(1)
            && self.at(self.p) == b'.'
        {
            self.number.push(b'.');
            self.read_dec = true;
            isread = true;
        }
        if self.overload() {
            return;
        }
        if self.number[0] == b' ' && self.read_pre + self.read_post > 0 {
            if self.num.has(F_LSIGN)
                && isread
                && self.p + 1 < self.input.len()
                && !self.at(self.p + 1).is_ascii_digit()
            {
                let tmp = self.p;
                self.p += 1;
                if self.amount(1) && self.at(self.p) == b'-' {
                    self.number[0] = b'-';
                } else if self.amount(1) && self.at(self.p) == b'+' {
                    self.number[0] = b'+';
                }
                if self.number[0] == b' ' {
                    self.p = tmp;
                }
            } else if !isread
                && !self.num.has(F_LSIGN)
                && (self.num.has(F_PLUS) || self.num.has(F_MINUS))
            {
                let c = self.at(self.p);
                if c == b'-' || c == b'+' {
                    self.number[0] = c;
                }
            }
        }
    }

    /// `NUM_eat_non_data_chars`.
    fn eat_non_data(&mut self, n: usize) {
        for _ in 0..n {
            if self.overload() {
                break;
            }
            if b"0123456789.,+-".contains(&self.at(self.p)) {
                break;
            }
            self.p += mblen(&self.input[self.p..]);
        }
    }
}

/// `NUM_processor` in `to_number` mode: the number text read from `input` (sign byte first,
/// as `numeric_in` will see it) and the count of fraction digits read.
pub(crate) fn from_char(
    nodes: &[Node<Num>],
    desc: &NumDesc,
    input: &[u8],
) -> Result<(String, i32)> {
    let mut num = desc.clone();
    if num.zero_start != 0 {
        num.zero_start -= 1;
    }
    if num.has(F_EEEE) {
        return Err(Error::new(
            Condition::FeatureNotSupported,
            "\"EEEE\" not supported for input",
        ));
    }
    if num.has(F_ROMAN) {
        return Err(Error::new(
            Condition::FeatureNotSupported,
            "\"RN\" not supported for input",
        ));
    }
    let mut st = FromChar {
        num,
        input,
        p: 0,
        number: vec![b' '],
        read_dec: false,
        read_post: 0,
        read_pre: 0,
        num_in: false,
    };
    for node in nodes {
        if st.overload() {
            break;
        }
        let id = match node {
            Node::Action(id, _) => *id,
            _ => {
                st.p += mblen(&st.input[st.p..]);
                continue;
            }
        };
        let fill = st.num.has(F_FILLMODE);
        match id {
            Num::Nine | Num::Zero | Num::Dec | Num::D => st.numpart(id),
            Num::Comma => {
                if !st.num_in && fill {
                    continue;
                }
                if st.at(st.p) != b',' {
                    continue;
                }
            }
            Num::G => {
                if !st.num_in && fill {
                    continue;
                }
                if !(st.amount(1) && st.at(st.p) == b',') {
                    continue;
                }
            }
            Num::L => {
                st.eat_non_data(1);
                continue;
            }
            Num::ThLower | Num::ThUpper => {
                if st.num.has(F_DECIMAL) {
                    continue;
                }
                st.eat_non_data(2);
                continue;
            }
            Num::Mi | Num::Pl => {
                let want = if id == Num::Mi { b'-' } else { b'+' };
                if st.at(st.p) == want {
                    st.number[0] = want;
                } else {
                    st.eat_non_data(1);
                    continue;
                }
            }
            Num::Sg => {
                let c = st.at(st.p);
                if c == b'-' || c == b'+' {
                    st.number[0] = c;
                } else {
                    st.eat_non_data(1);
                    continue;
                }
            }
            _ => continue,
        }
        st.p += 1;
    }
    if st.number.last() == Some(&b'.') && st.number.len() > 1 {
        st.number.pop();
    }
    Ok((
        String::from_utf8_lossy(&st.number).into_owned(),
        st.read_post,
    ))
}
