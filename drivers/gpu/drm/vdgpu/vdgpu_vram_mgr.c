// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/error-injection.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <drm/drm_device.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>

#include "vdgpu_inject.h"
#include "vdgpu_vram_mgr.h"

/**
 * DOC: VRAM manager
 *
 * VRAM is handed out by a TTM resource manager, &struct vdgpu_vram_mgr,
 * built on the gpu_buddy allocator.  A resource is a list of power-of-two
 * blocks, so VRAM need not be contiguous to back a buffer object, and
 * offsets are bytes from the start of VRAM.  The manager reads a &ttm_place
 * as follows:
 *
 * ``fpfn``, ``lpfn``
 *   The allocation lies in pages [fpfn, lpfn); ``lpfn == 0`` means the end
 *   of VRAM.  A range narrower than VRAM is a gpu_buddy range allocation.
 *
 * CPU access
 *   Only the first ``visible_size`` bytes of VRAM are reachable through the
 *   BAR window.  A placement that needs CPU access says so by its range:
 *   the caller sets ``lpfn`` to at most vdgpu_vram_mgr_visible_lpfn(), as
 *   xe does, instead of a private flag TTM would not know about.  TTM's
 *   eviction then sees through the intersects and compatible callbacks
 *   which buffer objects occupy the window, and evicts only those when the
 *   window is full though invisible VRAM is free.  When such a request
 *   cannot fit in what is left of the window the manager fails at once with
 *   -ENOSPC, without searching.  A resource may straddle the limit; only
 *   its part below counts as visible (vdgpu_vram_mgr_visible_used()), and
 *   vdgpu_vram_mgr_resource_is_visible() says whether all of it is.
 *
 * %TTM_PL_FLAG_TOPDOWN
 *   For objects the CPU never maps: blocks come from the top of VRAM, away
 *   from the visible window (%GPU_BUDDY_TOPDOWN_ALLOCATION).  gpu_buddy
 *   honours this only without a range, which is the case it matters for.
 *
 * %TTM_PL_FLAG_CONTIGUOUS
 *   One block (%GPU_BUDDY_CONTIGUOUS_ALLOCATION): gpu_buddy rounds the
 *   request up to a power of two, allocates a block of that order and trims
 *   it back to the requested size, freeing the tail.  Without a range it
 *   also tries runs of free blocks around each free block of the request's
 *   size rounded down to a power of two ("try harder"), so a fragmented
 *   VRAM still serves a contiguous request from a hole that is not itself
 *   a power of two (see the limits).  A resource that came out contiguous
 *   by chance is flagged
 *   contiguous too, so that it later satisfies contiguous placements
 *   without a move.  Only contiguous resources have a meaningful
 *   &ttm_resource.start.
 *
 * Cleared memory
 *   gpu_buddy remembers which free blocks hold zeroes.  A buffer object's
 *   first allocation (it has no resource yet, so its contents are to be
 *   created) prefers cleared blocks (%GPU_BUDDY_CLEAR_ALLOCATION); a move
 *   prefers dirty ones, since the copy overwrites every byte, and so leaves
 *   the cleared blocks to those who need them.  Either way the allocator
 *   falls back to the other kind rather than fail.  gpu_buddy searches
 *   top-down only among the kind it prefers, so a top-down request prefers
 *   cleared blocks only while there are at least as many cleared bytes
 *   free as it asks for; placement away from the window matters more.
 *   vdgpu_vram_mgr_resource_is_cleared() tells the caller whether it may
 *   skip clearing a new resource.  A caller that wiped a resource before
 *   freeing it calls vdgpu_vram_mgr_resource_set_cleared(), and the blocks
 *   go back marked cleared; every other free marks them dirty.
 *
 * Errors
 *   -ENOSPC whenever the request cannot be placed, whether VRAM is merely
 *   full or the request is larger than its range could ever hold: TTM
 *   6.12 treats any other error as fatal to the whole placement list.
 *   Other errors are allocation failures of the allocator's bookkeeping.
 */

/**
 * DOC: VRAM manager locking
 *
 * &vdgpu_vram_mgr.lock, the *buddy lock*, is a mutex owned by the manager.
 * It protects the allocator (&vdgpu_vram_mgr.mm: its trees, free and
 * cleared byte counts) and &vdgpu_vram_mgr.visible_used.  The blocks of an
 * allocated resource belong to that resource, so reading them (intersects,
 * compatible, the is_cleared and is_visible helpers) does not take it.
 *
 * - It is taken by the manager's alloc and free callbacks, the accounting
 *   helpers and the debug callback; never held on return.
 * - It nests inside the buffer objects' dma_resv locks (TTM allocates and
 *   frees with the object reserved) and therefore inside everything those
 *   nest in (the VM lock, drm_exec).
 * - TTM's LRU lock nests inside it in one place only, the map for debugfs
 *   (vdgpu_vram_mgr_map()): with both held, every allocated block belongs
 *   to a resource on one of the manager's LRU lists or on the device's
 *   pinned list, so the map is exact.  Never the other way round: the LRU
 *   lock is a spinlock, not held across the alloc and free callbacks, and
 *   the manager calls ttm_resource_init() and ttm_resource_fini(), which
 *   take it, outside the buddy lock.
 * - gpu_buddy allocates its block structures with %GFP_KERNEL while the
 *   lock is held, so the lock may not be taken in reclaim (a shrinker must
 *   not free VRAM resources directly) nor in the fence-signalling path
 *   (which may not wait for reclaim).  The manager teaches lockdep the
 *   ordering buddy lock -> fs_reclaim when it is set up, so a violation
 *   splats at once, not only when reclaim happens to run.
 *
 * gpu_buddy in 6.12 has no gpu_buddy_driver_set_lock(): it neither knows
 * nor checks the lock.  The manager asserts it itself: the functions that
 * expect their caller to hold it (``__vdgpu_vram_mgr_*()``) begin with
 * lockdep_assert_held().
 */

