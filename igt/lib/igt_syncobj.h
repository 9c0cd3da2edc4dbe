/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DRM syncobj wrappers for tests.
 *
 * The __syncobj_*() variants return 0 or a negative errno for use with
 * igt_assert_err(); the plain ones assert success and return the result.
 * Waits take no timeout: they poll (an absolute timeout of 0 has expired),
 * so an unsignaled object answers -ETIME at once.
 */
#ifndef IGT_SYNCOBJ_H
#define IGT_SYNCOBJ_H

#include <stdint.h>

int __syncobj_create(int fd, uint32_t flags, uint32_t *handle);
uint32_t syncobj_create(int fd, uint32_t flags);

int __syncobj_destroy(int fd, uint32_t handle);
void syncobj_destroy(int fd, uint32_t handle);

/* DRM_IOCTL_SYNCOBJ_WAIT on one handle, DRM_SYNCOBJ_WAIT_FLAGS_* @flags. */
int __syncobj_wait(int fd, uint32_t handle, uint32_t flags);

/* DRM_IOCTL_SYNCOBJ_RESET / _SIGNAL on one handle. */
int __syncobj_reset(int fd, uint32_t handle);
int __syncobj_signal(int fd, uint32_t handle);

/*
 * The same waits, blocking until the absolute CLOCK_MONOTONIC time
 * @timeout_ns (see vdgpu_now_ns()) at most.
 */
int __syncobj_wait_until(int fd, uint32_t handle, uint32_t flags,
			 int64_t timeout_ns);
int __syncobj_timeline_wait_until(int fd, uint32_t handle, uint64_t point,
				  uint32_t flags, int64_t timeout_ns);

/* Timeline points. */
int __syncobj_timeline_signal(int fd, uint32_t handle, uint64_t point);
int __syncobj_timeline_wait(int fd, uint32_t handle, uint64_t point,
			    uint32_t flags);
int __syncobj_query(int fd, uint32_t handle, uint64_t *point);

/* Export to / import from a syncobj file descriptor. */
int __syncobj_handle_to_fd(int fd, uint32_t handle, int *obj_fd);
int __syncobj_fd_to_handle(int fd, int obj_fd, uint32_t *handle);

/* Replace the fence of syncobj @handle by the one of sync_file @sync_fd. */
int __syncobj_import_sync_file(int fd, uint32_t handle, int sync_fd);

/*
 * A sync_file holding the fence of binary syncobj @handle (-EINVAL when it
 * has none).
 */
int __syncobj_export_sync_file(int fd, uint32_t handle, int *sync_fd);

/*
 * DRM_IOCTL_SYNCOBJ_TRANSFER: the fence of @src at @src_point (0 for a
 * binary syncobj) to @dst at @dst_point (0 for a binary syncobj).
 */
int __syncobj_transfer(int fd, uint32_t dst, uint64_t dst_point, uint32_t src,
		       uint64_t src_point, uint32_t flags);

/*
 * The status of the fence of binary syncobj @handle, as SYNC_IOC_FILE_INFO
 * reports it for a sync_file of it: 1 signalled, 0 pending, a negative
 * errno for a fence signalled with that error.  0 with *@status set, or a
 * negative errno (-EINVAL when the syncobj has no fence).
 */
int __syncobj_fence_status(int fd, uint32_t handle, int *status);

#endif /* IGT_SYNCOBJ_H */
