//! rs/guard-across-await, bad: while a task holding `span.enter()` is suspended at an `.await`, an unrelated task
//! polled on the same thread runs inside that span (oracle rust 4).
use std::time::Duration;

use ctxlint_witness::{expect, init, parent_of};
use tracing::info_span;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    init();
    let request = tokio::spawn(async {
        let span = info_span!("request");
        let _guard = span.enter(); // expect: rs/guard-across-await
        tokio::time::sleep(Duration::from_millis(50)).await;
    });
    tokio::time::sleep(Duration::from_millis(10)).await;
    tokio::spawn(async {
        let _unrelated = info_span!("unrelated");
    })
    .await
    .expect("task runs");
    request.await.expect("task runs");
    expect(parent_of("unrelated") == "request", "an unrelated task got the suspended request's span as parent");
}