/**
 * DOC: VRAM manager limits
 *
 * - A contiguous request restricted to a range (for instance to the
 *   visible window) needs a free, naturally aligned block of the request
 *   rounded up to a power of two inside that range: gpu_buddy does not try
 *   harder within a range.
 * - An unrestricted contiguous request needs a hole that holds it and
 *   contains a free, naturally aligned block of the request rounded down
 *   to a power of two: a 2 MiB hole starting at an odd MiB holds a 2 MiB
 *   request but is not found.  Finding every hole would mean walking the
 *   allocator's private trees.
 * - VRAM sizes that are not a power of two are managed as a few roots of
 *   decreasing size (100 MiB is 64 + 32 + 4 MiB); no block crosses from
 *   one root to the next, so a contiguous request spanning two roots can
 *   succeed only through the "try harder" path.
 * - The VRAM size is rounded down to the minimum page size, 4 KiB by
 *   default.  Allocations are rounded up to it, or to the object's page
 *   alignment if larger: every block of a resource is aligned to, and a
 *   multiple of, that alignment, which is what GPU page tables with large
 *   pages need; the rounding counts as used.
 * - The debug callback prints the allocator's public state (sizes, free
 *   and cleared bytes, the visible window): 6.12's gpu_buddy_print() writes
 *   only to the kernel log and takes no &drm_printer.
 */

/**
 * vdgpu_vram_mgr_visible_bytes() - bytes of a block list below a limit
 * @mm: the allocator the blocks belong to
 * @blocks: allocated blocks
 * @limit: the visible limit in bytes
 *
 * Context: Any; the blocks must stay allocated meanwhile.
 * Return: how many bytes of @blocks lie in [0, @limit).
 */
static u64 vdgpu_vram_mgr_visible_bytes(struct gpu_buddy *mm,
					struct list_head *blocks, u64 limit)
{
	struct gpu_buddy_block *block;
	u64 bytes = 0;

	list_for_each_entry(block, blocks, link) {
		u64 start = gpu_buddy_block_offset(block);
		u64 end = start + gpu_buddy_block_size(mm, block);

		if (start < limit)
			bytes += min(end, limit) - start;
	}
	return bytes;
}

/**
 * vdgpu_vram_mgr_blocks_contiguous() - whether a block list is one run
 * @mm: the allocator the blocks belong to
 * @blocks: allocated blocks, not empty
 *
 * Context: Any; the blocks must stay allocated meanwhile.
 * Return: true if each block starts where the previous one ends.
 */
static bool vdgpu_vram_mgr_blocks_contiguous(struct gpu_buddy *mm,
					     struct list_head *blocks)
{
	struct gpu_buddy_block *block;
	u64 next = gpu_buddy_block_offset(list_first_entry(blocks,
							   typeof(*block),
							   link));

	list_for_each_entry(block, blocks, link) {
		if (gpu_buddy_block_offset(block) != next)
			return false;
		next += gpu_buddy_block_size(mm, block);
	}
	return true;
}

/**
 * __vdgpu_vram_mgr_alloc_blocks() - allocate and account a resource's blocks
 * @mgr: the manager
 * @vres: the resource; its @blocks list is empty
 * @start: first byte of the allowed range
 * @end: end of the allowed range, exclusive
 * @size: bytes to allocate, a multiple of the minimum page size
 * @min_page_size: block size and alignment, a power of two
 * @flags: %GPU_BUDDY_* allocation flags
 * @want_cleared: prefer cleared blocks
 *
 * Context: Holds &vdgpu_vram_mgr.lock; may sleep and enter reclaim.
 * Return: 0 with @vres's blocks and sizes filled in, -ENOSPC if the request
 * does not fit, or another negative errno; on error nothing is allocated
 * and the accounting is unchanged.
 */
