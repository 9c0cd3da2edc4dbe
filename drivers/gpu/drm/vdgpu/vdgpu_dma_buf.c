// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>

#include <drm/drm_device.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_ttm_helper.h>
#include <drm/drm_prime.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_tt.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bo.h"
#include "vdgpu_device.h"
#include "vdgpu_dma_buf.h"

/**
 * DOC: PRIME
 *
 * Objects are shared through dma-bufs with the DRM core's PRIME helpers;
 * vdgpu supplies what they need of a GEM object.
 *
 * Export: importers are static (the kernel's dynamic importer interface
 * is not used), so attaching pins the object where every importer can
 * reach it: in GTT, or in SYSTEM with its pages populated when the GTT
 * aperture is full, never in VRAM, which no other device can address.
 * The scatter list handed out is built from the object's pages.  While
 * pinned it neither moves nor is evicted or swapped, which keeps the
 * importer's view valid; the last detach unpins it.  Kernel mappings
 * (vmap) are refused for objects in VRAM.
 *
 * Import: a foreign dma-buf becomes an object of TTM's sg type, in GTT
 * (bound into the GART from the importer's scatter list) and sharing the
 * dma-buf's reservation object, so implicit synchronisation works both
 * ways.  Its pages are the exporter's: they are never allocated, freed or
 * swapped by vdgpu.  CPU mappings of an imported object are mappings of
 * the dma-buf (dma_buf_mmap()).  Importing one of vdgpu's own dma-bufs
 * into the same device returns the original object.
 */

static const struct ttm_place vdgpu_dma_buf_places[] = {
	{ .mem_type = TTM_PL_TT },
	{ .mem_type = TTM_PL_SYSTEM, .flags = TTM_PL_FLAG_FALLBACK },
};

static const struct ttm_placement vdgpu_dma_buf_placement = {
	.num_placement = ARRAY_SIZE(vdgpu_dma_buf_places),
	.placement = vdgpu_dma_buf_places,
};

/**
 * vdgpu_gem_pin() - &drm_gem_object_funcs.pin: pin for an importer
 * @obj: the object, its resv held
 *
 * Context: Process context, may sleep; the resv is held.
 * Return: 0 or a negative errno, with the object unpinned.
 */
int vdgpu_gem_pin(struct drm_gem_object *obj)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct vdgpu_bo *bo = gem_to_vdgpu_bo(obj);
	struct ttm_buffer_object *tbo = &bo->tbo;
	struct ttm_placement placement = vdgpu_dma_buf_placement;
	int ret;

	vdgpu_bo_assert_held(bo);
	if (tbo->pin_count) {
		ttm_bo_pin(tbo);
		return 0;
	}
	ret = ttm_bo_validate(tbo, &placement, &ctx);
	if (ret)
		return ret;
	/* SYSTEM does not populate: the importer needs the pages now. */
	ret = ttm_tt_populate(tbo->bdev, tbo->ttm, &ctx);
	if (ret)
		return ret;
	ttm_bo_pin(tbo);
	return 0;
}

/**
 * vdgpu_gem_unpin() - &drm_gem_object_funcs.unpin
 * @obj: the object, its resv held, pinned by vdgpu_gem_pin()
 *
 * Context: Any context that holds the resv.
 */
void vdgpu_gem_unpin(struct drm_gem_object *obj)
{
	vdgpu_bo_unpin(gem_to_vdgpu_bo(obj));
}

/**
 * vdgpu_gem_get_sg_table() - &drm_gem_object_funcs.get_sg_table
 * @obj: the object, pinned by vdgpu_gem_pin()
 *
 * Context: Process context; the object is pinned, so its pages stay.
 * Return: a new scatter list of the object's pages, or an ERR_PTR.
 */
struct sg_table *vdgpu_gem_get_sg_table(struct drm_gem_object *obj)
{
	struct ttm_buffer_object *tbo = &gem_to_vdgpu_bo(obj)->tbo;

	if (!tbo->pin_count || !tbo->ttm || !ttm_tt_is_populated(tbo->ttm))
		return ERR_PTR(-EINVAL);
	return drm_prime_pages_to_sg(obj->dev, tbo->ttm->pages,
				     tbo->ttm->num_pages);
}

/**
 * vdgpu_gem_vmap() - &drm_gem_object_funcs.vmap
 * @obj: the object, its resv held
 * @map: where the kernel mapping goes
 *
 * Context: Process context; the resv is held.
 * Return: 0, -EINVAL for an object in VRAM (no linear BAR range), or the
 * errno of ttm_bo_vmap().
 */
int vdgpu_gem_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	struct ttm_buffer_object *tbo = &gem_to_vdgpu_bo(obj)->tbo;

	if (!tbo->resource || tbo->resource->mem_type == TTM_PL_VRAM)
		return -EINVAL;
	return drm_gem_ttm_vmap(obj, map);
}

/**
 * vdgpu_gem_mmap_imported() - map an imported object: map its dma-buf
 * @obj: an imported object
 * @vma: the mapping, on which drm_gem_mmap_obj() took a reference
 *
 * Context: Process context, mmap lock held.
 * Return: 0 or the exporter's errno.
 */
int vdgpu_gem_mmap_imported(struct drm_gem_object *obj,
			    struct vm_area_struct *vma)
{
	int ret;

	/* The exporter's mapping must not see our vm_ops. */
	vma->vm_private_data = NULL;
	vma->vm_ops = NULL;
	ret = dma_buf_mmap(obj->dma_buf, vma, 0);
	/* The mapping holds the dma-buf now, not the object. */
	if (!ret)
		drm_gem_object_put(obj);
	return ret;
}

/**
 * vdgpu_gem_prime_import_sg_table() - &drm_driver.gem_prime_import_sg_table
 * @drm: the importing device
 * @attach: the attachment to the foreign dma-buf
 * @sgt: its scatter list, mapped for @drm
 *
 * Context: Process context, may sleep.
 * Return: the new object, or an ERR_PTR: -EINVAL for a size that is not a
 * multiple of the page size, -ENOSPC when the GTT aperture cannot hold it,
 * -ENOMEM.
 */
struct drm_gem_object *
vdgpu_gem_prime_import_sg_table(struct drm_device *drm,
				struct dma_buf_attachment *attach,
				struct sg_table *sgt)
{
	struct vdgpu_device *vdev = to_vdgpu_device(drm);
	struct dma_buf *dmabuf = attach->dmabuf;
	u32 region = DRM_VDGPU_REGION_GTT;
	struct vdgpu_bo *bo;
	int ret;

	if (!dmabuf->size || !PAGE_ALIGNED(dmabuf->size))
		return ERR_PTR(-EINVAL);

	/* The exporter's lock: taken by the caller's resv operations too. */
	dma_resv_lock(dmabuf->resv, NULL);
	ret = vdgpu_bo_create_sg(vdev, dmabuf->size, &region, 1, sgt,
				 dmabuf->resv, &bo);
	dma_resv_unlock(dmabuf->resv);
	if (ret)
		return ERR_PTR(ret);
	return &bo->tbo.base;
}
