//! `js/consumer-without-extract`: a message handler (kafkajs `eachMessage`/`eachBatch`, amqplib `consume`, BullMQ
//! `Worker` processors, worker_threads `workerData`/`parentPort` messages, gRPC stream `'data'`, Redis/NATS
//! subscribers) that starts spans without `propagation.extract(...)`: each span is a new root trace.
use std::ops::Range;

use tree_sitter::Node;

use super::js_common::implicit_context_use;
use super::js_messaging::{callable, calls_named, object_property, receiver_word, System};
use crate::analysis::js::{arguments, callee_object, is_function};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::syntax::{unparen, Preorder};

pub static CHECK: CheckDef = CheckDef {
    rule: "js/consumer-without-extract",
    captures: &["method", "class"],
    vars: &["call", "system", "fix"],
    variants: &["worker-data"],
    labels: &["use", "handler", "elsewhere"],
    run: CheckFn::Match(run),
};

const EXTRACT: &[&str] = &["extract"];

fn run<'t>(cx: &FileCx<'t>, report: Node<'t>, caps: &Captures<'t>) -> Option<Hit> {
    let facts = cx.js();
    if matches!(report.kind(), "identifier" | "shorthand_property_identifier_pattern" | "property_identifier") {
        return worker_data(cx, report);
    }
    let (system, handler, at) = registration(cx, caps, report)?;
    let shown = super::shown::code_at(cx.root(), cx.source, at.clone());
    if system.instrumented_in(&cx.js_project) {
        return None;
    }
    let Some(body) = facts.callback_body(handler) else {
        // a kafkajs or amqplib handler imported from another module of the project that starts spans without
        // extract there (the words `eachMessage`, `eachBatch` and `consume(` let such a file through the prefilter)
        let from_project = matches!(system, System::Kafkajs | System::Amqplib) && imported_unextracted(cx, handler);
        return from_project.then(|| {
            Hit::at(at).var("call", shown).var("system", system.name()).var("fix", system.extract_fix()).label("elsewhere", handler)
        });
    };
    let use_site = implicit_context_use(facts, body)?;
    if calls_named(facts, body, EXTRACT) {
        return None;
    }
    let mut hit = Hit::at(at)
        .var("call", shown)
        .var("system", system.name())
        .var("fix", system.extract_fix())
        .label("use", use_site.child_by_field_name("function").unwrap_or(use_site));
    // a handler defined elsewhere (passed by name): point at its first line
    if !crate::syntax::contains(report, body) {
        let text = cx.text(body);
        let first = text.find(['\n', '\r']).unwrap_or(text.len());
        hit.labels.push(("handler", body.start_byte()..body.start_byte() + first));
    }
    Some(hit)
}

/// Is `handler` (`onOrder`, `handlers.onOrder` on a namespace import, `{ eachMessage }`) a function that a module of
/// the project exports and that starts spans without `extract(...)`: asked of the project index, so never with
/// `--no-project`.
fn imported_unextracted(cx: &FileCx<'_>, handler: Node<'_>) -> bool {
    let Some(project) = cx.project.as_ref() else { return false };
    let facts = cx.js();
    let handler = unparen(handler);
    let (local, member) = match handler.kind() {
        "identifier" | "shorthand_property_identifier" => (cx.text(handler), None),
        "member_expression" => {
            let (Some(object), Some(property)) = (handler.child_by_field_name("object"), handler.child_by_field_name("property")) else {
                return false;
            };
            (cx.text(object), Some(cx.text(property)))
        }
        _ => return false,
    };
    let Some((module, name)) = facts.imported_name(local, member) else { return false };
    project.js_export(module, name).is_some_and(|e| e.starts_unextracted)
}

