/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_SYNC_H_
#define _VDGPU_SYNC_H_

#include <linux/types.h>

struct dma_fence;
struct dma_fence_chain;
struct drm_file;
struct drm_sched_job;
struct drm_syncobj;

/* The most syncs one ioctl takes. */
#define VDGPU_MAX_SYNCS		64

/**
 * struct vdgpu_sync - a parsed &struct drm_vdgpu_sync
 */
struct vdgpu_sync {
	/** @syncobj: referenced */
	struct drm_syncobj *syncobj;
	/** @fence: an in-sync's fence, referenced until handed on */
	struct dma_fence *fence;
	/** @chain: a timeline out-sync's preallocated point */
	struct dma_fence_chain *chain;
	/** @point: the timeline point, 0 for a binary syncobj */
	u64 point;
	/** @signal: an out-sync */
	bool signal;
};

int vdgpu_syncs_parse(struct drm_file *file, u64 uptr, u32 num, u32 stride,
		      struct vdgpu_sync **out);
void vdgpu_syncs_free(struct vdgpu_sync *syncs, u32 num);
int vdgpu_syncs_wait(struct vdgpu_sync *syncs, u32 num);
int vdgpu_syncs_add_deps(struct vdgpu_sync *syncs, u32 num,
			 struct drm_sched_job *job);
void vdgpu_syncs_signal(struct vdgpu_sync *syncs, u32 num,
			struct dma_fence *fence);

#endif
