/** Notes: the 401 the page's script never saw (a CORS-refused cross-origin response, a failed preflight). */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { entry, lastFailure } from '../helpers/har.ts';

const xhr = (res: Record<string, string>, req: Record<string, string> = {}) =>
  lastFailure([entry({ url: 'https://api.test/me', req: { Origin: 'https://app.test', ...req }, res: { 'WWW-Authenticate': 'Bearer', ...res }, why: { type: 'xmlhttprequest', initiator: 'https://app.test' } })]);

it('no Access-Control-Allow-Origin on a cross-origin 401: the script saw a network error', () => {
  const d = xhr({});
  assert.equal(d.notes.length, 1);
  assert.match(d.notes[0]!.title, /^Your code never saw this 401: the response has no Access-Control-Allow-Origin header/);
  assert.match(d.notes[0]!.explanation, /TypeError: Failed to fetch/);
  assert.equal(d.findings[0]!.cause, 'missing-credentials', 'a note, not a cause');
});
it('"*" with credentials, another origin named, no Allow-Credentials with cookies', () => {
  assert.match(xhr({ 'Access-Control-Allow-Origin': '*' }, { Cookie: 'sid=x' }).notes[0]!.title, /"\*", which the browser does not accept for a request with credentials/);
  assert.match(xhr({ 'Access-Control-Allow-Origin': 'https://other.test' }).notes[0]!.title, /names https:\/\/other\.test, not the request's Origin https:\/\/app\.test/);
  assert.match(xhr({ 'Access-Control-Allow-Origin': 'https://app.test' }, { Cookie: 'sid=x' }).notes[0]!.title, /Access-Control-Allow-Credentials: true/);
});
it('no note when the CORS headers expose the 401, for a same-origin call, or for a navigation', () => {
  assert.deepEqual(xhr({ 'Access-Control-Allow-Origin': 'https://app.test' }).notes, []);
  assert.deepEqual(xhr({ 'Access-Control-Allow-Origin': '*' }).notes, []);
  assert.deepEqual(lastFailure([entry({ url: 'https://app.test/me', why: { type: 'xmlhttprequest', initiator: 'https://app.test' } })]).notes, []);
  assert.deepEqual(lastFailure([entry({ url: 'https://api.test/me', why: { type: 'main_frame', initiator: 'https://app.test' } })]).notes, []);
});
it('a 401 on a preflight: the real request was never sent', () => {
  const d = lastFailure([entry({ method: 'OPTIONS', url: 'https://api.test/me', req: { 'Access-Control-Request-Method': 'GET', Origin: 'https://app.test' }, why: { type: 'preflight', initiator: 'https://app.test' } })]);
  assert.match(d.notes[0]!.title, /the preflight failed, so the real request was never sent/);
});

it('after a cross-origin redirect the Origin is "null": "Access-Control-Allow-Origin: null" passes, and the note says nothing false', () => {
  const chain = [{ url: 'https://api.test/s/redirect/me', status: 307, location: 'https://api2.test/s/bearer/me', authorizationSent: true }];
  const redirected = (req: Record<string, string>, acao: string) =>
    lastFailure([entry({ url: 'https://api2.test/s/bearer/me', req, res: { 'WWW-Authenticate': 'Bearer realm="api"', 'Access-Control-Allow-Origin': acao }, why: { type: 'xmlhttprequest', initiator: 'https://app.test', redirectChain: chain } })]);
  // Chrome shows the real Origin header; Firefox's capture may not: the redirect chain says it became opaque.
  assert.deepEqual(redirected({ Origin: 'null' }, 'null').notes, [], 'the Origin header sent was "null"');
  assert.deepEqual(redirected({}, 'null').notes, [], 'no Origin header captured: the cross-origin hop made it "null"');
  assert.match(redirected({}, 'https://app.test').notes[0]?.title ?? '', /names https:\/\/app\.test, not the request's Origin null/);
});

it('silent when the Origin it was compared with is unknown', () => {
  const d = lastFailure([entry({ url: 'https://api.test/me', res: { 'WWW-Authenticate': 'Bearer', 'Access-Control-Allow-Origin': 'https://x.test' }, why: { type: 'xmlhttprequest' } })]);
  assert.deepEqual(d.notes, []);
});
