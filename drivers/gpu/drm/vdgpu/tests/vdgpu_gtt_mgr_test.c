// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/sizes.h>

#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>

#include <kunit/test.h>
#include <kunit/test-bug.h>

#include "../vdgpu_gtt_mgr.h"
#include "vdgpu_kunit_helpers.h"

/* A 1 MiB aperture: 256 pages. */
#define T_PAGES		256

struct gtt_fixture {
	struct vdgpu_kunit_ttm *ttm;
	struct vdgpu_gtt_mgr *mgr;
};

struct gtt_alloc {
	struct ttm_buffer_object *bo;
	struct ttm_resource *res;
};

static void gtt_mgr_fini_action(void *data)
{
	struct gtt_fixture *fix = data;

	KUNIT_EXPECT_EQ(kunit_get_current_test(),
			vdgpu_gtt_mgr_fini(fix->mgr, &fix->ttm->bdev), 0);
}

static struct gtt_fixture *gtt_setup(struct kunit *test)
{
	struct gtt_fixture *fix;

	fix = kunit_kzalloc(test, sizeof(*fix), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fix);
	fix->ttm = vdgpu_kunit_ttm_device(test);
	fix->mgr = kunit_kzalloc(test, sizeof(*fix->mgr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fix->mgr);
	KUNIT_ASSERT_EQ(test, vdgpu_gtt_mgr_init(fix->mgr, fix->ttm->drm,
						 &fix->ttm->bdev, T_PAGES), 0);
	/* Registered after the device: runs before its teardown. */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							gtt_mgr_fini_action,
							fix), 0);
	return fix;
}

static void gtt_alloc_release(void *data)
{
	struct gtt_alloc *a = data;

	if (a->res)
		ttm_resource_free(a->bo, &a->res);
}

/* Allocate @pages pages at @place; the test frees them when it ends. */
static int gtt_alloc(struct kunit *test, struct gtt_fixture *fix, u64 pages,
		     const struct ttm_place *place, struct gtt_alloc **out)
{
	struct gtt_alloc *a;
	int ret;

	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	a->bo = vdgpu_kunit_fake_bo(test, fix->ttm, pages * SZ_4K);
	ret = ttm_resource_alloc(a->bo, place, &a->res);
	if (ret)
		return ret;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, gtt_alloc_release,
							a), 0);
	if (out)
		*out = a;
	return 0;
}

static const struct ttm_place gtt_place = { .mem_type = TTM_PL_TT };

static u64 gtt_used_pages(struct gtt_fixture *fix)
{
	return ttm_resource_manager_usage(&fix->mgr->manager) / SZ_4K;
}

/* An empty aperture is refused. */
static void gtt_mgr_init_rejects_empty(struct kunit *test)
{
	struct vdgpu_kunit_ttm *ttm = vdgpu_kunit_ttm_device(test);
	struct vdgpu_gtt_mgr mgr = {};

	KUNIT_EXPECT_EQ(test, vdgpu_gtt_mgr_init(&mgr, ttm->drm, &ttm->bdev, 0),
			-EINVAL);
}

/* Resources get disjoint ranges inside the aperture; usage adds up. */
static void gtt_mgr_ranges_disjoint(struct kunit *test)
{
	struct gtt_fixture *fix = gtt_setup(test);
	static const u64 sizes[] = { 1, 7, 16, 3, 64, 1, 100 };
	struct gtt_alloc *a[ARRAY_SIZE(sizes)];
	u64 total = 0, s_i, e_i, s_j, e_j;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		KUNIT_ASSERT_EQ(test, gtt_alloc(test, fix, sizes[i], &gtt_place,
						&a[i]), 0);
		total += sizes[i];
		s_i = vdgpu_gtt_mgr_resource_page(a[i]->res);
		KUNIT_EXPECT_EQ(test, a[i]->res->start, s_i);
		KUNIT_EXPECT_LE(test, s_i + sizes[i], T_PAGES);
	}
	KUNIT_EXPECT_EQ(test, gtt_used_pages(fix), total);

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		s_i = a[i]->res->start;
		e_i = s_i + sizes[i];
		for (j = i + 1; j < ARRAY_SIZE(sizes); j++) {
			s_j = a[j]->res->start;
			e_j = s_j + sizes[j];
			KUNIT_EXPECT_TRUE_MSG(test, e_i <= s_j || e_j <= s_i,
					      "%u and %u overlap", i, j);
		}
	}
}

