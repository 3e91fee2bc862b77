// The document walk's fast path in C (loaded by src/checks/documents/native.ts; built by node-gyp,
// see binding.gyp and scripts/build-native.js). It does exactly what FolderScanner.fastPath in
// worker.ts does — open a file read-only, read it in 256 KiB pieces and rule it out — for a run of
// files of one folder in one call, so that the bulk of a disk costs no JavaScript per file. It is
// conservative by design: at the first file it cannot rule out (container magic, a possible mail
// header, markup with escapes, a keyword byte pattern, an open or read error) it stops and returns
// that file's index; the JavaScript path then reads that file and decides. So the native path can
// only make the walk faster, never change what it finds (test/checks/documents/native.test.ts
// compares both on every branch).
//
// Also: glibc malloc tuning for the walk's worker threads (fewer arenas, trim after big documents).
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <stdbool.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define FAST_READ (256 * 1024)
// findHits reports a hit as position * 64 + needle index: it takes at most 64 needles (its caller,
// text-stream.ts BinaryMarkings, searches in JavaScript past that). fastRun takes any number.
#define MAX_HIT_NEEDLES 64
#define MAX_NAME 4096

static int contains(const uint8_t *p, size_t n, const uint8_t *nd, size_t len);

// Opens made without O_NOATIME because the kernel refused it (EPERM: a file or folder the scan
// does not own, and it does not run as root): their access times may change. Process-wide (one
// copy of this library serves every thread); read by atimeCounts().
static long no_noatime_files = 0, no_noatime_folders = 0;

// O_NOATIME where the kernel allows it (the owner, or root); else without it (*refused = 1: the
// caller counts it). Tried on every open: in a scan not run as root the files it owns still get it.
static int open_noatime(int dirfd, const char *name, int flags, int *refused) {
  *refused = 0;
#ifdef O_NOATIME
  int fd = openat(dirfd, name, flags | O_NOATIME);
  if (fd >= 0 || errno != EPERM) return fd;
#else
  int fd;
#endif
  fd = openat(dirfd, name, flags);
  if (fd >= 0) *refused = 1;
  return fd;
}

// A file of a listed folder: never through a final symbolic link, never blocking (a FIFO put in
// its place); the caller checks that it is a regular file before reading a byte.
static int open_file(int dirfd, const char *name, int *refused) {
  return open_noatime(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW, refused);
}

static int is_ascii(const uint8_t *p, size_t n) {
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    uint64_t acc = 0;
    for (int k = 0; k < 8; k++) {
      uint64_t w;
      memcpy(&w, p + i + 8 * k, 8);
      acc |= w;
    }
    if (acc & 0x8080808080808080ULL) return 0;
  }
  for (; i < n; i++)
    if (p[i] & 0x80) return 0;
  return 1;
}

// tar's numeric field, strictly (prefilter.ts → tar.ts parseNumeric(f, true)); -1 when not a number.
static double tar_numeric(const uint8_t *f, size_t len) {
  if (f[0] & 0x80) {
    if (f[0] & 0x40) return -1;
    double v = f[0] & 0x3f;
    for (size_t i = 1; i < len; i++) v = v * 256 + f[i];
    return v;
  }
  size_t i = 0;
  while (i < len && f[i] == 0x20) i++;
  size_t first = i;
  double v = 0;
  while (i < len && f[i] >= 0x30 && f[i] <= 0x37) v = v * 8 + (f[i++] - 0x30);
  if (i < len && f[i] != 0 && f[i] != 0x20) return -1;
  if (i == first) return -1;
  return v;
}

static int tar_checksum_ok(const uint8_t *h) {
  double recorded = tar_numeric(h + 148, 8);
  if (recorded < 0) return 0;
  double u = 8 * 0x20, s = 8 * 0x20;
  for (int i = 0; i < 512; i++) {
    if (i >= 148 && i < 156) continue;
    u += h[i];
    s += h[i] < 0x80 ? h[i] : (double)h[i] - 256;
  }
  return recorded == u || recorded == s;
}

