//! rs/spawn-without-instrument, good: `.in_current_span()` carries the request's span into the task.
use ctxlint_witness::{expect, init, parent_of};
use tracing::{info_span, Instrument};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    init();
    async {
        tokio::spawn(
            async {
                let _child = info_span!("child").entered();
            }
            .in_current_span(),
        )
        .await
        .expect("task runs");
    }
    .instrument(info_span!("request"))
    .await;
    expect(parent_of("child") == "request", "the spawned task's span is a child of `request`");
}
