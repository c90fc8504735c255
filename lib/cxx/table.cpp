#include "table.hpp"
#include "error.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <libsmartcols.h>
#include <memory>
#include <new>

namespace rc {

namespace {

std::string upper(std::string s) {
  for (auto &c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// How a name is compared: upper case, '_' as '-'.
std::string folded(const std::string &name) {
  std::string s = upper(name);
  for (auto &c : s)
    if (c == '_')
      c = '-';
  return s;
}

std::string joined(const std::vector<std::string> &v, const char *sep) {
  std::string s;
  for (const auto &x : v)
    s += (s.empty() ? "" : sep) + x;
  return s;
}

} // namespace

std::string column_name(const std::string &header) {
  std::string s = header.substr(0, header.find(" ("));
  for (auto &c : s)
    if (c == ' ')
      c = '-';
  return upper(s);
}

std::vector<std::string> column_names(const std::vector<std::string> &headers) {
  std::vector<std::string> v;
  for (const auto &h : headers)
    v.push_back(column_name(h));
  return v;
}

std::vector<std::string> split_columns(const std::string &list) {
  std::vector<std::string> v;
  size_t b = 0;
  for (;;) {
    size_t e = list.find(',', b);
    v.push_back(list.substr(b, e == std::string::npos ? e : e - b));
    if (e == std::string::npos)
      return v;
    b = e + 1;
  }
}

TableView table_view(const std::string &list, bool noheadings) {
  TableView v;
  if (!list.empty())
    v.columns = split_columns(list);
  v.headings = !noheadings;
  return v;
}

std::vector<size_t> select_columns(const std::vector<std::string> &headers,
                                   const std::vector<std::string> &names) {
  const std::vector<std::string> valid = column_names(headers);
  std::vector<size_t> idx;
  for (const auto &n : names) {
    if (n.empty())
      continue; // "DEVICE,WWN," (as completion leaves it)
    size_t i = 0;
    while (i < valid.size() && valid[i] != folded(n))
      i++;
    if (i == valid.size())
      throw UsageError("unknown column '" + n + "'; the columns are " + joined(valid, ", "));
    idx.push_back(i);
  }
  if (idx.empty())
    throw UsageError("no column named; the columns are " + joined(valid, ", "));
  return idx;
}

std::string Table::str(const TableView &view) const {
  std::vector<size_t> cols;
  if (view.columns.empty())
    for (size_t i = 0; i < header_.size(); i++)
      cols.push_back(i);
  else
    cols = select_columns(header_, view.columns);
  // libsmartcols prints nothing at all for a table without lines.
  if (rows_.empty()) {
    if (!view.headings)
      return "";
    std::vector<std::string> h;
    for (size_t c : cols)
      h.push_back(header_[c]);
    return joined(h, "  ") + "\n";
  }

  std::unique_ptr<libscols_table, void (*)(libscols_table *)> tb(scols_new_table(),
                                                                 scols_unref_table);
  if (!tb)
    throw std::bad_alloc();
  // Not a terminal even on one: no column is cut or wrapped to its width.
  scols_table_set_termforce(tb.get(), SCOLS_TERMFORCE_NEVER);
  if (scols_table_set_column_separator(tb.get(), "  ") ||
      scols_table_enable_noheadings(tb.get(), !view.headings))
    throw std::bad_alloc();
  for (size_t c : cols)
    if (!scols_table_new_column(tb.get(), header_[c].c_str(), 0, 0))
      throw std::bad_alloc();
  for (const auto &r : rows_) {
    libscols_line *ln = scols_table_new_line(tb.get(), nullptr);
    if (!ln)
      throw std::bad_alloc();
    for (size_t j = 0; j < cols.size(); j++) {
      size_t c = cols[j];
      const char *cell = c < r.size() && !r[c].empty() ? r[c].c_str() : "-";
      if (scols_line_set_data(ln, j, cell))
        throw std::bad_alloc();
    }
  }
  char *data = nullptr;
  int err = scols_print_table_to_string(tb.get(), &data);
  std::unique_ptr<char, void (*)(void *)> owned(data, std::free);
  if (err || !data)
    throw Error("cannot print a table (libsmartcols: error " + std::to_string(err) + ")");
  // Lines are separated, the last one is not ended.  A last cell's own
  // trailing blanks go, as every line's.
  std::string out;
  std::string text = data;
  for (size_t b = 0; b <= text.size();) {
    size_t e = std::min(text.find('\n', b), text.size());
    std::string line = text.substr(b, e - b);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
    b = e + 1;
  }
  return out;
}

} // namespace rc
