// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/delay.h>
#include <linux/dma-resv.h>
#include <linux/error-injection.h>
#include <linux/gpu_buddy.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_tt.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bo.h"
#include "vdgpu_device.h"
#include "vdgpu_exec.h"
#include "vdgpu_migrate.h"
#include "vdgpu_pt.h"
#include "vdgpu_trace.h"
#include "vdgpu_vm.h"
#include "vdgpu_vram_mgr.h"

/**
 * DOC: Virtual address spaces
 *
 * A VM is a &drm_gpuvm, the GPU's mm_struct: the tree of mappings
 * (&drm_gpuva, the VMAs), the objects mapped (&drm_gpuvm_bo, one per object
 * and VM), and a reservation object of its own that page tables and the
 * VM's private objects share.  Objects that can be shared keep their own
 * reservation object and sit on the VM's list of external objects; a VM
 * update or a submission locks the VM's and every external object's with
 * drm_exec.  The VM is created with %DRM_GPUVM_RESV_PROTECTED: its lists
 * are under its reservation object, as the drm_gpuvm documentation
 * recommends.
 *
 * Addresses [%VDGPU_VM_KERNEL_START, %VDGPU_VM_VA_END) are the kernel's,
 * the drm_gpuvm reserved node, and refused to userspace.
 *
 * Moving an object invalidates its mappings, like page reclaim zapping a
 * PTE: the move hook vdgpu_vm_bo_move_notify() marks each of its
 * &drm_gpuvm_bo evicted (drm_gpuvm_bo_evict()).  The page tables are left
 * pointing at the old memory, which no work of the VM can reach because
 * none runs until the VM is revalidated: every VM_BIND, and later every
 * submission, first runs drm_gpuvm_validate(), whose callback moves each
 * evicted object back where the GPU reaches it and has the 2 MiB chunks of
 * its mappings rewritten by the same page-table job as the update itself.
 * That is the GPU counterpart of a page fault bringing a page back, done
 * ahead of use.  A job already queued keeps the objects it uses busy, so
 * they are not moved under it: the VM's fences are on every object's
 * reservation object.
 */

/**
 * DOC: VM locking
 *
 * In the shape of drm-vm-bind-locking.rst, outermost first:
 *
 * - &vdgpu_file.lock (mutex) protects which VMs a file has (the id
 *   xarray).  VM_CREATE, VM_DESTROY, lookups and the file's close take it;
 *   close and the debugfs ``vms`` listing (which takes it under the DRM
 *   device's file list lock) take VM resvs inside it.  Never taken in the
 *   fence-signalling path or in reclaim.
 * - The VM's resv (&drm_gpuvm.r_obj, a ww_mutex of the reservation class)
 *   is the VM lock: it protects the VA tree, the VM's &drm_gpuvm_bo lists
 *   (evicted and external objects, %DRM_GPUVM_RESV_PROTECTED), the page
 *   tables and their shadow, &vdgpu_vm.dirty, &vdgpu_vm.scratch and
 *   &vdgpu_vm.closed.  Page tables and the VM's private objects share it,
 *   so it is their object lock as well.
 * - Each external object's resv protects the object's list of
 *   &drm_gpuvm_bo (the GEM gpuva list, whose lock is the resv by default)
 *   and their evicted flag, which the move hook sets.  VM resv and object
 *   resvs are taken together with drm_exec, in any order, backing off on
 *   contention.  Whatever may evict (validation, page-table allocation,
 *   prefetch) runs inside drm_exec_until_all_locked(), before the loop
 *   ends with ww_acquire_done(): TTM locks the objects it evicts with the
 *   ticket of the one it makes room for.  An eviction that would deadlock
 *   comes back as -ENOSPC, and the submission retries with every lock
 *   dropped (vdgpu_vm_validate_retry()).
 * - TTM's LRU lock and the VRAM manager's buddy lock nest inside any resv,
 *   as for every object.
 *
 * Page tables are allocated with the VM's resv held, with %GFP_KERNEL:
 * allowed because no resv is ever waited for in reclaim (the shrinker and
 * TTM's swap-out only trylock, and a private object's resv is its VM's).
 * Everything a page-table job needs is allocated in step 2 of a bind; its
 * run_job, in the fence-signalling path, takes only the copy engine's ring
 * lock.  A VM's page-table jobs depend on every fence on its resv, and
 * their fences go on the VM's resv and its external objects' with usage
 * BOOKKEEP, so objects are not moved or freed under a queued update.
 */

/**
 * DOC: VM ids
 *
 * A file's VMs are in &vdgpu_file.vms, ids from 1, each entry holding a
 * reference.  Lookups take a reference under &vdgpu_file.lock, so a VM
 * destroyed meanwhile stays valid memory for the ioctl that found it, which
 * then sees &vdgpu_vm.closed under the VM's resv and fails with -ENOENT.
 */

static void vdgpu_vm_free(struct drm_gpuvm *gpuvm)
{
	struct vdgpu_vm *vm = to_vdgpu_vm(gpuvm);

	atomic_dec(&vm->vdev->num_vms);
	dma_fence_put(vm->last_update);
	xa_destroy(&vm->dirty);
	kvfree(vm->scratch);
	kfree(vm);
}

/**
 * vdgpu_vm_dirty_range() - have the next update rewrite a range
 * @vm: the VM, its resv held
 * @start: start of the range
 * @range: its size, nonzero
 *
 * Notes every 2 MiB chunk the range touches in &vdgpu_vm.dirty.
 *
 * Context: Process context, may allocate; the VM's resv held.
 * Return: 0 or -ENOMEM.
 */
