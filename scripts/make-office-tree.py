#!/usr/bin/env python3
"""Builds the realistic office-disk tree for `npm run bench -- docs` (bench/docs.js reads it).

    python3 scripts/make-office-tree.py [OUT]     # default OUT: /tmp/baomi-office-tree

Writes OUT/ (a Windows-like disk: Users/…) and OUT.labels.json (one row per file: path, format,
class and the markings expected). Deterministic: fixed seeds, zip members with a fixed date (the
same bytes on every run on the same machine; the copied system files — Python standard library,
headers, the project's node_modules — follow what is installed). Python 3.11 standard library only,
plus poppler-utils (`pdftocairo`, `pdfunite`) for the PDF re-writes when installed.

Mix (≈ 20,000 files, ≈ 6,500 of them office/PDF/OFD/text documents):
  Users/<user>/{Desktop,Documents,Downloads}    office documents, PDFs, OFD, archives, text
  Users/<user>/Documents/WeChat Files/wxid_…/FileStorage/{File/2026-0N,Image/2026-0N,…}
  Users/<user>/Documents/Tencent Files/<qq>/FileRecv
  Users/<dev>/source/repos/…                    source (real files), .git objects, node_modules
  Users/<user>/AppData/…                        logs, caches, a chat database, a few big videos
  Users/<user>/Pictures                         photos and screenshots (noise with real headers)

SOURCES of every document and text (nothing fetched from a network):
  * fixtures/documents/labelled/ — LibreOffice 7.4 files made by this project (labelled/PROVENANCE.md):
    varied here — every CJK character outside the marking vocabulary is replaced (same length, so
    binary OLE files stay valid: the UTF-16 text in .doc/.xls/.ppt is rewritten in place), OOXML/ODF
    files get more paragraphs/rows; the labels (labels.json) say which of them carry a marking.
  * fixtures/documents/made/, fixtures/documents/corpus/ (ofdrw, Apache Tika, plaso: Apache-2.0,
    see fixtures/documents/PROVENANCE.md) — varied the same way (OFD: same-length text in
    Content.xml; one TextObject copied to plant a marking).
  * fixtures/documents/negatives/ — the hard-negatives set (scripts/make-negatives.mjs, sources in
    its header): copied whole into the places such files live (repos, chat exports, mail, sheets).
  * PDFs: the writers of scripts/make-bench-pdfs.py (imported), exact PDF syntax; pdftocairo
    re-writes (embedded CID subsets with ToUnicode); the fixtures' real PDFs copied.
  * Source code: real files of this machine — /usr/lib/python3.11 (PSF-2.0), /usr/include (glibc
    LGPL headers, zlib, SQLite …: copied as data, not linked), the project's node_modules (MIT,
    Apache-2.0, ISC …; each package's licence file travels with it).
  * Chinese text written here: the word lists below and make-bench-pdfs.py's GB 2312 characters.
  * Pictures, videos, caches, .dat and databases: seeded random bytes behind the real magic bytes.
"""
import importlib.util
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '/tmp/baomi-office-tree')
FIX = os.path.join(ROOT, 'fixtures', 'documents')

_spec = importlib.util.spec_from_file_location('bench_pdfs', os.path.join(ROOT, 'scripts', 'make-bench-pdfs.py'))
P = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(P)

R = random.Random(20260506)
STATE = {'levels': ('绝密', '机密', '秘密'), 'internal': ('工作秘密', '内部')}
labels = []  # {path, format, cls, expected: [levels]}
used = set()

# Characters never replaced when a sample is varied: the level words, the words of a secrecy
# period and of the marking's surroundings, so a marking stays a marking and a mention a mention.
LAB = json.load(open(os.path.join(FIX, 'labelled', 'labels.json'), encoding='utf-8'))
PROTECT = set('绝机秘密内部工作年月个长期启用前解除至止日份号第标志商业国家级限时间') | set(
    c for l in LAB for c in l.get('note', '') if '\u4e00' <= c <= '\u9fff')
POOL = [c for c in P.HANZI if c not in PROTECT]
HANZI1 = set(P.HANZI)

