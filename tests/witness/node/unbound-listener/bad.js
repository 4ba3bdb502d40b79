'use strict';
// js/unbound-listener, bad: even under Node's AsyncLocalStorage a listener runs in the context of the code that
// emits, here a timer started outside any span: the listener's span is a new trace.
const { EventEmitter } = require('events');
const api = require('@opentelemetry/api');
const { setup, parentOf, waitFor, expect } = require('../_witness');

const { tracer } = setup('als');
const orders = new EventEmitter();
api.context.with(api.ROOT_CONTEXT, () => setTimeout(() => orders.emit('paid'), 5)); // fired from startup code

function handle() {
  tracer.startActiveSpan('request', (span) => {
    orders.on('paid', () => { // expect: js/unbound-listener
      tracer.startSpan('notify').end();
    });
    span.end();
  });
}

handle();
waitFor('notify').then(() => expect(parentOf('notify') === 'ROOT', "the listener's span is a new trace (ROOT)"));
