// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/atomic.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/wait_bit.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bo.h"
#include "vdgpu_device.h"
#include "vdgpu_dma_buf.h"
#include "vdgpu_exec.h"
#include "vdgpu_drv.h"
#include "vdgpu_fdinfo.h"
#include "vdgpu_params.h"
#include "vdgpu_query.h"
#include "vdgpu_regs.h"
#include "vdgpu_vm.h"
#include "sim/vdgpu_sim_board.h"

/**
 * DOC: Overview
 *
 * vdgpu is a DRM driver for a discrete GPU: device-local memory (VRAM) of
 * which only a window is CPU-visible, a GART through which the device reaches
 * system memory, copy engines and a GPU MMU.  Until a PCI device exists for
 * it, the module plays the board: it builds one emulated device (the device
 * model in ``sim/``), which appears as a platform device named ``vdgpu.0``,
 * and binds its platform driver ``vdgpu`` to it.  The platform data describe
 * the configuration and the bus (&struct vdgpu_platform_data); the driver
 * reaches the device only through that bus, as vdgpu_regs.h documents.  The
 * driver registers a &drm_device with a primary and a render node; it has no
 * display.
 *
 * The platform driver can be unbound and bound again through sysfs
 * (/sys/bus/platform/drivers/vdgpu/{unbind,bind}), which is how hot-unplug is
 * tested; unloading the module unbinds it too.
 */

static const struct file_operations vdgpu_fops = {
	.owner = THIS_MODULE,
	DRM_GEM_FOPS,
	.show_fdinfo = drm_show_fdinfo,
};

static const struct drm_ioctl_desc vdgpu_ioctls[] = {
	DRM_IOCTL_DEF_DRV(VDGPU_QUERY, vdgpu_query_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VDGPU_GEM_CREATE, vdgpu_gem_create_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VDGPU_GEM_MMAP_OFFSET, vdgpu_gem_mmap_offset_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VDGPU_GEM_WAIT, vdgpu_gem_wait_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VDGPU_GEM_INFO, vdgpu_gem_info_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VDGPU_GEM_MADVISE, vdgpu_gem_madvise_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VDGPU_VM_CREATE, vdgpu_vm_create_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VDGPU_VM_DESTROY, vdgpu_vm_destroy_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VDGPU_VM_BIND, vdgpu_vm_bind_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VDGPU_EXEC_QUEUE_CREATE, vdgpu_exec_queue_create_ioctl,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VDGPU_EXEC_QUEUE_DESTROY,
			  vdgpu_exec_queue_destroy_ioctl, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(VDGPU_EXEC, vdgpu_exec_ioctl, DRM_RENDER_ALLOW),
};

static const struct drm_driver vdgpu_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_GEM_GPUVA | DRIVER_RENDER |
			   DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE,
	.open = vdgpu_file_open,
	.postclose = vdgpu_file_postclose,
	.fops = &vdgpu_fops,
	.show_fdinfo = vdgpu_show_fdinfo,
	.gem_prime_import_sg_table = vdgpu_gem_prime_import_sg_table,
	.ioctls = vdgpu_ioctls,
	.num_ioctls = ARRAY_SIZE(vdgpu_ioctls),
	.name = VDGPU_DRIVER_NAME,
	.desc = VDGPU_DRIVER_DESC,
	.date = VDGPU_DRIVER_DATE,
	.major = VDGPU_DRIVER_MAJOR,
	.minor = VDGPU_DRIVER_MINOR,
	.patchlevel = VDGPU_DRIVER_PATCHLEVEL,
};

/*
 * Devices not yet released.  An unplugged device lives on while anything
 * holds it, a job waiting for another driver's fence included, and its
 * release runs vdgpu code: module exit waits for every one.
 */
static atomic_t vdgpu_live_devices = ATOMIC_INIT(0);

static void vdgpu_device_released(struct drm_device *drm, void *data)
{
	if (atomic_dec_and_test(&vdgpu_live_devices))
		wake_up_var(&vdgpu_live_devices);
}

