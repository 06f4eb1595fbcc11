//! The documents both systems are loaded with: four tables of JSON documents made by a
//! fixed-seed generator, written as JSON text so that number spellings (scale, exponents, big
//! integers), escapes and key orders reach both servers exactly as a client would send them.
//!
//! Invariants:
//! - Deterministic: the same text on every run and machine (splitmix64 with a fixed seed, no
//!   clock, no hashing of pointers); the corpus's expectations depend only on this text.
//! - Every document is valid JSON that PostgreSQL 15's jsonb accepts (no `\u0000`, no lone
//!   surrogates): invalid input belongs in the corpus as error cases, not in the seed.

/// One table to load: its name and `(id, JSON text)` documents in insertion order.
pub(crate) struct SeedTable {
    pub(crate) name: &'static str,
    pub(crate) docs: Vec<(String, String)>,
}

/// The seeded tables, plus `scratch`, empty, for the corpus's writes.
pub(crate) fn tables() -> Vec<SeedTable> {
    let mut rng = Rng(0x5eed_0018);
    vec![
        SeedTable {
            name: "products",
            docs: (1..=300).map(|n| product(&mut rng, n)).collect(),
        },
        SeedTable {
            name: "customers",
            docs: (1..=60).map(|n| customer(&mut rng, n)).collect(),
        },
        SeedTable {
            name: "orders",
            docs: (1..=200).map(|n| order(&mut rng, n)).collect(),
        },
        SeedTable {
            name: "articles",
            docs: (1..=80).map(|n| article(&mut rng, n)).collect(),
        },
        SeedTable {
            name: "scratch",
            docs: Vec::new(),
        },
    ]
}

/// A JSON value built here and rendered to text as written (numbers keep their spelling).
enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
}

impl J {
    fn render(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => quote(s, out),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.render(out);
                }
                out.push(']');
            }
            J::Obj(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    quote(key, out);
                    out.push_str(": ");
                    value.render(out);
                }
                out.push('}');
            }
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        self.render(&mut out);
        out
    }
}

fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// splitmix64: small, well mixed, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn s(text: impl Into<String>) -> J {
    J::Str(text.into())
}

fn n(text: impl Into<String>) -> J {
    J::Num(text.into())
}

const ADJECTIVES: &[&str] = &[
    "Small", "Large", "Red", "Blue", "Steel", "Wooden", "Smart", "Classic", "Mini", "Deluxe",
];
const NOUNS: &[&str] = &[
    "hammer", "kettle", "lamp", "chair", "drill", "teapot", "robot", "puzzle", "rake", "whisk",
];
/// Names that carry unicode, quotes, backslashes and control characters through both systems.
const ODD_NAMES: &[&str] = &[
    "Crème brûlée torch",
    "東京タワー model",
    "Ångström ruler",
    "🍕 pizza cutter",
    "He said \"hi\"",
    "back\\slash box",
    "line\nbreak",
    "tab\tseparated",
    "Straße sign",
    "ÆØÅ set",
    "naïve café mug",
    "Ωmega clock",
    "",
    " padded ",
    "UPPER lower",
    "emoji 👩‍🔬 lab",
];
const CATEGORIES: &[&str] = &["tools", "garden", "kitchen", "toys", "Küche", "lighting"];
const TAGS: &[&str] = &[
    "new", "sale", "eco", "gift", "fragile", "bulk", "café", "b2b", "Sale", "",
];
/// Price spellings: scale kept, exponents, big and tiny, negative zero.
const PRICES: &[&str] = &[
    "12.50",
    "9.99",
    "100",
    "1e2",
    "2.5E+1",
    "0.10",
    "1234567.891",
    "0",
    "-0",
    "0.000001",
    "1e-7",
    "3.14159265358979323846264338327950288",
    "19.990",
    "5",
    "-3.5",
    "1E3",
    "0.5e1",
    "123456789012345678901234567890",
    "7.0",
    "49.95",
];
const COUNTRIES: &[&str] = &["CH", "DE", "FR", "JP", "US", "BR", "IN"];
const CITIES: &[&str] = &[
    "Zürich",
    "Berlin",
    "Paris",
    "東京",
    "New York",
    "São Paulo",
    "Köln",
    "Genève",
];
const FIRST: &[&str] = &[
    "Anna",
    "Bernd",
    "Chloé",
    "Dmitri",
    "Emma",
    "François",
    "Gita",
    "Hiroshi",
    "Ines",
    "Jürgen",
    "Karin",
    "Lars",
    "Mia",
    "Noah",
    "Olga",
    "Pedro",
];
const LAST: &[&str] = &[
    "Müller", "Smith", "O'Brien", "Dubois", "Tanaka", "Rossi", "Silva", "Nowak", "Kim", "Meyer",
];
const STATUSES: &[&str] = &[
    "pending",
    "paid",
    "shipped",
    "delivered",
    "cancelled",
    "returned",
];
const WORDS: &[&str] = &[
    "database",
    "databases",
    "encrypted",
    "encryption",
    "document",
    "documents",
    "query",
    "queries",
    "running",
    "runs",
    "ran",
    "fast",
    "faster",
    "keys",
    "key",
    "client",
    "clients",
    "server",
    "sync",
    "replica",
    "the",
    "a",
    "of",
    "and",
    "is",
    "with",
    "for",
    "storage",
    "append-only",
    "log",
    "signed",
    "hash",
    "chain",
    "PostgreSQL",
    "JSON",
    "index",
    "indexes",
    "search",
    "full-text",
    "ranking",
    "cats",
    "dogs",
    "jumped",
    "over",
    "lazy",
    "quick",
    "brown",
    "fox",
    "privacy",
    "backup",
    "mirrors",
    "restore",
    "shard",
    "tables",
];

