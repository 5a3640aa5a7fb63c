/* pileon.c — pile-on tracking: abusive posts aimed at one target (reply_to
 * or the first @mention) are kept per target for the window, so a post's
 * verdict can say how many distinct accounts attacked the same target
 * within W of it.  Events older than two windows behind the stream are
 * dropped, and empty targets are swept away periodically (bounded memory). */
#include <stdlib.h>
#include <string.h>
#include "similar/coord_int.h"

int similar_pileon_init(similar_coord *c) {
  util_vec_init(&c->targets, c->alloc, sizeof(pile_target));
  c->tmap_size = 1024;
  c->tmap = util_malloc(c->alloc, c->tmap_size * sizeof *c->tmap);
  if (!c->tmap) return NP_ENOMEM;
  memset(c->tmap, 0xff, c->tmap_size * sizeof *c->tmap);
  return 0;
}

void similar_pileon_free(similar_coord *c) {
  pile_target *t = c->targets.data;
  for (size_t i = 0; i < c->targets.len; i++) util_vec_free(&t[i].events);
  util_vec_free(&c->targets);
  util_free(c->alloc, c->tmap);
}

static int name_char(int32_t d) {
  return d == '_' || d == '-' || (d >= '0' && d <= '9') || (d >= 'a' && d <= 'z') ||
         (d >= 'A' && d <= 'Z') || (d >= 0x3400 && d <= 0x9FFF) || (d >= 0xFF10 && d <= 0xFF5A);
}

const char *similar_first_mention(const char *text, size_t len, size_t *name_len) {
  for (size_t i = 0; i < len;) {
    int32_t c = util_utf8_next(text, len, &i);
    if (c != '@' && c != 0xFF20) continue;
    size_t s = i, e = i, n = 0;
    while (e < len && n < 30) {
      size_t k = e;
      int32_t d = util_utf8_next(text, len, &k);
      if (d < 0 || !name_char(d)) break;
      e = k;
      n++;
    }
    if (n) { *name_len = e - s; return text + s; }
  }
  return NULL;
}

static int64_t horizon(const similar_coord *c) {
  return c->max_time - c->disorder - 2 * c->o.window_s;
}

static void prune(similar_coord *c, pile_target *t) {
  int64_t h = horizon(c);
  pile_event *ev = t->events.data;
  size_t o = 0;
  for (size_t i = 0; i < t->events.len; i++)
    if (ev[i].time >= h) ev[o++] = ev[i];
  c->pileon_bytes -= (t->events.len - o) * sizeof *ev;
  t->events.len = o;
}

static int rebuild(similar_coord *c, size_t size) {
  int32_t *m = util_malloc(c->alloc, size * sizeof *m);
  if (!m) return NP_ENOMEM;
  memset(m, 0xff, size * sizeof *m);
  pile_target *t = c->targets.data;
  for (size_t i = 0; i < c->targets.len; i++) {
    size_t j = t[i].hash & (size - 1);
    while (m[j] >= 0) j = (j + 1) & (size - 1);
    m[j] = (int32_t)i;
  }
  util_free(c->alloc, c->tmap);
  c->tmap = m;
  c->tmap_size = size;
  return 0;
}

/* Drops old events everywhere and forgets targets left with none. */
static int sweep(similar_coord *c) {
  pile_target *t = c->targets.data;
  size_t o = 0;
  for (size_t i = 0; i < c->targets.len; i++) {
    prune(c, &t[i]);
    if (t[i].events.len) t[o++] = t[i];
    else util_vec_free(&t[i].events);
  }
  c->targets.len = o;
  size_t size = 1024;
  while (size < 2 * o) size *= 2;
  return rebuild(c, size);
}

static pile_target *lookup(similar_coord *c, uint64_t h, int create) {
  size_t j = h & (c->tmap_size - 1);
  pile_target *t = c->targets.data;
  for (; c->tmap[j] >= 0; j = (j + 1) & (c->tmap_size - 1))
    if (t[c->tmap[j]].hash == h) return &t[c->tmap[j]];
  if (!create) return NULL;
  pile_target *n = util_vec_grow(&c->targets, 1);
  if (!n) return NULL;
  n->hash = h;
  util_vec_init(&n->events, c->alloc, sizeof(pile_event));
  c->tmap[j] = (int32_t)(c->targets.len - 1);
  if (2 * c->targets.len > c->tmap_size && rebuild(c, c->tmap_size * 2) < 0) {
    c->targets.len--;
    return NULL;
  }
  return &UTIL_VEC_AT(&c->targets, pile_target, c->targets.len - 1);
}

static uint64_t target_hash(const char *s) {
  return util_hash64(s, strlen(s), 0x7461726774ULL);
}

int similar_pileon_add(similar_coord *c, const pending *p) {
  if (++c->pile_adds % 4096 == 0 && sweep(c) < 0) return NP_ENOMEM;
  pile_target *t = lookup(c, target_hash(p->target), 1);
  if (!t) return NP_ENOMEM;
  prune(c, t);
  pile_event ev = {p->time, p->author};
  if (util_vec_push(&t->events, &ev) < 0) return NP_ENOMEM;
  c->pileon_bytes += sizeof ev;
  return 0;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

unsigned similar_pileon_count(similar_coord *c, const pending *p) {
  pile_target *t = lookup(c, target_hash(p->target), 0);
  if (!t) return 0;
  util_vec a;
  util_vec_init(&a, c->alloc, sizeof(uint64_t));
  const pile_event *ev = t->events.data;
  for (size_t i = 0; i < t->events.len; i++) {
    int64_t dt = ev[i].time - p->time;
    if (dt < 0) dt = -dt;
    if (dt <= c->o.window_s && util_vec_push(&a, &ev[i].author) < 0) break;
  }
  uint64_t *x = a.data;
  if (a.len > 1) qsort(x, a.len, sizeof *x, cmp_u64);
  unsigned n = 0;
  for (size_t i = 0; i < a.len; i++) n += i == 0 || x[i] != x[i - 1];
  util_vec_free(&a);
  return n;
}
