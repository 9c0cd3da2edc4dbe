/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_GTT_MGR_H_
#define _VDGPU_GTT_MGR_H_

#include <linux/spinlock.h>
#include <linux/types.h>

#include <drm/drm_mm.h>
#include <drm/ttm/ttm_resource.h>

#include "vdgpu_region.h"

struct drm_device;
struct ttm_device;

/**
 * struct vdgpu_gtt_mgr - the TTM resource manager of the GTT aperture
 *
 * Hands out ranges of aperture pages; whoever places a buffer object in
 * GTT binds its pages there with vdgpu_gart_bind().  Set up with
 * vdgpu_gtt_mgr_init(), torn down with vdgpu_gtt_mgr_fini().
 */
struct vdgpu_gtt_mgr {
	/** @manager: the TTM manager; TTM reaches the rest through it */
	struct ttm_resource_manager manager;
	/**
	 * @lock: protects @mm.  A spinlock: only drm_mm bookkeeping runs
	 * under it, nothing allocates or sleeps.  Innermost.
	 */
	spinlock_t lock;
	/** @mm: the range allocator, in aperture pages */
	struct drm_mm mm;
	/** @drm: the DRM device, for its log and its WARNs */
	struct drm_device *drm;
};

int vdgpu_gtt_mgr_init(struct vdgpu_gtt_mgr *mgr, struct drm_device *drm,
		       struct ttm_device *bdev, u64 num_pages);
int vdgpu_gtt_mgr_fini(struct vdgpu_gtt_mgr *mgr, struct ttm_device *bdev);
u64 vdgpu_gtt_mgr_resource_page(const struct ttm_resource *res);
int vdgpu_gtt_mgr_map(struct vdgpu_gtt_mgr *mgr, vdgpu_region_owner_fn owner,
		      struct vdgpu_region_range **ranges, size_t *count);

#endif
