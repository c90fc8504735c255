#include "fd.hpp"
#include "error.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace rc {

SysError::SysError(const std::string &what, int err)
    : Error(what + ": " + std::strerror(err)), err_(err) {}

void Fd::reset() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

Fd Fd::open(const std::string &path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0)
    throw SysError("open " + path, errno);
  return Fd(fd);
}

} // namespace rc
