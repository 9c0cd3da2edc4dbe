// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>
#include <linux/dma-fence.h>
#include <linux/dma-mapping.h>
#include <linux/error-injection.h>
#include <linux/iopoll.h>
#include <linux/jiffies.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/gpu_scheduler.h>

#include "vdgpu_device.h"
#include "vdgpu_engine.h"
#include "vdgpu_fence.h"
#include "vdgpu_mmio.h"
#include "vdgpu_regs.h"

/**
 * DOC: Engines and rings
 *
 * Each engine gets a 64 KiB ring in coherent system memory and a seqno slot
 * in a shared coherent writeback page.  Probe ends with a ring test
 * (vdgpu_engines_test()): a fence on every engine, waited for, so that a
 * device whose engines or interrupt do not work never registers.
 *
 * Submission (vdgpu_engine_submit()) copies packets into the ring under
 * &vdgpu_engine.ring_lock, appends a FENCE packet with a new seqno, moves
 * RING_TAIL and rings the doorbell.  Ring space is what the engine has
 * consumed: RING_HEAD only moves past completed packets.  A writer that
 * finds the ring full polls RING_HEAD for up to a second and gives up with
 * -ETIMEDOUT, or at once with -EIO if the engine halted.
 *
 * When an engine halts on a fault or an error, the interrupt thread logs
 * the reason and queues &vdgpu_engine.reset_work on the device's
 * &vdgpu_device.reset_wq, which resets the engine (vdgpu_engine_reset()):
 * CTRL.RESET, poll until it clears, signal the fences the engine did not
 * reach with -EIO, reprogram and re-enable the ring.  Work queued behind
 * the offending packet is lost with its fences' errors; resubmitting it is
 * the scheduler's business.  A hang is not detected by the engine unit:
 * whoever times the work out (the scheduler, later, or a test through
 * vdgpu_engine_is_hung()) calls vdgpu_engine_reset() with -ETIMEDOUT.
 *
 * Locking is described in "Driver locks" below.
 */

/**
 * DOC: Driver locks
 *
 * From outermost to innermost; lockdep_assert_held() backs each rule in the
 * functions that rely on it.  The entry points of the paths that signal
 * fences (the interrupt thread, vdgpu_engine_reset(), teardown) are
 * annotated with dma_fence_begin_signalling(), outside every driver lock as
 * lockdep requires, so that lockdep also checks that nothing under them
 * allocates memory or waits for a fence.
 *
 * - &vdgpu_engine.ring_lock (mutex, one per engine) protects the ring (its
 *   tail, the next seqno, whether the engine is wedged or torn down) and
 *   serialises ring writers against resets and teardown, so that a reset
 *   never runs under a half-written packet and seqno order is ring order.
 *   It is taken in the fence-signalling path (the reset worker signals the
 *   fences of a reset engine under it), so nothing may allocate memory or
 *   wait for a fence while holding it; a writer allocates its fence before
 *   taking it.  It may be held while polling for ring space or for a reset
 *   to complete, which the hardware bounds.  Not taken in reclaim.
 * - &vdgpu_engine.fence_lock (spinlock, irqsave, one per engine) protects
 *   the engine's list of unsignalled fences; fences are signalled under it,
 *   in seqno order.  Taken in the interrupt thread and by resets and
 *   teardown (under ring_lock), in the fence-signalling path.
 * - Each fence's own lock (the &dma_fence.lock, a spinlock) is dma_fence's:
 *   it nests inside fence_lock when the fence is signalled, and dma_fence
 *   takes it alone afterwards, possibly after the device is gone.
 *
 * The interrupt handlers take no lock: the hard handler hands the sources
 * it acknowledged to the thread through an atomic, and the thread takes
 * only fence_lock.
 */

#define VDGPU_RING_SIZE		SZ_64K
#define VDGPU_RING_TIMEOUT_US	USEC_PER_SEC
#define VDGPU_RESET_TIMEOUT_US	USEC_PER_SEC
#define VDGPU_ENGINE_TEST_TIMEOUT	(5 * HZ)

