/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_MIGRATE_H_
#define _VDGPU_MIGRATE_H_

#include <linux/atomic.h>
#include <linux/dma-resv.h>
#include <linux/types.h>

#include <drm/gpu_scheduler.h>

struct dma_fence;
struct ttm_tt;
struct dma_resv;
struct drm_printer;
struct ttm_resource;
struct vdgpu_device;
struct vdgpu_migrate_batch;

/* The copy engines migration spreads over. */
#define VDGPU_MIGRATE_ENGINES	2

/**
 * struct vdgpu_migrate - the blitter: copies and clears on the copy engines
 *
 * One drm_sched scheduler and kernel entity per copy engine; set up by
 * vdgpu_migrate_init() and torn down with the &drm_device.
 */
struct vdgpu_migrate {
	/** @sched: a scheduler per copy engine, feeding its ring */
	struct drm_gpu_scheduler sched[VDGPU_MIGRATE_ENGINES];
	/** @entity: the kernel's entity on each scheduler */
	struct drm_sched_entity entity[VDGPU_MIGRATE_ENGINES];
	/** @bytes_copied: bytes copied, per engine */
	atomic64_t bytes_copied[VDGPU_MIGRATE_ENGINES];
	/** @bytes_cleared: bytes filled with zeroes, per engine */
	atomic64_t bytes_cleared[VDGPU_MIGRATE_ENGINES];
	/** @jobs: jobs submitted, per engine */
	atomic64_t jobs[VDGPU_MIGRATE_ENGINES];
	/** @timeouts: jobs that timed out and reset their engine */
	atomic64_t timeouts;
};

int vdgpu_migrate_init(struct vdgpu_device *vdev);
struct dma_fence *vdgpu_migrate_copy(struct vdgpu_device *vdev,
				     struct dma_resv *deps,
				     struct ttm_resource *src,
				     struct ttm_resource *dst);
struct dma_fence *vdgpu_migrate_clear(struct vdgpu_device *vdev,
				      struct dma_resv *deps,
				      struct ttm_resource *dst);
struct vdgpu_migrate_batch *
vdgpu_migrate_batch_alloc(struct vdgpu_device *vdev,
			  struct drm_sched_entity *entity, u64 max_dw);
int vdgpu_migrate_batch_add_dep(struct vdgpu_migrate_batch *batch,
				struct dma_fence *fence);
int vdgpu_migrate_batch_add_resv(struct vdgpu_migrate_batch *batch,
				 struct dma_resv *resv,
				 enum dma_resv_usage usage);
u32 *vdgpu_migrate_batch_reserve(struct vdgpu_migrate_batch *batch, u32 ndw);
struct dma_fence *vdgpu_migrate_batch_commit(struct vdgpu_migrate_batch *batch);
void vdgpu_migrate_batch_abort(struct vdgpu_migrate_batch *batch);
bool vdgpu_migrate_wedged(struct vdgpu_device *vdev);
int vdgpu_migrate_cpu(struct vdgpu_device *vdev, struct ttm_tt *tt,
		      struct ttm_resource *src, struct ttm_resource *dst);
void vdgpu_migrate_suspend(struct vdgpu_device *vdev);
void vdgpu_migrate_resume(struct vdgpu_device *vdev);
void vdgpu_migrate_print(struct vdgpu_device *vdev, struct drm_printer *p);

#endif
