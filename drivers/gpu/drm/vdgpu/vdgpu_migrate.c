// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/error-injection.h>
#include <linux/gpu_buddy.h>
#include <linux/highmem.h>
#include <linux/iosys-map.h>
#include <linux/list.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/gpu_scheduler.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/ttm/ttm_tt.h>

#include "vdgpu_device.h"
#include "vdgpu_engine.h"
#include "vdgpu_fence.h"
#include "vdgpu_gart.h"
#include "vdgpu_gtt_mgr.h"
#include "vdgpu_migrate.h"
#include "vdgpu_vram_mgr.h"

/**
 * DOC: Migration
 *
 * Moves and clears of buffer object memory run on the copy engines, as
 * COPY and FILL packets on device physical addresses: VRAM blocks at their
 * offsets, GTT resources through their range of the GTT aperture (bound by
 * the caller before the copy).  A resource is walked as a list of
 * contiguous runs, VRAM's buddy blocks or GTT's single range, and source and
 * destination runs are paired up so that each packet covers the longest
 * stretch contiguous on both sides, up to %VDGPU_MIGRATE_CHUNK.
 *
 * Each copy engine has a drm_sched scheduler feeding its ring, with one
 * kernel entity.  An operation becomes one job per engine it uses (more if
 * its packets exceed what one submission carries); the first job on each
 * engine depends on every fence of the object's reservation object, so an
 * operation never waits on the CPU: vdgpu_migrate_copy() returns at once
 * with a fence, and the scheduler starts the copy when the object is idle.
 * Fences of the same engine's scheduler are ordered by the scheduler
 * without waiting for them to signal.  Operations of at least
 * %VDGPU_MIGRATE_SPLIT bytes deal their packets out to both copy engines
 * alternately and end with an empty job on the first engine that waits
 * (through the scheduler's prepare_job) for the other engine's last job:
 * its fence, the one returned, signals when both are done, and is a plain
 * fence, as reservation objects require.  Smaller operations run on the
 * first copy engine only: TTM keeps one pipelined-move fence per memory
 * manager and compares new ones with it by seqno, so every fence a move
 * returns must come from the same timeline, the first engine's entity.
 * The second engine thus speeds up large moves only.
 *
 * Everything a job needs (its packets, its hardware fence, its scheduler
 * fences and dependencies) is allocated before the first job is pushed, so
 * an operation either fails with nothing queued or is queued whole; the
 * scheduler's run_job only writes the ring.  The scheduler's credit limit is
 * the ring's size in dwords, so run_job never waits for ring space.
 *
 * A job that has not completed after %VDGPU_MIGRATE_TIMEOUT_MS resets its
 * engine: every job the engine had not completed signals with -ETIMEDOUT.
 * Once a copy engine is wedged (it did not come out of a reset), moves
 * fall back to copying with the CPU (vdgpu_migrate_cpu()), counted as
 * memcpy_fallbacks in debugfs: slow, and impossible for VRAM outside the
 * CPU-visible window, which then fails with -EIO.  The debugfs knob
 * force_memcpy_moves makes every move take that path, so that benchmarks
 * can compare it with the blitter.
 *
 * The caller keeps both resources alive until the fence signals, which
 * ttm_bo_move_accel_cleanup() does.
 */

/* Operations this large use both copy engines. */
#define VDGPU_MIGRATE_SPLIT		SZ_4M
/* The most one packet moves, so that work interleaves over the engines. */
#define VDGPU_MIGRATE_CHUNK		SZ_2M
#define VDGPU_MIGRATE_TIMEOUT_MS	10000

/* Dwords of one COPY or FILL packet with its header. */
#define VDGPU_MIGRATE_PKT_DW	(1 + VDGPU_PKT_COPY_LEN)

static const unsigned int vdgpu_migrate_engine_ids[VDGPU_MIGRATE_ENGINES] = {
	VDGPU_ENGINE_COPY0, VDGPU_ENGINE_COPY1,
};

/**
 * struct vdgpu_migrate_job - packets for one copy engine
 */
