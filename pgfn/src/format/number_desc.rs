//! The shape of a number template (PostgreSQL's `NUMDesc` and `NUMDesc_prepare`): digit
//! counts before and after the point, sign and fill modes, and the pattern conflicts
//! PostgreSQL rejects.
//!
//! Invariants:
//! - Every conflicting combination fails with PostgreSQL's syntax error text and detail.

use super::keywords::Num;
use super::node::{Node, parse_number_format};
use crate::{Condition, Error, Result};

/// The shape of a number template (PostgreSQL's `NUMDesc`).
#[derive(Debug, Clone, Default)]
pub(crate) struct NumDesc {
    pub pre: i32,
    pub post: i32,
    pub lsign: i32,
    pub flag: u32,
    pub pre_lsign_num: i32,
    pub multi: i32,
    pub zero_start: i32,
    pub zero_end: i32,
}

pub(crate) const F_DECIMAL: u32 = 1 << 1;
pub(crate) const F_LDECIMAL: u32 = 1 << 2;
pub(crate) const F_ZERO: u32 = 1 << 3;
pub(crate) const F_BLANK: u32 = 1 << 4;
pub(crate) const F_FILLMODE: u32 = 1 << 5;
pub(crate) const F_LSIGN: u32 = 1 << 6;
pub(crate) const F_BRACKET: u32 = 1 << 7;
pub(crate) const F_MINUS: u32 = 1 << 8;
pub(crate) const F_PLUS: u32 = 1 << 9;
pub(crate) const F_ROMAN: u32 = 1 << 10;
pub(crate) const F_MULTI: u32 = 1 << 11;
pub(crate) const F_PLUS_POST: u32 = 1 << 12;
pub(crate) const F_MINUS_POST: u32 = 1 << 13;
pub(crate) const F_EEEE: u32 = 1 << 14;

pub(crate) const LSIGN_PRE: i32 = -1;
pub(crate) const LSIGN_POST: i32 = 1;
const LSIGN_NONE: i32 = 0;

impl NumDesc {
    pub(crate) fn has(&self, f: u32) -> bool {
        self.flag & f != 0
    }
}

fn syntax(msg: &str) -> Error {
    Error::new(Condition::SyntaxError, msg)
}

/// `NUMDesc_prepare` over a parsed template.
fn prepare(nodes: &[Node<Num>]) -> Result<NumDesc> {
    let mut num = NumDesc::default();
    for node in nodes {
        let Node::Action(id, _) = node else {
            continue;
        };
        let id = *id;
        if num.has(F_EEEE) && id != Num::E {
            return Err(syntax("\"EEEE\" must be the last pattern used"));
        }
        match id {
            Num::Nine => {
                if num.has(F_BRACKET) {
                    return Err(syntax("\"9\" must be ahead of \"PR\""));
                }
                if num.has(F_MULTI) {
                    num.multi += 1;
                } else if num.has(F_DECIMAL) {
                    num.post += 1;
                } else {
                    num.pre += 1;
                }
            }
            Num::Zero => {
                if num.has(F_BRACKET) {
                    return Err(syntax("\"0\" must be ahead of \"PR\""));
                }
                if !num.has(F_ZERO) && !num.has(F_DECIMAL) {
                    num.flag |= F_ZERO;
                    num.zero_start = num.pre + 1;
                }
                if !num.has(F_DECIMAL) {
                    num.pre += 1;
                } else {
                    num.post += 1;
                }
                num.zero_end = num.pre + num.post;
            }
            Num::B => {
                if num.pre == 0 && num.post == 0 && !num.has(F_ZERO) {
                    num.flag |= F_BLANK;
                }
            }
            Num::D | Num::Dec => {
                if id == Num::D {
                    num.flag |= F_LDECIMAL;
                }
                if num.has(F_DECIMAL) {
                    return Err(syntax("multiple decimal points"));
                }
                if num.has(F_MULTI) {
                    return Err(syntax("cannot use \"V\" and decimal point together"));
                }
                num.flag |= F_DECIMAL;
            }
            Num::Fm => num.flag |= F_FILLMODE,
            Num::S => {
                if num.has(F_LSIGN) {
                    return Err(syntax("cannot use \"S\" twice"));
                }
                if num.has(F_PLUS) || num.has(F_MINUS) || num.has(F_BRACKET) {
                    return Err(syntax(
                        "cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together",
                    ));
                }
                if !num.has(F_DECIMAL) {
                    num.lsign = LSIGN_PRE;
                    num.pre_lsign_num = num.pre;
                    num.flag |= F_LSIGN;
                } else if num.lsign == LSIGN_NONE {
                    num.lsign = LSIGN_POST;
                    num.flag |= F_LSIGN;
                }
            }
            Num::Mi => {
                if num.has(F_LSIGN) {
                    return Err(syntax("cannot use \"S\" and \"MI\" together"));
                }
                num.flag |= F_MINUS;
                if num.has(F_DECIMAL) {
                    num.flag |= F_MINUS_POST;
                }
            }
            Num::Pl => {
                if num.has(F_LSIGN) {
                    return Err(syntax("cannot use \"S\" and \"PL\" together"));
                }
                num.flag |= F_PLUS;
                if num.has(F_DECIMAL) {
                    num.flag |= F_PLUS_POST;
                }
            }
            Num::Sg => {
                if num.has(F_LSIGN) {
                    return Err(syntax("cannot use \"S\" and \"SG\" together"));
                }
                num.flag |= F_MINUS | F_PLUS;
            }
            Num::Pr => {
                if num.has(F_LSIGN) || num.has(F_PLUS) || num.has(F_MINUS) {
                    return Err(syntax(
                        "cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together",
                    ));
                }
                num.flag |= F_BRACKET;
            }
            Num::RnUpper | Num::RnLower => num.flag |= F_ROMAN,
            Num::V => {
                if num.has(F_DECIMAL) {
                    return Err(syntax("cannot use \"V\" and decimal point together"));
                }
                num.flag |= F_MULTI;
            }
            Num::E => {
                if num.has(F_EEEE) {
                    return Err(syntax("cannot use \"EEEE\" twice"));
                }
                if num.has(F_BLANK)
                    || num.has(F_FILLMODE)
                    || num.has(F_LSIGN)
                    || num.has(F_BRACKET)
                    || num.has(F_MINUS)
                    || num.has(F_PLUS)
                    || num.has(F_ROMAN)
                    || num.has(F_MULTI)
                {
                    return Err(syntax("\"EEEE\" is incompatible with other formats").with_detail(
                        "\"EEEE\" may only be used together with digit and decimal point patterns.",
                    ));
                }
                num.flag |= F_EEEE;
            }
            Num::Comma | Num::C | Num::G | Num::L | Num::Sp | Num::ThUpper | Num::ThLower => {}
        }
    }
    Ok(num)
}

/// Parses a number template and its shape.
pub(crate) fn parse(fmt: &str) -> Result<(Vec<Node<Num>>, NumDesc)> {
    let nodes = parse_number_format(fmt);
    let desc = prepare(&nodes)?;
    Ok((nodes, desc))
}
