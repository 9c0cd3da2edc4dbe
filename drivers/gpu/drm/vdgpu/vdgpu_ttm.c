// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/error-injection.h>
#include <linux/slab.h>
#include <linux/sizes.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_tt.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bo.h"
#include "vdgpu_device.h"
#include "vdgpu_gart.h"
#include "vdgpu_gtt_mgr.h"
#include "vdgpu_migrate.h"
#include "vdgpu_region.h"
#include "vdgpu_shrinker.h"
#include "vdgpu_trace.h"
#include "vdgpu_ttm.h"
#include "vdgpu_vm.h"
#include "vdgpu_vram_mgr.h"

/**
 * DOC: TTM device
 *
 * Each device has one &ttm_device with three placements:
 *
 * - %TTM_PL_VRAM, the VRAM manager (gpu_buddy) over the VRAM above the GART
 *   table, from the next 2 MiB boundary; device addresses are
 *   &vdgpu_device.vram_base plus the block offsets;
 * - %TTM_PL_TT, the GTT manager over the GTT aperture; the object's system
 *   pages are bound into the GART while it is placed there;
 * - %TTM_PL_SYSTEM, TTM's own: system pages the device cannot reach.
 *
 * Moves:
 *
 * ============================ ==============================================
 * SYSTEM -> GTT                bind the pages into the GART
 * GTT -> SYSTEM                wait for the object, unbind
 * new object -> VRAM           FILL with zeroes on a copy engine, unless the
 *                              blocks are known to be clear
 * VRAM <-> GTT, VRAM -> VRAM   COPY on a copy engine (see Migration)
 * VRAM <-> SYSTEM              -EMULTIHOP through a temporary GTT placement
 * ============================ ==============================================
 *
 * Copies and clears are pipelined: the move queues the copy behind the
 * object's fences (see Migration) and returns with the copy's fence;
 * ttm_bo_move_accel_cleanup() frees the old resource when it signals.  Only
 * GTT -> SYSTEM waits on the CPU: the pages must be idle before they leave
 * the GART.
 *
 * Eviction goes VRAM -> GTT, falling back to SYSTEM, and GTT -> SYSTEM.  An
 * idle object marked DONTNEED is purged instead (vdgpu_bo_purge_on_evict()).
 *
 * Every move that succeeds goes into the object's move history
 * (vdgpu_bo_record_move()), as a creation when the object had no memory,
 * an eviction when TTM says so, else a validation or a fault.  TTM's
 * swap-out tells the driver through swap_notify before it copies an
 * object's pages to shmem, and populating swapped-out pages is their
 * swap-in: both go into the history too.
 *
 * The TTM device lives as long as the &drm_device, not just the hardware:
 * objects outlive an unplug in open files and mmaps.  Once the device is
 * unplugged, moves touch no hardware: the data of a VRAM object is lost
 * with the device, so the object just takes its new placement, and GART
 * bindings are dropped without writing the table.  Pages of user objects,
 * and of every object vdgpu_bo_create() made, are always allocated zeroed,
 * so that nothing an object did not write shows through, even when a copy
 * into them failed or never ran.
 *
 * TTM 6.12's ttm_bo_validate() reports "no room in any placement, even
 * after eviction" as -ENOMEM, like a failed kernel allocation, while the
 * uAPI promises -ENOSPC.  Placements of buffer objects therefore end with
 * a sentinel, %VDGPU_PL_NO_SPACE, whose manager fails every allocation
 * with an errno TTM passes through unchanged: flagged as a fallback, it is
 * tried only in TTM's second, evicting pass, after every real place has
 * failed, and vdgpu_ttm_errno() turns its errno into -ENOSPC.
 *
 * CPU access to VRAM goes through the BAR window, page by page
 * (io_mem_pfn), since a VRAM resource is made of blocks scattered over
 * VRAM; only resources wholly inside the window can be mapped.
 *
 * The GART binding lives with the &ttm_tt (&struct vdgpu_tt): it is made when
 * the object enters GTT and undone when it leaves, and at the latest when the
 * pages are freed, so the GART never points at pages the object no longer
 * owns.
 */

