// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ioctl_abuse: feeds /dev/raidcluster malformed requests, straight through
 * ioctl(2), bypassing raidclusterctl's own checks, to show that the kernel
 * validates every field by itself (include/raidcluster/ioctl.h).
 *
 *   ioctl_abuse cases DISK   table of bad requests, each must fail with the
 *                            expected errno and a NUL-terminated msg; DISK
 *                            is a spare block device for the attach cases
 *   ioctl_abuse fuzz N SEED [DISK...]
 *                            N requests of random bytes (half with a valid
 *                            header, half of those with plausible values);
 *                            the DISKs are attached again every 64 requests
 *                            so that creates and deletes keep happening.
 *                            Only "no crash" is checked here; the VM suite
 *                            checks the console for oopses
 *
 * Built statically by tests/vm/mkinitramfs.sh, run in the guest by
 * tests/vm/test_ioctl.py.  Exit status: 0 all cases behaved, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <raidcluster/ioctl.h>
#include <raidcluster/layout.h>

static int ctl_fd;
static int failures;

#define HDR(s) \
	do { \
		memset(&(s), 0, sizeof(s)); \
		(s).hdr.version = RC_IOCTL_VERSION; \
		(s).hdr.size = sizeof(s); \
	} while (0)

/* Run one request that must fail with errno @want (0: any errno). */
static void expect_fail(const char *what, unsigned long cmd, void *arg, int want)
{
	struct rc_ioc_hdr *h = arg;
	int r = ioctl(ctl_fd, cmd, arg);
	int e = errno;

	if (r == 0) {
		printf("FAIL %s: accepted\n", what);
		failures++;
		return;
	}
	if (want && e != want) {
		printf("FAIL %s: errno %d (%s), expected %d (%s)\n", what, e, strerror(e), want,
		       strerror(want));
		failures++;
		return;
	}
	/* EFAULT and ENOTTY come back without the header: no reason to show */
	int has_msg = h && e != EFAULT && e != ENOTTY;

	if (has_msg && !memchr(h->msg, 0, sizeof(h->msg))) {
		printf("FAIL %s: msg not NUL terminated\n", what);
		failures++;
		return;
	}
	printf("ok   %s: %s%s%s\n", what, strerror(e), has_msg && h->msg[0] ? ": " : "",
	       has_msg ? h->msg : "");
}

static void create_base(struct rc_ioc_create *c)
{
	HDR(*c);
	strcpy(c->name, "abuse");
	c->level = 1;
	c->stripe_sectors = 128;
	c->nextents = 2;
	for (int i = 0; i < 2; i++) {
		c->extents[i].disk = (uint32_t)i;
		c->extents[i].start = RC_DATA_START_SECTOR;
		c->extents[i].length = 2048;
	}
}

