/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_VRAM_MGR_H_
#define _VDGPU_VRAM_MGR_H_

#include <linux/gpu_buddy.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <drm/ttm/ttm_resource.h>

#include "vdgpu_region.h"

struct drm_device;
struct ttm_device;
struct ttm_place;

/**
 * struct vdgpu_vram_mgr - the TTM resource manager of one device's VRAM
 *
 * Embedded in the structure of whoever owns the VRAM (the device); set up
 * with vdgpu_vram_mgr_init() and torn down with vdgpu_vram_mgr_fini().
 */
struct vdgpu_vram_mgr {
	/** @manager: the TTM manager; TTM reaches the rest through it */
	struct ttm_resource_manager manager;
	/**
	 * @lock: the buddy lock; protects @mm and @visible_used.  See
	 * "VRAM manager locking" for how it nests.
	 */
	struct mutex lock;
	/**
	 * @mm: the allocator over [0, @manager.size); offsets are bytes from
	 * the start of VRAM
	 */
	struct gpu_buddy mm;
	/** @drm: the DRM device, for its log and its WARNs */
	struct drm_device *drm;
	/**
	 * @visible_size: bytes at the start of VRAM the CPU can reach
	 * through the BAR window; immutable
	 */
	u64 visible_size;
	/** @visible_used: bytes of [0, @visible_size) allocated, under @lock */
	u64 visible_used;
	/**
	 * @min_page_size: smallest block and default alignment; a power of
	 * two of at least 4 KiB, immutable
	 */
	u64 min_page_size;
	/** @mem_type: the TTM placement this manager serves */
	u32 mem_type;
};

/**
 * struct vdgpu_vram_mgr_resource - a VRAM allocation
 *
 * Its blocks are owned by the resource from allocation to free: their
 * offsets, sizes and clear bits do not change in between, so reading them
 * needs only a reference to the resource, not the buddy lock.
 */
struct vdgpu_vram_mgr_resource {
	/**
	 * @base: the TTM resource; @base.start is the first page of the
	 * allocation when @base.placement has %TTM_PL_FLAG_CONTIGUOUS and
	 * meaningless otherwise
	 */
	struct ttm_resource base;
	/**
	 * @blocks: the &struct gpu_buddy_block making up the allocation,
	 * linked through their @link, in no particular order
	 */
	struct list_head blocks;
	/** @size: bytes of VRAM the blocks cover, at least @base.size */
	u64 size;
	/** @visible_size: bytes of @blocks below the visible limit */
	u64 visible_size;
	/**
	 * @cleared: set by vdgpu_vram_mgr_resource_set_cleared(): the blocks
	 * hold zeroes and go back to the allocator marked as such
	 */
	bool cleared;
};

/**
 * to_vdgpu_vram_mgr() - the VRAM manager embedding a TTM manager
 * @man: a manager set up by vdgpu_vram_mgr_init()
 *
 * Return: the containing &struct vdgpu_vram_mgr.
 */
static inline struct vdgpu_vram_mgr *
to_vdgpu_vram_mgr(struct ttm_resource_manager *man)
{
	return container_of(man, struct vdgpu_vram_mgr, manager);
}

/**
 * to_vdgpu_vram_mgr_resource() - the VRAM allocation embedding a resource
 * @res: a resource allocated by a &struct vdgpu_vram_mgr
 *
 * Return: the containing &struct vdgpu_vram_mgr_resource.
 */
static inline struct vdgpu_vram_mgr_resource *
to_vdgpu_vram_mgr_resource(struct ttm_resource *res)
{
	return container_of(res, struct vdgpu_vram_mgr_resource, base);
}

int vdgpu_vram_mgr_init(struct vdgpu_vram_mgr *mgr, struct drm_device *drm,
			struct ttm_device *bdev, u32 mem_type, u64 size,
			u64 visible_size, u64 min_page_size);
int vdgpu_vram_mgr_fini(struct vdgpu_vram_mgr *mgr, struct ttm_device *bdev);

u32 vdgpu_vram_mgr_visible_lpfn(const struct vdgpu_vram_mgr *mgr);
u64 vdgpu_vram_mgr_used(struct vdgpu_vram_mgr *mgr);
void vdgpu_vram_mgr_mark_dirty(struct vdgpu_vram_mgr *mgr);
int vdgpu_vram_mgr_map(struct vdgpu_vram_mgr *mgr, vdgpu_region_owner_fn owner,
		       struct vdgpu_region_range **ranges, size_t *count);
u64 vdgpu_vram_mgr_visible_used(struct vdgpu_vram_mgr *mgr);

bool vdgpu_vram_mgr_resource_is_cleared(struct ttm_resource *res);
void vdgpu_vram_mgr_resource_set_cleared(struct ttm_resource *res);
bool vdgpu_vram_mgr_resource_is_visible(struct ttm_resource *res);
u64 vdgpu_vram_mgr_resource_offset(struct vdgpu_vram_mgr *mgr,
				   struct ttm_resource *res, u64 offset);

#endif
