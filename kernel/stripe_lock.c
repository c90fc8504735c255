// SPDX-License-Identifier: GPL-2.0
/*
 * Stripe locks: RAID 5 serialises everything that reads or writes parity
 * (writes, degraded reads, rebuild) per row.  Rows hash onto a fixed
 * table of lock bits shared by all drives; a collision only serialises
 * two unrelated rows.  A holder never waits for a second stripe lock (the
 * rebuild engine, which holds the rows it has in flight, only tries one),
 * so the table cannot deadlock.  Process context only (the waiter sleeps).
 */
#include <linux/bitmap.h>
#include <linux/hash.h>
#include <linux/wait.h>

#include "rc.h"

#define RC_STRIPE_LOCK_BITS 10

static DECLARE_BITMAP(rc_stripe_bits, 1 << RC_STRIPE_LOCK_BITS);
static DECLARE_WAIT_QUEUE_HEAD(rc_stripe_wait);

static unsigned int rc_stripe_slot(const struct rc_ldev *ld, u64 row)
{
	return hash_64(row ^ ((u64)ld->number << 56), RC_STRIPE_LOCK_BITS);
}

void rc_stripe_lock(const struct rc_ldev *ld, u64 row)
{
	unsigned int slot = rc_stripe_slot(ld, row);

	wait_event(rc_stripe_wait,
		   !test_and_set_bit_lock(slot, rc_stripe_bits));
}

/* Take @row's lock if it is free (no sleep).  True: taken. */
bool rc_stripe_trylock(const struct rc_ldev *ld, u64 row)
{
	return !test_and_set_bit_lock(rc_stripe_slot(ld, row), rc_stripe_bits);
}

void rc_stripe_unlock(const struct rc_ldev *ld, u64 row)
{
	clear_bit_unlock(rc_stripe_slot(ld, row), rc_stripe_bits);
	smp_mb__after_atomic();	/* the clear before the waiters' check */
	wake_up_all(&rc_stripe_wait);
}
