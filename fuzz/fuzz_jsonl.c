/* fuzz_jsonl.c — arbitrary bytes as one JSON Lines record: np_scan_json must
 * always produce exactly one well-formed output line (verdict or error). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "netpatrol.h"

static const char RULES[] =
    "rule f\n{\n  meta:\n    category = \"fuzz.test\"\n  strings:\n    $a = \"微信\"\n"
    "    $b = /[0-9]{5,}/\n  condition:\n    $a or #b > 1\n}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  np_source src = {"rules", "fuzz.rules", RULES, sizeof RULES - 1};
  np_engine *e = NULL;
  np_scratch *s = NULL;
  if (np_engine_compile(NULL, &src, 1, &e, NULL, NULL)) abort();
  if (np_scratch_alloc(e, &s, NULL)) abort();
  const char *out;
  size_t len;
  int is_err;
  if (np_scan_json(e, s, (const char *)data, size, 1, &out, &len, &is_err, NULL)) abort();
  if (len == 0 || out[len - 1] != '\n' || memchr(out, '\n', len) != out + len - 1) abort();
  np_scratch_free(s);
  np_engine_free(e);
  return 0;
}
