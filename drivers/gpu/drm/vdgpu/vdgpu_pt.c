// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/dma-resv.h>
#include <linux/error-injection.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include <drm/drm_print.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bo.h"
#include "vdgpu_device.h"
#include "vdgpu_engine.h"
#include "vdgpu_migrate.h"
#include "vdgpu_pt.h"
#include "vdgpu_vram_mgr.h"

/**
 * DOC: Page tables
 *
 * A VM's page tables are the device's four-level tree (see "Page tables"
 * in the hardware manual), each table a 4 KiB buffer object in VRAM that
 * shares the VM's reservation object and is pinned for the VM's life, as
 * xe does: tables never move, so no directory entry ever needs rewriting
 * because a table moved, and eviction never has to reach into the tree.
 * Page tables are thus the one part of a VM that stays in VRAM; they cost
 * 1/512 of the mapped address space with 4 KiB pages.
 *
 * Every table has a CPU shadow of its entries, &vdgpu_pt.entries, the
 * contents the table will have once every queued update has executed.
 * Updates change the shadow and mark the entries dirty; vdgpu_pt_tree_emit()
 * turns the dirty entries into PT_WRITE packets for the first copy engine,
 * run as a job of the VM (see "VM_BIND").  The shadow is also what the
 * driver reads to answer where an address points (debugfs, tests), and
 * what is written back when VRAM lost its contents over suspend.
 *
 * Leaf entries are always rewritten a 2 MiB chunk (%VDGPU_PT_CHUNK, one
 * level 1 entry) at a time, from the VA tree: either one 2 MiB page, or the
 * chunk's 512 level 0 entries, 64 KiB groups among them.  Rewriting whole
 * chunks means a level 0 table that was out of use below a 2 MiB page never
 * comes back with stale entries.  A level 0 table exists below every chunk
 * that was ever mapped, even one mapped with a 2 MiB page, so that a
 * mapping can fall back to smaller pages after its object moved without
 * allocating in the path that rebinds it.  Tables are freed with the VM.
 */

/*
 * The most dwords one 2 MiB chunk's update emits (see vdgpu_pt_tree_emit()):
 * its level 0 table in runs at least VDGPU_PT_RUN_GAP + 1 apart, and an
 * entry of each level above, each a packet of its own at worst.  A whole
 * table: every entry, in as few packets as possible.
 */
#define VDGPU_PT_RUN_GAP	1
#define VDGPU_PT_CHUNK_DW	(2 * VDGPU_PT_ENTRIES + \
				 3 * (VDGPU_PT_ENTRIES / (VDGPU_PT_RUN_GAP + 2) + \
				      VDGPU_PT_ENTRIES / VDGPU_PKT_PT_WRITE_MAX_QW + 1) + \
				 3 * (3 + 2 + 2 * VDGPU_PT_RUN_GAP))
#define VDGPU_PT_TABLE_DW	(2 * VDGPU_PT_ENTRIES + \
				 3 * DIV_ROUND_UP(VDGPU_PT_ENTRIES, \
						  VDGPU_PKT_PT_WRITE_MAX_QW))

static unsigned int vdgpu_pt_index(u64 va, unsigned int level)
{
	return (va >> VDGPU_PT_SHIFT(level)) & (VDGPU_PT_ENTRIES - 1);
}

/**
 * vdgpu_pt_encode() - a leaf entry
 * @addr: the page's VRAM offset, or its bus address with @system
 * @system: @addr is a bus address
 * @writable: the GPU may write the page
 *
 * Context: Any.
 * Return: the entry, valid, without a page-size flag.
 */
u64 vdgpu_pt_encode(u64 addr, bool system, bool writable)
{
	return VDGPU_PTE_VALID | (addr & VDGPU_PTE_ADDR) |
	       (system ? VDGPU_PTE_SYSTEM : 0) |
	       (writable ? VDGPU_PTE_WRITABLE : 0);
}

static void vdgpu_pt_set(struct vdgpu_pt_tree *tree, struct vdgpu_pt *pt,
			 unsigned int index, u64 pte)
{
	if (pt->entries[index] == pte)
		return;
	pt->entries[index] = pte;
	__set_bit(index, pt->dirty);
	if (list_empty(&pt->dirty_link))
		list_add_tail(&pt->dirty_link, &tree->dirty);
}

