/* hoaxdb.c — the known-hoax database: parses the JSONL file (DESIGN §4 plus
 * "variants" and "entities"), canonicalizes every claim and variant, keeps
 * each one's exact shingle set for verification and builds the LSH index.
 * The result is immutable; matching lives in hoax_match.c. */
#include <jansson.h>
#include <string.h>
#include "similar/similar_int.h"

static const char *const cat_names[SIMILAR_HOAX_NCAT] = {
    "hoax.disaster", "hoax.public_security", "hoax.finance_policy", "hoax.epidemic"};

const char *similar_hoax_category_name(int cat) {
  return cat >= 0 && cat < SIMILAR_HOAX_NCAT ? cat_names[cat] : "hoax";
}

static int parse_category(const char *s) {
  if (!s) return -1;
  if (!strncmp(s, "hoax.", 5)) s += 5;
  for (int i = 0; i < SIMILAR_HOAX_NCAT; i++)
    if (!strcmp(s, cat_names[i] + 5)) return i;
  return -1;
}

void similar_hoaxdb_opts_init(similar_hoaxdb_opts *o) {
  memset(o, 0, sizeof *o);
  o->threshold = 0.6;
  o->entity_threshold = 0.45;
  o->k = 2;
  o->seed = 0x686f6178ULL;
}

void similar_hoaxdb_free(similar_hoaxdb *db) {
  if (!db) return;
  const np_allocator *a = db->alloc;
  for (size_t i = 0; i < db->n; i++) {
    similar_hoax *h = &db->hoax[i];
    util_free(a, h->id);
    util_free(a, h->claim);
    util_free(a, h->debunk_url);
    util_free(a, h->debunked_by);
    util_free(a, h->date);
    for (size_t j = 0; j < h->n_entities; j++) util_free(a, h->entities[j]);
    util_free(a, h->entities);
  }
  util_free(a, db->hoax);
  util_vec_free(&db->doc_hoax);
  util_vec_free(&db->set_off);
  util_vec_free(&db->sets);
  similar_lsh_free(db->lsh);
  similar_pf_free(a, &db->pf);
  util_free(a, db);
}

size_t similar_hoaxdb_count(const similar_hoaxdb *db) { return db ? db->n : 0; }
size_t similar_hoaxdb_docs(const similar_hoaxdb *db) { return db ? db->doc_hoax.len : 0; }
const similar_hoax *similar_hoaxdb_get(const similar_hoaxdb *db, size_t i) {
  return db && i < db->n ? &db->hoax[i] : NULL;
}

size_t similar_hoaxdb_bytes(const similar_hoaxdb *db) {
  if (!db) return 0;
  size_t b = sizeof *db + db->n * sizeof(similar_hoax) + db->strings_bytes +
             db->doc_hoax.cap * sizeof(uint32_t) + db->set_off.cap * sizeof(uint32_t) +
             db->sets.cap * sizeof(uint32_t);
  return b + similar_lsh_bytes(db->lsh) + similar_pf_bytes(&db->pf);
}

/* Build state shared by the loaders. */
typedef struct builder {
  similar_hoaxdb *db;
  similar_tokens tok;
  util_buf canon;
  util_vec sh;
  util_vec keys; /* band keys of every doc */
} builder;

static int canonical(builder *b, const char *s, size_t len, const char **out, size_t *olen) {
  const similar_hoaxdb_opts *o = &b->db->opts;
  if (!o->canon) { *out = s; *olen = len; return 0; }
  util_buf_reset(&b->canon);
  int rc = o->canon(s, len, &b->canon, o->canon_ctx);
  if (rc < 0) return rc;
  *out = b->canon.data ? b->canon.data : "";
  *olen = b->canon.len;
  return 0;
}

