#!/usr/bin/env python3
"""Builds the PDF extraction benchmark set (bench/pdf/run.mjs reads it).

    python3 scripts/make-bench-pdfs.py [OUT]      # default OUT: /tmp/baomi-bench-pdfs

Deterministic (fixed seeds). Uses only the Python standard library, plus poppler-utils
(`pdfunite`, `pdftocairo`) for the derived files when they are installed (Debian: poppler-utils);
without them those files are skipped and the script says so.

What it makes, written here in exact PDF syntax:
  * real/       the real PDFs of this repo's fixtures (the two corpus PDFs from ofdrw: JasperReports +
                OpenPDF, "Microsoft: Print To PDF"; the LibreOffice 7.4 labelled set; the made set)
  * cjk-ucs2/   multi-page Chinese reports in non-embedded STSong-Light + UniGB-UCS2-H (as iText and
                many Chinese report tools write: needs Adobe's predefined CMaps), a running header
                and footer on each page, Latin in Helvetica, a /Text annotation on some
  * cjk-gbk/    the same with GBK-EUC-H (GBK bytes in the strings)
  * cjk-glyphs/ one glyph per show operator, each placed by Td (as Microsoft Print-to-PDF does)
  * cjk-jp/     Japanese pages in HeiseiMin-W3 + UniJIS-UCS2-H beside Chinese pages
  * scan/       image-only pages (8-bit grey, Flate), no text layer: OCR would be needed
  * mixed/      text pages with scanned pages in between
  * big/        three 300-page reports, two 20-page scans, pdfunite concatenations of the real PDFs
  * cairo/      pdftocairo -pdf re-writes of generated reports: embedded CID font subsets with
                ToUnicode CMaps (the shape of most PDFs printed from a desktop application)
"""
import os
import random
import shutil
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else '/tmp/baomi-bench-pdfs'

# The 3,755 level-1 characters of GB 2312 (rows 16-55), all in GBK as well.
HANZI = []
for hi in range(0xB0, 0xD8):
    for lo in range(0xA1, 0xFF):
        try:
            c = bytes([hi, lo]).decode('gb2312')
        except UnicodeDecodeError:
            continue
        HANZI.append(c)
KANA = [chr(c) for c in range(0x3042, 0x3094)] + [chr(c) for c in range(0x30A2, 0x30F4)]
LATIN = ['report', 'budget', 'system', 'project', 'meeting', 'data', 'plan', 'network', 'office', 'version']
UNITS = ['办公室', '信息中心', '财务处', '人事处', '技术部', '综合处']


def pdf_str_utf16(s):
    return '<FEFF' + s.encode('utf-16-be').hex().upper() + '>'


class Pdf:
    def __init__(self):
        self.objs = []  # bytes bodies, object n = index + 1

    def add(self, body):
        if isinstance(body, str):
            body = body.encode('latin-1')
        self.objs.append(body)
        return len(self.objs)

    def reserve(self):
        self.objs.append(None)
        return len(self.objs)

    def set(self, n, body):
        if isinstance(body, str):
            body = body.encode('latin-1')
        self.objs[n - 1] = body

    def stream(self, data, extra='', compress=True):
        if compress:
            data = zlib.compress(data, 6)
            extra += ' /Filter /FlateDecode'
        return self.add(b'<< /Length %d%s >>\nstream\n' % (len(data), extra.encode()) + data + b'\nendstream')

    def write(self, path, root, info=None):
        out = bytearray(b'%PDF-1.5\n%\xe2\xe3\xcf\xd3\n')
        offs = []
        for i, body in enumerate(self.objs):
            offs.append(len(out))
            out += b'%d 0 obj\n' % (i + 1) + body + b'\nendobj\n'
        xref = len(out)
        out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(self.objs) + 1)
        for o in offs:
            out += b'%010d 00000 n \n' % o
        tr = '<< /Size %d /Root %d 0 R' % (len(self.objs) + 1, root)
        if info:
            tr += ' /Info %d 0 R' % info
        out += ('trailer\n' + tr + ' >>\nstartxref\n%d\n%%%%EOF\n' % xref).encode()
        with open(path, 'wb') as f:
            f.write(out)


def fonts(pdf):
    """Resource dictionary with /F1 STSong UCS2, /F2 Helvetica, /F3 STSong GBK, /F4 HeiseiMin UCS2."""
    def cjk(base, enc, reg):
        d = pdf.add('<< /Type /FontDescriptor /FontName /%s /Flags 6 /FontBBox [-25 -254 1000 880] '
                    '/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>' % base)
        c = pdf.add('<< /Type /Font /Subtype /CIDFontType0 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) '
                    '/Ordering (%s) /Supplement 2 >> /FontDescriptor %d 0 R /DW 1000 >>' % (base, reg, d))
        return pdf.add('<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /%s /DescendantFonts [%d 0 R] >>'
                       % (base, enc, c))
    f1 = cjk('STSong-Light', 'UniGB-UCS2-H', 'GB1')
    f2 = pdf.add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>')
    f3 = cjk('STSong-Light', 'GBK-EUC-H', 'GB1')
    f4 = cjk('HeiseiMin-W3', 'UniJIS-UCS2-H', 'Japan1')
    return '<< /F1 %d 0 R /F2 %d 0 R /F3 %d 0 R /F4 %d 0 R >>' % (f1, f2, f3, f4)


