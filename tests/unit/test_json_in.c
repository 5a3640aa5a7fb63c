/* test_json_in.c — the JSON Lines record parser (src/engine/json_in.c):
 * fields, escapes, every error kind with its column, limits, and a
 * differential run against jansson over generated and mutated records. */
#include <jansson.h>
#include "engine/json_in.h"
#include "netpatrol.h"
#include "tests/harness.h"

static json_in *g_p;

static void free_parser(void) { json_in_free(g_p); }

/* One parser for the whole binary, as a scratch would hold it. */
static json_in *parser(void) {
  if (!g_p) {
    if (json_in_new(NULL, &g_p) < 0) return NULL;
    atexit(free_parser);
  }
  return g_p;
}

static int parse(const char *s, json_in_rec *r) { return json_in_parse(parser(), s, strlen(s), r); }

static int parse_n(const char *s, size_t n, json_in_rec *r) {
  return json_in_parse(parser(), s, n, r);
}

/* The record's text as a NUL-terminated copy (static, for asserts). */
static const char *text_of(const json_in_rec *r) {
  static char buf[256];
  if (r->text_kind != JSON_IN_STRING || r->text_len >= sizeof buf) return "(none)";
  memcpy(buf, r->text, r->text_len);
  buf[r->text_len] = 0;
  return buf;
}

static const char *slice(const char *p, size_t n) {
  static char buf[512];
  if (!p) return "(null)";
  if (n >= sizeof buf) n = sizeof buf - 1;
  memcpy(buf, p, n);
  buf[n] = 0;
  return buf;
}

TEST(good_record_fields) {
  json_in_rec r;
  const char *line = "{\"id\":\"a1\",\"text\":\"加微信 v\",\"author\":\"u1\",\"source\":\"weibo\","
                     "\"time\":1700000000,\"url\":\"http://x\",\"reply_to\":\"u2\",\"lang\":\"zh\"}";
  ASSERT_EQ_INT(parse(line, &r), JSON_IN_OK);
  ASSERT_STR_EQ(slice(r.id, r.id_len), "\"a1\"");
  ASSERT_STR_EQ(r.id_str, "a1");
  ASSERT_EQ_INT(r.text_kind, JSON_IN_STRING);
  ASSERT_STR_EQ(text_of(&r), "加微信 v");
  ASSERT(r.text > line && r.text < line + strlen(line)); /* no escapes: borrowed, not copied */
  ASSERT_STR_EQ(r.author, "u1");
  ASSERT_STR_EQ(r.reply_to, "u2");
  ASSERT_EQ_INT(r.time, 1700000000);
  ASSERT(r.extra == NULL);
}

TEST(unknown_members_go_to_extra_in_order) {
  json_in_rec r;
  ASSERT_EQ_INT(parse("{\"z\":1,\"text\":\"t\",\"ch\":\"c9\",\"o\":{\"a\":[1,true,null]}}", &r),
                JSON_IN_OK);
  ASSERT_STR_EQ(slice(r.extra, r.extra_len), "{\"z\":1,\"ch\":\"c9\",\"o\":{\"a\":[1,true,null]}}");
  ASSERT(r.id == NULL && r.id_str == NULL && r.author == NULL);
}

TEST(whitespace_is_dropped_from_id_and_extra) {
  json_in_rec r;
  ASSERT_EQ_INT(parse(" { \"id\" : { \"k\" : [ 1 , 2 ] } ,\t\"text\" : \"a b\" , \"x\" : "
                      "[ \"s p\" , { } ] , \"y\" : \"q \\\" r\" }\r\n",
                      &r),
                JSON_IN_OK);
  ASSERT_STR_EQ(slice(r.id, r.id_len), "{\"k\":[1,2]}");
  ASSERT(r.id_str == NULL);
  ASSERT_STR_EQ(text_of(&r), "a b");
  ASSERT_STR_EQ(slice(r.extra, r.extra_len), "{\"x\":[\"s p\",{}],\"y\":\"q \\\" r\"}");
}

TEST(id_is_echoed_verbatim) {
  json_in_rec r;
  ASSERT_EQ_INT(parse("{\"id\":12345678901234567890123,\"text\":\"\"}", &r), JSON_IN_OK);
  ASSERT_STR_EQ(slice(r.id, r.id_len), "12345678901234567890123");
  ASSERT_EQ_INT(r.text_len, 0);
  ASSERT_EQ_INT(parse("{\"id\":\"\\u00e9\\/x\",\"text\":\"\"}", &r), JSON_IN_OK);
  ASSERT_STR_EQ(slice(r.id, r.id_len), "\"\\u00e9\\/x\"");
  ASSERT_STR_EQ(r.id_str, "é/x");
}

