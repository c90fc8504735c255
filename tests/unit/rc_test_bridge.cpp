// The user-space half of tests/cases/rc_test.h: a portable C case reports
// failures through rc_test_fail() (a GoogleTest non-fatal failure at the
// case's own file and line) and gets its memory from rc_test_alloc() (freed
// when the case ends, as kunit_kzalloc() memory is in the kernel).
#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

extern "C" {
#include "../cases/rc_test.h"
}

struct rc_test_ctx {
  std::vector<void *> allocs;
};

extern "C" void rc_test_fail(struct rc_test_ctx *, const char *file, int line, const char *text,
                             long long a, long long b) {
  ADD_FAILURE_AT(file, line) << "check failed: " << text << "\n  values: " << a << " vs " << b
                             << " (0x" << std::hex << static_cast<unsigned long long>(a) << " vs 0x"
                             << static_cast<unsigned long long>(b) << ")";
}

extern "C" void *rc_test_alloc(struct rc_test_ctx *t, size_t size) {
  void *p = std::calloc(1, size ? size : 1);
  if (p)
    t->allocs.push_back(p);
  return p;
}

extern "C" void rc_test_run(void (*fn)(struct rc_test_ctx *t)) {
  rc_test_ctx ctx;
  fn(&ctx);
  for (void *p : ctx.allocs)
    std::free(p);
}