static const char * const vdgpu_engine_names[VDGPU_NUM_ENGINES] = {
	[VDGPU_ENGINE_COPY0] = "copy0",
	[VDGPU_ENGINE_COPY1] = "copy1",
	[VDGPU_ENGINE_COMPUTE] = "compute",
};

static u32 vdgpu_engine_read(struct vdgpu_engine *e, u32 reg)
{
	return vdgpu_mmio_read32(e->vdev, VDGPU_ENGINE_BASE(e->id) + reg);
}

static void vdgpu_engine_write(struct vdgpu_engine *e, u32 reg, u32 val)
{
	vdgpu_mmio_write32(e->vdev, VDGPU_ENGINE_BASE(e->id) + reg, val);
}

static int vdgpu_engine_hw_reset(struct vdgpu_engine *e)
{
	u32 ctrl;
	int ret;

	lockdep_assert_held(&e->ring_lock);
	vdgpu_engine_write(e, VDGPU_ENGINE_CTRL, VDGPU_ENGINE_CTRL_RESET);
	ret = read_poll_timeout(vdgpu_engine_read, ctrl,
				!(ctrl & VDGPU_ENGINE_CTRL_RESET), 20,
				VDGPU_RESET_TIMEOUT_US, false, e,
				VDGPU_ENGINE_CTRL);
	if (ret)
		drm_err(&e->vdev->drm, "%s: reset timed out\n", e->name);
	return ret;
}

static void vdgpu_engine_hw_start(struct vdgpu_engine *e)
{
	lockdep_assert_held(&e->ring_lock);
	vdgpu_engine_write(e, VDGPU_ENGINE_RING_BASE_LO,
			   lower_32_bits(e->ring_dma));
	vdgpu_engine_write(e, VDGPU_ENGINE_RING_BASE_HI,
			   upper_32_bits(e->ring_dma));
	vdgpu_engine_write(e, VDGPU_ENGINE_RING_SIZE, e->ring_size);
	e->tail = 0;
	vdgpu_engine_write(e, VDGPU_ENGINE_CTRL, VDGPU_ENGINE_CTRL_ENABLE);
}

/* 0 if @bytes of ring space are free, -EIO if the engine halted, else -EBUSY. */
static int vdgpu_engine_space(struct vdgpu_engine *e, u32 bytes)
{
	u32 head = vdgpu_engine_read(e, VDGPU_ENGINE_RING_HEAD);

	lockdep_assert_held(&e->ring_lock);
	if (((head - e->tail - 4) & (e->ring_size - 1)) >= bytes)
		return 0;
	if (vdgpu_engine_read(e, VDGPU_ENGINE_STATUS) &
	    VDGPU_ENGINE_STATUS_HALTED)
		return -EIO;
	return -EBUSY;
}

static int vdgpu_engine_wait_space(struct vdgpu_engine *e, u32 bytes)
{
	int ret, space;

	ret = read_poll_timeout(vdgpu_engine_space, space, space != -EBUSY,
				20, VDGPU_RING_TIMEOUT_US, false, e, bytes);
	return ret ?: space;
}

static u32 vdgpu_pkt_hdr(u32 opcode, u32 flags, u32 len)
{
	return FIELD_PREP(VDGPU_PKT_HDR_OPCODE, opcode) |
	       FIELD_PREP(VDGPU_PKT_HDR_FLAGS, flags) |
	       FIELD_PREP(VDGPU_PKT_HDR_LEN, len);
}

static void vdgpu_engine_ring_write(struct vdgpu_engine *e, u32 dw)
{
	lockdep_assert_held(&e->ring_lock);
	e->ring[e->tail / 4] = cpu_to_le32(dw);
	e->tail = (e->tail + 4) & (e->ring_size - 1);
}

/**
 * vdgpu_engine_max_dw() - the most packet dwords one submission may carry
 * @e: the engine
 *
 * Half the ring, less the FENCE packet a submission ends with.
 *
 * Context: Any.
 * Return: a count of dwords.
 */
u32 vdgpu_engine_max_dw(const struct vdgpu_engine *e)
{
	return e->ring_size / 2 / 4 - 1 - VDGPU_PKT_FENCE_LEN;
}