/* fpfn/lpfn confine a range; top-down puts it at the top of the window. */
static void gtt_mgr_place_range_and_topdown(struct kunit *test)
{
	struct gtt_fixture *fix = gtt_setup(test);
	struct ttm_place window = { .mem_type = TTM_PL_TT, .fpfn = 100,
				    .lpfn = 132 };
	struct gtt_alloc *a;

	KUNIT_ASSERT_EQ(test, gtt_alloc(test, fix, 8, &window, &a), 0);
	KUNIT_EXPECT_EQ(test, a->res->start, 100);

	window.flags = TTM_PL_FLAG_TOPDOWN;
	KUNIT_ASSERT_EQ(test, gtt_alloc(test, fix, 8, &window, &a), 0);
	KUNIT_EXPECT_EQ(test, a->res->start, 132 - 8);

	/* 16 pages are left in the window: 17 do not fit. */
	KUNIT_EXPECT_EQ(test, gtt_alloc(test, fix, 17, &window, NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, gtt_alloc(test, fix, 16, &window, NULL), 0);
}

/* An object's page alignment is honoured. */
static void gtt_mgr_alignment(struct kunit *test)
{
	struct gtt_fixture *fix = gtt_setup(test);
	struct ttm_resource *res;
	struct ttm_buffer_object *bo;

	KUNIT_ASSERT_EQ(test, gtt_alloc(test, fix, 1, &gtt_place, NULL), 0);
	bo = vdgpu_kunit_fake_bo(test, fix->ttm, 4 * SZ_4K);
	bo->page_alignment = 16;
	KUNIT_ASSERT_EQ(test, ttm_resource_alloc(bo, &gtt_place, &res), 0);
	KUNIT_EXPECT_EQ(test, res->start % 16, 0);
	ttm_resource_free(bo, &res);
}

/* A full aperture says -ENOSPC and changes nothing; freeing makes room. */
static void gtt_mgr_exhaustion(struct kunit *test)
{
	struct gtt_fixture *fix = gtt_setup(test);
	struct gtt_alloc *half;

	KUNIT_ASSERT_EQ(test, gtt_alloc(test, fix, T_PAGES / 2, &gtt_place,
					&half), 0);
	KUNIT_ASSERT_EQ(test, gtt_alloc(test, fix, T_PAGES / 2, &gtt_place,
					NULL), 0);
	KUNIT_EXPECT_EQ(test, gtt_alloc(test, fix, 1, &gtt_place, NULL),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, gtt_alloc(test, fix, T_PAGES + 1, &gtt_place,
					NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, gtt_used_pages(fix), T_PAGES);

	ttm_resource_free(half->bo, &half->res);
	KUNIT_EXPECT_EQ(test, gtt_used_pages(fix), T_PAGES / 2);
	KUNIT_EXPECT_EQ(test, gtt_alloc(test, fix, T_PAGES / 2, &gtt_place,
					NULL), 0);
}

/* intersects and compatible follow the placement's window. */
static void gtt_mgr_intersects_compatible(struct kunit *test)
{
	struct gtt_fixture *fix = gtt_setup(test);
	struct ttm_resource_manager *man = &fix->mgr->manager;
	struct ttm_place at = { .mem_type = TTM_PL_TT, .fpfn = 40, .lpfn = 48 };
	struct ttm_place below = { .mem_type = TTM_PL_TT, .lpfn = 40 };
	struct ttm_place across = { .mem_type = TTM_PL_TT, .fpfn = 44,
				    .lpfn = 100 };
	struct ttm_placement at_placement = { .num_placement = 1,
					      .placement = &at };
	struct ttm_placement across_placement = { .num_placement = 1,
						  .placement = &across };
	struct gtt_alloc *a;

	KUNIT_ASSERT_EQ(test, gtt_alloc(test, fix, 8, &at, &a), 0);
	KUNIT_EXPECT_TRUE(test, ttm_resource_intersects(man->bdev, a->res,
							&gtt_place, SZ_4K));
	KUNIT_EXPECT_TRUE(test, ttm_resource_compatible(a->res, &at_placement,
							false));
	KUNIT_EXPECT_FALSE(test, ttm_resource_intersects(man->bdev, a->res,
							 &below, SZ_4K));
	KUNIT_EXPECT_TRUE(test, ttm_resource_intersects(man->bdev, a->res,
							&across, SZ_4K));
	KUNIT_EXPECT_FALSE(test, ttm_resource_compatible(a->res,
							 &across_placement,
							 false));
}

/* When the aperture is full, TTM evicts GTT objects to system memory. */
static void gtt_mgr_full_aperture_evicts(struct kunit *test)
{
	struct gtt_fixture *fix = gtt_setup(test);
	struct ttm_place place = { .mem_type = TTM_PL_TT };
	struct ttm_placement placement = { .num_placement = 1,
					   .placement = &place };
	struct ttm_buffer_object *bo[4], *extra;
	unsigned int i, in_gtt = 0;

	for (i = 0; i < ARRAY_SIZE(bo); i++)
		bo[i] = vdgpu_kunit_ttm_bo(test, fix->ttm, T_PAGES / 4 * SZ_4K,
					   &placement);
	KUNIT_EXPECT_EQ(test, gtt_used_pages(fix), T_PAGES);

	extra = vdgpu_kunit_ttm_bo(test, fix->ttm, T_PAGES / 4 * SZ_4K,
				   &placement);
	KUNIT_EXPECT_EQ(test, extra->resource->mem_type, TTM_PL_TT);
	for (i = 0; i < ARRAY_SIZE(bo); i++)
		in_gtt += bo[i]->resource->mem_type == TTM_PL_TT;
	KUNIT_EXPECT_EQ(test, in_gtt, ARRAY_SIZE(bo) - 1);
	KUNIT_EXPECT_EQ(test, gtt_used_pages(fix), T_PAGES);
}

static struct kunit_case vdgpu_gtt_mgr_tests[] = {
	KUNIT_CASE(gtt_mgr_init_rejects_empty),
	KUNIT_CASE(gtt_mgr_ranges_disjoint),
	KUNIT_CASE(gtt_mgr_place_range_and_topdown),
	KUNIT_CASE(gtt_mgr_alignment),
	KUNIT_CASE(gtt_mgr_exhaustion),
	KUNIT_CASE(gtt_mgr_intersects_compatible),
	KUNIT_CASE(gtt_mgr_full_aperture_evicts),
	{}
};

static struct kunit_suite vdgpu_gtt_mgr_suite = {
	.name = "vdgpu_gtt_mgr",
	.test_cases = vdgpu_gtt_mgr_tests,
};

kunit_test_suite(vdgpu_gtt_mgr_suite);
