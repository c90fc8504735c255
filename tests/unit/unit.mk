# tests/unit/unit.mk: the lib/ part of the GoogleTest binary $(B)/rc-unit
# (tests/tests.mk).  The portable C cases of tests/cases/ are compiled as C
# and run through rc_test_bridge.cpp.  Other areas append their own sources
# to UNIT_SRCS from their own fragments; this one is about lib/ only.
LIB_CASES_SRCS := tests/cases/crc32c_cases.c tests/cases/geom_cases.c \
	tests/cases/cod_cases.c tests/cases/pr_key_cases.c

UNIT_SRCS += tests/unit/rc_test_bridge.cpp tests/unit/lib_cases_test.cpp \
	$(LIB_CASES_SRCS)
UNIT_LIBS += $(B)/librc.a $(LIBRC_LIBS)
