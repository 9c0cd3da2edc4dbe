// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/gpu_buddy.h>
#include <linux/iosys-map.h>
#include <linux/sizes.h>

#include <drm/drm_gem.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_tt.h>

#include <kunit/test.h>

#include "../vdgpu_device.h"
#include "../vdgpu_gart.h"
#include "../vdgpu_gtt_mgr.h"
#include "../vdgpu_vram_mgr.h"
#include "vdgpu_kunit_helpers.h"

/*
 * The TTM device on a real (emulated) device: objects placed in each
 * region, moved between them by the copy engine, with their bytes checked
 * on every side.
 */

static const struct ttm_place t_vram = { .mem_type = TTM_PL_VRAM };
static const struct ttm_place t_gtt = { .mem_type = TTM_PL_TT };
static const struct ttm_place t_sys = { .mem_type = TTM_PL_SYSTEM };

static struct ttm_placement t_placement(const struct ttm_place *place)
{
	return (struct ttm_placement){ .num_placement = 1, .placement = place };
}

static void t_bo_destroy(struct ttm_buffer_object *bo)
{
	drm_gem_object_release(&bo->base);
	kfree(bo);
}

static void t_bo_put(void *bo)
{
	ttm_bo_put(bo);
}

/* A kernel object of @size bytes placed at @place; put when the test ends. */
static struct ttm_buffer_object *t_bo(struct kunit *test,
				      struct vdgpu_device *vdev, u64 size,
				      const struct ttm_place *place)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct ttm_placement placement = t_placement(place);
	struct ttm_buffer_object *bo;
	int ret;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bo);
	drm_gem_private_object_init(&vdev->drm, &bo->base, size);
	ret = ttm_bo_init_reserved(&vdev->ttm, bo, ttm_bo_type_kernel,
				   &placement, 0, &ctx, NULL, NULL,
				   t_bo_destroy);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ttm_bo_unreserve(bo);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_bo_put, bo), 0);
	return bo;
}

static int t_bo_move(struct ttm_buffer_object *bo, const struct ttm_place *place)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct ttm_placement placement = t_placement(place);
	int ret;

	ret = ttm_bo_reserve(bo, false, false, NULL);
	if (ret)
		return ret;
	ret = ttm_bo_validate(bo, &placement, &ctx);
	if (!ret)
		ret = ttm_bo_wait_ctx(bo, &ctx);
	ttm_bo_unreserve(bo);
	return ret;
}

static u32 t_pattern(u64 off)
{
	return lower_32_bits(off * 2654435761u) ^ 0xa5a5a5a5;
}

/* Writes or checks the pattern through the object's system pages. */
static void t_sys_pages(struct kunit *test, struct ttm_buffer_object *bo,
			bool write)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct ttm_bo_kmap_obj map;
	bool is_iomem;
	u32 *cpu;
	u64 off;

	KUNIT_ASSERT_EQ(test, ttm_bo_reserve(bo, false, false, NULL), 0);
	/* Moves are asynchronous: the CPU waits for the last one. */
	KUNIT_ASSERT_EQ(test, ttm_bo_wait_ctx(bo, &ctx), 0);
	KUNIT_ASSERT_EQ(test, ttm_bo_kmap(bo, 0, PFN_UP(bo->base.size), &map), 0);
	cpu = ttm_kmap_obj_virtual(&map, &is_iomem);
	KUNIT_EXPECT_FALSE(test, is_iomem);
	for (off = 0; off < bo->base.size; off += 4) {
		if (write) {
			cpu[off / 4] = t_pattern(off);
		} else if (cpu[off / 4] != t_pattern(off)) {
			KUNIT_FAIL(test, "byte %llu: %#x, expected %#x", off,
				   cpu[off / 4], t_pattern(off));
			break;
		}
	}
	ttm_bo_kunmap(&map);
	ttm_bo_unreserve(bo);
}

