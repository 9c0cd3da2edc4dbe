/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_DEVICE_H_
#define _VDGPU_DEVICE_H_

#include <drm/drm_device.h>
#include <drm/ttm/ttm_device.h>

#include "vdgpu_engine.h"
#include "vdgpu_exec.h"
#include "vdgpu_gart.h"
#include "vdgpu_gtt_mgr.h"
#include "vdgpu_inject.h"
#include "vdgpu_irq.h"
#include "vdgpu_migrate.h"
#include "vdgpu_params.h"
#include "vdgpu_region.h"
#include "vdgpu_regs.h"
#include "vdgpu_shrinker.h"
#include "vdgpu_ttm.h"
#include "vdgpu_vram_mgr.h"

/**
 * struct vdgpu_device - one vdgpu device
 *
 * Allocated with the &drm_device it embeds and freed when the last reference
 * to that goes, which may be long after the platform device was unbound: open
 * files keep it alive.  Anything that touches the hardware must therefore run
 * inside drm_dev_enter()/drm_dev_exit().
 */
struct vdgpu_device {
	/** @drm: the DRM device; its lifetime is this structure's */
	struct drm_device drm;
	/** @params: the configuration the device was created with, immutable */
	struct vdgpu_params params;
	/**
	 * @bus: how to reach the hardware: registers and the BAR window;
	 * valid within the hardware lifetime only
	 */
	struct vdgpu_bus bus;
	/** @gart: the GART table and aperture */
	struct vdgpu_gart gart;
	/** @irq: the interrupt line */
	struct vdgpu_irq irq;
	/** @engines: the engines, indexed by hardware engine number */
	struct vdgpu_engine engines[VDGPU_NUM_ENGINES];
	/** @migrate: copies and clears on the copy engines */
	struct vdgpu_migrate migrate;
	/** @exec: batches on the compute engine */
	struct vdgpu_exec exec;
	/** @ttm: the TTM device of the buffer objects */
	struct ttm_device ttm;
	/** @vram_mgr: TTM's manager of VRAM above @vram_base */
	struct vdgpu_vram_mgr vram_mgr;
	/** @gtt_mgr: TTM's manager of the GTT aperture */
	struct vdgpu_gtt_mgr gtt_mgr;
	/**
	 * @no_space_mgr: the sentinel that tells "no room even after
	 * eviction" apart from -ENOMEM; see "TTM device"
	 */
	struct ttm_resource_manager no_space_mgr;
	/** @shrinker: gives system memory back under pressure */
	struct vdgpu_shrinker shrinker;
	/** @ttm_stats: counters of evictions and moves */
	struct vdgpu_ttm_stats ttm_stats;
	/**
	 * @next_bo_id: the last &vdgpu_bo.id handed out; ids start at 1, so
	 * that 0 names no object in debugfs
	 */
	atomic64_t next_bo_id;
	/**
	 * @num_bos: buffer objects allocated and not yet freed, the driver's
	 * own included; shown in debugfs ``objects``
	 */
	atomic_t num_bos;
	/** @num_vms: VMs allocated and not yet freed, likewise */
	atomic_t num_vms;
	/**
	 * @force_memcpy_moves: make moves and clears with the CPU,
	 * synchronously, instead of on the copy engines; a debugfs knob for
	 * benchmarks (see "Benchmark hooks"), false unless set there
	 */
	bool force_memcpy_moves;
	/** @regions: the memory regions, indexed by uAPI region id */
	struct vdgpu_region regions[VDGPU_NUM_REGIONS];
	/**
	 * @vram_base: device address of the VRAM @vram_mgr manages; below it
	 * lies the GART table
	 */
	u64 vram_base;
	/**
	 * @reset_wq: runs the engines' reset work, which signals fences;
	 * WQ_MEM_RECLAIM so that it progresses under memory pressure
	 */
	struct workqueue_struct *reset_wq;
	/**
	 * @vram_epoch: bumped each time VRAM lost its contents (resume), so
	 * that VMs write their page tables again
	 */
	atomic_t vram_epoch;
	/** @inject: the fault-injection knob; see "Fault injection" */
	struct vdgpu_inject inject;
	/** @wb: coherent page the engines write their seqnos to */
	void *wb;
	/** @wb_dma: bus address of @wb */
	dma_addr_t wb_dma;
};

/**
 * to_vdgpu_device() - the vdgpu device embedding a DRM device
 * @drm: a DRM device created by vdgpu
 *
 * Context: Any context.
 * Return: the containing &struct vdgpu_device.
 */
static inline struct vdgpu_device *to_vdgpu_device(struct drm_device *drm)
{
	return container_of(drm, struct vdgpu_device, drm);
}

int vdgpu_device_init(struct vdgpu_device *vdev,
		      const struct vdgpu_platform_data *pdata);
void vdgpu_device_fini(struct vdgpu_device *vdev);
int vdgpu_device_suspend(struct vdgpu_device *vdev);
int vdgpu_device_resume(struct vdgpu_device *vdev);

#endif
