// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/error-injection.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include <drm/drm_device.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>

#include "vdgpu_gtt_mgr.h"
#include "vdgpu_inject.h"

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
 * held across alloc or free; the debugfs map, vdgpu_gtt_mgr_map(), takes it
 * inside the LRU lock) and nothing is taken inside it, so it is innermost;
 * nothing under it allocates, so it is safe in reclaim.
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

	ret = vdgpu_inject_fail_bo(bo, VDGPU_INJECT_ALLOC);
	if (ret)
		return ret;
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
ALLOW_ERROR_INJECTION(vdgpu_gtt_mgr_alloc, ERRNO);

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

/*
 * Appends a range of aperture pages to @ranges in bytes, as far as @max
 * allows; returns @n plus one.
 */
static size_t vdgpu_gtt_mgr_map_add(struct vdgpu_region_range *ranges,
				    size_t max, size_t n,
				    const struct vdgpu_region_range *range)
{
	if (n < max) {
		ranges[n] = *range;
		ranges[n].start <<= PAGE_SHIFT;
		ranges[n].size <<= PAGE_SHIFT;
	}
	return n + 1;
}

/*
 * Fills @ranges as far as @max allows; returns how many entries there are.
 * A node in the drm_mm is the range of a live resource, whose object TTM's
 * LRU lock keeps (see vdgpu_region_owner_fn).
 */
static size_t vdgpu_gtt_mgr_map_walk(struct vdgpu_gtt_mgr *mgr,
				     vdgpu_region_owner_fn owner,
				     struct vdgpu_region_range *ranges,
				     size_t max)
{
	struct ttm_resource_manager *man = &mgr->manager;
	struct vdgpu_region_range range;
	struct drm_mm_node *node;
	u64 end = 0;
	size_t n = 0;

	spin_lock(&man->bdev->lru_lock);
	spin_lock(&mgr->lock);
	drm_mm_for_each_node(node, &mgr->mm) {
		if (node->start > end) {
			range = (struct vdgpu_region_range){
				.start = end,
				.size = node->start - end,
				.state = VDGPU_RANGE_FREE,
			};
			n = vdgpu_gtt_mgr_map_add(ranges, max, n, &range);
		}
		range = (struct vdgpu_region_range){
			.start = node->start,
			.size = node->size,
			.state = VDGPU_RANGE_USED,
		};
		if (n < max)
			owner(container_of(node, struct vdgpu_gtt_node,
					   node)->base.bo, &range);
		n = vdgpu_gtt_mgr_map_add(ranges, max, n, &range);
		end = node->start + node->size;
	}
	spin_unlock(&mgr->lock);
	spin_unlock(&man->bdev->lru_lock);

	if (end < man->size) {
		range = (struct vdgpu_region_range){
			.start = end,
			.size = man->size - end,
			.state = VDGPU_RANGE_FREE,
		};
		n = vdgpu_gtt_mgr_map_add(ranges, max, n, &range);
	}
	return n;
}

/**
 * vdgpu_gtt_mgr_map() - every range of the aperture and what holds it
 * @mgr: the manager
 * @owner: fills in the holder of each allocated range from the TTM object
 *	of its resource
 * @ranges: set to the map, in bytes and sorted by offset, to be freed with
 *	kvfree()
 * @count: set to the number of entries
 *
 * One entry per allocated range and one per hole between them: together
 * they tile the aperture.  The map is copied into memory allocated
 * beforehand, under TTM's LRU lock and the manager's lock inside it; should
 * the aperture have more ranges by then than allowed for, it is taken
 * again, up to a few times.
 *
 * Context: Process context, may sleep; takes TTM's LRU lock and the
 * manager's lock.  For debugfs.
 * Return: 0; -ENOMEM; -EAGAIN if the aperture kept fragmenting faster than
 * the map could follow.
 */
int vdgpu_gtt_mgr_map(struct vdgpu_gtt_mgr *mgr, vdgpu_region_owner_fn owner,
		      struct vdgpu_region_range **ranges, size_t *count)
{
	struct vdgpu_region_range *map = NULL;
	unsigned int tries;
	size_t max = 0, n;

	for (tries = 0; tries < 4; tries++) {
		n = vdgpu_gtt_mgr_map_walk(mgr, owner, map, max);
		if (map && n <= max) {
			*ranges = map;
			*count = n;
			return 0;
		}
		kvfree(map);
		max = n + n / 4 + 16;
		map = kvmalloc_array(max, sizeof(*map), GFP_KERNEL);
		if (!map)
			return -ENOMEM;
	}
	kvfree(map);
	return -EAGAIN;
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
