// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>
#include <linux/capability.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/error-injection.h>
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/gpu_scheduler.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_device.h"
#include "vdgpu_engine.h"
#include "vdgpu_exec.h"
#include "vdgpu_fence.h"
#include "vdgpu_mmio.h"
#include "vdgpu_sync.h"
#include "vdgpu_trace.h"
#include "vdgpu_vm.h"

/**
 * DOC: Command submission
 *
 * Batches run on the compute engine, fed by a drm_sched scheduler whose
 * entities are the exec queues (&struct vdgpu_exec_queue): one per queue,
 * at the queue's priority.  A job is one BATCH packet and its fence.
 *
 * The scheduler lets one batch run at a time (its credit limit is one
 * job).  Its VM is bound to MMU context %VDGPU_EXEC_CTX when it starts,
 * with the engine idle, so contexts need no allocator; and when a batch
 * faults or hangs, it is alone on the ring, so resetting the engine
 * stops nothing else: the batches of other queues wait in their entities
 * and run once the engine is back.  The price is no overlap of one
 * batch's end with the next one's start, which the model does not have
 * anyway.
 *
 * EXEC locks the VM and its external objects (and the implicit-sync
 * objects) with drm_exec, revalidates the VM (vdgpu_vm_revalidate():
 * evicted objects come back, their page tables are rewritten by a job on
 * the first copy engine), and queues the batch after that job, after the
 * moves of every object the VM maps, after the in-syncs, and, with
 * implicit sync, after every fence of the listed objects.  The batch's
 * fence goes on the VM's reservation object and its external objects'
 * with usage BOOKKEEP, so that nothing is moved or freed under it, and on
 * the implicit-sync objects as a writer's.
 *
 * Under memory pressure, a validation fails when what it would evict is
 * locked by other submissions, which TTM 6.12 reports like memory running
 * out.  EXEC then drops its locks, letting the others complete, and tries
 * again for up to %VDGPU_VM_RETRY_MS (vdgpu_vm_validate_retry()) before
 * reporting -ENOMEM or -ENOSPC.
 *
 * A batch that has not completed after %VDGPU_EXEC_TIMEOUT_MS is stopped by
 * the scheduler's timeout handler, which resets the engine: the batch's
 * fence signals with -ETIMEDOUT.  A fault or a malformed command halts the
 * engine, whose interrupt resets it: the fence signals with -EIO.  Either
 * way a callback on the hardware fence, which runs before the scheduler
 * sees the fence, bans the batch's queue and records the error in
 * &vdgpu_exec.errors (debugfs ``error_state``), so that by the time
 * userspace sees the error the queue refuses new batches (-ECANCELED) and
 * cancels those it already holds.
 */

/* The MMU context batches run in. */
#define VDGPU_EXEC_CTX		1
#define VDGPU_EXEC_TIMEOUT_MS	5000
#define VDGPU_EXEC_MAX_BATCH	SZ_1M
#define VDGPU_EXEC_MAX_HANDLES	64

/**
 * struct vdgpu_exec_queue - an exec queue: a drm_sched entity of a VM
 *
 * Referenced by its file's id table and by each of its jobs.
 */
struct vdgpu_exec_queue {
	/** @ref: references: the file's, and one per job */
	struct kref ref;
	/** @vdev: the device */
	struct vdgpu_device *vdev;
	/** @vm: the VM its batches run in, referenced */
	struct vdgpu_vm *vm;
	/** @entity: the queue's place in the compute engine's scheduler */
	struct drm_sched_entity entity;
	/**
	 * @release_work: destroys the entity once the last job is freed,
	 * outside the scheduler's own work
	 */
	struct work_struct release_work;
	/** @stats: its file's engine time, referenced */
	struct vdgpu_exec_stats *stats;
	/** @client_id: the DRM client that created it */
	u64 client_id;
	/** @id: its id in the file */
	u32 id;
	/** @banned: a batch of it faulted or hung; set in the signalling path */
	bool banned;
};

/**
 * struct vdgpu_exec_job - one batch
 */
struct vdgpu_exec_job {
	/** @base: the scheduler's job */
	struct drm_sched_job base;
	/** @queue: the queue, referenced */
	struct vdgpu_exec_queue *queue;
	/** @hw_fence: preallocated for run_job; NULL once handed over */
	struct dma_fence *hw_fence;
	/** @cb: on the hardware fence, to ban the queue on error */
	struct dma_fence_cb cb;
	/** @root: the VM's root table when the batch was queued */
	u64 root;
	/** @batch_addr: the batch's virtual address */
	u64 batch_addr;
	/** @batch_dw: the batch's length in dwords */
	u32 batch_dw;
	/** @start: when it started on the engine */
	ktime_t start;
};

