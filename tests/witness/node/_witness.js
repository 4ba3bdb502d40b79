'use strict';
// Shared setup of the Node witnesses: one context manager per process, spans recorded in memory, and the assertion
// helper. A witness exits 0 when the runtime behaves as its rule says and 1 otherwise.
const api = require('@opentelemetry/api');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');

// Records every span start and end in order, so "started after its parent ended" is decided by event order.
class Recorder {
  constructor() { this.events = []; this.names = new Map(); }
  onStart(span) { this.names.set(span.spanContext().spanId, span.name); this.events.push(`start:${span.name}`); }
  onEnd(span) { this.events.push(`end:${span.name}`); }
  forceFlush() { return Promise.resolve(); }
  shutdown() { return Promise.resolve(); }
}

const recorder = new Recorder();
const exporter = new InMemorySpanExporter();

/** Registers the context manager of `model` ('stack' = the browser default, 'als' = Node's AsyncLocalStorage). */
function setup(model) {
  if (model === 'stack') {
    const { StackContextManager } = require('@opentelemetry/sdk-trace-web');
    api.context.setGlobalContextManager(new StackContextManager().enable());
  } else if (model === 'als') {
    const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  } else {
    throw new Error(`unknown model ${model}`);
  }
  api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [recorder, new SimpleSpanProcessor(exporter)] }));
  return { tracer: api.trace.getTracer('ctxlint-witness') };
}

function finished(name) {
  return exporter.getFinishedSpans().find((s) => s.name === name);
}

/** The name of the parent of finished span `name`: 'ROOT' for none. */
function parentOf(name) {
  const span = finished(name);
  const parentId = span && (span.parentSpanContext ? span.parentSpanContext.spanId : span.parentSpanId);
  return parentId ? recorder.names.get(parentId) || 'unknown' : 'ROOT';
}

/** Did span `child` start after span `parent` ended (false when either never happened). */
function startedAfterEnd(child, parent) {
  const start = recorder.events.indexOf(`start:${child}`);
  const end = recorder.events.indexOf(`end:${parent}`);
  return start >= 0 && end >= 0 && start > end;
}

function waitFor(name, timeoutMs = 2000) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (finished(name)) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`span ${name} never finished`));
      return setTimeout(poll, 1);
    };
    poll();
  });
}

function expect(holds, claim) {
  const program = require('path').relative(__dirname, require.main.filename);
  if (holds) {
    console.log(`witness ok: ${program}: ${claim}`);
    process.exit(0);
  }
  console.error(`WITNESS FAILED: ${program}: expected that ${claim}`);
  process.exit(1);
}

module.exports = { setup, parentOf, startedAfterEnd, waitFor, expect };