struct vdgpu_migrate_job {
	/** @base: the scheduler's job */
	struct drm_sched_job base;
	/** @link: in the operation's list of jobs, until pushed */
	struct list_head link;
	/** @engine: where the packets run */
	struct vdgpu_engine *engine;
	/** @hw_fence: preallocated for run_job; NULL once handed over */
	struct dma_fence *hw_fence;
	/** @slot: which of the migration engines, the index of @engine */
	unsigned int slot;
	/** @first: the operation's first job on its engine, with the deps */
	bool first;
	/**
	 * @wait: for the job that joins a split operation, the other
	 * engine's last fence, handed to the scheduler by prepare_job
	 */
	struct dma_fence *wait;
	/**
	 * @copied: bytes the packets copy, counted in &vdgpu_migrate when
	 * the job is pushed
	 */
	u64 copied;
	/** @cleared: bytes the packets clear, likewise */
	u64 cleared;
	/** @ndw: dwords in @dw */
	u32 ndw;
	/** @max_dw: room in @dw */
	u32 max_dw;
	/** @dw: the packets */
	u32 dw[] __counted_by(max_dw);
};

static struct vdgpu_migrate_job *to_migrate_job(struct drm_sched_job *job)
{
	return container_of(job, struct vdgpu_migrate_job, base);
}

struct vdgpu_migrate_cursor {
	struct ttm_resource *res;
	struct vdgpu_device *vdev;
	/* VRAM: the current block; NULL for a GTT resource. */
	struct gpu_buddy_block *block;
	u64 addr;	/* device address of the current position */
	u64 left;	/* bytes left in the current run */
	u64 total;	/* bytes left in the whole resource */
};

static void vdgpu_migrate_cursor_block(struct vdgpu_migrate_cursor *c)
{
	struct vdgpu_vram_mgr *mgr = &c->vdev->vram_mgr;

	c->addr = c->vdev->vram_base + gpu_buddy_block_offset(c->block);
	c->left = min(gpu_buddy_block_size(&mgr->mm, c->block), c->total);
}

static void vdgpu_migrate_cursor_init(struct vdgpu_migrate_cursor *c,
				      struct vdgpu_device *vdev,
				      struct ttm_resource *res)
{
	c->res = res;
	c->vdev = vdev;
	c->total = res->size;
	if (res->mem_type == TTM_PL_VRAM) {
		c->block = list_first_entry(&to_vdgpu_vram_mgr_resource(res)->blocks,
					    struct gpu_buddy_block, link);
		vdgpu_migrate_cursor_block(c);
	} else {
		c->block = NULL;
		c->addr = vdgpu_gart_gpu_addr(vdgpu_gtt_mgr_resource_page(res));
		c->left = c->total;
	}
}

static void vdgpu_migrate_cursor_next(struct vdgpu_migrate_cursor *c, u64 n)
{
	c->addr += n;
	c->left -= n;
	c->total -= n;
	if (!c->left && c->total) {
		c->block = list_next_entry(c->block, link);
		vdgpu_migrate_cursor_block(c);
	}
}

static struct dma_fence *
vdgpu_migrate_prepare_job(struct drm_sched_job *sched_job,
			  struct drm_sched_entity *entity)
{
	struct vdgpu_migrate_job *job = to_migrate_job(sched_job);

	/* The scheduler takes over the reference and waits for it. */
	return xchg(&job->wait, NULL);
}

static struct dma_fence *vdgpu_migrate_run_job(struct drm_sched_job *sched_job)
{
	struct vdgpu_migrate_job *job = to_migrate_job(sched_job);
	struct dma_fence *fence = job->hw_fence;
	int ret;

	job->hw_fence = NULL;
	ret = vdgpu_engine_emit(job->engine, job->dw, job->ndw, fence);
	if (ret) {
		vdgpu_fence_free(fence);
		return ERR_PTR(ret);
	}
	/* The scheduler takes over the reference. */
	return fence;
}

