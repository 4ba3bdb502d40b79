'use strict';
// js/heavy-als-store, good: storing an identifier leaves the request collectable once the request is done.
const { AsyncLocalStorage } = require('async_hooks');
const v8 = require('v8');
const vm = require('vm');
const { expect } = require('../_witness');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const als = new AsyncLocalStorage();

let request = { url: '/upload', id: 'r-1', body: Buffer.alloc(5 * 1024 * 1024) };
const alive = new WeakRef(request);
als.run({ requestId: request.id }, () => {
  setTimeout(() => {}, 500);
});
request = null;

setTimeout(() => {
  gc();
  expect(alive.deref() === undefined, 'the request object was collected while the timer it started is pending');
}, 20);
