// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-fence.h>
#include <linux/platform_device.h>

#include <kunit/test.h>

#include "../sim/vdgpu_sim_board.h"
#include "../vdgpu_device.h"
#include "../vdgpu_engine.h"
#include "../vdgpu_fence.h"
#include "../vdgpu_mmio.h"
#include "vdgpu_kunit_helpers.h"

struct t_seqno_case {
	const char *name;
	u32 seqno;
	u32 hw;
	bool passed;
};

static const struct t_seqno_case t_seqno_cases[] = {
	{ "equal", 5, 5, true },
	{ "behind", 6, 5, false },
	{ "ahead", 5, 6, true },
	{ "wrapped_hw", 0xfffffffe, 1, true },
	{ "not_yet_wrapped", 1, 0xfffffffe, false },
	{ "half_range_ahead", 0, 0x7fffffff, true },
	{ "half_range_behind", 0, 0x80000000, false },
};

KUNIT_ARRAY_PARAM_DESC(t_seqno, t_seqno_cases, name);

/* Seqnos compare modulo 2^32, within half the range. */
static void fence_seqno_passed_wraps(struct kunit *test)
{
	const struct t_seqno_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, vdgpu_fence_seqno_passed(c->seqno, c->hw), c->passed);
}

/*
 * A timeline crossing 2^32 keeps signalling in order, and dma_fence orders
 * the fences across the wrap too.
 */
static void fence_signal_across_wrap(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COPY1];
	struct dma_fence *fences[32];
	u32 dw[2], n = vdgpu_engine_pkt_nop(dw, 1);
	int i;

	KUNIT_ASSERT_EQ(test, vdgpu_engine_set_seqno(e, 0xfffffff0), 0);
	for (i = 0; i < ARRAY_SIZE(fences); i++)
		KUNIT_ASSERT_EQ(test, vdgpu_engine_submit(e, dw, n, &fences[i]),
				0);
	KUNIT_ASSERT_GT(test, dma_fence_wait_timeout(fences[31], false,
						     60 * HZ), 0);

	KUNIT_EXPECT_EQ(test, fences[0]->seqno, 0xfffffff0);
	KUNIT_EXPECT_EQ(test, fences[31]->seqno, 0x0f);
	for (i = 0; i < ARRAY_SIZE(fences); i++) {
		KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fences[i]));
		KUNIT_EXPECT_EQ(test, fences[i]->error, 0);
		if (i)
			KUNIT_EXPECT_TRUE(test, dma_fence_is_later(fences[i],
								   fences[i - 1]));
	}
	for (i = 0; i < ARRAY_SIZE(fences); i++)
		dma_fence_put(fences[i]);
}

/* Each engine is its own timeline with its own names. */
static void fence_timeline_per_engine(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct dma_fence *fences[VDGPU_NUM_ENGINES];
	u32 dw[1], n = vdgpu_engine_pkt_nop(dw, 0);
	static const char * const names[] = { "copy0", "copy1", "compute" };
	int i;

	for (i = 0; i < VDGPU_NUM_ENGINES; i++)
		KUNIT_ASSERT_EQ(test, vdgpu_engine_submit(&vdev->engines[i], dw,
							  n, &fences[i]), 0);
	for (i = 0; i < VDGPU_NUM_ENGINES; i++) {
		KUNIT_EXPECT_GT(test, dma_fence_wait_timeout(fences[i], false,
							     60 * HZ), 0);
		KUNIT_EXPECT_STREQ(test,
				   fences[i]->ops->get_driver_name(fences[i]),
				   "vdgpu");
		KUNIT_EXPECT_STREQ(test,
				   fences[i]->ops->get_timeline_name(fences[i]),
				   names[i]);
		if (i)
			KUNIT_EXPECT_NE(test, fences[i]->context,
					fences[i - 1]->context);
	}
	for (i = 0; i < VDGPU_NUM_ENGINES; i++)
		dma_fence_put(fences[i]);
}

/*
 * Unplugging the device signals every outstanding fence with -ENODEV, and
 * the fence outlives the device: everything dma_fence does with it later,
 * taking its lock included, touches nothing of the freed device (KASAN
 * would say so).
 */
static void fence_unplug_signals_enodev(struct kunit *test)
{
	struct vdgpu_params params;
	struct vdgpu_device *vdev;
	struct vdgpu_engine *e;
	struct dma_fence *fence;
	struct vdgpu_sim *sim;
	u32 dw[1], n = vdgpu_engine_pkt_nop(dw, 0);

	vdgpu_kunit_default_params(&params);
	sim = vdgpu_kunit_add_board(test, &params);
	vdev = platform_get_drvdata(vdgpu_sim_pdev(sim));
	KUNIT_ASSERT_NOT_NULL(test, vdev);
	e = &vdev->engines[VDGPU_ENGINE_COPY0];

	vdgpu_mmio_write32(vdev, VDGPU_ENGINE_BASE(e->id) + VDGPU_ENGINE_INJECT,
			   VDGPU_ENGINE_INJECT_HANG);
	KUNIT_ASSERT_EQ(test, vdgpu_engine_submit(e, dw, n, &fence), 0);
	vdgpu_kunit_remove_board(test, sim);

	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_EQ(test, dma_fence_get_status(fence), -ENODEV);
	KUNIT_EXPECT_STREQ(test, fence->ops->get_timeline_name(fence), "copy0");
	dma_fence_put(fence);
}

static struct kunit_case vdgpu_fence_tests[] = {
	KUNIT_CASE_PARAM(fence_seqno_passed_wraps, t_seqno_gen_params),
	KUNIT_CASE(fence_signal_across_wrap),
	KUNIT_CASE(fence_timeline_per_engine),
	KUNIT_CASE(fence_unplug_signals_enodev),
	{}
};

static struct kunit_suite vdgpu_fence_suite = {
	.name = "vdgpu_fence",
	.test_cases = vdgpu_fence_tests,
};

kunit_test_suite(vdgpu_fence_suite);