static enum drm_gpu_sched_stat
vdgpu_migrate_timedout_job(struct drm_sched_job *sched_job)
{
	struct vdgpu_migrate_job *job = to_migrate_job(sched_job);
	struct vdgpu_engine *e = job->engine;
	struct vdgpu_device *vdev = e->vdev;
	int idx;

	if (!drm_dev_enter(&vdev->drm, &idx))
		return DRM_GPU_SCHED_STAT_ENODEV;

	atomic64_inc(&vdev->migrate.timeouts);
	drm_err(&vdev->drm, "%s: copy timed out, resetting the engine\n",
		e->name);
	drm_sched_stop(sched_job->sched, sched_job);
	vdgpu_engine_reset(e, -ETIMEDOUT);
	drm_sched_start(sched_job->sched);
	drm_dev_exit(idx);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void vdgpu_migrate_job_free(struct vdgpu_migrate_job *job)
{
	dma_fence_put(job->wait);
	if (job->hw_fence)
		vdgpu_fence_free(job->hw_fence);
	kvfree(job);
}

static void vdgpu_migrate_free_job(struct drm_sched_job *sched_job)
{
	drm_sched_job_cleanup(sched_job);
	vdgpu_migrate_job_free(to_migrate_job(sched_job));
}

static const struct drm_sched_backend_ops vdgpu_migrate_sched_ops = {
	.prepare_job = vdgpu_migrate_prepare_job,
	.run_job = vdgpu_migrate_run_job,
	.timedout_job = vdgpu_migrate_timedout_job,
	.free_job = vdgpu_migrate_free_job,
};

/* Jobs not yet armed: their scheduler fences go with the cleanup. */
static void vdgpu_migrate_jobs_abort(struct list_head *jobs)
{
	struct vdgpu_migrate_job *job, *next;

	list_for_each_entry_safe(job, next, jobs, link) {
		list_del(&job->link);
		/* drm_sched_job_init() gave it its fences, if it got that far. */
		if (job->base.s_fence)
			drm_sched_job_cleanup(&job->base);
		vdgpu_migrate_job_free(job);
	}
}

static struct vdgpu_migrate_job *
vdgpu_migrate_job_alloc(struct vdgpu_device *vdev, unsigned int slot,
			u32 max_dw)
{
	struct vdgpu_engine *e = &vdev->engines[vdgpu_migrate_engine_ids[slot]];
	struct vdgpu_migrate_job *job;

	job = kvzalloc(struct_size(job, dw, max_dw), GFP_KERNEL);
	if (!job)
		return NULL;
	job->max_dw = max_dw;
	job->engine = e;
	job->slot = slot;
	job->hw_fence = vdgpu_fence_alloc();
	if (!job->hw_fence) {
		kvfree(job);
		return NULL;
	}
	return job;
}

/*
 * Turns the packets into jobs: allocated, initialised with their credits
 * and their dependencies.  Packets go to engines 0 to @nslots - 1 in turn,
 * and a split operation ends on engine 0, whose timeline every returned
 * fence is on (see Migration).  On error nothing was pushed and @jobs is
 * empty.
 */
static noinline int vdgpu_migrate_prepare(struct vdgpu_device *vdev,
					  struct dma_resv *deps,
					  struct vdgpu_migrate_cursor *src,
					  struct vdgpu_migrate_cursor *dst,
					  unsigned int nslots,
					  struct list_head *jobs)
{
	struct vdgpu_migrate *m = &vdev->migrate;
	struct vdgpu_migrate_job *cur[VDGPU_MIGRATE_ENGINES] = {};
	struct vdgpu_migrate_job *job;
	unsigned int n = 0, slot;
	u32 max_dw;
	int ret;
	u64 len;

	/* Both copy engines have rings of the same size. */
	max_dw = rounddown(vdgpu_engine_max_dw(&vdev->engines[VDGPU_ENGINE_COPY0]),
			   VDGPU_MIGRATE_PKT_DW);
	while (dst->total) {
		slot = n++ % nslots;
		job = cur[slot];
		if (!job || job->ndw + VDGPU_MIGRATE_PKT_DW > job->max_dw) {
			/* Jobs already made are aborted, nothing pushed. */
			ret = vdgpu_inject_fail(vdev, VDGPU_INJECT_MOVE);
			if (ret)
				goto err_abort;
			job = vdgpu_migrate_job_alloc(vdev, slot, max_dw);
			if (!job) {
				ret = -ENOMEM;
				goto err_abort;
			}
			job->first = !cur[slot];
			list_add_tail(&job->link, jobs);
			cur[slot] = job;
		}

		len = min_t(u64, dst->left, VDGPU_MIGRATE_CHUNK);
		if (src) {
			len = min(len, src->left);
			job->ndw += vdgpu_engine_pkt_copy(job->dw + job->ndw, 0,
							  0, src->addr,
							  dst->addr, len);
			vdgpu_migrate_cursor_next(src, len);
			job->copied += len;
		} else {
			job->ndw += vdgpu_engine_pkt_fill(job->dw + job->ndw, 0,
							  0, dst->addr, len, 0);
			job->cleared += len;
		}
		vdgpu_migrate_cursor_next(dst, len);
	}

	/*
	 * A split operation ends with an empty job on its first engine that
	 * waits for the other's last: its fence stands for the whole, since
	 * a reservation object takes no fence containers.
	 */
	if (nslots > 1 && cur[1]) {
		job = vdgpu_migrate_job_alloc(vdev, 0, 0);
		if (!job) {
			ret = -ENOMEM;
			goto err_abort;
		}
		list_add_tail(&job->link, jobs);
	}

	list_for_each_entry(job, jobs, link) {
		/* Credits are ring dwords: the packets and the FENCE. */
		ret = drm_sched_job_init(&job->base, &m->entity[job->slot],
					 job->ndw + 1 + VDGPU_PKT_FENCE_LEN,
					 NULL, 0);
		if (ret)
			goto err_abort;
		if (!job->first)
			continue;
		ret = drm_sched_job_add_resv_dependencies(&job->base, deps,
							  DMA_RESV_USAGE_BOOKKEEP);
		if (ret)
			goto err_abort;
	}
	return 0;

err_abort:
	vdgpu_migrate_jobs_abort(jobs);
	return ret;
}
ALLOW_ERROR_INJECTION(vdgpu_migrate_prepare, ERRNO);

static struct dma_fence *
vdgpu_migrate_run(struct vdgpu_device *vdev, struct dma_resv *deps,
		  struct vdgpu_migrate_cursor *src,
		  struct vdgpu_migrate_cursor *dst)
{
	struct vdgpu_migrate *m = &vdev->migrate;
	struct dma_fence *last[VDGPU_MIGRATE_ENGINES] = {};
	struct vdgpu_migrate_job *job, *next;
	unsigned int nslots, slot;
	struct dma_fence *fence = NULL;
	LIST_HEAD(jobs);
	int ret;

	dma_resv_assert_held(deps);
	nslots = dst->total >= VDGPU_MIGRATE_SPLIT ? VDGPU_MIGRATE_ENGINES : 1;

	ret = vdgpu_migrate_prepare(vdev, deps, src, dst, nslots, &jobs);
	if (ret)
		return ERR_PTR(ret);

	/* The point of no return: every job is pushed. */
	list_for_each_entry_safe(job, next, &jobs, link) {
		slot = job->slot;
		list_del(&job->link);
		/* Only the joining job is empty; the other engine is armed. */
		if (!job->ndw)
			job->wait = dma_fence_get(last[(slot + 1) %
						       VDGPU_MIGRATE_ENGINES]);
		drm_sched_job_arm(&job->base);
		dma_fence_put(last[slot]);
		last[slot] = dma_fence_get(&job->base.s_fence->finished);
		fence = last[slot];
		atomic64_inc(&m->jobs[slot]);
		atomic64_add(job->copied, &m->bytes_copied[slot]);
		atomic64_add(job->cleared, &m->bytes_cleared[slot]);
		drm_sched_entity_push_job(&job->base);
	}

	/* The last job pushed covers the operation: keep its reference. */
	for (slot = 0; slot < VDGPU_MIGRATE_ENGINES; slot++)
		if (last[slot] != fence)
			dma_fence_put(last[slot]);
	return fence;
}

/**
 * vdgpu_migrate_copy() - copy one resource's contents into another
 * @vdev: the device
 * @deps: the reservation object whose fences the copy waits for (the
 * object's, held)
 * @src: the source, in VRAM or GTT (bound)
 * @dst: the destination, in VRAM or GTT (bound), of the same size
 *
 * Context: Process context, may sleep to allocate; @deps held.
 * Return: the fence of the copy, or an ERR_PTR: -ENOMEM, -EINVAL, with
 * nothing queued.
 */
struct dma_fence *vdgpu_migrate_copy(struct vdgpu_device *vdev,
				     struct dma_resv *deps,
				     struct ttm_resource *src,
				     struct ttm_resource *dst)
{
	struct vdgpu_migrate_cursor s, d;

	if (drm_WARN_ON(&vdev->drm, src->size != dst->size))
		return ERR_PTR(-EINVAL);
	vdgpu_migrate_cursor_init(&s, vdev, src);
	vdgpu_migrate_cursor_init(&d, vdev, dst);
	return vdgpu_migrate_run(vdev, deps, &s, &d);
}

/**
 * vdgpu_migrate_clear() - fill a resource with zeroes
 * @vdev: the device
 * @deps: the reservation object whose fences the clear waits for, held
 * @dst: the resource, in VRAM or GTT (bound)
 *
 * Context: Process context, may sleep to allocate; @deps held.
 * Return: the fence of the clear, or an ERR_PTR as for vdgpu_migrate_copy().
 */
struct dma_fence *vdgpu_migrate_clear(struct vdgpu_device *vdev,
				      struct dma_resv *deps,
				      struct ttm_resource *dst)
{
	struct vdgpu_migrate_cursor d;

	vdgpu_migrate_cursor_init(&d, vdev, dst);
	return vdgpu_migrate_run(vdev, deps, NULL, &d);
}

/**
 * DOC: Page-table batches
 *
 * Page-table updates (PT_WRITE packets) of a VM run on the first copy
 * engine's scheduler too, through the VM's own entity, which keeps them in
 * the order they were made.  A &struct vdgpu_migrate_batch is their
 * container: vdgpu_migrate_batch_alloc() allocates, for an upper bound of
 * dwords, every job the update may need, each initialised and holding its
 * hardware fence; dependencies are added to the first job; packets are then
 * written without any allocation, and vdgpu_migrate_batch_commit() pushes
 * the jobs that hold packets (at least one, so that the batch has a fence)
 * and frees the rest.  Everything that may fail thus fails before the
 * caller changes anything, and nothing the fence-signalling path needs is
 * allocated after the caller has committed to the update.
 */

/**
 * struct vdgpu_migrate_batch - preallocated jobs for a page-table update
 */
struct vdgpu_migrate_batch {
	/** @jobs: the jobs, in order; the first carries the dependencies */
	struct list_head jobs;
	/** @cur: the job packets go to */
	struct vdgpu_migrate_job *cur;
};

/**
 * vdgpu_migrate_batch_alloc() - allocate the jobs of a page-table update
 * @vdev: the device
 * @entity: the entity the jobs run on, of the first copy engine's scheduler
 * @max_dw: an upper bound of the packet dwords the update will write
 *
 * Context: Process context, may sleep to allocate.
 * Return: the batch, or ERR_PTR(-ENOMEM).
 */
struct vdgpu_migrate_batch *
vdgpu_migrate_batch_alloc(struct vdgpu_device *vdev,
			  struct drm_sched_entity *entity, u64 max_dw)
{
	u32 job_dw = vdgpu_engine_max_dw(&vdev->engines[VDGPU_ENGINE_COPY0]);
	struct vdgpu_migrate_batch *batch;
	struct vdgpu_migrate_job *job;
	u64 left = max_dw;
	int ret;

	batch = kzalloc(sizeof(*batch), GFP_KERNEL);
	if (!batch)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&batch->jobs);
	/* A packet that does not fit leaves up to a packet unused per job. */
	do {
		/* Page table updates are what batches are for. */
		ret = vdgpu_inject_fail(vdev, VDGPU_INJECT_PT);
		if (ret)
			goto err_abort;
		job = vdgpu_migrate_job_alloc(vdev, 0,
					      min_t(u64, left + VDGPU_PKT_MAX_DW + 1,
						    job_dw));
		if (!job) {
			ret = -ENOMEM;
			goto err_abort;
		}
		list_add_tail(&job->link, &batch->jobs);
		ret = drm_sched_job_init(&job->base, entity,
					 job->max_dw + 1 + VDGPU_PKT_FENCE_LEN,
					 NULL, 0);
		if (ret)
			goto err_abort;
		left -= min_t(u64, left, job->max_dw - VDGPU_PKT_MAX_DW - 1);
	} while (left);
	batch->cur = list_first_entry(&batch->jobs, struct vdgpu_migrate_job,
				      link);
	batch->cur->first = true;
	return batch;

err_abort:
	vdgpu_migrate_jobs_abort(&batch->jobs);
	kfree(batch);
	return ERR_PTR(ret);
}
ALLOW_ERROR_INJECTION(vdgpu_migrate_batch_alloc, ERRNO);

