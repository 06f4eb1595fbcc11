//! `ts_headline`: the text's tokens marked against the query (PostgreSQL's `hlparsetext`),
//! the default parser's fragment selection (`mark_hl_words`, `mark_hl_fragments`, `hlCover`)
//! and the output with StartSel/StopSel and fragment delimiters (`generateHeadline`).
//!
//! Invariants:
//! - Every token of the text is a headline word; a token matching several query operands
//!   gets one extra "repeated" copy per further operand, as in PostgreSQL.
//! - Selection arithmetic is PostgreSQL's, index for index (C `int`, wrapping on overflow).

use crate::Result;
use crate::tsearch::config::TsConfig;
use crate::tsearch::dictionary::Lexized;
use crate::tsearch::execute::{Matcher, PhraseData, Ternary, execute};
use crate::tsearch::headline_options::{self, HeadlineOptions, OptionItem};
use crate::tsearch::token_type::TokenType;
use crate::tsearch::tsquery::{Operand, QueryItem, TsQuery};
use crate::tsearch::weight::limit_pos;
use crate::tsearch::wparser;

/// `ts_headline(config, text, query [, options])`.
pub fn ts_headline(
    config: TsConfig,
    text: &str,
    query: &TsQuery,
    options: Option<&str>,
) -> Result<String> {
    let mut session = HeadlineSession::new(config, query, options)?;
    session.headline(text)
}

/// Headlines for several texts with one query and options, as `ts_headline` over jsonb and
/// json does for each string value (positions count on across the values).
#[derive(Debug, Clone)]
pub struct HeadlineSession<'q> {
    config: TsConfig,
    query: &'q TsQuery,
    options: Vec<OptionItem>,
    vector_pos: i64,
}

impl<'q> HeadlineSession<'q> {
    /// Parses the options string (syntax errors are raised here; value checks per headline).
    pub fn new(
        config: TsConfig,
        query: &'q TsQuery,
        options: Option<&str>,
    ) -> Result<HeadlineSession<'q>> {
        let options = match options {
            Some(text) => headline_options::parse_option_list(text)?,
            None => Vec::new(),
        };
        Ok(HeadlineSession {
            config,
            query,
            options,
            vector_pos: 0,
        })
    }

    /// The headline of one text.
    pub fn headline(&mut self, text: &str) -> Result<String> {
        let mut words = self.parse(text);
        let options = headline_options::resolve(&self.options)?;
        let selector = Selector {
            words: &mut words,
            query: self.query,
            options: &options,
        };
        selector.select();
        Ok(generate(&words, &options))
    }

    /// PostgreSQL's `hlparsetext`.
    fn parse(&mut self, text: &str) -> Vec<Word> {
        let mut words: Vec<Word> = Vec::new();
        for token in wparser::parse(text) {
            if token.text.len() >= 2047 {
                continue;
            }
            words.push(Word::new(token.kind, token.text));
            let Some(dictionary) = self.config.dictionary(token.kind) else {
                continue;
            };
            self.vector_pos += 1;
            if let Lexized::Lexeme(lexeme) = dictionary.lexize(token.text) {
                self.find_items(&mut words, &lexeme);
            }
        }
        words
    }

    /// PostgreSQL's `hlfinditem`: links the last word to every operand matching `lexeme`.
    fn find_items(&self, words: &mut Vec<Word>, lexeme: &str) {
        let original = words.len() - 1;
        words[original].pos = limit_pos(self.vector_pos);
        for (i, item) in self.query.items().iter().enumerate() {
            let QueryItem::Operand(operand) = item else {
                continue;
            };
            let hit = if operand.prefix {
                lexeme.as_bytes().starts_with(operand.word.as_bytes())
            } else {
                lexeme == operand.word
            };
            if !hit {
                continue;
            }
            if words[original].item.is_some() {
                let mut copy = words[original].clone();
                copy.item = Some(i);
                copy.repeated = true;
                words.push(copy);
            } else {
                words[original].item = Some(i);
            }
        }
    }
}

/// PostgreSQL's `HeadlineWordEntry`.
#[derive(Debug, Clone)]
struct Word {
    kind: TokenType,
    text: String,
    pos: u16,
    item: Option<usize>,
    selected: bool,
    in_headline: bool,
    replace: bool,
    repeated: bool,
    skip: bool,
}

impl Word {
    fn new(kind: TokenType, text: &str) -> Word {
        Word {
            kind,
            text: text.to_string(),
            pos: 0,
            item: None,
            selected: false,
            in_headline: false,
            replace: false,
            repeated: false,
            skip: false,
        }
    }

