// SPDX-License-Identifier: GPL-2.0
/*
 * Stripe locks: RAID 5 serialises everything that reads or writes parity
 * (writes, degraded reads, rebuild) per row.  Rows hash onto a fixed
 * table of lock bits shared by all drives; a collision only serialises
 * two unrelated rows.
 *
 * Deadlock freedom.  There are three kinds of holders:
 *  - one lock (rc_stripe_lock(): degraded reads, resync), which
 *    waits for nothing but member I/O while it holds it;
 *  - several locks (rc_stripe_lock_rows(): a RAID 5 write request takes
 *    every row it touches before it reads any of them).  It takes the
 *    table's slots in ascending slot order, each slot once, and never
 *    waits for a slot while holding a higher one;
 *  - several locks taken one by one (the rebuild engine, rows it has in
 *    flight): it waits for a lock only while it holds none, and only
 *    tries (rc_stripe_trylock()) while it holds some, so it never waits
 *    holding anything and cannot be part of a cycle.
 * A holder waits only for a slot above every slot it holds, so no cycle
 * of waiters can form: the holder of the highest slot in any such cycle
 * would have to wait for a lower one.  Ascending *row* order would not be
 * enough, because rows hash: rows 1, 2 of one request and rows 5, 6 of
 * another can land on slots (a, b) and (b, a).  Whoever needs more than
 * one row at a time must therefore go through rc_stripe_lock_rows() (or
 * take its slots in the same order); holding one row's lock while
 * rc_stripe_lock()ing another would break the argument.
 *
 * Waiting needs process context; unlocking works in any context (a RAID 5
 * write releases its rows from the completion of its last member write).
 */
#include <linux/bitmap.h>
#include <linux/hash.h>
#include <linux/wait.h>

#include "rc.h"

#define RC_STRIPE_LOCK_BITS 10
#define RC_STRIPE_SLOTS (1U << RC_STRIPE_LOCK_BITS)

static DECLARE_BITMAP(rc_stripe_bits, RC_STRIPE_SLOTS);
static DECLARE_WAIT_QUEUE_HEAD(rc_stripe_wait);

static unsigned int rc_stripe_slot(const struct rc_ldev *ld, u64 row)
{
	return hash_64(row ^ ((u64)ld->number << 56), RC_STRIPE_LOCK_BITS);
}

static void rc_stripe_take(unsigned int slot)
{
	wait_event(rc_stripe_wait,
		   !test_and_set_bit_lock(slot, rc_stripe_bits));
}

/* Take @row's lock if it is free (no sleep).  True: taken. */
bool rc_stripe_trylock(const struct rc_ldev *ld, u64 row)
{
	return !test_and_set_bit_lock(rc_stripe_slot(ld, row), rc_stripe_bits);
}

static void rc_stripe_wake(void)
{
	smp_mb__after_atomic();	/* the clears before the waiters' check */
	wake_up_all(&rc_stripe_wait);
}

void rc_stripe_lock(const struct rc_ldev *ld, u64 row)
{
	rc_stripe_take(rc_stripe_slot(ld, row));
}

void rc_stripe_unlock(const struct rc_ldev *ld, u64 row)
{
	clear_bit_unlock(rc_stripe_slot(ld, row), rc_stripe_bits);
	rc_stripe_wake();
}

/* The slots of rows [first, first + count): sorted and each once. */
static void rc_stripe_slots(const struct rc_ldev *ld, u64 first, u64 count,
			    unsigned long *slots)
{
	u64 i;

	bitmap_zero(slots, RC_STRIPE_SLOTS);
	for (i = 0; i < count && i < RC_STRIPE_SLOTS * 4ULL; i++)
		__set_bit(rc_stripe_slot(ld, first + i), slots);
	if (i < count)	/* a superset, cheaper than hashing every row */
		bitmap_fill(slots, RC_STRIPE_SLOTS);
}

/*
 * Lock rows [@first, @first + @count) of @ld together: their slots in
 * ascending order (see the top of the file).  Process context.
 */
void rc_stripe_lock_rows(const struct rc_ldev *ld, u64 first, u64 count)
{
	DECLARE_BITMAP(slots, RC_STRIPE_SLOTS);
	unsigned int s;

	rc_stripe_slots(ld, first, count, slots);
	for_each_set_bit(s, slots, RC_STRIPE_SLOTS)
		rc_stripe_take(s);
}

/* Undo rc_stripe_lock_rows() with the same rows.  Any context. */
void rc_stripe_unlock_rows(const struct rc_ldev *ld, u64 first, u64 count)
{
	DECLARE_BITMAP(slots, RC_STRIPE_SLOTS);
	unsigned int s;

	rc_stripe_slots(ld, first, count, slots);
	for_each_set_bit(s, slots, RC_STRIPE_SLOTS)
		clear_bit_unlock(s, rc_stripe_bits);
	rc_stripe_wake();
}
