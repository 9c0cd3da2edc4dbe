/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Wrappers for the vdgpu memory uAPI (include/uapi/drm/vdgpu_drm.h): the
 * query ioctl, buffer object creation, CPU mappings, waits, info and
 * madvise; for the GPU virtual address spaces of 1.2: VM create,
 * destroy and bind, and VM-private objects; and for the command submission
 * of 1.3: exec queue create and destroy, and exec.
 *
 * As in igt_syncobj.h, the __vdgpu_*() variants return 0 or a negative
 * errno for igt_assert_err() and touch their output arguments only on
 * success; the plain ones assert success and return the result, so they
 * may only be used inside a subtest.
 */
#ifndef VDGPU_GEM_H
#define VDGPU_GEM_H

#include <stdbool.h>
#include <stdint.h>

#include <drm/vdgpu_drm.h>

/* The first driver version with the memory uAPI. */
#define VDGPU_GEM_UAPI_MAJOR	1
#define VDGPU_GEM_UAPI_MINOR	1

/* The first driver version with GPU virtual address spaces (VM_*). */
#define VDGPU_VM_UAPI_MINOR	2

/* The first driver version with command submission (EXEC_QUEUE_*, EXEC). */
#define VDGPU_EXEC_UAPI_MINOR	3

/* Number of region ids of this uAPI version (SYSTEM, GTT, VRAM0). */
#define VDGPU_NUM_REGION_IDS	3

static inline uint64_t to_user_pointer(const void *ptr)
{
	return (uintptr_t)ptr;
}

/* "system", "gtt", "vram0" for the fixed region ids, "unknown" otherwise. */
const char *vdgpu_region_name(uint32_t id);

/* CLOCK_MONOTONIC in nanoseconds, the clock of GEM_WAIT timeouts. */
int64_t vdgpu_now_ns(void);

/*
 * Skip the subtest unless the device behind @fd has the memory uAPI
 * (driver version 1.1 or later, as DRM_IOCTL_VERSION reports it).
 */
void vdgpu_require_gem(int fd);

/* The same for the VM uAPI: driver version 1.2 or later. */
void vdgpu_require_vm(int fd);

/* The same for command submission: driver version 1.3 or later. */
void vdgpu_require_exec(int fd);

/*
 * DRM_IOCTL_VDGPU_QUERY with the raw arguments; on return *@size is what
 * the kernel wrote back (also on failure, so the protocol can be checked).
 */
int __vdgpu_query(int fd, uint32_t query, void *data, uint32_t *size);

/*
 * Ask for the size of item @query, then read it into a buffer allocated
 * with malloc() (the caller frees it).  *@size, if not NULL, receives the
 * item's size, which is asserted to be at least @min_size.
 */
void *vdgpu_query_alloc(int fd, uint32_t query, uint32_t min_size,
			uint32_t *size);

void vdgpu_query_device(int fd, struct drm_vdgpu_query_device *dev);

/*
 * Region @id from DRM_VDGPU_QUERY_MEM_REGIONS, whatever the kernel's
 * stride; fails the subtest if there is no such region.
 */
void vdgpu_query_region(int fd, uint32_t id, struct drm_vdgpu_mem_region *region);

/* Shorthands: used and cpu_visible_used of region @id, a snapshot. */
uint64_t vdgpu_region_used(int fd, uint32_t id);
uint64_t vdgpu_region_visible_used(int fd, uint32_t id);

/*
 * DRM_IOCTL_VDGPU_GEM_CREATE for @size bytes in the regions listed in
 * @regions (@num_regions entries, most preferred first) with @flags.
 */
int __vdgpu_gem_create(int fd, uint64_t size, const uint32_t *regions,
		       uint32_t num_regions, uint32_t flags, uint32_t *handle);
uint32_t vdgpu_gem_create(int fd, uint64_t size, const uint32_t *regions,
			  uint32_t num_regions, uint32_t flags);
/* In one region. */
uint32_t vdgpu_gem_create_in(int fd, uint64_t size, uint32_t region,
			     uint32_t flags);
/* The same with &drm_vdgpu_gem_create.vm_id: private to VM @vm_id if not 0. */
int __vdgpu_gem_create_vm(int fd, uint64_t size, const uint32_t *regions,
			  uint32_t num_regions, uint32_t flags, uint32_t vm_id,
			  uint32_t *handle);
uint32_t vdgpu_gem_create_vm(int fd, uint64_t size, const uint32_t *regions,
			     uint32_t num_regions, uint32_t flags,
			     uint32_t vm_id);

/* DRM_IOCTL_GEM_CLOSE. */
int __gem_close(int fd, uint32_t handle);
void gem_close(int fd, uint32_t handle);

int __vdgpu_gem_mmap_offset(int fd, uint32_t handle, uint64_t *offset);
uint64_t vdgpu_gem_mmap_offset(int fd, uint32_t handle);

