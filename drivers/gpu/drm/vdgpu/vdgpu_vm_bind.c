// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-fence.h>
#include <linux/error-injection.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bo.h"
#include "vdgpu_device.h"
#include "vdgpu_migrate.h"
#include "vdgpu_pt.h"
#include "vdgpu_region.h"
#include "vdgpu_sync.h"
#include "vdgpu_trace.h"
#include "vdgpu_vm.h"

/**
 * DOC: VM_BIND
 *
 * &DRM_IOCTL_VDGPU_VM_BIND applies an array of MAP, UNMAP and PREFETCH
 * operations as one update, in four steps:
 *
 * 1. Copy and check every operation and sync, look up every object and
 *    syncobj.  Refusals happen here, before anything is locked.
 * 2. Lock the VM, its external objects and the objects to map (drm_exec),
 *    validate what the GPU will reach (objects to map, prefetches, evicted
 *    objects), allocate the page tables the new mappings need, the
 *    &drm_gpuva and &drm_gpuvm_bo structures the operations may use (a MAP
 *    splits at most two mappings, an UNMAP as well), and the jobs that
 *    write the page tables, sized for the worst case, with their
 *    dependencies.  Failing here changes nothing userspace can see.
 * 3. Apply the operations to the VA tree through drm_gpuvm_sm_map() and
 *    drm_gpuvm_sm_unmap(), whose split and merge steps take the
 *    preallocated structures, then recompute every touched 2 MiB chunk of
 *    the page tables from the tree and queue the page-table job.  Nothing
 *    can fail any more.
 * 4. Publish the job's fence: on the VM's and the external objects'
 *    reservation objects, in the out-syncs, and wait for it unless the
 *    bind was asynchronous.
 *
 * When step 2 runs out of device memory because what it would evict is
 * locked by other submissions (TTM 6.12 cannot tell that apart from
 * memory running out), the bind drops its locks and starts step 2 again,
 * for up to a second, as EXEC does (vdgpu_vm_validate_retry()).
 *
 * The page-table job runs on the first copy engine through the VM's own
 * drm_sched entity, after the in-syncs and every fence on the VM's
 * reservation object and after the moves of the objects it points at, so
 * binds of a VM complete in order and after the VM's earlier work.
 *
 * Large pages: a chunk is one 2 MiB page when a single mapping covers it
 * and its object's memory there is one 2 MiB-aligned run of VRAM; a 16-entry
 * group of level 0 entries becomes a 64 KiB page when the 16 pages are one
 * 64 KiB-aligned run with the same permissions.  A rebind after a move
 * chooses again.
 */

#define VDGPU_VM_BIND_MAX_OPS	1024
/* The structures an operation may consume: a new VMA and two remnants. */
#define VDGPU_VM_OP_VMAS	3

/**
 * struct vdgpu_vm_bind - one VM_BIND in the making
 */
struct vdgpu_vm_bind {
	/** @vm: the VM, referenced */
	struct vdgpu_vm *vm;
	/** @ops: the operations, copied in */
	struct drm_vdgpu_vm_bind_op *ops;
	/** @bos: per operation, MAP's object, referenced */
	struct vdgpu_bo **bos;
	/** @num_ops: entries in @ops and @bos */
	u32 num_ops;
	/** @syncs: the syncs, parsed */
	struct vdgpu_sync *syncs;
	/** @num_syncs: entries in @syncs */
	u32 num_syncs;
	/** @vm_bos: per operation, MAP's preallocated &drm_gpuvm_bo */
	struct drm_gpuvm_bo **vm_bos;
	/** @op_ctx: the preallocated VMAs */
	struct vdgpu_vm_op_ctx op_ctx;
	/** @deps_taken: the in-sync fences were handed to the jobs */
	bool deps_taken;
};

