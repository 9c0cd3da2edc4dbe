// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-resv.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bench.h"
#include "vdgpu_bo.h"
#include "vdgpu_debugfs.h"
#include "vdgpu_device.h"
#include "vdgpu_migrate.h"
#include "vdgpu_mmio.h"
#include "vdgpu_region.h"
#include "vdgpu_shrinker.h"
#include "vdgpu_ttm.h"
#include "vdgpu_exec.h"
#include "vdgpu_vm.h"

/**
 * DOC: debugfs
 *
 * The device's files live in the DRM debugfs directory of its primary node,
 * /sys/kernel/debug/dri/<minor>/.  Their format is for people and test
 * scripts, not a stable ABI.
 *
 * regions
 *	One line per memory region:
 *	``name=<name> type=<vram|gtt|system> total=<bytes> visible=<bytes>
 *	usable=<bytes> usable_visible=<bytes> used=<bytes>
 *	visible_used=<bytes>``: total and visible are the hardware's (visible
 *	is what the CPU can reach directly, the BAR window for VRAM), usable
 *	and usable_visible what buffer objects can use of them (the memory
 *	region of the uAPI), used and visible_used what they use now.
 *
 * engines
 *	One line per engine: ``name=<name> status=<hex> head=<bytes>
 *	tail=<bytes> seqno=<last completed> next=<next to emit>
 *	resets=<count>``, with status the raw STATUS register.
 *
 * migrate
 *	The blitter's counters: a line per copy engine, ``<name>
 *	copied=<bytes> cleared=<bytes> jobs=<count>``, then
 *	``timeouts=<count>``.
 *
 * memory
 *	The memory manager's counters on one line: ``evictions=<count>
 *	purges=<count> vram_to_gtt=<bytes> gtt_to_vram=<bytes>
 *	vram_to_vram=<bytes> vram_cleared=<bytes>
 *	vram_clear_skipped=<bytes> memcpy_fallbacks=<count>``; then the
 *	shrinker's:
 *	``shrinkable=<pages> purged=<pages> swapped_out=<pages>
 *	swapped_in=<pages>``.
 *
 * vram_mm, gtt_mm
 *	The VRAM and GTT managers' state, as their debug callbacks print it:
 *	for VRAM the buddy allocator's free lists, sizes and the visible
 *	window's usage; for GTT the aperture's ranges.
 *
 * vms
 *	Every VM of every open file with its mappings, a block per VM:
 *	``client <drm-client-id> vm <id> mappings <n> page_tables <n>``,
 *	then a line per mapping, ``0x<start> 0x<end> <rw|ro> offset
 *	0x<offset> size 0x<object size> region <id> 4k <n> 64k <n> 2m <n>``
 *	(see vm_bind.rst).
 *
 * objects
 *	What the driver has allocated, on one line: ``bos=<n> vms=<n>
 *	queues=<n>``, buffer objects (page tables and other objects of the
 *	driver's own included), VMs and exec queues not yet freed.  Objects
 *	and queues are freed once idle, so the counts can lag behind the
 *	ioctls that close them.
 *
 * error_state
 *	The last batches that faulted or hung: ``errors <count>``, then a
 *	line each, oldest first, ``<seconds> client <id> queue <id> error
 *	<errno>``, with `` fault 0x<address> <read|write> <reason>`` for a
 *	page fault and `` code <ERROR_CODE>`` for a malformed command.
 *
 * vram_map
 *	Every block of the VRAM manager, sorted by offset, tiling its range
 *	exactly.  A header, ``vram size=<bytes> visible=<bytes>
 *	base=0x<hex> min_page=<bytes>``, with base the device address of the
 *	managed range (offsets below are relative to it) and min_page its
 *	smallest block; then a line per gpu_buddy block, free ones as
 *	``0x<start> 0x<size> free <clear|dirty>`` (clear: known to hold
 *	zeroes) and allocated ones as ``0x<start> 0x<size> used
 *	client=<id> kind=<user|kernel> bo=<id>``: the creating DRM client (0
 *	for the kernel) and the object's id, or ``client=0 kind=kernel
 *	bo=0`` for the old memory of a pipelined move, held by a TTM ghost
 *	object until the copy is done.
 *
 * gtt_map
 *	The same for the GTT aperture: ``gtt size=<bytes>``, then a line per
 *	allocated range, ``0x<start> 0x<size> used client=<id>
 *	kind=<user|kernel> bo=<id>``, and per hole between them,
 *	``0x<start> 0x<size> free``.
 *
 * lru
 *	TTM's LRU lists, in eviction order: for the vram, gtt and system
 *	managers in turn a line ``<manager> objects=<n>``, then the objects
 *	of priority 0, 1, 2 (purgeable, user, kernel), each list from its
 *	head, which TTM evicts first; last ``pinned objects=<n>`` and the
 *	objects TTM does not evict: the pinned ones, also those TTM has not
 *	taken off their LRU list yet (it does so at their next use), and
 *	those still on its pinned list after their last unpin (likewise).
 *	One line per object,
 *	``bo=<id> size=<bytes> client=<id> prio=<n> age_ms=<ms>``, with the
 *	age since it was last created, moved, validated for the GPU or the
 *	CPU, or faulted (0 for a ghost object, with bo 0).
 *
 * bo_moves
 *	The move history of the objects that have memory (those on the LRU
 *	lists and pinned; a purged object shows again once it has memory),
 *	by id: ``bo=<id> client=<id> size=<bytes>``, then its last four
 *	moves, oldest first, ``  <seconds>.<microseconds> <from> -> <to>
 *	<reason> bytes=<n>``.  Times are CLOCK_MONOTONIC; from and to are
 *	system, gtt, vram, or none (no memory: new, purged, or swapped out
 *	to shmem); the reason is create (memory for an object without),
 *	validate, evict (TTM's: for room, suspend, or before a swap-out),
 *	swap-out, swap-in, purge or fault (a CPU fault moving the object
 *	where the CPU reaches it); bytes are what was copied, cleared or
 *	swapped, 0 when no data moved.  Which allocation an eviction made
 *	room for is not recorded: TTM 6.12 does not tell the driver.
 *
 * bench_moves, force_memcpy_moves
 *	Benchmark hooks; see "Benchmark hooks".
 *
 * The maps and lists are copied under the managers' locks and TTM's LRU
 * lock into memory allocated beforehand and printed after, so that a
 * reader holds up allocations and evictions only for the walk; bo_moves
 * takes each object's resv in turn, alone, to copy its history.
 */