    fn is_replaced_kind(&self) -> bool {
        self.kind == TokenType::Tag
    }

    fn is_skipped_kind(&self) -> bool {
        matches!(
            self.kind,
            TokenType::Url | TokenType::NumHWord | TokenType::AsciiHWord | TokenType::HWord
        )
    }

    fn is_non_word(&self) -> bool {
        self.kind == TokenType::Blank || self.is_replaced_kind() || self.is_skipped_kind()
    }

    fn is_no_end(&self) -> bool {
        self.is_non_word()
            || matches!(
                self.kind,
                TokenType::SFloat
                    | TokenType::Version
                    | TokenType::Float
                    | TokenType::Int
                    | TokenType::UInt
                    | TokenType::Tag
                    | TokenType::Protocol
                    | TokenType::Blank
                    | TokenType::Entity
            )
    }

    fn interesting(&self) -> bool {
        self.item.is_some() && !self.repeated
    }
}

static OUTSIDE: Word = Word {
    kind: TokenType::Blank,
    text: String::new(),
    pos: 0,
    item: None,
    selected: false,
    in_headline: false,
    replace: false,
    repeated: false,
    skip: false,
};

/// Matches operands against a window of headline words (PostgreSQL's `checkcondition_HL`).
struct WindowMatcher<'a> {
    words: &'a [Word],
}

impl Matcher for WindowMatcher<'_> {
    fn check(&self, item: usize, _operand: &Operand, data: Option<&mut PhraseData>) -> Ternary {
        let Some(data) = data else {
            let found = self.words.iter().any(|w| w.item == Some(item));
            return if found { Ternary::Yes } else { Ternary::No };
        };
        for word in self.words.iter().filter(|w| w.item == Some(item)) {
            if data.pos.last().is_none_or(|&last| last < word.pos) {
                data.pos.push(word.pos);
            }
        }
        if data.pos.is_empty() {
            Ternary::No
        } else {
            Ternary::Yes
        }
    }
}

/// A cover split into a fragment (PostgreSQL's `CoverPos`).
#[derive(Debug, Clone, Copy)]
struct Fragment {
    start: i32,
    end: i32,
    poslen: i32,
    curlen: i32,
    chosen: bool,
    excluded: bool,
}

struct Selector<'a> {
    words: &'a mut Vec<Word>,
    query: &'a TsQuery,
    options: &'a HeadlineOptions,
}

