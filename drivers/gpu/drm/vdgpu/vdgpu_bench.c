// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/debugfs.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bench.h"
#include "vdgpu_bo.h"
#include "vdgpu_device.h"
#include "vdgpu_migrate.h"

/**
 * DOC: Benchmark hooks
 *
 * Two files of the device's debugfs directory serve ``make bench`` (see
 * Documentation/gpu/vdgpu/performance.rst).  Like the rest of debugfs they
 * are for people and scripts, not a stable ABI, and they need root.
 *
 * bench_moves
 *	An in-kernel benchmark of the blitter, in the shape of amdgpu's.
 *	Writing ``blit <src> <dst> <bytes> <count>``, with <src> and <dst>
 *	each ``vram`` or ``gtt``, creates two pinned kernel objects of <bytes>
 *	in those regions, copies the first into the second once to warm up,
 *	then <count> times with vdgpu_migrate_copy(), waiting for each copy
 *	before queuing the next, and times the <count> copies.  Writing
 *	``memcpy <bytes> <count>`` times the CPU copying between two sets of
 *	system pages as often, a page at a time with copy_page() as the
 *	model's copy engines do: the reference the blitter is measured
 *	against.  The write
 *	returns when the run is over, with its error if it failed.  Reading
 *	gives the last successful run: ``op=<blit|memcpy> src=<src> dst=<dst>
 *	bytes=<bytes> count=<count> ns=<nanoseconds>``, or nothing before the
 *	first.  <bytes> is a multiple of the page size up to 256 MiB and
 *	<count> is 1 to 1024.  Runs are serialised; a signal ends one early
 *	with -EINTR.
 *
 * force_memcpy_moves (bool, default N)
 *	While set, the moves and clears of buffer objects that would be
 *	queued on the copy engines are made by the CPU instead, synchronously,
 *	as when a copy engine is wedged (vdgpu_migrate_cpu(), counted as
 *	memcpy_fallbacks in ``memory``).  The benchmark compares eviction with
 *	and without it to show what the asynchronous, pipelined blitter buys.
 *	Moves of VRAM outside the CPU-visible window fail with -EIO while it is
 *	set.  A debugging knob, not for production.
 */

#define VDGPU_BENCH_MAX_BYTES	SZ_256M
#define VDGPU_BENCH_MAX_COUNT	1024
/* How much the memcpy reference copies between checks for signals. */
#define VDGPU_BENCH_RESCHED	SZ_1M

/**
 * struct vdgpu_bench - the state behind bench_moves
 *
 * Allocated with the &drm_device, whose debugfs directory holds the files.
 */
struct vdgpu_bench {
	/** @vdev: the device */
	struct vdgpu_device *vdev;
	/** @lock: serialises runs and protects @result */
	struct mutex lock;
	/** @result: the last successful run, as the file reads */
	char result[128];
};

/* A pinned, idle kernel object of @bytes in @region. */
static int vdgpu_bench_bo_create(struct vdgpu_device *vdev, u32 region,
				 u64 bytes, struct vdgpu_bo **out)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct vdgpu_bo *bo;
	long timeout;
	int ret;

	ret = vdgpu_bo_create(vdev, bytes, &region, 1, 0, ttm_bo_type_kernel,
			      &bo);
	if (ret)
		return ret;

	ret = dma_resv_lock_interruptible(bo->tbo.base.resv, NULL);
	if (ret)
		goto err_put;
	ret = vdgpu_bo_pin(bo, &ctx);
	dma_resv_unlock(bo->tbo.base.resv);
	if (ret)
		goto err_put;

	/* The clear of a new VRAM object. */
	timeout = dma_resv_wait_timeout(bo->tbo.base.resv,
					DMA_RESV_USAGE_BOOKKEEP, true,
					MAX_SCHEDULE_TIMEOUT);
	if (timeout < 0) {
		ret = timeout;
		goto err_unpin;
	}
	*out = bo;
	return 0;