/* How often a walk under a spinlock is retried when its copy is too small. */
#define VDGPU_DEBUGFS_TRIES	4

/* The LRU lists the lru file shows, in order, then the pinned list. */
static const u32 vdgpu_debugfs_lru_types[] = {
	TTM_PL_VRAM, TTM_PL_TT, TTM_PL_SYSTEM,
};

#define VDGPU_DEBUGFS_PINNED	ARRAY_SIZE(vdgpu_debugfs_lru_types)

static const char *const vdgpu_debugfs_move_reasons[] = {
	[VDGPU_BO_MOVE_CREATE] = "create",
	[VDGPU_BO_MOVE_VALIDATE] = "validate",
	[VDGPU_BO_MOVE_EVICT] = "evict",
	[VDGPU_BO_MOVE_SWAP_OUT] = "swap-out",
	[VDGPU_BO_MOVE_SWAP_IN] = "swap-in",
	[VDGPU_BO_MOVE_PURGE] = "purge",
	[VDGPU_BO_MOVE_FAULT] = "fault",
};

/* A TTM placement as the files name it. */
static const char *vdgpu_debugfs_mem_name(u32 mem_type)
{
	switch (mem_type) {
	case TTM_PL_SYSTEM:
		return "system";
	case TTM_PL_TT:
		return "gtt";
	case TTM_PL_VRAM:
		return "vram";
	default:
		return "none";
	}
}

