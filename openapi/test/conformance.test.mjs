// Schemathesis against the running local API with the document: the checks, dictionaries and
// bounds are in ../schemathesis.toml; the seed is fixed here, so every run tries the same cases.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
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

// Asynchronous on purpose: a blocking spawn would stop this process from reading the local API's
// output, and the API would stall once its log pipe is full.
async function run(command, args, options) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [status] = await once(child, 'exit');
  return { status, stdout, stderr };
}

test('schemathesis finds no difference between the document and the local API', async (t) => {
  const result = await run(
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
      // Every request and answer, for reading a failure afterwards.
      '--report',
      'har',
      '--report-har-path',
      path.join('build', 'schemathesis.har'),
    ],
    {
      cwd: path.join(ROOT, 'openapi'),
      // Makes every valid generated Idempotency-Key unique (see the hooks file).
      env: { ...process.env, SCHEMATHESIS_HOOKS: path.join(ROOT, 'openapi', 'test', 'schemathesis_hooks.py') },
    },
  );
  const output = `${result.stdout}\n${result.stderr}\n--- local API, last lines ---\n${api.output().slice(-4000)}`;
  assert.equal(result.status, 0, output);
  // Every phase ran, the links were followed, and something was generated.
  for (const phase of ['Examples', 'Coverage', 'Fuzzing', 'Stateful']) {
    assert.match(output, new RegExp(`✅\\s+${phase}`), output);
  }
  assert.match(output, /API Links:\s+[1-9]\d* covered/, output);
  assert.match(output, /No issues found/, output);
  t.diagnostic(output.match(/\d+ generated, \d+ passed/)[0]);
});
