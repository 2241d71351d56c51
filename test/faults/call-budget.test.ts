/**
 * The engine's client connection (`clientConnectionOptions`) against an address where nothing listens:
 * inside a request's call budget every call, an update included, gives up within the budget; outside
 * one the SDK's default retries are kept (the CLI waits out a short restart).
 */
import { createServer } from 'node:net';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { withCallBudget } from '../../src/temporal/call-budget.js';
import { clientConnectionOptions } from '../../src/temporal/connect.js';

let connection: Connection;
let port: number;

beforeAll(async () => {
  port = await new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address() as { port: number };
      s.close(() => resolve(p));
    });
    s.once('error', reject);
  });
  connection = Connection.lazy(clientConnectionOptions(`127.0.0.1:${port}`));
});
afterAll(async () => {
  await connection?.close();
});

async function timed(call: () => Promise<unknown>): Promise<{ ms: number; code: number | undefined }> {
  const started = performance.now();
  const code = await call().then(
    () => undefined,
    (err: unknown) => (isGrpcServiceError(err) ? err.code : -1),
  );
  return { ms: performance.now() - started, code };
}

test('when the server is unreachable, then a call within a 500 ms budget fails within it (UNAVAILABLE or DEADLINE_EXCEEDED)', async () => {
  const result = await withCallBudget(500, () => timed(() => connection.workflowService.describeNamespace({ namespace: 'default' })));
  expect([14, 4]).toContain(result.code);
  expect(result.ms).toBeLessThan(800);
});

test('when the server is unreachable, then an update (no deadline: it may wait on its workflow) is not retried past the budget', async () => {
  const result = await withCallBudget(500, () =>
    timed(() => connection.workflowService.updateWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId: 'w' } })),
  );
  expect(result.code).toBe(14);
  expect(result.ms).toBeLessThan(800);
});

test('when no budget is set, then the SDK keeps retrying for many seconds (the 20 s hang the API no longer has)', async () => {
  const result = await timed(() => connection.workflowService.describeNamespace({ namespace: 'default' }));
  expect(result.code).toBe(14);
  expect(result.ms).toBeGreaterThan(5_000);
}, 60_000);
