// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-resv.h>
#include <linux/iosys-map.h>
#include <linux/ktime.h>
#include <linux/sizes.h>

#include <drm/drm_gem.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_tt.h>
#include <drm/vdgpu_drm.h>

#include <kunit/test.h>

#include "../vdgpu_bo.h"
#include "../vdgpu_device.h"
#include "../vdgpu_engine.h"
#include "../vdgpu_migrate.h"
#include "../vdgpu_ttm.h"
#include "vdgpu_kunit_helpers.h"

/*
 * The blitter on a device whose copies are slow enough (the model's
 * bandwidth knobs) to be caught in flight: moves return before their copy
 * completes, later moves wait for earlier ones without the CPU, large
 * moves use both copy engines and small ones the first.
 */

static const struct ttm_place m_vram = { .mem_type = TTM_PL_VRAM };
static const struct ttm_place m_gtt = { .mem_type = TTM_PL_TT };

static void m_bo_put(void *bo)
{
	vdgpu_bo_put(bo);
}

/* A kernel object in VRAM, idle; put when the test ends. */
static struct vdgpu_bo *m_vram_bo(struct kunit *test,
				  struct vdgpu_device *vdev, u64 size)
{
	u32 region = DRM_VDGPU_REGION_VRAM0;
	struct vdgpu_bo *bo;

	KUNIT_ASSERT_EQ(test, vdgpu_bo_create(vdev, size, &region, 1, 0,
					      ttm_bo_type_kernel, &bo), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, m_bo_put, bo),
			0);
	KUNIT_ASSERT_GT(test, dma_resv_wait_timeout(bo->tbo.base.resv,
						    DMA_RESV_USAGE_BOOKKEEP,
						    false, 10 * HZ), 0);
	return bo;
}

static int m_move(struct vdgpu_bo *bo, const struct ttm_place *place)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct ttm_placement placement = {
		.num_placement = 1, .placement = place,
	};

	return ttm_bo_validate(&bo->tbo, &placement, &ctx);
}

static long m_wait(struct vdgpu_bo *bo)
{
	return dma_resv_wait_timeout(bo->tbo.base.resv, DMA_RESV_USAGE_BOOKKEEP,
				     false, 10 * HZ);
}

static struct vdgpu_device *m_slow_device(struct kunit *test)
{
	struct vdgpu_params params;

	vdgpu_kunit_default_params(&params);
	/* About 80 ms for 4 MiB through VRAM and the bus. */
	params.vram_bandwidth = 100;
	params.pcie_bandwidth = 100;
	return vdgpu_kunit_device(test, &params);
}

/* A move queues its copy and returns; the copy completes afterwards. */
static void migrate_move_returns_before_copy(struct kunit *test)
{
	struct vdgpu_device *vdev = m_slow_device(test);
	struct vdgpu_bo *bo = m_vram_bo(test, vdev, SZ_4M);
	bool busy;

	vdgpu_kunit_bo_fill(test, vdev, bo, 0x3c3c3c3c);
	dma_resv_lock(bo->tbo.base.resv, NULL);
	KUNIT_ASSERT_EQ(test, m_move(bo, &m_gtt), 0);
	busy = !dma_resv_test_signaled(bo->tbo.base.resv,
				       DMA_RESV_USAGE_KERNEL);
	KUNIT_EXPECT_GT(test, m_wait(bo), 0);
	vdgpu_kunit_bo_check(test, vdev, bo, 0x3c3c3c3c);
	dma_resv_unlock(bo->tbo.base.resv);
	KUNIT_EXPECT_TRUE_MSG(test, busy, "the move waited for its copy");
}

/* Back-to-back moves: the second copy waits for the first on the GPU side. */
static void migrate_chained_moves_keep_contents(struct kunit *test)
{
	struct vdgpu_device *vdev = m_slow_device(test);
	struct vdgpu_bo *bo = m_vram_bo(test, vdev, SZ_8M);

	vdgpu_kunit_bo_fill(test, vdev, bo, 0x3c3c3c3c);
	dma_resv_lock(bo->tbo.base.resv, NULL);
	KUNIT_ASSERT_EQ(test, m_move(bo, &m_gtt), 0);
	KUNIT_ASSERT_EQ(test, m_move(bo, &m_vram), 0);
	KUNIT_ASSERT_EQ(test, m_move(bo, &m_gtt), 0);
	KUNIT_ASSERT_EQ(test, m_move(bo, &m_vram), 0);
	KUNIT_EXPECT_GT(test, m_wait(bo), 0);
	vdgpu_kunit_bo_check(test, vdev, bo, 0x3c3c3c3c);
	dma_resv_unlock(bo->tbo.base.resv);
}

struct m_split_case {
	const char *name;
	u64 size;
	unsigned int engines;
};

static const struct m_split_case m_split_cases[] = {
	{ "1MiB", SZ_1M, 1 },
	{ "4MiB", SZ_4M, 2 },
	{ "16MiB", SZ_16M, 2 },
};