// prefilter.ts hasContainerMagic; for a v7 tar (no magic) a superset: a header whose checksum
// holds is handed to JavaScript, which checks the rest of the header.
static int container_magic(const uint8_t *h, size_t n) {
  if (n >= 4 && h[0] == 0x50 && h[1] == 0x4b && ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6) || (h[2] == 7 && h[3] == 8))) return 1;
  if (n >= 4 && h[0] == 0xd0 && h[1] == 0xcf && h[2] == 0x11 && h[3] == 0xe0) return 1;
  if (n >= 5 && memcmp(h, "{\\rtf", 5) == 0) return 1;
  if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b) return 1;
  if (n >= 4 && memcmp(h, "Rar!", 4) == 0) return 1;
  if (n >= 4 && h[0] == 0x37 && h[1] == 0x7a && h[2] == 0xbc && h[3] == 0xaf) return 1;
  if (n >= 262 && memcmp(h + 257, "ustar", 5) == 0) return 1;
  if (n >= 512 && h[257] == 0 && h[0] != 0 && tar_checksum_ok(h)) return 1;
  return contains(h, n < 1024 + 5 ? n : 1024 + 5, (const uint8_t *)"%PDF-", 5);
}

// prefilter.ts mayBeMail.
static int may_be_mail(const uint8_t *h, size_t n) {
  size_t i = n >= 3 && h[0] == 0xef && h[1] == 0xbb && h[2] == 0xbf ? 3 : 0;
  if (n >= 2 && ((h[0] == 0xff && h[1] == 0xfe) || (h[0] == 0xfe && h[1] == 0xff) || h[1] == 0)) return 1;
  if (n >= 1 && h[0] == 0) return 1;
  if (i + 5 <= n && memcmp(h + i, "From ", 5) == 0) return 1;
  size_t start = i;
  while (i < n && h[i] >= 0x21 && h[i] <= 0x7e && h[i] != 0x3a) i++;
  if (i == start) return 0;
  while (i < n && (h[i] == 0x20 || h[i] == 0x09)) i++;
  return i < n && h[i] == 0x3a;
}

// prefilter.ts mayBeMarkup.
static int may_be_markup(const uint8_t *h, size_t n) {
  if (memchr(h, 0x3c, n < 8192 ? n : 8192)) return 1;
  size_t i = n >= 3 && h[0] == 0xef && h[1] == 0xbb && h[2] == 0xbf ? 3 : 0;
  while (i < n && (h[i] == 0x20 || h[i] == 0x09 || h[i] == 0x0a || h[i] == 0x0d)) i++;
  return i < n && h[i] == 0x7b;
}

// Does p[0..n) contain nd[0..len)? Buffer.indexOf's job. glibc's memmem was the walk's cost
// (a third of it): this tests the first two bytes of 64 positions at a time (vectorised), and
// only a block with a candidate is looked at closely.
static int contains(const uint8_t *p, size_t n, const uint8_t *nd, size_t len) {
  if (len == 0) return 1;
  if (n < len) return 0;
  if (len == 1) return memchr(p, nd[0], n) != NULL;
  const uint8_t a = nd[0], b = nd[1];
  const size_t last = n - len;  // the last position a match can start at
  for (size_t i = 0; i <= last;) {
    size_t blk = last - i + 1;
    if (blk >= 64) {
      blk = 64;
      unsigned acc = 0;
      for (int k = 0; k < 64; k++) acc |= (unsigned)(p[i + k] == a) & (unsigned)(p[i + k + 1] == b);
      if (!acc) {
        i += 64;
        continue;
      }
    }
    for (size_t k = 0; k < blk; k++)
      if (p[i + k] == a && p[i + k + 1] == b && memcmp(p + i + k, nd, len) == 0) return 1;
    i += blk;
  }
  return 0;
}

// prefilter.ts hasEscapes.
static const struct { const char *b; size_t n; } ESCAPES[] = {{"&#", 2}, {"&\0#\0", 4}, {"\0&\0#", 4}, {"=?", 2}, {"\\u", 2}, {"\\'", 2}};

static int has_escapes(const uint8_t *b, size_t n) {
  for (size_t k = 0; k < sizeof ESCAPES / sizeof ESCAPES[0]; k++)
    if (contains(b, n, (const uint8_t *)ESCAPES[k].b, ESCAPES[k].n)) return 1;
  return 0;
}

struct needle {
  const uint8_t *b;
  size_t n;
  int ascii;
};

