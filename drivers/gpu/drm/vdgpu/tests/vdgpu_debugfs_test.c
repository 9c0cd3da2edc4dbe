// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/vdgpu_drm.h>

#include <kunit/test.h>

#include "../vdgpu_bo.h"
#include "../vdgpu_debugfs.h"
#include "../vdgpu_device.h"
#include "../vdgpu_gtt_mgr.h"
#include "../vdgpu_vram_mgr.h"
#include "vdgpu_kunit_helpers.h"

/*
 * The debugfs files that show where buffer objects are and how they got
 * there (vram_map, gtt_map, lru, bo_moves), read through their print
 * functions on an emulated device and checked against the managers and
 * the objects: the maps tile their ranges exactly, TTM's ghost objects
 * show as the kernel's, the LRU is listed in eviction order and the move
 * history follows an eviction and the validation back.
 */

#define DFS_GTT		DRM_VDGPU_REGION_GTT
#define DFS_VRAM	DRM_VDGPU_REGION_VRAM0

static const u32 dfs_vram[] = { DFS_VRAM };
static const u32 dfs_gtt[] = { DFS_GTT };
static const u32 dfs_vram_gtt[] = { DFS_VRAM, DFS_GTT };

static void dfs_put_action(void *bo)
{
	vdgpu_bo_put(bo);
}

/* Moves @bo, idle or not, into @region. */
static void dfs_validate(struct kunit *test, struct vdgpu_bo *bo, u32 region)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	int ret;

	dma_resv_lock(bo->tbo.base.resv, NULL);
	ret = vdgpu_bo_validate_region(bo, region, &ctx);
	dma_resv_unlock(bo->tbo.base.resv);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(bo), region);
}

/* The output of a debugfs file, through a &drm_printer into a buffer. */
struct dfs_dump {
	char *buf;
	size_t size;
	size_t len;
};

static void dfs_dump_printfn(struct drm_printer *p, struct va_format *vaf)
{
	struct dfs_dump *d = p->arg;

	/* Past the end, @len keeps counting: the caller sees the overflow. */
	d->len += snprintf(d->buf + min(d->len, d->size),
			   d->size - min(d->len, d->size), "%pV", vaf);
}

/* Runs a debugfs file's body and returns what it printed. */
static char *dfs_read(struct kunit *test, struct vdgpu_device *vdev,
		      int (*print)(struct vdgpu_device *vdev,
				   struct drm_printer *p))
{
	struct dfs_dump *d;
	struct drm_printer p = { .printfn = dfs_dump_printfn };

	if (!IS_ENABLED(CONFIG_DEBUG_FS))
		kunit_skip(test, "needs CONFIG_DEBUG_FS");
	d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d);
	d->size = SZ_256K;
	d->buf = kunit_kzalloc(test, d->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d->buf);
	p.arg = d;
	KUNIT_ASSERT_EQ(test, print(vdev, &p), 0);
	KUNIT_ASSERT_LT_MSG(test, d->len, d->size, "output truncated");
	kunit_info(test, "%s", d->buf);
	return d->buf;
}

static void dfs_fput(void *file)
{
	fput(file);
	flush_delayed_fput();
}

/*
 * An object of @size in VRAM made by GEM_CREATE on a mock file, as a
 * client would; *@client_id is the file's client id.  The handle goes
 * with the file, the returned reference when the test ends.
 */
