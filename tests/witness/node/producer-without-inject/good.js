'use strict';
// js/producer-without-inject, good: a carrier injected into `workerData` lets the worker continue the trace.
const { Worker, isMainThread, workerData, parentPort } = require('worker_threads');
const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { setup, expect } = require('../_witness');

const { tracer } = setup('als');
api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());

if (isMainThread) {
  tracer.startActiveSpan('resize request', (span) => {
    const traceId = span.spanContext().traceId;
    const otel = {};
    api.propagation.inject(api.context.active(), otel);
    const worker = new Worker(__filename, { workerData: { path: 'a.png', otel } });
    worker.once('message', (childTraceId) => {
      span.end();
      expect(childTraceId === traceId, "the worker's span continues the request's trace");
    });
  });
} else {
  const ctx = api.propagation.extract(api.ROOT_CONTEXT, workerData.otel || {});
  const span = tracer.startSpan('resize', {}, ctx);
  parentPort.postMessage(span.spanContext().traceId);
  span.end();
}