/* The maps' vdgpu_region_owner_fn: under TTM's LRU lock. */
static void vdgpu_debugfs_owner(struct ttm_buffer_object *tbo,
				struct vdgpu_region_range *range)
{
	struct vdgpu_bo *bo;

	range->kernel = true;
	if (!tbo || !vdgpu_bo_is_vdgpu(tbo))
		return;
	bo = to_vdgpu_bo(tbo);
	range->bo_id = bo->id;
	range->client_id = bo->client_id;
	range->kernel = tbo->type == ttm_bo_type_kernel;
}

static void vdgpu_debugfs_print_range(struct drm_printer *p,
				      const struct vdgpu_region_range *r)
{
	switch (r->state) {
	case VDGPU_RANGE_USED:
		drm_printf(p, "0x%llx 0x%llx used client=%llu kind=%s bo=%llu\n",
			   r->start, r->size, r->client_id,
			   r->kernel ? "kernel" : "user", r->bo_id);
		break;
	case VDGPU_RANGE_FREE_CLEAR:
		drm_printf(p, "0x%llx 0x%llx free clear\n", r->start, r->size);
		break;
	case VDGPU_RANGE_FREE_DIRTY:
		drm_printf(p, "0x%llx 0x%llx free dirty\n", r->start, r->size);
		break;
	default:
		drm_printf(p, "0x%llx 0x%llx free\n", r->start, r->size);
		break;
	}
}

/**
 * vdgpu_debugfs_print_vram_map() - the body of the vram_map file
 * @vdev: the device
 * @p: where to print
 *
 * See "debugfs" for the format.
 *
 * Context: Process context, may sleep; takes the buddy lock and TTM's LRU
 * lock (vdgpu_vram_mgr_map()).
 * Return: 0 or -ENOMEM.
 */
int vdgpu_debugfs_print_vram_map(struct vdgpu_device *vdev,
				 struct drm_printer *p)
{
	struct vdgpu_vram_mgr *mgr = &vdev->vram_mgr;
	struct vdgpu_region_range *ranges;
	size_t n, i;
	int ret;

	ret = vdgpu_vram_mgr_map(mgr, vdgpu_debugfs_owner, &ranges, &n);
	if (ret)
		return ret;
	drm_printf(p, "vram size=%llu visible=%llu base=0x%llx min_page=%llu\n",
		   mgr->manager.size, mgr->visible_size, vdev->vram_base,
		   mgr->min_page_size);
	for (i = 0; i < n; i++)
		vdgpu_debugfs_print_range(p, &ranges[i]);
	kvfree(ranges);
	return 0;
}

/**
 * vdgpu_debugfs_print_gtt_map() - the body of the gtt_map file
 * @vdev: the device
 * @p: where to print
 *
 * See "debugfs" for the format.
 *
 * Context: Process context, may sleep; takes TTM's LRU lock and the GTT
 * manager's lock (vdgpu_gtt_mgr_map()).
 * Return: 0, -ENOMEM or -EAGAIN.
 */
int vdgpu_debugfs_print_gtt_map(struct vdgpu_device *vdev,
				struct drm_printer *p)
{
	struct vdgpu_gtt_mgr *mgr = &vdev->gtt_mgr;
	struct vdgpu_region_range *ranges;
	size_t n, i;
	int ret;

	ret = vdgpu_gtt_mgr_map(mgr, vdgpu_debugfs_owner, &ranges, &n);
	if (ret)
		return ret;
	drm_printf(p, "gtt size=%llu\n", mgr->manager.size << PAGE_SHIFT);
	for (i = 0; i < n; i++)
		vdgpu_debugfs_print_range(p, &ranges[i]);
	kvfree(ranges);
	return 0;
}

