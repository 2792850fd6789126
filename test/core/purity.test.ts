/** Architecture guards (DESIGN.md, How the code is written): a pure core, one platform module, no HTML injection, no eval. */
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

it('src/core uses no browser globals and imports only itself, jwt-decode, tldts and @noble/hashes', () => {
  for (const f of files(join(root, 'src', 'core'))) {
    const src = strip(readFileSync(f, 'utf8'));
    assert.doesNotMatch(src, /\b(browser|chrome|window|document|navigator|localStorage|sessionStorage)\s*[.?[]/, relative(root, f));
    for (const m of src.matchAll(/from\s+'([^']+)'/g)) {
      assert.ok(m[1]!.startsWith('.') || m[1] === 'jwt-decode' || m[1] === 'tldts' || m[1]!.startsWith('@noble/hashes/'), `${relative(root, f)} imports ${m[1]}`);
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

// ---- one owner for each piece of knowledge (ARCHITECTURE.md, "Invariants") ----

const outsideCore = () => files(join(root, 'src')).filter((f) => !relative(root, f).startsWith(join('src', 'core')));

it('HAR entries are built only by src/core/exchange/exchange.ts, HAR logs written only by src/core/exchange/export.ts', () => {
  for (const f of files(join(root, 'src'))) {
    const rel = relative(root, f);
    const src = strip(readFileSync(f, 'utf8'));
    // An entry literal has a request object with its method (har-types.ts only declares the types).
    if (rel !== join('src', 'core', 'exchange', 'exchange.ts')) assert.doesNotMatch(src, /\brequest\s*:\s*\{\s*(?:\.\.\.[\w.?]+,\s*)?method\s*:\s*(?!\s|string\b)/, `${rel} builds a HAR entry itself`);
    if (rel !== join('src', 'core', 'exchange', 'export.ts')) assert.doesNotMatch(src, /\bcreator\s*:\s*\{\s*name\s*:\s*(?!\s|string\b)/, `${rel} writes a HAR log itself`);
  }
});

it('no UI, background or CLI module re-derives what core decides (failures, re-run headers, fixed-by, verdicts)', () => {
  for (const f of outsideCore()) {
    const rel = relative(root, f);
    const src = strip(readFileSync(f, 'utf8'));
    assert.doesNotMatch(src, /www-authenticate\|dpop-nonce|dpop-nonce\|www-authenticate/i, `${rel} has its own "is this a failure?" check`);
    assert.doesNotMatch(src, /\bNOT_RESENT\b|cookie2\b|forbidden request-header/i, `${rel} has its own list of headers a re-run may not send`);
    assert.doesNotMatch(src, /status\s*>=\s*200\s*&&\s*\w+(\.status)?\s*<\s*400/, `${rel} decides "fixed by a re-run" itself`);
    assert.doesNotMatch(src, /\bcomputeFacts\s*\(|\bdiagnoseFacts\s*\(/, `${rel} recomputes a verdict (only core/verdict/diagnose.ts and background/rejudge.ts judge)`);
  }
  // The background's only deliberate re-diagnosis is rejudge.ts; capture judges new failures.
  const judges = outsideCore().filter((f) => /\bjudge\s*\(/.test(strip(readFileSync(f, 'utf8')))).map((f) => relative(root, f)).sort();
  assert.deepEqual(judges, [join('src', 'background', 'capture.ts'), join('src', 'background', 'rejudge.ts')]);
});

/** The view models: what components may import from core (everything else they get from them). */
const VIEW_MODELS = new Set(['src/core/views/view.ts', 'src/core/views/detail.ts', 'src/core/flows/lane.ts']);

it('views render what core decided: a component imports from core only the view models and types', () => {
  const offenders: string[] = [];
  for (const dir of ['panel', 'popup', 'options', 'ui']) {
    // index.tsx of each page is its entry (platform glue), not a view.
    for (const f of files(join(root, 'src', dir)).filter((x) => x.endsWith('.tsx') && !x.endsWith('index.tsx'))) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/^\s*import\s+(type\s+)?[^'";]*?from\s*['"]([^'"]+)['"]/gm)) {
        const target = relative(root, join(f, '..', m[2]!)).split('\\').join('/');
        if (!target.startsWith('src/core/') || m[1] || VIEW_MODELS.has(target)) continue;
        offenders.push(`${relative(root, f)} imports ${target}`);
      }
      // A dynamic import of core (bypassing the rule) counts too.
      for (const m of src.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const target = relative(root, join(f, '..', m[1]!)).split('\\').join('/');
        if (target.startsWith('src/core/') && !VIEW_MODELS.has(target)) offenders.push(`${relative(root, f)} loads ${target}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

it('the browser\'s privacy settings are only ever read (PRIVACY.md: the optional `privacy` permission)', () => {
  const users = files(join(root, 'src')).filter((f) => /\bprivacy\b\s*\??\.\s*websites|PrivacyWebsites/.test(strip(readFileSync(f, 'utf8'))));
  assert.deepEqual(users.map((f) => relative(root, f)), [join('src', 'platform', 'index.ts')]);
  const src = strip(readFileSync(join(root, 'src', 'platform', 'index.ts'), 'utf8'));
  // The setting's type declares get and nothing else, so a set() would not compile.
  const block = src.slice(src.indexOf('interface BrowserSetting'), src.indexOf('interface PrivacyWebsites'));
  assert.match(block, /^interface BrowserSetting<T> \{\s*get\(details: [^)]*\): Promise<\{ value: T \}>;\s*\}\s*$/);
  assert.doesNotMatch(src, /(thirdPartyCookiesAllowed|cookieConfig)[!?]*\.(set|clear)\s*\(/);
});

it('src has no import cycle (a type import counts: a circle through one type is still a circle)', () => {
  const graph = new Map<string, string[]>();
  for (const f of files(join(root, 'src'))) {
    const src = readFileSync(f, 'utf8');
    const deps = [...src.matchAll(/^\s*(?:import|export)\s+(?:type\s+)?[^'";]*?from\s*['"](\.[^'"]+)['"]/gm)].map((m) => join(f, '..', m[1]!));
    graph.set(f, deps);
  }
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      cycles.push([...path.slice(path.indexOf(f)), f].map((x) => relative(root, x)).join(' → '));
      return;
    }
    state.set(f, 'open');
    for (const d of graph.get(f) ?? []) if (graph.has(d)) visit(d, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of graph.keys()) visit(f, []);
  assert.deepEqual(cycles, []);
});