static struct vdgpu_bo *dfs_create_ioctl(struct kunit *test,
					 struct vdgpu_device *vdev, u64 size,
					 u64 *client_id)
{
	struct drm_vdgpu_gem_create args = {
		.size = size,
		.num_regions = 1,
	};
	struct drm_gem_object *obj;
	struct drm_file *dfile;
	unsigned long user;
	struct file *file;
	int ret;

	file = mock_drm_getfile(vdev->drm.render, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dfs_fput, file),
			0);
	dfile = file->private_data;
	user = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE_MSG(test, !user || IS_ERR_VALUE(user),
			       "no user memory");
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)user, dfs_vram,
					   sizeof(dfs_vram)), 0);
	args.regions = user;

	KUNIT_ASSERT_EQ(test, vdgpu_gem_create_ioctl(&vdev->drm, &args, dfile),
			0);
	obj = drm_gem_object_lookup(dfile, args.handle);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	ret = kunit_add_action_or_reset(test, dfs_put_action,
					gem_to_vdgpu_bo(obj));
	KUNIT_ASSERT_EQ(test, ret, 0);
	*client_id = dfile->client_id;
	return gem_to_vdgpu_bo(obj);
}

/* A line of vram_map or gtt_map. */
struct dfs_map_line {
	u64 start;
	u64 size;
	bool used;
	char state[8];
	u64 client_id;
	char kind[8];
	u64 bo_id;
};

/* Parses a range line of a map; fails the test on anything else. */
static void dfs_parse_map_line(struct kunit *test, const char *line,
			       struct dfs_map_line *l)
{
	int ret;

	*l = (struct dfs_map_line){};
	ret = sscanf(line, "0x%llx 0x%llx used client=%llu kind=%7s bo=%llu",
		     &l->start, &l->size, &l->client_id, l->kind, &l->bo_id);
	if (ret == 5) {
		l->used = true;
		KUNIT_EXPECT_TRUE_MSG(test, !strcmp(l->kind, "user") ||
				      !strcmp(l->kind, "kernel"), "%s", line);
		return;
	}
	ret = sscanf(line, "0x%llx 0x%llx free %7s", &l->start, &l->size,
		     l->state);
	if (ret < 2 || (ret == 2 && strcmp(line + strlen(line) - 5, " free")))
		KUNIT_FAIL(test, "bad map line: %s", line);
}

/* What a map says about one object; with @bo NULL, about TTM's ghosts. */
struct dfs_map_owner {
	struct vdgpu_bo *bo;
	u64 client_id;
	/* where its one range starts, or U64_MAX: anywhere, in pieces */
	u64 start;
	u64 bytes;
	unsigned int lines;
	bool client_ok;
	bool kind_ok;
};

/*
 * Checks that the lines of a map after its header tile [0, @size) in
 * order, and sums up the free and used bytes and what each of @owners
 * holds.  @clear_state: free lines say clear or dirty.
 */
static void dfs_check_map(struct kunit *test, char *lines, u64 size,
			  u64 align, bool clear_state,
			  struct dfs_map_owner *owners, unsigned int n,
			  u64 *free, u64 *used)
{
	struct dfs_map_line l;
	unsigned int i;
	u64 end = 0;
	char *line;

	*free = 0;
	*used = 0;
	while ((line = strsep(&lines, "\n"))) {
		if (!*line)
			continue;
		dfs_parse_map_line(test, line, &l);
		KUNIT_EXPECT_EQ_MSG(test, l.start, end, "gap or overlap: %s",
				    line);
		KUNIT_EXPECT_GT_MSG(test, l.size, 0, "%s", line);
		KUNIT_EXPECT_EQ_MSG(test, l.size % align, 0, "%s", line);
		end = l.start + l.size;
		if (!l.used) {
			if (clear_state)
				KUNIT_EXPECT_TRUE_MSG(test,
						      !strcmp(l.state, "clear") ||
						      !strcmp(l.state, "dirty"),
						      "%s", line);
			else
				KUNIT_EXPECT_STREQ(test, l.state, "");
			*free += l.size;
			continue;
		}
		*used += l.size;
		for (i = 0; i < n; i++) {
			struct dfs_map_owner *o = &owners[i];
			bool kernel = !o->bo ||
				      o->bo->tbo.type == ttm_bo_type_kernel;

			if ((o->bo ? o->bo->id : 0) != l.bo_id)
				continue;
			if (o->start != U64_MAX)
				KUNIT_EXPECT_EQ_MSG(test, l.start, o->start,
						    "%s", line);
			o->bytes += l.size;
			o->lines++;
			o->client_ok &= l.client_id == o->client_id;
			o->kind_ok &= !strcmp(l.kind, kernel ? "kernel" : "user");
		}
	}
	KUNIT_EXPECT_EQ(test, end, size);
}

