/* normalize.c — text_normalize: one pass over UTF-8 producing canonical text
 * plus a per-byte map back to the original.  The fast path emits straight
 * into the output: plain characters in norm_plain.c's loop, and here the
 * characters that need a short look ahead — whitespace whose neighbours are
 * plain, a Chinese numeral outside any digit run.  Anything else (digit runs,
 * multi-character folds, unusual spacing, pack folds that change a class)
 * goes to the general path (norm_batch.c), which hands back as soon as the
 * fast path can go on.  The output is the same, byte for byte, as the
 * original chunk-at-a-time algorithm (tests/unit/normalize_ref.h, checked by the
 * differential tests).  No allocation once buffers have grown. */
#include "text/norm_int.h"

static uint32_t pack_utf8(uint32_t cp) {
  unsigned char b[4] = {0, 0, 0, 0};
  util_utf8_put(cp, (char *)b);
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint32_t unpack_utf8(uint32_t bytes) {
  char b[4];
  for (int k = 0; k < 4; k++) b[k] = (char)(bytes >> (8 * k));
  size_t at = 0;
  int32_t cp = util_utf8_next(b, norm_packed_len(bytes), &at);
  return cp < 0 ? 0 : (uint32_t)cp;
}

/* Whether a space run decides here: the fast path drops or keeps it. */
enum { SP_DROP, SP_KEEP, SP_GENERAL };

static int join_classes(unsigned lc, unsigned rc, int lsingle, int rsingle) {
  int la = lc == TC_ALPHA || lc == TC_DIGIT, ra = rc == TC_ALPHA || rc == TC_DIGIT;
  int lh = lc == TC_HAN || lc == TC_CNNUM, rh = rc == TC_HAN || rc == TC_CNNUM;
  if (lc == TC_DIGIT && rc == TC_DIGIT) return 1;
  if ((la && rh) || (lh && ra)) return 1;
  if (la && ra) return lsingle && rsingle;
  return lsingle || rsingle;
}

/* The whitespace that starts at s[at] (its first character ends at i): finds
 * the merged run's end (*sp_end), the next kept character (*r_at; len at the
 * end), the noise gap in between, and decides the run when the next two
 * kept characters are plain (see decide_spaces in norm_batch.c).  tok: the
 * left token's characters (0: none in this chunk); lcls: its last class. */
static int space_run(const text_normalizer *n, const unsigned char *s, size_t len, size_t i,
                     size_t tok, unsigned lcls, size_t *sp_end, size_t *r_at, unsigned *gap) {
  uint32_t a;
  size_t at;
  *sp_end = i;
  *gap = 0;
  for (;;) {
    if (i >= len) { *r_at = len; return SP_DROP; }
    at = i;
    norm_dec d = norm_next(n, s, len, i);
    a = d.a;
    i = d.next;
    if (a == NA_NOISE) { *gap = TEXT_F_GAP; continue; }
    if (a == NA_SPACE) { *sp_end = i; continue; }
    break;
  }
  *r_at = at;
  if (!NA_LEN(a) || (a & NA_HI)) return SP_GENERAL; /* a numeral's run goes on through spaces */
  unsigned rcls = NA_CLS(a);
  if (!tok || rcls == TC_SEP) return SP_DROP;
  int rsingle = 1;
  while (i < len) {
    norm_dec d = norm_next(n, s, len, i);
    uint32_t a2 = d.a;
    i = d.next;
    if (a2 == NA_NOISE) continue;
    if (a2 == NA_SPACE || (NA_LEN(a2) && NA_CLS(a2) == TC_SEP)) break;
    if (!NA_LEN(a2)) return SP_GENERAL;
    if (n->squeeze && NA_BYTES(a2) == NA_BYTES(a) && ((NORM_SQUEEZE_CLASSES >> rcls) & 1))
      return SP_GENERAL; /* a squeezed repeat: the token may still be one character */
    rsingle = 0;
    break;
  }
  return join_classes(lcls, rcls, tok == 1, rsingle) ? SP_DROP : SP_KEEP;
}

/* 1 if the character after s[i] (noise skipped) ends a digit run: the end,
 * a separator or a plain non-digit. */
static int run_ends(const text_normalizer *n, const unsigned char *s, size_t len, size_t i) {
  while (i < len) {
    norm_dec d = norm_next(n, s, len, i);
    uint32_t a = d.a;
    i = d.next;
    if (a == NA_NOISE) continue;
    return NA_LEN(a) && !(a & NA_HI) && NA_CLS(a) != TC_DIGIT;
  }
  return 1;
}

/* The class of the canonical character whose UTF-8 bytes are `last` (a
 * canonical code point's own action describes it). */
static unsigned class_of(const text_normalizer *n, uint32_t last) {
  uint32_t cp = unpack_utf8(last), a = cp < 0x10000 ? n->act[cp] : NA_GENERAL;
  if (NA_LEN(a) || a == NA_SPACE) return NA_CLS(a);
  norm_unit u;
  unsigned tcls;
  return text_norm_unit_of(n, cp, &u, &tcls) == NU_UNIT ? u.cls : TC_OTHER;
}

/* ASCII digits in the digit run that ends the output (kept spaces inside a
 * run, nothing before the chunk's start): the digit-run context. */
static uint32_t trailing_digits(const text_norm_out *o, size_t from, size_t to) {
  uint32_t k = 0;
  for (; to > from; to--) {
    char ch = o->text[to - 1];
    if (ch == ' ') continue;
    if (ch < '0' || ch > '9') break;
    k++;
  }
  return k;
}

/* Emits the plain character of action a, from in[at..i) (squeezing a
 * repeat), and ends the chunk after a separator or a full chunk. */
static inline void emit_plain(norm_cursor *c, text_norm_out *o, uint32_t a, size_t at, size_t i,
                              unsigned squeeze_mask, size_t chunk) {
  unsigned cls = NA_CLS(a);
  uint32_t bytes = NA_BYTES(a);
  size_t ol = c->ol;
  if (bytes == c->last && ((squeeze_mask >> cls) & 1)) {
    /* a repeat: the last character now covers this one too */
    for (size_t b = ol - norm_packed_len(bytes); b < ol; b++) {
      o->orig_end[b] = (uint32_t)i;
      if (o->repeat[b] < 255) o->repeat[b]++;
    }
    if (c->nc == c->tok_base) c->tok_base--; /* the token's first character */
  } else {
    norm_put_word(o->text + ol, bytes);
    norm_put32x4(o->orig_start + ol, (uint32_t)at);
    norm_put32x4(o->orig_end + ol, (uint32_t)i);
    norm_put32x4(o->char_index + ol, (uint32_t)c->nc);
    unsigned f = c->g | NA_FLAGS(a);
    norm_put8x4(o->repeat + ol, 1, 1);
    norm_put8x4(o->flags + ol, (uint8_t)(f | TEXT_F_CHAR_START), (uint8_t)f);
    c->last = bytes;
    c->ol = ol + NA_LEN(a);
    c->nc++;
  }
  c->g = 0;
  /* a separator ends the chunk (no branch: they are frequent) */
  int sep = cls == TC_SEP;
  c->left = sep ? chunk : c->left - 1;
  c->tok_base = sep ? c->nc : c->tok_base;
  c->chunk_olen = sep ? c->ol : c->chunk_olen;
  if (!c->left) { /* the chunk is full */
    c->left = chunk;
    c->tok_base = c->nc;
    c->chunk_olen = c->ol;
  }
}

/* The fast loop: from s[*pi], emits what it can decide and drops noise until
 * a character needs the general path (left unconsumed) or the input ends.
 * The token length, digit run and last class are worked out from the output
 * where needed rather than tracked per character. */
static int fast_run(norm_state *st, const unsigned char *s, size_t len, size_t *pi,
                    uint8_t *pgap) {
  const text_normalizer *n = st->n;
  text_norm_out *o = st->o;
  const unsigned squeeze_mask = n->squeeze ? NORM_SQUEEZE_CLASSES : 0;
  const size_t chunk = st->limit - 8; /* units per chunk */
  norm_cursor c;
  c.i = *pi;
  c.g = *pgap | (st->gap ? TEXT_F_GAP : 0);
  st->gap = 0;
  c.ol = o->len;
  c.nc = o->n_chars;
  c.left = chunk - st->cm;
  c.tok_base = c.nc - st->tok_chars;
  c.chunk_olen = st->chunk_olen;
  c.last = st->have_last ? pack_utf8(st->last_cp) : 0;
  int rc = 0;
  while (c.i < len) {
    text_norm_plain_run(n, s, len, chunk, o, &c);
    if (c.i >= len) break;
    if (c.ol + 4 + 8 > o->cap) {
      if ((rc = text_norm_reserve(o, c.ol + 4 + (len - c.i))) < 0) break;
      continue;
    }
    size_t at = c.i;
    norm_dec d = norm_next(n, s, len, at);
    uint32_t a = d.a;
    if (!(a & NA_HI)) continue; /* a CJK character (or its repeat) */
    if (a == NA_SPACE) {
      if (c.left <= 3) break;
      size_t sp_end, r_at;
      unsigned g;
      int how = space_run(n, s, len, d.next, c.nc - c.tok_base,
                          c.nc > c.tok_base ? class_of(n, c.last) : 0, &sp_end, &r_at, &g);
      if (how == SP_GENERAL) break;
      if (how == SP_KEEP) { /* one canonical space for the run */
        o->text[c.ol] = ' ';
        o->orig_start[c.ol] = (uint32_t)at;
        o->orig_end[c.ol] = (uint32_t)sp_end;
        o->char_index[c.ol] = (uint32_t)c.nc;
        o->repeat[c.ol] = 1;
        o->flags[c.ol] = (uint8_t)(c.g | TEXT_F_CHAR_START);
        c.last = ' ';
        c.ol++;
        c.nc++;
        c.g = g;
      } else c.g = TEXT_F_GAP;
      c.left--;
      c.tok_base = c.nc;
      c.i = r_at;
      continue;
    }
    /* a numeral outside any digit run is emitted as it is */
    if (!NA_LEN(a) || n->min_digit_run < 2 || c.left <= 2 ||
        trailing_digits(o, c.chunk_olen, c.ol) || !run_ends(n, s, len, d.next))
      break; /* the general path decides */
    c.i = d.next;
    emit_plain(&c, o, a, at, c.i, squeeze_mask, chunk);
  }
  o->len = c.ol;
  o->n_chars = c.nc;
  *pi = c.i;
  *pgap = (uint8_t)c.g;
  if (c.i >= len && !rc) return 0; /* the end: nobody reads the state */
  st->tok_chars = c.nc - c.tok_base;
  st->cm = chunk - c.left;
  st->chunk_olen = c.chunk_olen;
  st->dig = st->tok_chars ? trailing_digits(o, c.chunk_olen, c.ol) : 0;
  if (c.last) {
    st->last_cp = unpack_utf8(c.last);
    st->have_last = 1;
    st->last_at = c.ol - norm_packed_len(c.last);
    if (st->tok_chars) st->last_cls = (uint8_t)class_of(n, c.last);
  }
  return rc;
}

int text_normalize(const text_normalizer *n, const char *in, size_t len, text_norm_out *out,
                   np_error *err) {
  if (len >= UINT32_MAX) return util_err(err, NP_ETOOBIG, "text of %zu bytes is too long", len);
  out->len = 0;
  out->n_chars = 0;
  if (text_norm_reserve(out, len + 4) < 0) return util_err(err, NP_ENOMEM, "out of memory");
  /* Chunks end after `limit` units as they always did: the largest
   * min(len + 128, NORM_CHUNK_MAX) this buffer has seen (>= any fold
   * sequence).  The buffer holds that many units plus the batch seeds. */
  size_t want = len + 128 < NORM_CHUNK_MAX ? len + 128 : NORM_CHUNK_MAX;
  if (out->work_cap < want + NORM_SEEDS) {
    norm_unit *w = util_realloc(out->alloc, out->work, (want + NORM_SEEDS) * sizeof *w);
    if (!w) return util_err(err, NP_ENOMEM, "out of memory");
    out->work = w;
    out->work_cap = want + NORM_SEEDS;
  }
  norm_state st = {.n = n, .o = out, .limit = out->work_cap - NORM_SEEDS};
  const unsigned char *s = (const unsigned char *)in;
  size_t i = 0;
  uint8_t gap = 0;
  while (i < len) {
    if (fast_run(&st, s, len, &i, &gap) < 0 ||
        (i < len && text_norm_batch(&st, s, len, &i, &gap) < 0))
      return util_err(err, NP_ENOMEM, "out of memory");
  }
  out->text[out->len] = 0;
  return 0;
}
