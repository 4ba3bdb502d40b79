//! How messages name code: an expression or callee chain on one line, without its comments, short enough to read
//! (`fs.promises.access(…)`, `trace.getTracer(…).startActiveSpan(…)`, `….startActiveSpan(…)`), and a word with its
//! article (`an amqplib message`).
use std::ops::Range;

use tree_sitter::Node;

use crate::syntax::Preorder;

/// An argument list longer than this (inside its parentheses) is shown as `(…)`.
const ARGUMENT_CHARS: usize = 20;
/// A chain longer than this loses its leading links (`….startActiveSpan`).
const CHAIN_CHARS: usize = 60;

/// The callee of a call as a message names the call: its chain (see [`chain`]) and `(…)` for the arguments.
pub fn callee(node: Node<'_>, source: &str) -> String {
    format!("{}(…)", expression(node, source))
}

/// An expression as a message names it: see [`chain`].
pub fn expression(node: Node<'_>, source: &str) -> String {
    chain(&without_comments(node, source))
}

/// The code at `range` as a message names it: the node that spans exactly that range (so its comments are left out),
/// else the text as it is.
pub fn code_at(root: Node<'_>, source: &str, range: Range<usize>) -> String {
    match root.descendant_for_byte_range(range.start, range.end) {
        Some(node) if node.byte_range() == range => expression(node, source),
        _ => chain(source.get(range).unwrap_or("")),
    }
}

/// The text of a node with the comments inside it cut out.
fn without_comments(node: Node<'_>, source: &str) -> String {
    let mut out = String::new();
    let mut at = node.start_byte();
    let mut walk = Preorder::new(node);
    while let Some(n) = walk.next() {
        if n.kind().contains("comment") && n.id() != node.id() {
            out.push_str(source.get(at..n.start_byte()).unwrap_or(""));
            out.push(' ');
            at = n.end_byte();
            walk.skip_children();
        }
    }
    out.push_str(source.get(at..node.end_byte()).unwrap_or(""));
    out
}

/// Code on one line (see [`crate::template::one_line`]) as a chain of links (`a.b(x)?.c`): an argument list of more
/// than [`ARGUMENT_CHARS`] characters becomes `(…)`, and while the whole is longer than [`CHAIN_CHARS`] the leading
/// links are cut to `…` (the last link always stays).
pub fn chain(code: &str) -> String {
    let line = crate::template::one_line(code);
    let links: Vec<String> = links(&line).into_iter().map(|(sep, link)| format!("{sep}{}", short_arguments(link))).collect();
    let mut first = 0;
    while first + 1 < links.len() && links[first..].iter().map(|l| l.chars().count()).sum::<usize>() > CHAIN_CHARS {
        first += 1;
    }
    let mut out = if first > 0 { "…".to_string() } else { String::new() };
    for (i, link) in links[first..].iter().enumerate() {
        // a cut chain goes on with the separator of its first kept link (`….send`)
        out.push_str(if i == 0 && first == 0 { link.trim_start_matches(['.', '?']) } else { link });
    }
    if out.chars().count() > CHAIN_CHARS + 1 {
        out = out.chars().take(CHAIN_CHARS).collect::<String>() + "…";
    }
    out
}

/// Where a scan of code stands in its string literals (`"…"`, `'…'`, `` `…` ``, with `\\` escapes).
#[derive(Default)]
struct Strings {
    quote: Option<char>,
    escaped: bool,
}

impl Strings {
    /// Is `c` part of a string already open (its closing quote included)? An opening quote starts one and is not.
    fn inside(&mut self, c: char) -> bool {
        if let Some(q) = self.quote {
            match c {
                _ if self.escaped => self.escaped = false,
                '\\' => self.escaped = true,
                _ if c == q => self.quote = None,
                _ => {}
            }
            return true;
        }
        if matches!(c, '"' | '\'' | '`') {
            self.quote = Some(c);
        }
        false
    }
}