int vdgpu_vm_dirty_range(struct vdgpu_vm *vm, u64 start, u64 range)
{
	u64 c, first = start / VDGPU_PT_CHUNK;
	u64 last = (start + range - 1) / VDGPU_PT_CHUNK;
	int ret;

	for (c = first; c <= last; c++) {
		ret = xa_insert(&vm->dirty, c, xa_mk_value(0), GFP_KERNEL);
		if (ret == -EBUSY)
			continue;
		if (ret)
			return ret;
		vm->num_dirty++;
	}
	return 0;
}

/**
 * vdgpu_vm_dirty_vm_bo() - have the next update rewrite an object's mappings
 * @vm: the VM, its resv held
 * @vm_bo: the object's &drm_gpuvm_bo in @vm, its resv held
 *
 * Context: Process context, may allocate; the resvs held.
 * Return: 0 or -ENOMEM.
 */
int vdgpu_vm_dirty_vm_bo(struct vdgpu_vm *vm, struct drm_gpuvm_bo *vm_bo)
{
	struct drm_gpuva *va;
	int ret;

	drm_gpuvm_bo_for_each_va(va, vm_bo) {
		ret = vdgpu_vm_dirty_range(vm, va->va.addr, va->va.range);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * vdgpu_vm_dirty_unmap() - have the next update rewrite what an UNMAP changes
 * @vm: the VM, its resv held
 * @start: start of the UNMAP's range
 * @range: its size, nonzero
 *
 * Notes the parts of the mappings in the range, which an address space's
 * worth of range holds few of, rather than the range itself.  Mappings made
 * by earlier MAPs of the same call are noted already.
 *
 * Context: Process context, may allocate; the VM's resv held.
 * Return: 0 or -ENOMEM.
 */
int vdgpu_vm_dirty_unmap(struct vdgpu_vm *vm, u64 start, u64 range)
{
	u64 end = start + range, from, to;
	struct drm_gpuva *va;
	int ret;

	drm_gpuvm_for_each_va_range(va, &vm->gpuvm, start, end) {
		from = max(va->va.addr, start);
		to = min(va->va.addr + va->va.range, end);
		ret = vdgpu_vm_dirty_range(vm, from, to - from);
		if (ret)
			return ret;
	}
	return 0;
}

static void vdgpu_vm_dirty_clear(struct vdgpu_vm *vm)
{
	xa_destroy(&vm->dirty);
	vm->num_dirty = 0;
}

static int vdgpu_vm_bo_validate(struct drm_gpuvm_bo *vm_bo,
				struct drm_exec *exec)
{
	struct vdgpu_vm *vm = to_vdgpu_vm(vm_bo->vm);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	int ret;

	ret = vdgpu_bo_validate_gpu(gem_to_vdgpu_bo(vm_bo->obj), &ctx);
	if (ret)
		return ret;
	ret = vdgpu_vm_dirty_vm_bo(vm, vm_bo);
	if (ret)
		return ret;
	drm_gpuvm_bo_evict(vm_bo, false);
	return 0;
}

static struct drm_gpuva *vdgpu_vm_op_vma(struct vdgpu_vm_op_ctx *ctx)
{
	if (WARN_ON(!ctx->num_vmas))
		return NULL;
	return ctx->vmas[--ctx->num_vmas];
}

static int vdgpu_vm_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct vdgpu_vm_op_ctx *ctx = priv;
	struct drm_gpuva *vma = vdgpu_vm_op_vma(ctx);
	struct drm_gpuvm_bo *vm_bo;

	if (!vma)
		return -EINVAL;
	vm_bo = drm_gpuvm_bo_obtain_prealloc(ctx->vm_bo);
	ctx->vm_bo = NULL;
	drm_gpuva_map(vm_bo->vm, vma, &op->map);
	vma->flags = ctx->flags;
	drm_gpuva_link(vma, vm_bo);
	drm_gpuvm_bo_extobj_add(vm_bo);
	/* The VMA holds its own reference now. */
	drm_gpuvm_bo_put(vm_bo);
	return 0;
}

static int vdgpu_vm_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct vdgpu_vm_op_ctx *ctx = priv;
	struct drm_gpuva *orig = op->remap.unmap->va;
	struct drm_gpuva *prev = NULL, *next = NULL;

	if (op->remap.prev) {
		prev = vdgpu_vm_op_vma(ctx);
		if (!prev)
			return -EINVAL;
	}
	if (op->remap.next) {
		next = vdgpu_vm_op_vma(ctx);
		if (!next)
			return -EINVAL;
	}
	drm_gpuva_remap(prev, next, &op->remap);
	if (prev) {
		prev->flags = orig->flags;
		drm_gpuva_link(prev, orig->vm_bo);
	}
	if (next) {
		next->flags = orig->flags;
		drm_gpuva_link(next, orig->vm_bo);
	}
	drm_gpuva_unlink(orig);
	kfree(orig);
	return 0;
}

static int vdgpu_vm_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct drm_gpuva *va = op->unmap.va;

	drm_gpuva_unmap(&op->unmap);
	drm_gpuva_unlink(va);
	kfree(va);
	return 0;
}

static const struct drm_gpuvm_ops vdgpu_gpuvm_ops = {
	.vm_free = vdgpu_vm_free,
	.vm_bo_validate = vdgpu_vm_bo_validate,
	.sm_step_map = vdgpu_vm_step_map,
	.sm_step_remap = vdgpu_vm_step_remap,
	.sm_step_unmap = vdgpu_vm_step_unmap,
};

