// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>

#include <drm/drm_print.h>

#include "vdgpu_debugfs.h"
#include "vdgpu_device.h"
#include "vdgpu_engine.h"
#include "vdgpu_irq.h"
#include "vdgpu_migrate.h"
#include "vdgpu_mmio.h"
#include "vdgpu_ttm.h"

/**
 * DOC: Device lifetime
 *
 * A device is born in the platform driver's probe and has two lifetimes:
 *
 * - The *hardware* lifetime runs from vdgpu_device_init() to
 *   vdgpu_device_fini(), called from probe and from remove (unbind, module
 *   unload, or a failed probe).  Only within it may the driver touch the
 *   device.  Remove first unplugs the DRM device (drm_dev_unplug()), which
 *   waits for every ioctl already inside drm_dev_enter() to leave and makes
 *   every later one fail with -ENODEV; only then is the hardware torn down.
 *
 * - The *object* lifetime of &struct vdgpu_device and its &drm_device ends
 *   when the last reference is dropped: open files, mmaps and exported
 *   buffers keep the structure alive after remove.  Release of what such
 *   references can reach is managed with drmm_ actions, so that it runs then
 *   and not at unbind.
 *
 * Opening a node of an unplugged device fails with -ENODEV; after the driver
 * is bound again a new device with new nodes appears.
 *
 * What clients of an unplugged device keep, and what they get:
 *
 * - Files fail every ioctl, and mmap(), with -ENODEV (the DRM core).
 * - CPU mappings are zapped by drm_dev_unplug(): GEM mappings and those of
 *   exported dma-bufs share the device's address space.  Faults after that
 *   map a zeroed dummy page (vdgpu_gem_fault()), so no mapping reaches
 *   VRAM, which outlives the driver (the model keeps it, and a device bound
 *   again reuses it).
 * - Every fence the driver published signals: remove fails the engines'
 *   outstanding fences with -ENODEV, and jobs not yet on an engine fail in
 *   run_job with -ENODEV.
 * - Exported dma-bufs hold a reference to the device and stay usable:
 *   attaching pins the object with moves that touch no hardware.
 *
 * The last reference to an unplugged device goes with the last file,
 * dma-buf or VM, and the release then runs wherever that happens.  An exec
 * queue's VM may be the last holder: the queue's release work drops it
 * last, after counting the queue gone, since the release waits for every
 * queue (vdgpu_exec_release()).  A queue lives as long as its jobs, and a
 * job may wait for another driver's fence after every file is closed, so
 * module exit waits until every device is released, then drains the
 * workqueue of the queue releases: no vdgpu code runs once the module is
 * gone.
 *
 * System suspend and hibernation (the platform driver's sleep callbacks)
 * move every object out of VRAM and the GART and stop the engines, since
 * the device may lose power and VRAM with it; resume rewrites the GART
 * table and restarts the engines, and objects return to VRAM on their next
 * use (vdgpu_device_suspend(), vdgpu_device_resume()).
 */

/*
 * The device must be what the board says it is: a configuration that does
 * not match the hardware would make every later size check wrong.
 */
static int vdgpu_device_check_hw(struct vdgpu_device *vdev)
{
	const struct vdgpu_params *p = &vdev->params;
	u32 id = vdgpu_mmio_read32(vdev, VDGPU_REG_ID);
	u32 caps = vdgpu_mmio_read32(vdev, VDGPU_REG_CAPS);

	if (id != VDGPU_ID_MAGIC) {
		drm_err(&vdev->drm, "unknown hardware id 0x%08x\n", id);
		return -ENODEV;
	}
	if (FIELD_GET(VDGPU_CAPS_ENGINES, caps) < VDGPU_NUM_ENGINES ||
	    FIELD_GET(VDGPU_CAPS_CONTEXTS, caps) < VDGPU_NUM_CONTEXTS) {
		drm_err(&vdev->drm, "hardware caps 0x%08x too small\n", caps);
		return -ENODEV;
	}
	if (vdgpu_mmio_read64(vdev, VDGPU_REG_VRAM_SIZE_LO) != p->vram_size ||
	    vdgpu_mmio_read64(vdev, VDGPU_REG_BAR_SIZE_LO) != p->visible_vram_size ||
	    vdgpu_mmio_read64(vdev, VDGPU_REG_GART_SIZE_LO) != p->gart_size ||
	    vdev->bus.bar_size != p->visible_vram_size) {
		drm_err(&vdev->drm, "hardware does not match its configuration\n");
		return -ENODEV;
	}
	return 0;
}

/**
 * vdgpu_device_init() - bring up a device's hardware and managers
 * @vdev: the device, allocated together with its &drm_device
 * @pdata: its configuration, already validated with vdgpu_params_check(),
 * and its bus
 *
 * Checks the hardware against the configuration, sets up the GART,
 * requests the interrupt,
 * starts every engine's ring and fence timeline, unmasks interrupts, tests
 * every engine and sets up the TTM device with its memory managers.
 *
 * Context: Process context, may sleep; called from probe.
 * Return: 0 on success or a negative errno, in which case nothing is left to
 * undo.
 */
