// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-resv.h>
#include <linux/error-injection.h>
#include <linux/shrinker.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bo.h"
#include "vdgpu_device.h"
#include "vdgpu_shrinker.h"
#include "vdgpu_trace.h"

/**
 * DOC: Shrinker
 *
 * When system memory runs short, the MM asks the device's shrinker to give
 * some back.  It counts the populated system pages of user objects in
 * SYSTEM and GTT (kept up to date by the TTM populate and unpopulate
 * hooks), and frees them in two steps:
 *
 * 1. Purge: objects marked DONTNEED, on &vdgpu_shrinker.purgeable in the
 *    order they were marked, lose their pages if they are idle and their
 *    resv can be taken without waiting.  CPU mappings are zapped first;
 *    the object reports purged (see GEM_MADVISE).
 * 2. Swap out: TTM's ttm_device_swapout() walks the LRU of GTT and SYSTEM,
 *    moves objects to SYSTEM and copies their pages into shmem, where the
 *    MM can write them to swap.  Their next use swaps them back in
 *    (ttm_tt_populate()).
 *
 * Reclaim may not wait for locks an allocation might hold: resvs are only
 * trylocked (TTM's walk does the same) and the shrinker does not wait for
 * busy objects.  Without __GFP_FS it only purges, since swapping out
 * allocates shmem pages.  Counters in debugfs (``memory``).
 */

/**
 * vdgpu_shrinker_madvise() - follow an object's new madvise state
 * @bo: the object, its resv held, whose &vdgpu_bo.madv just changed
 *
 * Context: Any context that holds the resv; takes &vdgpu_shrinker.lock.
 */
void vdgpu_shrinker_madvise(struct vdgpu_bo *bo)
{
	struct vdgpu_shrinker *s = &to_vdgpu_device(bo->tbo.base.dev)->shrinker;

	vdgpu_bo_assert_held(bo);
	spin_lock(&s->lock);
	if (bo->madv == DRM_VDGPU_MADV_DONTNEED)
		list_move_tail(&bo->purge_link, &s->purgeable);
	else
		list_del_init(&bo->purge_link);
	spin_unlock(&s->lock);
}

/**
 * vdgpu_shrinker_remove() - forget an object being destroyed
 * @bo: the object
 *
 * Context: Process context; takes &vdgpu_shrinker.lock.
 */
void vdgpu_shrinker_remove(struct vdgpu_bo *bo)
{
	struct vdgpu_shrinker *s = &to_vdgpu_device(bo->tbo.base.dev)->shrinker;

	spin_lock(&s->lock);
	list_del_init(&bo->purge_link);
	spin_unlock(&s->lock);
}

static unsigned long vdgpu_shrinker_purge(struct vdgpu_device *vdev,
					  unsigned long nr)
{
	struct ttm_operation_ctx ctx = { .no_wait_gpu = true };
	struct vdgpu_shrinker *s = &vdev->shrinker;
	unsigned long freed = 0;
	struct vdgpu_bo *bo;
	struct list_head *pos;
	size_t n = 0;

	spin_lock(&s->lock);
	list_for_each(pos, &s->purgeable)
		n++;
	/* Each object is looked at once; it goes to the tail meanwhile. */
	while (n-- && freed < nr) {
		bo = list_first_entry(&s->purgeable, struct vdgpu_bo,
				      purge_link);
		list_move_tail(&bo->purge_link, &s->purgeable);
		if (!kref_get_unless_zero(&bo->tbo.kref))
			continue;
		spin_unlock(&s->lock);

		if (dma_resv_trylock(bo->tbo.base.resv)) {
			freed += vdgpu_bo_purge(bo, &ctx);
			dma_resv_unlock(bo->tbo.base.resv);
		}
		ttm_bo_put(&bo->tbo);
		spin_lock(&s->lock);
	}
	spin_unlock(&s->lock);

	atomic64_add(freed, &s->purged);
	return freed;
}

