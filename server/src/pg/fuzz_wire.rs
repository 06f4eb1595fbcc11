//! The wire layer's part of the fuzz targets (`crate::fuzz`): frontend messages decoded as a
//! connection decodes them, and Bind parameters decoded as the extended-query handler does.
//! It lives here because only `pg/` knows pgwire.
//!
//! Invariants:
//! - Used by the fuzz targets only; the server never calls it.
//! - A panic inside pgwire's decoder is contained as the connection loop contains it.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use bytes::BytesMut;
use pgwire::api::Type;
use pgwire::api::portal::Format;
use pgwire::error::PgWireResult;
use pgwire::messages::startup::Startup;
use pgwire::messages::{DecodeContext, PgWireFrontendMessage, ProtocolVersion};

use super::decode::params;
use super::startup::keys_option;
use crate::output::PgType;

/// The wire-message path of a connection: frontend messages decoded in the order the codec
/// expects them (SSL negotiation, startup, then typed messages), the startup `options` read
/// for `mindoo.keys`, and every Bind's parameters decoded as the extended-query handler does,
/// typed by the preceding Parse (or by the input, for the types a Parse cannot name).
pub(crate) fn wire(bytes: &[u8]) {
    let mut buf = BytesMut::from(bytes);
    let mut ctx = DecodeContext::new(ProtocolVersion::PROTOCOL3_0);
    let mut declared: Vec<Option<Type>> = Vec::new();
    while let Some(Ok(Some(message))) = decode_contained(&mut buf, &ctx) {
        match message {
            PgWireFrontendMessage::SslNegotiation(_) => ctx.awaiting_frontend_ssl = false,
            PgWireFrontendMessage::Startup(startup) => {
                ctx.awaiting_frontend_startup = false;
                startup_options(&startup);
            }
            PgWireFrontendMessage::CancelRequest(_) => return,
            PgWireFrontendMessage::Parse(parse) => {
                declared = parse
                    .type_oids
                    .iter()
                    .map(|oid| Type::from_oid(*oid))
                    .collect();
            }
            PgWireFrontendMessage::Bind(bind) => {
                let types: Vec<PgType> = (0..bind.parameters.len())
                    .map(|idx| {
                        declared
                            .get(idx)
                            .and_then(Option::as_ref)
                            .and_then(|t| PgType::from_oid(t.oid()))
                            .unwrap_or(PgType::ALL[idx % PgType::ALL.len()])
                    })
                    .collect();
                let formats = match bind.parameter_format_codes.as_slice() {
                    [] => Format::UnifiedText,
                    [code] => Format::from(*code),
                    codes => Format::Individual(codes.to_vec()),
                };
                let _ = params(&types, &declared, &formats, &bind.parameters);
            }
            _ => {}
        }
    }
}

thread_local! {
    static IN_PGWIRE_DECODER: Cell<bool> = const { Cell::new(false) };
}

/// True while `wire` has pgwire decode a message. A panic there is pgwire's, and the server
/// contains it (`pg/connection.rs` ends that connection with 08P01), so the `wire` target's
/// panic hook lets it unwind instead of reporting a crash.
pub(crate) fn in_pgwire_decoder() -> bool {
    IN_PGWIRE_DECODER.with(Cell::get)
}

/// One message as the server's connection loop decodes it: None where pgwire panicked, after
/// which the connection is closed.
fn decode_contained(
    buf: &mut BytesMut,
    ctx: &DecodeContext,
) -> Option<PgWireResult<Option<PgWireFrontendMessage>>> {
    IN_PGWIRE_DECODER.with(|flag| flag.set(true));
    let decoded = catch_unwind(AssertUnwindSafe(|| PgWireFrontendMessage::decode(buf, ctx)));
    IN_PGWIRE_DECODER.with(|flag| flag.set(false));
    decoded.ok()
}

fn startup_options(startup: &Startup) {
    if let Some(options) = startup.parameters.get("options") {
        let _ = keys_option(options);
    }
}

/// A document and a path that are not UTF-8, as binary `jsonb` and `json` parameters.
pub(crate) fn json_params(doc: &[u8], path: &[u8]) {
    let _ = params(
        &[PgType::Jsonb, PgType::Jsonb],
        &[None, Type::from_oid(114)],
        &Format::UnifiedBinary,
        &[Some(doc), Some(path)],
    );
}
