/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_SHRINKER_H_
#define _VDGPU_SHRINKER_H_

#include <linux/atomic.h>
#include <linux/gfp_types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct drm_printer;
struct shrinker;
struct vdgpu_bo;
struct vdgpu_device;

/**
 * struct vdgpu_shrinker - gives system memory back under pressure
 */
struct vdgpu_shrinker {
	/** @shrinker: registered with the MM; NULL until set up */
	struct shrinker *shrinker;
	/**
	 * @lock: protects @purgeable and every &vdgpu_bo.purge_link; a
	 * spinlock taken in reclaim, under nothing and around nothing else
	 */
	spinlock_t lock;
	/** @purgeable: objects marked DONTNEED, least recently marked first */
	struct list_head purgeable;
	/**
	 * @pages: populated system pages of user objects (SYSTEM and GTT),
	 * what the shrinker may give back
	 */
	atomic_long_t pages;
	/**
	 * @swapped_out: pages TTM's swap-out gave back: copied to shmem, or,
	 * for objects already deleted and waiting for their fences, freed
	 */
	atomic64_t swapped_out;
	/** @swapped_in: pages swapped back in */
	atomic64_t swapped_in;
	/** @purged: pages of DONTNEED objects discarded by the shrinker */
	atomic64_t purged;
};

int vdgpu_shrinker_init(struct vdgpu_device *vdev);
void vdgpu_shrinker_madvise(struct vdgpu_bo *bo);
void vdgpu_shrinker_remove(struct vdgpu_bo *bo);
unsigned long vdgpu_shrinker_shrink(struct vdgpu_device *vdev,
				    unsigned long nr, gfp_t gfp);
void vdgpu_shrinker_print(struct vdgpu_device *vdev, struct drm_printer *p);

#endif