/**
 * vdgpu_engine_emit() - queue packets on an engine with a given fence
 * @e: the engine
 * @dw: the packets, as CPU-endian dwords; not checked
 * @ndw: how many, at most vdgpu_engine_max_dw()
 * @fence: from vdgpu_fence_alloc(); on success it is initialised on the
 * engine's timeline and signals when the packets have executed
 *
 * Allocates nothing, so it may run in the fence-signalling path (a
 * scheduler's run_job), as long as the ring has room: the caller bounds
 * what it has in flight to what the ring holds.
 *
 * Context: Process context, may sleep; takes &vdgpu_engine.ring_lock.
 * Return: 0; -EINVAL if the packets cannot fit in the ring, -ETIMEDOUT or
 * -EIO if no ring space came free, -EIO if the engine is wedged, -ENODEV
 * after teardown.  On error the caller still owns @fence.
 */
int vdgpu_engine_emit(struct vdgpu_engine *e, const u32 *dw, u32 ndw,
		      struct dma_fence *fence)
{
	u32 bytes, i, seqno;
	int ret;

	/* Checked before the multiplication so that no @ndw can wrap it. */
	if (ndw > vdgpu_engine_max_dw(e))
		return -EINVAL;
	bytes = (ndw + 1 + VDGPU_PKT_FENCE_LEN) * 4;

	mutex_lock(&e->ring_lock);
	if (!e->ring) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (e->wedged) {
		ret = -EIO;
		goto out_unlock;
	}
	ret = vdgpu_engine_wait_space(e, bytes);
	if (ret)
		goto out_unlock;

	for (i = 0; i < ndw; i++)
		vdgpu_engine_ring_write(e, dw[i]);
	seqno = e->next_seqno++;
	vdgpu_engine_ring_write(e, vdgpu_pkt_hdr(VDGPU_PKT_FENCE,
						 VDGPU_PKT_FENCE_INTERRUPT,
						 VDGPU_PKT_FENCE_LEN));
	vdgpu_engine_ring_write(e, lower_32_bits(e->seqno_dma));
	vdgpu_engine_ring_write(e, upper_32_bits(e->seqno_dma));
	vdgpu_engine_ring_write(e, seqno);
	vdgpu_fence_init(e, fence, seqno);

	/* The register write orders the ring stores before it. */
	vdgpu_engine_write(e, VDGPU_ENGINE_RING_TAIL, e->tail);
	vdgpu_engine_write(e, VDGPU_ENGINE_DOORBELL, 1);
out_unlock:
	mutex_unlock(&e->ring_lock);
	return ret;
}

/**
 * vdgpu_engine_submit() - queue packets on an engine, with a fence
 * @e: the engine
 * @dw: the packets, as CPU-endian dwords; not checked
 * @ndw: how many
 * @fence: on success, the fence that signals when they have executed; the
 * caller owns the reference
 *
 * Context: Process context, may sleep; takes &vdgpu_engine.ring_lock.
 * Return: 0; -EINVAL if the packets cannot fit in the ring, -ENOMEM,
 * -ETIMEDOUT or -EIO if no ring space came free, -EIO if the engine is
 * wedged, -ENODEV after teardown.
 */
int vdgpu_engine_submit(struct vdgpu_engine *e, const u32 *dw, u32 ndw,
			struct dma_fence **fence)
{
	struct dma_fence *f;
	int ret;

	f = vdgpu_fence_alloc();
	if (!f)
		return -ENOMEM;
	ret = vdgpu_engine_emit(e, dw, ndw, f);
	if (ret) {
		vdgpu_fence_free(f);
		return ret;
	}
	*fence = f;
	return 0;
}

/**
 * vdgpu_engine_reset() - reset an engine and fail the work it did not do
 * @e: the engine
 * @error: the error for the fences it had not reached, e.g. -EIO or
 * -ETIMEDOUT
 *
 * Fences the engine had completed signal normally, all others with @error;
 * then the engine restarts with an empty ring.
 *
 * Context: Process context, may sleep; takes &vdgpu_engine.ring_lock.  Part
 * of the fence-signalling path.
 * Return: 0, -ETIMEDOUT if the engine did not come out of reset (it is left
 * stopped and wedged, its fences signalled), or -ENODEV after teardown.
 */
