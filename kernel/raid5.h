/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RAID 5 internals shared by raid5.c (row work), raid5_cache.c (the
 * preallocated stripe cache) and raid5_sysfs.c (its knobs).
 */
#ifndef RC_KERNEL_RAID5_H
#define RC_KERNEL_RAID5_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "rc.h"

/* One page of every member at one page offset of a row (md's stripe_head). */
struct rc5_stripe {
	struct list_head list;		/* on the free list */
	struct page *page[];		/* by row position: data..., parity */
};

struct rc5_cache {
	spinlock_t lock;
	struct list_head free;
	unsigned int nfree;		/* stripes on @free */
	unsigned int total;		/* stripes held, free or in use */
	unsigned int target;		/* stripe_cache_size */
	unsigned int min;		/* the largest request's need */
	unsigned int npages;		/* pages per stripe: the members */
	unsigned int next, serving;	/* tickets: takers are served in order */
	wait_queue_head_t wait;		/* rc5_cache_get() */
};

#define RC5_CACHE_DEFAULT 256		/* stripes, as md's stripe_cache_size */

int rc5_cache_init(struct rc5_cache *c, unsigned int npages, unsigned int min,
		   unsigned int size);
void rc5_cache_exit(struct rc5_cache *c);
void rc5_cache_get(struct rc5_cache *c, unsigned int n, struct rc5_stripe **out);
void rc5_cache_put(struct rc5_cache *c, unsigned int n, struct rc5_stripe **st);
int rc5_cache_resize(struct rc5_cache *c, unsigned int size);
void rc5_cache_usage(struct rc5_cache *c, unsigned int *total,
		     unsigned int *active);

/* A RAID 5 drive's own state (ld->priv). */
struct rc5_conf {
	struct rc5_cache cache;
	unsigned int max_sectors;	/* largest request */
	unsigned int max_rows;		/* rows one request spans at most */
	unsigned int max_stripes;	/* stripes one request takes at most */
	int zero_copy;			/* -1: the module parameter's value */
};

static inline struct rc5_conf *rc5_conf(const struct rc_ldev *ld)
{
	return ld->priv;
}

bool rc5_zero_copy(const struct rc_ldev *ld);
extern bool raid5_zero_copy;		/* module parameter: the default */

#endif /* RC_KERNEL_RAID5_H */
