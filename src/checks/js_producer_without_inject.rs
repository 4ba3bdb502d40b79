//! `js/producer-without-inject`: a message sent in a span scope (kafkajs `producer.send`, amqplib `publish` /
//! `sendToQueue`, BullMQ `queue.add`, worker_threads `new Worker(file, { workerData })` / `worker.postMessage`) by a
//! function that never calls `propagation.inject(...)`: the consumer cannot continue the trace. With the project
//! index, a BullMQ queue that another module of the project made and exports counts as a queue.
use std::ops::Range;

use tree_sitter::Node;

use super::js_messaging::{calls_named, object_property, receiver_word, System};
use crate::analysis::js::{arguments, callee_object, enclosing_function, JsFacts};
use crate::check_api::{Captures, CheckDef, CheckFn, Hit};
use crate::file_cx::FileCx;
use crate::syntax::unparen;

pub static CHECK: CheckDef = CheckDef {
    rule: "js/producer-without-inject",
    captures: &["method", "class"],
    vars: &["call", "system", "a_system", "fix"],
    variants: &[],
    labels: &["scope"],
    run: CheckFn::Match(run),
};

const INJECT: &[&str] = &["inject"];
/// Receivers of `postMessage` that are not a worker: the worker's own side, windows and message ports.
const NOT_WORKERS: &[&str] = &["parentport", "self", "window", "globalthis", "port", "port1", "port2", "parent", "top", "opener"];

fn run<'t>(cx: &FileCx<'t>, report: Node<'t>, caps: &Captures<'t>) -> Option<Hit> {
    let facts = cx.js();
    let (system, at) = send(cx, caps, report)?;
    if system.instrumented_in(&cx.js_project) {
        return None;
    }
    let (scope_fn, scope) = facts.span_scope_function(report)?;
    let func = enclosing_function(report).unwrap_or(scope_fn);
    if calls_named(facts, func, INJECT) || (func != scope_fn && calls_named(facts, scope_fn, INJECT)) {
        return None;
    }
    let shown = super::shown::code_at(cx.root(), cx.source, at.clone());
    Some(
        Hit::at(at)
            .var("call", shown)
            .var("system", system.name())
            .var("a_system", super::shown::with_article(system.name()))
            .var("fix", system.inject_fix())
            .label("scope", scope.node),
    )
}

/// The system of a send, and the range to report.
fn send(cx: &FileCx<'_>, caps: &Captures<'_>, report: Node<'_>) -> Option<(System, Range<usize>)> {
    let facts = cx.js();
    let args = arguments(report);
    if report.kind() == "new_expression" {
        // worker_threads: new Worker(file, { workerData }); BullMQ's Worker(name, processor) is a consumer
        let class = caps.get("class")?;
        let from = facts.import_of(cx.text(class)).map(|(m, _)| m);
        if from.is_some_and(|m| System::Bullmq.modules().contains(&m)) {
            return None;
        }
        object_property(*args.get(1)?, "workerData", facts)?;
        return Some((System::WorkerThreads, report.start_byte()..class.end_byte()));
    }
    let method = cx.text(caps.get("method")?);
    let receiver = callee_object(report)?;
    let word = receiver_word(receiver, facts);
    let callee = report.child_by_field_name("function")?;
    let at = if cx.text(callee).contains('\n') { caps.get("method")? } else { callee }.byte_range();
    let system = match method {
        // kafkajs: producer.send({ topic, messages }) / sendBatch({ topicMessages })
        "send" | "sendBatch" => {
            let config = *args.first()?;
            let key = if method == "send" { "messages" } else { "topicMessages" };
            object_property(config, key, facts)?;
            // `reply.send({ messages })` is not Kafka: the file imports a Kafka client, or the receiver is a producer
            (System::Kafkajs.used_by(facts) || word.contains("producer")).then_some(System::Kafkajs)?
        }
        // amqplib: channel.publish(exchange, routingKey, content, options) / sendToQueue(queue, content, options)
        "publish" | "sendToQueue" => {
            let amqp = System::Amqplib.used_by(facts) || word.ends_with("channel") || word == "ch";
            let arity = if method == "publish" { 3 } else { 2 };
            (amqp && args.len() >= arity).then_some(System::Amqplib)?
        }
        // BullMQ / Bull: queue.add(name, data, opts) / queue.addBulk([...])
        "add" | "addBulk" => {
            // a queue another module of the project made (`import { cartQueue } from '@/lib/messaging'`)
            let imported = imported_construction(cx, facts, unparen(receiver), &["Queue", "FlowProducer"], System::Bullmq.modules());
            if !(imported || System::Bullmq.used_by(facts)) || (method == "add" && args.len() < 2) {
                return None;
            }
            let queue = imported || word.contains("queue") || facts.constructed_as(cx.text(unparen(receiver)), &["Queue", "FlowProducer"]);
            queue.then_some(System::Bullmq)?
        }
        // worker.postMessage(message): not parentPort.postMessage (the worker answering), nor window/port messaging
        "postMessage" => {
            if NOT_WORKERS.contains(&word.as_str()) {
                return None;
            }
            let worker = word.contains("worker") || facts.constructed_as(cx.text(unparen(receiver)), &["Worker"]);
            (worker && !is_bull_worker(facts)).then_some(System::WorkerThreads)?
        }
        _ => return None,
    };
    Some((system, at))
}

/// Is `receiver` an imported binding that a module of the project constructed as one of `classes` of one of
/// `modules` (the project index; never with `--no-project`).
fn imported_construction(cx: &FileCx<'_>, facts: &JsFacts, receiver: Node<'_>, classes: &[&str], modules: &[&str]) -> bool {
    let (Some(project), "identifier") = (cx.project.as_ref(), receiver.kind()) else { return false };
    let Some((module, name)) = facts.import_of(cx.text(receiver)) else { return false };
    project
        .js_export(module, name)
        .and_then(|e| e.constructed)
        .is_some_and(|(class, from)| classes.contains(&class.as_str()) && from.is_some_and(|m| modules.contains(&m.as_str())))
}

/// Does the file's `Worker` come from BullMQ (which has no `postMessage`).
fn is_bull_worker(facts: &JsFacts) -> bool {
    facts.import_of("Worker").is_some_and(|(m, _)| System::Bullmq.modules().contains(&m))
}
