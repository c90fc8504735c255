// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration commands given on a slave and carried out by the master:
 * the translation between the control ioctls' structs and the wire's
 * Node_Host_Request / result (include/raidcluster/wire.h), both ways.
 *
 * Only the inputs of a command cross the wire, little-endian, and only its
 * outputs come back; the master runs the very ioctl handler a local command
 * would, so a request from a peer is checked as strictly as one from user
 * space (reserved fields, ranges, the COD rules).
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include <raidcluster/wire.h>

#include "rc.h"
#include "ctl_remote.h"

static const struct {
	unsigned int cmd;
	u32 op;
	size_t size;
} rc_remote_ops[] = {
	{ RC_IOC_CREATE, RC_HREQ_CREATE, sizeof(struct rc_ioc_create) },
	{ RC_IOC_DELETE, RC_HREQ_DELETE, sizeof(struct rc_ioc_delete) },
	{ RC_IOC_RUN, RC_HREQ_RUN, sizeof(struct rc_ioc_run) },
	{ RC_IOC_SPARE, RC_HREQ_SPARE, sizeof(struct rc_ioc_spare) },
	{ RC_IOC_DETACH, RC_HREQ_DETACH, sizeof(struct rc_ioc_detach) },
	{ RC_IOC_REBUILD, RC_HREQ_REBUILD, sizeof(struct rc_ioc_rebuild) },
	{ RC_IOC_POLICY, RC_HREQ_POLICY, sizeof(struct rc_ioc_policy) },
};

bool rc_remote_supported(unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rc_remote_ops); i++)
		if (rc_remote_ops[i].cmd == cmd)
			return true;
	return false;
}

int rc_remote_encode(unsigned int cmd, const void *arg,
		     struct rc_wire_host_request *w)
{
	unsigned int i;

	memset(w, 0, sizeof(*w));
	switch (cmd) {
	case RC_IOC_CREATE: {
		const struct rc_ioc_create *a = arg;

		if (a->nextents > ARRAY_SIZE(w->extents))
			return -EINVAL;
		w->op = cpu_to_le32(RC_HREQ_CREATE);
		w->flags = cpu_to_le32(a->flags);
		w->level = cpu_to_le32(a->level);
		w->stripe_sectors = cpu_to_le32(a->stripe_sectors);
		w->nextents = cpu_to_le32(a->nextents);
		BUILD_BUG_ON(sizeof(w->name) != sizeof(a->name));
		memcpy(w->name, a->name, sizeof(w->name));
		for (i = 0; i < a->nextents; i++) {
			w->extents[i].disk = cpu_to_le32(a->extents[i].disk);
			w->extents[i].start = cpu_to_le64(a->extents[i].start);
			w->extents[i].length =
				cpu_to_le64(a->extents[i].length);
		}
		return 0;
	}
	case RC_IOC_DELETE:
		w->op = cpu_to_le32(RC_HREQ_DELETE);
		w->number = cpu_to_le32(((const struct rc_ioc_delete *)arg)->number);
		return 0;
	case RC_IOC_RUN:
		w->op = cpu_to_le32(RC_HREQ_RUN);
		w->number = cpu_to_le32(((const struct rc_ioc_run *)arg)->number);
		return 0;
	case RC_IOC_SPARE: {
		const struct rc_ioc_spare *a = arg;

		w->op = cpu_to_le32(RC_HREQ_SPARE);
		w->disk = cpu_to_le32(a->disk);
		w->flags = cpu_to_le32(a->spare);
		return 0;
	}
	case RC_IOC_DETACH:
		w->op = cpu_to_le32(RC_HREQ_DETACH);
		w->disk = cpu_to_le32(((const struct rc_ioc_detach *)arg)->index);
		return 0;
	case RC_IOC_REBUILD: {
		const struct rc_ioc_rebuild *a = arg;

		w->op = cpu_to_le32(RC_HREQ_REBUILD);
		w->number = cpu_to_le32(a->number);
		w->disk = cpu_to_le32(a->disk);
		return 0;
	}
	case RC_IOC_POLICY: {
		const struct rc_ioc_policy *a = arg;

		w->op = cpu_to_le32(RC_HREQ_POLICY);
		w->number = cpu_to_le32(a->mask);
		w->flags = cpu_to_le32(a->flags);
		return 0;
	}
	default:
		return -EOPNOTSUPP;
	}
}

