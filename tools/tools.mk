# tools/: raidclusterctl on the C++ tools library lib/cxx/ (which sits
# beside the portable C library and links it: $(B)/librc.a).

RCXX_SRCS := $(wildcard lib/cxx/*.cpp)
RCXX_OBJS := $(RCXX_SRCS:%.cpp=$(B)/%.o)
RCTL_SRCS := $(wildcard tools/raidclusterctl/*.cpp)
RCTL_OBJS := $(RCTL_SRCS:%.cpp=$(B)/%.o)
# libsmartcols (util-linux's table library) prints the human tables
# (lib/cxx/table.cpp); its header sits in a directory of its own.
SMARTCOLS_CFLAGS := $(shell pkg-config --cflags smartcols 2>/dev/null)
SMARTCOLS_LIBS := $(shell pkg-config --libs smartcols 2>/dev/null)
TOOLS_LIBS := -lsgutils2 -ludev -lblkid $(SMARTCOLS_LIBS) $(LIBRC_LIBS)
DEPFILES += $(RCXX_OBJS:.o=.d) $(RCTL_OBJS:.o=.d)

# lib/cxx headers are included by plain name from the tools and the tests.
$(RCXX_OBJS) $(RCTL_OBJS): CPPFLAGS += -I$(TOP)/lib/cxx
$(B)/lib/cxx/table.o: CPPFLAGS += $(SMARTCOLS_CFLAGS)
$(B)/tests/unit/cxx_%.o: CPPFLAGS += -I$(TOP)/lib/cxx
# the completion test sources tools/completion/ from the tree
$(B)/tests/unit/cxx_completion_test.o: CPPFLAGS += -DRC_TOP='"$(TOP)"'
# the command line's test runs the tool as built
$(B)/tests/unit/cxx_cli_test.o: CPPFLAGS += -DRC_CTL='"$(B)/raidclusterctl"'
$(B)/rc-unit: $(B)/raidclusterctl

$(B)/librcxx.a: $(RCXX_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(B)/raidclusterctl: $(RCTL_OBJS) $(B)/librcxx.a $(B)/librc.a
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) -o $@ $(RCTL_OBJS) $(B)/librcxx.a $(B)/librc.a $(TOOLS_LIBS)

USER_BINS += $(B)/raidclusterctl

# fence_raidcluster: the fence agent (fence-agents conventions) on the same
# library; installed beside the other fence agents in /usr/sbin.
FENCE_SRCS := $(wildcard tools/fence_raidcluster/*.cpp)
FENCE_OBJS := $(FENCE_SRCS:%.cpp=$(B)/%.o)
DEPFILES += $(FENCE_OBJS:.o=.d)
$(FENCE_OBJS): CPPFLAGS += -I$(TOP)/lib/cxx

$(B)/fence_raidcluster: $(FENCE_OBJS) $(B)/librcxx.a $(B)/librc.a
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) -o $@ $(FENCE_OBJS) $(B)/librcxx.a $(B)/librc.a $(TOOLS_LIBS)

USER_BINS += $(B)/fence_raidcluster

# Unit tests of the pure parts (tests/unit/cxx_*_test.cpp) join the one
# GoogleTest binary $(B)/rc-unit (tests/tests.mk).
UNIT_SRCS += $(wildcard tests/unit/cxx_*_test.cpp)
# the OCF resource agent (tools/ocf/ld), run from the tree with a stand-in tool
UNIT_SRCS += tests/unit/ocf_agent_test.cpp
$(B)/tests/unit/ocf_agent_test.o: CPPFLAGS += -DRC_TOP='"$(TOP)"'
UNIT_LIBS += $(B)/librcxx.a $(B)/librc.a $(TOOLS_LIBS)

# udev rule and its helper (the rule itself is installed by the top-level
# install target).
UDEV_HELPER_DIR ?= /lib/udev
SYSTEMD_UNIT_DIR ?= /lib/systemd/system
install: install-udev-helper install-systemd install-completion install-modprobe install-man install-ocf
uninstall: uninstall-udev-helper uninstall-systemd uninstall-completion uninstall-modprobe uninstall-man \
	uninstall-ocf
.PHONY: install-udev-helper uninstall-udev-helper
install-udev-helper:
	install -D -m 0755 tools/udev/raidcluster-udev $(DESTDIR)$(UDEV_HELPER_DIR)/raidcluster-udev
uninstall-udev-helper:
	rm -f $(DESTDIR)$(UDEV_HELPER_DIR)/raidcluster-udev

# systemd units: boot assembly (raidcluster.service), the degraded last
# resort, and the per-disk attach the udev rule hands over.  Enabling
# raidcluster.service is the admin's step (systemctl enable), as for any
# package's unit that changes what the boot does.
SYSTEMD_UNITS := $(wildcard tools/systemd/*.service tools/systemd/*.timer)
.PHONY: install-systemd uninstall-systemd
install-systemd:
	for u in $(SYSTEMD_UNITS); do \
		install -D -m 0644 $$u $(DESTDIR)$(SYSTEMD_UNIT_DIR)/$${u##*/} || exit 1; \
	done
uninstall-systemd:
	for u in $(SYSTEMD_UNITS); do rm -f $(DESTDIR)$(SYSTEMD_UNIT_DIR)/$${u##*/}; done

# bash completion (bash-completion's directory: loaded on first use)
BASH_COMPLETION_DIR ?= /usr/share/bash-completion/completions
.PHONY: install-completion uninstall-completion
install-completion:
	install -D -m 0644 tools/completion/raidclusterctl \
		$(DESTDIR)$(BASH_COMPLETION_DIR)/raidclusterctl
uninstall-completion:
	rm -f $(DESTDIR)$(BASH_COMPLETION_DIR)/raidclusterctl

# modprobe takes the module options from /etc/raidcluster.conf
MODPROBE_DIR ?= /lib/modprobe.d
.PHONY: install-modprobe uninstall-modprobe
install-modprobe:
	install -D -m 0644 tools/modprobe/raidcluster.conf $(DESTDIR)$(MODPROBE_DIR)/raidcluster.conf
uninstall-modprobe:
	rm -f $(DESTDIR)$(MODPROBE_DIR)/raidcluster.conf

# the OCF resource agent ocf:raidcluster:ld (provider raidcluster), where
# Pacemaker looks for resource agents
OCF_RA_DIR ?= /usr/lib/ocf/resource.d
.PHONY: install-ocf uninstall-ocf
install-ocf:
	install -D -m 0755 tools/ocf/ld $(DESTDIR)$(OCF_RA_DIR)/raidcluster/ld
uninstall-ocf:
	rm -f $(DESTDIR)$(OCF_RA_DIR)/raidcluster/ld
	-rmdir $(DESTDIR)$(OCF_RA_DIR)/raidcluster 2>/dev/null

# man pages: raidclusterctl(8), fence_raidcluster(8), raidcluster.conf(5),
# ocf_raidcluster_ld(7) (resource-agents' naming)
MAN_DIR ?= /usr/share/man
MAN_PAGES := Documentation/man/raidclusterctl.8 Documentation/man/fence_raidcluster.8 \
	Documentation/man/raidcluster.conf.5 Documentation/man/ocf_raidcluster_ld.7
.PHONY: install-man uninstall-man
install-man:
	for p in $(MAN_PAGES); do \
		s=$${p##*.}; install -D -m 0644 $$p $(DESTDIR)$(MAN_DIR)/man$$s/$${p##*/} || exit 1; \
	done
uninstall-man:
	for p in $(MAN_PAGES); do s=$${p##*.}; rm -f $(DESTDIR)$(MAN_DIR)/man$$s/$${p##*/}; done