static struct vdgpu_exec_job *to_exec_job(struct drm_sched_job *job)
{
	return container_of(job, struct vdgpu_exec_job, base);
}

/*
 * Queue releases run here rather than on a system workqueue: the last one
 * of an unplugged device releases the device, and module exit drains them
 * (vdgpu_exec_module_exit()) so that none runs once the module is gone.
 */
static struct workqueue_struct *vdgpu_exec_release_wq;

static void vdgpu_exec_stats_release(struct kref *ref)
{
	kfree(container_of(ref, struct vdgpu_exec_stats, ref));
}

static void vdgpu_exec_queue_release_work(struct work_struct *work)
{
	struct vdgpu_exec_queue *q = container_of(work, struct vdgpu_exec_queue,
						  release_work);
	struct vdgpu_exec *x = &q->vdev->exec;
	struct vdgpu_vm *vm = q->vm;

	/* No job left: the entity is idle and goes at once. */
	drm_sched_entity_destroy(&q->entity);
	kref_put(&q->stats->ref, vdgpu_exec_stats_release);
	kfree(q);
	if (atomic_dec_and_test(&x->queues))
		wake_up_var(&x->queues);
	/*
	 * Last: the VM holds a reference to the &drm_device, which may be the
	 * last one once the device is unplugged and its files are closed.
	 * The device's release, run from here then, waits for every queue
	 * to be gone (vdgpu_exec_release()), this one included.
	 */
	vdgpu_vm_put(vm);
}

/* The last reference may go in the scheduler's free_job. */
static void vdgpu_exec_queue_release(struct kref *ref)
{
	struct vdgpu_exec_queue *q = container_of(ref, struct vdgpu_exec_queue,
						  ref);

	queue_work(vdgpu_exec_release_wq, &q->release_work);
}

static void vdgpu_exec_queue_put(struct vdgpu_exec_queue *q)
{
	if (q)
		kref_put(&q->ref, vdgpu_exec_queue_release);
}

/* Records a faulted or hung batch; in the fence-signalling path. */
static void vdgpu_exec_record_error(struct vdgpu_exec_queue *q, int error)
{
	struct vdgpu_exec *x = &q->vdev->exec;
	struct vdgpu_engine *e = &q->vdev->engines[VDGPU_ENGINE_COMPUTE];
	struct vdgpu_exec_error *err;
	unsigned long flags;

	spin_lock_irqsave(&x->error_lock, flags);
	err = &x->errors[x->num_errors++ % VDGPU_EXEC_ERRORS];
	*err = (struct vdgpu_exec_error){
		.time = ktime_get(),
		.client_id = q->client_id,
		.queue_id = q->id,
		.error = error,
		.error_code = READ_ONCE(e->last_error),
		.fault_info = READ_ONCE(e->last_fault_info),
		.fault_addr = READ_ONCE(e->last_fault_addr),
	};
	spin_unlock_irqrestore(&x->error_lock, flags);
}

static void vdgpu_exec_hw_fence_cb(struct dma_fence *fence,
				   struct dma_fence_cb *cb)
{
	struct vdgpu_exec_job *job = container_of(cb, struct vdgpu_exec_job,
						  cb);
	struct vdgpu_exec *x = &job->queue->vdev->exec;
	unsigned long flags;

	spin_lock_irqsave(&x->running_lock, flags);
	atomic64_add(ktime_to_ns(ktime_sub(ktime_get(), job->start)),
		     &job->queue->stats->busy_ns);
	x->running = NULL;
	spin_unlock_irqrestore(&x->running_lock, flags);

	if (!fence->error)
		return;
	WRITE_ONCE(job->queue->banned, true);
	vdgpu_exec_record_error(job->queue, fence->error);
	/* Userspace's doing, and recorded in error_state: no log noise. */
	drm_dbg_driver(&job->queue->vdev->drm,
		       "client %llu queue %u: batch failed (%d), queue banned\n",
		       job->queue->client_id, job->queue->id, fence->error);
}