/**
 * struct vdgpu_tt - an object's system pages and where they are bound
 */
struct vdgpu_tt {
	/** @base: TTM's page array, with bus addresses */
	struct ttm_tt base;
	/** @vdev: the device whose GART the pages may be bound into */
	struct vdgpu_device *vdev;
	/** @gart_page: first aperture page of the binding, if @bound */
	u64 gart_page;
	/** @bound: the pages are bound into the GART; under the object's resv */
	bool bound;
	/** @user: the pages of a user object, counted for the shrinker */
	bool user;
	/**
	 * @bo: the object the pages were made for, NULL for TTM's own
	 * objects; to record swap-ins in its move history.  Dereferenced only
	 * when populating, which TTM does for the pages' owner alone, under
	 * its resv: pages TTM hands over to a ghost object are never
	 * populated again, so the object may be gone by then.
	 */
	struct vdgpu_bo *bo;
};

static struct vdgpu_device *to_vdgpu(struct ttm_device *bdev)
{
	return container_of(bdev, struct vdgpu_device, ttm);
}

static struct vdgpu_tt *to_vdgpu_tt(struct ttm_tt *tt)
{
	return container_of(tt, struct vdgpu_tt, base);
}

static struct ttm_tt *vdgpu_ttm_tt_create(struct ttm_buffer_object *bo,
					  u32 page_flags)
{
	enum ttm_caching caching = ttm_cached;
	struct vdgpu_tt *tt;

	tt = kzalloc(sizeof(*tt), GFP_KERNEL);
	if (!tt)
		return NULL;
	tt->vdev = to_vdgpu(bo->bdev);
	if (vdgpu_bo_is_vdgpu(bo))
		tt->bo = to_vdgpu_bo(bo);
	if (tt->bo && tt->bo->flags & DRM_VDGPU_GEM_CREATE_SYSTEM_WC)
		caching = ttm_write_combined;
	/*
	 * Users see these pages: never with another's leftovers.  Kernel
	 * objects of ours start as zeroes too, as they do in VRAM.
	 */
	if (bo->type == ttm_bo_type_device || vdgpu_bo_is_vdgpu(bo))
		page_flags |= TTM_TT_FLAG_ZERO_ALLOC;
	if (bo->type == ttm_bo_type_device)
		tt->user = true;
	/* With a bus address per page, for the GART. */
	if (ttm_sg_tt_init(&tt->base, bo, page_flags, caching)) {
		kfree(tt);
		return NULL;
	}
	return &tt->base;
}

/* Once the device is gone, so is its GART: nothing to undo. */
static void vdgpu_ttm_tt_unbind(struct vdgpu_tt *tt)
{
	int idx;

	if (!tt->bound)
		return;
	if (drm_dev_enter(&tt->vdev->drm, &idx)) {
		vdgpu_gart_unbind(tt->vdev, tt->gart_page, tt->base.num_pages);
		drm_dev_exit(idx);
	}
	tt->bound = false;
}

/* Called within the hardware lifetime, from the move. */
static void vdgpu_ttm_tt_bind(struct vdgpu_tt *tt, struct ttm_resource *res)
{
	/* A move within GTT leaves the old range: its entries must go. */
	vdgpu_ttm_tt_unbind(tt);
	tt->gart_page = vdgpu_gtt_mgr_resource_page(res);
	vdgpu_gart_bind(tt->vdev, tt->gart_page, tt->base.num_pages,
			tt->base.dma_address, true);
	tt->bound = true;
}

static int vdgpu_ttm_tt_populate(struct ttm_device *bdev, struct ttm_tt *tt,
				 struct ttm_operation_ctx *ctx)
{
	struct vdgpu_shrinker *s = &to_vdgpu(bdev)->shrinker;
	int ret;