/**
 * vdgpu_vm_create() - create an empty VM
 * @vdev: the device
 *
 * Context: Process context, may sleep; allocates the root page table, which
 * may evict.  Interruptible.
 * Return: the VM with one reference, or an ERR_PTR: -ENOMEM, -ENOSPC,
 * -EINTR, -ERESTARTSYS.
 */
struct vdgpu_vm *vdgpu_vm_create(struct vdgpu_device *vdev)
{
	struct drm_gpu_scheduler *sched = &vdev->migrate.sched[0];
	struct drm_gem_object *r_obj;
	struct vdgpu_vm *vm;
	int ret;

	ret = vdgpu_inject_fail(vdev, VDGPU_INJECT_VM);
	if (ret)
		return ERR_PTR(ret);
	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->scratch = kvmalloc_array(VDGPU_PT_ENTRIES, sizeof(u64), GFP_KERNEL);
	if (!vm->scratch) {
		ret = -ENOMEM;
		goto err_free;
	}
	r_obj = drm_gpuvm_resv_object_alloc(&vdev->drm);
	if (!r_obj) {
		ret = -ENOMEM;
		goto err_free_scratch;
	}
	vm->vdev = vdev;
	xa_init(&vm->dirty);
	drm_gpuvm_init(&vm->gpuvm, "vdgpu", DRM_GPUVM_RESV_PROTECTED,
		       &vdev->drm, r_obj, 0, VDGPU_VM_VA_END,
		       VDGPU_VM_KERNEL_START, VDGPU_VM_KERNEL_SIZE,
		       &vdgpu_gpuvm_ops);
	/* From here on vdgpu_vm_free() frees it. */
	atomic_inc(&vdev->num_vms);
	/* The VM holds its own reference to its resv object. */
	drm_gem_object_put(r_obj);

	ret = drm_sched_entity_init(&vm->entity, DRM_SCHED_PRIORITY_NORMAL,
				    &sched, 1, NULL);
	if (ret)
		goto err_put;

	ret = dma_resv_lock_interruptible(vm->gpuvm.r_obj->resv, NULL);
	if (ret)
		goto err_entity;
	vm->vram_epoch = atomic_read(&vdev->vram_epoch);
	ret = vdgpu_pt_tree_init(&vm->pt, vdev, vm->gpuvm.r_obj->resv);
	dma_resv_unlock(vm->gpuvm.r_obj->resv);
	if (ret)
		goto err_entity;
	return vm;

err_entity:
	drm_sched_entity_destroy(&vm->entity);
err_put:
	/* vm_free frees the rest. */
	drm_gpuvm_put(&vm->gpuvm);
	return ERR_PTR(ret);
err_free_scratch:
	kvfree(vm->scratch);
err_free:
	kfree(vm);
	return ERR_PTR(ret);
}
ALLOW_ERROR_INJECTION(vdgpu_vm_create, ERRNO);

/**
 * vdgpu_vm_put() - drop a reference to a VM
 * @vm: the VM, or NULL
 *
 * Context: Process context.
 */
void vdgpu_vm_put(struct vdgpu_vm *vm)
{
	if (vm)
		drm_gpuvm_put(&vm->gpuvm);
}

/**
 * vdgpu_vm_lock() - lock a VM and its external objects
 * @vm: the VM
 * @exec: the locking context, in its drm_exec_until_all_locked() loop
 * @num_fences: fence slots to reserve on each, for the work to be queued
 *
 * Context: Process context; inside drm_exec_until_all_locked().
 * Return: 0 or the drm_exec error, -EDEADLK meaning retry.
 */
int vdgpu_vm_lock(struct vdgpu_vm *vm, struct drm_exec *exec,
		  unsigned int num_fences)
{
	int ret;

	ret = drm_gpuvm_prepare_vm(&vm->gpuvm, exec, num_fences);
	if (ret)
		return ret;
	return drm_gpuvm_prepare_objects(&vm->gpuvm, exec, num_fences);
}

/**
 * vdgpu_vm_exec_fini() - drm_exec_fini() for contexts that changed a VM
 * @exec: the locking context
 *
 * drm_exec_fini() unlocks and puts its objects one after the other.  When
 * an update dropped every other reference to one of them, it is freed
 * while the others are still locked, and lockdep, which keeps one entry for
 * all the ww_mutexes of an acquire context, may see a held lock freed.
 * Our own references keep every object alive until all are unlocked.
 *
 * Context: Process context.
 */
void vdgpu_vm_exec_fini(struct drm_exec *exec)
{
	struct drm_gem_object **objs, *obj;
	unsigned int n = 0;

	objs = kvmalloc_array(exec->num_objects, sizeof(*objs), GFP_KERNEL);
	if (objs) {
		drm_exec_for_each_locked_object(exec, obj) {
			drm_gem_object_get(obj);
			objs[n++] = obj;
		}
	}
	drm_exec_fini(exec);
	while (n--)
		drm_gem_object_put(objs[n]);
	kvfree(objs);
}

/**
 * vdgpu_vm_close() - unmap everything and release the page tables
 * @vm: the VM, removed from its file
 *
 * Waits for the VM's queued page-table jobs to be handed to the engine;
 * the memory of the tables and of the objects is released once the jobs
 * have completed, by their fences on the reservation objects.
 *
 * Context: Process context, may sleep; takes the VM's and its external
 * objects' resvs.
 */