/**
 * vdgpu_migrate_batch_add_dep() - make the update wait for a fence
 * @batch: the batch, not committed
 * @fence: the fence; the batch takes the reference, even on error
 *
 * Context: Process context, may sleep to allocate.
 * Return: 0 or -ENOMEM.
 */
int vdgpu_migrate_batch_add_dep(struct vdgpu_migrate_batch *batch,
				struct dma_fence *fence)
{
	struct vdgpu_migrate_job *first =
		list_first_entry(&batch->jobs, struct vdgpu_migrate_job, link);

	return drm_sched_job_add_dependency(&first->base, fence);
}

/**
 * vdgpu_migrate_batch_add_resv() - make the update wait for a resv's fences
 * @batch: the batch, not committed
 * @resv: the reservation object, held
 * @usage: which of its fences
 *
 * Context: Process context, may sleep to allocate.
 * Return: 0 or -ENOMEM.
 */
int vdgpu_migrate_batch_add_resv(struct vdgpu_migrate_batch *batch,
				 struct dma_resv *resv,
				 enum dma_resv_usage usage)
{
	struct vdgpu_migrate_job *first =
		list_first_entry(&batch->jobs, struct vdgpu_migrate_job, link);

	return drm_sched_job_add_resv_dependencies(&first->base, resv, usage);
}

