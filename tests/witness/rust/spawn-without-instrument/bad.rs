//! rs/spawn-without-instrument, bad: a task spawned inside an instrumented request runs without its span, so the
//! span it creates is a new trace.
use ctxlint_witness::{expect, init, parent_of};
use tracing::{info_span, Instrument};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    init();
    async {
        tokio::spawn(async { // expect: rs/spawn-without-instrument
            let _child = info_span!("child").entered();
        })
        .await
        .expect("task runs");
    }
    .instrument(info_span!("request"))
    .await;
    expect(parent_of("child") == "ROOT", "the spawned task's span is a new trace (ROOT)");
}
