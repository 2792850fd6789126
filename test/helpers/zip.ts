/**
 * Writing zip archives for tests and the bench (core only reads them): local headers, central
 * directory, end record, as the format says — and, for hostile cases, sizes and flags that lie.
 */
import { deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  data: Uint8Array;
  /** Stored (0) or deflated (8, the default). */
  method?: number;
  /** The size the directory claims, when it lies. */
  size?: number;
  flags?: number;
}

export function zip(parts: ZipPart[], options: { zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const method = p.method ?? 8;
    const body = method === 8 ? deflateRawSync(p.data) : Buffer.from(p.data);
    const name = Buffer.from(p.name);
    // The fields a local header and its central directory record share, from "version needed"
    // on: at 4 in the local header, at 6 in the central record (after "version made by").
    const shared = (b: Buffer, at: number) => {
      b.writeUInt16LE(20, at);
      b.writeUInt16LE(p.flags ?? 0, at + 2);
      b.writeUInt16LE(method, at + 4);
      b.writeUInt32LE(body.length, at + 14);
      b.writeUInt32LE(p.size ?? p.data.length, at + 18);
      b.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    shared(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    shared(central, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.zip64 ? 0xffff : parts.length, 8);
  end.writeUInt16LE(options.zip64 ? 0xffff : parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