	/* Imported: the exporter's pages, already mapped for us. */
	if (tt->page_flags & TTM_TT_FLAG_EXTERNAL)
		return drm_prime_sg_to_dma_addr_array(tt->sg, tt->dma_address,
						      tt->num_pages);

	if (to_vdgpu_tt(tt)->bo) {
		ret = vdgpu_inject_fail(to_vdgpu(bdev), VDGPU_INJECT_POPULATE);
		if (ret)
			return ret;
	}
	ret = ttm_pool_alloc(&bdev->pool, tt, ctx);
	if (ret)
		return ret;
	/* TTM copies the contents back from shmem next. */
	if ((tt->page_flags & TTM_TT_FLAG_SWAPPED) && to_vdgpu_tt(tt)->bo)
		vdgpu_bo_record_move(to_vdgpu_tt(tt)->bo, VDGPU_BO_NOWHERE,
				     TTM_PL_SYSTEM, VDGPU_BO_MOVE_SWAP_IN,
				     (u64)tt->num_pages << PAGE_SHIFT);
	if (!to_vdgpu_tt(tt)->user)
		return 0;
	atomic_long_add(tt->num_pages, &s->pages);
	if (tt->page_flags & TTM_TT_FLAG_SWAPPED) {
		atomic64_add(tt->num_pages, &s->swapped_in);
		trace_vdgpu_swap(tt->num_pages, false);
	}
	return 0;
}
ALLOW_ERROR_INJECTION(vdgpu_ttm_tt_populate, ERRNO);

static void vdgpu_ttm_tt_unpopulate(struct ttm_device *bdev, struct ttm_tt *tt)
{
	vdgpu_ttm_tt_unbind(to_vdgpu_tt(tt));
	if (tt->page_flags & TTM_TT_FLAG_EXTERNAL)
		return;
	ttm_pool_free(&bdev->pool, tt);
	if (to_vdgpu_tt(tt)->user)
		atomic_long_sub(tt->num_pages, &to_vdgpu(bdev)->shrinker.pages);
}

static void vdgpu_ttm_tt_destroy(struct ttm_device *bdev, struct ttm_tt *tt)
{
	vdgpu_ttm_tt_unbind(to_vdgpu_tt(tt));
	ttm_tt_fini(tt);
	kfree(to_vdgpu_tt(tt));
}

/*
 * TTM's swap-out is about to copy the pages of an object in SYSTEM to
 * shmem; it moved the object there first, through the move hook.
 */
static void vdgpu_ttm_swap_notify(struct ttm_buffer_object *bo)
{
	if (!vdgpu_bo_is_vdgpu(bo) || !bo->resource || !bo->ttm)
		return;
	vdgpu_bo_record_move(to_vdgpu_bo(bo), bo->resource->mem_type,
			     VDGPU_BO_NOWHERE, VDGPU_BO_MOVE_SWAP_OUT,
			     (u64)bo->ttm->num_pages << PAGE_SHIFT);
}

static const struct ttm_place vdgpu_evict_to_gtt[] = {
	{ .mem_type = TTM_PL_TT, .flags = TTM_PL_FLAG_DESIRED },
	{ .mem_type = TTM_PL_SYSTEM, .flags = TTM_PL_FLAG_FALLBACK },
};

static const struct ttm_place vdgpu_evict_to_system = {
	.mem_type = TTM_PL_SYSTEM,
};

static void vdgpu_ttm_evict_flags(struct ttm_buffer_object *bo,
				  struct ttm_placement *placement)
{
	struct vdgpu_ttm_stats *stats = &to_vdgpu(bo->bdev)->ttm_stats;
	u32 from = bo->resource ? bo->resource->mem_type : U8_MAX;

