'use strict';
// js/consumer-without-extract, good: extracting the carrier from the message headers continues the producer's trace.
const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { setup, parentOf, waitFor, expect } = require('../_witness');

const { tracer } = setup('als');
api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());

const topic = [];
const consumer = {
  run({ eachMessage }) {
    api.context.with(api.ROOT_CONTEXT, () => setInterval(() => {
      const message = topic.shift();
      if (message) eachMessage({ topic: 'orders', message });
    }, 1).unref());
  },
};

consumer.run({
  eachMessage: async ({ message }) => {
    const ctx = api.propagation.extract(api.context.active(), message.headers);
    api.context.with(ctx, () => tracer.startActiveSpan('orders process', (span) => span.end()));
  },
});

tracer.startActiveSpan('checkout', (span) => {
  const headers = {};
  api.propagation.inject(api.context.active(), headers);
  topic.push({ value: 'order-1', headers });
  span.end();
});

waitFor('orders process').then(() => expect(parentOf('orders process') === 'checkout', "the handler's span continues the producer's trace"));