int vdgpu_engine_reset(struct vdgpu_engine *e, int error)
{
	bool cookie;
	int ret;

	/* Outside the ring lock, which the signalling path takes. */
	cookie = dma_fence_begin_signalling();
	mutex_lock(&e->ring_lock);
	if (!e->ring) {
		mutex_unlock(&e->ring_lock);
		dma_fence_end_signalling(cookie);
		return -ENODEV;
	}
	ret = vdgpu_engine_hw_reset(e);
	/* Counted first, so that a fence's waiter sees the reset it got. */
	atomic_inc(&e->resets);
	vdgpu_fence_signal_all(e, error);
	/* Fences emitted on a stopped engine would never signal. */
	e->wedged = ret != 0;
	if (!ret)
		vdgpu_engine_hw_start(e);
	mutex_unlock(&e->ring_lock);
	dma_fence_end_signalling(cookie);

	drm_dbg_driver(&e->vdev->drm, "%s: reset (%d)\n", e->name, error);
	return ret;
}

/**
 * vdgpu_engine_is_hung() - whether an engine has work but makes no progress
 * @e: the engine
 *
 * Context: Any context.
 * Return: the engine's STATUS.HUNG.
 */
bool vdgpu_engine_is_hung(struct vdgpu_engine *e)
{
	return vdgpu_engine_read(e, VDGPU_ENGINE_STATUS) &
	       VDGPU_ENGINE_STATUS_HUNG;
}

static void vdgpu_engine_reset_work(struct work_struct *work)
{
	struct vdgpu_engine *e = container_of(work, struct vdgpu_engine,
					      reset_work);

	vdgpu_engine_reset(e, -EIO);
}

static const char *const vdgpu_error_names[] = {
	[VDGPU_ERROR_NONE] = "none",
	[VDGPU_ERROR_BAD_OPCODE] = "bad opcode",
	[VDGPU_ERROR_BAD_LENGTH] = "bad length",
	[VDGPU_ERROR_TRUNCATED] = "truncated packet",
	[VDGPU_ERROR_BAD_ALIGNMENT] = "bad alignment",
	[VDGPU_ERROR_BAD_ADDRESS] = "bad address",
	[VDGPU_ERROR_BAD_BUS_ADDRESS] = "bad bus address",
	[VDGPU_ERROR_BAD_RING] = "bad ring",
	[VDGPU_ERROR_INJECTED] = "injected",
};

/*
 * The compute engine runs userspace's batches, whose faults and errors are
 * userspace's (recorded in error_state, see "Command submission"); the
 * copy engines run only the driver's packets, whose are the driver's bugs.
 */
static __printf(2, 3)
void vdgpu_engine_report(struct vdgpu_engine *e, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (e->id == VDGPU_ENGINE_COMPUTE)
		drm_dbg_driver(&e->vdev->drm, "%pV", &vaf);
	else
		drm_err_ratelimited(&e->vdev->drm, "%pV", &vaf);
	va_end(args);
}

/**
 * vdgpu_engine_irq() - handle an engine's interrupts
 * @e: the engine
 * @status: its INT_STATUS bits, acknowledged
 *
 * Context: The interrupt thread, in the fence-signalling path.
 */
void vdgpu_engine_irq(struct vdgpu_engine *e, u32 status)
{
	if (status & VDGPU_INT_FENCE(e->id))
		vdgpu_fence_process(e);

	if (status & VDGPU_INT_FAULT(e->id)) {
		u32 info = vdgpu_engine_read(e, VDGPU_ENGINE_FAULT_INFO);
		u64 addr = vdgpu_mmio_read64(e->vdev, VDGPU_ENGINE_BASE(e->id) +
					     VDGPU_ENGINE_FAULT_ADDR_LO);

		WRITE_ONCE(e->last_fault_info, info);
		WRITE_ONCE(e->last_fault_addr, addr);
		vdgpu_engine_report(e,
				    "%s: GPU fault: %s at 0x%llx, context %lu, reason %lu\n",
				    e->name,
				    info & VDGPU_FAULT_INFO_WRITE ? "write" : "read",
				    addr, FIELD_GET(VDGPU_FAULT_INFO_CTX, info),
				    FIELD_GET(VDGPU_FAULT_INFO_REASON, info));
	}
	if (status & VDGPU_INT_ERROR(e->id)) {
		u32 code = vdgpu_engine_read(e, VDGPU_ENGINE_ERROR_CODE);

		WRITE_ONCE(e->last_error, code);
		vdgpu_engine_report(e, "%s: engine error %u (%s)\n", e->name,
				    code, code < ARRAY_SIZE(vdgpu_error_names) ?
				    vdgpu_error_names[code] : "unknown");
	}
	if (status & (VDGPU_INT_FAULT(e->id) | VDGPU_INT_ERROR(e->id)))
		queue_work(e->vdev->reset_wq, &e->reset_work);
}