	atomic64_inc(&stats->evictions);
	/* No placement: TTM frees the object's memory. */
	if (vdgpu_bo_is_vdgpu(bo) && vdgpu_bo_purge_on_evict(to_vdgpu_bo(bo))) {
		/* Purging moves nothing through the move hook: say it here. */
		vdgpu_vm_bo_move_notify(to_vdgpu_bo(bo));
		atomic64_inc(&stats->purges);
		trace_vdgpu_evict(bo, from, bo->base.size, true);
		placement->num_placement = 0;
		return;
	}
	trace_vdgpu_evict(bo, from, bo->base.size, false);
	if (bo->resource && bo->resource->mem_type == TTM_PL_VRAM) {
		placement->placement = vdgpu_evict_to_gtt;
		placement->num_placement = ARRAY_SIZE(vdgpu_evict_to_gtt);
	} else {
		placement->placement = &vdgpu_evict_to_system;
		placement->num_placement = 1;
	}
}

/*
 * A copy or clear on the engine.  A move's old resource goes when the copy
 * is done; a new object, which has none, just carries the clear's fence.
 */
/* How a move went, for its tracepoint; data moves first. */
enum vdgpu_ttm_how {
	VDGPU_TTM_COPY,
	VDGPU_TTM_CLEAR,
	VDGPU_TTM_MEMCPY,
	VDGPU_TTM_KNOWN_CLEAR,
	VDGPU_TTM_BIND,
	VDGPU_TTM_UNBIND,
	VDGPU_TTM_NULL,
	VDGPU_TTM_UNPLUGGED,
};

static const char *const vdgpu_ttm_how_names[] = {
	[VDGPU_TTM_COPY] = "copy",
	[VDGPU_TTM_CLEAR] = "clear",
	[VDGPU_TTM_MEMCPY] = "memcpy",
	[VDGPU_TTM_KNOWN_CLEAR] = "known-clear",
	[VDGPU_TTM_BIND] = "bind",
	[VDGPU_TTM_UNBIND] = "unbind",
	[VDGPU_TTM_NULL] = "null",
	[VDGPU_TTM_UNPLUGGED] = "unplugged",
};

static void vdgpu_ttm_count_move(struct vdgpu_device *vdev,
				 struct ttm_resource *old,
				 struct ttm_resource *new_mem)
{
	struct vdgpu_ttm_stats *stats = &vdev->ttm_stats;
	atomic64_t *counter;

	if (!old)
		counter = &stats->vram_cleared;
	else if (old->mem_type == TTM_PL_VRAM)
		counter = new_mem->mem_type == TTM_PL_VRAM ?
			  &stats->vram_to_vram : &stats->vram_to_gtt;
	else
		counter = &stats->gtt_to_vram;
	atomic64_add(new_mem->size, counter);
}

static int vdgpu_ttm_move_accel(struct ttm_buffer_object *bo, bool evict,
				struct ttm_operation_ctx *ctx,
				struct ttm_resource *new_mem,
				enum vdgpu_ttm_how *how)
{
	struct vdgpu_device *vdev = to_vdgpu(bo->bdev);
	struct dma_fence *fence;
	int ret;

	/* Where a move allocates its jobs or its fence slot. */
	ret = vdgpu_inject_fail(vdev, evict ? VDGPU_INJECT_EVICT :
					      VDGPU_INJECT_MOVE);
	if (ret)
		return ret;

	/*
	 * The last resort, and a benchmark's baseline: a synchronous copy by
	 * the CPU.
	 */
	if (vdgpu_migrate_wedged(vdev) || READ_ONCE(vdev->force_memcpy_moves)) {
		ret = ttm_bo_wait_ctx(bo, ctx);
		if (ret)
			return ret;
		ret = vdgpu_migrate_cpu(vdev, bo->ttm, bo->resource, new_mem);
		if (ret)
			return ret;
		atomic64_inc(&vdev->ttm_stats.memcpy_fallbacks);
		vdgpu_ttm_count_move(vdev, bo->resource, new_mem);
		ttm_bo_move_null(bo, new_mem);
		*how = VDGPU_TTM_MEMCPY;
		return 0;
	}