void vdgpu_vm_close(struct vdgpu_vm *vm)
{
	struct drm_gpuva *va, *next;
	struct drm_exec exec;
	int ret = 0;

	drm_exec_init(&exec, 0, 0);
	drm_exec_until_all_locked(&exec) {
		ret = vdgpu_vm_lock(vm, &exec, 0);
		drm_exec_retry_on_contention(&exec);
		if (ret)
			break;
	}
	/* Uninterruptible and reserving nothing, locking cannot fail. */
	if (!drm_WARN_ON(&vm->vdev->drm, ret)) {
		vm->closed = true;
		drm_gpuvm_for_each_va_safe(va, next, &vm->gpuvm) {
			if (va == &vm->gpuvm.kernel_alloc_node)
				continue;
			drm_gpuva_remove(va);
			drm_gpuva_unlink(va);
			kfree(va);
		}
		vdgpu_pt_tree_fini(&vm->pt);
	}
	vdgpu_vm_exec_fini(&exec);
	drm_sched_entity_destroy(&vm->entity);
}

/**
 * vdgpu_vm_root_addr() - the device address of a VM's root page table
 * @vm: the VM, open
 *
 * What a context's CTX_ROOT register takes.
 *
 * Context: Any; the root never moves while the VM is open.
 * Return: the VRAM offset of the level 3 table.
 */
u64 vdgpu_vm_root_addr(struct vdgpu_vm *vm)
{
	return vm->pt.root ? vm->pt.root->addr : 0;
}

/**
 * vdgpu_vm_bo_move_notify() - an object moved: its mappings are stale
 * @bo: the object, its resv held
 *
 * Called by the TTM move hook and when an object is purged.
 *
 * Context: Any context holding the object's resv.
 */
void vdgpu_vm_bo_move_notify(struct vdgpu_bo *bo)
{
	struct drm_gem_object *obj = &bo->tbo.base;
	struct drm_gpuvm_bo *vm_bo;

	vdgpu_bo_assert_held(bo);
	drm_gem_for_each_gpuvm_bo(vm_bo, obj)
		drm_gpuvm_bo_evict(vm_bo, true);
}

/*
 * Walks an object's memory page by page: VRAM blocks in list order, or the
 * bus addresses of its GTT pages.
 */
struct vdgpu_vm_cursor {
	struct vdgpu_device *vdev;
	struct ttm_buffer_object *tbo;
	struct gpu_buddy_block *block;
	u64 block_start;	/* object offset of @block */
	u64 block_size;
};

static void vdgpu_vm_cursor_init(struct vdgpu_vm_cursor *c,
				 struct vdgpu_device *vdev,
				 struct ttm_buffer_object *tbo)
{
	c->vdev = vdev;
	c->tbo = tbo;
	c->block = NULL;
	if (tbo->resource && tbo->resource->mem_type == TTM_PL_VRAM) {
		c->block = list_first_entry(&to_vdgpu_vram_mgr_resource(tbo->resource)->blocks,
					    struct gpu_buddy_block, link);
		c->block_start = 0;
		c->block_size = gpu_buddy_block_size(&vdev->vram_mgr.mm,
						     c->block);
	}
}

/* The device address of object offset @off, and the contiguous bytes from it. */
static bool vdgpu_vm_cursor_addr(struct vdgpu_vm_cursor *c, u64 off,
				 u64 *addr, u64 *len, bool *system)
{
	struct ttm_resource *res = c->tbo->resource;

	if (!res)
		return false;
	if (res->mem_type == TTM_PL_TT) {
		if (!c->tbo->ttm || !ttm_tt_is_populated(c->tbo->ttm))
			return false;
		*addr = c->tbo->ttm->dma_address[off >> PAGE_SHIFT] +
			offset_in_page(off);
		*len = PAGE_SIZE - offset_in_page(off);
		*system = true;
		return true;
	}
	if (res->mem_type != TTM_PL_VRAM)
		return false;
	/* Offsets only grow within one walk, but a walk may restart. */
	if (off < c->block_start)
		vdgpu_vm_cursor_init(c, c->vdev, c->tbo);
	while (off >= c->block_start + c->block_size) {
		c->block_start += c->block_size;
		c->block = list_next_entry(c->block, link);
		c->block_size = gpu_buddy_block_size(&c->vdev->vram_mgr.mm,
						     c->block);
	}
	*addr = c->vdev->vram_base + gpu_buddy_block_offset(c->block) +
		(off - c->block_start);
	*len = c->block_start + c->block_size - off;
	*system = false;
	return true;
}

static bool vdgpu_vma_writable(const struct drm_gpuva *va)
{
	return !(va->flags & VDGPU_VMA_READ_ONLY);
}

/* A 2 MiB leaf for the chunk at @start, which @va covers, or 0. */
static u64 vdgpu_vm_huge_pte(struct vdgpu_vm *vm, struct drm_gpuva *va,
			     u64 start)
{
	struct vdgpu_vm_cursor c;
	u64 addr, len;
	bool system;

	vdgpu_vm_cursor_init(&c, vm->vdev, &gem_to_vdgpu_bo(va->gem.obj)->tbo);
	if (!vdgpu_vm_cursor_addr(&c, va->gem.offset + (start - va->va.addr),
				  &addr, &len, &system))
		return 0;
	if (system || !IS_ALIGNED(addr, SZ_2M) || len < SZ_2M)
		return 0;
	return vdgpu_pt_encode(addr, false, vdgpu_vma_writable(va)) |
	       VDGPU_PTE_HUGE;
}