impl Selector<'_> {
    fn select(mut self) {
        let mut max_cover = self.options.max_words.wrapping_mul(10).max(100);
        if self.options.max_fragments > 0 {
            max_cover = max_cover.wrapping_mul(self.options.max_fragments);
        }
        if self.options.max_fragments == 0 {
            self.mark_words(max_cover);
        } else {
            self.mark_fragments(max_cover);
        }
    }

    fn n(&self) -> i32 {
        self.words.len() as i32
    }

    /// The word at `i`; outside the list (PostgreSQL would read out of bounds) a blank.
    fn w(&self, i: i32) -> &Word {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.words.get(i))
            .unwrap_or(&OUTSIDE)
    }

    fn non_word(&self, i: i32) -> bool {
        self.w(i).is_non_word()
    }

    fn interesting(&self, i: i32) -> bool {
        self.w(i).interesting()
    }

    fn bad_endpoint(&self, i: i32) -> bool {
        let word = self.w(i);
        (word.is_no_end() || word.text.len() as i64 <= i64::from(self.options.short_word))
            && !word.interesting()
    }

    fn first_index(&self, from: i32) -> i32 {
        (from.max(0)..self.n())
            .find(|&i| self.w(i).item.is_some())
            .unwrap_or(-1)
    }

    /// PostgreSQL's `hlCover`: the earliest shortest run of words satisfying the query,
    /// starting at or after `*p`, at most `max_cover` words long.
    fn cover(&self, max_cover: i32, p: &mut i32, q: &mut i32) -> bool {
        if self.query.is_empty() {
            return false;
        }
        let mut pmin = self.first_index(*p);
        while pmin >= 0 {
            let mut nextpmin = -1;
            let mut pmax = pmin;
            loop {
                let window = WindowMatcher {
                    words: &self.words[pmin as usize..=pmax as usize],
                };
                if execute(self.query, &window, false) != Ternary::No {
                    *p = pmin;
                    *q = pmax;
                    return true;
                }
                let nextpmax = self.first_index(pmax + 1);
                if pmax == pmin {
                    nextpmin = nextpmax;
                }
                pmax = nextpmax;
                if !(pmax >= 0 && pmax - pmin < max_cover) {
                    break;
                }
            }
            pmin = nextpmin;
        }
        false
    }

    fn mark_fragment(&mut self, start: i32, end: i32) {
        let highlight_all = self.options.highlight_all;
        let last = end.min(self.n() - 1);
        for i in start.max(0)..=last {
            let word = &mut self.words[i as usize];
            if word.item.is_some() {
                word.selected = true;
            }
            if !highlight_all {
                if word.is_replaced_kind() {
                    word.replace = true;
                } else if word.is_skipped_kind() {
                    word.skip = true;
                }
            } else if word.is_skipped_kind() {
                word.skip = true;
            }
            word.in_headline = !word.repeated;
        }
    }

    /// PostgreSQL's `mark_hl_words` (MaxFragments = 0).
    fn mark_words(&mut self, max_cover: i32) {
        let (min_words, max_words) = (self.options.min_words, self.options.max_words);
        let (mut bestb, mut beste) = (-1i32, -1i32);
        if self.options.highlight_all {
            self.mark_fragment(0, self.n() - 1);
            return;
        }
        let (mut p, mut q) = (0i32, 0i32);
        let mut bestlen = -1i32;
        let mut bestcover = false;
        while self.cover(max_cover, &mut p, &mut q) {
            let (mut curlen, mut poslen) = (0i32, 0i32);
            let mut posb = p;
            let mut pose = p;
            let mut i = p;
            while i <= q && curlen < max_words {
                if !self.non_word(i) {
                    curlen += 1;
                }
                if self.interesting(i) {
                    poslen += 1;
                }
                pose = i;
                i += 1;
            }
            if curlen < max_words {
                i -= 1;
                while i < self.n() && curlen < max_words {
                    if i > q {
                        if !self.non_word(i) {
                            curlen += 1;
                        }
                        if self.interesting(i) {
                            poslen += 1;
                        }
                    }
                    pose = i;
                    if self.bad_endpoint(i) {
                        i += 1;
                        continue;
                    }
                    if curlen >= min_words {
                        break;
                    }
                    i += 1;
                }
                if curlen < min_words {
                    i = p - 1;
                    while i >= 0 {
                        if !self.non_word(i) {
                            curlen += 1;
                        }
                        if self.interesting(i) {
                            poslen += 1;
                        }
                        if curlen >= max_words {
                            break;
                        }
                        if self.bad_endpoint(i) {
                            i -= 1;
                            continue;
                        }
                        if curlen >= min_words {
                            break;
                        }
                        i -= 1;
                    }
                    posb = i.max(0);
                }
            } else {
                if i > q {
                    i = q;
                }
                while curlen > min_words && i >= 0 {
                    if !self.bad_endpoint(i) {
                        break;
                    }
                    if !self.non_word(i) {
                        curlen -= 1;
                    }
                    if self.interesting(i) {
                        poslen -= 1;
                    }
                    pose = i - 1;
                    i -= 1;
                }
            }
            let poscover = posb <= p && pose >= q;
            if poscover && !bestcover
                || (poscover == bestcover && poslen > bestlen)
                || (poscover == bestcover
                    && poslen == bestlen
                    && !self.bad_endpoint(pose)
                    && self.bad_endpoint_or_none(beste))
            {
                bestb = posb;
                beste = pose;
                bestlen = poslen;
                bestcover = poscover;
            }
            p += 1;
        }
        if bestlen < 0 {
            bestb = 0;
            beste = self.opening_end(min_words);
        }
        self.mark_fragment(bestb, beste);
    }

    /// Where the headline of a text without any cover ends: after its first `min_words`
    /// words (-1 for an empty text).
    fn opening_end(&self, min_words: i32) -> i32 {
        let (mut curlen, mut end, mut i) = (0, -1, 0);
        while i < self.n() && curlen < min_words {
            if !self.non_word(i) {
                curlen += 1;
            }
            end = i;
            i += 1;
        }
        end
    }

    /// `BADENDPOINT(beste)` where PostgreSQL may index -1 before any headline was adopted;
    /// that branch is only reached once `bestlen >= 0`, so -1 never gets here in practice.
    fn bad_endpoint_or_none(&self, i: i32) -> bool {
        i < 0 || self.bad_endpoint(i)
    }

    /// PostgreSQL's `get_next_fragment`.
    fn next_fragment(&self, start: &mut i32, end: &mut i32, curlen: &mut i32, poslen: &mut i32) {
        let max_words = self.options.max_words;
        let mut i = *start;
        while i <= *end {
            *start = i;
            if self.interesting(i) {
                break;
            }
            i += 1;
        }
        *curlen = 0;
        *poslen = 0;
        i = *start;
        while i <= *end && *curlen < max_words {
            if !self.non_word(i) {
                *curlen += 1;
            }
            if self.interesting(i) {
                *poslen += 1;
            }
            i += 1;
        }
        if *end > i {
            *end = i;
            while i >= *start {
                *end = i;
                if self.interesting(i) {
                    break;
                }
                if !self.non_word(i) {
                    *curlen -= 1;
                }
                i -= 1;
            }
        }
    }

    /// PostgreSQL's `mark_hl_fragments` (MaxFragments > 0).
    fn mark_fragments(&mut self, max_cover: i32) {
        let (min_words, max_words) = (self.options.min_words, self.options.max_words);
        let mut covers: Vec<Fragment> = Vec::new();
        let (mut p, mut q) = (0i32, 0i32);
        while self.cover(max_cover, &mut p, &mut q) {
            let mut start = p;
            let mut end = q;
            while start <= end {
                let (mut curlen, mut poslen) = (0, 0);
                self.next_fragment(&mut start, &mut end, &mut curlen, &mut poslen);
                covers.push(Fragment {
                    start,
                    end,
                    poslen,
                    curlen,
                    chosen: false,
                    excluded: false,
                });
                start = end + 1;
                end = q;
            }
            p += 1;
        }
        let mut num_f = 0;
        for _ in 0..self.options.max_fragments {
            let mut maxitems = 0;
            let mut minwords = i32::MAX;
            let mut min_i: i32 = -1;
            for (i, c) in covers.iter().enumerate() {
                if !c.chosen
                    && !c.excluded
                    && (maxitems < c.poslen || (maxitems == c.poslen && minwords > c.curlen))
                {
                    maxitems = c.poslen;
                    minwords = c.curlen;
                    min_i = i as i32;
                }
            }
            if min_i < 0 {
                break;
            }
            let chosen = min_i as usize;
            covers[chosen].chosen = true;
            let mut start = covers[chosen].start;
            let mut end = covers[chosen].end;
            let mut curlen = covers[chosen].curlen;
            if curlen < max_words {
                let maxstretch = (max_words - curlen) / 2;
                let mut stretch = 0;
                let mut posmarker = start;
                let mut i = start - 1;
                while i >= 0 && stretch < maxstretch && !self.w(i).in_headline {
                    if !self.non_word(i) {
                        curlen += 1;
                        stretch += 1;
                    }
                    posmarker = i;
                    i -= 1;
                }
                i = posmarker;
                while i < start && self.bad_endpoint(i) {
                    if !self.non_word(i) {
                        curlen -= 1;
                    }
                    i += 1;
                }
                start = i;
                posmarker = end;
                i = end + 1;
                while i < self.n() && curlen < max_words && !self.w(i).in_headline {
                    if !self.non_word(i) {
                        curlen += 1;
                    }
                    posmarker = i;
                    i += 1;
                }
                i = posmarker;
                while i > end && self.bad_endpoint(i) {
                    if !self.non_word(i) {
                        curlen -= 1;
                    }
                    i -= 1;
                }
                end = i;
            }
            covers[chosen].start = start;
            covers[chosen].end = end;
            covers[chosen].curlen = curlen;
            self.mark_fragment(start, end);
            num_f += 1;
            for (i, c) in covers.iter_mut().enumerate() {
                if i != chosen
                    && ((c.start >= start && c.start <= end)
                        || (c.end >= start && c.end <= end)
                        || (c.start < start && c.end > end))
                {
                    c.excluded = true;
                }
            }
        }
        if num_f <= 0 {
            let end = self.opening_end(min_words);
            self.mark_fragment(0, end);
        }
    }
}

/// PostgreSQL's `generateHeadline`.
fn generate(words: &[Word], options: &HeadlineOptions) -> String {
    let mut out = String::new();
    let mut in_fragment = false;
    let mut fragments = 0;
    for word in words {
        if word.in_headline && !word.repeated {
            if !in_fragment {
                in_fragment = true;
                fragments += 1;
                if fragments > 1 {
                    out.push_str(&options.fragment_delimiter);
                }
            }
            if word.replace {
                out.push(' ');
            } else if !word.skip {
                if word.selected {
                    out.push_str(&options.start_sel);
                }
                out.push_str(&word.text);
                if word.selected {
                    out.push_str(&options.stop_sel);
                }
            }
        } else if !word.repeated {
            in_fragment = false;
        }
    }
    out
}
