/* test_detect.c — unit tests of src/detect: every row of
 * shared/data/ref/test_vectors.tsv, the validators' edge cases, the digit-run
 * scanner (boundaries, separators, masks, evasions via the real normalizer),
 * spans into the original text, masking, and the named values. */
#include <stdlib.h>
#include <string.h>
#include "detect/detect.h"
#include "tests/harness.h"
#include "text/text.h"

#define NOW 1767225600 /* 2026-01-01 */

/* Runs the detectors over plain text (canonical == original). */
static detect_scratch *run_plain(const char *text) {
  static detect_scratch s;
  static int init;
  if (!init) detect_scratch_init(&s, NULL), init = 1;
  detect_input in = {0};
  in.text = text;
  in.len = strlen(text);
  in.orig = text;
  in.orig_len = in.len;
  in.now = NOW;
  if (detect_run(&in, &s, NULL) < 0) return NULL;
  return &s;
}

static const detect_item *find(const detect_scratch *s, detect_type t, size_t nth) {
  const detect_item *it = s->items.data;
  for (size_t i = 0; i < s->items.len; i++)
    if (it[i].type == t && nth-- == 0) return &it[i];
  return NULL;
}

static size_t count(const detect_scratch *s, detect_type t) {
  size_t k = 0;
  const detect_item *it = s->items.data;
  for (size_t i = 0; i < s->items.len; i++) k += it[i].type == t;
  return k;
}

/* ---- test vectors ------------------------------------------------------ */

static const char *shared_dir(void) {
  const char *s = getenv("SHARED");
  return s && *s ? s : "../shared";
}

TEST(test_vectors_tsv) {
  char path[512];
  snprintf(path, sizeof path, "%s/data/ref/test_vectors.tsv", shared_dir());
  FILE *f = fopen(path, "r");
  if (!f) FAIL_AT("cannot open %s", path);
  char line[512];
  int rows = 0, bad = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    line[strcspn(line, "\n")] = '\0';
    char *kind = strtok(line, "\t"), *value = strtok(NULL, "\t"), *expected = strtok(NULL, "\t");
    char *detail = strtok(NULL, "\t");
    if (!kind || !value || !expected) continue;
    rows++;
    int want = strcmp(expected, "invalid") != 0;
    int got = -1;
    size_t n = strlen(value);
    if (!strcmp(kind, "cn_id")) {
      got = detect_cn_id_check(value, n, NOW, NULL, NULL);
    } else if (!strcmp(kind, "uscc")) {
      got = detect_uscc_check(value, n);
    } else if (!strcmp(kind, "bank_card")) {
      got = detect_luhn(value, n);
    } else if (!strcmp(kind, "hkid")) {
      char id[16];
      size_t k = 0;
      for (size_t i = 0; i < n && k < 15; i++)
        if (value[i] != '(' && value[i] != ')') id[k++] = value[i];
      got = detect_hkid_check(id, k);
    } else if (!strcmp(kind, "tw_id")) {
      got = detect_tw_id_check(value, n);
    } else if (!strcmp(kind, "cn_mobile") || !strcmp(kind, "cn_landline")) {
      /* through the scanner: the whole string must become one phone item */
      detect_scratch *s = run_plain(value);
      detect_type t = !strcmp(kind, "cn_landline")   ? DETECT_LANDLINE
                      : !strcmp(expected, "masked") ? DETECT_MOBILE_MASKED
                                                    : DETECT_MOBILE;
      const detect_item *it = find(s, t, 0);
      got = it != NULL;
      if (it && detail && *detail && strcmp(it->value, detail) != 0) {
        fprintf(stderr, "  %s: value %s, want %s\n", value, it->value, detail);
        got = -2;
      }
      /* full-width digits need the normalizer: checked in normalized_forms */
      if ((unsigned char)value[0] >= 0x80) continue;
    }
    if (got != want) {
      fprintf(stderr, "  vector %s %s: got %d want %d\n", kind, value, got, want);
      bad++;
    }
  }
  fclose(f);
  ASSERT(rows >= 50);
  ASSERT_EQ_INT(bad, 0);
}