static noinline struct vdgpu_pt *vdgpu_pt_alloc(struct vdgpu_pt_tree *tree,
						unsigned int level)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	const u32 region = DRM_VDGPU_REGION_VRAM0;
	struct vdgpu_device *vdev = tree->vdev;
	struct vdgpu_pt *pt;
	int ret;

	ret = vdgpu_inject_fail(vdev, VDGPU_INJECT_PT);
	if (ret)
		return ERR_PTR(ret);
	pt = kvzalloc(struct_size(pt, children, level ? VDGPU_PT_ENTRIES : 0),
		      GFP_KERNEL);
	if (!pt)
		return ERR_PTR(-ENOMEM);
	pt->level = level;
	INIT_LIST_HEAD(&pt->dirty_link);

	/* Created cleared, so every entry starts invalid, as the shadow. */
	ret = vdgpu_bo_create_locked(vdev, SZ_4K, &region, 1,
				     DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS,
				     ttm_bo_type_kernel, tree->resv, &pt->bo);
	if (ret)
		goto err_free;
	ret = vdgpu_bo_pin(pt->bo, &ctx);
	if (ret)
		goto err_put;
	pt->addr = vdev->vram_base +
		   vdgpu_vram_mgr_resource_offset(&vdev->vram_mgr,
						  pt->bo->tbo.resource, 0);
	tree->num_pts++;
	return pt;

err_put:
	vdgpu_bo_put(pt->bo);
err_free:
	kvfree(pt);
	return ERR_PTR(ret);
}
ALLOW_ERROR_INJECTION(vdgpu_pt_alloc, ERRNO);

static void vdgpu_pt_free(struct vdgpu_pt_tree *tree, struct vdgpu_pt *pt)
{
	unsigned int i;

	if (pt->level)
		for (i = 0; i < VDGPU_PT_ENTRIES; i++)
			if (pt->children[i])
				vdgpu_pt_free(tree, pt->children[i]);
	list_del(&pt->dirty_link);
	vdgpu_bo_unpin(pt->bo);
	vdgpu_bo_put(pt->bo);
	kvfree(pt);
	tree->num_pts--;
}

/**
 * vdgpu_pt_tree_init() - allocate a VM's root table
 * @tree: the tree to set up
 * @vdev: the device
 * @resv: the VM's reservation object, held
 *
 * Context: Process context, may sleep and evict.  Interruptible.
 * Return: 0, -ENOSPC, -ENOMEM, -EINTR or -ERESTARTSYS.
 */
int vdgpu_pt_tree_init(struct vdgpu_pt_tree *tree, struct vdgpu_device *vdev,
		       struct dma_resv *resv)
{
	struct vdgpu_pt *root;

	dma_resv_assert_held(resv);
	tree->vdev = vdev;
	tree->resv = resv;
	tree->num_pts = 0;
	INIT_LIST_HEAD(&tree->dirty);
	root = vdgpu_pt_alloc(tree, VDGPU_PT_LEVELS - 1);
	if (IS_ERR(root))
		return PTR_ERR(root);
	tree->root = root;
	return 0;
}

/**
 * vdgpu_pt_tree_fini() - free every table
 * @tree: the tree
 *
 * The tables' memory is released once the fences on the VM's resv, the
 * last update's among them, have signalled.
 *
 * Context: Process context; the VM's resv held.
 */
void vdgpu_pt_tree_fini(struct vdgpu_pt_tree *tree)
{
	dma_resv_assert_held(tree->resv);
	if (tree->root)
		vdgpu_pt_free(tree, tree->root);
	tree->root = NULL;
}

/**
 * vdgpu_pt_tree_prepare() - allocate the tables a range needs
 * @tree: the tree
 * @start: start of the range
 * @end: end of the range, exclusive, above @start
 *
 * Allocates the missing tables of every level down to 0 for each 2 MiB
 * chunk the range touches, without linking them into the device's tree:
 * that happens when an entry below them is written, so an error halfway
 * changes no translation.
 *
 * Context: Process context, may sleep and evict; the VM's resv held.
 * Return: 0, -ENOSPC, -ENOMEM, -EINTR or -ERESTARTSYS.
 */