static int __vdgpu_vram_mgr_alloc_blocks(struct vdgpu_vram_mgr *mgr,
					 struct vdgpu_vram_mgr_resource *vres,
					 u64 start, u64 end, u64 size,
					 u64 min_page_size, unsigned long flags,
					 bool want_cleared)
{
	struct gpu_buddy *mm = &mgr->mm;
	struct gpu_buddy_block *block;
	int err;

	lockdep_assert_held(&mgr->lock);

	if (size > mm->avail)
		return -ENOSPC;
	/* A request confined to the window fails fast when the window is full. */
	if (end <= mgr->visible_size &&
	    size > mgr->visible_size - mgr->visible_used)
		return -ENOSPC;

	/*
	 * gpu_buddy searches top-down in the preferred tree only and falls
	 * back to a bottom-up search of the other: prefer cleared blocks for
	 * a top-down request only when there may be enough of them.
	 */
	if (want_cleared &&
	    (!(flags & GPU_BUDDY_TOPDOWN_ALLOCATION) || mm->clear_avail >= size))
		flags |= GPU_BUDDY_CLEAR_ALLOCATION;

	err = gpu_buddy_alloc_blocks(mm, start, end, size, min_page_size,
				     &vres->blocks, flags);
	if (err)
		return err;

	vres->size = 0;
	list_for_each_entry(block, &vres->blocks, link)
		vres->size += gpu_buddy_block_size(mm, block);
	vres->visible_size = vdgpu_vram_mgr_visible_bytes(mm, &vres->blocks,
							  mgr->visible_size);
	mgr->visible_used += vres->visible_size;
	return 0;
}

/**
 * __vdgpu_vram_mgr_free_blocks() - free and unaccount a resource's blocks
 * @mgr: the manager
 * @vres: the resource; its @blocks list is empty on return
 *
 * Context: Holds &vdgpu_vram_mgr.lock; may sleep.
 */
static void __vdgpu_vram_mgr_free_blocks(struct vdgpu_vram_mgr *mgr,
					 struct vdgpu_vram_mgr_resource *vres)
{
	lockdep_assert_held(&mgr->lock);

	drm_WARN_ON(mgr->drm, vres->visible_size > mgr->visible_used);
	mgr->visible_used -= vres->visible_size;
	gpu_buddy_free_list(&mgr->mm, &vres->blocks,
			    vres->cleared ? GPU_BUDDY_CLEARED : 0);
}

/**
 * vdgpu_vram_mgr_alloc() - &ttm_resource_manager_func.alloc for VRAM
 * @man: the manager
 * @bo: the buffer object the space is for; reserved
 * @place: where it may go (see "VRAM manager")
 * @res: on success, the new resource
 *
 * Context: Process context, the object's dma_resv held; takes the buddy
 * lock; may sleep and enter reclaim.
 * Return: 0 on success, -ENOSPC if the request does not fit, -ENOMEM if
 * memory for the bookkeeping is short, -EINVAL on a malformed request (a
 * driver bug).
 */
static int vdgpu_vram_mgr_alloc(struct ttm_resource_manager *man,
				struct ttm_buffer_object *bo,
				const struct ttm_place *place,
				struct ttm_resource **res)
{
	struct vdgpu_vram_mgr *mgr = to_vdgpu_vram_mgr(man);
	struct vdgpu_vram_mgr_resource *vres;
	u64 chunk = mgr->mm.chunk_size;
	u64 start, end, size, min_page_size;
	unsigned long flags = 0;
	int err;

	min_page_size = mgr->min_page_size;
	if (bo->page_alignment)
		min_page_size = max_t(u64, min_page_size,
				      (u64)bo->page_alignment << PAGE_SHIFT);
	if (drm_WARN_ON(mgr->drm, !is_power_of_2(min_page_size)))
		return -EINVAL;

	start = round_up((u64)place->fpfn << PAGE_SHIFT, chunk);
	end = man->size;
	if (place->lpfn)
		end = min(end, round_down((u64)place->lpfn << PAGE_SHIFT, chunk));
	/*
	 * Whole aligned blocks: gpu_buddy would otherwise trim the last block
	 * of a scattered allocation to a smaller, unaligned tail, and align a
	 * contiguous one only to its own size.
	 */
	size = round_up(bo->base.size, min_page_size);

	if (!size || start >= end || size > end - start)
		return -ENOSPC;
	if (size == end - start) {
		/* gpu_buddy takes an exactly fitting range as is. */
		if (!IS_ALIGNED(start | end, min_page_size))
			return -ENOSPC;
	} else if (place->flags & TTM_PL_FLAG_CONTIGUOUS) {
		/* gpu_buddy tries harder only without a range; see limits. */
		if ((start || end != man->size) &&
		    roundup_pow_of_two(size) > end - start)
			return -ENOSPC;
	}

	if (place->flags & TTM_PL_FLAG_CONTIGUOUS)
		flags |= GPU_BUDDY_CONTIGUOUS_ALLOCATION;

	if (start || end != man->size)
		flags |= GPU_BUDDY_RANGE_ALLOCATION;
	if (place->flags & TTM_PL_FLAG_TOPDOWN)
		flags |= GPU_BUDDY_TOPDOWN_ALLOCATION;

	err = vdgpu_inject_fail_bo(bo, VDGPU_INJECT_ALLOC);
	if (err)
		return err;
	vres = kzalloc(sizeof(*vres), GFP_KERNEL);
	if (!vres)
		return -ENOMEM;
	INIT_LIST_HEAD(&vres->blocks);
	ttm_resource_init(bo, place, &vres->base);