static int vdgpu_probe(struct platform_device *pdev)
{
	const struct vdgpu_platform_data *pdata = dev_get_platdata(&pdev->dev);
	struct vdgpu_device *vdev;
	int ret;

	if (!pdata)
		return dev_err_probe(&pdev->dev, -EINVAL, "no configuration\n");
	ret = vdgpu_params_check(&pdata->params);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "invalid configuration\n");
	if (!pdata->bus.ops || iosys_map_is_null(&pdata->bus.bar))
		return dev_err_probe(&pdev->dev, -ENODEV, "no bus\n");

	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	vdev = devm_drm_dev_alloc(&pdev->dev, &vdgpu_drm_driver,
				  struct vdgpu_device, drm);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	platform_set_drvdata(pdev, vdev);
	/* The first release action registered, so the last one run. */
	atomic_inc(&vdgpu_live_devices);
	ret = drmm_add_action_or_reset(&vdev->drm, vdgpu_device_released, NULL);
	if (ret)
		return ret;

	ret = vdgpu_device_init(vdev, pdata);
	if (ret)
		return ret;

	ret = drm_dev_register(&vdev->drm, 0);
	if (ret)
		goto err_device_fini;

	drm_info(&vdev->drm, "%s %u.%u.%u, vram %llu MiB\n",
		 VDGPU_DRIVER_DESC, VDGPU_DRIVER_MAJOR, VDGPU_DRIVER_MINOR,
		 VDGPU_DRIVER_PATCHLEVEL, pdata->params.vram_size >> 20);
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

static int vdgpu_pm_suspend(struct device *dev)
{
	return vdgpu_device_suspend(dev_get_drvdata(dev));
}

static int vdgpu_pm_resume(struct device *dev)
{
	return vdgpu_device_resume(dev_get_drvdata(dev));
}

static DEFINE_SIMPLE_DEV_PM_OPS(vdgpu_pm_ops, vdgpu_pm_suspend,
				vdgpu_pm_resume);

static struct platform_driver vdgpu_platform_driver = {
	.probe = vdgpu_probe,
	.remove = vdgpu_remove,
	.driver = {
		.name = VDGPU_DEVICE_NAME,
		.pm = pm_sleep_ptr(&vdgpu_pm_ops),
	},
};

static struct vdgpu_sim *vdgpu_sims[VDGPU_MAX_DEVICES];
static int vdgpu_num_sims;

static bool vdgpu_pdev_bound(struct platform_device *pdev)
{
	bool bound;

	device_lock(&pdev->dev);
	bound = device_is_bound(&pdev->dev);
	device_unlock(&pdev->dev);
	return bound;
}

static void vdgpu_destroy_sims(void)
{
	while (vdgpu_num_sims)
		vdgpu_sim_destroy(vdgpu_sims[--vdgpu_num_sims]);
}

static int __init vdgpu_init(void)
{
	struct vdgpu_params params;
	struct vdgpu_sim *sim;
	int ret, n;

	vdgpu_params_from_module(&params);
	ret = vdgpu_params_check(&params);
	if (ret)
		return ret;
	n = vdgpu_params_num_devices();
	if (n < 0)
		return n;

	ret = vdgpu_exec_module_init();
	if (ret)
		return ret;

	ret = platform_driver_register(&vdgpu_platform_driver);
	if (ret)
		goto err_exec_exit;

	/* The board: build the emulated devices and plug them in. */
	while (vdgpu_num_sims < n) {
		sim = vdgpu_sim_create(&params, vdgpu_num_sims);
		if (IS_ERR(sim)) {
			ret = PTR_ERR(sim);
			goto err_destroy_sims;
		}
		vdgpu_sims[vdgpu_num_sims++] = sim;

		/* A module whose device failed to probe would only confuse. */
		if (!vdgpu_pdev_bound(vdgpu_sim_pdev(sim))) {
			ret = -ENODEV;
			goto err_destroy_sims;
		}
	}
	return 0;

err_destroy_sims:
	vdgpu_destroy_sims();
	platform_driver_unregister(&vdgpu_platform_driver);
err_exec_exit:
	vdgpu_exec_module_exit();
	return ret;
}

static void __exit vdgpu_exit(void)
{
	vdgpu_destroy_sims();
	platform_driver_unregister(&vdgpu_platform_driver);
	/*
	 * No file is open, but devices unplugged earlier may still be held
	 * by their last jobs, which wait for fences of other drivers; fences
	 * signal in finite time.
	 */
	wait_var_event(&vdgpu_live_devices, !atomic_read(&vdgpu_live_devices));
	/* And the queue release works that released some of them return. */
	vdgpu_exec_module_exit();
}

module_init(vdgpu_init);
module_exit(vdgpu_exit);

MODULE_AUTHOR("The vdgpu authors");
MODULE_DESCRIPTION("DRM driver for an emulated discrete GPU");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DMA_BUF);