/* The level 0 entries of @va's part of the chunk at @start. */
static void vdgpu_vm_fill_ptes(struct vdgpu_vm *vm, struct drm_gpuva *va,
			       u64 start, u64 *ptes)
{
	u64 from = max(va->va.addr, start);
	u64 to = min(va->va.addr + va->va.range, start + VDGPU_PT_CHUNK);
	bool writable = vdgpu_vma_writable(va);
	struct vdgpu_vm_cursor c;
	u64 addr, len, v;
	bool system;

	vdgpu_vm_cursor_init(&c, vm->vdev, &gem_to_vdgpu_bo(va->gem.obj)->tbo);
	for (v = from; v < to; v += SZ_4K) {
		if (!vdgpu_vm_cursor_addr(&c, va->gem.offset + (v - va->va.addr),
					  &addr, &len, &system))
			return;
		ptes[(v - start) / SZ_4K] = vdgpu_pt_encode(addr, system,
							    writable);
	}
}

/* Marks each 16-entry group that is one 64 KiB-aligned run a 64 KiB page. */
static void vdgpu_vm_group_64k(u64 *ptes)
{
	const u64 flags = VDGPU_PTE_VALID | VDGPU_PTE_WRITABLE |
			  VDGPU_PTE_SYSTEM;
	unsigned int g, i;
	u64 first;

	for (g = 0; g < VDGPU_PT_ENTRIES; g += 16) {
		first = ptes[g];
		if (!(first & VDGPU_PTE_VALID) ||
		    !IS_ALIGNED(first & VDGPU_PTE_ADDR, SZ_64K))
			continue;
		for (i = 1; i < 16; i++)
			if (ptes[g + i] != first + i * SZ_4K ||
			    (ptes[g + i] & flags) != (first & flags))
				break;
		if (i < 16)
			continue;
		for (i = 0; i < 16; i++)
			ptes[g + i] |= VDGPU_PTE_64K;
	}
}

/* Recomputes the translation of the chunk at @start from the VA tree. */
static void vdgpu_vm_write_chunk(struct vdgpu_vm *vm, u64 start)
{
	u64 end = start + VDGPU_PT_CHUNK;
	struct drm_gpuva *va;
	u64 huge;

	va = drm_gpuva_find_first(&vm->gpuvm, start, VDGPU_PT_CHUNK);
	if (va && va->va.addr <= start && va->va.addr + va->va.range >= end) {
		huge = vdgpu_vm_huge_pte(vm, va, start);
		if (huge) {
			vdgpu_pt_tree_write_chunk(&vm->pt, start, huge, NULL);
			return;
		}
	}
	memset(vm->scratch, 0, VDGPU_PT_ENTRIES * sizeof(u64));
	drm_gpuvm_for_each_va_range(va, &vm->gpuvm, start, end)
		vdgpu_vm_fill_ptes(vm, va, start, vm->scratch);
	vdgpu_vm_group_64k(vm->scratch);
	vdgpu_pt_tree_write_chunk(&vm->pt, start, 0, vm->scratch);
}

/**
 * vdgpu_vm_commit() - rewrite the noted chunks and queue the writes
 * @vm: the VM, its resv held, its VA tree final
 * @batch: the jobs, from vdgpu_vm_batch_alloc() for what is noted now
 *
 * Recomputes every chunk of &vdgpu_vm.dirty from the VA tree, emits the
 * changed entries into @batch and commits it; the fence becomes
 * &vdgpu_vm.last_update.
 *
 * Context: Process context; the VM's resv held.  Cannot fail.
 * Return: the fence of the update, with a reference for the caller.
 */
struct dma_fence *vdgpu_vm_commit(struct vdgpu_vm *vm,
				  struct vdgpu_migrate_batch *batch)
{
	struct dma_fence *fence;
	unsigned long index;
	void *entry;

	xa_for_each(&vm->dirty, index, entry)
		vdgpu_vm_write_chunk(vm, (u64)index * VDGPU_PT_CHUNK);
	vdgpu_vm_dirty_clear(vm);
	/* The batch was sized for this: an error is a driver bug. */
	drm_WARN_ON(&vm->vdev->drm, vdgpu_pt_tree_emit(&vm->pt, batch));
	fence = vdgpu_migrate_batch_commit(batch);
	dma_fence_put(vm->last_update);
	vm->last_update = dma_fence_get(fence);
	return fence;
}

/**
 * vdgpu_vm_validate() - bring back a locked VM's evicted objects
 * @vm: the VM, locked with its external objects in @exec
 * @exec: the locking context
 *
 * Validates every evicted object (drm_gpuvm_validate()), noting the chunks
 * of its mappings, and has every table written again if VRAM was lost.
 *
 * Context: Process context, may sleep and evict.  Interruptible.
 * Return: 0, -ENOSPC, -ENOMEM, -ERESTARTSYS.
 */
int vdgpu_vm_validate(struct vdgpu_vm *vm, struct drm_exec *exec)
{
	u32 epoch = atomic_read(&vm->vdev->vram_epoch);

	if (vm->vram_epoch != epoch) {
		vdgpu_pt_tree_dirty_all(&vm->pt);
		vm->vram_epoch = epoch;
	}
	return drm_gpuvm_validate(&vm->gpuvm, exec);
}

