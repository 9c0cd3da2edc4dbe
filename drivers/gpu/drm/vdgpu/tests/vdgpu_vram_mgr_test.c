// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/prandom.h>
#include <linux/sizes.h>

#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>

#include <kunit/test.h>
#include <kunit/test-bug.h>

#include "../vdgpu_vram_mgr.h"
#include "vdgpu_kunit_helpers.h"

/* One allocation made by a test, freed by a kunit action if still alive. */
struct vram_alloc {
	struct ttm_buffer_object *bo;
	struct ttm_resource *res;
};

struct vram_fixture {
	struct vdgpu_kunit_ttm *ttm;
	struct vdgpu_vram_mgr *mgr;
};

static void vram_mgr_fini_action(void *mgr)
{
	struct kunit *test = kunit_get_current_test();
	struct vdgpu_vram_mgr *vmgr = mgr;

	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_fini(vmgr, vmgr->manager.bdev), 0);
}

static struct vram_fixture *vram_setup(struct kunit *test, u64 size,
				       u64 visible)
{
	struct vram_fixture *fix;
	int ret;

	fix = kunit_kzalloc(test, sizeof(*fix), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fix);
	fix->ttm = vdgpu_kunit_ttm_device(test);
	fix->mgr = kunit_kzalloc(test, sizeof(*fix->mgr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fix->mgr);

	ret = vdgpu_vram_mgr_init(fix->mgr, fix->ttm->drm, &fix->ttm->bdev,
				  TTM_PL_VRAM, size, visible, SZ_4K);
	KUNIT_ASSERT_EQ(test, ret, 0);
	/* Registered after the device: runs before its teardown. */
	ret = kunit_add_action_or_reset(test, vram_mgr_fini_action, fix->mgr);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return fix;
}

static void vram_alloc_release(void *data)
{
	struct vram_alloc *a = data;

	ttm_resource_free(a->bo, &a->res);
}

/*
 * Allocate VRAM for @bo at @place.  Returns the errno; on success *@out
 * holds the allocation, freed at the end of the test unless vram_free()
 * frees it first.
 */
static int vram_alloc_bo(struct kunit *test, struct ttm_buffer_object *bo,
			 const struct ttm_place *place, struct vram_alloc **out)
{
	struct vram_alloc *a;
	int ret;

	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	a->bo = bo;

	ret = ttm_resource_alloc(a->bo, place, &a->res);
	if (ret)
		return ret;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							vram_alloc_release, a),
			0);
	if (out)
		*out = a;
	return 0;
}

/* The same for a fresh object of @size bytes. */
static int vram_alloc(struct kunit *test, struct vram_fixture *fix, u64 size,
		      const struct ttm_place *place, struct vram_alloc **out)
{
	return vram_alloc_bo(test, vdgpu_kunit_fake_bo(test, fix->ttm, size),
			     place, out);
}

static void vram_free(struct kunit *test, struct vram_alloc *a)
{
	kunit_release_action(test, vram_alloc_release, a);
}

static struct ttm_place vram_place(unsigned long fpfn, unsigned long lpfn,
				   u32 flags)
{
	return (struct ttm_place){
		.fpfn = fpfn,
		.lpfn = lpfn,
		.mem_type = TTM_PL_VRAM,
		.flags = flags,
	};
}

#define MIB_PFN(x) ((unsigned long)(x) * (SZ_1M >> PAGE_SHIFT))

/* Walks the blocks of a VRAM resource. */
#define for_each_vram_block(block, res)					\
	list_for_each_entry(block,					\
			    &to_vdgpu_vram_mgr_resource(res)->blocks, link)

static void expect_within(struct kunit *test, struct vram_fixture *fix,
			  struct ttm_resource *res, u64 start, u64 end)
{
	struct gpu_buddy_block *block;

	for_each_vram_block(block, res) {
		u64 bstart = gpu_buddy_block_offset(block);
		u64 bend = bstart + gpu_buddy_block_size(&fix->mgr->mm, block);

		KUNIT_EXPECT_GE(test, bstart, start);
		KUNIT_EXPECT_LE(test, bend, end);
	}
}

static u64 lowest_offset(struct vram_fixture *fix, struct ttm_resource *res)
{
	struct gpu_buddy_block *block;
	u64 low = U64_MAX;

	for_each_vram_block(block, res)
		low = min(low, gpu_buddy_block_offset(block));
	return low;
}

static u64 highest_end(struct vram_fixture *fix, struct ttm_resource *res)
{
	struct gpu_buddy_block *block;
	u64 high = 0;

	for_each_vram_block(block, res)
		high = max(high, gpu_buddy_block_offset(block) +
			   gpu_buddy_block_size(&fix->mgr->mm, block));
	return high;
}

