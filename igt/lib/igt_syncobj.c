// SPDX-License-Identifier: GPL-2.0-only
/*
 * DRM syncobj wrappers for tests, see igt_syncobj.h.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "igt_syncobj.h"
#include "vdgpu_igt.h"

static uint64_t to_user_pointer(const void *ptr)
{
	return (uintptr_t)ptr;
}

int __syncobj_create(int fd, uint32_t flags, uint32_t *handle)
{
	struct drm_syncobj_create arg = { .flags = flags };
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &arg);
	if (!ret)
		*handle = arg.handle;
	return ret;
}

uint32_t syncobj_create(int fd, uint32_t flags)
{
	uint32_t handle = 0;

	igt_assert_err(__syncobj_create(fd, flags, &handle), 0);
	igt_assert_neq(handle, 0);
	return handle;
}

int __syncobj_destroy(int fd, uint32_t handle)
{
	struct drm_syncobj_destroy arg = { .handle = handle };

	return __drm_ioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &arg);
}

void syncobj_destroy(int fd, uint32_t handle)
{
	igt_assert_err(__syncobj_destroy(fd, handle), 0);
}

int __syncobj_wait(int fd, uint32_t handle, uint32_t flags)
{
	return __syncobj_wait_until(fd, handle, flags, 0);
}

int __syncobj_wait_until(int fd, uint32_t handle, uint32_t flags,
			 int64_t timeout_ns)
{
	struct drm_syncobj_wait arg = {
		.handles = to_user_pointer(&handle),
		.count_handles = 1,
		.flags = flags,
		.timeout_nsec = timeout_ns,
	};

	return __drm_ioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &arg);
}

static int syncobj_array_ioctl(int fd, unsigned long request, uint32_t handle)
{
	struct drm_syncobj_array arg = {
		.handles = to_user_pointer(&handle),
		.count_handles = 1,
	};

	return __drm_ioctl(fd, request, &arg);
}

int __syncobj_reset(int fd, uint32_t handle)
{
	return syncobj_array_ioctl(fd, DRM_IOCTL_SYNCOBJ_RESET, handle);
}

int __syncobj_signal(int fd, uint32_t handle)
{
	return syncobj_array_ioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, handle);
}

int __syncobj_timeline_signal(int fd, uint32_t handle, uint64_t point)
{
	struct drm_syncobj_timeline_array arg = {
		.handles = to_user_pointer(&handle),
		.points = to_user_pointer(&point),
		.count_handles = 1,
	};

	return __drm_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, &arg);
}

int __syncobj_timeline_wait(int fd, uint32_t handle, uint64_t point,
			    uint32_t flags)
{
	return __syncobj_timeline_wait_until(fd, handle, point, flags, 0);
}

int __syncobj_timeline_wait_until(int fd, uint32_t handle, uint64_t point,
				  uint32_t flags, int64_t timeout_ns)
{
	struct drm_syncobj_timeline_wait arg = {
		.handles = to_user_pointer(&handle),
		.points = to_user_pointer(&point),
		.count_handles = 1,
		.flags = flags,
		.timeout_nsec = timeout_ns,
	};

	return __drm_ioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &arg);
}

int __syncobj_query(int fd, uint32_t handle, uint64_t *point)
{
	struct drm_syncobj_timeline_array arg = {
		.handles = to_user_pointer(&handle),
		.points = to_user_pointer(point),
		.count_handles = 1,
	};

	return __drm_ioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &arg);
}

int __syncobj_handle_to_fd(int fd, uint32_t handle, int *obj_fd)
{
	struct drm_syncobj_handle arg = { .handle = handle, .fd = -1 };
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &arg);
	if (!ret)
		*obj_fd = arg.fd;
	return ret;
}

int __syncobj_fd_to_handle(int fd, int obj_fd, uint32_t *handle)
{
	struct drm_syncobj_handle arg = { .fd = obj_fd };
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &arg);
	if (!ret)
		*handle = arg.handle;
	return ret;
}

int __syncobj_import_sync_file(int fd, uint32_t handle, int sync_fd)
{
	struct drm_syncobj_handle arg = {
		.handle = handle,
		.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE,
		.fd = sync_fd,
	};

	return __drm_ioctl(fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &arg);
}

int __syncobj_export_sync_file(int fd, uint32_t handle, int *sync_fd)
{
	struct drm_syncobj_handle arg = {
		.handle = handle,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
		.fd = -1,
	};
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &arg);
	if (!ret)
		*sync_fd = arg.fd;
	return ret;
}

int __syncobj_transfer(int fd, uint32_t dst, uint64_t dst_point, uint32_t src,
		       uint64_t src_point, uint32_t flags)
{
	struct drm_syncobj_transfer arg = {
		.src_handle = src,
		.dst_handle = dst,
		.src_point = src_point,
		.dst_point = dst_point,
		.flags = flags,
	};

	return __drm_ioctl(fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &arg);
}

int __syncobj_fence_status(int fd, uint32_t handle, int *status)
{
	struct sync_file_info info = { };
	int sync_fd, ret;

	ret = __syncobj_export_sync_file(fd, handle, &sync_fd);
	if (ret)
		return ret;
	do {
		ret = ioctl(sync_fd, SYNC_IOC_FILE_INFO, &info) ? -errno : 0;
	} while (ret == -EINTR || ret == -EAGAIN);
	close(sync_fd);
	if (!ret)
		*status = info.status;
	return ret;
}