	mutex_lock(&mgr->lock);
	/* New contents want zeroes; a move overwrites them with a copy. */
	err = __vdgpu_vram_mgr_alloc_blocks(mgr, vres, start, end, size,
					    min_page_size, flags, !bo->resource);
	mutex_unlock(&mgr->lock);
	if (err)
		goto err_fini_resource;

	if (vdgpu_vram_mgr_blocks_contiguous(&mgr->mm, &vres->blocks)) {
		struct gpu_buddy_block *first =
			list_first_entry(&vres->blocks, typeof(*first), link);

		vres->base.placement |= TTM_PL_FLAG_CONTIGUOUS;
		vres->base.start = gpu_buddy_block_offset(first) >> PAGE_SHIFT;
	} else {
		vres->base.placement &= ~TTM_PL_FLAG_CONTIGUOUS;
	}

	*res = &vres->base;
	return 0;

err_fini_resource:
	ttm_resource_fini(man, &vres->base);
	kfree(vres);
	return err;
}
ALLOW_ERROR_INJECTION(vdgpu_vram_mgr_alloc, ERRNO);

/**
 * vdgpu_vram_mgr_free() - &ttm_resource_manager_func.free for VRAM
 * @man: the manager
 * @res: a resource it allocated; freed on return
 *
 * The blocks go back marked cleared if vdgpu_vram_mgr_resource_set_cleared()
 * was called on @res, dirty otherwise.
 *
 * Context: Process context, not in reclaim; takes the buddy lock; may
 * sleep.
 */
static void vdgpu_vram_mgr_free(struct ttm_resource_manager *man,
				struct ttm_resource *res)
{
	struct vdgpu_vram_mgr_resource *vres = to_vdgpu_vram_mgr_resource(res);
	struct vdgpu_vram_mgr *mgr = to_vdgpu_vram_mgr(man);

	mutex_lock(&mgr->lock);
	__vdgpu_vram_mgr_free_blocks(mgr, vres);
	mutex_unlock(&mgr->lock);

	ttm_resource_fini(man, res);
	kfree(vres);
}

/**
 * vdgpu_vram_mgr_place_range() - a placement's page range
 * @man: the manager
 * @place: the placement
 * @fpfn: set to its first page
 * @lpfn: set to its end page, exclusive, with 0 read as the end of VRAM
 *
 * Context: Any.
 */
static void vdgpu_vram_mgr_place_range(struct ttm_resource_manager *man,
				       const struct ttm_place *place,
				       u64 *fpfn, u64 *lpfn)
{
	*fpfn = place->fpfn;
	*lpfn = place->lpfn ? place->lpfn : man->size >> PAGE_SHIFT;
}

/* The page range [*fpfn, *lpfn) a block covers. */
static void vdgpu_vram_mgr_block_pfns(struct vdgpu_vram_mgr *mgr,
				      struct gpu_buddy_block *block,
				      u64 *fpfn, u64 *lpfn)
{
	*fpfn = gpu_buddy_block_offset(block) >> PAGE_SHIFT;
	*lpfn = *fpfn + (gpu_buddy_block_size(&mgr->mm, block) >> PAGE_SHIFT);
}

/**
 * vdgpu_vram_mgr_intersects() - &ttm_resource_manager_func.intersects
 * @man: the manager
 * @res: a resource it allocated
 * @place: the placement TTM wants to make room for
 * @size: the size of the request; unused, any overlap may help
 *
 * Tells TTM's eviction whether evicting @res frees anything in @place's
 * range: for a CPU-access placement, whether @res holds any of the window.
 *
 * Context: Any, including under TTM's LRU spinlock: takes no lock.  The
 * caller holds the object's dma_resv, as TTM does, which keeps @res
 * allocated.
 * Return: true if a block of @res overlaps @place's range.
 */
static bool vdgpu_vram_mgr_intersects(struct ttm_resource_manager *man,
				      struct ttm_resource *res,
				      const struct ttm_place *place,
				      size_t size)
{
	struct vdgpu_vram_mgr_resource *vres = to_vdgpu_vram_mgr_resource(res);
	struct vdgpu_vram_mgr *mgr = to_vdgpu_vram_mgr(man);
	struct gpu_buddy_block *block;
	u64 fpfn, lpfn, bfpfn, blpfn;

	vdgpu_vram_mgr_place_range(man, place, &fpfn, &lpfn);
	list_for_each_entry(block, &vres->blocks, link) {
		vdgpu_vram_mgr_block_pfns(mgr, block, &bfpfn, &blpfn);

		if (bfpfn < lpfn && blpfn > fpfn)
			return true;
	}
	return false;
}

/**
 * vdgpu_vram_mgr_compatible() - &ttm_resource_manager_func.compatible
 * @man: the manager
 * @res: a resource it allocated
 * @place: a placement
 * @size: the size of the object; unused, @res already covers it
 *
 * Tells TTM whether @res may stay where it is for @place.  Contiguity is
 * checked by TTM itself from &ttm_resource.placement.
 *
 * Context: Any: takes no lock.  The caller holds the object's dma_resv,
 * as TTM does, which keeps @res allocated.
 * Return: true if every block of @res lies in @place's range.
 */