static int vdgpu_vm_bind_check_op(struct drm_device *drm,
				  const struct drm_vdgpu_vm_bind_op *op)
{
	u64 end;

	if (op->reserved[0] || op->reserved[1]) {
		drm_dbg(drm, "vm_bind: nonzero op reserved\n");
		return -EINVAL;
	}
	if (op->op > DRM_VDGPU_VM_BIND_OP_PREFETCH) {
		drm_dbg(drm, "vm_bind: unknown op %u\n", op->op);
		return -EINVAL;
	}
	if (op->flags & ~(op->op == DRM_VDGPU_VM_BIND_OP_MAP ?
			  DRM_VDGPU_VM_BIND_READ_ONLY : 0)) {
		drm_dbg(drm, "vm_bind: bad op flags 0x%x\n", op->flags);
		return -EINVAL;
	}
	if (op->op != DRM_VDGPU_VM_BIND_OP_MAP &&
	    (op->handle || op->obj_offset)) {
		drm_dbg(drm, "vm_bind: handle or offset on a non-MAP op\n");
		return -EINVAL;
	}
	if (op->op != DRM_VDGPU_VM_BIND_OP_PREFETCH && op->region) {
		drm_dbg(drm, "vm_bind: region on a non-PREFETCH op\n");
		return -EINVAL;
	}
	if (!op->range || !IS_ALIGNED(op->addr, SZ_4K) ||
	    !IS_ALIGNED(op->range, SZ_4K) || !IS_ALIGNED(op->obj_offset, SZ_4K)) {
		drm_dbg(drm, "vm_bind: empty or misaligned range\n");
		return -EINVAL;
	}
	if (check_add_overflow(op->addr, op->range, &end) ||
	    end > VDGPU_VM_KERNEL_START) {
		drm_dbg(drm, "vm_bind: range wraps or reaches the kernel's\n");
		return -EINVAL;
	}
	return 0;
}

static int vdgpu_vm_bind_check_map(struct vdgpu_vm_bind *b, u32 i,
				   struct drm_file *file)
{
	const struct drm_vdgpu_vm_bind_op *op = &b->ops[i];
	struct drm_device *drm = &b->vm->vdev->drm;
	struct drm_gem_object *obj;
	struct vdgpu_bo *bo;
	u64 end;

	obj = drm_gem_object_lookup(file, op->handle);
	if (!obj)
		return -ENOENT;
	bo = gem_to_vdgpu_bo(obj);
	b->bos[i] = bo;
	if (check_add_overflow(op->obj_offset, op->range, &end) ||
	    end > obj->size) {
		drm_dbg(drm, "vm_bind: range beyond the object\n");
		return -EINVAL;
	}
	if (bo->vm_resv_obj && bo->vm_resv_obj != b->vm->gpuvm.r_obj) {
		drm_dbg(drm, "vm_bind: object private to another VM\n");
		return -EINVAL;
	}
	if (!vdgpu_bo_gpu_mappable(bo)) {
		drm_dbg(drm, "vm_bind: object the GPU cannot reach\n");
		return -EINVAL;
	}
	return 0;
}

static int vdgpu_vm_bind_copy_ops(struct vdgpu_vm_bind *b,
				  const struct drm_vdgpu_vm_bind *args,
				  struct drm_file *file)
{
	struct drm_device *drm = &b->vm->vdev->drm;
	u64 __user *uops = u64_to_user_ptr(args->ops);
	u32 i;
	int ret;

	b->ops = kvcalloc(args->num_ops, sizeof(*b->ops), GFP_KERNEL);
	b->bos = kvcalloc(args->num_ops, sizeof(*b->bos), GFP_KERNEL);
	b->vm_bos = kvcalloc(args->num_ops, sizeof(*b->vm_bos), GFP_KERNEL);
	if (!b->ops || !b->bos || !b->vm_bos)
		return -ENOMEM;
	b->num_ops = args->num_ops;