int vdgpu_device_init(struct vdgpu_device *vdev,
		      const struct vdgpu_platform_data *pdata)
{
	const struct vdgpu_params *params = &pdata->params;
	int ret;

	vdev->params = *params;
	vdev->bus = pdata->bus;

	ret = vdgpu_device_check_hw(vdev);
	if (ret)
		return ret;

	ret = vdgpu_gart_init(vdev);
	if (ret)
		return ret;

	ret = vdgpu_irq_init(vdev);
	if (ret)
		goto err_gart_fini;

	ret = vdgpu_engines_init(vdev);
	if (ret)
		goto err_gart_fini;
	vdgpu_irq_enable(vdev);

	ret = vdgpu_engines_test(vdev);
	if (ret)
		goto err_irq_disable;

	ret = vdgpu_migrate_init(vdev);
	if (ret)
		goto err_irq_disable;

	ret = vdgpu_exec_init(vdev);
	if (ret)
		goto err_irq_disable;

	ret = vdgpu_ttm_init(vdev);
	if (ret)
		goto err_irq_disable;

	ret = vdgpu_shrinker_init(vdev);
	if (ret)
		goto err_irq_disable;

	vdgpu_inject_init(vdev);
	vdgpu_debugfs_init(vdev);

	drm_dbg_driver(&vdev->drm,
		       "vram %llu MiB (visible %llu MiB), gart %llu MiB, irq %d\n",
		       params->vram_size >> 20,
		       params->visible_vram_size >> 20,
		       params->gart_size >> 20, vdev->irq.irq);
	return 0;

err_irq_disable:
	vdgpu_irq_disable(vdev);
	vdgpu_engines_fini(vdev);
err_gart_fini:
	vdgpu_gart_fini(vdev);
	return ret;
}

/**
 * vdgpu_device_fini() - stop a device's hardware
 * @vdev: the device
 *
 * Called after the DRM device was unplugged (or never registered), so no
 * ioctl can be inside the device any more.  Masks interrupts, stops the
 * engines and signals their outstanding fences with -ENODEV.  Buffer
 * objects and the TTM device that open files can still reach are released
 * later, with the last reference (vdgpu_ttm_init()).
 *
 * Context: Process context, may sleep.
 */
void vdgpu_device_fini(struct vdgpu_device *vdev)
{
	vdgpu_irq_disable(vdev);
	vdgpu_engines_fini(vdev);
	vdgpu_gart_fini(vdev);
	drm_dbg_driver(&vdev->drm, "hardware stopped\n");
}

/**
 * vdgpu_device_suspend() - make the device safe to lose power
 * @vdev: the device
 *
 * Every object leaves VRAM and the GART (vdgpu_ttm_suspend()), then the
 * copy engines' schedulers stop, the engines finish and stop, interrupts
 * are masked and the GART is disabled.  VRAM may be lost after this.
 *
 * Context: Process context, may sleep; system suspend or hibernation.
 * Return: 0, or the errno of a failed eviction with the device still
 * running.
 */
int vdgpu_device_suspend(struct vdgpu_device *vdev)
{
	int ret;

	ret = vdgpu_ttm_suspend(vdev);
	if (ret) {
		drm_err(&vdev->drm, "suspend: eviction failed: %d\n", ret);
		return ret;
	}
	vdgpu_exec_suspend(vdev);
	vdgpu_migrate_suspend(vdev);
	vdgpu_engines_suspend(vdev);
	vdgpu_irq_disable(vdev);
	vdgpu_gart_fini(vdev);
	return 0;
}

/**
 * vdgpu_device_resume() - bring the device back after a suspend
 * @vdev: the device, suspended with vdgpu_device_suspend()
 *
 * VRAM is assumed lost: the GART table is written anew and no free VRAM
 * counts as clear.  Objects come back into VRAM as they are next used.
 *
 * Context: Process context, may sleep.
 * Return: 0, or a negative errno if the engines do not run.
 */
int vdgpu_device_resume(struct vdgpu_device *vdev)
{
	int ret;

	ret = vdgpu_gart_init(vdev);
	if (ret)
		return ret;
	vdgpu_vram_mgr_mark_dirty(&vdev->vram_mgr);
	/* Page tables are pinned in VRAM: each VM rewrites its own. */
	atomic_inc(&vdev->vram_epoch);
	vdgpu_engines_resume(vdev);
	vdgpu_irq_enable(vdev);
	ret = vdgpu_engines_test(vdev);
	if (ret)
		drm_err(&vdev->drm, "resume: engine test failed: %d\n", ret);
	vdgpu_migrate_resume(vdev);
	vdgpu_exec_resume(vdev);
	return ret;
}
