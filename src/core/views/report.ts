/**
 * The CLI's JSON contract (DESIGN.md, "The command line's contract"), built from a diagnosed failure.
 * Secrets are masked unless the caller explicitly asks for them.
 */
import type { Challenge } from '../auth/challenges.ts';
import type { SyntaxProblem } from '../auth/auth-syntax.ts';
import type { Credentials } from '../auth/credentials.ts';
import type { DiagnosedFailure } from '../verdict/diagnose.ts';
import type { Finding, Note } from '../verdict/finding.ts';
import { mask, redactChallenge, redactSecret, redactText, redactUrl, redactUserName } from '../redaction/redact.ts';
import { isPublicCredentialParam } from '../redaction/vocabulary.ts';
import { looksLikeJwt } from '../tokens/jwt.ts';
import { bounded } from '../auth/syntax.ts';
import type { StorageProblem } from '../cookies/storage-state.ts';
import type { Flow, FlowFinding } from '../flows/flow.ts';
import type { StepKind } from '../flows/step.ts';

export interface CredentialsJson {
  scheme: string;
  params: Record<string, string>;
  token68: string | null;
  basic?: { username: string; password: string } | { error: 'empty' | 'invalid-base64' | 'no-colon' };
  problems: SyntaxProblem[];
}

export interface FailureJson {
  /** The HAR file it came from, relative to the folder, when a folder was read. */
  file?: string;
  /** From a Playwright trace: its test's title, the action in progress when the request started, the page's URL then. */
  test?: string;
  step?: string;
  page?: string;
  entry: number;
  method: string;
  url: string;
  status: number;
  challenges: Challenge[];
  problems: SyntaxProblem[];
  credentials: CredentialsJson | null;
  findings: Finding[];
  /** Facts beside the findings: the 401 the page's script never saw. */
  notes: Note[];
}

export interface ReportJson {
  tool: 'why401';
  version: 1;
  failures: FailureJson[];
  /** Entries that could not be read (the result is partial when this is not empty). */
  skipped?: string[];
  /** What the output masked; absent with --show-secrets. */
  redacted?: boolean;
  /** With --storage-state: the saved sign-in state's problems for this run (core/cookies/storage-state.ts). */
  storageState?: { file: string; problems: StorageProblem[] };
  /** The sign-in flows the log holds (core/flows), when it holds any. */
  flows?: FlowJson[];
}

/** A sign-in flow: its steps (each an exchange of the log) and what broke. */
export interface FlowJson {
  /** The HAR file it came from, relative to the folder, when a folder was read. */
  file?: string;
  client?: string;
  steps: { kind: StepKind; entry: number; method: string; url: string; status: number; grant?: string; error?: string }[];
  findings: FlowFinding[];
}

/** A flow as the JSON contract writes it. Its URLs and texts are masked already (core/flows keeps nothing secret). */
export function flowJson(flow: Flow, file?: string): FlowJson {
  return {
    ...(file !== undefined ? { file } : {}),
    ...(flow.clientId !== undefined ? { client: bounded(flow.clientId, 256) } : {}),
    steps: flow.steps.map((s) => ({ kind: s.kind, entry: s.index, method: s.method, url: bounded(s.url, MAX_JSON_URL), status: s.status, ...(s.grantType !== undefined ? { grant: bounded(s.grantType, 64) } : {}), ...(s.error !== undefined ? { error: bounded(s.error, 256) } : {}) })),
    findings: flow.findings.map((f) => ({ ...f, evidence: [...f.evidence], fixes: { users: [...f.fixes.users], developers: [...f.fixes.developers] } })),
  };
}

export function credentialsJson(creds: Credentials | null, showSecrets: boolean): CredentialsJson | null {
  if (!creds) return null;
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(creds.params)) {
    const shown = showSecrets || (isPublicCredentialParam(name) && !looksLikeJwt(value)) ? value : redactSecret(value);
    if (name === '__proto__') Object.defineProperty(params, name, { value: shown, enumerable: true, writable: true, configurable: true });
    else params[name] = shown;
  }
  const out: CredentialsJson = {
    scheme: creds.scheme,
    params,
    token68: creds.token68 === null ? null : showSecrets ? creds.token68 : redactSecret(creds.token68),
    problems: creds.problems,
  };
  if (creds.basic) {
    out.basic = 'error' in creds.basic ? { error: creds.basic.error } : { username: showSecrets ? creds.basic.username : redactUserName(creds.basic.username), password: showSecrets ? creds.basic.password : mask(creds.basic.password) };
  }
  return out;
}

/** The longest URL the JSON contract carries whole (longer ones end in "… N more characters"). */
export const MAX_JSON_URL = 8192;

export function failureJson(d: DiagnosedFailure, showSecrets: boolean): FailureJson {
  return {
    entry: d.index,
    method: d.entry.request.method,
    // Bounded as every output is: a megabyte URL shows its head and how much more there was.
    url: bounded(showSecrets ? d.entry.request.url : redactUrl(d.entry.request.url), MAX_JSON_URL),
    status: d.entry.response.status,
    challenges: showSecrets ? d.facts.challenges : d.facts.challenges.map(redactChallenge),
    problems: showSecrets ? d.facts.challengeProblems : d.facts.challengeProblems.map((p) => ({ ...p, message: redactText(p.message) })),
    credentials: credentialsJson(d.facts.credentials, showSecrets),
    findings: d.findings,
    notes: d.notes,
  };
}
