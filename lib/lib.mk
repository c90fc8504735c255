# lib/: the portable C library (also compiled into raidcluster.ko by
# ./Kbuild) and, beside it, the C++ library of the tools.
# lib/user/: what the kernel module takes from the kernel instead (CRC32C:
# ISA-L here, crc32c() there); whoever links librc.a links $(LIBRC_LIBS).
LIBRC_SRCS := lib/user/crc32c.c lib/cod.c lib/geom.c lib/pr_key.c
LIBRC_SRCS += $(wildcard lib/proto/*.c)
LIBRC_OBJS := $(LIBRC_SRCS:%.c=$(B)/%.o)
DEPFILES += $(LIBRC_OBJS:.o=.d)

LIBRC_LIBS := -lisal

$(B)/librc.a: $(LIBRC_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# `make build/X` from the command line means $(B)/X (B is an absolute path,
# so make would otherwise not know the relative name).
ifneq (build,$(B))
build/%: $(B)/% ;
endif
