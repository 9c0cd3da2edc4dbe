// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-resv.h>
#include <linux/gfp.h>
#include <linux/sizes.h>

#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_tt.h>
#include <drm/vdgpu_drm.h>

#include <kunit/test.h>

#include "../vdgpu_bo.h"
#include "../vdgpu_device.h"
#include "../vdgpu_shrinker.h"
#include "vdgpu_kunit_helpers.h"

/*
 * The shrinker, driven through vdgpu_shrinker_shrink() as its scan would
 * be: user objects in SYSTEM or GTT are swapped out to shmem and come back
 * intact, DONTNEED objects are purged first and report it, and without
 * __GFP_FS nothing is swapped.  Swaps and purges go into the objects' move
 * histories.
 */

static void s_put(void *bo)
{
	vdgpu_bo_put(bo);
}

/* A user object in @region, its pages populated with a pattern. */
static struct vdgpu_bo *s_bo(struct kunit *test, struct vdgpu_device *vdev,
			     u32 region, u64 size, u32 seed)
{
	struct ttm_bo_kmap_obj map;
	struct vdgpu_bo *bo;
	bool is_iomem;
	u32 *cpu;
	u64 i;

	KUNIT_ASSERT_EQ(test, vdgpu_bo_create(vdev, size, &region, 1, 0,
					      ttm_bo_type_device, &bo), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, s_put, bo), 0);

	dma_resv_lock(bo->tbo.base.resv, NULL);
	KUNIT_ASSERT_EQ(test, ttm_bo_kmap(&bo->tbo, 0, PFN_UP(size), &map), 0);
	cpu = ttm_kmap_obj_virtual(&map, &is_iomem);
	for (i = 0; i < size / 4; i++)
		cpu[i] = seed ^ (u32)i;
	ttm_bo_kunmap(&map);
	dma_resv_unlock(bo->tbo.base.resv);
	return bo;
}

/* Reads the object back (swapping it in if need be) and checks it. */
static void s_check(struct kunit *test, struct vdgpu_bo *bo, u32 seed,
		    bool zero)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct ttm_bo_kmap_obj map;
	u64 i, size = bo->tbo.base.size;
	bool is_iomem;
	u32 *cpu;

	dma_resv_lock(bo->tbo.base.resv, NULL);
	/* A purged object has no memory until it is used again. */
	if (!bo->tbo.resource)
		KUNIT_ASSERT_EQ(test, vdgpu_bo_validate(bo, &ctx), 0);
	KUNIT_ASSERT_EQ(test, ttm_bo_kmap(&bo->tbo, 0, PFN_UP(size), &map), 0);
	cpu = ttm_kmap_obj_virtual(&map, &is_iomem);
	for (i = 0; i < size / 4; i++) {
		if (cpu[i] != (zero ? 0 : seed ^ (u32)i)) {
			KUNIT_FAIL(test, "dword %llu: %#x", i, cpu[i]);
			break;
		}
	}
	ttm_bo_kunmap(&map);
	dma_resv_unlock(bo->tbo.base.resv);
}

static bool s_swapped(struct vdgpu_bo *bo)
{
	return bo->tbo.ttm && bo->tbo.ttm->page_flags & TTM_TT_FLAG_SWAPPED;
}

static void s_madvise(struct vdgpu_bo *bo, u32 advice)
{
	dma_resv_lock(bo->tbo.base.resv, NULL);
	vdgpu_bo_madvise(bo, advice);
	dma_resv_unlock(bo->tbo.base.resv);
}

/*
 * The last moves of @bo's history are @want, oldest first (from, to and
 * reason), each of @bytes if @bytes.
 */
static void s_expect_moves(struct kunit *test, struct vdgpu_bo *bo,
			   const struct vdgpu_bo_move *want, u32 n, u64 bytes)
{
	const struct vdgpu_bo_move *m;
	u32 i, num;

	dma_resv_lock(bo->tbo.base.resv, NULL);
	num = bo->num_moves;
	for (i = 0; i < n && num >= n; i++) {
		m = &bo->moves[(num - n + i) % VDGPU_BO_MOVE_HISTORY];
		KUNIT_EXPECT_EQ_MSG(test, m->from, want[i].from, "move %u", i);
		KUNIT_EXPECT_EQ_MSG(test, m->to, want[i].to, "move %u", i);
		KUNIT_EXPECT_EQ_MSG(test, m->reason, want[i].reason, "move %u",
				    i);
		if (bytes)
			KUNIT_EXPECT_EQ_MSG(test, m->bytes, bytes, "move %u", i);
	}
	dma_resv_unlock(bo->tbo.base.resv);
	KUNIT_EXPECT_GE(test, num, n);
}

struct s_region_case {
	const char *name;
	u32 region;
};

static const struct s_region_case s_region_cases[] = {
	{ "system", DRM_VDGPU_REGION_SYSTEM },
	{ "gtt", DRM_VDGPU_REGION_GTT },
};

