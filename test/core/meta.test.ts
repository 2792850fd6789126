/**
 * Every cause id has a rule, an explanation, fixes for users and developers, and a test
 * (STYLE.md §5). The ids come from the causes table in README.md and, when the shared design
 * document is present next to the checkout, from DESIGN.md too.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { CAUSES, CAUSE_IDS } from '../../src/core/causes.ts';
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

it('DESIGN.md (when present) lists exactly the cause ids the code knows', (t) => {
  const design = join(root, '..', 'shared', 'DESIGN.md');
  if (!existsSync(design)) {
    t.skip('../shared/DESIGN.md is not next to this checkout');
    return;
  }
  const text = readFileSync(design, 'utf8');
  const section = text.slice(text.indexOf('## Causes'), text.indexOf('## The CLI contract'));
  // The shared design may still list new ids as "Planned" (outside its table); the code may
  // implement a planned id, never an id the design does not name.
  const planned = [...(/^Planned[\s\S]*?(?=\n\n)/m.exec(section)?.[0] ?? '').matchAll(/`([a-z][a-z0-9-]*)`/g)].map((m) => m[1]!).filter((id) => /-/.test(id));
  const table = idsInTable(section);
  for (const id of table) assert.ok((CAUSE_IDS as readonly string[]).includes(id), `${id}: in the design's table, not in the code`);
  for (const id of CAUSE_IDS) assert.ok(table.includes(id) || planned.includes(id), `${id}: in the code, not in the design`);
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

it('every cause has a label, a meaning, fixes for users and developers, and actions', () => {
  for (const id of CAUSE_IDS) {
    const c = CAUSES[id];
    assert.ok(c.label.length > 0 && c.label.length <= 24, `${id}: label`);
    assert.ok(c.meaning.length > 10, `${id}: meaning`);
    assert.ok(c.fixes.users.length > 0 && c.fixes.developers.length > 0, `${id}: fixes`);
    assert.ok(c.actions.length > 0, `${id}: actions`);
  }
});
