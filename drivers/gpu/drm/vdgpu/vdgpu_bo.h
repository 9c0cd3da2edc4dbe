/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_BO_H_
#define _VDGPU_BO_H_

#include <linux/dma-resv.h>
#include <linux/ktime.h>
#include <linux/types.h>

#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>

#include "vdgpu_region.h"

struct drm_device;
struct drm_file;
struct sg_table;
struct vdgpu_device;

/*
 * LRU priorities: TTM evicts from the lowest first.  Purgeable objects go
 * before anything else, kernel objects last.
 */
#define VDGPU_BO_PRIO_PURGEABLE	0
#define VDGPU_BO_PRIO_USER	1
#define VDGPU_BO_PRIO_KERNEL	2

/* Moves an object remembers, for debugfs (bo_moves). */
#define VDGPU_BO_MOVE_HISTORY	4

/*
 * The placement of an object without memory in its move history: no
 * resource at all (new, or purged), or its pages swapped out to shmem.
 */
#define VDGPU_BO_NOWHERE	U8_MAX

/**
 * enum vdgpu_bo_move_reason - why an object moved, in its move history
 * @VDGPU_BO_MOVE_CREATE: it got memory, having none (new, or purged)
 * @VDGPU_BO_MOVE_VALIDATE: it was validated somewhere else
 * @VDGPU_BO_MOVE_EVICT: TTM evicted it (to make room, suspend, swap-out)
 * @VDGPU_BO_MOVE_SWAP_OUT: its system pages went to shmem
 * @VDGPU_BO_MOVE_SWAP_IN: its system pages came back from shmem
 * @VDGPU_BO_MOVE_PURGE: its memory was discarded (DONTNEED)
 * @VDGPU_BO_MOVE_FAULT: a CPU fault moved it where the CPU reaches it
 */
enum vdgpu_bo_move_reason {
	VDGPU_BO_MOVE_CREATE,
	VDGPU_BO_MOVE_VALIDATE,
	VDGPU_BO_MOVE_EVICT,
	VDGPU_BO_MOVE_SWAP_OUT,
	VDGPU_BO_MOVE_SWAP_IN,
	VDGPU_BO_MOVE_PURGE,
	VDGPU_BO_MOVE_FAULT,
};

/**
 * struct vdgpu_bo_move - an entry of an object's move history
 */
struct vdgpu_bo_move {
	/** @time: when, on CLOCK_MONOTONIC */
	ktime_t time;
	/**
	 * @bytes: bytes an engine or the CPU copied or cleared for the move,
	 * or swapped; 0 when no data moved (binds, purges, known-clear VRAM)
	 */
	u64 bytes;
	/** @from: the TTM placement before, or %VDGPU_BO_NOWHERE */
	u8 from;
	/** @to: the TTM placement after, or %VDGPU_BO_NOWHERE */
	u8 to;
	/** @reason: an &enum vdgpu_bo_move_reason */
	u8 reason;
};

/**
 * struct vdgpu_bo - a buffer object: a GEM object that is a TTM object
 *
 * Created by vdgpu_bo_create(); the GEM reference count owns one TTM
 * reference, so the object lives until both the last handle, mmap and
 * kernel user are gone and TTM has finished with its memory (busy objects
 * are destroyed later, when their fences signal).
 */
struct vdgpu_bo {
	/** @tbo: the TTM object; @tbo.base is the GEM object */
	struct ttm_buffer_object tbo;
	/** @placement: where the object may live, built from @regions */
	struct ttm_placement placement;
	/**
	 * @places: the entries of @placement, in @regions' order, leaving out
	 * the regions too small to ever hold the object, then
	 * &vdgpu_ttm_no_space_place
	 */
	struct ttm_place places[VDGPU_NUM_REGIONS + 1];
	/** @regions: the allowed region ids, most preferred first */
	u32 regions[VDGPU_NUM_REGIONS];
	/** @num_regions: entries in @regions */
	u32 num_regions;
	/** @flags: %DRM_VDGPU_GEM_CREATE_* flags; immutable */
	u32 flags;
	/**
	 * @madv: %DRM_VDGPU_MADV_WILLNEED or %DRM_VDGPU_MADV_DONTNEED; under
	 * the object's resv
	 */
	u32 madv;
	/**
	 * @purged: the contents were discarded since the object was last
	 * marked WILLNEED; under the object's resv
	 */
	bool purged;
	/**
	 * @purge_link: in &vdgpu_shrinker.purgeable while marked DONTNEED;
	 * under &vdgpu_shrinker.lock
	 */
	struct list_head purge_link;
	/**
	 * @vm_resv_obj: for an object private to a VM, the VM's resv object
	 * (&drm_gpuvm.r_obj), whose reservation object the object shares;
	 * referenced, so that the reservation object outlives the object.
	 * NULL for an object that may be shared.  Immutable.
	 */
	struct drm_gem_object *vm_resv_obj;
	/**
	 * @id: names the object in debugfs: a device-wide number, from 1,
	 * never reused (&vdgpu_device.next_bo_id).  Immutable.
	 */
	u64 id;
	/**
	 * @client_id: the &drm_file.client_id of the file whose GEM_CREATE
	 * made the object, so that debugfs tells whose memory is where; 0 for
	 * kernel objects and imports.  Immutable.
	 */
	u64 client_id;
	/**
	 * @last_use: jiffies when the object was last created, moved,
	 * validated for the GPU or the CPU, or faulted: how long an object at
	 * the head of an LRU list has been idle.  Written under the resv, read
	 * by debugfs without it (READ_ONCE()), under TTM's LRU lock.
	 */
	unsigned long last_use;
	/**
	 * @move_reason: what the move hook records for a move that neither
	 * creates nor evicts: %VDGPU_BO_MOVE_FAULT while the fault path
	 * validates, %VDGPU_BO_MOVE_VALIDATE otherwise.  Under the resv.
	 */
	u8 move_reason;
	/**
	 * @num_moves: moves recorded since creation; the latest is at
	 * @moves[(@num_moves - 1) % %VDGPU_BO_MOVE_HISTORY].  Under the resv,
	 * which every move holds.
	 */
	u32 num_moves;
	/**
	 * @moves: the last %VDGPU_BO_MOVE_HISTORY moves, a ring, for debugfs
	 * to tell where an object has been and why.  Under the resv.
	 */
	struct vdgpu_bo_move moves[VDGPU_BO_MOVE_HISTORY];
};