static void s_region_desc(const struct s_region_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(s_region, s_region_cases, s_region_desc);

/*
 * Swapped out to shmem and back, every dword intact; counters and the
 * move history follow.
 */
static void shrinker_swap_roundtrip_keeps_contents(struct kunit *test)
{
	static const struct vdgpu_bo_move swap[] = {
		{ .from = TTM_PL_SYSTEM, .to = VDGPU_BO_NOWHERE,
		  .reason = VDGPU_BO_MOVE_SWAP_OUT },
		{ .from = VDGPU_BO_NOWHERE, .to = TTM_PL_SYSTEM,
		  .reason = VDGPU_BO_MOVE_SWAP_IN },
	};
	const struct s_region_case *c = test->param_value;
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_shrinker *s = &vdev->shrinker;
	struct vdgpu_bo *bo = s_bo(test, vdev, c->region, SZ_1M, 0x5eed0001);
	long pages = atomic_long_read(&s->pages);
	s64 out = atomic64_read(&s->swapped_out);
	s64 in = atomic64_read(&s->swapped_in);
	unsigned long freed;

	KUNIT_EXPECT_GE(test, pages, SZ_1M >> PAGE_SHIFT);
	freed = vdgpu_shrinker_shrink(vdev, SZ_1M >> PAGE_SHIFT, GFP_KERNEL);
	KUNIT_EXPECT_GE(test, freed, SZ_1M >> PAGE_SHIFT);
	KUNIT_EXPECT_TRUE(test, s_swapped(bo));
	KUNIT_EXPECT_EQ(test, bo->tbo.resource->mem_type, TTM_PL_SYSTEM);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s->pages),
			pages - (SZ_1M >> PAGE_SHIFT));
	KUNIT_EXPECT_EQ(test, atomic64_read(&s->swapped_out) - out,
			SZ_1M >> PAGE_SHIFT);

	s_check(test, bo, 0x5eed0001, false);
	KUNIT_EXPECT_FALSE(test, s_swapped(bo));
	KUNIT_EXPECT_EQ(test, atomic64_read(&s->swapped_in) - in,
			SZ_1M >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&s->pages), pages);
	s_expect_moves(test, bo, swap, ARRAY_SIZE(swap), SZ_1M);
}

/* DONTNEED objects go first, purged, and the others are left alone. */
static void shrinker_purges_dontneed_first(struct kunit *test)
{
	static const struct vdgpu_bo_move purge[] = {
		{ .from = TTM_PL_TT, .to = VDGPU_BO_NOWHERE,
		  .reason = VDGPU_BO_MOVE_PURGE },
		{ .from = VDGPU_BO_NOWHERE, .to = TTM_PL_TT,
		  .reason = VDGPU_BO_MOVE_CREATE },
	};
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_shrinker *s = &vdev->shrinker;
	struct vdgpu_bo *keep, *drop;
	s64 purged = atomic64_read(&s->purged);
	unsigned long freed;

	keep = s_bo(test, vdev, DRM_VDGPU_REGION_SYSTEM, SZ_1M, 0x6b656570);
	drop = s_bo(test, vdev, DRM_VDGPU_REGION_GTT, SZ_1M, 0x64726f70);
	s_madvise(drop, DRM_VDGPU_MADV_DONTNEED);

	freed = vdgpu_shrinker_shrink(vdev, SZ_1M >> PAGE_SHIFT, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, freed, SZ_1M >> PAGE_SHIFT);
	KUNIT_EXPECT_TRUE(test, drop->purged);
	KUNIT_EXPECT_NULL(test, drop->tbo.resource);
	KUNIT_EXPECT_FALSE(test, s_swapped(keep));
	KUNIT_EXPECT_EQ(test, atomic64_read(&s->purged) - purged,
			SZ_1M >> PAGE_SHIFT);

	/* WILLNEED reports the purge once; the object comes back cleared. */
	dma_resv_lock(drop->tbo.base.resv, NULL);
	KUNIT_EXPECT_TRUE(test, vdgpu_bo_madvise(drop, DRM_VDGPU_MADV_WILLNEED));
	dma_resv_unlock(drop->tbo.base.resv);
	s_check(test, drop, 0, true);
	s_check(test, keep, 0x6b656570, false);
	s_expect_moves(test, drop, purge, ARRAY_SIZE(purge), 0);
}

/* Without __GFP_FS only purging happens: swapping out allocates. */
static void shrinker_without_fs_only_purges(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_bo *bo;

	bo = s_bo(test, vdev, DRM_VDGPU_REGION_SYSTEM, SZ_1M, 0x6e6f6673);
	KUNIT_EXPECT_EQ(test, vdgpu_shrinker_shrink(vdev, SZ_1M >> PAGE_SHIFT,
						    GFP_NOFS), 0);
	KUNIT_EXPECT_FALSE(test, s_swapped(bo));
	s_check(test, bo, 0x6e6f6673, false);
}

/* A pinned object is neither swapped out nor purged. */
static void shrinker_skips_pinned(struct kunit *test)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_bo *bo;

	bo = s_bo(test, vdev, DRM_VDGPU_REGION_GTT, SZ_1M, 0x70696e6e);
	s_madvise(bo, DRM_VDGPU_MADV_DONTNEED);
	dma_resv_lock(bo->tbo.base.resv, NULL);
	KUNIT_ASSERT_EQ(test, vdgpu_bo_pin(bo, &ctx), 0);
	dma_resv_unlock(bo->tbo.base.resv);

	KUNIT_EXPECT_EQ(test, vdgpu_shrinker_shrink(vdev, SZ_1M >> PAGE_SHIFT,
						    GFP_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, bo->purged);
	KUNIT_EXPECT_FALSE(test, s_swapped(bo));

	dma_resv_lock(bo->tbo.base.resv, NULL);
	vdgpu_bo_unpin(bo);
	dma_resv_unlock(bo->tbo.base.resv);
	s_check(test, bo, 0x70696e6e, false);
}

static struct kunit_case vdgpu_shrinker_tests[] = {
	KUNIT_CASE_PARAM(shrinker_swap_roundtrip_keeps_contents,
			 s_region_gen_params),
	KUNIT_CASE(shrinker_purges_dontneed_first),
	KUNIT_CASE(shrinker_without_fs_only_purges),
	KUNIT_CASE(shrinker_skips_pinned),
	{}
};

static struct kunit_suite vdgpu_shrinker_suite = {
	.name = "vdgpu_shrinker",
	.test_cases = vdgpu_shrinker_tests,
};

kunit_test_suite(vdgpu_shrinker_suite);
