// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/array_size.h>
#include <linux/mm.h>

#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/ttm/ttm_tt.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_device.h"
#include "vdgpu_region.h"
#include "vdgpu_vram_mgr.h"

/**
 * DOC: Memory regions
 *
 * A &struct vdgpu_region is what the uAPI calls a memory region: a place
 * buffer objects can live in, with a class, an instance, a size, the part
 * of it the CPU can reach and the smallest unit of allocation, the shape of
 * i915's intel_memory_region.  Each is backed by one TTM placement:
 *
 * ======== ======================= ========================================
 * id       TTM placement           total
 * ======== ======================= ========================================
 * SYSTEM   %TTM_PL_SYSTEM          TTM's limit on pages (half of RAM by
 *                                  default, ttm.pages_limit)
 * GTT      %TTM_PL_TT              the GART aperture
 * VRAM0    %TTM_PL_VRAM            VRAM above the GART table; visible up to
 *                                  the end of the BAR window
 * ======== ======================= ========================================
 *
 * The regions are fixed when the device is set up; usage comes from the
 * managers when asked (vdgpu_region_usage()): VRAM counts allocated blocks,
 * the others the sizes of the resources placed there.
 */

/**
 * vdgpu_regions_init() - describe the device's memory regions
 * @vdev: the device, whose VRAM and GTT managers are set up
 *
 * Context: Process context; probe.
 */
void vdgpu_regions_init(struct vdgpu_device *vdev)
{
	struct vdgpu_vram_mgr *vram = &vdev->vram_mgr;
	u64 sys = (u64)ttm_tt_pages_limit() << PAGE_SHIFT;
	u64 gtt = vdev->gart.num_pages << PAGE_SHIFT;

	vdev->regions[DRM_VDGPU_REGION_SYSTEM] = (struct vdgpu_region){
		.name = "system", .id = DRM_VDGPU_REGION_SYSTEM,
		.mem_class = DRM_VDGPU_MEM_CLASS_SYSTEM,
		.mem_type = TTM_PL_SYSTEM,
		.total = sys, .cpu_visible = sys, .min_page_size = PAGE_SIZE,
	};
	vdev->regions[DRM_VDGPU_REGION_GTT] = (struct vdgpu_region){
		.name = "gtt", .id = DRM_VDGPU_REGION_GTT,
		.mem_class = DRM_VDGPU_MEM_CLASS_GTT,
		.mem_type = TTM_PL_TT,
		.total = gtt, .cpu_visible = gtt, .min_page_size = PAGE_SIZE,
	};
	vdev->regions[DRM_VDGPU_REGION_VRAM0] = (struct vdgpu_region){
		.name = "vram0", .id = DRM_VDGPU_REGION_VRAM0,
		.mem_class = DRM_VDGPU_MEM_CLASS_VRAM,
		.mem_type = TTM_PL_VRAM,
		.total = vram->manager.size,
		.cpu_visible = vram->visible_size,
		.min_page_size = vram->min_page_size,
	};
}

/**
 * vdgpu_region_get() - a region by uAPI id
 * @vdev: the device
 * @id: a region id, perhaps from userspace
 *
 * Context: Any.
 * Return: the region, or NULL if @id names none.
 */
const struct vdgpu_region *vdgpu_region_get(struct vdgpu_device *vdev, u32 id)
{
	if (id >= ARRAY_SIZE(vdev->regions))
		return NULL;
	return &vdev->regions[id];
}

/**
 * vdgpu_region_of_mem_type() - the region a TTM placement backs
 * @vdev: the device
 * @mem_type: %TTM_PL_SYSTEM, %TTM_PL_TT or %TTM_PL_VRAM
 *
 * Context: Any.
 * Return: the region, or NULL for another placement.
 */
const struct vdgpu_region *vdgpu_region_of_mem_type(struct vdgpu_device *vdev,
						    u32 mem_type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vdev->regions); i++)
		if (vdev->regions[i].mem_type == mem_type)
			return &vdev->regions[i];
	return NULL;
}

/**
 * vdgpu_region_usage() - how much of a region is in use
 * @vdev: the device
 * @region: one of its regions
 * @usage: filled with a snapshot
 *
 * Context: Process context; takes the manager's lock.
 */
void vdgpu_region_usage(struct vdgpu_device *vdev,
			const struct vdgpu_region *region,
			struct vdgpu_region_usage *usage)
{
	struct ttm_resource_manager *man;

	if (region->mem_type == TTM_PL_VRAM) {
		usage->used = vdgpu_vram_mgr_used(&vdev->vram_mgr);
		usage->cpu_visible_used =
			vdgpu_vram_mgr_visible_used(&vdev->vram_mgr);
		return;
	}
	man = ttm_manager_type(&vdev->ttm, region->mem_type);
	usage->used = ttm_resource_manager_usage(man);
	usage->cpu_visible_used = usage->used;
}