/* An object of the lru file, copied under TTM's LRU lock. */
struct vdgpu_debugfs_lru_entry {
	u64 bo_id;
	u64 client_id;
	u64 size;
	/* &vdgpu_bo.last_use, if @bo_id */
	unsigned long last_use;
	u32 prio;
	/* index in vdgpu_debugfs_lru_types, or VDGPU_DEBUGFS_PINNED */
	u32 list;
};

/* Which entries of a list vdgpu_debugfs_lru_add() takes. */
enum vdgpu_debugfs_lru_pick {
	VDGPU_DEBUGFS_UNPINNED,
	VDGPU_DEBUGFS_ONLY_PINNED,
	VDGPU_DEBUGFS_ALL,
};

/*
 * Appends the object of an LRU entry to @e as far as @max allows, if it
 * is a resource and @pick takes it; returns @n plus one if so.
 * &ttm_buffer_object.pin_count changes under the LRU lock.
 */
static size_t vdgpu_debugfs_lru_add(struct ttm_lru_item *item, u32 list,
				    u32 prio, enum vdgpu_debugfs_lru_pick pick,
				    struct vdgpu_debugfs_lru_entry *e,
				    size_t max, size_t n)
{
	struct ttm_buffer_object *tbo;
	struct ttm_resource *res;
	struct vdgpu_bo *bo;
	bool pinned;

	if (!ttm_lru_item_is_res(item))
		return n;
	res = ttm_lru_item_to_res(item);
	tbo = res->bo;
	pinned = tbo && tbo->pin_count;
	if ((pick == VDGPU_DEBUGFS_UNPINNED && pinned) ||
	    (pick == VDGPU_DEBUGFS_ONLY_PINNED && !pinned))
		return n;
	if (n >= max)
		return n + 1;
	e[n] = (struct vdgpu_debugfs_lru_entry){
		.size = res->size,
		.prio = prio,
		.list = list,
	};
	if (tbo && list == VDGPU_DEBUGFS_PINNED)
		e[n].prio = READ_ONCE(tbo->priority);
	if (tbo && vdgpu_bo_is_vdgpu(tbo)) {
		bo = to_vdgpu_bo(tbo);
		e[n].bo_id = bo->id;
		e[n].client_id = bo->client_id;
		e[n].size = tbo->base.size;
		e[n].last_use = READ_ONCE(bo->last_use);
	}
	return n + 1;
}

/* The entries of the LRU lists of the managers @pick takes. */
static size_t vdgpu_debugfs_lru_walk_managers(struct ttm_device *bdev,
					      enum vdgpu_debugfs_lru_pick pick,
					      struct vdgpu_debugfs_lru_entry *e,
					      size_t max, size_t n)
{
	struct ttm_resource_manager *man;
	struct ttm_lru_item *item;
	unsigned int i, prio;
	u32 list;

	lockdep_assert_held(&bdev->lru_lock);
	for (i = 0; i < ARRAY_SIZE(vdgpu_debugfs_lru_types); i++) {
		man = ttm_manager_type(bdev, vdgpu_debugfs_lru_types[i]);
		if (!man)
			continue;
		list = pick == VDGPU_DEBUGFS_UNPINNED ? i : VDGPU_DEBUGFS_PINNED;
		for (prio = 0; prio < TTM_MAX_BO_PRIORITY; prio++)
			list_for_each_entry(item, &man->lru[prio], link)
				n = vdgpu_debugfs_lru_add(item, list, prio,
							  pick, e, max, n);
	}
	return n;
}

/*
 * Copies the LRU lists into @e as far as @max allows; returns the count.
 * TTM moves a pinned object to its pinned list only at the object's next
 * use, and back at the next use after the last unpin: the pinned objects
 * still on an LRU list go with the pinned list, whose objects all stay
 * there, since TTM's eviction sees neither.
 */