/* ---- validators ----------------------------------------------------------- */

TEST(cn_id_canonical_and_legacy) {
  char id[19];
  uint32_t birth = 0;
  ASSERT(detect_cn_id_check("110105491231002", 15, NOW, id, &birth));
  ASSERT_STR_EQ(id, "11010519491231002X");
  ASSERT_EQ_INT(birth, 19491231);
  ASSERT(detect_cn_id_check("11010519491231002x", 18, NOW, id, NULL));
  ASSERT_STR_EQ(id, "11010519491231002X");
  /* future relative to now, fine without a clock */
  ASSERT(!detect_cn_id_check("110105203001011231", 18, NOW, NULL, NULL));
  ASSERT(!detect_cn_id_check("1101051990030712", 16, NOW, NULL, NULL));
  ASSERT(!detect_cn_id_check("11010519900307123", 17, NOW, NULL, NULL));
}

TEST(division_codes_history_and_fallbacks) {
  ASSERT(detect_division_known(110105));
  ASSERT(detect_division_known(110103)); /* retired 2010 */
  ASSERT(detect_division_known(440524)); /* retired county */
  ASSERT(detect_division_known(810000));
  ASSERT(!detect_division_known(990105));
  ASSERT(!detect_division_known(119999));
  ASSERT(detect_province_known(44));
  ASSERT(!detect_province_known(99));
}

TEST(dates) {
  ASSERT(detect_date_valid(2000, 2, 29));
  ASSERT(!detect_date_valid(1900, 2, 29));
  ASSERT(!detect_date_valid(1990, 2, 30));
  ASSERT(!detect_date_valid(1990, 13, 1));
  ASSERT(!detect_date_valid(1990, 4, 31));
}

TEST(mobile_segments) {
  ASSERT_EQ_INT(detect_mobile_kind("13800138000"), 0);
  ASSERT_EQ_INT(detect_mobile_kind("17012345678"), 1);
  ASSERT_EQ_INT(detect_mobile_kind("14912345678"), 2);
  ASSERT_EQ_INT(detect_mobile_kind("17400123456"), 3);
  ASSERT_EQ_INT(detect_mobile_kind("17412345678"), -1);
  ASSERT_EQ_INT(detect_mobile_kind("19412345678"), -1);
  ASSERT_EQ_INT(detect_mobile_kind("12345678901"), -1);
}

TEST(landline_split) {
  ASSERT_EQ_INT(detect_landline_split("01062345678", 11), 3);
  ASSERT_EQ_INT(detect_landline_split("075588888888", 12), 4);
  ASSERT_EQ_INT(detect_landline_split("09022212345", 11), 4);
  ASSERT_EQ_INT(detect_landline_split("0211234567", 10), 0);
  ASSERT_EQ_INT(detect_landline_split("01012345678", 11), 0); /* local starts with 1 */
}

TEST(bank_bins) {
  size_t pl = 0;
  const char *b = detect_bin_lookup("6222021000000000009", 19, &pl);
  ASSERT(b != NULL);
  ASSERT_EQ_INT(pl, 6);
  ASSERT(detect_bin_lookup("6222021000000000009", 16, NULL) == NULL); /* wrong length */
  ASSERT(detect_luhn("4111111111111111", 16));
  ASSERT(!detect_luhn("4111111111111112", 16));
}