static struct dma_fence *vdgpu_exec_run_job(struct drm_sched_job *sched_job)
{
	struct vdgpu_exec_job *job = to_exec_job(sched_job);
	struct vdgpu_device *vdev = job->queue->vdev;
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COMPUTE];
	struct dma_fence *fence = job->hw_fence;
	u32 dw[VDGPU_PKT_BATCH_LEN + 1];
	int ret, idx;

	/* Batches queued behind one that faulted or hung. */
	if (READ_ONCE(job->queue->banned))
		return ERR_PTR(-ECANCELED);
	if (!drm_dev_enter(&vdev->drm, &idx))
		return ERR_PTR(-ENODEV);

	job->hw_fence = NULL;
	/* The engine is idle: the one batch before this one completed. */
	vdgpu_mmio_write64(vdev, VDGPU_REG_CTX_ROOT_LO(VDGPU_EXEC_CTX),
			   job->root | VDGPU_CTX_ROOT_ENABLE);
	WRITE_ONCE(e->last_error, 0);
	WRITE_ONCE(e->last_fault_info, 0);
	WRITE_ONCE(e->last_fault_addr, 0);
	vdgpu_engine_pkt_batch(dw, VDGPU_EXEC_CTX, job->batch_addr,
			       job->batch_dw);
	ret = vdgpu_engine_emit(e, dw, ARRAY_SIZE(dw), fence);
	drm_dev_exit(idx);
	if (ret) {
		vdgpu_fence_free(fence);
		return ERR_PTR(ret);
	}
	spin_lock_irq(&vdev->exec.running_lock);
	job->start = ktime_get();
	vdev->exec.running = job->queue->stats;
	vdev->exec.running_since = job->start;
	spin_unlock_irq(&vdev->exec.running_lock);
	/* Before the scheduler's own callback: the ban precedes the error. */
	if (dma_fence_add_callback(fence, &job->cb, vdgpu_exec_hw_fence_cb))
		vdgpu_exec_hw_fence_cb(fence, &job->cb);
	atomic64_inc(&vdev->exec.jobs);
	/* The scheduler takes over the reference. */
	return fence;
}

static enum drm_gpu_sched_stat
vdgpu_exec_timedout_job(struct drm_sched_job *sched_job)
{
	struct vdgpu_exec_job *job = to_exec_job(sched_job);
	struct vdgpu_device *vdev = job->queue->vdev;
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COMPUTE];
	int idx;

	if (!drm_dev_enter(&vdev->drm, &idx))
		return DRM_GPU_SCHED_STAT_ENODEV;

	atomic64_inc(&vdev->exec.timeouts);
	drm_info(&vdev->drm,
		 "client %llu queue %u: batch timed out, resetting %s\n",
		 job->queue->client_id, job->queue->id, e->name);
	/*
	 * Nothing new reaches the engine while it resets.  The reset signals
	 * the batch's fence with -ETIMEDOUT, which bans its queue and, the
	 * scheduler's callback still in place, fails the job with it; then
	 * drm_sched_stop() hands the job back to be freed.  Stopping first
	 * would fail the job with -ECANCELED instead.
	 */
	drm_sched_wqueue_stop(sched_job->sched);
	vdgpu_engine_reset(e, -ETIMEDOUT);
	drm_sched_stop(sched_job->sched, sched_job);
	drm_sched_start(sched_job->sched);
	drm_dev_exit(idx);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void vdgpu_exec_job_free(struct vdgpu_exec_job *job)
{
	if (job->hw_fence)
		vdgpu_fence_free(job->hw_fence);
	vdgpu_exec_queue_put(job->queue);
	kfree(job);
}

static void vdgpu_exec_free_job(struct drm_sched_job *sched_job)
{
	drm_sched_job_cleanup(sched_job);
	vdgpu_exec_job_free(to_exec_job(sched_job));
}

static const struct drm_sched_backend_ops vdgpu_exec_sched_ops = {
	.run_job = vdgpu_exec_run_job,
	.timedout_job = vdgpu_exec_timedout_job,
	.free_job = vdgpu_exec_free_job,
};

static void vdgpu_exec_release(struct drm_device *drm, void *data)
{
	struct vdgpu_exec *x = data;

	/* Every file is closed; the queues' last jobs may still be freed. */
	wait_var_event(&x->queues, !atomic_read(&x->queues));
	vdgpu_sched_fini_drained(drm, &x->sched);
}

/**
 * vdgpu_exec_module_init() - set up what command submission shares
 * between devices
 *
 * The workqueue that releases exec queues, once per module.
 *
 * Context: Process context; module init.
 * Return: 0 or -ENOMEM.
 */
int vdgpu_exec_module_init(void)
{
	vdgpu_exec_release_wq = alloc_workqueue("vdgpu_exec_release",
						WQ_UNBOUND, 0);
	return vdgpu_exec_release_wq ? 0 : -ENOMEM;
}

/**
 * vdgpu_exec_module_exit() - wait for every queue release and tear down
 *
 * Called once no device is bound and no file is open: what is left are
 * releases of queues whose last reference went with a file or a job, each
 * of which may release its (unplugged) device.  They finish before the
 * module's code goes.
 *
 * Context: Process context, sleeps; module exit.
 */
void vdgpu_exec_module_exit(void)
{
	destroy_workqueue(vdgpu_exec_release_wq);
}