static bool vdgpu_vram_mgr_compatible(struct ttm_resource_manager *man,
				      struct ttm_resource *res,
				      const struct ttm_place *place,
				      size_t size)
{
	struct vdgpu_vram_mgr_resource *vres = to_vdgpu_vram_mgr_resource(res);
	struct vdgpu_vram_mgr *mgr = to_vdgpu_vram_mgr(man);
	struct gpu_buddy_block *block;
	u64 fpfn, lpfn, bfpfn, blpfn;

	vdgpu_vram_mgr_place_range(man, place, &fpfn, &lpfn);
	list_for_each_entry(block, &vres->blocks, link) {
		vdgpu_vram_mgr_block_pfns(mgr, block, &bfpfn, &blpfn);

		if (bfpfn < fpfn || blpfn > lpfn)
			return false;
	}
	return true;
}

/**
 * vdgpu_vram_mgr_debug() - &ttm_resource_manager_func.debug for VRAM
 * @man: the manager
 * @printer: where to print
 *
 * Prints the allocator's state below TTM's own lines (see "VRAM manager
 * limits" for why not gpu_buddy_print()).
 *
 * Context: Process context; takes the buddy lock.
 */
static void vdgpu_vram_mgr_debug(struct ttm_resource_manager *man,
				 struct drm_printer *printer)
{
	struct vdgpu_vram_mgr *mgr = to_vdgpu_vram_mgr(man);
	struct gpu_buddy *mm = &mgr->mm;

	mutex_lock(&mgr->lock);
	drm_printf(printer, "  chunk_size: %llu KiB, roots: %u, max_order: %u\n",
		   mm->chunk_size >> 10, mm->n_roots, mm->max_order);
	drm_printf(printer, "  total: %llu KiB, used: %llu KiB\n",
		   mm->size >> 10, (mm->size - mm->avail) >> 10);
	drm_printf(printer, "  free: %llu KiB, cleared free: %llu KiB\n",
		   mm->avail >> 10, mm->clear_avail >> 10);
	drm_printf(printer, "  visible: %llu KiB, visible used: %llu KiB\n",
		   mgr->visible_size >> 10, mgr->visible_used >> 10);
	mutex_unlock(&mgr->lock);
}

static const struct ttm_resource_manager_func vdgpu_vram_mgr_func = {
	.alloc = vdgpu_vram_mgr_alloc,
	.free = vdgpu_vram_mgr_free,
	.intersects = vdgpu_vram_mgr_intersects,
	.compatible = vdgpu_vram_mgr_compatible,
	.debug = vdgpu_vram_mgr_debug,
};

/**
 * vdgpu_vram_mgr_prime_lockdep() - teach lockdep buddy lock -> reclaim
 * @mgr: the manager
 *
 * gpu_buddy allocates with %GFP_KERNEL under the lock; recording that now
 * makes lockdep report any path taking the lock in reclaim at its first
 * run, not only when reclaim and that path happen to meet.
 *
 * Context: Process context, may sleep; takes the buddy lock.
 */
static void vdgpu_vram_mgr_prime_lockdep(struct vdgpu_vram_mgr *mgr)
{
	if (!IS_ENABLED(CONFIG_LOCKDEP))
		return;

	mutex_lock(&mgr->lock);
	fs_reclaim_acquire(GFP_KERNEL);
	fs_reclaim_release(GFP_KERNEL);
	mutex_unlock(&mgr->lock);
}

/**
 * vdgpu_vram_mgr_init() - set up the VRAM manager and register it with TTM
 * @mgr: the manager, zeroed or left over from vdgpu_vram_mgr_fini()
 * @drm: the DRM device, for logging
 * @bdev: the TTM device it serves
 * @mem_type: the placement it serves, normally %TTM_PL_VRAM
 * @size: bytes of VRAM; rounded down to @min_page_size
 * @visible_size: bytes at the start of VRAM the CPU can reach, at most
 *	@size; rounded down to @min_page_size
 * @min_page_size: smallest block, a power of two of at least %PAGE_SIZE
 *	(%SZ_4K on the usual configurations)
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EINVAL on bad sizes, -ENOMEM; on error nothing is
 * left to undo.
 */
