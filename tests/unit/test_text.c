/* test_text.c — the normalizer: one good-path test per evasion kind, the
 * separators and whitespace rules, digit runs, squeezing, the offset map and
 * its invariants (in range, monotonic, valid UTF-8, idempotent) over bad
 * input and over every dev.jsonl text in ../shared, the .norm parser, and
 * differential tests: the optimized text_normalize must agree byte for byte
 * (text and every per-byte array) with the original implementation kept in
 * tests/unit/normalize_ref.h, on real posts, random mixes and random bytes. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "../harness.h"
#include "text/text.h"
#include "tests/unit/normalize_ref.h"
#include "util/util.h"

/* ---- helpers ------------------------------------------------------------ */

/* A normalizer with the digit aliases a pack would declare (幺拐两勾洞). */
static text_normalizer *make_norm(int with_aliases) {
  static const text_digit_alias al[] = {
      {0x5E7A, '1'}, {0x62D0, '7'}, {0x4E24, '2'}, {0x52FE, '9'}, {0x6D1E, '0'}};
  text_norm_config cfg;
  text_norm_config_init(&cfg);
  if (with_aliases) { cfg.aliases = al; cfg.n_aliases = 5; }
  text_normalizer *n = NULL;
  np_error err;
  if (text_normalizer_new(&cfg, NULL, &n, &err) != 0) return NULL;
  return n;
}

typedef struct fixture {
  text_normalizer *n;
  text_norm_out o;
} fixture;

static void fx_init(fixture *f, int aliases) {
  f->n = make_norm(aliases);
  text_norm_out_init(&f->o, NULL);
}
static void fx_free(fixture *f) {
  text_norm_out_free(&f->o);
  text_normalizer_free(f->n);
}
static const char *norm(fixture *f, const char *s) {
  np_error err;
  if (text_normalize(f->n, s, strlen(s), &f->o, &err) != 0) return "(error)";
  return f->o.text;
}

/* Checks every documented invariant of one result; returns NULL or why not. */
static const char *invariants(const text_normalizer *n, const char *in, size_t len,
                              const text_norm_out *o) {
  size_t bad;
  if (o->text[o->len] != 0) return "not NUL-terminated";
  if (o->len && !util_utf8_valid(o->text, o->len, &bad)) return "canonical text is not valid UTF-8";
  size_t chars = 0;
  uint32_t prev_start = 0, prev_end = 0;
  for (size_t b = 0; b < o->len; b++) {
    if (o->orig_start[b] >= o->orig_end[b]) return "empty original range";
    if (o->orig_end[b] > len) return "original range out of bounds";
    if (o->repeat[b] < 1) return "repeat < 1";
    int start = (o->flags[b] & TEXT_F_CHAR_START) != 0;
    int lead = ((unsigned char)o->text[b] & 0xC0) != 0x80;
    if (start != lead) return "CHAR_START does not mark the first byte";
    if (start) {
      if (b && (o->orig_start[b] < prev_start || o->orig_end[b] < prev_end)) return "ranges go backwards";
      if (o->char_index[b] != chars) return "char_index is not consecutive";
      prev_start = o->orig_start[b];
      prev_end = o->orig_end[b];
      chars++;
    } else if (o->orig_start[b] != o->orig_start[b - 1] || o->char_index[b] != o->char_index[b - 1] ||
               o->repeat[b] != o->repeat[b - 1]) {
      return "bytes of one char disagree";
    }
  }
  if (chars != o->n_chars) return "n_chars is wrong";
  /* Idempotence: normalizing the canonical text again changes nothing. */
  text_norm_out o2;
  text_norm_out_init(&o2, NULL);
  const char *why = NULL;
  if (text_normalize(n, o->text, o->len, &o2, NULL) != 0) why = "renormalize failed";
  else if (o2.len != o->len || memcmp(o2.text, o->text, o->len) != 0) why = "not idempotent";
  text_norm_out_free(&o2);
  (void)in;
  return why;
}

#define ASSERT_NORM(f, in, want) ASSERT_STR_EQ(norm((f), (in)), (want))
#define ASSERT_INVARIANTS(f, in, len)                                      \
  do {                                                                     \
    const char *why_ = invariants((f)->n, (in), (len), &(f)->o);           \
    if (why_) FAIL_AT("invariant broken: %s", why_);                       \
  } while (0)

/* Byte offset of the n-th canonical character. */
static size_t char_at(const text_norm_out *o, size_t n) {
  for (size_t b = 0; b < o->len; b++)
    if ((o->flags[b] & TEXT_F_CHAR_START) && o->char_index[b] == n) return b;
  return (size_t)-1;
}

/* ---- evasion kinds (examples from shared/data/evasion_dev) ------------- */

TEST(traditional_to_simplified) {
  fixture f;
  fx_init(&f, 0);
  ASSERT_NORM(&f, "保證金解凍", "保证金解冻");
  ASSERT_NORM(&f, "網貸口子", "网贷口子");
  ASSERT_NORM(&f, "週賺", "周赚");
  ASSERT_NORM(&f, "賭球", "赌球");
  ASSERT(f.o.flags[0] & TEXT_F_FOLDED);
  fx_free(&f);
}

TEST(fullwidth_and_case) {
  fixture f;
  fx_init(&f, 0);
  ASSERT_NORM(&f, "ｉＣｌｏｕｄ解锁", "icloud解锁");
  ASSERT_NORM(&f, "ICLOUD解锁", "icloud解锁");
  ASSERT_NORM(&f, "专业做ＡＧ真人", "专业做ag真人");
  ASSERT_NORM(&f, "𝐢𝐂𝐥𝐨𝐮𝐝", "icloud");
  ASSERT_NORM(&f, "ⒶⒼ真人", "ag真人");
  fx_free(&f);
}

TEST(symbol_insert_is_noise) {
  fixture f;
  fx_init(&f, 0);
  ASSERT_NORM(&f, "代`办•信~用`卡", "代办信用卡");
  ASSERT_NORM(&f, "刷/流＿水", "刷流水");
  ASSERT_NORM(&f, "A★G`真＃人", "ag真人");
  ASSERT_NORM(&f, "窃、听.器", "窃听器");
  ASSERT_NORM(&f, "1'5.4#7、3*8~2^9+0｜6-1", "15473829061");
  ASSERT_NORM(&f, "死=全~家<>\\|", "死全家");
  /* the char after removed noise carries TEXT_F_GAP */
  ASSERT_NORM(&f, "微 * 信", "微信");
  ASSERT(!(f.o.flags[0] & TEXT_F_GAP));
  ASSERT(f.o.flags[3] & TEXT_F_GAP);
  fx_free(&f);
}

