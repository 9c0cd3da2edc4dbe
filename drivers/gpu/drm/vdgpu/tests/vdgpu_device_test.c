// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/device.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>

#include <kunit/test.h>

#include "../sim/vdgpu_sim_board.h"
#include "../vdgpu_device.h"
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

static struct kunit_case vdgpu_device_tests[] = {
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
