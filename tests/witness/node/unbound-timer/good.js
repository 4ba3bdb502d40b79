'use strict';
// js/unbound-timer, good: context.bind carries the context into the timer callback under StackContextManager.
const { context } = require('@opentelemetry/api');
const { setup, parentOf, waitFor, expect } = require('../_witness');

const { tracer } = setup('stack');

function checkout() {
  tracer.startActiveSpan('checkout', (span) => {
    setTimeout(context.bind(context.active(), () => {
      tracer.startSpan('retry').end();
    }), 5);
    span.end();
  });
}

checkout();
waitFor('retry').then(() => expect(parentOf('retry') === 'checkout', 'the bound callback keeps `checkout` as parent'));
