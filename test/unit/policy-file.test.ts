import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadPolicyFile } from '../../src/app/policy-file.js';
import { DEFAULT_POLICY } from '../../src/domain/decision.js';
import { ConfigError } from '../../src/domain/errors.js';

const SHIPPED = new URL('../../config/policy.json', import.meta.url);
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kyc-policy-'));
  dirs.push(dir);
  return dir;
}

describe('the policy file a bank edits', () => {
  test('the shipped config/policy.json is the built-in default policy', async () => {
    expect(JSON.parse(await readFile(SHIPPED, 'utf8'))).toEqual(DEFAULT_POLICY);
    expect(await loadPolicyFile(SHIPPED.pathname)).toEqual(DEFAULT_POLICY);
  });

  test('when a bank moves a reason from review to reject, then the loaded policy says so', async () => {
    const dir = await tempDir();
    const edited = { ...DEFAULT_POLICY, rejectReasons: [...DEFAULT_POLICY.rejectReasons, 'sanctions_match'] };
    await writeFile(join(dir, 'p.json'), JSON.stringify(edited));
    expect((await loadPolicyFile(join(dir, 'p.json'))).rejectReasons).toContain('sanctions_match');
  });

  test('when the file is malformed, then a ConfigError names the problem', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ ...DEFAULT_POLICY, rejectReasons: ['Not Snake'] }));
    await expect(loadPolicyFile(join(dir, 'bad.json'))).rejects.toThrow(ConfigError);
    await expect(loadPolicyFile(join(dir, 'bad.json'))).rejects.toThrow(/rejectReasons/);
  });
});
