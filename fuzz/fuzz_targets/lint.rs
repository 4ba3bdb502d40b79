//! Parse + every rule (the opt-in ones too) on arbitrary bytes: the first byte picks the language and the JS context
//! manager, the rest is the file (invalid UTF-8 replaced, as the linter does). Must never panic.
#![no_main]
use std::collections::HashSet;
use std::path::Path;

use ctxlint::config::Discovery;
use ctxlint::jsmodel::JsModelChoice;
use ctxlint::run::{lint_text, RunOptions};
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 8] = ["f.js", "f.mjs", "f.ts", "f.tsx", "f.py", "f.rs", "f.jsx", "f.pyi"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let path = Path::new(FILES[usize::from(pick) % FILES.len()]);
    let text = String::from_utf8_lossy(rest);
    let mut options = RunOptions { discovery: Discovery::Isolated, ..RunOptions::default() };
    options.js_model = if pick & 0x80 == 0 { JsModelChoice::Stack } else { JsModelChoice::AsyncLocalStorage };
    let all: HashSet<String> = ctxlint::registry::builtin().expect("rules load").rules.iter().map(|r| r.id.to_string()).collect();
    options.engine.enabled = Some(all);
    options.engine.prefilter = pick & 0x40 == 0;
    if let Ok(findings) = lint_text(path, &text, &options) {
        for f in &findings {
            assert!(f.range.start <= f.range.end && f.range.end <= text.len(), "{}: range {:?} outside the text", f.rule, f.range);
            assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end), "{}: range splits a character", f.rule);
        }
    }
});