err_unpin:
	dma_resv_lock(bo->tbo.base.resv, NULL);
	vdgpu_bo_unpin(bo);
	dma_resv_unlock(bo->tbo.base.resv);
err_put:
	vdgpu_bo_put(bo);
	return ret;
}

static void vdgpu_bench_bo_free(struct vdgpu_bo *bo)
{
	if (!bo)
		return;
	dma_resv_lock(bo->tbo.base.resv, NULL);
	vdgpu_bo_unpin(bo);
	dma_resv_unlock(bo->tbo.base.resv);
	vdgpu_bo_put(bo);
}

/*
 * One copy of @src into @dst on the blitter, waited for.  The wait is not
 * interruptible: neither object carries the fence, so neither may go while
 * the copy runs.
 */
static int vdgpu_bench_copy(struct vdgpu_device *vdev, struct vdgpu_bo *src,
			    struct vdgpu_bo *dst)
{
	struct dma_resv *resv = dst->tbo.base.resv;
	struct dma_fence *fence;
	int ret;

	ret = dma_resv_lock_interruptible(resv, NULL);
	if (ret)
		return ret;
	fence = vdgpu_migrate_copy(vdev, resv, src->tbo.resource,
				   dst->tbo.resource);
	dma_resv_unlock(resv);
	if (IS_ERR(fence))
		return PTR_ERR(fence);

	dma_fence_wait(fence, false);
	ret = fence->error;
	dma_fence_put(fence);
	return ret;
}

static int vdgpu_bench_blit(struct vdgpu_device *vdev, u32 src_region,
			    u32 dst_region, u64 bytes, unsigned int count,
			    u64 *ns)
{
	struct vdgpu_bo *src = NULL, *dst = NULL;
	unsigned int i;
	ktime_t start;
	int ret;

	ret = vdgpu_bench_bo_create(vdev, src_region, bytes, &src);
	if (ret)
		return ret;
	ret = vdgpu_bench_bo_create(vdev, dst_region, bytes, &dst);
	if (ret)
		goto out;

	ret = vdgpu_bench_copy(vdev, src, dst);
	if (ret)
		goto out;

	start = ktime_get();
	for (i = 0; i < count; i++) {
		if (signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
		ret = vdgpu_bench_copy(vdev, src, dst);
		if (ret)
			goto out;
	}
	*ns = ktime_to_ns(ktime_sub(ktime_get(), start));

out:
	vdgpu_bench_bo_free(dst);
	vdgpu_bench_bo_free(src);
	return ret;
}

static void vdgpu_bench_memcpy_pass(struct page **src, struct page **dst,
				    unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		void *s = kmap_local_page(src[i]);
		void *d = kmap_local_page(dst[i]);

		copy_page(d, s);
		kunmap_local(d);
		kunmap_local(s);
		if (!((i + 1) % (VDGPU_BENCH_RESCHED >> PAGE_SHIFT)))
			cond_resched();
	}
}

static int vdgpu_bench_memcpy(u64 bytes, unsigned int count, u64 *ns)
{
	unsigned long npages = bytes >> PAGE_SHIFT, i;
	struct page **pages;
	unsigned int n;
	ktime_t start;
	int ret = 0;

	/* Sources first, then destinations. */
	pages = kvcalloc(2 * npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < 2 * npages; i++) {
		pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!pages[i]) {
			ret = -ENOMEM;
			goto out;
		}
	}

	vdgpu_bench_memcpy_pass(pages, pages + npages, npages);
	start = ktime_get();
	for (n = 0; n < count; n++) {
		if (signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
		vdgpu_bench_memcpy_pass(pages, pages + npages, npages);
	}
	*ns = ktime_to_ns(ktime_sub(ktime_get(), start));

out:
	for (i = 0; i < 2 * npages && pages[i]; i++)
		__free_page(pages[i]);
	kvfree(pages);
	return ret;
}

static int vdgpu_bench_region(const char *name, u32 *region)
{
	if (!strcmp(name, "vram"))
		*region = DRM_VDGPU_REGION_VRAM0;
	else if (!strcmp(name, "gtt"))
		*region = DRM_VDGPU_REGION_GTT;
	else
		return -EINVAL;
	return 0;
}

