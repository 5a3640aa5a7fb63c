/* detect — personal-data and indicator detectors (DESIGN §2 "detect").
 * Validators that regexes alone cannot do (MOD 11-2, Luhn + BIN, segment
 * tables, USCC, HKID/TW checks, base58check/bech32) run over the canonical
 * text and produce typed indicators with canonical and masked values.
 * Depends on util and text only; its reference tables are generated at build
 * time (gen_tables.py) and are static const data.  Contract for the engine. */
#ifndef NP_DETECT_H
#define NP_DETECT_H
#include <stddef.h>
#include <stdint.h>
#include "netpatrol.h"
#include "util/util.h"

/* Indicator types.  The registry (registry.c) gives each its name, its
 * masking style and the counters it feeds; order = precedence classes. */
#define DETECT_TYPE_MAP(XX)                                  \
  XX(CN_ID, "cn_id")                 /* 18/15-digit resident ID */ \
  XX(CN_ID_MASKED, "cn_id_masked")   /* 110105********1239 */ \
  XX(FPR_CARD, "fpr_card")           /* foreigner permanent residence (9...) */ \
  XX(MOBILE, "phone")                /* mainland mobile */ \
  XX(MOBILE_MASKED, "phone_masked")  /* 138****8000 */ \
  XX(LANDLINE, "landline")                                \
  XX(SERVICE_PHONE, "service_phone") /* 400/800/95xxx/96110/123xx */ \
  XX(BANK_CARD, "bank_card")                              \
  XX(BANK_CARD_MASKED, "bank_card_masked")                \
  XX(USCC, "uscc")                                        \
  XX(HKID, "hkid")                                        \
  XX(TW_ID, "tw_id")                                      \
  XX(PASSPORT, "passport")                                \
  XX(PERMIT, "permit")               /* 回乡证/通行证 numbers */ \
  XX(QQ, "qq")                                            \
  XX(WECHAT, "wechat")                                    \
  XX(ALIPAY, "alipay")                                    \
  XX(TELEGRAM, "telegram")                                \
  XX(EMAIL, "email")                                      \
  XX(URL, "url")                                          \
  XX(DOMAIN, "domain")                                    \
  XX(IPV4, "ipv4")                                        \
  XX(IPV6, "ipv6")                                        \
  XX(BTC, "btc")                                          \
  XX(ETH, "eth")                                          \
  XX(TRON, "tron")                                        \
  XX(PLATE, "plate")                                      \
  XX(ADDRESS, "address")

typedef enum {
#define DETECT_XX_ENUM(id, name) DETECT_##id,
  DETECT_TYPE_MAP(DETECT_XX_ENUM)
#undef DETECT_XX_ENUM
  DETECT_N_TYPES
} detect_type;

/* Registry entry: one per type, static const (registry.c). */
typedef struct detect_type_info {
  const char *name;   /* "cn_id": the indicator type in verdict JSON */
  uint8_t contact;    /* counts toward indicator.contact */
  uint8_t pii;        /* identifies a person (doxxing weight > 0) */
  uint8_t weight;     /* doxxing weight, domain.md §1.7 */
} detect_type_info;
const detect_type_info *detect_type_get(detect_type t);

/* Named values the stage produces (registered by the engine seam). */
#define DETECT_VALUE_MAP(XX)                                                       \
  XX(CN_ID, "pii.cn_id")                 /* full valid IDs (18/15, HK/MO/TW permits) */ \
  XX(CN_ID_MASKED, "pii.cn_id_masked")                                             \
  XX(PHONE, "pii.phone")                 /* personal mobiles + landlines */        \
  XX(PHONE_MASKED, "pii.phone_masked")                                             \
  XX(BANK_CARD, "pii.bank_card")                                                   \
  XX(ADDRESS, "pii.address")             /* finest address level 0..3 */           \
  XX(NAME_NEAR_ID, "pii.name_near_id")   /* 1 if a person name is bound to an ID/phone */ \
  XX(PLATE, "pii.plate")                                                           \
  XX(DOC_ID, "pii.doc_id")               /* passports, permits, HKID, TW ID */     \
  XX(EMAIL, "pii.email")                                                           \
  XX(MINOR, "pii.minor")                 /* 1 if an ID's holder is under 18 */     \
  XX(STRONG_TYPES, "pii.strong_types")   /* distinct strong identifier kinds */    \
  XX(SCORE, "pii.score")                 /* summed doxxing weights, §1.7 */        \
  XX(SERVICE, "indicator.service_phone") /* 400/95xxx/hotlines: business/official */ \
  XX(USCC, "indicator.uscc")                                                       \
  XX(CONTACT, "indicator.contact")       /* phones+QQ+WeChat+Telegram+e-mail+URLs */ \
  XX(IM, "indicator.im")                 /* QQ + WeChat + Telegram */              \
  XX(URL, "indicator.url")               /* URLs + bare domains */                 \
  XX(IP, "indicator.ip")                                                           \
  XX(CRYPTO, "indicator.crypto")                                                   \
  XX(ALIPAY, "indicator.alipay")                                                   \
  XX(TOTAL, "indicator.count")

typedef enum {
#define DETECT_XX_VENUM(id, name) DETECT_V_##id,
  DETECT_VALUE_MAP(DETECT_XX_VENUM)
#undef DETECT_XX_VENUM
  DETECT_N_VALUES
} detect_value;
/* Name of a value ("pii.cn_id"). */
const char *detect_value_name(detect_value v);