/*
 * mmap() @size bytes of the object, shared, read and write: the mapping,
 * or NULL with errno set if MMAP_OFFSET or mmap() failed.
 */
void *__vdgpu_gem_mmap(int fd, uint32_t handle, uint64_t size);
void *vdgpu_gem_mmap(int fd, uint32_t handle, uint64_t size);

/* DRM_IOCTL_VDGPU_GEM_WAIT until the absolute CLOCK_MONOTONIC @timeout_ns. */
int __vdgpu_gem_wait(int fd, uint32_t handle, int64_t timeout_ns);
/* Wait up to 10 s for the object to be idle; fail otherwise. */
void vdgpu_gem_wait_idle(int fd, uint32_t handle);

int __vdgpu_gem_info(int fd, uint32_t handle, struct drm_vdgpu_gem_info *info);
void vdgpu_gem_info(int fd, uint32_t handle, struct drm_vdgpu_gem_info *info);
/* The region the object is in now. */
uint32_t vdgpu_gem_region(int fd, uint32_t handle);

/* DRM_IOCTL_VDGPU_GEM_MADVISE; *@purged receives the kernel's answer. */
int __vdgpu_gem_madvise(int fd, uint32_t handle, uint32_t advice,
			uint32_t *purged);
/* Returns the purged field. */
uint32_t vdgpu_gem_madvise(int fd, uint32_t handle, uint32_t advice);

/* DRM_IOCTL_VDGPU_VM_CREATE; the plain one asserts a nonzero id. */
int __vdgpu_vm_create(int fd, uint32_t *vm_id);
uint32_t vdgpu_vm_create(int fd);

/* DRM_IOCTL_VDGPU_VM_DESTROY. */
int __vdgpu_vm_destroy(int fd, uint32_t vm_id);
void vdgpu_vm_destroy(int fd, uint32_t vm_id);

/*
 * DRM_IOCTL_VDGPU_VM_BIND of @num_ops operations and @num_syncs syncs
 * (@syncs may be NULL when there are none), with this uAPI's strides.
 */
int __vdgpu_vm_bind(int fd, uint32_t vm_id, uint32_t flags,
		    const struct drm_vdgpu_vm_bind_op *ops, uint32_t num_ops,
		    const struct drm_vdgpu_sync *syncs, uint32_t num_syncs);
void vdgpu_vm_bind(int fd, uint32_t vm_id, uint32_t flags,
		   const struct drm_vdgpu_vm_bind_op *ops, uint32_t num_ops,
		   const struct drm_vdgpu_sync *syncs, uint32_t num_syncs);

/*
 * One synchronous MAP of [@obj_offset, @obj_offset + @range) of @handle at
 * @addr with DRM_VDGPU_VM_BIND_* @flags, or UNMAP of [@addr, @addr + @range).
 */
void vdgpu_vm_map(int fd, uint32_t vm_id, uint32_t handle, uint64_t obj_offset,
		  uint64_t addr, uint64_t range, uint32_t flags);
void vdgpu_vm_unmap(int fd, uint32_t vm_id, uint64_t addr, uint64_t range);

/*
 * DRM_IOCTL_VDGPU_EXEC_QUEUE_CREATE of a queue of VM @vm_id on engine
 * @engine_class, @engine_instance with DRM_VDGPU_EXEC_QUEUE_PRIORITY_*
 * @priority; *@queue_id receives the id.  The plain one makes a
 * NORMAL-priority queue on compute engine 0 and asserts a nonzero id.
 */
int __vdgpu_exec_queue_create(int fd, uint32_t vm_id, uint16_t engine_class,
			      uint16_t engine_instance, uint32_t priority,
			      uint32_t *queue_id);
uint32_t vdgpu_exec_queue_create(int fd, uint32_t vm_id);

/* DRM_IOCTL_VDGPU_EXEC_QUEUE_DESTROY. */
int __vdgpu_exec_queue_destroy(int fd, uint32_t queue_id);
void vdgpu_exec_queue_destroy(int fd, uint32_t queue_id);

/*
 * DRM_IOCTL_VDGPU_EXEC of the batch of @batch_len bytes at @batch_addr on
 * queue @queue_id, with DRM_VDGPU_EXEC_* @flags, @num_syncs syncs and
 * @num_handles object handles (either array may be NULL when empty), with
 * this uAPI's sync stride.
 */
int __vdgpu_exec(int fd, uint32_t queue_id, uint32_t flags,
		 uint64_t batch_addr, uint32_t batch_len,
		 const struct drm_vdgpu_sync *syncs, uint32_t num_syncs,
		 const uint32_t *handles, uint32_t num_handles);
void vdgpu_exec(int fd, uint32_t queue_id, uint32_t flags,
		uint64_t batch_addr, uint32_t batch_len,
		const struct drm_vdgpu_sync *syncs, uint32_t num_syncs,
		const uint32_t *handles, uint32_t num_handles);

#endif /* VDGPU_GEM_H */
