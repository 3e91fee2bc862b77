// An rpm package header as rpm stores it in its database (the Packages table's blob: the header
// without its 8-byte magic): a big-endian count of index entries (il) and the data length (dl),
// il entries of {tag, type, offset, count}, then dl bytes of data (rpm's lib/header.c, headerImport).
// Only the tags baomi shows are decoded; every offset is checked against the blob.

export const TAG = { NAME: 1000, VERSION: 1001, RELEASE: 1002, EPOCH: 1003, INSTALLTIME: 1008, VENDOR: 1011, ARCH: 1022 } as const;
const TYPE = { INT32: 4, STRING: 6, STRING_ARRAY: 8, I18NSTRING: 9 } as const;
const MAX_INDEX = 0x10000;

export interface RpmPackage {
  name: string;
  version?: string;
  release?: string;
  epoch?: number;
  vendor?: string;
  arch?: string;
  /** Seconds since 1970. */
  installTime?: number;
}

export class RpmHeaderError extends Error {}

function cString(data: Uint8Array, at: number): string {
  let end = at;
  while (end < data.length && data[end] !== 0) end++;
  if (end >= data.length) throw new RpmHeaderError('string runs past the end of the header');
  return Buffer.from(data.buffer, data.byteOffset + at, end - at).toString('utf8');
}

export function parseRpmHeader(blob: Uint8Array): RpmPackage {
  if (blob.length < 8) throw new RpmHeaderError('header shorter than 8 bytes');
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = dv.getUint32(0);
  const dl = dv.getUint32(4);
  if (il === 0 || il > MAX_INDEX) throw new RpmHeaderError(`implausible index count ${il}`);
  const dataStart = 8 + il * 16;
  if (dataStart + dl > blob.length) throw new RpmHeaderError(`header claims ${dataStart + dl} bytes, blob has ${blob.length}`);
  const data = blob.subarray(dataStart, dataStart + dl);
  const out: Partial<RpmPackage> = {};
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16;
    const tag = dv.getUint32(e);
    const type = dv.getUint32(e + 4);
    const off = dv.getUint32(e + 8);
    if (!Object.values(TAG).includes(tag as never)) continue;
    if (off >= dl) throw new RpmHeaderError(`tag ${tag}: offset ${off} outside the data (${dl} bytes)`);
    const str = (): string | undefined => (type === TYPE.STRING || type === TYPE.I18NSTRING || type === TYPE.STRING_ARRAY ? cString(data, off) : undefined);
    const int = (): number | undefined => (type === TYPE.INT32 && off + 4 <= dl ? new DataView(data.buffer, data.byteOffset + off, 4).getUint32(0) : undefined);
    switch (tag) {
      case TAG.NAME: out.name = str(); break;
      case TAG.VERSION: out.version = str(); break;
      case TAG.RELEASE: out.release = str(); break;
      case TAG.VENDOR: out.vendor = str(); break;
      case TAG.ARCH: out.arch = str(); break;
      case TAG.EPOCH: out.epoch = int(); break;
      case TAG.INSTALLTIME: out.installTime = int(); break;
    }
  }
  if (!out.name) throw new RpmHeaderError('no package name');
  const pkg: RpmPackage = { name: out.name };
  for (const k of ['version', 'release', 'epoch', 'vendor', 'arch', 'installTime'] as const) if (out[k] !== undefined) (pkg as unknown as Record<string, unknown>)[k] = out[k];
  return pkg;
}
