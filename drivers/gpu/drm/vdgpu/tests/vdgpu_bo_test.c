// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/gpu_buddy.h>
#include <linux/iosys-map.h>
#include <linux/mman.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/vdgpu_drm.h>

#include <kunit/test.h>

#include "../vdgpu_bo.h"
#include "../vdgpu_debugfs.h"
#include "../vdgpu_device.h"
#include "../vdgpu_gtt_mgr.h"
#include "../vdgpu_params.h"
#include "../vdgpu_region.h"
#include "../vdgpu_vram_mgr.h"
#include "vdgpu_kunit_helpers.h"

/*
 * Buffer objects on an emulated device: where vdgpu_bo_create() puts them
 * for each region list and flag, how pins, madvise and LRU priorities
 * decide what eviction takes, that new objects read zeroes, that
 * failures and puts leave no memory accounted, and that the debugfs files
 * showing where objects are (vram_map, gtt_map, lru, bo_moves) tell the
 * truth.
 */

#define BO_SYS		DRM_VDGPU_REGION_SYSTEM
#define BO_GTT		DRM_VDGPU_REGION_GTT
#define BO_VRAM		DRM_VDGPU_REGION_VRAM0

/*
 * What vdgpu_bo_create() returns when no region of the list has room even
 * after eviction: -ENOSPC, which TTM alone would report as -ENOMEM (see the
 * no-space sentinel in "TTM device").
 */
#define BO_ERR_NO_ROOM	(-ENOSPC)

/* Generous: the lane runs under UML with KASAN on two shared cores. */
#define BO_TIMEOUT	(60 * HZ)

static const u32 bo_vram[] = { BO_VRAM };
static const u32 bo_gtt[] = { BO_GTT };
static const u32 bo_vram_gtt[] = { BO_VRAM, BO_GTT };

static void bo_put_action(void *bo)
{
	vdgpu_bo_put(bo);
}

/*
 * Creates an object, put when the test ends unless bo_put() puts it first.
 * Returns vdgpu_bo_create()'s errno; *@out is set only on success.
 */
