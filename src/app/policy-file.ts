import { readFile } from 'node:fs/promises';
import { parsePolicy, type Policy } from '../domain/decision.js';
import { ConfigError } from '../domain/errors.js';

/** Reads and validates a bank's edited decision policy (POLICY_FILE); every problem is listed. */
export async function loadPolicyFile(path: string): Promise<Policy> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ConfigError([`POLICY_FILE: ${path} cannot be read as JSON (${(err as Error).message})`]);
  }
  try {
    return parsePolicy(json);
  } catch (err) {
    const issues = (err as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
    throw new ConfigError(
      issues ? issues.map((i) => `POLICY_FILE ${path}: ${i.path.join('.') || '(root)'}: ${i.message}`) : [`POLICY_FILE: ${(err as Error).message}`],
    );
  }
}