int vdgpu_pt_tree_prepare(struct vdgpu_pt_tree *tree, u64 start, u64 end)
{
	struct vdgpu_pt *pt, *child;
	unsigned int level, i;
	u64 va;

	dma_resv_assert_held(tree->resv);
	for (va = ALIGN_DOWN(start, VDGPU_PT_CHUNK); va < end;
	     va += VDGPU_PT_CHUNK) {
		pt = tree->root;
		for (level = VDGPU_PT_LEVELS - 1; level > 0; level--) {
			i = vdgpu_pt_index(va, level);
			child = pt->children[i];
			if (!child) {
				child = vdgpu_pt_alloc(tree, level - 1);
				if (IS_ERR(child))
					return PTR_ERR(child);
				pt->children[i] = child;
			}
			pt = child;
		}
	}
	return 0;
}

/**
 * vdgpu_pt_tree_write_chunk() - set the translation of one 2 MiB chunk
 * @tree: the tree, prepared for the chunk
 * @va: the chunk's start, 2 MiB aligned
 * @huge: a 2 MiB leaf entry (with %VDGPU_PTE_HUGE) for the whole chunk, or
 * 0 to use @ptes
 * @ptes: the chunk's 512 level 0 entries, used when @huge is 0; all zero
 * unmaps the chunk
 *
 * Updates the shadow; the changes reach the device with the next
 * vdgpu_pt_tree_emit().
 *
 * Context: Any; the VM's resv held.  Allocates nothing.
 */
void vdgpu_pt_tree_write_chunk(struct vdgpu_pt_tree *tree, u64 va,
			       u64 huge, const u64 *ptes)
{
	struct vdgpu_pt *pt = tree->root, *path[VDGPU_PT_LEVELS];
	bool empty = !huge;
	unsigned int level, i;

	dma_resv_assert_held(tree->resv);
	for (i = 0; empty && i < VDGPU_PT_ENTRIES; i++)
		empty = !ptes[i];

	/* A chunk never mapped has no tables, and needs none to stay empty. */
	for (level = VDGPU_PT_LEVELS - 1; level > 0; level--) {
		path[level] = pt;
		pt = pt->children[vdgpu_pt_index(va, level)];
		if (!pt) {
			WARN_ON(!empty);
			return;
		}
	}
	path[0] = pt;

	for (level = VDGPU_PT_LEVELS - 1; level > 1; level--)
		vdgpu_pt_set(tree, path[level], vdgpu_pt_index(va, level),
			     path[level - 1]->addr | VDGPU_PTE_VALID);

	i = vdgpu_pt_index(va, 1);
	if (huge) {
		vdgpu_pt_set(tree, path[1], i, huge);
		return;
	}
	/*
	 * Every entry is set, including those of a chunk about to be
	 * unlinked: the table holds no stale entry when it is linked again.
	 */
	for (level = 0; level < VDGPU_PT_ENTRIES; level++)
		vdgpu_pt_set(tree, path[0], level, ptes[level]);
	vdgpu_pt_set(tree, path[1], i,
		     empty ? 0 : path[0]->addr | VDGPU_PTE_VALID);
}

static void vdgpu_pt_dirty_all(struct vdgpu_pt_tree *tree, struct vdgpu_pt *pt)
{
	unsigned int i;

	bitmap_fill(pt->dirty, VDGPU_PT_ENTRIES);
	if (list_empty(&pt->dirty_link))
		list_add_tail(&pt->dirty_link, &tree->dirty);
	if (pt->level)
		for (i = 0; i < VDGPU_PT_ENTRIES; i++)
			if (pt->children[i])
				vdgpu_pt_dirty_all(tree, pt->children[i]);
}

/**
 * vdgpu_pt_tree_dirty_all() - have every table written again
 * @tree: the tree
 *
 * For when VRAM lost its contents: the next vdgpu_pt_tree_emit() writes
 * every entry of every table from the shadow.
 *
 * Context: Any; the VM's resv held.
 */
