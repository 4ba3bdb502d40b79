//! The fix applier on arbitrary sources: every produced fix (safe and unsafe) is applied to a fixed point; the result
//! must still parse when the input did, and fixing it again must change nothing.
#![no_main]
use std::path::Path;

use ctxlint::config::Discovery;
use ctxlint::engine::Workspace;
use ctxlint::fix::Policy;
use ctxlint::jsmodel::JsModelChoice;
use ctxlint::lang::Lang;
use ctxlint::run::{lint_stdin, FixOptions, RunOptions};
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 5] = ["f.js", "f.ts", "f.tsx", "f.py", "f.rs"];

fn parses(lang: Lang, text: &str) -> bool {
    Workspace::default().parse(lang, text).map(|t| !t.root_node().has_error()).unwrap_or(false)
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let path = Path::new(FILES[usize::from(pick) % FILES.len()]);
    let Some(lang) = Lang::from_path(path) else { return };
    let options = RunOptions {
        discovery: Discovery::Isolated,
        js_model: if pick & 0x80 == 0 { JsModelChoice::Stack } else { JsModelChoice::AsyncLocalStorage },
        fix: FixOptions { apply: true, policy: Policy { unsafe_fixes: true } },
        ..RunOptions::default()
    };
    let Ok(first) = lint_stdin(path, text.to_string(), &options) else { return };
    let Some(fixed) = first.fixed.first() else { return };
    if parses(lang, text) {
        assert!(parses(lang, &fixed.text), "the fixes broke the parse:\n{}", fixed.text);
    }
    if first.notices.iter().any(|n| n.contains("did not settle")) {
        return;
    }
    let second = lint_stdin(path, fixed.text.clone(), &options).expect("lints");
    assert!(second.fixed.is_empty(), "fixing twice changed it again:\n{}\n---\n{}", fixed.text, second.fixed[0].text);
});