static size_t vdgpu_debugfs_lru_walk(struct ttm_device *bdev,
				     struct vdgpu_debugfs_lru_entry *e,
				     size_t max)
{
	struct ttm_lru_item *item;
	size_t n;

	spin_lock(&bdev->lru_lock);
	n = vdgpu_debugfs_lru_walk_managers(bdev, VDGPU_DEBUGFS_UNPINNED, e,
					    max, 0);
	n = vdgpu_debugfs_lru_walk_managers(bdev, VDGPU_DEBUGFS_ONLY_PINNED,
					    e, max, n);
	list_for_each_entry(item, &bdev->pinned, link)
		n = vdgpu_debugfs_lru_add(item, VDGPU_DEBUGFS_PINNED, 0,
					  VDGPU_DEBUGFS_ALL, e, max, n);
	spin_unlock(&bdev->lru_lock);
	return n;
}

/**
 * vdgpu_debugfs_print_lru() - the body of the lru file
 * @vdev: the device
 * @p: where to print
 *
 * See "debugfs" for the format.
 *
 * Context: Process context, may sleep; takes TTM's LRU lock.
 * Return: 0, -ENOMEM, or -EAGAIN if the lists kept growing faster than
 * the copy could follow.
 */
int vdgpu_debugfs_print_lru(struct vdgpu_device *vdev, struct drm_printer *p)
{
	struct vdgpu_debugfs_lru_entry *e = NULL;
	size_t max = 0, n = 0, i, j;
	unsigned long now;
	unsigned int tries;
	u32 list;

	for (tries = 0; tries < VDGPU_DEBUGFS_TRIES; tries++) {
		n = vdgpu_debugfs_lru_walk(&vdev->ttm, e, max);
		if (e && n <= max)
			break;
		kvfree(e);
		max = n + n / 4 + 16;
		e = kvmalloc_array(max, sizeof(*e), GFP_KERNEL);
		if (!e)
			return -ENOMEM;
	}
	if (n > max) {
		kvfree(e);
		return -EAGAIN;
	}

	now = jiffies;
	for (i = 0, list = 0; list <= VDGPU_DEBUGFS_PINNED; list++) {
		for (j = i; j < n && e[j].list == list; j++)
			;
		drm_printf(p, "%s objects=%zu\n",
			   list == VDGPU_DEBUGFS_PINNED ? "pinned" :
			   vdgpu_debugfs_mem_name(vdgpu_debugfs_lru_types[list]),
			   j - i);
		for (; i < j; i++)
			drm_printf(p, "bo=%llu size=%llu client=%llu prio=%u age_ms=%u\n",
				   e[i].bo_id, e[i].size, e[i].client_id,
				   e[i].prio,
				   e[i].bo_id ?
				   jiffies_to_msecs(now - e[i].last_use) : 0);
	}
	kvfree(e);
	return 0;
}

/*
 * Appends to @bos, with a reference, the vdgpu object of an LRU entry, as
 * far as @max allows; returns @n plus one if there is one.
 */
static size_t vdgpu_debugfs_bos_add(struct ttm_lru_item *item,
				    struct vdgpu_bo **bos, size_t max,
				    size_t n)
{
	struct ttm_buffer_object *tbo;

	if (!ttm_lru_item_is_res(item))
		return n;
	tbo = ttm_lru_item_to_res(item)->bo;
	if (!tbo || !vdgpu_bo_is_vdgpu(tbo))
		return n;
	if (n >= max)
		return n + 1;
	/* One on its way out is skipped. */
	if (!ttm_bo_get_unless_zero(tbo))
		return n;
	bos[n] = to_vdgpu_bo(tbo);
	return n + 1;
}

/*
 * References the objects of the LRU lists and pinned into @bos as far as
 * @max allows; returns how many there are.  An object being moved has two
 * resources and appears twice.
 */
static size_t vdgpu_debugfs_bos_walk(struct ttm_device *bdev,
				     struct vdgpu_bo **bos, size_t max)
{
	struct ttm_resource_manager *man;
	struct ttm_lru_item *item;
	unsigned int i, prio;
	size_t n = 0;

