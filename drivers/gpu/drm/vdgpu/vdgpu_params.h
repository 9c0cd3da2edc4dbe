/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_PARAMS_H_
#define _VDGPU_PARAMS_H_

#include <linux/types.h>

/* How many emulated devices the module creates at the most. */
#define VDGPU_MAX_DEVICES	4

/**
 * struct vdgpu_params - the configuration one device is created with
 *
 * Filled from the module parameters when the module creates its device and
 * handed to the platform driver as platform data, so that a device never sees
 * the parameters change under it and tests can create devices with any
 * configuration.  All sizes are in bytes.  The bandwidths only shape the
 * emulated device's timing and are not the driver's business.
 */
struct vdgpu_params {
	/** @vram_size: size of device-local memory */
	u64 vram_size;
	/** @visible_vram_size: size of the CPU-visible window (the BAR) into VRAM */
	u64 visible_vram_size;
	/** @gart_size: size of the GTT aperture the GART translates */
	u64 gart_size;
	/**
	 * @vram_bandwidth: the emulated device's VRAM bandwidth in MB/s, 0
	 * for as fast as the host can copy
	 */
	u32 vram_bandwidth;
	/**
	 * @pcie_bandwidth: the emulated device's bus bandwidth to system
	 * memory in MB/s, 0 for as fast as the host can copy
	 */
	u32 pcie_bandwidth;
};

void vdgpu_params_from_module(struct vdgpu_params *params);
int vdgpu_params_num_devices(void);
int vdgpu_params_check(const struct vdgpu_params *params);

#endif
