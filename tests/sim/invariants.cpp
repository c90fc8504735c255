// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "invariants.hpp"

#include <cstdarg>
#include <cstdio>

namespace rcsim {

std::string fmt(const char *f, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, f);
  vsnprintf(buf, sizeof(buf), f, ap);
  va_end(ap);
  return buf;
}

void Checker::fail(SimTime t, int node, std::string what) {
  // One report per distinct property and node is enough to diagnose; a
  // broken invariant tends to stay broken for every following step.
  for (const auto &v : viol_)
    if (v.node == node && v.what == what)
      return;
  viol_.push_back(Violation{t, node, std::move(what)});
}

bool Checker::harmful(const std::vector<NodeView> *v, const Truth &t, int n) {
  if (!t.node[n].up || !t.node[n].reaches_any || t.node[n].fenced_at_disks)
    return false;
  return !(v && (*v)[n].suspended);
}

static const SimTime kWakeGrace = 2000000;

bool Checker::awake(const Truth &t, int n) {
  return t.node[n].up && t.now >= t.node[n].frozen_until + kWakeGrace;
}

SimTime Checker::last_disturbance(const Truth &t) {
  SimTime last = t.last_fault;
  for (const NodeTruth &nt : t.node) {
    // a wake-up, or hung I/O coming back, disturbs like a fault
    SimTime end = nt.frozen_until > nt.hang_until ? nt.frozen_until : nt.hang_until;
    if (end && end <= t.now && end > last)
      last = end;
  }
  return last;
}

void Checker::check_step(const std::vector<NodeView> &v, const Truth &t) {
  // What the hosts physically run: one rebuild engine cluster-wide.
  uint64_t e = t.engines;
  if (e & (e - 1))
    fail(t.now, -1,
         fmt("rebuild engines running on several nodes (mask 0x%llx)", (unsigned long long)e));
  int rebuilders = 0, first = -1;
  for (size_t n = 0; n < v.size(); n++) {
    const NodeView &nv = v[n];
    // a frozen node's view is stale: its engine stopped with it; so does
    // the engine of a node whose lease ran out (its I/O hangs)
    if (!awake(t, (int)n) || nv.suspended || !nv.lease_running)
      continue;
    if (nv.rebuilding_ld >= 0) {
      if (rebuilders++ == 0)
        first = (int)n;
      else
        fail(t.now, (int)n,
             fmt("two rebuilds at once: node %d (ld %d) and node %d (ld %d)", first,
                 v[first].rebuilding_ld, (int)n, nv.rebuilding_ld));
    }
  }
  // A node in nexus runs its data path without the disks it marks dead:
  // if they are healthy, mirrors diverge.  Allowed only for the moment its
  // cable check (figure 15) needs to suspend it.
  if (wrong_dead_since_.size() < v.size())
    wrong_dead_since_.resize(v.size(), 0);
  for (size_t n = 0; n < v.size(); n++) {
    const NodeView &nv = v[n];
    uint64_t wrong = nv.dead_disks & ~t.failed_disks;
    if (!t.node[n].up || nv.suspended || !nv.nexus || !wrong) {
      wrong_dead_since_[n] = 0;
      continue;
    }
    if (!wrong_dead_since_[n])
      wrong_dead_since_[n] = t.now ? t.now : 1;
    else if (t.now - wrong_dead_since_[n] >= b_.dead_grace)
      fail(t.now, (int)n,
           fmt("in nexus with healthy disk(s) 0x%llx marked dead", (unsigned long long)wrong));
  }
  // The cluster's configuration on disk: only really failed disks dead.
  if (t.cod_revived)
    fail(t.now, -1,
         fmt("a COD copy marks disk(s) 0x%llx online again after it recorded them failed "
             "(no rebuild)",
             (unsigned long long)t.cod_revived));
  if (uint64_t wrong = t.cod_dead & ~t.failed_disks)
    fail(t.now, -1, fmt("the COD marks healthy disk(s) 0x%llx dead", (unsigned long long)wrong));
}