/* Checks VRAM behind @bo, block by block through the BAR, for @expect(). */
static void t_vram_check(struct kunit *test, struct vdgpu_device *vdev,
			 struct ttm_buffer_object *bo, bool zero)
{
	struct vdgpu_vram_mgr_resource *vres;
	struct gpu_buddy_block *block;
	u64 off = 0, addr, size, i;
	u32 v;

	KUNIT_ASSERT_EQ(test, bo->resource->mem_type, TTM_PL_VRAM);
	vres = to_vdgpu_vram_mgr_resource(bo->resource);
	list_for_each_entry(block, &vres->blocks, link) {
		addr = vdev->vram_base + gpu_buddy_block_offset(block);
		size = min(gpu_buddy_block_size(&vdev->vram_mgr.mm, block),
			   bo->base.size - off);
		KUNIT_ASSERT_LE(test, addr + size, vdev->bus.bar_size);
		for (i = 0; i < size; i += 4, off += 4) {
			v = iosys_map_rd(&vdev->bus.bar, addr + i, u32);
			if (v != (zero ? 0 : t_pattern(off))) {
				KUNIT_FAIL(test, "VRAM byte %llu: %#x", off, v);
				return;
			}
		}
	}
	KUNIT_EXPECT_EQ(test, off, bo->base.size);
}

/* A new VRAM object reads zeroes, whatever VRAM held before. */
static void ttm_new_vram_object_is_cleared(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct ttm_buffer_object *bo;

	/* Power-up VRAM holds garbage; make sure of it where we look. */
	iosys_map_memset(&vdev->bus.bar, vdev->vram_base, 0x5c, SZ_1M);

	bo = t_bo(test, vdev, SZ_1M, &t_vram);
	KUNIT_ASSERT_EQ(test, ttm_bo_reserve(bo, false, false, NULL), 0);
	KUNIT_EXPECT_EQ(test, ttm_bo_wait_ctx(bo, &ctx), 0);
	ttm_bo_unreserve(bo);
	t_vram_check(test, vdev, bo, true);
}

/* A GTT object's pages are bound: an engine reads what the CPU wrote. */
static void ttm_gtt_object_is_bound(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct ttm_buffer_object *bo = t_bo(test, vdev, 64 * SZ_4K, &t_gtt);
	u64 page = vdgpu_gtt_mgr_resource_page(bo->resource);
	u32 dw[16], n;
	u32 v;

	t_sys_pages(test, bo, true);
	n = vdgpu_engine_pkt_copy(dw, 0, 0, vdgpu_gart_gpu_addr(page + 5) + 8,
				  vdev->vram_base, 4);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, &vdev->engines[0], dw, n), 0);
	v = iosys_map_rd(&vdev->bus.bar, vdev->vram_base, u32);
	KUNIT_EXPECT_EQ(test, v, t_pattern(5 * SZ_4K + 8));
}

/* A move within GTT binds the new range and invalidates the old one. */
static void ttm_gtt_move_rebinds(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct ttm_place high = { .mem_type = TTM_PL_TT, .fpfn = 1024 };
	struct ttm_buffer_object *bo = t_bo(test, vdev, 16 * SZ_4K, &t_gtt);
	u64 old = vdgpu_gtt_mgr_resource_page(bo->resource);
	u64 page, pte;
	u32 dw[16], n;

	t_sys_pages(test, bo, true);
	KUNIT_ASSERT_EQ(test, t_bo_move(bo, &high), 0);
	page = vdgpu_gtt_mgr_resource_page(bo->resource);
	KUNIT_ASSERT_GE(test, page, 1024);

	pte = iosys_map_rd(&vdev->bus.bar, vdev->gart.table + old * 8, u64);
	KUNIT_EXPECT_EQ(test, pte, 0);

	n = vdgpu_engine_pkt_copy(dw, 0, 0, vdgpu_gart_gpu_addr(page + 3),
				  vdev->vram_base, 4);
	KUNIT_ASSERT_EQ(test, vdgpu_kunit_run(test, &vdev->engines[0], dw, n), 0);
	KUNIT_EXPECT_EQ(test, iosys_map_rd(&vdev->bus.bar, vdev->vram_base, u32),
			t_pattern(3 * SZ_4K));
}

