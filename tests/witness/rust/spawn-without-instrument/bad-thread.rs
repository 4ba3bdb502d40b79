//! rs/spawn-without-instrument, bad: a thread spawned inside a request's span runs without it, so the span it creates
//! is a new trace.
use std::thread;

use ctxlint_witness::{expect, init, parent_of};
use tracing::info_span;

fn main() {
    init();
    {
        let _request = info_span!("request").entered();
        thread::spawn(|| { // expect: rs/spawn-without-instrument
            let _child = info_span!("child").entered();
        })
        .join()
        .expect("thread runs");
    }
    expect(parent_of("child") == "ROOT", "the spawned thread's span is a new trace (ROOT)");
}