/// The system, handler and the node to report of a handler registration.
fn registration<'t>(cx: &FileCx<'t>, caps: &Captures<'t>, report: Node<'t>) -> Option<(System, Node<'t>, Range<usize>)> {
    let facts = cx.js();
    if report.kind() == "new_expression" {
        // BullMQ: new Worker(queueName, processor, opts); worker_threads' Worker(file, opts) is the producer side
        let class = caps.get("class")?;
        let from = facts.import_of(cx.text(class)).map(|(m, _)| m);
        let bull = from.is_some_and(|m| System::Bullmq.modules().contains(&m)) || (from.is_none() && System::Bullmq.used_by(facts));
        let args = arguments(report);
        let processor = *args.get(1)?;
        if !bull || !callable(processor) {
            return None;
        }
        return Some((System::Bullmq, processor, report.start_byte()..class.end_byte()));
    }
    let method = cx.text(caps.get("method")?);
    let receiver = callee_object(report)?;
    let args = arguments(report);
    let callee = report.child_by_field_name("function")?;
    let at = if cx.text(callee).contains('\n') { caps.get("method")? } else { callee }.byte_range();
    match method {
        // kafkajs: consumer.run({ eachMessage, eachBatch })
        "run" => {
            let config = *args.first()?;
            let handler = object_property(config, "eachMessage", facts).or_else(|| object_property(config, "eachBatch", facts))?;
            let kafka = System::Kafkajs.used_by(facts) || receiver_word(receiver, facts).contains("consumer");
            kafka.then_some((System::Kafkajs, handler, at))
        }
        // amqplib: channel.consume(queue, onMessage, opts)
        "consume" => {
            let handler = *args.get(1)?;
            let word = receiver_word(receiver, facts);
            let amqp = System::Amqplib.used_by(facts) || word.ends_with("channel") || word == "ch";
            (amqp && callable(handler) && !is_function(unparen(args[0]))).then_some((System::Amqplib, handler, at))
        }
        // Bull: queue.process(fn) / queue.process('name', concurrency, fn)
        "process" => {
            let handler = *args.last()?;
            let bull = System::Bullmq.used_by(facts) && receiver_word(receiver, facts).contains("queue");
            (bull && facts.callback_body(handler).is_some()).then_some((System::Bullmq, handler, at))
        }
        "on" | "once" | "addListener" => {
            let event = facts.string_value(*args.first()?)?;
            let handler = *args.get(1)?;
            if !callable(handler) {
                return None;
            }
            let word = receiver_word(receiver, facts);
            // the main thread's side of a worker (`const w = new Worker(file)`; `w.on('message', ..)`) is no Redis
            // or NATS subscriber, whatever else the file imports
            if event == "message" && facts.constructed_as(cx.text(unparen(receiver)), &["Worker", "BroadcastChannel"]) {
                return None;
            }
            let system = match event {
                "message" if word == "parentport" => System::WorkerThreads,
                "message" | "pmessage" | "messageBuffer" if System::Redis.used_by(facts) => System::Redis,
                "message" if System::Nats.used_by(facts) => System::Nats,
                "data" if System::Grpc.used_by(facts) => System::Grpc,
                _ => return None,
            };
            Some((system, handler, at))
        }
        // node-redis 4: client.subscribe(channel, listener); NATS: nc.subscribe(subject, { callback })
        "subscribe" | "pSubscribe" | "psubscribe" => {
            let last = *args.last()?;
            if System::Redis.used_by(facts) && args.len() >= 2 && callable(last) {
                Some((System::Redis, last, at))
            } else if System::Nats.used_by(facts) {
                let handler = args.get(1).and_then(|o| object_property(*o, "callback", facts))?;
                Some((System::Nats, handler, at))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A worker that reads `workerData` and starts spans, with no `extract` anywhere in the file: reported once, on the
/// first `workerData`.
fn worker_data(cx: &FileCx<'_>, node: Node<'_>) -> Option<Hit> {
    let facts = cx.js();
    if !System::WorkerThreads.used_by(facts) || System::WorkerThreads.instrumented_in(&cx.js_project) {
        return None;
    }
    // a read of `workerData` (a name, a destructuring, `wt.workerData`), not the `workerData:` key a parent passes
    let is_read = |n: Node<'_>| match n.kind() {
        "identifier" | "shorthand_property_identifier_pattern" => true,
        "property_identifier" => n.parent().is_some_and(|p| p.kind() == "member_expression"),
        _ => false,
    };
    let first = Preorder::new(cx.root()).find(|n| is_read(*n) && cx.text(*n) == "workerData");
    if first.map(|f| f.id()) != Some(node.id()) {
        return None;
    }
    let root = cx.root();
    let use_site = implicit_context_use(facts, root)?;
    if Preorder::new(root).any(|n| n.kind() == "call_expression" && facts.callee_name(n) == Some("extract")) {
        return None;
    }
    Some(
        Hit::at(node.byte_range())
            .var("call", "workerData")
            .var("system", System::WorkerThreads.name())
            .var("fix", System::WorkerThreads.extract_fix())
            .variant("worker-data")
            .label("use", use_site.child_by_field_name("function").unwrap_or(use_site)),
    )
}