# make-bench-pdfs writes a running header '… 内部资料 第N页': a real internal marking in a header,
# which would make every generated PDF a positive of document-internal-marking. Here the header says
# 工作简报 (a neutral word), so the PDFs hold only the markings planted below.
_enc = P.enc
P.enc = lambda s, font: _enc(s.replace('内部资料', '工作简报'), font)
WORDS = ['工作', '会议', '通知', '安排', '落实', '情况', '报告', '单位', '项目', '计划', '总结', '要求', '研究', '推进',
         '管理', '制度', '组织', '开展', '检查', '材料', '经费', '预算', '年度', '季度', '人员', '培训', '设备', '系统',
         '数据', '采购', '合同', '审批', '考核', '调研', '方案', '实施', '建设', '服务', '质量', '安全', '信息', '发展']
USERS = ['zhangwei', 'wangfang', 'liming']
DEV = 'chenjing'
TOPICS = ['工作总结', '会议纪要', '培训安排', '采购计划', '项目进展', '年度预算', '考勤统计', '值班表', '通讯录', '设备清单',
          '合同草稿', '调研报告', '请示', '批复', '通知', '述职报告', '工作方案', '汇报材料', '经费明细', '人员名单']
UNITS = ['办公室', '信息中心', '财务处', '人事处', '技术部', '综合处', '后勤处', '法规科']
EPOCH = (2026, 5, 6, 9, 0, 0)


def filler(r, n):
    """Office prose without any level word: n characters."""
    s = ''
    while len(s) < n:
        s += r.choice(WORDS) if r.random() < 0.6 else ''.join(r.choice(POOL) for _ in range(r.randint(1, 3)))
        if r.random() < 0.08:
            s += '，'
        if r.random() < 0.04:
            s += '。'
    return s[:n]


def vary_text(r, s):
    return re.sub('[\u4e00-\u9fff]', lambda m: m.group(0) if m.group(0) in PROTECT else r.choice(POOL), s)


def vary_utf16_inplace(r, b):
    """Same-length substitution of CJK characters in the UTF-16LE text of a binary (OLE) file: only
    in runs of ≥ 6 characters all from GB 2312 level 1, which compressed or binary parts embedded in
    the file (pictures, OLE objects, zips) do not produce by chance (≈ 1 in 3·10^7 positions)."""
    b = bytearray(b)
    for m in re.finditer(rb'(?:[\x00-\xff][\x4e-\x9f]){6,}', bytes(b)):
        if m.start() % 2:
            continue
        s = m.group(0).decode('utf-16-le')
        if all(c in HANZI1 for c in s):
            b[m.start():m.end()] = vary_text(r, s).encode('utf-16-le')
    return bytes(b)


def vary_rtf(r, s):
    def sub(m):
        n = int(m.group(1))
        c = chr(n % 65536)
        if '\u4e00' <= c <= '\u9fff' and c not in PROTECT:
            c = r.choice(POOL)
            v = ord(c)
            return '\\u%d' % (v - 65536 if v > 32767 else v)
        return m.group(0)
    return re.sub(r'\\u(-?\d+)', sub, s)


def rezip(src_bytes, edit):
    """Rewrites a zip-based document: edit(name, bytes) -> bytes; order and methods kept."""
    zin = zipfile.ZipFile(io.BytesIO(src_bytes))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w') as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if not info.is_dir():
                data = edit(info.filename, data)
            zi = zipfile.ZipInfo(info.filename, EPOCH)
            zi.compress_type = info.compress_type
            zi.external_attr = info.external_attr
            zout.writestr(zi, data)
    return buf.getvalue()


