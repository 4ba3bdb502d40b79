'use strict';
// js/heavy-als-store, bad: the store of `als.run(req, ...)` stays reachable from every async operation started in it,
// so a whole request (here with a 5 MB body) lives as long as the longest timer, retry or pooled socket it started.
const { AsyncLocalStorage } = require('async_hooks');
const v8 = require('v8');
const vm = require('vm');
const { expect } = require('../_witness');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const als = new AsyncLocalStorage();

let request = { url: '/upload', body: Buffer.alloc(5 * 1024 * 1024) };
const alive = new WeakRef(request);
als.run(request, () => { // expect: js/heavy-als-store
  setTimeout(() => {}, 500); // e.g. a retry or a keep-alive timer the request started
});
request = null;

setTimeout(() => {
  gc();
  expect(alive.deref() !== undefined, 'the request object is still reachable after the request finished');
}, 20);