// prefilter.ts mayHoldKeyword.
static int may_hold_keyword(const uint8_t *b, size_t n, const struct needle *nd, size_t count) {
  int ascii = is_ascii(b, n);
  for (size_t k = 0; k < count; k++) {
    if (ascii && !nd[k].ascii) continue;
    if (contains(b, n, nd[k].b, nd[k].n)) return 1;
  }
  return 0;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)(ts.tv_nsec / 1000000);
}

enum { STOP_END = 0, STOP_CONTENT = 1, STOP_OPEN = 2, STOP_SPLIT = 3, STOP_READ = 4, STOP_NEEDLE = 5 };

// Executables and pictures by their first bytes: what sniff.ts calls 'binary' and 'image' for these
// magics (with no container magic, which is tested first, no other rule of the sniffer applies).
enum { KIND_NONE = 0, KIND_BINARY = 1, KIND_IMAGE = 2 };

static int magic_kind(const uint8_t *h, size_t n) {
  if (n >= 4 && memcmp(h, "\x7f" "ELF", 4) == 0) return KIND_BINARY;
  if (n >= 2 && h[0] == 'M' && h[1] == 'Z') return KIND_BINARY;
  if (n >= 4 && h[0] == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') return KIND_IMAGE;
  if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff) return KIND_IMAGE;
  if (n >= 4 && memcmp(h, "GIF8", 4) == 0) return KIND_IMAGE;
  return KIND_NONE;
}

enum { FILE_CLEAN = 0, FILE_CONTENT = -1, FILE_READ_ERROR = -2, FILE_BINARY = -3, FILE_IMAGE = -4, FILE_NEEDLE = -5 };

// One file: FILE_CLEAN when nothing in it can hold a marking (*size: its size), else FILE_NEEDLE
// (a keyword's bytes, nothing else in the way: JavaScript's fast path would give up on it too, so
// it goes straight to extraction — an executable or a picture too: its bytes are searched hit by
// hit, text-stream.ts BinaryMarkings; *size: where the piece holding them starts, nothing before
// it holds one), FILE_CONTENT (JavaScript must look) or FILE_READ_ERROR. (FILE_BINARY and
// FILE_IMAGE are no longer returned: a header must not hide a marking.)
static int rule_out(int fd, uint8_t *buf, size_t overlap, const struct needle *nd, size_t count, volatile double *slots, double *size) {
  size_t kept = 0;  // bytes at the start of buf carried over from the previous piece
  int markup = 0;
  int kind = KIND_NONE;
  *size = 0;
  for (int first = 1;; first = 0) {
    ssize_t r;
    do r = read(fd, buf + kept, FAST_READ);
    while (r < 0 && errno == EINTR);
    if (r < 0) return FILE_READ_ERROR;
    if (r == 0) return FILE_CLEAN;
    size_t n = kept + (size_t)r;
    if (first) {
      if (container_magic(buf, n)) return FILE_CONTENT;
      if (may_be_mail(buf, n)) return FILE_CONTENT;
      kind = magic_kind(buf, n);
      // escapes in an executable or a picture hide nothing: the sniffer says so (worker.ts sniffHides)
      markup = kind == KIND_NONE && may_be_markup(buf, n);
    }
    if (markup && has_escapes(buf, n)) return FILE_CONTENT;
    if (may_hold_keyword(buf, n, nd, count)) {
      *size -= (double)kept;
      return FILE_NEEDLE;
    }
    *size += (double)r;
    if (r < FAST_READ) return FILE_CLEAN;
    slots[2] = now_ms();
    // A piece of zeros may be a hole of a sparse file (5 GB of nothing costs no disk but reads at
    // the speed of zeros): go on at the next data (zeros hold no needle; the kept bytes are zeros).
    if (buf[kept] == 0 && memcmp(buf + kept, buf + kept + 1, (size_t)r - 1) == 0) {
      off_t d = lseek(fd, (off_t)*size, SEEK_DATA);
      if (d < 0 && errno == ENXIO) {
        struct stat st;
        if (fstat(fd, &st) != 0) return FILE_READ_ERROR;
        *size = (double)st.st_size;
        return FILE_CLEAN;
      }
      if (d > (off_t)*size) *size = (double)d;
      else if (d < 0) lseek(fd, (off_t)*size, SEEK_SET);
    }
    // keep the last bytes: a needle or an escape across the border is still seen whole
    kept = overlap < n ? overlap : n;
    memmove(buf, buf + n - kept, kept);
  }
}