/**
 * vdgpu_exec_init() - set up the compute engine's scheduler
 * @vdev: the device, whose engines run
 *
 * Torn down with the &drm_device, after every file, and so every queue,
 * is gone.
 *
 * Context: Process context; probe.
 * Return: 0 or a negative errno, with nothing left to undo.
 */
int vdgpu_exec_init(struct vdgpu_device *vdev)
{
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COMPUTE];
	const struct drm_sched_init_args args = {
		.ops = &vdgpu_exec_sched_ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		/* One batch on the engine at a time; see Command submission. */
		.credit_limit = 1,
		.timeout = msecs_to_jiffies(VDGPU_EXEC_TIMEOUT_MS),
		.name = e->name,
		.dev = vdev->drm.dev,
	};
	int ret;

	spin_lock_init(&vdev->exec.error_lock);
	spin_lock_init(&vdev->exec.running_lock);
	ret = drm_sched_init(&vdev->exec.sched, &args);
	if (ret)
		return ret;
	return drmm_add_action_or_reset(&vdev->drm, vdgpu_exec_release,
					&vdev->exec);
}
ALLOW_ERROR_INJECTION(vdgpu_exec_init, ERRNO);

/**
 * vdgpu_exec_suspend() - stop feeding the compute engine
 * @vdev: the device
 *
 * Context: Process context, may sleep.
 */
void vdgpu_exec_suspend(struct vdgpu_device *vdev)
{
	drm_sched_wqueue_stop(&vdev->exec.sched);
}

/**
 * vdgpu_exec_resume() - feed the compute engine again
 * @vdev: the device, whose engines run
 *
 * Context: Process context.
 */
void vdgpu_exec_resume(struct vdgpu_device *vdev)
{
	drm_sched_wqueue_start(&vdev->exec.sched);
}

/**
 * vdgpu_exec_print_errors() - the last faults and hangs
 * @vdev: the device
 * @p: where to
 *
 * ``errors <count>``, then a line per recorded error, oldest first:
 * ``<seconds> client <id> queue <id> error <errno> [fault 0x<addr>
 * <read|write> <reason>] [code <error code>]``.
 *
 * Context: Any process context.
 */
void vdgpu_exec_print_errors(struct vdgpu_device *vdev, struct drm_printer *p)
{
	static const char *const reasons[] = {
		[VDGPU_FAULT_NOT_PRESENT] = "not-present",
		[VDGPU_FAULT_READ_ONLY] = "read-only",
		[VDGPU_FAULT_BAD_PTE] = "bad-pte",
		[VDGPU_FAULT_DISABLED] = "disabled",
	};
	struct vdgpu_exec *x = &vdev->exec;
	struct vdgpu_exec_error errs[VDGPU_EXEC_ERRORS];
	u32 n, first, i, reason;

	spin_lock_irq(&x->error_lock);
	n = min_t(u32, x->num_errors, VDGPU_EXEC_ERRORS);
	first = x->num_errors - n;
	for (i = 0; i < n; i++)
		errs[i] = x->errors[(first + i) % VDGPU_EXEC_ERRORS];
	spin_unlock_irq(&x->error_lock);

	drm_printf(p, "errors %u\n", first + n);
	for (i = 0; i < n; i++) {
		drm_printf(p, "%lld.%06lld client %llu queue %u error %d",
			   ktime_divns(errs[i].time, NSEC_PER_SEC),
			   ktime_divns(errs[i].time, NSEC_PER_USEC) % USEC_PER_SEC,
			   errs[i].client_id, errs[i].queue_id, errs[i].error);
		if (errs[i].fault_info) {
			reason = FIELD_GET(VDGPU_FAULT_INFO_REASON,
					   errs[i].fault_info);
			drm_printf(p, " fault 0x%llx %s %s", errs[i].fault_addr,
				   errs[i].fault_info & VDGPU_FAULT_INFO_WRITE ?
				   "write" : "read",
				   reason < ARRAY_SIZE(reasons) && reasons[reason] ?
				   reasons[reason] : "unknown");
		}
		if (errs[i].error_code)
			drm_printf(p, " code %u", errs[i].error_code);
		drm_printf(p, "\n");
	}
}

/* Queues and their ids */

static struct vdgpu_exec_queue *vdgpu_exec_queue_lookup(struct drm_file *file,
							u32 id)
{
	struct vdgpu_file *vfile = file->driver_priv;
	struct vdgpu_exec_queue *q;

	mutex_lock(&vfile->lock);
	q = xa_load(&vfile->queues, id);
	if (q)
		kref_get(&q->ref);
	mutex_unlock(&vfile->lock);
	return q;
}

/*
 * The file's reference goes; the batches the queue holds still run and
 * signal, and the last one's release destroys the entity.
 */