int vdgpu_vram_mgr_init(struct vdgpu_vram_mgr *mgr, struct drm_device *drm,
			struct ttm_device *bdev, u32 mem_type, u64 size,
			u64 visible_size, u64 min_page_size)
{
	struct ttm_resource_manager *man = &mgr->manager;
	int err;

	if (!is_power_of_2(min_page_size) || min_page_size < PAGE_SIZE ||
	    min_page_size < SZ_4K)
		return -EINVAL;
	if (visible_size > size)
		return -EINVAL;
	size = round_down(size, min_page_size);
	visible_size = round_down(visible_size, min_page_size);
	if (!size)
		return -EINVAL;

	mgr->drm = drm;
	mgr->mem_type = mem_type;
	mgr->visible_size = visible_size;
	mgr->visible_used = 0;
	mgr->min_page_size = min_page_size;
	mutex_init(&mgr->lock);
	vdgpu_vram_mgr_prime_lockdep(mgr);

	err = gpu_buddy_init(&mgr->mm, size, min_page_size);
	if (err)
		goto err_destroy_lock;

	man->func = &vdgpu_vram_mgr_func;
	man->use_tt = false;
	ttm_resource_manager_init(man, bdev, size);
	ttm_set_driver_manager(bdev, mem_type, man);
	ttm_resource_manager_set_used(man, true);

	drm_dbg_driver(drm, "vram manager: %llu KiB, %llu KiB visible\n",
		       size >> 10, visible_size >> 10);
	return 0;

err_destroy_lock:
	mutex_destroy(&mgr->lock);
	return err;
}

/**
 * vdgpu_vram_mgr_fini() - evict everything and tear the VRAM manager down
 * @mgr: the manager
 * @bdev: the TTM device it was set up with
 *
 * Evicts every buffer object from VRAM, as TTM expects before a manager
 * goes away, then stops the manager.  The caller guarantees that nothing
 * allocates VRAM any more.  A resource still allocated after the eviction
 * belongs to a pinned or leaked object: a driver bug, reported with a WARN.
 * On any error the manager stays registered, so that the remaining
 * resources can still be freed; its memory must outlive them.
 *
 * Context: Process context, may sleep; takes the objects' dma_resv locks
 * to evict them.
 * Return: 0 on success, -EBUSY if resources remain, or the eviction's error.
 */
int vdgpu_vram_mgr_fini(struct vdgpu_vram_mgr *mgr, struct ttm_device *bdev)
{
	struct ttm_resource_manager *man = &mgr->manager;
	u64 used;
	int err;

	err = ttm_resource_manager_evict_all(bdev, man);
	if (err) {
		drm_err(mgr->drm, "vram manager: evicting all failed: %d\n",
			err);
		return err;
	}

	mutex_lock(&mgr->lock);
	used = mgr->mm.size - mgr->mm.avail;
	mutex_unlock(&mgr->lock);
	if (drm_WARN(mgr->drm, used, "vram manager: %llu KiB still in use\n",
		     used >> 10))
		return -EBUSY;

	/* Only now: TTM insists the LRU is empty when a manager stops. */
	ttm_resource_manager_set_used(man, false);
	drm_WARN_ON(mgr->drm, mgr->visible_used);
	gpu_buddy_fini(&mgr->mm);
	ttm_resource_manager_cleanup(man);
	ttm_set_driver_manager(bdev, mgr->mem_type, NULL);
	mutex_destroy(&mgr->lock);
	return 0;
}

/**
 * vdgpu_vram_mgr_visible_lpfn() - the end of the CPU-visible window
 * @mgr: the manager
 *
 * A placement that needs CPU access uses this, or less, as its
 * &ttm_place.lpfn.
 *
 * Context: Any.
 * Return: the first page the CPU cannot reach.
 */
u32 vdgpu_vram_mgr_visible_lpfn(const struct vdgpu_vram_mgr *mgr)
{
	return mgr->visible_size >> PAGE_SHIFT;
}

/**
 * vdgpu_vram_mgr_used() - bytes of VRAM allocated
 * @mgr: the manager
 *
 * Counts the blocks allocated, so rounding to the minimum page size and
 * alignment shows; TTM's ttm_resource_manager_usage() counts object sizes.
 *
 * Context: Process context; takes the buddy lock.
 * Return: bytes allocated.
 */
u64 vdgpu_vram_mgr_used(struct vdgpu_vram_mgr *mgr)
{
	u64 used;

	mutex_lock(&mgr->lock);
	used = mgr->mm.size - mgr->mm.avail;
	mutex_unlock(&mgr->lock);
	return used;
}

/**
 * vdgpu_vram_mgr_visible_used() - bytes of the visible window allocated
 * @mgr: the manager
 *
 * Context: Process context; takes the buddy lock.
 * Return: bytes allocated below the visible limit, by any resource,
 * whether or not it lies wholly below.
 */
u64 vdgpu_vram_mgr_visible_used(struct vdgpu_vram_mgr *mgr)
{
	u64 used;

	mutex_lock(&mgr->lock);
	used = mgr->visible_used;
	mutex_unlock(&mgr->lock);
	return used;
}

/**
 * vdgpu_vram_mgr_resource_is_cleared() - whether a new resource holds zeroes
 * @res: a resource allocated by a VRAM manager
 *
 * Meaningful right after allocation, before anything wrote to @res: the
 * caller may then skip clearing it.
 *
 * Context: Any; the caller owns @res (holds its object's dma_resv).
 * Return: true if every block of @res was known cleared when allocated.
 */