static int cases(const char *disk)
{
	struct rc_ioc_info in;
	struct rc_ioc_attach at;
	struct rc_ioc_detach de;
	struct rc_ioc_disk_info di;
	struct rc_ioc_create cr;
	struct rc_ioc_delete dl;
	struct rc_ioc_ld_info li;
	struct rc_ioc_run ru;
	struct rc_ioc_policy po;

	HDR(in);
	in.hdr.version = 0;
	expect_fail("info: version 0", RC_IOC_INFO, &in, EPROTO);
	HDR(in);
	in.hdr.version = RC_IOCTL_VERSION + 1;
	expect_fail("info: future version", RC_IOC_INFO, &in, EPROTO);
	HDR(in);
	in.hdr.size = sizeof(in) - 4;
	expect_fail("info: short size", RC_IOC_INFO, &in, EINVAL);
	HDR(in);
	in.hdr.size = 0xffffffffu;
	expect_fail("info: huge size", RC_IOC_INFO, &in, EINVAL);
	HDR(in);
	in.reserved[6] = 1;
	expect_fail("info: reserved set", RC_IOC_INFO, &in, EINVAL);
	expect_fail("info: NULL argument", RC_IOC_INFO, NULL, EFAULT);
	expect_fail("info: argument in unmapped memory", RC_IOC_INFO, (void *)16, EFAULT);
	expect_fail("unknown ioctl number", _IOWR(RC_IOC_MAGIC, 0x7f, struct rc_ioc_info), &in,
		    ENOTTY);
	expect_fail("info nr with the delete struct size",
		    _IOWR(RC_IOC_MAGIC, 0x00, struct rc_ioc_delete), &in, ENOTTY);

	HDR(at);
	memset(at.path, 'a', sizeof(at.path));
	expect_fail("attach: path not NUL terminated", RC_IOC_ATTACH, &at, EINVAL);
	HDR(at);
	expect_fail("attach: empty path", RC_IOC_ATTACH, &at, 0);
	HDR(at);
	strcpy(at.path, "/nonexistent/disk");
	expect_fail("attach: no such path", RC_IOC_ATTACH, &at, 0);
	HDR(at);
	strcpy(at.path, "/dev/null");
	expect_fail("attach: a character device", RC_IOC_ATTACH, &at, 0);
	HDR(at);
	strcpy(at.path, "/dev/raidcluster");
	expect_fail("attach: the control device itself", RC_IOC_ATTACH, &at, 0);
	HDR(at);
	strncpy(at.path, disk, sizeof(at.path) - 1);
	at.flags = 2;
	expect_fail("attach: undefined flag", RC_IOC_ATTACH, &at, EINVAL);
	HDR(at);
	strncpy(at.path, disk, sizeof(at.path) - 1);
	at.reserved[0] = 7;
	expect_fail("attach: reserved set", RC_IOC_ATTACH, &at, EINVAL);

	HDR(po);
	po.mask = 2;
	expect_fail("policy: undefined flag in the mask", RC_IOC_POLICY, &po, EINVAL);
	HDR(po);
	po.flags = 0x80000000u;
	expect_fail("policy: undefined flag", RC_IOC_POLICY, &po, EINVAL);
	HDR(po);
	po.reserved[5] = 1;
	expect_fail("policy: reserved set", RC_IOC_POLICY, &po, EINVAL);

	HDR(de);
	de.index = RC_MAX_DISKS;
	expect_fail("detach: index past the table", RC_IOC_DETACH, &de, 0);
	HDR(de);
	de.index = 0xffffffffu;
	expect_fail("detach: index -1", RC_IOC_DETACH, &de, 0);
	HDR(di);
	di.index = 0x80000000u;
	expect_fail("disk info: index 2^31", RC_IOC_DISK_INFO, &di, 0);

	create_base(&cr);
	memset(cr.name, 'n', sizeof(cr.name));
	expect_fail("create: name not NUL terminated", RC_IOC_CREATE, &cr, EINVAL);
	create_base(&cr);
	strcpy(cr.name, "a/b");
	expect_fail("create: '/' in name", RC_IOC_CREATE, &cr, EINVAL);
	create_base(&cr);
	cr.name[0] = 0;
	expect_fail("create: empty name", RC_IOC_CREATE, &cr, EINVAL);
	create_base(&cr);
	cr.level = 7;
	expect_fail("create: level 7", RC_IOC_CREATE, &cr, 0);
	create_base(&cr);
	cr.level = 0xffffffffu;
	expect_fail("create: level -1", RC_IOC_CREATE, &cr, 0);
	create_base(&cr);
	cr.stripe_sectors = 3;
	expect_fail("create: stripe 3 sectors", RC_IOC_CREATE, &cr, EINVAL);
	create_base(&cr);
	cr.stripe_sectors = 4096;
	expect_fail("create: stripe 2 MiB", RC_IOC_CREATE, &cr, EINVAL);
	create_base(&cr);
	cr.nextents = 0;
	expect_fail("create: no extents", RC_IOC_CREATE, &cr, 0);
	create_base(&cr);
	cr.nextents = 17;
	expect_fail("create: 17 extents", RC_IOC_CREATE, &cr, 0);
	create_base(&cr);
	cr.nextents = 0xffffffffu;
	expect_fail("create: 2^32-1 extents", RC_IOC_CREATE, &cr, 0);
	create_base(&cr);
	cr.extents[1].disk = 999;
	expect_fail("create: extent on disk 999", RC_IOC_CREATE, &cr, 0);
	create_base(&cr);
	cr.extents[1].disk = 0;
	expect_fail("create: both extents on one disk", RC_IOC_CREATE, &cr, 0);
	create_base(&cr);
	cr.extents[0].start = 0;
	expect_fail("create: extent in the metadata area", RC_IOC_CREATE, &cr, 0);
	create_base(&cr);
	cr.extents[0].length = 0;
	expect_fail("create: zero length", RC_IOC_CREATE, &cr, 0);
	create_base(&cr);
	cr.extents[0].start = 0x8000000000000000ull;
	cr.extents[0].length = 0x8000000000000800ull;
	expect_fail("create: start + length wraps 2^64", RC_IOC_CREATE, &cr, 0);
	create_base(&cr);
	cr.extents[0].length = 1ull << 62;
	expect_fail("create: extent past the end", RC_IOC_CREATE, &cr, 0);
	create_base(&cr);
	cr.extents[0].state = 1;
	cr.extents[0].rebuild_pos = 5;
	expect_fail("create: output fields set (extent state)", RC_IOC_CREATE, &cr, 0);
	create_base(&cr);
	cr.reserved[3] = 1;
	expect_fail("create: reserved set", RC_IOC_CREATE, &cr, EINVAL);

	HDR(dl);
	dl.number = RC_MAX_LDS;
	expect_fail("delete: number past the table", RC_IOC_DELETE, &dl, 0);
	HDR(dl);
	dl.number = 0xffffffffu;
	expect_fail("delete: number -1", RC_IOC_DELETE, &dl, 0);
	HDR(li);
	li.number = 0x7fffffffu;
	expect_fail("ld info: number 2^31-1", RC_IOC_LD_INFO, &li, 0);
	HDR(ru);
	ru.number = RC_MAX_LDS + 1;
	expect_fail("run: number past the table", RC_IOC_RUN, &ru, 0);
	return failures ? 1 : 0;
}

