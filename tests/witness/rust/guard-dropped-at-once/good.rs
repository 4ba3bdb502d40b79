//! rs/guard-dropped-at-once, good: a named guard (`let _guard = span.enter()`) keeps the span entered to the end of
//! the block, and so does a named `attach()` guard for an OpenTelemetry context (the bad program's shapes, named).
use ctxlint_witness::{expect, init, parent_of};
use opentelemetry::trace::{TraceContextExt, Tracer, TracerProvider as _};
use opentelemetry::Context;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::info_span;

fn main() {
    init();
    {
        let span = info_span!("request");
        let _guard = span.enter();
        let _child = info_span!("after_let_underscore");
    }
    {
        let _entered = info_span!("entered").entered();
        let _child = info_span!("after_entered");
    }
    {
        let span = info_span!("statement");
        let _guard = span.enter();
        let _child = info_span!("after_statement");
    }
    let tracer = SdkTracerProvider::builder().build().tracer("witness");
    let cx = Context::current_with_span(tracer.start("otel_request"));
    let _attached = cx.attach();
    let attached = Context::current().has_active_span();
    expect(parent_of("after_let_underscore") == "request" && parent_of("after_entered") == "entered" && parent_of("after_statement") == "statement" && attached, "a span created after a named guard (`let _guard = span.enter()`, `let _entered = span.entered()`) is its child, and a named `cx.attach()` guard keeps the context current");
}