/* Sizes that cannot make a manager are refused, leaving nothing behind. */
static void vram_mgr_init_rejects_bad_sizes(struct kunit *test)
{
	struct vdgpu_kunit_ttm *ttm = vdgpu_kunit_ttm_device(test);
	struct vdgpu_vram_mgr mgr = {};

	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_init(&mgr, ttm->drm, &ttm->bdev,
						  TTM_PL_VRAM, SZ_64M, SZ_64M,
						  SZ_4K + SZ_1K), -EINVAL);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_init(&mgr, ttm->drm, &ttm->bdev,
						  TTM_PL_VRAM, SZ_64M, SZ_64M,
						  SZ_2K), -EINVAL);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_init(&mgr, ttm->drm, &ttm->bdev,
						  TTM_PL_VRAM, SZ_2K, 0,
						  SZ_4K), -EINVAL);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_init(&mgr, ttm->drm, &ttm->bdev,
						  TTM_PL_VRAM, SZ_64M, SZ_128M,
						  SZ_4K), -EINVAL);
	KUNIT_EXPECT_NULL(test, ttm_manager_type(&ttm->bdev, TTM_PL_VRAM));
}

struct vram_range_case {
	const char *name;
	unsigned long fpfn, lpfn;	/* in MiB */
	u64 size;
	u32 flags;
};

static const struct vram_range_case vram_range_cases[] = {
	{ "low 4 MiB", 0, 4, SZ_2M, 0 },
	{ "middle", 10, 20, SZ_8M, 0 },
	{ "middle topdown", 10, 20, SZ_8M, TTM_PL_FLAG_TOPDOWN },
	{ "middle contiguous", 10, 20, SZ_4M, TTM_PL_FLAG_CONTIGUOUS },
	{ "exact fit", 17, 20, SZ_2M + SZ_1M, 0 },
	{ "exact fit contiguous", 17, 20, SZ_2M + SZ_1M, TTM_PL_FLAG_CONTIGUOUS },
	{ "top to end", 60, 0, SZ_4M, 0 },
	{ "odd pages", 1, 3, SZ_1M + SZ_4K, 0 },
};

static void vram_range_case_desc(const struct vram_range_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vram_range, vram_range_cases, vram_range_case_desc);

/* Every block of an allocation lies in the placement's [fpfn, lpfn). */
static void vram_mgr_alloc_honours_range(struct kunit *test)
{
	const struct vram_range_case *c = test->param_value;
	struct vram_fixture *fix = vram_setup(test, SZ_64M, SZ_64M);
	struct ttm_place place = vram_place(MIB_PFN(c->fpfn), MIB_PFN(c->lpfn),
					    c->flags);
	struct vram_alloc *a;

	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, c->size, &place, &a), 0);
	expect_within(test, fix, a->res, (u64)c->fpfn * SZ_1M,
		      c->lpfn ? (u64)c->lpfn * SZ_1M : SZ_64M);
	if (c->flags & TTM_PL_FLAG_CONTIGUOUS) {
		KUNIT_EXPECT_TRUE(test, a->res->placement & TTM_PL_FLAG_CONTIGUOUS);
		KUNIT_EXPECT_EQ(test, (u64)a->res->start << PAGE_SHIFT,
				lowest_offset(fix, a->res));
		KUNIT_EXPECT_EQ(test, highest_end(fix, a->res) -
				lowest_offset(fix, a->res), c->size);
	}
}

static const u32 vram_contig_flags[] = { 0, TTM_PL_FLAG_CONTIGUOUS };

static void vram_contig_flags_desc(const u32 *flags, char *desc)
{
	strscpy(desc, *flags ? "contiguous" : "scattered", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vram_contig_flags, vram_contig_flags, vram_contig_flags_desc);

/*
 * Every block is aligned to, and a multiple of, the object's page alignment;
 * the rounding counts as used.
 */
static void vram_mgr_alloc_honours_alignment(struct kunit *test)
{
	const u32 *flags = test->param_value;
	struct vram_fixture *fix = vram_setup(test, SZ_64M, SZ_64M);
	struct ttm_place place = vram_place(0, 0, *flags);
	struct ttm_buffer_object *bo;
	struct gpu_buddy_block *block;
	struct vram_alloc *a;
	unsigned int i;

	/* Leave a 4 KiB page used so that unaligned space is on offer. */
	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_4K, &place, NULL), 0);
	for (i = 0; i < 4; i++) {
		bo = vdgpu_kunit_fake_bo(test, fix->ttm, SZ_4K + i * SZ_1M);
		bo->page_alignment = SZ_2M >> PAGE_SHIFT;
		KUNIT_ASSERT_EQ(test, vram_alloc_bo(test, bo, &place, &a), 0);
		for_each_vram_block(block, a->res) {
			u64 bsize = gpu_buddy_block_size(&fix->mgr->mm, block);

			KUNIT_EXPECT_TRUE(test, IS_ALIGNED(gpu_buddy_block_offset(block),
							   SZ_2M));
			KUNIT_EXPECT_TRUE(test, IS_ALIGNED(bsize, SZ_2M));
		}
		KUNIT_EXPECT_EQ(test, to_vdgpu_vram_mgr_resource(a->res)->size,
				round_up(bo->base.size, SZ_2M));
	}
}