	for (i = 0; i < b->num_ops; i++) {
		ret = copy_struct_from_user(&b->ops[i], sizeof(b->ops[i]),
					    (u8 __user *)uops +
					    (size_t)i * args->op_stride,
					    args->op_stride);
		if (ret)
			return ret == -E2BIG ? -EINVAL : ret;
		ret = vdgpu_vm_bind_check_op(drm, &b->ops[i]);
		if (ret)
			return ret;
		if (b->ops[i].op == DRM_VDGPU_VM_BIND_OP_MAP) {
			ret = vdgpu_vm_bind_check_map(b, i, file);
			if (ret)
				return ret;
		}
		if (b->ops[i].op == DRM_VDGPU_VM_BIND_OP_PREFETCH) {
			const struct vdgpu_region *r =
				vdgpu_region_get(b->vm->vdev, b->ops[i].region);

			if (!r || r->mem_class == DRM_VDGPU_MEM_CLASS_SYSTEM) {
				drm_dbg(drm, "vm_bind: bad prefetch region\n");
				return -EINVAL;
			}
		}
	}
	return 0;
}

static void vdgpu_vm_bind_fini(struct vdgpu_vm_bind *b)
{
	u32 i;

	for (i = 0; i < b->op_ctx.num_vmas; i++)
		kfree(b->op_ctx.vmas[i]);
	kvfree(b->op_ctx.vmas);
	vdgpu_syncs_free(b->syncs, b->num_syncs);
	if (b->bos)
		for (i = 0; i < b->num_ops; i++)
			vdgpu_bo_put(b->bos[i]);
	kvfree(b->vm_bos);
	kvfree(b->bos);
	kvfree(b->ops);
	vdgpu_vm_put(b->vm);
}

/* Drops what the update did not use; under the locks the structures need. */
static void vdgpu_vm_bind_unprepare(struct vdgpu_vm_bind *b)
{
	u32 i;

	for (i = 0; i < b->num_ops; i++) {
		if (b->vm_bos[i])
			drm_gpuvm_bo_put(b->vm_bos[i]);
		b->vm_bos[i] = NULL;
	}
	for (i = 0; i < b->op_ctx.num_vmas; i++)
		kfree(b->op_ctx.vmas[i]);
	kvfree(b->op_ctx.vmas);
	b->op_ctx.vmas = NULL;
	b->op_ctx.num_vmas = 0;
	/* Chunks noted stay in vm->dirty, for the next update to rewrite. */
}

static int vdgpu_vm_bind_prepare(struct vdgpu_vm_bind *b,
				 struct drm_exec *exec,
				 struct vdgpu_migrate_batch **out);

/*
 * Locks the VM and the objects of the MAPs, and prepares the update while
 * still in the locking loop: the ticket is not done yet, so the objects'
 * validation and the page tables' allocation may evict other clients'
 * objects with it (TTM takes their locks with the ticket of the object it
 * makes room for, and ww_acquire_done() forbids that once the loop is
 * over).
 */
static int vdgpu_vm_bind_lock_prepare(struct vdgpu_vm_bind *b,
				      struct drm_exec *exec,
				      struct vdgpu_migrate_batch **batch)
{
	u32 i;
	int ret;

