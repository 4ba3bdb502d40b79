//! rs/guard-across-await, good: an instrumented future enters its span only while it is polled.
use std::time::Duration;

use ctxlint_witness::{expect, init, parent_of};
use tracing::{info_span, Instrument};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    init();
    let request = tokio::spawn(
        async {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        .instrument(info_span!("request")),
    );
    tokio::time::sleep(Duration::from_millis(10)).await;
    tokio::spawn(async {
        let _unrelated = info_span!("unrelated");
    })
    .await
    .expect("task runs");
    request.await.expect("task runs");
    expect(parent_of("unrelated") == "ROOT", "the unrelated task's span has no parent");
}
