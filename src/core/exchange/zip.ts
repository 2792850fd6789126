/**
 * Reading a zip archive held in memory (a Playwright trace): its central directory, checked
 * against hostile archives, and one entry's bytes at a time. Nothing is written anywhere, so a
 * name cannot escape anything; names that try (absolute, `..`, a drive, a NUL) still mark the
 * archive as hostile and it is refused. Inflating is the caller's (the CLI passes zlib's, with a
 * ceiling on the output): core stays free of platform APIs.
 */
import { HarError } from './har-read.ts';
import { groupDigits } from '../auth/syntax.ts';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's data in the archive. */
  dataStart: number;
}

/** Inflate raw deflate data; throws when the output would pass `maxLength` bytes. */
export type InflateRaw = (data: Uint8Array, maxLength: number) => Uint8Array;

export const ZIP_LIMITS = {
  entries: 100_000,
  /** One entry inflated (a trace's network log of a long test is tens of megabytes). */
  entrySize: 1 << 30,
  /** Inflated ÷ compressed beyond which an entry is a bomb (deflate's own best is ~1032). */
  ratio: 1100,
};

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Whether the bytes start like a zip archive (a local file header). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

const decoder = new TextDecoder('utf-8');

/** The archive's entries, from its central directory; throws HarError (one line) for a broken or hostile archive. */
export function zipEntries(bytes: Uint8Array, limits = ZIP_LIMITS): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  // The end-of-central-directory record: the last 22 bytes, or before a comment of up to 64 KiB.
  let eocd = -1;
  for (let p = n - 22; p >= Math.max(0, n - 22 - 0xffff); p--) {
    if (view.getUint32(p, true) === EOCD) {
      eocd = p;
      break;
    }
  }
  if (eocd === -1) throw new HarError('not a zip archive, or a truncated one: no end of central directory');
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirStart = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirSize === 0xffffffff || dirStart === 0xffffffff) throw new HarError('a ZIP64 archive (over 4 GiB or 65,535 entries): not read');
  if (count > limits.entries) throw new HarError(`a zip of ${groupDigits(count)} entries: at most ${groupDigits(limits.entries)} are read`);
  if (dirStart + dirSize > eocd) throw new HarError('a broken zip archive: its central directory lies outside the file');
  const out: ZipEntry[] = [];
  let p = dirStart;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL) throw new HarError(`a broken zip archive: entry ${i} of its central directory is damaged`);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    if (p + 46 + nameLength > eocd) throw new HarError(`a broken zip archive: entry ${i}'s name runs past its directory`);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    p += 46 + nameLength + extraLength + commentLength;
    if (hostileName(name)) throw new HarError(`a hostile zip archive: entry ${i} is named to escape its folder`);
    if (name.endsWith('/')) continue; // a folder
    if (flags & 1) throw new HarError(`an encrypted zip archive: entry ${i} cannot be read`);
    if (method !== 0 && method !== 8) throw new HarError(`a zip archive whose entry ${i} uses compression method ${method} (only stored and deflated are read)`);
    if (size > limits.entrySize) throw new HarError(`a zip entry of ${groupDigits(size)} bytes: at most ${groupDigits(limits.entrySize)} are read`);
    if (method === 8 ? size > compressedSize * limits.ratio + 1024 : size !== compressedSize) throw new HarError(`a zip bomb, or a broken archive: entry ${i} claims ${groupDigits(size)} bytes from ${groupDigits(compressedSize)}`);
    if (local + 30 > n || view.getUint32(local, true) !== LOCAL) throw new HarError(`a broken zip archive: entry ${i}'s local header is missing`);
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (dataStart + compressedSize > n) throw new HarError(`a truncated zip archive: entry ${i}'s data runs past the end of the file`);
    out.push({ name, method, compressedSize, size, dataStart });
  }
  return out;
}

function hostileName(name: string): boolean {
  return name.includes('\0') || name.includes('\\') || name.startsWith('/') || /^[a-z]:/i.test(name) || name.split('/').includes('..');
}

/** One entry's bytes, inflated to exactly its declared size (anything else is a broken archive). */
export function zipEntryBytes(bytes: Uint8Array, e: ZipEntry, inflate: InflateRaw): Uint8Array {
  const data = bytes.subarray(e.dataStart, e.dataStart + e.compressedSize);
  if (e.method === 0) return data;
  let out: Uint8Array;
  try {
    out = inflate(data, e.size);
  } catch {
    throw new HarError(`a broken zip archive: ${JSON.stringify(e.name.slice(0, 80))} does not inflate to its declared ${groupDigits(e.size)} bytes`);
  }
  if (out.length !== e.size) throw new HarError(`a broken zip archive: ${JSON.stringify(e.name.slice(0, 80))} inflates to ${groupDigits(out.length)} bytes, not its declared ${groupDigits(e.size)}`);
  return out;
}