TEST(crypto_addresses) {
  ASSERT(detect_btc_check("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", 34));
  ASSERT(!detect_btc_check("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", 34));
  ASSERT(detect_btc_check("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", 34));
  ASSERT(detect_btc_check("bc1qw508d6qejxtdg4c5w3a9k0zy6uuzs5ndl07rs8", 42) == 0 ||
         detect_btc_check("bc1qw508d6qejxtdg4c5w3a9k0zy6uuzs5ndl07rs8", 42) == 1);
  ASSERT(detect_btc_check("bc1qw508d6qejxtdg4c5w3a9k0zy6uuzs5ndl07rs8", 42) ==
         detect_btc_check("BC1QW508D6QEJXTDG4C5W3A9K0ZY6UUZS5NDL07RS8", 42));
  ASSERT(detect_btc_check("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", 42));
  ASSERT(!detect_btc_check("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp", 42));
  ASSERT(detect_tron_check("TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7", 34));
  ASSERT(!detect_tron_check("TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU8", 34));
  ASSERT(detect_eth_check("0x52908400098527886E0F7030069857D2E4169EE7", 42));
  ASSERT(!detect_eth_check("0x52908400098527886E0F7030069857D2E4169EEG", 42));
}

/* ---- the scanner on plain text ----------------------------------------------- */

TEST(id_in_sentence_with_span) {
  const char *t = "开盒了，张某某 身份证110105199003071239 电话13800138000";
  detect_scratch *s = run_plain(t);
  const detect_item *id = find(s, DETECT_CN_ID, 0);
  ASSERT(id != NULL);
  ASSERT_STR_EQ(id->value, "110105199003071239");
  ASSERT_STR_EQ(id->masked, "110105********1239");
  ASSERT_EQ_INT(id->start, (uint32_t)(strstr(t, "110105") - t));
  ASSERT_EQ_INT(id->end - id->start, 18);
  const detect_item *ph = find(s, DETECT_MOBILE, 0);
  ASSERT(ph != NULL);
  ASSERT_STR_EQ(ph->value, "+8613800138000");
  ASSERT_STR_EQ(ph->masked, "138****8000");
  ASSERT_EQ_INT(s->values[DETECT_V_CN_ID], 1);
  ASSERT_EQ_INT(s->values[DETECT_V_PHONE], 1);
  ASSERT_EQ_INT(s->values[DETECT_V_STRONG_TYPES], 2);
  ASSERT_EQ_INT(s->values[DETECT_V_NAME_NEAR_ID], 1);
  ASSERT(s->values[DETECT_V_CONTACT] >= 1);
}

TEST(digit_boundaries_reject_longer_numbers) {
  detect_scratch *s = run_plain("订单号2023061513800138000已发货");
  ASSERT_EQ_INT(s->items.len, 0);
  s = run_plain("时间戳1700000000000");
  ASSERT_EQ_INT(s->items.len, 0);
  s = run_plain("138001380001");
  ASSERT_EQ_INT(s->items.len, 0);
  s = run_plain("随机数110105199003071238");
  ASSERT_EQ_INT(count(s, DETECT_CN_ID), 0);
  s = run_plain("guid 550e8400-e29b-41d4-a716-446655440000 ok");
  ASSERT_EQ_INT(count(s, DETECT_MOBILE), 0);
}

TEST(separators_and_prefixes) {
  detect_scratch *s = run_plain("电话 138 0013 8000 或 +86-139-0013-9000，座机(0755)8888 8888");
  ASSERT_EQ_INT(count(s, DETECT_MOBILE), 2);
  ASSERT_STR_EQ(find(s, DETECT_MOBILE, 1)->value, "+8613900139000");
  ASSERT_EQ_INT(count(s, DETECT_LANDLINE), 1);
  ASSERT_STR_EQ(find(s, DETECT_LANDLINE, 0)->value, "+8675588888888");
  s = run_plain("身份证 110105 19900307 1239");
  ASSERT_EQ_INT(count(s, DETECT_CN_ID), 1);
  s = run_plain("ID: 110105-19491231-002X.");
  ASSERT_EQ_INT(count(s, DETECT_CN_ID), 1);
  ASSERT_STR_EQ(find(s, DETECT_CN_ID, 0)->value, "11010519491231002X");
  /* the published example is flagged and does not count */
  ASSERT_EQ_INT(s->values[DETECT_V_CN_ID], 0);
  s = run_plain("2023 13800138000");
  ASSERT_EQ_INT(count(s, DETECT_MOBILE), 1);
}

