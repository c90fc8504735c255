#include "table.hpp"

#include <algorithm>

namespace rc {

std::string Table::str() const {
  std::vector<size_t> w(header_.size());
  auto cell = [](const std::vector<std::string> &r, size_t i) {
    return i < r.size() && !r[i].empty() ? r[i] : std::string("-");
  };
  for (size_t i = 0; i < header_.size(); i++) {
    w[i] = header_[i].size();
    for (const auto &r : rows_)
      w[i] = std::max(w[i], cell(r, i).size());
  }
  std::string out;
  auto line = [&](const std::vector<std::string> &r, bool hdr) {
    std::string l;
    for (size_t i = 0; i < header_.size(); i++) {
      std::string c = hdr ? header_[i] : cell(r, i);
      l += c;
      if (i + 1 < header_.size())
        l.append(w[i] - c.size() + 2, ' ');
    }
    l.erase(l.find_last_not_of(' ') + 1);
    out += l + "\n";
  };
  line(header_, true);
  for (const auto &r : rows_)
    line(r, false);
  return out;
}

} // namespace rc