	/* Before the copy is queued: nothing may fail after it. */
	ret = dma_resv_reserve_fences(bo->base.resv, 1);
	if (ret)
		return ret;

	/* The copy waits for the object's fences, not the CPU. */
	if (bo->resource)
		fence = vdgpu_migrate_copy(vdev, bo->base.resv, bo->resource,
					   new_mem);
	else
		fence = vdgpu_migrate_clear(vdev, bo->base.resv, new_mem);
	if (IS_ERR(fence))
		return PTR_ERR(fence);
	vdgpu_ttm_count_move(vdev, bo->resource, new_mem);
	*how = bo->resource ? VDGPU_TTM_COPY : VDGPU_TTM_CLEAR;

	if (bo->resource) {
		ret = ttm_bo_move_accel_cleanup(bo, fence, evict, true, new_mem);
	} else {
		dma_resv_add_fence(bo->base.resv, fence, DMA_RESV_USAGE_KERNEL);
		ttm_bo_move_null(bo, new_mem);
	}
	dma_fence_put(fence);
	return ret;
}

static int __vdgpu_ttm_move(struct ttm_buffer_object *bo, bool evict,
			    struct ttm_operation_ctx *ctx,
			    struct ttm_resource *new_mem, struct ttm_place *hop,
			    enum vdgpu_ttm_how *how)
{
	struct ttm_resource *old = bo->resource;
	u32 old_type = old ? old->mem_type : TTM_PL_SYSTEM;
	u32 new_type = new_mem->mem_type;
	int ret;

	/* Populated by TTM before the move: bind first, the copy uses it. */
	if (new_type == TTM_PL_TT)
		vdgpu_ttm_tt_bind(to_vdgpu_tt(bo->ttm), new_mem);

	if (new_type == TTM_PL_VRAM && !old) {
		if (vdgpu_vram_mgr_resource_is_cleared(new_mem)) {
			atomic64_add(new_mem->size,
				     &to_vdgpu(bo->bdev)->ttm_stats.vram_clear_skipped);
			ttm_bo_move_null(bo, new_mem);
			*how = VDGPU_TTM_KNOWN_CLEAR;
			return 0;
		}
		return vdgpu_ttm_move_accel(bo, evict, ctx, new_mem, how);
	}

	if ((old_type == TTM_PL_VRAM && new_type == TTM_PL_SYSTEM) ||
	    (old_type == TTM_PL_SYSTEM && old && new_type == TTM_PL_VRAM)) {
		hop->mem_type = TTM_PL_TT;
		hop->flags = TTM_PL_FLAG_TEMPORARY;
		hop->fpfn = 0;
		hop->lpfn = 0;
		return -EMULTIHOP;
	}

	if (old_type == TTM_PL_VRAM || new_type == TTM_PL_VRAM) {
		ret = vdgpu_ttm_move_accel(bo, evict, ctx, new_mem, how);
		/* A failed copy leaves the object where it was. */
		if (ret && new_type == TTM_PL_TT)
			vdgpu_ttm_tt_unbind(to_vdgpu_tt(bo->ttm));
		return ret;
	}

	if (old_type == TTM_PL_TT && new_type == TTM_PL_SYSTEM) {
		ret = ttm_bo_wait_ctx(bo, ctx);
		if (ret)
			return ret;
		vdgpu_ttm_tt_unbind(to_vdgpu_tt(bo->ttm));
		*how = VDGPU_TTM_UNBIND;
	} else {
		*how = new_type == TTM_PL_TT ? VDGPU_TTM_BIND : VDGPU_TTM_NULL;
	}

	/* SYSTEM <-> GTT and new objects outside VRAM: no data moves. */
	ttm_bo_move_null(bo, new_mem);
	return 0;
}