static int bo_try_create(struct kunit *test, struct vdgpu_device *vdev,
			 u64 size, const u32 *regions, u32 num_regions,
			 u32 flags, enum ttm_bo_type type, struct vdgpu_bo **out)
{
	struct vdgpu_bo *bo;
	int ret;

	ret = vdgpu_bo_create(vdev, size, regions, num_regions, flags, type,
			      &bo);
	if (ret)
		return ret;
	ret = kunit_add_action_or_reset(test, bo_put_action, bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
	*out = bo;
	return 0;
}

/* A user object that must be created. */
static struct vdgpu_bo *bo_create(struct kunit *test, struct vdgpu_device *vdev,
				  u64 size, const u32 *regions, u32 num_regions,
				  u32 flags)
{
	struct vdgpu_bo *bo;
	int ret;

	ret = bo_try_create(test, vdev, size, regions, num_regions, flags,
			    ttm_bo_type_device, &bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return bo;
}

static void bo_put(struct kunit *test, struct vdgpu_bo *bo)
{
	kunit_release_action(test, bo_put_action, bo);
}

static void bo_lock(struct vdgpu_bo *bo)
{
	dma_resv_lock(bo->tbo.base.resv, NULL);
}

static void bo_unlock(struct vdgpu_bo *bo)
{
	dma_resv_unlock(bo->tbo.base.resv);
}

static void bo_unpin_action(void *data)
{
	struct vdgpu_bo *bo = data;

	bo_lock(bo);
	vdgpu_bo_unpin(bo);
	bo_unlock(bo);
}

/* Pins @bo once more; the pin goes when the test ends unless bo_unpin(). */
static void bo_pin(struct kunit *test, struct vdgpu_bo *bo)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	int ret;

	bo_lock(bo);
	ret = vdgpu_bo_pin(bo, &ctx);
	bo_unlock(bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kunit_add_action_or_reset(test, bo_unpin_action, bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

static void bo_unpin(struct kunit *test, struct vdgpu_bo *bo)
{
	kunit_release_action(test, bo_unpin_action, bo);
}

static u32 bo_region(struct vdgpu_bo *bo)
{
	u32 region;

	bo_lock(bo);
	region = vdgpu_bo_region(bo);
	bo_unlock(bo);
	return region;
}

static bool bo_madvise(struct vdgpu_bo *bo, u32 advice)
{
	bool purged;

	bo_lock(bo);
	purged = vdgpu_bo_madvise(bo, advice);
	bo_unlock(bo);
	return purged;
}

static void bo_wait_idle(struct kunit *test, struct vdgpu_bo *bo)
{
	long ret;

	ret = dma_resv_wait_timeout(bo->tbo.base.resv, DMA_RESV_USAGE_BOOKKEEP,
				    false, BO_TIMEOUT);
	KUNIT_ASSERT_GT_MSG(test, ret, 0, "the object did not become idle");
}

/* Lets TTM finish destroying objects that were busy when put. */
static void bo_flush(struct vdgpu_device *vdev)
{
	flush_workqueue(vdev->ttm.wq);
}

static u64 bo_usage(struct vdgpu_device *vdev, u32 region)
{
	struct vdgpu_region_usage usage;

	vdgpu_region_usage(vdev, vdgpu_region_get(vdev, region), &usage);
	return usage.used;
}

static bool bo_visible(struct vdgpu_bo *bo)
{
	return vdgpu_vram_mgr_resource_is_visible(bo->tbo.resource);
}

static u64 bo_vram_free(struct vdgpu_device *vdev)
{
	return vdev->vram_mgr.manager.size - vdgpu_vram_mgr_used(&vdev->vram_mgr);
}

static struct vdgpu_device *bo_device(struct kunit *test, u64 vram_size,
				      u64 visible_size, u64 gart_size)
{
	struct vdgpu_params params;

	vdgpu_kunit_default_params(&params);
	params.vram_size = vram_size;
	params.visible_vram_size = visible_size;
	params.gart_size = gart_size;
	return vdgpu_kunit_device(test, &params);
}

/* 64 MiB of VRAM behind a 16 MiB window. */
static struct vdgpu_device *bo_small_bar_device(struct kunit *test)
{
	return bo_device(test, SZ_64M, SZ_16M, SZ_32M);
}

/* First and end offset of the VRAM blocks behind @bo, which is in VRAM. */
static void bo_vram_span(struct vdgpu_device *vdev, struct vdgpu_bo *bo,
			 u64 *start, u64 *end)
{
	struct vdgpu_vram_mgr_resource *vres =
		to_vdgpu_vram_mgr_resource(bo->tbo.resource);
	struct gpu_buddy_block *block;

	*start = U64_MAX;
	*end = 0;
	list_for_each_entry(block, &vres->blocks, link) {
		u64 offset = gpu_buddy_block_offset(block);

		*start = min(*start, offset);
		*end = max(*end, offset +
			   gpu_buddy_block_size(&vdev->vram_mgr.mm, block));
	}
}

/*
 * Fills the free VRAM with user objects of @chunk bytes, the last one
 * smaller if need be, pinned if @pin.  Returns them, oldest first.
 */
static struct vdgpu_bo **bo_fill_vram(struct kunit *test,
				      struct vdgpu_device *vdev, u64 chunk,
				      bool pin, unsigned int *count)
{
	u64 left = bo_vram_free(vdev), size;
	struct vdgpu_bo **bos;
	unsigned int i, n;

	n = DIV_ROUND_UP(left, chunk);
	bos = kunit_kcalloc(test, n, sizeof(*bos), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bos);
	for (i = 0; i < n; i++) {
		size = min(chunk, left);
		bos[i] = bo_create(test, vdev, size, bo_vram, 1, 0);
		KUNIT_ASSERT_EQ(test, bo_region(bos[i]), BO_VRAM);
		if (pin)
			bo_pin(test, bos[i]);
		left -= size;
	}
	KUNIT_ASSERT_EQ(test, bo_vram_free(vdev), 0);
	*count = n;
	return bos;
}

/*
 * A fence for GPU work that finishes as soon as someone waits for it: it
 * keeps its object busy until then, yet the eviction copy, which waits for
 * the object on the CPU before copying, does not block.
 */
struct bo_lazy_fence {
	struct dma_fence base;
	/* The fence's lock, which guards its signalling state. */
	spinlock_t lock;
};

static const char *bo_lazy_fence_name(struct dma_fence *fence)
{
	return "vdgpu_bo_test";
}

static bool bo_lazy_fence_enable_signaling(struct dma_fence *fence)
{
	/* false: the fence signals now. */
	return false;
}

static const struct dma_fence_ops bo_lazy_fence_ops = {
	.get_driver_name = bo_lazy_fence_name,
	.get_timeline_name = bo_lazy_fence_name,
	.enable_signaling = bo_lazy_fence_enable_signaling,
};

/* A fence that signals only when the test says so. */
static const struct dma_fence_ops bo_held_fence_ops = {
	.get_driver_name = bo_lazy_fence_name,
	.get_timeline_name = bo_lazy_fence_name,
};

static void bo_fence_release(void *fence)
{
	dma_fence_signal(fence);
	dma_fence_put(fence);
}

/*
 * Adds an unsignalled fence of @ops to @bo's resv, signalled by the end of
 * the test at the latest; returns it.
 */
static struct dma_fence *bo_add_fence(struct kunit *test, struct vdgpu_bo *bo,
				      const struct dma_fence_ops *ops)
{
	struct bo_lazy_fence *f;
	int ret;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	spin_lock_init(&f->lock);
	dma_fence_init(&f->base, ops, &f->lock, dma_fence_context_alloc(1), 1);
	ret = kunit_add_action_or_reset(test, bo_fence_release, &f->base);
	KUNIT_ASSERT_EQ(test, ret, 0);

	bo_lock(bo);
	ret = dma_resv_reserve_fences(bo->tbo.base.resv, 1);
	if (!ret)
		dma_resv_add_fence(bo->tbo.base.resv, &f->base,
				   DMA_RESV_USAGE_WRITE);
	bo_unlock(bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_FALSE(test, dma_resv_test_signaled(bo->tbo.base.resv,
							DMA_RESV_USAGE_BOOKKEEP));
	return &f->base;
}

/* Makes @bo busy with a lazy fence, signalled by the end of the test. */
static void bo_make_busy(struct kunit *test, struct vdgpu_bo *bo)
{
	bo_add_fence(test, bo, &bo_lazy_fence_ops);
}

struct bo_regions_case {
	const char *name;
	u32 regions[VDGPU_NUM_REGIONS];
	u32 num_regions;
};

static const struct bo_regions_case bo_regions_cases[] = {
	{ "vram", { BO_VRAM }, 1 },
	{ "gtt", { BO_GTT }, 1 },
	{ "system", { BO_SYS }, 1 },
	{ "vram, gtt", { BO_VRAM, BO_GTT }, 2 },
	{ "gtt, vram", { BO_GTT, BO_VRAM }, 2 },
	{ "system, vram", { BO_SYS, BO_VRAM }, 2 },
	{ "gtt, system", { BO_GTT, BO_SYS }, 2 },
	{ "vram, gtt, system", { BO_VRAM, BO_GTT, BO_SYS }, 3 },
	{ "system, gtt, vram", { BO_SYS, BO_GTT, BO_VRAM }, 3 },
};

static void bo_regions_case_desc(const struct bo_regions_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bo_regions, bo_regions_cases, bo_regions_case_desc);

/* With room everywhere, an object lands in the first region of its list. */
static void bo_create_places_in_first_region(struct kunit *test)
{
	const struct bo_regions_case *c = test->param_value;
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_bo *bo;

	bo = bo_create(test, vdev, SZ_1M, c->regions, c->num_regions, 0);
	KUNIT_EXPECT_EQ(test, bo_region(bo), c->regions[0]);
	KUNIT_EXPECT_EQ(test, bo->tbo.resource->mem_type,
			vdgpu_region_get(vdev, c->regions[0])->mem_type);
}

/*
 * VRAM full of pinned objects: a VRAM-then-GTT object lands in GTT, and a
 * VRAM-only one fails (BO_ERR_NO_ROOM) without changing any usage.
 */
static void bo_create_falls_back_when_first_full(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_bo **fill, *bo;
	u64 vram_used, gtt_used;
	unsigned int n, i;

	fill = bo_fill_vram(test, vdev, SZ_4M, true, &n);
	vram_used = bo_usage(vdev, BO_VRAM);

	bo = bo_create(test, vdev, SZ_4M, bo_vram_gtt, 2, 0);
	KUNIT_EXPECT_EQ(test, bo_region(bo), BO_GTT);
	KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_VRAM), vram_used);
	gtt_used = bo_usage(vdev, BO_GTT);
	KUNIT_EXPECT_EQ(test, gtt_used, SZ_4M);

	KUNIT_EXPECT_EQ(test, bo_try_create(test, vdev, SZ_4M, bo_vram, 1, 0,
					    ttm_bo_type_device, &bo),
			BO_ERR_NO_ROOM);
	KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_VRAM), vram_used);
	KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_GTT), gtt_used);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, bo_region(fill[i]), BO_VRAM);
}

/*
 * VRAM full of evictable objects: a VRAM-then-GTT object still lands in
 * VRAM, and the least recently used object goes to GTT to make room.
 */
static void bo_create_evicts_before_fallback(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_bo **fill, *bo;
	unsigned int n, i;

	fill = bo_fill_vram(test, vdev, SZ_4M, false, &n);

	bo = bo_create(test, vdev, SZ_4M, bo_vram_gtt, 2, 0);
	KUNIT_EXPECT_EQ(test, bo_region(bo), BO_VRAM);
	KUNIT_EXPECT_EQ(test, bo_region(fill[0]), BO_GTT);
	for (i = 1; i < n; i++)
		KUNIT_EXPECT_EQ(test, bo_region(fill[i]), BO_VRAM);
}

static const struct bo_regions_case bo_too_large_cases[] = {
	{ "vram", { BO_VRAM }, 1 },
	{ "gtt", { BO_GTT }, 1 },
	{ "vram, gtt", { BO_VRAM, BO_GTT }, 2 },
	{ "gtt, vram", { BO_GTT, BO_VRAM }, 2 },
};