int rc_remote_decode(const void *buf, u32 len, unsigned int *cmd, void *arg,
		     size_t arg_size, char *why)
{
	const struct rc_wire_host_request *w = buf;
	u32 op, n, i;

	if (len != sizeof(*w)) {
		rc_msg(why, "request of %u bytes, expected %zu", len, sizeof(*w));
		return -EINVAL;
	}
	op = le32_to_cpu(w->op);
	for (i = 0; i < ARRAY_SIZE(rc_remote_ops); i++)
		if (rc_remote_ops[i].op == op)
			break;
	if (i == ARRAY_SIZE(rc_remote_ops) ||
	    rc_remote_ops[i].size > arg_size || w->reserved) {
		rc_msg(why, "unknown or malformed request (op %u)", op);
		return -EINVAL;
	}
	*cmd = rc_remote_ops[i].cmd;
	memset(arg, 0, rc_remote_ops[i].size);
	((struct rc_ioc_hdr *)arg)->version = RC_IOCTL_VERSION;
	((struct rc_ioc_hdr *)arg)->size = rc_remote_ops[i].size;
	switch (op) {
	case RC_HREQ_CREATE: {
		struct rc_ioc_create *a = arg;

		n = le32_to_cpu(w->nextents);
		if (n > ARRAY_SIZE(a->extents)) {
			rc_msg(why, "request with %u extents", n);
			return -EINVAL;
		}
		memcpy(a->name, w->name, sizeof(a->name));
		a->name[sizeof(a->name) - 1] = '\0';
		a->level = le32_to_cpu(w->level);
		a->stripe_sectors = le32_to_cpu(w->stripe_sectors);
		a->nextents = n;
		a->flags = le32_to_cpu(w->flags);
		for (i = 0; i < n; i++) {
			if (w->extents[i].reserved) {
				rc_msg(why, "malformed extent %u", i);
				return -EINVAL;
			}
			a->extents[i].disk = le32_to_cpu(w->extents[i].disk);
			a->extents[i].start = le64_to_cpu(w->extents[i].start);
			a->extents[i].length =
				le64_to_cpu(w->extents[i].length);
		}
		return 0;
	}
	case RC_HREQ_DELETE:
		((struct rc_ioc_delete *)arg)->number = le32_to_cpu(w->number);
		return 0;
	case RC_HREQ_RUN:
		((struct rc_ioc_run *)arg)->number = le32_to_cpu(w->number);
		return 0;
	case RC_HREQ_SPARE:
		((struct rc_ioc_spare *)arg)->disk = le32_to_cpu(w->disk);
		((struct rc_ioc_spare *)arg)->spare = le32_to_cpu(w->flags);
		return 0;
	case RC_HREQ_DETACH:
		((struct rc_ioc_detach *)arg)->index = le32_to_cpu(w->disk);
		return 0;
	case RC_HREQ_POLICY:
		((struct rc_ioc_policy *)arg)->mask = le32_to_cpu(w->number);
		((struct rc_ioc_policy *)arg)->flags = le32_to_cpu(w->flags);
		return 0;
	default:	/* RC_HREQ_REBUILD */
		((struct rc_ioc_rebuild *)arg)->number = le32_to_cpu(w->number);
		((struct rc_ioc_rebuild *)arg)->disk = le32_to_cpu(w->disk);
		return 0;
	}
}

void rc_remote_result_encode(struct rc_wire_host_result *r, unsigned int cmd,
			     const void *arg, int ret, u64 generation)
{
	const struct rc_ioc_hdr *hdr = arg;

	memset(r, 0, sizeof(*r));
	r->error = cpu_to_le32(ret < 0 ? -ret : 0);
	r->generation = cpu_to_le64(generation);
	BUILD_BUG_ON(sizeof(r->msg) != sizeof(hdr->msg));
	strscpy(r->msg, hdr->msg, sizeof(r->msg));
	if (ret)
		return;
	if (cmd == RC_IOC_CREATE) {
		r->number = cpu_to_le32(((const struct rc_ioc_create *)arg)->number);
		r->capacity =
			cpu_to_le64(((const struct rc_ioc_create *)arg)->capacity);
	} else if (cmd == RC_IOC_REBUILD) {
		r->number = cpu_to_le32(((const struct rc_ioc_rebuild *)arg)->member);
	} else if (cmd == RC_IOC_POLICY) {
		r->number = cpu_to_le32(((const struct rc_ioc_policy *)arg)->flags);
	}
}

int rc_remote_result_decode(const void *buf, u32 len, unsigned int cmd,
			    void *arg, u64 *generation)
{
	const struct rc_wire_host_result *r = buf;
	struct rc_ioc_hdr *hdr = arg;
	u32 err;

	if (len != sizeof(*r)) {
		rc_msg(hdr->msg, "malformed answer from the master (%u bytes)",
		       len);
		return -EPROTO;
	}
	err = le32_to_cpu(r->error);
	*generation = le64_to_cpu(r->generation);
	memcpy(hdr->msg, r->msg, sizeof(hdr->msg));
	hdr->msg[sizeof(hdr->msg) - 1] = '\0';
	if (err)
		return err < 4096 ? -(int)err : -EPROTO;
	if (cmd == RC_IOC_CREATE) {
		((struct rc_ioc_create *)arg)->number = le32_to_cpu(r->number);
		((struct rc_ioc_create *)arg)->capacity =
			le64_to_cpu(r->capacity);
	} else if (cmd == RC_IOC_REBUILD) {
		((struct rc_ioc_rebuild *)arg)->member = le32_to_cpu(r->number);
	} else if (cmd == RC_IOC_POLICY) {
		((struct rc_ioc_policy *)arg)->flags = le32_to_cpu(r->number);
	}
	return 0;
}
