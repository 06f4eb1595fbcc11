//! The default parser's token types, with PostgreSQL's ids, aliases and descriptions (what
//! `ts_token_type('default')` lists).
//!
//! Invariants:
//! - `id()` is PostgreSQL's token type id (1..=23), `alias()` its `ts_token_type` alias.

/// A token type of PostgreSQL's default text search parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenType {
    /// Word, all ASCII.
    AsciiWord,
    /// Word, all letters.
    Word,
    /// Word, letters and digits.
    NumWord,
    /// Email address.
    Email,
    /// URL.
    Url,
    /// Host.
    Host,
    /// Scientific notation.
    SFloat,
    /// Version number.
    Version,
    /// Hyphenated word part, letters and digits.
    HWordNumPart,
    /// Hyphenated word part, all letters.
    HWordPart,
    /// Hyphenated word part, all ASCII.
    HWordAsciiPart,
    /// Space symbols.
    Blank,
    /// XML tag.
    Tag,
    /// Protocol head.
    Protocol,
    /// Hyphenated word, letters and digits.
    NumHWord,
    /// Hyphenated word, all ASCII.
    AsciiHWord,
    /// Hyphenated word, all letters.
    HWord,
    /// URL path.
    UrlPath,
    /// File or path name.
    File,
    /// Decimal notation.
    Float,
    /// Signed integer.
    Int,
    /// Unsigned integer.
    UInt,
    /// XML entity.
    Entity,
}

/// Every token type in id order.
pub const ALL_TOKEN_TYPES: [TokenType; 23] = [
    TokenType::AsciiWord,
    TokenType::Word,
    TokenType::NumWord,
    TokenType::Email,
    TokenType::Url,
    TokenType::Host,
    TokenType::SFloat,
    TokenType::Version,
    TokenType::HWordNumPart,
    TokenType::HWordPart,
    TokenType::HWordAsciiPart,
    TokenType::Blank,
    TokenType::Tag,
    TokenType::Protocol,
    TokenType::NumHWord,
    TokenType::AsciiHWord,
    TokenType::HWord,
    TokenType::UrlPath,
    TokenType::File,
    TokenType::Float,
    TokenType::Int,
    TokenType::UInt,
    TokenType::Entity,
];

impl TokenType {
    /// PostgreSQL's token type id.
    pub fn id(self) -> i32 {
        ALL_TOKEN_TYPES
            .iter()
            .position(|t| *t == self)
            .map_or(0, |i| i as i32 + 1)
    }

    /// The alias `ts_token_type` and `ts_debug` show.
    pub fn alias(self) -> &'static str {
        self.names().0
    }

    /// The description `ts_token_type` shows.
    pub fn description(self) -> &'static str {
        self.names().1
    }

    fn names(self) -> (&'static str, &'static str) {
        match self {
            TokenType::AsciiWord => ("asciiword", "Word, all ASCII"),
            TokenType::Word => ("word", "Word, all letters"),
            TokenType::NumWord => ("numword", "Word, letters and digits"),
            TokenType::Email => ("email", "Email address"),
            TokenType::Url => ("url", "URL"),
            TokenType::Host => ("host", "Host"),
            TokenType::SFloat => ("sfloat", "Scientific notation"),
            TokenType::Version => ("version", "Version number"),
            TokenType::HWordNumPart => {
                ("hword_numpart", "Hyphenated word part, letters and digits")
            }
            TokenType::HWordPart => ("hword_part", "Hyphenated word part, all letters"),
            TokenType::HWordAsciiPart => ("hword_asciipart", "Hyphenated word part, all ASCII"),
            TokenType::Blank => ("blank", "Space symbols"),
            TokenType::Tag => ("tag", "XML tag"),
            TokenType::Protocol => ("protocol", "Protocol head"),
            TokenType::NumHWord => ("numhword", "Hyphenated word, letters and digits"),
            TokenType::AsciiHWord => ("asciihword", "Hyphenated word, all ASCII"),
            TokenType::HWord => ("hword", "Hyphenated word, all letters"),
            TokenType::UrlPath => ("url_path", "URL path"),
            TokenType::File => ("file", "File or path name"),
            TokenType::Float => ("float", "Decimal notation"),
            TokenType::Int => ("int", "Signed integer"),
            TokenType::UInt => ("uint", "Unsigned integer"),
            TokenType::Entity => ("entity", "XML entity"),
        }
    }
}
