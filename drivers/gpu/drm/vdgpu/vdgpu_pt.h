/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_PT_H_
#define _VDGPU_PT_H_

#include <linux/bitmap.h>
#include <linux/list.h>
#include <linux/types.h>

#include "vdgpu_regs.h"

struct dma_resv;
struct vdgpu_bo;
struct vdgpu_device;
struct vdgpu_migrate_batch;

/* The span of one level 1 entry: the unit page tables are rewritten in. */
#define VDGPU_PT_CHUNK		SZ_2M

/**
 * struct vdgpu_pt - one device page table and its CPU shadow
 */
struct vdgpu_pt {
	/** @bo: the table's 4 KiB of VRAM, pinned, sharing the VM's resv */
	struct vdgpu_bo *bo;
	/** @addr: device address of the table */
	u64 addr;
	/** @level: 3 for the root down to 0 for leaves of 4 KiB pages */
	unsigned int level;
	/** @dirty_link: in &vdgpu_pt_tree.dirty while @dirty has bits set */
	struct list_head dirty_link;
	/** @dirty: entries changed in @entries but not yet written */
	DECLARE_BITMAP(dirty, VDGPU_PT_ENTRIES);
	/**
	 * @entries: what the table holds once every queued update has
	 * executed, the dirty entries included once written
	 */
	u64 entries[VDGPU_PT_ENTRIES];
	/** @children: for levels above 0, the next-level tables */
	struct vdgpu_pt *children[];
};

/**
 * struct vdgpu_pt_tree - the page tables of one VM
 *
 * All of it is under the VM's resv.
 */
struct vdgpu_pt_tree {
	/** @vdev: the device */
	struct vdgpu_device *vdev;
	/** @resv: the VM's reservation object, shared by every table */
	struct dma_resv *resv;
	/** @root: the level 3 table */
	struct vdgpu_pt *root;
	/** @dirty: tables with entries to write */
	struct list_head dirty;
	/** @num_pts: tables allocated */
	u32 num_pts;
};

int vdgpu_pt_tree_init(struct vdgpu_pt_tree *tree, struct vdgpu_device *vdev,
		       struct dma_resv *resv);
void vdgpu_pt_tree_fini(struct vdgpu_pt_tree *tree);
int vdgpu_pt_tree_prepare(struct vdgpu_pt_tree *tree, u64 start, u64 end);
void vdgpu_pt_tree_write_chunk(struct vdgpu_pt_tree *tree, u64 va,
			       u64 huge, const u64 *ptes);
void vdgpu_pt_tree_dirty_all(struct vdgpu_pt_tree *tree);
u64 vdgpu_pt_tree_max_dw(const struct vdgpu_pt_tree *tree, u64 chunks);
int vdgpu_pt_tree_emit(struct vdgpu_pt_tree *tree,
		       struct vdgpu_migrate_batch *batch);
u64 vdgpu_pt_tree_lookup(const struct vdgpu_pt_tree *tree, u64 va,
			 u64 *page_size);

u64 vdgpu_pt_encode(u64 addr, bool system, bool writable);

#endif
