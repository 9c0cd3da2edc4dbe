/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_VM_H_
#define _VDGPU_VM_H_

#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <drm/drm_gpuvm.h>
#include <drm/gpu_scheduler.h>

#include "vdgpu_pt.h"
#include "vdgpu_regs.h"

struct dma_fence;
struct drm_device;
struct drm_exec;
struct drm_file;
struct drm_printer;
struct vdgpu_bo;
struct vdgpu_device;
struct vdgpu_exec_stats;
struct vdgpu_migrate_batch;

/* The end of every VM's address space, and the kernel's range below it. */
#define VDGPU_VM_VA_END		BIT_ULL(VDGPU_VA_BITS)
#define VDGPU_VM_KERNEL_SIZE	SZ_4G
#define VDGPU_VM_KERNEL_START	(VDGPU_VM_VA_END - VDGPU_VM_KERNEL_SIZE)
/* How long VM_BIND and EXEC retry while other submissions hold memory. */
#ifdef CONFIG_DRM_VDGPU_SUBMIT_RETRY_MS
#define VDGPU_VM_RETRY_MS	CONFIG_DRM_VDGPU_SUBMIT_RETRY_MS
#else
#define VDGPU_VM_RETRY_MS	1000
#endif
/* The device page sizes mappings use. */
#define VDGPU_VM_PAGE_SIZES	(SZ_4K | SZ_64K | SZ_2M)

/* A VMA: userspace's mapping, with its permission. */
#define VDGPU_VMA_READ_ONLY	DRM_GPUVA_USERBITS

/**
 * struct vdgpu_vm_op_ctx - what applying one update may consume
 */
struct vdgpu_vm_op_ctx {
	/** @vmas: preallocated VMAs, taken from the end */
	struct drm_gpuva **vmas;
	/** @num_vmas: entries left in @vmas */
	u32 num_vmas;
	/** @vm_bo: the preallocated &drm_gpuvm_bo of the MAP being applied */
	struct drm_gpuvm_bo *vm_bo;
	/** @flags: the VMA flags of the MAP being applied */
	enum drm_gpuva_flags flags;
};

/**
 * struct vdgpu_vm - a GPU virtual address space
 *
 * The VA tree and the objects mapped are drm_gpuvm's; the page tables are
 * a &struct vdgpu_pt_tree.  See "Virtual address spaces" in vdgpu_vm.c.
 */
struct vdgpu_vm {
	/** @gpuvm: the VA tree; its refcount is the VM's */
	struct drm_gpuvm gpuvm;
	/** @vdev: the device */
	struct vdgpu_device *vdev;
	/** @pt: the page tables, under the VM's resv */
	struct vdgpu_pt_tree pt;
	/**
	 * @entity: orders the VM's page-table jobs on the first copy engine;
	 * destroyed when the VM is closed
	 */
	struct drm_sched_entity entity;
	/**
	 * @scratch: the level 0 entries of the chunk being written, under
	 * the VM's resv
	 */
	u64 *scratch;
	/**
	 * @dirty: the 2 MiB chunks (by index) whose page-table entries the
	 * next update recomputes, under the VM's resv: those of the update
	 * being prepared, and those of objects revalidated by an update that
	 * then failed, whose evicted mark is gone
	 */
	struct xarray dirty;
	/** @num_dirty: entries in @dirty */
	u64 num_dirty;
	/**
	 * @vram_epoch: &vdgpu_device.vram_epoch when the page tables were
	 * last known intact, under the VM's resv
	 */
	u32 vram_epoch;
	/**
	 * @last_update: the fence of the VM's last page-table job, which
	 * work on the VM waits for; under the VM's resv
	 */
	struct dma_fence *last_update;
	/** @closed: destroyed by userspace or its file closed, under resv */
	bool closed;
};

/**
 * to_vdgpu_vm() - the VM embedding a &drm_gpuvm
 * @gpuvm: a vdgpu VM's
 *
 * Return: the containing &struct vdgpu_vm.
 */
static inline struct vdgpu_vm *to_vdgpu_vm(struct drm_gpuvm *gpuvm)
{
	return container_of(gpuvm, struct vdgpu_vm, gpuvm);
}

/**
 * struct vdgpu_file - the driver's part of an open DRM file
 */
struct vdgpu_file {
	/**
	 * @lock: serialises creating, destroying and listing the file's VMs
	 * and exec queues; VM resvs nest inside it
	 */
	struct mutex lock;
	/** @vms: the file's VMs by id, each holding a reference */
	struct xarray vms;
	/** @queues: the file's exec queues by id, each holding a reference */
	struct xarray queues;
	/** @exec_stats: the file's compute engine time, shared with queues */
	struct vdgpu_exec_stats *exec_stats;
};

int vdgpu_file_open(struct drm_device *drm, struct drm_file *file);
void vdgpu_file_postclose(struct drm_device *drm, struct drm_file *file);

struct vdgpu_vm *vdgpu_vm_create(struct vdgpu_device *vdev);
void vdgpu_vm_close(struct vdgpu_vm *vm);
void vdgpu_vm_put(struct vdgpu_vm *vm);
struct vdgpu_vm *vdgpu_vm_lookup(struct drm_file *file, u32 id);
struct drm_gem_object *vdgpu_vm_resv_obj(struct drm_file *file, u32 id);
bool vdgpu_vm_file_has_resv(struct drm_file *file,
			    struct drm_gem_object *r_obj);
u64 vdgpu_vm_root_addr(struct vdgpu_vm *vm);
int vdgpu_vm_lock(struct vdgpu_vm *vm, struct drm_exec *exec,
		  unsigned int num_fences);
struct dma_fence *vdgpu_vm_revalidate(struct vdgpu_vm *vm,
				      struct drm_exec *exec);
void vdgpu_vm_exec_fini(struct drm_exec *exec);
bool vdgpu_vm_validate_retry(int ret, ktime_t *end);
void vdgpu_vm_bo_move_notify(struct vdgpu_bo *bo);

/* For VM_BIND (vdgpu_vm_bind.c): an update, step by step. */
int vdgpu_vm_dirty_range(struct vdgpu_vm *vm, u64 start, u64 range);
int vdgpu_vm_dirty_unmap(struct vdgpu_vm *vm, u64 start, u64 range);
int vdgpu_vm_dirty_vm_bo(struct vdgpu_vm *vm, struct drm_gpuvm_bo *vm_bo);
int vdgpu_vm_validate(struct vdgpu_vm *vm, struct drm_exec *exec);
int vdgpu_vm_reserve_fences(struct drm_exec *exec);
struct vdgpu_migrate_batch *vdgpu_vm_batch_alloc(struct vdgpu_vm *vm,
						 struct drm_exec *exec);
struct dma_fence *vdgpu_vm_commit(struct vdgpu_vm *vm,
				  struct vdgpu_migrate_batch *batch);
u64 vdgpu_vm_lookup_pte(struct vdgpu_vm *vm, u64 va, u64 *page_size);
int vdgpu_vm_debugfs_print(struct vdgpu_device *vdev, struct drm_printer *p);

int vdgpu_vm_create_ioctl(struct drm_device *drm, void *data,
			  struct drm_file *file);
int vdgpu_vm_destroy_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file);
int vdgpu_vm_bind_ioctl(struct drm_device *drm, void *data,
			struct drm_file *file);

#endif
