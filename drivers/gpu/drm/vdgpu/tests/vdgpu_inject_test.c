// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/sizes.h>

#include <kunit/test.h>

#include <drm/vdgpu_drm.h>

#include "../vdgpu_bo.h"
#include "../vdgpu_device.h"
#include "../vdgpu_inject.h"
#include "vdgpu_kunit_helpers.h"

/*
 * The fault-injection knob: which calls it fails, and for whom; then a
 * failure injected at every point of a buffer object's creation in turn,
 * each leaving no object and no memory behind.
 */

/* Off, no point fails or counts. */
static void inject_off_fails_nothing(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	unsigned int cls;

	for (cls = 0; cls < VDGPU_INJECT_NUM; cls++)
		KUNIT_EXPECT_EQ(test, vdgpu_inject_fail(vdev, cls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vdev->inject.hits), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vdev->inject.fails), 0);
}

/* Armed with 3: the third point fails, with -ENOMEM, and only it. */
static void inject_fails_the_nth_point(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);

	vdgpu_inject_arm(vdev, 3);
	KUNIT_EXPECT_EQ(test, vdgpu_inject_fail(vdev, VDGPU_INJECT_CREATE), 0);
	KUNIT_EXPECT_EQ(test, vdgpu_inject_fail(vdev, VDGPU_INJECT_MOVE), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vdev->inject.nth), 1);
	KUNIT_EXPECT_EQ(test, vdgpu_inject_fail(vdev, VDGPU_INJECT_ALLOC),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, vdgpu_inject_fail(vdev, VDGPU_INJECT_ALLOC), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vdev->inject.nth), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vdev->inject.hits), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&vdev->inject.fails), 1);
}

/* Classes outside the mask neither count nor fail. */
static void inject_mask_filters_classes(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);

	vdev->inject.mask = BIT(VDGPU_INJECT_BIND);
	vdgpu_inject_arm(vdev, 1);
	KUNIT_EXPECT_EQ(test, vdgpu_inject_fail(vdev, VDGPU_INJECT_CREATE), 0);
	KUNIT_EXPECT_EQ(test, vdgpu_inject_fail(vdev, VDGPU_INJECT_PT), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vdev->inject.hits), 0);
	KUNIT_EXPECT_EQ(test, vdgpu_inject_fail(vdev, VDGPU_INJECT_BIND),
			-ENOMEM);
}

/* Sticky, every point after the Nth fails too. */
static void inject_sticky_fails_every_later_point(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	unsigned int i;

	vdev->inject.sticky = true;
	vdgpu_inject_arm(vdev, 2);
	KUNIT_EXPECT_EQ(test, vdgpu_inject_fail(vdev, VDGPU_INJECT_EXEC), 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, vdgpu_inject_fail(vdev, VDGPU_INJECT_EXEC),
				-ENOMEM);
	KUNIT_EXPECT_EQ(test, atomic_read(&vdev->inject.fails), 3);
	vdgpu_inject_arm(vdev, 0);
	KUNIT_EXPECT_EQ(test, vdgpu_inject_fail(vdev, VDGPU_INJECT_EXEC), 0);
}

struct inject_other {
	struct vdgpu_device *vdev;
	struct completion done;
	int ret;
};

static int inject_other_fn(void *data)
{
	struct inject_other *o = data;

	o->ret = vdgpu_inject_fail(o->vdev, VDGPU_INJECT_MOVE);
	complete(&o->done);
	return 0;
}

/* Another task (a worker, another client) passes the points unharmed. */
static void inject_spares_other_tasks(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	struct inject_other o = { .vdev = vdev, .ret = -EINVAL };
	struct task_struct *t;

	init_completion(&o.done);
	vdgpu_inject_arm(vdev, 1);
	t = kthread_run(inject_other_fn, &o, "vdgpu-inject-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&o.done);
	KUNIT_EXPECT_EQ(test, o.ret, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vdev->inject.nth), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&vdev->inject.hits), 0);
	KUNIT_EXPECT_EQ(test, vdgpu_inject_fail(vdev, VDGPU_INJECT_MOVE),
			-ENOMEM);
}

/*
 * Creating an object in VRAM with each of its failure points failing in
 * turn: -ENOMEM, no object, no VRAM used; then the creation that passes
 * every point works.
 */
static void inject_bo_create_leaves_nothing(struct kunit *test)
{
	struct vdgpu_device *vdev = vdgpu_kunit_device(test, NULL);
	const u32 region = DRM_VDGPU_REGION_VRAM0;
	u64 used = vdgpu_vram_mgr_used(&vdev->vram_mgr);
	int bos = atomic_read(&vdev->num_bos);
	unsigned int n, failed = 0;
	struct vdgpu_bo *bo;
	int ret;

	for (n = 1; n < 100; n++) {
		vdgpu_inject_arm(vdev, n);
		ret = vdgpu_bo_create(vdev, SZ_1M, &region, 1, 0,
				      ttm_bo_type_device, &bo);
		vdgpu_inject_arm(vdev, 0);
		if (!ret)
			break;
		KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
		vdgpu_kunit_bo_flush(vdev);
		KUNIT_EXPECT_EQ(test, atomic_read(&vdev->num_bos), bos);
		KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_used(&vdev->vram_mgr), used);
		failed++;
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	kunit_info(test, "%u failure points\n", failed);
	/* Create, alloc and the clear's move at least. */
	KUNIT_EXPECT_GE(test, failed, 3);
	vdgpu_bo_put(bo);
	vdgpu_kunit_bo_flush(vdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&vdev->num_bos), bos);
	KUNIT_EXPECT_EQ(test, vdgpu_vram_mgr_used(&vdev->vram_mgr), used);
}

static struct kunit_case vdgpu_inject_tests[] = {
	KUNIT_CASE(inject_off_fails_nothing),
	KUNIT_CASE(inject_fails_the_nth_point),
	KUNIT_CASE(inject_mask_filters_classes),
	KUNIT_CASE(inject_sticky_fails_every_later_point),
	KUNIT_CASE(inject_spares_other_tasks),
	KUNIT_CASE(inject_bo_create_leaves_nothing),
	{}
};

static struct kunit_suite vdgpu_inject_suite = {
	.name = "vdgpu_inject",
	.test_cases = vdgpu_inject_tests,
};

kunit_test_suite(vdgpu_inject_suite);