/* Puts a successful move in the object's history. */
static void vdgpu_ttm_record_move(struct ttm_buffer_object *bo, u32 from,
				  u32 to, bool evict, u64 bytes)
{
	struct vdgpu_bo *vbo;
	enum vdgpu_bo_move_reason reason;

	if (!vdgpu_bo_is_vdgpu(bo))
		return;
	vbo = to_vdgpu_bo(bo);
	if (from == VDGPU_BO_NOWHERE)
		reason = VDGPU_BO_MOVE_CREATE;
	else if (evict)
		reason = VDGPU_BO_MOVE_EVICT;
	else
		reason = vbo->move_reason;
	vdgpu_bo_record_move(vbo, from, to, reason, bytes);
}

static int vdgpu_ttm_move(struct ttm_buffer_object *bo, bool evict,
			  struct ttm_operation_ctx *ctx,
			  struct ttm_resource *new_mem, struct ttm_place *hop)
{
	u32 from = bo->resource ? bo->resource->mem_type : VDGPU_BO_NOWHERE;
	u32 to = new_mem->mem_type;
	enum vdgpu_ttm_how how = VDGPU_TTM_UNPLUGGED;
	u64 bytes;
	int ret, idx;

	/* Whatever happens below, mappings must not trust the old place. */
	if (vdgpu_bo_is_vdgpu(bo))
		vdgpu_vm_bo_move_notify(to_vdgpu_bo(bo));

	if (!drm_dev_enter(bo->base.dev, &idx)) {
		/* The device and what its VRAM held are gone. */
		if (bo->ttm)
			vdgpu_ttm_tt_unbind(to_vdgpu_tt(bo->ttm));
		ttm_bo_move_null(bo, new_mem);
		trace_vdgpu_bo_move(bo, from, to, 0, evict,
				    vdgpu_ttm_how_names[how]);
		vdgpu_ttm_record_move(bo, from, to, evict, 0);
		return 0;
	}
	ret = __vdgpu_ttm_move(bo, evict, ctx, new_mem, hop, &how);
	drm_dev_exit(idx);
	if (ret)
		return ret;
	bytes = how <= VDGPU_TTM_MEMCPY ? new_mem->size : 0;
	trace_vdgpu_bo_move(bo, from, to, bytes, evict,
			    vdgpu_ttm_how_names[how]);
	vdgpu_ttm_record_move(bo, from, to, evict, bytes);
	return 0;
}
ALLOW_ERROR_INJECTION(vdgpu_ttm_move, ERRNO);

static int vdgpu_ttm_io_mem_reserve(struct ttm_device *bdev,
				    struct ttm_resource *mem)
{
	switch (mem->mem_type) {
	case TTM_PL_SYSTEM:
	case TTM_PL_TT:
		return 0;
	case TTM_PL_VRAM:
		if (!vdgpu_vram_mgr_resource_is_visible(mem))
			return -EINVAL;
		/* Page by page through io_mem_pfn: no linear bus range. */
		mem->bus.offset = 0;
		mem->bus.addr = NULL;
		mem->bus.is_iomem = true;
		mem->bus.caching = ttm_write_combined;
		return 0;
	default:
		return -EINVAL;
	}
}

static unsigned long vdgpu_ttm_io_mem_pfn(struct ttm_buffer_object *bo,
					  unsigned long page_offset)
{
	struct vdgpu_device *vdev = to_vdgpu(bo->bdev);
	u64 offset;

	offset = vdgpu_vram_mgr_resource_offset(&vdev->vram_mgr, bo->resource,
						(u64)page_offset << PAGE_SHIFT);
	return vdev->bus.ops->bar_pfn(&vdev->bus, vdev->vram_base + offset);
}