// A path argument: a string (its UTF-8) or the raw bytes of a name that is not UTF-8 (a Buffer or
// a Uint8Array: a GBK name listed by its bytes). Copied NUL-terminated into a buffer of `cap`
// bytes (malloc'd when `buf` is NULL; *out then owns it); its length in *len. 0 when it is
// neither, holds a NUL, or does not fit — the caller then stops, and JavaScript says why.
static int path_arg(napi_env env, napi_value v, char *buf, size_t cap, char **out, size_t *len) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return 0;
  const uint8_t *bytes = NULL;
  size_t n = 0;
  if (t == napi_string) {
    if (napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok) return 0;
  } else {
    bool is_ta = false;
    napi_typedarray_type tt;
    void *data;
    if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
    if (napi_get_typedarray_info(env, v, &tt, &n, &data, NULL, NULL) != napi_ok || tt != napi_uint8_array) return 0;
    bytes = data;
    if (memchr(bytes, 0, n)) return 0;
  }
  if (buf == NULL) {
    cap = n + 1;
    buf = malloc(cap);
    if (buf == NULL) return 0;
    *out = buf;
  } else if (n + 1 > cap) {
    return 0;
  }
  if (bytes) memcpy(buf, bytes, n);
  else if (napi_get_value_string_utf8(env, v, buf, cap, &n) != napi_ok) return 0;
  buf[n] = 0;
  // a string holding U+0000 would open a shorter name
  if (strlen(buf) != n) return 0;
  *len = n;
  return 1;
}

