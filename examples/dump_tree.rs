//! Prints the tree-sitter syntax tree of a file: a helper for writing rule queries.
//! Usage: `cargo run --example dump_tree -- FILE`
use std::{env, fs, process::ExitCode};

fn main() -> ExitCode {
    let Some(path) = env::args().nth(1) else {
        eprintln!("usage: dump_tree FILE");
        return ExitCode::from(2);
    };
    let source = match fs::read(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let ext = path.rsplit('.').next().unwrap_or("");
    let language: tree_sitter::Language = match ext {
        "js" | "mjs" | "cjs" | "jsx" => tree_sitter_javascript::LANGUAGE.into(),
        "ts" | "mts" | "cts" => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        "tsx" => tree_sitter_typescript::LANGUAGE_TSX.into(),
        "py" | "pyi" => tree_sitter_python::LANGUAGE.into(),
        "rs" => tree_sitter_rust::LANGUAGE.into(),
        _ => {
            eprintln!("error: unknown extension .{ext}");
            return ExitCode::from(2);
        }
    };
    let mut parser = tree_sitter::Parser::new();
    if let Err(e) = parser.set_language(&language) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    match parser.parse(&source, None) {
        Some(tree) => {
            let mut cursor = tree.walk();
            let mut depth = 0usize;
            loop {
                let node = cursor.node();
                let field = cursor.field_name().map(|f| format!("{f}: ")).unwrap_or_default();
                if node.is_named() {
                    let text =
                        if node.child_count() == 0 { format!(" {:?}", node.utf8_text(&source).unwrap_or("")) } else { String::new() };
                    println!("{:indent$}{field}{} [{}]{text}", "", node.kind(), node.start_position().row + 1, indent = depth * 2);
                }
                if cursor.goto_first_child() {
                    depth += 1;
                    continue;
                }
                loop {
                    if cursor.goto_next_sibling() {
                        break;
                    }
                    if !cursor.goto_parent() {
                        return ExitCode::SUCCESS;
                    }
                    depth -= 1;
                }
            }
        }
        None => ExitCode::from(2),
    }
}