/**
 * vdgpu_shrinker_shrink() - give back system pages of objects
 * @vdev: the device
 * @nr: how many pages to aim for
 * @gfp: the allocation context that needs them; swapping out needs
 * __GFP_FS
 *
 * The shrinker's scan, also called directly by tests.
 *
 * Context: Process context, reclaim included; only trylocks resvs.
 * Return: pages freed, purged or swapped out.
 */
unsigned long vdgpu_shrinker_shrink(struct vdgpu_device *vdev,
				    unsigned long nr, gfp_t gfp)
{
	struct ttm_operation_ctx ctx = {
		.no_wait_gpu = true,
		.gfp_retry_mayfail = true,
	};
	struct vdgpu_shrinker *s = &vdev->shrinker;
	unsigned long freed;
	int ret;

	freed = vdgpu_shrinker_purge(vdev, nr);
	if (!(gfp & __GFP_FS))
		return freed;

	while (freed < nr) {
		ret = ttm_device_swapout(&vdev->ttm, &ctx,
					 GFP_KERNEL | __GFP_NORETRY |
					 __GFP_NOWARN);
		if (ret <= 0)
			break;
		atomic64_add(ret, &s->swapped_out);
		trace_vdgpu_swap(ret, true);
		freed += ret;
	}
	return freed;
}

static unsigned long vdgpu_shrinker_count(struct shrinker *shrinker,
					  struct shrink_control *sc)
{
	struct vdgpu_device *vdev = shrinker->private_data;
	long pages = atomic_long_read(&vdev->shrinker.pages);

	return pages > 0 ? pages : SHRINK_EMPTY;
}

static unsigned long vdgpu_shrinker_scan(struct shrinker *shrinker,
					 struct shrink_control *sc)
{
	struct vdgpu_device *vdev = shrinker->private_data;
	unsigned long freed;

	freed = vdgpu_shrinker_shrink(vdev, sc->nr_to_scan, sc->gfp_mask);
	sc->nr_scanned = freed;
	return freed ?: SHRINK_STOP;
}

/**
 * vdgpu_shrinker_print() - the shrinker's counters
 * @vdev: the device
 * @p: where to
 *
 * One line: ``shrinkable=<pages> purged=<pages> swapped_out=<pages>
 * swapped_in=<pages>``.
 *
 * Context: Any process context.
 */
void vdgpu_shrinker_print(struct vdgpu_device *vdev, struct drm_printer *p)
{
	struct vdgpu_shrinker *s = &vdev->shrinker;

	drm_printf(p, "shrinkable=%ld purged=%lld swapped_out=%lld swapped_in=%lld\n",
		   atomic_long_read(&s->pages), atomic64_read(&s->purged),
		   atomic64_read(&s->swapped_out),
		   atomic64_read(&s->swapped_in));
}

static void vdgpu_shrinker_release(struct drm_device *drm, void *data)
{
	struct vdgpu_shrinker *s = data;

	shrinker_free(s->shrinker);
}

/**
 * vdgpu_shrinker_init() - register the device's shrinker
 * @vdev: the device, whose TTM device is set up
 *
 * The shrinker lives as long as the objects it shrinks, so it goes with
 * the &drm_device, before the TTM device.
 *
 * Context: Process context; probe.
 * Return: 0 or -ENOMEM, with nothing left to undo.
 */
int vdgpu_shrinker_init(struct vdgpu_device *vdev)
{
	struct vdgpu_shrinker *s = &vdev->shrinker;

	spin_lock_init(&s->lock);
	INIT_LIST_HEAD(&s->purgeable);
	s->shrinker = shrinker_alloc(0, "drm-vdgpu:%s",
				     dev_name(vdev->drm.dev));
	if (!s->shrinker)
		return -ENOMEM;
	s->shrinker->count_objects = vdgpu_shrinker_count;
	s->shrinker->scan_objects = vdgpu_shrinker_scan;
	s->shrinker->private_data = vdev;
	shrinker_register(s->shrinker);
	return drmm_add_action_or_reset(&vdev->drm, vdgpu_shrinker_release, s);
}
ALLOW_ERROR_INJECTION(vdgpu_shrinker_init, ERRNO);