KUNIT_ARRAY_PARAM(bo_too_large, bo_too_large_cases, bo_regions_case_desc);

/*
 * An object larger than every region of its list fails with -ENOSPC at
 * once: no object moves, no usage changes, no object is left behind.
 */
static void bo_create_too_large_is_enospc_without_eviction(struct kunit *test)
{
	const struct bo_regions_case *c = test->param_value;
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	u64 size = max(vdgpu_region_get(vdev, BO_VRAM)->total,
		       vdgpu_region_get(vdev, BO_GTT)->total) + PAGE_SIZE;
	struct ttm_resource *vram_res, *gtt_res;
	struct vdgpu_bo *in_vram, *in_gtt, *bo;
	u64 vram_used, gtt_used;
	int bo_count;

	in_vram = bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	in_gtt = bo_create(test, vdev, SZ_4M, bo_gtt, 1, 0);
	vram_res = in_vram->tbo.resource;
	gtt_res = in_gtt->tbo.resource;
	vram_used = bo_usage(vdev, BO_VRAM);
	gtt_used = bo_usage(vdev, BO_GTT);
	bo_count = atomic_read(&ttm_glob.bo_count);

	KUNIT_EXPECT_EQ(test, bo_try_create(test, vdev, size, c->regions,
					    c->num_regions, 0,
					    ttm_bo_type_device, &bo), -ENOSPC);
	KUNIT_EXPECT_EQ(test, bo_region(in_vram), BO_VRAM);
	KUNIT_EXPECT_PTR_EQ(test, in_vram->tbo.resource, vram_res);
	KUNIT_EXPECT_EQ(test, bo_region(in_gtt), BO_GTT);
	KUNIT_EXPECT_PTR_EQ(test, in_gtt->tbo.resource, gtt_res);
	KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_VRAM), vram_used);
	KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_GTT), gtt_used);
	KUNIT_EXPECT_EQ(test, atomic_read(&ttm_glob.bo_count), bo_count);
}

struct bo_too_small_case {
	const char *name;
	u64 vram_size, gart_size;
	u32 regions[2];
	u64 size;
};

static const struct bo_too_small_case bo_too_small_cases[] = {
	{ "vram too small, then gtt", SZ_16M, SZ_32M, { BO_VRAM, BO_GTT },
	  SZ_32M },
	{ "gtt too small, then vram", SZ_64M, SZ_16M, { BO_GTT, BO_VRAM },
	  SZ_32M },
};

static void bo_too_small_case_desc(const struct bo_too_small_case *c,
				   char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bo_too_small, bo_too_small_cases, bo_too_small_case_desc);

/*
 * A region of the list too small to ever hold the object is passed over:
 * the object lands in the next one, and the objects in the small region
 * are not evicted for nothing.
 */
static void bo_create_skips_too_small_region_without_eviction(struct kunit *test)
{
	const struct bo_too_small_case *c = test->param_value;
	struct vdgpu_device *vdev = bo_device(test, c->vram_size, c->vram_size,
					      c->gart_size);
	struct vdgpu_bo *others[2], *bo;
	unsigned int i;

	KUNIT_ASSERT_LT(test, vdgpu_region_get(vdev, c->regions[0])->total,
			c->size);
	KUNIT_ASSERT_GE(test, vdgpu_region_get(vdev, c->regions[1])->total,
			c->size);
	for (i = 0; i < ARRAY_SIZE(others); i++)
		others[i] = bo_create(test, vdev, SZ_4M, c->regions, 1, 0);

	bo = bo_create(test, vdev, c->size, c->regions, 2, 0);
	KUNIT_EXPECT_EQ(test, bo_region(bo), c->regions[1]);
	for (i = 0; i < ARRAY_SIZE(others); i++)
		KUNIT_EXPECT_EQ(test, bo_region(others[i]), c->regions[0]);
}

/*
 * CPU_ACCESS objects fill the visible window and nothing above it; once
 * the window is full, another one still lands in it, by evicting an
 * object from the window, although VRAM above it is free.
 */
static void bo_cpu_access_stays_visible(struct kunit *test)
{
	struct vdgpu_device *vdev = bo_small_bar_device(test);
	struct vdgpu_vram_mgr *mgr = &vdev->vram_mgr;
	u64 left = mgr->visible_size - vdgpu_vram_mgr_visible_used(mgr), size;
	struct vdgpu_bo **window, *plain, *bo;
	unsigned int n, i;

	n = DIV_ROUND_UP(left, SZ_4M);
	window = kunit_kcalloc(test, n, sizeof(*window), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, window);
	for (i = 0; i < n; i++) {
		size = min_t(u64, SZ_4M, left);
		window[i] = bo_create(test, vdev, size, bo_vram, 1,
				      DRM_VDGPU_GEM_CREATE_CPU_ACCESS);
		KUNIT_ASSERT_EQ(test, bo_region(window[i]), BO_VRAM);
		KUNIT_EXPECT_TRUE(test, bo_visible(window[i]));
		left -= size;
	}
	KUNIT_ASSERT_EQ(test, vdgpu_vram_mgr_visible_used(mgr),
			mgr->visible_size);

	/* The window is full: a plain object goes above it. */
	plain = bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	KUNIT_ASSERT_EQ(test, bo_region(plain), BO_VRAM);
	KUNIT_EXPECT_FALSE(test, bo_visible(plain));

	bo = bo_create(test, vdev, SZ_4M, bo_vram_gtt, 2,
		       DRM_VDGPU_GEM_CREATE_CPU_ACCESS);
	KUNIT_ASSERT_EQ(test, bo_region(bo), BO_VRAM);
	KUNIT_EXPECT_TRUE(test, bo_visible(bo));
	KUNIT_EXPECT_EQ(test, bo_region(window[0]), BO_GTT);
	KUNIT_EXPECT_EQ(test, bo_region(plain), BO_VRAM);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_visible_used(mgr),
			mgr->visible_size);
}

static const u64 bo_topdown_sizes[] = { SZ_1M, SZ_2M + SZ_1M, SZ_16M };

static void bo_size_desc(const u64 *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%llu KiB", *size >> 10);
}

KUNIT_ARRAY_PARAM(bo_topdown, bo_topdown_sizes, bo_size_desc);

/*
 * A NO_CPU_ACCESS object is allocated top-down: in empty VRAM it ends
 * within its own size of the top, clear of the visible window.
 */
static void bo_no_cpu_access_is_topdown(struct kunit *test)
{
	const u64 *size = test->param_value;
	struct vdgpu_device *vdev = bo_small_bar_device(test);
	struct vdgpu_vram_mgr *mgr = &vdev->vram_mgr;
	struct vdgpu_bo *bo;
	u64 start, end;

	bo = bo_create(test, vdev, *size, bo_vram, 1,
		       DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS);
	KUNIT_EXPECT_TRUE(test, bo->places[0].flags & TTM_PL_FLAG_TOPDOWN);
	KUNIT_ASSERT_EQ(test, bo_region(bo), BO_VRAM);
	bo_vram_span(vdev, bo, &start, &end);
	KUNIT_EXPECT_GE(test, end, mgr->manager.size - *size);
	KUNIT_EXPECT_GE(test, start, mgr->visible_size);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_visible_used(mgr), 0);
}