/* A range that cannot hold the object is -ENOSPC, never -EINVAL. */
static void vram_mgr_alloc_range_too_small_is_enospc(struct kunit *test)
{
	struct vram_fixture *fix = vram_setup(test, SZ_64M, SZ_64M);
	struct ttm_place small = vram_place(MIB_PFN(4), MIB_PFN(6), 0);
	struct ttm_place contig = vram_place(MIB_PFN(3), MIB_PFN(7),
					     TTM_PL_FLAG_CONTIGUOUS);
	struct ttm_place beyond = vram_place(MIB_PFN(64), MIB_PFN(65), 0);

	KUNIT_EXPECT_EQ(test, vram_alloc(test, fix, SZ_4M, &small, NULL), -ENOSPC);
	/* 3 MiB rounds up to 4 MiB: no aligned 4 MiB block lies in the range. */
	KUNIT_EXPECT_EQ(test, vram_alloc(test, fix, SZ_2M + SZ_1M, &contig, NULL),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, vram_alloc(test, fix, SZ_4K, &beyond, NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_used(fix->mgr), 0);
}

/*
 * CPU-access placements (lpfn at the window) land below it; once the window
 * is full they fail with -ENOSPC while invisible VRAM still takes objects.
 */
static void vram_mgr_cpu_access_stays_in_window(struct kunit *test)
{
	struct vram_fixture *fix = vram_setup(test, SZ_64M, SZ_16M);
	u32 vis = vdgpu_vram_mgr_visible_lpfn(fix->mgr);
	struct ttm_place cpu = vram_place(0, vis, 0);
	struct ttm_place cpu_contig = vram_place(0, vis, TTM_PL_FLAG_CONTIGUOUS);
	struct ttm_place any = vram_place(0, 0, 0);
	struct vram_alloc *a;
	int i;

	KUNIT_EXPECT_EQ(test, vis, MIB_PFN(16));
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_2M + SZ_1M, &cpu, &a), 0);
		expect_within(test, fix, a->res, 0, SZ_16M);
		KUNIT_EXPECT_TRUE(test, vdgpu_vram_mgr_resource_is_visible(a->res));
	}
	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_4M, &cpu_contig, &a), 0);
	expect_within(test, fix, a->res, 0, SZ_16M);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_visible_used(fix->mgr), SZ_16M);

	KUNIT_EXPECT_EQ(test, vram_alloc(test, fix, SZ_4K, &cpu, NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, vram_alloc(test, fix, SZ_32M, &any, &a), 0);
	KUNIT_EXPECT_FALSE(test, vdgpu_vram_mgr_resource_is_visible(a->res));
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_visible_used(fix->mgr), SZ_16M);
}

/* A resource across the visible limit counts only its part below. */
static void vram_mgr_straddling_resource_counts_visible_part(struct kunit *test)
{
	struct vram_fixture *fix = vram_setup(test, SZ_64M, SZ_16M);
	struct ttm_place across = vram_place(MIB_PFN(15), MIB_PFN(18), 0);
	struct vram_alloc *a;

	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_2M + SZ_1M, &across, &a), 0);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_visible_used(fix->mgr), SZ_1M);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_used(fix->mgr), SZ_2M + SZ_1M);
	KUNIT_EXPECT_FALSE(test, vdgpu_vram_mgr_resource_is_visible(a->res));
	vram_free(test, a);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_visible_used(fix->mgr), 0);
}

/*
 * Eviction for a CPU-access placement is valuable only for resources in the
 * window, and a resource partly outside it is not compatible with it.
 */
static void vram_mgr_intersects_and_compatible_follow_blocks(struct kunit *test)
{
	struct vram_fixture *fix = vram_setup(test, SZ_64M, SZ_16M);
	struct ttm_resource_manager *man = &fix->mgr->manager;
	u32 vis = vdgpu_vram_mgr_visible_lpfn(fix->mgr);
	struct ttm_place across = vram_place(MIB_PFN(15), MIB_PFN(18), 0);
	struct ttm_place low = vram_place(0, MIB_PFN(2), 0);
	struct ttm_place cpu = vram_place(0, vis, 0);
	struct ttm_place gpu = vram_place(vis, 0, 0);
	struct ttm_place any = vram_place(0, 0, 0);
	struct ttm_place below = vram_place(0, MIB_PFN(15), 0);
	struct vram_alloc *a, *b;

	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_2M + SZ_1M, &across, &a), 0);
	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_1M, &low, &b), 0);

	KUNIT_EXPECT_TRUE(test, man->func->intersects(man, a->res, &cpu, SZ_1M));
	KUNIT_EXPECT_TRUE(test, man->func->intersects(man, a->res, &gpu, SZ_1M));
	KUNIT_EXPECT_TRUE(test, man->func->intersects(man, a->res, &any, SZ_1M));
	KUNIT_EXPECT_FALSE(test, man->func->intersects(man, a->res, &below, SZ_1M));
	KUNIT_EXPECT_FALSE(test, man->func->compatible(man, a->res, &cpu, SZ_1M));
	KUNIT_EXPECT_FALSE(test, man->func->compatible(man, a->res, &gpu, SZ_1M));
	KUNIT_EXPECT_TRUE(test, man->func->compatible(man, a->res, &any, SZ_1M));

	KUNIT_EXPECT_TRUE(test, man->func->intersects(man, b->res, &cpu, SZ_1M));
	KUNIT_EXPECT_FALSE(test, man->func->intersects(man, b->res, &gpu, SZ_1M));
	KUNIT_EXPECT_TRUE(test, man->func->compatible(man, b->res, &cpu, SZ_1M));
	KUNIT_EXPECT_FALSE(test, man->func->compatible(man, b->res, &gpu, SZ_1M));
}