/*
 * vram_map: its header describes the VRAM manager, its blocks tile VRAM in
 * order without overlap, the free ones add up to what the manager has
 * free, and each object (made by GEM_CREATE or by the kernel, user or
 * kernel, pinned or not) holds exactly its resource's bytes under its id,
 * client and kind.
 */
static void debugfs_vram_map_tiles_vram(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_vram_mgr *mgr = &vdev->vram_mgr;
	struct dfs_map_owner owners[4] = {};
	u64 size, visible, base, min_page, free, used;
	char *out, *header;
	unsigned int i;
	int ret;

	owners[0].bo = dfs_create_ioctl(test, vdev, SZ_2M + SZ_1M,
					&owners[0].client_id);
	owners[1].bo = vdgpu_kunit_bo_create(test, vdev, SZ_1M + SZ_4K,
					     dfs_vram, 1, 0);
	vdgpu_kunit_bo_pin(test, owners[1].bo);
	ret = vdgpu_kunit_bo_try_create(test, vdev, SZ_2M, dfs_vram, 1, 0,
					ttm_bo_type_kernel, &owners[2].bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
	owners[3].bo = vdgpu_kunit_bo_create(test, vdev, SZ_1M, dfs_vram, 1,
					     DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS);
	KUNIT_EXPECT_NE(test, owners[0].client_id, 0);
	for (i = 0; i < ARRAY_SIZE(owners); i++) {
		KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(owners[i].bo),
				DFS_VRAM);
		KUNIT_EXPECT_EQ(test, owners[i].bo->client_id,
				owners[i].client_id);
		owners[i].start = U64_MAX;
		owners[i].client_ok = true;
		owners[i].kind_ok = true;
		vdgpu_kunit_bo_wait_idle(test, owners[i].bo);
	}
	/* Ids are distinct and in creation order. */
	for (i = 1; i < ARRAY_SIZE(owners); i++)
		KUNIT_EXPECT_GT(test, owners[i].bo->id, owners[i - 1].bo->id);

	out = dfs_read(test, vdev, vdgpu_debugfs_print_vram_map);
	header = strsep(&out, "\n");
	ret = sscanf(header, "vram size=%llu visible=%llu base=0x%llx min_page=%llu",
		     &size, &visible, &base, &min_page);
	KUNIT_ASSERT_EQ_MSG(test, ret, 4, "bad header: %s", header);
	KUNIT_EXPECT_EQ(test, size, mgr->manager.size);
	KUNIT_EXPECT_EQ(test, visible, mgr->visible_size);
	KUNIT_EXPECT_EQ(test, base, vdev->vram_base);
	KUNIT_EXPECT_EQ(test, min_page, mgr->min_page_size);

	dfs_check_map(test, out, size, min_page, true, owners,
		      ARRAY_SIZE(owners), &free, &used);
	KUNIT_EXPECT_EQ(test, free, size - vdgpu_vram_mgr_used(mgr));
	KUNIT_EXPECT_EQ(test, used, vdgpu_vram_mgr_used(mgr));
	for (i = 0; i < ARRAY_SIZE(owners); i++) {
		struct vdgpu_bo *bo = owners[i].bo;

		KUNIT_EXPECT_EQ_MSG(test, owners[i].bytes,
				    to_vdgpu_vram_mgr_resource(bo->tbo.resource)->size,
				    "object %u", i);
		KUNIT_EXPECT_GT_MSG(test, owners[i].lines, 0, "object %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, owners[i].client_ok, "object %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, owners[i].kind_ok, "object %u", i);
	}
}