/* Indexes one claim or variant text as a document of hoax h. */
static int add_doc(builder *b, uint32_t h, const char *text) {
  similar_hoaxdb *db = b->db;
  const char *c;
  size_t cl;
  int rc;
  TRY(canonical(b, text, strlen(text), &c, &cl));
  TRY(similar_tokenize(c, cl, &b->tok));
  if (b->tok.n < SIMILAR_HOAX_MIN_TOKENS) return 0; /* too short to match safely */
  b->sh.len = 0;
  TRY(similar_shingles(&b->tok, 0, b->tok.n, db->opts.k, &b->sh));
  similar_set_sort(&b->sh);
  uint32_t sig[SIMILAR_NHASH];
  similar_minhash_perm(&db->perm, b->sh.data, b->sh.len, sig);
  uint32_t *k = util_vec_grow(&b->keys, db->bands);
  if (!k) return NP_ENOMEM;
  for (unsigned i = 0; i < db->bands; i++) k[i] = similar_band_key(sig, i, db->rows);
  uint32_t *dst = util_vec_grow(&db->sets, b->sh.len);
  if (!dst && b->sh.len) return NP_ENOMEM;
  if (b->sh.len) memcpy(dst, b->sh.data, b->sh.len * sizeof *dst);
  uint32_t end = (uint32_t)db->sets.len;
  TRY(util_vec_push(&db->set_off, &end));
  TRY(util_vec_push(&db->doc_hoax, &h));
  return 0;
fail:
  return rc;
}

static char *dup_field(builder *b, const char *s) {
  if (!s) s = "";
  b->db->strings_bytes += strlen(s) + 1;
  return util_strdup(b->db->alloc, s);
}

/* Copies one input record into db->hoax[db->n] and indexes its texts. */
static int add_record(builder *b, const similar_hoax_input *in, np_error *err, const char *file,
                      int line) {
  similar_hoaxdb *db = b->db;
  const np_allocator *a = db->alloc;
  int rc = 0;
  int cat = parse_category(in->category);
  if (!in->id || !*in->id || !in->claim || !*in->claim)
    return util_err_at(err, NP_EFIELD, file, line, 0, "hoax record needs \"id\" and \"claim\"");
  if (cat < 0)
    return util_err_at(err, NP_EFIELD, file, line, 0,
                       "hoax %s: unknown category \"%s\" (disaster, public_security, "
                       "finance_policy, epidemic)", in->id, in->category ? in->category : "");
  similar_hoax *h = &db->hoax[db->n];
  memset(h, 0, sizeof *h);
  db->n++;
  h->category = cat;
  h->id = dup_field(b, in->id);
  h->claim = dup_field(b, in->claim);
  h->debunk_url = dup_field(b, in->debunk_url);
  h->debunked_by = dup_field(b, in->debunked_by);
  h->date = dup_field(b, in->date);
  if (!h->id || !h->claim || !h->debunk_url || !h->debunked_by || !h->date)
    return util_err(err, NP_ENOMEM, "out of memory");
  if (in->n_entities) {
    h->entities = util_calloc(a, in->n_entities, sizeof *h->entities);
    if (!h->entities) return util_err(err, NP_ENOMEM, "out of memory");
    for (size_t i = 0; i < in->n_entities; i++) {
      const char *c;
      size_t cl;
      if ((rc = canonical(b, in->entities[i], strlen(in->entities[i]), &c, &cl)) < 0 ||
          (rc = similar_tokenize(c, cl, &b->tok)) < 0)
        return util_err(err, rc, "out of memory");
      if (!b->tok.n) continue;
      h->entities[h->n_entities] = util_strndup(a, b->tok.clean.data, b->tok.clean.len);
      if (!h->entities[h->n_entities]) return util_err(err, NP_ENOMEM, "out of memory");
      b->db->strings_bytes += b->tok.clean.len + 1;
      h->n_entities++;
    }
  }
  uint32_t hi = (uint32_t)(db->n - 1);
  if ((rc = add_doc(b, hi, in->claim)) < 0) return util_err(err, rc, "out of memory");
  for (size_t i = 0; i < in->n_variants; i++)
    if ((rc = add_doc(b, hi, in->variants[i])) < 0) return util_err(err, rc, "out of memory");
  return 0;
}