static int vdgpu_bench_run(struct vdgpu_bench *b, const char *spec)
{
	struct vdgpu_device *vdev = b->vdev;
	char src[8] = "sys", dst[8] = "sys";
	u32 src_region, dst_region;
	unsigned int count;
	bool blit = true;
	u64 bytes, ns;
	int ret, idx;

	if (sscanf(spec, "blit %7s %7s %llu %u", src, dst, &bytes,
		   &count) != 4) {
		if (sscanf(spec, "memcpy %llu %u", &bytes, &count) != 2)
			return -EINVAL;
		blit = false;
	}
	if (!bytes || bytes > VDGPU_BENCH_MAX_BYTES || !PAGE_ALIGNED(bytes) ||
	    !count || count > VDGPU_BENCH_MAX_COUNT)
		return -EINVAL;
	if (blit && (vdgpu_bench_region(src, &src_region) ||
		     vdgpu_bench_region(dst, &dst_region)))
		return -EINVAL;

	ret = mutex_lock_interruptible(&b->lock);
	if (ret)
		return ret;
	if (!blit) {
		ret = vdgpu_bench_memcpy(bytes, count, &ns);
	} else if (drm_dev_enter(&vdev->drm, &idx)) {
		ret = vdgpu_bench_blit(vdev, src_region, dst_region, bytes,
				       count, &ns);
		drm_dev_exit(idx);
	} else {
		ret = -ENODEV;
	}
	if (!ret)
		snprintf(b->result, sizeof(b->result),
			 "op=%s src=%s dst=%s bytes=%llu count=%u ns=%llu\n",
			 blit ? "blit" : "memcpy", src, dst, bytes, count, ns);
	mutex_unlock(&b->lock);
	return ret;
}

static int vdgpu_bench_moves_show(struct seq_file *m, void *data)
{
	struct vdgpu_bench *b = m->private;
	int ret;

	ret = mutex_lock_interruptible(&b->lock);
	if (ret)
		return ret;
	seq_puts(m, b->result);
	mutex_unlock(&b->lock);
	return 0;
}

static int vdgpu_bench_moves_open(struct inode *inode, struct file *file)
{
	return single_open(file, vdgpu_bench_moves_show, inode->i_private);
}

static ssize_t vdgpu_bench_moves_write(struct file *file,
				       const char __user *ubuf, size_t len,
				       loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	char spec[64];
	int ret;

	if (len >= sizeof(spec))
		return -EINVAL;
	if (copy_from_user(spec, ubuf, len))
		return -EFAULT;
	spec[len] = '\0';

	ret = vdgpu_bench_run(m->private, spec);
	return ret ? ret : len;
}

static const struct file_operations vdgpu_bench_moves_fops = {
	.owner = THIS_MODULE,
	.open = vdgpu_bench_moves_open,
	.read = seq_read,
	.write = vdgpu_bench_moves_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/**
 * vdgpu_bench_debugfs_init() - create the benchmark hooks
 * @vdev: the device, not yet registered
 *
 * The files go into the &drm_device's debugfs directory, which exists from
 * drm_dev_init() on, and go with it.  Failures are ignored, as debugfs
 * wants.
 *
 * Context: Process context; probe.
 */
void vdgpu_bench_debugfs_init(struct vdgpu_device *vdev)
{
	struct dentry *root = vdev->drm.debugfs_root;
	struct vdgpu_bench *b;

	debugfs_create_bool("force_memcpy_moves", 0600, root,
			    &vdev->force_memcpy_moves);

	b = drmm_kzalloc(&vdev->drm, sizeof(*b), GFP_KERNEL);
	if (!b || drmm_mutex_init(&vdev->drm, &b->lock))
		return;
	b->vdev = vdev;
	debugfs_create_file("bench_moves", 0600, root, b,
			    &vdgpu_bench_moves_fops);
}