struct vram_contig_case {
	const char *name;
	unsigned int hole_start, hole_len;	/* MiB, in the first 8 MiB */
	u64 request;
	bool fits;
};

static const struct vram_contig_case vram_contig_cases[] = {
	{ "4 MiB hole, 4 MiB request", 4, 4, SZ_4M, true },
	{ "3 MiB hole, 3 MiB request", 4, 3, SZ_2M + SZ_1M, true },
	{ "4 MiB hole, 3 MiB request", 0, 4, SZ_2M + SZ_1M, true },
	{ "2 MiB hole, 3 MiB request", 4, 2, SZ_2M + SZ_1M, false },
	{ "4 MiB hole, 5 MiB request", 4, 4, SZ_4M + SZ_1M, false },
	{ "no hole, 2 MiB request", 0, 0, SZ_2M, false },
	/* The documented limit: no aligned 2 MiB block in the hole. */
	{ "2 MiB hole at 1 MiB, 2 MiB request", 1, 2, SZ_2M, false },
};

static void vram_contig_case_desc(const struct vram_contig_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vram_contig, vram_contig_cases, vram_contig_case_desc);

/*
 * VRAM filled with 1 MiB allocations, then a hole freed in the first 8 MiB
 * and single, isolated MiBs freed above, so that free space always exceeds
 * the request: a contiguous request succeeds iff the hole holds it.
 */
static void vram_mgr_contiguous_when_fragmented(struct kunit *test)
{
	const struct vram_contig_case *c = test->param_value;
	struct vram_fixture *fix = vram_setup(test, SZ_16M, SZ_16M);
	struct ttm_place contig = vram_place(0, 0, TTM_PL_FLAG_CONTIGUOUS);
	struct vram_alloc *pieces[16], *a;
	unsigned int i;
	int ret;

	for (i = 0; i < 16; i++) {
		struct ttm_place at = vram_place(MIB_PFN(i), MIB_PFN(i + 1), 0);

		KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_1M, &at, &pieces[i]),
				0);
	}
	for (i = c->hole_start; i < c->hole_start + c->hole_len; i++)
		vram_free(test, pieces[i]);
	for (i = 9; i < 16; i += 2)
		vram_free(test, pieces[i]);
	KUNIT_ASSERT_GT(test, SZ_16M - vdgpu_vram_mgr_used(fix->mgr), c->request);

	ret = vram_alloc(test, fix, c->request, &contig, &a);
	if (!c->fits) {
		KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
		return;
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, a->res->placement & TTM_PL_FLAG_CONTIGUOUS);
	expect_within(test, fix, a->res, (u64)c->hole_start * SZ_1M,
		      (u64)(c->hole_start + c->hole_len) * SZ_1M);
	KUNIT_EXPECT_EQ(test, highest_end(fix, a->res) - lowest_offset(fix, a->res),
			c->request);
}

static const u64 vram_sizes[] = { SZ_64M, SZ_64M + SZ_32M + SZ_4M };

static void vram_size_desc(const u64 *size, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%llu MiB", *size >> 20);
}

KUNIT_ARRAY_PARAM(vram_size, vram_sizes, vram_size_desc);

/*
 * With the bottom of VRAM partly used, a bottom-up object fills the low
 * hole, while a top-down one ends at the top of VRAM, even when a few
 * cleared blocks it would prefer are free low down.
 */
static void vram_mgr_topdown_lands_at_top(struct kunit *test)
{
	const u64 *size = test->param_value;
	struct vram_fixture *fix = vram_setup(test, *size, *size);
	struct ttm_place first = vram_place(0, MIB_PFN(1), 0);
	struct ttm_place top = vram_place(0, 0, TTM_PL_FLAG_TOPDOWN);
	struct ttm_place bottom = vram_place(0, 0, 0);
	struct vram_alloc *a;

	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_1M, &first, NULL), 0);
	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_1M, &bottom, &a), 0);
	KUNIT_EXPECT_EQ(test, highest_end(fix, a->res), (u64)SZ_2M);

	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_64K, &bottom, &a), 0);
	vdgpu_vram_mgr_resource_set_cleared(a->res);
	vram_free(test, a);
	KUNIT_ASSERT_EQ(test, fix->mgr->mm.clear_avail, SZ_64K);

	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_1M, &top, &a), 0);
	KUNIT_EXPECT_EQ(test, highest_end(fix, a->res), *size);
}

