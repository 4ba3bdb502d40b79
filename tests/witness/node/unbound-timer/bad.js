'use strict';
// js/unbound-timer, bad: under the browser's StackContextManager a timer callback runs with the ROOT context.
const { setup, parentOf, waitFor, expect } = require('../_witness');

const { tracer } = setup('stack');

function checkout() {
  tracer.startActiveSpan('checkout', (span) => {
    setTimeout(() => { // expect: js/unbound-timer
      tracer.startSpan('retry').end();
    }, 5);
    span.end();
  });
}

checkout();
waitFor('retry').then(() => expect(parentOf('retry') === 'ROOT', "the timer callback's span is a new trace (ROOT)"));