#define CHECK(call)                                   \
  do {                                                \
    if ((call) != napi_ok) {                          \
      napi_throw_error(env, NULL, "fastwalk: " #call); \
      return NULL;                                    \
    }                                                 \
  } while (0)

// fastRun(dir, names, from, to, needles, overlap, slots, buf, result):
//   reads names[from..to) in dir; stops at the first file JavaScript must see.
//   result (Float64Array): [0] the index reached, [1] bytes of the files before it, [2] why it stopped,
//   [3] and [4] how many of those were executables and pictures (see rule_out).
//   slots (Float64Array shared with the coordinator): [1] the file index, [2] a progress time, [3] split request.
static napi_value fast_run(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 9) {
    napi_throw_type_error(env, NULL, "fastRun: 9 arguments");
    return NULL;
  }
  uint32_t from, to, nneedles, overlap;
  CHECK(napi_get_value_uint32(env, argv[2], &from));
  CHECK(napi_get_value_uint32(env, argv[3], &to));
  CHECK(napi_get_array_length(env, argv[4], &nneedles));
  CHECK(napi_get_value_uint32(env, argv[5], &overlap));
  // Every needle, however many (31 unit keywords give 276): none is dropped. Before, the first 64
  // were kept and the rest silently ignored (issue 13 item 4).
  struct needle *nd = malloc((nneedles ? nneedles : 1) * sizeof *nd);
  if (nd == NULL) {
    napi_throw_error(env, NULL, "fastRun: out of memory");
    return NULL;
  }
  for (uint32_t k = 0; k < nneedles; k++) {
    napi_value v;
    void *data;
    size_t len;
    bool isbuf = false;
    if (napi_get_element(env, argv[4], k, &v) != napi_ok || napi_is_buffer(env, v, &isbuf) != napi_ok || !isbuf || napi_get_buffer_info(env, v, &data, &len) != napi_ok) {
      free(nd);
      napi_throw_type_error(env, NULL, "fastRun: needles must be Buffers");
      return NULL;
    }
    nd[k].b = data;
    nd[k].n = len;
    nd[k].ascii = is_ascii(data, len);
  }
  napi_typedarray_type tt;
  size_t slen, rlen;
  void *sdata, *rdata, *bdata;
  size_t blen;
  if (napi_get_typedarray_info(env, argv[6], &tt, &slen, &sdata, NULL, NULL) != napi_ok) { free(nd); napi_throw_error(env, NULL, "fastRun: slots"); return NULL; }
  if (tt != napi_float64_array || slen < 4) {
    free(nd);
    napi_throw_type_error(env, NULL, "fastRun: slots must be a Float64Array of 4");
    return NULL;
  }
  if (napi_get_buffer_info(env, argv[7], &bdata, &blen) != napi_ok) { free(nd); napi_throw_error(env, NULL, "fastRun: buf"); return NULL; }
  if (napi_get_typedarray_info(env, argv[8], &tt, &rlen, &rdata, NULL, NULL) != napi_ok) { free(nd); napi_throw_error(env, NULL, "fastRun: result"); return NULL; }
  if (tt != napi_float64_array || rlen < 5 || blen < FAST_READ + overlap || overlap > 64) {
    free(nd);
    napi_throw_type_error(env, NULL, "fastRun: bad buffer or result");
    return NULL;
  }
  volatile double *slots = sdata;
  double *res = rdata;
  res[0] = from;
  res[1] = 0;
  res[2] = STOP_END;
  res[3] = 0;
  res[4] = 0;
  // The folder, whatever its length: a path over PATH_MAX fails here (ENAMETOOLONG) as in JavaScript.
  char *dir = NULL;
  size_t dlen;
  if (!path_arg(env, argv[0], NULL, 0, &dir, &dlen)) {
    free(dir);
    free(nd);
    res[2] = STOP_OPEN;
    return NULL;
  }
  // The folder's length is checked as each name's is below (JavaScript opens whole paths: one of
  // PATH_MAX bytes or more is ENAMETOOLONG there; the kernel says the same here, said explicitly).
  if (dlen >= PATH_MAX) {
    free(dir);
    free(nd);
    res[2] = STOP_OPEN;
    return NULL;
  }
  // Only opened (openat's base), not read: no access time to keep. Never through a final link.
  int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  free(dir);
  if (dirfd < 0) {
    free(nd);
    res[2] = STOP_OPEN;
    return NULL;
  }
  double bytes = 0, binaries = 0, images = 0;
  uint32_t i = from;
  for (; i < to; i++) {
    if (slots[3] == 1) {
      res[2] = STOP_SPLIT;
      break;
    }
    napi_value v;
    char name[MAX_NAME];
    size_t nlen;
    // JavaScript opens the whole path: one it cannot open (ENAMETOOLONG), this does not read
    // either, though openat could — both readers must find the same.
    if (napi_get_element(env, argv[1], i, &v) != napi_ok || !path_arg(env, v, name, sizeof name, NULL, &nlen) || dlen + 1 + nlen >= PATH_MAX) {
      res[2] = STOP_OPEN;
      break;
    }
    slots[1] = i;
    slots[2] = now_ms();
    int refused;
    int fd = open_file(dirfd, name, &refused);
    if (fd < 0) {
      res[2] = STOP_OPEN;
      break;
    }
    // Only a regular file is read: the listing's type is the directory entry's, which a crafted
    // disk can make up (a device or a FIFO listed as a file). JavaScript reports it.
    struct stat fst;
    if (fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode)) {
      close(fd);
      res[2] = STOP_OPEN;
      break;
    }
    double size;
    int got = rule_out(fd, bdata, overlap, nd, nneedles, slots, &size);
    close(fd);
    if (got == FILE_CONTENT || got == FILE_READ_ERROR || got == FILE_NEEDLE) {
      res[2] = got == FILE_CONTENT ? STOP_CONTENT : got == FILE_NEEDLE ? STOP_NEEDLE : STOP_READ;
      // [5]: where the file stopped at first holds a needle's bytes
      if (rlen >= 6) res[5] = got == FILE_NEEDLE ? size : 0;
      break;
    }
    // counted only for a file done here: one it stopped at, JavaScript opens (and counts) again
    if (refused) __atomic_add_fetch(&no_noatime_files, 1, __ATOMIC_RELAXED);
    if (got == FILE_BINARY) binaries++;
    if (got == FILE_IMAGE) images++;
    bytes += size;
  }
  close(dirfd);
  free(nd);
  res[0] = i;
  res[1] = bytes;
  res[3] = binaries;
  res[4] = images;
  return NULL;
}

