/* A small test harness with no dependencies: TEST(name) bodies collected in a
 * registry, asserts that print both sides, and a closing "N passed, N failed"
 * line that tests/run and CI read.  Include it in exactly one file per binary. */
#ifndef NP_TEST_HARNESS_H
#define NP_TEST_HARNESS_H
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*harness_fn)(int *failed);
struct harness_test { const char *name; harness_fn fn; };

#define HARNESS_MAX 512
static struct harness_test harness_tests[HARNESS_MAX];
static int harness_count;

#define TEST(name)                                                              \
  static void test_##name(int *harness_failed);                                 \
  __attribute__((constructor)) static void register_##name(void) {             \
    if (harness_count < HARNESS_MAX)                                            \
      harness_tests[harness_count++] = (struct harness_test){#name, test_##name}; \
  }                                                                             \
  static void test_##name(int *harness_failed)

#define FAIL_AT(...)                                                            \
  do {                                                                          \
    fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                           \
    fprintf(stderr, __VA_ARGS__);                                               \
    fputc('\n', stderr);                                                        \
    *harness_failed = 1;                                                        \
    return;                                                                     \
  } while (0)

#define ASSERT(c)                                                               \
  do { if (!(c)) FAIL_AT("assertion failed: %s", #c); } while (0)
#define ASSERT_EQ_INT(a, b)                                                     \
  do {                                                                          \
    long long va_ = (long long)(a), vb_ = (long long)(b);                       \
    if (va_ != vb_) FAIL_AT("%s == %s: %lld != %lld", #a, #b, va_, vb_);        \
  } while (0)
#define ASSERT_NEAR(a, b, eps)                                                  \
  do {                                                                          \
    double va_ = (a), vb_ = (b);                                                \
    if (va_ - vb_ > (eps) || vb_ - va_ > (eps))                                 \
      FAIL_AT("%s ~= %s: %g != %g", #a, #b, va_, vb_);                          \
  } while (0)
#define ASSERT_STR_EQ(a, b)                                                     \
  do {                                                                          \
    const char *sa_ = (a), *sb_ = (b);                                          \
    if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0)                                  \
      FAIL_AT("%s == %s:\n    \"%s\"\n != \"%s\"", #a, #b, sa_ ? sa_ : "(null)",  \
              sb_ ? sb_ : "(null)");                                            \
  } while (0)
#define ASSERT_MEM_EQ(a, b, n)                                                  \
  do { if (memcmp((a), (b), (n)) != 0) FAIL_AT("%s == %s (%zu bytes)", #a, #b, (size_t)(n)); } while (0)
#define ASSERT_CONTAINS(hay, needle)                                            \
  do {                                                                          \
    const char *h_ = (hay), *n_ = (needle);                                     \
    if (!h_ || !strstr(h_, n_))                                                 \
      FAIL_AT("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_);        \
  } while (0)

/* Runs every registered test (or those whose name contains argv[1]). */
static inline int harness_main(int argc, char **argv) {
  int passed = 0, failed = 0;
  for (int i = 0; i < harness_count; i++) {
    if (argc > 1 && !strstr(harness_tests[i].name, argv[1])) continue;
    int f = 0;
    harness_tests[i].fn(&f);
    if (f) { fprintf(stderr, "FAIL %s\n", harness_tests[i].name); failed++; }
    else passed++;
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
#define HARNESS_MAIN int main(int argc, char **argv) { return harness_main(argc, argv); }
#endif
