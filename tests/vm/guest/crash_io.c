// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * crash_io: the guest side of the crash test (tests/vm/test_crash.py).
 *
 *   crash_io write DEV ACKDEV RUN SEED BLOCKS THREADS [COUNT [WINDOW]]
 *       THREADS writers write self-describing 4 KiB records with
 *       O_DIRECT|O_DSYNC to random blocks 0..BLOCKS-1 of DEV: half of the
 *       writes one block, the others 2..16 blocks (half of those aligned to
 *       8 blocks), so they cross RAID 5 rows and chunks.  With WINDOW, all
 *       writes go to a window of WINDOW blocks that jumps to a random place
 *       every 0.7 s, so regions of the write-intent bitmap go idle (and get
 *       cleared) and dirty again while the writes go on.  When a write has
 *       completed, the line "a RUN FIRST N GEN" is written to ACKDEV (a
 *       serial port whose other end is a file on the host) and the port is
 *       drained (tcdrain).  A block is written again only after the ack of
 *       its previous write has been drained: so when qemu is killed, every
 *       block has at most one write the host does not know was acknowledged.
 *       Runs until killed, or until COUNT writes completed and were acked
 *       (then prints "done N" and exits 0).
 *   crash_io dump DEV BLOCKS
 *       Reads blocks 0..BLOCKS-1 and prints one line per block that is not
 *       all zero: "B RUN GEN" when its 8 sectors are one intact record of
 *       block B, else "B T S0 .. S7", one token per 512-byte sector: "Z"
 *       zero, "RUN:GEN" an intact sector of this block and place, "@B.S"
 *       an intact sector that belongs elsewhere (misdirected), "X" garbage.
 *
 * Every 512-byte sector carries its own header and checksum, so a record
 * torn at a sector boundary is told apart from garbage.  GEN counts the
 * writes of a run (1, 2, ...); the writes of one block get increasing GENs.
 * Built statically by tests/vm/mkinitramfs.sh.  Exit status: 0 ok, 1 an
 * I/O error or bad arguments (the message on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define BLK 4096u
#define SEC 512u
#define SPB (BLK / SEC)
#define MAXLEN 16u
#define MAGIC 0x57434352u /* "RCCW" */

struct sec_hdr {
	uint32_t magic;
	uint32_t run;
	uint64_t block;
	uint64_t gen;
	uint32_t sector;	/* 0..7 within the block */
	uint32_t nblocks;	/* blocks of the write that carried it */
	uint64_t first;		/* first block of that write */
	uint64_t issued_us;	/* CLOCK_REALTIME when the write was issued
				 * (cluster.pause_fence tells a write made
				 * before a pause from one made after it)
				 */
};

/* FNV-1a, 64 bit: enough to tell an intact sector from anything else */
static uint64_t hash(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static uint64_t xs(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static void fill_sector(unsigned char *p, uint32_t run, uint64_t block,
			uint64_t gen, uint32_t sector, uint32_t n, uint64_t first,
			uint64_t issued_us)
{
	struct sec_hdr h = { MAGIC, run, block, gen, sector, n, first,
			     issued_us };
	uint64_t s = (gen * 0x9e3779b97f4a7c15ull) ^ (block << 3 | sector) ^ run;
	size_t i;

	memcpy(p, &h, sizeof(h));
	s |= 1;
	for (i = sizeof(h); i + 8 <= SEC - 8; i += 8) {
		uint64_t v = xs(&s);

		memcpy(p + i, &v, 8);
	}
	s = hash(p, SEC - 8);
	memcpy(p + SEC - 8, &s, 8);
}

/* 0 intact (header in *h), 1 all zero, 2 garbage */
static int check_sector(const unsigned char *p, struct sec_hdr *h)
{
	uint64_t sum;
	size_t i;

	for (i = 0; i < SEC && !p[i]; i++)
		;
	if (i == SEC)
		return 1;
	memcpy(h, p, sizeof(*h));
	memcpy(&sum, p + SEC - 8, 8);
	if (h->magic != MAGIC || sum != hash(p, SEC - 8))
		return 2;
	return 0;
}

static void die(const char *what)
{
	fprintf(stderr, "crash_io: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* --- write ------------------------------------------------------------ */

static int dev_fd, ack_fd, ack_tty;
static uint32_t run_id;
static uint64_t nblocks, gen_next = 1, limit, acked, window, win_first;
static uint64_t win_seed, win_next_ms;
static unsigned char *busy;		/* written, ack not drained yet */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

struct pend {
	uint64_t first, n, gen;
};
static struct pend *pending;
static size_t npending, cap_pending;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *writer(void *arg)
{
	uint64_t seed = (uintptr_t)arg, first, n, gen, b;
	struct timespec ts;
	unsigned char *buf;
	uint32_t s;
	ssize_t r;

	if (posix_memalign((void **)&buf, BLK, MAXLEN * BLK))
		die("posix_memalign");
	for (;;) {
		uint64_t x = xs(&seed);

		n = 1;
		if (x & 1)
			n = 2 + (x >> 8) % (MAXLEN - 1);
		if (n > nblocks)
			n = nblocks;
		pthread_mutex_lock(&lock);
		if (window) {
			uint64_t now = now_ms();

			if (now >= win_next_ms) {
				win_first = xs(&win_seed) % (nblocks - window + 1);
				win_next_ms = now + 700;
			}
			if (n > window)
				n = window;
			first = win_first + (x >> 16) % (window - n + 1);
		} else {
			first = (x >> 16) % (nblocks - n + 1);
		}
		if ((x & 2) && n > 1 && (first & ~7ull) >= win_first)
			first &= ~7ull;
		if (limit && gen_next > limit) {
			pthread_mutex_unlock(&lock);
			return NULL;
		}
		for (b = first; b < first + n && !busy[b]; b++)
			;
		if (b < first + n) {	/* overlaps a write not acked yet */
			pthread_mutex_unlock(&lock);
			sched_yield();
			continue;
		}
		memset(busy + first, 1, n);
		gen = gen_next++;
		pthread_mutex_unlock(&lock);

		clock_gettime(CLOCK_REALTIME, &ts);
		for (b = 0; b < n; b++)
			for (s = 0; s < SPB; s++)
				fill_sector(buf + b * BLK + s * SEC, run_id,
					    first + b, gen, s, n, first,
					    (uint64_t)ts.tv_sec * 1000000 +
					    ts.tv_nsec / 1000);
		r = pwrite(dev_fd, buf, n * BLK, first * BLK);
		if (r != (ssize_t)(n * BLK)) {
			if (r >= 0)
				errno = EIO;
			die("pwrite");
		}

		pthread_mutex_lock(&lock);
		if (npending == cap_pending) {
			cap_pending = cap_pending ? 2 * cap_pending : 64;
			pending = realloc(pending, cap_pending * sizeof(*pending));
			if (!pending)
				die("realloc");
		}
		pending[npending++] = (struct pend){ first, n, gen };
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
	}
}

/* Hands acks to the serial port in batches; a block is free once drained. */
static void logger(void)
{
	struct pend *batch = NULL;
	size_t nb, i, len, cap = 0;
	char *text = NULL;
	ssize_t r;

	for (;;) {
		pthread_mutex_lock(&lock);
		while (!npending && !(limit && acked >= limit))
			pthread_cond_wait(&cond, &lock);
		if (!npending) {
			pthread_mutex_unlock(&lock);
			return;
		}
		batch = realloc(batch, npending * sizeof(*batch));
		if (!batch)
			die("realloc");
		memcpy(batch, pending, npending * sizeof(*batch));
		nb = npending;
		npending = 0;
		pthread_mutex_unlock(&lock);

		if (cap < nb * 80) {
			cap = nb * 80;
			text = realloc(text, cap);
			if (!text)
				die("realloc");
		}
		for (len = 0, i = 0; i < nb; i++)
			len += snprintf(text + len, cap - len, "a %u %llu %llu %llu\n",
					run_id, (unsigned long long)batch[i].first,
					(unsigned long long)batch[i].n,
					(unsigned long long)batch[i].gen);
		for (i = 0; i < len; i += r) {
			r = write(ack_fd, text + i, len - i);
			if (r < 0 && errno != EINTR)
				die("write ack");
			if (r < 0)
				r = 0;
		}
		/* the bytes left the UART: qemu wrote them to the host file */
		if (ack_tty && tcdrain(ack_fd))
			die("tcdrain");

		pthread_mutex_lock(&lock);
		for (i = 0; i < nb; i++)
			memset(busy + batch[i].first, 0, batch[i].n);
		acked += nb;
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
	}
}

static int cmd_write(char **av)
{
	unsigned int i, threads;
	uint64_t seed;
	struct termios t;
	pthread_t tid;

	dev_fd = open(av[0], O_RDWR | O_DIRECT | O_DSYNC);
	if (dev_fd < 0)
		die(av[0]);
	ack_fd = open(av[1], O_WRONLY | O_NOCTTY | O_CREAT | O_APPEND, 0644);
	if (ack_fd < 0)
		die(av[1]);
	ack_tty = isatty(ack_fd);	/* a file or /dev/null: tests of this tool */
	if (ack_tty) {
		if (tcgetattr(ack_fd, &t))
			die("tcgetattr");
		cfmakeraw(&t);
		cfsetospeed(&t, B115200);
		cfsetispeed(&t, B115200);
		if (tcsetattr(ack_fd, TCSANOW, &t))
			die("tcsetattr");
	}
	run_id = strtoul(av[2], NULL, 0);
	seed = strtoull(av[3], NULL, 0);
	nblocks = strtoull(av[4], NULL, 0);
	threads = strtoul(av[5], NULL, 0);
	limit = av[6] ? strtoull(av[6], NULL, 0) : 0;
	window = av[6] && av[7] ? strtoull(av[7], NULL, 0) : 0;
	win_seed = seed ^ 0x5bd1e995ull;
	xs(&win_seed);
	if (!run_id || !nblocks || !threads || window > nblocks)
		return fprintf(stderr, "crash_io: bad arguments\n"), 1;
	busy = calloc(nblocks, 1);
	if (!busy)
		die("calloc");
	for (i = 0; i < threads; i++) {
		uint64_t s = seed * 0x9e3779b97f4a7c15ull + i + 1;

		xs(&s);
		if (pthread_create(&tid, NULL, writer, (void *)(uintptr_t)s))
			die("pthread_create");
		pthread_detach(tid);
	}
	logger();
	printf("done %llu\n", (unsigned long long)acked);
	return 0;
}

/* --- dump ------------------------------------------------------------- */

static int cmd_dump(char **av)
{
	const uint64_t chunk = 256;	/* blocks per read */
	uint64_t n = strtoull(av[1], NULL, 0), b, i;
	unsigned char *buf;
	struct sec_hdr h[SPB];
	int fd, kind[SPB];
	uint32_t s;

	fd = open(av[0], O_RDONLY | O_DIRECT);
	if (fd < 0)
		die(av[0]);
	if (posix_memalign((void **)&buf, BLK, chunk * BLK))
		die("posix_memalign");
	for (b = 0; b < n; b += chunk) {
		uint64_t m = n - b < chunk ? n - b : chunk;

		if (pread(fd, buf, m * BLK, b * BLK) != (ssize_t)(m * BLK))
			die("pread");
		for (i = 0; i < m; i++) {
			const unsigned char *p = buf + i * BLK;
			int zero = 1, same = 1;

			for (s = 0; s < SPB; s++) {
				kind[s] = check_sector(p + s * SEC, &h[s]);
				if (!kind[s] && (h[s].block != b + i || h[s].sector != s))
					kind[s] = 3;
				zero &= kind[s] == 1;
				same &= !kind[s] && h[s].run == h[0].run &&
					h[s].gen == h[0].gen;
			}
			if (zero)
				continue;
			if (same) {
				printf("%llu %u %llu\n", (unsigned long long)(b + i),
				       h[0].run, (unsigned long long)h[0].gen);
				continue;
			}
			printf("%llu T", (unsigned long long)(b + i));
			for (s = 0; s < SPB; s++) {
				if (kind[s] == 0)
					printf(" %u:%llu", h[s].run,
					       (unsigned long long)h[s].gen);
				else if (kind[s] == 3)
					printf(" @%llu.%u", (unsigned long long)h[s].block,
					       h[s].sector);
				else
					printf(" %s", kind[s] == 1 ? "Z" : "X");
			}
			printf("\n");
		}
	}
	return 0;
}

int main(int ac, char **av)
{
	if (ac >= 8 && ac <= 10 && !strcmp(av[1], "write"))
		return cmd_write(av + 2);
	if (ac == 4 && !strcmp(av[1], "dump"))
		return cmd_dump(av + 2);
	fprintf(stderr, "usage: crash_io write DEV ACKDEV RUN SEED BLOCKS THREADS [COUNT [WINDOW]]\n"
		"       crash_io dump DEV BLOCKS\n");
	return 1;
}
