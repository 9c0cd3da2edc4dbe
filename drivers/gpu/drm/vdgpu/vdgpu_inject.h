/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_INJECT_H_
#define _VDGPU_INJECT_H_

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/types.h>

struct ttm_buffer_object;
struct vdgpu_device;

/**
 * enum vdgpu_inject_class - the kinds of stage the injection knob can fail
 * @VDGPU_INJECT_ALLOC: a VRAM or GTT resource allocation (-ENOMEM)
 * @VDGPU_INJECT_CREATE: buffer object creation (-ENOMEM)
 * @VDGPU_INJECT_MOVE: a move that is not an eviction (-ENOMEM)
 * @VDGPU_INJECT_EVICT: a move that is an eviction (-ENOMEM)
 * @VDGPU_INJECT_POPULATE: allocating or swapping in system pages (-ENOMEM)
 * @VDGPU_INJECT_BIND: VM_BIND preparation (-ENOMEM)
 * @VDGPU_INJECT_EXEC: EXEC preparation (-ENOMEM)
 * @VDGPU_INJECT_PT: a page table allocation (-ENOMEM)
 * @VDGPU_INJECT_VM: VM creation (-ENOMEM)
 * @VDGPU_INJECT_QUEUE: exec queue creation (-ENOMEM)
 * @VDGPU_INJECT_NUM: the number of classes
 *
 * The bit of each in the knob's mask is 1 << its value.
 */
enum vdgpu_inject_class {
	VDGPU_INJECT_ALLOC,
	VDGPU_INJECT_CREATE,
	VDGPU_INJECT_MOVE,
	VDGPU_INJECT_EVICT,
	VDGPU_INJECT_POPULATE,
	VDGPU_INJECT_BIND,
	VDGPU_INJECT_EXEC,
	VDGPU_INJECT_PT,
	VDGPU_INJECT_VM,
	VDGPU_INJECT_QUEUE,
	VDGPU_INJECT_NUM
};

/**
 * struct vdgpu_inject - the fault-injection knob of one device
 *
 * See "Fault injection".  Lock-free: the arming task's id is published
 * before the count that turns the knob on.
 */
struct vdgpu_inject {
	/**
	 * @nth: the injection points the armed task still has to pass, the
	 * last of which fails; 0 when off or when the failure was injected
	 */
	atomic_t nth;
	/** @tid: the id of the task that armed the knob (its thread id) */
	pid_t tid;
	/** @mask: the classes that count, a bit per &enum vdgpu_inject_class */
	u32 mask;
	/**
	 * @sticky: once the Nth point failed, every later point the armed
	 * task passes fails too, until the knob is armed again
	 */
	bool sticky;
	/** @hits: the points the armed task passed, since the last arming */
	atomic_t hits;
	/** @fails: the failures injected, since the device was created */
	atomic_t fails;
};

int vdgpu_inject_fail(struct vdgpu_device *vdev, enum vdgpu_inject_class cls);
int vdgpu_inject_fail_bo(struct ttm_buffer_object *tbo,
			 enum vdgpu_inject_class cls);
void vdgpu_inject_arm(struct vdgpu_device *vdev, unsigned int nth);
void vdgpu_inject_init(struct vdgpu_device *vdev);

#endif