TEST(zero_width_and_marks_are_noise) {
  fixture f;
  fx_init(&f, 0);
  ASSERT_NORM(&f, "保\u2060证\u200d金\u2062解\u200b冻", "保证金解冻");
  ASSERT_NORM(&f, "iCl\u2060ou\u00add解\u034f锁", "icloud解锁");
  ASSERT_NORM(&f, "上\u180e下分", "上下分");
  ASSERT_NORM(&f, "脑\ufeff残", "脑残");
  /* a long run of zero-width characters is one gap */
  char buf[3 * 1000 + 16];
  strcpy(buf, "跑");
  for (int i = 0; i < 1000; i++) strcat(buf, "\u200b");
  strcat(buf, "分");
  ASSERT_NORM(&f, buf, "跑分");
  ASSERT_EQ_INT(f.o.n_chars, 2);
  ASSERT(f.o.flags[3] & TEXT_F_GAP);
  ASSERT_EQ_INT(f.o.orig_start[3], 3 + 3000);
  fx_free(&f);
}

TEST(emoji_are_noise_unless_kept) {
  fixture f;
  fx_init(&f, 0);
  ASSERT_NORM(&f, "仿🍓真♥️枪", "仿真枪");
  ASSERT_NORM(&f, "保👌🏽证✅金🌟解👩\u200d❤️\u200d👨冻", "保证金解冻");
  ASSERT_NORM(&f, "周👌🏽赚🆗8🤑0😘0✔️0", "周赚8000");
  ASSERT_NORM(&f, "洗💰", "洗");
  fx_free(&f);
  /* a pack's keep set makes 💰 significant */
  static const uint32_t keep[] = {0x1F4B0};
  text_norm_config cfg;
  text_norm_config_init(&cfg);
  cfg.keep = keep;
  cfg.n_keep = 1;
  ASSERT_EQ_INT(text_normalizer_new(&cfg, NULL, &f.n, NULL), 0);
  text_norm_out_init(&f.o, NULL);
  ASSERT_NORM(&f, "洗💰️，", "洗💰,");
  fx_free(&f);
}

TEST(variant_glyphs_fold_toward_common_form) {
  fixture f;
  fx_init(&f, 0);
  ASSERT_NORM(&f, "髙额返佣", "高额返佣");
  ASSERT_NORM(&f, "保证金觧冻", "保证金解冻");
  ASSERT_NORM(&f, "氷毒", "冰毒");
  ASSERT_NORM(&f, "仿眞槍", "仿真枪");
  ASSERT_NORM(&f, "丄丅分", "上下分");
  ASSERT_NORM(&f, "代办信⽤卡", "代办信用卡"); /* Kangxi radical */
  ASSERT_NORM(&f, "⼀⼿料", "一手料");
  ASSERT_NORM(&f, "送彩⾦", "送彩金");
  ASSERT_NORM(&f, "収卡", "收卡");
  /* common characters are never turned into anything else */
  ASSERT_NORM(&f, "高解冰真上下", "高解冰真上下");
  fx_free(&f);
}

TEST(confusables_fold_to_ascii_but_ascii_stays) {
  fixture f;
  fx_init(&f, 0);
  ASSERT_NORM(&f, "АG真人", "ag真人");        /* Cyrillic А */
  ASSERT_NORM(&f, "iСloud", "icloud");        /* Cyrillic С */
  ASSERT_NORM(&f, "Κ粉", "k粉");              /* Greek Kappa */
  ASSERT_NORM(&f, "l5473829O6l", "l5473829o6l"); /* l/1 and O/0 stay distinct */
  ASSERT_NORM(&f, "iCl0ud", "icl0ud");
  fx_free(&f);
}

TEST(hard_separators_are_kept) {
  fixture f;
  fx_init(&f, 0);
  ASSERT_NORM(&f, "手机先别刷。流水账", "手机先别刷。流水账");
  ASSERT_NORM(&f, "保证金，解冻资金", "保证金,解冻资金");
  ASSERT_NORM(&f, "“网贷”“口子”", "\"网贷\"口子\"");
  ASSERT_NORM(&f, "有多傻？逼得", "有多傻?逼得");
  ASSERT_NORM(&f, "【官方】《书》（注）", "(官方)\"书\"(注)");
  ASSERT_NORM(&f, "再约！炮仗；好：的…了", "再约!炮仗;好:的…了");
  ASSERT_NORM(&f, "a\r\nb\nc", "a\nb\nc");
  /* spaces next to a separator are dropped */
  ASSERT_NORM(&f, "你好 ， 世界", "你好,世界");
  fx_free(&f);
}

TEST(whitespace_joins_spaced_out_text) {
  fixture f;
  fx_init(&f, 0);
  ASSERT_NORM(&f, "138 0013 8000", "13800138000");
  ASSERT_NORM(&f, "代办 xyk", "代办xyk");
  ASSERT_NORM(&f, "高 额 fan 佣", "高额fan佣");
  ASSERT_NORM(&f, "周 赚 8 0 0 0", "周赚8000");
  ASSERT_NORM(&f, "跑\u3000分", "跑分");
  ASSERT_NORM(&f, "送\t彩 金", "送彩金");
  ASSERT_NORM(&f, "s b", "sb");
  ASSERT_NORM(&f, "A\u202fG\u2003真\u00a0人", "ag真人");
  /* ... and keeps one space between real words */
  ASSERT_NORM(&f, "别犯傻 逼自己", "别犯傻 逼自己");
  ASSERT_NORM(&f, "Jian Ren", "jian ren");
  ASSERT_NORM(&f, "Jian   \t Ren", "jian ren");
  ASSERT_NORM(&f, "a book", "a book"); /* ASCII letters are never squeezed */
  ASSERT_NORM(&f, "  leading and trailing  ", "leading and trailing");
  fx_free(&f);
}