void vdgpu_pt_tree_dirty_all(struct vdgpu_pt_tree *tree)
{
	dma_resv_assert_held(tree->resv);
	if (tree->root)
		vdgpu_pt_dirty_all(tree, tree->root);
}

/**
 * vdgpu_pt_tree_max_dw() - the most packet dwords an update may emit
 * @tree: the tree, before the update
 * @chunks: how many 2 MiB chunks the update writes at most
 *
 * Context: Any; the VM's resv held.
 * Return: an upper bound for vdgpu_pt_tree_emit() after @chunks calls of
 * vdgpu_pt_tree_write_chunk().
 */
u64 vdgpu_pt_tree_max_dw(const struct vdgpu_pt_tree *tree, u64 chunks)
{
	struct vdgpu_pt *pt;
	u64 dw;

	dw = chunks * VDGPU_PT_CHUNK_DW;
	list_for_each_entry(pt, &tree->dirty, dirty_link)
		dw += VDGPU_PT_TABLE_DW;
	return dw;
}

/**
 * vdgpu_pt_tree_emit() - write the dirty entries
 * @tree: the tree
 * @batch: where the PT_WRITE packets go, sized with vdgpu_pt_tree_max_dw()
 *
 * Each table's dirty entries go out as runs, neighbouring runs merged
 * across a single clean entry (rewriting it costs less than a packet
 * header), at most %VDGPU_PKT_PT_WRITE_MAX_QW entries a packet.  The
 * entries are clean afterwards.
 *
 * Context: Any; the VM's resv held.  Allocates nothing.
 * Return: 0, or -EINVAL if the batch was too small (a driver bug).
 */
int vdgpu_pt_tree_emit(struct vdgpu_pt_tree *tree,
		       struct vdgpu_migrate_batch *batch)
{
	const unsigned int n = VDGPU_PT_ENTRIES;
	struct vdgpu_pt *pt, *next;
	unsigned int i, end, j, len;
	u32 *dw;

	dma_resv_assert_held(tree->resv);
	list_for_each_entry_safe(pt, next, &tree->dirty, dirty_link) {
		for (i = find_first_bit(pt->dirty, n); i < n;
		     i = find_next_bit(pt->dirty, n, end)) {
			end = find_next_zero_bit(pt->dirty, n, i);
			while (end + VDGPU_PT_RUN_GAP < n &&
			       test_bit(end + VDGPU_PT_RUN_GAP, pt->dirty))
				end = find_next_zero_bit(pt->dirty, n,
							 end + VDGPU_PT_RUN_GAP);
			for (j = i; j < end; j += len) {
				len = min_t(unsigned int, end - j,
					    VDGPU_PKT_PT_WRITE_MAX_QW);
				dw = vdgpu_migrate_batch_reserve(batch,
								 3 + 2 * len);
				if (!dw)
					return -EINVAL;
				vdgpu_engine_pkt_pt_write(dw, pt->addr + 8 * j,
							  &pt->entries[j], len);
			}
		}
		bitmap_zero(pt->dirty, n);
		list_del_init(&pt->dirty_link);
	}
	return 0;
}

/**
 * vdgpu_pt_tree_lookup() - where a virtual address points, per the shadow
 * @tree: the tree
 * @va: the address
 * @page_size: out: the size of the device page mapping @va, 0 if none
 *
 * Context: Any; the VM's resv held.
 * Return: the leaf entry, or 0 if @va is not mapped.
 */
u64 vdgpu_pt_tree_lookup(const struct vdgpu_pt_tree *tree, u64 va,
			 u64 *page_size)
{
	const struct vdgpu_pt *pt = tree->root;
	unsigned int level;
	u64 pte;

	*page_size = 0;
	for (level = VDGPU_PT_LEVELS - 1; pt; level--) {
		pte = pt->entries[vdgpu_pt_index(va, level)];
		if (!(pte & VDGPU_PTE_VALID))
			return 0;
		if (level == 1 && (pte & VDGPU_PTE_HUGE)) {
			*page_size = SZ_2M;
			return pte;
		}
		if (!level) {
			*page_size = pte & VDGPU_PTE_64K ? SZ_64K : SZ_4K;
			return pte;
		}
		pt = pt->children[vdgpu_pt_index(va, level)];
	}
	return 0;
}
