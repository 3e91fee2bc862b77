// scan --root auto's decisions that need no mount: without root it says what to run; with only
// encrypted volumes nothing is scanned and it says so (exit 2). Mounting itself: test/kit/kit.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scanAuto } from '../../src/kit/auto.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'kit');

function captureStderr(): { text: () => string } {
  let buf = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    buf += String(c);
    return true;
  });
  return { text: () => buf };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('scanAuto', () => {
  it('without root: names the exact command (the kit launcher under sudo), scans nothing, exit 2', async () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    const err = captureStderr();
    const scanOne = vi.fn(async () => 0);
    const code = await scanAuto(['scan', '--root', 'auto'], { lang: 'en', kitDir: '/media/user/BAOMI-KIT/kit', scanOne, lsblkJson: readFileSync(join(FIX, 'lsblk-dualboot-kit.json'), 'utf8') });
    expect(code).toBe(2);
    expect(scanOne).not.toHaveBeenCalled();
    expect(err.text()).toContain('Run: sudo sh /media/user/BAOMI-KIT/kit/baomi.sh');
  });

  it('in Chinese, without root', async () => {
    vi.spyOn(process, 'getuid').mockReturnValue(1000);
    const err = captureStderr();
    expect(await scanAuto(['scan', '--root', 'auto'], { lang: 'zh', kitDir: undefined, scanOne: async () => 0 })).toBe(2);
    expect(err.text()).toContain('请运行：sudo baomi scan --root auto');
  });

  it('only encrypted volumes: each reported as encrypted, not scanned; nothing scanned is exit 2', async () => {
    vi.spyOn(process, 'getuid').mockReturnValue(0);
    const err = captureStderr();
    const scanOne = vi.fn(async () => 0);
    const prev = process.env['BAOMI_AUTO_DEVICES'];
    process.env['BAOMI_AUTO_DEVICES'] = '/dev/sda4,/dev/nvme0n1p1';
    try {
      const code = await scanAuto(['scan', '--root', 'auto'], { lang: 'en', kitDir: undefined, scanOne, lsblkJson: readFileSync(join(FIX, 'lsblk-dualboot-kit.json'), 'utf8') });
      expect(code).toBe(2);
    } finally {
      if (prev === undefined) delete process.env['BAOMI_AUTO_DEVICES'];
      else process.env['BAOMI_AUTO_DEVICES'] = prev;
    }
    expect(scanOne).not.toHaveBeenCalled();
    expect(err.text()).toMatch(/\/dev\/sda4 \(BitLocker.*encrypted \(BitLocker\), not scanned/);
    expect(err.text()).toMatch(/\/dev\/nvme0n1p1 \(crypto_LUKS.*encrypted \(LUKS\), not scanned/);
    expect(err.text()).toMatch(/no system disk found/);
  });
});
