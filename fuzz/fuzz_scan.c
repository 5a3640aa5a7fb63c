/* fuzz_scan.c — a fixed pack against arbitrary text: never crashes, spans
 * stay inside the text, and scanning twice gives the same verdict. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "netpatrol.h"

static const char RULES[] =
    "rule f\n{\n  meta:\n    category = \"fuzz.test\"\n  strings:\n    $a = lexicon(\"w\")\n"
    "    $b = /保证金|[0-9]{6,}/\n  condition:\n    $a or ($b and near($a, $b, 10)) or #b > 2\n}\n";
static const char LEX[] = "微信 = 薇信 | vx ! 微信支付\n刷流水\nk粉\n上下分\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  np_source src[2] = {{"rules", "fuzz.rules", RULES, sizeof RULES - 1},
                      {"lexicon", "lexicons/w.txt", LEX, sizeof LEX - 1}};
  np_engine *e = NULL;
  np_scratch *s = NULL;
  if (np_engine_compile(NULL, src, 2, &e, NULL, NULL)) abort();
  if (np_scratch_alloc(e, &s, NULL)) abort();
  np_post p = {0};
  p.text = (const char *)data;
  p.text_len = size;
  const np_verdict *v = NULL;
  if (np_scan(e, s, &p, &v, NULL) == NP_OK) {
    size_t hits = v->n_hits, spans = 0;
    for (size_t h = 0; h < v->n_hits; h++)
      for (size_t k = 0; k < v->hits[h].n_spans; k++, spans++)
        if (v->hits[h].spans[k].start >= v->hits[h].spans[k].end ||
            v->hits[h].spans[k].end > size)
          abort();
    if (np_scan(e, s, &p, &v, NULL) != NP_OK || v->n_hits != hits) abort();
    size_t spans2 = 0;
    for (size_t h = 0; h < v->n_hits; h++) spans2 += v->hits[h].n_spans;
    if (spans2 != spans) abort();
  }
  np_scratch_free(s);
  np_engine_free(e);
  return 0;
}
