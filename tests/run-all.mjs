// `npm test`: builds the app, runs unit and end-to-end tests, and ends with "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: false });

// The type check counts as one test: a type error fails the run but the tests still report.
const typecheck = run('npx', ['tsc', '--noEmit', '-p', '.']);
const typeFailures = typecheck.status === 0 ? 0 : 1;
if (typeFailures) console.error('Type check failed (npx tsc --noEmit -p .)');

const build = run('npx', ['vite', 'build', '--logLevel', 'warn']);
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
mkdirSync('test-results', { recursive: true });
const out = 'test-results/vitest.json';
const tests = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`, ...process.argv.slice(2)]);
let passed = 0;
let failed = tests.status === 0 ? 0 : 1;
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  passed = r.numPassedTests;
  // A file that fails to load counts as a failure even though it ran no test.
  failed = r.numFailedTests + (r.testResults ?? []).filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  if (tests.status !== 0 && failed === 0) failed = 1;
  if (r.numPendingTests) console.log(`${r.numPendingTests} skipped`);
}
passed += 1 - typeFailures;
failed += typeFailures;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && tests.status === 0 ? 0 : 1);
