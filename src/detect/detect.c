/* detect.c — runs the detectors over one post's canonical text (context
 * words first, then URLs/e-mail/crypto, digit runs, plates, addresses) and
 * turns the findings into the named values rules read (pii.*, indicator.*).
 * Reads only static const tables; all state lives in the caller's scratch. */
#include <string.h>
#include "detect/detect_int.h"

void detect_scratch_init(detect_scratch *s, const np_allocator *a) {
  util_vec_init(&s->items, a, sizeof(detect_item));
  util_vec_init(&s->ctx, a, sizeof(detect_ctx_hit));
  memset(s->values, 0, sizeof s->values);
}

void detect_scratch_free(detect_scratch *s) {
  util_vec_free(&s->items);
  util_vec_free(&s->ctx);
}

int detect_overlaps(const detect_scratch *s, uint32_t cstart, uint32_t cend) {
  const detect_item *it = s->items.data;
  for (size_t i = 0; i < s->items.len; i++)
    if (it[i].cstart < cend && cstart < it[i].cend) return 1;
  return 0;
}

int detect_emit(const detect_input *in, detect_scratch *s, detect_type t, uint32_t cstart,
                uint32_t cend, float conf, const char *value, uint8_t flags) {
  detect_item *it = util_vec_grow(&s->items, 1);
  if (!it) return NP_ENOMEM;
  it->type = t;
  it->cstart = cstart;
  it->cend = cend;
  if (in->orig_start && in->orig_end && cend > cstart) {
    it->start = in->orig_start[cstart];
    it->end = in->orig_end[cend - 1];
  } else {
    it->start = cstart;
    it->end = cend;
  }
  it->confidence = conf;
  it->flags = flags;
  size_t n = strlen(value);
  if (n >= DETECT_VALUE_MAX) {
    /* never cut a UTF-8 character in half */
    n = DETECT_VALUE_MAX - 1;
    while (n > 0 && ((unsigned char)value[n] & 0xC0) == 0x80) n--;
  }
  memcpy(it->value, value, n);
  it->value[n] = '\0';
  detect_mask(t, it->value, it->masked);
  return 0;
}

static int item_cmp_order(const detect_item *a, const detect_item *b) {
  return a->cstart < b->cstart ? -1 : a->cstart > b->cstart;
}

/* Insertion sort: few items per post, mostly in order already. */
static void sort_items(detect_scratch *s) {
  detect_item *it = s->items.data;
  for (size_t i = 1; i < s->items.len; i++) {
    detect_item tmp = it[i];
    size_t k = i;
    while (k > 0 && item_cmp_order(&tmp, &it[k - 1]) < 0) {
      it[k] = it[k - 1];
      k--;
    }
    it[k] = tmp;
  }
}

