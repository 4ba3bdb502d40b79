//! The layers of docs/architecture.md hold: every module of `src/` is placed in the table there, and imports only
//! from lower layers (its tests excepted).
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Module → layer, read from the table of docs/architecture.md (rows `| <n> | `mod` `mod` | ... |`).
fn layers() -> BTreeMap<String, usize> {
    let doc = std::fs::read_to_string("docs/architecture.md").expect("docs/architecture.md");
    let mut out = BTreeMap::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(layer) = cells.get(1).and_then(|c| c.parse::<usize>().ok()) else { continue };
        for module in cells[2].split('`').skip(1).step_by(2) {
            assert!(out.insert(module.replace("::", "/"), layer).is_none(), "{module} is in two layers");
        }
    }
    assert!(out.len() > 20, "the layer table was not found");
    out
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a source file belongs to, as the table names it: `src/checks/py_x.rs` → `checks`,
/// `src/fix/apply.rs` → `fix/apply`, `src/fix/mod.rs` → `fix`.
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix("src").ok()?.with_extension("");
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).filter(|p| p != "mod").collect();
    match parts.as_slice() {
        [one] if one == "lib" || one == "main" => None,
        [top, sub, ..] if top == "fix" => Some(format!("fix/{sub}")),
        [top, ..] => Some(top.clone()),
        [] => None,
    }
}

/// `crate::a::b` paths in the code (a file's `#[cfg(test)] mod` at its end is left out).
fn imports(text: &str) -> Vec<String> {
    let code = text.find("#[cfg(test)]\nmod").map_or(text, |at| &text[..at]);
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let after = &rest[name.len()..];
        let sub: String = after.strip_prefix("::").unwrap_or("").chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        out.push(if name == "fix" && (sub == "apply" || sub == "write") { format!("fix/{sub}") } else { name });
    }
    out
}

#[test]
fn every_import_runs_down_a_layer() {
    let layers = layers();
    let mut files = Vec::new();
    sources(Path::new("src"), &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in &files {
        let Some(module) = module_of(file) else { continue };
        if file.ends_with("registry/tests.rs") {
            continue;
        }
        let Some(&layer) = layers.get(&module) else {
            problems.push(format!("{}: module `{module}` is not in the layer table of docs/architecture.md", file.display()));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("source");
        for target in imports(&text) {
            let top = module.split('/').next().unwrap_or(&module);
            if target == module || target == top {
                continue;
            }
            match layers.get(&target) {
                Some(&t) if t < layer => {}
                Some(&t) => problems.push(format!("{}: `{module}` (layer {layer}) imports `{target}` (layer {t})", file.display())),
                None => problems.push(format!("{}: imports `{target}`, which the layer table does not place", file.display())),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The check itself: an import up a layer is caught.
#[test]
fn an_upward_import_is_reported() {
    assert_eq!(
        imports("use crate::run::Report;\nuse crate::fix::apply::Policy;\n#[cfg(test)]\nmod tests { use crate::cli; }"),
        ["run", "fix/apply"]
    );
    assert_eq!(module_of(Path::new("src/fix/write.rs")).as_deref(), Some("fix/write"));
    assert_eq!(module_of(Path::new("src/checks/py_x.rs")).as_deref(), Some("checks"));
    assert_eq!(module_of(Path::new("src/fix/mod.rs")).as_deref(), Some("fix"));
}

/// The rules' checks are declared by the `mod` lines build.rs generates, which `cargo fmt` does not follow: check
/// their formatting here (`cargo fmt -- src/checks/*.rs` formats them).
#[test]
fn the_checks_are_formatted() {
    let mut files: Vec<PathBuf> = std::fs::read_dir("src/checks")
        .expect("src/checks")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let out = std::process::Command::new("rustfmt")
        .args(["--check", "--edition", "2021"])
        .args(&files)
        .output()
        .expect("rustfmt runs (rustup component add rustfmt)");
    assert!(out.status.success(), "run `cargo fmt -- src/checks/*.rs`:\n{}", String::from_utf8_lossy(&out.stdout));
}
