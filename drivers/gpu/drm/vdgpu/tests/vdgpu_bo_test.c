// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-resv.h>
#include <linux/gpu_buddy.h>
#include <linux/iosys-map.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/vdgpu_drm.h>

#include <kunit/test.h>

#include "../vdgpu_bo.h"
#include "../vdgpu_device.h"
#include "../vdgpu_gtt_mgr.h"
#include "../vdgpu_params.h"
#include "../vdgpu_region.h"
#include "../vdgpu_vram_mgr.h"
#include "vdgpu_kunit_helpers.h"

/*
 * Buffer objects on an emulated device: where vdgpu_bo_create() puts them
 * for each region list and flag, how pins, madvise and LRU priorities
 * decide what eviction takes, that new objects read zeroes, and that
 * failures and puts leave no memory accounted.  The debugfs files that
 * show where objects are have their own suite, vdgpu_debugfs.
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

static const u32 bo_vram[] = { BO_VRAM };
static const u32 bo_gtt[] = { BO_GTT };
static const u32 bo_vram_gtt[] = { BO_VRAM, BO_GTT };

static void bo_lock(struct vdgpu_bo *bo)
{
	dma_resv_lock(bo->tbo.base.resv, NULL);
}

static void bo_unlock(struct vdgpu_bo *bo)
{
	dma_resv_unlock(bo->tbo.base.resv);
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
		bos[i] = vdgpu_kunit_bo_create(test, vdev, size, bo_vram, 1, 0);
		KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(bos[i]), BO_VRAM);
		if (pin)
			vdgpu_kunit_bo_pin(test, bos[i]);
		left -= size;
	}
	KUNIT_ASSERT_EQ(test, bo_vram_free(vdev), 0);
	*count = n;
	return bos;
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

	bo = vdgpu_kunit_bo_create(test, vdev, SZ_1M, c->regions,
				   c->num_regions, 0);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(bo), c->regions[0]);
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
	int ret;

	fill = bo_fill_vram(test, vdev, SZ_4M, true, &n);
	vram_used = bo_usage(vdev, BO_VRAM);

	bo = vdgpu_kunit_bo_create(test, vdev, SZ_4M, bo_vram_gtt, 2, 0);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(bo), BO_GTT);
	KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_VRAM), vram_used);
	gtt_used = bo_usage(vdev, BO_GTT);
	KUNIT_EXPECT_EQ(test, gtt_used, SZ_4M);

	ret = vdgpu_kunit_bo_try_create(test, vdev, SZ_4M, bo_vram, 1, 0,
					ttm_bo_type_device, &bo);
	KUNIT_EXPECT_EQ(test, ret, BO_ERR_NO_ROOM);
	KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_VRAM), vram_used);
	KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_GTT), gtt_used);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(fill[i]), BO_VRAM);
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

	bo = vdgpu_kunit_bo_create(test, vdev, SZ_4M, bo_vram_gtt, 2, 0);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(bo), BO_VRAM);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(fill[0]), BO_GTT);
	for (i = 1; i < n; i++)
		KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(fill[i]), BO_VRAM);
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
	int bo_count, ret;

	in_vram = vdgpu_kunit_bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	in_gtt = vdgpu_kunit_bo_create(test, vdev, SZ_4M, bo_gtt, 1, 0);
	vram_res = in_vram->tbo.resource;
	gtt_res = in_gtt->tbo.resource;
	vram_used = bo_usage(vdev, BO_VRAM);
	gtt_used = bo_usage(vdev, BO_GTT);
	bo_count = atomic_read(&ttm_glob.bo_count);

	ret = vdgpu_kunit_bo_try_create(test, vdev, size, c->regions,
					c->num_regions, 0, ttm_bo_type_device,
					&bo);
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(in_vram), BO_VRAM);
	KUNIT_EXPECT_PTR_EQ(test, in_vram->tbo.resource, vram_res);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(in_gtt), BO_GTT);
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
		others[i] = vdgpu_kunit_bo_create(test, vdev, SZ_4M, c->regions,
						  1, 0);

	bo = vdgpu_kunit_bo_create(test, vdev, c->size, c->regions, 2, 0);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(bo), c->regions[1]);
	for (i = 0; i < ARRAY_SIZE(others); i++)
		KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(others[i]),
				c->regions[0]);
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
		window[i] = vdgpu_kunit_bo_create(test, vdev, size, bo_vram, 1,
						  DRM_VDGPU_GEM_CREATE_CPU_ACCESS);
		KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(window[i]),
				BO_VRAM);
		KUNIT_EXPECT_TRUE(test, bo_visible(window[i]));
		left -= size;
	}
	KUNIT_ASSERT_EQ(test, vdgpu_vram_mgr_visible_used(mgr),
			mgr->visible_size);

	/* The window is full: a plain object goes above it. */
	plain = vdgpu_kunit_bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(plain), BO_VRAM);
	KUNIT_EXPECT_FALSE(test, bo_visible(plain));

	bo = vdgpu_kunit_bo_create(test, vdev, SZ_4M, bo_vram_gtt, 2,
				   DRM_VDGPU_GEM_CREATE_CPU_ACCESS);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(bo), BO_VRAM);
	KUNIT_EXPECT_TRUE(test, bo_visible(bo));
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(window[0]), BO_GTT);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(plain), BO_VRAM);
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

	bo = vdgpu_kunit_bo_create(test, vdev, *size, bo_vram, 1,
				   DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS);
	KUNIT_EXPECT_TRUE(test, bo->places[0].flags & TTM_PL_FLAG_TOPDOWN);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(bo), BO_VRAM);
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
			vdgpu_kunit_bo_put(test, fill[i]);
	}
	vdgpu_kunit_bo_flush(vdev);

	plain = vdgpu_kunit_bo_create(test, vdev, SZ_2M, bo_vram, 1, 0);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(plain), BO_VRAM);
	bo_vram_span(vdev, plain, &start, &end);
	KUNIT_ASSERT_GT_MSG(test, end - start, SZ_2M, "VRAM is not fragmented");

	bo = vdgpu_kunit_bo_create(test, vdev, SZ_2M, bo_vram_gtt, 2, *flags);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(bo), BO_VRAM);
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
	int ret;

	if (c->region == BO_VRAM) {
		/* All of it, so that whatever blocks the object gets are dirty. */
		KUNIT_ASSERT_LE(test, vram_end, vdev->bus.bar_size);
		iosys_map_memset(&vdev->bus.bar, vdev->vram_base, 0x5c,
				 vram_end - vdev->vram_base);
	} else {
		ret = vdgpu_kunit_bo_try_create(test, vdev, SZ_1M, &c->region,
						1, 0, c->type, &bo);
		KUNIT_ASSERT_EQ(test, ret, 0);
		KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(bo), c->region);
		bo_page_bytes(test, bo, true);
		vdgpu_kunit_bo_put(test, bo);
		vdgpu_kunit_bo_flush(vdev);
	}

	ret = vdgpu_kunit_bo_try_create(test, vdev, SZ_1M, &c->region, 1, 0,
					c->type, &bo);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(bo), c->region);
	vdgpu_kunit_bo_wait_idle(test, bo);
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
	int ret;

	bo = vdgpu_kunit_bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	vdgpu_kunit_bo_pin(test, bo);
	vdgpu_kunit_bo_pin(test, bo);
	KUNIT_EXPECT_EQ(test, bo->tbo.pin_count, 2);
	vdgpu_kunit_bo_unpin(test, bo);
	KUNIT_EXPECT_EQ(test, bo->tbo.pin_count, 1);

	ret = vdgpu_kunit_bo_try_create(test, vdev, all, bo_vram, 1, 0,
					ttm_bo_type_device, &big);
	KUNIT_EXPECT_EQ(test, ret, BO_ERR_NO_ROOM);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(bo), BO_VRAM);

	vdgpu_kunit_bo_unpin(test, bo);
	KUNIT_EXPECT_EQ(test, bo->tbo.pin_count, 0);
	ret = vdgpu_kunit_bo_try_create(test, vdev, all, bo_vram, 1, 0,
					ttm_bo_type_device, &big);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(big), BO_VRAM);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(bo), BO_GTT);
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

	bo = vdgpu_kunit_bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	vdgpu_kunit_bo_wait_idle(test, bo);
	KUNIT_EXPECT_FALSE(test, vdgpu_kunit_bo_madvise(bo, c->advice));
	if (c->busy)
		vdgpu_kunit_bo_add_fence(test, bo, true);

	big = vdgpu_kunit_bo_create(test, vdev, vdev->vram_mgr.manager.size,
				    bo_vram, 1, 0);
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(big), BO_VRAM);

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
		KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(bo), BO_SYS);
		KUNIT_EXPECT_EQ(test, bo_usage(vdev, BO_GTT), 0);
		/* What GEM_MADVISE reports, once. */
		purged = vdgpu_kunit_bo_madvise(bo, DRM_VDGPU_MADV_WILLNEED);
		KUNIT_EXPECT_TRUE(test, purged);
		purged = vdgpu_kunit_bo_madvise(bo, DRM_VDGPU_MADV_WILLNEED);
		KUNIT_EXPECT_FALSE(test, purged);
	} else {
		KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(bo), BO_GTT);
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
	int ret;

	ret = vdgpu_kunit_bo_try_create(test, vdev, SZ_4M, bo_vram, 1, 0,
					ttm_bo_type_kernel, &kernel);
	KUNIT_ASSERT_EQ(test, ret, 0);
	user = vdgpu_kunit_bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	purgeable = vdgpu_kunit_bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
	vdgpu_kunit_bo_wait_idle(test, purgeable);
	vdgpu_kunit_bo_madvise(purgeable, DRM_VDGPU_MADV_DONTNEED);
	KUNIT_EXPECT_EQ(test, kernel->tbo.priority, VDGPU_BO_PRIO_KERNEL);
	KUNIT_EXPECT_EQ(test, user->tbo.priority, VDGPU_BO_PRIO_USER);
	KUNIT_EXPECT_EQ(test, purgeable->tbo.priority, VDGPU_BO_PRIO_PURGEABLE);
	bo_fill_vram(test, vdev, SZ_4M, true, &n);

	order[0] = purgeable;
	order[1] = user;
	order[2] = kernel;
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		bo = vdgpu_kunit_bo_create(test, vdev, SZ_4M, bo_vram, 1, 0);
		KUNIT_ASSERT_EQ(test, vdgpu_kunit_bo_region(bo), BO_VRAM);
		/* Pinned, so that the next round cannot take it instead. */
		vdgpu_kunit_bo_pin(test, bo);
		for (j = 0; j < ARRAY_SIZE(order); j++)
			KUNIT_EXPECT_EQ_MSG(test, vdgpu_kunit_bo_region(order[j]) == BO_VRAM,
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

	vdgpu_kunit_bo_flush(vdev);
	bo_count = atomic_read(&ttm_glob.bo_count);
	vram_used = bo_usage(vdev, BO_VRAM);
	gtt_used = bo_usage(vdev, BO_GTT);
	sys_used = bo_usage(vdev, BO_SYS);

	mgr = bo_bad_gtt(test, vdev, c->err);
	ret = vdgpu_kunit_bo_try_create(test, vdev, SZ_1M, c->regions,
					c->num_regions, 0, ttm_bo_type_device,
					&bo);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	KUNIT_EXPECT_GT(test, mgr->calls, 0);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(&mgr->manager), 0);
	if (!ret) {
		KUNIT_EXPECT_EQ(test, vdgpu_kunit_bo_region(bo), c->regions[1]);
		vdgpu_kunit_bo_put(test, bo);
	} else {
		KUNIT_EXPECT_NULL(test, bo);
	}
	kunit_release_action(test, bo_bad_mgr_remove, vdev);
	vdgpu_kunit_bo_flush(vdev);

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
		bos[i] = vdgpu_kunit_bo_create(test, vdev, objs[i].size,
					       &objs[i].region, 1, 0);
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
		vdgpu_kunit_bo_put(test, bos[i]);
	vdgpu_kunit_bo_flush(vdev);
	for (r = 0; r < VDGPU_NUM_REGIONS; r++) {
		vdgpu_region_usage(vdev, vdgpu_region_get(vdev, r), &usage);
		KUNIT_EXPECT_EQ_MSG(test, usage.used, base[r].used,
				    "region %u", r);
		KUNIT_EXPECT_EQ_MSG(test, usage.cpu_visible_used,
				    base[r].cpu_visible_used, "region %u", r);
	}
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
	{}
};

static struct kunit_suite vdgpu_bo_suite = {
	.name = "vdgpu_bo",
	.test_cases = vdgpu_bo_tests,
};

kunit_test_suite(vdgpu_bo_suite);
