//! The languages ctxlint reads: file extensions, tree-sitter grammars and comment syntax, as one table.
use std::{fmt, path::Path};

/// A grammar ctxlint parses with. TypeScript and TSX are separate grammars of one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    JavaScript,
    TypeScript,
    Tsx,
    Python,
    Rust,
}

/// Languages that share rules, semantics and comment syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Js,
    Python,
    Rust,
}

struct LangInfo {
    lang: Lang,
    name: &'static str,
    extensions: &'static [&'static str],
    family: Family,
}

const TABLE: &[LangInfo] = &[
    LangInfo { lang: Lang::JavaScript, name: "javascript", extensions: &["js", "mjs", "cjs", "jsx"], family: Family::Js },
    LangInfo { lang: Lang::TypeScript, name: "typescript", extensions: &["ts", "mts", "cts"], family: Family::Js },
    LangInfo { lang: Lang::Tsx, name: "tsx", extensions: &["tsx"], family: Family::Js },
    LangInfo { lang: Lang::Python, name: "python", extensions: &["py", "pyi"], family: Family::Python },
    LangInfo { lang: Lang::Rust, name: "rust", extensions: &["rs"], family: Family::Rust },
];

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::JavaScript, Lang::TypeScript, Lang::Tsx, Lang::Python, Lang::Rust];

    fn info(self) -> &'static LangInfo {
        TABLE.iter().find(|i| i.lang == self).expect("every Lang has a table row")
    }

    /// The name used in rule files and query folders (`javascript`, `typescript`, `tsx`, `python`, `rust`).
    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn family(self) -> Family {
        self.info().family
    }

    pub fn from_name(name: &str) -> Option<Lang> {
        TABLE.iter().find(|i| i.name == name).map(|i| i.lang)
    }

    /// The language of a path, by its extension (case-sensitive, as compilers treat them).
    pub fn from_path(path: &Path) -> Option<Lang> {
        let ext = path.extension()?.to_str()?;
        TABLE.iter().find(|i| i.extensions.contains(&ext)).map(|i| i.lang)
    }

    /// The language a `#!` line names (`#!/usr/bin/env python3`, `#!/usr/bin/node`, `#!/usr/bin/env -S deno run`),
    /// for text that comes without a file name.
    pub fn from_shebang(text: &[u8]) -> Option<Lang> {
        let line = text.strip_prefix(b"#!")?;
        let line = &line[..line.iter().position(|&b| b == b'\n').unwrap_or(line.len())];
        let line = std::str::from_utf8(line).ok()?;
        let mut words = line.split_whitespace().map(|w| w.rsplit('/').next().unwrap_or(w));
        let mut program = words.next()?;
        if program == "env" {
            program = words.find(|w| !w.starts_with('-'))?;
        }
        let program = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        match program {
            "python" | "pypy" => Some(Lang::Python),
            "node" | "nodejs" | "bun" => Some(Lang::JavaScript),
            "deno" | "ts-node" | "tsx" => Some(Lang::TypeScript),
            _ => None,
        }
    }

    pub fn grammar(self) -> tree_sitter::Language {
        match self {
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::Rust => tree_sitter_rust::LANGUAGE.into(),
        }
    }

    /// Languages whose queries a language may borrow when it has none of its own: TypeScript's grammar is a
    /// superset of JavaScript's, so a JavaScript query compiles against it.
    pub fn query_fallbacks(self) -> &'static [Lang] {
        match self {
            Lang::TypeScript | Lang::Tsx => &[Lang::JavaScript],
            _ => &[],
        }
    }

    /// The comment node kinds of the grammar.
    pub fn is_comment_kind(self, kind: &str) -> bool {
        match self.family() {
            Family::Js | Family::Python => kind == "comment",
            Family::Rust => kind == "line_comment" || kind == "block_comment",
        }
    }

    /// What starts a comment that runs to the end of its line: `#` or `//`.
    pub fn line_comment(self) -> &'static str {
        match self.family() {
            Family::Python => "#",
            Family::Js | Family::Rust => "//",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every extension ctxlint reads, for messages.
pub fn known_extensions() -> Vec<&'static str> {
    TABLE.iter().flat_map(|i| i.extensions.iter().copied()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebang_lines_name_the_language() {
        assert_eq!(Lang::from_shebang(b"#!/usr/bin/env python3\nimport x\n"), Some(Lang::Python));
        assert_eq!(Lang::from_shebang(b"#!/usr/local/bin/python3.11\n"), Some(Lang::Python));
        assert_eq!(Lang::from_shebang(b"#!/usr/bin/node\n"), Some(Lang::JavaScript));
        assert_eq!(Lang::from_shebang(b"#!/usr/bin/env -S deno run\n"), Some(Lang::TypeScript));
        assert_eq!(Lang::from_shebang(b"#!/bin/sh\n"), None);
        assert_eq!(Lang::from_shebang(b"import os\n"), None);
    }

    /// tree-sitter ABI mismatches only show at run time, in `set_language`: load every grammar.
    #[test]
    fn every_grammar_loads_and_parses() {
        let samples = [
            (Lang::JavaScript, "const a = () => 1;"),
            (Lang::TypeScript, "const a: number = 1;"),
            (Lang::Tsx, "const a = <div>{1}</div>;"),
            (Lang::Python, "def f():\n    return 1\n"),
            (Lang::Rust, "fn main() { let a = 1; }"),
        ];
        for (lang, code) in samples {
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(&lang.grammar()).unwrap_or_else(|e| panic!("{lang}: {e}"));
            let tree = parser.parse(code, None).expect("a tree");
            assert!(!tree.root_node().has_error(), "{lang} sample has a parse error");
        }
    }

    #[test]
    fn extensions_map_to_languages() {
        for (file, lang) in [
            ("a.js", Lang::JavaScript),
            ("a.mjs", Lang::JavaScript),
            ("a.cjs", Lang::JavaScript),
            ("a.jsx", Lang::JavaScript),
            ("a.ts", Lang::TypeScript),
            ("a.mts", Lang::TypeScript),
            ("a.cts", Lang::TypeScript),
            ("a.tsx", Lang::Tsx),
            ("a.py", Lang::Python),
            ("a.pyi", Lang::Python),
            ("a.rs", Lang::Rust),
        ] {
            assert_eq!(Lang::from_path(Path::new(file)), Some(lang), "{file}");
        }
        assert_eq!(Lang::from_path(Path::new("a.txt")), None);
        assert_eq!(Lang::from_path(Path::new("Makefile")), None);
    }
}