def xml_edit(r, grow, fmt):
    def edit(name, data):
        if not name.endswith('.xml'):
            return data
        s = data.decode('utf-8')
        s = vary_text(r, s)
        if grow:
            if fmt == 'docx' and name == 'word/document.xml':
                k = s.rfind('<w:sectPr')
                if k < 0:
                    k = s.rfind('</w:body>')
                paras = ''.join('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % filler(r, r.randint(40, 160)) for _ in range(grow))
                s = s[:k] + paras + s[k:]
            elif fmt in ('odt', 'ods', 'odp') and name == 'content.xml' and '</office:text>' in s:
                k = s.rfind('</office:text>')
                s = s[:k] + ''.join('<text:p>%s</text:p>' % filler(r, r.randint(40, 160)) for _ in range(grow)) + s[k:]
            elif fmt == 'xlsx' and re.match(r'xl/worksheets/sheet1\.xml$', name) and '</sheetData>' in s:
                last = max([int(x) for x in re.findall(r'<row r="(\d+)"', s)] or [0])
                rows = []
                for i in range(grow):
                    n = last + 1 + i
                    cells = ''.join('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col, n, filler(r, r.randint(2, 12))) for col in 'ABCD')
                    cells += '<c r="E%d"><v>%d</v></c>' % (n, r.randint(1, 99999))
                    rows.append('<row r="%d">%s</row>' % (n, cells))
                k = s.rfind('</sheetData>')
                s = s[:k] + ''.join(rows) + s[k:]
        return s.encode('utf-8')
    return edit


def ofd_plant(data, marking):
    """Copies the first TextObject of the first page with the marking as its text."""
    def edit(name, b):
        if not re.search(r'Pages/Page_0/Content\.xml$', name):
            return b
        s = b.decode('utf-8')
        m = re.search(r'<(\w+:)?TextObject\b[^>]*>.*?</(\w+:)?TextObject>', s, re.S)
        if not m:
            return b
        obj = m.group(0)
        obj = re.sub(r'\bID="\d+"', 'ID="99001"', obj, count=1)
        obj = re.sub(r'(<(\w+:)?TextCode\b)[^>]*>.*?(</(\w+:)?TextCode>)', lambda t: '%s X="0" Y="10">%s%s' % (t.group(1), marking, t.group(3)), obj, count=1, flags=re.S)
        return (s[:m.start()] + obj + s[m.start():]).encode('utf-8')
    return edit


def put(rel, data, fmt, cls, expected=(), src=''):
    rel = rel.replace('\\', '/')
    base, ext = os.path.splitext(rel)
    k = 1
    while rel in used:
        k += 1
        rel = '%s (%d)%s' % (base, k, ext)
    used.add(rel)
    p = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, 'wb') as f:
        f.write(data)
    labels.append({'path': '/' + rel, 'format': fmt, 'cls': cls, 'expected': list(expected), 'bytes': len(data), 'src': src})
    return rel


def copy_file(rel, src, fmt, cls, expected=(), note=''):
    with open(src, 'rb') as f:
        return put(rel, f.read(), fmt, cls, expected, note or (os.path.relpath(src, ROOT) if src.startswith(ROOT) else src))


# ------------------------------------------------------------------ where documents live
def doc_home(r, user=None):
    u = user or r.choice(USERS + [DEV])
    home = 'Users/%s' % u
    x = r.random()
    if x < 0.18:
        return '%s/Desktop' % home
    if x < 0.45:
        return ('%s/Documents/%s' % (home, r.choice(['', '工作', '2025年', '2026年', '项目资料', '学习材料', '报销', '人事'] + UNITS))).rstrip('/')
    if x < 0.6:
        return '%s/Downloads' % home
    if x < 0.88:
        return '%s/Documents/WeChat Files/wxid_%s/FileStorage/File/2026-0%d' % (home, WXID[u], r.randint(1, 5))
    return '%s/Documents/Tencent Files/%s/FileRecv' % (home, QQ[u])


WXID = {u: ''.join(R.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(14)) for u in USERS + [DEV]}
QQ = {u: str(R.randint(10 ** 8, 10 ** 10)) for u in USERS + [DEV]}


def doc_name(r, ext):
    return '%s%s%s.%s' % (r.choice(UNITS + ['', '']), r.choice(TOPICS), r.choice(['', '', '（修改稿）', '_v2', '-最终版', '（%d）' % r.randint(1, 9), '2026%02d%02d' % (r.randint(1, 5), r.randint(1, 28))]), ext)


# ------------------------------------------------------------------ varied office samples
LAB_BY_FMT = {}
for l in LAB:
    LAB_BY_FMT.setdefault(l['format'], []).append(l)


def expected_of(l):
    return [e['level'] for e in l['expected']]


def varied(r, path, fmt, grow):
    with open(path, 'rb') as f:
        b = f.read()
    if fmt in ('docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'ofd'):
        return rezip(b, xml_edit(r, grow, fmt))
    if fmt in ('doc', 'xls', 'ppt'):
        return vary_utf16_inplace(r, b)
    if fmt == 'rtf':
        return vary_rtf(r, b.decode('latin-1')).encode('latin-1')
    return b


def office_docs(fmt, n, positive_share):
    """n files of fmt varied from the labelled set (LibreOffice) and the made/corpus samples."""
    r = random.Random('office-' + fmt)
    lab = LAB_BY_FMT.get(fmt, [])
    pos = [l for l in lab if l['expected']]
    neg = [l for l in lab if not l['expected']]
    extra = []
    for sub in ('made', 'corpus/office', 'corpus/ofd'):
        d = os.path.join(FIX, sub)
        for name in sorted(os.listdir(d)):
            # not: truncated.docx (broken on purpose), handmade.* (test files with markings and a
            # fake embedded object), the recycle-bin $I files
            if name.endswith('.' + fmt) and not name.startswith(('$', 'handmade')) and name not in ('truncated.docx',):
                extra.append(os.path.join(d, name))
    for i in range(n):
        grow = r.choice([0, 0, 5, 20, 60, 200]) if fmt in ('docx', 'odt', 'xlsx') else 0
        if pos and r.random() < positive_share:
            l = pos[i % len(pos)]
            src, exp, cls = os.path.join(FIX, 'labelled', l['file']), expected_of(l), 'positive'
        elif neg and r.random() < 0.3:
            l = neg[i % len(neg)]
            src, exp, cls = os.path.join(FIX, 'labelled', l['file']), [], 'hard-negative'
        elif extra:
            src, exp, cls = extra[i % len(extra)], [], 'plain'
        elif neg:
            l = neg[i % len(neg)]
            src, exp, cls = os.path.join(FIX, 'labelled', l['file']), [], 'hard-negative'
        else:
            continue
        if cls == 'hard-negative':
            # hard negatives copied as they are: varying their words could change what they say
            with open(src, 'rb') as f:
                data = f.read()
            how = 'copied from '
        else:
            data = varied(r, src, fmt, grow)
            how = 'varied from '
        # a marking only in the file name keeps its name
        name = l['file'] if cls == 'positive' and any(e['where'] == 'file-name' for e in l['expected']) else doc_name(r, fmt)
        put('%s/%s' % (doc_home(r), name), data, fmt, cls, exp, how + os.path.relpath(src, ROOT))


def ofd_docs(n):
    r = random.Random('ofd')
    srcs = [os.path.join(FIX, 'corpus', 'ofd', x) for x in sorted(os.listdir(os.path.join(FIX, 'corpus', 'ofd')))]
    marks = ['机密★5年', '秘密★1年', '绝密★长期', '秘密★6个月']
    for i in range(n):
        src = srcs[i % len(srcs)]
        data = varied(r, src, 'ofd', 0)
        exp, cls = [], 'plain'
        if i % 12 == 5:
            mk = marks[i % len(marks)]
            planted = rezip(data, ofd_plant(data, mk))
            if planted != data:
                data, exp, cls = planted, [mk[:2]], 'positive'
        put('%s/%s' % (doc_home(r), doc_name(r, 'ofd')), data, 'ofd', cls, exp, 'varied from ' + os.path.relpath(src, ROOT))


# ------------------------------------------------------------------ PDFs
def make_pdf(path, seed, pages, kinds, annot=False, mark=None):
    """make-bench-pdfs.make_doc with an optional marking line on page mark[1] (a second content stream)."""
    r = random.Random(seed)
    pdf = P.Pdf()
    pages_n = pdf.reserve()
    fonts_ref = P.fonts(pdf)
    unit = r.choice(P.UNITS)
    kids = []
    img_cache = []
    for p in range(pages):
        kind = kinds(p) if callable(kinds) else kinds
        page_n = pdf.reserve()
        if kind == 'scan':
            content, res = P.scan_page(r, pdf, img_cache)
        else:
            content = P.text_page(r, pdf, fonts_ref, p + 1, kind, unit)
            res = '<< /Font %s >>' % fonts_ref
        contents = '%d 0 R' % content
        if mark and p == mark[1]:
            if kind == 'scan':
                res = res[:-2] + ' /Font %s >>' % fonts_ref
            m = pdf.stream(('BT /F1 12 Tf 50 790 Td %s Tj ET' % P.enc(mark[0], 'F1')).encode('latin-1'))
            contents = '[%d 0 R %d 0 R]' % (m, content)
        annots = ''
        if annot and p == 0:
            a = pdf.add('<< /Type /Annot /Subtype /Text /Rect [500 780 520 800] /Contents %s /T %s >>'
                        % (P.pdf_str_utf16('批注：' + filler(r, 20)), P.pdf_str_utf16('审核人')))
            annots = ' /Annots [%d 0 R]' % a
        pdf.set(page_n, '<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %s%s >>'
                % (pages_n, res, contents, annots))
        kids.append(page_n)
    pdf.set(pages_n, '<< /Type /Pages /Kids [%s] /Count %d >>' % (' '.join('%d 0 R' % k for k in kids), len(kids)))
    info = pdf.add('<< /Producer (baomi make-office-tree) /Title %s >>' % P.pdf_str_utf16(unit + '工作报告'))
    root = pdf.add('<< /Type /Catalog /Pages %d 0 R >>' % pages_n)
    pdf.write(path, root, info)


def pdfs():
    r = random.Random('pdf')
    tmp = OUT + '.pdftmp'
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    marks = ['机密★5年', '秘密★1年', '绝密★长期', '机密★10年', '秘密★6个月', '绝密★启用前']
    plan = []
    for i in range(560):
        plan.append(('ucs2', P.pages_skewed(r), i % 4 == 0))
    for i in range(120):
        plan.append(('gbk', P.pages_skewed(r), False))
    for i in range(90):
        plan.append(('glyphs', r.randint(1, 6), False))
    for i in range(20):
        plan.append(('jp', r.randint(2, 8), False))
    for i in range(50):
        plan.append(('scan', r.randint(1, 3), False))
    for i in range(40):
        plan.append(('mixed', r.randint(3, 12), i % 2 == 0))
    for i in range(3):
        plan.append(('ucs2' if i != 1 else 'gbk', 300, False))
    plan.append(('scan', 20, False))
    made = []
    for i, (kind, pages, annot) in enumerate(plan):
        mark = None
        if i % 25 == 7:
            mark = (marks[i % len(marks)], 0 if i % 50 == 7 else pages - 1)
        kinds = (lambda p: 'scan' if p % 3 == 2 else 'ucs2') if kind == 'mixed' else kind
        path = os.path.join(tmp, 'g%04d.pdf' % i)
        make_pdf(path, 5000 + i, pages, kinds, annot, mark)
        made.append((path, kind, mark))
    # pdftocairo re-writes: embedded CID subsets with ToUnicode (a desktop application's print)
    if shutil.which('pdftocairo'):
        for i, (path, kind, mark) in enumerate([m for m in made if m[1] in ('ucs2', 'gbk')][:90]):
            out = path[:-4] + '-cairo.pdf'
            subprocess.run(['pdftocairo', '-pdf', path, out], check=True)
            made.append((out, 'cairo', mark))
    else:
        print('pdftocairo not found (apt-get install poppler-utils): cairo re-writes skipped')
    for path, kind, mark in made:
        with open(path, 'rb') as f:
            data = f.read()
        exp = [mark[0][:2]] if mark else []
        put('%s/%s' % (doc_home(r), doc_name(r, 'pdf')), data, 'pdf', 'positive' if mark else 'plain', exp, 'make_pdf %s (make-bench-pdfs writers)' % kind)
    # the real PDFs of the fixtures, several copies each (as a file sent around is)
    for l in LAB_BY_FMT.get('pdf', []):
        for k in range(3):
            copy_file('%s/%s' % (doc_home(r), doc_name(r, 'pdf')), os.path.join(FIX, 'labelled', l['file']), 'pdf',
                      'positive' if l['expected'] else 'hard-negative', expected_of(l))
    for sub in ('made', 'corpus/pdf'):
        for name in sorted(os.listdir(os.path.join(FIX, sub))):
            if name.endswith('.pdf') and name not in ('encrypted.pdf',):
                for k in range(3):
                    copy_file('%s/%s' % (doc_home(r), doc_name(r, 'pdf')), os.path.join(FIX, sub, name), 'pdf', 'plain')
    shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------ text documents
def gbk(s):
    return s.encode('gb18030')


def text_docs(n):
    r = random.Random('text')
    marks = ['机密★5年', '秘密★1年', '绝密★长期', '机密★10年', '秘密★6个月']
    for i in range(n):
        kind = r.random()
        body = '\n'.join(filler(r, r.randint(20, 80)) for _ in range(r.randint(5, 120)))
        exp, cls = [], 'plain'
        if i % 40 == 3:
            mk = marks[i % len(marks)]
            body = mk + '\n' + body
            exp, cls = [mk[:2]], 'positive'
        enc = r.random()
        data = gbk(body) if enc < 0.3 else (b'\xff\xfe' + body.replace('\n', '\r\n').encode('utf-16-le') if enc < 0.4 else body.encode('utf-8'))
        if kind < 0.55:
            put('%s/%s' % (doc_home(r), doc_name(r, 'txt')), data, 'txt', cls, exp, 'written here')
        elif kind < 0.75:
            rows = ['序号,姓名,部门,日期,金额'] + ['%d,%s,%s,2026-0%d-%02d,%d' % (k, filler(r, 3), r.choice(UNITS), r.randint(1, 5), r.randint(1, 28), r.randint(10, 99999)) for k in range(r.randint(10, 2000))]
            put('%s/%s' % (doc_home(r), doc_name(r, 'csv')), ('\n'.join(rows) + '\n').encode('utf-8' if r.random() < 0.6 else 'gb18030'), 'csv', 'plain', [], 'written here')
        elif kind < 0.88:
            put('%s/%s' % (doc_home(r), doc_name(r, 'md')), ('# ' + r.choice(TOPICS) + '\n\n' + body.replace('\n', '\n\n')).encode('utf-8'), 'md', cls, exp, 'written here')
        else:
            html = '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>%s</title></head><body>\n%s\n</body></html>\n' % (
                r.choice(TOPICS), '\n'.join('<p>%s</p>' % line for line in body.split('\n')))
            put('%s/%s' % (doc_home(r), doc_name(r, 'html')), html.encode('utf-8'), 'html', cls, exp, 'written here')
    # the labelled text/HTML samples, varied
    for l in LAB_BY_FMT.get('txt', []) + LAB_BY_FMT.get('html', []):
        for k in range(4):
            src = os.path.join(FIX, 'labelled', l['file'])
            with open(src, 'rb') as f:
                b = f.read()
            name = l['file'] if any(e['where'] == 'file-name' for e in l['expected']) else doc_name(r, l['format'])
            put('%s/%s' % (doc_home(r), name), b, l['format'], 'positive' if l['expected'] else 'hard-negative', expected_of(l), 'copied from ' + os.path.relpath(src, ROOT))
    # big texts: a 50 MB compilation with the marking in its last KiB, a 3 MB one with it past 1 MiB,
    # and big texts without any (issue 13)
    line = filler(r, 60) + '\n'
    body = (line * (50 * 1024 * 1024 // len(line.encode('utf-8'))))
    put('Users/%s/Documents/资料汇编/法规文件汇编（2026版）.txt' % USERS[0], (body + '\n秘密★1年\n' + filler(r, 300) + '\n').encode('utf-8'), 'txt', 'positive', ['秘密'], 'written here: 50 MB, marking in the last KiB')
    body3 = line * (3 * 1024 * 1024 // len(line.encode('utf-8')))
    half = len(body3) // 2
    put('Users/%s/Documents/资料汇编/会议材料汇编.txt' % USERS[1], (body3[:half] + '\n机密★5年\n' + body3[half:]).encode('utf-8'), 'txt', 'positive', ['机密'], 'written here: 3 MB, marking past the first MiB')
    for k in range(4):
        put('Users/%s/Documents/资料汇编/学习资料汇编-%d.txt' % (USERS[2], k), (line * (8 * 1024 * 1024 // len(line.encode('utf-8')))).encode('utf-8'), 'txt', 'plain', [], 'written here: 8 MB')


# ------------------------------------------------------------------ archives of documents
def archives(n):
    r = random.Random('zip')
    docs = [l for l in labels if l['format'] in ('docx', 'xlsx', 'pdf', 'txt', 'doc') and l['bytes'] < 2_000_000]
    for i in range(n):
        members = r.sample(docs, r.randint(2, 6))
        buf = io.BytesIO()
        exp = []
        with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
            for m in members:
                with open(os.path.join(OUT, m['path'][1:]), 'rb') as f:
                    zi = zipfile.ZipInfo(os.path.basename(m['path']), EPOCH)
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    z.writestr(zi, f.read())
                exp += m['expected']
        put('%s/%s' % (doc_home(r), doc_name(r, 'zip')), buf.getvalue(), 'zip', 'positive' if exp else 'plain', sorted(set(exp)), 'zip of generated documents')


# ------------------------------------------------------------------ the negatives set, where such files live
def negatives():
    r = random.Random('neg')
    base = os.path.join(FIX, 'negatives')
    for dp, _, fs in sorted(os.walk(base)):
        for name in sorted(fs):
            src = os.path.join(dp, name)
            rel = os.path.relpath(src, base)
            top = rel.split(os.sep)[0]
            ext = name.rsplit('.', 1)[-1].lower()
            if top == 'code':
                dst = 'Users/%s/source/repos/crypto-tools/%s' % (DEV, rel[5:])
            elif top == 'chat':
                u = r.choice(USERS)
                dst = 'Users/%s/Documents/聊天记录导出/%s' % (u, name)
            elif top == 'mail':
                dst = 'Users/%s/Documents/邮件/%s' % (r.choice(USERS), name)
            elif top in ('LICENSES',):
                dst = 'Users/%s/source/repos/crypto-tools/LICENSES/%s' % (DEV, name)
            else:
                dst = '%s/%s' % (doc_home(r), name)
            fmt = ext if ext in ('docx', 'xlsx', 'html', 'txt', 'csv', 'md', 'eml') else 'source'
            copy_file(dst, src, fmt, 'hard-negative', [], 'fixtures/documents/negatives/' + rel)


# ------------------------------------------------------------------ source code, repos, noise
def source_trees():
    r = random.Random('src')
    n = 0
    py = sorted(os.path.join(dp, f) for dp, _, fs in os.walk('/usr/lib/python3.11') for f in fs if f.endswith('.py') and '__pycache__' not in dp)
    for p in py[:650]:
        copy_file('Users/%s/source/repos/pytools/lib/%s' % (DEV, os.path.relpath(p, '/usr/lib/python3.11')), p, 'source', 'plain')
    hs = sorted(os.path.join(dp, f) for dp, _, fs in os.walk('/usr/include') for f in fs if f.endswith('.h'))
    step = max(1, len(hs) // 1500)
    for p in hs[::step][:1500]:
        copy_file('Users/%s/source/repos/embedded-fw/include/%s' % (DEV, os.path.relpath(p, '/usr/include')), p, 'source', 'plain')
    nm = os.path.join(ROOT, 'node_modules')
    js = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(nm) for f in fs
                if os.path.splitext(f)[1] in ('.js', '.mjs', '.ts', '.json', '.md', '.map') or f.startswith('LICENSE'))
    step = max(1, len(js) // 4500)
    for p in js[::step][:4500]:
        if os.path.getsize(p) > 3_000_000:
            continue
        copy_file('Users/%s/source/repos/web-portal/node_modules/%s' % (DEV, os.path.relpath(p, nm)), p, 'source', 'plain')
    # .git loose objects: zlib-compressed blobs of the repos' sources
    srcs = [l for l in labels if l['format'] == 'source'][:2500:2]
    for l in srcs:
        with open(os.path.join(OUT, l['path'][1:]), 'rb') as f:
            b = f.read()
        obj = zlib.compress(b'blob %d\x00' % len(b) + b)
        h = '%040x' % r.getrandbits(160)
        repo = l['path'].split('/')[5]
        put('Users/%s/source/repos/%s/.git/objects/%s/%s' % (DEV, repo, h[:2], h[2:]), obj, 'git-object', 'plain')
        n += 1


def noise_bytes(r, n):
    return r.randbytes(n)


def pictures_and_caches():
    r = random.Random('noise')
    jpg = b'\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00'
    png = b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR'
    for i in range(1800):
        u = r.choice(USERS + [DEV])
        size = int(min(4_000_000, r.lognormvariate(11.6, 0.9)))
        put('Users/%s/Pictures/%s/IMG_%d%04d.jpg' % (u, r.choice(['相机', '截图', '2025', '2026']), 2026, i), jpg + noise_bytes(r, size), 'image', 'plain')
    for i in range(700):
        u = r.choice(USERS)
        put('Users/%s/Pictures/Screenshots/屏幕截图 2026-0%d-%02d %06d.png' % (u, r.randint(1, 5), r.randint(1, 28), i), png + noise_bytes(r, int(r.lognormvariate(11, 0.7))), 'image', 'plain')
    for i in range(1500):
        u = r.choice(USERS + [DEV])
        put('Users/%s/Documents/WeChat Files/wxid_%s/FileStorage/Image/2026-0%d/%032x.dat' % (u, WXID[u], r.randint(1, 5), r.getrandbits(128)),
            noise_bytes(r, int(r.lognormvariate(11.2, 0.8))), 'wechat-dat', 'plain')
    for i in range(700):
        u = r.choice(USERS + [DEV])
        put('Users/%s/Documents/WeChat Files/wxid_%s/FileStorage/Cache/2026-0%d/%032x' % (u, WXID[u], r.randint(1, 5), r.getrandbits(128)), noise_bytes(r, r.randint(2000, 80000)), 'cache', 'plain')
    for u in USERS + [DEV]:
        for k in range(3):
            put('Users/%s/Documents/WeChat Files/wxid_%s/Msg/Multi/MSG%d.db' % (u, WXID[u], k), b'SQLite format 3\x00' + noise_bytes(r, r.randint(2, 12) * 1024 * 1024), 'database', 'plain')
    for i in range(1200):
        u = r.choice(USERS + [DEV])
        app = r.choice(['Microsoft/Edge/User Data/Default/Cache/Cache_Data', 'Tencent/WeChat/log', 'Kingsoft/WPS Office/cache', 'Local/Temp'])
        if 'log' in app:
            lines = ''.join('2026-05-%02d 10:%02d:%02d.%03d INFO [%d] module=%s event=sync status=ok id=%d\n' % (r.randint(1, 28), r.randint(0, 59), r.randint(0, 59), r.randint(0, 999), r.randint(1, 9999), r.choice(['net', 'db', 'ui', 'cdn']), r.getrandbits(40)) for _ in range(r.randint(20, 3000)))
            put('Users/%s/AppData/Roaming/%s/%d.log' % (u, app, i), lines.encode(), 'log', 'plain')
        else:
            put('Users/%s/AppData/%s/f_%06x' % (u, app, i), noise_bytes(r, r.randint(500, 200000)), 'cache', 'plain')
    mp4 = b'\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41'
    for i in range(4):
        put('Users/%s/Videos/会议录像-2026050%d.mp4' % (USERS[i % 3], i + 1), mp4 + noise_bytes(r, 60 * 1024 * 1024), 'video', 'plain')


def chat_exports(n):
    """Chat exports of one's own (plain: no level word)."""
    r = random.Random('chat')
    msgs = ['好的', '收到', '明天几点开会？', '九点，三楼会议室', '辛苦了', '文件我发你邮箱了', '[图片]', '[表情]', '在吗', '稍等我看一下', '这个周五前要交', '谢谢！', '没问题', '报销单填好了吗', '[文件] 会议通知.docx']
    for i in range(n):
        lines = ['%s %s\n%s\n' % ('2026-0%d-%02d %02d:%02d' % (r.randint(1, 5), r.randint(1, 28), r.randint(8, 22), r.randint(0, 59)), r.choice(['张伟', '王芳', '李明', '陈静']), r.choice(msgs) if r.random() < 0.7 else filler(r, r.randint(5, 60))) for _ in range(r.randint(20, 1500))]
        put('Users/%s/Documents/聊天记录导出/与%s的聊天记录-%d.txt' % (r.choice(USERS), r.choice(['张伟', '王芳', '李明', '工作群']), i), ''.join(lines).encode('utf-8'), 'chat', 'plain')


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    office_docs('docx', 1250, 0.06)
    office_docs('xlsx', 750, 0.06)
    office_docs('pptx', 260, 0.08)
    office_docs('odt', 160, 0.08)
    office_docs('ods', 100, 0.08)
    office_docs('odp', 40, 0.1)
    office_docs('doc', 420, 0.06)
    office_docs('xls', 280, 0.06)
    office_docs('ppt', 60, 0.1)
    office_docs('rtf', 130, 0.08)
    ofd_docs(240)
    pdfs()
    text_docs(900)
    negatives()
    archives(160)
    chat_exports(250)
    source_trees()
    pictures_and_caches()
    labels.sort(key=lambda l: l['path'])
    with open(OUT + '.labels.json', 'w', encoding='utf-8') as f:
        json.dump(labels, f, ensure_ascii=False, indent=0)
    by = {}
    for l in labels:
        k = l['format']
        c = by.setdefault(k, [0, 0, 0])
        c[0] += 1
        c[1] += l['bytes']
        c[2] += 1 if l['expected'] else 0
    total = sum(l['bytes'] for l in labels)
    print('%s: %d files, %.0f MB; %d labelled with a marking' % (OUT, len(labels), total / 1e6, sum(1 for l in labels if l['expected'])))
    for k, (n, b, p) in sorted(by.items(), key=lambda x: -x[1][0]):
        print('  %-12s %6d files %8.1f MB  %4d marked' % (k, n, b / 1e6, p))


if __name__ == '__main__':
    main()
