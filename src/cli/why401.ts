/**
 * why401 explain [--json | --format text|json|md|curl|fetch|github|junit] [--fail-on CAUSES|any] [--include-403] [--show-secrets] FILE.har
 * why401 redact FILE.har [-o OUT.har]
 *
 * The same diagnosis as the extension, on a HAR file from any browser or tool
 * (DESIGN.md, "The command line's contract"). Bad input exits 2 with one line on stderr.
 */
import { closeSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { DiagnosedFailure } from '../core/verdict/diagnose.ts';
import { HarError, scanHarEntries, type ScanBuffer } from '../core/exchange/har-read.ts';
import { runName, stepRuns } from '../core/flows/view.ts';
import { groupFailures, groupSentence } from '../core/verdict/burst.ts';
import { failureJson, flowJson, MAX_JSON_URL, type FailureJson, type FlowJson, type ReportJson } from '../core/views/report.ts';
import type { TraceWhere } from '../core/exchange/playwright-trace.ts';
import type { HarEntry } from '../core/exchange/har-types.ts';
import { redactedHarPieces } from '../core/exchange/export.ts';
import { displayUrl, readableMasks } from '../core/redaction/redact-url.ts';
import { markdownReport } from '../core/views/report-md.ts';
import { toCurl, toFetch } from '../core/actions/reproduce.ts';
import { largeWorkDone, phaseDone } from './memory.ts';
import { redactHeaderValue, redactText, redactUrl } from '../core/redaction/redact.ts';
import { CAUSES } from '../core/verdict/causes.ts';
import { bounded, escapeControls, groupDigits, terminalSafe, terminalSafeJson } from '../core/auth/syntax.ts';
import { entriesOf, inputDone, judgeFile, readStorageStateFile, withInput } from './inputs.ts';
import { useFileTagKey } from './tag-key.ts';
import { failing, ghData, ghProperty, githubAnnotations, junitReport, parseFailOn, type FailOn } from '../core/views/report-ci.ts';
import { storageStateProblems, type StorageState } from '../core/cookies/storage-state.ts';
import { VERSION } from '../shared/version.ts';

const USAGE = `Usage: why401 explain [--json | --format FORMAT] [--fail-on CAUSES] [--include-403]
                      [--storage-state STATE.json] [--each] [--show-secrets] FILE.har|trace.zip|FOLDER
       why401 redact FILE.har [-o OUT.har]

explain: every auth failure (401, 407, auth challenges; 403 with --include-403)
in a HAR file: what was sent, what the server asked for, the most likely cause
and how to fix it.

  --json          print one JSON object (the stable contract) instead of text
  --format F      text (default), json, md (the panel's Markdown report),
                  curl or fetch (each failure as a command that re-sends it),
                  github (GitHub Actions annotations) or junit (JUnit XML)
  --fail-on C     exit 1 when a failure's verdict is one of the causes C
                  (ids separated by commas), or when there is any failure
                  (--fail-on any)
  --include-403   also explain plain 403 responses
  --storage-state S
                  check the saved sign-in state the run started from
                  (Playwright's storageState file): cookies already expired,
                  cookies for a host the run never used, expired tokens in
                  localStorage
  --each          text: print every failure, not repeats of one failure (a
                  storm, a retry loop) once with their count
  --show-secrets  print tokens, passwords and cookie values unmasked

FILE may be a Playwright trace (trace.zip): each failure then names its test
and step. FILE may be a folder: every .har file and trace .zip under it is
read (each its own session), and each failure names its file; text, json,
github and junit only.

redact: the same HAR with every secret masked by the same rules as every
output (values masked alike share a tag, #…), for a bug report or a ticket.
Entries that cannot be read are left out, and said so on stderr.

  -o OUT.har      write to OUT.har instead of standard output

  -h, --help      show this help
  -v, --version   show the version

Tags are keyed per install ($XDG_CONFIG_HOME/why401/tag-key, made on first
use): the same value gets the same tag on this machine, and a tag cannot
confirm a guessed secret. Masks already in a file are kept as they are.

Exit status: 0 when the file was read (1 instead when --fail-on matched), 2
when it could not be (not JSON, not a HAR, truncated, missing, a folder with no
.har file) or the arguments are wrong.`;

class UsageError extends Error {}

type Format = 'text' | 'json' | 'md' | 'curl' | 'fetch' | 'github' | 'junit';
const FORMATS: readonly Format[] = ['text', 'json', 'md', 'curl', 'fetch', 'github', 'junit'];

interface Args {
  command: 'explain' | 'redact';
  format: Format;
  include403: boolean;
  showSecrets: boolean;
  /** Text: every failure, repeats not grouped. */
  each: boolean;
  file: string;
  out?: string;
  failOn?: FailOn;
  storageState?: string;
}

function parseArgs(argv: string[]): Args | 'help' | 'version' {
  const rest = [...argv];
  const command = rest.shift();
  if (command === undefined) throw new UsageError('missing command; try "why401 explain FILE.har"');
  if (command === '-h' || command === '--help' || command === 'help') return 'help';
  if (command === '-v' || command === '--version') return 'version';
  if (command !== 'explain' && command !== 'redact') throw new UsageError(`unknown command "${command.slice(0, 40)}"; try "why401 explain FILE.har"`);
  const args: Args = { command, format: 'text', include403: false, showSecrets: false, each: false, file: '' };
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const explainOnly = () => {
      if (command !== 'explain') throw new UsageError(`"${a.slice(0, 40)}" is an option of explain, not of ${command}`);
    };
    if (a === '--json') {
      explainOnly();
      args.format = 'json';
    } else if (a === '--format' || a.startsWith('--format=')) {
      explainOnly();
      const v = a === '--format' ? rest[++i] : a.slice('--format='.length);
      if (!FORMATS.includes(v as Format)) throw new UsageError(`--format takes ${FORMATS.join(', ')}`);
      args.format = v as Format;
    } else if (a === '--fail-on' || a.startsWith('--fail-on=')) {
      explainOnly();
      const v = a === '--fail-on' ? rest[++i] : a.slice('--fail-on='.length);
      if (v === undefined || v === '') throw new UsageError('--fail-on takes "any" or cause ids separated by commas');
      const failOn = parseFailOn(v);
      if (typeof failOn === 'object' && 'error' in failOn) throw new UsageError(failOn.error);
      args.failOn = failOn;
    } else if (a === '--include-403') {
      explainOnly();
      args.include403 = true;
    } else if (a === '--storage-state' || a.startsWith('--storage-state=')) {
      explainOnly();
      const v = a === '--storage-state' ? rest[++i] : a.slice('--storage-state='.length);
      if (v === undefined || v === '') throw new UsageError('--storage-state needs a file name');
      args.storageState = v;
    } else if (a === '--show-secrets') {
      explainOnly();
      args.showSecrets = true;
    } else if (a === '--each') {
      explainOnly();
      args.each = true;
    } else if (a === '-o' || a === '--output') {
      if (command !== 'redact') throw new UsageError(`"${a}" is an option of redact`);
      const o = rest[++i];
      if (o === undefined || o === '') throw new UsageError(`${a} needs a file name`);
      args.out = o;
    } else if (a === '-h' || a === '--help') return 'help';
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option "${a.slice(0, 40)}"`);
    else files.push(a);
  }
  if (files.length !== 1) throw new UsageError(files.length === 0 ? 'missing FILE.har' : 'give exactly one HAR file');
  args.file = files[0]!;
  // The original is never replaced by its masked copy: nothing of the user's is lost.
  if (args.out !== undefined && args.file !== '-' && resolve(args.out) === resolve(args.file)) throw new UsageError('-o names the input file; write the masked copy elsewhere');
  return args;
}

/** Folders hold at most this many HAR files (a mistaken "/" is refused, not walked for hours). */
const MAX_FILES = 10_000;

/** The files to read: the file itself, or every *.har and *.zip (Playwright trace) under a folder, in path order. */
function inputsOf(file: string): { files: string[]; folder: boolean } {
  if (file === '-') return { files: [file], folder: false };
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return { files: [file], folder: false }; // withInput says what is wrong
  }
  if (!stat.isDirectory()) return { files: [file], folder: false };
  let names: string[];
  try {
    names = readdirSync(file, { recursive: true, encoding: 'utf8' });
  } catch (e) {
    throw new HarError(`${file}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const files = names.filter((n) => /\.(har|zip)$/i.test(n)).map((n) => join(file, n)).filter((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
  if (files.length === 0) throw new HarError(`${file}: a folder with no .har file or trace .zip in it`);
  if (files.length > MAX_FILES) throw new HarError(`${file}: ${files.length} .har and .zip files; at most ${groupDigits(MAX_FILES)} are read at once`);
  return { files: files.sort(), folder: true };
}

// ---- text output ----

interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  green(s: string): string;
}

function painter(color: boolean): Paint {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), yellow: wrap(33, 39), blue: wrap(34, 39), green: wrap(32, 39) };
}

