//! rs/spawn-without-instrument, good: the request's span, bound before the spawn and entered first in the closure,
//! is the parent of the thread's span.
use std::thread;

use ctxlint_witness::{expect, init, parent_of};
use tracing::{info_span, Span};

fn main() {
    init();
    {
        let _request = info_span!("request").entered();
        let span = Span::current();
        thread::spawn(|| {
            let _guard = span.entered();
            let _child = info_span!("child").entered();
        })
        .join()
        .expect("thread runs");
    }
    expect(parent_of("child") == "request", "the spawned thread's span is a child of `request`");
}