TEST(digit_variants_always_fold) {
  fixture f;
  fx_init(&f, 0);
  ASSERT_NORM(&f, "①⑤④⑦③⑧②⑨⓪⑥①", "15473829061");
  ASSERT_NORM(&f, "➀➄➃➆➂➇➁➈⓪➅➀", "15473829061");
  ASSERT_NORM(&f, "⓵⓹⓸⓻⓷⓼⓶⓽0⓺⓵", "15473829061");
  ASSERT_NORM(&f, "１５４", "154");
  ASSERT_NORM(&f, "⑴⑵⒊", "123");
  ASSERT_NORM(&f, "秒批③万", "秒批3万");
  ASSERT(f.o.flags[char_at(&f.o, 2)] & TEXT_F_DIGIT_FOLD);
  ASSERT(!(f.o.flags[0] & TEXT_F_DIGIT_FOLD));
  ASSERT_NORM(&f, "秒批3️⃣万", "秒批3万"); /* keycap */
  ASSERT_NORM(&f, "壹伍肆柒叁捌贰玖零陆壹", "15473829061");
  ASSERT_NORM(&f, "秒批叁万", "秒批3万");  /* financial numerals fold alone */
  ASSERT_NORM(&f, "貳參", "23");
  fx_free(&f);
}

TEST(chinese_numerals_fold_only_in_runs) {
  fixture f;
  fx_init(&f, 1);
  ASSERT_NORM(&f, "一五四七三八二九〇六一", "15473829061");
  ASSERT_NORM(&f, "幺五四拐三八两勾洞六幺", "15473829061");
  ASSERT_NORM(&f, "154 七三八二 9061", "15473829061");
  ASSERT_NORM(&f, "154七三八29零6一", "15473829061");
  ASSERT_NORM(&f, "一手料", "一手料");
  ASSERT_NORM(&f, "两个", "两个");
  ASSERT_NORM(&f, "山洞", "山洞");
  ASSERT_NORM(&f, "大陆队伍", "大陆队伍"); /* ambiguous financial numerals: runs only */
  ASSERT_NORM(&f, "周赚八零零零", "周赚8000");
  ASSERT(f.o.flags[char_at(&f.o, 2)] & TEXT_F_DIGIT_FOLD);
  fx_free(&f);
  /* without the pack's aliases 幺 is just a character */
  fx_init(&f, 0);
  ASSERT_NORM(&f, "幺五四", "幺五四");
  fx_free(&f);
}

TEST(squeeze_records_repeats_and_covers_the_run) {
  fixture f;
  fx_init(&f, 0);
  const char *in = "刷流流流水水";
  ASSERT_NORM(&f, in, "刷流水");
  ASSERT_EQ_INT(f.o.n_chars, 3);
  ASSERT_EQ_INT(f.o.repeat[0], 1);
  ASSERT_EQ_INT(f.o.repeat[3], 3);
  ASSERT_EQ_INT(f.o.repeat[5], 3);
  ASSERT_EQ_INT(f.o.repeat[6], 2);
  ASSERT_EQ_INT(f.o.orig_start[3], 3);
  ASSERT_EQ_INT(f.o.orig_end[3], 12);
  ASSERT_EQ_INT(f.o.orig_start[6], 12);
  ASSERT_EQ_INT(f.o.orig_end[6], 18);
  ASSERT_NORM(&f, "上上下下分", "上下分");
  ASSERT_NORM(&f, "刷 流 流 水", "刷流水"); /* across joined spaces */
  /* digits are identifiers: never squeezed */
  ASSERT_NORM(&f, "周赚8000", "周赚8000");
  /* repeat saturates at 255 */
  char buf[300 * 3 + 1] = "";
  for (int i = 0; i < 300; i++) strcat(buf, "哈");
  ASSERT_NORM(&f, buf, "哈");
  ASSERT_EQ_INT(f.o.repeat[0], 255);
  ASSERT_EQ_INT(f.o.orig_end[0], 900);
  fx_free(&f);
  text_norm_config cfg;
  text_norm_config_init(&cfg);
  cfg.squeeze = 0;
  ASSERT_EQ_INT(text_normalizer_new(&cfg, NULL, &f.n, NULL), 0);
  text_norm_out_init(&f.o, NULL);
  ASSERT_NORM(&f, in, "刷流流流水水");
  fx_free(&f);
}

TEST(offsets_point_into_the_original) {
  fixture f;
  fx_init(&f, 0);
  const char *in = "Ａ保\u200b證 x";
  ASSERT_NORM(&f, in, "a保证x");
  /* a: [0,3)  保: [3,6)  证: [9,12) after the ZWSP  x: [13,14) */
  ASSERT_EQ_INT(f.o.orig_start[0], 0);
  ASSERT_EQ_INT(f.o.orig_end[0], 3);
  ASSERT_EQ_INT(f.o.orig_start[1], 3);
  ASSERT_EQ_INT(f.o.orig_end[3], 6);
  ASSERT_EQ_INT(f.o.orig_start[4], 9);
  ASSERT_EQ_INT(f.o.orig_end[6], 12);
  ASSERT_EQ_INT(f.o.orig_start[7], 13);
  ASSERT_EQ_INT(f.o.orig_end[7], 14);
  ASSERT_EQ_INT(f.o.char_index[7], 3);
  ASSERT(f.o.flags[0] & TEXT_F_FOLDED);
  ASSERT(!(f.o.flags[1] & TEXT_F_FOLDED));
  ASSERT(f.o.flags[4] & TEXT_F_GAP);
  ASSERT(f.o.flags[7] & TEXT_F_GAP);
  ASSERT_INVARIANTS(&f, in, strlen(in));
  /* one original char expanding to several keeps the same range */
  ASSERT_NORM(&f, "㍿", "株式会社");
  for (size_t b = 0; b < f.o.len; b++) ASSERT_EQ_INT(f.o.orig_end[b], 3);
  fx_free(&f);
}

