// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-fence-chain.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>
#include <drm/gpu_scheduler.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_sync.h"

/**
 * DOC: Syncs
 *
 * VM_BIND and EXEC take the same array of &struct drm_vdgpu_sync.  It is
 * parsed before anything is locked: every syncobj looked up, every in-sync's
 * fence taken (an in-sync must have one when the ioctl is made; a
 * timeline point must have been submitted), and a chain node allocated for
 * every timeline out-sync, so that publishing the work's fence once it is
 * queued cannot fail.
 */

#define VDGPU_SYNC_FLAGS	(DRM_VDGPU_SYNC_SIGNAL | DRM_VDGPU_SYNC_TIMELINE)

static int vdgpu_sync_parse(struct drm_file *file,
			    const struct drm_vdgpu_sync *in,
			    struct vdgpu_sync *sync)
{
	struct drm_device *drm = file->minor->dev;
	bool timeline = in->flags & DRM_VDGPU_SYNC_TIMELINE;
	struct dma_fence *fence;
	int ret;

	if ((in->flags & ~VDGPU_SYNC_FLAGS) || in->reserved ||
	    timeline != !!in->point) {
		drm_dbg(drm, "malformed sync\n");
		return -EINVAL;
	}
	sync->syncobj = drm_syncobj_find(file, in->handle);
	if (!sync->syncobj)
		return -ENOENT;
	sync->point = in->point;
	sync->signal = in->flags & DRM_VDGPU_SYNC_SIGNAL;
	if (sync->signal) {
		if (timeline) {
			sync->chain = dma_fence_chain_alloc();
			if (!sync->chain)
				return -ENOMEM;
		}
		return 0;
	}
	ret = drm_syncobj_find_fence(file, in->handle, in->point, 0, &fence);
	if (ret) {
		/* It may have left a pointer to a fence it already put. */
		drm_dbg(drm, "in-sync without a fence\n");
		return -EINVAL;
	}
	sync->fence = fence;
	return 0;
}

/**
 * vdgpu_syncs_parse() - copy in and look up an array of syncs
 * @file: the file the syncobjs belong to
 * @uptr: user pointer to the &struct drm_vdgpu_sync array
 * @num: entries, at most %VDGPU_MAX_SYNCS (checked by the caller)
 * @stride: the caller's element size, a nonzero multiple of 8 (checked by
 * the caller)
 * @out: the parsed array, NULL for @num 0; free with vdgpu_syncs_free()
 * even on error
 *
 * Context: Process context, may sleep.
 * Return: 0; -EINVAL for a malformed sync or an in-sync without a fence,
 * -ENOENT for an unknown syncobj, -EFAULT, -ENOMEM.
 */
int vdgpu_syncs_parse(struct drm_file *file, u64 uptr, u32 num, u32 stride,
		      struct vdgpu_sync **out)
{
	u8 __user *usyncs = u64_to_user_ptr(uptr);
	struct drm_vdgpu_sync in;
	struct vdgpu_sync *syncs;
	u32 i;
	int ret;

	*out = NULL;
	if (!num)
		return 0;
	syncs = kcalloc(num, sizeof(*syncs), GFP_KERNEL);
	if (!syncs)
		return -ENOMEM;
	*out = syncs;
	for (i = 0; i < num; i++) {
		ret = copy_struct_from_user(&in, sizeof(in),
					    usyncs + (size_t)i * stride, stride);
		if (ret)
			return ret == -E2BIG ? -EINVAL : ret;
		ret = vdgpu_sync_parse(file, &in, &syncs[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * vdgpu_syncs_free() - release what vdgpu_syncs_parse() took
 * @syncs: the array, or NULL
 * @num: its entries
 *
 * Context: Process context.
 */
void vdgpu_syncs_free(struct vdgpu_sync *syncs, u32 num)
{
	u32 i;

	if (!syncs)
		return;
	for (i = 0; i < num; i++) {
		dma_fence_chain_free(syncs[i].chain);
		dma_fence_put(syncs[i].fence);
		if (syncs[i].syncobj)
			drm_syncobj_put(syncs[i].syncobj);
	}
	kfree(syncs);
}

/**
 * vdgpu_syncs_wait() - wait for the in-syncs on the CPU
 * @syncs: the array
 * @num: its entries
 *
 * Context: Process context, sleeps; interruptible.
 * Return: 0, -ERESTARTSYS or -EINTR.
 */
int vdgpu_syncs_wait(struct vdgpu_sync *syncs, u32 num)
{
	long ret;
	u32 i;

	for (i = 0; i < num; i++) {
		if (!syncs[i].fence)
			continue;
		ret = dma_fence_wait(syncs[i].fence, true);
		if (ret)
			return ret;
		dma_fence_put(syncs[i].fence);
		syncs[i].fence = NULL;
	}
	return 0;
}

/**
 * vdgpu_syncs_add_deps() - make a job wait for the in-syncs
 * @syncs: the array; its in-fences are handed to @job
 * @num: its entries
 * @job: the job, initialised, not armed
 *
 * Context: Process context, may sleep to allocate.
 * Return: 0 or -ENOMEM.
 */
int vdgpu_syncs_add_deps(struct vdgpu_sync *syncs, u32 num,
			 struct drm_sched_job *job)
{
	int ret;
	u32 i;

	for (i = 0; i < num; i++) {
		if (!syncs[i].fence)
			continue;
		ret = drm_sched_job_add_dependency(job, syncs[i].fence);
		/* The job took the reference, even on error. */
		syncs[i].fence = NULL;
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * vdgpu_syncs_signal() - hand the work's fence to the out-syncs
 * @syncs: the array
 * @num: its entries
 * @fence: the fence
 *
 * Context: Any process context; cannot fail.
 */
void vdgpu_syncs_signal(struct vdgpu_sync *syncs, u32 num,
			struct dma_fence *fence)
{
	struct vdgpu_sync *sync;
	u32 i;

	for (i = 0; i < num; i++) {
		sync = &syncs[i];
		if (!sync->signal)
			continue;
		if (sync->chain) {
			drm_syncobj_add_point(sync->syncobj, sync->chain, fence,
					      sync->point);
			sync->chain = NULL;
		} else {
			drm_syncobj_replace_fence(sync->syncobj, fence);
		}
	}
}
