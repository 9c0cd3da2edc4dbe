/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_TTM_H_
#define _VDGPU_TTM_H_

#include <linux/atomic.h>

#include <drm/ttm/ttm_placement.h>

struct drm_printer;
struct vdgpu_device;

/* TTM placement of the "no space" sentinel manager. */
#define VDGPU_PL_NO_SPACE	TTM_PL_PRIV

extern const struct ttm_place vdgpu_ttm_no_space_place;

/**
 * struct vdgpu_ttm_stats - what the memory manager did, since probe
 */
struct vdgpu_ttm_stats {
	/** @evictions: objects TTM evicted (once per eviction, hops or not) */
	atomic64_t evictions;
	/** @purges: evictions that discarded a DONTNEED object instead */
	atomic64_t purges;
	/** @vram_to_gtt: bytes copied out of VRAM into GTT */
	atomic64_t vram_to_gtt;
	/** @gtt_to_vram: bytes copied from GTT into VRAM */
	atomic64_t gtt_to_vram;
	/** @vram_to_vram: bytes copied within VRAM */
	atomic64_t vram_to_vram;
	/** @vram_cleared: bytes of new VRAM objects cleared by an engine */
	atomic64_t vram_cleared;
	/** @vram_clear_skipped: bytes of new VRAM objects known clear */
	atomic64_t vram_clear_skipped;
	/**
	 * @memcpy_fallbacks: moves the CPU made, the copy engines wedged or
	 * &vdgpu_device.force_memcpy_moves set
	 */
	atomic64_t memcpy_fallbacks;
};

int vdgpu_ttm_init(struct vdgpu_device *vdev);
void vdgpu_ttm_fini(struct vdgpu_device *vdev);
int vdgpu_ttm_suspend(struct vdgpu_device *vdev);
void vdgpu_ttm_stats_print(struct vdgpu_device *vdev, struct drm_printer *p);
int vdgpu_ttm_errno(int ret);

#endif
