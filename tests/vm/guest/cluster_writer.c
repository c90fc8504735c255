// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rc-writer: one node's verified writer of cluster.two_writers_never
 * (tests/vm/cluster_resv.py).  For SECONDS it loops:
 *
 *   reserve LD (RC_IOC_RESERVE); refused: try to write anyway (a rogue
 *   write, which the fence must refuse: the open for writing fails) and
 *   back off; granted: read the epoch counter in block 0, write epoch + 1
 *   there, write a few random blocks tagged (node, epoch, block), read
 *   them back, print "epoch E", release, and write once more through a
 *   descriptor opened while holding it (the data path's fence must refuse
 *   that one: reservation conflict).
 *
 * Blocks are 4 KiB, O_DIRECT.  The test host then reads the member images:
 * every tagged block must carry an epoch its node printed, no epoch may be
 * printed by two nodes, and no rogue tag may be anywhere.  Prints "ROGUE
 * ACCEPTED" (exit 1) if a write without the reservation succeeded.
 *
 *   rc-writer NODE LD DEV SECONDS BLOCKS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <raidcluster/ioctl.h>

#define BS 4096
#define MAGIC 0x5257434c55535452ull	/* "RTSULCWR" */
#define ROGUE 0xffffffffu

struct tag {
	uint64_t magic;
	uint32_t node, epoch;		/* epoch ROGUE: written without holding */
	uint32_t block, pad;
	uint64_t seq;
};

static int resv(int ctl, unsigned long req, unsigned int ld, char *why)
{
	struct rc_ioc_reserve a;

	memset(&a, 0, sizeof(a));
	a.hdr.version = RC_IOCTL_VERSION;
	a.hdr.size = sizeof(a);
	a.number = ld;
	if (!ioctl(ctl, req, &a))
		return 0;
	snprintf(why, RC_IOC_MSG_LEN, "%s", a.hdr.msg);
	return -errno;
}

static void fill(void *buf, uint32_t node, uint32_t epoch, uint32_t block, uint64_t seq)
{
	struct tag *t = buf;
	uint64_t *w = buf;
	unsigned int i;

	for (i = 0; i < BS / 8; i++)
		w[i] = seq * 0x9e3779b97f4a7c15ull + i;
	t->magic = MAGIC;
	t->node = node;
	t->epoch = epoch;
	t->block = block;
	t->pad = 0;
	t->seq = seq;
}

int main(int argc, char **argv)
{
	unsigned int node, ld, blocks, rounds = 0, refused = 0;
	char why[RC_IOC_MSG_LEN];
	void *buf, *rbuf;
	uint64_t seq = 0;
	int ctl, fd, keep = -1;
	time_t end;

	if (argc != 6) {
		fprintf(stderr, "usage: rc-writer NODE LD DEV SECONDS BLOCKS\n");
		return 2;
	}
	node = (unsigned int)atoi(argv[1]);
	ld = (unsigned int)atoi(argv[2]);
	end = time(NULL) + atoi(argv[4]);
	blocks = (unsigned int)atoi(argv[5]);
	srandom(node * 7919 + (unsigned int)getpid());
	if (blocks < 2 || posix_memalign(&buf, BS, BS) || posix_memalign(&rbuf, BS, BS))
		return 2;
	ctl = open("/dev/raidcluster", O_RDWR);
	if (ctl < 0) {
		perror("/dev/raidcluster");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (time(NULL) < end) {
		struct tag *t = rbuf;
		uint32_t epoch;
		unsigned int i, n;
		int ret = resv(ctl, RC_IOC_RESERVE, ld, why);

		if (ret) {
			refused++;
			/* A rogue write: the fence must refuse it. */
			fd = open(argv[3], O_WRONLY | O_DIRECT);
			if (fd >= 0) {
				fill(buf, node, ROGUE, 1 + random() % (blocks - 1), ++seq);
				if (pwrite(fd, buf, BS, (off_t)((struct tag *)buf)->block * BS) == BS) {
					printf("ROGUE ACCEPTED block %u\n", ((struct tag *)buf)->block);
					return 1;
				}
				close(fd);
			}
			usleep(20000 + random() % 80000);
			continue;
		}
		fd = open(argv[3], O_RDWR | O_DIRECT);
		if (fd < 0) {
			printf("error: open after reserve: %s\n", strerror(errno));
			return 1;
		}
		if (pread(fd, rbuf, BS, 0) != BS) {
			printf("error: read block 0: %s\n", strerror(errno));
			return 1;
		}
		epoch = t->magic == MAGIC ? t->epoch + 1 : 1;
		fill(buf, node, epoch, 0, ++seq);
		if (pwrite(fd, buf, BS, 0) != BS) {
			printf("error: write block 0: %s\n", strerror(errno));
			return 1;
		}
		n = 1 + random() % 8;
		for (i = 0; i < n; i++) {
			uint32_t b = 1 + random() % (blocks - 1);

			fill(buf, node, epoch, b, ++seq);
			if (pwrite(fd, buf, BS, (off_t)b * BS) != BS ||
			    pread(fd, rbuf, BS, (off_t)b * BS) != BS || memcmp(buf, rbuf, BS)) {
				printf("error: block %u of epoch %u does not read back\n", b, epoch);
				return 1;
			}
		}
		if (keep < 0)
			keep = fd;	/* kept open across the releases */
		else
			close(fd);
		printf("epoch %u\n", epoch);
		rounds++;
		ret = resv(ctl, RC_IOC_RELEASE, ld, why);
		if (ret) {
			printf("error: release: %s\n", why);
			return 1;
		}
		fill(buf, node, ROGUE, 1 + random() % (blocks - 1), ++seq);
		if (pwrite(keep, buf, BS, (off_t)((struct tag *)buf)->block * BS) == BS) {
			printf("ROGUE ACCEPTED after release, block %u\n",
			       ((struct tag *)buf)->block);
			return 1;
		}
		usleep(random() % 50000);
	}
	printf("done rounds %u refused %u\n", rounds, refused);
	return 0;
}