static void m_split_desc(const struct m_split_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(m_split, m_split_cases, m_split_desc);

/* Large moves are dealt out to both copy engines, small ones to one. */
static void migrate_large_moves_use_both_engines(struct kunit *test)
{
	const struct m_split_case *c = test->param_value;
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_migrate *m = &vdev->migrate;
	struct vdgpu_bo *bo = m_vram_bo(test, vdev, c->size);
	u64 before[VDGPU_MIGRATE_ENGINES], moved = 0, delta;
	unsigned int i, used = 0;

	vdgpu_kunit_bo_fill(test, vdev, bo, 0x3c3c3c3c);
	for (i = 0; i < VDGPU_MIGRATE_ENGINES; i++)
		before[i] = atomic64_read(&m->bytes_copied[i]);

	dma_resv_lock(bo->tbo.base.resv, NULL);
	KUNIT_ASSERT_EQ(test, m_move(bo, &m_gtt), 0);
	KUNIT_EXPECT_GT(test, m_wait(bo), 0);
	vdgpu_kunit_bo_check(test, vdev, bo, 0x3c3c3c3c);
	dma_resv_unlock(bo->tbo.base.resv);

	for (i = 0; i < VDGPU_MIGRATE_ENGINES; i++) {
		delta = atomic64_read(&m->bytes_copied[i]) - before[i];
		moved += delta;
		used += !!delta;
		/* Packets alternate; block boundaries may make them uneven. */
		if (c->engines > 1)
			KUNIT_EXPECT_GE(test, delta, c->size / 4);
	}
	KUNIT_EXPECT_EQ(test, moved, c->size);
	KUNIT_EXPECT_EQ(test, used, c->engines);
	/* One timeline for TTM: the first engine's. */
	KUNIT_EXPECT_GT(test, atomic64_read(&m->bytes_copied[0]), before[0]);
}

static void m_wedge(struct vdgpu_engine *e, bool wedged)
{
	mutex_lock(&e->ring_lock);
	e->wedged = wedged;
	mutex_unlock(&e->ring_lock);
}

static void m_unwedge(void *e)
{
	m_wedge(e, false);
}

/*
 * With a copy engine wedged, moves and clears fall back to the CPU: every
 * byte arrives, the fallback is counted, and nothing is queued on the
 * engines.
 */
static void migrate_wedged_engine_falls_back_to_memcpy(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COPY1];
	struct vdgpu_ttm_stats *stats = &vdev->ttm_stats;
	struct vdgpu_bo *bo = m_vram_bo(test, vdev, SZ_4M);
	u32 region = DRM_VDGPU_REGION_VRAM0;
	s64 fallbacks, jobs;
	struct vdgpu_bo *fresh;

	vdgpu_kunit_bo_fill(test, vdev, bo, 0x3c3c3c3c);
	m_wedge(e, true);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, m_unwedge, e), 0);
	fallbacks = atomic64_read(&stats->memcpy_fallbacks);
	jobs = atomic64_read(&vdev->migrate.jobs[0]);

	dma_resv_lock(bo->tbo.base.resv, NULL);
	KUNIT_ASSERT_EQ(test, m_move(bo, &m_gtt), 0);
	KUNIT_ASSERT_EQ(test, m_move(bo, &m_vram), 0);
	KUNIT_EXPECT_TRUE(test, dma_resv_test_signaled(bo->tbo.base.resv,
						       DMA_RESV_USAGE_BOOKKEEP));
	vdgpu_kunit_bo_check(test, vdev, bo, 0x3c3c3c3c);
	dma_resv_unlock(bo->tbo.base.resv);

	/* Garbage where the next object lands, cleared by the CPU. */
	iosys_map_memset(&vdev->bus.bar, vdev->vram_base, 0x5c,
			 vdev->bus.bar_size - vdev->vram_base);
	KUNIT_ASSERT_EQ(test, vdgpu_bo_create(vdev, SZ_1M, &region, 1, 0,
					      ttm_bo_type_kernel, &fresh), 0);
	dma_resv_lock(fresh->tbo.base.resv, NULL);
	vdgpu_kunit_bo_check_zero(test, vdev, fresh);
	dma_resv_unlock(fresh->tbo.base.resv);
	vdgpu_bo_put(fresh);

	KUNIT_EXPECT_EQ(test, atomic64_read(&stats->memcpy_fallbacks) - fallbacks,
			3);
	KUNIT_EXPECT_EQ(test, atomic64_read(&vdev->migrate.jobs[0]), jobs);
}

static struct kunit_case vdgpu_migrate_tests[] = {
	KUNIT_CASE_SLOW(migrate_move_returns_before_copy),
	KUNIT_CASE_SLOW(migrate_chained_moves_keep_contents),
	KUNIT_CASE_PARAM(migrate_large_moves_use_both_engines,
			 m_split_gen_params),
	KUNIT_CASE(migrate_wedged_engine_falls_back_to_memcpy),
	{}
};

static struct kunit_suite vdgpu_migrate_suite = {
	.name = "vdgpu_migrate",
	.test_cases = vdgpu_migrate_tests,
};

kunit_test_suite(vdgpu_migrate_suite);
