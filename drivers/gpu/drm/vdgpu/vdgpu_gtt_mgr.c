// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>

#include "vdgpu_gtt_mgr.h"

/**
 * DOC: GTT manager
 *
 * TTM_PL_TT memory is system pages the device reaches through the GART.
 * The GTT manager owns the address space for that, the GTT aperture, and
 * gives every GTT resource one range of aperture pages, found with drm_mm
 * (bottom-up, or top-down for %TTM_PL_FLAG_TOPDOWN) within the placement's
 * fpfn/lpfn.  &ttm_resource.start is the first aperture page; the range is
 * the resource's until it is freed, so binding its pages into the GART
 * needs no lock.  When the aperture has no room, allocation fails with
 * -ENOSPC and TTM evicts other GTT objects to system memory.
 *
 * The manager allocates no pages and writes no GART entries: TTM populates
 * the object's &ttm_tt and the driver's move binds it (vdgpu_gart_bind()) at
 * vdgpu_gtt_mgr_resource_page().
 *
 * Locking: @lock, a spinlock, covers the drm_mm only.  It is taken inside
 * whatever the caller holds (the object's dma_resv, TTM's LRU lock is never
 * held across alloc or free) and nothing is taken inside it, so it is
 * innermost; nothing under it allocates, so it is safe in reclaim.
 */

struct vdgpu_gtt_node {
	struct ttm_resource base;
	struct drm_mm_node node;
};

static struct vdgpu_gtt_mgr *to_gtt_mgr(struct ttm_resource_manager *man)
{
	return container_of(man, struct vdgpu_gtt_mgr, manager);
}

static struct vdgpu_gtt_node *to_gtt_node(const struct ttm_resource *res)
{
	return container_of(res, struct vdgpu_gtt_node, base);
}

static int vdgpu_gtt_mgr_alloc(struct ttm_resource_manager *man,
			       struct ttm_buffer_object *bo,
			       const struct ttm_place *place,
			       struct ttm_resource **res)
{
	struct vdgpu_gtt_mgr *mgr = to_gtt_mgr(man);
	u64 lpfn = place->lpfn ?: man->size;
	enum drm_mm_insert_mode mode;
	struct vdgpu_gtt_node *n;
	u64 pages;
	int ret;

	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;

	ttm_resource_init(bo, place, &n->base);
	pages = PFN_UP(n->base.size);
	mode = place->flags & TTM_PL_FLAG_TOPDOWN ? DRM_MM_INSERT_HIGH :
						    DRM_MM_INSERT_BEST;

	spin_lock(&mgr->lock);
	ret = drm_mm_insert_node_in_range(&mgr->mm, &n->node, pages,
					  bo->page_alignment, 0, place->fpfn,
					  min(lpfn, man->size), mode);
	spin_unlock(&mgr->lock);
	if (ret) {
		/* TTM treats anything but -ENOSPC as fatal to the placement. */
		ret = -ENOSPC;
		goto err_fini;
	}

	n->base.start = n->node.start;
	*res = &n->base;
	return 0;

err_fini:
	ttm_resource_fini(man, &n->base);
	kfree(n);
	return ret;
}

static void vdgpu_gtt_mgr_free(struct ttm_resource_manager *man,
			       struct ttm_resource *res)
{
	struct vdgpu_gtt_mgr *mgr = to_gtt_mgr(man);
	struct vdgpu_gtt_node *n = to_gtt_node(res);

	spin_lock(&mgr->lock);
	drm_mm_remove_node(&n->node);
	spin_unlock(&mgr->lock);

	ttm_resource_fini(man, res);
	kfree(n);
}

static bool vdgpu_gtt_mgr_intersects(struct ttm_resource_manager *man,
				     struct ttm_resource *res,
				     const struct ttm_place *place, size_t size)
{
	const struct vdgpu_gtt_node *n = to_gtt_node(res);
	u64 lpfn = place->lpfn ?: man->size;

	return n->node.start < lpfn &&
	       n->node.start + n->node.size > place->fpfn;
}

