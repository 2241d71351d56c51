import { Connection, type ConnectionOptions } from '@temporalio/client';
import Long from 'long';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.js';
import { TemporalUnavailableError } from '../domain/errors.js';
import { retentionMs } from '../domain/retention.js';
import { budgetedRetryInterceptor } from './call-budget.js';
import { ensureTemporalCli } from './cli-binary.js';
import { startDevServer, type RunningServer } from './dev-server.js';

export interface TemporalTarget {
  address: string;
  namespace: string;
  /** Set when the embedded dev server is in use. */
  server?: RunningServer;
}

/**
 * gRPC reconnects after a failure with exponential backoff up to 2 minutes by default: a server
 * back after a restart would stay unused that long. Capped at 1 s, recovery follows the server.
 */
export const RECONNECT_CHANNEL_ARGS = Object.freeze({
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 1_000,
});

/**
 * Options for the engine's client connection: quick reconnects, and the SDK's retry made
 * deadline-aware so request handlers fail fast under `withCallBudget` (see call-budget.ts).
 */
export function clientConnectionOptions(address: string): ConnectionOptions {
  return { address, channelArgs: { ...RECONNECT_CHANNEL_ARGS }, interceptors: [budgetedRetryInterceptor()] };
}

/**
 * TEMPORAL_ADDRESS set → that cluster. Otherwise the embedded dev server (reused when already
 * running, else started). Resolves once the namespace answers.
 */
export async function resolveTemporal(
  config: Pick<Config, 'temporal' | 'dataDir' | 'cacheDir'> & Partial<Pick<Config, 'api' | 'retention'>>,
  onProgress?: (line: string) => void,
): Promise<TemporalTarget> {
  const { temporal } = config;
  if (temporal.address) {
    await waitUntilReady(temporal.address, temporal.namespace, 30_000);
    return { address: temporal.address, namespace: temporal.namespace };
  }
  const cliPath = await ensureTemporalCli({ cacheDir: config.cacheDir, explicitPath: temporal.cliPath, onProgress });
  const server = await startDevServer({
    cliPath,
    dataDir: config.dataDir,
    namespace: temporal.namespace,
    port: temporal.port,
    uiPort: temporal.uiPort,
    ...(config.api ? { uiCodecEndpoint: codecEndpoint(config.api) } : {}),
    onProgress,
  });
  try {
    await waitUntilReady(server.address, temporal.namespace, 60_000);
    // Reports live in workflow histories: the dev server's default 24 h retention would delete them
    // a day after each case closes. Keep them as long as RETENTION_REPORTS says (retention then
    // erases them on schedule).
    if (config.retention) await ensureNamespaceRetention(server.address, temporal.namespace, retentionMs(config.retention.reports));
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { address: server.address, namespace: temporal.namespace, server };
}

/**
 * The API's codec endpoint as the browser showing the Temporal UI reaches it; undefined when the
 * port is chosen at random. The UI sends it no API key: see README "Encryption".
 */
export function codecEndpoint(api: Config['api']): string | undefined {
  if (api.port === 0) return undefined;
  const host = ['0.0.0.0', '::', '[::]'].includes(api.host) ? 'localhost' : api.host.includes(':') ? `[${api.host}]` : api.host;
  return `http://${host}:${api.port}/codec`;
}

/** Raises the namespace's history retention to at least `minimumMs` (never lowers it). */
export async function ensureNamespaceRetention(address: string, namespace: string, minimumMs: number): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  try {
    const described = await connection.workflowService.describeNamespace({ namespace });
    const current = Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0) * 1000;
    if (current >= minimumMs) return;
    await connection.workflowService.updateNamespace({
      namespace,
      config: { workflowExecutionRetentionTtl: { seconds: Long.fromNumber(Math.ceil(minimumMs / 1000)) } },
    });
  } finally {
    await connection.close().catch(() => {});
  }
}

/** Polls until the frontend answers for the namespace (the port opens before the namespace exists). */
export async function waitUntilReady(address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (err) {
      lastError = err;
      await sleep(250);
    } finally {
      await connection?.close().catch(() => {});
    }
  }
  throw new TemporalUnavailableError(
    `Temporal at ${address} (namespace ${namespace}) did not answer: ${(lastError as Error)?.message ?? 'timeout'}`,
  );
}
