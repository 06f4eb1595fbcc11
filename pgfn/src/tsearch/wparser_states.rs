//! The default text search parser's state table, rule for rule as PostgreSQL's
//! `wparser_def.c` (`actionTPS_*`): for each state, the ordered character tests and what to
//! do on the first that holds.
//!
//! Invariants:
//! - Rule order within a state is PostgreSQL's; the engine takes the first matching rule.
//! - Every state's list ends with an unconditional rule (`Always`), as PostgreSQL's do.

use crate::tsearch::token_type::TokenType;

/// A parser state (PostgreSQL's `TParserState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum St {
    Base,
    InNumWord,
    InAsciiWord,
    InWord,
    InUnsignedInt,
    InSignedIntFirst,
    InSignedInt,
    InSpace,
    InUDecimalFirst,
    InUDecimal,
    InDecimalFirst,
    InDecimal,
    InVerVersion,
    InSVerVersion,
    InVersionFirst,
    InVersion,
    InMantissaFirst,
    InMantissaSign,
    InMantissa,
    InXMLEntityFirst,
    InXMLEntity,
    InXMLEntityNumFirst,
    InXMLEntityNum,
    InXMLEntityHexNumFirst,
    InXMLEntityHexNum,
    InXMLEntityEnd,
    InTagFirst,
    InXMLBegin,
    InTagCloseFirst,
    InTagName,
    InTagBeginEnd,
    InTag,
    InTagEscapeK,
    InTagEscapeKK,
    InTagBackSleshed,
    InTagEnd,
    InCommentFirst,
    InCommentLast,
    InComment,
    InCloseCommentFirst,
    InCloseCommentLast,
    InCommentEnd,
    InHostFirstDomain,
    InHostDomainSecond,
    InHostDomain,
    InPortFirst,
    InPort,
    InHostFirstAN,
    InHost,
    InEmail,
    InFileFirst,
    InFileTwiddle,
    InPathFirst,
    InPathFirstFirst,
    InPathSecond,
    InFile,
    InFileNext,
    InURLPathFirst,
    InURLPathStart,
    InURLPath,
    InFURL,
    InProtocolFirst,
    InProtocolSecond,
    InProtocolEnd,
    InHyphenAsciiWordFirst,
    InHyphenAsciiWord,
    InHyphenWordFirst,
    InHyphenWord,
    InHyphenNumWordFirst,
    InHyphenNumWord,
    InHyphenDigitLookahead,
    InParseHyphen,
    InParseHyphenHyphen,
    InHyphenWordPart,
    InHyphenAsciiWordPart,
    InHyphenNumWordPart,
    InHyphenUnsignedInt,
    /// "Stay in the current state" (PostgreSQL's `TPS_Null` as a target).
    Null,
}

/// A rule's character test (PostgreSQL's `p_is*` functions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Test {
    Always,
    Eof,
    Eq(u8),
    Alnum,
    NotAlnum,
    Alpha,
    Digit,
    Space,
    XDigit,
    AscLet,
    Special,
    Ignore,
    StopHost,
    Host,
    UrlPath,
    UrlChar,
}

/// Work done when a rule fires, before its flags (PostgreSQL's `Special*` handlers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Special {
    None,
    Tags,
    Furl,
    Hyphen,
    VerVersion,
}

pub(crate) const NEXT: u8 = 0x00;
pub(crate) const BINGO: u8 = 0x01;
pub(crate) const POP: u8 = 0x02;
pub(crate) const PUSH: u8 = 0x04;
pub(crate) const RERUN: u8 = 0x08;
pub(crate) const CLEAR: u8 = 0x10;
pub(crate) const MERGE: u8 = 0x20;
pub(crate) const CLRALL: u8 = 0x40;

/// One rule: test, flags, next state, token type emitted on BINGO, special handler.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub(crate) test: Test,
    pub(crate) flags: u8,
    pub(crate) to: St,
    pub(crate) token: Option<TokenType>,
    pub(crate) special: Special,
}

macro_rules! r {
    ($test:expr, $flags:expr, $to:expr) => {
        Rule {
            test: $test,
            flags: $flags,
            to: $to,
            token: None,
            special: Special::None,
        }
    };
}

