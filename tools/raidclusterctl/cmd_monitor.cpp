// monitor: the module's uevents, one JSON line each, from the kernel's
// uevent netlink (libudev's "kernel" source: no udev daemon needed).
#include "commands.hpp"
#include "error.hpp"
#include "monitor.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <iostream>
#include <libudev.h>
#include <memory>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace rcctl {

namespace {

std::string now_utc() {
  char buf[32];
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

rc::Uevent uevent_of(udev_device *d) {
  rc::Uevent u;
  const char *s = udev_device_get_subsystem(d);
  const char *n = udev_device_get_sysname(d);
  u.subsystem = s ? s : "";
  u.sysname = n ? n : "";
  for (udev_list_entry *e = udev_device_get_properties_list_entry(d); e;
       e = udev_list_entry_get_next(e)) {
    const char *v = udev_list_entry_get_value(e);
    u.env[udev_list_entry_get_name(e)] = v ? v : "";
  }
  return u;
}

// --program PROG EVENT OBJECT VALUE, the JSON line on its stdin; waited
// for, so events reach it in order.  Its failure is reported, not fatal.
void run_program(const std::string &prog, const rc::MonitorEvent &ev, const std::string &line) {
  int fds[2];
  if (pipe(fds) != 0)
    throw rc::SysError("pipe", errno);
  pid_t pid = fork();
  if (pid < 0)
    throw rc::SysError("fork", errno);
  if (pid == 0) {
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char *> argv{const_cast<char *>(prog.c_str())};
    for (const auto &a : ev.args)
      argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    std::fprintf(stderr, "raidclusterctl monitor: cannot run %s: %s\n", prog.c_str(),
                 std::strerror(errno));
    _exit(127);
  }
  close(fds[0]);
  const std::string text = line + "\n";
  if (write(fds[1], text.data(), text.size()) < 0) {
    // EPIPE: the program does not read its stdin, which it need not
  }
  close(fds[1]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (!WIFEXITED(status) || WEXITSTATUS(status))
    std::cerr << "raidclusterctl monitor: " << prog << " " << ev.args[0] << " exited with "
              << (WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) << "\n";
}

} // namespace

int cmd_monitor(const MonitorOpts &o) {
  std::signal(SIGPIPE, SIG_IGN);
  std::unique_ptr<udev, decltype(&udev_unref)> u(udev_new(), udev_unref);
  if (!u)
    throw rc::Error("monitor: libudev cannot be used");
  std::unique_ptr<udev_monitor, decltype(&udev_monitor_unref)> mon(
      udev_monitor_new_from_netlink(u.get(), "kernel"), udev_monitor_unref);
  if (!mon)
    throw rc::SysError("monitor: the kernel's uevent socket", errno ? errno : EPERM);
  udev_monitor_filter_add_match_subsystem_devtype(mon.get(), "module", nullptr);
  udev_monitor_filter_add_match_subsystem_devtype(mon.get(), "block", "disk");
  if (udev_monitor_enable_receiving(mon.get()) < 0)
    throw rc::SysError("monitor: listen to the kernel's uevents", errno ? errno : EPERM);
  if (!o.quiet_start)
    std::cerr << "raidclusterctl monitor: listening\n";
  unsigned seen = 0;
  struct pollfd p = {udev_monitor_get_fd(mon.get()), POLLIN, 0};
  while (!o.count || seen < o.count) {
    if (poll(&p, 1, -1) < 0) {
      if (errno == EINTR)
        continue;
      throw rc::SysError("monitor: poll", errno);
    }
    std::unique_ptr<udev_device, decltype(&udev_device_unref)> d(
        udev_monitor_receive_device(mon.get()), udev_device_unref);
    if (!d)
      continue;
    std::optional<rc::MonitorEvent> ev = rc::monitor_event(uevent_of(d.get()), now_utc());
    if (!ev)
      continue;
    const std::string line = rc::dump_json(ev->json, -1);
    std::cout << line << std::endl;
    if (!o.program.empty())
      run_program(o.program, *ev, line);
    seen++;
  }
  return 0;
}

} // namespace rcctl
