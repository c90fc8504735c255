// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * rc-pr: the block layer's persistent-reservation ioctls (linux/pr.h) on a
 * device, one call per run (cluster.pr_ops, tests/vm/cluster_resv.py).  The
 * device is opened read-only, so the open itself reserves nothing.
 *
 *   rc-pr DEV register OLDKEY NEWKEY
 *   rc-pr DEV reserve KEY [TYPE]        TYPE: 1 write exclusive (default),
 *   rc-pr DEV release KEY [TYPE]              3 exclusive access, ...
 *   rc-pr DEV preempt OLDKEY NEWKEY [TYPE]
 *   rc-pr DEV clear KEY
 *
 * Prints "ok" (exit 0) or "error: <strerror> (errno N)" (exit 1).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/pr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static __u64 num(const char *s)
{
	return strtoull(s, NULL, 0);
}

int main(int argc, char **argv)
{
	const char *op = argc > 2 ? argv[2] : "";
	int fd, ret;

	if (argc < 4) {
		fprintf(stderr, "usage: rc-pr DEV register|reserve|release|preempt|clear ARGS\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		printf("error: open: %s (errno %d)\n", strerror(errno), errno);
		return 1;
	}
	if (!strcmp(op, "register") && argc == 5) {
		struct pr_registration r = { .old_key = num(argv[3]),
					     .new_key = num(argv[4]) };

		ret = ioctl(fd, IOC_PR_REGISTER, &r);
	} else if ((!strcmp(op, "reserve") || !strcmp(op, "release")) &&
		   (argc == 4 || argc == 5)) {
		struct pr_reservation r = { .key = num(argv[3]),
					    .type = argc == 5 ? (__u32)num(argv[4]) :
					    PR_WRITE_EXCLUSIVE };

		ret = ioctl(fd, strcmp(op, "reserve") ? IOC_PR_RELEASE :
			    IOC_PR_RESERVE, &r);
	} else if (!strcmp(op, "preempt") && (argc == 5 || argc == 6)) {
		struct pr_preempt p = { .old_key = num(argv[3]),
					.new_key = num(argv[4]),
					.type = argc == 6 ? (__u32)num(argv[5]) :
					PR_WRITE_EXCLUSIVE };

		ret = ioctl(fd, IOC_PR_PREEMPT, &p);
	} else if (!strcmp(op, "clear") && argc == 4) {
		struct pr_clear c = { .key = num(argv[3]) };

		ret = ioctl(fd, IOC_PR_CLEAR, &c);
	} else {
		fprintf(stderr, "rc-pr: bad arguments\n");
		return 2;
	}
	if (ret) {
		printf("error: %s (errno %d)\n", strerror(errno), errno);
		return 1;
	}
	printf("ok\n");
	return 0;
}