/**
 * vdgpu_vm_reserve_fences() - a fence slot on every locked resv
 * @exec: the locking context
 *
 * Taken last, for the fence about to be published: moves and page-table
 * clears during the preparation use slots too.
 *
 * Context: Process context, may allocate.
 * Return: 0 or -ENOMEM.
 */
int vdgpu_vm_reserve_fences(struct drm_exec *exec)
{
	struct drm_gem_object *obj;
	int ret;

	drm_exec_for_each_locked_object(exec, obj) {
		ret = dma_resv_reserve_fences(obj->resv, 1);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * vdgpu_vm_batch_alloc() - the jobs of an update of the noted chunks
 * @vm: the VM, locked with its objects in @exec
 * @exec: the locking context
 *
 * Sized for the worst case of &vdgpu_vm.num_dirty chunks and the tables
 * already dirty, and waiting for the VM's earlier work and the moves of
 * every locked object.
 *
 * Context: Process context, may allocate.
 * Return: the batch, or ERR_PTR(-ENOMEM).
 */
struct vdgpu_migrate_batch *
vdgpu_vm_batch_alloc(struct vdgpu_vm *vm, struct drm_exec *exec)
{
	struct vdgpu_migrate_batch *batch;
	struct drm_gem_object *obj;
	int ret;

	batch = vdgpu_migrate_batch_alloc(vm->vdev, &vm->entity,
					  vdgpu_pt_tree_max_dw(&vm->pt,
							       vm->num_dirty));
	if (IS_ERR(batch))
		return batch;
	/* The VM's earlier work, and the moves of every object it maps. */
	ret = vdgpu_migrate_batch_add_resv(batch, vm->gpuvm.r_obj->resv,
					   DMA_RESV_USAGE_BOOKKEEP);
	if (ret)
		goto err_abort;
	drm_exec_for_each_locked_object(exec, obj) {
		if (obj->resv == vm->gpuvm.r_obj->resv)
			continue;
		ret = vdgpu_migrate_batch_add_resv(batch, obj->resv,
						   DMA_RESV_USAGE_KERNEL);
		if (ret)
			goto err_abort;
	}
	return batch;

err_abort:
	vdgpu_migrate_batch_abort(batch);
	return ERR_PTR(ret);
}

/**
 * vdgpu_vm_revalidate() - bring a VM's evicted objects back and rebind them
 * @vm: the VM, locked with vdgpu_vm_lock() in @exec
 * @exec: the locking context
 *
 * What a submission does before its job may use the VM.  The returned
 * fence is already on the VM's and its external objects' resvs.
 *
 * Context: Process context, may sleep and evict.  Interruptible.
 * Return: the fence of the page-table update; when nothing needed
 * rewriting, the VM's last update's, or NULL if it never had one; or an
 * ERR_PTR: -ENOENT for a closed VM, -ENOSPC, -ENOMEM, -ERESTARTSYS, with
 * nothing changed in the page tables.
 */
struct dma_fence *vdgpu_vm_revalidate(struct vdgpu_vm *vm,
				      struct drm_exec *exec)
{
	struct vdgpu_migrate_batch *batch;
	struct dma_fence *fence;
	int ret;

	drm_gpuvm_resv_assert_held(&vm->gpuvm);
	if (vm->closed)
		return ERR_PTR(-ENOENT);
	/* On error, the chunks noted stay in vm->dirty for the next update. */
	ret = vdgpu_vm_validate(vm, exec);
	if (ret)
		return ERR_PTR(ret);
	/* Nothing to write: work on the VM only waits for earlier updates. */
	if (!vm->num_dirty && list_empty(&vm->pt.dirty))
		return dma_fence_get(vm->last_update);
	ret = vdgpu_vm_reserve_fences(exec);
	if (ret)
		return ERR_PTR(ret);
	batch = vdgpu_vm_batch_alloc(vm, exec);
	if (IS_ERR(batch))
		return ERR_CAST(batch);
	fence = vdgpu_vm_commit(vm, batch);
	drm_gpuvm_resv_add_fence(&vm->gpuvm, exec, fence,
				 DMA_RESV_USAGE_BOOKKEEP,
				 DMA_RESV_USAGE_BOOKKEEP);
	return fence;
}

/**
 * vdgpu_vm_validate_retry() - whether a submission should try again
 * @ret: what its locking and validation returned
 * @end: the deadline, set on the first call from a zero ktime
 *
 * When validation runs out of device memory because what it would evict is
 * locked by other submissions, TTM 6.12 reports it like memory running out.
 * VM_BIND and EXEC then drop their locks, letting the others finish, and
 * try again for up to %VDGPU_VM_RETRY_MS, as xe does.  Sleeps a little
 * before saying yes.
 *
 * Context: Process context, no lock held; sleeps.
 * Return: true to retry.
 */
bool vdgpu_vm_validate_retry(int ret, ktime_t *end)
{
	if (ret != -ENOMEM && ret != -ENOSPC)
		return false;
	if (!*end)
		*end = ktime_add_ms(ktime_get(), VDGPU_VM_RETRY_MS);
	else if (ktime_after(ktime_get(), *end))
		return false;
	usleep_range(500, 1000);
	return true;
}

/**
 * vdgpu_vm_lookup_pte() - what the page tables map at an address
 * @vm: the VM, its resv held
 * @va: the address
 * @page_size: out: the device page size mapping @va, 0 if none
 *
 * Per the shadow of the tables, which the device holds once the VM's
 * queued page-table jobs have executed.
 *
 * Context: Any; the VM's resv held.
 * Return: the leaf entry, 0 if @va is unmapped.
 */
u64 vdgpu_vm_lookup_pte(struct vdgpu_vm *vm, u64 va, u64 *page_size)
{
	drm_gpuvm_resv_assert_held(&vm->gpuvm);
	*page_size = 0;
	if (!vm->pt.root)
		return 0;
	return vdgpu_pt_tree_lookup(&vm->pt, va, page_size);
}

/* VM ids and files */

/**
 * vdgpu_file_open() - &drm_driver.open
 * @drm: the device
 * @file: the new file
 *
 * Context: Process context.
 * Return: 0 or -ENOMEM.
 */
int vdgpu_file_open(struct drm_device *drm, struct drm_file *file)
{
	struct vdgpu_file *vfile;

	vfile = kzalloc(sizeof(*vfile), GFP_KERNEL);
	if (!vfile)
		return -ENOMEM;
	if (vdgpu_exec_file_open(vfile)) {
		kfree(vfile);
		return -ENOMEM;
	}
	mutex_init(&vfile->lock);
	xa_init_flags(&vfile->vms, XA_FLAGS_ALLOC1);
	xa_init_flags(&vfile->queues, XA_FLAGS_ALLOC1);
	file->driver_priv = vfile;
	return 0;
}

/**
 * vdgpu_file_postclose() - &drm_driver.postclose: destroy the file's VMs
 * @drm: the device
 * @file: the file being closed
 *
 * Context: Process context, may sleep.
 */
void vdgpu_file_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct vdgpu_file *vfile = file->driver_priv;
	struct vdgpu_vm *vm;
	unsigned long id;

	mutex_lock(&vfile->lock);
	/* Queues first: they hold their VMs. */
	vdgpu_exec_file_close(vfile);
	xa_for_each(&vfile->vms, id, vm) {
		xa_erase(&vfile->vms, id);
		vdgpu_vm_close(vm);
		vdgpu_vm_put(vm);
	}
	mutex_unlock(&vfile->lock);
	xa_destroy(&vfile->vms);
	mutex_destroy(&vfile->lock);
	kfree(vfile);
}

/**
 * vdgpu_vm_lookup() - find a VM of a file
 * @file: the file
 * @id: the VM id
 *
 * Context: Process context; takes &vdgpu_file.lock.
 * Return: the VM with a reference, or NULL.
 */
struct vdgpu_vm *vdgpu_vm_lookup(struct drm_file *file, u32 id)
{
	struct vdgpu_file *vfile = file->driver_priv;
	struct vdgpu_vm *vm;

	mutex_lock(&vfile->lock);
	vm = xa_load(&vfile->vms, id);
	if (vm)
		drm_gpuvm_get(&vm->gpuvm);
	mutex_unlock(&vfile->lock);
	return vm;
}

/**
 * vdgpu_vm_resv_obj() - the resv object of a VM of a file
 * @file: the file
 * @id: the VM id
 *
 * For creating an object private to the VM, which shares its
 * reservation object.
 *
 * Context: Process context; takes &vdgpu_file.lock.
 * Return: &drm_gpuvm.r_obj with a reference, or NULL if no VM has @id.
 */
struct drm_gem_object *vdgpu_vm_resv_obj(struct drm_file *file, u32 id)
{
	struct vdgpu_vm *vm = vdgpu_vm_lookup(file, id);
	struct drm_gem_object *r_obj;

	if (!vm)
		return NULL;
	r_obj = vm->gpuvm.r_obj;
	drm_gem_object_get(r_obj);
	vdgpu_vm_put(vm);
	return r_obj;
}

/**
 * vdgpu_vm_file_has_resv() - whether a VM of a file has a reservation object
 * @file: the file
 * @r_obj: the &drm_gpuvm.r_obj of some VM
 *
 * For keeping handles to objects private to a VM in the file of the VM.
 *
 * Context: Process context; takes &vdgpu_file.lock.
 * Return: true if @r_obj is the resv object of one of @file's VMs.
 */
bool vdgpu_vm_file_has_resv(struct drm_file *file,
			    struct drm_gem_object *r_obj)
{
	struct vdgpu_file *vfile = file->driver_priv;
	struct vdgpu_vm *vm;
	unsigned long id;
	bool found = false;

	mutex_lock(&vfile->lock);
	xa_for_each(&vfile->vms, id, vm) {
		if (vm->gpuvm.r_obj == r_obj) {
			found = true;
			break;
		}
	}
	mutex_unlock(&vfile->lock);
	return found;
}

/**
 * vdgpu_vm_create_ioctl() - &DRM_IOCTL_VDGPU_VM_CREATE
 * @drm: the device
 * @data: &struct drm_vdgpu_vm_create
 * @file: the file the VM belongs to
 *
 * Context: Process context, may sleep; see vdgpu_vm_create().
 * Return: 0 or a negative errno, as &struct drm_vdgpu_vm_create documents.
 */
int vdgpu_vm_create_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct vdgpu_file *vfile = file->driver_priv;
	struct drm_vdgpu_vm_create *args = data;
	struct vdgpu_vm *vm;
	int ret, idx;
	u32 id;

	if (args->extensions || args->flags || args->vm_id ||
	    args->reserved[0] || args->reserved[1]) {
		drm_dbg(drm, "vm_create: nonzero extensions, flags or reserved\n");
		return -EINVAL;
	}
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	vm = vdgpu_vm_create(to_vdgpu_device(drm));
	drm_dev_exit(idx);
	if (IS_ERR(vm))
		return PTR_ERR(vm);

	mutex_lock(&vfile->lock);
	/* A VM made in full, undone: the deepest unwind. */
	ret = vdgpu_inject_fail(to_vdgpu_device(drm), VDGPU_INJECT_VM);
	if (!ret)
		ret = xa_alloc(&vfile->vms, &id, vm, xa_limit_31b, GFP_KERNEL);
	mutex_unlock(&vfile->lock);
	if (ret) {
		vdgpu_vm_close(vm);
		vdgpu_vm_put(vm);
		return ret == -EBUSY ? -ENOSPC : ret;
	}
	args->vm_id = id;
	return 0;
}

