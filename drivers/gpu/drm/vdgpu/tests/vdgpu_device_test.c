// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dma-resv.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/vdgpu_drm.h>

#include <kunit/test.h>

#include "../sim/vdgpu_sim_board.h"
#include "../vdgpu_bo.h"
#include "../vdgpu_device.h"
#include "../vdgpu_mmio.h"
#include "../vdgpu_regs.h"
#include "../vdgpu_vram_mgr.h"
#include "../vdgpu_params.h"
#include "vdgpu_kunit_helpers.h"

/* Probe registers a DRM device with both nodes and keeps the configuration. */
static void device_probe_registers_nodes(struct kunit *test)
{
	struct vdgpu_params params = {
		.vram_size = SZ_128M,
		.visible_vram_size = SZ_32M,
		.gart_size = SZ_256M,
	};
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, &params);

	KUNIT_EXPECT_TRUE(test, vdev->drm.registered);
	KUNIT_EXPECT_NOT_NULL(test, vdev->drm.primary);
	KUNIT_EXPECT_NOT_NULL(test, vdev->drm.render);
	KUNIT_EXPECT_STREQ(test, vdev->drm.driver->name, "vdgpu");
	KUNIT_EXPECT_TRUE(test, drm_core_check_feature(&vdev->drm, DRIVER_RENDER));
	KUNIT_EXPECT_TRUE(test,
			  drm_core_check_feature(&vdev->drm, DRIVER_SYNCOBJ_TIMELINE));
	KUNIT_EXPECT_FALSE(test, drm_core_check_feature(&vdev->drm, DRIVER_MODESET));
	KUNIT_EXPECT_EQ(test, vdev->params.vram_size, params.vram_size);
	KUNIT_EXPECT_EQ(test, vdev->params.visible_vram_size,
			params.visible_vram_size);
	KUNIT_EXPECT_EQ(test, vdev->params.gart_size, params.gart_size);
}

/*
 * A configuration probe cannot use leaves the device unbound.  These devices
 * have no bus either, so the errno tells the configuration check (-EINVAL)
 * from the bus check (-ENODEV).
 */
static void device_probe_rejects_bad_params(struct kunit *test)
{
	struct vdgpu_params params;
	struct platform_device *pdev;

	vdgpu_kunit_default_params(&params);
	params.visible_vram_size = params.vram_size * 2;
	pdev = vdgpu_kunit_add_pdev(test, &params);

	KUNIT_EXPECT_NULL(test, pdev->dev.driver);
	KUNIT_EXPECT_NULL(test, platform_get_drvdata(pdev));
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_probe(test, pdev), -EINVAL);
}

/* So does a device created without any configuration. */
static void device_probe_rejects_missing_params(struct kunit *test)
{
	struct platform_device *pdev = vdgpu_kunit_add_pdev(test, NULL);

	KUNIT_EXPECT_NULL(test, pdev->dev.driver);
	KUNIT_EXPECT_NULL(test, platform_get_drvdata(pdev));
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_probe(test, pdev), -EINVAL);
}

/* So does a valid configuration without a bus to reach the hardware. */
static void device_probe_rejects_missing_bus(struct kunit *test)
{
	struct vdgpu_params params;
	struct platform_device *pdev;

	vdgpu_kunit_default_params(&params);
	pdev = vdgpu_kunit_add_pdev(test, &params);

	KUNIT_EXPECT_NULL(test, pdev->dev.driver);
	KUNIT_EXPECT_NULL(test, platform_get_drvdata(pdev));
	KUNIT_EXPECT_EQ(test, vdgpu_kunit_probe(test, pdev), -ENODEV);
}

/* Devices come and go repeatedly without leaving anything behind. */
static void device_probe_remove_cycles(struct kunit *test)
{
	struct vdgpu_params params;
	struct vdgpu_sim *sim;
	int i;

	vdgpu_kunit_default_params(&params);
	for (i = 0; i < 8; i++) {
		sim = vdgpu_kunit_add_board(test, &params);
		KUNIT_ASSERT_NOT_NULL(test,
				      platform_get_drvdata(vdgpu_sim_pdev(sim)));
		vdgpu_kunit_remove_board(test, sim);
	}
}

