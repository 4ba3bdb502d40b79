'use strict';
// js/unbound-listener, good (v2): a client made in the span fires its own I/O events in the context it was made in,
// under AsyncLocalStorage, even when the other side sends later from a context of its own: a TCP client (the shape of
// an ioredis or amqplib connection) and a worker_threads Worker, each made and listened to in the request's span.
const net = require('net');
const { Worker } = require('worker_threads');
const api = require('@opentelemetry/api');
const { setup, parentOf, waitFor, expect } = require('../_witness');

const { tracer } = setup('als');
// the server answers from its own context, later: nothing of the request's context reaches it
const server = api.context.with(api.ROOT_CONTEXT, () =>
  net.createServer((socket) => setTimeout(() => socket.end('pong'), 10)).listen(0, '127.0.0.1'),
);

function handle(port) {
  tracer.startActiveSpan('request', (span) => {
    const client = net.connect(port, '127.0.0.1');
    client.on('data', () => tracer.startSpan('client.data').end());
    const worker = new Worker('setTimeout(() => require("worker_threads").parentPort.postMessage("done"), 10)', { eval: true });
    worker.on('message', () => {
      tracer.startSpan('worker.message').end();
      worker.terminate();
    });
    span.end();
  });
}

server.on('listening', () => handle(server.address().port));
Promise.all([waitFor('client.data'), waitFor('worker.message')]).then(() => {
  server.close();
  expect(
    parentOf('client.data') === 'request' && parentOf('worker.message') === 'request',
    "the listeners of a client and a worker made in the span get the request's span as parent",
  );
});
