/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_REGION_H_
#define _VDGPU_REGION_H_

#include <linux/types.h>

struct vdgpu_device;

/* One per uAPI region id: SYSTEM, GTT, VRAM0. */
#define VDGPU_NUM_REGIONS	3

/**
 * struct vdgpu_region - a memory region, as the driver and the uAPI see it
 *
 * Describes where buffer objects can live.  Set up once by
 * vdgpu_regions_init() and immutable after; what changes (usage) is read
 * from the region's TTM manager by vdgpu_region_usage().
 */
struct vdgpu_region {
	/** @name: for logs and debugfs */
	const char *name;
	/** @id: the uAPI region id, the index in &vdgpu_device.regions */
	u32 id;
	/** @mem_class: the uAPI class, %DRM_VDGPU_MEM_CLASS_* */
	u16 mem_class;
	/** @instance: which region of its class */
	u16 instance;
	/** @mem_type: the TTM placement backing the region */
	u32 mem_type;
	/** @total: bytes objects can use */
	u64 total;
	/** @cpu_visible: bytes of @total the CPU can reach */
	u64 cpu_visible;
	/** @min_page_size: smallest unit of allocation */
	u64 min_page_size;
};

/**
 * struct vdgpu_region_usage - a snapshot of a region's usage
 */
struct vdgpu_region_usage {
	/** @used: bytes allocated */
	u64 used;
	/** @cpu_visible_used: bytes allocated in the CPU-visible part */
	u64 cpu_visible_used;
};

void vdgpu_regions_init(struct vdgpu_device *vdev);
const struct vdgpu_region *vdgpu_region_get(struct vdgpu_device *vdev,
					    u32 id);
const struct vdgpu_region *vdgpu_region_of_mem_type(struct vdgpu_device *vdev,
						    u32 mem_type);
void vdgpu_region_usage(struct vdgpu_device *vdev,
			const struct vdgpu_region *region,
			struct vdgpu_region_usage *usage);

#endif