TEST(masked_forms) {
  detect_scratch *s = run_plain("身份证110105********1239，手机138****5678");
  ASSERT_EQ_INT(count(s, DETECT_CN_ID_MASKED), 1);
  ASSERT_EQ_INT(count(s, DETECT_MOBILE_MASKED), 1);
  ASSERT_STR_EQ(find(s, DETECT_MOBILE_MASKED, 0)->masked, "138****5678");
  s = run_plain("138xxxx8000");
  ASSERT_EQ_INT(count(s, DETECT_MOBILE_MASKED), 1);
  s = run_plain("价格3*4=12");
  ASSERT_EQ_INT(s->items.len, 0);
}

TEST(bank_card_precedence) {
  detect_scratch *s = run_plain("卡号6222021000000000009 开户行工商银行");
  ASSERT_EQ_INT(count(s, DETECT_BANK_CARD), 1);
  ASSERT_STR_EQ(find(s, DETECT_BANK_CARD, 0)->masked, "622202*********0009");
  s = run_plain("订单6222021000000000008");
  ASSERT_EQ_INT(count(s, DETECT_BANK_CARD), 0);
  /* an 18-digit string passing both MOD 11-2 and Luhn is an ID when region+date hold */
  s = run_plain("号码110105199003071239");
  ASSERT_EQ_INT(count(s, DETECT_CN_ID), 1);
  ASSERT_EQ_INT(count(s, DETECT_BANK_CARD), 0);
}

TEST(service_numbers_are_not_personal) {
  detect_scratch *s = run_plain("如遇问题请拨打客服热线400-123-4567或95588");
  ASSERT_EQ_INT(count(s, DETECT_SERVICE_PHONE), 2);
  ASSERT_EQ_INT(s->values[DETECT_V_PHONE], 0);
  ASSERT_EQ_INT(s->values[DETECT_V_SERVICE], 2);
}

TEST(qq_wechat_context) {
  detect_scratch *s = run_plain("加QQ:12345678 或 vx:zhang_san88 微信号abc12345");
  /* case folding is the normalizer's job: feed canonical lower case */
  s = run_plain("加qq:12345678 或 vx:zhang_san88 微信号abc12345");
  ASSERT_EQ_INT(count(s, DETECT_QQ), 1);
  ASSERT_STR_EQ(find(s, DETECT_QQ, 0)->value, "12345678");
  ASSERT_EQ_INT(count(s, DETECT_WECHAT), 2);
  ASSERT_EQ_INT(s->values[DETECT_V_IM], 3);
  s = run_plain("今年12345678人参加");
  ASSERT_EQ_INT(count(s, DETECT_QQ), 0);
  s = run_plain("纸飞机@scam_helper 联系");
  ASSERT_EQ_INT(count(s, DETECT_TELEGRAM), 1);
}

TEST(urls_emails_ips) {
  detect_scratch *s = run_plain("点击 https://Example.com/Path?a=1 或 www.abc123.cn，邮箱zhang.san@163.com");
  ASSERT_EQ_INT(count(s, DETECT_URL), 2);
  ASSERT_STR_EQ(find(s, DETECT_URL, 0)->value, "https://Example.com/Path?a=1");
  ASSERT_EQ_INT(count(s, DETECT_EMAIL), 1);
  ASSERT_STR_EQ(find(s, DETECT_EMAIL, 0)->masked, "z***@163.com");
  s = run_plain("网址abc123点com 和 evil[.]top");
  ASSERT_EQ_INT(count(s, DETECT_DOMAIN), 2);
  ASSERT_STR_EQ(find(s, DETECT_DOMAIN, 0)->value, "abc123.com");
  s = run_plain("他的ip是192.168.1.20，版本1.2.3.4不是");
  ASSERT_EQ_INT(count(s, DETECT_IPV4), 1);
  ASSERT_STR_EQ(find(s, DETECT_IPV4, 0)->masked, "192.168.1.***");
  s = run_plain("ipv6 2001:db8::8a2e:370:7334 时间12:30:45");
  ASSERT_EQ_INT(count(s, DETECT_IPV6), 1);
  s = run_plain("文件readme.md和1.5倍");
  ASSERT_EQ_INT(s->items.len, 0);
  s = run_plain("邮箱12345678#qq.com");
  ASSERT_EQ_INT(count(s, DETECT_EMAIL), 1);
  ASSERT_STR_EQ(find(s, DETECT_EMAIL, 0)->value, "12345678@qq.com");
}