static void vdgpu_exec_queue_destroy(struct vdgpu_exec_queue *q)
{
	vdgpu_exec_queue_put(q);
}

/**
 * vdgpu_exec_file_open() - set up a new file's engine statistics
 * @vfile: the file's driver part
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int vdgpu_exec_file_open(struct vdgpu_file *vfile)
{
	vfile->exec_stats = kzalloc(sizeof(*vfile->exec_stats), GFP_KERNEL);
	if (!vfile->exec_stats)
		return -ENOMEM;
	kref_init(&vfile->exec_stats->ref);
	return 0;
}

/**
 * vdgpu_exec_show_fdinfo() - the file's compute engine time, for fdinfo
 * @p: the printer into the fdinfo file
 * @file: the DRM file
 *
 * ``drm-engine-compute`` in nanoseconds, the batch running now included,
 * and the same as ``drm-cycles-compute`` against ``drm-total-cycles-compute``
 * (the device's clock counts nanoseconds).
 *
 * Context: Process context.
 */
void vdgpu_exec_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct vdgpu_exec *x = &to_vdgpu_device(file->minor->dev)->exec;
	struct vdgpu_exec_stats *stats =
		((struct vdgpu_file *)file->driver_priv)->exec_stats;
	ktime_t now = ktime_get();
	u64 busy;

	spin_lock_irq(&x->running_lock);
	busy = atomic64_read(&stats->busy_ns);
	if (x->running == stats)
		busy += ktime_to_ns(ktime_sub(now, x->running_since));
	spin_unlock_irq(&x->running_lock);

	drm_printf(p, "drm-engine-compute:\t%llu ns\n", busy);
	drm_printf(p, "drm-cycles-compute:\t%llu\n", busy);
	drm_printf(p, "drm-total-cycles-compute:\t%llu\n", ktime_to_ns(now));
}

/**
 * vdgpu_exec_file_close() - destroy a closing file's queues
 * @vfile: the file's driver part
 *
 * Before its VMs, which the queues reference.
 *
 * Context: Process context, may sleep; under &vdgpu_file.lock.
 */
void vdgpu_exec_file_close(struct vdgpu_file *vfile)
{
	struct vdgpu_exec_queue *q;
	unsigned long id;

	lockdep_assert_held(&vfile->lock);
	xa_for_each(&vfile->queues, id, q) {
		xa_erase(&vfile->queues, id);
		vdgpu_exec_queue_destroy(q);
	}
	xa_destroy(&vfile->queues);
	kref_put(&vfile->exec_stats->ref, vdgpu_exec_stats_release);
}

static const enum drm_sched_priority vdgpu_exec_priorities[] = {
	[DRM_VDGPU_EXEC_QUEUE_PRIORITY_LOW] = DRM_SCHED_PRIORITY_LOW,
	[DRM_VDGPU_EXEC_QUEUE_PRIORITY_NORMAL] = DRM_SCHED_PRIORITY_NORMAL,
	[DRM_VDGPU_EXEC_QUEUE_PRIORITY_HIGH] = DRM_SCHED_PRIORITY_HIGH,
};

static int vdgpu_exec_queue_check(struct drm_device *drm,
				  const struct drm_vdgpu_exec_queue_create *args)
{
	if (args->extensions || args->flags || args->queue_id || args->pad ||
	    args->reserved[0] || args->reserved[1]) {
		drm_dbg(drm, "exec_queue_create: nonzero mbz field\n");
		return -EINVAL;
	}
	if (args->priority >= ARRAY_SIZE(vdgpu_exec_priorities)) {
		drm_dbg(drm, "exec_queue_create: unknown priority\n");
		return -EINVAL;
	}
	/* The copy engines are the kernel's blitter. */
	if (args->engine_class != DRM_VDGPU_ENGINE_CLASS_COMPUTE ||
	    args->engine_instance) {
		drm_dbg(drm, "exec_queue_create: no queues on that engine\n");
		return -EINVAL;
	}
	if (args->priority == DRM_VDGPU_EXEC_QUEUE_PRIORITY_HIGH &&
	    !capable(CAP_SYS_NICE))
		return -EPERM;
	return 0;
}

/*
 * A queue of the VM @args->vm_id of @file, with its scheduler entity:
 * everything but its id.  The release work undoes it.
 */