static int vdgpu_engine_init(struct vdgpu_device *vdev, unsigned int id)
{
	struct vdgpu_engine *e = &vdev->engines[id];
	int ret;

	e->vdev = vdev;
	e->id = id;
	e->name = vdgpu_engine_names[id];
	ret = drmm_mutex_init(&vdev->drm, &e->ring_lock);
	if (ret)
		return ret;
	spin_lock_init(&e->fence_lock);
	INIT_LIST_HEAD(&e->fences);
	INIT_WORK(&e->reset_work, vdgpu_engine_reset_work);
	e->fence_context = dma_fence_context_alloc(1);
	e->seqno = vdev->wb + id * 64;
	e->seqno_dma = vdev->wb_dma + id * 64;
	*e->seqno = 0;
	e->next_seqno = 1;

	e->ring_size = VDGPU_RING_SIZE;
	e->ring = dma_alloc_coherent(vdev->drm.dev, e->ring_size, &e->ring_dma,
				     GFP_KERNEL);
	if (!e->ring)
		return -ENOMEM;

	/* Nobody else can reach the engine yet; the lock is for lockdep. */
	mutex_lock(&e->ring_lock);
	ret = vdgpu_engine_hw_reset(e);
	if (!ret)
		vdgpu_engine_hw_start(e);
	mutex_unlock(&e->ring_lock);
	if (ret) {
		/* The ring was never programmed: the engine cannot reach it. */
		dma_free_coherent(vdev->drm.dev, e->ring_size, e->ring,
				  e->ring_dma);
		e->ring = NULL;
	}
	return ret;
}

/* Returns false if the engine is stuck and may still access its memory. */
static bool vdgpu_engine_fini(struct vdgpu_engine *e)
{
	struct device *dev = e->vdev->drm.dev;
	bool stopped, cookie;

	cancel_work_sync(&e->reset_work);

	cookie = dma_fence_begin_signalling();
	mutex_lock(&e->ring_lock);
	stopped = !vdgpu_engine_hw_reset(e);
	if (stopped)
		dma_free_coherent(dev, e->ring_size, e->ring, e->ring_dma);
	else
		/* The engine may still fetch from the ring: leak it. */
		drm_err(&e->vdev->drm, "%s: leaking the ring of a stuck engine\n",
			e->name);
	vdgpu_fence_signal_all(e, -ENODEV);
	e->ring = NULL;
	mutex_unlock(&e->ring_lock);
	dma_fence_end_signalling(cookie);
	return stopped;
}

/*
 * Stops engines [0, @count) in reverse order and frees the writeback page,
 * unless an engine is stuck: it could still write its seqno there.
 */
static void vdgpu_engines_stop(struct vdgpu_device *vdev, unsigned int count)
{
	bool stopped = true;

	while (count--)
		stopped &= vdgpu_engine_fini(&vdev->engines[count]);
	if (stopped)
		dma_free_coherent(vdev->drm.dev, PAGE_SIZE, vdev->wb,
				  vdev->wb_dma);
	else
		drm_err(&vdev->drm, "leaking the seqno page of stuck engines\n");
}

/**
 * vdgpu_engines_init() - set up every engine's ring and timeline
 * @vdev: the device, with interrupts requested but masked
 *
 * Context: Process context, may sleep.
 * Return: 0 or a negative errno, with nothing left to undo.
 */
