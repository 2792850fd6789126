/**
 * Response bodies, while DevTools is open: DevTools records every response the inspected tab
 * gets (the background never reads bodies); for a live failure whose body it recorded, the
 * panel hands the body to the background, which keeps it with the record and judges the failure
 * again with it (most auth libraries say why only in the body). Read lazily: only the bodies of
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

export function useRecordedBodies(backend: PanelBackend, records: readonly StoredRecord[]): void {
  const recorded = useRef<RecordedResponse[]>([]);
  const tried = useRef(new Set<string>());
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
      if (tried.current.has(record.id) || typeof record.entry.response.content.text === 'string') continue;
      const { method, url } = record.entry.request;
      const match = recorded.current.find((r) => r.method === method && r.url === url && r.status === record.entry.response.status && Math.abs(Date.parse(r.startedDateTime) - record.at) < SAME_EXCHANGE_MS);
      if (!match) continue;
      tried.current.add(record.id);
      void match.body().then((b) => {
        const text = b && decode(b.text, b.encoding);
        if (text === undefined || text === '') return;
        void backend.request('attach-body', { recordId: record.id, text: text.slice(0, MAX_SENT), mimeType: match.mimeType }).catch(() => undefined);
      });
    }
  }, [records, version]);
}
