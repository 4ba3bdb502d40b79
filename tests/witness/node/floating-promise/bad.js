'use strict';
// js/floating-promise, bad: under AsyncLocalStorage the dropped promise stays linked, but its span starts after the
// parent span ended.
const { setup, parentOf, startedAfterEnd, waitFor, expect } = require('../_witness');

const { tracer } = setup('als');

async function saveAudit() {
  await new Promise((resolve) => setTimeout(resolve, 5));
  tracer.startSpan('audit').end();
}

function handle() {
  tracer.startActiveSpan('handle', (span) => {
    saveAudit(); // expect: js/floating-promise
    span.end();
  });
}

handle();
waitFor('audit').then(() =>
  expect(parentOf('audit') === 'handle' && startedAfterEnd('audit', 'handle'), "the child span starts after its parent 'handle' ended"),
);
