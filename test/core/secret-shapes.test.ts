/**
 * The generated secret-shape suite: every shape's canary is absent from every default output —
 * the CLI's text, JSON, Markdown, cURL, fetch, GitHub and JUnit formats, `why401 redact`, the panel's HAR export
 * and its Markdown report, and every sentence core writes — and present when the user asks for
 * secrets (so each shape really carries what it claims to).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { run } from '../../src/cli/why401.ts';
import { judge } from '../../src/core/verdict/diagnose.ts';
import { exportHar } from '../../src/core/exchange/export.ts';
import { markdownReport } from '../../src/core/views/report-md.ts';
import { toCurl, toFetch } from '../../src/core/actions/reproduce.ts';
import { har } from '../helpers/har.ts';
import { secretShapes, type SecretShape } from '../helpers/secret-shapes.ts';

const shapes = secretShapes();

/** The shapes whose canary is in the output (Markdown's escapes undone first, so "ghp\\_…" counts). */
function leaks(output: string, list: readonly SecretShape[] = shapes): string[] {
  const plain = output.replace(/\\([\\`*_[\]<>#|~])/g, '$1');
  return list.filter((s) => plain.includes(s.canary)).map((s) => s.id);
}

function cli(args: string[]): string {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(args, (x) => out.push(x), (x) => err.push(x), {}, false);
  assert.equal(code, 0, err.join('\n'));
  return out.join('\n');
}

describe('generated secret shapes', () => {
  let dir = '';
  let file = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'why401-shapes-'));
    file = join(dir, 'shapes.har');
    writeFileSync(file, JSON.stringify(har(shapes.map((s) => s.entry))));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('at least 150 shapes, each with its own canary', () => {
    assert.ok(shapes.length >= 150, `${shapes.length} shapes`);
    assert.equal(new Set(shapes.map((s) => s.canary)).size, shapes.length);
    assert.equal(new Set(shapes.map((s) => s.id)).size, shapes.length);
  });

  it('every shape carries its canary (seen with secrets shown), so the checks below can fail', () => {
    const shown = JSON.stringify(exportHar(shapes.map((s) => ({ entry: s.entry, findings: [] })), { includeSecrets: true, version: 't' }));
    // A Basic user name rides base64-encoded.
    const placed = (s: SecretShape) => shown.includes(s.canary) || shown.includes(Buffer.from(`${s.canary}:`).toString('base64'));
    assert.deepEqual(shapes.filter((s) => !placed(s)).map((s) => s.id), []);
    // The CLI's --show-secrets prints URLs and Authorization raw: the URL shapes show there.
    const raw = cli(['explain', '--each', '--show-secrets', file]);
    assert.ok(leaks(raw).length > 10, `only ${leaks(raw).length} shapes shown with --show-secrets`);
  });

  for (const format of ['text', 'json', 'md', 'curl', 'fetch', 'github', 'junit']) {
    it(`why401 explain --format ${format}: no canary`, () => {
      // Text groups repeats (the shapes share an endpoint and a cause): --each prints every failure.
      assert.deepEqual(leaks(cli(['explain', '--format', format, ...(format === 'text' ? ['--each'] : []), file])), []);
    });
  }

  it('why401 redact: no canary, every entry kept', () => {
    const out = join(dir, 'out.har');
    cli(['redact', file, '-o', out]);
    const text = readFileSync(out, 'utf8');
    assert.equal((JSON.parse(text) as { log: { entries: unknown[] } }).log.entries.length, shapes.length);
    assert.deepEqual(leaks(text), []);
  });

  it("the panel's exports (HAR, Markdown report, cURL and fetch copies): no canary", () => {
    const items = shapes.map((s) => {
      const j = judge(s.entry);
      return { entry: j.entry, findings: j.findings, notes: j.notes, at: Date.parse(s.entry.startedDateTime), id: s.id };
    });
    assert.deepEqual(leaks(JSON.stringify(exportHar(items, { includeSecrets: false, version: 't' }))), []);
    assert.deepEqual(leaks(markdownReport(items)), []);
    for (const it of items) {
      assert.deepEqual(leaks(toCurl(it.entry).text), [], `cURL of ${it.id}`);
      assert.deepEqual(leaks(toFetch(it.entry).text), [], `fetch of ${it.id}`);
    }
  });

  it("core's own sentences (findings, notes, evidence): no canary", () => {
    for (const s of shapes) {
      const j = judge(s.entry);
      assert.deepEqual(leaks(JSON.stringify({ findings: j.findings, notes: j.notes }), [s]), [], s.id);
    }
  });
});