/* xorshift64*: reproducible from the seed, no libc rand() state. */
static uint64_t rng;
static uint64_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

/*
 * Values near the valid ones, to get past the first checks into the deep ones: small disk and
 * drive numbers, real levels and stripes, extents around the data start and the disk end.
 */
static void plausible(unsigned long cmd, unsigned char *buf)
{
	static const uint64_t starts[] = { 0, RC_DATA_START_SECTOR - 1, RC_DATA_START_SECTOR,
					   RC_DATA_START_SECTOR + 8, 65536, 131071, ~0ull };
	static const uint64_t lens[] = { 0, 1, 8, 2048, 32768, 98304, 1ull << 40, ~0ull };

	if (cmd == RC_IOC_CREATE) {
		struct rc_ioc_create *c = (struct rc_ioc_create *)buf;

		static const uint32_t levels[] = { 0, 1, 10, 5, 1, 0, 7 };
		unsigned int first = (unsigned int)(next() % 3), odd = next() % 4 == 0;

		memset(buf + sizeof(c->hdr), 0, sizeof(*c) - sizeof(c->hdr));
		snprintf(c->name, sizeof(c->name), "f%u", (unsigned int)(next() % 4));
		c->level = levels[next() % 7];
		c->stripe_sectors = odd ? (uint32_t)next() : (uint32_t)(8u << (next() % 9));
		c->nextents = (uint32_t)(1 + next() % (odd ? 17 : 4));
		/*
		 * Mostly valid: distinct disks, aligned starts in the data area, lengths that fit
		 * a 64 MiB disk; one request in four gets edge values anywhere.
		 */
		for (int i = 0; i < 16; i++) {
			struct rc_ioc_extent *e = &c->extents[i];

			e->disk = odd ? (uint32_t)(next() % 5) : (first + (unsigned int)i) % 3;
			e->start = odd ? starts[next() % 7] :
					 RC_DATA_START_SECTOR + 2048 * (next() % 40);
			e->length = odd ? lens[next() % 8] : 2048 * (1 + next() % 8);
			if (!odd && (uint32_t)i >= c->nextents)
				memset(e, 0, sizeof(*e)); /* unused extents must be zero */
		}
	} else if (cmd != RC_IOC_ATTACH && cmd != RC_IOC_INFO) {
		/* index / number right after the header, the rest zero */
		struct rc_ioc_delete *d = (struct rc_ioc_delete *)buf;

		memset(buf + sizeof(d->hdr), 0, 64);
		d->number = (uint32_t)(next() % 5);
	}
}

/* The most frequent reasons creates were refused: shows what the fuzzing reaches. */
static struct {
	char text[40];
	long count;
} msgs[6];
static int nmsgs;

