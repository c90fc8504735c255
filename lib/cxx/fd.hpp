// RAII file descriptor: closes on destruction, movable, not copyable.
#pragma once

#include <string>
#include <utility>

namespace rc {

class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  Fd(Fd &&o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd &operator=(Fd &&o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset();

  // open(2) that throws SysError("open PATH: reason", errno) on failure.
  static Fd open(const std::string &path, int flags);

private:
  int fd_ = -1;
};

} // namespace rc