// findHits(buf, n, needles, out) → how many: every position in buf[0..n) where a needle starts, as
// position * 64 + needle index in out (an Int32Array; stops when it is full). The binary search of
// text-stream.ts BinaryMarkings (Buffer.indexOf per needle was most of its time).
static napi_value find_hits(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *bdata, *odata;
  size_t blen, olen;
  uint32_t n, nneedles;
  napi_typedarray_type tt;
  CHECK(napi_get_buffer_info(env, argv[0], &bdata, &blen));
  CHECK(napi_get_value_uint32(env, argv[1], &n));
  CHECK(napi_get_array_length(env, argv[2], &nneedles));
  CHECK(napi_get_typedarray_info(env, argv[3], &tt, &olen, &odata, NULL, NULL));
  if (tt != napi_int32_array || n > blen || n > (1u << 25) || nneedles > MAX_HIT_NEEDLES) {
    napi_throw_type_error(env, NULL, "findHits: bad arguments");
    return NULL;
  }
  const uint8_t *p = bdata;
  int32_t *out = odata;
  size_t count = 0;
  for (uint32_t k = 0; k < nneedles && count < olen; k++) {
    napi_value v;
    void *nd;
    size_t len;
    CHECK(napi_get_element(env, argv[2], k, &v));
    CHECK(napi_get_buffer_info(env, v, &nd, &len));
    if (len < 2 || len > n) continue;
    const uint8_t *q = nd;
    const uint8_t a = q[0], b = q[1];
    const size_t last = n - len;
    for (size_t i = 0; i <= last && count < olen;) {
      size_t blk = last - i + 1;
      if (blk >= 64) {
        blk = 64;
        unsigned acc = 0;
        for (int j = 0; j < 64; j++) acc |= (unsigned)(p[i + j] == a) & (unsigned)(p[i + j + 1] == b);
        if (!acc) {
          i += 64;
          continue;
        }
      }
      for (size_t j = 0; j < blk && count < olen; j++)
        if (p[i + j] == a && p[i + j + 1] == b && memcmp(p + i + j, q, len) == 0) out[count++] = (int32_t)((i + j) * 64 + k);
      i += blk;
    }
  }
  napi_value r;
  CHECK(napi_create_uint32(env, (uint32_t)count, &r));
  return r;
}

// dataFrom(fd, pos) → the first offset ≥ pos holding data (lseek SEEK_DATA: a sparse file's holes
// are skipped), -1 when only a hole follows, pos when the file system cannot tell.
static napi_value data_from(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd;
  double pos;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_int32(env, argv[0], &fd));
  CHECK(napi_get_value_double(env, argv[1], &pos));
  off_t d = lseek(fd, (off_t)pos, SEEK_DATA);
  double out = d >= 0 ? (double)d : errno == ENXIO ? -1 : pos;
  napi_value v;
  CHECK(napi_create_double(env, out, &v));
  return v;
}

// Is s[0..n) UTF-8, as Buffer's isUtf8 says (no overlong forms, no surrogates, nothing over U+10FFFF)?
static int utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint8_t lo = 0x80, hi = 0xbf;  // bounds of the second byte
    if (c >= 0xc2 && c <= 0xdf) len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else return 0;
    if (i + len > n || s[i + 1] < lo || s[i + 1] > hi) return 0;
    for (size_t k = 2; k < len; k++)
      if (s[i + k] < 0x80 || s[i + k] > 0xbf) return 0;
    i += len;
  }
  return 1;
}

