/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_KUNIT_HELPERS_H_
#define _VDGPU_KUNIT_HELPERS_H_

#include <linux/types.h>

#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>

struct dma_fence;
struct drm_device;
struct kunit;
struct platform_device;
struct ttm_buffer_object;
struct ttm_placement;
struct vdgpu_bo;
struct vdgpu_device;
struct vdgpu_engine;
struct vdgpu_params;
struct vdgpu_sim;

/**
 * struct vdgpu_kunit_vm - a test's hand-built MMU context
 */
struct vdgpu_kunit_vm {
	/** @vdev: the device */
	struct vdgpu_device *vdev;
	/** @ctx: the MMU context number */
	u32 ctx;
	/** @root: VRAM offset of the root table */
	u64 root;
	/** @next_table: VRAM offset of the next free table */
	u64 next_table;
	/** @end: end of the VRAM range the tables come from */
	u64 end;
};

void vdgpu_kunit_default_params(struct vdgpu_params *params);
void vdgpu_kunit_bo_fill(struct kunit *test, struct vdgpu_device *vdev,
			 struct vdgpu_bo *bo, u32 seed);
void vdgpu_kunit_bo_check(struct kunit *test, struct vdgpu_device *vdev,
			  struct vdgpu_bo *bo, u32 seed);
void vdgpu_kunit_bo_check_zero(struct kunit *test, struct vdgpu_device *vdev,
			       struct vdgpu_bo *bo);
int vdgpu_kunit_bo_try_create(struct kunit *test, struct vdgpu_device *vdev,
			      u64 size, const u32 *regions, u32 num_regions,
			      u32 flags, enum ttm_bo_type type,
			      struct vdgpu_bo **out);
struct vdgpu_bo *vdgpu_kunit_bo_create(struct kunit *test,
				       struct vdgpu_device *vdev, u64 size,
				       const u32 *regions, u32 num_regions,
				       u32 flags);
void vdgpu_kunit_bo_put(struct kunit *test, struct vdgpu_bo *bo);
void vdgpu_kunit_bo_pin(struct kunit *test, struct vdgpu_bo *bo);
void vdgpu_kunit_bo_unpin(struct kunit *test, struct vdgpu_bo *bo);
u32 vdgpu_kunit_bo_region(struct vdgpu_bo *bo);
bool vdgpu_kunit_bo_madvise(struct vdgpu_bo *bo, u32 advice);
void vdgpu_kunit_bo_wait_idle(struct kunit *test, struct vdgpu_bo *bo);
void vdgpu_kunit_bo_move(struct kunit *test, struct vdgpu_bo *bo, u32 mem_type);
void vdgpu_kunit_bo_flush(struct vdgpu_device *vdev);
struct dma_fence *vdgpu_kunit_bo_add_fence(struct kunit *test,
					   struct vdgpu_bo *bo, bool lazy);
struct platform_device *
vdgpu_kunit_add_pdev(struct kunit *test, const struct vdgpu_params *params);
int vdgpu_kunit_probe(struct kunit *test, struct platform_device *pdev);
struct vdgpu_sim *vdgpu_kunit_add_board(struct kunit *test,
					const struct vdgpu_params *params);
void vdgpu_kunit_remove_board(struct kunit *test, struct vdgpu_sim *sim);
struct vdgpu_device *vdgpu_kunit_device(struct kunit *test,
					const struct vdgpu_params *params);

int vdgpu_kunit_run(struct kunit *test, struct vdgpu_engine *e,
		    const u32 *dw, u32 ndw);
void *vdgpu_kunit_sysmem(struct kunit *test, struct vdgpu_device *vdev,
			 size_t size, dma_addr_t *dma);
void vdgpu_kunit_vram_write(struct vdgpu_device *vdev, u64 offset,
			    const void *buf, size_t len);
void vdgpu_kunit_vram_read(struct vdgpu_device *vdev, u64 offset, void *buf,
			   size_t len);
void vdgpu_kunit_vram_write64(struct vdgpu_device *vdev, u64 offset, u64 val);
void vdgpu_kunit_gart_enable(struct vdgpu_device *vdev, u64 table);
void vdgpu_kunit_gart_map(struct vdgpu_device *vdev, u64 table, u64 index,
			  u64 pte);
void vdgpu_kunit_vm_init(struct kunit *test, struct vdgpu_kunit_vm *vm,
			 struct vdgpu_device *vdev, u32 ctx, u64 tables,
			 u64 size);
void vdgpu_kunit_vm_map(struct kunit *test, struct vdgpu_kunit_vm *vm,
			u64 va, u64 pte, unsigned int level);
/**
 * struct vdgpu_kunit_ttm - a fake TTM device for memory manager tests
 *
 * A bare DRM device with GEM, and a TTM device whose driver callbacks are
 * just enough to create, evict to system memory and destroy buffer objects
 * that hold no data.  Made by vdgpu_kunit_ttm_device().
 */
struct vdgpu_kunit_ttm {
	/** @drm: the DRM device, with a GEM vma offset manager */
	struct drm_device *drm;
	/** @bdev: the TTM device */
	struct ttm_device bdev;
};

struct vdgpu_kunit_ttm *vdgpu_kunit_ttm_device(struct kunit *test);
struct ttm_buffer_object *vdgpu_kunit_fake_bo(struct kunit *test,
					      struct vdgpu_kunit_ttm *ttm,
					      u64 size);
struct ttm_buffer_object *vdgpu_kunit_ttm_bo(struct kunit *test,
					     struct vdgpu_kunit_ttm *ttm,
					     u64 size,
					     struct ttm_placement *placement);

#endif
