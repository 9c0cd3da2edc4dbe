/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_REGION_H_
#define _VDGPU_REGION_H_

#include <linux/types.h>

struct ttm_buffer_object;
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

/* What a range of a memory manager's map holds; see vdgpu_region_range. */
#define VDGPU_RANGE_USED	0
#define VDGPU_RANGE_FREE	1
#define VDGPU_RANGE_FREE_CLEAR	2
#define VDGPU_RANGE_FREE_DIRTY	3

/**
 * struct vdgpu_region_range - a range of a manager's space and its holder
 *
 * An entry of the maps vdgpu_vram_mgr_map() and vdgpu_gtt_mgr_map() take
 * for debugfs: a copy, made under the managers' locks, that stays valid
 * once they are dropped.
 */
struct vdgpu_region_range {
	/** @start: bytes from the start of the manager's range */
	u64 start;
	/** @size: bytes */
	u64 size;
	/**
	 * @bo_id: the &vdgpu_bo.id of the object holding a used range; 0 for
	 * a free range or one held by a TTM ghost object
	 */
	u64 bo_id;
	/** @client_id: the &vdgpu_bo.client_id of that object, or 0 */
	u64 client_id;
	/**
	 * @state: %VDGPU_RANGE_USED, or free: %VDGPU_RANGE_FREE_CLEAR or
	 * %VDGPU_RANGE_FREE_DIRTY where the manager knows whether the range
	 * holds zeroes (VRAM), %VDGPU_RANGE_FREE where it does not (GTT)
	 */
	u8 state;
	/**
	 * @kernel: a used range held by a kernel object, or by a TTM ghost
	 * object (the old memory of a pipelined move)
	 */
	bool kernel;
};

/**
 * typedef vdgpu_region_owner_fn - describe who holds a used range
 * @bo: the TTM object of the resource holding the range
 * @range: whose @bo_id, @client_id and @kernel to fill in
 *
 * Called by the map functions under TTM's LRU lock, which keeps @bo
 * allocated (&ttm_resource.bo changes under it, and a resource goes before
 * its object); must not sleep.
 */
typedef void (*vdgpu_region_owner_fn)(struct ttm_buffer_object *bo,
				      struct vdgpu_region_range *range);

void vdgpu_regions_init(struct vdgpu_device *vdev);
const struct vdgpu_region *vdgpu_region_get(struct vdgpu_device *vdev,
					    u32 id);
const struct vdgpu_region *vdgpu_region_of_mem_type(struct vdgpu_device *vdev,
						    u32 mem_type);
void vdgpu_region_usage(struct vdgpu_device *vdev,
			const struct vdgpu_region *region,
			struct vdgpu_region_usage *usage);

#endif