/**
 * vdgpu_migrate_batch_reserve() - room for one packet
 * @batch: the batch
 * @ndw: the packet's dwords, header included
 *
 * Packets never straddle jobs; vdgpu_migrate_batch_alloc() left room for
 * what that wastes.
 *
 * Context: Any.
 * Return: where to write the packet, or NULL (with a WARN) if the bound
 * was wrong.
 */
u32 *vdgpu_migrate_batch_reserve(struct vdgpu_migrate_batch *batch, u32 ndw)
{
	struct vdgpu_migrate_job *job = batch->cur;
	u32 *dw;

	if (job->ndw + ndw > job->max_dw) {
		if (WARN_ON(list_is_last(&job->link, &batch->jobs)))
			return NULL;
		job = list_next_entry(job, link);
		batch->cur = job;
		if (WARN_ON(ndw > job->max_dw))
			return NULL;
	}
	dw = job->dw + job->ndw;
	job->ndw += ndw;
	return dw;
}

/**
 * vdgpu_migrate_batch_commit() - queue the update
 * @batch: the batch, freed here
 *
 * Pushes the jobs up to the last that holds packets, the first always, and
 * frees the others.
 *
 * Context: Process context; cannot fail.
 * Return: the fence of the last job pushed, signalling once the whole
 * update has executed.
 */