static const u32 bo_contiguous_flags[] = {
	DRM_VDGPU_GEM_CREATE_CONTIGUOUS,
	DRM_VDGPU_GEM_CREATE_CONTIGUOUS | DRM_VDGPU_GEM_CREATE_CPU_ACCESS,
};

static void bo_contiguous_flags_desc(const u32 *flags, char *desc)
{
	strscpy(desc, *flags & DRM_VDGPU_GEM_CREATE_CPU_ACCESS ?
		"contiguous, cpu access" : "contiguous", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bo_contiguous, bo_contiguous_flags, bo_contiguous_flags_desc);

/*
 * VRAM is cut into 1 MiB holes between 1 MiB objects, where a plain 2 MiB
 * object is scattered; a CONTIGUOUS one is one range of VRAM (TTM evicts
 * to make room), inside the window if it asks for CPU access too.
 */
static void bo_contiguous_is_one_block(struct kunit *test)
{
	const u32 *flags = test->param_value;
	struct vdgpu_device *vdev = bo_small_bar_device(test);
	struct vdgpu_bo **fill, *plain, *bo;
	unsigned int n, i;
	u64 start, end;

	/* Every other MiB of VRAM free, by address. */
	fill = bo_fill_vram(test, vdev, SZ_1M, false, &n);
	for (i = 0; i < n; i++) {
		bo_vram_span(vdev, fill[i], &start, &end);
		if (fill[i]->tbo.base.size == SZ_1M && !((start / SZ_1M) % 2))
			bo_put(test, fill[i]);
	}
	bo_flush(vdev);

	plain = bo_create(test, vdev, SZ_2M, bo_vram, 1, 0);
	KUNIT_ASSERT_EQ(test, bo_region(plain), BO_VRAM);
	bo_vram_span(vdev, plain, &start, &end);
	KUNIT_ASSERT_GT_MSG(test, end - start, SZ_2M, "VRAM is not fragmented");

	bo = bo_create(test, vdev, SZ_2M, bo_vram_gtt, 2, *flags);
	KUNIT_ASSERT_EQ(test, bo_region(bo), BO_VRAM);
	KUNIT_EXPECT_TRUE(test, bo->tbo.resource->placement &
			  TTM_PL_FLAG_CONTIGUOUS);
	bo_vram_span(vdev, bo, &start, &end);
	KUNIT_EXPECT_EQ(test, end - start, SZ_2M);
	KUNIT_EXPECT_EQ(test, (u64)bo->tbo.resource->start << PAGE_SHIFT, start);
	if (*flags & DRM_VDGPU_GEM_CREATE_CPU_ACCESS)
		KUNIT_EXPECT_TRUE(test, bo_visible(bo));
}

/* Checks that the VRAM behind @bo reads zeroes through the BAR. */
static void bo_expect_zero_vram(struct kunit *test, struct vdgpu_device *vdev,
				struct vdgpu_bo *bo)
{
	struct vdgpu_vram_mgr_resource *vres =
		to_vdgpu_vram_mgr_resource(bo->tbo.resource);
	u64 left = bo->tbo.base.size, off = 0, addr, size, i, n;
	struct gpu_buddy_block *block;
	u8 *buf, *bad;

	buf = kunit_kmalloc(test, SZ_64K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	list_for_each_entry(block, &vres->blocks, link) {
		addr = vdev->vram_base + gpu_buddy_block_offset(block);
		size = min(gpu_buddy_block_size(&vdev->vram_mgr.mm, block), left);
		KUNIT_ASSERT_LE(test, addr + size, vdev->bus.bar_size);
		for (i = 0; i < size; i += n, off += n) {
			n = min_t(u64, SZ_64K, size - i);
			vdgpu_kunit_vram_read(vdev, addr + i, buf, n);
			bad = memchr_inv(buf, 0, n);
			if (bad) {
				KUNIT_FAIL(test, "VRAM byte %llu of the object is %#x",
					   off + (bad - buf), *bad);
				return;
			}
		}
		left -= size;
	}
	KUNIT_EXPECT_EQ(test, left, 0);
}

/* Fills (@fill) or checks for zeroes the system pages of @bo. */
static void bo_page_bytes(struct kunit *test, struct vdgpu_bo *bo, bool fill)
{
	u64 size = bo->tbo.base.size;
	struct ttm_bo_kmap_obj map;
	u8 *cpu, *bad = NULL;
	bool is_iomem = false;
	int ret;

	bo_lock(bo);
	ret = ttm_bo_kmap(&bo->tbo, 0, PFN_UP(size), &map);
	if (!ret) {
		cpu = ttm_kmap_obj_virtual(&map, &is_iomem);
		if (fill)
			memset(cpu, 0x5c, size);
		else
			bad = memchr_inv(cpu, 0, size);
		if (bad)
			KUNIT_FAIL(test, "byte %td of the object is %#x",
				   bad - cpu, *bad);
		ttm_bo_kunmap(&map);
	}
	bo_unlock(bo);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_FALSE(test, is_iomem);
}

struct bo_zero_case {
	const char *name;
	u32 region;
	enum ttm_bo_type type;
};

static const struct bo_zero_case bo_zero_cases[] = {
	{ "vram, user", BO_VRAM, ttm_bo_type_device },
	{ "vram, kernel", BO_VRAM, ttm_bo_type_kernel },
	{ "gtt, user", BO_GTT, ttm_bo_type_device },
	{ "gtt, kernel", BO_GTT, ttm_bo_type_kernel },
	{ "system, user", BO_SYS, ttm_bo_type_device },
	{ "system, kernel", BO_SYS, ttm_bo_type_kernel },
};

static void bo_zero_case_desc(const struct bo_zero_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bo_zero, bo_zero_cases, bo_zero_case_desc);

/*
 * A new object reads zeroes: in VRAM written with garbage beforehand, in
 * GTT and system memory after an object of the same kind filled its pages
 * with garbage and went away.
 */
static void bo_new_objects_read_zero(struct kunit *test)
{
	const struct bo_zero_case *c = test->param_value;
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	u64 vram_end = vdev->vram_base + vdev->vram_mgr.manager.size;
	struct vdgpu_bo *bo;

	if (c->region == BO_VRAM) {
		/* All of it, so that whatever blocks the object gets are dirty. */
		KUNIT_ASSERT_LE(test, vram_end, vdev->bus.bar_size);
		iosys_map_memset(&vdev->bus.bar, vdev->vram_base, 0x5c,
				 vram_end - vdev->vram_base);
	} else {
		KUNIT_ASSERT_EQ(test, bo_try_create(test, vdev, SZ_1M,
						    &c->region, 1, 0, c->type,
						    &bo), 0);
		KUNIT_ASSERT_EQ(test, bo_region(bo), c->region);
		bo_page_bytes(test, bo, true);
		bo_put(test, bo);
		bo_flush(vdev);
	}

	KUNIT_ASSERT_EQ(test, bo_try_create(test, vdev, SZ_1M, &c->region, 1,
					    0, c->type, &bo), 0);
	KUNIT_ASSERT_EQ(test, bo_region(bo), c->region);
	bo_wait_idle(test, bo);
	if (c->region == BO_VRAM)
		bo_expect_zero_vram(test, vdev, bo);
	else
		bo_page_bytes(test, bo, false);
}

/*
 * Pins are counted: pinned twice and unpinned once, an object stays in
 * VRAM when another needs all of it (which then fails);
 * unpinned again, it is evicted for that object.
 */
static void bo_pin_is_counted_and_blocks_eviction(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	u64 all = vdev->vram_mgr.manager.size;
	struct vdgpu_bo *bo, *big;

	bo = bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	bo_pin(test, bo);
	bo_pin(test, bo);
	KUNIT_EXPECT_EQ(test, bo->tbo.pin_count, 2);
	bo_unpin(test, bo);
	KUNIT_EXPECT_EQ(test, bo->tbo.pin_count, 1);

	KUNIT_EXPECT_EQ(test, bo_try_create(test, vdev, all, bo_vram, 1, 0,
					    ttm_bo_type_device, &big),
			BO_ERR_NO_ROOM);
	KUNIT_EXPECT_EQ(test, bo_region(bo), BO_VRAM);

	bo_unpin(test, bo);
	KUNIT_EXPECT_EQ(test, bo->tbo.pin_count, 0);
	KUNIT_ASSERT_EQ(test, bo_try_create(test, vdev, all, bo_vram, 1, 0,
					    ttm_bo_type_device, &big), 0);
	KUNIT_EXPECT_EQ(test, bo_region(big), BO_VRAM);
	KUNIT_EXPECT_EQ(test, bo_region(bo), BO_GTT);
}

struct bo_purge_case {
	const char *name;
	u32 advice;
	bool busy;
	bool purged;
};

static const struct bo_purge_case bo_purge_cases[] = {
	{ "dontneed, idle: purged", DRM_VDGPU_MADV_DONTNEED, false, true },
	{ "willneed: moved", DRM_VDGPU_MADV_WILLNEED, false, false },
	{ "dontneed, busy: moved", DRM_VDGPU_MADV_DONTNEED, true, false },
};

static void bo_purge_case_desc(const struct bo_purge_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bo_purge, bo_purge_cases, bo_purge_case_desc);

/*
 * Evicted for an object that needs all of VRAM, an idle DONTNEED object
 * loses its memory (purged, no resource, reported in SYSTEM, nothing in
 * GTT) where a WILLNEED or busy one moves to GTT.
 */
static void bo_dontneed_is_purged_on_eviction(struct kunit *test)
{
	const struct bo_purge_case *c = test->param_value;
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	const struct vdgpu_bo_move *last;
	struct vdgpu_bo *bo, *big;
	u32 from, to, reason;
	bool purged;

	bo = bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	bo_wait_idle(test, bo);
	KUNIT_EXPECT_FALSE(test, bo_madvise(bo, c->advice));
	if (c->busy)
		bo_make_busy(test, bo);

	big = bo_create(test, vdev, vdev->vram_mgr.manager.size, bo_vram, 1, 0);
	KUNIT_EXPECT_EQ(test, bo_region(big), BO_VRAM);

	bo_lock(bo);
	purged = bo->purged;
	last = &bo->moves[(bo->num_moves - 1) % VDGPU_BO_MOVE_HISTORY];
	from = last->from;
	to = last->to;
	reason = last->reason;
	bo_unlock(bo);
	KUNIT_EXPECT_EQ(test, purged, c->purged);
	/* The move history says what became of it. */
	KUNIT_EXPECT_EQ(test, from, TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, to, c->purged ? VDGPU_BO_NOWHERE : TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, reason, c->purged ? VDGPU_BO_MOVE_PURGE :
			VDGPU_BO_MOVE_EVICT);
	if (c->purged) {
		KUNIT_EXPECT_NULL(test, bo->tbo.resource);
		KUNIT_EXPECT_EQ(test, bo_region(bo), BO_SYS);
		KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_GTT), 0);
		/* What GEM_MADVISE reports, once. */
		KUNIT_EXPECT_TRUE(test, bo_madvise(bo, DRM_VDGPU_MADV_WILLNEED));
		KUNIT_EXPECT_FALSE(test, bo_madvise(bo, DRM_VDGPU_MADV_WILLNEED));
	} else {
		KUNIT_EXPECT_EQ(test, bo_region(bo), BO_GTT);
		KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_GTT), SZ_4M);
	}
}