static noinline struct vdgpu_exec_queue *
vdgpu_exec_queue_alloc(struct vdgpu_device *vdev, struct drm_file *file,
		       const struct drm_vdgpu_exec_queue_create *args)
{
	struct drm_gpu_scheduler *sched = &vdev->exec.sched;
	struct vdgpu_file *vfile = file->driver_priv;
	struct vdgpu_exec_queue *q;
	int ret;

	ret = vdgpu_inject_fail(vdev, VDGPU_INJECT_QUEUE);
	if (ret)
		return ERR_PTR(ret);
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return ERR_PTR(-ENOMEM);
	q->vm = vdgpu_vm_lookup(file, args->vm_id);
	if (!q->vm) {
		ret = -ENOENT;
		goto err_free;
	}
	kref_init(&q->ref);
	INIT_WORK(&q->release_work, vdgpu_exec_queue_release_work);
	q->vdev = vdev;
	kref_get(&vfile->exec_stats->ref);
	q->stats = vfile->exec_stats;
	q->client_id = file->client_id;
	ret = drm_sched_entity_init(&q->entity,
				    vdgpu_exec_priorities[args->priority],
				    &sched, 1, NULL);
	if (ret)
		goto err_put_vm;
	/* From here on, the release work undoes it all. */
	atomic_inc(&vdev->exec.queues);
	return q;

err_put_vm:
	kref_put(&q->stats->ref, vdgpu_exec_stats_release);
	vdgpu_vm_put(q->vm);
err_free:
	kfree(q);
	return ERR_PTR(ret);
}
ALLOW_ERROR_INJECTION(vdgpu_exec_queue_alloc, ERRNO);

/**
 * vdgpu_exec_queue_create_ioctl() - &DRM_IOCTL_VDGPU_EXEC_QUEUE_CREATE
 * @drm: the device
 * @data: &struct drm_vdgpu_exec_queue_create
 * @file: the file the queue belongs to
 *
 * Context: Process context, may sleep.
 * Return: 0 or a negative errno, as &struct drm_vdgpu_exec_queue_create
 * documents.
 */
int vdgpu_exec_queue_create_ioctl(struct drm_device *drm, void *data,
				  struct drm_file *file)
{
	struct vdgpu_device *vdev = to_vdgpu_device(drm);
	struct drm_vdgpu_exec_queue_create *args = data;
	struct vdgpu_file *vfile = file->driver_priv;
	struct vdgpu_exec_queue *q;
	u32 id;
	int ret;

	ret = vdgpu_exec_queue_check(drm, args);
	if (ret)
		return ret;
	q = vdgpu_exec_queue_alloc(vdev, file, args);
	if (IS_ERR(q))
		return PTR_ERR(q);

	mutex_lock(&vfile->lock);
	/* A queue made in full, undone by its release work. */
	ret = vdgpu_inject_fail(vdev, VDGPU_INJECT_QUEUE);
	if (!ret)
		ret = xa_alloc(&vfile->queues, &id, q, xa_limit_31b, GFP_KERNEL);
	if (!ret)
		q->id = id;
	mutex_unlock(&vfile->lock);
	if (ret) {
		vdgpu_exec_queue_put(q);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	args->queue_id = id;
	return 0;
}

/**
 * vdgpu_exec_queue_destroy_ioctl() - &DRM_IOCTL_VDGPU_EXEC_QUEUE_DESTROY
 * @drm: the device
 * @data: &struct drm_vdgpu_exec_queue_destroy
 * @file: the file the queue belongs to
 *
 * Context: Process context, may sleep.
 * Return: 0 or a negative errno, as &struct drm_vdgpu_exec_queue_destroy
 * documents.
 */
int vdgpu_exec_queue_destroy_ioctl(struct drm_device *drm, void *data,
				   struct drm_file *file)
{
	struct drm_vdgpu_exec_queue_destroy *args = data;
	struct vdgpu_file *vfile = file->driver_priv;
	struct vdgpu_exec_queue *q;