static void compute_values(const detect_input *in, detect_scratch *s) {
  double *v = s->values;
  const detect_item *it = s->items.data;
  unsigned strong = 0; /* bit per identifier class */
  memset(v, 0, sizeof s->values);
  for (size_t i = 0; i < s->items.len; i++) {
    const detect_item *x = &it[i];
    const detect_type_info *ti = detect_type_get(x->type);
    int example = x->flags & DETECT_I_EXAMPLE;
    v[DETECT_V_TOTAL] += 1;
    if (ti->contact) v[DETECT_V_CONTACT] += 1;
    if (ti->pii && !example) v[DETECT_V_SCORE] += ti->weight;
    if (x->flags & DETECT_I_MINOR) v[DETECT_V_MINOR] = 1;
    switch (x->type) {
    case DETECT_CN_ID:
    case DETECT_FPR_CARD:
      if (!example) v[DETECT_V_CN_ID] += 1, strong |= 1;
      break;
    case DETECT_CN_ID_MASKED: v[DETECT_V_CN_ID_MASKED] += 1, strong |= 1; break;
    case DETECT_MOBILE:
    case DETECT_LANDLINE: v[DETECT_V_PHONE] += 1, strong |= 2; break;
    case DETECT_MOBILE_MASKED: v[DETECT_V_PHONE_MASKED] += 1, strong |= 2; break;
    case DETECT_BANK_CARD: v[DETECT_V_BANK_CARD] += 1, strong |= 4; break;
    case DETECT_BANK_CARD_MASKED: strong |= 4; break;
    case DETECT_SERVICE_PHONE: v[DETECT_V_SERVICE] += 1; break;
    case DETECT_USCC: v[DETECT_V_USCC] += 1; break;
    case DETECT_HKID:
    case DETECT_TW_ID:
    case DETECT_PASSPORT:
    case DETECT_PERMIT: v[DETECT_V_DOC_ID] += 1, strong |= 1; break;
    case DETECT_QQ:
    case DETECT_WECHAT:
    case DETECT_TELEGRAM: v[DETECT_V_IM] += 1; break;
    case DETECT_ALIPAY: v[DETECT_V_ALIPAY] += 1; break;
    case DETECT_EMAIL: v[DETECT_V_EMAIL] += 1; break;
    case DETECT_URL:
    case DETECT_DOMAIN: v[DETECT_V_URL] += 1; break;
    case DETECT_IPV4:
    case DETECT_IPV6: v[DETECT_V_IP] += 1; break;
    case DETECT_BTC:
    case DETECT_ETH:
    case DETECT_TRON: v[DETECT_V_CRYPTO] += 1; break;
    case DETECT_PLATE: v[DETECT_V_PLATE] += 1, strong |= 8; break;
    case DETECT_ADDRESS: {
      double level = x->flags >> 4; /* address.c stores the level in the high bits */
      if (level > v[DETECT_V_ADDRESS]) v[DETECT_V_ADDRESS] = level;
      if (level >= 2) strong |= 16;
      break;
    }
    default: break;
    }
  }
  unsigned k = 0;
  for (unsigned b = strong; b; b &= b - 1) k++;
  v[DETECT_V_STRONG_TYPES] = k;
  v[DETECT_V_NAME_NEAR_ID] = detect_name_near_id(in, s);
}

int detect_run(const detect_input *in, detect_scratch *s, np_error *err) {
  int rc;
  s->items.len = 0;
  memset(s->values, 0, sizeof s->values);
  /* Every detector but the address one needs an ASCII digit or letter in the
   * canonical text (Chinese numerals of a number are already folded to digits),
   * and the address one needs a character that ends an address; most posts have
   * none of these (6% have a digit, 14% a letter in the Weibo corpus): one cheap
   * pass decides which scanners run. */
  unsigned has_digit = 0, has_alpha = 0, has_ender = 0;
  const unsigned char *t = (const unsigned char *)in->text;
  if (in->hints & DETECT_HINTS_VALID) {
    has_digit = (in->hints & DETECT_HINT_DIGIT) != 0;
    has_alpha = (in->hints & DETECT_HINT_ALPHA) != 0;
    has_ender = (in->hints & DETECT_HINT_ADDRESS) != 0;
  }
  for (size_t i = 0; !(in->hints & DETECT_HINTS_VALID) && i < in->len; i++) {
    unsigned c = t[i];
    if (c < 0x80) {
      has_digit |= c - '0' < 10u;
      has_alpha |= (c | 32) - 'a' < 26u;
    } else if (c >= 0xE0 && i + 2 < in->len) {
      for (size_t k = 0; !has_ender && detect_address_enders[k]; k++)
        has_ender = memcmp(t + i, detect_address_enders[k], 3) == 0;
      i += 2;
    }
  }
  s->ctx.len = 0;
  /* plates before digit runs: "京A12345" must not become the hotline 12345 */
  if (((has_digit | has_alpha) && (rc = detect_context_scan(in, s)) < 0) ||
      ((has_digit | has_alpha) && (rc = detect_scan_ascii(in, s)) < 0) ||
      (has_alpha && (rc = detect_scan_plates(in, s)) < 0) ||
      (has_digit && (rc = detect_scan_digits(in, s)) < 0) ||
      (has_ender && (rc = detect_scan_address(in, s)) < 0))
    return util_err(err, rc, "detectors: out of memory");
  sort_items(s);
  compute_values(in, s);
  return 0;
}