TEST(crypto_in_text_keeps_case) {
  detect_scratch *s =
      run_plain("USDT地址TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7 比特币1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2");
  ASSERT_EQ_INT(count(s, DETECT_TRON), 1);
  ASSERT_EQ_INT(count(s, DETECT_BTC), 1);
  ASSERT_EQ_INT(s->values[DETECT_V_CRYPTO], 2);
  s = run_plain("eth 0x52908400098527886E0F7030069857D2E4169EE7");
  ASSERT_EQ_INT(count(s, DETECT_ETH), 1);
  ASSERT_EQ_INT(count(s, DETECT_MOBILE), 0);
}

TEST(docs_uscc_plates) {
  detect_scratch *s = run_plain("统一社会信用代码91350100m000100y43");
  ASSERT_EQ_INT(count(s, DETECT_USCC), 1);
  ASSERT_STR_EQ(find(s, DETECT_USCC, 0)->value, "91350100M000100Y43");
  s = run_plain("护照号e12345678");
  ASSERT_EQ_INT(count(s, DETECT_PASSPORT), 1);
  s = run_plain("型号e12345678");
  ASSERT_EQ_INT(count(s, DETECT_PASSPORT), 0);
  s = run_plain("香港身份证a123456(3)");
  ASSERT_EQ_INT(count(s, DETECT_HKID), 1);
  s = run_plain("身份证a123456789");
  ASSERT_EQ_INT(count(s, DETECT_TW_ID), 1);
  s = run_plain("车牌京a·12345，新能源粤bd12345");
  ASSERT_EQ_INT(count(s, DETECT_PLATE), 2);
  ASSERT_STR_EQ(find(s, DETECT_PLATE, 0)->value, "京A12345");
  ASSERT_STR_EQ(find(s, DETECT_PLATE, 1)->value, "粤BD12345");
}

TEST(address_levels) {
  detect_scratch *s = run_plain("住朝阳区xx路8号3栋2单元501，大家去他单位闹");
  ASSERT_EQ_INT(count(s, DETECT_ADDRESS), 1);
  ASSERT_EQ_INT(s->values[DETECT_V_ADDRESS], 3);
  ASSERT_STR_EQ(find(s, DETECT_ADDRESS, 0)->value, "朝阳区xx路8号3栋2单元501");
  s = run_plain("店铺在人民路100号");
  ASSERT_EQ_INT(s->values[DETECT_V_ADDRESS], 2);
  s = run_plain("走在路上");
  ASSERT_EQ_INT(s->values[DETECT_V_ADDRESS], 0);
}

TEST(minor_and_values) {
  detect_scratch *s = run_plain("身份证110105201501011236");
  /* only if that synthetic number validates: compute via the validator */
  if (detect_cn_id_check("110105201501011236", 18, NOW, NULL, NULL)) {
    ASSERT_EQ_INT(s->values[DETECT_V_MINOR], 1);
  }
  s = run_plain("身份证110105199003071239");
  ASSERT_EQ_INT(s->values[DETECT_V_MINOR], 0);
  ASSERT_EQ_INT(s->values[DETECT_V_SCORE], 5);
}