	if (args->extensions || args->pad || args->reserved[0] ||
	    args->reserved[1]) {
		drm_dbg(drm, "exec_queue_destroy: nonzero mbz field\n");
		return -EINVAL;
	}
	mutex_lock(&vfile->lock);
	q = xa_erase(&vfile->queues, args->queue_id);
	mutex_unlock(&vfile->lock);
	if (!q)
		return -ENOENT;
	vdgpu_exec_queue_destroy(q);
	return 0;
}

/* EXEC */

/**
 * struct vdgpu_exec_submit - one EXEC in the making
 */
struct vdgpu_exec_submit {
	/** @queue: the queue, referenced */
	struct vdgpu_exec_queue *queue;
	/** @syncs: the syncs, parsed */
	struct vdgpu_sync *syncs;
	/** @num_syncs: entries in @syncs */
	u32 num_syncs;
	/** @objs: the implicit-sync objects, referenced */
	struct drm_gem_object **objs;
	/** @num_objs: entries in @objs */
	u32 num_objs;
	/** @job: the batch's job, until pushed */
	struct vdgpu_exec_job *job;
};

#define VDGPU_EXEC_FLAGS	DRM_VDGPU_EXEC_IMPLICIT_SYNC

static int vdgpu_exec_check(struct drm_device *drm,
			    const struct drm_vdgpu_exec *args)
{
	if (args->extensions || args->reserved[0] || args->reserved[1] ||
	    (args->flags & ~VDGPU_EXEC_FLAGS)) {
		drm_dbg(drm, "exec: nonzero extensions, reserved or flags\n");
		return -EINVAL;
	}
	if (!IS_ALIGNED(args->batch_addr, 4) || !args->batch_len ||
	    !IS_ALIGNED(args->batch_len, 4) ||
	    args->batch_len > VDGPU_EXEC_MAX_BATCH) {
		drm_dbg(drm, "exec: bad batch address or length\n");
		return -EINVAL;
	}
	if (args->num_syncs > VDGPU_MAX_SYNCS ||
	    args->num_handles > VDGPU_EXEC_MAX_HANDLES ||
	    (args->num_handles &&
	     !(args->flags & DRM_VDGPU_EXEC_IMPLICIT_SYNC))) {
		drm_dbg(drm, "exec: bad sync or handle count\n");
		return -EINVAL;
	}
	if (args->num_syncs && (!args->sync_stride ||
				!IS_ALIGNED(args->sync_stride, 8))) {
		drm_dbg(drm, "exec: bad sync stride\n");
		return -EINVAL;
	}
	return 0;
}

static noinline int vdgpu_exec_job_alloc(struct vdgpu_exec_submit *s,
					 const struct drm_vdgpu_exec *args)
{
	struct vdgpu_exec_job *job;
	int ret;

	ret = vdgpu_inject_fail(s->queue->vdev, VDGPU_INJECT_EXEC);
	if (ret)
		return ret;
	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	job->hw_fence = vdgpu_fence_alloc();
	if (!job->hw_fence) {
		kfree(job);
		return -ENOMEM;
	}
	kref_get(&s->queue->ref);
	job->queue = s->queue;
	job->batch_addr = args->batch_addr;
	job->batch_dw = args->batch_len / 4;
	ret = drm_sched_job_init(&job->base, &s->queue->entity, 1,
				 s->queue, s->queue->client_id);
	if (ret) {
		vdgpu_exec_job_free(job);
		return ret;
	}
	s->job = job;
	return 0;
}
ALLOW_ERROR_INJECTION(vdgpu_exec_job_alloc, ERRNO);

static void vdgpu_exec_submit_fini(struct vdgpu_exec_submit *s)
{
	u32 i;

	if (s->job) {
		drm_sched_job_cleanup(&s->job->base);
		vdgpu_exec_job_free(s->job);
	}
	for (i = 0; i < s->num_objs; i++)
		drm_gem_object_put(s->objs[i]);
	kvfree(s->objs);
	vdgpu_syncs_free(s->syncs, s->num_syncs);
	vdgpu_exec_queue_put(s->queue);
}

static int vdgpu_exec_prepare(struct vdgpu_exec_submit *s,
			      struct drm_exec *exec);

/*
 * Locks the VM, its external objects and the implicit-sync objects, and
 * prepares the job while still in the locking loop: the ticket is not
 * done yet, so revalidation may evict other clients' objects with it
 * (TTM takes their locks with the ticket of the object it makes room
 * for, and ww_acquire_done() forbids that once the loop is over).
 */
static int vdgpu_exec_lock_prepare(struct vdgpu_exec_submit *s,
				   struct drm_exec *exec)
{
	u32 i;
	int ret;