/*
 * vram_map: while a move out of VRAM waits for the object's work, the
 * blocks it leaves belong to TTM's ghost object and show as client 0,
 * kernel, bo 0; once the move is done they are free again.
 */
static void debugfs_vram_map_shows_ghosts(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct dfs_map_owner owners[2] = {};
	u64 size, free, used, left;
	struct dma_fence *fence;
	char *out;

	owners[1].bo = vdgpu_kunit_bo_create(test, vdev, SZ_4M, dfs_vram_gtt,
					     2, 0);
	vdgpu_kunit_bo_wait_idle(test, owners[1].bo);
	left = to_vdgpu_vram_mgr_resource(owners[1].bo->tbo.resource)->size;
	fence = vdgpu_kunit_bo_add_fence(test, owners[1].bo, false);
	dfs_validate(test, owners[1].bo, DFS_GTT);

	owners[0].start = U64_MAX;
	owners[0].client_ok = true;
	owners[0].kind_ok = true;
	owners[1].start = U64_MAX;
	out = dfs_read(test, vdev, vdgpu_debugfs_print_vram_map);
	strsep(&out, "\n");
	size = vdev->vram_mgr.manager.size;
	dfs_check_map(test, out, size, SZ_4K, true, owners, ARRAY_SIZE(owners),
		      &free, &used);
	KUNIT_EXPECT_EQ(test, owners[0].bytes, left);
	KUNIT_EXPECT_TRUE(test, owners[0].client_ok);
	KUNIT_EXPECT_TRUE(test, owners[0].kind_ok);
	KUNIT_EXPECT_EQ(test, owners[1].lines, 0);

	dma_fence_signal(fence);
	vdgpu_kunit_bo_wait_idle(test, owners[1].bo);
	vdgpu_kunit_bo_flush(vdev);
	owners[0].bytes = 0;
	out = dfs_read(test, vdev, vdgpu_debugfs_print_vram_map);
	strsep(&out, "\n");
	dfs_check_map(test, out, size, SZ_4K, true, owners, ARRAY_SIZE(owners),
		      &free, &used);
	KUNIT_EXPECT_EQ(test, owners[0].bytes, 0);
	KUNIT_EXPECT_EQ(test, free, size - vdgpu_vram_mgr_used(&vdev->vram_mgr));
}

/*
 * gtt_map: its ranges tile the aperture in order, an object's range is
 * where the GTT manager put it, with its size, id and kind, the range of
 * an object put since is free, and the free bytes add up.
 */