struct dma_fence *vdgpu_migrate_batch_commit(struct vdgpu_migrate_batch *batch)
{
	struct vdgpu_migrate_job *job, *next;
	struct dma_fence *fence = NULL;
	LIST_HEAD(unused);

	list_for_each_entry_safe(job, next, &batch->jobs, link) {
		if (fence && !job->ndw) {
			list_move_tail(&job->link, &unused);
			continue;
		}
		list_del(&job->link);
		job->base.credits = job->ndw + 1 + VDGPU_PKT_FENCE_LEN;
		drm_sched_job_arm(&job->base);
		dma_fence_put(fence);
		fence = dma_fence_get(&job->base.s_fence->finished);
		drm_sched_entity_push_job(&job->base);
	}
	vdgpu_migrate_jobs_abort(&unused);
	kfree(batch);
	return fence;
}

/**
 * vdgpu_migrate_batch_abort() - drop an update that was not committed
 * @batch: the batch, or NULL; freed here
 *
 * Context: Process context.
 */
void vdgpu_migrate_batch_abort(struct vdgpu_migrate_batch *batch)
{
	if (!batch)
		return;
	vdgpu_migrate_jobs_abort(&batch->jobs);
	kfree(batch);
}

/**
 * vdgpu_migrate_wedged() - whether the blitter cannot be trusted
 * @vdev: the device
 *
 * Context: Any; a snapshot.
 * Return: true if a copy engine did not come out of its last reset.
 */