/*
 * Blocks freed as cleared come back cleared to a new object; freed dirty,
 * they do not.  A move, which overwrites its destination, leaves the
 * cleared blocks alone while dirty ones exist.
 */
static void vram_mgr_clear_tracking(struct kunit *test)
{
	struct vram_fixture *fix = vram_setup(test, SZ_64M, SZ_64M);
	struct ttm_place any = vram_place(0, 0, 0);
	struct ttm_buffer_object *moving;
	struct ttm_resource *res;
	struct vram_alloc *a, *b;

	/* Nothing is known clear at start. */
	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_4M, &any, &a), 0);
	KUNIT_EXPECT_FALSE(test, vdgpu_vram_mgr_resource_is_cleared(a->res));
	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_4M, &any, &b), 0);

	vdgpu_vram_mgr_resource_set_cleared(a->res);
	vram_free(test, a);
	vram_free(test, b);
	KUNIT_EXPECT_EQ(test, fix->mgr->mm.clear_avail, SZ_4M);

	/* An object being moved (it has a resource) takes dirty blocks... */
	moving = vdgpu_kunit_fake_bo(test, fix->ttm, SZ_4M);
	moving->resource = kunit_kzalloc(test, sizeof(*moving->resource),
					 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, moving->resource);
	KUNIT_ASSERT_EQ(test, ttm_resource_alloc(moving, &any, &res), 0);
	KUNIT_EXPECT_FALSE(test, vdgpu_vram_mgr_resource_is_cleared(res));
	KUNIT_EXPECT_EQ(test, fix->mgr->mm.clear_avail, SZ_4M);
	ttm_resource_free(moving, &res);

	/* ...and a new object the cleared ones. */
	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_4M, &any, &a), 0);
	KUNIT_EXPECT_TRUE(test, vdgpu_vram_mgr_resource_is_cleared(a->res));
	KUNIT_EXPECT_EQ(test, fix->mgr->mm.clear_avail, 0);

	/* Freed without the mark, they are dirty again. */
	vram_free(test, a);
	KUNIT_EXPECT_EQ(test, fix->mgr->mm.clear_avail, 0);
	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_4M, &any, &a), 0);
	KUNIT_EXPECT_FALSE(test, vdgpu_vram_mgr_resource_is_cleared(a->res));
}

struct vram_enospc_case {
	const char *name;
	u64 size;
	bool visible;
	u32 flags;
};

static const struct vram_enospc_case vram_enospc_cases[] = {
	{ "8 MiB", SZ_8M, false, 0 },
	{ "8 MiB contiguous", SZ_8M, false, TTM_PL_FLAG_CONTIGUOUS },
	{ "8 MiB topdown", SZ_8M, false, TTM_PL_FLAG_TOPDOWN },
	{ "more than VRAM", SZ_128M, false, 0 },
	{ "more than VRAM contiguous", SZ_128M, false, TTM_PL_FLAG_CONTIGUOUS },
	{ "visible, more than the window", SZ_32M, true, 0 },
};

static void vram_enospc_case_desc(const struct vram_enospc_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vram_enospc, vram_enospc_cases, vram_enospc_case_desc);

/* A request VRAM cannot hold fails with -ENOSPC and changes no count. */
static void vram_mgr_exhaustion_is_enospc(struct kunit *test)
{
	const struct vram_enospc_case *c = test->param_value;
	struct vram_fixture *fix = vram_setup(test, SZ_64M, SZ_16M);
	u32 vis = vdgpu_vram_mgr_visible_lpfn(fix->mgr);
	struct ttm_place any = vram_place(0, 0, 0);
	struct ttm_place place = vram_place(0, c->visible ? vis : 0, c->flags);
	u64 used, visible_used, usage;

	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_32M + SZ_16M + SZ_8M + SZ_4M,
					 &any, NULL), 0);
	used = vdgpu_vram_mgr_used(fix->mgr);
	visible_used = vdgpu_vram_mgr_visible_used(fix->mgr);
	usage = ttm_resource_manager_usage(&fix->mgr->manager);

	KUNIT_EXPECT_EQ(test, vram_alloc(test, fix, c->size, &place, NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_used(fix->mgr), used);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_visible_used(fix->mgr), visible_used);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(&fix->mgr->manager), usage);
}

struct vram_layout {
	const char *name;
	u64 size, visible;
};

static const struct vram_layout vram_layouts[] = {
	{ "64 MiB, 16 MiB visible", SZ_64M, SZ_16M },
	{ "100 MiB, all visible", 100 * SZ_1M, 100 * SZ_1M },
	{ "100 MiB, 37 MiB visible", 100 * SZ_1M, 37 * SZ_1M },
	{ "257 MiB and 12 KiB, 255 MiB visible", SZ_256M + SZ_1M + 3 * SZ_4K,
	  255 * SZ_1M },
};

