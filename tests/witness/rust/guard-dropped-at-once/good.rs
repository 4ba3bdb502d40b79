//! rs/guard-dropped-at-once, good: a named guard (`let _guard = span.enter()`) keeps the span entered to the end of
//! the block, and so does a named `attach()` guard for an OpenTelemetry context.
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
        let _child = info_span!("after_named_guard");
    }
    {
        let _entered = info_span!("entered").entered();
        let _child = info_span!("after_entered");
    }
    let tracer = SdkTracerProvider::builder().build().tracer("witness");
    let cx = Context::current_with_span(tracer.start("otel_request"));
    let _attached = cx.attach();
    let attached = Context::current().has_active_span();
    expect(
        parent_of("after_named_guard") == "request" && parent_of("after_entered") == "entered" && attached,
        "a span created after `let _guard = span.enter()` / `let _entered = span.entered()` is its child, and a named \
         `cx.attach()` guard keeps the context current",
    );
}
