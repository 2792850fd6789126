/**
 * The linearity table stays complete and every case survives every hostile shape. The timing
 * itself (input ×4 → time ≤ ×6) is measured by `npm run bench -- linear`, never asserted here:
 * on a loaded machine a ratio of milliseconds says more about the neighbours than the code.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NOT_TEXT, TEXT, UNITS, repeat } from '../helpers/linear-cases.ts';

const isRuleFile = (file: string) => file.startsWith('rules/');

describe('the linearity table (timed by npm run bench -- linear)', () => {
  it('covers every export of src/core', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'src', 'core');
    const listed = new Set([...Object.keys(NOT_TEXT)]);
    const covered = Object.values(TEXT)
      .map((f) => f.toString())
      .join('\n');
    for (const file of readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'))) {
      // Rules and their helpers run inside judge, on every case that judges an entry.
      if (isRuleFile(file)) continue;
      const mod = (await import(join(dir, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value !== 'function') continue;
        assert.ok(listed.has(name) || new RegExp(`\\b${name}\\b`).test(covered), `${file}: export ${name} is neither measured here nor listed as taking no text`);
      }
    }
  });

  for (const [name, call] of Object.entries(TEXT)) {
    it(`${name}: every hostile shape at 40,000 characters, without throwing`, () => {
      for (const unit of UNITS) assert.doesNotThrow(() => call(repeat(unit, 40_000)), `${name} on ${JSON.stringify(unit)}`);
    });
  }
});