TEST(invalid_utf8_is_noise) {
  fixture f;
  fx_init(&f, 0);
  static const struct { const char *in; const char *want; } cases[] = {
      {"跑\xE5\x88", "跑"},              /* truncated at the end */
      {"跑\xE5\x88分", "跑分"},          /* truncated in the middle */
      {"a\xC0\xAF" "b", "ab"},           /* overlong '/' */
      {"a\xE0\x80\xAF" "b", "ab"},       /* overlong, 3 bytes */
      {"\x80\x80跑", "跑"},              /* lone continuation bytes */
      {"a\xED\xA0\x80" "b", "ab"},       /* surrogate */
      {"a\xF4\x90\x80\x80" "b", "ab"},   /* above U+10FFFF */
      {"\xFF\xFE", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ASSERT_NORM(&f, cases[i].in, cases[i].want);
    ASSERT_INVARIANTS(&f, cases[i].in, strlen(cases[i].in));
  }
  ASSERT_NORM(&f, "\x80跑", "跑");
  ASSERT(f.o.flags[0] & TEXT_F_GAP);
  ASSERT_EQ_INT(f.o.orig_start[0], 1);
  fx_free(&f);
}

TEST(nul_bytes_and_empty_input) {
  fixture f;
  fx_init(&f, 0);
  const char in[] = "跑\0分\0\0x";
  ASSERT_EQ_INT(text_normalize(f.n, in, sizeof in - 1, &f.o, NULL), 0);
  ASSERT_STR_EQ(f.o.text, "跑分x");
  ASSERT_EQ_INT(strlen(f.o.text), f.o.len);
  ASSERT_INVARIANTS(&f, in, sizeof in - 1);
  ASSERT_EQ_INT(text_normalize(f.n, "", 0, &f.o, NULL), 0);
  ASSERT_EQ_INT(f.o.len, 0);
  ASSERT_EQ_INT(f.o.n_chars, 0);
  ASSERT_STR_EQ(f.o.text, "");
  fx_free(&f);
}

TEST(ten_megabyte_line) {
  fixture f;
  fx_init(&f, 0);
  const char *piece = "兼职宝妈看过来 高額返佣，時間自由 ① s b 138 0013 8000 😘 ";
  size_t pl = strlen(piece), total = 10u << 20;
  char *big = malloc(total + 1);
  ASSERT(big != NULL);
  size_t len = 0;
  while (len + pl <= total) { memcpy(big + len, piece, pl); len += pl; }
  big[len] = 0;
  ASSERT_EQ_INT(text_normalize(f.n, big, len, &f.o, NULL), 0);
  const char *unit = "兼职宝妈看过来 高额返佣,时间自由1sb 13800138000兼职";
  size_t ul = strlen(unit);
  ASSERT(f.o.len > len / 2);
  ASSERT_MEM_EQ(f.o.text, unit, ul);
  ASSERT_EQ_INT(f.o.orig_end[f.o.len - 1] <= len, 1);
  const char *why = invariants(f.n, big, len, &f.o);
  free(big);
  if (why) FAIL_AT("invariant broken: %s", why);
  fx_free(&f);
}

TEST(pack_folds_resolve_and_close) {
  text_char_fold folds[] = {{0x8587, 0x5FAE}, {0x4EDF, 0x5343}, {0x92AD, 0x94B1}};
  text_norm_config cfg;
  text_norm_config_init(&cfg);
  cfg.folds = folds;
  cfg.n_folds = 3;
  fixture f;
  ASSERT_EQ_INT(text_normalizer_new(&cfg, NULL, &f.n, NULL), 0);
  text_norm_out_init(&f.o, NULL);
  ASSERT_NORM(&f, "加薇信", "加微信");
  ASSERT(f.o.flags[3] & TEXT_F_FOLDED);
  ASSERT_NORM(&f, "周赚捌仟", "周赚8千");
  ASSERT_NORM(&f, "洗銭", "洗钱"); /* Japanese form declared by a pack */
  ASSERT_INVARIANTS(&f, "洗銭", strlen("洗銭"));
  fx_free(&f);
  /* chains close: a -> b, b -> c gives a -> c */
  text_char_fold chain[] = {{'x', 'y'}, {'y', 'z'}};
  cfg.folds = chain;
  cfg.n_folds = 2;
  ASSERT_EQ_INT(text_normalizer_new(&cfg, NULL, &f.n, NULL), 0);
  text_norm_out_init(&f.o, NULL);
  ASSERT_NORM(&f, "x", "z");
  fx_free(&f);
  /* cycles are an error */
  text_char_fold cyc[] = {{'x', 'y'}, {'y', 'x'}};
  cfg.folds = cyc;
  np_error err;
  text_normalizer *n = NULL;
  ASSERT_EQ_INT(text_normalizer_new(&cfg, NULL, &n, &err), NP_EINVAL);
  ASSERT(n == NULL);
  ASSERT_CONTAINS(err.message, "cycle");
}

/* An allocator that fails after a budget of calls. */
static void *fail_malloc(size_t n, void *u) {
  int *left = u;
  if ((*left)-- <= 0) return NULL;
  return malloc(n);
}
static void *fail_realloc(void *p, size_t n, void *u) {
  int *left = u;
  if ((*left)-- <= 0) return NULL;
  return realloc(p, n);
}
static void plain_free(void *p, void *u) { (void)u; free(p); }

TEST(allocation_failure_is_enomem) {
  int ok = 0;
  for (int budget = 0; budget < 40 && !ok; budget++) {
    int left = budget;
    np_allocator a = {fail_malloc, fail_realloc, plain_free, &left};
    text_digit_alias al = {0x5E7A, '1'};
    text_char_fold fo = {0x8587, 0x5FAE};
    text_norm_config cfg;
    text_norm_config_init(&cfg);
    cfg.aliases = &al;
    cfg.n_aliases = 1;
    cfg.folds = &fo;
    cfg.n_folds = 1;
    text_normalizer *n = NULL;
    int rc = text_normalizer_new(&cfg, &a, &n, NULL);
    if (rc != 0) { ASSERT_EQ_INT(rc, NP_ENOMEM); continue; }
    text_norm_out o;
    text_norm_out_init(&o, &a);
    rc = text_normalize(n, "加薇信 幺五四", strlen("加薇信 幺五四"), &o, NULL);
    if (rc == 0) { ASSERT_STR_EQ(o.text, "加微信154"); ok = 1; }
    else ASSERT_EQ_INT(rc, NP_ENOMEM);
    text_norm_out_free(&o);
    text_normalizer_free(n);
  }
  ASSERT(ok);
}

TEST(buffers_are_reused) {
  fixture f;
  fx_init(&f, 0);
  norm(&f, "一段比较长的文字，用来让缓冲区先长大。一段比较长的文字，用来让缓冲区先长大。");
  char *text = f.o.text;
  void *work = f.o.work;
  size_t cap = f.o.cap;
  ASSERT_NORM(&f, "短的", "短的");
  ASSERT(f.o.text == text);
  ASSERT(f.o.work == work);
  ASSERT_EQ_INT(f.o.cap, cap);
  fx_free(&f);
}

/* ---- .norm declarations -------------------------------------------------- */

static int parse(const char *src, util_vec *al, util_vec *fo, util_vec *ke, np_error *err) {
  return text_norm_parse("p.norm", src, strlen(src), al, fo, ke, err);
}

TEST(norm_parse_good) {
  util_vec al, fo, ke;
  util_vec_init(&al, NULL, sizeof(text_digit_alias));
  util_vec_init(&fo, NULL, sizeof(text_char_fold));
  util_vec_init(&ke, NULL, sizeof(uint32_t));
  const char *src =
      "# digit aliases\n"
      "digit 1 = 幺\n"
      "digit 7 = 拐   # comment\n"
      "digit 0 = 洞 U+3007\r\n"
      "\n"
      "  fold 仟 = 千\n"
      "fold 薇=微\n"
      "keep 💰 🔫\n"
      "keep ❤️";
  np_error err;
  ASSERT_EQ_INT(parse(src, &al, &fo, &ke, &err), 0);
  ASSERT_EQ_INT(al.len, 4);
  ASSERT_EQ_INT(UTIL_VEC_AT(&al, text_digit_alias, 0).cp, 0x5E7A);
  ASSERT_EQ_INT(UTIL_VEC_AT(&al, text_digit_alias, 0).digit, '1');
  ASSERT_EQ_INT(UTIL_VEC_AT(&al, text_digit_alias, 3).cp, 0x3007);
  ASSERT_EQ_INT(UTIL_VEC_AT(&al, text_digit_alias, 3).digit, '0');
  ASSERT_EQ_INT(fo.len, 2);
  ASSERT_EQ_INT(UTIL_VEC_AT(&fo, text_char_fold, 1).from, 0x8587);
  ASSERT_EQ_INT(UTIL_VEC_AT(&fo, text_char_fold, 1).to, 0x5FAE);
  ASSERT_EQ_INT(ke.len, 3);
  ASSERT_EQ_INT(UTIL_VEC_AT(&ke, uint32_t, 1), 0x1F52B);
  ASSERT_EQ_INT(UTIL_VEC_AT(&ke, uint32_t, 2), 0x2764);
  util_vec_free(&al);
  util_vec_free(&fo);
  util_vec_free(&ke);
}

static void parse_error(int *harness_failed, const char *src, const char *want) {
  util_vec al, fo, ke;
  util_vec_init(&al, NULL, sizeof(text_digit_alias));
  util_vec_init(&fo, NULL, sizeof(text_char_fold));
  util_vec_init(&ke, NULL, sizeof(uint32_t));
  np_error err;
  memset(&err, 0, sizeof err);
  int rc = parse(src, &al, &fo, &ke, &err);
  char buf[700];
  np_error_format(&err, buf, sizeof buf);
  util_vec_free(&al);
  util_vec_free(&fo);
  util_vec_free(&ke);
  ASSERT_EQ_INT(rc, NP_ERULE);
  ASSERT_STR_EQ(buf, want);
}

TEST(norm_parse_errors) {
  parse_error(harness_failed, "digit 1 = 幺\nfolds 仟 = 千\n",
              "p.norm:2:1: unknown declaration 'folds' (expected digit, fold or keep)");
  parse_error(harness_failed, "digit x = 幺", "p.norm:1:7: expected a digit 0-9");
  parse_error(harness_failed, "digit 12 = 幺", "p.norm:1:7: expected a digit 0-9");
  parse_error(harness_failed, "digit 1 幺", "p.norm:1:9: expected '='");
  parse_error(harness_failed, "digit 1 =", "p.norm:1:10: expected a character");
  parse_error(harness_failed, "fold 仟仟 = 千", "p.norm:1:7: expected exactly one character");
  parse_error(harness_failed, "fold 仟 = 千 万", "p.norm:1:12: unexpected text after the declaration");
  parse_error(harness_failed, "fold = 千", "p.norm:1:6: expected a character");
  parse_error(harness_failed, "keep", "p.norm:1:5: expected a character");
  parse_error(harness_failed, "keep \xE5\x88", "p.norm:1:6: invalid UTF-8");
  parse_error(harness_failed, "keep U+D800", "p.norm:1:6: invalid code point");
  parse_error(harness_failed, "\n\n  幺", "p.norm:3:3: expected a declaration (digit, fold or keep)");
}

/* ---- tables -------------------------------------------------------------- */

TEST(pinyin_readings) {
  const char *const *r;
  size_t n = text_pinyin(0x884C, &r); /* 行 */
  ASSERT(n >= 2);
  ASSERT_STR_EQ(r[0], "xing");
  int hang = 0;
  for (size_t i = 0; i < n; i++) hang |= strcmp(r[i], "hang") == 0;
  ASSERT(hang);
  ASSERT_EQ_INT(text_pinyin(0x7EFF, &r) >= 1, 1); /* 绿 */
  ASSERT_STR_EQ(r[0], "lv");
  ASSERT_EQ_INT(text_pinyin(0x9AD8, &r), 1);     /* 高 */
  ASSERT_STR_EQ(r[0], "gao");
  ASSERT(text_pinyin(0x9AD9, &r) >= 1);          /* 髙 falls back to 高 */
  ASSERT_STR_EQ(r[0], "gao");
  ASSERT_EQ_INT(text_pinyin('a', &r), 0);
}

TEST(character_predicates) {
  ASSERT(text_is_han(0x4E00));
  ASSERT(text_is_han(0x20000));
  ASSERT(!text_is_han('a'));
  ASSERT(!text_is_han(0x3002));
  ASSERT(text_is_symbol(0x1F4B0));
  ASSERT(text_is_symbol(0x2605));
  ASSERT(!text_is_symbol('#'));
  ASSERT(!text_is_symbol(0x4E00));
}

/* ---- properties over real data ------------------------------------------ */

static const char *shared_dir(void) {
  const char *s = getenv("SHARED");
  return s && *s ? s : "../shared";
}

/* Normalizes the "text" field of every line; returns lines checked or -1. */
static long check_jsonl(int *harness_failed, fixture *f, const char *path) {
  FILE *fp = fopen(path, "r");
  if (!fp) return -1;
  char *line = NULL;
  size_t cap = 0;
  long n = 0;
  ssize_t got;
  while ((got = getline(&line, &cap, fp)) > 0) {
    json_t *o = json_loadb(line, (size_t)got, 0, NULL);
    json_t *t = o ? json_object_get(o, "text") : NULL;
    if (json_is_string(t)) {
      const char *s = json_string_value(t);
      size_t len = json_string_length(t);
      if (text_normalize(f->n, s, len, &f->o, NULL) != 0) {
        json_decref(o);
        free(line);
        fclose(fp);
        fprintf(stderr, "  %s: normalize failed\n", path);
        *harness_failed = 1;
        return n;
      }
      const char *why = invariants(f->n, s, len, &f->o);
      if (why) {
        fprintf(stderr, "  %s line %ld: %s\n  in:  %s\n  out: %s\n", path, n + 1, why, s, f->o.text);
        json_decref(o);
        free(line);
        fclose(fp);
        *harness_failed = 1;
        return n;
      }
      n++;
    }
    json_decref(o);
  }
  free(line);
  fclose(fp);
  return n;
}

TEST(property_dev_sets) {
  static const char *sets[] = {"cold", "mudou_spam_sms", "telecom_fraud_5", "toxicn",
                               "weibo_rumor_ced"};
  fixture f;
  fx_init(&f, 1);
  long total = 0;
  char path[1024];
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
    snprintf(path, sizeof path, "%s/data/%s/dev.jsonl", shared_dir(), sets[i]);
    long n = check_jsonl(harness_failed, &f, path);
    if (*harness_failed) break;
    if (n > 0) total += n;
  }
  snprintf(path, sizeof path, "%s/data/evasion_dev/evasion_dev.jsonl", shared_dir());
  if (!*harness_failed) {
    long n = check_jsonl(harness_failed, &f, path);
    if (n > 0) total += n;
  }
  fx_free(&f);
  if (total == 0) fprintf(stderr, "  (skipped: no %s/data)\n", shared_dir());
}

