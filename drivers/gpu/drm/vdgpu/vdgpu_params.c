// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/errno.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/sizes.h>

#include "vdgpu_params.h"

/**
 * DOC: Module parameters
 *
 * The parameters describe the emulated device the module creates when it is
 * loaded.  They are read once, at load time, and are read-only afterwards
 * (mode 0444): a device keeps the configuration it was created with.  Invalid
 * values make the load fail with -EINVAL and a message in the kernel log.
 *
 * vram_size (MiB, default 256, 16 to 65536)
 *	Device-local memory.
 *
 * visible_vram_size (MiB, default 0)
 *	The CPU-visible window into VRAM, as a PCI BAR would expose it.  0 makes
 *	all of VRAM visible; any other value must be at least 16 and at most
 *	vram_size.  A small window models a small-BAR card.
 *
 * gart_size (MiB, default 512, 16 to 65536)
 *	The GTT aperture through which the device reaches system pages.
 *
 * vram_bandwidth, pcie_bandwidth (MB/s, default 0)
 *	The bandwidth model of the emulated device: its engines take as long
 *	as moving their bytes through VRAM and over the bus at these rates
 *	would.  0 leaves the engines as fast as the host.  The device's debugfs
 *	hooks can change them at run time.
 */

#define VDGPU_SIZE_MIN_MIB	16u
#define VDGPU_SIZE_MAX_MIB	65536u

static unsigned int vram_size = 256;
module_param(vram_size, uint, 0444);
MODULE_PARM_DESC(vram_size, "VRAM size in MiB (16-65536, default 256)");

static unsigned int visible_vram_size;
module_param(visible_vram_size, uint, 0444);
MODULE_PARM_DESC(visible_vram_size,
		 "CPU-visible VRAM window in MiB (0 = all of VRAM, default 0)");

static unsigned int gart_size = 512;
module_param(gart_size, uint, 0444);
MODULE_PARM_DESC(gart_size, "GTT aperture size in MiB (16-65536, default 512)");

static unsigned int vram_bandwidth;
module_param(vram_bandwidth, uint, 0444);
MODULE_PARM_DESC(vram_bandwidth,
		 "Emulated VRAM bandwidth in MB/s (0 = unthrottled, default 0)");

static unsigned int pcie_bandwidth;
module_param(pcie_bandwidth, uint, 0444);
MODULE_PARM_DESC(pcie_bandwidth,
		 "Emulated bus bandwidth in MB/s (0 = unthrottled, default 0)");

static unsigned int num_devices = 1;
module_param(num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Emulated devices to create (0-4, default 1)");

/**
 * vdgpu_params_num_devices() - how many devices the module creates
 *
 * Context: Any context.
 * Return: the num_devices module parameter, or -EINVAL (logged) if it is
 * out of range.
 */
int vdgpu_params_num_devices(void)
{
	if (num_devices > VDGPU_MAX_DEVICES) {
		pr_err("vdgpu: num_devices %u is outside 0-%d\n", num_devices,
		       VDGPU_MAX_DEVICES);
		return -EINVAL;
	}
	return num_devices;
}

/**
 * vdgpu_params_from_module() - snapshot the module parameters
 * @params: where to store them, converted to bytes
 *
 * A visible_vram_size of 0 is resolved to the whole of VRAM here, so that
 * everything after this point sees the effective window.
 *
 * Context: Any context.
 */
void vdgpu_params_from_module(struct vdgpu_params *params)
{
	params->vram_size = (u64)vram_size * SZ_1M;
	params->visible_vram_size = (u64)(visible_vram_size ?: vram_size) * SZ_1M;
	params->gart_size = (u64)gart_size * SZ_1M;
	params->vram_bandwidth = vram_bandwidth;
	params->pcie_bandwidth = pcie_bandwidth;
}

static bool vdgpu_size_valid(u64 size)
{
	return size >= (u64)VDGPU_SIZE_MIN_MIB * SZ_1M &&
	       size <= (u64)VDGPU_SIZE_MAX_MIB * SZ_1M &&
	       IS_ALIGNED(size, SZ_1M);
}

/**
 * vdgpu_params_check() - validate a device configuration
 * @params: the configuration, sizes in bytes
 *
 * Every size must be a whole number of MiB within the documented limits, and
 * the visible window may not exceed VRAM.  Each rejected value is logged.
 *
 * Context: Any context.
 * Return: 0 if the configuration is usable, -EINVAL otherwise.
 */
int vdgpu_params_check(const struct vdgpu_params *params)
{
	if (!vdgpu_size_valid(params->vram_size)) {
		pr_err("vdgpu: vram_size %llu bytes is outside %u-%u MiB\n",
		       params->vram_size, VDGPU_SIZE_MIN_MIB, VDGPU_SIZE_MAX_MIB);
		return -EINVAL;
	}
	if (!vdgpu_size_valid(params->visible_vram_size) ||
	    params->visible_vram_size > params->vram_size) {
		pr_err("vdgpu: visible_vram_size %llu bytes is outside %u MiB-vram_size\n",
		       params->visible_vram_size, VDGPU_SIZE_MIN_MIB);
		return -EINVAL;
	}
	if (!vdgpu_size_valid(params->gart_size)) {
		pr_err("vdgpu: gart_size %llu bytes is outside %u-%u MiB\n",
		       params->gart_size, VDGPU_SIZE_MIN_MIB, VDGPU_SIZE_MAX_MIB);
		return -EINVAL;
	}
	return 0;
}