static void vram_layout_desc(const struct vram_layout *l, char *desc)
{
	strscpy(desc, l->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vram_layout, vram_layouts, vram_layout_desc);

/*
 * A mix of visible, straddling, top-down, contiguous and odd-sized objects:
 * used and visible-used bytes match the blocks at every step and return to
 * zero once everything is freed.
 */
static void vram_mgr_accounting_returns_to_zero(struct kunit *test)
{
	const struct vram_layout *l = test->param_value;
	struct vram_fixture *fix = vram_setup(test, l->size, l->visible);
	u32 vis = vdgpu_vram_mgr_visible_lpfn(fix->mgr);
	/* Across the limit if there is VRAM above it, else just below. */
	unsigned long across = l->visible < l->size ? vis - MIB_PFN(1) :
			       vis - MIB_PFN(2);
	const struct {
		u64 size;
		struct ttm_place place;
	} reqs[] = {
		/* First, while the exact range is sure to be free. */
		{ SZ_2M, vram_place(across, across + MIB_PFN(2), 0) },
		{ SZ_1M + SZ_4K, vram_place(0, vis, 0) },
		{ SZ_8M, vram_place(0, 0, TTM_PL_FLAG_TOPDOWN) },
		{ 3 * SZ_1M, vram_place(0, 0, TTM_PL_FLAG_CONTIGUOUS) },
		{ 5 * SZ_4K, vram_place(0, 0, 0) },
		{ SZ_16M + SZ_4K, vram_place(0, 0, 0) },
		{ SZ_4M, vram_place(0, vis, TTM_PL_FLAG_CONTIGUOUS) },
	};
	struct vram_alloc *allocs[ARRAY_SIZE(reqs)];
	u64 used = 0, visible_used = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		struct vdgpu_vram_mgr_resource *vres;

		KUNIT_ASSERT_EQ_MSG(test, vram_alloc(test, fix, reqs[i].size,
						     &reqs[i].place, &allocs[i]),
				    0, "request %u", i);
		vres = to_vdgpu_vram_mgr_resource(allocs[i]->res);
		KUNIT_EXPECT_GE(test, vres->size, reqs[i].size);
		used += vres->size;
		visible_used += vres->visible_size;
		KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_used(fix->mgr), used);
		KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_visible_used(fix->mgr),
				visible_used);
		KUNIT_EXPECT_LE(test, visible_used, l->visible);
	}

	for (i = 0; i < ARRAY_SIZE(reqs); i++)
		vram_free(test, allocs[i]);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_used(fix->mgr), 0);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_visible_used(fix->mgr), 0);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(&fix->mgr->manager), 0);
}

/* Bytes of @res below @limit, recomputed from the blocks. */
static u64 visible_bytes(struct vram_fixture *fix, struct ttm_resource *res,
			 u64 limit)
{
	struct gpu_buddy_block *block;
	u64 bytes = 0;

	for_each_vram_block(block, res) {
		u64 start = gpu_buddy_block_offset(block);
		u64 end = start + gpu_buddy_block_size(&fix->mgr->mm, block);

		if (start < limit)
			bytes += min(end, limit) - start;
	}
	return bytes;
}

#define VRAM_RANDOM_LIVE 96

/*
 * Random allocations (sizes, ranges, window, top-down, contiguous) and
 * frees, from a fixed seed: after every step the used and visible-used
 * bytes equal the sums over the live resources, recomputed from their
 * blocks; a failed allocation changes neither; all of it returns to zero.
 */
