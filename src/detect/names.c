/* names.c — "is a person's name bound to an identifier" (domain.md §1.7):
 * a 姓名 label followed by 2-4 Han characters anywhere in a post that carries
 * an ID/phone/card, or a common surname + 1-2 Han characters (or 某/某某)
 * standing just before an identifier.  No NER: a surname list suffices. */
#include <string.h>
#include "detect/detect_int.h"

/* The most common surnames (≈ 85% of the population), one UTF-8 char each. */
static const char surnames[] =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤";

static int is_han(const char *t, size_t n, size_t i) {
  return i + 3 <= n && (unsigned char)t[i] >= 0xE4 && (unsigned char)t[i] <= 0xE9;
}

static int is_surname(const char *p) {
  for (size_t k = 0; k + 3 <= sizeof surnames - 1; k += 3)
    if (memcmp(surnames + k, p, 3) == 0) return 1;
  return 0;
}

/* Characters that may follow a name in a record: labels and separators. */
static int name_follow(const char *t, size_t n, size_t i) {
  static const char *const follow[] = {"身", "电", "手", "住", "男", "女", "号", "的", "联",
                                       "卡", "家", "地", "户", "工", "今", "岁", "证"};
  if (i >= n) return 1;
  if (!is_han(t, n, i)) return 1;
  for (size_t k = 0; k < sizeof follow / sizeof follow[0]; k++)
    if (memcmp(t + i, follow[k], 3) == 0) return 1;
  return 0;
}

static int binds(detect_type t) {
  return t == DETECT_CN_ID || t == DETECT_CN_ID_MASKED || t == DETECT_MOBILE ||
         t == DETECT_MOBILE_MASKED || t == DETECT_BANK_CARD || t == DETECT_FPR_CARD ||
         t == DETECT_PASSPORT || t == DETECT_HKID || t == DETECT_TW_ID;
}

int detect_name_near_id(const detect_input *in, const detect_scratch *s) {
  const detect_item *it = s->items.data;
  const char *t = in->text;
  size_t n = in->len;
  int any = 0;
  for (size_t i = 0; i < s->items.len; i++) any |= binds(it[i].type);
  if (!any) return 0;
  /* label: 姓名：张三 */
  const detect_ctx_hit *h = s->ctx.data;
  for (size_t i = 0; i < s->ctx.len; i++) {
    if (h[i].kind != DETECT_CTX_NAME) continue;
    size_t j = h[i].end;
    if (j < n && (t[j] == ':' || t[j] == ' ')) j++;
    size_t chars = 0;
    while (is_han(t, n, j + chars * 3) && chars < 4) chars++;
    if (chars >= 2) return 1;
  }
  /* surname + 1-2 chars shortly before an identifier */
  for (size_t i = 0; i < s->items.len; i++) {
    if (!binds(it[i].type)) continue;
    size_t end = it[i].cstart, from = end > 30 ? end - 30 : 0;
    for (size_t p = from; p + 6 <= end; p++) {
      if (!is_han(t, n, p) || !is_surname(t + p)) continue;
      if (p >= 3 && is_han(t, n, p - 3)) {
        /* surname glued to a preceding Han word ("紧张"): only after 是/叫/了/名 */
        const char *prev = t + p - 3;
        if (memcmp(prev, "是", 3) != 0 && memcmp(prev, "叫", 3) != 0 &&
            memcmp(prev, "了", 3) != 0 && memcmp(prev, "名", 3) != 0)
          continue;
      }
      for (size_t chars = 1; chars <= 2; chars++) {
        size_t q = p + 3 + chars * 3;
        if (!is_han(t, n, q - 3)) break;
        if (name_follow(t, n, q)) return 1;
      }
    }
  }
  return 0;
}