def enc(s, font):
    if font == 'F3':
        return '<' + s.encode('gbk').hex().upper() + '>'
    return '<' + s.encode('utf-16-be').hex().upper() + '>'


def sentence(r, n, alphabet=HANZI):
    s = ''
    while len(s) < n:
        w = ''.join(r.choice(alphabet) for _ in range(r.randint(2, 4)))
        s += w
        if r.random() < 0.1:
            s += '，'
        if r.random() < 0.04:
            s += '。'
    return s[:n]


def text_page(r, pdf, fonts_ref, pagenum, kind, unit):
    font = 'F3' if kind == 'gbk' else 'F1'
    ops = []
    # running header and footer
    ops.append('BT /%s 9 Tf 50 810 Td %s Tj ET' % (font, enc('%s 内部资料 第%d页' % (unit, pagenum), font)))
    ops.append('BT /F2 9 Tf 280 30 Td (- %d -) Tj ET' % pagenum)
    ops.append('BT /%s 16 Tf 150 770 Td %s Tj ET' % (font, enc(sentence(r, 12), font)))
    lines = r.randint(30, 44)
    if kind == 'glyphs':
        # one glyph per operator, each placed absolutely (Microsoft Print-to-PDF style)
        y = 740
        for _ in range(lines):
            x = 50.0
            for ch in sentence(r, 38):
                ops.append('BT /F1 10.5 Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET' % (x, y, enc(ch, 'F1')))
                x += 10.5
            y -= 16
    else:
        ops.append('BT /%s 10.5 Tf 16 TL 50 740 Td' % font)
        for i in range(lines):
            if kind == 'jp' and pagenum % 2 == 0:
                ops.append('/F4 10.5 Tf %s Tj T*' % enc(sentence(r, 38, KANA + HANZI[:400]), 'F4'))
            elif r.random() < 0.15:
                words = ' '.join(r.choice(LATIN) for _ in range(8))
                ops.append('/F2 10.5 Tf (%s %d) Tj /%s 10.5 Tf T*' % (words, r.randint(1000, 9999), font))
            else:
                ops.append('%s Tj T*' % enc(sentence(r, 38), font))
        ops.append('ET')
    content = pdf.stream('\n'.join(ops).encode('latin-1'))
    return content


def image_xobject(r, pdf, w=827, h=1169):
    """A grey 'scan': white paper with noise, dark blocks where lines of print would be."""
    rows = []
    dark_rows = set()
    y = 80
    while y < h - 80:
        if r.random() < 0.85:
            for k in range(14):
                dark_rows.add(y + k)
        y += 24
    noise = bytes(r.getrandbits(8) & 0x0F for _ in range(w * 4))
    for yy in range(h):
        base = bytearray(b'\xf0' * w)
        off = (yy * 131) % (len(noise) - w)
        row = bytearray(a + b for a, b in zip(base, noise[off:off + w]))
        if yy in dark_rows:
            x = 60
            while x < w - 60:
                ln = r.randint(6, 14)
                for xx in range(x, min(x + ln, w - 60)):
                    row[xx] = 0x20 + (noise[(xx + yy) % len(noise)] & 0x1F)
                x += ln + r.randint(2, 5)
        rows.append(bytes(row))
    data = b''.join(rows)
    return pdf.stream(data, ' /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray '
                            '/BitsPerComponent 8' % (w, h))


def scan_page(r, pdf, img_cache):
    if not img_cache or r.random() < 0.5:
        img_cache.append(image_xobject(r, pdf))
    img = img_cache[-1]
    content = pdf.stream(b'q 595 0 0 842 0 0 cm /Im0 Do Q')
    return content, '<< /XObject << /Im0 %d 0 R >> >>' % img


def make_doc(path, seed, pages, kinds, annot=False):
    """kinds: per page 'ucs2' | 'gbk' | 'glyphs' | 'jp' | 'scan'."""
    r = random.Random(seed)
    pdf = Pdf()
    pages_n = pdf.reserve()
    fonts_ref = fonts(pdf)
    unit = r.choice(UNITS)
    kids = []
    img_cache = []
    for p in range(pages):
        kind = kinds(p) if callable(kinds) else kinds
        page_n = pdf.reserve()
        if kind == 'scan':
            content, res = scan_page(r, pdf, img_cache)
        else:
            content = text_page(r, pdf, fonts_ref, p + 1, kind, unit)
            res = '<< /Font %s >>' % fonts_ref
        annots = ''
        if annot and p == 0:
            a = pdf.add('<< /Type /Annot /Subtype /Text /Rect [500 780 520 800] /Contents %s /T %s >>'
                        % (pdf_str_utf16('批注：' + sentence(r, 20)), pdf_str_utf16('审核人')))
            annots = ' /Annots [%d 0 R]' % a
        pdf.set(page_n, '<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R%s >>'
                % (pages_n, res, content, annots))
        kids.append(page_n)
    pdf.set(pages_n, '<< /Type /Pages /Kids [%s] /Count %d >>' % (' '.join('%d 0 R' % k for k in kids), len(kids)))
    info = pdf.add('<< /Producer (baomi make-bench-pdfs) /Title %s >>' % pdf_str_utf16(unit + '工作报告'))
    root = pdf.add('<< /Type /Catalog /Pages %d 0 R >>' % pages_n)
    pdf.write(path, root, info)


