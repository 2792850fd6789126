import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parsePortMessage, parseRequest } from '../../src/shared/protocol.ts';
import { captureAllowed, defaultSettings, validateSettings } from '../../src/shared/settings.ts';

it('requests are accepted only when known and well-typed', () => {
  assert.deepEqual(parseRequest({ type: 'export-har', tabId: 3 }), { type: 'export-har', tabId: 3 });
  for (const bad of [null, 1, 'export-har', {}, { type: 'export-har' }, { type: 'export-har', tabId: '3' }, { type: 'export-har', tabId: 1.5 }, { type: 'nope' }, { type: 'toString' }, { type: '__proto__' }, { type: 'clear-cookies', url: 'u', scope: 'world', tabId: 1 }]) {
    assert.equal(parseRequest(bad), undefined, JSON.stringify(bad));
  }
  assert.deepEqual(parsePortMessage({ type: 'subscribe', tabId: 4 }), { type: 'subscribe', tabId: 4 });
  assert.equal(parsePortMessage({ type: 'subscribe' }), undefined);
  assert.deepEqual(parsePortMessage({ type: 'more', tabId: 4, before: 120 }), { type: 'more', tabId: 4, before: 120 });
  for (const bad of [{ type: 'more', tabId: 4 }, { type: 'more', tabId: 4, before: '1' }, { type: 'more', before: 1 }]) assert.equal(parsePortMessage(bad), undefined, JSON.stringify(bad));
});

it('settings: defaults, validation, migration, site lists', () => {
  const d = defaultSettings();
  assert.deepEqual(validateSettings(undefined), d);
  assert.deepEqual(validateSettings('garbage'), d);
  const v = validateSettings({ perTabCap: 1e9, totalCap: -3, clockSkewSeconds: 'x', resourceTypes: ['image', 'bogus'], siteDenylist: ['https://Ads.Example.com/path', '*.tracker.test', '!!'] });
  assert.equal(v.perTabCap, 2000);
  assert.equal(v.totalCap, 2000, 'total is at least the per-tab cap');
  assert.equal(v.clockSkewSeconds, 0);
  assert.deepEqual(v.resourceTypes, ['image']);
  assert.deepEqual(v.siteDenylist, ['ads.example.com', 'tracker.test']);
  assert.equal(validateSettings({ include403: true }).statuses[403], true, 'version 0 migrates');
  assert.equal(captureAllowed(v, 'x.tracker.test'), false);
  assert.equal(captureAllowed(v, 'api.test'), true);
  assert.equal(captureAllowed({ ...d, siteAllowlist: ['app.test'] }, 'api.test'), false);
});
