// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/error-injection.h>
#include <linux/iosys-map.h>
#include <linux/sizes.h>

#include <drm/drm_print.h>

#include "vdgpu_device.h"
#include "vdgpu_gart.h"
#include "vdgpu_mmio.h"

/**
 * DOC: GART
 *
 * The GART translates the GTT aperture, device physical addresses
 * [VDGPU_GTT_BASE, VDGPU_GTT_BASE + gart_size), page by page to system
 * memory.  Its table is one 64-bit entry per 4 KiB aperture page and lives at
 * the very start of VRAM, which is always inside the CPU-visible window, so
 * the driver writes entries through the BAR and never needs an engine to
 * update them.  That VRAM, [0, &vdgpu_gart.table_end), is reserved: the
 * VRAM manager starts above it.  A 512 MiB aperture takes 1 MiB of VRAM.
 *
 * Entries of unbound pages are invalid, so a stray access through the
 * aperture is a GART fault reported by the engine that made it, not a
 * silent read of some other page.
 *
 * Locking: none of its own.  The table is written only by vdgpu_gart_bind()
 * and vdgpu_gart_unbind() on ranges their caller owns (the GTT manager hands
 * out disjoint ranges), and the device caches no translations, so writers of
 * different ranges need no ordering among themselves.  A caller must order
 * its writes before the packets that rely on them; the register write that
 * rings a doorbell does.
 */

static void vdgpu_gart_write(struct vdgpu_device *vdev, u64 page, u64 pte)
{
	__le64 le = cpu_to_le64(pte);

	iosys_map_memcpy_to(&vdev->bus.bar, vdev->gart.table + page * sizeof(le),
			    &le, sizeof(le));
}

/**
 * vdgpu_gart_gpu_addr() - the device physical address of an aperture page
 * @page: the page's index in the GTT aperture
 *
 * Context: Any context.
 * Return: the address engines use to reach the page through the GART.
 */
u64 vdgpu_gart_gpu_addr(u64 page)
{
	return VDGPU_GTT_BASE + page * VDGPU_GPU_PAGE_SIZE;
}

/**
 * vdgpu_gart_init() - set up the table and enable translation
 * @vdev: the device
 *
 * Context: Process context; probe, within the hardware lifetime.
 * Return: 0, or -ENOSPC if the table does not fit in the CPU-visible window.
 */
int vdgpu_gart_init(struct vdgpu_device *vdev)
{
	struct vdgpu_gart *gart = &vdev->gart;

	gart->num_pages = vdev->params.gart_size / VDGPU_GPU_PAGE_SIZE;
	gart->table = 0;
	gart->table_end = ALIGN(gart->num_pages * sizeof(u64), SZ_4K);
	if (gart->table_end > vdev->bus.bar_size) {
		drm_err(&vdev->drm, "GART table of %llu KiB exceeds the BAR\n",
			gart->table_end >> 10);
		return -ENOSPC;
	}

	vdgpu_gart_unbind(vdev, 0, gart->num_pages);
	vdgpu_mmio_write32(vdev, VDGPU_REG_GART_CTRL, 0);
	vdgpu_mmio_write64(vdev, VDGPU_REG_GART_BASE_LO, gart->table);
	vdgpu_mmio_write32(vdev, VDGPU_REG_GART_CTRL, VDGPU_GART_CTRL_ENABLE);
	return 0;
}
ALLOW_ERROR_INJECTION(vdgpu_gart_init, ERRNO);

/**
 * vdgpu_gart_fini() - disable translation
 * @vdev: the device, whose engines are stopped
 *
 * Context: Process context; within the hardware lifetime.
 */
void vdgpu_gart_fini(struct vdgpu_device *vdev)
{
	vdgpu_mmio_write32(vdev, VDGPU_REG_GART_CTRL, 0);
}

/**
 * vdgpu_gart_bind() - map system pages into the aperture
 * @vdev: the device
 * @first: the first aperture page
 * @count: how many pages
 * @addrs: their bus addresses, 4 KiB aligned, @count of them
 * @writable: whether engines may write them
 *
 * The range must lie inside the aperture and belong to the caller.
 *
 * Context: Any context; within the hardware lifetime.
 */
void vdgpu_gart_bind(struct vdgpu_device *vdev, u64 first, u64 count,
		     const dma_addr_t *addrs, bool writable)
{
	u64 flags = VDGPU_PTE_VALID | VDGPU_PTE_SYSTEM;
	u64 i;

	if (drm_WARN_ON(&vdev->drm, first > vdev->gart.num_pages ||
			count > vdev->gart.num_pages - first))
		return;
	if (writable)
		flags |= VDGPU_PTE_WRITABLE;
	for (i = 0; i < count; i++)
		vdgpu_gart_write(vdev, first + i,
				 (addrs[i] & VDGPU_PTE_ADDR) | flags);
}

/**
 * vdgpu_gart_unbind() - make aperture pages invalid again
 * @vdev: the device
 * @first: the first aperture page
 * @count: how many pages
 *
 * The caller must have waited for every engine access to the range.
 *
 * Context: Any context; within the hardware lifetime.
 */
void vdgpu_gart_unbind(struct vdgpu_device *vdev, u64 first, u64 count)
{
	if (drm_WARN_ON(&vdev->drm, first > vdev->gart.num_pages ||
			count > vdev->gart.num_pages - first))
		return;
	iosys_map_memset(&vdev->bus.bar,
			 vdev->gart.table + first * sizeof(u64), 0,
			 count * sizeof(u64));
}