static bool vdgpu_gtt_mgr_compatible(struct ttm_resource_manager *man,
				     struct ttm_resource *res,
				     const struct ttm_place *place, size_t size)
{
	const struct vdgpu_gtt_node *n = to_gtt_node(res);
	u64 lpfn = place->lpfn ?: man->size;

	return n->node.start >= place->fpfn &&
	       n->node.start + n->node.size <= lpfn;
}

static void vdgpu_gtt_mgr_debug(struct ttm_resource_manager *man,
				struct drm_printer *printer)
{
	struct vdgpu_gtt_mgr *mgr = to_gtt_mgr(man);

	drm_printf(printer, "gtt: %llu of %llu pages used\n",
		   ttm_resource_manager_usage(man) >> PAGE_SHIFT, man->size);
	spin_lock(&mgr->lock);
	drm_mm_print(&mgr->mm, printer);
	spin_unlock(&mgr->lock);
}

static const struct ttm_resource_manager_func vdgpu_gtt_mgr_func = {
	.alloc = vdgpu_gtt_mgr_alloc,
	.free = vdgpu_gtt_mgr_free,
	.intersects = vdgpu_gtt_mgr_intersects,
	.compatible = vdgpu_gtt_mgr_compatible,
	.debug = vdgpu_gtt_mgr_debug,
};

/**
 * vdgpu_gtt_mgr_init() - set up the GTT manager and register it with TTM
 * @mgr: the manager, zeroed
 * @drm: the DRM device
 * @bdev: the TTM device; the manager serves its %TTM_PL_TT
 * @num_pages: size of the GTT aperture in 4 KiB pages
 *
 * Context: Process context.
 * Return: 0, or -EINVAL for an empty aperture or one whose pages are not
 * CPU pages.
 */
int vdgpu_gtt_mgr_init(struct vdgpu_gtt_mgr *mgr, struct drm_device *drm,
		       struct ttm_device *bdev, u64 num_pages)
{
	struct ttm_resource_manager *man = &mgr->manager;

	/* TTM sizes resources in CPU pages; the GART maps 4 KiB ones. */
	if (!num_pages || PAGE_SIZE != SZ_4K)
		return -EINVAL;

	mgr->drm = drm;
	spin_lock_init(&mgr->lock);
	drm_mm_init(&mgr->mm, 0, num_pages);

	man->func = &vdgpu_gtt_mgr_func;
	man->use_tt = true;
	ttm_resource_manager_init(man, bdev, num_pages);
	ttm_set_driver_manager(bdev, TTM_PL_TT, man);
	ttm_resource_manager_set_used(man, true);
	return 0;
}

/**
 * vdgpu_gtt_mgr_fini() - evict everything and tear the manager down
 * @mgr: the manager
 * @bdev: its TTM device
 *
 * Context: Process context, may sleep waiting for evictions.
 * Return: 0, the error of a failed eviction, or -EBUSY (with a WARN: a
 * driver bug) if resources are still allocated afterwards.
 */
int vdgpu_gtt_mgr_fini(struct vdgpu_gtt_mgr *mgr, struct ttm_device *bdev)
{
	struct ttm_resource_manager *man = &mgr->manager;
	bool clean;
	int err;

	err = ttm_resource_manager_evict_all(bdev, man);
	if (err) {
		drm_err(mgr->drm, "gtt manager: evicting all failed: %d\n", err);
		return err;
	}

	spin_lock(&mgr->lock);
	clean = drm_mm_clean(&mgr->mm);
	spin_unlock(&mgr->lock);
	if (drm_WARN(mgr->drm, !clean, "gtt manager: ranges still in use\n"))
		return -EBUSY;

	/* Only now: TTM insists the LRU is empty when a manager stops. */
	ttm_resource_manager_set_used(man, false);
	drm_mm_takedown(&mgr->mm);
	ttm_resource_manager_cleanup(man);
	ttm_set_driver_manager(bdev, TTM_PL_TT, NULL);
	return 0;
}

/**
 * vdgpu_gtt_mgr_resource_page() - where a GTT resource sits in the aperture
 * @res: a resource of the GTT manager
 *
 * Context: Any context; the caller holds a reference to @res.
 * Return: its first aperture page.
 */
u64 vdgpu_gtt_mgr_resource_page(const struct ttm_resource *res)
{
	return to_gtt_node(res)->node.start;
}