def pages_skewed(r):
    """Page counts of office documents: mostly short, a tail of longer ones."""
    x = r.random()
    if x < 0.45:
        return r.randint(1, 3)
    if x < 0.8:
        return r.randint(4, 10)
    return r.randint(11, 40)


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    for d in ('real', 'cjk-ucs2', 'cjk-gbk', 'cjk-glyphs', 'cjk-jp', 'scan', 'mixed', 'big', 'cairo'):
        os.makedirs(os.path.join(OUT, d))
    r = random.Random(13)
    # real PDFs (the password-protected one is left out: no engine reads it without the password)
    real = []
    for sub in ('corpus/pdf', 'labelled', 'made'):
        folder = os.path.join(ROOT, 'fixtures', 'documents', sub)
        for name in sorted(os.listdir(folder)):
            if name.endswith('.pdf') and name != 'encrypted.pdf':
                src = os.path.join(folder, name)
                dst = os.path.join(OUT, 'real', sub.replace('/', '-') + '-' + name)
                shutil.copyfile(src, dst)
                real.append(dst)
    seed = 1000
    for i in range(120):
        seed += 1
        make_doc(os.path.join(OUT, 'cjk-ucs2', 'report-%03d.pdf' % i), seed, pages_skewed(r), 'ucs2', annot=(i % 4 == 0))
    for i in range(30):
        seed += 1
        make_doc(os.path.join(OUT, 'cjk-gbk', 'gbk-%03d.pdf' % i), seed, pages_skewed(r), 'gbk')
    for i in range(30):
        seed += 1
        make_doc(os.path.join(OUT, 'cjk-glyphs', 'print-%03d.pdf' % i), seed, r.randint(1, 6), 'glyphs')
    for i in range(10):
        seed += 1
        make_doc(os.path.join(OUT, 'cjk-jp', 'jp-%03d.pdf' % i), seed, r.randint(2, 8), 'jp')
    for i in range(30):
        seed += 1
        make_doc(os.path.join(OUT, 'scan', 'scan-%03d.pdf' % i), seed, r.randint(1, 3), 'scan')
    for i in range(20):
        seed += 1
        make_doc(os.path.join(OUT, 'mixed', 'mixed-%03d.pdf' % i), seed, r.randint(3, 12),
                 lambda p: 'scan' if p % 3 == 2 else 'ucs2', annot=(i % 2 == 0))
    for i in range(3):
        seed += 1
        make_doc(os.path.join(OUT, 'big', 'report-300p-%d.pdf' % i), seed, 300, 'ucs2' if i != 1 else 'gbk')
    for i in range(2):
        seed += 1
        make_doc(os.path.join(OUT, 'big', 'scan-20p-%d.pdf' % i), seed, 20, 'scan')
    if shutil.which('pdfunite') and shutil.which('pdftocairo'):
        t3 = [p for p in real if p.endswith('Test3.pdf')][0]
        subprocess.run(['pdfunite'] + [t3] * 30 + [os.path.join(OUT, 'big', 'print-to-pdf-x30.pdf')], check=True)
        lab = [p for p in real if '-labelled-' in os.path.basename(p) or 'labelled-' in os.path.basename(p)]
        subprocess.run(['pdfunite'] + lab * 5 + [os.path.join(OUT, 'big', 'libreoffice-x5.pdf')], check=True)
        srcs = sorted(os.listdir(os.path.join(OUT, 'cjk-ucs2')))[:30] + sorted(os.listdir(os.path.join(OUT, 'cjk-gbk')))[:10]
        for name in srcs:
            sub = 'cjk-ucs2' if name.startswith('report') else 'cjk-gbk'
            subprocess.run(['pdftocairo', '-pdf', os.path.join(OUT, sub, name),
                            os.path.join(OUT, 'cairo', 'cairo-' + name)], check=True)
    else:
        print('pdfunite/pdftocairo not found (apt-get install poppler-utils): big/ concatenations and cairo/ skipped')
    n = 0
    size = 0
    for dp, _, fs in os.walk(OUT):
        for f in fs:
            n += 1
            size += os.path.getsize(os.path.join(dp, f))
    print('%s: %d PDFs, %.1f MB' % (OUT, n, size / 1e6))


if __name__ == '__main__':
    main()
