// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/platform_device.h>
#include <linux/sizes.h>

#include <kunit/resource.h>
#include <kunit/test.h>

#include "../vdgpu_device.h"
#include "../vdgpu_drv.h"
#include "vdgpu_kunit_helpers.h"

/*
 * Devices made by tests get ids from here on, clear of the module's own
 * vdgpu.0; each one gets a fresh id so that a test never sees a sysfs name
 * clash with a device still being torn down.
 */
static atomic_t vdgpu_kunit_next_id = ATOMIC_INIT(100);

/**
 * vdgpu_kunit_default_params() - a small, valid device configuration
 * @params: filled with 64 MiB of VRAM, all visible, and 64 MiB of GTT
 */
void vdgpu_kunit_default_params(struct vdgpu_params *params)
{
	params->vram_size = SZ_64M;
	params->visible_vram_size = SZ_64M;
	params->gart_size = SZ_64M;
}

static void vdgpu_kunit_pdev_unregister(void *pdev)
{
	platform_device_unregister(pdev);
}

/**
 * vdgpu_kunit_add_pdev() - create a vdgpu platform device for a test
 * @test: the test; the device is removed when it ends
 * @params: the configuration handed to probe, or NULL for none
 *
 * The driver probes the device synchronously, so on return it is bound, or
 * probe failed and it is not.
 *
 * Return: the platform device; the test fails if it cannot be created.
 */
struct platform_device *
vdgpu_kunit_add_pdev(struct kunit *test, const struct vdgpu_params *params)
{
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_alloc(VDGPU_DRIVER_NAME,
				     atomic_inc_return(&vdgpu_kunit_next_id));
	KUNIT_ASSERT_NOT_NULL(test, pdev);

	if (params) {
		ret = platform_device_add_data(pdev, params, sizeof(*params));
		if (ret)
			platform_device_put(pdev);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}

	ret = platform_device_add(pdev);
	if (ret)
		platform_device_put(pdev);
	KUNIT_ASSERT_EQ(test, ret, 0);

	ret = kunit_add_action_or_reset(test, vdgpu_kunit_pdev_unregister, pdev);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return pdev;
}

/**
 * vdgpu_kunit_remove_pdev() - remove a device made by vdgpu_kunit_add_pdev()
 * @test: the test that made it
 * @pdev: the device; it is unbound and gone on return
 */
void vdgpu_kunit_remove_pdev(struct kunit *test, struct platform_device *pdev)
{
	kunit_release_action(test, vdgpu_kunit_pdev_unregister, pdev);
}

/**
 * vdgpu_kunit_device() - a probed and registered vdgpu device for a test
 * @test: the test; the device is removed when it ends
 * @params: its configuration, or NULL for vdgpu_kunit_default_params()
 *
 * Return: the device; the test fails if probe does.
 */
struct vdgpu_device *vdgpu_kunit_device(struct kunit *test,
					const struct vdgpu_params *params)
{
	struct vdgpu_params defaults;
	struct platform_device *pdev;
	struct vdgpu_device *vdev;

	if (!params) {
		vdgpu_kunit_default_params(&defaults);
		params = &defaults;
	}
	pdev = vdgpu_kunit_add_pdev(test, params);
	vdev = platform_get_drvdata(pdev);
	KUNIT_ASSERT_NOT_NULL_MSG(test, vdev, "probe failed");
	return vdev;
}
