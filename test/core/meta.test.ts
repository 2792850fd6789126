/**
 * Every cause id has a rule, an explanation, fixes for users and developers, and a test
 * (DESIGN.md, How the code is written, 5). The ids come from the causes tables of README.md and
 * DESIGN.md (with their ranking tiers), both in this repository, so this runs on every clone.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { ACTIONS, CAUSES, CAUSE_IDS, FLOW_CAUSE_IDS, TIER_NAMES } from '../../src/core/verdict/causes.ts';
import { FLOW_CAUSES } from '../../src/core/flows/causes.ts';
import { RULES } from '../../src/core/rules/index.ts';

const root = join(import.meta.dirname, '..', '..');

function idsInTable(markdown: string): string[] {
  const ids: string[] = [];
  for (const line of markdown.split('\n')) {
    const m = /^\|\s*`?([a-z][a-z0-9-]*)`?\s*\|/.exec(line);
    if (m && m[1] !== 'id') ids.push(m[1]!);
  }
  return ids;
}

it('the README lists exactly the cause ids the code knows', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('## Causes');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end); // the causes section only: other tables are not causes
  assert.deepEqual(idsInTable(section).sort(), [...CAUSE_IDS].sort());
});

it('DESIGN.md lists exactly the sign-in flow causes the code knows, and plans none of them again', () => {
  const text = readFileSync(join(root, 'DESIGN.md'), 'utf8');
  const start = text.indexOf('\n## Sign-in flows');
  const section = text.slice(start, text.indexOf('\n## ', start + 1));
  assert.deepEqual(idsInTable(section).sort(), [...FLOW_CAUSE_IDS].sort());
  const at = text.indexOf('\nPlanned');
  const planned = at === -1 ? '' : text.slice(at, text.indexOf('\n\n', at + 1)); // every planned id is built now
  for (const id of FLOW_CAUSE_IDS) {
    assert.ok(!planned.includes(`\`${id}\``), `${id} is built, not planned`);
    assert.ok(FLOW_CAUSES[id].fixes.developers.length > 0, `${id}: a fix for developers`);
  }
});

it('DESIGN.md lists exactly the cause ids the code knows, each in the tier the ranking uses', () => {
  const text = readFileSync(join(root, 'DESIGN.md'), 'utf8');
  const start = text.indexOf('\n## Causes');
  const section = text.slice(start, text.indexOf('\n## ', start + 1));
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([a-z][a-z0-9-]*)`\s*\|\s*([^|]+?)\s*\|/.exec(line);
    if (m) rows.set(m[1]!, m[2]!);
  }
  assert.deepEqual([...rows.keys()].sort(), [...CAUSE_IDS].sort());
  for (const id of CAUSE_IDS) assert.equal(rows.get(id), TIER_NAMES[CAUSES[id].tier], `${id}: its tier in DESIGN.md`);
  // Every tier the code ranks by has a name, and the ranking section names each one.
  const ranking = text.slice(text.indexOf('### Ranking'), start);
  for (const id of CAUSE_IDS) assert.ok(TIER_NAMES[CAUSES[id].tier] !== undefined, `${id}: tier ${CAUSES[id].tier} has no name`);
  for (const name of Object.values(TIER_NAMES)) assert.match(ranking, new RegExp(`\\*\\*${name}\\*\\*`), `the ranking section names the tier "${name}"`);
});

it('no file of the repository points at a document the repository does not contain', () => {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\0').filter((f) => /\.(ts|tsx|mjs|md|json)$/.test(f) && !f.startsWith('dist/'));
  const missing: string[] = [];
  for (const f of files) {
    if (!existsSync(join(root, f))) continue;
    const text = readFileSync(join(root, f), 'utf8');
    for (const m of text.matchAll(/(?:\.\.\/shared\/|\b)([A-Z][A-Z-]+\.md)\b/g)) {
      if (m[0].startsWith('../shared/') || !existsSync(join(root, m[1]!))) missing.push(`${f}: ${m[0]}`);
    }
  }
  assert.deepEqual(missing, []);
});

it('every cause has exactly one rule, in its own file, and a test', () => {
  for (const id of CAUSE_IDS) {
    assert.equal(RULES.filter((r) => r.cause === id).length, 1, `${id}: rules`);
    assert.ok(existsSync(join(root, 'src', 'core', 'rules', `${id}.ts`)), `${id}: src/core/rules/${id}.ts`);
    const test = join(root, 'test', 'core', 'rules', `${id}.test.ts`);
    assert.ok(existsSync(test), `${id}: test/core/rules/${id}.test.ts`);
    assert.match(readFileSync(test, 'utf8'), new RegExp(`'${id}'`), `${id}: its test asserts the cause`);
  }
  assert.equal(RULES.length, CAUSE_IDS.length);
});

/** Causes no action of the extension can fix (the server's or the app's configuration must change): they lead with nothing. */
const NOTHING_TO_LEAD = ['cookie-out-of-scope', 'dpop-nonce-required', 'forbidden', 'ip-restricted', 'preflight-unauthenticated'];

it('every cause has a label, a meaning, fixes for users and developers, and the fixes it can lead with', () => {
  for (const id of CAUSE_IDS) {
    const c = CAUSES[id];
    assert.ok(c.label.length > 0 && c.label.length <= 24, `${id}: label`);
    assert.ok(c.meaning.length > 10, `${id}: meaning`);
    assert.ok(c.fixes.users.length > 0 && c.fixes.developers.length > 0, `${id}: fixes`);
    assert.ok(c.actions.every((a) => (ACTIONS as readonly string[]).includes(a)), `${id}: actions`);
  }
  assert.deepEqual(CAUSE_IDS.filter((id) => CAUSES[id].actions.length === 0).sort(), NOTHING_TO_LEAD);
});