	spin_lock(&bdev->lru_lock);
	for (i = 0; i < ARRAY_SIZE(vdgpu_debugfs_lru_types); i++) {
		man = ttm_manager_type(bdev, vdgpu_debugfs_lru_types[i]);
		if (!man)
			continue;
		for (prio = 0; prio < TTM_MAX_BO_PRIORITY; prio++)
			list_for_each_entry(item, &man->lru[prio], link)
				n = vdgpu_debugfs_bos_add(item, bos, max, n);
	}
	list_for_each_entry(item, &bdev->pinned, link)
		n = vdgpu_debugfs_bos_add(item, bos, max, n);
	spin_unlock(&bdev->lru_lock);
	return n;
}

static void vdgpu_debugfs_bos_put(struct vdgpu_bo **bos, size_t n)
{
	while (n--)
		ttm_bo_put(&bos[n]->tbo);
}

static int vdgpu_debugfs_bo_cmp(const void *a, const void *b)
{
	const struct vdgpu_bo *ba = *(struct vdgpu_bo * const *)a;
	const struct vdgpu_bo *bb = *(struct vdgpu_bo * const *)b;

	if (ba->id == bb->id)
		return 0;
	return ba->id < bb->id ? -1 : 1;
}

/*
 * Every vdgpu object with memory, referenced, once each, sorted by id;
 * put with vdgpu_debugfs_bos_put() and kvfree().
 */
static int vdgpu_debugfs_get_bos(struct vdgpu_device *vdev,
				 struct vdgpu_bo ***out, size_t *count)
{
	struct vdgpu_bo **bos = NULL;
	size_t max = 0, n = 0, i, j;
	unsigned int tries;

	for (tries = 0; tries < VDGPU_DEBUGFS_TRIES; tries++) {
		n = vdgpu_debugfs_bos_walk(&vdev->ttm, bos, max);
		if (bos && n <= max)
			break;
		vdgpu_debugfs_bos_put(bos, min(n, max));
		kvfree(bos);
		max = n + n / 4 + 16;
		bos = kvmalloc_array(max, sizeof(*bos), GFP_KERNEL);
		if (!bos)
			return -ENOMEM;
	}
	if (n > max) {
		vdgpu_debugfs_bos_put(bos, max);
		kvfree(bos);
		return -EAGAIN;
	}

	sort(bos, n, sizeof(*bos), vdgpu_debugfs_bo_cmp, NULL);
	for (i = 0, j = 0; i < n; i++) {
		if (j && bos[j - 1] == bos[i])
			ttm_bo_put(&bos[i]->tbo);
		else
			bos[j++] = bos[i];
	}
	*out = bos;
	*count = j;
	return 0;
}

/**
 * vdgpu_debugfs_print_bo_moves() - the body of the bo_moves file
 * @vdev: the device
 * @p: where to print
 *
 * See "debugfs" for the format.
 *
 * Context: Process context, may sleep; takes TTM's LRU lock, then each
 * object's resv in turn, interruptibly, with nothing else held.
 * Return: 0, -ENOMEM, -EAGAIN, or -EINTR on a signal.
 */
int vdgpu_debugfs_print_bo_moves(struct vdgpu_device *vdev,
				 struct drm_printer *p)
{
	struct vdgpu_bo_move moves[VDGPU_BO_MOVE_HISTORY];
	const struct vdgpu_bo_move *m;
	struct timespec64 ts;
	struct vdgpu_bo **bos;
	size_t n, i;
	u32 num, k;
	int ret;

	ret = vdgpu_debugfs_get_bos(vdev, &bos, &n);
	if (ret)
		return ret;

