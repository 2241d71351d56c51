import { Client, Connection } from '@temporalio/client';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { startWorkers, type RunningWorkers } from '../../workers/bootstrap.js';
import { FsDocumentStore } from '../adapters/fs-document-store.js';
import type { Config } from '../config.js';
import { resolveTemporal, type TemporalTarget } from '../temporal/connect.js';
import { QUEUE_NAMES, TASK_QUEUES, type QueueName } from '../temporal/names.js';
import { TemporalKycService } from './temporal-kyc-service.js';

export interface Engine {
  target: TemporalTarget;
  client: Client;
  service: TemporalKycService;
  workers?: RunningWorkers;
  close(): Promise<void>;
}

export interface OpenEngineOptions {
  config: Readonly<Config>;
  logger: Logger;
  /** 'auto': run in-process workers unless every queue already has a live poller. */
  workers: 'auto' | 'always' | 'never';
  onProgress?: (line: string) => void;
}

/** Connects to Temporal (starting the embedded server when needed), optionally with in-process workers. */
export async function openEngine(options: OpenEngineOptions): Promise<Engine> {
  const { config, logger } = options;
  const target = await resolveTemporal(config, options.onProgress);
  const connection = await Connection.connect({ address: target.address });
  const client = new Client({ connection, namespace: target.namespace });
  const defaultSanctionsCsv = config.sanctionsList ? await readFile(config.sanctionsList) : undefined;
  const service = new TemporalKycService({
    client,
    store: new FsDocumentStore(join(config.dataDir, 'store')),
    maxConcurrentCases: config.batch.maxConcurrentCases,
    ...(defaultSanctionsCsv ? { defaultSanctionsCsv } : {}),
  });

  let workers: RunningWorkers | undefined;
  const wanted = options.workers === 'always' || (options.workers === 'auto' && !(await allQueuesServed(connection, target.namespace)));
  if (wanted) {
    options.onProgress?.('Starting in-process workers…');
    workers = await startWorkers({ config, address: target.address, namespace: target.namespace, logger });
  }
  const close = async (): Promise<void> => {
    await workers?.shutdown();
    await connection.close();
    await target.server?.stop();
  };
  return { target, client, service, ...(workers ? { workers } : {}), close };
}

/** True when every task queue has had a poller in the last minute (a service is running). */
async function allQueuesServed(connection: Connection, namespace: string): Promise<boolean> {
  const recent = Date.now() - 60_000;
  const served = async (queue: QueueName): Promise<boolean> => {
    const taskQueueType = queue === 'workflows' ? 1 : 2; // TASK_QUEUE_TYPE_WORKFLOW : _ACTIVITY
    const res = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: TASK_QUEUES[queue] },
      taskQueueType,
    });
    return (res.pollers ?? []).some((p) => {
      const seconds = Number(p.lastAccessTime?.seconds ?? 0);
      return seconds * 1000 > recent;
    });
  };
  try {
    const results = await Promise.all(QUEUE_NAMES.map(served));
    return results.every(Boolean);
  } catch {
    return false;
  }
}