static void vram_mgr_random_churn_keeps_accounting(struct kunit *test)
{
	const struct vram_layout *l = test->param_value;
	struct vram_fixture *fix = vram_setup(test, l->size, l->visible);
	u32 vis = vdgpu_vram_mgr_visible_lpfn(fix->mgr);
	u32 pages = l->size >> PAGE_SHIFT;
	struct vram_alloc *live[VRAM_RANDOM_LIVE];
	unsigned int nlive = 0, step, i, fails = 0;
	u64 used = 0, visible_used = 0;
	struct rnd_state rng;

	prandom_seed_state(&rng, 0x76646770);
	for (step = 0; step < 1000; step++) {
		u32 r = prandom_u32_state(&rng);

		if (nlive && (nlive == VRAM_RANDOM_LIVE || r % 3 == 0)) {
			struct vdgpu_vram_mgr_resource *vres;

			i = prandom_u32_state(&rng) % nlive;
			vres = to_vdgpu_vram_mgr_resource(live[i]->res);
			used -= vres->size;
			visible_used -= vres->visible_size;
			if (r & 8)
				vdgpu_vram_mgr_resource_set_cleared(live[i]->res);
			vram_free(test, live[i]);
			live[i] = live[--nlive];
		} else {
			static const u32 flags[] = {
				0, TTM_PL_FLAG_TOPDOWN, TTM_PL_FLAG_CONTIGUOUS,
			};
			u64 size = (u64)(1 + prandom_u32_state(&rng) % 1024) * SZ_4K;
			struct vdgpu_vram_mgr_resource *vres;
			struct ttm_place place;
			struct vram_alloc *a;
			u32 fpfn, lpfn;
			int ret;

			switch ((r >> 4) % 4) {
			case 0:
				fpfn = 0;
				lpfn = 0;
				break;
			case 1:
				fpfn = 0;
				lpfn = vis;
				break;
			case 2:
				fpfn = vis;
				lpfn = 0;
				break;
			default:
				fpfn = prandom_u32_state(&rng) % pages;
				lpfn = fpfn + 1 + prandom_u32_state(&rng) % (pages - fpfn);
				break;
			}
			place = vram_place(fpfn, lpfn, flags[(r >> 8) % 3]);

			ret = vram_alloc(test, fix, size, &place, &a);
			if (ret) {
				KUNIT_ASSERT_EQ(test, ret, -ENOSPC);
				fails++;
			} else {
				vres = to_vdgpu_vram_mgr_resource(a->res);
				expect_within(test, fix, a->res, (u64)fpfn << PAGE_SHIFT,
					      lpfn ? (u64)lpfn << PAGE_SHIFT : l->size);
				KUNIT_EXPECT_GE(test, vres->size, size);
				KUNIT_EXPECT_EQ(test, vres->visible_size,
						visible_bytes(fix, a->res,
							      fix->mgr->visible_size));
				used += vres->size;
				visible_used += vres->visible_size;
				live[nlive++] = a;
			}
		}
		KUNIT_ASSERT_EQ_MSG(test, vdgpu_vram_mgr_used(fix->mgr), used,
				    "step %u", step);
		KUNIT_ASSERT_EQ_MSG(test, vdgpu_vram_mgr_visible_used(fix->mgr),
				    visible_used, "step %u", step);
	}
	kunit_info(test, "%u allocations failed with -ENOSPC, %u live\n",
		   fails, nlive);

	while (nlive)
		vram_free(test, live[--nlive]);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_used(fix->mgr), 0);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_visible_used(fix->mgr), 0);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(&fix->mgr->manager), 0);
}

/* VRAM of any size can be filled to the last page, and no further. */
static void vram_mgr_odd_size_fills_completely(struct kunit *test)
{
	const struct vram_layout *l = test->param_value;
	struct vram_fixture *fix = vram_setup(test, l->size, l->visible);
	struct ttm_place any = vram_place(0, 0, 0);
	struct ttm_place contig = vram_place(0, 0, TTM_PL_FLAG_CONTIGUOUS);
	u64 size = round_down(l->size, SZ_4K);
	struct vram_alloc *a;

	KUNIT_EXPECT_EQ(test, fix->mgr->manager.size, size);
	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, size, &any, &a), 0);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_used(fix->mgr), size);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_visible_used(fix->mgr), l->visible);
	KUNIT_EXPECT_EQ(test, vram_alloc(test, fix, SZ_4K, &any, NULL), -ENOSPC);
	vram_free(test, a);

	/* Across all the roots, through gpu_buddy's "try harder" path. */
	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, size, &contig, &a), 0);
	KUNIT_EXPECT_TRUE(test, a->res->placement & TTM_PL_FLAG_CONTIGUOUS);
	KUNIT_EXPECT_EQ(test, a->res->start, 0);
	vram_free(test, a);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_used(fix->mgr), 0);
}

/* The debug callback prints the allocator and window state. */
static void vram_mgr_debug_prints_state(struct kunit *test)
{
	struct vram_fixture *fix = vram_setup(test, SZ_64M, SZ_16M);
	struct ttm_place cpu = vram_place(0, vdgpu_vram_mgr_visible_lpfn(fix->mgr), 0);
	struct drm_print_iterator iter = {};
	struct drm_printer p;
	char *buf;

	buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	iter.data = buf;
	iter.remain = 4095;
	p = drm_coredump_printer(&iter);

	KUNIT_ASSERT_EQ(test, vram_alloc(test, fix, SZ_1M, &cpu, NULL), 0);
	ttm_resource_manager_debug(&fix->mgr->manager, &p);
	kunit_info(test, "%s", buf);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "used: 1024 KiB"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "visible: 16384 KiB, visible used: 1024 KiB"));
}

/*
 * With the visible window full, validating a CPU-access object makes TTM
 * evict from the window only: the manager's intersects callback tells it
 * that objects above the window would not help.
 */
