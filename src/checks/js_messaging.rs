//! The message systems the JavaScript consumer/producer rules know (kafkajs, amqplib, BullMQ, worker_threads, gRPC,
//! Redis and NATS pub/sub): how a file uses each, which auto-instrumentation propagates for the user, and the
//! concrete carrier code of each fix.
use tree_sitter::Node;

pub use crate::analysis::js::context_use::calls_named;
use crate::analysis::js::{is_function, JsFacts};
use crate::jsmodel::JsProject;
use crate::syntax::{named_children, unparen};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    Kafkajs,
    Amqplib,
    Bullmq,
    WorkerThreads,
    Grpc,
    Redis,
    Nats,
}

impl System {
    pub fn name(self) -> &'static str {
        match self {
            System::Kafkajs => "kafkajs",
            System::Amqplib => "amqplib",
            System::Bullmq => "BullMQ",
            System::WorkerThreads => "worker_threads",
            System::Grpc => "gRPC",
            System::Redis => "Redis pub/sub",
            System::Nats => "NATS",
        }
    }

    /// The modules whose import identifies the system.
    pub fn modules(self) -> &'static [&'static str] {
        match self {
            System::Kafkajs => &["kafkajs", "@confluentinc/kafka-javascript"],
            System::Amqplib => &["amqplib", "amqplib/callback_api", "amqp-connection-manager"],
            System::Bullmq => &["bullmq", "bull", "@taskforcesh/bullmq-pro"],
            System::WorkerThreads => &["worker_threads"],
            System::Grpc => &["@grpc/grpc-js", "grpc"],
            System::Redis => &["redis", "ioredis", "@redis/client"],
            System::Nats => &["nats", "nats.ws"],
        }
    }

    /// Is the file using this system (by its imports).
    pub fn used_by(self, facts: &JsFacts) -> bool {
        facts.imports_any(self.modules())
    }

    /// The auto-instrumentation packages that inject and extract for this system. Names ending in
    /// `instrumentation-<suffix>` count too, so community packages (`@appsignal/opentelemetry-instrumentation-bullmq`) do.
    fn instrumented_by(self) -> (&'static [&'static str], bool) {
        // (suffixes, bundled in @opentelemetry/auto-instrumentations-node)
        match self {
            System::Kafkajs => (&["kafkajs"], true),
            System::Amqplib => (&["amqplib"], true),
            System::Bullmq => (&["bullmq", "bull"], false),
            System::Grpc => (&["grpc"], true),
            // no instrumentation propagates over these
            System::WorkerThreads | System::Redis => (&[], false),
            System::Nats => (&["nats"], false),
        }
    }

    /// The name suffixes of this system's instrumentation packages (`@opentelemetry/instrumentation-kafkajs`), including
    /// those that do not propagate its messages (the ioredis and redis instrumentations trace commands only).
    fn instrumentation_packages(self) -> &'static [&'static str] {
        match self {
            System::Kafkajs => &["kafkajs"],
            System::Amqplib => &["amqplib"],
            System::Bullmq => &["bullmq", "bull"],
            System::Grpc => &["grpc", "grpc-js"],
            System::Redis => &["redis", "ioredis", "redis-4"],
            System::Nats => &["nats"],
            System::WorkerThreads => &[],
        }
    }

    /// Does the nearest package.json depend on an instrumentation that propagates for this system, or is the project
    /// that instrumentation itself (its code does the propagation; its tests drive unpropagated calls on purpose)?
    pub fn instrumented_in(self, project: &JsProject) -> bool {
        let (suffixes, bundled) = self.instrumented_by();
        if bundled && project.depends_on("@opentelemetry/auto-instrumentations-node") {
            return true;
        }
        if self.instrumentation_packages().iter().any(|s| project.named_ending(&format!("instrumentation-{s}"))) {
            return true;
        }
        project.deps.iter().any(|dep| suffixes.iter().any(|s| dep.ends_with(&format!("instrumentation-{s}"))))
    }

    /// The consuming side's fix for this system.
    pub fn extract_fix(self) -> &'static str {
        match self {
            System::Kafkajs => "Continue the producer's trace: `const ctx = propagation.extract(context.active(), message.headers, { get: (h, k) => h?.[k]?.toString(), keys: (h) => Object.keys(h ?? {}) }); await context.with(ctx, () => tracer.startActiveSpan('orders process', async (span) => { ... }))`, or add @opentelemetry/instrumentation-kafkajs.",
            System::Amqplib => "Continue the publisher's trace: `const ctx = propagation.extract(context.active(), msg.properties.headers ?? {}); context.with(ctx, () => tracer.startActiveSpan('queue process', (span) => { ... }))`, or add @opentelemetry/instrumentation-amqplib.",
            System::Bullmq => "Carry the context in the job data: in the processor `const ctx = propagation.extract(context.active(), job.data.otel ?? {}); return context.with(ctx, () => tracer.startActiveSpan(job.name, async (span) => { ... }))` (the producer adds `otel` with `propagation.inject`).",
            System::WorkerThreads => "Pass a carrier to the worker (`workerData.otel` or a field of each message, filled with `propagation.inject(context.active(), carrier)`) and continue it there: `const ctx = propagation.extract(context.active(), msg.otel ?? {}); context.with(ctx, () => ...)`.",
            System::Grpc => "Continue the client's trace from the call metadata: `const ctx = propagation.extract(context.active(), call.metadata.getMap()); context.with(ctx, () => ...)`, or add @opentelemetry/instrumentation-grpc.",
            System::Redis => "Redis pub/sub carries no headers: publish an envelope `{ otel: carrier, payload }` (filled with `propagation.inject(context.active(), carrier)`) and in the listener `const ctx = propagation.extract(context.active(), JSON.parse(message).otel ?? {}); context.with(ctx, () => ...)`.",
            System::Nats => "Continue the publisher's trace from the message headers: `const ctx = propagation.extract(context.active(), msg.headers, { get: (h, k) => h?.get(k), keys: (h) => (h ? [...h.keys()] : []) }); context.with(ctx, () => ...)`.",
        }
    }

    /// The producing side's fix for this system.
    pub fn inject_fix(self) -> &'static str {
        match self {
            System::Kafkajs => "Inject the active context into each message's headers: `const headers = {}; propagation.inject(context.active(), headers); await producer.send({ topic, messages: [{ value, headers }] })`, or add @opentelemetry/instrumentation-kafkajs.",
            System::Amqplib => "Inject the active context into the message headers: `const headers = {}; propagation.inject(context.active(), headers); channel.publish(exchange, routingKey, content, { headers })`, or add @opentelemetry/instrumentation-amqplib.",
            System::Bullmq => "Carry the context in the job data: `const otel = {}; propagation.inject(context.active(), otel); await queue.add(name, { ...data, otel })`, and extract it in the processor.",
            System::WorkerThreads => "Send a carrier along: `const otel = {}; propagation.inject(context.active(), otel); new Worker(file, { workerData: { ...data, otel } })` / `worker.postMessage({ ...message, otel })`, and extract it in the worker.",
            System::Grpc | System::Redis | System::Nats => "Inject the active context into a carrier sent with the message (`propagation.inject(context.active(), carrier)`) and extract it on the consuming side.",
        }
    }
}

