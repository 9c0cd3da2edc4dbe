/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_ENGINE_H_
#define _VDGPU_ENGINE_H_

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct dma_fence;
struct drm_device;
struct drm_gpu_scheduler;
struct vdgpu_device;

/**
 * struct vdgpu_engine - one engine: its ring and its fence timeline
 */
struct vdgpu_engine {
	/** @vdev: the device */
	struct vdgpu_device *vdev;
	/** @id: the hardware engine number */
	unsigned int id;
	/** @name: "copy0", "copy1" or "compute", also the timeline name */
	const char *name;

	/**
	 * @ring_lock: serialises ring writers and engine resets.  Fences are
	 * emitted under it, so seqno order is ring order.  Nests outside
	 * @fence_lock.  Nothing is allocated under it, but it is held while
	 * waiting for ring space and for a reset to complete.
	 */
	struct mutex ring_lock;
	/**
	 * @ring: the ring, CPU view; written under @ring_lock, NULL once the
	 * engine is torn down, which makes submissions fail with -ENODEV
	 */
	__le32 *ring;
	/** @ring_dma: bus address of @ring */
	dma_addr_t ring_dma;
	/** @ring_size: size of @ring in bytes, a power of two */
	u32 ring_size;
	/** @tail: where the next packet goes; under @ring_lock */
	u32 tail;
	/** @next_seqno: the seqno of the next fence; under @ring_lock */
	u32 next_seqno;
	/**
	 * @wedged: the engine did not come out of its last reset, so it
	 * would never complete new work: submissions fail with -EIO until a
	 * reset succeeds; under @ring_lock
	 */
	bool wedged;

	/**
	 * @fence_lock: protects @fences; fences are signalled under it, so
	 * in seqno order.  Taken in the interrupt thread and by resets, in
	 * the fence-signalling path; only each fence's own lock nests inside.
	 */
	spinlock_t fence_lock;
	/** @fences: emitted, unsignalled fences in seqno order */
	struct list_head fences;
	/** @fence_context: the dma_fence context of this timeline */
	u64 fence_context;
	/** @seqno: where the engine writes completed seqnos (coherent memory) */
	__le32 *seqno;
	/** @seqno_dma: bus address of @seqno */
	dma_addr_t seqno_dma;

	/** @reset_work: resets the engine after a fault or an error */
	struct work_struct reset_work;
	/** @resets: number of resets so far */
	atomic_t resets;
	/** @last_error: ERROR_CODE at the last ERROR interrupt */
	u32 last_error;
	/** @last_fault_info: FAULT_INFO at the last FAULT interrupt */
	u32 last_fault_info;
	/** @last_fault_addr: FAULT_ADDR at the last FAULT interrupt */
	u64 last_fault_addr;
};

int vdgpu_engines_init(struct vdgpu_device *vdev);
void vdgpu_engines_fini(struct vdgpu_device *vdev);
int vdgpu_engines_test(struct vdgpu_device *vdev);
void vdgpu_engines_suspend(struct vdgpu_device *vdev);
void vdgpu_engines_resume(struct vdgpu_device *vdev);
void vdgpu_engine_irq(struct vdgpu_engine *e, u32 status);

void vdgpu_sched_fini_drained(struct drm_device *drm,
			      struct drm_gpu_scheduler *sched);

u32 vdgpu_engine_max_dw(const struct vdgpu_engine *e);
int vdgpu_engine_emit(struct vdgpu_engine *e, const u32 *dw, u32 ndw,
		      struct dma_fence *fence);
int vdgpu_engine_submit(struct vdgpu_engine *e, const u32 *dw, u32 ndw,
			struct dma_fence **fence);
int vdgpu_engine_reset(struct vdgpu_engine *e, int error);
bool vdgpu_engine_is_hung(struct vdgpu_engine *e);

u32 vdgpu_engine_pkt_nop(u32 *dw, u32 len);
u32 vdgpu_engine_pkt_copy(u32 *dw, u32 flags, u32 ctx, u64 src, u64 dst,
			  u64 size);
u32 vdgpu_engine_pkt_fill(u32 *dw, u32 flags, u32 ctx, u64 dst, u64 size,
			  u32 pattern);
u32 vdgpu_engine_pkt_pt_write(u32 *dw, u64 offset, const u64 *qw, u32 n);
u32 vdgpu_engine_pkt_batch(u32 *dw, u32 ctx, u64 va, u32 ndw);

#if IS_ENABLED(CONFIG_DRM_VDGPU_KUNIT_TEST)
int vdgpu_engine_set_seqno(struct vdgpu_engine *e, u32 seqno);
#endif

#endif
