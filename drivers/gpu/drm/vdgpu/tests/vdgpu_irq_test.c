// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/interrupt.h>

#include <kunit/test.h>

#include "../vdgpu_device.h"
#include "../vdgpu_engine.h"
#include "../vdgpu_irq.h"
#include "../vdgpu_mmio.h"
#include "vdgpu_kunit_helpers.h"

/* Submits a NOP and waits until the engine has written its seqno. */
static struct dma_fence *t_submit_and_complete(struct kunit *test,
					       struct vdgpu_engine *e)
{
	struct dma_fence *fence;
	u32 dw[1], n = vdgpu_engine_pkt_nop(dw, 0);
	int i;

	KUNIT_ASSERT_EQ(test, vdgpu_engine_submit(e, dw, n, &fence), 0);
	for (i = 0; i < 10000; i++) {
		if (le32_to_cpu(READ_ONCE(*e->seqno)) == fence->seqno)
			break;
		usleep_range(1000, 2000);
	}
	KUNIT_EXPECT_EQ(test, le32_to_cpu(READ_ONCE(*e->seqno)), fence->seqno);
	return fence;
}

/*
 * A fence interrupt raised while masked at the device stays latched in
 * INT_STATUS and is delivered when the driver unmasks it.
 */
static void irq_unmask_delivers_latched(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COPY1];
	struct dma_fence *fence;

	vdgpu_irq_disable(vdev);
	fence = t_submit_and_complete(test, e);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_EQ(test, vdgpu_mmio_read32(vdev, VDGPU_REG_INT_STATUS),
			VDGPU_INT_FENCE(e->id));

	vdgpu_irq_enable(vdev);
	KUNIT_EXPECT_GT(test, dma_fence_wait_timeout(fence, false, 60 * HZ), 0);
	KUNIT_EXPECT_EQ(test, fence->error, 0);
	KUNIT_EXPECT_EQ(test, vdgpu_mmio_read32(vdev, VDGPU_REG_INT_STATUS), 0);
	dma_fence_put(fence);
}

/*
 * An interrupt that fires while the line is disabled in Linux is replayed
 * when it is enabled again: the model's irq_chip retriggers it.
 */
static void irq_disabled_line_replays(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COMPUTE];
	struct dma_fence *fence;

	disable_irq(vdev->irq.irq);
	fence = t_submit_and_complete(test, e);
	/* Give the model's irq_work its chance to (not) deliver. */
	msleep(50);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(fence));

	enable_irq(vdev->irq.irq);
	KUNIT_EXPECT_GT(test, dma_fence_wait_timeout(fence, false, 60 * HZ), 0);
	KUNIT_EXPECT_EQ(test, fence->error, 0);
	dma_fence_put(fence);
}

static struct kunit_case vdgpu_irq_tests[] = {
	KUNIT_CASE(irq_unmask_delivers_latched),
	KUNIT_CASE(irq_disabled_line_replays),
	{}
};

static struct kunit_suite vdgpu_irq_suite = {
	.name = "vdgpu_irq",
	.test_cases = vdgpu_irq_tests,
};

kunit_test_suite(vdgpu_irq_suite);