/*
 * With the rest of VRAM pinned, three objects made oldest first (kernel,
 * user, then a user object marked DONTNEED) leave VRAM in priority order:
 * the purgeable one first, then the user one, the kernel one last.
 */
static void bo_priorities_order_eviction(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_bo *kernel, *user, *purgeable, *bo;
	struct vdgpu_bo *order[3];
	unsigned int n, i, j;

	KUNIT_ASSERT_EQ(test, bo_try_create(test, vdev, SZ_4M, bo_vram, 1, 0,
					    ttm_bo_type_kernel, &kernel), 0);
	user = bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	purgeable = bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	bo_wait_idle(test, purgeable);
	bo_madvise(purgeable, DRM_VDGPU_MADV_DONTNEED);
	KUNIT_EXPECT_EQ(test, kernel->tbo.priority, VDGPU_BO_PRIO_KERNEL);
	KUNIT_EXPECT_EQ(test, user->tbo.priority, VDGPU_BO_PRIO_USER);
	KUNIT_EXPECT_EQ(test, purgeable->tbo.priority, VDGPU_BO_PRIO_PURGEABLE);
	bo_fill_vram(test, vdev, SZ_4M, true, &n);

	order[0] = purgeable;
	order[1] = user;
	order[2] = kernel;
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		bo = bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
		KUNIT_ASSERT_EQ(test, bo_region(bo), BO_VRAM);
		/* Pinned, so that the next round cannot take it instead. */
		bo_pin(test, bo);
		for (j = 0; j < ARRAY_SIZE(order); j++)
			KUNIT_EXPECT_EQ_MSG(test, bo_region(order[j]) == BO_VRAM,
					    j > i, "round %u, object %u", i, j);
	}
}

/*
 * A resource manager that fails every allocation with a given errno, put
 * in place of the GTT manager.
 */
struct bo_bad_mgr {
	struct ttm_resource_manager manager;
	int err;
	unsigned int calls;
};

static int bo_bad_mgr_alloc(struct ttm_resource_manager *man,
			    struct ttm_buffer_object *tbo,
			    const struct ttm_place *place,
			    struct ttm_resource **res)
{
	struct bo_bad_mgr *mgr = container_of(man, struct bo_bad_mgr, manager);

	mgr->calls++;
	return mgr->err;
}

static void bo_bad_mgr_free(struct ttm_resource_manager *man,
			    struct ttm_resource *res)
{
	/* Nothing was ever allocated. */
}

static const struct ttm_resource_manager_func bo_bad_mgr_func = {
	.alloc = bo_bad_mgr_alloc,
	.free = bo_bad_mgr_free,
};

