//! Just enough of Python's tokens to read a `setup.py` without running it: string literals, names, brackets and
//! punctuation (comments skipped), the keyword arguments of calls, and the strings of literal lists, tuples and dicts.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A string literal's value (escapes other than `\\` and the quote kept as written).
    Str(String),
    Name(String),
    Open(char),
    Close(char),
    /// Any other character outside strings and comments (`=`, `,`, `:`, `+`, ...), or `==` as `'~'`.
    Punct(char),
}

/// The tokens of `text`; unterminated strings end at the end of the text.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c.is_whitespace() || c == '\\' {
            i += 1;
        } else if c == '"' || c == '\'' {
            let (value, next) = string_literal(&chars, i);
            out.push(Token::Str(value));
            i = next;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // a string prefix (r"", b'', f"", u"") belongs to the string
            let prefix = word.len() <= 2 && word.chars().all(|p| "rRbBuUfF".contains(p));
            if prefix && i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                let (value, next) = string_literal(&chars, i);
                out.push(Token::Str(value));
                i = next;
            } else {
                out.push(Token::Name(word));
            }
        } else if matches!(c, '(' | '[' | '{') {
            out.push(Token::Open(c));
            i += 1;
        } else if matches!(c, ')' | ']' | '}') {
            out.push(Token::Close(c));
            i += 1;
        } else if c == '=' && chars.get(i + 1) == Some(&'=') {
            out.push(Token::Punct('~'));
            i += 2;
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

/// The value of the string literal whose quote is at `start`, and the index after it.
fn string_literal(chars: &[char], start: usize) -> (String, usize) {
    let quote = chars[start];
    let triple = chars.get(start + 1) == Some(&quote) && chars.get(start + 2) == Some(&quote);
    let mut i = if triple { start + 3 } else { start + 1 };
    let mut value = String::new();
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            value.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if c == quote && (!triple || (chars.get(i + 1) == Some(&quote) && chars.get(i + 2) == Some(&quote))) {
            return (value, i + if triple { 3 } else { 1 });
        }
        if c == '\n' && !triple {
            return (value, i);
        }
        value.push(c);
        i += 1;
    }
    (value, i)
}

/// Every `name=<value>` keyword argument of a call (a `name` after `(` or `,`, then a single `=`): the keyword and
/// the index of its value's first token.
pub fn keyword_arguments(tokens: &[Token]) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    for i in 1..tokens.len().saturating_sub(2) {
        if let (Token::Open('(') | Token::Punct(','), Token::Name(name), Token::Punct('=')) = (&tokens[i - 1], &tokens[i], &tokens[i + 1]) {
            out.push((name.as_str(), i + 2));
        }
    }
    out
}

/// The index of the value a name at `at` is bound to at module level (`NAME = <value>`, the last such binding before
/// the use, else the first anywhere), or `at` itself when it is not a bare name bound that way.
pub fn resolve_name(tokens: &[Token], at: usize) -> usize {
    let Some(Token::Name(name)) = tokens.get(at) else { return at };
    // a bare name: followed by `,` or `)`, not by a call or an attribute
    if !matches!(tokens.get(at + 1), Some(Token::Punct(',') | Token::Close(')'))) {
        return at;
    }
    let bindings: Vec<usize> = (0..tokens.len().saturating_sub(2))
        .filter(|&i| {
            matches!(&tokens[i], Token::Name(n) if n == name)
                && tokens[i + 1] == Token::Punct('=')
                && (i == 0 || !matches!(tokens[i - 1], Token::Punct('.') | Token::Punct(',') | Token::Open('(')))
        })
        .map(|i| i + 2)
        .collect();
    bindings.iter().rev().find(|&&v| v < at).or(bindings.first()).copied().unwrap_or(at)
}

/// The string at `at`, when the value there is one string literal (implicit concatenation joined).
pub fn string_at(tokens: &[Token], at: usize) -> Option<String> {
    let mut value = String::new();
    let mut i = at;
    while let Some(Token::Str(s)) = tokens.get(i) {
        value.push_str(s);
        i += 1;
    }
    (i > at && matches!(tokens.get(i), None | Some(Token::Punct(',') | Token::Close(_) | Token::Name(_)))).then_some(value)
}

/// The strings of the literal list or tuple at `at` (with `values_of_dict`, of the lists that are the values of the
/// literal dict there); empty when the value is anything else (a call, a comprehension, a concatenation).
pub fn strings_of_literal(tokens: &[Token], at: usize, values_of_dict: bool) -> Vec<String> {
    let Some(Token::Open(open)) = tokens.get(at) else { return Vec::new() };
    // a list or tuple of strings, or a dict of them
    let literal = if values_of_dict { *open == '{' } else { matches!(*open, '[' | '(') };
    if !literal {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut depth = 0usize;
    for token in &tokens[at..] {
        match token {
            Token::Open(_) => depth += 1,
            Token::Close(_) => {
                depth -= 1;
                if depth == 0 {
                    return out;
                }
            }
            // a literal list of requirements holds only strings and punctuation; a name means it is computed
            Token::Name(_) => return Vec::new(),
            Token::Str(s) if depth == if values_of_dict { 2 } else { 1 } => out.push(s.clone()),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_comments_and_prefixes() {
        let tokens = tokenize("x = [r'a\\'b', \"c#d\",  # e\n '''f\ng''']");
        let strs: Vec<&Token> = tokens.iter().filter(|t| matches!(t, Token::Str(_))).collect();
        assert_eq!(strs, [&Token::Str("a'b".into()), &Token::Str("c#d".into()), &Token::Str("f\ng".into())]);
    }

    #[test]
    fn computed_values_give_no_strings() {
        let tokens = tokenize("setup(install_requires=[r for r in open('x')], extras_require={'a': ['b']})");
        let args = keyword_arguments(&tokens);
        assert_eq!(args.iter().map(|(k, _)| *k).collect::<Vec<_>>(), ["install_requires", "extras_require"]);
        assert!(strings_of_literal(&tokens, args[0].1, false).is_empty());
        assert_eq!(strings_of_literal(&tokens, args[1].1, true), ["b"]);
    }
}
