/**
 * HAR files exported by Chromium's own DevTools for lab scenarios (recorded by
 * test/fixtures/make-devtools-hars.ts): the CLI reads a browser's real export format and names
 * each scenario's cause for its last failure.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { dist, ensureBuilt, root } from '../helpers/build.ts';

const dir = join(root, 'test', 'fixtures', 'chrome-devtools');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, string>;

describe('why401 explain on real Chrome DevTools exports', () => {
  before(ensureBuilt);
  for (const [file, cause] of Object.entries(expected)) {
    it(`${file} → ${cause}`, () => {
      const r = spawnSync(process.execPath, [join(dist, 'cli', 'why401.mjs'), 'explain', '--json', join(dir, file)], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const report = JSON.parse(r.stdout) as { failures: { findings: { cause: string }[] }[]; skipped?: string[] };
      assert.equal(report.skipped, undefined, 'every entry of a DevTools export is readable');
      const last = report.failures[report.failures.length - 1];
      assert.equal(last?.findings[0]?.cause, cause, JSON.stringify(report.failures.map((f) => f.findings.map((x) => x.cause))));
    });
  }
});
