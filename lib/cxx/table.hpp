// Plain-text table with columns sized to their widest cell, for the human
// output of scan, status and cod show.  Empty cells print as "-".
#pragma once

#include <string>
#include <vector>

namespace rc {

class Table {
public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  size_t rows() const { return rows_.size(); }
  // Header line plus one line per row, each ending in '\n'; no trailing
  // blanks.
  std::string str() const;

private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

} // namespace rc
