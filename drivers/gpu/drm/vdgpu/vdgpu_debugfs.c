// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/mm.h>
#include <linux/seq_file.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_print.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bench.h"
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
 * error_state
 *	The last batches that faulted or hung: ``errors <count>``, then a
 *	line each, oldest first, ``<seconds> client <id> queue <id> error
 *	<errno>``, with `` fault 0x<address> <read|write> <reason>`` for a
 *	page fault and `` code <ERROR_CODE>`` for a malformed command.
 *
 * bench_moves, force_memcpy_moves
 *	Benchmark hooks; see "Benchmark hooks".
 */

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

static int vdgpu_debugfs_error_state(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct drm_printer p = drm_seq_file_printer(m);

	vdgpu_exec_print_errors(to_vdgpu_device(entry->dev), &p);
	return 0;
}

static int vdgpu_debugfs_vms(struct seq_file *m, void *data)
{
	struct drm_debugfs_entry *entry = m->private;
	struct drm_printer p = drm_seq_file_printer(m);

	vdgpu_vm_debugfs_print(to_vdgpu_device(entry->dev), &p);
	return 0;
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
	drm_debugfs_add_file(&vdev->drm, "vms", vdgpu_debugfs_vms, NULL);
	drm_debugfs_add_file(&vdev->drm, "error_state",
			     vdgpu_debugfs_error_state, NULL);
	vdgpu_bench_debugfs_init(vdev);
}
