/**
 * Proof that OCR stays offline: a worker-thread entry script that disables every way out of the
 * thread (fetch, http(s), net, tls, dns) and then runs the engine's OCR thread script (tesseract.js's own worker script, niced). tesseract.js
 * loads its core and traineddata inside that thread, so any download attempt fails the pool loudly.
 * Started with `workerData: { probe: true }`, the script instead reports what each guard does.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OCR_THREAD_SCRIPT } from '../../src/adapters/tesseract-ocr.js';

export function offlineTesseractWorkerScript(): string {
  // The engine's own thread script (niced tesseract.js), behind the guards.
  const real = OCR_THREAD_SCRIPT;
  const script = `'use strict';
const deny = (what) => function denied() { throw new Error('network access attempted in an OCR worker: ' + what); };
globalThis.fetch = deny('fetch');
const net = require('node:net');
net.connect = net.createConnection = deny('net.connect');
net.Socket.prototype.connect = deny('net.Socket.connect');
for (const name of ['node:http', 'node:https']) {
  const mod = require(name);
  mod.request = deny(name + '.request');
  mod.get = deny(name + '.get');
}
require('node:tls').connect = deny('tls.connect');
const dns = require('node:dns');
dns.lookup = deny('dns.lookup');
dns.promises.lookup = deny('dns.promises.lookup');
// A probe run (workerData.probe) reports what each guard says instead of starting tesseract.js.
const { workerData, parentPort } = require('node:worker_threads');
if (workerData && workerData.probe) {
  const attempts = [
    () => globalThis.fetch('https://cdn.jsdelivr.net/'),
    () => net.connect(443, 'cdn.jsdelivr.net'),
    () => require('node:https').get('https://cdn.jsdelivr.net/'),
    () => dns.lookup('cdn.jsdelivr.net', () => {}),
  ];
  parentPort.postMessage(attempts.map((attempt) => { try { attempt(); return 'allowed'; } catch (e) { return e.message; } }));
} else {
  require(${JSON.stringify(real)});
}
`;
  const file = join(mkdtempSync(join(tmpdir(), 'kyc-offline-ocr-')), 'worker.cjs');
  writeFileSync(file, script);
  return file;
}