static int builder_start(const np_allocator *a, const similar_hoaxdb_opts *o, size_t cap,
                         builder *b, np_error *err) {
  memset(b, 0, sizeof *b);
  similar_hoaxdb *db = util_calloc(a, 1, sizeof *db);
  if (!db) return util_err(err, NP_ENOMEM, "out of memory");
  db->alloc = a;
  if (o) db->opts = *o;
  else similar_hoaxdb_opts_init(&db->opts);
  if (!db->opts.k) db->opts.k = 2;
  similar_perm_init(&db->perm, db->opts.seed);
  /* LSH target below the verification threshold: windows of a post that
   * contain the claim have Jaccard a little under its containment. */
  similar_lsh_choose(db->opts.threshold - 0.1, &db->bands, &db->rows);
  db->hoax = util_calloc(a, cap ? cap : 1, sizeof *db->hoax);
  util_vec_init(&db->doc_hoax, a, sizeof(uint32_t));
  util_vec_init(&db->set_off, a, sizeof(uint32_t));
  util_vec_init(&db->sets, a, sizeof(uint32_t));
  b->db = db;
  similar_tokens_init(&b->tok, a);
  util_buf_init(&b->canon, a, 0);
  util_vec_init(&b->sh, a, sizeof(uint32_t));
  util_vec_init(&b->keys, a, sizeof(uint32_t));
  uint32_t zero = 0;
  if (!db->hoax || util_vec_push(&db->set_off, &zero) < 0)
    return util_err(err, NP_ENOMEM, "out of memory");
  return 0;
}

static void builder_end(builder *b) {
  similar_tokens_free(&b->tok);
  util_buf_free(&b->canon);
  util_vec_free(&b->sh);
  util_vec_free(&b->keys);
}

/* Shared shingles that any match of each doc implies.  A match needs
 * max(J, containment) >= the doc's lowest threshold, and J <= containment,
 * so it needs |D ∩ P| / |D| >= θ: t_D is the least count that passes the
 * very comparison hoax_match.c makes. */
static int build_prefilter(similar_hoaxdb *db, np_error *err) {
  size_t docs = db->doc_hoax.len;
  const uint32_t *off = db->set_off.data, *dh = db->doc_hoax.data;
  uint32_t *t = util_malloc(db->alloc, (docs ? docs : 1) * sizeof *t);
  if (!t) return util_err(err, NP_ENOMEM, "out of memory");
  for (size_t d = 0; d < docs; d++) {
    double th = db->opts.threshold;
    if (db->hoax[dh[d]].n_entities && db->opts.entity_threshold < th) th = db->opts.entity_threshold;
    size_t ns = off[d + 1] - off[d], k = 0;
    if (th > 0 && !ns) {
      k = 1; /* an empty set scores 0: never a match */
    } else if (th > 0) {
      double f = th * (double)ns;
      k = f > (double)ns + 1 ? ns + 1 : (size_t)f;
      while (k > 0 && (double)(k - 1) / (double)ns >= th) k--;
      while (k <= ns && (double)k / (double)ns < th) k++;
    }
    t[d] = (uint32_t)k;
  }
  int rc = similar_pf_build(db->alloc, off, db->sets.data, docs, t, &db->pf);
  util_free(db->alloc, t);
  return rc < 0 ? util_err(err, rc, "out of memory building the hoax prefilter") : 0;
}

static int builder_finish(builder *b, similar_hoaxdb **out, np_error *err) {
  similar_hoaxdb *db = b->db;
  int rc = similar_lsh_build(db->alloc, b->keys.data, db->doc_hoax.len, db->bands, db->rows,
                             &db->lsh, err);
  if (rc == 0) rc = build_prefilter(db, err);
  builder_end(b);
  if (rc < 0) { similar_hoaxdb_free(db); return rc; }
  *out = db;
  return 0;
}

