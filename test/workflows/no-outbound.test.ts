/**
 * The engine makes no outbound connection. A whole case — a photographed passport (OCR), a
 * text-layer PDF, a scanned PDF (rendered, then OCR), a letter the rules cannot place (the local
 * model in assist mode, the real default GGUF) — runs through the real pipeline in this process
 * while test/support/outbound-watch.ts records every connection attempt in JavaScript (main thread
 * and worker threads) and samples the kernel's socket tables for this process. Only loopback (the
 * test's Temporal server) and the configured allow-list may appear; the first test shows the watch
 * does catch what it must.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server } from 'node:net';
import { lookup } from 'node:dns';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isAllowedOutbound } from '../../src/domain/outbound.js';
import { watchOutbound, type OutboundWatch } from '../support/outbound-watch.js';

// A listener on this host's own network address: connecting to it is a real non-loopback socket
// (the kernel sampler must see it) without sending anything off the machine.
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
const listener: Server = createServer((socket) => socket.end());
await new Promise<void>((resolve) => listener.listen(0, '0.0.0.0', resolve));
const listenerPort = (listener.address() as { port: number }).port;
const probeEndpoint = externalAddress ? `${externalAddress}:${listenerPort}` : undefined;

// Before anything imports tesseract.js (which captures `Worker` when loaded): the pipeline comes later.
const watch: OutboundWatch = watchOutbound({ allow: probeEndpoint ? [probeEndpoint] : [] });

const { startPipeline } = await import('../support/pipeline.js');
const { createLogger } = await import('../../src/logger.js');
const { readCaseDir } = await import('../../src/cli/case-dir.js');
const { generateSampleBatch } = await import('../../src/corpus/index.js');
const { drawTextCanvas, imagePdf, textPdf } = await import('../support/draw.js');
type Pipeline = Awaited<ReturnType<typeof startPipeline>>;

const AS_OF = '2026-11-01';
let pipeline: Pipeline;
let sampleDir: string;

beforeAll(async () => {
  sampleDir = await mkdtemp(join(tmpdir(), 'kyc-no-outbound-'));
  await generateSampleBatch(sampleDir, { asOf: AS_OF });
});
afterAll(async () => {
  await pipeline?.close();
  await watch.stop();
  listener.close();
  await rm(sampleDir, { recursive: true, force: true });
});

describe('the outbound watch', () => {
  test('when code connects, fetches or resolves outside, in the main thread or a worker thread, then it is caught', async () => {
    const from = watch.attempts.length;
    const tcp = await new Promise<Error>((resolve) => connect(80, '192.0.2.1').on('error', resolve));
    expect(tcp.message).toContain('blocked by the test guard');
    await expect(fetch('https://192.0.2.1/')).rejects.toThrow('fetch failed');
    const dnsError = await new Promise<Error | null>((resolve) => lookup('example.com', (err) => resolve(err)));
    expect(dnsError?.message).toContain('ENOTFOUND');

    const { Worker } = await import('node:worker_threads');
    const thread = new Worker(
      "require('node:net').connect(443, '192.0.2.1').on('error', () => process.exit(0));",
      { eval: true },
    );
    await new Promise((resolve) => thread.on('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));

    const caught = watch.attempts.slice(from).filter((a) => !a.allowed);
    expect(caught).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ via: 'net.Socket.connect', host: '192.0.2.1', port: 80, thread: 'main' }),
        expect.objectContaining({ via: 'fetch', host: '192.0.2.1', port: 443 }),
        expect.objectContaining({ via: 'dns.lookup', host: 'example.com' }),
        expect.objectContaining({ via: 'net.Socket.connect', host: '192.0.2.1', port: 443, thread: expect.stringMatching(/^worker \d+$/) }),
      ]),
    );
  });

  test('when a real socket reaches a non-loopback address, then the kernel sampler sees it', async () => {
    expect(probeEndpoint, 'this host has no non-loopback IPv4 address to probe the kernel sampler with').toBeDefined();
    const socket = connect(listenerPort, externalAddress!);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    watch.sample();
    socket.destroy();
    expect(watch.kernel.map((s) => s.remote)).toContain(probeEndpoint);
  });
});

describe('a whole case with OCR, PDF and the local model', () => {
  test('when the case runs, then no connection leaves loopback and the allow-list', { timeout: 300_000 }, async () => {
    const fromAttempts = watch.attempts.length;
    const fromKernel = watch.kernel.length;
    const samplesBefore = watch.samples;
    const threadsBefore = watch.guardedThreads;

    pipeline = await startPipeline({ MODEL_MODE: 'assist' }, { logger: createLogger('error') });
    expect(existsSync(pipeline.config.model.path), `the default model is missing at ${pipeline.config.model.path}: run npm run setup`).toBe(true);

    const sample = await readCaseDir(join(sampleDir, 'case-001'), 10_000_000);
    const scan = drawTextCanvas({ lines: ['BANK STATEMENT', 'Account holder: Alice Martin', 'Closing balance 120.00 GBP'], width: 1240, height: 1754, fontSize: 30 }).encodeSync('png');
    const { batchId } = await pipeline.service.submitBatch({
      asOf: AS_OF,
      cases: [{
        ...sample,
        documents: [
          ...sample.documents,
          { fileName: 'scanned-statement.pdf', bytes: await imagePdf([scan]) },
          // No document type's keywords: the rules are unsure, so the model is asked.
          { fileName: 'letter.pdf', bytes: await textPdf([['Dear Sir or Madam,', 'please find enclosed the papers you asked for.', 'Kind regards']]) },
        ],
      }],
    });
    await pipeline.service.waitForBatch(batchId);
    const report = (await pipeline.service.getCaseInBatch(batchId, sample.caseId)) as import('../../src/domain/report.js').CaseReport;
    const allowList = pipeline.config.network.allowedOutbound;
    await pipeline.close();
    pipeline = undefined as unknown as Pipeline;
    await new Promise((resolve) => setTimeout(resolve, 100));
    watch.sample();

    // Everything ran: OCR on the photo and the scan, the text layer, and the model.
    const byFile = Object.fromEntries(report.documents.map((d) => [d.file, d]));
    expect(byFile['passport.jpg']?.pages.map((p) => p.method)).toEqual(['ocr']);
    expect(byFile['utility_bill.pdf']?.pages.map((p) => p.method)).toEqual(['pdf-text']);
    expect(byFile['scanned-statement.pdf']?.pages.map((p) => p.method)).toEqual(['ocr']);
    expect(byFile['letter.pdf']?.model, 'the model was not used on the letter').toBeDefined();

    // Judged against the engine's own allow-list (from its config), not the watch's.
    const attempts = watch.attempts.slice(fromAttempts);
    const sockets = watch.kernel.slice(fromKernel);
    const outside = [
      // A Unix domain socket is a file on this machine, not a network connection: tsx's loader,
      // registered in the rules-analysis thread under this test runner, looks for the IPC pipe of a
      // parent tsx process there.
      ...attempts.filter((a) => a.host !== 'unix' && !isAllowedOutbound(a.host, a.port, allowList)),
      ...sockets.filter((s) => !isAllowedOutbound(s.remote.replace(/:\d+$/, ''), Number(s.remote.split(':').pop()), allowList)),
    ];
    console.log(
      `outbound watch: ${watch.samples - samplesBefore} kernel samples, ${watch.loopbackSockets} loopback sockets seen, ` +
        `${watch.guardedThreads - threadsBefore} guarded worker threads, ${attempts.length} JS attempts ` +
        `(${attempts.filter((a) => a.thread !== 'main').length} from worker threads), ${sockets.length} non-loopback sockets\n` +
        attempts.map((a) => `  ${a.thread} ${a.via} ${a.host}:${a.port}`).join('\n'),
    );
    expect(outside).toEqual([]);
    // The watch was watching: many samples, our Temporal connection seen, OCR threads guarded.
    expect(watch.samples - samplesBefore).toBeGreaterThan(100);
    expect(watch.loopbackSockets).toBeGreaterThan(0);
    expect(watch.guardedThreads - threadsBefore).toBeGreaterThanOrEqual(2); // OCR_WORKERS=2 in the pipeline
  });
});
