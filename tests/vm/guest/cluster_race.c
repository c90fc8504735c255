// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rc-race: reserve (or release) a logical drive the moment a token appears
 * on a shared disk, so that several nodes ask at the same instant
 * (tests/vm/cluster_resv.py).  The test host writes the token into the disk
 * image; every node polls the sector with O_DIRECT every 200 us and issues
 * its ioctl at once, on a control device opened beforehand: the nodes' start
 * differs by a poll period, not by the agents' process start-up.
 *
 *   rc-race reserve|release LD TRIGGER_DEV SECTOR TOKEN [READY_FILE]
 *
 * READY_FILE is created once the first poll has read the sector without the
 * token, so the test writes the token only when every node is polling (a
 * process started late would see it late and lose the race for no fault of
 * the protocol).  Prints "ok" or "error: <the kernel's reason>"; exit 0 when
 * granted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <raidcluster/ioctl.h>

int main(int argc, char **argv)
{
	struct rc_ioc_reserve a;
	unsigned long req;
	void *buf;
	int ctl, trig, ret;
	off_t off;
	size_t tlen;
	bool ready = false;
	time_t end;

	if ((argc != 6 && argc != 7) ||
	    (strcmp(argv[1], "reserve") && strcmp(argv[1], "release"))) {
		fprintf(stderr,
			"usage: rc-race reserve|release LD TRIGGER_DEV SECTOR TOKEN [READY_FILE]\n");
		return 2;
	}
	req = strcmp(argv[1], "reserve") ? RC_IOC_RELEASE : RC_IOC_RESERVE;
	off = (off_t)strtoull(argv[4], NULL, 0) * 512;
	tlen = strlen(argv[5]);
	if (!tlen || tlen > 4096 || posix_memalign(&buf, 4096, 4096))
		return 2;
	ctl = open("/dev/raidcluster", O_RDWR);
	trig = open(argv[3], O_RDONLY | O_DIRECT);
	if (ctl < 0 || trig < 0) {
		perror("open");
		return 2;
	}
	end = time(NULL) + 120;
	for (;;) {
		if (pread(trig, buf, 4096, off) == 4096 && !memcmp(buf, argv[5], tlen))
			break;
		if (argc == 7 && !ready) {
			ready = open(argv[6], O_WRONLY | O_CREAT | O_TRUNC, 0644) >= 0;
			if (!ready) {
				perror(argv[6]);
				return 2;
			}
		}
		if (time(NULL) > end) {
			fprintf(stderr, "no token\n");
			return 2;
		}
		usleep(200);
	}
	memset(&a, 0, sizeof(a));
	a.hdr.version = RC_IOCTL_VERSION;
	a.hdr.size = sizeof(a);
	a.number = (unsigned int)strtoul(argv[2], NULL, 0);
	ret = ioctl(ctl, req, &a);
	if (ret) {
		a.hdr.msg[RC_IOC_MSG_LEN - 1] = 0;
		printf("error: %s (%s)\n", a.hdr.msg, strerror(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}