/// The value of property `key` in an object literal (`{ key: v }`, `{ key }`, or a method `key() {}`).
pub fn object_property<'t>(object: Node<'t>, key: &str, facts: &JsFacts<'_>) -> Option<Node<'t>> {
    let object = unparen(object);
    if object.kind() != "object" {
        return None;
    }
    named_children(object).find_map(|p| match p.kind() {
        "pair" => {
            let k = p.child_by_field_name("key")?;
            let name = facts.text(k).trim_matches(['\'', '"']);
            (name == key).then(|| p.child_by_field_name("value")).flatten()
        }
        "shorthand_property_identifier" => (facts.text(p) == key).then_some(p),
        "method_definition" => (p.child_by_field_name("name").is_some_and(|n| facts.text(n) == key)).then_some(p),
        _ => None,
    })
}

/// Could `node` be a function (inline, or a name or `this.x` that may refer to one).
pub fn callable(node: Node<'_>) -> bool {
    let node = unparen(node);
    is_function(node) || matches!(node.kind(), "identifier" | "member_expression" | "call_expression" | "shorthand_property_identifier")
}

/// The last segment of a receiver, lowercased: `this.ordersQueue` → `ordersqueue`.
pub fn receiver_word(receiver: Node<'_>, facts: &JsFacts<'_>) -> String {
    let text = facts.text(unparen(receiver));
    text.rsplit('.').next().unwrap_or(text).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsmodel::JsModel;
    use std::sync::Arc;

    fn named(name: &str) -> JsProject {
        JsProject { name: Some(Arc::from(name)), ..JsProject::bare(JsModel::AsyncLocalStorage) }
    }

    #[test]
    fn an_instrumentation_package_is_instrumented_for_its_own_system_only() {
        assert!(System::Kafkajs.instrumented_in(&named("@opentelemetry/instrumentation-kafkajs")));
        assert!(!System::Amqplib.instrumented_in(&named("@opentelemetry/instrumentation-kafkajs")));
        assert!(System::Redis.instrumented_in(&named("@opentelemetry/instrumentation-ioredis")));
        assert!(System::Redis.instrumented_in(&named("@opentelemetry/instrumentation-redis-4")));
        assert!(System::Bullmq.instrumented_in(&named("@appsignal/opentelemetry-instrumentation-bullmq")));
        assert!(System::Grpc.instrumented_in(&named("@opentelemetry/instrumentation-grpc")));
        assert!(!System::WorkerThreads.instrumented_in(&named("@opentelemetry/instrumentation-kafkajs")));
        assert!(!System::Kafkajs.instrumented_in(&named("kafkajs-consumer-service")));
        // a dependency on the redis instrumentation still does not propagate pub/sub messages
        let depends = JsProject {
            deps: Arc::new(["@opentelemetry/instrumentation-ioredis".to_string()].into_iter().collect()),
            ..JsProject::bare(JsModel::AsyncLocalStorage)
        };
        assert!(!System::Redis.instrumented_in(&depends));
    }
}
