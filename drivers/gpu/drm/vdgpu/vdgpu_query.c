// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bo.h"
#include "vdgpu_device.h"
#include "vdgpu_drv.h"
#include "vdgpu_query.h"
#include "vdgpu_region.h"
#include "vdgpu_regs.h"
#include "vdgpu_vm.h"

/**
 * DOC: Query
 *
 * &DRM_IOCTL_VDGPU_QUERY answers from what the device was set up with, and
 * for memory usage from a snapshot of the managers.  Each item is built in
 * a kernel buffer of its full size and copied out in one go, so a short or
 * faulting user buffer never sees half an answer.
 */

struct vdgpu_query_item {
	/* Bytes the item needs. */
	size_t (*size)(struct vdgpu_device *vdev);
	/* Fills @buf, zeroed and of size() bytes. */
	void (*fill)(struct vdgpu_device *vdev, void *buf);
};

static const struct {
	u16 engine_class;
	u16 instance;
} vdgpu_query_engine_ids[VDGPU_NUM_ENGINES] = {
	[VDGPU_ENGINE_COPY0] = { DRM_VDGPU_ENGINE_CLASS_COPY, 0 },
	[VDGPU_ENGINE_COPY1] = { DRM_VDGPU_ENGINE_CLASS_COPY, 1 },
	[VDGPU_ENGINE_COMPUTE] = { DRM_VDGPU_ENGINE_CLASS_COMPUTE, 0 },
};

static size_t vdgpu_query_device_size(struct vdgpu_device *vdev)
{
	return sizeof(struct drm_vdgpu_query_device);
}

static void vdgpu_query_device_fill(struct vdgpu_device *vdev, void *buf)
{
	struct drm_vdgpu_query_device *q = buf;

	q->uapi_major = VDGPU_DRIVER_MAJOR;
	q->uapi_minor = VDGPU_DRIVER_MINOR;
	q->num_mem_regions = VDGPU_NUM_REGIONS;
	q->num_engines = VDGPU_NUM_ENGINES;
	q->min_alignment = PAGE_SIZE;
	q->max_object_size = vdgpu_gem_max_object_size(vdev);
	q->max_regions = VDGPU_NUM_REGIONS;
	q->va_end = VDGPU_VM_VA_END;
	q->va_kernel_start = VDGPU_VM_KERNEL_START;
	q->va_page_sizes = VDGPU_VM_PAGE_SIZES;
}

static size_t vdgpu_query_regions_size(struct vdgpu_device *vdev)
{
	return struct_size_t(struct drm_vdgpu_query_mem_regions, regions,
			     VDGPU_NUM_REGIONS);
}

static void vdgpu_query_regions_fill(struct vdgpu_device *vdev, void *buf)
{
	struct drm_vdgpu_query_mem_regions *q = buf;
	struct vdgpu_region_usage u;
	u32 i;

	q->num_regions = VDGPU_NUM_REGIONS;
	q->region_size = sizeof(q->regions[0]);
	for (i = 0; i < VDGPU_NUM_REGIONS; i++) {
		const struct vdgpu_region *r = vdgpu_region_get(vdev, i);
		struct drm_vdgpu_mem_region *out = &q->regions[i];

		vdgpu_region_usage(vdev, r, &u);
		out->id = r->id;
		out->mem_class = r->mem_class;
		out->instance = r->instance;
		out->min_page_size = r->min_page_size;
		out->total_size = r->total;
		out->used = u.used;
		out->cpu_visible_size = r->cpu_visible;
		out->cpu_visible_used = u.cpu_visible_used;
	}
}

static size_t vdgpu_query_engines_size(struct vdgpu_device *vdev)
{
	return struct_size_t(struct drm_vdgpu_query_engines, engines,
			     VDGPU_NUM_ENGINES);
}

static void vdgpu_query_engines_fill(struct vdgpu_device *vdev, void *buf)
{
	struct drm_vdgpu_query_engines *q = buf;
	u32 i;

	q->num_engines = VDGPU_NUM_ENGINES;
	q->engine_size = sizeof(q->engines[0]);
	for (i = 0; i < VDGPU_NUM_ENGINES; i++) {
		q->engines[i].engine_class =
			vdgpu_query_engine_ids[i].engine_class;
		q->engines[i].instance = vdgpu_query_engine_ids[i].instance;
	}
}

static const struct vdgpu_query_item vdgpu_query_items[] = {
	[DRM_VDGPU_QUERY_DEVICE] = {
		vdgpu_query_device_size, vdgpu_query_device_fill
	},
	[DRM_VDGPU_QUERY_MEM_REGIONS] = {
		vdgpu_query_regions_size, vdgpu_query_regions_fill
	},
	[DRM_VDGPU_QUERY_ENGINES] = {
		vdgpu_query_engines_size, vdgpu_query_engines_fill
	},
};

/**
 * vdgpu_query_ioctl() - &DRM_IOCTL_VDGPU_QUERY
 * @drm: the device
 * @data: &struct drm_vdgpu_query, copied in by the DRM core
 * @file: the caller's file
 *
 * Context: Process context, may sleep; takes the memory managers' locks.
 * Return: 0, -EINVAL for a malformed request or a buffer too small, -EFAULT
 * when the buffer cannot be written, -ENOMEM.
 */
int vdgpu_query_ioctl(struct drm_device *drm, void *data,
		      struct drm_file *file)
{
	struct vdgpu_device *vdev = to_vdgpu_device(drm);
	struct drm_vdgpu_query *args = data;
	const struct vdgpu_query_item *item;
	size_t size;
	void *buf;
	int ret = 0;

	if (args->extensions || args->reserved[0] || args->reserved[1])
		return -EINVAL;
	if (args->query >= ARRAY_SIZE(vdgpu_query_items))
		return -EINVAL;
	item = &vdgpu_query_items[args->query];

	size = item->size(vdev);
	if (!args->size) {
		args->size = size;
		return 0;
	}
	if (args->size < size)
		return -EINVAL;

	buf = kzalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	item->fill(vdev, buf);
	if (copy_to_user(u64_to_user_ptr(args->data), buf, size))
		ret = -EFAULT;
	else
		args->size = size;
	kfree(buf);
	return ret;
}