static void debugfs_gtt_map_tiles_aperture(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct ttm_resource_manager *man = &vdev->gtt_mgr.manager;
	struct dfs_map_owner owners[3] = {};
	struct vdgpu_bo *gone;
	u64 size, free, used;
	char *out, *header;
	unsigned int i;
	int ret;

	owners[0].bo = vdgpu_kunit_bo_create(test, vdev, SZ_1M, dfs_gtt, 1, 0);
	gone = vdgpu_kunit_bo_create(test, vdev, SZ_512K, dfs_gtt, 1, 0);
	ret = vdgpu_kunit_bo_try_create(test, vdev, SZ_64K, dfs_gtt, 1, 0,
					ttm_bo_type_kernel, &owners[1].bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
	owners[2].bo = vdgpu_kunit_bo_create(test, vdev, SZ_2M, dfs_gtt, 1, 0);
	for (i = 0; i < ARRAY_SIZE(owners); i++) {
		KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(owners[i].bo),
				DFS_GTT);
		owners[i].start = vdgpu_gtt_mgr_resource_page(owners[i].bo->tbo.resource) <<
				  PAGE_SHIFT;
		owners[i].client_ok = true;
		owners[i].kind_ok = true;
	}
	vdgpu_kunit_bo_put(test, gone);
	vdgpu_kunit_bo_flush(vdev);

	out = dfs_read(test, vdev, vdgpu_debugfs_print_gtt_map);
	header = strsep(&out, "\n");
	ret = sscanf(header, "gtt size=%llu", &size);
	KUNIT_ASSERT_EQ_MSG(test, ret, 1, "bad header: %s", header);
	KUNIT_EXPECT_EQ(test, size, man->size << PAGE_SHIFT);

	dfs_check_map(test, out, size, PAGE_SIZE, false, owners,
		      ARRAY_SIZE(owners), &free, &used);
	KUNIT_EXPECT_EQ(test, used, ttm_resource_manager_usage(man));
	KUNIT_EXPECT_EQ(test, free, size - used);
	for (i = 0; i < ARRAY_SIZE(owners); i++) {
		struct vdgpu_bo *bo = owners[i].bo;

		KUNIT_EXPECT_EQ_MSG(test, owners[i].bytes, bo->tbo.base.size,
				    "object %u", i);
		KUNIT_EXPECT_EQ_MSG(test, owners[i].lines, 1, "object %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, owners[i].client_ok, "object %u", i);
		KUNIT_EXPECT_TRUE_MSG(test, owners[i].kind_ok, "object %u", i);
	}
}

/* A line of the lru file, with the manager whose section it is in. */
struct dfs_lru_line {
	char list[8];
	u64 bo_id;
	u64 size;
	u64 client_id;
	u32 prio;
	u32 age_ms;
};

/*
 * Parses the lru file into @lines (at most @max); checks that each
 * section's count is its number of lines.  Returns the number of lines.
 */
static unsigned int dfs_parse_lru(struct kunit *test, char *out,
				  struct dfs_lru_line *lines, unsigned int max)
{
	unsigned int n = 0, count = 0, in_section = 0;
	char list[8] = "";
	char *line;
	int ret;

	while ((line = strsep(&out, "\n"))) {
		if (!*line)
			continue;
		if (strncmp(line, "bo=", 3)) {
			KUNIT_EXPECT_EQ_MSG(test, in_section, count,
					    "section %s", list);
			ret = sscanf(line, "%7s objects=%u", list, &count);
			KUNIT_ASSERT_EQ_MSG(test, ret, 2, "bad line: %s", line);
			in_section = 0;
			continue;
		}
		KUNIT_ASSERT_NE_MSG(test, list[0], 0, "no section: %s", line);
		KUNIT_ASSERT_LT(test, n, max);
		strscpy(lines[n].list, list);
		ret = sscanf(line, "bo=%llu size=%llu client=%llu prio=%u age_ms=%u",
			     &lines[n].bo_id, &lines[n].size,
			     &lines[n].client_id, &lines[n].prio,
			     &lines[n].age_ms);
		KUNIT_ASSERT_EQ_MSG(test, ret, 5, "bad line: %s", line);
		n++;
		in_section++;
	}
	KUNIT_EXPECT_EQ_MSG(test, in_section, count, "section %s", list);
	KUNIT_EXPECT_STREQ(test, list, "pinned");
	return n;
}

/* Where @bo is in @lines, or -1; checks its section, size and client. */
static int dfs_lru_find(struct kunit *test, const struct dfs_lru_line *lines,
			unsigned int n, struct vdgpu_bo *bo, const char *list)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (lines[i].bo_id != bo->id)
			continue;
		KUNIT_EXPECT_STREQ(test, lines[i].list, list);
		KUNIT_EXPECT_EQ(test, lines[i].size, bo->tbo.base.size);
		KUNIT_EXPECT_EQ(test, lines[i].client_id, 0);
		KUNIT_EXPECT_EQ(test, lines[i].prio, bo->tbo.priority);
		return i;
	}
	KUNIT_FAIL(test, "object %llu not in the lru file", bo->id);
	return -1;
}

/*
 * lru: the objects of VRAM are listed in the order eviction takes them:
 * the purgeable one first, then the user ones oldest first, the kernel
 * one last, with their priorities; an object in GTT is in the gtt section
 * and a pinned one in the pinned section, on no LRU list.
 */
