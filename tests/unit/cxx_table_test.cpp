// The human tables (lib/cxx/table.hpp) on libsmartcols: the text they
// print, and -o's column selection (here also scan's; status's and node
// list's are in their own tests).
#include "error.hpp"
#include "inventory.hpp"
#include "table.hpp"

#include <gtest/gtest.h>

using namespace rc;

namespace {

Table sample() {
  Table t({"IDX", "DEVICE", "ERRORS R/W", "MEMBERS (disk:start+length)"});
  t.add({"0", "/dev/sda", "0/0", "d0:16M+64M d1:16M+64M"});
  t.add({"12", "", "3/1", "d1:16M+64M(failed)"});
  return t;
}

} // namespace

// Columns as wide as their widest cell or header, two blanks apart, the
// last one not padded; empty cells are "-", so are missing ones.
TEST(CxxTable, AlignsPadsAndDashes) {
  EXPECT_EQ(sample().str(), "IDX  DEVICE    ERRORS R/W  MEMBERS (disk:start+length)\n"
                            "0    /dev/sda  0/0         d0:16M+64M d1:16M+64M\n"
                            "12   -         3/1         d1:16M+64M(failed)\n");
  Table t({"A", "B", "C"});
  t.add({"long cell here", "", "x"});
  t.add({"1"});
  EXPECT_EQ(t.str(), "A               B  C\n"
                     "long cell here  -  x\n"
                     "1               -  -\n");
}

// No line ends in a blank, not even one whose last cell does.
TEST(CxxTable, NoTrailingBlanks) {
  Table t({"NAME", "NOTE"});
  t.add({"a", "ends in a blank "});
  t.add({"b", "x"});
  EXPECT_EQ(t.str(), "NAME  NOTE\na     ends in a blank\nb     x\n");
}

// libsmartcols prints nothing for a table without lines; ours keeps its
// header (status shows "member disks:" over an empty table).
TEST(CxxTable, EmptyTableIsItsHeader) {
  Table t({"ID", "HEARTBEAT AGE", "COMM"});
  EXPECT_EQ(t.str(), "ID  HEARTBEAT AGE  COMM\n");
  TableView v;
  v.columns = {"comm", "ID"};
  EXPECT_EQ(t.str(v), "COMM  ID\n");
  v.headings = false;
  EXPECT_EQ(t.str(v), "");
}

// A terminal's width cuts nothing: the output is the same on a pipe.
TEST(CxxTable, WiderThanAnyTerminal) {
  std::string wide(300, 'w');
  Table t({"A", "B"});
  t.add({wide, "b"});
  EXPECT_EQ(t.str(), "A" + std::string(301, ' ') + "B\n" + wide + "  b\n");
}

TEST(CxxTable, ColumnNames) {
  EXPECT_EQ(column_name("HEARTBEAT AGE"), "HEARTBEAT-AGE");
  EXPECT_EQ(column_name("MEMBERS (disk:start+length)"), "MEMBERS");
  EXPECT_EQ(column_name("ERRORS R/W"), "ERRORS-R/W");
  EXPECT_EQ(column_name("WWN"), "WWN");
  EXPECT_EQ(column_names({"PR KEY", "IDX"}), (std::vector<std::string>{"PR-KEY", "IDX"}));
  EXPECT_EQ(split_columns("DEVICE,WWN"), (std::vector<std::string>{"DEVICE", "WWN"}));
  EXPECT_EQ(split_columns("DEVICE"), (std::vector<std::string>{"DEVICE"}));
  EXPECT_EQ(split_columns("A,,B,"), (std::vector<std::string>{"A", "", "B", ""}));
}

// -o: the columns named, in the order given, case-insensitive, '_' for
// '-'; a name may repeat.
TEST(CxxTable, SelectsColumnsInTheOrderGiven) {
  TableView v;
  v.columns = {"members", "Idx"};
  EXPECT_EQ(sample().str(v), "MEMBERS (disk:start+length)  IDX\n"
                             "d0:16M+64M d1:16M+64M        0\n"
                             "d1:16M+64M(failed)           12\n");
  v.columns = {"ERRORS_R/W", "device", "IDX", "IDX"};
  EXPECT_EQ(sample().str(v), "ERRORS R/W  DEVICE    IDX  IDX\n"
                             "0/0         /dev/sda  0    0\n"
                             "3/1         -         12   12\n");
  EXPECT_EQ(select_columns(sample().header(), {"errors-r/w", "IDX"}), (std::vector<size_t>{2, 0}));
}

