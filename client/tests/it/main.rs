//! Tests of the client library against entries sealed here with the real protocol crate.

mod proof;