// An error as Node's fs throws it (code, errno, syscall; "ENOENT: no such file or directory,
// scandir"), without the path: the caller names the target path, never the host one.
static void throw_errno(napi_env env, int err, const char *syscall) {
  // libuv's names and messages (what Node's own errors say), for what a listing can meet
  const char *code = NULL, *why = NULL;
  switch (err) {
    case ENOENT: code = "ENOENT"; why = "no such file or directory"; break;
    case EACCES: code = "EACCES"; why = "permission denied"; break;
    case EPERM: code = "EPERM"; why = "operation not permitted"; break;
    case ENOTDIR: code = "ENOTDIR"; why = "not a directory"; break;
    case ELOOP: code = "ELOOP"; why = "too many symbolic links encountered"; break;
    case EMFILE: code = "EMFILE"; why = "too many open files"; break;
    case ENFILE: code = "ENFILE"; why = "file table overflow"; break;
    case ENAMETOOLONG: code = "ENAMETOOLONG"; why = "name too long"; break;
    case ENOMEM: code = "ENOMEM"; why = "not enough memory"; break;
    case EIO: code = "EIO"; why = "i/o error"; break;
    case EINVAL: code = "EINVAL"; why = "invalid argument"; break;
    case ENXIO: code = "ENXIO"; why = "no such device or address"; break;
    default: code = "EIO"; why = strerror(err); break;
  }
  char text[256];
  snprintf(text, sizeof text, "%s: %s, %s", code, why, syscall);
  napi_value msg, codev, errv, sysv, e;
  if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg) != napi_ok) return;
  if (napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &codev) != napi_ok) return;
  if (napi_create_error(env, codev, msg, &e) != napi_ok) return;
  if (napi_create_int32(env, -err, &errv) == napi_ok) napi_set_named_property(env, e, "errno", errv);
  if (napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sysv) == napi_ok) napi_set_named_property(env, e, "syscall", sysv);
  napi_throw(env, e);
}

// Entry kinds as listDir gives them (LIST_KIND in src/target/open-sync.ts).
enum { K_UNKNOWN = 0, K_FILE = 1, K_DIR = 2, K_LINK = 3, K_FIFO = 4, K_SOCKET = 5, K_CHAR = 6, K_BLOCK = 7 };

static uint8_t kind_of_mode(mode_t m) {
  if (S_ISREG(m)) return K_FILE;
  if (S_ISDIR(m)) return K_DIR;
  if (S_ISLNK(m)) return K_LINK;
  if (S_ISFIFO(m)) return K_FIFO;
  if (S_ISSOCK(m)) return K_SOCKET;
  if (S_ISCHR(m)) return K_CHAR;
  if (S_ISBLK(m)) return K_BLOCK;
  return K_UNKNOWN;
}

struct entry {
  size_t off, len;  // the name in the arena
  uint8_t kind;
};

// qsort_r's comparator: names in byte order (the arena passed along: threads list at once).
static int by_bytes(const void *a, const void *b, void *arena) {
  const struct entry *x = a, *y = b;
  const char *s = arena;
  int c = memcmp(s + x->off, s + y->off, x->len < y->len ? x->len : y->len);
  return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

// listDir(path) → [names, kinds]: a folder's entries ("." and ".." left out) in byte order of
// their names; each name a string when it is UTF-8, else a Buffer of its bytes; kinds a Buffer,
// one K_* per name (the directory entry's type; lstat's when the file system gives none).
// The folder is opened with O_NOATIME where the kernel allows it — listing a folder moves its
// access time as reading a file does, and Node's readdir cannot be asked not to — never through
// a final symbolic link and never blocking. Throws as Node's readdir does (code, errno, syscall).
static napi_value list_dir(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *path = NULL;
  size_t plen;
  if (argc < 1 || !path_arg(env, argv[0], NULL, 0, &path, &plen)) {
    free(path);
    throw_errno(env, EINVAL, "scandir");
    return NULL;
  }
  int refused;
  int fd = open_noatime(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, &refused);
  free(path);
  if (refused) __atomic_add_fetch(&no_noatime_folders, 1, __ATOMIC_RELAXED);
  if (fd < 0) {
    throw_errno(env, errno, "scandir");
    return NULL;
  }
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    int err = errno;
    close(fd);
    throw_errno(env, err, "scandir");
    return NULL;
  }
  // names into one arena, entries beside them; sorted, then handed over in one pass
  size_t count = 0, cap = 256, used = 0, acap = 16384;
  struct entry *ents = malloc(cap * sizeof *ents);
  char *arena = malloc(acap);
  int err = 0;
  if (ents == NULL || arena == NULL) err = ENOMEM;
  while (err == 0) {
    errno = 0;
    struct dirent *e = readdir(d);
    if (e == NULL) {
      err = errno;
      break;
    }
    const char *n = e->d_name;
    if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0))) continue;
    uint8_t k;
    switch (e->d_type) {
      case DT_REG: k = K_FILE; break;
      case DT_DIR: k = K_DIR; break;
      case DT_LNK: k = K_LINK; break;
      case DT_FIFO: k = K_FIFO; break;
      case DT_SOCK: k = K_SOCKET; break;
      case DT_CHR: k = K_CHAR; break;
      case DT_BLK: k = K_BLOCK; break;
      default: {
        struct stat st;
        k = fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) == 0 ? kind_of_mode(st.st_mode) : K_UNKNOWN;
      }
    }
    size_t len = strlen(n);
    if (count == cap) {
      struct entry *more = realloc(ents, cap * 2 * sizeof *ents);
      if (more == NULL) {
        err = ENOMEM;
        break;
      }
      ents = more;
      cap *= 2;
    }
    if (used + len > acap) {
      size_t want = acap * 2 > used + len ? acap * 2 : used + len;
      char *more = realloc(arena, want);
      if (more == NULL) {
        err = ENOMEM;
        break;
      }
      arena = more;
      acap = want;
    }
    memcpy(arena + used, n, len);
    ents[count++] = (struct entry){used, len, k};
    used += len;
  }
  closedir(d);
  napi_value names, kv, out;
  uint8_t *kinds = NULL;
  if (err == 0 && napi_create_array_with_length(env, count, &names) != napi_ok) err = ENOMEM;
  if (err == 0 && napi_create_buffer(env, count, (void **)&kinds, &kv) != napi_ok) err = ENOMEM;
  if (err == 0) {
    qsort_r(ents, count, sizeof *ents, by_bytes, arena);
    for (size_t i = 0; i < count && err == 0; i++) {
      const char *nm = arena + ents[i].off;
      size_t len = ents[i].len;
      napi_value v;
      napi_status st = utf8_valid((const uint8_t *)nm, len) ? napi_create_string_utf8(env, nm, len, &v) : napi_create_buffer_copy(env, len, nm, NULL, &v);
      if (st != napi_ok || napi_set_element(env, names, (uint32_t)i, v) != napi_ok) err = ENOMEM;
      else kinds[i] = ents[i].kind;
    }
  }
  free(ents);
  free(arena);
  if (err != 0) {
    throw_errno(env, err, "scandir");
    return NULL;
  }
  CHECK(napi_create_array_with_length(env, 2, &out));
  CHECK(napi_set_element(env, out, 0, names));
  CHECK(napi_set_element(env, out, 1, kv));
  return out;
}

