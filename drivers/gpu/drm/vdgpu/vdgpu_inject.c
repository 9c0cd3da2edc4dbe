// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/preempt.h>
#include <linux/sched.h>

#include <drm/drm_print.h>

#include "vdgpu_bo.h"
#include "vdgpu_device.h"
#include "vdgpu_inject.h"

/**
 * DOC: Fault injection
 *
 * Every stage of the driver that can fail for want of memory has a test
 * that makes it fail, so that every error path is taken and shown to
 * unwind: the ioctl returns a documented errno and nothing it touched
 * changed or leaked.  Two mechanisms get there.
 *
 * On a kernel with CONFIG_FUNCTION_ERROR_INJECTION, the stage functions
 * are marked with ALLOW_ERROR_INJECTION() and the kernel's fail_function
 * (Documentation/fault-injection/fault-injection.rst) can make any of them
 * return an errno; with CONFIG_FAILSLAB and CONFIG_FAIL_PAGE_ALLOC the
 * task's ``/proc/self/task/<tid>/fail-nth`` fails its Nth allocation,
 * ours and those of DRM, TTM and dma-resv beneath us.  The functions are
 * listed below.
 *
 * Stock distribution kernels have neither, so the driver has a knob of
 * its own, in the ``inject/`` directory of the device's debugfs
 * directory, root only:
 *
 * fail_nth
 *	Written with N > 0 by a task: the Nth injection point that same task
 *	(the thread, not its process) passes fails, with the errno the stage
 *	would fail with for real.  Reads back how many points are left to
 *	pass before the failure: 0 once the failure was injected (or when
 *	the knob is off), more when the task never got that far.  Writing 0
 *	turns the knob off.  Other tasks, the schedulers' workers, the
 *	shrinker run by another task and other clients are never failed.
 *
 * mask
 *	The classes of &enum vdgpu_inject_class that count, a bit each
 *	(1 << class), all of them by default.  Points of other classes are
 *	neither counted nor failed.
 *
 * sticky
 *	N (the default) or Y: with Y, once the Nth point failed, every later
 *	point the armed task passes fails too (fail_nth then reads 1), so
 *	that a stage that retries sees its retries fail.  VM_BIND and EXEC
 *	retry their validation for a while when memory runs out; only a
 *	lasting failure reaches their error returns.
 *
 * hits
 *	The points the armed task passed since it armed the knob.
 *
 * fails
 *	The failures injected since the device was created.
 *
 * An injection point is a call to vdgpu_inject_fail() placed where the
 * stage allocates, before it changes anything, so that the injected
 * failure takes the same path as a real one.  While the knob is off a
 * point costs one atomic read, at places that are about to allocate
 * memory anyway; the knob is therefore always built in, like the rest of
 * debugfs, rather than behind a Kconfig option that the kernels the tests
 * run on would have to enable.
 */

/* Each class fails as the allocation it stands for would. */
static const int vdgpu_inject_errno[VDGPU_INJECT_NUM] = {
	[VDGPU_INJECT_ALLOC] = -ENOMEM,
	[VDGPU_INJECT_CREATE] = -ENOMEM,
	[VDGPU_INJECT_MOVE] = -ENOMEM,
	[VDGPU_INJECT_EVICT] = -ENOMEM,
	[VDGPU_INJECT_POPULATE] = -ENOMEM,
	[VDGPU_INJECT_BIND] = -ENOMEM,
	[VDGPU_INJECT_EXEC] = -ENOMEM,
	[VDGPU_INJECT_PT] = -ENOMEM,
	[VDGPU_INJECT_VM] = -ENOMEM,
	[VDGPU_INJECT_QUEUE] = -ENOMEM,
};

/**
 * vdgpu_inject_fail() - an injection point
 * @vdev: the device
 * @cls: what the caller is about to do
 *
 * Counts the call if the knob is armed by the current task for @cls, and
 * fails it if it is the one the knob waits for.  Costs one atomic read
 * while the knob is off.
 *
 * Context: Any context; only process context of the arming task fails.
 * Return: 0, or the errno the stage fails with (-ENOMEM) when the knob
 * picks this call.
 */
