// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <drm/drm_print.h>

#include "vdgpu_debugfs.h"
#include "vdgpu_device.h"

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
 */

/**
 * vdgpu_device_init() - bring up a device's hardware and managers
 * @vdev: the device, allocated together with its &drm_device
 * @params: its configuration, already validated with vdgpu_params_check()
 *
 * Context: Process context, may sleep; called from probe.
 * Return: 0 on success or a negative errno, in which case nothing is left to
 * undo.
 */
int vdgpu_device_init(struct vdgpu_device *vdev,
		      const struct vdgpu_params *params)
{
	vdev->params = *params;

	vdgpu_debugfs_init(vdev);

	drm_dbg_driver(&vdev->drm,
		       "vram %llu MiB (visible %llu MiB), gart %llu MiB\n",
		       params->vram_size >> 20,
		       params->visible_vram_size >> 20,
		       params->gart_size >> 20);
	return 0;
}

/**
 * vdgpu_device_fini() - stop a device's hardware
 * @vdev: the device
 *
 * Called after the DRM device was unplugged (or never registered), so no
 * ioctl can be inside the device any more.  What open files can still reach
 * is released later, with the last reference.
 *
 * Context: Process context, may sleep.
 */
void vdgpu_device_fini(struct vdgpu_device *vdev)
{
	drm_dbg_driver(&vdev->drm, "hardware stopped\n");
}
