/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_EXEC_H_
#define _VDGPU_EXEC_H_

#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <drm/gpu_scheduler.h>

struct drm_device;
struct drm_file;
struct drm_printer;
struct vdgpu_device;
struct vdgpu_file;

/**
 * struct vdgpu_exec_stats - a file's use of the compute engine, for fdinfo
 *
 * Shared by the file and its queues, which may outlive it.
 */
struct vdgpu_exec_stats {
	/** @ref: the file's reference and one per queue */
	struct kref ref;
	/** @busy_ns: time the file's completed batches ran */
	atomic64_t busy_ns;
};

/* The faults and hangs debugfs error_state keeps. */
#define VDGPU_EXEC_ERRORS	8

/**
 * struct vdgpu_exec_error - a batch that faulted or hung
 */
struct vdgpu_exec_error {
	/** @time: when its fence signalled, CLOCK_MONOTONIC */
	ktime_t time;
	/** @client_id: the DRM client (fdinfo's drm-client-id) */
	u64 client_id;
	/** @queue_id: the queue, in its file */
	u32 queue_id;
	/** @error: the errno its fence signalled with */
	int error;
	/** @error_code: ERROR_CODE of the engine, for a malformed command */
	u32 error_code;
	/** @fault_info: FAULT_INFO of the engine, for a page fault */
	u32 fault_info;
	/** @fault_addr: the faulting virtual address */
	u64 fault_addr;
};

/**
 * struct vdgpu_exec - command submission on the compute engine
 *
 * Set up by vdgpu_exec_init(), torn down with the &drm_device.
 */
struct vdgpu_exec {
	/** @sched: the compute engine's scheduler, one batch at a time */
	struct drm_gpu_scheduler sched;
	/** @error_lock: protects @errors and @num_errors */
	spinlock_t error_lock;
	/** @errors: the last faults and hangs, a ring */
	struct vdgpu_exec_error errors[VDGPU_EXEC_ERRORS];
	/** @num_errors: faults and hangs so far */
	u32 num_errors;
	/** @jobs: batches run */
	atomic64_t jobs;
	/** @timeouts: batches stopped because they ran too long */
	atomic64_t timeouts;
	/** @queues: exec queues not yet released, waited for at teardown */
	atomic_t queues;
	/** @running_lock: protects @running and @running_since */
	spinlock_t running_lock;
	/** @running: whose batch the engine runs, NULL when idle */
	struct vdgpu_exec_stats *running;
	/** @running_since: when that batch started */
	ktime_t running_since;
};

int vdgpu_exec_module_init(void);
void vdgpu_exec_module_exit(void);
int vdgpu_exec_init(struct vdgpu_device *vdev);
void vdgpu_exec_suspend(struct vdgpu_device *vdev);
void vdgpu_exec_resume(struct vdgpu_device *vdev);
int vdgpu_exec_file_open(struct vdgpu_file *vfile);
void vdgpu_exec_file_close(struct vdgpu_file *vfile);
void vdgpu_exec_show_fdinfo(struct drm_printer *p, struct drm_file *file);
void vdgpu_exec_print_errors(struct vdgpu_device *vdev, struct drm_printer *p);

int vdgpu_exec_queue_create_ioctl(struct drm_device *drm, void *data,
				  struct drm_file *file);
int vdgpu_exec_queue_destroy_ioctl(struct drm_device *drm, void *data,
				   struct drm_file *file);
int vdgpu_exec_ioctl(struct drm_device *drm, void *data, struct drm_file *file);

#endif