/** A sign-in flow in a few lines: its steps in order, then what broke and where. */
function textFlow(f: FlowJson, n: number, p: Paint): string {
  const last = f.steps[f.steps.length - 1];
  // Runs of one kind (refreshes on schedule, a flood of refused calls) are written once, with their count.
  const runs = stepRuns(f.steps.map((s) => ({ kind: s.kind, index: s.entry, ...(s.grant !== undefined ? { grantType: s.grant } : {}) })), f.findings);
  const steps = runs.map((r) => (r.broken ? p.red(`${runName(r)} ✗`) : runName(r))).join(' → ') + (last?.kind === 'authorize' ? p.dim(' (no answer in this log)') : '');
  const lines = [`  ${n}. ${f.file !== undefined ? `${escapeControls(f.file)}: ` : ''}${f.client !== undefined ? `client ${escapeControls(f.client)}: ` : ''}${steps}`];
  for (const x of f.findings) {
    const step = f.steps.find((s) => s.entry === x.entry);
    lines.push(`    ${p.red('●')} ${p.bold(x.title)} ${p.dim(`[${x.cause}, ${x.confidence}] entry #${x.entry}${step ? ` ${escapeControls(step.method)} ${escapeControls(bounded(readableMasks(step.url), 300))}` : ''}`)}`);
    lines.push(`      ${escapeControls(x.explanation)}`);
    for (const fix of x.fixes.developers) lines.push(`      ${p.dim('fix:')} ${escapeControls(fix)}`);
  }
  return lines.join('\n');
}

function textFailure(d: DiagnosedFailure, n: number, showSecrets: boolean, p: Paint, file?: string, where?: TraceWhere): string {
  const lines: string[] = [];
  if (file !== undefined) lines.push(p.dim(escapeControls(file)));
  if (where?.test !== undefined || where?.step !== undefined || where?.page !== undefined) {
    const step = where.step === undefined ? undefined : bounded(showSecrets ? where.step : redactText(where.step), 300);
    const page = where.page === undefined ? undefined : bounded(showSecrets ? where.page : redactUrl(where.page), 300);
    lines.push(p.dim(escapeControls([where.test !== undefined ? `test: ${bounded(showSecrets ? where.test : redactText(where.test), 300)}` : undefined, step !== undefined ? `step: ${step}` : undefined, page !== undefined ? `page: ${page}` : undefined].filter(Boolean).join('  '))));
  }
  const url = bounded(showSecrets ? d.entry.request.url : redactUrl(d.entry.request.url), 2048);
  const [first, ...others] = d.findings;
  // Failures are numbered from 1, as the Markdown report numbers them; the entry's index in the file (0-based, the JSON's `entry`) is named as such.
  lines.push(`${p.bold(`${n}.`)}  ${escapeControls(d.entry.request.method)} ${escapeControls(url)}  ${p.red(`→ ${d.entry.response.status}`)}  ${p.dim(`(entry #${d.index})`)}`);
  if (first) {
    const info = CAUSES[first.cause];
    const colour = info.severity === 'error' ? p.red : info.severity === 'warning' ? p.yellow : p.blue;
    lines.push(`    ${colour('●')} ${p.bold(escapeControls(first.title))}  ${p.dim(`[${first.cause}, ${first.confidence} confidence]`)}`);
    lines.push(`      ${escapeControls(first.explanation)}`);
    for (const fix of first.fixes.users) lines.push(`      ${p.green('Fix (users):')} ${escapeControls(fix)}`);
    for (const fix of first.fixes.developers) lines.push(`      ${p.green('Fix (developers):')} ${escapeControls(fix)}`);
  }
  for (const n of d.notes) lines.push(`    ${p.yellow('note:')} ${escapeControls(n.title)}`);
  for (const f of others) lines.push(`    ${p.dim('also:')} ${escapeControls(f.title)} ${p.dim(`[${f.cause}, ${f.confidence}]`)}`);
  const challenge = d.entry.response.headers.filter((h) => /^(www|proxy)-authenticate$/i.test(h.name));
  for (const h of challenge) {
    const v = showSecrets ? h.value : redactHeaderValue(h.name, h.value);
    lines.push(`    ${p.dim(`${escapeControls(h.name)}:`)} ${escapeControls(v.length > 300 ? `${v.slice(0, 300)}…` : v)}`);
  }
  const auth = d.entry.request.headers.filter((h) => /^(proxy-)?authorization$/i.test(h.name));
  for (const h of auth) {
    const v = showSecrets ? h.value : redactHeaderValue(h.name, h.value);
    lines.push(`    ${p.dim(`${escapeControls(h.name)}:`)} ${escapeControls(v.length > 300 ? `${v.slice(0, 300)}…` : v)}`);
  }
  if (d.facts.challengeProblems.length > 0) {
    lines.push(`    ${p.yellow('challenge problems:')} ${d.facts.challengeProblems.slice(0, 5).map((x) => escapeControls(showSecrets ? x.message : redactText(x.message))).join('; ')}${d.facts.challengeProblems.length > 5 ? `; and ${d.facts.challengeProblems.length - 5} more` : ''}`);
  }
  return lines.join('\n');
}

/**
 * `write` prints a line (its newline added); `writeRaw`, where given, prints text as it is (the
 * redacted HAR, written in pieces as they are made; without it the pieces are joined and printed
 * as one line).
 */
export function run(argv: string[], write: (s: string) => void, writeErr: (s: string) => void, env: Record<string, string | undefined>, isTty: boolean, writeRaw?: (s: string) => void): number {
  // Everything printed passes one gate (terminalSafe): no byte from a file reaches the terminal as a
  // control. An error line is one line that may echo a file name or an argument, and carries no
  // colour of ours: every control in it becomes a visible escape (escapeControls), SGR included.
  const out = (s: string) => write(terminalSafe(s));
  const err = (s: string) => writeErr(escapeControls(s));
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`why401: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (args === 'help') {
    out(USAGE);
    return 0;
  }
  if (args === 'version') {
    out(VERSION);
    return 0;
  }
  useFileTagKey(env);
  if (args.command === 'redact') return redact(args, write, err, writeRaw);
  const skipped: string[] = [];
  const failures: DiagnosedFailure[] = [];
  /** The file each failure came from, when a folder was read (relative to it). */
  const fileOf = new Map<DiagnosedFailure, string>();
  /** The test and step of each failure read from a Playwright trace. */
  const whereOf = new Map<DiagnosedFailure, TraceWhere>();
  let total = 0;
  let inputs: { files: string[]; folder: boolean };
  try {
    inputs = inputsOf(args.file);
  } catch (e) {
    return inputError(e, err);
  }
  if (inputs.folder && (args.format === 'md' || args.format === 'curl' || args.format === 'fetch')) {
    err(`why401: --format ${args.format} takes one HAR file, not a folder`);
    return 2;
  }
  let state: StorageState | undefined;
  if (args.storageState !== undefined) {
    try {
      state = readStorageStateFile(args.storageState);
    } catch (e) {
      return inputError(e, err);
    }
  }
  const hosts = new Set<string>();
  let startedAt: number | undefined;
  /** The sign-in flows of every file read. */
  const flows: FlowJson[] = [];
  for (const path of inputs.files) {
    const name = inputs.folder ? relative(args.file, path) : undefined;
    try {
      const fileSkipped: string[] = [];
      // Each file is its own session: its failures are judged against its own entries only.
      const judged = judgeFile(path, { include403: args.include403 }, fileSkipped);
      inputDone();
      total += judged.total;
      for (const flow of judged.flows) flows.push(flowJson(flow, name));
      for (const h of judged.hosts) hosts.add(h);
      if (judged.startedAt !== undefined && (startedAt === undefined || judged.startedAt < startedAt)) startedAt = judged.startedAt;
      for (const { failure, where } of judged.failures) {
        failures.push(failure);
        if (name !== undefined) fileOf.set(failure, name);
        if (where) whereOf.set(failure, where);
      }
      skipped.push(...fileSkipped.map((x) => (name !== undefined ? `${name}: ${x}` : x)));
    } catch (e) {
      // One file of a folder that is not a HAR: said, and the others still read.
      if (name === undefined || !(e instanceof HarError || e instanceof RangeError)) return inputError(e, err);
      skipped.push(`${name}: ${e instanceof HarError ? (e.message.startsWith(`${path}: `) ? e.message.slice(path.length + 2) : e.message) : 'too large to read in memory'}`);
    }
    phaseDone();
  }
  const toJson = (d: DiagnosedFailure, showSecrets: boolean): FailureJson => {
    const j = failureJson(d, showSecrets);
    const name = fileOf.get(d);
    const where = whereOf.get(d);
    return { ...(name !== undefined ? { file: name } : {}), ...(where?.test !== undefined ? { test: showSecrets ? where.test : redactText(where.test) } : {}), ...(where?.step !== undefined ? { step: showSecrets ? where.step : redactText(where.step) } : {}), ...(where?.page !== undefined ? { page: bounded(showSecrets ? where.page : redactUrl(where.page), MAX_JSON_URL) } : {}), ...j };
  };
  // The saved sign-in state, checked against the run: when it started, the hosts it used.
  const stateProblems = state ? storageStateProblems(state, { at: startedAt ?? Date.now(), hosts: [...hosts] }) : [];
  // --fail-on: the exit status says whether a failure the build cares about was found (1), whatever
  // the format; "any" counts a problem of the saved sign-in state too.
  const brokenFlows = flows.filter((f) => f.findings.length > 0);
  const status = args.failOn !== undefined && (failing(failures, args.failOn).length > 0 || (args.failOn === 'any' && (stateProblems.length > 0 || brokenFlows.length > 0))) ? 1 : 0;
  const stateName = args.storageState !== undefined ? basename(args.storageState) : '';
  const source = args.file === '-' ? 'standard input' : args.file;
  if (args.format === 'github' || args.format === 'junit') {
    const shown = failures.map((d) => toJson(d, args.showSecrets));
    if (args.format === 'github') {
      for (const problem of stateProblems) out(`::error title=${ghProperty(`Why 401: saved sign-in state (${stateName})`)}::${ghData(escapeControls(problem.message))}`);
      for (const line of githubAnnotations(shown, { file: source, total, flows })) out(line);
    } else out(junitReport(shown, { file: source, total, flows }));
    return status;
  }
  if (args.format === 'md') {
    out(markdownReport(failures.map((d) => ({ entry: d.entry, findings: d.findings, notes: d.notes })), { includeSecrets: args.showSecrets, version: VERSION, flows }));
    return status;
  }
  if (args.format === 'curl' || args.format === 'fetch') {
    const make = args.format === 'curl' ? toCurl : toFetch;
    const lead = args.format === 'curl' ? '#' : '//';
    // One failure at a time (a blank line between): a command that re-sends a large request is as
    // large, and the whole list is never held as one text.
    if (failures.length === 0) out('');
    // Each written by a function of its own: once it returns, nothing holds the command, and the
    // collection that follows frees it.
    const print = (d: DiagnosedFailure, i: number): number => {
      if (i > 0) out('');
      // The heading and the command are written apart: joined, the heading's "→" would make the
      // whole command a two-byte string, twice its size in memory.
      out(`${lead} ${i + 1}. ${escapeControls(d.entry.request.method)} ${escapeControls(bounded(args.showSecrets ? d.entry.request.url : displayUrl(d.entry.request.url), 2048))} → ${d.entry.response.status}`);
      const command = make(d.entry, { includeSecrets: args.showSecrets }).text;
      out(command);
      return command.length;
    };
    failures.forEach((d, i) => largeWorkDone(print(d, i)));
    return status;
  }
  if (args.format === 'json') {
    const report: ReportJson = { tool: 'why401', version: 1, failures: failures.map((d) => toJson(d, args.showSecrets)) };
    if (skipped.length > 0) report.skipped = skipped;
    if (state) report.storageState = { file: stateName, problems: stateProblems };
    if (flows.length > 0) report.flows = flows;
    write(terminalSafeJson(JSON.stringify(report, null, 2)));
    return status;
  }
  const p = painter(isTty && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb');
  const lines: string[] = [];
  lines.push(
    p.bold(`why401: ${failures.length} auth failure${failures.length === 1 ? '' : 's'} in ${total} entr${total === 1 ? 'y' : 'ies'}${inputs.folder ? ` of ${inputs.files.length} HAR file${inputs.files.length === 1 ? '' : 's'}` : ''}`) +
      (args.showSecrets ? p.yellow('  (secrets shown)') : p.dim('  (secrets masked; --show-secrets to show them)')),
  );
  if (skipped.length > 0) lines.push(p.yellow(`partial result: ${skipped.length} entr${skipped.length === 1 ? 'y' : 'ies'} could not be read (${skipped.slice(0, 3).map(escapeControls).join('; ')}${skipped.length > 3 ? '; …' : ''})`));
  if (state) {
    lines.push('', p.bold(`Saved sign-in state (${escapeControls(stateName)}): ${stateProblems.length === 0 ? 'no problem found' : `${stateProblems.length} problem${stateProblems.length === 1 ? '' : 's'}`}`));
    for (const problem of stateProblems) lines.push(`    ${p.red('●')} ${escapeControls(problem.message)}`);
  }
  if (flows.length > 0) {
    lines.push('', p.bold(`Sign-in flows: ${flows.length}, ${brokenFlows.length === 0 ? 'none broken' : `${brokenFlows.length} broken`}`));
    flows.forEach((f, i) => lines.push(textFlow(f, i + 1, p)));
  }
  // Repeats of one failure (a storm, a retry loop: core/verdict/burst.ts) print once, with their count, as the panel lists them.
  // Each file of a folder is its own session: a repeat never joins a failure of another file.
  const files = new Map<string, number>();
  const session = (d: DiagnosedFailure) => {
    const name = fileOf.get(d) ?? '';
    if (!files.has(name)) files.set(name, files.size);
    return files.get(name)!;
  };
  const each = failures.map((d) => ({ id: String(d.index), at: d.facts.at, entry: d.entry, findings: d.findings, page: session(d), d }));
  const groups = args.each ? each.map((x) => ({ head: x, members: [x], last: x.at })) : groupFailures(each);
  if (groups.length < failures.length) lines.splice(1, 0, p.dim(`${groups.length} after repeats of one failure are grouped (each shown once with its count)`));
  groups.forEach((g, i) => {
    lines.push('', textFailure(g.head.d, i + 1, args.showSecrets, p, fileOf.get(g.head.d), whereOf.get(g.head.d)));
    if (g.members.length > 1) lines.push(`    ${p.yellow(`×${g.members.length}`)} ${escapeControls(groupSentence(g, 'cli'))}`);
  });
  out(lines.join('\n'));
  return status;
}

/** Text is encoded and written this many characters at a time. */
const WRITE_PIECE = 256 << 10;

/**
 * Write a text as UTF-8, a piece at a time. Node writes a string by first encoding it into a
 * buffer sized for the worst case (3 bytes a character), so a megabyte of output would cost three
 * more that the allocator then keeps; a piece of a flat string is a view, not a copy. A piece
 * never ends between the two halves of a surrogate pair.
 */
export function writeUtf8(s: string, put: (bytes: Uint8Array) => void): void {
  if (s.length <= WRITE_PIECE) {
    put(Buffer.from(s, 'utf8'));
    return;
  }
  for (let i = 0; i < s.length; ) {
    let end = Math.min(s.length, i + WRITE_PIECE);
    const last = s.charCodeAt(end - 1);
    if (end < s.length && last >= 0xd800 && last <= 0xdbff) end--;
    put(Buffer.from(s.slice(i, end), 'utf8'));
    i = end;
  }
}

/** A file that cannot be read or is not a HAR: one line on stderr and exit 2; anything else is a bug and is thrown. */
function inputError(e: unknown, err: (s: string) => void): number {
  if (e instanceof HarError) err(`why401: ${e.message}`);
  else if (e instanceof RangeError) err('why401: the file is too large to read in memory');
  else throw e;
  return 2;
}

/**
 * why401 redact: the file's readable entries, masked, as a HAR (stdout or -o). The -o copy is
 * written beside its place and renamed over it when complete: the input is read as the copy is
 * written, so `-o` naming the input itself (or a file the user had there) is replaced only by a
 * whole copy, never truncated first or left half-written.
 */
function redact(args: Args, write: (s: string) => void, err: (s: string) => void, writeRaw?: (s: string) => void): number {
  const skipped: string[] = [];
  const out = args.out;
  const temp = out === undefined ? undefined : join(dirname(out), `.${basename(out)}.why401-${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    // The file's outline is checked whole before a line is written (a scan, no parse): a truncated
    // or non-HAR file prints nothing but its error, as before the output was streamed.
    // One reader's buffer for both reads: it grows to the largest entry once.
    const buffer: ScanBuffer = { bytes: new Uint8Array(1 << 20) };
    withInput(args.file, (source) => {
      for (const slice of scanHarEntries(source, undefined, buffer)) largeWorkDone(slice.bytes.length);
    });
    phaseDone();
    if (temp !== undefined) {
      try {
        fd = openSync(temp, 'wx');
      } catch (e) {
        err(`why401: cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
        return 2;
      }
    }
    const file = fd;
    // Written a piece at a time as the entries are masked: a large file is never held as text, and
    // an entry is written before the next is read. (Pieces never split a JSON string: the terminal's
    // escapes apply to each as to the whole.)
    let joined: string[] | undefined;
    const put = file !== undefined ? (s: string) => writeUtf8(s, (b) => writeSync(file, b)) : writeRaw !== undefined ? (s: string) => writeRaw(terminalSafeJson(s)) : (s: string) => (joined ??= []).push(terminalSafeJson(s));
    withInput(args.file, (source) => {
      const read = entriesOf(source, skipped, buffer);
      // A plain iterator, not a generator's loop: that would hold the last entry while the next is read.
      const entries: Iterable<HarEntry> = {
        [Symbol.iterator]: () => ({
          next: (): IteratorResult<HarEntry> => {
            const r = read.next();
            return r.done === true ? { done: true, value: undefined } : { done: false, value: r.value.entry };
          },
        }),
      };
      const pieces = redactedHarPieces(
        entries,
        { version: VERSION, source: args.file === '-' ? 'standard input' : args.file.split(/[\\/]/).pop() },
      );
      // Each piece written by a function of its own: nothing here holds it once written (a loop's
      // variable would, through the collection and the reading of the next entry).
      const writeNext = (): number => {
        const r = pieces.next();
        if (r.done === true) return -1;
        put(r.value);
        return r.value.length;
      };
      for (let n = writeNext(); n !== -1; n = writeNext()) largeWorkDone(n);
    });
    inputDone();
    if (file !== undefined) writeSync(file, '\n');
    else if (writeRaw !== undefined) writeRaw('\n');
    else write(joined?.join('') ?? '');
    if (fd !== undefined) {
      closeSync(fd);
      fd = undefined;
      renameSync(temp!, out!);
    }
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    // Whatever went wrong, no half-masked copy is left behind, and a file already at -o is kept.
    if (temp !== undefined) rmSync(temp, { force: true });
    if (e instanceof HarError || e instanceof RangeError) return inputError(e, err);
    const code = (e as NodeJS.ErrnoException).code;
    if (temp !== undefined && typeof code === 'string') {
      err(`why401: cannot write ${out} (${code})`);
      return 2;
    }
    throw e;
  }
  if (skipped.length > 0) err(`why401: ${skipped.length} entr${skipped.length === 1 ? 'y' : 'ies'} could not be read and ${skipped.length === 1 ? 'was' : 'were'} left out`);
  return 0;
}
