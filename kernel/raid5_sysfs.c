// SPDX-License-Identifier: GPL-2.0
/*
 * The RAID 5 knobs of /sys/block/rclN/raidcluster/, as md's of a RAID 5
 * array: stripe_cache_size (stripes held, one page per member each),
 * stripe_cache_active (of those, in use now) and raid5_zero_copy (this
 * drive's zero copy of whole rows: "system" follows the module parameter).
 */
#include <linux/blkdev.h>
#include <linux/kstrtox.h>
#include <linux/string.h>

#include "raid5.h"

static struct rc_ldev *rc5_dev_ld(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}

static ssize_t stripe_cache_size_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	unsigned int total, active;

	rc5_cache_usage(&rc5_conf(rc5_dev_ld(dev))->cache, &total, &active);
	return sysfs_emit(buf, "%u\n", total);
}

static ssize_t stripe_cache_size_store(struct device *dev,
				       struct device_attribute *attr,
				       const char *buf, size_t len)
{
	struct rc5_conf *conf = rc5_conf(rc5_dev_ld(dev));
	unsigned int size;
	int ret;

	ret = kstrtouint(buf, 10, &size);
	if (ret)
		return ret;
	/* at least what the largest request needs, at most 32768 as md */
	if (size < conf->cache.min || size > 32768)
		return -EINVAL;
	ret = rc5_cache_resize(&conf->cache, size);
	return ret ? ret : len;
}
DEVICE_ATTR_RW(stripe_cache_size);

static ssize_t stripe_cache_active_show(struct device *dev,
					struct device_attribute *attr, char *buf)
{
	unsigned int total, active;

	rc5_cache_usage(&rc5_conf(rc5_dev_ld(dev))->cache, &total, &active);
	return sysfs_emit(buf, "%u\n", active);
}
DEVICE_ATTR_RO(stripe_cache_active);

static ssize_t raid5_zero_copy_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	struct rc_ldev *ld = rc5_dev_ld(dev);

	return sysfs_emit(buf, "%d (%s)\n", rc5_zero_copy(ld),
			  READ_ONCE(rc5_conf(ld)->zero_copy) < 0 ? "system" :
								   "local");
}

static ssize_t raid5_zero_copy_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t len)
{
	struct rc5_conf *conf = rc5_conf(rc5_dev_ld(dev));
	bool on;
	int ret;

	if (sysfs_streq(buf, "system")) {
		WRITE_ONCE(conf->zero_copy, -1);
		return len;
	}
	ret = kstrtobool(buf, &on);
	if (ret)
		return ret;
	WRITE_ONCE(conf->zero_copy, on);
	return len;
}
DEVICE_ATTR_RW(raid5_zero_copy);

struct attribute *rc_raid5_attrs[] = {
	&dev_attr_stripe_cache_size.attr,
	&dev_attr_stripe_cache_active.attr,
	&dev_attr_raid5_zero_copy.attr,
	NULL,
};
