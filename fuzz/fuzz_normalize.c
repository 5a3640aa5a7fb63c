/* fuzz_normalize.c — libFuzzer target for text_normalize: on any input the
 * canonical text is valid UTF-8 without NUL, every byte's original range lies
 * inside the input and never goes backwards, repeat >= 1, and normalizing the
 * canonical text again gives the same text (idempotence).  Aborts otherwise. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "text/text.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok) {
  if (!ok) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* a pack-like config so aliases, folds and keep are exercised too */
  static const text_digit_alias al[] = {{0x5E7A, '1'}, {0x4E24, '2'}, {0x6D1E, '0'}};
  static const text_char_fold fo[] = {{0x8587, 0x5FAE}, {0x4EDF, 0x5343}};
  static const uint32_t keep[] = {0x1F4B0};
  text_norm_config cfg;
  text_norm_config_init(&cfg);
  cfg.aliases = al;
  cfg.n_aliases = 3;
  cfg.folds = fo;
  cfg.n_folds = 2;
  cfg.keep = keep;
  cfg.n_keep = 1;
  text_normalizer *n = NULL;
  check(text_normalizer_new(&cfg, NULL, &n, NULL) == 0);
  text_norm_out a, b;
  text_norm_out_init(&a, NULL);
  text_norm_out_init(&b, NULL);
  const char *in = (const char *)data;
  check(text_normalize(n, in, size, &a, NULL) == 0);
  size_t bad;
  check(a.text[a.len] == 0);
  check(a.len == 0 || util_utf8_valid(a.text, a.len, &bad));
  uint32_t ps = 0, pe = 0;
  size_t chars = 0;
  for (size_t i = 0; i < a.len; i++) {
    check(a.orig_start[i] < a.orig_end[i] && a.orig_end[i] <= size);
    check(a.repeat[i] >= 1);
    if (a.flags[i] & TEXT_F_CHAR_START) {
      check(a.orig_start[i] >= ps && a.orig_end[i] >= pe);
      check(a.char_index[i] == chars);
      ps = a.orig_start[i];
      pe = a.orig_end[i];
      chars++;
    }
  }
  check(chars == a.n_chars);
  check(text_normalize(n, a.text, a.len, &b, NULL) == 0);
  check(b.len == a.len && memcmp(a.text, b.text, a.len) == 0);
  text_norm_out_free(&a);
  text_norm_out_free(&b);
  text_normalizer_free(n);
  return 0;
}
