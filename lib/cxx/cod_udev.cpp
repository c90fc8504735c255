#include "cod_udev.hpp"

#include "rclib.hpp"

namespace rc {

std::string cod_udev_properties(const CodReport &r, const Membership &m, bool blank) {
  const rc_config *cfg = r.config();
  if (!cfg) {
    // Both copies absent (never written, or wiped by detach) is "none";
    // anything else that did not decode is worth telling apart.
    bool absent = r.copy[0].status == RC_COD_ENOCOD && r.copy[1].status == RC_COD_ENOCOD;
    if (!absent)
      return "RAIDCLUSTER_COD=invalid\n";
    return blank ? "RAIDCLUSTER_COD=none\nRAIDCLUSTER_BLANK=1\n" : "RAIDCLUSTER_COD=none\n";
  }
  if (!m.member)
    return "RAIDCLUSTER_COD=unlisted\n";
  std::string uuid = format_uuid(cfg->cluster_uuid);
  return "ID_FS_TYPE=raidcluster_member\n"
         "ID_FS_USAGE=raid\n"
         "ID_FS_UUID=" +
         uuid + "\nID_FS_UUID_ENC=" + uuid +
         "\n"
         "RAIDCLUSTER_COD=member\n"
         "RAIDCLUSTER_DISK=" +
         std::to_string(m.index) + "\nRAIDCLUSTER_DISK_STATE=" + m.state +
         "\nRAIDCLUSTER_GENERATION=" + std::to_string(cfg->generation) + "\n";
}

} // namespace rc
