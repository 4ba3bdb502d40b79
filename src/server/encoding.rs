//! LSP positions and byte offsets, in the negotiated encoding: UTF-8 (bytes) when the client offers it, else UTF-16
//! code units (an astral-plane character counts two); lines end at `\n`, `\r\n` or a lone `\r`, as the protocol says.
use gen_lsp_types::{Position, Range};

use crate::position::LineIndex;

/// How a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client lists it in `general.positionEncodings`, else the protocol's default, UTF-16.
    pub fn negotiate(capabilities: &serde_json::Value) -> Encoding {
        let offered = capabilities.pointer("/general/positionEncodings").and_then(|v| v.as_array());
        if offered.is_some_and(|kinds| kinds.iter().any(|k| k.as_str() == Some("utf-8"))) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    /// The name the protocol gives it (`positionEncoding` of the server's capabilities).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        }
    }

    /// The length of `text` in this encoding's units.
    pub fn len(self, text: &str) -> u32 {
        to_u32(text.chars().map(|c| self.units(c)).sum())
    }

    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// One text's line starts, to turn byte offsets into positions and back.
pub struct PositionMap<'t> {
    text: &'t str,
    lines: LineIndex,
    encoding: Encoding,
}

impl<'t> PositionMap<'t> {
    pub fn new(text: &'t str, encoding: Encoding) -> Self {
        PositionMap { text, lines: LineIndex::new(text), encoding }
    }

    /// The position of a byte offset (clamped to the text, and down to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let offset = crate::position::floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.lines.line_of(offset);
        let start = self.lines.line_start(line);
        let character: usize = self.text[start..offset].chars().map(|c| self.encoding.units(c)).sum();
        Position { line: to_u32(line), character: to_u32(character) }
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    pub fn range(&self, range: &std::ops::Range<usize>) -> Range {
        Range { start: self.position(range.start), end: self.position(range.end) }
    }

    /// The byte offset of a position: a character past the end of its line is the line's end (before its line
    /// ending), a line past the last one is the end of the text; a position inside a character is that character's
    /// start.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line > self.lines.line_of(self.text.len()) {
            return self.text.len();
        }
        let start = self.lines.line_start(line);
        let end = self.line_end(line);
        let mut units = 0;
        for (at, c) in self.text[start..end].char_indices() {
            let next = units + self.encoding.units(c);
            if next > position.character as usize {
                return start + at;
            }
            units = next;
        }
        end
    }

    /// The byte offset where `line` ends, before its line ending.
    fn line_end(&self, line: usize) -> usize {
        let next = if line + 1 > self.lines.line_of(self.text.len()) { self.text.len() } else { self.lines.line_start(line + 1) };
        let body = &self.text[self.lines.line_start(line)..next];
        next - (body.len() - body.trim_end_matches(['\n', '\r']).len()).min(2)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn astral_characters_count_two_utf16_units_and_four_bytes() {
        let text = "a😀b\n";
        let utf16 = PositionMap::new(text, Encoding::Utf16);
        assert_eq!(utf16.position(5), pos(0, 3)); // after the emoji: a(1) + 😀(2)
        assert_eq!(utf16.offset(pos(0, 3)), 5);
        // inside the surrogate pair: the emoji's start
        assert_eq!(utf16.offset(pos(0, 2)), 1);
        let utf8 = PositionMap::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(5), pos(0, 5));
        assert_eq!(utf8.offset(pos(0, 5)), 5);
    }

    #[test]
    fn crlf_lone_cr_and_a_bom() {
        let text = "\u{feff}x\r\ny\rz";
        let map = PositionMap::new(text, Encoding::Utf16);
        // the BOM is one UTF-16 unit (three bytes) of the first line
        assert_eq!(map.position(3), pos(0, 1));
        assert_eq!(map.position(6), pos(1, 0));
        assert_eq!(map.position(8), pos(2, 0));
        // past the end of a line: before its CRLF, not between CR and LF
        assert_eq!(map.offset(pos(0, 99)), 4);
        assert_eq!(map.offset(pos(1, 99)), 7);
        assert_eq!(map.offset(pos(9, 0)), text.len());
        let utf8 = PositionMap::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(4), pos(0, 4));
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        let offered = serde_json::json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}});
        assert_eq!(Encoding::negotiate(&offered), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(&serde_json::json!({"general": {"positionEncodings": ["utf-32"]}})), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(&serde_json::json!({})), Encoding::Utf16);
    }
}
