// SPDX-License-Identifier: GPL-2.0
/*
 * rcctl: a minimal client of /dev/raidcluster for the kernel smoke test
 * (the product's tool is tools/raidclusterctl).  Built static so it runs in
 * the busybox guest.  Prints the kernel's reason (hdr.msg) on failure and
 * exits 1; exit 2 is a usage error.
 *
 *   rcctl info | attach PATH | detach IDX | disk IDX | ld N | delete N | run N
 *   rcctl create NAME LEVEL STRIPE DISK:START:LEN...
 *   rcctl raw CMD-NAME VERSION SIZE    (send a malformed header)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <raidcluster/ioctl.h>

static int fd;

static int doit(unsigned long cmd, void *arg, struct rc_ioc_hdr *h, size_t sz)
{
	h->version = RC_IOCTL_VERSION;
	h->size = sz;
	if (ioctl(fd, cmd, arg) == 0)
		return 0;
	fprintf(stderr, "rcctl: %s: %s\n", strerror(errno),
		h->msg[0] ? h->msg : "(no reason)");
	exit(1);
}

#define DO(cmd, s) doit(cmd, &(s), &(s).hdr, sizeof(s))

static void print_ld(unsigned int n)
{
	struct rc_ioc_ld_info l = { .number = n };
	unsigned int i;

	DO(RC_IOC_LD_INFO, l);
	printf("ld %u name=%s level=%u state=%u stripe=%u capacity=%llu open=%u members=",
	       l.number, l.name, l.level, l.state, l.stripe_sectors,
	       (unsigned long long)l.capacity, l.open_count);
	for (i = 0; i < l.nextents; i++)
		printf("%s%u:%u:%llu+%llu", i ? "," : "", l.extents[i].disk,
		       l.extents[i].state,
		       (unsigned long long)l.extents[i].start,
		       (unsigned long long)l.extents[i].length);
	printf("\n");
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	fd = open("/dev/raidcluster", O_RDWR);
	if (fd < 0) {
		perror("rcctl: /dev/raidcluster");
		return 1;
	}
	if (!strcmp(c, "info")) {
		struct rc_ioc_info s = { 0 };

		DO(RC_IOC_INFO, s);
		printf("version=%s node=%u ndisks=%u nlds=%u generation=%llu\n",
		       s.module_version, s.node_id, s.ndisks, s.nlds,
		       (unsigned long long)s.cod_generation);
	} else if (!strcmp(c, "attach") && argc == 3) {
		struct rc_ioc_attach s = { 0 };

		snprintf(s.path, sizeof(s.path), "%s", argv[2]);
		DO(RC_IOC_ATTACH, s);
		printf("disk %u started %u\n", s.index, s.nlds_found);
	} else if (!strcmp(c, "detach") && argc == 3) {
		struct rc_ioc_detach s = { .index = atoi(argv[2]) };

		DO(RC_IOC_DETACH, s);
	} else if (!strcmp(c, "disk") && argc == 3) {
		struct rc_ioc_disk_info s = { .index = atoi(argv[2]) };

		DO(RC_IOC_DISK_INFO, s);
		printf("disk %u name=%s state=%u present=%u serial=%.40s wwn_len=%u capacity=%llu rerr=%llu werr=%llu\n",
		       s.index, s.name, s.state, s.present, s.serial, s.wwn_len,
		       (unsigned long long)s.capacity,
		       (unsigned long long)s.read_errors,
		       (unsigned long long)s.write_errors);
	} else if (!strcmp(c, "ld") && argc == 3) {
		print_ld(atoi(argv[2]));
	} else if (!strcmp(c, "delete") && argc == 3) {
		struct rc_ioc_delete s = { .number = atoi(argv[2]) };

		DO(RC_IOC_DELETE, s);
	} else if (!strcmp(c, "run") && argc == 3) {
		struct rc_ioc_run s = { .number = atoi(argv[2]) };

		DO(RC_IOC_RUN, s);
	} else if (!strcmp(c, "create") && argc >= 6) {
		struct rc_ioc_create s = { 0 };
		int i;

		snprintf(s.name, sizeof(s.name), "%s", argv[2]);
		s.level = atoi(argv[3]);
		s.stripe_sectors = atoi(argv[4]);
		s.nextents = argc - 5;
		for (i = 5; i < argc && i - 5 < 16; i++) {
			unsigned long long st, len;
			unsigned int d;

			if (sscanf(argv[i], "%u:%llu:%llu", &d, &st, &len) != 3)
				return 2;
			s.extents[i - 5].disk = d;
			s.extents[i - 5].start = st;
			s.extents[i - 5].length = len;
		}
		DO(RC_IOC_CREATE, s);
		printf("rcl%u capacity %llu\n", s.number,
		       (unsigned long long)s.capacity);
	} else if (!strcmp(c, "raw") && argc == 4) {
		/* INFO with a given version/size, or a nonzero reserved field. */
		struct rc_ioc_info s = { 0 };

		s.hdr.version = strtoul(argv[2], NULL, 0);
		s.hdr.size = strtoul(argv[3], NULL, 0);
		if (s.hdr.version == 1 && s.hdr.size == sizeof(s))
			s.reserved[3] = 1;
		if (ioctl(fd, RC_IOC_INFO, &s) == 0)
			return 0;
		fprintf(stderr, "rcctl: %s: %s\n", strerror(errno), s.hdr.msg);
		return 1;
	} else {
		fprintf(stderr, "usage: rcctl info|attach|detach|disk|ld|delete|run|create|raw ...\n");
		return 2;
	}
	return 0;
}