static void vram_mgr_window_pressure_evicts_window_objects(struct kunit *test)
{
	struct vram_fixture *fix = vram_setup(test, SZ_64M, SZ_16M);
	u32 vis = vdgpu_vram_mgr_visible_lpfn(fix->mgr);
	struct ttm_place cpu = vram_place(0, vis, 0);
	struct ttm_place gpu = vram_place(vis, 0, 0);
	struct ttm_placement cpu_placement = { .num_placement = 1,
					       .placement = &cpu };
	struct ttm_placement gpu_placement = { .num_placement = 1,
					       .placement = &gpu };
	struct ttm_buffer_object *window[4], *above[2], *bo;
	unsigned int i, evicted = 0;

	/* Objects above the window first: least recently used. */
	for (i = 0; i < ARRAY_SIZE(above); i++)
		above[i] = vdgpu_kunit_ttm_bo(test, fix->ttm, SZ_8M, &gpu_placement);
	for (i = 0; i < ARRAY_SIZE(window); i++)
		window[i] = vdgpu_kunit_ttm_bo(test, fix->ttm, SZ_4M, &cpu_placement);
	KUNIT_ASSERT_EQ(test, vdgpu_vram_mgr_visible_used(fix->mgr), SZ_16M);

	bo = vdgpu_kunit_ttm_bo(test, fix->ttm, SZ_4M, &cpu_placement);
	KUNIT_EXPECT_EQ(test, bo->resource->mem_type, TTM_PL_VRAM);
	KUNIT_EXPECT_TRUE(test, vdgpu_vram_mgr_resource_is_visible(bo->resource));

	for (i = 0; i < ARRAY_SIZE(above); i++)
		KUNIT_EXPECT_EQ(test, above[i]->resource->mem_type, TTM_PL_VRAM);
	for (i = 0; i < ARRAY_SIZE(window); i++)
		evicted += window[i]->resource->mem_type == TTM_PL_SYSTEM;
	KUNIT_EXPECT_EQ(test, evicted, 1);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_visible_used(fix->mgr), SZ_16M);
}

/* Tearing down evicts the objects still in VRAM, silently. */
static void vram_mgr_fini_evicts_objects(struct kunit *test)
{
	struct vram_fixture *fix = vram_setup(test, SZ_64M, SZ_16M);
	struct ttm_place place = vram_place(0, 0, 0);
	struct ttm_placement placement = { .num_placement = 1, .placement = &place };
	struct ttm_buffer_object *bo[3];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bo); i++) {
		bo[i] = vdgpu_kunit_ttm_bo(test, fix->ttm, SZ_2M, &placement);
		KUNIT_EXPECT_EQ(test, bo[i]->resource->mem_type, TTM_PL_VRAM);
	}
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_used(fix->mgr), 3 * SZ_2M);

	kunit_release_action(test, vram_mgr_fini_action, fix->mgr);
	for (i = 0; i < ARRAY_SIZE(bo); i++)
		KUNIT_EXPECT_EQ(test, bo[i]->resource->mem_type, TTM_PL_SYSTEM);
	KUNIT_EXPECT_NULL(test, ttm_manager_type(&fix->ttm->bdev, TTM_PL_VRAM));
}

static struct kunit_case vdgpu_vram_mgr_tests[] = {
	KUNIT_CASE(vram_mgr_init_rejects_bad_sizes),
	KUNIT_CASE_PARAM(vram_mgr_alloc_honours_range, vram_range_gen_params),
	KUNIT_CASE_PARAM(vram_mgr_alloc_honours_alignment,
			 vram_contig_flags_gen_params),
	KUNIT_CASE(vram_mgr_alloc_range_too_small_is_enospc),
	KUNIT_CASE(vram_mgr_cpu_access_stays_in_window),
	KUNIT_CASE(vram_mgr_straddling_resource_counts_visible_part),
	KUNIT_CASE(vram_mgr_intersects_and_compatible_follow_blocks),
	KUNIT_CASE_PARAM(vram_mgr_contiguous_when_fragmented,
			 vram_contig_gen_params),
	KUNIT_CASE_PARAM(vram_mgr_topdown_lands_at_top, vram_size_gen_params),
	KUNIT_CASE(vram_mgr_clear_tracking),
	KUNIT_CASE_PARAM(vram_mgr_exhaustion_is_enospc, vram_enospc_gen_params),
	KUNIT_CASE_PARAM(vram_mgr_accounting_returns_to_zero,
			 vram_layout_gen_params),
	KUNIT_CASE_PARAM(vram_mgr_random_churn_keeps_accounting,
			 vram_layout_gen_params),
	KUNIT_CASE_PARAM(vram_mgr_odd_size_fills_completely,
			 vram_layout_gen_params),
	KUNIT_CASE(vram_mgr_debug_prints_state),
	KUNIT_CASE(vram_mgr_window_pressure_evicts_window_objects),
	KUNIT_CASE(vram_mgr_fini_evicts_objects),
	{}
};

static struct kunit_suite vdgpu_vram_mgr_suite = {
	.name = "vdgpu_vram_mgr",
	.test_cases = vdgpu_vram_mgr_tests,
};

kunit_test_suite(vdgpu_vram_mgr_suite);