/**
 * vdgpu_vm_destroy_ioctl() - &DRM_IOCTL_VDGPU_VM_DESTROY
 * @drm: the device
 * @data: &struct drm_vdgpu_vm_destroy
 * @file: the file the VM belongs to
 *
 * Context: Process context, may sleep; see vdgpu_vm_close().
 * Return: 0 or a negative errno, as &struct drm_vdgpu_vm_destroy documents.
 */
int vdgpu_vm_destroy_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct vdgpu_file *vfile = file->driver_priv;
	struct drm_vdgpu_vm_destroy *args = data;
	struct vdgpu_vm *vm;

	if (args->extensions || args->pad || args->reserved[0] ||
	    args->reserved[1]) {
		drm_dbg(drm, "vm_destroy: nonzero extensions, pad or reserved\n");
		return -EINVAL;
	}
	mutex_lock(&vfile->lock);
	vm = xa_erase(&vfile->vms, args->vm_id);
	mutex_unlock(&vfile->lock);
	if (!vm)
		return -ENOENT;
	vdgpu_vm_close(vm);
	vdgpu_vm_put(vm);
	return 0;
}

/* debugfs */

static const char *const vdgpu_vm_page_names[] = { "4k", "64k", "2m" };

static void vdgpu_vm_print_va(struct vdgpu_vm *vm, struct drm_gpuva *va,
			      struct drm_printer *p)
{
	struct vdgpu_bo *bo = gem_to_vdgpu_bo(va->gem.obj);
	u64 v, size, end = va->va.addr + va->va.range;
	u64 pages[ARRAY_SIZE(vdgpu_vm_page_names)] = {};
	unsigned int i;