int similar_hoaxdb_build(const np_allocator *a, const similar_hoax_input *in, size_t n,
                         const similar_hoaxdb_opts *o, similar_hoaxdb **out, np_error *err) {
  builder b;
  *out = NULL;
  int rc = builder_start(a, o, n, &b, err);
  for (size_t i = 0; rc == 0 && i < n; i++) rc = add_record(&b, &in[i], err, "", 0);
  if (rc < 0) {
    similar_hoaxdb *db = b.db;
    builder_end(&b);
    similar_hoaxdb_free(db);
    return rc;
  }
  return builder_finish(&b, out, err);
}

/* Reads an optional array of strings; returns count or -1 if mistyped. */
static long str_array(json_t *arr, const char **dst, size_t cap) {
  if (!arr) return 0;
  if (!json_is_array(arr)) return -1;
  size_t n = json_array_size(arr);
  if (n > cap) n = cap;
  for (size_t i = 0; i < n; i++) {
    dst[i] = json_string_value(json_array_get(arr, i));
    if (!dst[i]) return -1;
  }
  return (long)n;
}

static const char *opt_str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

int similar_hoaxdb_load(const np_allocator *a, const char *file, const char *src, size_t len,
                        const similar_hoaxdb_opts *o, similar_hoaxdb **out, np_error *err) {
  builder b;
  *out = NULL;
  size_t lines = 1;
  for (size_t i = 0; i < len; i++) lines += src[i] == '\n';
  int rc = builder_start(a, o, lines, &b, err);
  size_t pos = 0;
  int line = 0;
  enum { MAXV = 64 };
  const char *variants[MAXV], *entities[MAXV];
  while (rc == 0 && pos < len) {
    const char *nl = memchr(src + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - src) : len;
    const char *l = src + pos;
    size_t ll = end - pos;
    pos = end + 1;
    line++;
    size_t s = 0;
    while (s < ll && (l[s] == ' ' || l[s] == '\t' || l[s] == '\r')) s++;
    if (s == ll || l[s] == '#') continue; /* blank lines and comments */
    json_error_t je;
    json_t *j = json_loadb(l, ll, 0, &je);
    if (!j || !json_is_object(j)) {
      rc = util_err_at(err, NP_EJSON, file, line, j ? 1 : je.column,
                       "hoax database: %s", j ? "record is not an object" : je.text);
      json_decref(j);
      break;
    }
    similar_hoax_input in = {0};
    in.id = opt_str(j, "id");
    in.claim = opt_str(j, "claim");
    in.category = opt_str(j, "category");
    in.debunk_url = opt_str(j, "debunk_url");
    in.debunked_by = opt_str(j, "debunked_by");
    in.date = opt_str(j, "date");
    long nv = str_array(json_object_get(j, "variants"), variants, MAXV);
    long ne = str_array(json_object_get(j, "entities"), entities, MAXV);
    if (nv < 0 || ne < 0) {
      rc = util_err_at(err, NP_EFIELD, file, line, 0,
                       "hoax database: \"variants\" and \"entities\" must be arrays of strings");
    } else {
      in.variants = variants;
      in.n_variants = (size_t)nv;
      in.entities = entities;
      in.n_entities = (size_t)ne;
      for (size_t i = 0; rc == 0 && in.id && i < b.db->n; i++)
        if (!strcmp(b.db->hoax[i].id, in.id))
          rc = util_err_at(err, NP_EFIELD, file, line, 0, "hoax database: duplicate id \"%s\"",
                           in.id);
      if (rc == 0) rc = add_record(&b, &in, err, file, line);
    }
    json_decref(j);
  }
  if (rc < 0) {
    similar_hoaxdb *db = b.db;
    builder_end(&b);
    similar_hoaxdb_free(db);
    return rc;
  }
  return builder_finish(&b, out, err);
}
