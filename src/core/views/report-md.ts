/**
 * A Markdown report of failures, for a bug report or a colleague: the verdict, the findings
 * with their fixes, and the evidence, redacted unless the user includes secrets for that copy
 * (and the report says which). Network text is escaped or fenced, so a hostile header cannot
 * turn into markup where the report is rendered.
 */
import { CAUSES } from '../verdict/causes.ts';
import type { Finding, Note } from '../verdict/finding.ts';
import type { HarEntry } from '../exchange/har-types.ts';
import { RedactionReceipt, redactEntry, redactUrl } from '../redaction/redact.ts';
import { readableMasks } from '../redaction/redact-url.ts';
import { bounded, escapeControls } from '../auth/syntax.ts';
import type { FlowJson } from './report.ts';
import { FLOW_CAUSES } from '../flows/causes.ts';
import { runName, stepRuns } from '../flows/view.ts';

export interface ReportItem {
  entry: HarEntry;
  findings: Finding[];
  notes?: Note[];
}

/** Escape Markdown and HTML metacharacters in running text. */
export function mdText(text: string): string {
  return escapeControls(text).replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`);
}

/**
 * Text with `code` spans (the fixes write header values so): each span stays a code span, the
 * rest is escaped running text. Not `\``-escaped into noise.
 */
export function mdRich(text: string): string {
  const parts = text.split('`');
  // An unpaired backtick is text.
  if (parts.length % 2 === 0) return mdText(text);
  return parts.map((p, i) => (i % 2 === 1 ? mdCode(p) : mdText(p))).join('');
}

/** The longest run of backticks in a text (a loop: a text can hold a million runs). */
function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 96) longest = Math.max(longest, ++run);
    else run = 0;
  }
  return longest;
}

