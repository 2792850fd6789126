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
import { TAGGABLE_TOKEN } from '../../src/core/tokens/fingerprint.ts';

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

describe('regular expressions that read megabyte values', () => {
  it('no open-ended counted repeat (`{n,}`) in src: V8 keeps a backtrack entry per character past n, megabytes of stack on a megabyte value', async () => {
    const { readFileSync } = await import('node:fs');
    const src = join(import.meta.dirname, '..', '..', 'src');
    const found: string[] = [];
    for (const file of readdirSync(src, { recursive: true }).map(String).filter((f) => /\.tsx?$/.test(f))) {
      readFileSync(join(src, file), 'utf8')
        .split('\n')
        .forEach((line, n) => {
          // `X{n}X*` matches the same text, and V8 runs its `X*` as a loop that keeps no stack.
          if (/\{\d+,\}/.test(line)) found.push(`${file}:${n + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(found, []);
  });

  it('the rewritten forms match what the open-ended ones did', () => {
    const pairs: [RegExp, RegExp][] = [
      [/^[A-Za-z0-9\-._~+/]{16,}=*$/, TAGGABLE_TOKEN],
      [/^x{6,}$/i, /^x{6}x*$/i],
      [/^\*{3,}$/, /^\*{3}\**$/],
      [/^[a-z0-9.-]+\.[a-z]{2,}$/i, /^[a-z0-9.-]+\.[a-z]{2}[a-z]*$/i],
    ];
    const samples = ['', 'x', 'xxxxx', 'xxxxxx', 'XXXXXXXX', '**', '***', '****', 'abcdefghijklmnop', 'abcdefghijklmno', 'abcdefghijklmnop==', 'abcdefghijklmnop=a', 'api.example.com', 'example.c', 'a.bc', 'a..bc', 'https://a.example'];
    for (const [before, after] of pairs) for (const s of samples) assert.equal(after.test(s), before.test(s), `${after} on ${JSON.stringify(s)}`);
    const runs: [RegExp, RegExp][] = [
      [/[A-Za-z0-9_\-+/=]{24,}/g, /[A-Za-z0-9_\-+/=]{24}[A-Za-z0-9_\-+/=]*/g],
      [/[A-Za-z0-9_.+/=-]{16,}/g, /[A-Za-z0-9_.+/=-]{16}[A-Za-z0-9_.+/=-]*/g],
    ];
    const text = 'short abc, key=sk_live_0123456789abcdefghij and a.b.c-d_e+f/g=h0123456789ABCDEFG; 0123456789012345 x';
    for (const [before, after] of runs) assert.deepEqual(text.match(after), text.match(before));
  });
});
