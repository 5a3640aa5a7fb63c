/* coord_api.c — the public face of the coordination window: posts come in
 * input order, each keeps a pending record until its verdict is written, and
 * a post is final once no later post within the disorder bound can link to it
 * (time + W < max_time_seen - disorder) or the input has ended. */
#include <string.h>
#include "similar/coord_int.h"

static pending *find(const similar_coord *c, uint64_t seq) {
  pending *p = c->pend.data;
  size_t lo = c->pend_head, hi = c->pend.len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (p[mid].seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo < c->pend.len && p[lo].seq == seq && !p[lo].released ? &p[lo] : NULL;
}

int similar_coord_add(similar_coord *c, uint64_t seq, const char *author, int64_t time,
                      const char *text, size_t len, const char *target, int abusive) {
  if (c->pend.len > c->pend_head && seq <= c->last_seq) return NP_EINVAL;
  c->last_seq = seq;
  pending *p = util_vec_grow(&c->pend, 1);
  if (!p) return NP_ENOMEM;
  memset(p, 0, sizeof *p);
  p->seq = seq;
  p->time = time;
  p->entry = -1;
  p->abusive = abusive;
  /* Posts without an author count as one shared "anonymous" account. */
  p->author = author ? util_hash64(author, strlen(author), 0x61757468ULL) : 0;
  size_t tl = 0;
  if (!target || !*target) {
    target = similar_first_mention(text, len, &tl);
  } else {
    tl = strlen(target);
  }
  if (target && abusive) {
    p->target = util_strndup(c->alloc, target, tl);
    if (!p->target) return NP_ENOMEM;
  }
  if (time == 0) return 0; /* unknown time: never clustered */
  if (time > c->max_time) c->max_time = time;
  int rc = similar_coord_index(c, p, text, len);
  if (rc < 0) return rc;
  p = &UTIL_VEC_AT(&c->pend, pending, c->pend.len - 1);
  if (p->target) rc = similar_pileon_add(c, p);
  if (c->n_indexed > c->peak_indexed) c->peak_indexed = c->n_indexed;
  similar_coord_stats st;
  similar_coord_get_stats(c, &st);
  if (st.bytes > c->peak_bytes) c->peak_bytes = st.bytes;
  return rc;
}

int similar_coord_final(const similar_coord *c, uint64_t seq) {
  const pending *p = find(c, seq);
  if (!p || c->finished || p->time == 0) return 1;
  return p->time + c->o.window_s < c->max_time - c->disorder;
}

void similar_coord_finish(similar_coord *c) { c->finished = 1; }

int similar_coord_get(const similar_coord *c0, uint64_t seq, similar_coord_info *info) {
  similar_coord *c = (similar_coord *)c0; /* path compression only */
  memset(info, 0, sizeof *info);
  pending *p = find(c, seq);
  if (!p) return NP_ENOTFOUND;
  similar_coord_cluster_info(c, p->entry, info);
  if (p->target && p->time) {
    info->target = p->target;
    info->pileon_accounts = similar_pileon_count(c, p);
    info->pileon = info->pileon_accounts >= c->o.pileon_accounts;
  }
  return 0;
}

void similar_coord_release(similar_coord *c, uint64_t seq) {
  pending *p = find(c, seq);
  if (!p) return;
  p->released = 1;
  util_free(c->alloc, p->target);
  p->target = NULL;
  similar_coord_entry_release(c, p->entry);
  pending *all = c->pend.data;
  while (c->pend_head < c->pend.len && all[c->pend_head].released) c->pend_head++;
  if (c->pend_head == c->pend.len) {
    c->pend.len = c->pend_head = 0;
  } else if (c->pend_head > 1024 && c->pend_head * 2 > c->pend.len) {
    memmove(all, all + c->pend_head, (c->pend.len - c->pend_head) * sizeof *all);
    c->pend.len -= c->pend_head;
    c->pend_head = 0;
  }
}
