'use strict';
/**
 * A recording network guard for tests (see outbound-watch.ts). It wraps every way out of a JS
 * thread — net.Socket#connect (and so net.connect, tls.connect, http(s) and fetch's sockets),
 * tls.connect, http(s).request/get, fetch, dns lookups and resolves, UDP sends — and reports each
 * attempt with its destination. Loopback and allow-listed `host:port` endpoints go through;
 * anything else is reported and then fails, the way an unreachable network fails.
 *
 * In the main thread outbound-watch.ts calls `install()`. Worker threads (tesseract.js runs OCR in
 * them) load this file with `--require`: it then installs itself with the allow-list from
 * KYC_OUTBOUND_ALLOW and reports over a BroadcastChannel.
 */
const net = require('node:net');
const tls = require('node:tls');
const http = require('node:http');
const https = require('node:https');
const dns = require('node:dns');
const dgram = require('node:dgram');
const { isMainThread, threadId, BroadcastChannel } = require('node:worker_threads');

const CHANNEL = 'kyc-outbound-watch';
let installed = false;

function isLoopback(host) {
  const bare = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(bare);
}

function endpoint(host, port) {
  const bare = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  return bare.includes(':') ? `[${bare}]:${port}` : `${bare}:${port}`;
}

/** The destination of a `connect` call, whatever form its arguments take. */
function destinationOf(args) {
  let [first, second] = args;
  if (Array.isArray(first)) first = first[0]; // internal normalized form
  if (first && typeof first === 'object') {
    if (first.path) return { host: 'unix', port: 0, path: String(first.path) };
    return { host: first.host ?? 'localhost', port: Number(first.port) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { host: 'unix', port: 0, path: first };
  return { host: typeof second === 'string' ? second : 'localhost', port: Number(first) };
}

function install({ allow = [], report }) {
  if (installed) return;
  installed = true;
  const thread = isMainThread ? 'main' : `worker ${threadId}`;
  const allowed = (host, port) => host === 'unix' || isLoopback(host) || allow.includes(endpoint(host, port));
  const record = (via, host, port, ok) => {
    try {
      report({ via, host: String(host), port: Number(port) || 0, allowed: ok, thread });
    } catch {
      // reporting must never break the code under watch
    }
  };
  const refusal = (via, host, port) =>
    Object.assign(new Error(`outbound connection blocked by the test guard: ${via} ${endpoint(host, port)}`), { code: 'ENETUNREACH' });

  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const { host, port } = destinationOf(args);
    const ok = allowed(host, port);
    record('net.Socket.connect', host, port, ok);
    if (ok) return connect.apply(this, args);
    process.nextTick(() => this.destroy(refusal('net.Socket.connect', host, port)));
    return this;
  };

  const tlsConnect = tls.connect;
  tls.connect = function guardedTlsConnect(...args) {
    const { host, port } = destinationOf(args);
    record('tls.connect', host, port, allowed(host, port));
    return tlsConnect.apply(this, args); // the socket's own connect is guarded above
  };

  for (const [name, mod, defaultPort] of [['http', http, 80], ['https', https, 443]]) {
    for (const method of ['request', 'get']) {
      const original = mod[method];
      mod[method] = function guardedRequest(...args) {
        const first = args[0];
        const url = typeof first === 'string' || first instanceof URL ? new URL(String(first)) : undefined;
        const host = url ? url.hostname : (first?.hostname ?? first?.host ?? 'localhost');
        const port = url ? Number(url.port) || defaultPort : Number(first?.port) || defaultPort;
        record(`${name}.${method}`, host, port, allowed(host, port));
        return original.apply(this, args);
      };
    }
  }

  if (typeof globalThis.fetch === 'function') {
    const originalFetch = globalThis.fetch;
    globalThis.fetch = function guardedFetch(input, init) {
      let url;
      try {
        url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
      } catch {
        return originalFetch.call(this, input, init);
      }
      const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
      const ok = url.protocol === 'data:' || url.protocol === 'blob:' || allowed(url.hostname, port);
      record('fetch', url.hostname, port, ok);
      if (!ok) return Promise.reject(new TypeError('fetch failed', { cause: refusal('fetch', url.hostname, port) }));
      return originalFetch.call(this, input, init);
    };
  }

  // Name resolution is a packet to a resolver: only loopback names resolve.
  const guardLookup = (via, original) =>
    function guardedLookup(hostname, ...rest) {
      const ok = isLoopback(hostname) || net.isIP(hostname) !== 0;
      record(via, hostname, 53, ok);
      if (ok) return original.call(this, hostname, ...rest);
      const callback = rest.findLast((a) => typeof a === 'function');
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (blocked by the test guard)`), { code: 'ENOTFOUND', hostname });
      if (callback) process.nextTick(() => callback(error));
      else return Promise.reject(error);
      return undefined;
    };
  dns.lookup = guardLookup('dns.lookup', dns.lookup);
  dns.promises.lookup = guardLookup('dns.promises.lookup', dns.promises.lookup);
  for (const method of ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveTxt', 'resolveSrv']) {
    if (typeof dns[method] === 'function') dns[method] = guardLookup(`dns.${method}`, dns[method]);
    if (typeof dns.promises[method] === 'function') dns.promises[method] = guardLookup(`dns.promises.${method}`, dns.promises[method]);
  }

  const send = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function guardedSend(msg, ...rest) {
    const numbers = rest.filter((a) => typeof a === 'number');
    const host = rest.find((a) => typeof a === 'string') ?? 'localhost';
    const port = numbers.length >= 3 ? numbers[2] : numbers[0];
    const ok = allowed(host, port);
    record('dgram.send', host, port, ok);
    if (ok) return send.call(this, msg, ...rest);
    const callback = rest.findLast((a) => typeof a === 'function');
    if (callback) process.nextTick(() => callback(refusal('dgram.send', host, port)));
    return undefined;
  };
}

module.exports = { install, CHANNEL, isLoopback, endpoint };

// Loaded with --require in a worker thread: guard it and report to the main thread.
if (!isMainThread && process.env.KYC_OUTBOUND_WATCH === '1') {
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  install({
    allow: (process.env.KYC_OUTBOUND_ALLOW || '').split(',').filter(Boolean),
    report: (attempt) => channel.postMessage({ attempt }),
  });
  channel.postMessage({ guarded: threadId });
}
