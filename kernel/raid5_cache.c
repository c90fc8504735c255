// SPDX-License-Identifier: GPL-2.0
/*
 * The RAID 5 stripe cache: the buffers every RAID 5 row operation works
 * in, allocated when the drive starts, so that no I/O waits for fresh
 * memory (md's raid5.c keeps its stripe_head cache for the same reason).
 *
 * A stripe is one page of every member at one page offset of a row, as
 * md's stripe_head with its stripe_cache_size.  A row operation over a
 * window of k pages takes k stripes.  A request takes every stripe it
 * needs at once, before it locks any row, and gives them all back when it
 * ends, so a holder never waits for more stripes while holding some, and
 * never waits for stripes while holding a stripe lock: the cache cannot
 * be part of a deadlock with the stripe locks (stripe_lock.c).  When the
 * cache is short, the request sleeps until another request gives stripes
 * back; it never fails.  The cache never holds fewer stripes than the
 * largest request needs (rc5_cache_init() @min), so every request fits,
 * and takers are served in the order they came (tickets): a large request
 * is not starved by a stream of small ones that each find enough free.
 *
 * The size can change while the drive runs (sysfs stripe_cache_size):
 * growing allocates in the writer's context (GFP_KERNEL, no lock held),
 * shrinking frees free stripes at once and the others as they come back.
 */
#include <linux/slab.h>
#include <linux/wait.h>

#include "raid5.h"

static void rc5_stripe_free(struct rc5_cache *c, struct rc5_stripe *st)
{
	unsigned int j;

	for (j = 0; j < c->npages; j++)
		if (st->page[j])
			__free_page(st->page[j]);
	kfree(st);
}

static struct rc5_stripe *rc5_stripe_alloc(struct rc5_cache *c)
{
	struct rc5_stripe *st;
	unsigned int j;

	st = kzalloc(struct_size(st, page, c->npages), GFP_KERNEL);
	if (!st)
		return NULL;
	for (j = 0; j < c->npages; j++) {
		st->page[j] = alloc_page(GFP_KERNEL);
		if (!st->page[j]) {
			rc5_stripe_free(c, st);
			return NULL;
		}
	}
	return st;
}

/*
 * Add stripes until the cache holds @size (process context, no lock held:
 * the allocations may reclaim, and reclaim may write to this very drive).
 */
static int rc5_cache_grow(struct rc5_cache *c, unsigned int size)
{
	struct rc5_stripe *st;

	for (;;) {
		spin_lock_irq(&c->lock);
		if (c->total >= size) {
			spin_unlock_irq(&c->lock);
			return 0;
		}
		spin_unlock_irq(&c->lock);
		st = rc5_stripe_alloc(c);
		if (!st)
			return -ENOMEM;
		spin_lock_irq(&c->lock);
		list_add(&st->list, &c->free);
		c->nfree++;
		c->total++;
		spin_unlock_irq(&c->lock);
		wake_up_all(&c->wait);
	}
}

int rc5_cache_init(struct rc5_cache *c, unsigned int npages, unsigned int min,
		   unsigned int size)
{
	int ret;

	spin_lock_init(&c->lock);
	INIT_LIST_HEAD(&c->free);
	init_waitqueue_head(&c->wait);
	c->npages = npages;
	c->min = min;
	c->target = max(size, min);
	c->nfree = 0;
	c->total = 0;
	c->next = 0;
	c->serving = 0;
	ret = rc5_cache_grow(c, c->target);
	if (ret)
		rc5_cache_exit(c);
	return ret;
}

/* Every stripe is back (the drive's queue drained): free them all. */
void rc5_cache_exit(struct rc5_cache *c)
{
	struct rc5_stripe *st, *tmp;

	WARN_ON_ONCE(c->nfree != c->total);
	list_for_each_entry_safe(st, tmp, &c->free, list) {
		list_del(&st->list);
		rc5_stripe_free(c, st);
	}
	c->nfree = 0;
	c->total = 0;
}

/* Ticket @t's turn, and @n stripes free: take them. */
static bool rc5_cache_take(struct rc5_cache *c, unsigned int t, unsigned int n,
			   struct rc5_stripe **out)
{
	unsigned int i;

	spin_lock_irq(&c->lock);
	if (c->serving != t || c->nfree < n) {
		spin_unlock_irq(&c->lock);
		return false;
	}
	for (i = 0; i < n; i++) {
		out[i] = list_first_entry(&c->free, struct rc5_stripe, list);
		list_del(&out[i]->list);
	}
	c->nfree -= n;
	c->serving++;
	spin_unlock_irq(&c->lock);
	return true;
}

/*
 * Take @n stripes (1 to the cache's minimum), all at once, in turn: sleeps
 * until it is this caller's turn and they are free.  Process context, no
 * stripe lock held.
 */
void rc5_cache_get(struct rc5_cache *c, unsigned int n, struct rc5_stripe **out)
{
	unsigned int t;

	/* callers size @n from the same bound as c->min (rc_raid5_start()) */
	if (WARN_ON_ONCE(!n || n > c->min))
		n = clamp(n, 1u, c->min);
	spin_lock_irq(&c->lock);
	t = c->next++;
	spin_unlock_irq(&c->lock);
	wait_event(c->wait, rc5_cache_take(c, t, n, out));
	/* the next in line may be able to go now */
	wake_up_all(&c->wait);
}

/* Give back @n stripes.  Any context. */
void rc5_cache_put(struct rc5_cache *c, unsigned int n, struct rc5_stripe **st)
{
	struct rc5_stripe *drop[8];
	unsigned int i, ndrop = 0;
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	for (i = 0; i < n; i++) {
		/* shrinking: stripes beyond the size leave as they return */
		if (c->total > c->target && ndrop < ARRAY_SIZE(drop)) {
			drop[ndrop++] = st[i];
			c->total--;
			continue;
		}
		list_add(&st[i]->list, &c->free);
		c->nfree++;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	if (n > ndrop)
		wake_up_all(&c->wait);
	for (i = 0; i < ndrop; i++)
		rc5_stripe_free(c, drop[i]);
}

/*
 * sysfs stripe_cache_size: hold @size stripes from now on (at least the
 * minimum).  Process context.
 */
int rc5_cache_resize(struct rc5_cache *c, unsigned int size)
{
	struct rc5_stripe *st, *tmp;
	LIST_HEAD(drop);
	int ret;

	if (size < c->min)
		return -EINVAL;
	spin_lock_irq(&c->lock);
	c->target = size;
	list_for_each_entry_safe(st, tmp, &c->free, list) {
		if (c->total <= size)
			break;
		list_move(&st->list, &drop);
		c->nfree--;
		c->total--;
	}
	spin_unlock_irq(&c->lock);
	list_for_each_entry_safe(st, tmp, &drop, list)
		rc5_stripe_free(c, st);
	ret = rc5_cache_grow(c, size);
	if (ret) {
		/* keep what could be had */
		spin_lock_irq(&c->lock);
		c->target = c->total;
		spin_unlock_irq(&c->lock);
	}
	return ret;
}

/* Stripes held, and of those how many are free (sysfs stripe_cache_active). */
void rc5_cache_usage(struct rc5_cache *c, unsigned int *total,
		     unsigned int *active)
{
	spin_lock_irq(&c->lock);
	*total = c->total;
	*active = c->total - c->nfree;
	spin_unlock_irq(&c->lock);
}
