// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_print.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_device.h"
#include "vdgpu_drv.h"
#include "vdgpu_params.h"

/**
 * DOC: Overview
 *
 * vdgpu is a DRM driver for a discrete GPU: device-local memory (VRAM) of
 * which only a window is CPU-visible, a GART through which the device reaches
 * system memory, copy engines and a GPU MMU.  Until a PCI device exists for
 * it, the module creates one emulated device as a platform device named
 * ``vdgpu.0`` and binds its platform driver ``vdgpu`` to it.  The driver
 * registers a &drm_device with a primary and a render node; it has no display.
 *
 * The platform driver can be unbound and bound again through sysfs
 * (/sys/bus/platform/drivers/vdgpu/{unbind,bind}), which is how hot-unplug is
 * tested; unloading the module unbinds it too.
 */

DEFINE_DRM_GEM_FOPS(vdgpu_fops);

static const struct drm_driver vdgpu_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE,
	.fops = &vdgpu_fops,
	.name = VDGPU_DRIVER_NAME,
	.desc = VDGPU_DRIVER_DESC,
	.date = VDGPU_DRIVER_DATE,
	.major = VDGPU_DRIVER_MAJOR,
	.minor = VDGPU_DRIVER_MINOR,
	.patchlevel = VDGPU_DRIVER_PATCHLEVEL,
};

static int vdgpu_probe(struct platform_device *pdev)
{
	const struct vdgpu_params *params = dev_get_platdata(&pdev->dev);
	struct vdgpu_device *vdev;
	int ret;

	if (!params)
		return dev_err_probe(&pdev->dev, -EINVAL, "no configuration\n");
	ret = vdgpu_params_check(params);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "invalid configuration\n");

	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	vdev = devm_drm_dev_alloc(&pdev->dev, &vdgpu_drm_driver,
				  struct vdgpu_device, drm);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	platform_set_drvdata(pdev, vdev);

	ret = vdgpu_device_init(vdev, params);
	if (ret)
		return ret;

	ret = drm_dev_register(&vdev->drm, 0);
	if (ret)
		goto err_device_fini;

	drm_info(&vdev->drm, "%s %u.%u.%u, vram %llu MiB\n",
		 VDGPU_DRIVER_DESC, VDGPU_DRIVER_MAJOR, VDGPU_DRIVER_MINOR,
		 VDGPU_DRIVER_PATCHLEVEL, params->vram_size >> 20);
	return 0;

err_device_fini:
	vdgpu_device_fini(vdev);
	return ret;
}

static void vdgpu_remove(struct platform_device *pdev)
{
	struct vdgpu_device *vdev = platform_get_drvdata(pdev);

	drm_dev_unplug(&vdev->drm);
	vdgpu_device_fini(vdev);
}

static struct platform_driver vdgpu_platform_driver = {
	.probe = vdgpu_probe,
	.remove = vdgpu_remove,
	.driver = {
		.name = VDGPU_DRIVER_NAME,
	},
};

static struct platform_device *vdgpu_pdev;

static bool vdgpu_pdev_bound(struct platform_device *pdev)
{
	bool bound;

	device_lock(&pdev->dev);
	bound = device_is_bound(&pdev->dev);
	device_unlock(&pdev->dev);
	return bound;
}

static int __init vdgpu_init(void)
{
	struct vdgpu_params params;
	int ret;

	vdgpu_params_from_module(&params);
	ret = vdgpu_params_check(&params);
	if (ret)
		return ret;

	ret = platform_driver_register(&vdgpu_platform_driver);
	if (ret)
		return ret;

	vdgpu_pdev = platform_device_register_data(NULL, VDGPU_DRIVER_NAME, 0,
						   &params, sizeof(params));
	if (IS_ERR(vdgpu_pdev)) {
		ret = PTR_ERR(vdgpu_pdev);
		goto err_unregister_driver;
	}

	/* A module whose device failed to probe would only confuse. */
	if (!vdgpu_pdev_bound(vdgpu_pdev)) {
		ret = -ENODEV;
		goto err_unregister_device;
	}
	return 0;

err_unregister_device:
	platform_device_unregister(vdgpu_pdev);
err_unregister_driver:
	platform_driver_unregister(&vdgpu_platform_driver);
	return ret;
}

static void __exit vdgpu_exit(void)
{
	platform_device_unregister(vdgpu_pdev);
	platform_driver_unregister(&vdgpu_platform_driver);
}

module_init(vdgpu_init);
module_exit(vdgpu_exit);

MODULE_AUTHOR("The vdgpu authors");
MODULE_DESCRIPTION("DRM driver for an emulated discrete GPU");
MODULE_LICENSE("GPL");
