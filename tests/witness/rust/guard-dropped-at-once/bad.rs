//! rs/guard-dropped-at-once, bad: `let _ = span.enter()`, `let _ = span.entered()`, `span.enter();` and
//! `let _ = cx.attach()` drop the guard at once, so the spans created on the next line have no parent.
use ctxlint_witness::{expect, init, parent_of};
use opentelemetry::trace::{TraceContextExt, Tracer, TracerProvider as _};
use opentelemetry::Context;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::info_span;

fn main() {
    init();
    {
        let span = info_span!("request");
        let _ = span.enter(); // expect: rs/guard-dropped-at-once
        let _child = info_span!("after_let_underscore");
    }
    {
        let _ = info_span!("entered").entered(); // expect: rs/guard-dropped-at-once
        let _child = info_span!("after_entered");
    }
    {
        let span = info_span!("statement");
        span.enter(); // expect: rs/guard-dropped-at-once
        let _child = info_span!("after_statement");
    }
    let tracer = SdkTracerProvider::builder().build().tracer("witness");
    let cx = Context::current_with_span(tracer.start("otel_request"));
    let _ = cx.attach(); // expect: rs/guard-dropped-at-once
    let attached = Context::current().has_active_span();
    expect(parent_of("after_let_underscore") == "ROOT" && parent_of("after_entered") == "ROOT" && parent_of("after_statement") == "ROOT" && !attached, "a span created after `let _ = span.enter()` / `let _ = span.entered()` / `span.enter();` is a root, and after `let _ = cx.attach()` no context is current");
}
