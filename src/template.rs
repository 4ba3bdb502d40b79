//! Message templates: the `{placeholder}` syntax of the rule files, filling it, and the short code snippets that
//! messages quote.

/// Replaces each `{name}` of `template` with `value(name)`; a placeholder without a value is left as written.
pub fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        match close.and_then(|c| value(&after[..c]).map(|v| (v, c))) {
            Some((v, c)) => {
                out.push_str(&v);
                rest = &after[c + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every `{placeholder}` in a text (names of letters, digits, `_` and `.`).
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') && close > 0 => {
                out.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// Code on one line: whitespace runs become one space, and none is left before the `.` or `?.` of a chained call.
pub fn one_line(code: &str) -> String {
    code.split_whitespace().collect::<Vec<_>>().join(" ").replace(" .", ".").replace(" ?.", "?.")
}

/// The first line of a code snippet, at most 60 characters, with `…` when anything was cut.
pub fn shorten(code: &str) -> String {
    let first = code.lines().next().unwrap_or("").trim_end();
    let multi = code.lines().nth(1).is_some();
    let mut s: String = first.chars().take(60).collect();
    if multi || first.chars().count() > 60 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_placeholders_and_keeps_the_rest() {
        let value = |n: &str| (n == "call").then(|| "f(…)".to_string());
        assert_eq!(fill("`{call}` then {other} and {", value), "`f(…)` then {other} and {");
    }

    #[test]
    fn placeholders_skips_braces_that_are_not_names() {
        assert_eq!(placeholders("{a} {b.c} { x } {} {d_1}"), vec!["a", "b.c", "d_1"]);
    }

    #[test]
    fn snippets() {
        assert_eq!(one_line("a\n  .b()\n  ?.c()"), "a.b()?.c()");
        assert_eq!(shorten("first\nsecond"), "first…");
        assert_eq!(shorten(&"x".repeat(61)).chars().count(), 61);
    }
}
