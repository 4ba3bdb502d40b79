//! The suppression-comment parser on arbitrary comment text: every directive's ranges stay inside the comment.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for parsed in ctxlint::suppress::parse_comment(text, 0) {
        assert!(parsed.range.start <= parsed.range.end && parsed.range.end <= text.len(), "{parsed:?} outside {text:?}");
        assert!(text.get(parsed.range.clone()).is_some(), "{parsed:?} splits a character of {text:?}");
    }
});