static const struct ttm_device_funcs vdgpu_ttm_funcs = {
	.ttm_tt_create = vdgpu_ttm_tt_create,
	.ttm_tt_populate = vdgpu_ttm_tt_populate,
	.ttm_tt_unpopulate = vdgpu_ttm_tt_unpopulate,
	.ttm_tt_destroy = vdgpu_ttm_tt_destroy,
	.eviction_valuable = ttm_bo_eviction_valuable,
	.evict_flags = vdgpu_ttm_evict_flags,
	.move = vdgpu_ttm_move,
	.swap_notify = vdgpu_ttm_swap_notify,
	.io_mem_reserve = vdgpu_ttm_io_mem_reserve,
	.io_mem_pfn = vdgpu_ttm_io_mem_pfn,
};

/* What the sentinel answers; nothing else in TTM's paths returns it. */
#define VDGPU_TTM_NO_SPACE	(-EXFULL)

/* The last place of every object's placement. */
const struct ttm_place vdgpu_ttm_no_space_place = {
	.mem_type = VDGPU_PL_NO_SPACE,
	.flags = TTM_PL_FLAG_FALLBACK,
};

static int vdgpu_ttm_no_space_alloc(struct ttm_resource_manager *man,
				    struct ttm_buffer_object *bo,
				    const struct ttm_place *place,
				    struct ttm_resource **res)
{
	return VDGPU_TTM_NO_SPACE;
}

static void vdgpu_ttm_no_space_free(struct ttm_resource_manager *man,
				    struct ttm_resource *res)
{
}

static const struct ttm_resource_manager_func vdgpu_ttm_no_space_func = {
	.alloc = vdgpu_ttm_no_space_alloc,
	.free = vdgpu_ttm_no_space_free,
};

/**
 * vdgpu_ttm_errno() - the errno of a validation, as the uAPI means it
 * @ret: what ttm_bo_validate() or ttm_bo_init_reserved() returned
 *
 * Context: Any.
 * Return: -ENOSPC when no place had room even after eviction, else @ret.
 */
int vdgpu_ttm_errno(int ret)
{
	return ret == VDGPU_TTM_NO_SPACE ? -ENOSPC : ret;
}

static void vdgpu_ttm_no_space_init(struct vdgpu_device *vdev)
{
	struct ttm_resource_manager *man = &vdev->no_space_mgr;

	man->func = &vdgpu_ttm_no_space_func;
	ttm_resource_manager_init(man, &vdev->ttm, 0);
	ttm_set_driver_manager(&vdev->ttm, VDGPU_PL_NO_SPACE, man);
	ttm_resource_manager_set_used(man, true);
}

static void vdgpu_ttm_no_space_fini(struct vdgpu_device *vdev)
{
	struct ttm_resource_manager *man = &vdev->no_space_mgr;

	ttm_resource_manager_set_used(man, false);
	ttm_set_driver_manager(&vdev->ttm, VDGPU_PL_NO_SPACE, NULL);
	ttm_resource_manager_cleanup(man);
}

static void vdgpu_ttm_release(struct drm_device *drm, void *data)
{
	vdgpu_ttm_fini(data);
}

/**
 * vdgpu_ttm_init() - set up the TTM device, its managers and the regions
 * @vdev: the device, whose GART is set up
 *
 * The TTM device is torn down with the &drm_device (a managed action),
 * when the last object is gone.
 *
 * Context: Process context; probe.
 * Return: 0 or a negative errno, with nothing left to undo.
 */
