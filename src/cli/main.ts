import { Command, InvalidArgumentError, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { openEngine } from '../app/engine.js';
import { loadConfig } from '../config.js';
import { KycError } from '../domain/errors.js';
import type { CaseReport } from '../domain/report.js';
import { createLogger } from '../logger.js';
import { readCaseDir } from './case-dir.js';
import { formatProgress, formatReportTable } from './format.js';
import { runService } from './serve.js';
import { eraseCommand } from './erase.js';
import { createKeyCommand, exportCorrectionsCommand, listKeysCommand, revokeKeyCommand } from './admin.js';
import { ROLES } from '../review/types.js';
import { auditCommand } from './audit.js';

const EXIT = { ok: 0, caseFailed: 1, usage: 2, infrastructure: 3 } as const;

function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('expected YYYY-MM-DD');
  }
  return value;
}

interface ProcessOptions {
  json?: boolean;
  asOf?: string;
  sanctions?: string;
  batchId?: string;
  worker: 'auto' | 'always' | 'never';
}

async function processCommand(dirs: string[], opts: ProcessOptions): Promise<number> {
  const config = loadConfig();
  // The terminal shows progress and results; logs only when asked for (LOG_LEVEL) or on errors.
  const logger = createLogger(process.env.LOG_LEVEL ?? 'error');
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const cases = [];
  // A document over MAX_DOCUMENT_BYTES is not read past it, and fails alone as DOCUMENT_TOO_LARGE.
  for (const dir of dirs) cases.push(await readCaseDir(dir, config.extraction.maxBytes));
  const sanctionsCsv = opts.sanctions ? await readFile(opts.sanctions) : undefined;

  const engine = await openEngine({ config, logger, workers: opts.worker, onProgress: say });
  const stop = (): void => {
    say('Interrupted: the batch stays in Temporal and resumes when you run the same command again.');
    void engine.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const submission = await engine.service.submitBatch({
      cases,
      ...(opts.asOf ? { asOf: opts.asOf } : {}),
      ...(opts.batchId ? { batchId: opts.batchId } : {}),
      ...(sanctionsCsv ? { sanctionsCsv } : {}),
    });
    say(
      submission.existing
        ? `Batch ${submission.batchId} (${cases.length} case(s)) was submitted before: following it, nothing is processed twice.`
        : `Submitted batch ${submission.batchId} (${cases.length} case(s)).`,
    );
    const result = await followBatch(engine.service, submission.batchId, say);
    const reports: CaseReport[] = [];
    let failed = 0;
    for (const c of result.cases) {
      const report = await engine.service.getCaseInBatch(submission.batchId, c.caseId);
      if (report && 'decision' in report && 'documents' in report) reports.push(report);
      else failed += 1;
    }
    if (opts.json) process.stdout.write(`${JSON.stringify({ batchId: submission.batchId, cases: reports })}\n`);
    else process.stdout.write(formatReportTable(submission.batchId, reports));
    if (failed > 0) say(`${failed} case(s) failed to complete; see the Temporal UI for details.`);
    return failed > 0 ? EXIT.caseFailed : EXIT.ok;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await engine.close();
  }
}

/** Shows progress on stderr until the batch completes. */
async function followBatch(
  service: Awaited<ReturnType<typeof openEngine>>['service'],
  batchId: string,
  say: (line: string) => void,
): Promise<{ cases: Array<{ caseId: string }> }> {
  const tty = process.stderr.isTTY;
  let finished = false;
  const result = service.waitForBatch(batchId).finally(() => { finished = true; });
  let last = '';
  while (!finished) {
    const status = await service.getBatch(batchId).catch(() => undefined);
    if (status && status.total > 0) {
      const line = formatProgress(status.completed, status.total, status.pagesProcessed);
      if (tty) process.stderr.write(`\r${line}`);
      else if (line !== last) say(line);
      last = line;
    }
    await Promise.race([result.catch(() => undefined), sleep(tty ? 500 : 2000)]);
  }
  if (tty && last) process.stderr.write('\n');
  return result;
}