int vdgpu_inject_fail(struct vdgpu_device *vdev, enum vdgpu_inject_class cls)
{
	struct vdgpu_inject *inj = &vdev->inject;

	/* Pairs with the release in vdgpu_inject_nth_set(). */
	if (likely(!atomic_read_acquire(&inj->nth)))
		return 0;
	if (!in_task() || READ_ONCE(inj->tid) != current->pid ||
	    !(READ_ONCE(inj->mask) & BIT(cls)))
		return 0;
	atomic_inc(&inj->hits);
	/* Only the arming task decrements: this is the Nth when it hits 0. */
	if (atomic_dec_if_positive(&inj->nth))
		return 0;
	/* The next point is the Nth again. */
	if (READ_ONCE(inj->sticky))
		atomic_set(&inj->nth, 1);
	atomic_inc(&inj->fails);
	drm_dbg_driver(&vdev->drm, "inject: failing class %u with %d\n", cls,
		       vdgpu_inject_errno[cls]);
	return vdgpu_inject_errno[cls];
}

/**
 * vdgpu_inject_fail_bo() - an injection point on behalf of an object
 * @tbo: the object the stage works for
 * @cls: what the caller is about to do
 *
 * For the memory managers, which know the device only through the
 * objects they serve; objects that are not vdgpu's (TTM's ghost objects,
 * the KUnit suites' mock objects) never fail.
 *
 * Context: Any context.
 * Return: as vdgpu_inject_fail().
 */
int vdgpu_inject_fail_bo(struct ttm_buffer_object *tbo,
			 enum vdgpu_inject_class cls)
{
	if (!vdgpu_bo_is_vdgpu(tbo))
		return 0;
	return vdgpu_inject_fail(to_vdgpu_device(tbo->base.dev), cls);
}

static int vdgpu_inject_nth_get(void *data, u64 *val)
{
	struct vdgpu_device *vdev = data;

	*val = atomic_read(&vdev->inject.nth);
	return 0;
}

/**
 * vdgpu_inject_arm() - arm the knob for the current task
 * @vdev: the device
 * @nth: fail the @nth point the current task passes from now on; 0 turns
 *	the knob off
 *
 * What writing ``inject/fail_nth`` does.
 *
 * Context: Process context.
 */
void vdgpu_inject_arm(struct vdgpu_device *vdev, unsigned int nth)
{
	struct vdgpu_inject *inj = &vdev->inject;

	/* Off first, so no point sees the new task with the old count. */
	atomic_set(&inj->nth, 0);
	WRITE_ONCE(inj->tid, current->pid);
	atomic_set(&inj->hits, 0);
	atomic_set_release(&inj->nth, nth);
}

static int vdgpu_inject_nth_set(void *data, u64 val)
{
	if (val > INT_MAX)
		return -EINVAL;
	vdgpu_inject_arm(data, val);
	return 0;
}

DEFINE_DEBUGFS_ATTRIBUTE(vdgpu_inject_nth_fops, vdgpu_inject_nth_get,
			 vdgpu_inject_nth_set, "%llu\n");

/**
 * vdgpu_inject_init() - set up the fault-injection knob
 * @vdev: the device, not yet registered
 *
 * Creates the ``inject/`` directory in the device's debugfs directory,
 * which exists from drm_dev_init() on and goes with the device.  Failures
 * are ignored, as debugfs failures are.
 *
 * Context: Process context; before drm_dev_register().
 */
void vdgpu_inject_init(struct vdgpu_device *vdev)
{
	struct vdgpu_inject *inj = &vdev->inject;
	struct dentry *dir;

	inj->mask = GENMASK(VDGPU_INJECT_NUM - 1, 0);
	dir = debugfs_create_dir("inject", vdev->drm.debugfs_root);
	debugfs_create_file_unsafe("fail_nth", 0600, dir, vdev,
				   &vdgpu_inject_nth_fops);
	debugfs_create_x32("mask", 0600, dir, &inj->mask);
	debugfs_create_bool("sticky", 0600, dir, &inj->sticky);
	debugfs_create_atomic_t("hits", 0400, dir, &inj->hits);
	debugfs_create_atomic_t("fails", 0400, dir, &inj->fails);
}
