//! `py/consumer-without-extract`: message consumer loops and callbacks (kafka-python / aiokafka `for msg in consumer`,
//! confluent-kafka `poll()` loops, pika `basic_consume` callbacks, aio-pika `queue.consume`, and `while True:
//! queue.get()` worker loops) that start spans without `extract(...)`: every message starts a new trace.
use tree_sitter::Node;

use crate::analysis::python::{enclosing_function, positional_arg, PyFacts};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::syntax::Preorder;

pub static CHECK: CheckDef = CheckDef {
    rule: "py/consumer-without-extract",
    captures: &["method"],
    vars: &["what"],
    variants: &[],
    labels: &["use", "elsewhere"],
    run: CheckFn::Match(run),
};

const KAFKA_CONSUMERS: &[&str] = &[
    "kafka.KafkaConsumer",
    "kafka.consumer.KafkaConsumer",
    "aiokafka.AIOKafkaConsumer",
    "aiokafka.consumer.AIOKafkaConsumer",
    "confluent_kafka.Consumer",
    "confluent_kafka.DeserializingConsumer",
];
const QUEUES: &[&str] = &[
    "asyncio.Queue",
    "asyncio.PriorityQueue",
    "asyncio.LifoQueue",
    "asyncio.queues.Queue",
    "queue.Queue",
    "queue.SimpleQueue",
    "queue.PriorityQueue",
    "queue.LifoQueue",
    "multiprocessing.Queue",
    "janus.Queue",
];

fn run<'t>(cx: &FileCx<'t>, node: Node<'t>, caps: &Captures<'t>) -> Option<Hit> {
    // a messaging instrumentation's own code does the extraction (and its tests consume unpropagated on purpose)
    if ["kafka-python", "confluent-kafka", "aiokafka", "pika", "aio-pika"].iter().any(|l| cx.py_runtime.instruments(l)) {
        return None;
    }
    let py = cx.py();
    let (what, body, at) = match node.kind() {
        "for_statement" => {
            let iterable = node.child_by_field_name("right")?;
            if !is_consumer(py, iterable) && !is_aio_pika_iterator(py, iterable) {
                return None;
            }
            let body = node.child_by_field_name("body")?;
            let what = format!("`{}` loop", crate::template::shorten(&header(cx, node, iterable.end_byte())));
            (what, body, node.start_byte()..iterable.end_byte())
        }
        "while_statement" => {
            let body = node.child_by_field_name("body")?;
            let kind = polls(py, body)?;
            // a queue loop inside a span is parented to that span: not a new trace
            if kind == Poll::Queue
                && (py.span_with(node).is_some() || enclosing_function(node).and_then(|f| py.span_decorator(f)).is_some())
            {
                return None;
            }
            let end = node.child_by_field_name("condition").map_or(node.start_byte(), |c| c.end_byte());
            let what = format!("`{}` loop", crate::template::shorten(&header(cx, node, end)));
            (what, body, node.start_byte()..end)
        }
        _ => {
            let method = caps.get("method")?;
            let func = node.child_by_field_name("function").unwrap_or(node);
            let what = format!("`{}` callback", cx.text(method));
            match callback(cx, node, cx.text(method))? {
                Handler::Here(handler) => (what, handler, func.byte_range()),
                // defined in another module of the project, which the index says starts spans without extract
                Handler::Elsewhere(arg) => {
                    return (!instrumented(py)).then(|| Hit::at(func.byte_range()).var("what", what).label("elsewhere", arg));
                }
            }
        }
    };
    if instrumented(py) {
        return None;
    }
    if py.calls_any(body, &["extract"]) {
        return None;
    }
    let hit = Hit::at(at).var("what", what);
    match py.implicit_span_start(body) {
        Some(use_site) => Some(hit.label("use", use_site.child_by_field_name("function").unwrap_or(use_site))),
        // a consumer's loop (not a plain queue's) calling a handler of another module
        None if !is_queue_loop(py, node) => Some(hit.label("elsewhere", unextracted_call_elsewhere(py, body)?)),
        None => None,
    }
}

fn is_queue_loop(py: &PyFacts, node: Node<'_>) -> bool {
    node.kind() == "while_statement" && node.child_by_field_name("body").and_then(|b| polls(py, b)) == Some(Poll::Queue)
}

/// The callee of a call in `body` that names a function of another module of the project which starts spans
/// without `extract(...)` (by the project index).
fn unextracted_call_elsewhere<'t>(py: &PyFacts<'t>, body: Node<'t>) -> Option<Node<'t>> {
    let project = py.project.as_ref()?;
    Preorder::new(body).filter(|n| n.kind() == "call").find_map(|call| {
        let callee = call.child_by_field_name("function")?;
        if py.local_function(callee).is_some() {
            return None;
        }
        py.project_names(callee).iter().any(|q| project.py_starts_unextracted(q) == Some(true)).then_some(callee)
    })
}

fn header(cx: &FileCx<'_>, node: Node<'_>, end: usize) -> String {
    crate::template::one_line(cx.text_range(node.start_byte()..end))
}