TEST(mask_styles) {
  char out[DETECT_VALUE_MAX];
  detect_mask(DETECT_CN_ID, "11010119900101002X", out);
  ASSERT_STR_EQ(out, "110101********002X");
  detect_mask(DETECT_MOBILE, "+8613812345678", out);
  ASSERT_STR_EQ(out, "138****5678");
  detect_mask(DETECT_QQ, "12345678", out);
  ASSERT_STR_EQ(out, "12****78");
  detect_mask(DETECT_ADDRESS, "朝阳区xx路8号3栋", out);
  ASSERT_STR_EQ(out, "朝阳区xx路***");
  detect_mask(DETECT_URL, "http://a.cn", out);
  ASSERT_STR_EQ(out, "http://a.cn");
}

TEST(registry_complete) {
  for (int t = 0; t < DETECT_N_TYPES; t++) {
    ASSERT(detect_type_get((detect_type)t) != NULL);
    ASSERT(detect_type_get((detect_type)t)->name != NULL);
  }
  ASSERT(detect_type_get(DETECT_N_TYPES) == NULL);
  ASSERT_STR_EQ(detect_value_name(DETECT_V_CN_ID), "pii.cn_id");
  ASSERT_STR_EQ(detect_value_name(DETECT_V_CONTACT), "indicator.contact");
  ASSERT(detect_value_name(DETECT_N_VALUES) == NULL);
}

TEST(garbage_is_safe) {
  /* long digit runs, lone separators, truncated UTF-8 must not crash */
  char big[4096];
  for (size_t i = 0; i < sizeof big - 1; i++) big[i] = (char)('0' + i % 10);
  big[sizeof big - 1] = '\0';
  detect_scratch *s = run_plain(big);
  ASSERT(s != NULL);
  ASSERT_EQ_INT(s->items.len, 0);
  s = run_plain("1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8");
  ASSERT(s != NULL);
  s = run_plain("\xE5\xAE");
  ASSERT(s != NULL);
  s = run_plain("x@y..-.@@:::...");
  ASSERT(s != NULL);
}

/* ---- through the real normalizer: evasions and original spans ------------ */

static int run_norm(const char *text, detect_scratch *s, text_norm_out *o) {
  text_norm_config cfg;
  text_norm_config_init(&cfg);
  text_normalizer *nz = NULL;
  if (text_normalizer_new(&cfg, NULL, &nz, NULL) < 0) return -1;
  int rc = text_normalize(nz, text, strlen(text), o, NULL);
  text_normalizer_free(nz);
  if (rc < 0) return rc;
  detect_input in = {o->text, o->len, o->flags, o->orig_start, o->orig_end, text, strlen(text), NOW,
                     0 /* no hints: detect_run works them out */};
  return detect_run(&in, s, NULL);
}

TEST(normalized_forms) {
  static const struct {
    const char *text;
    detect_type type;
    const char *value;
  } cases[] = {
      {"电话１３８００１３８０００", DETECT_MOBILE, "+8613800138000"},
      {"打 1 3 8 ‧ 0013 ♥ 8000 找我", DETECT_MOBILE, "+8613800138000"},
      {"手机①③⑧⓪⓪①③⑧⓪⓪⓪", DETECT_MOBILE, "+8613800138000"},
      {"电话一三八零零一三八零零零", DETECT_MOBILE, "+8613800138000"},
      {"身份證１１０１０５１９９００３０７１２３９", DETECT_CN_ID, "110105199003071239"},
      {"(+86)13800138000", DETECT_MOBILE, "+8613800138000"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    detect_scratch s;
    text_norm_out o;
    detect_scratch_init(&s, NULL);
    text_norm_out_init(&o, NULL);
    int rc = run_norm(cases[i].text, &s, &o);
    const detect_item *it = rc == 0 ? find(&s, cases[i].type, 0) : NULL;
    int ok = it && !strcmp(it->value, cases[i].value) && it->end <= strlen(cases[i].text) &&
             it->start < it->end;
    if (!ok) fprintf(stderr, "  case %zu (%s): canonical \"%s\"\n", i, cases[i].text, o.text ? o.text : "");
    detect_scratch_free(&s);
    text_norm_out_free(&o);
    if (!ok) FAIL_AT("normalized case %zu not detected", i);
  }
}

HARNESS_MAIN