macro_rules! t {
    ($test:expr, $flags:expr, $to:expr, $token:expr) => {
        Rule {
            test: $test,
            flags: $flags,
            to: $to,
            token: Some($token),
            special: Special::None,
        }
    };
}

macro_rules! s {
    ($test:expr, $flags:expr, $to:expr, $special:expr) => {
        Rule {
            test: $test,
            flags: $flags,
            to: $to,
            token: None,
            special: $special,
        }
    };
}

/// A hyphenated word is complete: emit it, then go back and emit its parts.
macro_rules! hyphen_bingo {
    ($test:expr, $token:expr) => {
        Rule {
            test: $test,
            flags: BINGO | CLRALL,
            to: InParseHyphen,
            token: Some($token),
            special: Special::Hyphen,
        }
    };
}

use St::*;
use Test::*;
use TokenType as T;

const POP_ALWAYS: Rule = r!(Always, POP, Null);
const POP_EOF: Rule = r!(Eof, POP, Null);

/// The rules of `state`, in PostgreSQL's order.
pub(crate) fn rules(state: St) -> &'static [Rule] {
    match state {
        Base => &[
            r!(Eof, NEXT, Null),
            r!(Eq(b'<'), PUSH, InTagFirst),
            r!(Ignore, NEXT, InSpace),
            r!(AscLet, NEXT, InAsciiWord),
            r!(Alpha, NEXT, InWord),
            r!(Digit, NEXT, InUnsignedInt),
            r!(Eq(b'-'), PUSH, InSignedIntFirst),
            r!(Eq(b'+'), PUSH, InSignedIntFirst),
            r!(Eq(b'&'), PUSH, InXMLEntityFirst),
            r!(Eq(b'~'), PUSH, InFileTwiddle),
            r!(Eq(b'/'), PUSH, InFileFirst),
            r!(Eq(b'.'), PUSH, InPathFirstFirst),
            r!(Always, NEXT, InSpace),
        ],
        InNumWord => &[
            t!(Eof, BINGO, Base, T::NumWord),
            r!(Alnum, NEXT, InNumWord),
            r!(Special, NEXT, InNumWord),
            r!(Eq(b'@'), PUSH, InEmail),
            r!(Eq(b'/'), PUSH, InFileFirst),
            r!(Eq(b'.'), PUSH, InFileNext),
            r!(Eq(b'-'), PUSH, InHyphenNumWordFirst),
            t!(Always, BINGO, Base, T::NumWord),
        ],
        InAsciiWord => &[
            t!(Eof, BINGO, Base, T::AsciiWord),
            r!(AscLet, NEXT, Null),
            r!(Eq(b'.'), PUSH, InHostFirstDomain),
            r!(Eq(b'.'), PUSH, InFileNext),
            r!(Eq(b'-'), PUSH, InHostFirstAN),
            r!(Eq(b'-'), PUSH, InHyphenAsciiWordFirst),
            r!(Eq(b'_'), PUSH, InHostFirstAN),
            r!(Eq(b'@'), PUSH, InEmail),
            r!(Eq(b':'), PUSH, InProtocolFirst),
            r!(Eq(b'/'), PUSH, InFileFirst),
            r!(Digit, PUSH, InHost),
            r!(Digit, NEXT, InNumWord),
            r!(Alpha, NEXT, InWord),
            r!(Special, NEXT, InWord),
            t!(Always, BINGO, Base, T::AsciiWord),
        ],
        InWord => &[
            t!(Eof, BINGO, Base, T::Word),
            r!(Alpha, NEXT, Null),
            r!(Special, NEXT, Null),
            r!(Digit, NEXT, InNumWord),
            r!(Eq(b'-'), PUSH, InHyphenWordFirst),
            t!(Always, BINGO, Base, T::Word),
        ],
        InUnsignedInt => &[
            t!(Eof, BINGO, Base, T::UInt),
            r!(Digit, NEXT, Null),
            r!(Eq(b'.'), PUSH, InHostFirstDomain),
            r!(Eq(b'.'), PUSH, InUDecimalFirst),
            r!(Eq(b'e'), PUSH, InMantissaFirst),
            r!(Eq(b'E'), PUSH, InMantissaFirst),
            r!(Eq(b'-'), PUSH, InHostFirstAN),
            r!(Eq(b'_'), PUSH, InHostFirstAN),
            r!(Eq(b'@'), PUSH, InEmail),
            r!(AscLet, PUSH, InHost),
            r!(Alpha, NEXT, InNumWord),
            r!(Special, NEXT, InNumWord),
            r!(Eq(b'/'), PUSH, InFileFirst),
            t!(Always, BINGO, Base, T::UInt),
        ],
        InSignedIntFirst => &[POP_EOF, r!(Digit, NEXT | CLEAR, InSignedInt), POP_ALWAYS],
        InSignedInt => &[
            t!(Eof, BINGO, Base, T::Int),
            r!(Digit, NEXT, Null),
            r!(Eq(b'.'), PUSH, InDecimalFirst),
            r!(Eq(b'e'), PUSH, InMantissaFirst),
            r!(Eq(b'E'), PUSH, InMantissaFirst),
            t!(Always, BINGO, Base, T::Int),
        ],
        InSpace => &[
            t!(Eof, BINGO, Base, T::Blank),
            t!(Eq(b'<'), BINGO, Base, T::Blank),
            r!(Ignore, NEXT, Null),
            t!(Eq(b'-'), BINGO, Base, T::Blank),
            t!(Eq(b'+'), BINGO, Base, T::Blank),
            t!(Eq(b'&'), BINGO, Base, T::Blank),
            t!(Eq(b'/'), BINGO, Base, T::Blank),
            r!(NotAlnum, NEXT, InSpace),
            t!(Always, BINGO, Base, T::Blank),
        ],
        InUDecimalFirst => &[POP_EOF, r!(Digit, CLEAR, InUDecimal), POP_ALWAYS],
        InUDecimal => &[
            t!(Eof, BINGO, Base, T::Float),
            r!(Digit, NEXT, InUDecimal),
            r!(Eq(b'.'), PUSH, InVersionFirst),
            r!(Eq(b'e'), PUSH, InMantissaFirst),
            r!(Eq(b'E'), PUSH, InMantissaFirst),
            t!(Always, BINGO, Base, T::Float),
        ],
        InDecimalFirst => &[POP_EOF, r!(Digit, CLEAR, InDecimal), POP_ALWAYS],
        InDecimal => &[
            t!(Eof, BINGO, Base, T::Float),
            r!(Digit, NEXT, InDecimal),
            r!(Eq(b'.'), PUSH, InVerVersion),
            r!(Eq(b'e'), PUSH, InMantissaFirst),
            r!(Eq(b'E'), PUSH, InMantissaFirst),
            t!(Always, BINGO, Base, T::Float),
        ],
        InVerVersion => &[
            POP_EOF,
            s!(Digit, RERUN, InSVerVersion, Special::VerVersion),
            POP_ALWAYS,
        ],
        InSVerVersion => &[
            POP_EOF,
            t!(Digit, BINGO | CLRALL, InUnsignedInt, T::Blank),
            r!(Always, NEXT, Null),
        ],
        InVersionFirst => &[POP_EOF, r!(Digit, CLEAR, InVersion), POP_ALWAYS],
        InVersion => &[
            t!(Eof, BINGO, Base, T::Version),
            r!(Digit, NEXT, InVersion),
            r!(Eq(b'.'), PUSH, InVersionFirst),
            t!(Always, BINGO, Base, T::Version),
        ],
        InMantissaFirst => &[
            POP_EOF,
            r!(Digit, CLEAR, InMantissa),
            r!(Eq(b'+'), NEXT, InMantissaSign),
            r!(Eq(b'-'), NEXT, InMantissaSign),
            POP_ALWAYS,
        ],
        InMantissaSign => &[POP_EOF, r!(Digit, CLEAR, InMantissa), POP_ALWAYS],
        InMantissa => &[
            t!(Eof, BINGO, Base, T::SFloat),
            r!(Digit, NEXT, InMantissa),
            t!(Always, BINGO, Base, T::SFloat),
        ],
        InXMLEntityFirst => &[
            POP_EOF,
            r!(Eq(b'#'), NEXT, InXMLEntityNumFirst),
            r!(AscLet, NEXT, InXMLEntity),
            r!(Eq(b':'), NEXT, InXMLEntity),
            r!(Eq(b'_'), NEXT, InXMLEntity),
            POP_ALWAYS,
        ],
        InXMLEntity => &[
            POP_EOF,
            r!(Alnum, NEXT, InXMLEntity),
            r!(Eq(b':'), NEXT, InXMLEntity),
            r!(Eq(b'_'), NEXT, InXMLEntity),
            r!(Eq(b'.'), NEXT, InXMLEntity),
            r!(Eq(b'-'), NEXT, InXMLEntity),
            r!(Eq(b';'), NEXT, InXMLEntityEnd),
            POP_ALWAYS,
        ],
        InXMLEntityNumFirst => &[
            POP_EOF,
            r!(Eq(b'x'), NEXT, InXMLEntityHexNumFirst),
            r!(Eq(b'X'), NEXT, InXMLEntityHexNumFirst),
            r!(Digit, NEXT, InXMLEntityNum),
            POP_ALWAYS,
        ],
        InXMLEntityHexNumFirst => &[POP_EOF, r!(XDigit, NEXT, InXMLEntityHexNum), POP_ALWAYS],
        InXMLEntityNum => &[
            POP_EOF,
            r!(Digit, NEXT, InXMLEntityNum),
            r!(Eq(b';'), NEXT, InXMLEntityEnd),
            POP_ALWAYS,
        ],
        InXMLEntityHexNum => &[
            POP_EOF,
            r!(XDigit, NEXT, InXMLEntityHexNum),
            r!(Eq(b';'), NEXT, InXMLEntityEnd),
            POP_ALWAYS,
        ],
        InXMLEntityEnd => &[t!(Always, BINGO | CLEAR, Base, T::Entity)],
        InTagFirst => &[
            POP_EOF,
            r!(Eq(b'/'), PUSH, InTagCloseFirst),
            r!(Eq(b'!'), PUSH, InCommentFirst),
            r!(Eq(b'?'), PUSH, InXMLBegin),
            r!(AscLet, PUSH, InTagName),
            r!(Eq(b':'), PUSH, InTagName),
            r!(Eq(b'_'), PUSH, InTagName),
            POP_ALWAYS,
        ],
        InXMLBegin => &[POP_EOF, r!(Eq(b'x'), NEXT, InTag), POP_ALWAYS],
        InTagCloseFirst => &[POP_EOF, r!(AscLet, NEXT, InTagName), POP_ALWAYS],
        InTagName => &[
            POP_EOF,
            r!(Eq(b'/'), NEXT, InTagBeginEnd),
            s!(Eq(b'>'), NEXT, InTagEnd, Special::Tags),
            s!(Space, NEXT, InTag, Special::Tags),
            r!(Alnum, NEXT, Null),
            r!(Eq(b':'), NEXT, Null),
            r!(Eq(b'_'), NEXT, Null),
            r!(Eq(b'.'), NEXT, Null),
            r!(Eq(b'-'), NEXT, Null),
            POP_ALWAYS,
        ],
        InTagBeginEnd => &[POP_EOF, r!(Eq(b'>'), NEXT, InTagEnd), POP_ALWAYS],
        InTag => &[
            POP_EOF,
            s!(Eq(b'>'), NEXT, InTagEnd, Special::Tags),
            r!(Eq(b'\''), NEXT, InTagEscapeK),
            r!(Eq(b'"'), NEXT, InTagEscapeKK),
            r!(AscLet, NEXT, Null),
            r!(Digit, NEXT, Null),
            r!(Eq(b'='), NEXT, Null),
            r!(Eq(b'-'), NEXT, Null),
            r!(Eq(b'_'), NEXT, Null),
            r!(Eq(b'#'), NEXT, Null),
            r!(Eq(b'/'), NEXT, Null),
            r!(Eq(b':'), NEXT, Null),
            r!(Eq(b'.'), NEXT, Null),
            r!(Eq(b'&'), NEXT, Null),
            r!(Eq(b'?'), NEXT, Null),
            r!(Eq(b'%'), NEXT, Null),
            r!(Eq(b'~'), NEXT, Null),
            s!(Space, NEXT, Null, Special::Tags),
            POP_ALWAYS,
        ],
        InTagEscapeK => &[
            POP_EOF,
            r!(Eq(b'\\'), PUSH, InTagBackSleshed),
            r!(Eq(b'\''), NEXT, InTag),
            r!(Always, NEXT, InTagEscapeK),
        ],
        InTagEscapeKK => &[
            POP_EOF,
            r!(Eq(b'\\'), PUSH, InTagBackSleshed),
            r!(Eq(b'"'), NEXT, InTag),
            r!(Always, NEXT, InTagEscapeKK),
        ],
        InTagBackSleshed => &[POP_EOF, r!(Always, MERGE, Null)],
        InTagEnd => &[t!(Always, BINGO | CLRALL, Base, T::Tag)],
        InCommentFirst => &[
            POP_EOF,
            r!(Eq(b'-'), NEXT, InCommentLast),
            r!(Eq(b'D'), NEXT, InTag),
            r!(Eq(b'd'), NEXT, InTag),
            POP_ALWAYS,
        ],
        InCommentLast => &[POP_EOF, r!(Eq(b'-'), NEXT, InComment), POP_ALWAYS],
        InComment => &[
            POP_EOF,
            r!(Eq(b'-'), NEXT, InCloseCommentFirst),
            r!(Always, NEXT, Null),
        ],
        InCloseCommentFirst => &[
            POP_EOF,
            r!(Eq(b'-'), NEXT, InCloseCommentLast),
            r!(Always, NEXT, InComment),
        ],
        InCloseCommentLast => &[
            POP_EOF,
            r!(Eq(b'-'), NEXT, Null),
            r!(Eq(b'>'), NEXT, InCommentEnd),
            r!(Always, NEXT, InComment),
        ],
        InCommentEnd => &[t!(Always, BINGO | CLRALL, Base, T::Tag)],
        InHostFirstDomain => &[
            POP_EOF,
            r!(AscLet, NEXT, InHostDomainSecond),
            r!(Digit, NEXT, InHost),
            POP_ALWAYS,
        ],
        InHostDomainSecond => &[
            POP_EOF,
            r!(AscLet, NEXT, InHostDomain),
            r!(Digit, PUSH, InHost),
            r!(Eq(b'-'), PUSH, InHostFirstAN),
            r!(Eq(b'_'), PUSH, InHostFirstAN),
            r!(Eq(b'.'), PUSH, InHostFirstDomain),
            r!(Eq(b'@'), PUSH, InEmail),
            POP_ALWAYS,
        ],
        InHostDomain => &[
            t!(Eof, BINGO | CLRALL, Base, T::Host),
            r!(AscLet, NEXT, InHostDomain),
            r!(Digit, PUSH, InHost),
            r!(Eq(b':'), PUSH, InPortFirst),
            r!(Eq(b'-'), PUSH, InHostFirstAN),
            r!(Eq(b'_'), PUSH, InHostFirstAN),
            r!(Eq(b'.'), PUSH, InHostFirstDomain),
            r!(Eq(b'@'), PUSH, InEmail),
            r!(Digit, POP, Null),
            t!(StopHost, BINGO | CLRALL, InURLPathStart, T::Host),
            r!(Eq(b'/'), PUSH, InFURL),
            t!(Always, BINGO | CLRALL, Base, T::Host),
        ],
        InPortFirst => &[POP_EOF, r!(Digit, NEXT, InPort), POP_ALWAYS],
        InPort => &[
            t!(Eof, BINGO | CLRALL, Base, T::Host),
            r!(Digit, NEXT, InPort),
            t!(StopHost, BINGO | CLRALL, InURLPathStart, T::Host),
            r!(Eq(b'/'), PUSH, InFURL),
            t!(Always, BINGO | CLRALL, Base, T::Host),
        ],
        InHostFirstAN => &[
            POP_EOF,
            r!(Digit, NEXT, InHost),
            r!(AscLet, NEXT, InHost),
            POP_ALWAYS,
        ],
        InHost => &[
            POP_EOF,
            r!(Digit, NEXT, InHost),
            r!(AscLet, NEXT, InHost),
            r!(Eq(b'@'), PUSH, InEmail),
            r!(Eq(b'.'), PUSH, InHostFirstDomain),
            r!(Eq(b'-'), PUSH, InHostFirstAN),
            r!(Eq(b'_'), PUSH, InHostFirstAN),
            POP_ALWAYS,
        ],
        InEmail => &[
            r!(StopHost, POP, Null),
            t!(Host, BINGO | CLRALL, Base, T::Email),
            POP_ALWAYS,
        ],
        InFileFirst => &[
            POP_EOF,
            r!(AscLet, NEXT, InFile),
            r!(Digit, NEXT, InFile),
            r!(Eq(b'.'), NEXT, InPathFirst),
            r!(Eq(b'_'), NEXT, InFile),
            r!(Eq(b'~'), PUSH, InFileTwiddle),
            POP_ALWAYS,
        ],
        InFileTwiddle => &[
            POP_EOF,
            r!(AscLet, NEXT, InFile),
            r!(Digit, NEXT, InFile),
            r!(Eq(b'_'), NEXT, InFile),
            r!(Eq(b'/'), NEXT, InFileFirst),
            POP_ALWAYS,
        ],
        InPathFirst => &[
            POP_EOF,
            r!(AscLet, NEXT, InFile),
            r!(Digit, NEXT, InFile),
            r!(Eq(b'_'), NEXT, InFile),
            r!(Eq(b'.'), NEXT, InPathSecond),
            r!(Eq(b'/'), NEXT, InFileFirst),
            POP_ALWAYS,
        ],
        InPathFirstFirst => &[
            POP_EOF,
            r!(Eq(b'.'), NEXT, InPathSecond),
            r!(Eq(b'/'), NEXT, InFileFirst),
            POP_ALWAYS,
        ],
        InPathSecond => &[
            t!(Eof, BINGO | CLEAR, Base, T::File),
            r!(Eq(b'/'), NEXT | PUSH, InFileFirst),
            t!(Eq(b'/'), BINGO | CLEAR, Base, T::File),
            t!(Space, BINGO | CLEAR, Base, T::File),
            POP_ALWAYS,
        ],
        InFile => &[
            t!(Eof, BINGO, Base, T::File),
            r!(AscLet, NEXT, InFile),
            r!(Digit, NEXT, InFile),
            r!(Eq(b'.'), PUSH, InFileNext),
            r!(Eq(b'_'), NEXT, InFile),
            r!(Eq(b'-'), NEXT, InFile),
            r!(Eq(b'/'), PUSH, InFileFirst),
            t!(Always, BINGO, Base, T::File),
        ],
        InFileNext => &[
            POP_EOF,
            r!(AscLet, CLEAR, InFile),
            r!(Digit, CLEAR, InFile),
            r!(Eq(b'_'), CLEAR, InFile),
            POP_ALWAYS,
        ],
        InURLPathFirst => &[POP_EOF, r!(UrlChar, NEXT, InURLPath), POP_ALWAYS],
        InURLPathStart => &[r!(Always, NEXT, InURLPath)],
        InURLPath => &[
            t!(Eof, BINGO, Base, T::UrlPath),
            r!(UrlChar, NEXT, InURLPath),
            t!(Always, BINGO, Base, T::UrlPath),
        ],
        InFURL => &[
            POP_EOF,
            Rule {
                test: UrlPath,
                flags: BINGO | CLRALL,
                to: Base,
                token: Some(T::Url),
                special: Special::Furl,
            },
            POP_ALWAYS,
        ],
        InProtocolFirst => &[POP_EOF, r!(Eq(b'/'), NEXT, InProtocolSecond), POP_ALWAYS],
        InProtocolSecond => &[POP_EOF, r!(Eq(b'/'), NEXT, InProtocolEnd), POP_ALWAYS],
        InProtocolEnd => &[t!(Always, BINGO | CLRALL, Base, T::Protocol)],
        InHyphenAsciiWordFirst => &[
            POP_EOF,
            r!(AscLet, NEXT, InHyphenAsciiWord),
            r!(Alpha, NEXT, InHyphenWord),
            r!(Digit, NEXT, InHyphenDigitLookahead),
            POP_ALWAYS,
        ],
        InHyphenAsciiWord => &[
            hyphen_bingo!(Eof, T::AsciiHWord),
            r!(AscLet, NEXT, InHyphenAsciiWord),
            r!(Alpha, NEXT, InHyphenWord),
            r!(Special, NEXT, InHyphenWord),
            r!(Digit, NEXT, InHyphenNumWord),
            r!(Eq(b'-'), PUSH, InHyphenAsciiWordFirst),
            hyphen_bingo!(Always, T::AsciiHWord),
        ],
        InHyphenWordFirst => &[
            POP_EOF,
            r!(Alpha, NEXT, InHyphenWord),
            r!(Digit, NEXT, InHyphenDigitLookahead),
            POP_ALWAYS,
        ],
        InHyphenWord => &[
            hyphen_bingo!(Eof, T::HWord),
            r!(Alpha, NEXT, InHyphenWord),
            r!(Special, NEXT, InHyphenWord),
            r!(Digit, NEXT, InHyphenNumWord),
            r!(Eq(b'-'), PUSH, InHyphenWordFirst),
            hyphen_bingo!(Always, T::HWord),
        ],
        InHyphenNumWordFirst => &[
            POP_EOF,
            r!(Alpha, NEXT, InHyphenNumWord),
            r!(Digit, NEXT, InHyphenDigitLookahead),
            POP_ALWAYS,
        ],
        InHyphenNumWord => &[
            hyphen_bingo!(Eof, T::NumHWord),
            r!(Alnum, NEXT, InHyphenNumWord),
            r!(Special, NEXT, InHyphenNumWord),
            r!(Eq(b'-'), PUSH, InHyphenNumWordFirst),
            hyphen_bingo!(Always, T::NumHWord),
        ],
        InHyphenDigitLookahead => &[
            POP_EOF,
            r!(Digit, NEXT, InHyphenDigitLookahead),
            r!(Alpha, NEXT, InHyphenNumWord),
            r!(Special, NEXT, InHyphenNumWord),
            POP_ALWAYS,
        ],
        InParseHyphen => &[
            r!(Eof, RERUN, Base),
            r!(AscLet, NEXT, InHyphenAsciiWordPart),
            r!(Alpha, NEXT, InHyphenWordPart),
            r!(Digit, PUSH, InHyphenUnsignedInt),
            r!(Eq(b'-'), PUSH, InParseHyphenHyphen),
            r!(Always, RERUN, Base),
        ],
        InParseHyphenHyphen => &[
            POP_EOF,
            t!(Alnum, BINGO | CLEAR, InParseHyphen, T::Blank),
            t!(Special, BINGO | CLEAR, InParseHyphen, T::Blank),
            POP_ALWAYS,
        ],
        InHyphenWordPart => &[
            t!(Eof, BINGO, Base, T::HWordPart),
            r!(Alpha, NEXT, InHyphenWordPart),
            r!(Special, NEXT, InHyphenWordPart),
            r!(Digit, NEXT, InHyphenNumWordPart),
            t!(Always, BINGO, InParseHyphen, T::HWordPart),
        ],
        InHyphenAsciiWordPart => &[
            t!(Eof, BINGO, Base, T::HWordAsciiPart),
            r!(AscLet, NEXT, InHyphenAsciiWordPart),
            r!(Alpha, NEXT, InHyphenWordPart),
            r!(Special, NEXT, InHyphenWordPart),
            r!(Digit, NEXT, InHyphenNumWordPart),
            t!(Always, BINGO, InParseHyphen, T::HWordAsciiPart),
        ],
        InHyphenNumWordPart => &[
            t!(Eof, BINGO, Base, T::HWordNumPart),
            r!(Alnum, NEXT, InHyphenNumWordPart),
            r!(Special, NEXT, InHyphenNumWordPart),
            t!(Always, BINGO, InParseHyphen, T::HWordNumPart),
        ],
        InHyphenUnsignedInt => &[
            POP_EOF,
            r!(Digit, NEXT, Null),
            r!(Alpha, CLEAR, InHyphenNumWordPart),
            r!(Special, CLEAR, InHyphenNumWordPart),
            POP_ALWAYS,
        ],
        // Never a current state: it only marks "stay" as a target.
        Null => &[POP_ALWAYS],
    }
}
