/* coord_int.h — private to src/similar/: the coordination window's layout,
 * shared by coord.c (index and clusters), coord_api.c (pending posts and the
 * public calls) and pileon.c (targets of abuse). */
#ifndef NP_COORD_INT_H
#define NP_COORD_INT_H
#include "similar/similar_int.h"

#define NO_CLUSTER UINT32_MAX

typedef struct entry {   /* an indexed post */
  uint64_t seq, author;
  int64_t time;
  uint32_t *keys;        /* [bands] band keys, then next[bands], then the set (one block) */
  int32_t *next;         /* per band chain link */
  uint32_t *set;
  size_t n_set, block_bytes;
  uint32_t cluster;      /* cluster object (any in its component), NO_CLUSTER if none */
  uint32_t stamp;        /* last probe that saw it (dedupe across bands) */
  uint8_t indexed, released;
} entry;

typedef struct cluster {
  uint32_t parent;       /* union-find */
  uint32_t refs;         /* entries pointing into this component (root only) */
  uint64_t min_seq;      /* cluster id */
  int64_t tmin, tmax;
  unsigned posts;
  int flagged;
  util_vec authors;      /* uint64 sorted distinct author hashes (root only) */
  util_vec absorbed;     /* uint32 cluster objects merged into this root */
} cluster;

typedef struct pending { /* a post whose verdict has not been written yet */
  uint64_t seq, author;
  int64_t time;
  int32_t entry;         /* -1 if not indexed */
  char *target;          /* pile-on target (owned), NULL if none */
  int abusive, released;
} pending;

typedef struct pile_event { int64_t time; uint64_t author; } pile_event;
typedef struct pile_target {
  uint64_t hash;
  util_vec events;       /* pile_event */
} pile_target;

struct similar_coord {
  const np_allocator *alloc;
  similar_coord_opts o;
  int64_t disorder, max_time;
  unsigned bands, rows, bits;
  int32_t *heads;        /* [bands][1 << bits] */
  util_vec entries, free_entries, clusters, free_clusters;
  util_vec fifo;         /* uint32 entry indices in insertion order */
  size_t fifo_head, n_indexed, peak_indexed;
  util_vec pend;         /* pending, in seq order */
  size_t pend_head;
  uint64_t last_seq;
  int finished;
  uint32_t stamp;
  size_t bytes, peak_bytes, evicted_cap, flagged, flagged_total;
  similar_tokens tok;
  util_vec sh;
  similar_perm perm;     /* MinHash permutations for o.seed */
  /* pile-on */
  util_vec targets;      /* pile_target */
  int32_t *tmap;         /* open addressing: index into targets, -1 empty */
  size_t tmap_size, pile_adds, pileon_bytes;
};

int similar_coord_index(similar_coord *c, pending *p, const char *text, size_t len);
void similar_coord_cluster_info(similar_coord *c, int32_t entry, similar_coord_info *info);
void similar_coord_entry_release(similar_coord *c, int32_t entry);

int similar_pileon_init(similar_coord *c);
void similar_pileon_free(similar_coord *c);
/* The first @mention's name in text (pointer into text), or NULL. */
const char *similar_first_mention(const char *text, size_t len, size_t *name_len);
int similar_pileon_add(similar_coord *c, const pending *p);
/* Distinct abusive authors on p's target within W of p. */
unsigned similar_pileon_count(similar_coord *c, const pending *p);
#endif
