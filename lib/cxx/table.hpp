// Plain-text tables for the human output of scan, status, node list and cod
// show, printed by libsmartcols (util-linux's table library, as lsblk's):
// a header line, then one line per row; columns sized to their widest cell
// (never cut to the terminal's width), two blanks between columns, no
// trailing blanks.  Empty cells print as "-".
//
// -o/--output LIST picks columns by name, as lsblk's -o: a column's name
// is its header without a parenthesised note, blanks as '-' ("HEARTBEAT
// AGE" is HEARTBEAT-AGE, "MEMBERS (disk:start+length)" is MEMBERS); LIST
// is comma-separated, case-insensitive, '_' may stand for '-'.
#pragma once

#include <string>
#include <vector>

namespace rc {

// What of a table to print: -o LIST and --noheadings.
struct TableView {
  std::vector<std::string> columns; // names, in the order to print; empty: all
  bool headings = true;             // the header line
};

// A column's -o name for its header.
std::string column_name(const std::string &header);

// The -o names of these headers, for --help and error messages.
std::vector<std::string> column_names(const std::vector<std::string> &headers);

// LIST split at its commas ("DEVICE,WWN" -> {"DEVICE", "WWN"}).
std::vector<std::string> split_columns(const std::string &list);

// The view of -o LIST ("": every column) and --noheadings.
TableView table_view(const std::string &list, bool noheadings = false);

// The index in @headers of each of @names, in @names' order (a name may
// repeat; an empty one is skipped).  Throws UsageError naming an unknown
// name, or when no name is left, and the valid ones.
std::vector<size_t> select_columns(const std::vector<std::string> &headers,
                                   const std::vector<std::string> &names);

class Table {
public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  size_t rows() const { return rows_.size(); }
  const std::vector<std::string> &header() const { return header_; }
  // The header line (unless !view.headings) and one line per row, each
  // ending in '\n', of the columns @view names (throws UsageError for an
  // unknown one).  A table without rows is its header line alone.
  std::string str(const TableView &view = TableView()) const;

private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

} // namespace rc
