/**
 * PowerPoint 97-2003 (.ppt, WPS .dps): the "PowerPoint Document" stream is a tree of records
 * (8-byte headers; version 0xF = container). Text: TextCharsAtom (UTF-16LE), TextBytesAtom
 * (8-bit, the low bytes of UTF-16), and CString atoms in comments and headers/footers.
 *
 * The stream is walked linearly, so text of earlier, superseded edits (incremental saves) is read
 * too — which errs towards finding a removed marking. Placeholder text sits in the
 * SlideListWithText (numbered by its SlidePersistAtoms → `slide:N`, `notes:N`), other shapes' text
 * in each SlideContainer's drawing (numbered by container order → `slide:N`, `notes:N`, masters →
 * `masters`). Embedded OLE objects (ExOleObjStg, zlib-compressed or not) → embedded.
 */
import { inflateSync } from 'node:zlib';
import type { Ctx } from './context.js';
import { DEFAULT_LIMITS } from './types.js';
import { u16, u32 } from './bytes.js';


const SLIDE = 0x03ee;
const NOTES = 0x03f0;
const MAIN_MASTER = 0x03f8;
const SLWT = 0x0ff0;
const SLIDE_PERSIST = 0x03f3;
const NOTES_ATOM = 0x03f1;
const TEXT_CHARS = 0x0fa0;
const TEXT_BYTES = 0x0fa8;
const CSTRING = 0x0fba;
const COMMENT10 = 0x2ee0;
const HEADERS_FOOTERS = 0x0fd9;
const EXOLE_STG = 0x1011;
const CRYPT_SESSION = 0x2f14;

function clean(s: string): string {
  return s.replace(/[\r\u000b]/g, '\n').replace(/[\u0000-\u0008\u000e-\u001f]/g, '');
}

export function extractPptStream(doc: Uint8Array, currentUser: Uint8Array | undefined, ctx: Ctx): void {
  if (currentUser && currentUser.length >= 8 && u32(currentUser, 4) === 0xf3d1c4df) {
    ctx.gap('encrypted', 'presentation is encrypted (password protected)');
    return;
  }
  const buckets = new Map<string, string[]>();
  const put = (k: string, s: string): void => {
    let b = buckets.get(k);
    if (!b) buckets.set(k, (b = []));
    b.push(s);
  };
  let slideNo = 0;
  let notesNo = 0;
  let encrypted = false;
  const slideIds = new Map<number, number>();
  let embeds = 0;
  // context while walking
  const walk = (start: number, end: number, depth: number, where: string, slwtInst: number, slwtNo: { n: number }): void => {
    let p = start;
    while (p + 8 <= end) {
      const verInst = u16(doc, p);
      const ver = verInst & 0xf;
      const inst = verInst >> 4;
      const type = u16(doc, p + 2);
      const len = u32(doc, p + 4);
      const body = p + 8;
      const stop = Math.min(end, body + len);
      if (type === CRYPT_SESSION) encrypted = true;
      if (ver === 0xf && depth < 64) {
        let w = where;
        let inst2 = slwtInst;
        const no = slwtNo;
        if (type === SLIDE) w = `slide:${++slideNo}`;
        else if (type === NOTES) {
          // NotesAtom.slideIdRef: 0 for the notes master, else the id of the slide it annotates
          const ref = u16(doc, body + 2) === NOTES_ATOM ? u32(doc, body + 8) : -1;
          if (ref === 0) w = 'notes-master';
          else {
            const n = slideIds.get(ref);
            w = `notes:${n ?? ++notesNo}`;
          }
        }
        else if (type === MAIN_MASTER) w = 'masters';
        else if (type === COMMENT10) w = 'comments';
        else if (type === HEADERS_FOOTERS) w = 'headers-footers';
        else if (type === SLWT) {
          inst2 = inst;
          no.n = 0;
          w = inst === 0 ? 'slide:0' : inst === 2 ? 'notes:0' : 'masters';
        }
        walk(body, stop, depth + 1, w, inst2, type === SLWT ? { n: 0 } : no);
      } else {
        switch (type) {
          case SLIDE_PERSIST:
            slwtNo.n++;
            if (slwtInst === 0) slideIds.set(u32(doc, body + 12), slwtNo.n);
            break;
          case TEXT_CHARS:
          case TEXT_BYTES: {
            const s =
              type === TEXT_CHARS
                ? Buffer.from(doc.buffer, doc.byteOffset + body, Math.max(0, stop - body) & ~1).toString('utf16le')
                : Buffer.from(doc.buffer, doc.byteOffset + body, Math.max(0, stop - body)).toString('latin1');
            let key = where;
            if (where === 'slide:0' || where === 'notes:0') key = `${where.slice(0, -1)}${Math.max(1, slwtNo.n)}`;
            put(key, clean(s) + '\n');
            break;
          }
          case CSTRING:
            if ((where === 'comments' && inst === 1) || (where === 'headers-footers' && (inst === 1 || inst === 2))) {
              put(where, clean(Buffer.from(doc.buffer, doc.byteOffset + body, Math.max(0, stop - body) & ~1).toString('utf16le')) + '\n');
            }
            break;
          case EXOLE_STG: {
            if (!ctx.countMember()) break;
            let data: Uint8Array | null = doc.subarray(body, stop);
            if (inst === 1) {
              const size = u32(doc, body);
              const limit = Math.max(DEFAULT_LIMITS.ratioFloorBytes, (stop - body) * ctx.maxRatio);
              if (size > limit) {
                ctx.gap('zip-bomb', `embedded object declares ${size} bytes from ${stop - body}`, `ExOleObjStg@${p}`);
                data = null;
              } else if (!ctx.reserve(size, `ExOleObjStg@${p}`)) data = null;
              else {
                try {
                  data = inflateSync(doc.subarray(body + 4, stop), { maxOutputLength: Math.max(1, size) });
                } catch {
                  ctx.gap('corrupt', 'embedded object does not decompress', `ExOleObjStg@${p}`);
                  data = null;
                }
              }
            }
            if (data && data.length) ctx.embed(`ExOleObjStg/${++embeds}`, new Uint8Array(data));
            break;
          }
        }
      }
      p = body + len;
    }
  };
  try {
    walk(0, doc.length, 0, 'other', -1, { n: 0 });
  } catch (e) {
    ctx.gap('corrupt', `record walk stopped: ${(e as Error).message}`);
  }
  if (encrypted) {
    ctx.gap('encrypted', 'presentation is encrypted (CryptSession10Container)');
    return;
  }
  ctx.meta.pages = Math.max(slideNo, 0);
  const order = (k: string): number => (k.startsWith('slide:') ? 0 : k.startsWith('notes:') ? 1 : k === 'masters' || k === 'notes-master' ? 2 : 3);
  const keys = [...buckets.keys()].sort((a, b) => order(a) - order(b) || (parseInt(a.split(':')[1] ?? '0', 10) || 0) - (parseInt(b.split(':')[1] ?? '0', 10) || 0));
  for (const k of keys) ctx.part(k === 'other' ? 'other-text' : k, buckets.get(k)!.join(''));
}