/* Random mixes of the characters that interact (numerals, aliases, spaces,
 * separators, noise, repeats, expansions, letters) keep every invariant.
 * Deterministic: a fixed-seed LCG. */
TEST(property_random_mixes) {
  static const char *const alpha[] = {
      "一", "二", "〇", "零", "幺", "两", "洞", "伍", "陆", "壹", "①", "⑩", "１", "1", "2", "0",
      " ", " ", "\u3000", "\t", "，", "。", "“", "\n", "\r", "*", ".", "\u200b", "😘", "\ufe0f",
      "a", "b", "s", "A", "Ａ", "а", "流", "流", "水", "刷", "保", "證", "髙", "㍿", "ﬁ", "⽤",
      "\xE5\x88", "\x80", "é", "e\u0301", "が", "한", "ⅲ", "i", "x", "薇", "仟", "💰"};
  const size_t na = sizeof alpha / sizeof alpha[0];
  static const text_digit_alias al[] = {{0x5E7A, '1'}, {0x4E24, '2'}, {0x6D1E, '0'}};
  static const text_char_fold fo[] = {{0x8587, 0x5FAE}, {0x4EDF, 0x5343}};
  static const uint32_t keep[] = {0x1F4B0};
  text_norm_config cfg;
  text_norm_config_init(&cfg);
  cfg.aliases = al;
  cfg.n_aliases = 3;
  cfg.folds = fo;
  cfg.n_folds = 2;
  cfg.keep = keep;
  cfg.n_keep = 1;
  fixture f;
  ASSERT_EQ_INT(text_normalizer_new(&cfg, NULL, &f.n, NULL), 0);
  text_norm_out_init(&f.o, NULL);
  uint64_t seed = 12345;
  char buf[512];
  for (int iter = 0; iter < 20000; iter++) {
    size_t len = 0;
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    int k = (int)((seed >> 33) % 24);
    for (int j = 0; j < k; j++) {
      seed = seed * 6364136223846793005u + 1442695040888963407u;
      const char *p = alpha[(seed >> 33) % na];
      size_t pl = strlen(p);
      memcpy(buf + len, p, pl);
      len += pl;
    }
    buf[len] = 0;
    ASSERT_EQ_INT(text_normalize(f.n, buf, len, &f.o, NULL), 0);
    const char *why = invariants(f.n, buf, len, &f.o);
    if (why) {
      fprintf(stderr, "  input \"%s\" -> \"%s\"\n", buf, f.o.text);
      text_norm_out_free(&f.o);
      text_normalizer_free(f.n);
      FAIL_AT("invariant broken: %s", why);
    }
  }
  fx_free(&f);
}