/*
 * Unbinding and binding the driver again brings up a new device on the same
 * hardware, whose engines work.
 */
static void device_rebind_works(struct kunit *test)
{
	struct vdgpu_params params;
	struct platform_device *pdev;
	struct vdgpu_device *vdev;
	struct vdgpu_sim *sim;
	u32 dw[1];

	vdgpu_kunit_default_params(&params);
	sim = vdgpu_kunit_add_board(test, &params);
	pdev = vdgpu_sim_pdev(sim);

	device_release_driver(&pdev->dev);
	KUNIT_ASSERT_NULL(test, platform_get_drvdata(pdev));
	KUNIT_ASSERT_EQ(test, device_attach(&pdev->dev), 1);
	vdev = platform_get_drvdata(pdev);
	KUNIT_ASSERT_NOT_NULL(test, vdev);

	KUNIT_EXPECT_EQ(test, vdgpu_kunit_run(test, &vdev->engines[0], dw,
					      vdgpu_engine_pkt_nop(dw, 0)), 0);
}

/* Several devices live side by side, each with its own nodes. */
static void device_several_at_once(struct kunit *test)
{
	struct vdgpu_device *a = vdgpu_kunit_device(test, NULL);
	struct vdgpu_device *b = vdgpu_kunit_device(test, NULL);

	KUNIT_EXPECT_PTR_NE(test, a, b);
	KUNIT_EXPECT_NE(test, a->drm.primary->index, b->drm.primary->index);
	KUNIT_EXPECT_NE(test, a->drm.render->index, b->drm.render->index);
}

/*
 * Removing the device while a file is open unplugs it: the file keeps the
 * device structure alive, drm_dev_enter() refuses entry, and closing the
 * file afterwards releases everything.
 */
static void device_remove_with_open_file(struct kunit *test)
{
	struct vdgpu_params params;
	struct vdgpu_device *vdev;
	struct vdgpu_sim *sim;
	struct file *file;
	int idx;

	vdgpu_kunit_default_params(&params);
	sim = vdgpu_kunit_add_board(test, &params);
	vdev = platform_get_drvdata(vdgpu_sim_pdev(sim));
	KUNIT_ASSERT_NOT_NULL(test, vdev);

	file = mock_drm_getfile(vdev->drm.render, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));

	KUNIT_ASSERT_TRUE(test, drm_dev_enter(&vdev->drm, &idx));
	drm_dev_exit(idx);

	vdgpu_kunit_remove_board(test, sim);

	/* The file holds a reference: vdev is still valid here. */
	KUNIT_EXPECT_TRUE(test, drm_dev_is_unplugged(&vdev->drm));
	KUNIT_EXPECT_FALSE(test, drm_dev_enter(&vdev->drm, &idx));

	fput(file);
	flush_delayed_fput();
}

static void t_bo_put(void *bo)
{
	vdgpu_bo_put(bo);
}

/* An object in @region holding the pattern of @seed; put at the end. */
static struct vdgpu_bo *t_filled_bo(struct kunit *test,
				    struct vdgpu_device *vdev, u32 region,
				    u64 size, u32 seed)
{
	struct vdgpu_bo *bo;

	KUNIT_ASSERT_EQ(test, vdgpu_bo_create(vdev, size, &region, 1, 0,
					      ttm_bo_type_device, &bo), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_bo_put, bo), 0);
	dma_resv_lock(bo->tbo.base.resv, NULL);
	KUNIT_ASSERT_GT(test, dma_resv_wait_timeout(bo->tbo.base.resv,
						    DMA_RESV_USAGE_BOOKKEEP,
						    false, 10 * HZ), 0);
	vdgpu_kunit_bo_fill(test, vdev, bo, seed);
	dma_resv_unlock(bo->tbo.base.resv);
	return bo;
}

/*
 * Brings the object back where it was created and checks its bytes: the
 * pattern of @seed, or zeroes for 0.
 */
