/**
 * The panel's exports (HAR and Markdown report of the shown failures): loaded when the user
 * exports, not with the panel, since they bring the redaction code.
 */
import type { Har, HarEntry } from '../core/har-types.ts';
import { RedactionReceipt, redactEntry } from '../core/redact.ts';
import type { StoredRecord } from '../shared/records.ts';

export { markdownReport } from '../core/report-md.ts';

export function harOf(records: StoredRecord[], includeSecrets: boolean, version: string): Har {
  const receipt = new RedactionReceipt();
  const entries: HarEntry[] = records.map((r) => {
    const e: HarEntry = { ...r.entry, _why401: { ...r.entry._why401, findings: r.findings } };
    return includeSecrets ? e : redactEntry(e, receipt);
  });
  return {
    log: {
      version: '1.2',
      creator: { name: 'Why 401', version },
      entries,
      comment: includeSecrets ? 'Exported by Why 401 WITH SECRETS.' : `Exported by Why 401. Secrets were masked (${receipt.lines().join('; ') || 'none found'}).`,
    },
  };
}
