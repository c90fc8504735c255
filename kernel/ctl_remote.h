/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration commands forwarded from a slave to the master
 * (ctl_remote.c): ioctl structs <-> Node_Host_Request and its result.
 */
#ifndef RC_KERNEL_CTL_REMOTE_H
#define RC_KERNEL_CTL_REMOTE_H

#include <linux/types.h>

#include <raidcluster/wire.h>

/* Is ioctl @cmd one a slave forwards to the master? */
bool rc_remote_supported(unsigned int cmd);
/* Slave: the inputs of ioctl @cmd's @arg into @w.  -EOPNOTSUPP, -EINVAL. */
int rc_remote_encode(unsigned int cmd, const void *arg,
		     struct rc_wire_host_request *w);
/*
 * Master: a request of @len bytes into the ioctl struct @arg (@arg_size
 * bytes at least, header set as user space would) and its @cmd.  0, or
 * -EINVAL with the reason in @why (RC_IOC_MSG_LEN).
 */
int rc_remote_decode(const void *buf, u32 len, unsigned int *cmd, void *arg,
		     size_t arg_size, char *why);
/* Master: the outcome @ret of running @cmd on @arg, into @r. */
void rc_remote_result_encode(struct rc_wire_host_result *r, unsigned int cmd,
			     const void *arg, int ret, u64 generation);
/*
 * Slave: the master's answer into @arg (message and outputs), the COD
 * generation it wrote into @generation.  Returns what the ioctl returns.
 */
int rc_remote_result_decode(const void *buf, u32 len, unsigned int cmd,
			    void *arg, u64 *generation);

#endif /* RC_KERNEL_CTL_REMOTE_H */