/// A Kafka consumer: constructed from a known class, or a name with `consumer` in a file that imports a Kafka client.
fn is_consumer(py: &PyFacts, expr: Node<'_>) -> bool {
    if py.constructed_from(expr).is_some_and(|q| KAFKA_CONSUMERS.contains(&q)) {
        return true;
    }
    // `for msg in KafkaConsumer("orders"):`
    if expr.kind() == "call" && expr.child_by_field_name("function").is_some_and(|f| py.resolves_to(f, KAFKA_CONSUMERS)) {
        return true;
    }
    let kafka = py.imports.values().any(|q| q.starts_with("kafka") || q.starts_with("aiokafka") || q.starts_with("confluent_kafka"));
    kafka && matches!(expr.kind(), "identifier" | "attribute") && py.text(expr).to_ascii_lowercase().contains("consumer")
}

/// `async for message in queue_iter` over an aio-pika queue iterator.
fn is_aio_pika_iterator(py: &PyFacts, expr: Node<'_>) -> bool {
    let aio_pika = py.imports.values().any(|q| q.starts_with("aio_pika"));
    let text = py.text(expr).to_ascii_lowercase();
    aio_pika && (text.contains("iterator") || text.contains("queue"))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Poll {
    Consumer,
    Queue,
}

/// What a `while` loop's body takes messages from: a consumer's `poll()`/`consume()`, or a queue's `get()`.
fn polls(py: &PyFacts, body: Node<'_>) -> Option<Poll> {
    Preorder::new(body).find_map(|n| {
        if n.kind() != "call" {
            return None;
        }
        let f = n.child_by_field_name("function").filter(|f| f.kind() == "attribute")?;
        let object = f.child_by_field_name("object")?;
        let method = py.text(f.child_by_field_name("attribute")?);
        match method {
            "poll" | "consume" if is_consumer(py, object) => Some(Poll::Consumer),
            // queue.get() / await queue.get(): no positional key (that would be dict.get)
            "get" if positional_arg(n, 0).is_none() && is_queue(py, object) => Some(Poll::Queue),
            _ => None,
        }
    })
}

fn is_queue(py: &PyFacts, expr: Node<'_>) -> bool {
    if py.constructed_from(expr).is_some_and(|q| QUEUES.contains(&q)) {
        return true;
    }
    let text = py.text(expr);
    let last = text.rsplit('.').next().unwrap_or(text).to_ascii_lowercase();
    last.contains("queue") || last == "q"
}

/// A consumer's callback: its body in this file, or the argument that names a function of another module.
enum Handler<'t> {
    Here(Node<'t>),
    Elsewhere(Node<'t>),
}

/// The handler of `channel.basic_consume(queue, on_message_callback=cb)` (pika 1.x, also positional; pika 0.x takes
/// the callback first) or aio-pika `queue.consume(cb)`: a lambda or a same-file function, or (with the project index)
/// an imported project function that starts spans without `extract(...)`.
fn callback<'t>(cx: &FileCx<'t>, call: Node<'t>, method: &str) -> Option<Handler<'t>> {
    let py = cx.py();
    let candidates: Vec<Node<'t>> = if method == "basic_consume" {
        if !py.imports.values().any(|q| q.starts_with("pika")) {
            return None;
        }
        let kw = py.keyword_arg(call, "on_message_callback").or_else(|| py.keyword_arg(call, "consumer_callback"));
        kw.into_iter().chain((0..2).filter_map(|i| positional_arg(call, i))).collect()
    } else {
        if !py.imports.values().any(|q| q.starts_with("aio_pika")) {
            return None;
        }
        positional_arg(call, 0).or_else(|| py.keyword_arg(call, "callback")).into_iter().collect()
    };
    candidates.into_iter().find_map(|c| match c.kind() {
        "lambda" => Some(Handler::Here(c)),
        "identifier" | "attribute" => match py.local_function(c) {
            Some(f) => Some(Handler::Here(f)),
            None => {
                let project = py.project.as_ref()?;
                py.project_names(c).iter().any(|q| project.py_starts_unextracted(q) == Some(true)).then_some(Handler::Elsewhere(c))
            }
        },
        _ => None,
    })
}

/// The file loads an OpenTelemetry instrumentation that wraps the consumer and makes the producer's context current
/// around each message (kafka-python, aiokafka, confluent-kafka, pika, aio-pika), or the auto-instrumentation.
fn instrumented(py: &PyFacts) -> bool {
    const INSTRUMENTATIONS: &[&str] = &[
        "opentelemetry.instrumentation.kafka",
        "opentelemetry.instrumentation.aiokafka",
        "opentelemetry.instrumentation.confluent_kafka",
        "opentelemetry.instrumentation.pika",
        "opentelemetry.instrumentation.aio_pika",
        "opentelemetry.instrumentation.auto_instrumentation",
    ];
    py.imports.values().any(|q| INSTRUMENTATIONS.iter().any(|i| q == i || q.starts_with(&format!("{i}."))))
}