bool vdgpu_vram_mgr_resource_is_cleared(struct ttm_resource *res)
{
	struct vdgpu_vram_mgr_resource *vres = to_vdgpu_vram_mgr_resource(res);
	struct gpu_buddy_block *block;

	list_for_each_entry(block, &vres->blocks, link) {
		if (!gpu_buddy_block_is_clear(block))
			return false;
	}
	return true;
}

/**
 * vdgpu_vram_mgr_resource_set_cleared() - free a resource as cleared
 * @res: a resource allocated by a VRAM manager, now all zeroes
 *
 * The caller guarantees that @res holds only zeroes and that nothing writes
 * to it before it is freed; its blocks then go back to the allocator marked
 * cleared and a later allocation can skip clearing them.
 *
 * Context: Any; the caller owns @res (holds its object's dma_resv).
 */
void vdgpu_vram_mgr_resource_set_cleared(struct ttm_resource *res)
{
	to_vdgpu_vram_mgr_resource(res)->cleared = true;
}

/**
 * vdgpu_vram_mgr_resource_is_visible() - whether the CPU reaches a resource
 * @res: a resource allocated by a VRAM manager
 *
 * Context: Any; the caller owns @res (holds its object's dma_resv).
 * Return: true if all of @res lies below the visible limit.
 */
bool vdgpu_vram_mgr_resource_is_visible(struct ttm_resource *res)
{
	struct vdgpu_vram_mgr_resource *vres = to_vdgpu_vram_mgr_resource(res);

	return vres->visible_size == vres->size;
}

/**
 * vdgpu_vram_mgr_resource_offset() - where a byte of a resource is in VRAM
 * @mgr: the manager that allocated @res
 * @res: a resource allocated by @mgr
 * @offset: a byte offset into the resource, below its size
 *
 * The blocks of a resource are its bytes in list order, so this walks them:
 * linear in the number of blocks, which is small for all but the most
 * fragmented allocations.
 *
 * Context: Any; the caller owns @res (holds its object's dma_resv).
 * Return: the offset in the manager's range of the byte at @offset.
 */
u64 vdgpu_vram_mgr_resource_offset(struct vdgpu_vram_mgr *mgr,
				   struct ttm_resource *res, u64 offset)
{
	struct vdgpu_vram_mgr_resource *vres = to_vdgpu_vram_mgr_resource(res);
	struct gpu_buddy_block *block;
	u64 size;

	list_for_each_entry(block, &vres->blocks, link) {
		size = gpu_buddy_block_size(&mgr->mm, block);
		if (offset < size)
			return gpu_buddy_block_offset(block) + offset;
		offset -= size;
	}
	drm_WARN_ON_ONCE(mgr->drm, 1);
	return 0;
}

/*
 * Appends the free blocks of the allocator to @ranges, as far as @max
 * allows, and returns @n plus their number: with @max 0, only counts.
 */
static size_t __vdgpu_vram_mgr_map_free(struct vdgpu_vram_mgr *mgr,
					struct vdgpu_region_range *ranges,
					size_t max, size_t n)
{
	struct gpu_buddy *mm = &mgr->mm;
	struct gpu_buddy_block *block;
	unsigned int tree, order;
	struct rb_node *node;

	lockdep_assert_held(&mgr->lock);

	/* gpu_buddy keeps no list of its free blocks: walk its trees. */
	for_each_free_tree(tree) {
		for (order = 0; order <= mm->max_order; order++) {
			node = rb_first(&mm->free_trees[tree][order]);
			for (; node; node = rb_next(node), n++) {
				if (n >= max)
					continue;
				block = rb_entry(node, struct gpu_buddy_block,
						 rb);
				ranges[n] = (struct vdgpu_region_range){
					.start = gpu_buddy_block_offset(block),
					.size = gpu_buddy_block_size(mm, block),
					.state = gpu_buddy_block_is_clear(block) ?
						 VDGPU_RANGE_FREE_CLEAR :
						 VDGPU_RANGE_FREE_DIRTY,
				};
			}
		}
	}
	return n;
}

/* As __vdgpu_vram_mgr_map_free(), for the blocks of one LRU entry. */
static size_t __vdgpu_vram_mgr_map_res(struct vdgpu_vram_mgr *mgr,
				       struct ttm_lru_item *item,
				       vdgpu_region_owner_fn owner,
				       struct vdgpu_region_range *ranges,
				       size_t max, size_t n)
{
	struct vdgpu_region_range used = { .state = VDGPU_RANGE_USED };
	struct vdgpu_vram_mgr_resource *vres;
	struct gpu_buddy_block *block;
	struct ttm_resource *res;

	/* Cursors leave hitches in the lists; the pinned list is shared. */
	if (!ttm_lru_item_is_res(item))
		return n;
	res = ttm_lru_item_to_res(item);
	if (res->mem_type != mgr->mem_type)
		return n;
	vres = to_vdgpu_vram_mgr_resource(res);
	if (n < max && !list_empty(&vres->blocks))
		owner(res->bo, &used);

	list_for_each_entry(block, &vres->blocks, link) {
		if (n < max) {
			used.start = gpu_buddy_block_offset(block);
			used.size = gpu_buddy_block_size(&mgr->mm, block);
			ranges[n] = used;
		}
		n++;
	}
	return n;
}

