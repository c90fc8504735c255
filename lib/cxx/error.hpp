// Errors of the tools library.  Every failure is an exception whose what()
// is one line naming the problem; the CLI prints it and maps the type to an
// exit code (UsageError: 2, everything else: 1).
#pragma once

#include <stdexcept>
#include <string>

namespace rc {

// The operation was tried and failed (I/O, kernel refusal, missing disk).
class Error : public std::runtime_error {
public:
  explicit Error(const std::string &msg) : std::runtime_error(msg) {}
};

// The request itself is malformed (bad size syntax, unknown level...):
// nothing was tried.
class UsageError : public Error {
public:
  explicit UsageError(const std::string &msg) : Error(msg) {}
};

// A system call failed: the message carries strerror(err) and err is kept
// so callers can tell ENOENT from EACCES.
class SysError : public Error {
public:
  SysError(const std::string &what, int err);
  int err() const { return err_; }

private:
  int err_;
};

} // namespace rc