/* System -> GTT -> VRAM -> GTT -> system keeps every byte. */
static void ttm_roundtrip_keeps_contents(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct ttm_buffer_object *bo = t_bo(test, vdev, SZ_2M + 3 * SZ_4K,
					    &t_sys);

	t_sys_pages(test, bo, true);
	KUNIT_ASSERT_EQ(test, t_bo_move(bo, &t_gtt), 0);
	KUNIT_ASSERT_EQ(test, t_bo_move(bo, &t_vram), 0);
	t_vram_check(test, vdev, bo, false);
	KUNIT_ASSERT_EQ(test, t_bo_move(bo, &t_gtt), 0);
	KUNIT_ASSERT_EQ(test, bo->resource->mem_type, TTM_PL_TT);
	t_sys_pages(test, bo, false);
	KUNIT_ASSERT_EQ(test, t_bo_move(bo, &t_sys), 0);
	KUNIT_ASSERT_EQ(test, bo->resource->mem_type, TTM_PL_SYSTEM);
	t_sys_pages(test, bo, false);
}

/* System <-> VRAM directly goes through a GTT hop and keeps every byte. */
static void ttm_multihop_keeps_contents(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct ttm_buffer_object *bo = t_bo(test, vdev, SZ_1M, &t_sys);

	t_sys_pages(test, bo, true);
	KUNIT_ASSERT_EQ(test, t_bo_move(bo, &t_vram), 0);
	t_vram_check(test, vdev, bo, false);
	KUNIT_ASSERT_EQ(test, t_bo_move(bo, &t_sys), 0);
	KUNIT_ASSERT_EQ(test, bo->resource->mem_type, TTM_PL_SYSTEM);
	t_sys_pages(test, bo, false);
	/* Nothing left in the aperture once the object is back in system. */
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(&vdev->gtt_mgr.manager),
			0);
}

/* Full VRAM evicts the oldest object to GTT, contents intact. */
static void ttm_full_vram_evicts_to_gtt(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	u64 free = vdev->vram_mgr.manager.size - vdgpu_vram_mgr_used(&vdev->vram_mgr);
	struct ttm_buffer_object *first, *bo;
	u64 size = SZ_4M;
	unsigned int i;

	first = t_bo(test, vdev, size, &t_sys);
	t_sys_pages(test, first, true);
	KUNIT_ASSERT_EQ(test, t_bo_move(first, &t_vram), 0);
	for (i = 1; i < free / size; i++)
		t_bo(test, vdev, size, &t_vram);
	KUNIT_ASSERT_EQ(test, first->resource->mem_type, TTM_PL_VRAM);

	bo = t_bo(test, vdev, size, &t_vram);
	KUNIT_EXPECT_EQ(test, bo->resource->mem_type, TTM_PL_VRAM);
	KUNIT_ASSERT_EQ(test, first->resource->mem_type, TTM_PL_TT);
	t_sys_pages(test, first, false);
}

static struct kunit_case vdgpu_ttm_tests[] = {
	KUNIT_CASE(ttm_new_vram_object_is_cleared),
	KUNIT_CASE(ttm_gtt_object_is_bound),
	KUNIT_CASE(ttm_gtt_move_rebinds),
	KUNIT_CASE(ttm_roundtrip_keeps_contents),
	KUNIT_CASE(ttm_multihop_keeps_contents),
	KUNIT_CASE(ttm_full_vram_evicts_to_gtt),
	{}
};

static struct kunit_suite vdgpu_ttm_suite = {
	.name = "vdgpu_ttm",
	.test_cases = vdgpu_ttm_tests,
};

kunit_test_suite(vdgpu_ttm_suite);