int vdgpu_ttm_init(struct vdgpu_device *vdev)
{
	const struct vdgpu_params *p = &vdev->params;
	struct drm_device *drm = &vdev->drm;
	int ret;

	ret = ttm_device_init(&vdev->ttm, &vdgpu_ttm_funcs, drm->dev,
			      drm->anon_inode->i_mapping,
			      drm->vma_offset_manager, false, false);
	if (ret)
		return ret;

	/*
	 * VRAM below the end of the GART table is not the manager's.  It
	 * starts 2 MiB aligned, so that blocks the buddy allocator aligns are
	 * aligned on the device too and VMs can map them with 2 MiB pages.
	 */
	vdev->vram_base = ALIGN(vdev->gart.table_end, SZ_2M);
	if (vdev->vram_base > p->visible_vram_size)
		vdev->vram_base = vdev->gart.table_end;
	ret = vdgpu_vram_mgr_init(&vdev->vram_mgr, drm, &vdev->ttm, TTM_PL_VRAM,
				  p->vram_size - vdev->vram_base,
				  p->visible_vram_size - vdev->vram_base,
				  SZ_4K);
	if (ret)
		goto err_ttm_fini;

	ret = vdgpu_gtt_mgr_init(&vdev->gtt_mgr, drm, &vdev->ttm,
				 vdev->gart.num_pages);
	if (ret)
		goto err_vram_fini;

	vdgpu_ttm_no_space_init(vdev);
	vdgpu_regions_init(vdev);
	return drmm_add_action_or_reset(drm, vdgpu_ttm_release, vdev);

err_vram_fini:
	vdgpu_vram_mgr_fini(&vdev->vram_mgr, &vdev->ttm);
err_ttm_fini:
	ttm_device_fini(&vdev->ttm);
	return ret;
}
ALLOW_ERROR_INJECTION(vdgpu_ttm_init, ERRNO);

/**
 * vdgpu_ttm_stats_print() - the memory manager's counters
 * @vdev: the device
 * @p: where to
 *
 * One ``key=value`` line: evictions, purges, then bytes copied by direction,
 * bytes of new VRAM cleared or known clear, and moves the CPU made.
 *
 * Context: Any process context.
 */
void vdgpu_ttm_stats_print(struct vdgpu_device *vdev, struct drm_printer *p)
{
	struct vdgpu_ttm_stats *s = &vdev->ttm_stats;

	drm_printf(p, "evictions=%lld purges=%lld ",
		   atomic64_read(&s->evictions), atomic64_read(&s->purges));
	drm_printf(p, "vram_to_gtt=%lld gtt_to_vram=%lld vram_to_vram=%lld ",
		   atomic64_read(&s->vram_to_gtt),
		   atomic64_read(&s->gtt_to_vram),
		   atomic64_read(&s->vram_to_vram));
	drm_printf(p, "vram_cleared=%lld vram_clear_skipped=%lld memcpy_fallbacks=%lld\n",
		   atomic64_read(&s->vram_cleared),
		   atomic64_read(&s->vram_clear_skipped),
		   atomic64_read(&s->memcpy_fallbacks));
}

/**
 * vdgpu_ttm_suspend() - move every object out of VRAM and the GART
 * @vdev: the device, whose engines run
 *
 * Before the device may lose power: VRAM is evicted (to GTT, then system
 * memory), then GTT, so that nothing depends on VRAM or on the GART table
 * that lives in it.  Pinned objects stay where they are.
 *
 * Context: Process context, may sleep; takes objects' resvs.
 * Return: 0 or the errno of a failed eviction, everything still usable.
 */
int vdgpu_ttm_suspend(struct vdgpu_device *vdev)
{
	int ret;

	ret = ttm_resource_manager_evict_all(&vdev->ttm,
					     &vdev->vram_mgr.manager);
	if (ret)
		return ret;
	return ttm_resource_manager_evict_all(&vdev->ttm,
					      &vdev->gtt_mgr.manager);
}

/**
 * vdgpu_ttm_fini() - evict everything and tear the TTM device down
 * @vdev: the device; its engines still run, for the evictions, or the
 * device is unplugged and moves drop the contents
 *
 * Objects whose destruction TTM deferred until their fences signal are
 * destroyed first.
 *
 * Context: Process context, may sleep.
 */
void vdgpu_ttm_fini(struct vdgpu_device *vdev)
{
	flush_workqueue(vdev->ttm.wq);
	vdgpu_ttm_no_space_fini(vdev);
	vdgpu_vram_mgr_fini(&vdev->vram_mgr, &vdev->ttm);
	vdgpu_gtt_mgr_fini(&vdev->gtt_mgr, &vdev->ttm);
	ttm_device_fini(&vdev->ttm);
}
