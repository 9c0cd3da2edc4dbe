/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_GART_H_
#define _VDGPU_GART_H_

#include <linux/types.h>

struct vdgpu_device;

/**
 * struct vdgpu_gart - the device's GART: its table and aperture
 */
struct vdgpu_gart {
	/** @table: VRAM offset of the table; VRAM below @table_end is reserved */
	u64 table;
	/** @table_end: end of the table in VRAM, 4 KiB aligned */
	u64 table_end;
	/** @num_pages: pages of the GTT aperture, one table entry each */
	u64 num_pages;
};

int vdgpu_gart_init(struct vdgpu_device *vdev);
void vdgpu_gart_fini(struct vdgpu_device *vdev);
void vdgpu_gart_bind(struct vdgpu_device *vdev, u64 first, u64 count,
		     const dma_addr_t *addrs, bool writable);
void vdgpu_gart_unbind(struct vdgpu_device *vdev, u64 first, u64 count);
u64 vdgpu_gart_gpu_addr(u64 page);

#endif