int vdgpu_engines_init(struct vdgpu_device *vdev)
{
	unsigned int i;
	int ret;

	/*
	 * Resets signal fences, so their worker must make progress when
	 * memory is short and reclaim waits for those fences: a workqueue of
	 * our own with a rescuer, not a system one.
	 */
	vdev->reset_wq = alloc_workqueue("vdgpu-reset-%s",
					 WQ_UNBOUND | WQ_MEM_RECLAIM, 0,
					 dev_name(vdev->drm.dev));
	if (!vdev->reset_wq)
		return -ENOMEM;

	vdev->wb = dma_alloc_coherent(vdev->drm.dev, PAGE_SIZE, &vdev->wb_dma,
				      GFP_KERNEL);
	if (!vdev->wb) {
		ret = -ENOMEM;
		goto err_destroy_wq;
	}

	for (i = 0; i < VDGPU_NUM_ENGINES; i++) {
		ret = vdgpu_engine_init(vdev, i);
		if (ret)
			goto err_engines_stop;
	}
	return 0;

err_engines_stop:
	vdgpu_engines_stop(vdev, i);
err_destroy_wq:
	destroy_workqueue(vdev->reset_wq);
	return ret;
}
ALLOW_ERROR_INJECTION(vdgpu_engines_init, ERRNO);

/**
 * vdgpu_engines_fini() - stop every engine and signal its fences
 * @vdev: the device, whose interrupts are masked and synchronised
 *
 * Outstanding fences signal with -ENODEV.  The memory of an engine that does
 * not come out of reset is leaked rather than freed under it.
 *
 * Context: Process context, may sleep.
 */
void vdgpu_engines_fini(struct vdgpu_device *vdev)
{
	vdgpu_engines_stop(vdev, VDGPU_NUM_ENGINES);
	destroy_workqueue(vdev->reset_wq);
}

static bool vdgpu_engine_idle(struct vdgpu_engine *e)
{
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&e->fence_lock, flags);
	idle = list_empty(&e->fences);
	spin_unlock_irqrestore(&e->fence_lock, flags);
	return idle;
}

/**
 * vdgpu_engines_suspend() - let every engine finish its work and stop it
 * @vdev: the device, whose interrupts are still enabled
 *
 * Waits up to a second per engine for its fences to signal, then stops it;
 * fences still outstanding signal with -EIO.  The rings stay allocated for
 * vdgpu_engines_resume().
 *
 * Context: Process context, may sleep; the fence-signalling path.
 */
void vdgpu_engines_suspend(struct vdgpu_device *vdev)
{
	unsigned int i;
	bool idle, cookie;

	for (i = 0; i < VDGPU_NUM_ENGINES; i++) {
		struct vdgpu_engine *e = &vdev->engines[i];

		if (read_poll_timeout(vdgpu_engine_idle, idle, idle, 1000,
				      USEC_PER_SEC, false, e))
			drm_err(&vdev->drm, "%s: busy at suspend\n", e->name);

		cookie = dma_fence_begin_signalling();
		mutex_lock(&e->ring_lock);
		if (e->ring) {
			vdgpu_engine_hw_reset(e);
			vdgpu_fence_signal_all(e, -EIO);
		}
		mutex_unlock(&e->ring_lock);
		dma_fence_end_signalling(cookie);
	}
}

/**
 * vdgpu_engines_resume() - start every engine again after a suspend
 * @vdev: the device
 *
 * The rings restart empty; seqnos carry on where they were.
 *
 * Context: Process context.
 */
void vdgpu_engines_resume(struct vdgpu_device *vdev)
{
	unsigned int i;

	for (i = 0; i < VDGPU_NUM_ENGINES; i++) {
		struct vdgpu_engine *e = &vdev->engines[i];

		mutex_lock(&e->ring_lock);
		if (e->ring && !e->wedged)
			vdgpu_engine_hw_start(e);
		mutex_unlock(&e->ring_lock);
	}
}

/**
 * vdgpu_engines_test() - check that every engine executes and interrupts
 * @vdev: the device, with interrupts enabled
 *
 * Runs a NOP and a fence on every engine at once and waits for the fences,
 * which proves the ring, the seqno write and the interrupt path end to end.
 *
 * Context: Process context, may sleep.
 * Return: 0, or a negative errno if an engine did not complete its test in
 * time or failed it.
 */