	drm_exec_until_all_locked(exec) {
		ret = vdgpu_vm_lock(s->queue->vm, exec, 1);
		drm_exec_retry_on_contention(exec);
		if (ret)
			return ret;
		for (i = 0; i < s->num_objs; i++) {
			ret = drm_exec_prepare_obj(exec, s->objs[i], 1);
			drm_exec_retry_on_contention(exec);
			if (ret)
				return ret;
		}
		ret = vdgpu_exec_prepare(s, exec);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Everything the job waits for, with the VM and the objects locked: the
 * page-table update, every object's moves, the implicit-sync objects'
 * readers and writers.  Then a fence slot for the job on every object.
 */
static noinline int vdgpu_exec_prepare(struct vdgpu_exec_submit *s,
				       struct drm_exec *exec)
{
	struct drm_sched_job *job = &s->job->base;
	struct vdgpu_vm *vm = s->queue->vm;
	struct drm_gem_object *obj;
	struct dma_fence *fence;
	u32 i;
	int ret;

	fence = vdgpu_vm_revalidate(vm, exec);
	if (IS_ERR(fence))
		return PTR_ERR(fence);
	/* Objects brought back, the tables' update queued. */
	ret = vdgpu_inject_fail(s->queue->vdev, VDGPU_INJECT_EXEC);
	if (ret) {
		dma_fence_put(fence);
		return ret;
	}
	if (fence) {
		ret = drm_sched_job_add_dependency(job, fence);
		if (ret)
			return ret;
	}
	drm_exec_for_each_locked_object(exec, obj) {
		ret = drm_sched_job_add_resv_dependencies(job, obj->resv,
							  DMA_RESV_USAGE_KERNEL);
		if (ret)
			return ret;
		ret = dma_resv_reserve_fences(obj->resv, 1);
		if (ret)
			return ret;
	}
	for (i = 0; i < s->num_objs; i++) {
		ret = drm_sched_job_add_resv_dependencies(job, s->objs[i]->resv,
							  DMA_RESV_USAGE_READ);
		if (ret)
			return ret;
	}
	s->job->root = vdgpu_vm_root_addr(vm);
	return 0;
}
ALLOW_ERROR_INJECTION(vdgpu_exec_prepare, ERRNO);

/* The point of no return: the job is queued and its fence published. */
static void vdgpu_exec_push(struct vdgpu_exec_submit *s, struct drm_exec *exec)
{
	struct drm_sched_job *job = &s->job->base;
	struct dma_fence *fence;
	u32 i;

	drm_sched_job_arm(job);
	fence = dma_fence_get(&job->s_fence->finished);
	trace_vdgpu_exec(s->queue->client_id, s->queue->id,
			 s->job->batch_addr, s->job->batch_dw * 4,
			 fence->context, fence->seqno);
	drm_sched_entity_push_job(job);
	s->job = NULL;

	drm_gpuvm_resv_add_fence(&s->queue->vm->gpuvm, exec, fence,
				 DMA_RESV_USAGE_BOOKKEEP,
				 DMA_RESV_USAGE_BOOKKEEP);
	for (i = 0; i < s->num_objs; i++)
		dma_resv_add_fence(s->objs[i]->resv, fence,
				   DMA_RESV_USAGE_WRITE);
	vdgpu_syncs_signal(s->syncs, s->num_syncs, fence);
	dma_fence_put(fence);
}

/**
 * vdgpu_exec_ioctl() - &DRM_IOCTL_VDGPU_EXEC
 * @drm: the device
 * @data: &struct drm_vdgpu_exec
 * @file: the file the queue, objects and syncobjs belong to
 *
 * See "Command submission".
 *
 * Context: Process context, may sleep; takes the VM's and its objects'
 * resvs, interruptibly, and may evict.  Never waits for the GPU.
 * Return: 0 or a negative errno, as &struct drm_vdgpu_exec documents;
 * on error nothing was queued.
 */
int vdgpu_exec_ioctl(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_vdgpu_exec *args = data;
	struct vdgpu_exec_submit s = {};
	struct drm_exec exec;
	ktime_t end = 0;
	int ret, idx;

	ret = vdgpu_exec_check(drm, args);
	if (ret)
		return ret;
	s.queue = vdgpu_exec_queue_lookup(file, args->queue_id);
	if (!s.queue)
		return -ENOENT;
	if (READ_ONCE(s.queue->banned)) {
		ret = -ECANCELED;
		goto out_fini;
	}
	s.num_syncs = args->num_syncs;
	ret = vdgpu_syncs_parse(file, args->syncs, args->num_syncs,
				args->sync_stride, &s.syncs);
	if (ret)
		goto out_fini;
	if (args->num_handles) {
		/* On error too, the array holds what was found. */
		ret = drm_gem_objects_lookup(file, u64_to_user_ptr(args->handles),
					     args->num_handles, &s.objs);
		if (s.objs)
			s.num_objs = args->num_handles;
		if (ret)
			goto out_fini;
	}
	ret = vdgpu_exec_job_alloc(&s, args);
	if (ret)
		goto out_fini;
	ret = vdgpu_syncs_add_deps(s.syncs, s.num_syncs, &s.job->base);
	if (ret)
		goto out_fini;

	if (!drm_dev_enter(drm, &idx)) {
		ret = -ENODEV;
		goto out_fini;
	}
	do {
		drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT |
				     DRM_EXEC_IGNORE_DUPLICATES, 0);
		ret = vdgpu_exec_lock_prepare(&s, &exec);
		if (!ret)
			vdgpu_exec_push(&s, &exec);
		vdgpu_vm_exec_fini(&exec);
	} while (vdgpu_vm_validate_retry(ret, &end));
	drm_dev_exit(idx);
out_fini:
	vdgpu_exec_submit_fini(&s);
	return ret;
}
