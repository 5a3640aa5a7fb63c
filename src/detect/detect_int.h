/* detect_int.h — private to src/detect/: helpers shared by the detector
 * files (table lookups, context keywords, item emission). */
#ifndef NP_DETECT_INT_H
#define NP_DETECT_INT_H
#include "detect/detect.h"

/* 2 = exact code, 1 = accepted fallback (prefecture 00/01, 9000 blocks), 0 = unknown. */
int detect_division_level(uint32_t code);
/* Bytes of the province plate character at p (0 if none). */
int detect_plate_char(const char *p, size_t avail);

/* Context keyword classes found in the text (context.c). */
enum {
  DETECT_CTX_ID = 0,     /* 身份证 证件号 */
  DETECT_CTX_BANK,       /* 卡号 开户行 银行 */
  DETECT_CTX_QQ,         /* qq 扣扣 企鹅 */
  DETECT_CTX_WECHAT,     /* 微信 vx wx v信 加v */
  DETECT_CTX_ALIPAY,     /* 支付宝 */
  DETECT_CTX_TELEGRAM,   /* 飞机 tg telegram */
  DETECT_CTX_PASSPORT,   /* 护照 passport */
  DETECT_CTX_PERMIT,     /* 通行证 回乡证 台胞证 */
  DETECT_CTX_PHONE,      /* 电话 手机 */
  DETECT_CTX_NAME,       /* 姓名 */
  DETECT_CTX_IP,         /* ip地址 */
  DETECT_CTX_N
};
typedef struct detect_ctx_hit {
  uint8_t kind;
  uint32_t start, end;   /* canonical bytes */
} detect_ctx_hit;

/* Collects keyword hits into s->ctx (one pass). */
int detect_context_scan(const detect_input *in, detect_scratch *s);
/* 1 if a keyword of kind ends within `before` bytes before pos (or starts
 * within `after` bytes after end). */
int detect_context_near(const detect_scratch *s, int kind, uint32_t pos, uint32_t end,
                        uint32_t before, uint32_t after);

/* Appends an item; value is copied and masked.  Returns 0 or NP_ENOMEM. */
int detect_emit(const detect_input *in, detect_scratch *s, detect_type t, uint32_t cstart,
                uint32_t cend, float conf, const char *value, uint8_t flags);
/* 1 if [cstart, cend) overlaps an item already emitted. */
int detect_overlaps(const detect_scratch *s, uint32_t cstart, uint32_t cend);

/* The individual scanners (one file each). */
int detect_scan_digits(const detect_input *in, detect_scratch *s);
int detect_scan_ascii(const detect_input *in, detect_scratch *s);
int detect_scan_plates(const detect_input *in, detect_scratch *s);
int detect_scan_address(const detect_input *in, detect_scratch *s);
/* Returns 1 if a person name is bound to an ID/phone item. */
int detect_name_near_id(const detect_input *in, const detect_scratch *s);

/* Foreigner permanent-residence card (2023): MOD 11-2 + province + date. */
int detect_fpr_check(const char *s, size_t n, int64_t now);
/* Age in whole years at now of a YYYYMMDD birth date (-1 if now is 0). */
int detect_age(uint32_t birth, int64_t now);

/* SHA-256 (crypto address checksums). */
void detect_sha256(const uint8_t *p, size_t n, uint8_t out[32]);

/* A 256-bit filter over the first UTF-8 character of a word list, so scans
 * only look words up at characters that can start one. */
typedef struct detect_bloom {
  uint64_t w[4];
} detect_bloom;
static inline unsigned detect_key(const unsigned char *p, size_t avail) {
  uint32_t k = p[0] < 0x80 || avail < 3 ? p[0] : (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
  return (unsigned)((k * 2654435761u) >> 24);
}
static inline void detect_bloom_add(detect_bloom *b, const char *word) {
  unsigned k = detect_key((const unsigned char *)word, 3);
  b->w[k >> 6] |= 1ull << (k & 63);
}
static inline int detect_bloom_has(const detect_bloom *b, const char *p, size_t avail) {
  unsigned k = detect_key((const unsigned char *)p, avail);
  return (int)(b->w[k >> 6] >> (k & 63) & 1);
}

/* ASCII helpers */
static inline int detect_isdigit(int c) { return c >= '0' && c <= '9'; }
static inline int detect_isalpha(int c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static inline int detect_isalnum(int c) { return detect_isdigit(c) || detect_isalpha(c); }
#endif