	for (i = 0; i < n; i++) {
		ret = dma_resv_lock_interruptible(bos[i]->tbo.base.resv, NULL);
		if (ret)
			break;
		num = bos[i]->num_moves;
		memcpy(moves, bos[i]->moves, sizeof(moves));
		dma_resv_unlock(bos[i]->tbo.base.resv);
		if (!num)
			continue;

		drm_printf(p, "bo=%llu client=%llu size=%zu\n", bos[i]->id,
			   bos[i]->client_id, bos[i]->tbo.base.size);
		k = num > VDGPU_BO_MOVE_HISTORY ? num - VDGPU_BO_MOVE_HISTORY : 0;
		for (; k < num; k++) {
			m = &moves[k % VDGPU_BO_MOVE_HISTORY];
			ts = ktime_to_timespec64(m->time);
			drm_printf(p, "  %lld.%06ld %s -> %s %s bytes=%llu\n",
				   (long long)ts.tv_sec, ts.tv_nsec / NSEC_PER_USEC,
				   vdgpu_debugfs_mem_name(m->from),
				   vdgpu_debugfs_mem_name(m->to),
				   vdgpu_debugfs_move_reasons[m->reason],
				   m->bytes);
		}
	}
	vdgpu_debugfs_bos_put(bos, n);
	kvfree(bos);
	return ret;
}

static int vdgpu_debugfs_regions(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct vdgpu_device *vdev = to_vdgpu_device(entry->dev);
	const struct vdgpu_params *p = &vdev->params;
	u64 sysmem = (u64)totalram_pages() << PAGE_SHIFT;
	static const struct {
		u32 id;
		const char *type;
	} rows[] = {
		{ DRM_VDGPU_REGION_VRAM0, "vram" },
		{ DRM_VDGPU_REGION_GTT, "gtt" },
		{ DRM_VDGPU_REGION_SYSTEM, "system" },
	};
	struct vdgpu_region_usage u;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct vdgpu_region *r = vdgpu_region_get(vdev, rows[i].id);
		u64 total, visible;

		switch (r->mem_class) {
		case DRM_VDGPU_MEM_CLASS_VRAM:
			total = p->vram_size;
			visible = p->visible_vram_size;
			break;
		case DRM_VDGPU_MEM_CLASS_GTT:
			total = p->gart_size;
			visible = p->gart_size;
			break;
		default:
			total = sysmem;
			visible = sysmem;
			break;
		}
		vdgpu_region_usage(vdev, r, &u);
		seq_printf(m, "name=%s type=%s total=%llu visible=%llu usable=%llu usable_visible=%llu used=%llu visible_used=%llu\n",
			   r->name, rows[i].type, total, visible, r->total,
			   r->cpu_visible, u.used, u.cpu_visible_used);
	}
	return 0;
}

static int vdgpu_debugfs_engines(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct vdgpu_device *vdev = to_vdgpu_device(entry->dev);
	unsigned int i;
	int idx;

	if (!drm_dev_enter(&vdev->drm, &idx))
		return -ENODEV;
	for (i = 0; i < VDGPU_NUM_ENGINES; i++) {
		struct vdgpu_engine *e = &vdev->engines[i];
		u32 base = VDGPU_ENGINE_BASE(i);

		seq_printf(m, "name=%s status=0x%x head=%u tail=%u seqno=%u next=%u resets=%d\n",
			   e->name,
			   vdgpu_mmio_read32(vdev, base + VDGPU_ENGINE_STATUS),
			   vdgpu_mmio_read32(vdev, base + VDGPU_ENGINE_RING_HEAD),
			   vdgpu_mmio_read32(vdev, base + VDGPU_ENGINE_RING_TAIL),
			   le32_to_cpu(READ_ONCE(*e->seqno)),
			   READ_ONCE(e->next_seqno), atomic_read(&e->resets));
	}
	drm_dev_exit(idx);
	return 0;
}

static int vdgpu_debugfs_migrate(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct drm_printer p = drm_seq_file_printer(m);

	vdgpu_migrate_print(to_vdgpu_device(entry->dev), &p);
	return 0;
}

static int vdgpu_debugfs_memory(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct drm_printer p = drm_seq_file_printer(m);

	vdgpu_ttm_stats_print(to_vdgpu_device(entry->dev), &p);
	vdgpu_shrinker_print(to_vdgpu_device(entry->dev), &p);
	return 0;
}

