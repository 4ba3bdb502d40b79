//! The benchmark's baseline: read and tree-sitter-parse every file ctxlint would walk, and nothing else (no trigger
//! words, no size limit, no rules), with one parser set per walker thread, as ctxlint does.
//! Usage: `cargo run --release --example parse_all -- [--threads N] PATH...`
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

use ctxlint::engine::Workspace;
use ctxlint::walk;

fn main() -> ExitCode {
    let mut threads = 0;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--threads" {
            match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => threads = n,
                None => {
                    eprintln!("usage: parse_all [--threads N] PATH...");
                    return ExitCode::from(2);
                }
            }
        } else {
            paths.push(PathBuf::from(arg));
        }
    }
    if paths.is_empty() {
        eprintln!("usage: parse_all [--threads N] PATH...");
        return ExitCode::from(2);
    }
    let (named, dirs) = walk::explicit(&paths);
    let (files, bytes, errors) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    let parse = |ws: &mut Workspace, path: PathBuf, lang| match std::fs::read(&path) {
        Ok(b) => {
            let text = String::from_utf8_lossy(&b);
            // no time budget: the baseline parses everything to the end
            if ws.parse_within(lang, &text, std::time::Duration::from_secs(3600)).is_err() {
                errors.fetch_add(1, Ordering::Relaxed);
            }
            files.fetch_add(1, Ordering::Relaxed);
            bytes.fetch_add(b.len() as u64, Ordering::Relaxed);
        }
        Err(_) => {
            errors.fetch_add(1, Ordering::Relaxed);
        }
    };
    let mut ws = Workspace::default();
    for (path, lang) in named.files {
        parse(&mut ws, path, lang);
    }
    let walk_errors = walk::walk_dirs(&dirs, threads, Workspace::default, |ws, path, lang| parse(ws, path, lang));
    println!(
        "parsed {} files, {:.1} MB ({} could not be read or parsed)",
        files.load(Ordering::Relaxed),
        bytes.load(Ordering::Relaxed) as f64 / 1e6,
        errors.load(Ordering::Relaxed) + walk_errors.len() as u64
    );
    ExitCode::SUCCESS
}