TEST(text_kinds) {
  json_in_rec r;
  ASSERT_EQ_INT(parse("{\"id\":1}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.text_kind, JSON_IN_ABSENT);
  ASSERT_EQ_INT(parse("{\"text\":42}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.text_kind, JSON_IN_OTHER);
  ASSERT_EQ_INT(parse("{\"text\":null}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.text_kind, JSON_IN_OTHER);
  ASSERT_EQ_INT(parse("{}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.text_kind, JSON_IN_ABSENT);
  /* author that is not a string is ignored, not an error */
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"author\":7,\"reply_to\":[]}", &r), JSON_IN_OK);
  ASSERT(r.author == NULL && r.reply_to == NULL);
}

TEST(escapes_decode) {
  json_in_rec r;
  ASSERT_EQ_INT(parse("{\"text\":\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"}", &r), JSON_IN_OK);
  ASSERT_STR_EQ(text_of(&r), "a\"b\\c/d\be\ff\ng\rh\ti");
  ASSERT_EQ_INT(parse("{\"text\":\"\\u4e2d\\u6587\\u00E9\\u0041\\u007f\"}", &r), JSON_IN_OK);
  ASSERT_STR_EQ(text_of(&r), "中文éA\x7f");
  ASSERT_EQ_INT(parse("{\"text\":\"x\\ud83d\\ude00y\\uDBFF\\uDFFF\"}", &r), JSON_IN_OK);
  ASSERT_STR_EQ(text_of(&r), "x\xF0\x9F\x98\x80y\xF4\x8F\xBF\xBF");
  /* escaped keys are decoded before they are recognised */
  ASSERT_EQ_INT(parse("{\"te\\u0078t\":\"ok\",\"\\u0061uthor\":\"\\u7528\"}", &r), JSON_IN_OK);
  ASSERT_STR_EQ(text_of(&r), "ok");
  ASSERT_STR_EQ(r.author, "用");
}

TEST(invalid_surrogates_and_escapes) {
  json_in_rec r;
  const char *bad[] = {
      "{\"text\":\"\\ud83d\"}",         "{\"text\":\"\\ud83dx\"}",
      "{\"text\":\"\\ud83d\\u0041\"}",  "{\"text\":\"\\ude00\"}",
      "{\"text\":\"\\ud83d\\ud83d\"}",  "{\"text\":\"\\ud83d\\ude0\"}",
      "{\"text\":\"\\u12g4\"}",         "{\"text\":\"\\x41\"}",
      "{\"text\":\"\\U0041\"}",         "{\"text\":\"\\'\"}",
      "{\"text\":\"\\ud83d\\\"}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    int st = parse(bad[i], &r);
    if (st != JSON_IN_BAD_JSON) FAIL_AT("%s: status %d", bad[i], st);
  }
  ASSERT_EQ_INT(parse("{\"text\":\"ab\\ude00\"}", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(r.column, 12);
  ASSERT_CONTAINS(r.reason, "surrogate");
}

TEST(error_columns_and_kinds) {
  json_in_rec r;
  ASSERT_EQ_INT(parse("{\"id\":\"m2\",\"text\":\"broken", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(r.column, 26);
  ASSERT_STR_EQ(r.reason, "premature end of input");
  ASSERT_EQ_INT(parse("{\"a\" 1}", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(r.column, 6);
  ASSERT_STR_EQ(r.reason, "expected ':', found '1'");
  ASSERT_EQ_INT(parse("{\"a\":1}x", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(r.column, 8);
  ASSERT_EQ_INT(parse("{\"a\":1,}", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(r.column, 8);
  ASSERT_EQ_INT(parse("{\"a\":tru}", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(r.column, 6);
  ASSERT_EQ_INT(parse("{a:1}", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(r.column, 2);
  ASSERT_EQ_INT(parse("", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(r.column, 1);
  ASSERT_EQ_INT(parse("   ", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(parse("{\"text\":\"a\tb\"}", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(r.column, 11);
  ASSERT_CONTAINS(r.reason, "control character 0x09");
  ASSERT_EQ_INT(parse("{\"a\":1}{}", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(parse("\xEF\xBB\xBF{}", &r), JSON_IN_BAD_JSON); /* BOM: valid UTF-8, not JSON */
  ASSERT_EQ_INT(r.column, 1);
}

TEST(not_object) {
  json_in_rec r;
  const char *vals[] = {"[1,2,3]", "42", "\"str\"", "true", "null", " [ ] ", "-0.5e3"};
  for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
    int st = parse(vals[i], &r);
    if (st != JSON_IN_NOT_OBJECT) FAIL_AT("%s: status %d", vals[i], st);
  }
  /* an invalid non-object is bad_json, not not_object */
  ASSERT_EQ_INT(parse("[1,2", &r), JSON_IN_BAD_JSON);
}

TEST(bad_utf8) {
  json_in_rec r;
  static const char *const bad[] = {
      "\xC0\x80",         /* overlong NUL */
      "\xC1\xBF",         /* overlong */
      "\xE0\x80\xAF",     /* overlong '/' */
      "\xE0\x9F\xBF",     /* overlong */
      "\xED\xA0\x80",     /* UTF-16 surrogate D800 */
      "\xED\xBF\xBF",     /* surrogate DFFF */
      "\xF0\x8F\xBF\xBF", /* overlong */
      "\xF4\x90\x80\x80", /* > U+10FFFF */
      "\xF5\x80\x80\x80", "\xFF", "\x80", "\xBF", "\xE4\xB8", "\xE4\x41\x41", "\xF0\x9F\x98",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char line[64];
    snprintf(line, sizeof line, "{\"text\":\"ab%s\"}", bad[i]);
    int st = parse(line, &r);
    if (st != JSON_IN_BAD_UTF8 || r.column != 12)
      FAIL_AT("case %zu: status %d column %zu", i, st, r.column);
  }
  /* valid edges */
  ASSERT_EQ_INT(parse("{\"text\":\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80"
                      "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"}",
                      &r),
                JSON_IN_OK);
  /* outside strings: invalid UTF-8 is bad_utf8, valid non-ASCII is bad_json */
  ASSERT_EQ_INT(parse("{\"a\":1}\xFF", &r), JSON_IN_BAD_UTF8);
  ASSERT_EQ_INT(r.column, 8);
  ASSERT_EQ_INT(parse("{\"a\":中}", &r), JSON_IN_BAD_JSON);
  /* truncated at the end of the line */
  ASSERT_EQ_INT(parse("{\"text\":\"\xE4\xB8", &r), JSON_IN_BAD_UTF8);
}

TEST(nul_bytes) {
  json_in_rec r;
  ASSERT_EQ_INT(parse("{\"id\":\"m10\",\"text\":\"escaped nul \\u0000 inside\"}", &r),
                JSON_IN_NUL_BYTE);
  ASSERT_EQ_INT(r.column, 33);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"k\\u0000\":1}", &r), JSON_IN_NUL_BYTE);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"o\":[{\"a\":\"\\u0000\"}]}", &r), JSON_IN_NUL_BYTE);
  const char raw[] = "{\"text\":\"nul\0byte\"}";
  ASSERT_EQ_INT(parse_n(raw, sizeof raw - 1, &r), JSON_IN_NUL_BYTE);
  ASSERT_EQ_INT(r.column, 13);
  const char raw2[] = "{\"text\":\"x\"}\0";
  ASSERT_EQ_INT(parse_n(raw2, sizeof raw2 - 1, &r), JSON_IN_NUL_BYTE);
}

static char *nested(int depth, char open, char close) {
  /* {"text":"x","d": + (depth - 1) containers + 0 + closes + } */
  size_t n = 32 + 2 * (size_t)depth;
  char *s = malloc(n);
  size_t k = (size_t)sprintf(s, "{\"text\":\"x\",\"d\":");
  for (int i = 1; i < depth; i++) s[k++] = open;
  s[k++] = '0';
  for (int i = 1; i < depth; i++) s[k++] = close;
  s[k++] = '}';
  s[k] = 0;
  return s;
}

TEST(nesting_limit) {
  json_in_rec r;
  char *ok = nested(JSON_IN_MAX_DEPTH, '[', ']');
  char *deep = nested(JSON_IN_MAX_DEPTH + 1, '[', ']');
  int a = parse(ok, &r), b = parse(deep, &r);
  size_t col = r.column;
  free(ok);
  free(deep);
  ASSERT_EQ_INT(a, JSON_IN_OK);
  ASSERT_EQ_INT(b, JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(col, 17 + JSON_IN_MAX_DEPTH - 1); /* the 65th opening bracket */
  ASSERT_CONTAINS(r.reason, "nesting");
  /* objects count the same */
  char line[4096];
  size_t k = (size_t)sprintf(line, "{\"text\":\"x\",\"d\":");
  for (int i = 1; i <= JSON_IN_MAX_DEPTH; i++) k += (size_t)sprintf(line + k, "{\"a\":");
  k += (size_t)sprintf(line + k, "1");
  for (int i = 1; i <= JSON_IN_MAX_DEPTH; i++) line[k++] = '}';
  line[k++] = '}';
  line[k] = 0;
  ASSERT_EQ_INT(parse(line, &r), JSON_IN_BAD_JSON);
  /* very deep input does not recurse past the limit */
  size_t big = 200000;
  char *s = malloc(big + 1);
  memset(s, '[', big);
  s[big] = 0;
  int st = parse(s, &r);
  free(s);
  ASSERT_EQ_INT(st, JSON_IN_BAD_JSON);
}

TEST(huge_strings) {
  json_in_rec r;
  size_t reps = 200000; /* "中\n" escaped → 5 MB line */
  static const char unit[] = "中\\n\\u00e9";
  char *line = malloc(reps * (sizeof unit - 1) + 64);
  char *want = malloc(reps * 6 + 1);
  size_t k = (size_t)sprintf(line, "{\"text\":\""), w = 0;
  for (size_t i = 0; i < reps; i++) {
    memcpy(line + k, unit, sizeof unit - 1);
    k += sizeof unit - 1;
    memcpy(want + w, "中\né", 6);
    w += 6;
  }
  k += (size_t)sprintf(line + k, "\",\"id\":1}");
  int st = json_in_parse(parser(), line, k, &r);
  int same = st == JSON_IN_OK && r.text_len == w && memcmp(r.text, want, w) == 0;
  free(line);
  free(want);
  ASSERT_EQ_INT(st, JSON_IN_OK);
  ASSERT(same);
  /* and a small record right after reuses the buffers */
  ASSERT_EQ_INT(parse("{\"text\":\"\\u0041\"}", &r), JSON_IN_OK);
  ASSERT_STR_EQ(text_of(&r), "A");
}

TEST(numbers) {
  json_in_rec r;
  static const char *const good[] = {"0", "-0", "1", "-1", "10", "1.5", "-0.0", "1e5", "1E+5",
                                     "1e-5", "0.5e0", "123456789012345678901234567890",
                                     "1.7976931348623157e309", "2e-400"};
  static const char *const bad[] = {"01", "-01", "1.", ".5", "+1", "-", "1e", "1e+", "0x1",
                                    "NaN", "Infinity", "--1", "1.e5", "-.5", "1ee5", "00"};
  char line[128];
  for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
    snprintf(line, sizeof line, "{\"text\":\"x\",\"n\":%s,\"m\":[%s]}", good[i], good[i]);
    int st = parse(line, &r);
    if (st != JSON_IN_OK) FAIL_AT("%s rejected: %s", good[i], r.reason);
  }
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    snprintf(line, sizeof line, "{\"text\":\"x\",\"n\":%s}", bad[i]);
    int st = parse(line, &r);
    if (st != JSON_IN_BAD_JSON) FAIL_AT("%s: status %d", bad[i], st);
  }
}

TEST(time_field) {
  json_in_rec r;
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":\"2026-11-01T08:00:00Z\"}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 1793520000);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":\"2026-11-01T16:00:00+08:00\"}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 1793520000);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":\"2026-11-01 08:00:00.250\"}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 1793520000);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":\"2026-11-01T03:00:00-05:00\"}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 1793520000);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":\"2026-11-01T16:00:00+0800\"}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 1793520000); /* sscanf reading: +08 */
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":\"2026-11-01\"}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 1793491200);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":\"yesterday\"}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 0);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":\"2026-13-01\"}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 0);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":1700000000.9}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 1700000000);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":-5}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, -5);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":1.7e9}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 1700000000);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":1e300}", &r), JSON_IN_OK);
  ASSERT(r.time == INT64_MAX);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":-1e300}", &r), JSON_IN_OK);
  ASSERT(r.time == INT64_MIN);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":170000000000000000000e-11}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 1700000000);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":-0.5}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 0);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":9223372036854775807}", &r), JSON_IN_OK);
  ASSERT(r.time == INT64_MAX);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":1e-99999999}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 0);
  ASSERT_EQ_INT(parse("{\"text\":\"x\",\"time\":true}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(r.time, 0);
  ASSERT_EQ_INT(json_in_iso_time("2000-02-29T12:34:56Z"), 951827696);
  ASSERT_EQ_INT(json_in_iso_time("2000-02-29T12:34"), -1);
}

TEST(duplicate_keys) {
  json_in_rec r;
  ASSERT_EQ_INT(parse("{\"text\":\"a\",\"text\":\"b\"}", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(r.column, 13);
  ASSERT_CONTAINS(r.reason, "duplicate");
  ASSERT_EQ_INT(parse("{\"text\":\"a\",\"x\":1,\"\\u0078\":2}", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(parse("{\"text\":\"a\",\"o\":{\"k\":1,\"k\":2}}", &r), JSON_IN_BAD_JSON);
  ASSERT_EQ_INT(parse("{\"text\":\"a\",\"o\":[{\"k\":1},{\"k\":2}],\"k\":3}", &r), JSON_IN_OK);
  ASSERT_EQ_INT(parse("{\"text\":\"a\",\"o\":{\"k\":{\"k\":1}}}", &r), JSON_IN_OK);
  /* large objects (checked by sorting when they close) */
  char line[8192];
  for (int dup = 0; dup < 2; dup++)
    for (int top = 0; top < 2; top++) {
      size_t k = (size_t)sprintf(line, top ? "{\"text\":\"a\"" : "{\"text\":\"a\",\"o\":{\"z\":0");
      for (int i = 0; i < 300; i++) k += (size_t)sprintf(line + k, ",\"k%d\":%d", i, i);
      if (dup) k += (size_t)sprintf(line + k, ",\"k7\":1");
      k += (size_t)sprintf(line + k, top ? "}" : "}}");
      int st = parse(line, &r);
      if (st != (dup ? JSON_IN_BAD_JSON : JSON_IN_OK)) FAIL_AT("dup=%d top=%d: %d", dup, top, st);
    }
}

/* ---- differential test against jansson --------------------------------- */

static uint64_t g_rng = 0x9E3779B97F4A7C15u;
static unsigned rnd(unsigned n) {
  g_rng ^= g_rng << 13;
  g_rng ^= g_rng >> 7;
  g_rng ^= g_rng << 17;
  return (unsigned)(g_rng % n);
}

typedef struct gbuf {
  char *p;
  size_t n, cap;
} gbuf;

static void gput(gbuf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->p = realloc(b->p, b->cap);
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}
static void gstr(gbuf *b, const char *s) { gput(b, s, strlen(s)); }
static void gws(gbuf *b) {
  static const char *const ws[] = {"", "", "", " ", "\t", "  ", "\r\n "};
  gstr(b, ws[rnd(7)]);
}

static void gen_string(gbuf *b) {
  static const char *const parts[] = {
      "a", "Z", "9", " ", "中", "文", "é", "😀", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\b", "\\f",
      "\\r", "\\u4e2d", "\\u00e9", "\\u0041", "\\ud83d\\ude00", "\\uD800\\uDC00", "\\u007F",
      "加微信", "~", "'", "\x7f", "text", "id"};
  gput(b, "\"", 1);
  int n = (int)rnd(12);
  for (int i = 0; i < n; i++) gstr(b, parts[rnd(sizeof parts / sizeof *parts)]);
  gput(b, "\"", 1);
}

static void gen_number(gbuf *b) {
  static const char *const ints[] = {"0", "1", "-1", "42", "-0", "1234567", "99999"};
  static const char *const fracs[] = {"", "", ".5", ".25", ".0"};
  static const char *const exps[] = {"", "", "", "e5", "E-3", "e+2"};
  gstr(b, ints[rnd(7)]);
  gstr(b, fracs[rnd(5)]);
  gstr(b, exps[rnd(6)]);
}

static void gen_value(gbuf *b, int depth);

static void gen_object(gbuf *b, int depth) {
  static const char *const keys[] = {"\"a\"", "\"b\"", "\"k\\u0061\"", "\"ka\"", "\"中\"",
                                     "\"x y\"", "\"\"", "\"n\""};
  gput(b, "{", 1);
  int n = (int)rnd(4);
  unsigned used = 0;
  for (int i = 0; i < n; i++) {
    unsigned k = rnd(8);
    if ((used >> k & 1) && rnd(4)) continue; /* mostly distinct keys, sometimes duplicates */
    used |= 1u << k;
    if (b->p[b->n - 1] != '{') gput(b, ",", 1);
    gws(b);
    gstr(b, keys[k]);
    gws(b);
    gput(b, ":", 1);
    gws(b);
    gen_value(b, depth + 1);
    gws(b);
  }
  gput(b, "}", 1);
}

static void gen_value(gbuf *b, int depth) {
  unsigned k = rnd(depth > 4 ? 5 : 7);
  switch (k) {
    case 0: case 1: gen_string(b); break;
    case 2: gen_number(b); break;
    case 3: gstr(b, rnd(2) ? "true" : rnd(2) ? "false" : "null"); break;
    case 4: gen_string(b); break;
    case 5: gen_object(b, depth); break;
    default: {
      gput(b, "[", 1);
      int n = (int)rnd(4);
      for (int i = 0; i < n; i++) {
        if (i) gput(b, ",", 1);
        gws(b);
        gen_value(b, depth + 1);
        gws(b);
      }
      gput(b, "]", 1);
    }
  }
}

static void gen_record(gbuf *b) {
  b->n = 0;
  gws(b);
  gput(b, "{", 1);
  gws(b);
  int fields = 0;
  if (rnd(4)) {
    gstr(b, "\"id\":");
    gen_value(b, 1);
    fields++;
  }
  if (rnd(8)) {
    if (fields++) gput(b, ",", 1);
    gstr(b, "\"text\"");
    gws(b);
    gput(b, ":", 1);
    gws(b);
    if (rnd(10)) gen_string(b);
    else gen_value(b, 1);
  }
  if (rnd(3)) {
    if (fields++) gput(b, ",", 1);
    gstr(b, "\"author\":");
    gen_string(b);
  }
  int extra = (int)rnd(3);
  for (int i = 0; i < extra; i++) {
    if (fields++) gput(b, ",", 1);
    gstr(b, rnd(2) ? "\"ch\":" : "\"meta\":");
    gen_value(b, 1);
  }
  gws(b);
  gput(b, "}", 1);
  gws(b);
}

static void mutate(gbuf *b) {
  static const char ins[] = "\"\\{}[],:0e-.u DdE\xff\xc0\xed\x80\x01\xe4\xf0";
  int m = 1 + (int)rnd(3);
  for (int i = 0; i < m && b->n; i++) {
    size_t at = rnd((unsigned)b->n);
    switch (rnd(5)) {
      case 0: memmove(b->p + at, b->p + at + 1, b->n - at); b->n--; break;
      case 1: b->p[at] = ins[rnd(sizeof ins - 1)]; break;
      case 2: {
        char c = ins[rnd(sizeof ins - 1)];
        gput(b, " ", 1);
        memmove(b->p + at + 1, b->p + at, b->n - at - 1);
        b->p[at] = c;
        break;
      }
      case 3: b->n = at; break;
      default: { /* duplicate a chunk (duplicates keys, nests deeper) */
        size_t len = rnd(16);
        if (at + len > b->n) len = b->n - at;
        char tmp[16];
        memcpy(tmp, b->p + at, len);
        gput(b, tmp, len);
        memmove(b->p + at + len, b->p + at, b->n - at - len);
        memcpy(b->p + at, tmp, len);
      }
    }
  }
  b->p[b->n] = 0;
}

TEST(differential_against_jansson) {
  gbuf b = {0};
  int agree = 0, accepted = 0, rejected = 0, kinds_checked = 0, kinds_differ = 0;
  for (int iter = 0; iter < 20000; iter++) {
    gen_record(&b);
    if (iter % 3) mutate(&b);
    json_in_rec r;
    int st = json_in_parse(parser(), b.p, b.n, &r);
    json_error_t je;
    json_t *j = json_loadb(b.p, b.n, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    /* jansson also refuses numbers past int64/double range; RFC 8259 does not */
    if (!j && (strstr(je.text, "too big") || strstr(je.text, "overflow"))) continue;
    int mine_ok = st == JSON_IN_OK || st == JSON_IN_NOT_OBJECT;
    if (mine_ok != (j != NULL))
      FAIL_AT("iter %d: json_in %d (%s) vs jansson %s: %s", iter, st, r.reason ? r.reason : "",
              j ? "ok" : je.text, b.p);
    if (j) {
      accepted++;
      if ((st == JSON_IN_OK) != json_is_object(j)) FAIL_AT("iter %d: object? %s", iter, b.p);
      if (st == JSON_IN_OK) {
        json_t *t = json_object_get(j, "text");
        int kind = !t ? JSON_IN_ABSENT : json_is_string(t) ? JSON_IN_STRING : JSON_IN_OTHER;
        if (kind != (int)r.text_kind) FAIL_AT("iter %d: text kind %d: %s", iter, kind, b.p);
        if (kind == JSON_IN_STRING &&
            (json_string_length(t) != r.text_len ||
             memcmp(json_string_value(t), r.text, r.text_len) != 0))
          FAIL_AT("iter %d: text differs: %s", iter, b.p);
        const char *au = json_string_value(json_object_get(j, "author"));
        if ((au == NULL) != (r.author == NULL) || (au && strcmp(au, r.author)))
          FAIL_AT("iter %d: author differs: %s", iter, b.p);
        /* id and extra are the same JSON values as jansson's */
        json_t *id = json_object_get(j, "id");
        if (id) {
          json_t *mine = r.id ? json_loadb(r.id, r.id_len, JSON_DECODE_ANY, NULL) : NULL;
          int eq = mine && json_equal(mine, id);
          json_decref(mine);
          if (!eq) FAIL_AT("iter %d: id differs: %s", iter, b.p);
        } else if (r.id) {
          FAIL_AT("iter %d: id invented: %s", iter, b.p);
        }
        json_t *ex = r.extra ? json_loadb(r.extra, r.extra_len, 0, NULL) : NULL;
        size_t unknown = 0;
        const char *key;
        json_t *val;
        int eq = 1;
        json_object_foreach(j, key, val) {
          if (!strcmp(key, "id") || !strcmp(key, "text") || !strcmp(key, "author")) continue;
          unknown++;
          eq &= ex && json_equal(json_object_get(ex, key), val);
        }
        eq &= unknown == (ex ? json_object_size(ex) : 0);
        json_decref(ex);
        if (!eq) FAIL_AT("iter %d: extra differs: %s -> %s", iter, b.p, slice(r.extra, r.extra_len));
      }
    } else {
      rejected++;
      /* the kind agrees where the problem is one jansson names too */
      int jk = json_error_code(&je) == json_error_invalid_utf8 ? JSON_IN_BAD_UTF8
               : json_error_code(&je) == json_error_null_character ? JSON_IN_NUL_BYTE
                                                                    : JSON_IN_BAD_JSON;
      /* jansson reads ahead a few bytes, so it may see an invalid byte past
       * the first grammar error; never the other way round */
      if (st == JSON_IN_BAD_UTF8 && jk != JSON_IN_BAD_UTF8)
        FAIL_AT("iter %d: bad_utf8 but jansson: %s: %s", iter, je.text, b.p);
      kinds_differ += jk != st;
      if (!memchr(b.p, 0, b.n) && jk == JSON_IN_NUL_BYTE) {
        kinds_checked++;
        if (st != JSON_IN_NUL_BYTE) FAIL_AT("iter %d: kind %d, jansson nul: %s", iter, st, b.p);
      }
    }
    json_decref(j);
    agree++;
  }
  free(b.p);
  printf("  differential: %d records, %d accepted, %d rejected (%d with another kind), %d nul\n",
         agree, accepted, rejected, kinds_differ, kinds_checked);
  ASSERT(accepted > 2000 && rejected > 2000);
  ASSERT(kinds_differ * 100 < rejected);
}

/* Invalid UTF-8 inside string content is bad_utf8 for both parsers. */
TEST(differential_utf8_kind) {
  static const char *const seqs[] = {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                     "\xe4\xb8", "\x80", "\xf0\x9f\x98"};
  for (size_t i = 0; i < sizeof seqs / sizeof *seqs; i++) {
    char line[64];
    snprintf(line, sizeof line, "{\"id\":1,\"text\":\"ok %s ok\"}", seqs[i]);
    json_in_rec r;
    int st = parse(line, &r);
    json_error_t je;
    json_t *j = json_loads(line, JSON_REJECT_DUPLICATES, &je);
    ASSERT(j == NULL);
    ASSERT_EQ_INT(json_error_code(&je), json_error_invalid_utf8);
    ASSERT_EQ_INT(st, JSON_IN_BAD_UTF8);
  }
}

/* ---- np_scan_json end to end (json_io.c) ------------------------------ */

static np_engine *compile_words(void) {
  static const char rules[] =
      "rule words\n{\n  meta:\n    category = \"test.words\"\n    severity = \"high\"\n"
      "  strings:\n    $w = lexicon(\"words\")\n  condition:\n    $w\n}\n";
  static const char lex[] = "加微信\n手续费\n";
  np_source src[2] = {{"rules", "t.rules", rules, sizeof rules - 1},
                      {"lexicon", "lexicons/words.txt", lex, sizeof lex - 1}};
  np_engine *e = NULL;
  np_engine_config cfg;
  np_engine_config_init(&cfg);
  cfg.detectors = 0;
  np_error err = {0};
  if (np_engine_compile(&cfg, src, 2, &e, NULL, &err)) fprintf(stderr, "%s\n", err.message);
  return e;
}

static const char *scan_line(np_engine *e, np_scratch *s, const char *line, int *is_err) {
  const char *json = NULL;
  size_t len = 0;
  np_error err = {0};
  if (np_scan_json(e, s, line, strlen(line), 3, &json, &len, is_err, &err) != NP_OK) return NULL;
  return strlen(json) == len ? json : NULL;
}

TEST(scan_json_verdicts_and_errors) {
  np_engine *e = compile_words();
  ASSERT(e);
  np_scratch *s = NULL;
  ASSERT_EQ_INT(np_scratch_alloc(e, &s, NULL), NP_OK);
  int is_err = -1;
  /* evidence comes from the decoded text; id and extra are echoed compact */
  const char *out = scan_line(e, s,
                              "{\"id\": {\"k\": [1, 2]}, \"text\": \"\\u52a0\\u5fae\\u4fe1 \\\"q\\\"\","
                              " \"ch\": \"c9\", \"n\": 1.50}\n",
                              &is_err);
  ASSERT_STR_EQ(out, "{\"id\":{\"k\":[1,2]},\"action\":\"review\",\"score\":0.8,"
                     "\"categories\":[\"test.words\"],\"hits\":[{\"rule\":\"words\","
                     "\"category\":\"test.words\",\"severity\":\"high\",\"action\":\"review\","
                     "\"matches\":[{\"s\":\"$w\",\"term\":\"加微信\",\"start\":0,\"end\":9,"
                     "\"text\":\"加微信\"}]}],\"indicators\":[],\"extra\":{\"ch\":\"c9\",\"n\":1.50}}\n");
  ASSERT_EQ_INT(is_err, 0);
  ASSERT(np_scratch_verdict(s) != NULL);
  out = scan_line(e, s, "{\"id\":7,\"text\":\"平常\"}", &is_err);
  ASSERT_STR_EQ(out, "{\"id\":7,\"action\":\"pass\",\"score\":0,\"categories\":[],\"hits\":[],"
                     "\"indicators\":[]}\n");
  /* every error kind, with the id when there is one */
  static const struct {
    const char *line, *want;
  } errs[] = {
      {"{\"id\":\"m2\",\"text\":\"broken",
       "{\"line\":3,\"error\":{\"code\":\"bad_json\",\"message\":\"column 26: premature end of "
       "input\"}}\n"},
      {"{\"text\":\"a\xff\"}",
       "{\"line\":3,\"error\":{\"code\":\"bad_utf8\",\"message\":\"column 11: invalid UTF-8\"}}\n"},
      {"{\"text\":\"a\\u0000\"}",
       "{\"line\":3,\"error\":{\"code\":\"nul_byte\",\"message\":\"column 11: \\\\u0000 is not "
       "allowed\"}}\n"},
      {"[1]", "{\"line\":3,\"error\":{\"code\":\"not_object\",\"message\":\"record is not a JSON "
              "object\"}}\n"},
      {"{\"id\":[\"x\"]}", "{\"line\":3,\"id\":[\"x\"],\"error\":{\"code\":\"missing_text\","
                           "\"message\":\"record has no \\\"text\\\" field\"}}\n"},
      {"{\"id\":5,\"text\":{}}", "{\"line\":3,\"id\":5,\"error\":{\"code\":\"text_not_string\","
                                 "\"message\":\"field \\\"text\\\" must be a string\"}}\n"},
      {"{\"id\":1,\"text\":\"a\",\"text\":\"b\"}",
       "{\"line\":3,\"error\":{\"code\":\"bad_json\",\"message\":\"column 20: duplicate object "
       "key\"}}\n"},
  };
  for (size_t i = 0; i < sizeof errs / sizeof *errs; i++) {
    out = scan_line(e, s, errs[i].line, &is_err);
    if (!out || strcmp(out, errs[i].want) || is_err != 1 || np_scratch_verdict(s))
      FAIL_AT("case %zu: %s", i, out ? out : "(null)");
  }
  /* a raw NUL is reported as such, wherever it is */
  const char nul[] = "{\"text\":\"a\0\"}";
  const char *json;
  size_t len;
  ASSERT_EQ_INT(np_scan_json(e, s, nul, sizeof nul - 1, 4, &json, &len, &is_err, NULL), NP_OK);
  ASSERT_STR_EQ(json, "{\"line\":4,\"error\":{\"code\":\"nul_byte\",\"message\":\"NUL byte at "
                      "column 11\"}}\n");
  np_scratch_free(s);
  np_engine_free(e);
}

TEST(scan_json_text_limit) {
  np_engine *e = NULL;
  static const char rules[] = "rule r\n{\n  meta:\n    category = \"test.x\"\n  strings:\n"
                              "    $a = \"x\"\n  condition:\n    $a\n}\n";
  np_source src = {"rules", "t.rules", rules, sizeof rules - 1};
  np_engine_config cfg;
  np_engine_config_init(&cfg);
  cfg.max_text_bytes = 8;
  ASSERT_EQ_INT(np_engine_compile(&cfg, &src, 1, &e, NULL, NULL), NP_OK);
  np_scratch *s = NULL;
  ASSERT_EQ_INT(np_scratch_alloc(e, &s, NULL), NP_OK);
  int is_err;
  const char *out = scan_line(e, s, "{\"id\":\"t\",\"text\":\"0123456789\"}", &is_err);
  ASSERT_CONTAINS(out, "{\"line\":3,\"id\":\"t\",\"error\":{\"code\":\"too_big\"");
  ASSERT_EQ_INT(is_err, 1);
  out = scan_line(e, s, "{\"id\":\"t\",\"text\":\"\\u0078\"}", &is_err);
  ASSERT_CONTAINS(out, "\"action\":\"review\"");
  np_scratch_free(s);
  np_engine_free(e);
}

HARNESS_MAIN