static void t_back_and_check(struct kunit *test, struct vdgpu_device *vdev,
			     struct vdgpu_bo *bo, u32 mem_type, u32 seed)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };

	dma_resv_lock(bo->tbo.base.resv, NULL);
	KUNIT_ASSERT_EQ(test, vdgpu_bo_validate(bo, &ctx), 0);
	KUNIT_EXPECT_EQ(test, bo->tbo.resource->mem_type, mem_type);
	KUNIT_ASSERT_GT(test, dma_resv_wait_timeout(bo->tbo.base.resv,
						    DMA_RESV_USAGE_BOOKKEEP,
						    false, 10 * HZ), 0);
	if (seed)
		vdgpu_kunit_bo_check(test, vdev, bo, seed);
	else
		vdgpu_kunit_bo_check_zero(test, vdev, bo);
	dma_resv_unlock(bo->tbo.base.resv);
}

/*
 * Suspend moves everything out of VRAM and the GART; the device then
 * loses VRAM (the model's VRAM_LOST); after resume every object comes back
 * with its bytes, the engines and the GART work, and a new VRAM object
 * reads zeroes over the scrambled VRAM.
 */
static void device_suspend_resume_survives_vram_loss(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	u32 vram = DRM_VDGPU_REGION_VRAM0;
	struct vdgpu_bo *v, *g, *fresh;
	unsigned int i;

	v = t_filled_bo(test, vdev, DRM_VDGPU_REGION_VRAM0, SZ_8M, 0x76766d);
	g = t_filled_bo(test, vdev, DRM_VDGPU_REGION_GTT, SZ_1M, 0x677474);

	KUNIT_ASSERT_EQ(test, vdgpu_device_suspend(vdev), 0);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_used(&vdev->vram_mgr), 0);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(&vdev->gtt_mgr.manager),
			0);
	KUNIT_EXPECT_EQ(test, v->tbo.resource->mem_type, TTM_PL_SYSTEM);
	KUNIT_EXPECT_EQ(test, g->tbo.resource->mem_type, TTM_PL_SYSTEM);

	vdgpu_mmio_write32(vdev, VDGPU_REG_VRAM_LOST, 1);
	for (i = 0; i < 10000 && vdgpu_mmio_read32(vdev, VDGPU_REG_VRAM_LOST);
	     i++)
		usleep_range(100, 200);
	KUNIT_ASSERT_EQ(test, vdgpu_mmio_read32(vdev, VDGPU_REG_VRAM_LOST), 0);

	KUNIT_ASSERT_EQ(test, vdgpu_device_resume(vdev), 0);
	t_back_and_check(test, vdev, v, TTM_PL_VRAM, 0x76766d);
	t_back_and_check(test, vdev, g, TTM_PL_TT, 0x677474);

	/* Free VRAM is garbage now: a new object must be cleared. */
	KUNIT_ASSERT_EQ(test, vdgpu_bo_create(vdev, SZ_1M, &vram, 1, 0,
					      ttm_bo_type_device, &fresh), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, t_bo_put, fresh),
			0);
	t_back_and_check(test, vdev, fresh, TTM_PL_VRAM, 0);
}

static struct kunit_case vdgpu_device_tests[] = {
	KUNIT_CASE(device_suspend_resume_survives_vram_loss),
	KUNIT_CASE(device_probe_registers_nodes),
	KUNIT_CASE(device_probe_rejects_bad_params),
	KUNIT_CASE(device_probe_rejects_missing_params),
	KUNIT_CASE(device_probe_rejects_missing_bus),
	KUNIT_CASE(device_probe_remove_cycles),
	KUNIT_CASE(device_rebind_works),
	KUNIT_CASE(device_several_at_once),
	KUNIT_CASE(device_remove_with_open_file),
	{}
};

static struct kunit_suite vdgpu_device_suite = {
	.name = "vdgpu_device",
	.test_cases = vdgpu_device_tests,
};

kunit_test_suite(vdgpu_device_suite);
