// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The COD codec: struct rc_config <-> one on-disk copy (cod.h in include/).
 *
 * A COD comes from a disk that other nodes, older or newer software, a torn
 * write or a hostile peer may have written, so decoding trusts nothing: the
 * raw checks here refuse anything but the exact bytes encode would write
 * (zero padding, zero free records), and rc_config_validate() refuses any
 * configuration the data path could not run safely.  Encode runs the same
 * validation, so what one node writes every node can read.
 *
 * Buffers are accessed as the on-disk structs: @buf must be 8-byte aligned
 * (any kmalloc, vmalloc, page or malloc buffer is).
 */
#include "rc_base.h"
#include "crc32c.h"
#include "geom.h"
#include "cod.h"

/* Header fields before the CRC, and the CRC field itself. */
#define RC_COD_CRC_OFFSET 12u

static __printf(3, 4) int rc_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool rc_all_zero(const void *p, size_t len)
{
	const u8 *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

/* Printable ASCII only: names and serials end up in logs, sysfs and JSON. */
static bool rc_printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

static size_t rc_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* A NUL padded on-disk string: no byte after the first NUL is set. */
static bool rc_nul_padded(const u8 *s, size_t len)
{
	size_t n = rc_strnlen((const char *)s, len);

	return rc_all_zero(s + n, len - n);
}

static u32 rc_cod_crc(const void *buf)
{
	static const u8 zero[4];
	u32 crc;

	crc = rc_crc32c(~0u, buf, RC_COD_CRC_OFFSET);
	crc = rc_crc32c(crc, zero, sizeof(zero));
	crc = rc_crc32c(crc, (const u8 *)buf + RC_COD_CRC_OFFSET + 4,
			RC_COD_BYTES - RC_COD_CRC_OFFSET - 4);
	return crc ^ ~0u;
}

/* ---- names -------------------------------------------------------------- */

const char *rc_disk_state_name(unsigned int state)
{
	static const char *const names[] = {
		[RC_DISK_UNUSED] = "unused",	[RC_DISK_ONLINE] = "online",
		[RC_DISK_FAILED] = "failed",	[RC_DISK_SPARE] = "spare",
		[RC_DISK_REBUILDING] = "rebuilding", [RC_DISK_MISSING] = "missing",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "unknown";
}

const char *rc_ld_state_name(unsigned int state)
{
	static const char *const names[] = {
		[RC_LD_UNUSED] = "unused",	[RC_LD_OPTIMAL] = "optimal",
		[RC_LD_DEGRADED] = "degraded",	[RC_LD_OFFLINE] = "offline",
		[RC_LD_REBUILDING] = "rebuilding",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "unknown";
}

const char *rc_extent_state_name(unsigned int state)
{
	static const char *const names[] = {
		[RC_EXT_ONLINE] = "online", [RC_EXT_FAILED] = "failed",
		[RC_EXT_REBUILDING] = "rebuilding",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "unknown";
}

const char *rc_level_name(unsigned int level)
{
	switch (level) {
	case RC_RAID0:
		return "raid0";
	case RC_RAID1:
		return "raid1";
	case RC_RAID5:
		return "raid5";
	case RC_RAID10:
		return "raid10";
	default:
		return "unknown";
	}
}

const char *rc_cod_strerror(int err)
{
	switch (err) {
	case 0:
		return "valid";
	case RC_COD_ENOCOD:
		return "no COD (not a raidcluster disk)";
	case RC_COD_ECRC:
		return "bad CRC (torn or corrupt copy)";
	case RC_COD_EVERSION:
		return "written by a newer format version";
	case RC_COD_EINVAL:
		return "a field is out of range";
	default:
		return "unknown error";
	}
}

/* ---- lookups ------------------------------------------------------------ */

void rc_config_init(struct rc_config *cfg, const u8 cluster_uuid[16])
{
	memset(cfg, 0, sizeof(*cfg));
	if (cluster_uuid)
		memcpy(cfg->cluster_uuid, cluster_uuid, 16);
}

bool rc_ld_name_ok(const char *name)
{
	size_t n = rc_strnlen(name, RC_NAME_LEN + 1);
	size_t i;

	if (n == 0 || n > RC_NAME_LEN)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return false;
	}
	return true;
}

int rc_config_find_ld(const struct rc_config *cfg, const char *name)
{
	unsigned int i;

	for (i = 0; i < cfg->nlds && i < RC_MAX_LDS; i++) {
		const struct rc_ld *ld = &cfg->lds[i];

		if (ld->state != RC_LD_UNUSED &&
		    !strncmp(ld->name, name, RC_NAME_LEN + 1))
			return (int)i;
	}
	return -ENOENT;
}

int rc_config_free_ld(const struct rc_config *cfg)
{
	unsigned int i;

	for (i = 0; i < RC_MAX_LDS; i++)
		if (i >= cfg->nlds || cfg->lds[i].state == RC_LD_UNUSED)
			return (int)i;
	return -ENOSPC;
}

/* Same physical disk?  Two WWNs decide alone; else the serials do. */
static bool rc_same_identity(const u8 *wwn_a, unsigned int wlen_a,
			     const char *ser_a, const u8 *wwn_b,
			     unsigned int wlen_b, const char *ser_b)
{
	if (wlen_a && wlen_b)
		return wlen_a == wlen_b && !memcmp(wwn_a, wwn_b, wlen_a);
	return ser_a[0] && !strncmp(ser_a, ser_b, RC_SERIAL_LEN + 1);
}

int rc_config_find_replaced(const struct rc_config *cfg, unsigned int channel,
			    unsigned int target, unsigned int *member)
{
	unsigned int n, e;

	for (n = 0; n < cfg->nlds && n < RC_MAX_LDS; n++) {
		const struct rc_ld *ld = &cfg->lds[n];

		if (ld->state == RC_LD_UNUSED || ld->level == RC_RAID0)
			continue;
		for (e = 0; e < ld->nextents && e < RC_MAX_EXTENTS; e++) {
			const struct rc_extent *x = &ld->ext[e];
			const struct rc_disk *d;

			if (x->state != RC_EXT_FAILED || x->disk >= RC_MAX_DISKS)
				continue;
			d = &cfg->disks[x->disk];
			if ((d->state == RC_DISK_FAILED ||
			     d->state == RC_DISK_MISSING) &&
			    d->channel == channel && d->target == target) {
				*member = e;
				return (int)n;
			}
		}
	}
	return -ENOENT;
}

int rc_config_find_disk(const struct rc_config *cfg, const u8 *wwn,
			unsigned int wwn_len, const char *serial)
{
	static const char none[1];
	unsigned int i;

	if (!serial)
		serial = none;
	if (!wwn)
		wwn_len = 0;
	/* A WWN match anywhere beats a serial match (serials may collide). */
	if (wwn_len) {
		for (i = 0; i < cfg->ndisks && i < RC_MAX_DISKS; i++) {
			const struct rc_disk *d = &cfg->disks[i];

			if (d->state != RC_DISK_UNUSED && d->wwn_len == wwn_len &&
			    !memcmp(d->wwn, wwn, wwn_len))
				return (int)i;
		}
	}
	for (i = 0; i < cfg->ndisks && i < RC_MAX_DISKS; i++) {
		const struct rc_disk *d = &cfg->disks[i];

		if (d->state != RC_DISK_UNUSED &&
		    rc_same_identity(d->wwn, d->wwn_len, d->serial, wwn,
				     wwn_len, serial))
			return (int)i;
	}
	return -ENOENT;
}

int rc_ld_geom(const struct rc_ld *ld, struct rc_geom *g)
{
	u64 min = ~0ull;
	unsigned int i;

	if (ld->nextents == 0 || ld->nextents > RC_MAX_EXTENTS) {
		memset(g, 0, sizeof(*g));
		return -EINVAL;
	}
	for (i = 0; i < ld->nextents; i++)
		min = min_t(u64, min, ld->ext[i].length);
	return rc_geom_init(g, ld->level, ld->nextents, ld->stripe_sectors, min);
}

/* ---- validation --------------------------------------------------------- */

static bool rc_level_known(unsigned int level)
{
	return rc_geom_min_members(level) != 0;
}

/* Checks one drive's own fields and extents against the disk records. */
static int rc_validate_ld(const struct rc_config *cfg, unsigned int i,
			  char *why, size_t whylen)
{
	const struct rc_ld *ld = &cfg->lds[i];
	unsigned int j, k;
	struct rc_geom g;

	if (ld->number != i)
		return rc_why(why, whylen, "drive record %u holds number %u", i,
			      ld->number);
	if (ld->state >= RC_LD_STATE_MAX)
		return rc_why(why, whylen, "rcl%u: state %u out of range", i,
			      ld->state);
	if (!rc_ld_name_ok(ld->name))
		return rc_why(why, whylen,
			      "rcl%u: invalid name (1-%u of A-Za-z0-9._-)", i,
			      RC_NAME_LEN);
	if (!rc_level_known(ld->level))
		return rc_why(why, whylen, "rcl%u: RAID level %u unknown",
			      i, ld->level);
	if (ld->nextents > RC_MAX_EXTENTS ||
	    ld->nextents < rc_geom_min_members(ld->level) ||
	    (ld->level == RC_RAID10 && (ld->nextents & 1)))
		return rc_why(why, whylen, "rcl%u: %u members invalid for %s",
			      i, ld->nextents, rc_level_name(ld->level));
	if (!rc_geom_chunk_ok(ld->stripe_sectors))
		return rc_why(why, whylen,
			      "rcl%u: stripe %u sectors is not a power of 2 in %u..%u",
			      i, ld->stripe_sectors,
			      RC_GEOM_MIN_CHUNK, RC_GEOM_MAX_CHUNK);
	for (j = 0; j < ld->nextents; j++) {
		const struct rc_extent *e = &ld->ext[j];
		const struct rc_disk *d;

		if (e->disk >= cfg->ndisks ||
		    cfg->disks[e->disk].state == RC_DISK_UNUSED)
			return rc_why(why, whylen,
				      "rcl%u: extent %u on unknown disk %u",
				      i, j, e->disk);
		d = &cfg->disks[e->disk];
		if (e->state >= RC_EXT_STATE_MAX)
			return rc_why(why, whylen,
				      "rcl%u: extent %u state %u out of range",
				      i, j, e->state);
		if (e->start < RC_DATA_START_SECTOR)
			return rc_why(why, whylen,
				      "rcl%u: extent %u starts at sector %llu, inside the metadata area",
				      i, j,
				      (unsigned long long)e->start);
		if (!e->length)
			return rc_why(why, whylen,
				      "rcl%u: extent %u is empty", i, j);
		if (e->length > d->capacity || e->start > d->capacity - e->length)
			return rc_why(why, whylen,
				      "rcl%u: extent %u ends past the end of disk %u (%llu sectors)",
				      i, j, e->disk,
				      (unsigned long long)d->capacity);
		if (e->rebuild_pos > e->length)
			return rc_why(why, whylen,
				      "rcl%u: extent %u rebuild position past its end",
				      i, j);
		for (k = 0; k < j; k++)
			if (ld->ext[k].disk == e->disk)
				return rc_why(why, whylen,
					      "rcl%u: extents %u and %u on the same disk %u",
					      i, k, j, e->disk);
	}
	if (rc_ld_geom(ld, &g))
		return rc_why(why, whylen,
			      "rcl%u: members smaller than one stripe unit",
			      i);
	if (ld->capacity != g.capacity)
		return rc_why(why, whylen,
			      "rcl%u: capacity %llu does not match its geometry (%llu)",
			      i, (unsigned long long)ld->capacity,
			      (unsigned long long)g.capacity);
	if (ld->resync_pos > ld->capacity)
		return rc_why(why, whylen,
			      "rcl%u: resync position past its end", i);
	return 0;
}

static bool rc_extents_overlap(const struct rc_extent *a,
			       const struct rc_extent *b)
{
	return a->disk == b->disk && a->start < b->start + b->length &&
	       b->start < a->start + a->length;
}

/* Does extent @e overlap any extent of drives [0, nlds) other than @skip? */
static int rc_find_overlap(const struct rc_config *cfg,
			   const struct rc_extent *e, unsigned int skip,
			   unsigned int *ld_out)
{
	unsigned int i, j;

	for (i = 0; i < cfg->nlds && i < RC_MAX_LDS; i++) {
		const struct rc_ld *ld = &cfg->lds[i];

		if (i == skip || ld->state == RC_LD_UNUSED)
			continue;
		for (j = 0; j < ld->nextents && j < RC_MAX_EXTENTS; j++)
			if (rc_extents_overlap(e, &ld->ext[j])) {
				*ld_out = i;
				return (int)j;
			}
	}
	return -1;
}

int rc_config_validate(const struct rc_config *cfg, char *why, size_t whylen)
{
	unsigned int i, j;
	int err;

	if (cfg->flags & ~RC_COD_FLAGS)
		return rc_why(why, whylen, "unknown flags 0x%x",
			      cfg->flags & ~RC_COD_FLAGS);
	if (cfg->ndisks > RC_MAX_DISKS)
		return rc_why(why, whylen, "%u disk records, at most %u",
			      cfg->ndisks, RC_MAX_DISKS);
	if (cfg->nlds > RC_MAX_LDS)
		return rc_why(why, whylen, "%u drive records, at most %u",
			      cfg->nlds, RC_MAX_LDS);
	if (cfg->writer_node >= RC_MAX_NODES)
		return rc_why(why, whylen, "writer node %u out of range",
			      cfg->writer_node);

	for (i = 0; i < cfg->ndisks; i++) {
		const struct rc_disk *d = &cfg->disks[i];

		if (d->state == RC_DISK_UNUSED)
			continue;
		if (d->state >= RC_DISK_STATE_MAX)
			return rc_why(why, whylen, "disk %u: state %u out of range",
				      i, d->state);
		if (d->wwn_len != 0 && d->wwn_len != 8 && d->wwn_len != 16)
			return rc_why(why, whylen,
				      "disk %u: WWN length %u (0, 8 or 16)", i,
				      d->wwn_len);
		if (rc_strnlen(d->serial, RC_SERIAL_LEN + 1) > RC_SERIAL_LEN ||
		    !rc_printable(d->serial))
			return rc_why(why, whylen,
				      "disk %u: serial too long or not printable", i);
		if (!d->wwn_len && !d->serial[0])
			return rc_why(why, whylen,
				      "disk %u: neither WWN nor serial", i);
		for (j = 0; j < i; j++) {
			const struct rc_disk *o = &cfg->disks[j];

			if (o->state != RC_DISK_UNUSED &&
			    rc_same_identity(o->wwn, o->wwn_len, o->serial,
					     d->wwn, d->wwn_len, d->serial))
				return rc_why(why, whylen,
					      "disks %u and %u have the same identity",
					      j, i);
		}
	}

	for (i = 0; i < cfg->nlds; i++) {
		const struct rc_ld *ld = &cfg->lds[i];

		if (ld->state == RC_LD_UNUSED)
			continue;
		err = rc_validate_ld(cfg, i, why, whylen);
		if (err)
			return err;
		for (j = 0; j < i; j++)
			if (cfg->lds[j].state != RC_LD_UNUSED &&
			    !strcmp(cfg->lds[j].name, ld->name))
				return rc_why(why, whylen,
					      "rcl%u and rcl%u are both named %s",
					      j, i, ld->name);
	}

	/* Only now are all extents known to be in bounds: check overlaps. */
	for (i = 0; i < cfg->nlds; i++) {
		const struct rc_ld *ld = &cfg->lds[i];
		unsigned int other;
		int k;

		if (ld->state == RC_LD_UNUSED)
			continue;
		for (j = 0; j < ld->nextents; j++) {
			k = rc_find_overlap(cfg, &ld->ext[j], i, &other);
			if (k >= 0)
				return rc_why(why, whylen,
					      "rcl%u extent %u overlaps rcl%u extent %d on disk %u",
					      i, j, other, k, ld->ext[j].disk);
		}
	}
	return 0;
}

int rc_config_check_new_ld(const struct rc_config *cfg, const struct rc_ld *ld,
			   char *why, size_t whylen)
{
	unsigned int min = rc_geom_min_members(ld->level);
	unsigned int j, k, other;
	struct rc_geom g;
	int taken;

	if (!ld->name[0]) {
		rc_why(why, whylen, "drive name is empty");
		return -EINVAL;
	}
	if (rc_strnlen(ld->name, RC_NAME_LEN + 1) > RC_NAME_LEN) {
		rc_why(why, whylen, "drive name longer than %u characters",
		       RC_NAME_LEN);
		return -EINVAL;
	}
	if (!rc_ld_name_ok(ld->name)) {
		rc_why(why, whylen,
		       "drive name '%s': only A-Za-z0-9._-, first a letter or digit",
		       ld->name);
		return -EINVAL;
	}
	taken = rc_config_find_ld(cfg, ld->name);
	if (taken >= 0) {
		rc_why(why, whylen, "name '%s' is taken by rcl%d", ld->name,
		       taken);
		return -EEXIST;
	}
	if (!min) {
		rc_why(why, whylen, "RAID level %u is not supported (0, 1, 5, 10)",
		       ld->level);
		return -EINVAL;
	}
	if (ld->nextents < min) {
		rc_why(why, whylen, "%s needs at least %u members, got %u",
		       rc_level_name(ld->level), min, ld->nextents);
		return -EINVAL;
	}
	if (ld->nextents > RC_MAX_EXTENTS) {
		rc_why(why, whylen, "%u members, at most %u", ld->nextents,
		       RC_MAX_EXTENTS);
		return -EINVAL;
	}
	if (ld->level == RC_RAID10 && (ld->nextents & 1)) {
		rc_why(why, whylen, "raid10 needs an even number of members, got %u",
		       ld->nextents);
		return -EINVAL;
	}
	if (!rc_geom_chunk_ok(ld->stripe_sectors)) {
		rc_why(why, whylen,
		       "stripe %u sectors is not a power of 2 in %u..%u",
		       ld->stripe_sectors, RC_GEOM_MIN_CHUNK, RC_GEOM_MAX_CHUNK);
		return -EINVAL;
	}
	if (rc_config_free_ld(cfg) < 0) {
		rc_why(why, whylen, "all %u drive numbers are in use", RC_MAX_LDS);
		return -ENOSPC;
	}

	for (j = 0; j < ld->nextents; j++) {
		const struct rc_extent *e = &ld->ext[j];
		const struct rc_disk *d;

		if (e->disk >= cfg->ndisks || e->disk >= RC_MAX_DISKS ||
		    cfg->disks[e->disk].state == RC_DISK_UNUSED) {
			rc_why(why, whylen, "member %u: unknown disk %u", j,
			       e->disk);
			return -ENODEV;
		}
		d = &cfg->disks[e->disk];
		if (d->state != RC_DISK_ONLINE) {
			rc_why(why, whylen,
			       "member %u: disk %u (%.*s) is %s, not online",
			       j, e->disk, RC_SERIAL_LEN, d->serial,
			       rc_disk_state_name(d->state));
			return -ENODEV;
		}
		for (k = 0; k < j; k++) {
			if (ld->ext[k].disk == e->disk) {
				rc_why(why, whylen,
				       "members %u and %u are both on disk %u",
				       k, j, e->disk);
				return -EINVAL;
			}
		}
		if (e->start < RC_DATA_START_SECTOR) {
			rc_why(why, whylen,
			       "member %u: start %llu is inside the metadata area (data starts at sector %llu)",
			       j, (unsigned long long)e->start,
			       (unsigned long long)RC_DATA_START_SECTOR);
			return -EINVAL;
		}
		if (!e->length) {
			rc_why(why, whylen, "member %u: length is 0", j);
			return -EINVAL;
		}
		if (e->length > d->capacity || e->start > d->capacity - e->length) {
			rc_why(why, whylen,
			       "member %u: extent %llu+%llu ends past the end of disk %u (%llu sectors)",
			       j, (unsigned long long)e->start,
			       (unsigned long long)e->length, e->disk,
			       (unsigned long long)d->capacity);
			return -ENOSPC;
		}
		if (rc_find_overlap(cfg, e, RC_MAX_LDS, &other) >= 0) {
			rc_why(why, whylen,
			       "member %u: extent %llu+%llu overlaps rcl%u (%s)",
			       j, (unsigned long long)e->start,
			       (unsigned long long)e->length, other,
			       cfg->lds[other].name);
			return -EBUSY;
		}
	}
	if (rc_ld_geom(ld, &g)) {
		rc_why(why, whylen, "members are smaller than one %s unit",
		       ld->level == RC_RAID1 ? "4 KiB" : "stripe");
		return -ENOSPC;
	}
	return 0;
}

/* ---- pick --------------------------------------------------------------- */

void rc_cod_copy_set(struct rc_cod_copy *c, int status,
		     const struct rc_config *cfg)
{
	memset(c, 0, sizeof(*c));
	c->status = status;
	if (!status && cfg) {
		c->generation = cfg->generation;
		memcpy(c->cluster_uuid, cfg->cluster_uuid, 16);
	}
}

int rc_cod_pick(const struct rc_cod_copy *c, unsigned int n,
		const u8 *cluster_uuid)
{
	const u8 *uuid = cluster_uuid;
	bool foreign = false;
	int best = -1;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (c[i].status)
			continue;
		if (!uuid)
			uuid = c[i].cluster_uuid;	/* first valid sets it */
		if (memcmp(c[i].cluster_uuid, uuid, 16)) {
			if (!cluster_uuid)
				return -EXDEV;	/* two clusters: refuse both */
			foreign = true;
			continue;
		}
		if (best < 0 || c[i].generation > c[best].generation)
			best = (int)i;
	}
	if (best >= 0)
		return best;
	return foreign ? -EXDEV : -ENOENT;
}

/* ---- encode ------------------------------------------------------------- */

static void rc_encode_disk(const struct rc_disk *d, struct rc_cod_disk *r)
{
	memcpy(r->wwn, d->wwn, d->wwn_len);
	memcpy(r->serial, d->serial, rc_strnlen(d->serial, RC_SERIAL_LEN));
	r->capacity = cpu_to_le64(d->capacity);
	r->wwn_len = d->wwn_len;
	r->state = d->state;
	r->channel = d->channel;
	r->target = d->target;
	memcpy(r->disk_uuid, d->uuid, 16);
}

static void rc_encode_ld(const struct rc_ld *ld, struct rc_cod_ld *r)
{
	unsigned int j;

	r->number = cpu_to_le32(ld->number);
	r->state = ld->state;
	r->level = ld->level;
	r->nextents = cpu_to_le16(ld->nextents);
	r->stripe_sectors = cpu_to_le32(ld->stripe_sectors);
	r->capacity = cpu_to_le64(ld->capacity);
	memcpy(r->name, ld->name, rc_strnlen(ld->name, RC_NAME_LEN));
	memcpy(r->ld_uuid, ld->uuid, 16);
	r->resync_pos = cpu_to_le64(ld->resync_pos);
	for (j = 0; j < ld->nextents; j++) {
		const struct rc_extent *e = &ld->ext[j];
		struct rc_cod_extent *x = &r->extents[j];

		x->disk = cpu_to_le16(e->disk);
		x->state = e->state;
		x->start = cpu_to_le64(e->start);
		x->length = cpu_to_le64(e->length);
		x->rebuild_pos = cpu_to_le64(e->rebuild_pos);
	}
}

int rc_cod_encode(const struct rc_config *cfg, void *buf)
{
	struct rc_cod_header *h = buf;
	struct rc_cod_disk *disks = (void *)((u8 *)buf + RC_COD_DISKS_OFFSET);
	struct rc_cod_ld *lds = (void *)((u8 *)buf + RC_COD_LDS_OFFSET);
	unsigned int i, ndisks = 0, nlds = 0;

	if (rc_config_validate(cfg, NULL, 0))
		return RC_COD_EINVAL;

	memset(buf, 0, RC_COD_BYTES);
	for (i = 0; i < cfg->ndisks; i++) {
		if (cfg->disks[i].state == RC_DISK_UNUSED)
			continue;
		rc_encode_disk(&cfg->disks[i], &disks[i]);
		ndisks = i + 1;
	}
	for (i = 0; i < cfg->nlds; i++) {
		if (cfg->lds[i].state == RC_LD_UNUSED)
			continue;
		rc_encode_ld(&cfg->lds[i], &lds[i]);
		nlds = i + 1;
	}

	h->magic = cpu_to_le64(RC_COD_MAGIC);
	h->version = cpu_to_le32(RC_COD_VERSION);
	h->generation = cpu_to_le64(cfg->generation);
	memcpy(h->cluster_uuid, cfg->cluster_uuid, 16);
	h->ndisks = cpu_to_le32(ndisks);
	h->nlds = cpu_to_le32(nlds);
	h->writer_node = cpu_to_le32(cfg->writer_node);
	h->flags = cpu_to_le32(cfg->flags);
	h->stamp = cpu_to_le64(cfg->stamp);
	h->disk_rec_size = cpu_to_le32(sizeof(struct rc_cod_disk));
	h->ld_rec_size = cpu_to_le32(sizeof(struct rc_cod_ld));
	h->extent_size = cpu_to_le32(sizeof(struct rc_cod_extent));
	h->max_extents = cpu_to_le32(RC_MAX_EXTENTS);
	h->crc = cpu_to_le32(rc_cod_crc(buf));
	return 0;
}

/* ---- decode ------------------------------------------------------------- */

static int rc_decode_header(const struct rc_cod_header *h, char *why,
			    size_t whylen)
{
	if (le32_to_cpu(h->flags) & ~RC_COD_FLAGS)
		return rc_why(why, whylen, "unknown header flags 0x%x set",
			      le32_to_cpu(h->flags) & ~RC_COD_FLAGS);
	if (le32_to_cpu(h->disk_rec_size) != sizeof(struct rc_cod_disk) ||
	    le32_to_cpu(h->ld_rec_size) != sizeof(struct rc_cod_ld) ||
	    le32_to_cpu(h->extent_size) != sizeof(struct rc_cod_extent) ||
	    le32_to_cpu(h->max_extents) != RC_MAX_EXTENTS)
		return rc_why(why, whylen, "record sizes %u/%u/%u/%u, expected %u/%u/%u/%u",
			      le32_to_cpu(h->disk_rec_size),
			      le32_to_cpu(h->ld_rec_size),
			      le32_to_cpu(h->extent_size),
			      le32_to_cpu(h->max_extents),
			      (unsigned int)sizeof(struct rc_cod_disk),
			      (unsigned int)sizeof(struct rc_cod_ld),
			      (unsigned int)sizeof(struct rc_cod_extent),
			      RC_MAX_EXTENTS);
	if (!rc_all_zero(h->reserved, sizeof(h->reserved)))
		return rc_why(why, whylen, "header reserved bytes set");
	if (le32_to_cpu(h->ndisks) > RC_MAX_DISKS)
		return rc_why(why, whylen, "%u disk records, at most %u",
			      le32_to_cpu(h->ndisks), RC_MAX_DISKS);
	if (le32_to_cpu(h->nlds) > RC_MAX_LDS)
		return rc_why(why, whylen, "%u drive records, at most %u",
			      le32_to_cpu(h->nlds), RC_MAX_LDS);
	return 0;
}

static int rc_decode_disk(const struct rc_cod_disk *r, unsigned int i,
			  bool in_use, struct rc_disk *d, char *why,
			  size_t whylen)
{
	memset(d, 0, sizeof(*d));
	if (!in_use || r->state == RC_DISK_UNUSED) {
		if (!rc_all_zero(r, sizeof(*r)))
			return rc_why(why, whylen, "free disk record %u not zero", i);
		return 0;
	}
	if (r->wwn_len != 0 && r->wwn_len != 8 && r->wwn_len != 16)
		return rc_why(why, whylen, "disk %u: WWN length %u (0, 8 or 16)",
			      i, r->wwn_len);
	if (!rc_all_zero(r->wwn + r->wwn_len, RC_WWN_LEN - r->wwn_len))
		return rc_why(why, whylen, "disk %u: WWN padding not zero", i);
	if (!rc_nul_padded(r->serial, RC_SERIAL_LEN))
		return rc_why(why, whylen, "disk %u: serial not NUL padded", i);
	if (le32_to_cpu(r->flags) || !rc_all_zero(r->reserved, sizeof(r->reserved)))
		return rc_why(why, whylen, "disk %u: flags or reserved bytes set", i);

	memcpy(d->wwn, r->wwn, RC_WWN_LEN);
	d->wwn_len = r->wwn_len;
	d->state = r->state;
	d->channel = r->channel;
	d->target = r->target;
	memcpy(d->serial, r->serial, RC_SERIAL_LEN);
	d->capacity = le64_to_cpu(r->capacity);
	memcpy(d->uuid, r->disk_uuid, 16);
	return 0;
}

static int rc_decode_ld(const struct rc_cod_ld *r, unsigned int i, bool in_use,
			struct rc_ld *ld, char *why, size_t whylen)
{
	unsigned int j, n;

	memset(ld, 0, sizeof(*ld));
	if (!in_use || r->state == RC_LD_UNUSED) {
		if (!rc_all_zero(r, sizeof(*r)))
			return rc_why(why, whylen, "free drive record %u not zero", i);
		return 0;
	}
	n = le16_to_cpu(r->nextents);
	if (n > RC_MAX_EXTENTS)
		return rc_why(why, whylen, "rcl%u: %u extents, at most %u", i,
			      n, RC_MAX_EXTENTS);
	if (le32_to_cpu(r->flags) || !rc_all_zero(r->reserved, sizeof(r->reserved)))
		return rc_why(why, whylen, "rcl%u: flags or reserved bytes set", i);
	if (!rc_nul_padded(r->name, RC_NAME_LEN))
		return rc_why(why, whylen, "rcl%u: name not NUL padded", i);
	if (!rc_all_zero(&r->extents[n], (RC_MAX_EXTENTS - n) * sizeof(r->extents[0])))
		return rc_why(why, whylen, "rcl%u: unused extent records not zero", i);

	ld->number = le32_to_cpu(r->number);
	ld->state = r->state;
	ld->level = r->level;
	ld->nextents = n;
	ld->stripe_sectors = le32_to_cpu(r->stripe_sectors);
	ld->capacity = le64_to_cpu(r->capacity);
	memcpy(ld->name, r->name, RC_NAME_LEN);
	memcpy(ld->uuid, r->ld_uuid, 16);
	ld->resync_pos = le64_to_cpu(r->resync_pos);
	for (j = 0; j < n; j++) {
		const struct rc_cod_extent *x = &r->extents[j];
		struct rc_extent *e = &ld->ext[j];

		if (x->reserved0 || le32_to_cpu(x->reserved1))
			return rc_why(why, whylen,
				      "rcl%u: extent %u reserved bytes set", i, j);
		e->disk = le16_to_cpu(x->disk);
		e->state = x->state;
		e->start = le64_to_cpu(x->start);
		e->length = le64_to_cpu(x->length);
		e->rebuild_pos = le64_to_cpu(x->rebuild_pos);
	}
	return 0;
}

int rc_cod_decode_why(const void *buf, size_t len, struct rc_config *cfg,
		      char *why, size_t whylen)
{
	const struct rc_cod_header *h = buf;
	const struct rc_cod_disk *disks =
		(const void *)((const u8 *)buf + RC_COD_DISKS_OFFSET);
	const struct rc_cod_ld *lds =
		(const void *)((const u8 *)buf + RC_COD_LDS_OFFSET);
	u32 version, crc, want;
	unsigned int i;
	int err;

	if (why && whylen)
		why[0] = '\0';
	if (len != RC_COD_BYTES)
		return rc_why(why, whylen, "COD copy is %llu bytes, not %u",
			      (unsigned long long)len, RC_COD_BYTES);
	if (le64_to_cpu(h->magic) != RC_COD_MAGIC) {
		rc_why(why, whylen, "no COD magic");
		return RC_COD_ENOCOD;
	}
	crc = le32_to_cpu(h->crc);
	want = rc_cod_crc(buf);
	if (crc != want) {
		rc_why(why, whylen, "CRC 0x%08x, computed 0x%08x", crc, want);
		return RC_COD_ECRC;
	}
	version = le32_to_cpu(h->version);
	if (version > RC_COD_VERSION) {
		rc_why(why, whylen, "format version %u, this code reads %u",
		       version, RC_COD_VERSION);
		return RC_COD_EVERSION;
	}
	if (version == 0)
		return rc_why(why, whylen, "format version 0");
	err = rc_decode_header(h, why, whylen);
	if (err)
		return err;
	if (!rc_all_zero((const u8 *)buf + RC_COD_USED_BYTES,
			 RC_COD_BYTES - RC_COD_USED_BYTES))
		return rc_why(why, whylen, "bytes past the records not zero");

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->cluster_uuid, h->cluster_uuid, 16);
	cfg->generation = le64_to_cpu(h->generation);
	cfg->writer_node = le32_to_cpu(h->writer_node);
	cfg->flags = le32_to_cpu(h->flags);
	cfg->stamp = le64_to_cpu(h->stamp);
	cfg->ndisks = le32_to_cpu(h->ndisks);
	cfg->nlds = le32_to_cpu(h->nlds);
	for (i = 0; i < RC_MAX_DISKS; i++) {
		err = rc_decode_disk(&disks[i], i, i < cfg->ndisks,
				     &cfg->disks[i], why, whylen);
		if (err)
			return err;
	}
	for (i = 0; i < RC_MAX_LDS; i++) {
		err = rc_decode_ld(&lds[i], i, i < cfg->nlds, &cfg->lds[i], why,
				   whylen);
		if (err)
			return err;
	}
	return rc_config_validate(cfg, why, whylen);
}

int rc_cod_decode(const void *buf, size_t len, struct rc_config *cfg)
{
	return rc_cod_decode_why(buf, len, cfg, NULL, 0);
}
