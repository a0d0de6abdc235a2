// Starts the API as `make run` does (same jar, same main class, demo seed) on a free port, and
// stops it. The port comes from the server's own "Listening on" line (--port 0 lets it choose).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const ACCOUNT_KEY = 'sk_test_demoAccountKey0000000000000000000001';
export const MAIN_WORKSPACE = '6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c';

// A bound, not a wait: moto and the JVM start in ~5 s here; a hung start fails instead of hanging.
const START_TIMEOUT_MS = 120_000;

export async function startLocalApi() {
  const child = spawn(
    'java',
    [
      `-Dcontacts.docs.dir=${path.join(ROOT, 'openapi', 'build')}`,
      '-cp',
      path.join(ROOT, 'local', 'target', 'contacts-local.jar'),
      'com.voicecrm.contacts.local.LocalApi',
      '--port',
      '0',
      '--seed',
      path.join(ROOT, 'events', 'local-seed.json'),
      // Schemathesis sends far more than a free key's burst: usage plans are off here.
      '--no-rate-limits',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, MOTO_PYTHON: process.env.MOTO_PYTHON ?? path.join(ROOT, '.venv', 'bin', 'python') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the local API did not start in ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const read = (chunk) => {
      output += chunk;
      const match = output.match(/Listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the local API exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    baseUrl,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM'); // its shutdown hook stops moto too
        await exited;
      }
    },
  };
}
