/**
 * What DevTools records while it is open, for the live failures: their response bodies (most
 * auth libraries say why only there) and who sent them (Chrome's initiator and call stack). The
 * background never reads bodies and webRequest has no stacks; for a live failure DevTools
 * recorded, the panel hands both to the background ("attach-recorded"), which keeps them with the
 * record and, for a body, judges the failure again with it. Bodies are read lazily: only those of
 * failures are ever fetched from DevTools.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RecordedResponse } from '../platform/devtools.ts';
import type { StoredRecord } from '../shared/records.ts';
import type { PanelBackend } from './backend.ts';

/** Recorded error responses kept to match against failures (oldest dropped). */
const KEEP = 300;
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
  const recorded = useRef<RecordedResponse[]>([]);
  const tried = useRef(new Set<string>());
  const claimed = useRef(new WeakSet<RecordedResponse>());
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!backend.onRecordedResponse) return;
    backend.onRecordedResponse((r) => {
      if (r.status < 400) return;
      recorded.current.push(r);
      if (recorded.current.length > KEEP) recorded.current.splice(0, recorded.current.length - KEEP);
      setVersion((v) => v + 1);
    });
  }, [backend]);

  useEffect(() => {
    if (!backend.onRecordedResponse || recorded.current.length === 0) return;
    for (const record of records) {
      if (tried.current.has(record.id)) continue;
      const needsBody = typeof record.entry.response.content.text !== 'string';
      const needsInitiator = record.entry._initiator === undefined;
      if (!needsBody && !needsInitiator) continue;
      const { method, url } = record.entry.request;
      // The same request may fail many times: the recorded one nearest in time, each used once.
      let match: RecordedResponse | undefined;
      let best = SAME_EXCHANGE_MS;
      for (const r of recorded.current) {
        if (claimed.current.has(r) || r.method !== method || r.url !== url || r.status !== record.entry.response.status) continue;
        const d = Math.abs(Date.parse(r.startedDateTime) - record.at);
        if (d < best) {
          best = d;
          match = r;
        }
      }
      if (!match) continue;
      claimed.current.add(match);
      tried.current.add(record.id);
      void (needsBody ? match.body() : Promise.resolve(undefined)).then((b) => {
        const text = b && decode(b.text, b.encoding);
        const body = text ? { text: text.slice(0, MAX_SENT), mimeType: match.mimeType } : undefined;
        const initiator = needsInitiator && match.initiator !== undefined ? match.initiator : undefined;
        if (!body && initiator === undefined) return;
        void backend.request('attach-recorded', { recordId: record.id, ...(body ? { body } : {}), ...(initiator !== undefined ? { initiator } : {}) }).catch(() => undefined);
      });
    }
  }, [records, version]);
}