static void note(const char *msg)
{
	char key[40];
	size_t len = strnlen(msg, sizeof(key) - 1); /* the start of the reason, numbers aside */
	int i;

	memcpy(key, msg, len);
	key[len] = 0;
	for (i = 0; key[i]; i++)
		if (key[i] >= '0' && key[i] <= '9')
			key[i] = '#';
	for (i = 0; i < nmsgs; i++)
		if (!strcmp(msgs[i].text, key)) {
			msgs[i].count++;
			return;
		}
	if (nmsgs < 6) {
		strcpy(msgs[nmsgs].text, key);
		msgs[nmsgs++].count = 1;
	}
}

/* Attach the disks again (random detaches take them away); failures do not matter. */
static void reattach(char **disks, int ndisks)
{
	for (int i = 0; i < ndisks; i++) {
		struct rc_ioc_attach a;

		HDR(a);
		strncpy(a.path, disks[i], sizeof(a.path) - 1);
		ioctl(ctl_fd, RC_IOC_ATTACH, &a);
	}
}

static int fuzz(long n, uint64_t seed, char **disks, int ndisks)
{
	static const struct {
		unsigned long cmd;
		size_t size;
	} c[] = {
		{ RC_IOC_INFO, sizeof(struct rc_ioc_info) },
		{ RC_IOC_ATTACH, sizeof(struct rc_ioc_attach) },
		{ RC_IOC_DETACH, sizeof(struct rc_ioc_detach) },
		{ RC_IOC_DISK_INFO, sizeof(struct rc_ioc_disk_info) },
		{ RC_IOC_CREATE, sizeof(struct rc_ioc_create) },
		{ RC_IOC_DELETE, sizeof(struct rc_ioc_delete) },
		{ RC_IOC_LD_INFO, sizeof(struct rc_ioc_ld_info) },
		{ RC_IOC_RUN, sizeof(struct rc_ioc_run) },
		{ RC_IOC_POLICY, sizeof(struct rc_ioc_policy) },
	};
	unsigned char buf[1024];
	long accepted = 0, created = 0;

	rng = (seed + 1) * 0x9E3779B97F4A7C15ull; /* never 0, distinct per seed */
	for (long i = 0; i < n; i++) {
		if (i % 64 == 0)
			reattach(disks, ndisks);
		unsigned int k = (unsigned int)(next() % (sizeof(c) / sizeof(c[0])));
		struct rc_ioc_hdr *h = (struct rc_ioc_hdr *)buf;

		for (size_t j = 0; j < sizeof(buf); j += 8) {
			uint64_t v = next();
			memcpy(buf + j, &v, 8);
		}
		if (next() & 1) { /* a valid header gets past the first checks */
			h->version = RC_IOCTL_VERSION;
			h->size = (uint32_t)c[k].size;
			if (next() & 1) /* and zero reserved fields / small numbers */
				memset(buf + sizeof(*h), 0, c[k].size - sizeof(*h) > 64 ?
					64 : c[k].size - sizeof(*h));
		}
		if (c[k].cmd == RC_IOC_ATTACH)
			buf[sizeof(*h) + (next() % 8)] = 0; /* short random paths */
		if (h->version == RC_IOCTL_VERSION && (next() & 1))
			plausible(c[k].cmd, buf);
		if (ioctl(ctl_fd, c[k].cmd, buf) == 0) {
			accepted++;
			if (c[k].cmd == RC_IOC_CREATE)
				created++;
		} else if (c[k].cmd == RC_IOC_CREATE && errno != EFAULT) {
			note(h->msg);
		}
	}
	printf("fuzz: %ld requests (seed %llu), %ld accepted, %ld drives created\n", n,
	       (unsigned long long)seed, accepted, created);
	for (int i = 0; i < nmsgs; i++)
		printf("  create refused %5ld x %.60s\n", msgs[i].count, msgs[i].text);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: ioctl_abuse cases DISK | fuzz N SEED [DISK...]\n");
		return 2;
	}
	ctl_fd = open("/dev/raidcluster", O_RDWR);
	if (ctl_fd < 0) {
		perror("/dev/raidcluster");
		return 1;
	}
	if (!strcmp(argv[1], "cases") && argc == 3)
		return cases(argv[2]);
	if (!strcmp(argv[1], "fuzz") && argc >= 4)
		return fuzz(atol(argv[2]), strtoull(argv[3], NULL, 0), argv + 4, argc - 4);
	fprintf(stderr, "usage: ioctl_abuse cases DISK | fuzz N SEED [DISK...]\n");
	return 2;
}
