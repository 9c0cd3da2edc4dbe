// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-fence.h>
#include <linux/err.h>
#include <linux/gpu_buddy.h>
#include <linux/slab.h>

#include <drm/drm_print.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>

#include "vdgpu_device.h"
#include "vdgpu_engine.h"
#include "vdgpu_gart.h"
#include "vdgpu_gtt_mgr.h"
#include "vdgpu_migrate.h"
#include "vdgpu_vram_mgr.h"

/**
 * DOC: Migration
 *
 * Moves and clears of buffer object memory run on a copy engine, as COPY
 * and FILL packets on device physical addresses: VRAM blocks at their
 * offsets, GTT resources through their range of the GTT aperture (bound by
 * the caller before the copy).  A resource is walked as a list of
 * contiguous runs, VRAM's buddy blocks or GTT's single range, and source and
 * destination runs are paired up so that each packet covers the longest
 * stretch contiguous on both sides.  Packets go to the ring in batches;
 * the engine executes its ring in order, so the fence of the last batch
 * covers the whole operation and is the one returned.
 *
 * The caller makes sure the memory is idle before (today by waiting for the
 * object's fences) and keeps both resources alive until the fence signals,
 * which ttm_bo_move_accel_cleanup() does.
 *
 * Only copy engine 0 is used for now; spreading large moves over both copy
 * engines, and asynchronous dependencies instead of CPU waits, come with
 * the eviction work.
 */

/* Dwords per ring submission: 64 COPY packets with their headers. */
#define VDGPU_MIGRATE_PKT_DW	(1 + VDGPU_PKT_COPY_LEN)
#define VDGPU_MIGRATE_BATCH_DW	(64 * VDGPU_MIGRATE_PKT_DW)

struct vdgpu_migrate_cursor {
	struct ttm_resource *res;
	struct vdgpu_device *vdev;
	/* VRAM: the current block; NULL for a GTT resource. */
	struct gpu_buddy_block *block;
	u64 addr;	/* device address of the current position */
	u64 left;	/* bytes left in the current run */
	u64 total;	/* bytes left in the whole resource */
};

static void vdgpu_migrate_cursor_block(struct vdgpu_migrate_cursor *c)
{
	struct vdgpu_vram_mgr *mgr = &c->vdev->vram_mgr;

	c->addr = c->vdev->vram_base + gpu_buddy_block_offset(c->block);
	c->left = min(gpu_buddy_block_size(&mgr->mm, c->block), c->total);
}

static void vdgpu_migrate_cursor_init(struct vdgpu_migrate_cursor *c,
				      struct vdgpu_device *vdev,
				      struct ttm_resource *res)
{
	c->res = res;
	c->vdev = vdev;
	c->total = res->size;
	if (res->mem_type == TTM_PL_VRAM) {
		c->block = list_first_entry(&to_vdgpu_vram_mgr_resource(res)->blocks,
					    struct gpu_buddy_block, link);
		vdgpu_migrate_cursor_block(c);
	} else {
		c->block = NULL;
		c->addr = vdgpu_gart_gpu_addr(vdgpu_gtt_mgr_resource_page(res));
		c->left = c->total;
	}
}

static void vdgpu_migrate_cursor_next(struct vdgpu_migrate_cursor *c, u64 n)
{
	c->addr += n;
	c->left -= n;
	c->total -= n;
	if (!c->left && c->total) {
		c->block = list_next_entry(c->block, link);
		vdgpu_migrate_cursor_block(c);
	}
}

/* Submits @n dwords and replaces *@last with the new fence. */
static int vdgpu_migrate_submit(struct vdgpu_engine *e, const u32 *dw, u32 n,
				struct dma_fence **last)
{
	struct dma_fence *fence;
	int ret;

	ret = vdgpu_engine_submit(e, dw, n, &fence);
	if (ret)
		return ret;
	dma_fence_put(*last);
	*last = fence;
	return 0;
}

/*
 * Emits one packet per step of @emit until both cursors are done (for a
 * clear, only @dst).  Returns the last fence or an ERR_PTR; on error the
 * packets already submitted still run, and the caller waits for the
 * object's fences before touching the memory again.
 */
static struct dma_fence *
vdgpu_migrate_run(struct vdgpu_device *vdev, struct vdgpu_migrate_cursor *src,
		  struct vdgpu_migrate_cursor *dst)
{
	struct vdgpu_engine *e = &vdev->engines[VDGPU_ENGINE_COPY0];
	struct dma_fence *last = NULL;
	u32 *dw, n = 0;
	int ret = 0;
	u64 len;

	dw = kmalloc_array(VDGPU_MIGRATE_BATCH_DW, sizeof(*dw), GFP_KERNEL);
	if (!dw)
		return ERR_PTR(-ENOMEM);

	while (dst->total) {
		len = src ? min(src->left, dst->left) : dst->left;
		if (src)
			n += vdgpu_engine_pkt_copy(dw + n, 0, 0, src->addr,
						   dst->addr, len);
		else
			n += vdgpu_engine_pkt_fill(dw + n, 0, 0, dst->addr, len,
						   0);
		if (src)
			vdgpu_migrate_cursor_next(src, len);
		vdgpu_migrate_cursor_next(dst, len);

		if (n + VDGPU_MIGRATE_PKT_DW > VDGPU_MIGRATE_BATCH_DW ||
		    !dst->total) {
			ret = vdgpu_migrate_submit(e, dw, n, &last);
			if (ret)
				break;
			n = 0;
		}
	}
	kfree(dw);

	if (ret) {
		dma_fence_put(last);
		return ERR_PTR(ret);
	}
	return last;
}

/**
 * vdgpu_migrate_copy() - copy one resource's contents into another
 * @vdev: the device
 * @src: the source, in VRAM or GTT (bound)
 * @dst: the destination, in VRAM or GTT (bound), of the same size
 *
 * Context: Process context, may sleep for ring space; no locks of the
 * fence-signalling path held.
 * Return: the fence of the copy, or an ERR_PTR: -ENOMEM, or the engine's
 * submission error (-ENODEV after teardown).
 */
struct dma_fence *vdgpu_migrate_copy(struct vdgpu_device *vdev,
				     struct ttm_resource *src,
				     struct ttm_resource *dst)
{
	struct vdgpu_migrate_cursor s, d;

	if (drm_WARN_ON(&vdev->drm, src->size != dst->size))
		return ERR_PTR(-EINVAL);
	vdgpu_migrate_cursor_init(&s, vdev, src);
	vdgpu_migrate_cursor_init(&d, vdev, dst);
	return vdgpu_migrate_run(vdev, &s, &d);
}

/**
 * vdgpu_migrate_clear() - fill a resource with zeroes
 * @vdev: the device
 * @dst: the resource, in VRAM or GTT (bound)
 *
 * Context: Process context, may sleep for ring space.
 * Return: the fence of the clear, or an ERR_PTR as for vdgpu_migrate_copy().
 */
struct dma_fence *vdgpu_migrate_clear(struct vdgpu_device *vdev,
				      struct ttm_resource *dst)
{
	struct vdgpu_migrate_cursor d;

	vdgpu_migrate_cursor_init(&d, vdev, dst);
	return vdgpu_migrate_run(vdev, NULL, &d);
}