	drm_exec_until_all_locked(exec) {
		ret = vdgpu_vm_lock(b->vm, exec, 1);
		drm_exec_retry_on_contention(exec);
		if (ret)
			return ret;
		for (i = 0; i < b->num_ops; i++) {
			if (!b->bos[i])
				continue;
			ret = drm_exec_prepare_obj(exec, &b->bos[i]->tbo.base, 1);
			drm_exec_retry_on_contention(exec);
			if (ret)
				return ret;
		}
		ret = vdgpu_vm_bind_prepare(b, exec, batch);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The objects mapped in the range of PREFETCH @n: checked that they allow
 * its region, or with @move, moved there.
 */
static int vdgpu_vm_bind_prefetch(struct vdgpu_vm_bind *b, u32 n, bool move)
{
	const struct drm_vdgpu_vm_bind_op *op = &b->ops[n];
	struct ttm_operation_ctx ctx = { .interruptible = true };
	u64 end = op->addr + op->range;
	struct drm_gpuva *va;
	struct vdgpu_bo *bo;
	u32 i;
	int ret;

	/* What the VM maps there, and what earlier MAPs of this call map. */
	drm_gpuvm_for_each_va_range(va, &b->vm->gpuvm, op->addr, end) {
		bo = gem_to_vdgpu_bo(va->gem.obj);
		if (!move) {
			if (!vdgpu_bo_allows(bo, op->region))
				return -EINVAL;
			continue;
		}
		ret = vdgpu_bo_validate_region(bo, op->region, &ctx);
		if (ret)
			return ret;
	}
	for (i = 0; i < n; i++) {
		bo = b->bos[i];
		if (!bo || b->ops[i].addr >= end ||
		    b->ops[i].addr + b->ops[i].range <= op->addr)
			continue;
		if (!move) {
			if (!vdgpu_bo_allows(bo, op->region))
				return -EINVAL;
			continue;
		}
		ret = vdgpu_bo_validate_region(bo, op->region, &ctx);
		if (ret)
			return ret;
	}
	return 0;
}

/* After moving @bo itself: its mappings here are rewritten by this update. */
static int vdgpu_vm_bind_moved(struct vdgpu_vm *vm, struct vdgpu_bo *bo)
{
	struct drm_gpuvm_bo *vm_bo;
	int ret;

	vm_bo = drm_gpuvm_bo_find(&vm->gpuvm, &bo->tbo.base);
	if (!vm_bo)
		return 0;
	ret = 0;
	if (vm_bo->evicted) {
		ret = vdgpu_vm_dirty_vm_bo(vm, vm_bo);
		if (!ret)
			drm_gpuvm_bo_evict(vm_bo, false);
	}
	drm_gpuvm_bo_put(vm_bo);
	return ret;
}

/*
 * Step 2: everything that may fail, with the VM locked.  On error nothing
 * userspace sees has changed (objects may have moved, tables may have been
 * allocated).
 */
static noinline int vdgpu_vm_bind_prepare(struct vdgpu_vm_bind *b,
					  struct drm_exec *exec,
					  struct vdgpu_migrate_batch **out)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct vdgpu_vm *vm = b->vm;
	struct vdgpu_migrate_batch *batch;
	struct drm_vdgpu_vm_bind_op *op;
	u32 i, nvmas = 0;
	int ret;

	if (vm->closed)
		return -ENOENT;

	/* Refusals first: no object moves for a call that is refused. */
	for (i = 0; i < b->num_ops; i++) {
		if (b->ops[i].op != DRM_VDGPU_VM_BIND_OP_PREFETCH)
			continue;
		ret = vdgpu_vm_bind_prefetch(b, i, false);
		if (ret) {
			drm_dbg(&vm->vdev->drm,
				"vm_bind: prefetch to a region an object does not allow\n");
			goto err;
		}
	}
	/* The objects this update points the tables at, where the GPU reaches them. */
	for (i = 0; i < b->num_ops; i++) {
		op = &b->ops[i];
		if (op->op == DRM_VDGPU_VM_BIND_OP_MAP)
			ret = vdgpu_bo_validate_gpu(b->bos[i], &ctx);
		else if (op->op == DRM_VDGPU_VM_BIND_OP_PREFETCH)
			ret = vdgpu_vm_bind_prefetch(b, i, true);
		else
			ret = 0;
		if (ret)
			goto err;
	}
	for (i = 0; i < b->num_ops; i++) {
		if (!b->bos[i])
			continue;
		ret = vdgpu_vm_bind_moved(vm, b->bos[i]);
		if (ret)
			goto err;
	}
	ret = vdgpu_vm_validate(vm, exec);
	if (ret)
		goto err;

	for (i = 0; i < b->num_ops; i++) {
		op = &b->ops[i];
		if (op->op == DRM_VDGPU_VM_BIND_OP_PREFETCH)
			continue;
		if (op->op == DRM_VDGPU_VM_BIND_OP_MAP)
			ret = vdgpu_vm_dirty_range(vm, op->addr, op->range);
		else
			ret = vdgpu_vm_dirty_unmap(vm, op->addr, op->range);
		if (ret)
			goto err;
		if (op->op == DRM_VDGPU_VM_BIND_OP_MAP) {
			ret = vdgpu_pt_tree_prepare(&vm->pt, op->addr,
						    op->addr + op->range);
			if (ret)
				goto err;
			b->vm_bos[i] = drm_gpuvm_bo_create(&vm->gpuvm,
							   &b->bos[i]->tbo.base);
			if (!b->vm_bos[i]) {
				ret = -ENOMEM;
				goto err;
			}
			nvmas += VDGPU_VM_OP_VMAS;
		} else {
			nvmas += VDGPU_VM_OP_VMAS - 1;
		}
	}

	/* The deepest point: objects moved, tables allocated. */
	ret = vdgpu_inject_fail(vm->vdev, VDGPU_INJECT_BIND);
	if (ret)
		goto err;
	b->op_ctx.vmas = kvcalloc(nvmas, sizeof(*b->op_ctx.vmas), GFP_KERNEL);
	if (!b->op_ctx.vmas) {
		ret = -ENOMEM;
		goto err;
	}
	for (i = 0; i < nvmas; i++) {
		b->op_ctx.vmas[i] = kzalloc(sizeof(*b->op_ctx.vmas[i]),
					    GFP_KERNEL);
		if (!b->op_ctx.vmas[i]) {
			ret = -ENOMEM;
			goto err;
		}
		b->op_ctx.num_vmas++;
	}

	ret = vdgpu_vm_reserve_fences(exec);
	if (ret)
		goto err;
	batch = vdgpu_vm_batch_alloc(vm, exec);
	if (IS_ERR(batch)) {
		ret = PTR_ERR(batch);
		goto err;
	}
	/* The in-syncs go to the batch: the bind can no longer be retried. */
	b->deps_taken = true;
	for (i = 0; i < b->num_syncs; i++) {
		if (!b->syncs[i].fence)
			continue;
		ret = vdgpu_migrate_batch_add_dep(batch, b->syncs[i].fence);
		/* The batch took the reference. */
		b->syncs[i].fence = NULL;
		if (ret)
			goto err_abort;
	}
	*out = batch;
	return 0;

err_abort:
	vdgpu_migrate_batch_abort(batch);
err:
	vdgpu_vm_bind_unprepare(b);
	return ret;
}
ALLOW_ERROR_INJECTION(vdgpu_vm_bind_prepare, ERRNO);

/* Step 3: the operations, on the VA tree; cannot fail. */
static void vdgpu_vm_bind_apply(struct vdgpu_vm_bind *b)
{
	struct vdgpu_vm *vm = b->vm;
	struct drm_vdgpu_vm_bind_op *op;
	int ret = 0;
	u32 i;

	for (i = 0; i < b->num_ops; i++) {
		op = &b->ops[i];
		switch (op->op) {
		case DRM_VDGPU_VM_BIND_OP_MAP:
			b->op_ctx.vm_bo = b->vm_bos[i];
			b->vm_bos[i] = NULL;
			b->op_ctx.flags = op->flags & DRM_VDGPU_VM_BIND_READ_ONLY ?
					  VDGPU_VMA_READ_ONLY : 0;
			ret = drm_gpuvm_sm_map(&vm->gpuvm, &b->op_ctx, op->addr,
					       op->range, &b->bos[i]->tbo.base,
					       op->obj_offset);
			break;
		case DRM_VDGPU_VM_BIND_OP_UNMAP:
			ret = drm_gpuvm_sm_unmap(&vm->gpuvm, &b->op_ctx,
						 op->addr, op->range);
			break;
		}
		/* Only running out of what step 2 counted: a driver bug. */
		drm_WARN_ON(&vm->vdev->drm, ret);
		trace_vdgpu_vm_bind(vm, op->op, op->addr, op->range);
	}
}

/* Step 4: the fence, where userspace and the kernel look for it. */
static void vdgpu_vm_bind_publish(struct vdgpu_vm_bind *b,
				  struct drm_exec *exec,
				  struct dma_fence *fence)
{
	drm_gpuvm_resv_add_fence(&b->vm->gpuvm, exec, fence,
				 DMA_RESV_USAGE_BOOKKEEP,
				 DMA_RESV_USAGE_BOOKKEEP);
	vdgpu_syncs_signal(b->syncs, b->num_syncs, fence);
}

#define VDGPU_VM_BIND_FLAGS	DRM_VDGPU_VM_BIND_ASYNC

static int vdgpu_vm_bind_check_args(struct drm_device *drm,
				    const struct drm_vdgpu_vm_bind *args)
{
	if (args->extensions || args->reserved[0] || args->reserved[1] ||
	    (args->flags & ~VDGPU_VM_BIND_FLAGS)) {
		drm_dbg(drm, "vm_bind: nonzero extensions, reserved or flags\n");
		return -EINVAL;
	}
	if (!args->num_ops || args->num_ops > VDGPU_VM_BIND_MAX_OPS ||
	    args->num_syncs > VDGPU_MAX_SYNCS) {
		drm_dbg(drm, "vm_bind: bad op or sync count\n");
		return -EINVAL;
	}
	if (!args->op_stride || !IS_ALIGNED(args->op_stride, 8) ||
	    (args->num_syncs && (!args->sync_stride ||
				 !IS_ALIGNED(args->sync_stride, 8)))) {
		drm_dbg(drm, "vm_bind: bad stride\n");
		return -EINVAL;
	}
	return 0;
}

/**
 * vdgpu_vm_bind_ioctl() - &DRM_IOCTL_VDGPU_VM_BIND
 * @drm: the device
 * @data: &struct drm_vdgpu_vm_bind
 * @file: the file the VM, objects and syncobjs belong to
 *
 * See "VM_BIND".
 *
 * Context: Process context, may sleep; takes the VM's resv and its
 * objects', interruptibly, and may evict.
 * Return: 0 or a negative errno, as &struct drm_vdgpu_vm_bind documents;
 * on error the VM is as it was.
 */
int vdgpu_vm_bind_ioctl(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct drm_vdgpu_vm_bind *args = data;
	struct vdgpu_vm_bind b = {};
	struct vdgpu_migrate_batch *batch;
	struct dma_fence *fence = NULL;
	struct drm_exec exec;
	ktime_t end = 0;
	int ret, idx;

	ret = vdgpu_vm_bind_check_args(drm, args);
	if (ret)
		return ret;
	b.vm = vdgpu_vm_lookup(file, args->vm_id);
	if (!b.vm)
		return -ENOENT;
	ret = vdgpu_vm_bind_copy_ops(&b, args, file);
	if (ret)
		goto out_fini;
	b.num_syncs = args->num_syncs;
	ret = vdgpu_syncs_parse(file, args->syncs, args->num_syncs,
				args->sync_stride, &b.syncs);
	if (ret)
		goto out_fini;
	/* Synchronous binds wait for their in-syncs first, interruptibly. */
	if (!(args->flags & DRM_VDGPU_VM_BIND_ASYNC)) {
		ret = vdgpu_syncs_wait(b.syncs, b.num_syncs);
		if (ret)
			goto out_fini;
	}

	if (!drm_dev_enter(drm, &idx)) {
		ret = -ENODEV;
		goto out_fini;
	}
	do {
		drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT |
				     DRM_EXEC_IGNORE_DUPLICATES, 0);
		ret = vdgpu_vm_bind_lock_prepare(&b, &exec, &batch);
		if (!ret) {
			/* The point of no return. */
			vdgpu_vm_bind_apply(&b);
			fence = vdgpu_vm_commit(b.vm, batch);
			vdgpu_vm_bind_publish(&b, &exec, fence);
		}
		vdgpu_vm_exec_fini(&exec);
		/* Once the in-sync fences are the jobs', no second try. */
	} while (!b.deps_taken && vdgpu_vm_validate_retry(ret, &end));
	drm_dev_exit(idx);
	if (!ret && !(args->flags & DRM_VDGPU_VM_BIND_ASYNC))
		dma_fence_wait(fence, false);
	if (!ret)
		dma_fence_put(fence);
out_fini:
	vdgpu_vm_bind_fini(&b);
	return ret;
}
