// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/idr.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_tt.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bo.h"
#include "vdgpu_device.h"
#include "vdgpu_exec.h"
#include "vdgpu_fdinfo.h"
#include "vdgpu_region.h"

/**
 * DOC: fdinfo
 *
 * /proc/<pid>/fdinfo/<fd> of a vdgpu file follows the DRM client usage
 * stats (Documentation/gpu/drm-usage-stats.rst): the DRM core prints the
 * driver, the client id and name, and vdgpu adds, for each memory region
 * (``vram0``, ``gtt``, ``system``), the objects the file has handles to:
 *
 * - ``drm-total-<region>``: bytes of objects whose memory is in the region
 *   now, or, for an object without memory (purged), that would start there;
 * - ``drm-shared-<region>``: of those, bytes of objects with handles in
 *   more than one file or exported;
 * - ``drm-resident-<region>``: bytes with memory behind them (VRAM and
 *   GTT always, SYSTEM once populated);
 * - ``drm-purgeable-<region>``: bytes marked DONTNEED;
 * - ``drm-active-<region>``: bytes with GPU work or moves in flight.
 *
 * An object's placement is read under its resv; if a signal interrupts
 * the wait for it, the object counts in total and shared (in the region it
 * was created for) but not in the per-state keys.  Then the file's use of
 * the compute engine: ``drm-engine-compute`` (ns its batches ran, the one
 * running included), ``drm-cycles-compute`` and
 * ``drm-total-cycles-compute`` (the device's clock counts nanoseconds).
 * The copy engines run only the kernel's work and are not reported.
 */

static void vdgpu_fdinfo_account(struct drm_gem_object *obj,
				 struct drm_memory_stats *stats)
{
	struct vdgpu_bo *bo = gem_to_vdgpu_bo(obj);
	struct ttm_buffer_object *tbo = &bo->tbo;
	bool shared = obj->handle_count > 1 || obj->dma_buf;
	bool locked = !dma_resv_lock_interruptible(obj->resv, NULL);
	struct drm_memory_stats *s;
	u64 size = obj->size;

	/* Where it was created is the best guess without the lock. */
	s = &stats[locked ? vdgpu_bo_region(bo) : bo->regions[0]];
	if (shared)
		s->shared += size;
	else
		s->private += size;
	if (!locked)
		return;

	if (tbo->resource && (tbo->resource->mem_type != TTM_PL_SYSTEM ||
			      (tbo->ttm && ttm_tt_is_populated(tbo->ttm))))
		s->resident += size;
	if (bo->madv == DRM_VDGPU_MADV_DONTNEED)
		s->purgeable += size;
	if (!dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_BOOKKEEP))
		s->active += size;
	dma_resv_unlock(obj->resv);
}

/**
 * vdgpu_show_fdinfo() - &drm_driver.show_fdinfo
 * @p: the printer into the fdinfo file
 * @file: the DRM file
 *
 * Objects are visited one at a time: a reference is taken under the
 * file's table lock, and the object's resv is taken after dropping it.
 *
 * Context: Process context; takes the file's table lock and objects'
 * resvs, interruptibly.
 */
void vdgpu_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct vdgpu_device *vdev = to_vdgpu_device(file->minor->dev);
	struct drm_memory_stats stats[VDGPU_NUM_REGIONS] = {};
	struct drm_gem_object *obj;
	unsigned int i;
	int id = 0;

	for (;;) {
		spin_lock(&file->table_lock);
		obj = idr_get_next(&file->object_idr, &id);
		if (obj)
			drm_gem_object_get(obj);
		spin_unlock(&file->table_lock);
		if (!obj)
			break;
		vdgpu_fdinfo_account(obj, stats);
		drm_gem_object_put(obj);
		id++;
	}

	for (i = 0; i < VDGPU_NUM_REGIONS; i++)
		drm_print_memory_stats(p, &stats[i],
				       DRM_GEM_OBJECT_RESIDENT |
				       DRM_GEM_OBJECT_PURGEABLE,
				       vdgpu_region_get(vdev, i)->name);
	vdgpu_exec_show_fdinfo(p, file);
}