/* Every negative of the evasion set keeps its Han characters: no common
 * character is folded by the variant tables. */
TEST(evasion_negatives_keep_common_characters) {
  char path[1024];
  snprintf(path, sizeof path, "%s/data/evasion_dev/evasion_dev.jsonl", shared_dir());
  FILE *fp = fopen(path, "r");
  if (!fp) return;
  fixture f;
  fx_init(&f, 0);
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  while ((got = getline(&line, &cap, fp)) > 0) {
    json_t *o = json_loadb(line, (size_t)got, 0, NULL);
    const char *kind = json_string_value(json_object_get(o, "evasion"));
    const char *s = json_string_value(json_object_get(o, "text"));
    if (kind && s && strncmp(kind, "neg_", 4) == 0) {
      norm(&f, s);
      for (size_t b = 0; b < f.o.len; b++) {
        if (!(f.o.flags[b] & TEXT_F_CHAR_START) || !(f.o.flags[b] & TEXT_F_FOLDED)) continue;
        size_t i = b;
        int32_t cp = util_utf8_next(f.o.text, f.o.len, &i);
        if (cp >= 0 && text_is_han((uint32_t)cp) && !(f.o.flags[b] & TEXT_F_DIGIT_FOLD)) {
          fprintf(stderr, "  folded a Han char in a negative: %s\n", s);
          *harness_failed = 1;
        }
      }
    }
    json_decref(o);
  }
  free(line);
  fclose(fp);
  fx_free(&f);
}

/* ---- differential: optimized vs reference implementation --------------- */

/* Both implementations over one input, each with its own (reused) output;
 * returns NULL or what differs. */
typedef struct diff_fx {
  const text_normalizer *n;
  text_norm_out fast, ref;
} diff_fx;