// atimeCounts() → [files, folders] opened without O_NOATIME by this library since the process started.
static napi_value atime_counts(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out, f, d;
  CHECK(napi_create_array_with_length(env, 2, &out));
  CHECK(napi_create_double(env, (double)__atomic_load_n(&no_noatime_files, __ATOMIC_RELAXED), &f));
  CHECK(napi_create_double(env, (double)__atomic_load_n(&no_noatime_folders, __ATOMIC_RELAXED), &d));
  CHECK(napi_set_element(env, out, 0, f));
  CHECK(napi_set_element(env, out, 1, d));
  return out;
}

// Fewer malloc arenas for the process (glibc gives each thread its own, and keeps what a big
// document left in it): call before the worker threads start.
static napi_value tune_malloc(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  uint32_t arenas = 2;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc >= 1) CHECK(napi_get_value_uint32(env, argv[0], &arenas));
  napi_value ok;
#ifdef __GLIBC__
  CHECK(napi_get_boolean(env, mallopt(M_ARENA_MAX, (int)arenas) == 1, &ok));
#else
  CHECK(napi_get_boolean(env, 0, &ok));
#endif
  return ok;
}

// Give free malloc memory back to the system (after a big document).
static napi_value trim(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value ok;
#ifdef __GLIBC__
  CHECK(napi_get_boolean(env, malloc_trim(0) == 1, &ok));
#else
  CHECK(napi_get_boolean(env, 0, &ok));
#endif
  return ok;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"fastRun", NULL, fast_run, NULL, NULL, NULL, napi_default, NULL},
      {"tuneMalloc", NULL, tune_malloc, NULL, NULL, NULL, napi_default, NULL},
      {"trim", NULL, trim, NULL, NULL, NULL, napi_default, NULL},
      {"listDir", NULL, list_dir, NULL, NULL, NULL, napi_default, NULL},
      {"atimeCounts", NULL, atime_counts, NULL, NULL, NULL, napi_default, NULL},
      {"dataFrom", NULL, data_from, NULL, NULL, NULL, napi_default, NULL},
      {"findHits", NULL, find_hits, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