/**
 * to_vdgpu_bo() - the vdgpu object embedding a TTM object
 * @tbo: a TTM object created by vdgpu_bo_create(); see vdgpu_bo_is_vdgpu()
 *
 * Return: the containing &struct vdgpu_bo.
 */
static inline struct vdgpu_bo *to_vdgpu_bo(struct ttm_buffer_object *tbo)
{
	return container_of(tbo, struct vdgpu_bo, tbo);
}

/**
 * gem_to_vdgpu_bo() - the vdgpu object embedding a GEM object
 * @obj: a GEM object of a vdgpu device
 *
 * Return: the containing &struct vdgpu_bo.
 */
static inline struct vdgpu_bo *gem_to_vdgpu_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct vdgpu_bo, tbo.base);
}

/**
 * vdgpu_bo_assert_held() - lockdep check that the object's resv is held
 * @bo: the object
 */
static inline void vdgpu_bo_assert_held(struct vdgpu_bo *bo)
{
	dma_resv_assert_held(bo->tbo.base.resv);
}

bool vdgpu_bo_is_vdgpu(const struct ttm_buffer_object *tbo);
int vdgpu_bo_create(struct vdgpu_device *vdev, u64 size, const u32 *regions,
		    u32 num_regions, u32 flags, enum ttm_bo_type type,
		    struct vdgpu_bo **out);
int vdgpu_bo_create_sg(struct vdgpu_device *vdev, u64 size,
		       const u32 *regions, u32 num_regions,
		       struct sg_table *sg, struct dma_resv *resv,
		       struct vdgpu_bo **out);
int vdgpu_bo_create_locked(struct vdgpu_device *vdev, u64 size,
			   const u32 *regions, u32 num_regions, u32 flags,
			   enum ttm_bo_type type, struct dma_resv *resv,
			   struct vdgpu_bo **out);
void vdgpu_bo_put(struct vdgpu_bo *bo);
bool vdgpu_bo_allows(struct vdgpu_bo *bo, u32 region);
bool vdgpu_bo_gpu_mappable(struct vdgpu_bo *bo);
int vdgpu_bo_validate_gpu(struct vdgpu_bo *bo, struct ttm_operation_ctx *ctx);
int vdgpu_bo_validate_region(struct vdgpu_bo *bo, u32 region,
			     struct ttm_operation_ctx *ctx);
int vdgpu_bo_validate(struct vdgpu_bo *bo, struct ttm_operation_ctx *ctx);
int vdgpu_bo_pin(struct vdgpu_bo *bo, struct ttm_operation_ctx *ctx);
void vdgpu_bo_unpin(struct vdgpu_bo *bo);
bool vdgpu_bo_madvise(struct vdgpu_bo *bo, u32 advice);
bool vdgpu_bo_purge_on_evict(struct vdgpu_bo *bo);
unsigned long vdgpu_bo_purge(struct vdgpu_bo *bo,
			     struct ttm_operation_ctx *ctx);
u32 vdgpu_bo_region(struct vdgpu_bo *bo);
void vdgpu_bo_mark_used(struct vdgpu_bo *bo);
void vdgpu_bo_record_move(struct vdgpu_bo *bo, u32 from, u32 to,
			  enum vdgpu_bo_move_reason reason, u64 bytes);
u64 vdgpu_gem_max_object_size(struct vdgpu_device *vdev);

int vdgpu_gem_create_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file);
int vdgpu_gem_mmap_offset_ioctl(struct drm_device *drm, void *data,
				struct drm_file *file);
int vdgpu_gem_wait_ioctl(struct drm_device *drm, void *data,
			 struct drm_file *file);
int vdgpu_gem_info_ioctl(struct drm_device *drm, void *data,
			 struct drm_file *file);
int vdgpu_gem_madvise_ioctl(struct drm_device *drm, void *data,
			    struct drm_file *file);

#endif
