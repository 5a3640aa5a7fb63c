/* engine_similar.c — seam between the engine and src/similar/ (see engine_int.h):
 * loads the hoax database named by cfg.hoax_path into an immutable index,
 * registers the hoax.* values rule conditions read, matches each post's
 * canonical text and writes the verdict's "hoax" object.  Coordination is
 * cross-post state and lives in the CLI (cli/scan_coord.c), not here. */
#include <string.h>
#include "engine/engine_int.h"
#include "similar/similar.h"

typedef struct similar_state {
  similar_hoaxdb *db;
  int slot_match, slot_sim, slot_debunk, slot_spread;
  int slot_cat[SIMILAR_HOAX_NCAT];
} similar_state;

typedef struct similar_scratch {
  similar_query *q;
  similar_hoax_result res;
} similar_scratch;

/* Claims go through the same normalization as posts (width, case,
 * traditional→simplified, noise), with the default configuration: the
 * engine's own normalizer is built after the stages are initialised. */
typedef struct canon_ctx {
  text_normalizer *n;
  text_norm_out out;
} canon_ctx;

static int canon(const char *in, size_t len, util_buf *out, void *ctx) {
  canon_ctx *c = ctx;
  int rc = text_normalize(c->n, in, len, &c->out, NULL);
  if (rc < 0) return rc;
  return util_buf_append(out, c->out.text ? c->out.text : "", c->out.len);
}

static int load_db(np_engine *e, similar_state *st, np_error *err) {
  char *src = NULL;
  size_t len = 0;
  int rc = util_read_file(e->alloc, e->cfg.hoax_path, &src, &len, err);
  if (rc < 0) return rc;
  canon_ctx cc;
  memset(&cc, 0, sizeof cc);
  text_norm_config nc;
  text_norm_config_init(&nc);
  rc = text_normalizer_new(&nc, e->alloc, &cc.n, err);
  if (rc == 0) {
    text_norm_out_init(&cc.out, e->alloc);
    similar_hoaxdb_opts o;
    similar_hoaxdb_opts_init(&o);
    o.seed ^= e->cfg.seed;
    o.canon = canon;
    o.canon_ctx = &cc;
    rc = similar_hoaxdb_load(e->alloc, e->cfg.hoax_path, src, len, &o, &st->db, err);
    text_norm_out_free(&cc.out);
    text_normalizer_free(cc.n);
  }
  util_free(e->alloc, src);
  return rc;
}

int engine_similar_init(np_engine *e, np_error *err) {
  similar_state *st = util_calloc(e->alloc, 1, sizeof *st);
  if (!st) return util_err(err, NP_ENOMEM, "out of memory");
  e->similar = st;
  static const char *const names[] = {"hoax.match", "hoax.similarity", "hoax.debunk",
                                      "hoax.spread"};
  int *slots[] = {&st->slot_match, &st->slot_sim, &st->slot_debunk, &st->slot_spread};
  for (size_t i = 0; i < 4; i++)
    if ((*slots[i] = engine_value_register(e, names[i])) < 0)
      return util_err(err, NP_ENOMEM, "out of memory");
  for (int c = 0; c < SIMILAR_HOAX_NCAT; c++)
    if ((st->slot_cat[c] = engine_value_register(e, similar_hoax_category_name(c))) < 0)
      return util_err(err, NP_ENOMEM, "out of memory");
  if (!e->cfg.hoax_path) return NP_OK;
  return load_db(e, st, err);
}

void engine_similar_free(np_engine *e) {
  similar_state *st = e->similar;
  if (!st) return;
  similar_hoaxdb_free(st->db);
  util_free(e->alloc, st);
  e->similar = NULL;
}

int engine_similar_scratch(np_scratch *s, np_error *err) {
  similar_scratch *ss = util_calloc(s->alloc, 1, sizeof *ss);
  if (!ss || similar_query_new(s->alloc, &ss->q) < 0) {
    util_free(s->alloc, ss);
    return util_err(err, NP_ENOMEM, "out of memory");
  }
  s->similar = ss;
  return NP_OK;
}

void engine_similar_scratch_free(np_scratch *s) {
  similar_scratch *ss = s->similar;
  if (!ss) return;
  similar_query_free(ss->q);
  util_free(s->alloc, ss);
  s->similar = NULL;
}

int engine_similar_run(const np_engine *e, np_scratch *s, np_error *err) {
  const similar_state *st = e->similar;
  similar_scratch *ss = s->similar;
  ss->res.matched = 0;
  if (!st || !st->db) return NP_OK;
  int rc = similar_hoax_match(st->db, ss->q, s->norm.text ? s->norm.text : "", s->norm.len,
                              &ss->res);
  if (rc < 0) return util_err(err, rc, "out of memory matching hoaxes");
  if (!ss->res.matched) return NP_OK;
  const similar_hoax *h = similar_hoaxdb_get(st->db, ss->res.hoax);
  double sim = ss->res.similarity;
  s->values[st->slot_match] = 1;
  s->values[st->slot_sim] = sim;
  s->values[st->slot_debunk] = ss->res.debunk;
  s->values[st->slot_spread] = !ss->res.debunk;
  /* The per-category value carries the similarity of a post that spreads it. */
  if (!ss->res.debunk) s->values[st->slot_cat[h->category]] = sim;
  return NP_OK;
}

static int field(util_buf *out, const char *key, const char *v) {
  int rc = util_buf_printf(out, ",\"%s\":", key);
  return rc ? rc : util_buf_json_str(out, v, strlen(v));
}

int engine_similar_json(const np_engine *e, np_scratch *s, util_buf *out) {
  const similar_state *st = e->similar;
  similar_scratch *ss = s->similar;
  if (!st || !st->db || !ss || !ss->res.matched) return NP_OK;
  const similar_hoax *h = similar_hoaxdb_get(st->db, ss->res.hoax);
  int rc = util_buf_append(out, ",\"hoax\":{\"id\":", 14);
  if (!rc) rc = util_buf_json_str(out, h->id, strlen(h->id));
  if (!rc) rc = util_buf_printf(out, ",\"similarity\":%.3f", ss->res.similarity);
  if (!rc) rc = field(out, "claim", h->claim);
  if (!rc) rc = field(out, "category", similar_hoax_category_name(h->category));
  if (!rc) rc = field(out, "date", h->date);
  if (!rc) rc = field(out, "debunk_url", h->debunk_url);
  if (!rc) rc = field(out, "debunked_by", h->debunked_by);
  if (!rc) rc = field(out, "stance", ss->res.debunk ? "debunk" : "spread");
  if (!rc) rc = util_buf_putc(out, '}');
  return rc;
}
