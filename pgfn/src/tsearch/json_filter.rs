//! The filter argument of `jsonb_to_tsvector`/`json_to_tsvector` (`'["string", "key"]'`):
//! which JSON values feed the tsvector, as PostgreSQL's `parse_jsonb_index_flags` reads it.
//! The jsonb module walks the document; this one only knows the flag names and errors.
//!
//! Invariants:
//! - Flag names match case-insensitively; `all` selects every kind.

use crate::{Condition, Error, Result};

const HINT: &str =
    "Possible values are: \"string\", \"numeric\", \"boolean\", \"key\", and \"all\".";

/// Which JSON values become text for the tsvector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JsonFilter {
    /// String values (not keys).
    pub strings: bool,
    /// Numbers, as their JSON text.
    pub numerics: bool,
    /// `true` and `false`.
    pub booleans: bool,
    /// Object keys.
    pub keys: bool,
}

impl JsonFilter {
    /// Only string values: what `to_tsvector(jsonb)` and `to_tsvector(json)` use.
    pub const STRINGS: JsonFilter = JsonFilter {
        strings: true,
        numerics: false,
        booleans: false,
        keys: false,
    };

    /// Reads the elements of the filter array (a scalar counts as a one-element array);
    /// `None` stands for an element that is not a JSON string.
    pub fn from_flags<'a>(
        elements: impl IntoIterator<Item = Option<&'a str>>,
    ) -> Result<JsonFilter> {
        let mut filter = JsonFilter::default();
        for element in elements {
            let Some(name) = element else {
                return Err(Error::new(
                    Condition::InvalidParameterValue,
                    "flag array element is not a string",
                )
                .with_hint(HINT));
            };
            match name.to_ascii_lowercase().as_str() {
                "all" => {
                    filter = JsonFilter {
                        strings: true,
                        numerics: true,
                        booleans: true,
                        keys: true,
                    }
                }
                "key" => filter.keys = true,
                "string" => filter.strings = true,
                "numeric" => filter.numerics = true,
                "boolean" => filter.booleans = true,
                _ => {
                    return Err(Error::new(
                        Condition::InvalidParameterValue,
                        format!("wrong flag in flag array: \"{name}\""),
                    )
                    .with_hint(HINT));
                }
            }
        }
        Ok(filter)
    }

    /// The error for a filter that is a JSON object.
    pub fn wrong_type_error() -> Error {
        Error::new(
            Condition::InvalidParameterValue,
            "wrong flag type, only arrays and scalars are allowed",
        )
    }
}