/// The links of a chain: (separator before it, `""`, `"."` or `"?."`; its text), split at the `.`s that are not
/// inside brackets or strings.
fn links(line: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let (mut depth, mut strings) = (0i32, Strings::default());
    let (mut start, mut sep) = (0, "");
    let bytes = line.as_bytes();
    for (i, c) in line.char_indices() {
        if strings.inside(c) {
            continue;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            // `a.b`, `a?.b`; not `..` (a range or a spread) nor a number's `1.5`
            '.' if depth == 0 && bytes.get(i + 1) != Some(&b'.') && i > 0 && bytes[i - 1] != b'.' => {
                let number = bytes[..i].iter().rev().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').all(u8::is_ascii_digit)
                    && bytes[i - 1].is_ascii_digit();
                if number {
                    continue;
                }
                let optional = bytes[i - 1] == b'?';
                let end = if optional { i - 1 } else { i };
                out.push((sep, &line[start..end]));
                sep = if optional { "?." } else { "." };
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((sep, &line[start..]));
    out
}

/// A link with each top-level argument list longer than [`ARGUMENT_CHARS`], or holding a callback or a block, shown as
/// `(…)`.
fn short_arguments(link: &str) -> String {
    let mut out = String::new();
    let (mut depth, mut strings) = (0usize, Strings::default());
    let mut open = 0;
    for (i, c) in link.char_indices() {
        if strings.inside(c) {
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '(' => {
                if depth == 0 {
                    open = i;
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    // `f( a, b, )` of a multi-line call put on one line: `f(a, b)`
                    let inner = link[open + 1..i].trim().trim_end_matches(',').trim_end();
                    let callback = inner.contains("=>") || inner.contains("function") || inner.contains('{') || inner.contains('|');
                    if callback || inner.chars().count() > ARGUMENT_CHARS {
                        out.push_str("(…)");
                    } else {
                        out.push('(');
                        out.push_str(inner);
                        out.push(')');
                    }
                }
                continue;
            }
            _ => {}
        }
        if depth == 0 {
            out.push(c);
        }
    }
    if depth > 0 {
        // an unclosed list (cut code): keep what came
        out.push_str(&link[open..]);
    }
    out
}

/// `word` with its indefinite article: `an amqplib`, `a kafkajs`, `a BullMQ` (by its first letter).
pub fn with_article(word: &str) -> String {
    let vowel = word.chars().next().is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} {word}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_are_named_by_their_links() {
        assert_eq!(chain("fs.promises.access"), "fs.promises.access");
        assert_eq!(chain("fs.promises\n  .access"), "fs.promises.access");
        assert_eq!(chain("trace.getTracer('x').startActiveSpan"), "trace.getTracer('x').startActiveSpan");
        assert_eq!(chain("trace.getTracer(PACKAGE_NAME, PACKAGE_VERSION).startActiveSpan"), "trace.getTracer(…).startActiveSpan");
        assert_eq!(chain("asyncConsume(\n  stream,\n  handler,\n).then"), "asyncConsume(stream, handler).then");
        assert_eq!(chain("this.client?.producer.send"), "this.client?.producer.send");
        assert_eq!(chain("a.b('x.y(z')"), "a.b('x.y(z')");
        assert_eq!(chain("thread::Builder::new().name(\"greeter\".into()).spawn"), "thread::Builder::new().name(\"greeter\".into()).spawn");
        assert_eq!(chain("Promise.all"), "Promise.all");
        assert_eq!(chain("new Promise"), "new Promise");
        let long = "this.services.messaging.kafka.clients.primary.producerForTopic(topic).send";
        assert_eq!(chain(long), "….kafka.clients.primary.producerForTopic(topic).send");
        assert_eq!(chain("fetch(url)\n  .then((r) => r.json())\n  .finally"), "fetch(url).then(…).finally");
        assert!(chain(&format!("{}.x", "a".repeat(100))).chars().count() <= CHAIN_CHARS + 1);
    }

    #[test]
    fn articles() {
        assert_eq!(with_article("amqplib"), "an amqplib");
        assert_eq!(with_article("kafkajs"), "a kafkajs");
        assert_eq!(with_article("BullMQ"), "a BullMQ");
    }
}
