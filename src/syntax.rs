//! Small helpers over tree-sitter nodes and source text: node text, ancestors, a non-recursive pre-order walk, line
//! indentation and endings, and paths written without white space.
use tree_sitter::{Node, TreeCursor};

/// The source text of a node (empty if the range is not valid UTF-8, which cannot happen for `&str` sources).
pub fn text<'s>(node: Node<'_>, source: &'s str) -> &'s str {
    source.get(node.byte_range()).unwrap_or("")
}

/// The node's ancestors, nearest first.
pub fn ancestors(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    std::iter::successors(node.parent(), |n| n.parent())
}

/// The root of the tree a node belongs to.
pub fn root(node: Node<'_>) -> Node<'_> {
    ancestors(node).last().unwrap_or(node)
}

/// The named children of a node.
pub fn named_children<'t>(node: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    (0..node.named_child_count()).filter_map(move |i| node.named_child(i))
}

/// True when `inner` lies inside `outer` (or is it).
pub fn contains(outer: Node<'_>, inner: Node<'_>) -> bool {
    outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
}

/// Unwraps parentheses around an expression (`(a)` → `a`).
pub fn unparen(mut node: Node<'_>) -> Node<'_> {
    while matches!(node.kind(), "parenthesized_expression") {
        match node.named_child(0) {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// A pre-order walk of a subtree that never recurses, so deeply nested input cannot overflow the stack.
/// Call [`Preorder::skip_children`] after receiving a node to not descend into it.
pub struct Preorder<'t> {
    cursor: TreeCursor<'t>,
    root_id: usize,
    started: bool,
    done: bool,
    skip: bool,
}

impl<'t> Preorder<'t> {
    pub fn new(root: Node<'t>) -> Self {
        Preorder { cursor: root.walk(), root_id: root.id(), started: false, done: false, skip: false }
    }

    /// Do not descend into the node returned last.
    pub fn skip_children(&mut self) {
        self.skip = true;
    }
}

impl<'t> Iterator for Preorder<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        if self.done {
            return None;
        }
        if !self.started {
            self.started = true;
            return Some(self.cursor.node());
        }
        let skip = std::mem::take(&mut self.skip);
        if !skip && self.cursor.goto_first_child() {
            return Some(self.cursor.node());
        }
        loop {
            if self.cursor.node().id() == self.root_id {
                self.done = true;
                return None;
            }
            if self.cursor.goto_next_sibling() {
                return Some(self.cursor.node());
            }
            if !self.cursor.goto_parent() {
                self.done = true;
                return None;
            }
        }
    }
}

/// The named descendants of `root` (itself included) for which `pred` holds, in pre-order, lazily, not descending
/// into nodes for which `stop` holds (those are still tested themselves unless they are the root).
pub fn descendants_where<'t>(
    root: Node<'t>,
    mut stop: impl FnMut(Node<'t>) -> bool,
    mut pred: impl FnMut(Node<'t>) -> bool,
) -> impl Iterator<Item = Node<'t>> {
    let mut walk = Preorder::new(root);
    std::iter::from_fn(move || {
        while let Some(node) = walk.next() {
            if node.id() != root.id() && stop(node) {
                walk.skip_children();
                continue;
            }
            if node.is_named() && pred(node) {
                return Some(node);
            }
        }
        None
    })
}

/// Every matching descendant: see [`descendants_where`].
pub fn find_all<'t>(root: Node<'t>, stop: impl FnMut(Node<'t>) -> bool, pred: impl FnMut(Node<'t>) -> bool) -> Vec<Node<'t>> {
    descendants_where(root, stop, pred).collect()
}

/// The first matching descendant in pre-order: see [`descendants_where`].
pub fn find_first<'t>(root: Node<'t>, stop: impl FnMut(Node<'t>) -> bool, pred: impl FnMut(Node<'t>) -> bool) -> Option<Node<'t>> {
    descendants_where(root, stop, pred).next()
}

/// The statement-level indentation (leading spaces/tabs) of the line that holds `offset`.
pub fn line_indent(source: &str, offset: usize) -> &str {
    let start = source[..offset.min(source.len())].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let rest = &source[start..];
    let len = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    &rest[..len]
}

/// The line ending the file mostly uses: that of its first line (`\r\n`, a lone `\r` as in old Mac files, or `\n`).
pub fn line_ending(source: &str) -> &'static str {
    match source.find(['\n', '\r']) {
        Some(i) if source.as_bytes()[i] == b'\r' && source.as_bytes().get(i + 1) == Some(&b'\n') => "\r\n",
        Some(i) if source.as_bytes()[i] == b'\r' => "\r",
        _ => "\n",
    }
}

/// Where the text of a file starts: after its UTF-8 byte order mark, if any (a new first line goes there, never
/// before the mark).
pub fn text_start(source: &str) -> usize {
    if source.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// A path's text without white space, as it is written across lines or with spaces (`a . b` → `a.b`,
/// `std :: sync` → `std::sync`).
pub fn compact(path: &str) -> String {
    path.chars().filter(|c| !c.is_whitespace()).collect()
}
