/* fold.c — lookups in the generated per-codepoint fold table (two-level,
 * static const, built by tools/gen_fold.c) and the character-class
 * predicates other modules use.  No state, no allocation. */
#include <utf8proc.h>
#include "text/text.h"
#include "text/text_int.h"
#include "text/fold_table.h"

void text_fold_tables(const uint16_t **stage1, const uint32_t **stage2) {
  *stage1 = gen_fold_stage1;
  *stage2 = gen_fold_stage2;
}

uint32_t text_fold_entry(uint32_t cp) {
  if (cp > 0x10FFFF) return TE_MAKE(TC_NOISE, 0, 0, TK_IDENT, 0);
  return gen_fold_stage2[((uint32_t)gen_fold_stage1[cp >> 8] << 8) | (cp & 0xFF)];
}

const uint32_t *text_fold_seq(uint32_t entry, uint32_t *n) {
  const uint32_t *s = gen_fold_seq + TE_PAYLOAD(entry);
  *n = s[0];
  return s + 1;
}

uint32_t text_fold_single(uint32_t cp, uint32_t *entry) {
  uint32_t e = text_fold_entry(cp);
  unsigned c = TE_CLASS(e);
  if (c == TC_NOISE || c == TC_SPACE || TE_KIND(e) == TK_SEQ) return 0;
  uint32_t to = TE_KIND(e) == TK_IDENT ? cp : TE_PAYLOAD(e);
  if (entry) *entry = e;
  return to;
}

int text_is_han(uint32_t cp) {
  return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x323AF) || cp == 0x3007;
}

int text_is_symbol(uint32_t cp) {
  if (cp < 0x80 || cp > 0x10FFFF) return 0;
  utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
  return c == UTF8PROC_CATEGORY_SO || c == UTF8PROC_CATEGORY_SK;
}
