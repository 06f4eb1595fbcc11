//! The jsonb text round trip the server makes for every jsonb value it stores as text:
//! `parse` (PostgreSQL's `jsonb_in`) and printing (`jsonb_out`) of a 1 KiB document, and the
//! `->>` field read through a parsed value and straight from the canonical text.
//!
//! Invariants:
//! - The document is a typical one: nested objects and arrays, unicode, numbers with scale
//!   and exponents, escapes; about 1 KiB of text.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mindoodb_pgfn::jsonb;

const DOC: &str = r#"{"id": "d-000123", "customer": {"name": "Zoë Müller", "email": "zoe@example.com",
 "address": {"street": "Hauptstraße 5", "city": "Köln", "zip": "50667", "country": "DE"}},
 "items": [{"sku": "A-1", "qty": 2, "price": 12.50, "tags": ["gift", "fragile"]},
 {"sku": "B-22", "qty": 1, "price": 199.99, "tags": []},
 {"sku": "C-333", "qty": 12, "price": 0.05, "tags": ["bulk"]}],
 "total": 225.59, "discount": 1e-2, "paid": true, "notes": null, "ratio": 1.5E+3,
 "history": [{"at": "2024-01-02T03:04:05Z", "event": "created", "by": "system"},
 {"at": "2024-01-02T05:00:00Z", "event": "paid", "by": "card \"visa\""},
 {"at": "2024-01-03T09:30:00Z", "event": "shipped", "by": "warehouse\n7"}],
 "meta": {"source": "web", "campaign": "spring\u00e9", "score": 0.875, "flags": [1, 2, 3],
 "nested": {"a": {"b": {"c": [true, false, null, "x"]}}}}, "version": 3}"#;

fn round_trip(c: &mut Criterion) {
    let mut group = c.benchmark_group("jsonb_1kib");
    group.throughput(Throughput::Bytes(DOC.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| jsonb::parse(black_box(DOC)).unwrap())
    });
    let value = jsonb::parse(DOC).unwrap();
    group.bench_function("print", |b| b.iter(|| black_box(&value).to_text()));
    group.bench_function("parse_print", |b| {
        b.iter(|| jsonb::parse(black_box(DOC)).unwrap().to_text())
    });
    group.bench_function("field_text_via_parse", |b| {
        b.iter(|| jsonb::field_text(&jsonb::parse(black_box(DOC)).unwrap(), "total"))
    });
    let canonical = value.to_text();
    group.bench_function("field_text_in_text", |b| {
        b.iter(|| jsonb::field_text_in_text(black_box(&canonical), "total"))
    });
    group.finish();
}

criterion_group!(benches, round_trip);
criterion_main!(benches);
