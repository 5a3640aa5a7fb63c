/* values.c — the named-value table through which detector values, hoax and
 * coordination signals and classifier scores reach rule conditions.  Stages
 * register names at compile time; a rule naming an unregistered value is an
 * error.  Values nobody produces for a post read as 0. */
#include <string.h>
#include "engine/engine_int.h"

/* Names every engine knows, whether or not the producing stage is loaded. */
static const char *const base_values[] = {
    "text.length",
    "pii.cn_id", "pii.phone", "pii.bank_card", "pii.address", "pii.name_near_id",
    "indicator.contact", "indicator.url", "indicator.crypto",
    "hoax.match", "hoax.similarity",
    "coord.accounts", "coord.pileon",
    NULL,
};

int engine_value_slot(const np_engine *e, const char *name) {
  for (size_t i = 0; i < e->values.len; i++)
    if (strcmp(UTIL_VEC_AT(&e->values, char *, i), name) == 0) return (int)i;
  return -1;
}

int engine_value_register(np_engine *e, const char *name) {
  int slot = engine_value_slot(e, name);
  if (slot >= 0) return slot;
  char *copy = util_strdup(e->alloc, name);
  if (!copy || util_vec_push(&e->values, &copy) < 0) {
    util_free(e->alloc, copy);
    return NP_ENOMEM;
  }
  return (int)e->values.len - 1;
}

int engine_values_init(np_engine *e) {
  util_vec_init(&e->values, e->alloc, sizeof(char *));
  for (size_t i = 0; base_values[i]; i++) {
    int rc = engine_value_register(e, base_values[i]);
    if (rc < 0) return rc;
  }
  e->slot_text_length = (uint32_t)engine_value_slot(e, "text.length");
  return NP_OK;
}

void engine_values_free(np_engine *e) {
  for (size_t i = 0; i < e->values.len; i++) util_free(e->alloc, UTIL_VEC_AT(&e->values, char *, i));
  util_vec_free(&e->values);
}

NP_API const char *np_engine_value_name(const np_engine *e, size_t i) {
  return i < e->values.len ? UTIL_VEC_AT(&e->values, char *, i) : NULL;
}
