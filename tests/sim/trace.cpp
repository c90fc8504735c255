// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "trace.hpp"

#include <cstdarg>
#include <cstdio>

namespace rcsim {

void Trace::log(SimTime t, const char *fmt, ...) {
  if (mode_ == Mode::Hash)
    return;
  char buf[512];
  int n = snprintf(buf, sizeof(buf), "%5llu.%06llu ", (unsigned long long)(t / 1000000),
                   (unsigned long long)(t % 1000000));
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
  va_end(ap);
  if (mode_ == Mode::Live) {
    puts(buf);
    return;
  }
  tail_.emplace_back(buf);
  if (tail_.size() > keep_tail_)
    tail_.pop_front();
}

} // namespace rcsim
