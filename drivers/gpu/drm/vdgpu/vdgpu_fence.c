// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-fence.h>
#include <linux/slab.h>

#include "vdgpu_engine.h"
#include "vdgpu_fence.h"
#include "vdgpu_trace.h"

/**
 * DOC: Hardware fences
 *
 * Each engine is one dma_fence timeline with its own fence context.  A fence
 * is a FENCE packet at the end of the work it covers: when the engine gets
 * there it writes the fence's 32-bit seqno to the engine's slot in a
 * coherent writeback page and raises its FENCE interrupt.  The interrupt
 * thread reads the slot and signals, in order, every emitted fence whose
 * seqno the written one has reached.  Seqnos are compared modulo 2^32
 * (vdgpu_fence_seqno_passed(), and dma_fence's own 32-bit comparison, since the
 * fences do not set use_64bit_seqno), so they may wrap as long as fewer than
 * 2^31 fences are outstanding, which a ring of a few thousand packets
 * guarantees.
 *
 * Every fence signals.  After a fault or an error the engine is reset and
 * the fences it had not reached signal with -EIO (or whatever error the
 * resetting caller gives, -ETIMEDOUT for a hang); when the device goes away
 * they signal with -ENODEV.
 *
 * A fence may outlive its device: syncobjs, sync_files and other drivers'
 * resvs hold references after the device is unbound and freed.  So a fence
 * points at nothing the device owns: the timeline and driver names are
 * static strings, and its &dma_fence.lock is its own spinlock rather than
 * the engine's, because dma_fence_get_status() and friends take that lock
 * long after signalling.  The engine's &vdgpu_engine.fence_lock only
 * protects its list of unsignalled fences, and signalling happens under it
 * so that a timeline's fences signal in seqno order whoever signals them.
 *
 * A fence is allocated before the ring is locked (vdgpu_fence_alloc()) and
 * initialised under it (vdgpu_fence_init()): nothing on the path that
 * signals fences allocates memory.
 */

struct vdgpu_fence {
	struct dma_fence base;
	/* The fence's own lock: the engine's may be freed before the fence. */
	spinlock_t lock;
	/* On &vdgpu_engine.fences, under &vdgpu_engine.fence_lock. */
	struct list_head link;
	const char *timeline;
};

static struct vdgpu_fence *to_vdgpu_fence(struct dma_fence *fence)
{
	return container_of(fence, struct vdgpu_fence, base);
}

static const char *vdgpu_fence_get_driver_name(struct dma_fence *fence)
{
	return "vdgpu";
}

static const char *vdgpu_fence_get_timeline_name(struct dma_fence *fence)
{
	return to_vdgpu_fence(fence)->timeline;
}

static const struct dma_fence_ops vdgpu_fence_ops = {
	.get_driver_name = vdgpu_fence_get_driver_name,
	.get_timeline_name = vdgpu_fence_get_timeline_name,
};

/**
 * vdgpu_fence_seqno_passed() - whether a hardware seqno has reached a fence's
 * @seqno: the fence's seqno
 * @hw: the last seqno the engine wrote
 *
 * Context: Any context.
 * Return: true if @hw is @seqno or later, modulo 2^32.
 */
bool vdgpu_fence_seqno_passed(u32 seqno, u32 hw)
{
	return (s32)(hw - seqno) >= 0;
}

/**
 * vdgpu_fence_alloc() - allocate a fence for later vdgpu_fence_init()
 *
 * Context: Process context, may sleep; not under locks of the signalling
 * path.
 * Return: the fence, or NULL.
 */
struct dma_fence *vdgpu_fence_alloc(void)
{
	struct vdgpu_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	return f ? &f->base : NULL;
}

/**
 * vdgpu_fence_free() - free a fence vdgpu_fence_init() was not called on
 * @fence: the fence, or NULL
 *
 * Context: Any context.
 */
