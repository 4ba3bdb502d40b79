//! Embeds every rule file under `rules/` and every query under `queries/` into the binary, so that the installed
//! `ctxlint` is self-contained. The generated table is `(relative path, contents)` pairs, sorted by path.
use std::{env, fs, io, path::Path, path::PathBuf};

fn collect(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) -> io::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, ext, out)?;
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> io::Result<()> {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=queries");
    let mut files = Vec::new();
    collect(&root.join("rules"), "toml", &mut files)?;
    collect(&root.join("queries"), "scm", &mut files)?;
    files.sort();
    let mut code = String::from("/// Rule and query files embedded at build time: (path relative to the crate root, contents).\npub static EMBEDDED: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(&root).expect("collected under the root").to_string_lossy().replace('\\', "/");
        code.push_str(&format!("    ({rel:?}, include_str!({:?})),\n", file.display().to_string()));
    }
    code.push_str("];\n");
    fs::write(PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs"), code)
}
