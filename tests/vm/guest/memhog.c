// SPDX-License-Identifier: GPL-2.0
/*
 * rc-memhog SECONDS [RESERVE_MB]: keep the guest short of memory for SECONDS.
 *
 * Over and over, it takes all of MemAvailable but RESERVE_MB (default 24),
 * touches every page (so the kernel must reclaim page cache, dirty pages
 * included, to give them), holds them a moment and gives them back.  It
 * never asks for more than the kernel says is available, so the OOM killer
 * stays out of it: what is tested is the I/O path under reclaim, not who
 * gets killed.  The memory-pressure group of tests/vm/test_memory.py runs
 * it next to writeback to filesystems on raidcluster drives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long avail_mb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

int main(int argc, char **argv)
{
	long seconds, reserve = 24, rounds = 0, peak = 0;
	time_t end;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: rc-memhog SECONDS [RESERVE_MB]\n");
		return 2;
	}
	seconds = atol(argv[1]);
	if (argc == 3)
		reserve = atol(argv[2]);
	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		long mb = avail_mb() - reserve, i;
		char **chunk;

		if (mb <= 0) {
			usleep(100000);
			continue;
		}
		chunk = calloc(mb, sizeof(*chunk));
		if (!chunk)
			return 1;
		for (i = 0; i < mb; i++) {
			chunk[i] = malloc(1 << 20);
			if (!chunk[i])
				break;
			memset(chunk[i], (int)i, 1 << 20);	/* every page */
		}
		if (i > peak)
			peak = i;
		usleep(200000);
		while (i--)
			free(chunk[i]);
		free(chunk);
		rounds++;
	}
	printf("rc-memhog: %ld rounds, up to %ld MiB held\n", rounds, peak);
	return 0;
}