void Checker::check_settled(const std::vector<NodeView> &v, const Truth &t) {
  for (int ld = 0; ld < kMaxLds; ld++) {
    int self = -1, ref = -1, refnode = -1;
    for (size_t n = 0; n < v.size(); n++) {
      if (!harmful(&v, t, (int)n) || !awake(t, (int)n))
        continue;
      const NodeView &nv = v[n];
      if (nv.holder[ld] == (int)n) {
        if (self >= 0)
          fail(t.now, (int)n,
               fmt("ld %d reserved by both node %d and node %d (settled)", ld, self, (int)n));
        else
          self = (int)n;
      }
      if (!nv.nexus)
        continue;
      if (refnode < 0) {
        ref = nv.holder[ld];
        refnode = (int)n;
      } else if (nv.holder[ld] != ref) {
        fail(t.now, (int)n,
             fmt("ld %d: node %d says holder %d, node %d says %d (settled)", ld, refnode, ref,
                 (int)n, nv.holder[ld]));
      }
    }
  }
}

void Checker::check_liveness(const std::vector<NodeView> &v, const Truth &t) {
  const SimTime last = last_disturbance(t);
  SimTime quiet = t.now - last;
  if (quiet >= b_.converge) {
    int master = -1;
    for (size_t n = 0; n < v.size(); n++) {
      if (!awake(t, (int)n) || v[n].suspended || !v[n].master)
        continue;
      if (master >= 0)
        fail(t.now, (int)n,
             fmt("two masters after convergence: node %d and node %d", master, (int)n));
      else
        master = (int)n;
    }
    if (master >= 0)
      for (size_t n = 0; n < v.size(); n++)
        if (awake(t, (int)n) && !v[n].suspended && v[n].nexus && v[n].master_id != master)
          fail(t.now, (int)n,
               fmt("in nexus with master %d, but the master is node %d", v[n].master_id, master));
  }
  for (size_t n = 0; n < v.size(); n++) {
    const NodeTruth &nt = t.node[n];
    if (!awake(t, (int)n))
      continue;
    if (!nt.reaches_any && !v[n].suspended && t.now - nt.isolated_since >= b_.suspend)
      fail(t.now, (int)n,
           fmt("lost every path and has not suspended itself within %.0f s", b_.suspend / 1e6));
    if (!nt.all_cables)
      continue;
    SimTime since = t.now - (nt.disturbed_at > last ? nt.disturbed_at : last);
    if (since < b_.nexus)
      continue;
    if (v[n].suspended && nt.operator_suspend_ok)
      continue; // suspended for its own cable failure: awaits the operator
    if (v[n].suspended)
      fail(t.now, (int)n,
           fmt("healthy node suspended %.0f s after the last fault", b_.nexus / 1e6));
    else if (!v[n].nexus)
      fail(t.now, (int)n,
           fmt("healthy node not in NEXUS %.0f s after the last fault", b_.nexus / 1e6));
  }
}

// A grant may take a drive from a node that can no longer write it: down,
// cut off, suspended, fenced at the disks, or whose lease has run out by its
// own clock (a frozen or killed holder: the fencing wait of fence.c).
void Checker::on_grant(int node, int ld, const std::vector<NodeView> &v, const Truth &t) {
  for (size_t m = 0; m < v.size(); m++)
    if ((int)m != node && (t.grants[ld] >> m & 1) && harmful(&v, t, (int)m) && v[m].lease_running)
      fail(t.now, node,
           fmt("Reserve(ld %d) granted while node %d still holds it (its lease runs)", ld, (int)m));
}

// No data I/O is accepted by a node that does not hold the grant: after a
// takeover the old holder's bit is gone (cluster.cpp), so a frozen holder
// that wakes up and writes is caught here.
void Checker::on_io_accepted(int node, int ld, const std::vector<NodeView> &v, const Truth &t) {
  if (!(t.grants[ld] >> node & 1))
    fail(t.now, node,
         fmt("accepted I/O to ld %d without holding it (taken over or never granted)", ld));
  for (size_t m = 0; m < v.size(); m++)
    if ((int)m != node && (t.grants[ld] >> m & 1) && harmful(&v, t, (int)m))
      fail(t.now, node, fmt("accepted I/O to ld %d reserved by node %d", ld, (int)m));
}

} // namespace rcsim
