// Schemathesis against the running local API with the document: the checks, dictionaries and
// bounds are in ../schemathesis.toml; the seed is fixed here, so every run tries the same cases.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, ACCOUNT_KEY, startLocalApi } from './local-api.mjs';

const SEED = '20261201';
let api;

before(async () => {
  api = await startLocalApi();
});

after(async () => {
  await api?.stop();
});

test('schemathesis finds no difference between the document and the local API', () => {
  const run = spawnSync(
    path.join(ROOT, '.venv', 'bin', 'schemathesis'),
    [
      'run',
      path.join('build', 'openapi.json'),
      '--url',
      api.baseUrl,
      '--seed',
      SEED,
      '--header',
      `Authorization: Bearer ${ACCOUNT_KEY}`,
      '--no-color',
    ],
    { cwd: path.join(ROOT, 'openapi'), encoding: 'utf8', timeout: 300_000 },
  );
  const output = `${run.stdout}\n${run.stderr}`;
  assert.equal(run.status, 0, output);
  // Every phase ran, the links were followed, and something was generated.
  for (const phase of ['Examples', 'Coverage', 'Fuzzing', 'Stateful']) {
    assert.match(output, new RegExp(`✅\\s+${phase}`), output);
  }
  assert.match(output, /API Links:\s+[1-9]\d* covered/, output);
  assert.match(output, /No issues found/, output);
});