static int vdgpu_debugfs_mm(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct vdgpu_device *vdev = to_vdgpu_device(entry->dev);
	struct drm_printer p = drm_seq_file_printer(m);
	u32 mem_type = (uintptr_t)entry->file.data;

	ttm_resource_manager_debug(ttm_manager_type(&vdev->ttm, mem_type), &p);
	return 0;
}

static int vdgpu_debugfs_objects(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct vdgpu_device *vdev = to_vdgpu_device(entry->dev);

	seq_printf(m, "bos=%d vms=%d queues=%d\n",
		   atomic_read(&vdev->num_bos), atomic_read(&vdev->num_vms),
		   atomic_read(&vdev->exec.queues));
	return 0;
}

static int vdgpu_debugfs_error_state(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct drm_printer p = drm_seq_file_printer(m);

	vdgpu_exec_print_errors(to_vdgpu_device(entry->dev), &p);
	return 0;
}

static int vdgpu_debugfs_vram_map(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct drm_printer p = drm_seq_file_printer(m);

	return vdgpu_debugfs_print_vram_map(to_vdgpu_device(entry->dev), &p);
}

static int vdgpu_debugfs_gtt_map(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct drm_printer p = drm_seq_file_printer(m);

	return vdgpu_debugfs_print_gtt_map(to_vdgpu_device(entry->dev), &p);
}

static int vdgpu_debugfs_lru(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct drm_printer p = drm_seq_file_printer(m);

	return vdgpu_debugfs_print_lru(to_vdgpu_device(entry->dev), &p);
}

static int vdgpu_debugfs_bo_moves(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct drm_printer p = drm_seq_file_printer(m);

	return vdgpu_debugfs_print_bo_moves(to_vdgpu_device(entry->dev), &p);
}

static int vdgpu_debugfs_vms(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct drm_printer p = drm_seq_file_printer(m);

	return vdgpu_vm_debugfs_print(to_vdgpu_device(entry->dev), &p);
}

/**
 * vdgpu_debugfs_init() - declare the device's debugfs files
 * @vdev: the device, not yet registered
 *
 * The files appear when the DRM device is registered and go with it.
 *
 * Context: Process context; before drm_dev_register().
 */
void vdgpu_debugfs_init(struct vdgpu_device *vdev)
{
	drm_debugfs_add_file(&vdev->drm, "regions", vdgpu_debugfs_regions, NULL);
	drm_debugfs_add_file(&vdev->drm, "engines", vdgpu_debugfs_engines, NULL);
	drm_debugfs_add_file(&vdev->drm, "migrate", vdgpu_debugfs_migrate, NULL);
	drm_debugfs_add_file(&vdev->drm, "memory", vdgpu_debugfs_memory, NULL);
	drm_debugfs_add_file(&vdev->drm, "vram_mm", vdgpu_debugfs_mm,
			     (void *)(uintptr_t)TTM_PL_VRAM);
	drm_debugfs_add_file(&vdev->drm, "gtt_mm", vdgpu_debugfs_mm,
			     (void *)(uintptr_t)TTM_PL_TT);
	drm_debugfs_add_file(&vdev->drm, "vram_map", vdgpu_debugfs_vram_map,
			     NULL);
	drm_debugfs_add_file(&vdev->drm, "gtt_map", vdgpu_debugfs_gtt_map, NULL);
	drm_debugfs_add_file(&vdev->drm, "lru", vdgpu_debugfs_lru, NULL);
	drm_debugfs_add_file(&vdev->drm, "bo_moves", vdgpu_debugfs_bo_moves,
			     NULL);
	drm_debugfs_add_file(&vdev->drm, "vms", vdgpu_debugfs_vms, NULL);
	drm_debugfs_add_file(&vdev->drm, "objects", vdgpu_debugfs_objects, NULL);
	drm_debugfs_add_file(&vdev->drm, "error_state",
			     vdgpu_debugfs_error_state, NULL);
	vdgpu_bench_debugfs_init(vdev);
}