int vdgpu_engines_test(struct vdgpu_device *vdev)
{
	struct dma_fence *fences[VDGPU_NUM_ENGINES] = {};
	unsigned int i;
	u32 nop[1];
	u32 n = vdgpu_engine_pkt_nop(nop, 0);
	int ret = 0;

	for (i = 0; i < VDGPU_NUM_ENGINES && !ret; i++)
		ret = vdgpu_engine_submit(&vdev->engines[i], nop, n, &fences[i]);

	for (i = 0; i < VDGPU_NUM_ENGINES && fences[i] && !ret; i++) {
		if (!dma_fence_wait_timeout(fences[i], false,
					    VDGPU_ENGINE_TEST_TIMEOUT))
			ret = -ETIMEDOUT;
		else
			ret = fences[i]->error;
		if (ret)
			drm_err(&vdev->drm, "%s: ring test failed: %d\n",
				vdev->engines[i].name, ret);
	}

	for (i = 0; i < VDGPU_NUM_ENGINES; i++)
		dma_fence_put(fences[i]);
	return ret;
}
ALLOW_ERROR_INJECTION(vdgpu_engines_test, ERRNO);

/**
 * vdgpu_engine_pkt_nop() - encode a NOP packet
 * @dw: where to write it, 1 + @len dwords
 * @len: payload dwords
 *
 * Context: Any context.
 * Return: the number of dwords written.
 */
u32 vdgpu_engine_pkt_nop(u32 *dw, u32 len)
{
	dw[0] = vdgpu_pkt_hdr(VDGPU_PKT_NOP, 0, len);
	memset(&dw[1], 0, len * sizeof(*dw));
	return 1 + len;
}

/**
 * vdgpu_engine_pkt_copy() - encode a COPY packet
 * @dw: where to write it, 1 + VDGPU_PKT_COPY_LEN dwords
 * @flags: VDGPU_PKT_COPY_SRC_VIRT, VDGPU_PKT_COPY_DST_VIRT
 * @ctx: MMU context of virtual addresses
 * @src: source address
 * @dst: destination address
 * @size: bytes
 *
 * Context: Any context.
 * Return: the number of dwords written.
 */
u32 vdgpu_engine_pkt_copy(u32 *dw, u32 flags, u32 ctx, u64 src, u64 dst,
			  u64 size)
{
	dw[0] = vdgpu_pkt_hdr(VDGPU_PKT_COPY, flags, VDGPU_PKT_COPY_LEN);
	dw[1] = ctx;
	dw[2] = lower_32_bits(src);
	dw[3] = upper_32_bits(src);
	dw[4] = lower_32_bits(dst);
	dw[5] = upper_32_bits(dst);
	dw[6] = lower_32_bits(size);
	dw[7] = upper_32_bits(size);
	return 1 + VDGPU_PKT_COPY_LEN;
}

/**
 * vdgpu_engine_pkt_fill() - encode a FILL packet
 * @dw: where to write it, 1 + VDGPU_PKT_FILL_LEN dwords
 * @flags: VDGPU_PKT_FILL_DST_VIRT
 * @ctx: MMU context of a virtual address
 * @dst: destination address, 4-byte aligned
 * @size: bytes, a multiple of 4
 * @pattern: the dword to fill with
 *
 * Context: Any context.
 * Return: the number of dwords written.
 */
u32 vdgpu_engine_pkt_fill(u32 *dw, u32 flags, u32 ctx, u64 dst, u64 size,
			  u32 pattern)
{
	dw[0] = vdgpu_pkt_hdr(VDGPU_PKT_FILL, flags, VDGPU_PKT_FILL_LEN);
	dw[1] = ctx;
	dw[2] = lower_32_bits(dst);
	dw[3] = upper_32_bits(dst);
	dw[4] = lower_32_bits(size);
	dw[5] = upper_32_bits(size);
	dw[6] = pattern;
	return 1 + VDGPU_PKT_FILL_LEN;
}

