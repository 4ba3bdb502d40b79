'use strict';
// js/floating-promise, good: awaited, the work finishes inside the parent span.
const { setup, parentOf, startedAfterEnd, waitFor, expect } = require('../_witness');

const { tracer } = setup('als');

async function saveAudit() {
  await new Promise((resolve) => setTimeout(resolve, 5));
  tracer.startSpan('audit').end();
}

function handle() {
  return tracer.startActiveSpan('handle', async (span) => {
    await saveAudit();
    span.end();
  });
}

handle();
Promise.all([waitFor('audit'), waitFor('handle')]).then(() =>
  expect(parentOf('audit') === 'handle' && !startedAfterEnd('audit', 'handle'), "the child span starts before its parent 'handle' ends"),
);