static const char *diff_one(diff_fx *d, const char *in, size_t len) {
  int a = text_normalize(d->n, in, len, &d->fast, NULL);
  int b = text_normalize_ref(d->n, in, len, &d->ref, NULL);
  if (a != b) return "return codes differ";
  const text_norm_out *x = &d->fast, *y = &d->ref;
  if (x->len != y->len) return "lengths differ";
  if (x->n_chars != y->n_chars) return "n_chars differ";
  if (memcmp(x->text, y->text, x->len + 1) != 0) return "text differs";
  if (memcmp(x->orig_start, y->orig_start, x->len * 4) != 0) return "orig_start differs";
  if (memcmp(x->orig_end, y->orig_end, x->len * 4) != 0) return "orig_end differs";
  if (memcmp(x->char_index, y->char_index, x->len * 4) != 0) return "char_index differs";
  if (memcmp(x->repeat, y->repeat, x->len) != 0) return "repeat differs";
  if (memcmp(x->flags, y->flags, x->len) != 0) return "flags differ";
  return NULL;
}

static void diff_report(const char *why, const char *in, size_t len, const diff_fx *d) {
  fprintf(stderr, "  differs (%s) on %zu bytes: \"", why, len);
  for (size_t i = 0; i < len && i < 400; i++) {
    unsigned char c = (unsigned char)in[i];
    if (c < 0x20 || c == 0x7F) fprintf(stderr, "\\x%02X", c); else fputc(c, stderr);
  }
  fprintf(stderr, "\"\n  fast: \"%s\"\n  ref:  \"%s\"\n", d->fast.text, d->ref.text);
}

/* The pack-like configurations the differential tests run under. */
enum { N_DIFF_CFG = 7 };
static text_normalizer *diff_norm(int which) {
  static const text_digit_alias al[] = {
      {0x5E7A, '1'}, {0x62D0, '7'}, {0x4E24, '2'}, {0x52FE, '9'}, {0x6D1E, '0'}};
  static const text_char_fold fo[] = {{0x8587, 0x5FAE}, {0x4EDF, 0x5343}, {0x4F70, 0x767E},
                                      {0x62FE, 0x5341}, {0x9AD9, 0x9AD8}, {0x4E0A, 0x3002}};
  static const text_char_fold fo_len[] = {{'x', 0x53C9}, {0x436, 0x65E5}, {0x4E2B, 'y'},
                                          {0x8587, 0x5FAE}};
  static const uint32_t keep[] = {0x1F4B0, 0x2605, 0x1F525, 0xD800};
  text_norm_config cfg;
  text_norm_config_init(&cfg);
  switch (which) {
  case 0: break;                                           /* defaults */
  case 1: cfg.aliases = al; cfg.n_aliases = 5; break;      /* digit aliases */
  case 2:                                                  /* everything a pack declares */
    cfg.aliases = al; cfg.n_aliases = 5;
    cfg.folds = fo; cfg.n_folds = 6;                       /* incl. a fold into a separator */
    cfg.keep = keep; cfg.n_keep = 4;
    break;
  case 3: cfg.squeeze = 0; cfg.aliases = al; cfg.n_aliases = 5; break;
  case 4: cfg.min_digit_run = 1; break;
  case 5: cfg.min_digit_run = 2; cfg.aliases = al; cfg.n_aliases = 5; break;
  default: /* folds that change a character's length: ASCII to Han and back, two bytes to three */
    cfg.min_digit_run = 6;
    cfg.folds = fo_len;
    cfg.n_folds = 4;
    break;
  }
  text_normalizer *n = NULL;
  return text_normalizer_new(&cfg, NULL, &n, NULL) == 0 ? n : NULL;
}

static uint64_t lcg(uint64_t *seed) {
  *seed = *seed * 6364136223846793005u + 1442695040888963407u;
  return *seed >> 33;
}

/* Every line of a file (JSONL text fields, or plain lines), up to max_bytes,
 * under every configuration. */
static long diff_file(int *harness_failed, const char *path, int jsonl, size_t max_bytes) {
  FILE *fp = fopen(path, "r");
  if (!fp) return -1;
  diff_fx d[N_DIFF_CFG];
  for (int c = 0; c < N_DIFF_CFG; c++) {
    d[c].n = diff_norm(c);
    text_norm_out_init(&d[c].fast, NULL);
    text_norm_out_init(&d[c].ref, NULL);
  }
  char *line = NULL;
  size_t cap = 0, seen = 0;
  ssize_t got;
  long n = 0;
  while (!*harness_failed && seen < max_bytes && (got = getline(&line, &cap, fp)) > 0) {
    seen += (size_t)got;
    const char *s = line;
    size_t len = (size_t)got;
    json_t *o = NULL;
    if (jsonl) {
      o = json_loadb(line, (size_t)got, 0, NULL);
      json_t *t = o ? json_object_get(o, "text") : NULL;
      if (!json_is_string(t)) { json_decref(o); continue; }
      s = json_string_value(t);
      len = json_string_length(t);
    } else if (len && s[len - 1] == '\n') len--;
    for (int c = 0; c < N_DIFF_CFG && !*harness_failed; c++) {
      const char *why = diff_one(&d[c], s, len);
      if (why) {
        fprintf(stderr, "  %s line %ld, config %d:\n", path, n + 1, c);
        diff_report(why, s, len, &d[c]);
        *harness_failed = 1;
      }
    }
    json_decref(o);
    n++;
  }
  free(line);
  fclose(fp);
  for (int c = 0; c < N_DIFF_CFG; c++) {
    text_norm_out_free(&d[c].fast);
    text_norm_out_free(&d[c].ref);
    text_normalizer_free((text_normalizer *)d[c].n);
  }
  return n;
}

TEST(differential_real_posts) {
  static const char *sets[] = {"cold", "mudou_spam_sms", "telecom_fraud_5", "toxicn",
                               "weibo_rumor_ced"};
  char path[1024];
  long total = 0;
  for (size_t i = 0; i < sizeof sets / sizeof sets[0] && !*harness_failed; i++) {
    snprintf(path, sizeof path, "%s/data/%s/dev.jsonl", shared_dir(), sets[i]);
    long n = diff_file(harness_failed, path, 1, (size_t)-1);
    if (n > 0) total += n;
  }
  snprintf(path, sizeof path, "%s/data/evasion_dev/evasion_dev.jsonl", shared_dir());
  if (!*harness_failed) {
    long n = diff_file(harness_failed, path, 1, (size_t)-1);
    if (n > 0) total += n;
  }
  /* a slice of the benchmark corpus (the whole of it runs in bench_normalize) */
  snprintf(path, sizeof path, "%s/bench/weibo_ced.txt", shared_dir());
  if (!*harness_failed) {
    long n = diff_file(harness_failed, path, 0, 3u << 20);
    if (n > 0) total += n;
  }
  if (total == 0) fprintf(stderr, "  (skipped: no %s/data)\n", shared_dir());
}