/* The canonical text a detector run reads, with the optional map back to the
 * original text (text_norm_out fields).  With flags == NULL the canonical text
 * IS the original (unit tests, tools): offsets map one to one. */
typedef struct detect_input {
  const char *text;          /* canonical UTF-8 */
  size_t len;
  const uint8_t *flags;      /* TEXT_F_* per canonical byte, or NULL */
  const uint32_t *orig_start;/* per canonical byte, or NULL */
  const uint32_t *orig_end;
  const char *orig;          /* original text (for case-sensitive values and removed noise) */
  size_t orig_len;
  int64_t now;               /* seconds since the epoch: birth dates after it are invalid */
  unsigned hints;            /* DETECT_HINT_* when DETECT_HINTS_VALID is set (0: compute) */
} detect_input;

/* The characters an address the address detector reports can end with: a
 * house number (号), a unit (栋 幢 座 单元 室 层 楼) or a rural group (组).
 * Every one is a 3-byte UTF-8 character.  NULL-terminated. */
extern const char *const detect_address_enders[];

/* What the text contains, when the caller already knows (the engine learns it
 * from its one matcher scan): detect_run then skips the scanners that could
 * find nothing.  Without DETECT_HINTS_VALID detect_run works it out itself. */
enum {
  DETECT_HINT_DIGIT = 1,   /* an ASCII digit (numerals of a number are folded to digits) */
  DETECT_HINT_ALPHA = 2,   /* an ASCII letter */
  DETECT_HINT_ADDRESS = 4, /* one of detect_address_enders */
  DETECT_HINTS_VALID = 8
};

#define DETECT_VALUE_MAX 160
/* One finding.  Values are NUL-terminated copies (the masked one is built
 * before anything is written anywhere). */
typedef struct detect_item {
  detect_type type;
  uint32_t cstart, cend;     /* canonical byte span */
  uint32_t start, end;       /* original byte span */
  float confidence;          /* 0..1 */
  uint8_t flags;             /* DETECT_I_* */
  char value[DETECT_VALUE_MAX];
  char masked[DETECT_VALUE_MAX];
} detect_item;

enum {
  DETECT_I_MINOR = 1,        /* cn_id whose holder is under 18 */
  DETECT_I_EXAMPLE = 2,      /* a well-known published example number */
};

/* Per-thread working state; reused from post to post. */
typedef struct detect_scratch {
  util_vec items;            /* detect_item, in canonical order */
  util_vec ctx;              /* context keyword hits (private) */
  double values[DETECT_N_VALUES];
} detect_scratch;

void detect_scratch_init(detect_scratch *s, const np_allocator *a);
void detect_scratch_free(detect_scratch *s);

/* Runs every detector over in and fills s->items and s->values (previous
 * contents are dropped).  Returns 0 or NP_ENOMEM.  Thread-safe with distinct
 * scratches; reads only static const tables. */
int detect_run(const detect_input *in, detect_scratch *s, np_error *err);

/* ---- validators (pure; used by detect_run, tests and tools) ------------ */

/* Resident ID: s = 18 chars (last may be x/X) or 15 digits.  Returns 1 if the
 * check digit, division code and birth date hold; writes the 18-char
 * canonical form (upper-case X) to out18 (19 bytes) when non-NULL, and the
 * birth date as YYYYMMDD to *birth when non-NULL.  now: epoch seconds
 * (0 = do not check the future). */
int detect_cn_id_check(const char *s, size_t n, int64_t now, char *out18, uint32_t *birth);
/* 1 if the 6-digit code is or was a GB/T 2260 division (or an accepted
 * fallback: 810000/820000/830000, known prefecture + 00/01). */
int detect_division_known(uint32_t code);
/* 1 if the 2-digit code is a province of provinces.tsv. */
int detect_province_known(unsigned code2);
/* 1 if y-m-d is a real calendar date. */
int detect_date_valid(int y, int m, int d);
/* Luhn over n ASCII digits. */
int detect_luhn(const char *s, size_t n);
/* Bank name for the longest known BIN prefix of an n-digit PAN, or NULL;
 * *prefix_len (may be NULL) gets the length of that prefix. */
const char *detect_bin_lookup(const char *s, size_t n, size_t *prefix_len);
/* Mobile: 11 ASCII digits → kind (0 mobile, 1 virtual, 2 data, 3 satellite,
 * 4 unknown) or -1 if the segment is unassigned. */
int detect_mobile_kind(const char *s11);
/* Landline: digits with the trunk 0 (e.g. "01062345678"); returns the area code
 * length (3 or 4 incl. the 0) or 0 if not a landline. */
int detect_landline_split(const char *s, size_t n);
/* USCC (18 chars, upper case): 1 if both check characters hold. */
int detect_uscc_check(const char *s, size_t n);
/* HKID: letters + 6 digits + check (no brackets), e.g. "A1234563". */
int detect_hkid_check(const char *s, size_t n);
/* Taiwan ID: letter + 9 digits. */
int detect_tw_id_check(const char *s, size_t n);
/* Crypto addresses on the original (case-sensitive) text. */
int detect_btc_check(const char *s, size_t n);
int detect_tron_check(const char *s, size_t n);
int detect_eth_check(const char *s, size_t n);
/* Writes the masked form of value for type t into out (size >= DETECT_VALUE_MAX). */
void detect_mask(detect_type t, const char *value, char *out);
#endif