bool vdgpu_migrate_wedged(struct vdgpu_device *vdev)
{
	unsigned int i;

	for (i = 0; i < VDGPU_MIGRATE_ENGINES; i++)
		if (READ_ONCE(vdev->engines[vdgpu_migrate_engine_ids[i]].wedged))
			return true;
	return false;
}

/* Where byte @off of @res is: a page of @tt, or an offset in the BAR. */
static void vdgpu_migrate_cpu_map(struct vdgpu_device *vdev,
				  struct ttm_resource *res, struct ttm_tt *tt,
				  u64 off, struct iosys_map *map)
{
	if (res->mem_type == TTM_PL_VRAM) {
		*map = vdev->bus.bar;
		iosys_map_incr(map, vdev->vram_base +
			       vdgpu_vram_mgr_resource_offset(&vdev->vram_mgr,
							      res, off));
	} else {
		iosys_map_set_vaddr(map, kmap_local_page(tt->pages[off >>
								   PAGE_SHIFT]));
	}
}

static void vdgpu_migrate_cpu_unmap(struct iosys_map *map)
{
	if (!map->is_iomem)
		kunmap_local(map->vaddr);
}

static bool vdgpu_migrate_cpu_reachable(struct ttm_resource *res,
					struct ttm_tt *tt)
{
	if (!res)
		return true;
	if (res->mem_type == TTM_PL_VRAM)
		return vdgpu_vram_mgr_resource_is_visible(res);
	return tt && ttm_tt_is_populated(tt);
}

/**
 * vdgpu_migrate_cpu() - copy or clear with the CPU, the last resort
 * @vdev: the device
 * @tt: the object's pages, for a side in GTT or SYSTEM
 * @src: the source, or NULL to fill @dst with zeroes
 * @dst: the destination, of the same size
 *
 * For when the copy engines are wedged: page by page through the BAR
 * window for VRAM and kernel maps for system pages, so both sides must be
 * CPU-reachable.  The caller has waited for the object to be idle.
 *
 * Context: Process context, may sleep.
 * Return: 0, or -EIO if a side is in VRAM the CPU cannot reach.
 */
int vdgpu_migrate_cpu(struct vdgpu_device *vdev, struct ttm_tt *tt,
		      struct ttm_resource *src, struct ttm_resource *dst)
{
	struct iosys_map s, d;
	u8 bounce[256];
	u64 off, i;

	if (!vdgpu_migrate_cpu_reachable(src, tt) ||
	    !vdgpu_migrate_cpu_reachable(dst, tt))
		return -EIO;

	for (off = 0; off < dst->size; off += PAGE_SIZE) {
		vdgpu_migrate_cpu_map(vdev, dst, tt, off, &d);
		if (!src) {
			iosys_map_memset(&d, 0, 0, PAGE_SIZE);
		} else {
			vdgpu_migrate_cpu_map(vdev, src, tt, off, &s);
			/* Straight across unless both sides are I/O memory. */
			if (!s.is_iomem) {
				iosys_map_memcpy_to(&d, 0, s.vaddr, PAGE_SIZE);
			} else if (!d.is_iomem) {
				iosys_map_memcpy_from(d.vaddr, &s, 0,
						      PAGE_SIZE);
			} else {
				for (i = 0; i < PAGE_SIZE; i += sizeof(bounce)) {
					iosys_map_memcpy_from(bounce, &s, i,
							      sizeof(bounce));
					iosys_map_memcpy_to(&d, i, bounce,
							    sizeof(bounce));
				}
			}
			vdgpu_migrate_cpu_unmap(&s);
		}
		vdgpu_migrate_cpu_unmap(&d);
		cond_resched();
	}
	return 0;
}

/**
 * vdgpu_migrate_print() - the blitter's counters, one line per engine
 * @vdev: the device
 * @p: where to
 *
 * ``<engine> copied=<bytes> cleared=<bytes> jobs=<count>``, then
 * ``timeouts=<count>``.
 *
 * Context: Any process context.
 */
