// SPDX-License-Identifier: GPL-2.0-only
/*
 * Wrappers for the vdgpu memory uAPI, see vdgpu_gem.h.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <xf86drm.h>

#include "vdgpu_gem.h"
#include "vdgpu_igt.h"

const char *vdgpu_region_name(uint32_t id)
{
	switch (id) {
	case DRM_VDGPU_REGION_SYSTEM:
		return "system";
	case DRM_VDGPU_REGION_GTT:
		return "gtt";
	case DRM_VDGPU_REGION_VRAM0:
		return "vram0";
	default:
		return "unknown";
	}
}

int64_t vdgpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void require_version(int fd, int want_minor, const char *what)
{
	drmVersionPtr v = drmGetVersion(fd);
	int major, minor;

	igt_assert_f(v, "DRM_IOCTL_VERSION failed\n");
	major = v->version_major;
	minor = v->version_minor;
	drmFreeVersion(v);
	igt_require_f(major > VDGPU_GEM_UAPI_MAJOR ||
		      (major == VDGPU_GEM_UAPI_MAJOR && minor >= want_minor),
		      "The driver is version %d.%d; %s needs %d.%d\n",
		      major, minor, what, VDGPU_GEM_UAPI_MAJOR, want_minor);
}

void vdgpu_require_gem(int fd)
{
	require_version(fd, VDGPU_GEM_UAPI_MINOR, "the memory uAPI");
}

void vdgpu_require_vm(int fd)
{
	require_version(fd, VDGPU_VM_UAPI_MINOR, "the VM uAPI");
}

void vdgpu_require_exec(int fd)
{
	require_version(fd, VDGPU_EXEC_UAPI_MINOR, "command submission");
}

int __vdgpu_query(int fd, uint32_t query, void *data, uint32_t *size)
{
	struct drm_vdgpu_query arg = {
		.query = query,
		.size = *size,
		.data = to_user_pointer(data),
	};
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_VDGPU_QUERY, &arg);
	*size = arg.size;
	return ret;
}

void *vdgpu_query_alloc(int fd, uint32_t query, uint32_t min_size,
			uint32_t *size)
{
	uint32_t len = 0, got;
	void *buf;

	igt_assert_err(__vdgpu_query(fd, query, NULL, &len), 0);
	igt_assert_f(len >= min_size,
		     "query %u: the kernel needs %u bytes, less than the %u of this uAPI\n",
		     query, len, min_size);
	buf = calloc(1, len);
	igt_assert(buf);
	got = len;
	igt_assert_err(__vdgpu_query(fd, query, buf, &got), 0);
	igt_assert_eq(got, len);
	if (size)
		*size = len;
	return buf;
}

void vdgpu_query_device(int fd, struct drm_vdgpu_query_device *dev)
{
	void *buf = vdgpu_query_alloc(fd, DRM_VDGPU_QUERY_DEVICE,
				      sizeof(*dev), NULL);

	memcpy(dev, buf, sizeof(*dev));
	free(buf);
}

void vdgpu_query_region(int fd, uint32_t id, struct drm_vdgpu_mem_region *region)
{
	struct drm_vdgpu_query_mem_regions *r;
	uint32_t size, i;
	bool found = false;

	r = vdgpu_query_alloc(fd, DRM_VDGPU_QUERY_MEM_REGIONS, sizeof(*r), &size);
	igt_assert_lte(sizeof(*region), r->region_size);
	igt_assert_lte_u64(sizeof(*r) + (uint64_t)r->num_regions * r->region_size,
			   size);
	for (i = 0; i < r->num_regions && !found; i++) {
		const void *entry = (const char *)r->regions + (size_t)i * r->region_size;

		memcpy(region, entry, sizeof(*region));
		found = region->id == id;
	}
	free(r);
	igt_assert_f(found, "no memory region with id %u\n", id);
}

uint64_t vdgpu_region_used(int fd, uint32_t id)
{
	struct drm_vdgpu_mem_region r;

	vdgpu_query_region(fd, id, &r);
	return r.used;
}

uint64_t vdgpu_region_visible_used(int fd, uint32_t id)
{
	struct drm_vdgpu_mem_region r;

	vdgpu_query_region(fd, id, &r);
	return r.cpu_visible_used;
}

int __vdgpu_gem_create(int fd, uint64_t size, const uint32_t *regions,
		       uint32_t num_regions, uint32_t flags, uint32_t *handle)
{
	return __vdgpu_gem_create_vm(fd, size, regions, num_regions, flags, 0,
				     handle);
}

int __vdgpu_gem_create_vm(int fd, uint64_t size, const uint32_t *regions,
			  uint32_t num_regions, uint32_t flags, uint32_t vm_id,
			  uint32_t *handle)
{
	struct drm_vdgpu_gem_create arg = {
		.size = size,
		.regions = to_user_pointer(regions),
		.num_regions = num_regions,
		.flags = flags,
		.vm_id = vm_id,
	};
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_VDGPU_GEM_CREATE, &arg);
	if (!ret)
		*handle = arg.handle;
	return ret;
}

uint32_t vdgpu_gem_create_vm(int fd, uint64_t size, const uint32_t *regions,
			     uint32_t num_regions, uint32_t flags,
			     uint32_t vm_id)
{
	uint32_t handle = 0;

	igt_assert_err(__vdgpu_gem_create_vm(fd, size, regions, num_regions,
					     flags, vm_id, &handle), 0);
	igt_assert_neq(handle, 0);
	return handle;
}

uint32_t vdgpu_gem_create(int fd, uint64_t size, const uint32_t *regions,
			  uint32_t num_regions, uint32_t flags)
{
	uint32_t handle = 0;

	igt_assert_err(__vdgpu_gem_create(fd, size, regions, num_regions, flags,
					  &handle), 0);
	igt_assert_neq(handle, 0);
	return handle;
}

uint32_t vdgpu_gem_create_in(int fd, uint64_t size, uint32_t region,
			     uint32_t flags)
{
	return vdgpu_gem_create(fd, size, &region, 1, flags);
}

int __gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close arg = { .handle = handle };

	return __drm_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &arg);
}

void gem_close(int fd, uint32_t handle)
{
	igt_assert_err(__gem_close(fd, handle), 0);
}

int __vdgpu_gem_mmap_offset(int fd, uint32_t handle, uint64_t *offset)
{
	struct drm_vdgpu_gem_mmap_offset arg = { .handle = handle };
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_VDGPU_GEM_MMAP_OFFSET, &arg);
	if (!ret)
		*offset = arg.offset;
	return ret;
}

uint64_t vdgpu_gem_mmap_offset(int fd, uint32_t handle)
{
	uint64_t offset = 0;

	igt_assert_err(__vdgpu_gem_mmap_offset(fd, handle, &offset), 0);
	return offset;
}

void *__vdgpu_gem_mmap(int fd, uint32_t handle, uint64_t size)
{
	uint64_t offset;
	void *ptr;
	int ret;

	ret = __vdgpu_gem_mmap_offset(fd, handle, &offset);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	return ptr == MAP_FAILED ? NULL : ptr;
}

void *vdgpu_gem_mmap(int fd, uint32_t handle, uint64_t size)
{
	void *ptr = __vdgpu_gem_mmap(fd, handle, size);

	igt_assert_f(ptr, "mapping %llu bytes of object %u: %s\n",
		     (unsigned long long)size, handle, strerror(errno));
	return ptr;
}

int __vdgpu_gem_wait(int fd, uint32_t handle, int64_t timeout_ns)
{
	struct drm_vdgpu_gem_wait arg = {
		.handle = handle,
		.timeout_ns = timeout_ns,
	};

	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_GEM_WAIT, &arg);
}

void vdgpu_gem_wait_idle(int fd, uint32_t handle)
{
	igt_assert_err(__vdgpu_gem_wait(fd, handle,
					vdgpu_now_ns() + 10 * 1000000000ll), 0);
}

int __vdgpu_gem_info(int fd, uint32_t handle, struct drm_vdgpu_gem_info *info)
{
	struct drm_vdgpu_gem_info arg = { .handle = handle };
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_VDGPU_GEM_INFO, &arg);
	if (!ret)
		*info = arg;
	return ret;
}

void vdgpu_gem_info(int fd, uint32_t handle, struct drm_vdgpu_gem_info *info)
{
	igt_assert_err(__vdgpu_gem_info(fd, handle, info), 0);
}

uint32_t vdgpu_gem_region(int fd, uint32_t handle)
{
	struct drm_vdgpu_gem_info info;

	vdgpu_gem_info(fd, handle, &info);
	return info.region;
}

int __vdgpu_gem_madvise(int fd, uint32_t handle, uint32_t advice,
			uint32_t *purged)
{
	struct drm_vdgpu_gem_madvise arg = {
		.handle = handle,
		.advice = advice,
	};
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_VDGPU_GEM_MADVISE, &arg);
	if (!ret)
		*purged = arg.purged;
	return ret;
}

uint32_t vdgpu_gem_madvise(int fd, uint32_t handle, uint32_t advice)
{
	uint32_t purged = ~0u;

	igt_assert_err(__vdgpu_gem_madvise(fd, handle, advice, &purged), 0);
	return purged;
}

int __vdgpu_vm_create(int fd, uint32_t *vm_id)
{
	struct drm_vdgpu_vm_create arg = { };
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_VDGPU_VM_CREATE, &arg);
	if (!ret)
		*vm_id = arg.vm_id;
	return ret;
}

uint32_t vdgpu_vm_create(int fd)
{
	uint32_t vm_id = 0;

	igt_assert_err(__vdgpu_vm_create(fd, &vm_id), 0);
	igt_assert_neq(vm_id, 0);
	return vm_id;
}

int __vdgpu_vm_destroy(int fd, uint32_t vm_id)
{
	struct drm_vdgpu_vm_destroy arg = { .vm_id = vm_id };

	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_VM_DESTROY, &arg);
}

void vdgpu_vm_destroy(int fd, uint32_t vm_id)
{
	igt_assert_err(__vdgpu_vm_destroy(fd, vm_id), 0);
}

int __vdgpu_vm_bind(int fd, uint32_t vm_id, uint32_t flags,
		    const struct drm_vdgpu_vm_bind_op *ops, uint32_t num_ops,
		    const struct drm_vdgpu_sync *syncs, uint32_t num_syncs)
{
	struct drm_vdgpu_vm_bind arg = {
		.vm_id = vm_id,
		.flags = flags,
		.num_ops = num_ops,
		.op_stride = sizeof(*ops),
		.ops = to_user_pointer(ops),
		.num_syncs = num_syncs,
		.sync_stride = sizeof(*syncs),
		.syncs = to_user_pointer(syncs),
	};

	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_VM_BIND, &arg);
}

void vdgpu_vm_bind(int fd, uint32_t vm_id, uint32_t flags,
		   const struct drm_vdgpu_vm_bind_op *ops, uint32_t num_ops,
		   const struct drm_vdgpu_sync *syncs, uint32_t num_syncs)
{
	igt_assert_err(__vdgpu_vm_bind(fd, vm_id, flags, ops, num_ops, syncs,
				       num_syncs), 0);
}

void vdgpu_vm_map(int fd, uint32_t vm_id, uint32_t handle, uint64_t obj_offset,
		  uint64_t addr, uint64_t range, uint32_t flags)
{
	struct drm_vdgpu_vm_bind_op op = {
		.op = DRM_VDGPU_VM_BIND_OP_MAP,
		.flags = flags,
		.handle = handle,
		.obj_offset = obj_offset,
		.addr = addr,
		.range = range,
	};

	vdgpu_vm_bind(fd, vm_id, 0, &op, 1, NULL, 0);
}

void vdgpu_vm_unmap(int fd, uint32_t vm_id, uint64_t addr, uint64_t range)
{
	struct drm_vdgpu_vm_bind_op op = {
		.op = DRM_VDGPU_VM_BIND_OP_UNMAP,
		.addr = addr,
		.range = range,
	};

	vdgpu_vm_bind(fd, vm_id, 0, &op, 1, NULL, 0);
}

int __vdgpu_exec_queue_create(int fd, uint32_t vm_id, uint16_t engine_class,
			      uint16_t engine_instance, uint32_t priority,
			      uint32_t *queue_id)
{
	struct drm_vdgpu_exec_queue_create arg = {
		.vm_id = vm_id,
		.engine_class = engine_class,
		.engine_instance = engine_instance,
		.priority = priority,
	};
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_VDGPU_EXEC_QUEUE_CREATE, &arg);
	if (!ret)
		*queue_id = arg.queue_id;
	return ret;
}

uint32_t vdgpu_exec_queue_create(int fd, uint32_t vm_id)
{
	uint32_t queue_id = 0;

	igt_assert_err(__vdgpu_exec_queue_create(fd, vm_id,
						 DRM_VDGPU_ENGINE_CLASS_COMPUTE, 0,
						 DRM_VDGPU_EXEC_QUEUE_PRIORITY_NORMAL,
						 &queue_id), 0);
	igt_assert_neq(queue_id, 0);
	return queue_id;
}

int __vdgpu_exec_queue_destroy(int fd, uint32_t queue_id)
{
	struct drm_vdgpu_exec_queue_destroy arg = { .queue_id = queue_id };

	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_EXEC_QUEUE_DESTROY, &arg);
}

void vdgpu_exec_queue_destroy(int fd, uint32_t queue_id)
{
	igt_assert_err(__vdgpu_exec_queue_destroy(fd, queue_id), 0);
}

int __vdgpu_exec(int fd, uint32_t queue_id, uint32_t flags,
		 uint64_t batch_addr, uint32_t batch_len,
		 const struct drm_vdgpu_sync *syncs, uint32_t num_syncs,
		 const uint32_t *handles, uint32_t num_handles)
{
	struct drm_vdgpu_exec arg = {
		.queue_id = queue_id,
		.flags = flags,
		.batch_addr = batch_addr,
		.batch_len = batch_len,
		.num_syncs = num_syncs,
		.syncs = to_user_pointer(syncs),
		.sync_stride = sizeof(*syncs),
		.num_handles = num_handles,
		.handles = to_user_pointer(handles),
	};

	return __drm_ioctl(fd, DRM_IOCTL_VDGPU_EXEC, &arg);
}

void vdgpu_exec(int fd, uint32_t queue_id, uint32_t flags,
		uint64_t batch_addr, uint32_t batch_len,
		const struct drm_vdgpu_sync *syncs, uint32_t num_syncs,
		const uint32_t *handles, uint32_t num_handles)
{
	igt_assert_err(__vdgpu_exec(fd, queue_id, flags, batch_addr, batch_len,
				    syncs, num_syncs, handles, num_handles), 0);
}