	for (v = va->va.addr; v < end; v = ALIGN(v + 1, size ?: SZ_4K)) {
		vdgpu_vm_lookup_pte(vm, v, &size);
		pages[size == SZ_2M ? 2 : size == SZ_64K ? 1 : 0] += !!size;
	}
	drm_printf(p, " 0x%llx 0x%llx %s offset 0x%llx size 0x%zx region %u",
		   va->va.addr, end,
		   vdgpu_vma_writable(va) ? "rw" : "ro", va->gem.offset,
		   va->gem.obj->size, vdgpu_bo_region(bo));
	for (i = 0; i < ARRAY_SIZE(pages); i++)
		drm_printf(p, " %s %llu", vdgpu_vm_page_names[i], pages[i]);
	drm_printf(p, "\n");
}

/* Interruptible: a reader must not hang on a VM busy in an ioctl. */
static int vdgpu_vm_print(struct vdgpu_vm *vm, u64 client, u32 id,
			  struct drm_printer *p)
{
	struct drm_gpuva *va;
	struct drm_exec exec;
	u32 n = 0;
	int ret = 0;

	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT, 0);
	drm_exec_until_all_locked(&exec) {
		ret = vdgpu_vm_lock(vm, &exec, 0);
		drm_exec_retry_on_contention(&exec);
		if (ret)
			break;
	}
	if (!ret && !vm->closed) {
		drm_gpuvm_for_each_va(va, &vm->gpuvm)
			n += va != &vm->gpuvm.kernel_alloc_node;
		drm_printf(p, "client %llu vm %u mappings %u page_tables %u\n",
			   client, id, n, vm->pt.num_pts);
		drm_gpuvm_for_each_va(va, &vm->gpuvm)
			if (va != &vm->gpuvm.kernel_alloc_node)
				vdgpu_vm_print_va(vm, va, p);
	}
	drm_exec_fini(&exec);
	return ret;
}

/**
 * vdgpu_vm_debugfs_print() - every VM of every file, with its mappings
 * @vdev: the device
 * @p: where to
 *
 * The GPU's /proc/<pid>/maps; the format is in vm_bind.rst.
 *
 * Context: Process context; takes the device's file list lock, each
 * file's &vdgpu_file.lock and the VMs' and their objects' resvs, the
 * last interruptibly.
 * Return: 0, or -ERESTARTSYS or -EINTR if a signal stopped the listing.
 */
int vdgpu_vm_debugfs_print(struct vdgpu_device *vdev, struct drm_printer *p)
{
	struct drm_file *file;
	struct vdgpu_file *vfile;
	struct vdgpu_vm *vm;
	unsigned long id;
	int ret = 0;

	mutex_lock(&vdev->drm.filelist_mutex);
	list_for_each_entry(file, &vdev->drm.filelist, lhead) {
		vfile = file->driver_priv;
		mutex_lock(&vfile->lock);
		xa_for_each(&vfile->vms, id, vm) {
			ret = vdgpu_vm_print(vm, file->client_id, id, p);
			if (ret)
				break;
		}
		mutex_unlock(&vfile->lock);
		if (ret)
			break;
	}
	mutex_unlock(&vdev->drm.filelist_mutex);
	return ret;
}