void vdgpu_migrate_print(struct vdgpu_device *vdev, struct drm_printer *p)
{
	struct vdgpu_migrate *m = &vdev->migrate;
	unsigned int i;

	for (i = 0; i < VDGPU_MIGRATE_ENGINES; i++)
		drm_printf(p, "%s copied=%lld cleared=%lld jobs=%lld\n",
			   vdev->engines[vdgpu_migrate_engine_ids[i]].name,
			   atomic64_read(&m->bytes_copied[i]),
			   atomic64_read(&m->bytes_cleared[i]),
			   atomic64_read(&m->jobs[i]));
	drm_printf(p, "timeouts=%lld\n", atomic64_read(&m->timeouts));
}

/**
 * vdgpu_migrate_suspend() - stop feeding the copy engines
 * @vdev: the device
 *
 * Jobs stay queued in their entities and run after vdgpu_migrate_resume().
 *
 * Context: Process context, may sleep.
 */
void vdgpu_migrate_suspend(struct vdgpu_device *vdev)
{
	unsigned int i;

	for (i = 0; i < VDGPU_MIGRATE_ENGINES; i++)
		drm_sched_wqueue_stop(&vdev->migrate.sched[i]);
}

/**
 * vdgpu_migrate_resume() - feed the copy engines again
 * @vdev: the device, whose engines run
 *
 * Context: Process context.
 */
void vdgpu_migrate_resume(struct vdgpu_device *vdev)
{
	unsigned int i;

	for (i = 0; i < VDGPU_MIGRATE_ENGINES; i++)
		drm_sched_wqueue_start(&vdev->migrate.sched[i]);
}

static void vdgpu_migrate_release(struct drm_device *drm, void *data)
{
	struct vdgpu_migrate *m = data;
	unsigned int i;

	for (i = 0; i < VDGPU_MIGRATE_ENGINES; i++)
		drm_sched_entity_destroy(&m->entity[i]);
	for (i = 0; i < VDGPU_MIGRATE_ENGINES; i++)
		vdgpu_sched_fini_drained(drm, &m->sched[i]);
}

/**
 * vdgpu_migrate_init() - set up the copy engines' schedulers
 * @vdev: the device, whose engines run
 *
 * The schedulers and their entities live as long as the &drm_device, so
 * that jobs in flight at unplug are freed, not leaked; they are torn down
 * with a managed action.
 *
 * Context: Process context; probe.
 * Return: 0 or a negative errno, with nothing left to undo.
 */
int vdgpu_migrate_init(struct vdgpu_device *vdev)
{
	struct vdgpu_migrate *m = &vdev->migrate;
	struct drm_gpu_scheduler *sched;
	unsigned int i, n;
	int ret;

	for (n = 0; n < VDGPU_MIGRATE_ENGINES; n++) {
		struct vdgpu_engine *e =
			&vdev->engines[vdgpu_migrate_engine_ids[n]];
		const struct drm_sched_init_args args = {
			.ops = &vdgpu_migrate_sched_ops,
			.num_rqs = DRM_SCHED_PRIORITY_COUNT,
			/* Ring dwords, so that run_job never waits for room. */
			.credit_limit = e->ring_size / 4 - 1,
			.timeout = msecs_to_jiffies(VDGPU_MIGRATE_TIMEOUT_MS),
			.name = e->name,
			.dev = vdev->drm.dev,
		};

		ret = drm_sched_init(&m->sched[n], &args);
		if (ret)
			goto err_fini;
		sched = &m->sched[n];
		ret = drm_sched_entity_init(&m->entity[n],
					    DRM_SCHED_PRIORITY_KERNEL, &sched, 1,
					    NULL);
		if (ret) {
			drm_sched_fini(&m->sched[n]);
			goto err_fini;
		}
	}
	return drmm_add_action_or_reset(&vdev->drm, vdgpu_migrate_release, m);

err_fini:
	for (i = 0; i < n; i++) {
		drm_sched_entity_destroy(&m->entity[i]);
		drm_sched_fini(&m->sched[i]);
	}
	return ret;
}
ALLOW_ERROR_INJECTION(vdgpu_migrate_init, ERRNO);
