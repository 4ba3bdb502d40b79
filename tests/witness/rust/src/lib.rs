//! Shared setup of the Rust witnesses: `tracing` spans exported through `tracing-opentelemetry` to the SDK's
//! in-memory exporter, a lookup of each finished span's parent, and the assertion helper. A witness exits 0 when the
//! runtime behaves as its rule says and 1 otherwise.
use std::sync::OnceLock;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::Registry;

static EXPORTER: OnceLock<InMemorySpanExporter> = OnceLock::new();
static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();

/// Installs the global subscriber; call once at the start of `main`.
pub fn init() {
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder().with_simple_exporter(exporter.clone()).build();
    let subscriber = Registry::default().with(tracing_opentelemetry::layer().with_tracer(provider.tracer("ctxlint-witness")));
    tracing::subscriber::set_global_default(subscriber).expect("no other subscriber is installed");
    EXPORTER.set(exporter).ok();
    PROVIDER.set(provider).ok();
}

fn finished() -> Vec<SpanData> {
    EXPORTER.get().expect("init() was called").get_finished_spans().unwrap_or_default()
}

/// The name of the finished span `name`'s parent: `ROOT` for none, `<not finished>` when `name` never finished.
pub fn parent_of(name: &str) -> String {
    let spans = finished();
    let Some(child) = spans.iter().find(|s| s.name == name) else { return "<not finished>".into() };
    if child.parent_span_id == opentelemetry::trace::SpanId::INVALID {
        return "ROOT".into();
    }
    spans.iter().find(|s| s.span_context.span_id() == child.parent_span_id).map_or_else(|| "<unknown>".into(), |p| p.name.to_string())
}

/// Exits 0 if the runtime fact `claim` holds, 1 otherwise.
pub fn expect(holds: bool, claim: &str) -> ! {
    let program = std::env::args().next().unwrap_or_default();
    let program = program.rsplit('/').next().unwrap_or_default();
    if holds {
        println!("witness ok: {program}: {claim}");
        std::process::exit(0);
    }
    eprintln!("WITNESS FAILED: {program}: expected that {claim}");
    std::process::exit(1);
}
