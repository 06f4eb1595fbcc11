//! Table-name patterns (`crm*`, `crm202?`, `*`), as `mindoo.changes_all`, `mindoo.tables` and
//! sync take them.
//!
//! Invariants:
//! - `*` matches any run of characters (also none), `?` exactly one, anything else itself;
//!   matching is case-sensitive (table names are lowercase).

/// True when `name` matches the glob `pattern`.
pub fn glob(pattern: &str, name: &str) -> bool {
    let (pattern, name): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), name.chars().collect());
    // Classic two-pointer wildcard match with backtracking to the last `*`.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, n));
                p += 1;
            }
            Some(c) if *c == '?' || *c == name[n] => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs_match_like_shells() {
        assert!(glob("crm*", "crm2025"));
        assert!(glob("crm*", "crm"));
        assert!(glob("*", "anything"));
        assert!(glob("crm202?", "crm2026"));
        assert!(glob("c*m*5", "crm2025"));
        assert!(glob("crm2025", "crm2025"));
        assert!(!glob("crm*", "invoices"));
        assert!(!glob("crm202?", "crm20255"));
        assert!(!glob("crm2025", "crm2026"));
    }
}