static void debugfs_lru_in_eviction_order(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_bo *kernel, *old, *young, *purgeable, *pinned, *in_gtt;
	int pos_kernel, pos_old, pos_young, pos_purgeable;
	struct dfs_lru_line *lines;
	unsigned int n, i;
	u32 prio = 0;

	KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_try_create(test, vdev, SZ_1M,
							dfs_vram, 1, 0,
							ttm_bo_type_kernel,
							&kernel), 0);
	old = vdgpu_kunit_bo_create(test, vdev, SZ_2M, dfs_vram, 1, 0);
	young = vdgpu_kunit_bo_create(test, vdev, SZ_1M, dfs_vram, 1, 0);
	purgeable = vdgpu_kunit_bo_create(test, vdev, SZ_4M, dfs_vram, 1, 0);
	vdgpu_kunit_bo_wait_idle(test, purgeable);
	vdgpu_kunit_bo_madvise(purgeable, DRM_VDGPU_MADV_DONTNEED);
	pinned = vdgpu_kunit_bo_create(test, vdev, SZ_64K, dfs_vram, 1, 0);
	vdgpu_kunit_bo_pin(test, pinned);
	in_gtt = vdgpu_kunit_bo_create(test, vdev, SZ_1M, dfs_gtt, 1, 0);

	lines = kunit_kcalloc(test, 256, sizeof(*lines), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lines);
	n = dfs_parse_lru(test, dfs_read(test, vdev, vdgpu_debugfs_print_lru),
			  lines, 256);

	pos_purgeable = dfs_lru_find(test, lines, n, purgeable, "vram");
	pos_old = dfs_lru_find(test, lines, n, old, "vram");
	pos_young = dfs_lru_find(test, lines, n, young, "vram");
	pos_kernel = dfs_lru_find(test, lines, n, kernel, "vram");
	dfs_lru_find(test, lines, n, pinned, "pinned");
	dfs_lru_find(test, lines, n, in_gtt, "gtt");
	KUNIT_EXPECT_EQ(test, lines[pos_purgeable].prio,
			VDGPU_BO_PRIO_PURGEABLE);
	KUNIT_EXPECT_EQ(test, lines[pos_kernel].prio, VDGPU_BO_PRIO_KERNEL);
	KUNIT_EXPECT_LT(test, pos_purgeable, pos_old);
	KUNIT_EXPECT_LT(test, pos_old, pos_young);
	KUNIT_EXPECT_LT(test, pos_young, pos_kernel);
	/* Within a manager's section, priorities never decrease. */
	for (i = 0; i < n && !strcmp(lines[i].list, "vram"); i++) {
		KUNIT_EXPECT_GE_MSG(test, lines[i].prio, prio, "line %u", i);
		prio = lines[i].prio;
	}
}

/* A move line of the bo_moves file. */
struct dfs_move_line {
	char from[8];
	char to[8];
	char reason[12];
	u64 bytes;
	u64 usec;
};

/*
 * The moves bo_moves lists for @bo, oldest first, into @moves (at most
 * four); checks its header line.  Returns how many.
 */
static unsigned int dfs_parse_moves(struct kunit *test, char *out,
				    struct vdgpu_bo *bo,
				    struct dfs_move_line *moves)
{
	unsigned int n = 0;
	bool mine = false;
	u64 id, client, size, sec, usec;
	char *line;
	int ret;