static void bo_bad_mgr_remove(void *data)
{
	struct vdgpu_device *vdev = data;

	ttm_set_driver_manager(&vdev->ttm, TTM_PL_TT, &vdev->gtt_mgr.manager);
}

/* Replaces the GTT manager by a failing one until bo_bad_mgr_remove(). */
static struct bo_bad_mgr *bo_bad_gtt(struct kunit *test,
				     struct vdgpu_device *vdev, int err)
{
	struct bo_bad_mgr *mgr;
	int ret;

	mgr = kunit_kzalloc(test, sizeof(*mgr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mgr);
	mgr->manager.func = &bo_bad_mgr_func;
	mgr->err = err;
	ttm_resource_manager_init(&mgr->manager, &vdev->ttm,
				  vdev->gtt_mgr.manager.size);
	ttm_resource_manager_set_used(&mgr->manager, true);
	ttm_set_driver_manager(&vdev->ttm, TTM_PL_TT, &mgr->manager);
	ret = kunit_add_action_or_reset(test, bo_bad_mgr_remove, vdev);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return mgr;
}

struct bo_bad_case {
	const char *name;
	int err;
	u32 regions[2];
	u32 num_regions;
	int ret;
};

static const struct bo_bad_case bo_bad_cases[] = {
	{ "gtt -ENOSPC", -ENOSPC, { BO_GTT }, 1, BO_ERR_NO_ROOM },
	{ "gtt -ENOMEM", -ENOMEM, { BO_GTT }, 1, -ENOMEM },
	/* TTM tries the next place only after -ENOSPC. */
	{ "gtt -ENOSPC, then system", -ENOSPC, { BO_GTT, BO_SYS }, 2, 0 },
	{ "gtt -ENOMEM, then system", -ENOMEM, { BO_GTT, BO_SYS }, 2, -ENOMEM },
};

static void bo_bad_case_desc(const struct bo_bad_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bo_bad, bo_bad_cases, bo_bad_case_desc);

/*
 * A manager failing the allocation fails the creation with its errno, or
 * sends the object to the next region after -ENOSPC; a failed creation
 * leaves no object and no usage anywhere.
 */
static void bo_create_failing_manager_leaves_nothing(struct kunit *test)
{
	const struct bo_bad_case *c = test->param_value;
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	u64 vram_used, gtt_used, sys_used;
	struct vdgpu_bo *bo = NULL;
	struct bo_bad_mgr *mgr;
	int bo_count, ret;

	bo_flush(vdev);
	bo_count = atomic_read(&ttm_glob.bo_count);
	vram_used = bo_usage(vdev, BO_VRAM);
	gtt_used = bo_usage(vdev, BO_GTT);
	sys_used = bo_usage(vdev, BO_SYS);

	mgr = bo_bad_gtt(test, vdev, c->err);
	ret = bo_try_create(test, vdev, SZ_1M, c->regions, c->num_regions, 0,
			    ttm_bo_type_device, &bo);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	KUNIT_EXPECT_GT(test, mgr->calls, 0);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(&mgr->manager), 0);
	if (!ret) {
		KUNIT_EXPECT_EQ(test, bo_region(bo), c->regions[1]);
		bo_put(test, bo);
	} else {
		KUNIT_EXPECT_NULL(test, bo);
	}
	kunit_release_action(test, bo_bad_mgr_remove, vdev);
	bo_flush(vdev);

	KUNIT_EXPECT_EQ(test, atomic_read(&ttm_glob.bo_count), bo_count);
	KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_VRAM), vram_used);
	KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_GTT), gtt_used);
	KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_SYS), sys_used);
}

/*
 * Each region's usage grows by the size of each object created in it (in
 * VRAM, all of it visible on this device) and is back where it started
 * once the objects are put and destroyed.
 */
static void bo_region_usage_follows_objects(struct kunit *test)
{
	static const struct {
		u32 region;
		u64 size;
	} objs[] = {
		{ BO_VRAM, SZ_2M + SZ_1M + SZ_4K },
		{ BO_GTT, SZ_2M },
		{ BO_SYS, SZ_1M + 2 * SZ_4K },
		{ BO_VRAM, SZ_64K },
	};
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_region_usage base[VDGPU_NUM_REGIONS], usage;
	struct vdgpu_bo *bos[ARRAY_SIZE(objs)];
	u64 expect[VDGPU_NUM_REGIONS];
	unsigned int i, r;

	for (r = 0; r < VDGPU_NUM_REGIONS; r++) {
		vdgpu_region_usage(vdev, vdgpu_region_get(vdev, r), &base[r]);
		expect[r] = base[r].used;
	}

	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		bos[i] = bo_create(test, vdev, objs[i].size, &objs[i].region,
				   1, 0);
		expect[objs[i].region] += objs[i].size;
		for (r = 0; r < VDGPU_NUM_REGIONS; r++) {
			vdgpu_region_usage(vdev, vdgpu_region_get(vdev, r),
					   &usage);
			KUNIT_EXPECT_EQ_MSG(test, usage.used, expect[r],
					    "object %u, region %u", i, r);
			KUNIT_EXPECT_EQ_MSG(test, usage.cpu_visible_used,
					    expect[r], "object %u, region %u",
					    i, r);
		}
	}

	for (i = 0; i < ARRAY_SIZE(objs); i++)
		bo_put(test, bos[i]);
	bo_flush(vdev);
	for (r = 0; r < VDGPU_NUM_REGIONS; r++) {
		vdgpu_region_usage(vdev, vdgpu_region_get(vdev, r), &usage);
		KUNIT_EXPECT_EQ_MSG(test, usage.used, base[r].used,
				    "region %u", r);
		KUNIT_EXPECT_EQ_MSG(test, usage.cpu_visible_used,
				    base[r].cpu_visible_used, "region %u", r);
	}
}

/* The output of a debugfs file, through a &drm_printer into a buffer. */
struct bo_dump {
	char *buf;
	size_t size;
	size_t len;
};

static void bo_dump_printfn(struct drm_printer *p, struct va_format *vaf)
{
	struct bo_dump *d = p->arg;

	/* Past the end, @len keeps counting: the caller sees the overflow. */
	d->len += snprintf(d->buf + min(d->len, d->size),
			   d->size - min(d->len, d->size), "%pV", vaf);
}

/* Runs a debugfs file's body and returns what it printed. */
static char *bo_debugfs(struct kunit *test, struct vdgpu_device *vdev,
			int (*print)(struct vdgpu_device *vdev,
				     struct drm_printer *p))
{
	struct bo_dump *d;
	struct drm_printer p = { .printfn = bo_dump_printfn };

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

static void bo_fput(void *file)
{
	fput(file);
	flush_delayed_fput();
}

/*
 * An object of @size in VRAM made by GEM_CREATE on a mock file, as a
 * client would; *@client_id is the file's client id.  The handle goes
 * with the file, the returned reference when the test ends.
 */
static struct vdgpu_bo *bo_create_ioctl(struct kunit *test,
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
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, bo_fput, file),
			0);
	dfile = file->private_data;
	user = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE_MSG(test, !user || IS_ERR_VALUE(user),
			       "no user memory");
	KUNIT_ASSERT_EQ(test, copy_to_user(u64_to_user_ptr(user), bo_vram,
					   sizeof(bo_vram)), 0);
	args.regions = user;

	KUNIT_ASSERT_EQ(test, vdgpu_gem_create_ioctl(&vdev->drm, &args, dfile),
			0);
	obj = drm_gem_object_lookup(dfile, args.handle);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	ret = kunit_add_action_or_reset(test, bo_put_action,
					gem_to_vdgpu_bo(obj));
	KUNIT_ASSERT_EQ(test, ret, 0);
	*client_id = dfile->client_id;
	return gem_to_vdgpu_bo(obj);
}