/** An inline code span that no content can close early (no escaping needed inside: URLs read as written). */
export function mdCode(text: string): string {
  const clean = escapeControls(text).replace(/\n/g, ' ');
  const ticks = '`'.repeat(longestBacktickRun(clean) + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${clean}${pad}${ticks}`;
}

/** A fenced block that no content can close early. */
export function mdFence(text: string, lang = ''): string {
  const fence = '`'.repeat(Math.max(2, longestBacktickRun(text)) + 1);
  return `${fence}${lang}\n${escapeControls(text).replace(/\\u000a/g, '\n')}\n${fence}`;
}

/**
 * The report. `flows`, when given, are the sign-in flows read from the same log, as the JSON
 * contract writes them (masked already): a sign-in can break without a 401, and a report of the
 * log says so as the CLI's text and JSON do.
 */
export function markdownReport(items: readonly ReportItem[], options: { includeSecrets?: boolean; page?: string; generatedAt?: Date; version?: string; flows?: readonly FlowJson[] } = {}): string {
  const receipt = new RedactionReceipt();
  const entries = items.map((it) => ({ entry: options.includeSecrets ? it.entry : redactEntry(it.entry, receipt), findings: it.findings, notes: it.notes ?? [] }));
  const lines: string[] = [];
  lines.push('# Why 401 report', '');
  const when = (options.generatedAt ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  // The pages the failures happened on (several with Preserve log), as the user saw them (masked).
  const pages = [...new Set(entries.map(({ entry }) => entry._why401?.topLevelUrl).filter((u): u is string => typeof u === 'string' && u !== ''))];
  if (pages.length === 0 && options.page) pages.push(options.includeSecrets ? options.page : redactUrl(options.page));
  const on = pages.length === 0 ? '' : pages.length === 1 ? ` on ${mdCode(pages[0]!)}` : ` on ${pages.length} pages: ${pages.slice(0, 20).map(mdCode).join(', ')}${pages.length > 20 ? ', …' : ''}`;
  lines.push(`${items.length} auth failure${items.length === 1 ? '' : 's'}${on}, exported ${when} by Why 401${options.version ? ` ${options.version}` : ''}.`, '');
  const flows = options.flows ?? [];
  const broken = flows.filter((f) => f.findings.length > 0).length;
  if (flows.length > 0) lines.push(`Sign-in flows: ${flows.length}, ${broken === 0 ? 'none broken' : `${broken} broken`} (below).`, '');
  if (options.includeSecrets) {
    lines.push('> **This report includes secrets** (tokens, passwords, cookie values) exactly as captured. Share it with care.', '');
  } else {
    const masked = receipt.lines();
    lines.push(`> Secrets were masked in this report${masked.length > 0 ? `: ${masked.join('; ')}` : ' (none were found)'}.`, '');
  }
  entries.forEach(({ entry, findings, notes }, i) => {
    const [first, ...others] = findings;
    lines.push(`## ${i + 1}. ${mdCode(`${entry.request.method} ${bounded(entry.request.url, 2048)}`)} → ${entry.response.status}`, '');
    lines.push(`Requested ${mdText(entry.startedDateTime)}.`, '');
    if (first) {
      lines.push(`**Verdict:** ${mdText(first.title)} (\`${first.cause}\`, ${first.confidence} confidence)`, '');
      lines.push(mdText(first.explanation), '');
      if (first.fixes.users.length > 0) lines.push('**What users can do:**', '', ...first.fixes.users.map((f) => `- ${mdRich(f)}`), '');
      if (first.fixes.developers.length > 0) lines.push('**What developers can do:**', '', ...first.fixes.developers.map((f) => `- ${mdRich(f)}`), '');
      if (first.evidence.length > 0) {
        lines.push('**Evidence:**', '');
        for (const e of first.evidence) lines.push(`- ${mdText(e.label)}${e.value !== undefined ? `: \`${escapeControls(bounded(e.value, 1024)).replace(/`/g, "'")}\`` : ''}${e.note ? ` (${mdText(e.note)})` : ''}`);
        lines.push('');
      }
    }
    for (const n of notes) lines.push(`> **Note:** ${mdText(n.title)}. ${mdText(n.explanation)}`, '');
    if (others.length > 0) {
      lines.push('**Other findings:**', '');
      for (const f of others) lines.push(`- ${mdText(f.title)} (\`${f.cause}\`, ${f.confidence}; ${mdText(CAUSES[f.cause].label)})`);
      lines.push('');
    }
    // Each header whole up to 4 KB: the report explains, the HAR export keeps everything.
    const req = entry.request.headers.map((h) => `${bounded(h.name, 256)}: ${bounded(h.value)}`).join('\n');
    const res = entry.response.headers.map((h) => `${bounded(h.name, 256)}: ${bounded(h.value)}`).join('\n');
    lines.push('<details><summary>Request and response headers</summary>', '');
    lines.push(mdFence(`${entry.request.method} ${bounded(entry.request.url, 2048)}\n${req}`, 'http'), '');
    lines.push(mdFence(`${entry.response.status} ${entry.response.statusText}\n${res}`, 'http'), '');
    lines.push('</details>', '');
  });
  if (flows.length > 0) lines.push(...flowSection(flows));
  return lines.join('\n');
}

/** The sign-in flows: each as its steps in order, a broken one with what broke, why, the fixes and the evidence. */
function flowSection(flows: readonly FlowJson[]): string[] {
  const lines = ['## Sign-in flows', ''];
  flows.forEach((f, i) => {
    const runs = stepRuns(f.steps.map((s) => ({ kind: s.kind, index: s.entry, ...(s.grant !== undefined ? { grantType: s.grant } : {}) })), f.findings);
    const chain = runs.map((r) => `${runName(r)}${r.broken ? ' ✗' : ''}`).join(' → ');
    const last = f.steps[f.steps.length - 1];
    const who = [f.file !== undefined ? mdCode(f.file) : undefined, f.client !== undefined ? `client ${mdCode(f.client)}` : undefined].filter(Boolean).join(', ');
    lines.push(`### Flow ${i + 1}${who ? ` (${who})` : ''}: ${mdText(chain)}${last?.kind === 'authorize' ? ' (no answer in this log)' : ''}`, '');
    for (const x of f.findings) {
      const step = f.steps.find((s) => s.entry === x.entry);
      lines.push(`**Broke:** ${mdText(x.title)} (\`${x.cause}\`, ${x.confidence} confidence; ${mdText(FLOW_CAUSES[x.cause].label)}) at entry #${x.entry}${step ? `, ${mdCode(`${step.method} ${bounded(readableMasks(step.url), 2048)}`)} → ${step.status}` : ''}`, '');
      lines.push(mdText(x.explanation), '');
      if (x.fixes.developers.length > 0) lines.push('**What developers can do:**', '', ...x.fixes.developers.map((t) => `- ${mdRich(t)}`), '');
      if (x.fixes.users.length > 0) lines.push('**What users can do:**', '', ...x.fixes.users.map((t) => `- ${mdRich(t)}`), '');
      if (x.evidence.length > 0) lines.push('**Evidence:**', '', ...x.evidence.map((e) => `- ${mdText(bounded(e, 1024))}`), '');
    }
  });
  return lines;
}