	while ((line = strsep(&out, "\n"))) {
		if (!*line)
			continue;
		if (!strncmp(line, "bo=", 3)) {
			ret = sscanf(line, "bo=%llu client=%llu size=%llu",
				     &id, &client, &size);
			KUNIT_ASSERT_EQ_MSG(test, ret, 3, "bad line: %s", line);
			mine = id == bo->id;
			if (mine) {
				KUNIT_EXPECT_EQ(test, client, bo->client_id);
				KUNIT_EXPECT_EQ(test, size, bo->tbo.base.size);
			}
			continue;
		}
		KUNIT_ASSERT_EQ_MSG(test, strncmp(line, "  ", 2), 0,
				    "bad line: %s", line);
		if (!mine)
			continue;
		KUNIT_ASSERT_LT_MSG(test, n, VDGPU_BO_MOVE_HISTORY,
				    "too many moves: %s", line);
		ret = sscanf(line, " %llu.%llu %7s -> %7s %11s bytes=%llu",
			     &sec, &usec, moves[n].from, moves[n].to,
			     moves[n].reason, &moves[n].bytes);
		KUNIT_ASSERT_EQ_MSG(test, ret, 6, "bad line: %s", line);
		moves[n].usec = sec * USEC_PER_SEC + usec;
		if (n)
			KUNIT_EXPECT_GE(test, moves[n].usec, moves[n - 1].usec);
		n++;
	}
	return n;
}

static void dfs_expect_move(struct kunit *test, const struct dfs_move_line *m,
			    const char *from, const char *to,
			    const char *reason)
{
	KUNIT_EXPECT_STREQ(test, m->from, from);
	KUNIT_EXPECT_STREQ(test, m->to, to);
	KUNIT_EXPECT_STREQ(test, m->reason, reason);
}

/*
 * bo_moves: an object created in VRAM, evicted to GTT by an object that
 * needs all of VRAM, then validated back once that one is gone, has the
 * three moves in order, with the bytes copied for the eviction and the
 * validation; the object that evicted it was created in VRAM.
 */
static void debugfs_bo_moves_records_eviction(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct dfs_move_line moves[VDGPU_BO_MOVE_HISTORY];
	struct vdgpu_bo *bo, *big;
	char *out;

	bo = vdgpu_kunit_bo_create(test, vdev, SZ_4M, dfs_vram_gtt, 2, 0);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(bo), DFS_VRAM);
	vdgpu_kunit_bo_wait_idle(test, bo);
	big = vdgpu_kunit_bo_create(test, vdev, vdev->vram_mgr.manager.size,
				    dfs_vram, 1, 0);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(big), DFS_VRAM);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(bo), DFS_GTT);

	out = dfs_read(test, vdev, vdgpu_debugfs_print_bo_moves);
	KUNIT_ASSERT_EQ(test, dfs_parse_moves(test, out, big, moves), 1);
	dfs_expect_move(test, &moves[0], "none", "vram", "create");

	vdgpu_kunit_bo_put(test, big);
	vdgpu_kunit_bo_flush(vdev);
	dfs_validate(test, bo, DFS_VRAM);

	out = dfs_read(test, vdev, vdgpu_debugfs_print_bo_moves);
	KUNIT_ASSERT_EQ(test, dfs_parse_moves(test, out, bo, moves), 3);
	dfs_expect_move(test, &moves[0], "none", "vram", "create");
	dfs_expect_move(test, &moves[1], "vram", "gtt", "evict");
	KUNIT_EXPECT_EQ(test, moves[1].bytes, SZ_4M);
	dfs_expect_move(test, &moves[2], "gtt", "vram", "validate");
	KUNIT_EXPECT_EQ(test, moves[2].bytes, SZ_4M);
}

static struct kunit_case vdgpu_debugfs_tests[] = {
	KUNIT_CASE(debugfs_vram_map_tiles_vram),
	KUNIT_CASE(debugfs_vram_map_shows_ghosts),
	KUNIT_CASE(debugfs_gtt_map_tiles_aperture),
	KUNIT_CASE(debugfs_lru_in_eviction_order),
	KUNIT_CASE(debugfs_bo_moves_records_eviction),
	{}
};

static struct kunit_suite vdgpu_debugfs_suite = {
	.name = "vdgpu_debugfs",
	.test_cases = vdgpu_debugfs_tests,
};

kunit_test_suite(vdgpu_debugfs_suite);