/* Pieces whose neighbours matter: whitespace of every kind next to letters,
 * digits, Han, numerals, aliases, separators, repeats, noise, pack folds and
 * keeps, multi-character folds, astral characters and broken UTF-8. */
static const char *const diff_alpha[] = {
    "一", "二", "〇", "零", "五", "幺", "两", "洞", "拐", "伍", "陆", "陸", "壹", "①", "⑩", "１",
    "1", "2", "0", "9", " ", " ", " ", "  ", "\u3000", "\t", "\u00a0", "，", "。", "!", "“",
    "\n", "\r", ":", "*", ".", "/", "@", "\u200b", "😘", "\ufe0f", "💰", "★", "🔥", "a", "b",
    "s", "x", "A", "Ａ", "а", "é", "e\u0301", "流", "流", "水", "刷", "好", "好", "保", "證",
    "髙", "薇", "微", "仟", "佰", "拾", "上", "㍿", "ﬁ", "⽤", "ⅲ", "㈠", "ﷺ", "が", "한", "𠀀",
    "𝟙", "ж", "丫", "叉", "y", "\xE5\x88", "\x80", "\xC0\xAF", "\xE0\x80\x80", "\xED\xA0\x80", "\xF0\x9F",
    "\xFF", "\0"};

static size_t diff_piece(char *buf, const char *p) {
  size_t pl = p[0] ? strlen(p) : 1; /* "\0" is one NUL byte */
  memcpy(buf, p, pl);
  return pl;
}

TEST(differential_random_mixes) {
  const size_t na = sizeof diff_alpha / sizeof diff_alpha[0];
  uint64_t seed = 20240611;
  char buf[1024];
  for (int c = 0; c < N_DIFF_CFG && !*harness_failed; c++) {
    diff_fx d;
    d.n = diff_norm(c);
    ASSERT(d.n != NULL);
    text_norm_out_init(&d.fast, NULL);
    text_norm_out_init(&d.ref, NULL);
    for (int iter = 0; iter < 20000 && !*harness_failed; iter++) {
      size_t len = 0;
      /* biased alphabets: sometimes only spaces/digits/numerals, to make runs */
      size_t span = lcg(&seed) % 4 == 0 ? 24 : na;
      int k = (int)(lcg(&seed) % 40);
      for (int j = 0; j < k; j++) len += diff_piece(buf + len, diff_alpha[lcg(&seed) % span]);
      const char *why = diff_one(&d, buf, len);
      if (why) {
        fprintf(stderr, "  config %d, iteration %d:\n", c, iter);
        diff_report(why, buf, len, &d);
        *harness_failed = 1;
      }
    }
    text_norm_out_free(&d.fast);
    text_norm_out_free(&d.ref);
    text_normalizer_free((text_normalizer *)d.n);
  }
}

TEST(differential_random_bytes) {
  uint64_t seed = 77;
  unsigned char buf[256];
  diff_fx d;
  d.n = diff_norm(2);
  ASSERT(d.n != NULL);
  text_norm_out_init(&d.fast, NULL);
  text_norm_out_init(&d.ref, NULL);
  for (int iter = 0; iter < 50000 && !*harness_failed; iter++) {
    size_t len = lcg(&seed) % sizeof buf;
    int mode = (int)(lcg(&seed) % 3);
    for (size_t j = 0; j < len; j++) {
      unsigned v = (unsigned)lcg(&seed);
      /* mode 1: bytes around UTF-8 lead/continuation boundaries; 2: ASCII-heavy */
      unsigned lead = v % 2 ? 0x80 | (v >> 8) % 0x40 : 0xC0 + (v >> 8) % 0x40;
      unsigned text = v % 4 ? 0x20 + (v >> 8) % 0x60 : v >> 8;
      buf[j] = (unsigned char)(mode == 0 ? v : mode == 1 ? lead : text);
    }
    const char *why = diff_one(&d, (const char *)buf, len);
    if (why) {
      diff_report(why, (const char *)buf, len, &d);
      *harness_failed = 1;
    }
  }
  text_norm_out_free(&d.fast);
  text_norm_out_free(&d.ref);
  text_normalizer_free((text_normalizer *)d.n);
}

/* Lines longer than a chunk (65536 units without a separator), so chunks end
 * inside whitespace decisions, digit runs and repeats, and a buffer that has
 * grown keeps deciding small inputs the same way. */
TEST(differential_long_lines) {
  const size_t na = sizeof diff_alpha / sizeof diff_alpha[0];
  static const char *const nosep[] = {"一", "五", "1", "2", " ", "  ", "\u3000", "a", "b", "流",
                                      "流", "好", "刷", "*", "😘", "幺", "两", "ﬁ", "㍿", "x"};
  const size_t nn = sizeof nosep / sizeof nosep[0];
  uint64_t seed = 99;
  size_t cap = 300000;
  char *buf = malloc(cap + 64);
  ASSERT(buf != NULL);
  for (int c = 0; c < N_DIFF_CFG && !*harness_failed; c++) {
    diff_fx d;
    d.n = diff_norm(c);
    text_norm_out_init(&d.fast, NULL);
    text_norm_out_init(&d.ref, NULL);
    for (int iter = 0; iter < 3 && !*harness_failed; iter++) {
      size_t len = 0;
      while (len < cap) {
        const char *p = iter == 2 ? diff_alpha[lcg(&seed) % na] : nosep[lcg(&seed) % nn];
        if (iter == 2 && (p[0] == '\n' || strcmp(p, "，") == 0 || strcmp(p, "。") == 0)) continue;
        len += diff_piece(buf + len, p);
      }
      const char *why = diff_one(&d, buf, len);
      if (!why) why = diff_one(&d, buf, 5000); /* a small input after a large one */
      if (why) {
        fprintf(stderr, "  config %d, long line %d:\n", c, iter);
        diff_report(why, buf, len, &d);
        *harness_failed = 1;
      }
    }
    text_norm_out_free(&d.fast);
    text_norm_out_free(&d.ref);
    text_normalizer_free((text_normalizer *)d.n);
  }
  free(buf);
}

HARNESS_MAIN