// Widths follow the columns printed: a narrow selection is narrow.
TEST(CxxTable, SelectionRealigns) {
  TableView v;
  v.columns = {"IDX", "ERRORS-R/W"};
  EXPECT_EQ(sample().str(v), "IDX  ERRORS R/W\n0    0/0\n12   3/1\n");
}

// --noheadings: the rows alone, aligned as under their (unprinted) header,
// as lsblk -n.
TEST(CxxTable, NoHeadings) {
  TableView v;
  v.headings = false;
  EXPECT_EQ(sample().str(v), "0    /dev/sda  0/0         d0:16M+64M d1:16M+64M\n"
                             "12   -         3/1         d1:16M+64M(failed)\n");
  v.columns = {"DEVICE"};
  EXPECT_EQ(sample().str(v), "/dev/sda\n-\n");
}

// An unknown name, or no name at all, is a usage error that lists the
// valid names.
TEST(CxxTable, UnknownColumnNamesTheValidOnes) {
  TableView v;
  v.columns = {"IDX", "SIZE"};
  try {
    sample().str(v);
    ADD_FAILURE();
  } catch (const UsageError &e) {
    EXPECT_STREQ(e.what(),
                 "unknown column 'SIZE'; the columns are IDX, DEVICE, ERRORS-R/W, MEMBERS");
  }
  // empty names are skipped ("IDX,DEVICE," as completion leaves it), but
  // some name must be left
  v.columns = {"", "IDX", ""};
  EXPECT_EQ(sample().str(v), "IDX\n0\n12\n");
  v.columns = {""};
  try {
    sample().str(v);
    ADD_FAILURE();
  } catch (const UsageError &e) {
    EXPECT_STREQ(e.what(), "no column named; the columns are IDX, DEVICE, ERRORS-R/W, MEMBERS");
  }
  // the header as printed is not a name: it has a blank
  EXPECT_THROW(select_columns(sample().header(), {"ERRORS R/W"}), UsageError);
  EXPECT_THROW(select_columns(sample().header(), {"MEMBERS (disk:start+length)"}), UsageError);
}

// scan -o DEVICE,WWN: a disk without a WWN shows "-".
TEST(CxxTable, ScanColumns) {
  DiskProbe a, b;
  a.sys.hctl = "0:0:0:0";
  a.sys.devnode = "/dev/sda";
  parse_wwn_string("naa.5000c50066918cf0", a.wwn);
  a.serial = "d0";
  b.sys.hctl = "0:0:1:0";
  b.sys.devnode = "/dev/sdb";
  b.serial = "d1";
  TableView v;
  v.columns = {"DEVICE", "wwn"};
  EXPECT_EQ(format_probes({a, b}, v), "DEVICE    WWN\n"
                                      "/dev/sda  naa.5000c50066918cf0\n"
                                      "/dev/sdb  -\n");
  v.columns = {"serial", "hctl"};
  v.headings = false;
  EXPECT_EQ(format_probes({a, b}, v), "d0      0:0:0:0\nd1      0:0:1:0\n");
  EXPECT_EQ(format_probes({}, v), "");
  EXPECT_EQ(column_names(probe_headers()).front(), "HCTL");
  EXPECT_EQ(column_names(probe_headers()).back(), "RAIDCLUSTER");
}

// -o LIST and --noheadings as the commands pass them on.
TEST(CxxTable, ViewOfTheCommandLine) {
  TableView v = table_view("");
  EXPECT_TRUE(v.columns.empty());
  EXPECT_TRUE(v.headings);
  v = table_view("wwn,DEVICE", true);
  EXPECT_EQ(v.columns, (std::vector<std::string>{"wwn", "DEVICE"}));
  EXPECT_FALSE(v.headings);
}