void vdgpu_fence_free(struct dma_fence *fence)
{
	if (fence)
		kfree(to_vdgpu_fence(fence));
}

/**
 * vdgpu_fence_init() - arm a fence on an engine's timeline
 * @e: the engine
 * @fence: from vdgpu_fence_alloc(); the caller's reference
 * @seqno: the seqno its FENCE packet writes
 *
 * The engine keeps a reference until the fence signals.
 *
 * Context: &vdgpu_engine.ring_lock held, before the FENCE packet is
 * committed.
 */
void vdgpu_fence_init(struct vdgpu_engine *e, struct dma_fence *fence,
		      u32 seqno)
{
	struct vdgpu_fence *f = to_vdgpu_fence(fence);
	unsigned long flags;

	lockdep_assert_held(&e->ring_lock);
	f->timeline = e->name;
	spin_lock_init(&f->lock);
	dma_fence_init(fence, &vdgpu_fence_ops, &f->lock, e->fence_context,
		       seqno);
	dma_fence_get(fence);

	spin_lock_irqsave(&e->fence_lock, flags);
	list_add_tail(&f->link, &e->fences);
	spin_unlock_irqrestore(&e->fence_lock, flags);
}

static void vdgpu_fence_put_list(struct list_head *list)
{
	struct vdgpu_fence *f, *tmp;

	list_for_each_entry_safe(f, tmp, list, link) {
		list_del(&f->link);
		dma_fence_put(&f->base);
	}
}

/* Moves the fences the engine has passed to @done, signalled. */
static void __vdgpu_fence_process(struct vdgpu_engine *e,
				  struct list_head *done)
{
	u32 hw = le32_to_cpu(READ_ONCE(*e->seqno));
	struct vdgpu_fence *f, *tmp;

	lockdep_assert_held(&e->fence_lock);
	list_for_each_entry_safe(f, tmp, &e->fences, link) {
		if (!vdgpu_fence_seqno_passed(f->base.seqno, hw))
			break;
		trace_vdgpu_fence_signal(e->name, f->base.context,
					 f->base.seqno, 0);
		dma_fence_signal(&f->base);
		list_move_tail(&f->link, done);
	}
}

/**
 * vdgpu_fence_process() - signal the fences an engine has completed
 * @e: the engine
 *
 * Context: Any context; takes &vdgpu_engine.fence_lock.  Part of the
 * fence-signalling path.
 */
void vdgpu_fence_process(struct vdgpu_engine *e)
{
	unsigned long flags;
	LIST_HEAD(done);

	spin_lock_irqsave(&e->fence_lock, flags);
	__vdgpu_fence_process(e, &done);
	spin_unlock_irqrestore(&e->fence_lock, flags);
	vdgpu_fence_put_list(&done);
}

/**
 * vdgpu_fence_signal_all() - signal every fence of a stopped engine
 * @e: the engine, which executes nothing any more
 * @error: the error for the fences it did not complete
 *
 * Fences the engine completed signal without error.
 *
 * Context: &vdgpu_engine.ring_lock held, which keeps fences from being
 * emitted meanwhile; takes &vdgpu_engine.fence_lock.  Part of the
 * fence-signalling path.
 */
void vdgpu_fence_signal_all(struct vdgpu_engine *e, int error)
{
	struct vdgpu_fence *f, *tmp;
	unsigned long flags;
	LIST_HEAD(done);

	lockdep_assert_held(&e->ring_lock);
	spin_lock_irqsave(&e->fence_lock, flags);
	__vdgpu_fence_process(e, &done);
	list_for_each_entry_safe(f, tmp, &e->fences, link) {
		dma_fence_set_error(&f->base, error);
		trace_vdgpu_fence_signal(e->name, f->base.context,
					 f->base.seqno, error);
		dma_fence_signal(&f->base);
		list_move_tail(&f->link, &done);
	}
	spin_unlock_irqrestore(&e->fence_lock, flags);
	vdgpu_fence_put_list(&done);
}
