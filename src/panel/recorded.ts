/**
 * What DevTools records while it is open, for the live failures: their response bodies (most
 * auth libraries say why only there) and who sent them (Chrome's initiator and call stack). The
 * background never reads bodies and webRequest has no stacks; for a live failure DevTools
 * recorded, the panel hands both to the background ("attach-recorded"), which keeps them with the
 * record and, for a body, judges the failure again with it. DevTools' log is read only when a
 * failure arrives (getHAR, then the body of that response): a message for every request the
 * page made cost more than the capture itself (npm run bench -- load).
 */
import { useEffect, useRef } from 'preact/hooks';
import type { RecordedResponse } from '../platform/devtools.ts';
import type { StoredRecord } from '../shared/records.ts';
import type { PanelBackend } from './backend.ts';

/** The most of a body sent to the background (it keeps less: background/rejudge.ts). */
const MAX_SENT = 65_536;
/** How far apart DevTools' time and the capture's may be for the same exchange. */
const SAME_EXCHANGE_MS = 10_000;

function decode(text: string, encoding: string): string | undefined {
  if (encoding !== 'base64') return text;
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(text.slice(0, MAX_SENT * 2)), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

export function useRecordedEvidence(backend: PanelBackend, records: readonly StoredRecord[]): void {
  /** Attempts per record (a response DevTools has not finished recording is looked for again). */
  const attempts = useRef(new Map<string, number>());
  const claimed = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(records);
  latest.current = records;

  useEffect(() => {
    if (!backend.recordedResponses) return;
    const wanting = () =>
      latest.current.filter((r) => (attempts.current.get(r.id) ?? 0) < RETRIES.length && (typeof r.entry.response.content.text !== 'string' || r.entry._initiator === undefined));
    const look = async () => {
      timer.current = undefined;
      const want = wanting();
      if (want.length === 0) return;
      const recorded = await backend.recordedResponses!();
      let again = 0;
      for (const record of want) {
        const n = (attempts.current.get(record.id) ?? 0) + 1;
        attempts.current.set(record.id, n);
        const match = nearest(recorded, record, claimed.current);
        if (!match) {
          if (n < RETRIES.length) again = Math.max(again, RETRIES[n]!);
          continue;
        }
        attempts.current.set(record.id, RETRIES.length); // done with this one
        claimed.current.add(key(match));
        void send(backend, record, match);
      }
      if (again > 0 && timer.current === undefined) timer.current = setTimeout(() => void look(), again);
    };
    if (timer.current === undefined && wanting().length > 0) timer.current = setTimeout(() => void look(), RETRIES[0]);
  }, [backend, records]);

  useEffect(() => () => clearTimeout(timer.current), []);
}

/** When to look (ms after a failure arrives, then again while DevTools has not recorded it yet). */
const RETRIES = [250, 1000, 3000];

const key = (r: RecordedResponse) => `${r.method} ${r.url} ${r.startedDateTime}`;

/** The same request may fail many times: the recorded one nearest in time, each used once. */
function nearest(recorded: RecordedResponse[], record: StoredRecord, claimed: Set<string>): RecordedResponse | undefined {
  const { method, url } = record.entry.request;
  let match: RecordedResponse | undefined;
  let best = SAME_EXCHANGE_MS;
  for (const r of recorded) {
    if (r.method !== method || r.url !== url || r.status !== record.entry.response.status || claimed.has(key(r))) continue;
    const d = Math.abs(Date.parse(r.startedDateTime) - record.at);
    if (d < best) {
      best = d;
      match = r;
    }
  }
  return match;
}

async function send(backend: PanelBackend, record: StoredRecord, match: RecordedResponse): Promise<void> {
  const needsBody = typeof record.entry.response.content.text !== 'string';
  const needsInitiator = record.entry._initiator === undefined;
  const b = needsBody ? await match.body() : undefined;
  const text = b && decode(b.text, b.encoding);
  const body = text ? { text: text.slice(0, MAX_SENT), mimeType: match.mimeType } : undefined;
  const initiator = needsInitiator && match.initiator !== undefined ? match.initiator : undefined;
  if (!body && initiator === undefined) return;
  await backend.request('attach-recorded', { recordId: record.id, ...(body ? { body } : {}), ...(initiator !== undefined ? { initiator } : {}) }).catch(() => undefined);
}