/* A line of vram_map or gtt_map. */
struct bo_map_line {
	u64 start;
	u64 size;
	bool used;
	char state[8];
	u64 client_id;
	char kind[8];
	u64 bo_id;
};

/* Parses a range line of a map; fails the test on anything else. */
static void bo_parse_map_line(struct kunit *test, const char *line,
			      struct bo_map_line *l)
{
	int ret;

	*l = (struct bo_map_line){};
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
struct bo_map_owner {
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
static void bo_check_map(struct kunit *test, char *lines, u64 size,
			 u64 align, bool clear_state,
			 struct bo_map_owner *owners, unsigned int n,
			 u64 *free, u64 *used)
{
	struct bo_map_line l;
	unsigned int i;
	u64 end = 0;
	char *line;

	*free = 0;
	*used = 0;
	while ((line = strsep(&lines, "\n"))) {
		if (!*line)
			continue;
		bo_parse_map_line(test, line, &l);
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
			struct bo_map_owner *o = &owners[i];
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
static void bo_debugfs_vram_map_tiles_vram(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_vram_mgr *mgr = &vdev->vram_mgr;
	struct bo_map_owner owners[4] = {};
	u64 size, visible, base, min_page, free, used;
	char *out, *header;
	unsigned int i;
	int ret;

	owners[0].bo = bo_create_ioctl(test, vdev, SZ_2M + SZ_1M,
				       &owners[0].client_id);
	owners[1].bo = bo_create(test, vdev, SZ_1M + SZ_4K, bo_vram, 1, 0);
	bo_pin(test, owners[1].bo);
	KUNIT_ASSERT_EQ(test, bo_try_create(test, vdev, SZ_2M, bo_vram, 1, 0,
					    ttm_bo_type_kernel,
					    &owners[2].bo), 0);
	owners[3].bo = bo_create(test, vdev, SZ_1M, bo_vram, 1,
				 DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS);
	KUNIT_EXPECT_NE(test, owners[0].client_id, 0);
	for (i = 0; i < ARRAY_SIZE(owners); i++) {
		KUNIT_ASSERT_EQ(test, bo_region(owners[i].bo), BO_VRAM);
		KUNIT_EXPECT_EQ(test, owners[i].bo->client_id,
				owners[i].client_id);
		owners[i].start = U64_MAX;
		owners[i].client_ok = true;
		owners[i].kind_ok = true;
		bo_wait_idle(test, owners[i].bo);
	}
	/* Ids are distinct and in creation order. */
	for (i = 1; i < ARRAY_SIZE(owners); i++)
		KUNIT_EXPECT_GT(test, owners[i].bo->id, owners[i - 1].bo->id);

	out = bo_debugfs(test, vdev, vdgpu_debugfs_print_vram_map);
	header = strsep(&out, "\n");
	ret = sscanf(header, "vram size=%llu visible=%llu base=0x%llx min_page=%llu",
		     &size, &visible, &base, &min_page);
	KUNIT_ASSERT_EQ_MSG(test, ret, 4, "bad header: %s", header);
	KUNIT_EXPECT_EQ(test, size, mgr->manager.size);
	KUNIT_EXPECT_EQ(test, visible, mgr->visible_size);
	KUNIT_EXPECT_EQ(test, base, vdev->vram_base);
	KUNIT_EXPECT_EQ(test, min_page, mgr->min_page_size);

	bo_check_map(test, out, size, min_page, true, owners,
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
static void bo_debugfs_vram_map_shows_ghosts(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct bo_map_owner owners[2] = {};
	u64 size, free, used, left;
	struct dma_fence *fence;
	char *out;
	int ret;

	owners[1].bo = bo_create(test, vdev, SZ_4M, bo_vram_gtt, 2, 0);
	bo_wait_idle(test, owners[1].bo);
	left = to_vdgpu_vram_mgr_resource(owners[1].bo->tbo.resource)->size;
	fence = bo_add_fence(test, owners[1].bo, &bo_held_fence_ops);
	bo_lock(owners[1].bo);
	ret = vdgpu_bo_validate_region(owners[1].bo, BO_GTT, &ctx);
	bo_unlock(owners[1].bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, bo_region(owners[1].bo), BO_GTT);

	owners[0].start = U64_MAX;
	owners[0].client_ok = true;
	owners[0].kind_ok = true;
	owners[1].start = U64_MAX;
	out = bo_debugfs(test, vdev, vdgpu_debugfs_print_vram_map);
	strsep(&out, "\n");
	size = vdev->vram_mgr.manager.size;
	bo_check_map(test, out, size, SZ_4K, true, owners, ARRAY_SIZE(owners),
		     &free, &used);
	KUNIT_EXPECT_EQ(test, owners[0].bytes, left);
	KUNIT_EXPECT_TRUE(test, owners[0].client_ok);
	KUNIT_EXPECT_TRUE(test, owners[0].kind_ok);
	KUNIT_EXPECT_EQ(test, owners[1].lines, 0);

	dma_fence_signal(fence);
	bo_wait_idle(test, owners[1].bo);
	bo_flush(vdev);
	owners[0].bytes = 0;
	out = bo_debugfs(test, vdev, vdgpu_debugfs_print_vram_map);
	strsep(&out, "\n");
	bo_check_map(test, out, size, SZ_4K, true, owners, ARRAY_SIZE(owners),
		     &free, &used);
	KUNIT_EXPECT_EQ(test, owners[0].bytes, 0);
	KUNIT_EXPECT_EQ(test, free, size - vdgpu_vram_mgr_used(&vdev->vram_mgr));
}

/*
 * gtt_map: its ranges tile the aperture in order, an object's range is
 * where the GTT manager put it, with its size, id and kind, the range of
 * an object put since is free, and the free bytes add up.
 */
static void bo_debugfs_gtt_map_tiles_aperture(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct ttm_resource_manager *man = &vdev->gtt_mgr.manager;
	struct bo_map_owner owners[3] = {};
	struct vdgpu_bo *gone;
	u64 size, free, used;
	char *out, *header;
	unsigned int i;
	int ret;

	owners[0].bo = bo_create(test, vdev, SZ_1M, bo_gtt, 1, 0);
	gone = bo_create(test, vdev, SZ_512K, bo_gtt, 1, 0);
	KUNIT_ASSERT_EQ(test, bo_try_create(test, vdev, SZ_64K, bo_gtt, 1, 0,
					    ttm_bo_type_kernel,
					    &owners[1].bo), 0);
	owners[2].bo = bo_create(test, vdev, SZ_2M, bo_gtt, 1, 0);
	for (i = 0; i < ARRAY_SIZE(owners); i++) {
		KUNIT_ASSERT_EQ(test, bo_region(owners[i].bo), BO_GTT);
		owners[i].start = vdgpu_gtt_mgr_resource_page(owners[i].bo->tbo.resource) <<
				  PAGE_SHIFT;
		owners[i].client_ok = true;
		owners[i].kind_ok = true;
	}
	bo_put(test, gone);
	bo_flush(vdev);

	out = bo_debugfs(test, vdev, vdgpu_debugfs_print_gtt_map);
	header = strsep(&out, "\n");
	ret = sscanf(header, "gtt size=%llu", &size);
	KUNIT_ASSERT_EQ_MSG(test, ret, 1, "bad header: %s", header);
	KUNIT_EXPECT_EQ(test, size, man->size << PAGE_SHIFT);

	bo_check_map(test, out, size, PAGE_SIZE, false, owners,
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
struct bo_lru_line {
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
static unsigned int bo_parse_lru(struct kunit *test, char *out,
				 struct bo_lru_line *lines, unsigned int max)
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
static int bo_lru_find(struct kunit *test, const struct bo_lru_line *lines,
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
static void bo_debugfs_lru_in_eviction_order(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_bo *kernel, *old, *young, *purgeable, *pinned, *in_gtt;
	int pos_kernel, pos_old, pos_young, pos_purgeable;
	struct bo_lru_line *lines;
	unsigned int n, i;
	u32 prio = 0;

	KUNIT_ASSERT_EQ(test, bo_try_create(test, vdev, SZ_1M, bo_vram, 1, 0,
					    ttm_bo_type_kernel, &kernel), 0);
	old = bo_create(test, vdev, SZ_2M, bo_vram, 1, 0);
	young = bo_create(test, vdev, SZ_1M, bo_vram, 1, 0);
	purgeable = bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	bo_wait_idle(test, purgeable);
	bo_madvise(purgeable, DRM_VDGPU_MADV_DONTNEED);
	pinned = bo_create(test, vdev, SZ_64K, bo_vram, 1, 0);
	bo_pin(test, pinned);
	in_gtt = bo_create(test, vdev, SZ_1M, bo_gtt, 1, 0);

	lines = kunit_kcalloc(test, 256, sizeof(*lines), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lines);
	n = bo_parse_lru(test, bo_debugfs(test, vdev, vdgpu_debugfs_print_lru),
			 lines, 256);

	pos_purgeable = bo_lru_find(test, lines, n, purgeable, "vram");
	pos_old = bo_lru_find(test, lines, n, old, "vram");
	pos_young = bo_lru_find(test, lines, n, young, "vram");
	pos_kernel = bo_lru_find(test, lines, n, kernel, "vram");
	bo_lru_find(test, lines, n, pinned, "pinned");
	bo_lru_find(test, lines, n, in_gtt, "gtt");
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
struct bo_move_line {
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
static unsigned int bo_parse_moves(struct kunit *test, char *out,
				   struct vdgpu_bo *bo,
				   struct bo_move_line *moves)
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

static void bo_expect_move(struct kunit *test, const struct bo_move_line *m,
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
static void bo_debugfs_bo_moves_records_eviction(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct bo_move_line moves[VDGPU_BO_MOVE_HISTORY];
	struct vdgpu_bo *bo, *big;
	int ret;

	bo = bo_create(test, vdev, SZ_4M, bo_vram_gtt, 2, 0);
	KUNIT_ASSERT_EQ(test, bo_region(bo), BO_VRAM);
	bo_wait_idle(test, bo);
	big = bo_create(test, vdev, vdev->vram_mgr.manager.size, bo_vram, 1, 0);
	KUNIT_ASSERT_EQ(test, bo_region(big), BO_VRAM);
	KUNIT_ASSERT_EQ(test, bo_region(bo), BO_GTT);

	KUNIT_ASSERT_EQ(test, bo_parse_moves(test,
					     bo_debugfs(test, vdev,
							vdgpu_debugfs_print_bo_moves),
					     big, moves), 1);
	bo_expect_move(test, &moves[0], "none", "vram", "create");

	bo_put(test, big);
	bo_flush(vdev);
	bo_lock(bo);
	ret = vdgpu_bo_validate_region(bo, BO_VRAM, &ctx);
	bo_unlock(bo);
	KUNIT_ASSERT_EQ(test, ret, 0);

	KUNIT_ASSERT_EQ(test, bo_parse_moves(test,
					     bo_debugfs(test, vdev,
							vdgpu_debugfs_print_bo_moves),
					     bo, moves), 3);
	bo_expect_move(test, &moves[0], "none", "vram", "create");
	bo_expect_move(test, &moves[1], "vram", "gtt", "evict");
	KUNIT_EXPECT_EQ(test, moves[1].bytes, SZ_4M);
	bo_expect_move(test, &moves[2], "gtt", "vram", "validate");
	KUNIT_EXPECT_EQ(test, moves[2].bytes, SZ_4M);
}

static struct kunit_case vdgpu_bo_tests[] = {
	KUNIT_CASE_PARAM(bo_create_places_in_first_region,
			 bo_regions_gen_params),
	KUNIT_CASE(bo_create_falls_back_when_first_full),
	KUNIT_CASE(bo_create_evicts_before_fallback),
	KUNIT_CASE_PARAM(bo_create_too_large_is_enospc_without_eviction,
			 bo_too_large_gen_params),
	KUNIT_CASE_PARAM(bo_create_skips_too_small_region_without_eviction,
			 bo_too_small_gen_params),
	KUNIT_CASE_PARAM(bo_create_failing_manager_leaves_nothing,
			 bo_bad_gen_params),
	KUNIT_CASE(bo_cpu_access_stays_visible),
	KUNIT_CASE_PARAM(bo_no_cpu_access_is_topdown, bo_topdown_gen_params),
	KUNIT_CASE_PARAM(bo_contiguous_is_one_block, bo_contiguous_gen_params),
	KUNIT_CASE_PARAM(bo_new_objects_read_zero, bo_zero_gen_params),
	KUNIT_CASE(bo_pin_is_counted_and_blocks_eviction),
	KUNIT_CASE_PARAM(bo_dontneed_is_purged_on_eviction,
			 bo_purge_gen_params),
	KUNIT_CASE(bo_priorities_order_eviction),
	KUNIT_CASE(bo_region_usage_follows_objects),
	KUNIT_CASE(bo_debugfs_vram_map_tiles_vram),
	KUNIT_CASE(bo_debugfs_vram_map_shows_ghosts),
	KUNIT_CASE(bo_debugfs_gtt_map_tiles_aperture),
	KUNIT_CASE(bo_debugfs_lru_in_eviction_order),
	KUNIT_CASE(bo_debugfs_bo_moves_records_eviction),
	{}
};

static struct kunit_suite vdgpu_bo_suite = {
	.name = "vdgpu_bo",
	.test_cases = vdgpu_bo_tests,
};

kunit_test_suite(vdgpu_bo_suite);
