'use strict';
// js/consumer-without-extract, bad: the queue's fetch loop calls the handler with the ROOT context, so a handler that
// does not extract the producer's context starts a new trace for every message. (An in-memory broker stands in for
// Kafka: what matters is that the consumer's loop runs outside the producer's context.)
const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { setup, parentOf, waitFor, expect } = require('../_witness');

const { tracer } = setup('als');
api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());

const topic = [];
const consumer = {
  run({ eachMessage }) {
    // the client's fetch loop, started at startup
    api.context.with(api.ROOT_CONTEXT, () => setInterval(() => {
      const message = topic.shift();
      if (message) eachMessage({ topic: 'orders', message });
    }, 1).unref());
  },
};

consumer.run({ // expect: js/consumer-without-extract
  eachMessage: async ({ message }) => {
    tracer.startActiveSpan('orders process', (span) => span.end());
  },
});

tracer.startActiveSpan('checkout', (span) => {
  const headers = {};
  api.propagation.inject(api.context.active(), headers); // the producer does its part
  topic.push({ value: 'order-1', headers });
  span.end();
});

waitFor('orders process').then(() => expect(parentOf('orders process') === 'ROOT', "the handler's span is a new trace (ROOT)"));
