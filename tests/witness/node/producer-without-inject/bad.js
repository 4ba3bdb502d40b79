'use strict';
// js/producer-without-inject, bad: a worker thread starts with the ROOT context; the `workerData` sent without a
// carrier gives it nothing to continue, so its span is a new trace even though the worker extracts.
const { Worker, isMainThread, workerData, parentPort } = require('worker_threads');
const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { setup, expect } = require('../_witness');

const { tracer } = setup('als');
api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());

if (isMainThread) {
  tracer.startActiveSpan('resize request', (span) => {
    const traceId = span.spanContext().traceId;
    const worker = new Worker(__filename, { workerData: { path: 'a.png' } }); // expect: js/producer-without-inject
    worker.once('message', (childTraceId) => {
      span.end();
      expect(childTraceId !== traceId, "the worker's span belongs to another trace");
    });
  });
} else {
  const ctx = api.propagation.extract(api.ROOT_CONTEXT, workerData.otel || {});
  const span = tracer.startSpan('resize', {}, ctx);
  parentPort.postMessage(span.spanContext().traceId);
  span.end();
}
