//! The configuration loader on arbitrary TOML, as ctxlint.toml and as pyproject.toml: errors, never a panic.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let path = Path::new(if pick & 1 == 0 { "ctxlint.toml" } else { "pyproject.toml" });
    let registry = ctxlint::registry::builtin().expect("rules load");
    if let Err(e) = ctxlint::config::settings_from_text(path, text.to_string(), registry) {
        // a diagnostic must point inside the file it shows
        if let Some(span) = e.span {
            assert!(span.start <= span.end && span.end <= e.source.len(), "span {span:?} outside {} bytes", e.source.len());
        }
    }
});