fn product(rng: &mut Rng, idx: u64) -> (String, String) {
    let name = if rng.chance(15) {
        (*rng.pick(ODD_NAMES)).to_owned()
    } else {
        format!("{} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS))
    };
    let price = if rng.chance(40) {
        (*rng.pick(PRICES)).to_owned()
    } else {
        format!("{}.{:02}", rng.below(500), rng.below(100))
    };
    let mut fields = vec![("name", s(name)), ("price", n(price))];
    let qty = match rng.below(10) {
        0 => "0".to_owned(),
        1 => format!("-{}", rng.below(5) + 1),
        2 if idx.is_multiple_of(7) => "9007199254740993".to_owned(),
        _ => rng.below(1000).to_string(),
    };
    fields.push(("qty", n(qty)));
    if !rng.chance(10) {
        let count = rng.below(4);
        let mut tags: Vec<J> = (0..count).map(|_| s(*rng.pick(TAGS))).collect();
        if rng.chance(5) {
            tags.push(J::Null);
        }
        fields.push(("tags", J::Arr(tags)));
    }
    fields.push((
        "category",
        if rng.chance(8) {
            J::Null
        } else {
            s(*rng.pick(CATEGORIES))
        },
    ));
    match rng.below(10) {
        0 => fields.push(("active", s("yes"))),
        1 => {}
        _ => fields.push(("active", J::Bool(rng.chance(75)))),
    }
    match rng.below(8) {
        0 => fields.push(("dims", J::Obj(Vec::new()))),
        1 => fields.push(("dims", J::Null)),
        2 => {}
        _ => fields.push((
            "dims",
            J::Obj(vec![
                ("w", n(rng.below(200).to_string())),
                ("h", n(format!("{}.{}", rng.below(100), rng.below(10)))),
                ("d", n(format!("{}e-1", rng.below(90) + 1))),
            ]),
        )),
    }
    if rng.chance(60) {
        let count = rng.below(5);
        let ratings: Vec<J> = (0..count)
            .map(|_| {
                if rng.chance(10) {
                    J::Arr(vec![n(rng.below(6).to_string()), n("2.5")])
                } else {
                    n(rng.below(6).to_string())
                }
            })
            .collect();
        fields.push(("ratings", J::Arr(ratings)));
    }
    if rng.chance(70) {
        let supplier = J::Obj(vec![
            ("name", s(format!("Supplier {}", rng.below(12)))),
            ("country", s(*rng.pick(COUNTRIES))),
        ]);
        let codes: Vec<J> = (0..rng.below(3))
            .map(|_| n(rng.below(100_000).to_string()))
            .collect();
        fields.push((
            "meta",
            J::Obj(vec![
                ("supplier", supplier),
                ("codes", J::Arr(codes)),
                (
                    "created",
                    s(format!(
                        "20{:02}-{:02}-{:02}",
                        18 + rng.below(7),
                        1 + rng.below(12),
                        1 + rng.below(28)
                    )),
                ),
            ]),
        ));
    }
    if rng.chance(20) {
        fields.push(("discount", J::Null));
    }
    if rng.chance(25) {
        fields.push(("rating", n(format!("{}.{}", rng.below(5), rng.below(100)))));
    }
    (format!("p{idx:04}"), J::Obj(fields).text())
}

fn customer(rng: &mut Rng, idx: u64) -> (String, String) {
    let first = *rng.pick(FIRST);
    let last = *rng.pick(LAST);
    let city = *rng.pick(CITIES);
    let mut fields = vec![
        ("name", s(format!("{first} {last}"))),
        (
            "email",
            s(format!("{}.{}@example.com", first.to_lowercase(), idx)),
        ),
        ("country", s(*rng.pick(COUNTRIES))),
        ("vip", J::Bool(rng.chance(20))),
        (
            "since",
            s(format!(
                "20{:02}-{:02}-{:02}",
                15 + rng.below(10),
                1 + rng.below(12),
                1 + rng.below(28)
            )),
        ),
    ];
    let lat = format!("{}.{:04}", rng.below(90), rng.below(10_000));
    let lon = format!("-{}.{:03}", rng.below(180), rng.below(1000));
    fields.push((
        "address",
        J::Obj(vec![
            ("street", s(format!("{} Main St", rng.below(200) + 1))),
            ("city", s(city)),
            ("geo", J::Obj(vec![("lat", n(lat)), ("lon", n(lon))])),
        ]),
    ));
    let tags: Vec<J> = (0..rng.below(3)).map(|_| s(*rng.pick(TAGS))).collect();
    fields.push(("tags", J::Arr(tags)));
    if rng.chance(30) {
        fields.push(("phone", J::Null));
    }
    (format!("c{idx:03}"), J::Obj(fields).text())
}

fn order(rng: &mut Rng, idx: u64) -> (String, String) {
    let items: Vec<J> = (0..rng.below(4))
        .map(|_| {
            J::Obj(vec![
                ("product", s(format!("p{:04}", rng.below(300) + 1))),
                ("qty", n((rng.below(5) + 1).to_string())),
                (
                    "price",
                    n(format!("{}.{:02}", rng.below(100), rng.below(100))),
                ),
            ])
        })
        .collect();
    let mut fields = vec![
        ("customer", s(format!("c{:03}", rng.below(60) + 1))),
        ("items", J::Arr(items)),
        (
            "total",
            n(format!("{}.{:02}", rng.below(1000), rng.below(100))),
        ),
        ("status", s(*rng.pick(STATUSES))),
        (
            "placed_at",
            s(format!(
                "2024-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                1 + rng.below(12),
                1 + rng.below(28),
                rng.below(24),
                rng.below(60),
                rng.below(60)
            )),
        ),
    ];
    match rng.below(5) {
        0 => {}
        1 => fields.push(("shipping", J::Obj(Vec::new()))),
        _ => fields.push((
            "shipping",
            J::Obj(vec![
                ("city", s(*rng.pick(CITIES))),
                ("zip", s(format!("{:05}", rng.below(100_000)))),
                ("express", J::Bool(rng.chance(30))),
            ]),
        )),
    }
    fields.push((
        "paid",
        match rng.below(4) {
            0 => J::Null,
            1 => J::Bool(false),
            _ => J::Bool(true),
        },
    ));
    if rng.chance(25) {
        fields.push(("notes", J::Arr(Vec::new())));
    }
    if rng.chance(10) {
        fields.push(("coupon", s(format!("SAVE{}", rng.below(50)))));
    }
    (format!("o{idx:04}"), J::Obj(fields).text())
}

fn article(rng: &mut Rng, idx: u64) -> (String, String) {
    let sentence = |rng: &mut Rng, words: u64| -> String {
        (0..words)
            .map(|_| *rng.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let title_words = 3 + rng.below(4);
    let title = sentence(rng, title_words);
    let body = (0..2 + rng.below(3))
        .map(|_| {
            let words = 6 + rng.below(10);
            sentence(rng, words) + "."
        })
        .collect::<Vec<_>>()
        .join(" ");
    let keywords: Vec<J> = (0..rng.below(4)).map(|_| s(*rng.pick(WORDS))).collect();
    let fields = vec![
        ("title", s(title)),
        ("body", s(body)),
        (
            "author",
            s(format!("{} {}", rng.pick(FIRST), rng.pick(LAST))),
        ),
        ("keywords", J::Arr(keywords)),
        ("views", n(rng.below(100_000).to_string())),
        ("published", J::Bool(rng.chance(80))),
    ];
    (format!("a{idx:03}"), J::Obj(fields).text())
}
