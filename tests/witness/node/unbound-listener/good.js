'use strict';
// js/unbound-listener, good: `context.bind(context.active(), listener)` runs the listener in the registering context.
const { EventEmitter } = require('events');
const api = require('@opentelemetry/api');
const { setup, parentOf, waitFor, expect } = require('../_witness');

const { tracer } = setup('als');
const orders = new EventEmitter();
api.context.with(api.ROOT_CONTEXT, () => setTimeout(() => orders.emit('paid'), 5)); // fired from startup code

function handle() {
  tracer.startActiveSpan('request', (span) => {
    orders.on('paid', api.context.bind(api.context.active(), () => {
      tracer.startSpan('notify').end();
    }));
    span.end();
  });
}

handle();
waitFor('notify').then(() => expect(parentOf('notify') === 'request', "the bound listener's span is a child of the request"));