/**
 * vdgpu_engine_pkt_pt_write() - encode a PT_WRITE packet
 * @dw: where to write it, 3 + 2 * @n dwords
 * @offset: VRAM offset, 8-byte aligned
 * @qw: the qwords to write
 * @n: how many, at most VDGPU_PKT_PT_WRITE_MAX_QW
 *
 * Context: Any context.
 * Return: the number of dwords written.
 */
u32 vdgpu_engine_pkt_pt_write(u32 *dw, u64 offset, const u64 *qw, u32 n)
{
	u32 i;

	dw[0] = vdgpu_pkt_hdr(VDGPU_PKT_PT_WRITE, 0, 2 + 2 * n);
	dw[1] = lower_32_bits(offset);
	dw[2] = upper_32_bits(offset);
	for (i = 0; i < n; i++) {
		dw[3 + 2 * i] = lower_32_bits(qw[i]);
		dw[4 + 2 * i] = upper_32_bits(qw[i]);
	}
	return 3 + 2 * n;
}

/**
 * vdgpu_engine_pkt_batch() - encode a BATCH packet
 * @dw: where to write it, 1 + VDGPU_PKT_BATCH_LEN dwords
 * @ctx: MMU context the batch and every address in it belong to
 * @va: virtual address of the batch, 4-byte aligned
 * @ndw: length of the batch in dwords, 1 to VDGPU_BATCH_MAX_DW
 *
 * For the compute engine only.
 *
 * Context: Any context.
 * Return: the number of dwords written.
 */
u32 vdgpu_engine_pkt_batch(u32 *dw, u32 ctx, u64 va, u32 ndw)
{
	dw[0] = vdgpu_pkt_hdr(VDGPU_PKT_BATCH, 0, VDGPU_PKT_BATCH_LEN);
	dw[1] = ctx;
	dw[2] = lower_32_bits(va);
	dw[3] = upper_32_bits(va);
	dw[4] = ndw;
	return 1 + VDGPU_PKT_BATCH_LEN;
}

/*
 * With the device's last reference: the engines were stopped at unplug, so
 * every job has signalled or will run into a dead ring and fail.
 */
static bool vdgpu_sched_idle(struct drm_gpu_scheduler *sched)
{
	bool idle;

	spin_lock(&sched->job_list_lock);
	idle = list_empty(&sched->pending_list);
	spin_unlock(&sched->job_list_lock);
	return idle;
}

/**
 * vdgpu_sched_fini_drained() - stop a scheduler of an engine, freeing its jobs
 * @drm: the device, for the log
 * @sched: the scheduler, whose entities are destroyed
 *
 * drm_sched_fini() in 6.12 does not free jobs still pending: let the
 * scheduler free those whose fences signalled (all of them, the engines
 * being stopped) before stopping it, waiting up to two seconds.
 *
 * Context: Process context, sleeps; the device's release.
 */
void vdgpu_sched_fini_drained(struct drm_device *drm,
			      struct drm_gpu_scheduler *sched)
{
	bool idle;

	if (read_poll_timeout(vdgpu_sched_idle, idle, idle, 1000,
			      2 * USEC_PER_SEC, false, sched))
		drm_warn(drm, "leaking jobs of a stopped scheduler\n");
	drm_sched_fini(sched);
}

#if IS_ENABLED(CONFIG_DRM_VDGPU_KUNIT_TEST)
/**
 * vdgpu_engine_set_seqno() - restart an idle engine's timeline at a seqno
 * @e: the engine, with no fence outstanding
 * @seqno: the seqno of the next fence
 *
 * For tests of seqno wrap-around, which are linked into the driver, so
 * the function needs no export.
 *
 * Context: Process context; takes &vdgpu_engine.ring_lock.
 * Return: 0, or -EBUSY if a fence is outstanding.
 */
int vdgpu_engine_set_seqno(struct vdgpu_engine *e, u32 seqno)
{
	int ret = 0;

	mutex_lock(&e->ring_lock);
	spin_lock_irq(&e->fence_lock);
	if (list_empty(&e->fences)) {
		WRITE_ONCE(*e->seqno, cpu_to_le32(seqno - 1));
		e->next_seqno = seqno;
	} else {
		ret = -EBUSY;
	}
	spin_unlock_irq(&e->fence_lock);
	mutex_unlock(&e->ring_lock);
	return ret;
}
#endif
