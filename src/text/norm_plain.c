/* norm_plain.c — the normalizer's hot loop: emits plain characters (those
 * whose output needs no look at their neighbours, see NA_* in norm_int.h)
 * straight into the per-byte arrays and drops noise.  Runs of ASCII and of
 * three-byte characters (the BMP's CJK and its punctuation) have loops of
 * their own with a fixed input stride, so the offsets they store need no
 * per-character decoding work; anything else goes one character at a time
 * through the careful decoder.  Stops before anything that is not plain. */
#include "text/norm_int.h"

#if defined(__GNUC__)
typedef uint32_t v4u32 __attribute__((vector_size(16)));
#define NORM_V4(x) ((v4u32){(x), (x), (x), (x)})
#endif

void text_norm_plain_run(const text_normalizer *n, const unsigned char *s, size_t len,
                         size_t chunk, text_norm_out *o, norm_cursor *c) {
  const uint32_t *const act = n->act;
  const unsigned squeeze_mask = n->squeeze ? NORM_SQUEEZE_CLASSES : 0;
  const size_t cap = o->cap;
  char *const txt = o->text;
  uint32_t *const os = o->orig_start, *const oe = o->orig_end, *const ci = o->char_index;
  uint8_t *const rep = o->repeat, *const fl = o->flags;
  /* the cursor in locals, so that they get registers */
  size_t i = c->i, ol = c->ol, nc = c->nc, left = c->left, tok_base = c->tok_base,
         chunk_olen = c->chunk_olen;
  uint32_t last = c->last;
  unsigned g = c->g;
  const size_t end4 = len > 3 ? len - 3 : 0;
  while (i < len) {
    size_t at = i;
    uint32_t a;
    unsigned c0 = s[at];
    if (c0 < 0x80) {
      a = act[c0];
      if ((a & (NA_HI | 3u << 24)) == 1u << 24 &&
          (NA_BYTES(a) != last || !((squeeze_mask >> NA_CLS(a)) & 1)) && left > 1 &&
          ol + (len - at) + 8 <= cap) {
        /* A run of plain ASCII folding to ASCII (a pack may fold a letter to
         * more bytes): one byte in, one byte out.  Stops before anything
         * else, a repeat, or where the chunk would end. */
        size_t j = at, nstop = nc + left - 1;
        unsigned flg = g;
        for (;;) {
          txt[ol] = (char)NA_BYTES(a);
          os[ol] = (uint32_t)j;
          oe[ol] = (uint32_t)j + 1;
          ci[ol] = (uint32_t)nc;
          rep[ol] = 1;
          fl[ol] = (uint8_t)(flg | NA_FLAGS(a) | TEXT_F_CHAR_START);
          flg = 0;
          last = NA_BYTES(a);
          ol++;
          nc++;
          j++;
          if (NA_CLS(a) == TC_SEP) { /* the chunk ends */
            nstop = nc + chunk - 1;
            tok_base = nc;
            chunk_olen = ol;
          }
          for (;;) { /* the next character, skipping noise */
            if (j >= len || nc >= nstop || s[j] >= 0x80) goto run1_done;
            a = act[s[j]];
            if (a != NA_NOISE) break;
            flg = TEXT_F_GAP;
            j++;
          }
          if ((a & (NA_HI | 3u << 24)) != 1u << 24 ||
              (NA_BYTES(a) == last && ((squeeze_mask >> NA_CLS(a)) & 1)))
            break; /* repeats and the rest: below */
        }
      run1_done:
        i = j;
        g = flg;
        left = nstop + 1 - nc;
        continue;
      }
      if (ol + 4 + 8 > cap) break;
      i = at + 1;
    } else if ((c0 & 0xF0) == 0xE0 && at < end4) {
      uint32_t w = norm_load_word(s + at);
      uint32_t cp = ((w & 0x0Fu) << 12) | ((w >> 2) & 0xFC0u) | ((w >> 16) & 0x3Fu);
      if ((w & 0xC0C0F0u) != 0x8080E0u || cp < 0x800) { /* invalid: the careful decoder */
        norm_dec d = norm_next(n, s, len, at);
        a = d.a;
        i = d.next;
      } else {
        a = act[cp];
        if (!(a & NA_HI) && (NA_BYTES(a) != last || !((squeeze_mask >> NA_CLS(a)) & 1)) &&
            left > 1 && ol + (len - at) + 8 <= cap) {
          /* A run of plain three-byte characters (the BMP's CJK and its
           * punctuation): the input offsets advance by three, so they are
           * vector counters; output is at most as long as the input (the
           * capacity check above).  Stops before anything else, a repeat,
           * or where the chunk would end. */
          size_t j = at, nstop = nc + left - 1;
          unsigned flg = g;
#if defined(__GNUC__)
          v4u32 vj = NORM_V4((uint32_t)j), vnc = NORM_V4((uint32_t)nc);
#endif
          for (;;) {
            norm_put_word(txt + ol, NA_BYTES(a));
#if defined(__GNUC__)
            memcpy(os + ol, &vj, 16);
            vj += 3;
            memcpy(oe + ol, &vj, 16);
            memcpy(ci + ol, &vnc, 16);
            vnc += 1;
#else
            norm_put32x4(os + ol, (uint32_t)j);
            norm_put32x4(oe + ol, (uint32_t)(j + 3));
            norm_put32x4(ci + ol, (uint32_t)nc);
#endif
            norm_put8x4(rep + ol, 1, 1);
            flg |= NA_FLAGS(a);
            norm_put_word(fl + ol, (flg * 0x01010101u) | TEXT_F_CHAR_START);
            flg = 0;
            last = NA_BYTES(a);
            ol += NA_LEN(a);
            nc++;
            j += 3;
            if (NA_CLS(a) == TC_SEP) { /* the chunk ends */
              nstop = nc + chunk - 1;
              tok_base = nc;
              chunk_olen = ol;
            }
            for (;;) { /* the next character, skipping noise */
              if (j >= end4 || nc >= nstop) goto run3_done;
              uint32_t w3 = norm_load_word(s + j);
              if ((w3 & 0xC0C0F0u) != 0x8080E0u) goto run3_done;
              cp = ((w3 & 0x0Fu) << 12) | ((w3 >> 2) & 0xFC0u) | ((w3 >> 16) & 0x3Fu);
              a = act[cp];
              if (a != NA_NOISE || cp < 0x800) break;
              flg = TEXT_F_GAP;
              j += 3;
#if defined(__GNUC__)
              vj += 3;
#endif
            }
            if ((a & NA_HI) || cp < 0x800 ||
                (NA_BYTES(a) == last && ((squeeze_mask >> NA_CLS(a)) & 1)))
              break; /* overlongs, repeats and the rest: below */
          }
        run3_done:
          i = j;
          g = flg;
          left = nstop + 1 - nc;
          continue;
        }
        if (ol + 4 + 8 > cap) break;
        i = at + 3;
      }
    } else {
      if (ol + 4 + 8 > cap) break;
      norm_dec d = norm_next(n, s, len, at);
      a = d.a;
      i = d.next;
    }
    if (a & NA_HI) {
      if (a == NA_NOISE) { g = TEXT_F_GAP; continue; }
      i = at;
      break;
    }
    unsigned cls = NA_CLS(a);
    uint32_t bytes = NA_BYTES(a);
    if (bytes == last && ((squeeze_mask >> cls) & 1)) {
      /* a repeat: the last character now covers this one too */
      for (size_t b = ol - norm_packed_len(bytes); b < ol; b++) {
        oe[b] = (uint32_t)i;
        if (rep[b] < 255) rep[b]++;
      }
      if (nc == tok_base) tok_base--; /* the token's first character */
    } else {
      norm_put_word(txt + ol, bytes);
      norm_put32x4(os + ol, (uint32_t)at);
      norm_put32x4(oe + ol, (uint32_t)i);
      norm_put32x4(ci + ol, (uint32_t)nc);
      unsigned f = g | NA_FLAGS(a);
      norm_put8x4(rep + ol, 1, 1);
      norm_put8x4(fl + ol, (uint8_t)(f | TEXT_F_CHAR_START), (uint8_t)f);
      last = bytes;
      ol += NA_LEN(a);
      nc++;
    }
    g = 0;
    /* a separator ends the chunk (no branch: they are frequent) */
    int sep = cls == TC_SEP;
    left = sep ? chunk : left - 1;
    tok_base = sep ? nc : tok_base;
    chunk_olen = sep ? ol : chunk_olen;
    if (!left) { /* the chunk is full */
      left = chunk;
      tok_base = nc;
      chunk_olen = ol;
    }
  }
  c->i = i;
  c->ol = ol;
  c->nc = nc;
  c->left = left;
  c->tok_base = tok_base;
  c->chunk_olen = chunk_olen;
  c->last = last;
  c->g = g;
}
