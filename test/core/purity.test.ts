/** Architecture guards (STYLE.md): a pure core, one platform module, no HTML injection, no eval. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';

const root = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) ? [p] : [];
  });
}

const strip = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

it('src/core uses no browser globals and imports only itself, jwt-decode and tldts', () => {
  for (const f of files(join(root, 'src', 'core'))) {
    const src = strip(readFileSync(f, 'utf8'));
    assert.doesNotMatch(src, /\b(browser|chrome|window|document|navigator|localStorage|sessionStorage)\s*[.?[]/, relative(root, f));
    for (const m of src.matchAll(/from\s+'([^']+)'/g)) {
      assert.ok(m[1]!.startsWith('.') || m[1] === 'jwt-decode' || m[1] === 'tldts', `${relative(root, f)} imports ${m[1]}`);
    }
  }
});

it('webextension-polyfill is imported in exactly one module: src/platform/browser.ts', () => {
  const importers = files(join(root, 'src')).filter((f) => /from\s+'webextension-polyfill'/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(importers.map((f) => relative(root, f)), [join('src', 'platform', 'browser.ts')]);
});

/** The one script of each context (esbuild's entry points in scripts/build.mjs). */
const ENTRY_FILES = new Set(['background/index.ts', 'devtools/devtools.ts', 'panel/index.tsx', 'popup/index.tsx', 'options/index.tsx'].map((f) => join('src', f)));

it('browser APIs are reached only through src/platform (no `chrome.` or `browser.` outside it and the entry files)', () => {
  for (const f of files(join(root, 'src'))) {
    const rel = relative(root, f);
    if (rel.startsWith(join('src', 'platform'))) continue;
    const src = strip(readFileSync(f, 'utf8'));
    assert.doesNotMatch(src, /\bchrome\.[a-z]/, `${rel} uses chrome.* directly`);
    // The entry files wire listeners up; everything else asks src/platform.
    if (!ENTRY_FILES.has(rel)) assert.doesNotMatch(src, /\bbrowser\.[a-z]/, `${rel} uses browser.* outside src/platform and the entry files`);
  }
});

it('no HTML injection sinks and no eval anywhere in src', () => {
  for (const f of files(join(root, 'src'))) {
    const src = strip(readFileSync(f, 'utf8'));
    const rel = relative(root, f);
    assert.doesNotMatch(src, /dangerouslySetInnerHTML|\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML|document\.write/, rel);
    assert.doesNotMatch(src, /\beval\s*\(|new Function\s*\(/, rel);
  }
});