/*
 * As __vdgpu_vram_mgr_map_free(), for the allocated blocks.  Under the
 * buddy lock, a resource's block list is either empty (not allocated yet,
 * or freed) or complete, and a resource with blocks is on a list: it goes
 * on one before its blocks are allocated and off after they are freed.
 */
static size_t __vdgpu_vram_mgr_map_used(struct vdgpu_vram_mgr *mgr,
					vdgpu_region_owner_fn owner,
					struct vdgpu_region_range *ranges,
					size_t max, size_t n)
{
	struct ttm_resource_manager *man = &mgr->manager;
	struct ttm_device *bdev = man->bdev;
	struct ttm_lru_item *item;
	unsigned int prio;

	lockdep_assert_held(&mgr->lock);

	spin_lock(&bdev->lru_lock);
	for (prio = 0; prio < TTM_MAX_BO_PRIORITY; prio++)
		list_for_each_entry(item, &man->lru[prio], link)
			n = __vdgpu_vram_mgr_map_res(mgr, item, owner, ranges,
						     max, n);
	list_for_each_entry(item, &bdev->pinned, link)
		n = __vdgpu_vram_mgr_map_res(mgr, item, owner, ranges, max, n);
	spin_unlock(&bdev->lru_lock);
	return n;
}

/* Fills @ranges as far as @max allows; returns how many entries there are. */
static size_t __vdgpu_vram_mgr_map(struct vdgpu_vram_mgr *mgr,
				   vdgpu_region_owner_fn owner,
				   struct vdgpu_region_range *ranges, size_t max)
{
	size_t n;

	n = __vdgpu_vram_mgr_map_free(mgr, ranges, max, 0);
	return __vdgpu_vram_mgr_map_used(mgr, owner, ranges, max, n);
}

static int vdgpu_vram_mgr_range_cmp(const void *a, const void *b)
{
	const struct vdgpu_region_range *ra = a, *rb = b;

	if (ra->start == rb->start)
		return 0;
	return ra->start < rb->start ? -1 : 1;
}

/**
 * vdgpu_vram_mgr_map() - every block of VRAM and what holds it
 * @mgr: the manager
 * @owner: fills in the holder of each allocated block from the TTM object
 *	of its resource
 * @ranges: set to the map, sorted by offset, to be freed with kvfree()
 * @count: set to the number of entries
 *
 * One entry per gpu_buddy block: the free ones, with whether they are known
 * to hold zeroes, and those of every resource on the manager's LRU lists
 * and on the device's pinned list.  The entries tile [0, size of the
 * manager) exactly: the blocks are read under the buddy lock, and the
 * resources under TTM's LRU lock inside it.  gpu_buddy has no iterator
 * over its free blocks, so the map reads its free trees, which its header
 * calls private: only reading them, and under the lock that guards them.
 *
 * The map is collected into memory allocated beforehand and sorted once the
 * locks are dropped, so that VRAM allocations wait only for the walk.  That
 * memory is allocated without the buddy lock, or with it (as gpu_buddy
 * allocates) should VRAM have fragmented beyond the allowance meanwhile.
 *
 * Context: Process context, may sleep; takes the buddy lock and TTM's LRU
 * lock inside it.  For debugfs.
 * Return: 0, or -ENOMEM with nothing to free.
 */
int vdgpu_vram_mgr_map(struct vdgpu_vram_mgr *mgr, vdgpu_region_owner_fn owner,
		       struct vdgpu_region_range **ranges, size_t *count)
{
	struct vdgpu_region_range *map;
	size_t max, n;

	mutex_lock(&mgr->lock);
	n = __vdgpu_vram_mgr_map(mgr, owner, NULL, 0);
	mutex_unlock(&mgr->lock);

	max = n + n / 4 + 16;
	map = kvmalloc_array(max, sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;

	mutex_lock(&mgr->lock);
	n = __vdgpu_vram_mgr_map(mgr, owner, map, max);
	if (n > max) {
		/* Under the lock the number cannot change any more. */
		kvfree(map);
		max = n;
		map = kvmalloc_array(max, sizeof(*map), GFP_KERNEL);
		if (map)
			n = __vdgpu_vram_mgr_map(mgr, owner, map, max);
	}
	mutex_unlock(&mgr->lock);
	if (!map)
		return -ENOMEM;

	sort(map, n, sizeof(*map), vdgpu_vram_mgr_range_cmp, NULL);
	*ranges = map;
	*count = n;
	return 0;
}

/**
 * vdgpu_vram_mgr_mark_dirty() - forget which free blocks are clear
 * @mgr: the manager
 *
 * After VRAM lost its contents (power loss), no free block is known to
 * hold zeroes any more: new objects are cleared again.
 *
 * Context: Process context; takes the buddy lock.
 */
void vdgpu_vram_mgr_mark_dirty(struct vdgpu_vram_mgr *mgr)
{
	mutex_lock(&mgr->lock);
	gpu_buddy_reset_clear(&mgr->mm, false);
	mutex_unlock(&mgr->lock);
}