export function buildProgram(): Command {
  const program = new Command('kyc').description('Sovereign KYC document engine (runs entirely on this machine)');
  program
    .command('process')
    .description('process applicant folders as one batch through the durable workflows')
    .argument('<case-dir...>', "one folder per applicant: documents plus an optional applicant.json")
    .option('--json', 'print exactly one JSON object {batchId, cases} on stdout')
    .option('--as-of <date>', 'date for every date check (YYYY-MM-DD; default today)', isoDate)
    .option('--sanctions <file>', 'sanctions/PEP list in OpenSanctions targets.simple.csv format')
    .option('--batch-id <id>', 'explicit batch id (default: derived from the content, so reruns are idempotent)')
    .addOption(new Option('--worker <mode>', 'run workers in this process (auto: on the embedded server yes, on a TEMPORAL_ADDRESS cluster no)').choices(['auto', 'always', 'never']).default('auto'))
    .action(async (dirs: string[], opts: ProcessOptions) => {
      process.exitCode = await processCommand(dirs, opts);
    });
  program
    .command('serve')
    .description('run Temporal (embedded unless TEMPORAL_ADDRESS), the workers and the HTTP API')
    .action(async () => {
      process.exitCode = await runService();
    });
  const keys = program.command('keys').description('API keys of staff and integrations (stored hashed in the review database)');
  keys
    .command('create')
    .description('create a key for a person of an organisation and print it once')
    .requiredOption('--org <org>', 'the organisation (client) the key belongs to, e.g. acme; the bank\'s own staff use one too')
    .option('--person <name>', 'the person (or integration) using the key, e.g. "Alice Martin"')
    .option('--name <name>', 'the same as --person (older spelling)')
    .option('--same-person', 'the person already holds an active key in the organisation and this is another of theirs')
    .requiredOption('--role <role...>', `roles: ${ROLES.join(', ')}`)
    .action(async (opts: { org: string; person?: string; name?: string; samePerson?: boolean; role: string[] }) => {
      process.exitCode = await createKeyCommand(opts);
    });
  keys
    .command('list')
    .description('list keys (never their secrets)')
    .action(async () => {
      process.exitCode = await listKeysCommand();
    });
  keys
    .command('revoke')
    .argument('<key-id>')
    .description('revoke a key')
    .action(async (keyId: string) => {
      process.exitCode = await revokeKeyCommand(keyId);
    });
  program
    .command('audit')
    .argument('[case-id]')
    .description("print a case's MAC-chained audit trail; verify it against the workflow's head and the signed checkpoint")
    .option('--verify', 'check every MAC and link, the workflow head and the checkpoint; exit 1 on any break')
    .option('--verify-all', 'verify every case in the database and in the checkpoint')
    .option('--checkpoint', 'write a signed checkpoint of every case head now')
    .option('--strict', 'also exit 1 when legacy (unkeyed, plain sha256) records are found')
    .option('--json', 'one JSON object on stdout')
    .option('--batch <id>', 'the case of this batch (default: its latest)')
    .action(async (caseId: string | undefined, opts: { verify?: boolean; verifyAll?: boolean; checkpoint?: boolean; strict?: boolean; json?: boolean; batch?: string }) => {
      process.exitCode = await auditCommand(caseId, opts);
    });
  program
    .command('export-corrections')
    .description("write reviewers' corrections as JSONL labelled examples (document text, engine value, model, correction)")
    .option('--out <file>', 'output file (default stdout)')
    .action(async (opts: { out?: string }) => {
      process.exitCode = await exportCorrectionsCommand(opts);
    });
  program
    .command('erase')
    .description('erase a case: its documents (crypto-shredded), report, corrections and review notes; a PII-free erasure record stays')
    .argument('<case-id>')
    .option('--batch <batch-id>', 'only the case of this batch (default: every batch that carried the case id)')
    .option('--json', 'print the erasure summary as one JSON object')
    .action(async (caseId: string, opts: { batch?: string; json?: boolean }) => {
      process.exitCode = await eraseCommand(caseId, opts);
    });
  program
    .command('api')
    .description('run only the HTTP API (workers run elsewhere against the same Temporal)')
    .action(async () => {
      process.exitCode = await runService({ workers: false });
    });
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof KycError) {
      process.stderr.write(`kyc: ${err.message}\n`);
      process.exitCode = err.code === 'TEMPORAL_UNAVAILABLE' ? EXIT.infrastructure : EXIT.usage;
    } else {
      process.stderr.write(`kyc: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = EXIT.infrastructure;
    }
  }
}

await main();
