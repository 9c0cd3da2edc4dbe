// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/dma-resv.h>
#include <linux/error-injection.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_ttm_helper.h>
#include <drm/drm_utils.h>
#include <drm/drm_vma_manager.h>
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_tt.h>
#include <drm/vdgpu_drm.h>

#include "vdgpu_bo.h"
#include "vdgpu_device.h"
#include "vdgpu_dma_buf.h"
#include "vdgpu_region.h"
#include "vdgpu_shrinker.h"
#include "vdgpu_trace.h"
#include "vdgpu_ttm.h"
#include "vdgpu_vm.h"
#include "vdgpu_vram_mgr.h"

/**
 * DOC: Buffer objects
 *
 * A &struct vdgpu_bo is a GEM object and a TTM object in one, created with
 * an ordered list of the memory regions it may live in.  The list becomes
 * its TTM placement, one &ttm_place per region, in order:
 *
 * - the first region is tried first, and TTM evicts less recently used
 *   objects from it to make room before the object goes anywhere else;
 * - the others carry %TTM_PL_FLAG_FALLBACK: they are tried, in order,
 *   only once the first region cannot hold the object even after eviction.
 *
 * A region smaller than the object is left out of the placement: TTM would
 * otherwise evict everything from it before trying the next one.
 *
 * In VRAM the creation flags shape the place: CPU_ACCESS limits it to the
 * CPU-visible window (``lpfn``), NO_CPU_ACCESS allocates from the top
 * (%TTM_PL_FLAG_TOPDOWN), CONTIGUOUS asks for one range.  SYSTEM_WC makes
 * the object's system pages write-combined.
 *
 * An object is created in its first region that can hold it, or fails with
 * -ENOSPC: up front, without evicting anything, when it is larger than
 * every region of its list; otherwise after TTM has tried eviction.  Its
 * contents start as zeroes everywhere (see "Clearing").
 *
 * LRU priority orders eviction: objects marked DONTNEED go first
 * (%VDGPU_BO_PRIO_PURGEABLE), then user objects, kernel objects last.
 * Pinned objects (vdgpu_bo_pin(), counted, kernel-internal) are never
 * evicted.  An object whose fences have not signalled when its last
 * reference goes is destroyed later by TTM, when they have.
 *
 * Purging: an object marked DONTNEED that TTM picks for eviction while
 * idle loses its memory instead of moving (vdgpu_bo_purge_on_evict()), and
 * so does one whose system pages the shrinker reclaims (vdgpu_bo_purge());
 * it then has no resource at all until it is used again, when it gets
 * fresh, cleared memory.  Its CPU mappings are zapped before the memory
 * goes, since TTM frees it without the move that would otherwise do so.
 *
 * For debugfs, every object has a device-wide id and the DRM client that
 * created it, remembers when it was last used (created, moved, validated
 * or faulted) and keeps a history of its last moves with their reasons:
 * the move hook records creations, validations, faults and evictions, the
 * purge paths purges, and the TTM hooks of the shrinker's swap path
 * swap-outs and swap-ins.  Which allocation an eviction made room for is
 * not known: TTM 6.12 does not tell the driver's hooks.
 */

/**
 * DOC: CPU mappings
 *
 * Objects are mapped through TTM's fault path: a fault reserves the object,
 * waits for the moves the kernel has in flight on it (not for user GPU work:
 * that is what GEM_WAIT is for) and inserts the page and up to
 * %TTM_BO_VM_NUM_PREFAULT more.  System pages are mapped with the object's
 * caching; VRAM through the BAR window, write-combined.
 *
 * Before that, vdgpu_bo_fault_reserved() makes sure the CPU can reach the
 * memory.  An object in VRAM outside the window, or without memory after a
 * purge, is moved: into the window if it has room without evicting (as
 * amdgpu does, to keep faults cheap), else to GTT, else to SYSTEM.  A pinned
 * object that cannot move, or a purged object still marked DONTNEED, gets
 * SIGBUS.  Once the device is unplugged, faults map a dummy page.
 *
 * Objects created with NO_CPU_ACCESS have no mmap offset to give and refuse
 * mmap().
 */

/**
 * DOC: Buffer object locking
 *
 * Everything that can change about an object once created (its resource,
 * its pin count, @madv, @purged, its LRU priority and its move history) is
 * under its &dma_resv lock; TTM's LRU lock nests inside it.  Ioctls take it
 * interruptibly.  Faults take it through ttm_bo_vm_reserve(), which
 * drops the mmap lock rather than wait for the resv under it.  Debugfs
 * reads @last_use without it, under TTM's LRU lock, and takes it, alone,
 * to copy an object's move history.
 */

#define VDGPU_GEM_CREATE_FLAGS	(DRM_VDGPU_GEM_CREATE_CPU_ACCESS | \
				 DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS | \
				 DRM_VDGPU_GEM_CREATE_CONTIGUOUS | \
				 DRM_VDGPU_GEM_CREATE_SYSTEM_WC)

static void vdgpu_bo_destroy(struct ttm_buffer_object *tbo)
{
	struct vdgpu_bo *bo = to_vdgpu_bo(tbo);

	atomic_dec(&to_vdgpu_device(tbo->base.dev)->num_bos);
	vdgpu_shrinker_remove(bo);
	drm_gem_object_release(&tbo->base);
	/* The shared reservation object goes last. */
	if (bo->vm_resv_obj)
		drm_gem_object_put(bo->vm_resv_obj);
	kfree(bo);
}

/**
 * vdgpu_bo_is_vdgpu() - whether a TTM object is a &struct vdgpu_bo
 * @tbo: an object of a vdgpu TTM device
 *
 * TTM hands the device's callbacks ghost objects of its own too.
 *
 * Context: Any.
 * Return: true if @tbo is embedded in a &struct vdgpu_bo.
 */
bool vdgpu_bo_is_vdgpu(const struct ttm_buffer_object *tbo)
{
	return tbo->destroy == vdgpu_bo_destroy;
}

static struct vdgpu_device *vdgpu_bo_device(struct vdgpu_bo *bo)
{
	return to_vdgpu_device(bo->tbo.base.dev);
}

/* The place for @region, shaped by the creation flags. */
static void vdgpu_bo_place(struct vdgpu_bo *bo, u32 region,
			   struct ttm_place *place)
{
	struct vdgpu_device *vdev = vdgpu_bo_device(bo);

	*place = (struct ttm_place){
		.mem_type = vdgpu_region_get(vdev, region)->mem_type,
	};
	if (place->mem_type != TTM_PL_VRAM)
		return;
	if (bo->flags & DRM_VDGPU_GEM_CREATE_CPU_ACCESS)
		place->lpfn = vdgpu_vram_mgr_visible_lpfn(&vdev->vram_mgr);
	if (bo->flags & DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS)
		place->flags |= TTM_PL_FLAG_TOPDOWN;
	if (bo->flags & DRM_VDGPU_GEM_CREATE_CONTIGUOUS)
		place->flags |= TTM_PL_FLAG_CONTIGUOUS;
}

/*
 * Leaves out the regions too small to ever hold the object: TTM would
 * evict everything from them before trying the next.  The caller made sure
 * one region is large enough.
 */
/* Whether @region is large enough to ever hold the object. */
static bool vdgpu_bo_fits(struct vdgpu_bo *bo, u32 region)
{
	return vdgpu_region_get(vdgpu_bo_device(bo), region)->total >=
	       bo->tbo.base.size;
}

static void vdgpu_bo_placement_init(struct vdgpu_bo *bo)
{
	u32 i, n = 0;

	for (i = 0; i < bo->num_regions; i++) {
		if (!vdgpu_bo_fits(bo, bo->regions[i]))
			continue;
		vdgpu_bo_place(bo, bo->regions[i], &bo->places[n]);
		if (n)
			bo->places[n].flags |= TTM_PL_FLAG_FALLBACK;
		n++;
	}
	bo->places[n++] = vdgpu_ttm_no_space_place;
	bo->placement.placement = bo->places;
	bo->placement.num_placement = n;
}

/**
 * vdgpu_bo_allows() - whether an object may live in a region
 * @bo: the object
 * @region: a uAPI region id
 *
 * Context: Any; the regions are immutable.
 * Return: true if @region is one of the object's regions.
 */
bool vdgpu_bo_allows(struct vdgpu_bo *bo, u32 region)
{
	u32 i;

	for (i = 0; i < bo->num_regions; i++)
		if (bo->regions[i] == region)
			return true;
	return false;
}

/* The largest region of @regions, so that hopeless requests fail early. */
static u64 vdgpu_bo_max_size(struct vdgpu_device *vdev, const u32 *regions,
			     u32 num_regions)
{
	u64 max = 0;
	u32 i;

	for (i = 0; i < num_regions; i++)
		max = max(max, vdgpu_region_get(vdev, regions[i])->total);
	return max;
}

static void vdgpu_gem_free(struct drm_gem_object *obj)
{
	ttm_bo_put(&gem_to_vdgpu_bo(obj)->tbo);
}

static int vdgpu_gem_mmap(struct drm_gem_object *obj,
			  struct vm_area_struct *vma)
{
	if (gem_to_vdgpu_bo(obj)->flags & DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS)
		return -EINVAL;
	if (obj->import_attach)
		return vdgpu_gem_mmap_imported(obj, vma);
	return drm_gem_ttm_mmap(obj, vma);
}

/*
 * Where a fault may put the object: its regions in order, VRAM limited to
 * the window and only without eviction, then GTT and SYSTEM so that a full
 * window never fails the fault; regions too small for the object are left
 * out, so that they are not emptied for nothing.
 */
static void vdgpu_bo_cpu_placement(struct vdgpu_bo *bo,
				   struct ttm_place *places,
				   struct ttm_placement *placement)
{
	struct vdgpu_device *vdev = vdgpu_bo_device(bo);
	u32 i, n = 0;

	for (i = 0; i < bo->num_regions; i++) {
		if (!vdgpu_bo_fits(bo, bo->regions[i]))
			continue;
		vdgpu_bo_place(bo, bo->regions[i], &places[n]);
		if (places[n].mem_type == TTM_PL_VRAM) {
			places[n].lpfn =
				vdgpu_vram_mgr_visible_lpfn(&vdev->vram_mgr);
			places[n].flags &= ~TTM_PL_FLAG_TOPDOWN;
			places[n].flags |= TTM_PL_FLAG_DESIRED;
		}
		n++;
	}
	if (!vdgpu_bo_allows(bo, DRM_VDGPU_REGION_GTT) &&
	    vdgpu_bo_fits(bo, DRM_VDGPU_REGION_GTT))
		places[n++] = (struct ttm_place){ .mem_type = TTM_PL_TT };
	if (!vdgpu_bo_allows(bo, DRM_VDGPU_REGION_SYSTEM))
		places[n++] = (struct ttm_place){
			.mem_type = TTM_PL_SYSTEM,
			.flags = TTM_PL_FLAG_FALLBACK,
		};
	places[n++] = vdgpu_ttm_no_space_place;
	placement->placement = places;
	placement->num_placement = n;
}

static bool vdgpu_bo_cpu_reachable(struct vdgpu_bo *bo)
{
	struct ttm_resource *res = bo->tbo.resource;

	if (!res)
		return false;
	if (res->mem_type != TTM_PL_VRAM)
		return true;
	return vdgpu_vram_mgr_resource_is_visible(res);
}

/*
 * Pages for an object in system memory, allocated (or swapped in) here
 * rather than by TTM's fault handler, which turns running out of memory
 * into SIGBUS: a fault that cannot get memory is out of memory.
 */
static vm_fault_t vdgpu_bo_fault_populate(struct vdgpu_bo *bo,
					  struct ttm_operation_ctx *ctx)
{
	int ret;

	if (bo->tbo.resource->mem_type == TTM_PL_VRAM || !bo->tbo.ttm ||
	    ttm_tt_is_populated(bo->tbo.ttm))
		return 0;
	ret = ttm_tt_populate(bo->tbo.bdev, bo->tbo.ttm, ctx);
	if (ret == -ERESTARTSYS || ret == -EINTR || ret == -EAGAIN)
		return VM_FAULT_NOPAGE;
	if (ret == -ENOMEM)
		return VM_FAULT_OOM;
	return ret ? VM_FAULT_SIGBUS : 0;
}

/* Makes the object's memory reachable by the CPU; called with its resv. */
static vm_fault_t vdgpu_bo_fault_reserved(struct vdgpu_bo *bo)
{
	struct ttm_operation_ctx ctx = {
		.interruptible = true,
		.gfp_retry_mayfail = true,
	};
	struct ttm_place places[VDGPU_NUM_REGIONS + 3];
	struct ttm_placement placement;
	int ret;

	vdgpu_bo_mark_used(bo);
	if (bo->purged && bo->madv == DRM_VDGPU_MADV_DONTNEED)
		return VM_FAULT_SIGBUS;
	if (vdgpu_bo_cpu_reachable(bo))
		return vdgpu_bo_fault_populate(bo, &ctx);
	if (bo->tbo.pin_count)
		return VM_FAULT_SIGBUS;

	vdgpu_bo_cpu_placement(bo, places, &placement);
	bo->move_reason = VDGPU_BO_MOVE_FAULT;
	ret = ttm_bo_validate(&bo->tbo, &placement, &ctx);
	bo->move_reason = VDGPU_BO_MOVE_VALIDATE;
	if (ret == -ERESTARTSYS || ret == -EINTR || ret == -EBUSY)
		return VM_FAULT_NOPAGE;
	if (ret == -ENOMEM)
		return VM_FAULT_OOM;
	if (ret || drm_WARN_ON_ONCE(bo->tbo.base.dev,
				    !vdgpu_bo_cpu_reachable(bo)))
		return VM_FAULT_SIGBUS;
	return vdgpu_bo_fault_populate(bo, &ctx);
}

static vm_fault_t vdgpu_gem_fault(struct vm_fault *vmf)
{
	struct ttm_buffer_object *tbo = vmf->vma->vm_private_data;
	pgprot_t prot = vmf->vma->vm_page_prot;
	vm_fault_t ret;
	int idx;

	ret = ttm_bo_vm_reserve(tbo, vmf);
	if (ret)
		return ret;

	if (drm_dev_enter(tbo->base.dev, &idx)) {
		ret = vdgpu_bo_fault_reserved(to_vdgpu_bo(tbo));
		if (!ret)
			ret = ttm_bo_vm_fault_reserved(vmf, prot,
						       TTM_BO_VM_NUM_PREFAULT);
		drm_dev_exit(idx);
	} else {
		ret = ttm_bo_vm_dummy_page(vmf, prot);
	}

	/* A retried wait has dropped the resv already. */
	if (ret == VM_FAULT_RETRY && !(vmf->flags & FAULT_FLAG_RETRY_NOWAIT))
		return ret;
	dma_resv_unlock(tbo->base.resv);
	return ret;
}

static const struct vm_operations_struct vdgpu_gem_vm_ops = {
	.fault = vdgpu_gem_fault,
	.open = ttm_bo_vm_open,
	.close = ttm_bo_vm_close,
	.access = ttm_bo_vm_access,
};

/*
 * Handles to an object private to a VM exist only in the file of the VM.
 * Another file could otherwise open it by a flink name (GEM_OPEN), which
 * the core grants without asking the driver, and read it, purge it or put
 * its fences on the VM's resv.
 */
static int vdgpu_gem_open(struct drm_gem_object *obj, struct drm_file *file)
{
	struct vdgpu_bo *bo = gem_to_vdgpu_bo(obj);

	if (!bo->vm_resv_obj || vdgpu_vm_file_has_resv(file, bo->vm_resv_obj))
		return 0;
	drm_dbg(obj->dev, "handle to a VM-private object in another file\n");
	return -EINVAL;
}

/* An object private to a VM shares the VM's resv: it cannot be shared. */
static struct dma_buf *vdgpu_gem_prime_export(struct drm_gem_object *obj,
					      int flags)
{
	if (gem_to_vdgpu_bo(obj)->vm_resv_obj) {
		drm_dbg(obj->dev, "export of a VM-private object\n");
		return ERR_PTR(-EINVAL);
	}
	return drm_gem_prime_export(obj, flags);
}

static const struct drm_gem_object_funcs vdgpu_gem_object_funcs = {
	.free = vdgpu_gem_free,
	.open = vdgpu_gem_open,
	.export = vdgpu_gem_prime_export,
	.pin = vdgpu_gem_pin,
	.unpin = vdgpu_gem_unpin,
	.get_sg_table = vdgpu_gem_get_sg_table,
	.vmap = vdgpu_gem_vmap,
	.vunmap = drm_gem_ttm_vunmap,
	.mmap = vdgpu_gem_mmap,
	.print_info = drm_gem_ttm_print_info,
	.vm_ops = &vdgpu_gem_vm_ops,
};

static noinline int
__vdgpu_bo_create(struct vdgpu_device *vdev, u64 size, const u32 *regions,
		  u32 num_regions, u32 flags, enum ttm_bo_type type,
		  struct sg_table *sg, struct dma_resv *resv, u64 client_id,
		  struct vdgpu_bo **out)
{
	struct ttm_operation_ctx ctx = {
		.interruptible = true,
		.gfp_retry_mayfail = true,
	};
	struct vdgpu_bo *bo;
	int ret;

	if (drm_WARN_ON(&vdev->drm, !size || !PAGE_ALIGNED(size) ||
			!num_regions || num_regions > VDGPU_NUM_REGIONS))
		return -EINVAL;
	if (size > vdgpu_bo_max_size(vdev, regions, num_regions))
		return -ENOSPC;

	ret = vdgpu_inject_fail(vdev, VDGPU_INJECT_CREATE);
	if (ret)
		return ret;
	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return -ENOMEM;
	drm_gem_private_object_init(&vdev->drm, &bo->tbo.base, size);
	atomic_inc(&vdev->num_bos);
	bo->tbo.base.funcs = &vdgpu_gem_object_funcs;
	bo->tbo.priority = type == ttm_bo_type_kernel ? VDGPU_BO_PRIO_KERNEL :
							VDGPU_BO_PRIO_USER;
	memcpy(bo->regions, regions, num_regions * sizeof(*regions));
	bo->num_regions = num_regions;
	bo->flags = flags;
	bo->madv = DRM_VDGPU_MADV_WILLNEED;
	INIT_LIST_HEAD(&bo->purge_link);
	bo->id = atomic64_inc_return(&vdev->next_bo_id);
	bo->client_id = client_id;
	bo->move_reason = VDGPU_BO_MOVE_VALIDATE;
	bo->last_use = jiffies;
	vdgpu_bo_placement_init(bo);

	/* On failure TTM puts the object, which destroys it. */
	ret = ttm_bo_init_reserved(&vdev->ttm, &bo->tbo, type, &bo->placement,
				   0, &ctx, sg, resv, vdgpu_bo_destroy);
	if (ret)
		return vdgpu_ttm_errno(ret);
	/* A caller's resv stays locked: it was when we got it. */
	if (!resv)
		dma_resv_unlock(bo->tbo.base.resv);
	trace_vdgpu_bo_create(bo, size, regions[0], flags);

	*out = bo;
	return 0;
}
ALLOW_ERROR_INJECTION(__vdgpu_bo_create, ERRNO);

/**
 * vdgpu_bo_create_locked() - create an object sharing a reservation object
 * @vdev: the device
 * @size: as for vdgpu_bo_create()
 * @regions: as for vdgpu_bo_create()
 * @num_regions: as for vdgpu_bo_create()
 * @flags: as for vdgpu_bo_create()
 * @type: as for vdgpu_bo_create()
 * @resv: the reservation object to share (a VM's), held by the caller
 * @out: the new object, with one reference for the caller
 *
 * For page tables and VM-private objects, whose fences and locking are
 * their VM's.  The caller keeps @resv alive as long as the object.
 *
 * Context: Process context, may sleep; @resv held.  Interruptible.
 * Return: 0 or a negative errno, as vdgpu_bo_create().
 */
int vdgpu_bo_create_locked(struct vdgpu_device *vdev, u64 size,
			   const u32 *regions, u32 num_regions, u32 flags,
			   enum ttm_bo_type type, struct dma_resv *resv,
			   struct vdgpu_bo **out)
{
	dma_resv_assert_held(resv);
	return __vdgpu_bo_create(vdev, size, regions, num_regions, flags, type,
				 NULL, resv, 0, out);
}

/*
 * An object private to a VM: it shares the VM's reservation object, and
 * keeps the VM's resv object (@r_obj, whose reference it takes over on
 * success) alive with it.  Made by the client @client_id.
 */
static int vdgpu_bo_create_private(struct vdgpu_device *vdev, u64 size,
				   const u32 *regions, u32 num_regions,
				   u32 flags, struct drm_gem_object *r_obj,
				   u64 client_id, struct vdgpu_bo **out)
{
	int ret;

	ret = dma_resv_lock_interruptible(r_obj->resv, NULL);
	if (ret)
		return ret;
	ret = __vdgpu_bo_create(vdev, size, regions, num_regions, flags,
				ttm_bo_type_device, NULL, r_obj->resv, client_id,
				out);
	dma_resv_unlock(r_obj->resv);
	if (ret)
		return ret;
	drm_gem_object_get(r_obj);
	(*out)->vm_resv_obj = r_obj;
	return 0;
}

/**
 * vdgpu_bo_create() - create a buffer object
 * @vdev: the device
 * @size: bytes, a nonzero multiple of the page size
 * @regions: the region ids it may live in, most preferred first, each
 * valid and at most once
 * @num_regions: entries in @regions, 1 to %VDGPU_NUM_REGIONS
 * @flags: %DRM_VDGPU_GEM_CREATE_* flags, consistent
 * @type: %ttm_bo_type_device for objects userspace may map,
 * %ttm_bo_type_kernel for the driver's own
 * @out: the new object, unlocked, with one reference for the caller
 *
 * The object is placed and its memory cleared (or queued to be: the clear's
 * fence is on its resv) before this returns.
 *
 * Context: Process context, may sleep; takes the object's resv and, to
 * evict, those of other objects.  Interruptible.
 * Return: 0; -ENOSPC when no region of @regions can hold the object even
 * after eviction; -ENOMEM; -ERESTARTSYS or -EINTR on a signal.
 */
int vdgpu_bo_create(struct vdgpu_device *vdev, u64 size, const u32 *regions,
		    u32 num_regions, u32 flags, enum ttm_bo_type type,
		    struct vdgpu_bo **out)
{
	return __vdgpu_bo_create(vdev, size, regions, num_regions, flags, type,
				 NULL, NULL, 0, out);
}

/**
 * vdgpu_bo_create_sg() - create an object over another device's pages
 * @vdev: the device
 * @size: bytes, a nonzero multiple of the page size
 * @regions: where it may live: GTT and SYSTEM only
 * @num_regions: entries in @regions
 * @sg: the pages, mapped for @vdev
 * @resv: the reservation object to share, locked by the caller
 * @out: the new object, with one reference for the caller
 *
 * For PRIME import: an object of TTM's sg type, whose pages TTM never
 * allocates or frees.
 *
 * Context: Process context, may sleep; @resv held.
 * Return: 0 or a negative errno, as vdgpu_bo_create().
 */
int vdgpu_bo_create_sg(struct vdgpu_device *vdev, u64 size,
		       const u32 *regions, u32 num_regions,
		       struct sg_table *sg, struct dma_resv *resv,
		       struct vdgpu_bo **out)
{
	dma_resv_assert_held(resv);
	return __vdgpu_bo_create(vdev, size, regions, num_regions, 0,
				 ttm_bo_type_sg, sg, resv, 0, out);
}

/**
 * vdgpu_bo_put() - drop a reference to an object
 * @bo: the object, or NULL
 *
 * Context: Process context, may sleep.
 */
void vdgpu_bo_put(struct vdgpu_bo *bo)
{
	if (bo)
		drm_gem_object_put(&bo->tbo.base);
}

/**
 * vdgpu_bo_validate() - move an object into its placement
 * @bo: the object, its resv held
 * @ctx: TTM's operation context
 *
 * Brings an evicted or purged object back into its preferred region, or
 * the first fallback that has room.
 *
 * Context: Process context, may sleep; evicting takes other resvs.
 * Return: 0, -ENOSPC, -ENOMEM, -ERESTARTSYS, or -EBUSY with
 * @ctx->no_wait_gpu.
 */
int vdgpu_bo_validate(struct vdgpu_bo *bo, struct ttm_operation_ctx *ctx)
{
	vdgpu_bo_assert_held(bo);
	vdgpu_bo_mark_used(bo);
	return vdgpu_ttm_errno(ttm_bo_validate(&bo->tbo, &bo->placement, ctx));
}

/**
 * vdgpu_bo_gpu_mappable() - whether the GPU can reach an object at all
 * @bo: the object
 *
 * Context: Any; the regions are immutable.
 * Return: true if one of the object's regions is of class GTT or VRAM.
 */
bool vdgpu_bo_gpu_mappable(struct vdgpu_bo *bo)
{
	struct vdgpu_device *vdev = vdgpu_bo_device(bo);
	u32 i;

	for (i = 0; i < bo->num_regions; i++)
		if (vdgpu_region_get(vdev, bo->regions[i])->mem_class !=
		    DRM_VDGPU_MEM_CLASS_SYSTEM)
			return true;
	return false;
}

/*
 * In VRAM, or in GTT and allowed there: eviction puts objects in GTT even
 * when userspace did not list it, and such an object goes back.
 */
static bool vdgpu_bo_gpu_resident(struct vdgpu_bo *bo)
{
	struct ttm_resource *res = bo->tbo.resource;

	if (!res)
		return false;
	if (res->mem_type == TTM_PL_VRAM)
		return true;
	return res->mem_type == TTM_PL_TT &&
	       vdgpu_bo_allows(bo, DRM_VDGPU_REGION_GTT);
}

/**
 * vdgpu_bo_validate_gpu() - make an object reachable by the GPU
 * @bo: the object, its resv held; vdgpu_bo_gpu_mappable()
 * @ctx: TTM's operation context
 *
 * An object already in VRAM, or in GTT where it may live, stays there,
 * wherever it came from (a prefetch, an eviction): a bind or a submission
 * is no reason to move it.  Otherwise (in SYSTEM, or evicted into GTT
 * though userspace did not allow GTT) it goes to the first of its regions
 * of class VRAM or GTT with room, evicting from the first.
 *
 * Context: Process context, may sleep; evicting takes other resvs.
 * Return: 0, -ENOSPC, -ENOMEM, -EINVAL for an object the GPU cannot
 * reach, -ERESTARTSYS.
 */
int vdgpu_bo_validate_gpu(struct vdgpu_bo *bo, struct ttm_operation_ctx *ctx)
{
	struct ttm_place places[VDGPU_NUM_REGIONS + 1];
	struct ttm_placement placement = { .placement = places };
	u32 i, n = 0;

	vdgpu_bo_assert_held(bo);
	vdgpu_bo_mark_used(bo);
	if (vdgpu_bo_gpu_resident(bo))
		return 0;
	for (i = 0; i < bo->placement.num_placement; i++) {
		if (bo->places[i].mem_type == TTM_PL_SYSTEM)
			continue;
		places[n] = bo->places[i];
		/* The first the GPU reaches is the one to evict from. */
		if (!n)
			places[n].flags &= ~TTM_PL_FLAG_FALLBACK;
		n++;
	}
	/* Only the sentinel: no region the GPU reaches. */
	if (n < 2)
		return -EINVAL;
	placement.num_placement = n;
	return vdgpu_ttm_errno(ttm_bo_validate(&bo->tbo, &placement, ctx));
}

/**
 * vdgpu_bo_validate_region() - move an object into one region
 * @bo: the object, its resv held
 * @region: a region the object allows
 * @ctx: TTM's operation context
 *
 * Context: Process context, may sleep; evicting takes other resvs.
 * Return: 0, -EINVAL if the object does not allow @region, -ENOSPC,
 * -ENOMEM, -ERESTARTSYS.
 */
int vdgpu_bo_validate_region(struct vdgpu_bo *bo, u32 region,
			     struct ttm_operation_ctx *ctx)
{
	struct ttm_place places[2];
	struct ttm_placement placement = {
		.placement = places,
		.num_placement = 2,
	};

	vdgpu_bo_assert_held(bo);
	if (!vdgpu_bo_allows(bo, region))
		return -EINVAL;
	vdgpu_bo_mark_used(bo);
	vdgpu_bo_place(bo, region, &places[0]);
	places[1] = vdgpu_ttm_no_space_place;
	return vdgpu_ttm_errno(ttm_bo_validate(&bo->tbo, &placement, ctx));
}

/**
 * vdgpu_bo_pin() - keep an object where it is
 * @bo: the object, its resv held
 * @ctx: TTM's operation context, for the validation
 *
 * The first pin validates the object into its placement; pins are counted
 * and the object is not evicted or moved until the last vdgpu_bo_unpin().
 *
 * Context: Process context, may sleep.
 * Return: 0 or the errno of vdgpu_bo_validate(), with the count unchanged.
 */
int vdgpu_bo_pin(struct vdgpu_bo *bo, struct ttm_operation_ctx *ctx)
{
	int ret;

	vdgpu_bo_assert_held(bo);
	if (!bo->tbo.pin_count) {
		ret = vdgpu_bo_validate(bo, ctx);
		if (ret)
			return ret;
	}
	ttm_bo_pin(&bo->tbo);
	return 0;
}

/**
 * vdgpu_bo_unpin() - drop a pin taken with vdgpu_bo_pin()
 * @bo: the object, its resv held
 *
 * Context: Any context that holds the resv.
 */
void vdgpu_bo_unpin(struct vdgpu_bo *bo)
{
	vdgpu_bo_assert_held(bo);
	ttm_bo_unpin(&bo->tbo);
}

/*
 * Marked DONTNEED, idle, and with contents of its own: an imported
 * object's pages are the exporter's.  Called with the resv held.
 */
static bool vdgpu_bo_purgeable(struct vdgpu_bo *bo)
{
	return bo->madv == DRM_VDGPU_MADV_DONTNEED &&
	       bo->tbo.type != ttm_bo_type_sg &&
	       dma_resv_test_signaled(bo->tbo.base.resv,
				      DMA_RESV_USAGE_BOOKKEEP);
}

/**
 * vdgpu_bo_purge_on_evict() - decide whether an eviction purges the object
 * @bo: the object being evicted, its resv held
 *
 * An object marked DONTNEED that is idle is purged instead of moved, and
 * remembers it.  A busy one moves like any other: purging it would have to
 * wait for it first.
 *
 * Context: Called by TTM's eviction, under the object's resv.
 * Return: true if the caller is to discard the object's memory.
 */
bool vdgpu_bo_purge_on_evict(struct vdgpu_bo *bo)
{
	vdgpu_bo_assert_held(bo);
	if (!vdgpu_bo_purgeable(bo))
		return false;
	/* TTM frees the memory without a move: no mapping may outlive it. */
	ttm_bo_unmap_virtual(&bo->tbo);
	bo->purged = true;
	if (bo->tbo.resource)
		vdgpu_bo_record_move(bo, bo->tbo.resource->mem_type,
				     VDGPU_BO_NOWHERE, VDGPU_BO_MOVE_PURGE, 0);
	return true;
}

/**
 * vdgpu_bo_purge() - discard the system pages of a DONTNEED object
 * @bo: the object, its resv held
 * @ctx: TTM's operation context
 *
 * For the shrinker: an object marked DONTNEED, idle, unpinned and holding
 * populated system pages loses them; CPU mappings are zapped first, and
 * the object reports purged.  Objects in VRAM are left to eviction.
 *
 * Context: Process context, reclaim included; takes no other lock.
 * Return: the number of pages freed, 0 if the object was not purged.
 */
unsigned long vdgpu_bo_purge(struct vdgpu_bo *bo,
			     struct ttm_operation_ctx *ctx)
{
	struct ttm_buffer_object *tbo = &bo->tbo;
	struct ttm_placement none = {};
	unsigned long pages;
	u32 from;

	vdgpu_bo_assert_held(bo);
	if (!vdgpu_bo_purgeable(bo) || bo->purged || tbo->pin_count ||
	    !tbo->resource || tbo->resource->mem_type == TTM_PL_VRAM ||
	    !tbo->ttm || !ttm_tt_is_populated(tbo->ttm))
		return 0;

	pages = tbo->ttm->num_pages;
	from = tbo->resource->mem_type;
	ttm_bo_unmap_virtual(tbo);
	/* No placement at all: TTM drops the memory. */
	if (ttm_bo_validate(tbo, &none, ctx))
		return 0;
	vdgpu_vm_bo_move_notify(bo);
	bo->purged = true;
	vdgpu_bo_record_move(bo, from, VDGPU_BO_NOWHERE, VDGPU_BO_MOVE_PURGE, 0);
	return pages;
}

/**
 * vdgpu_bo_madvise() - say whether a user object's contents are needed
 * @bo: the object, its resv held
 * @advice: %DRM_VDGPU_MADV_WILLNEED or %DRM_VDGPU_MADV_DONTNEED
 *
 * DONTNEED lets eviction purge the object (vdgpu_bo_purge_on_evict()) and
 * moves it to the purgeable LRU priority, which eviction visits first;
 * WILLNEED moves it back to the user priority and forgets a purge.  The
 * shrinker's list of purgeable objects follows.
 *
 * Context: Any context that holds the resv; takes TTM's LRU lock and the
 * shrinker's lock.
 * Return: whether the contents were purged since the object was last
 * marked WILLNEED (or created).
 */
bool vdgpu_bo_madvise(struct vdgpu_bo *bo, u32 advice)
{
	bool purged;

	vdgpu_bo_assert_held(bo);
	purged = bo->purged;
	bo->madv = advice;
	if (advice == DRM_VDGPU_MADV_WILLNEED) {
		bo->purged = false;
		bo->tbo.priority = VDGPU_BO_PRIO_USER;
	} else {
		bo->tbo.priority = VDGPU_BO_PRIO_PURGEABLE;
	}
	/* Onto the LRU list of its new priority, and the shrinker's. */
	ttm_bo_move_to_lru_tail_unlocked(&bo->tbo);
	vdgpu_shrinker_madvise(bo);
	return purged;
}

/**
 * vdgpu_bo_region() - the region an object's memory is in now
 * @bo: the object, its resv held
 *
 * Context: Any context that holds the resv.
 * Return: a region id; %DRM_VDGPU_REGION_SYSTEM for an object without
 * memory (purged), which is where it would start again.
 */
u32 vdgpu_bo_region(struct vdgpu_bo *bo)
{
	const struct vdgpu_region *r;

	vdgpu_bo_assert_held(bo);
	if (!bo->tbo.resource)
		return DRM_VDGPU_REGION_SYSTEM;
	r = vdgpu_region_of_mem_type(vdgpu_bo_device(bo),
				     bo->tbo.resource->mem_type);
	return r ? r->id : DRM_VDGPU_REGION_SYSTEM;
}

/**
 * vdgpu_bo_mark_used() - note that an object is in use now
 * @bo: the object, its resv held
 *
 * Sets &vdgpu_bo.last_use, which debugfs shows as the age of the objects
 * on the LRU lists.
 *
 * Context: Any context that holds the resv.
 */
void vdgpu_bo_mark_used(struct vdgpu_bo *bo)
{
	vdgpu_bo_assert_held(bo);
	WRITE_ONCE(bo->last_use, jiffies);
}

/**
 * vdgpu_bo_record_move() - add a move to an object's history
 * @bo: the object, its resv held
 * @from: the TTM placement it leaves, or %VDGPU_BO_NOWHERE
 * @to: the TTM placement it enters, or %VDGPU_BO_NOWHERE
 * @reason: why
 * @bytes: bytes copied, cleared or swapped for it, 0 if no data moved
 *
 * The history keeps the last %VDGPU_BO_MOVE_HISTORY moves, for debugfs
 * (bo_moves); a move also counts as a use (vdgpu_bo_mark_used()).
 *
 * Context: Any context that holds the resv; takes no lock.
 */
void vdgpu_bo_record_move(struct vdgpu_bo *bo, u32 from, u32 to,
			  enum vdgpu_bo_move_reason reason, u64 bytes)
{
	struct vdgpu_bo_move *move;

	vdgpu_bo_mark_used(bo);
	move = &bo->moves[bo->num_moves++ % VDGPU_BO_MOVE_HISTORY];
	*move = (struct vdgpu_bo_move){
		.time = ktime_get(),
		.bytes = bytes,
		.from = min_t(u32, from, VDGPU_BO_NOWHERE),
		.to = min_t(u32, to, VDGPU_BO_NOWHERE),
		.reason = reason,
	};
}

static struct vdgpu_bo *vdgpu_bo_lookup(struct drm_file *file, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);

	return obj ? gem_to_vdgpu_bo(obj) : NULL;
}

static int vdgpu_gem_check_regions(struct vdgpu_device *vdev,
				   const u32 *regions, u32 n)
{
	u32 i, seen = 0;

	for (i = 0; i < n; i++) {
		if (!vdgpu_region_get(vdev, regions[i]) ||
		    seen & BIT(regions[i]))
			return -EINVAL;
		seen |= BIT(regions[i]);
	}
	return 0;
}

/**
 * vdgpu_gem_max_object_size() - the largest object GEM_CREATE accepts
 * @vdev: the device
 *
 * Context: Any.
 * Return: the size of the largest region, page aligned.
 */
u64 vdgpu_gem_max_object_size(struct vdgpu_device *vdev)
{
	u32 all[VDGPU_NUM_REGIONS], i;

	for (i = 0; i < VDGPU_NUM_REGIONS; i++)
		all[i] = i;
	return PAGE_ALIGN_DOWN(vdgpu_bo_max_size(vdev, all, VDGPU_NUM_REGIONS));
}

/**
 * vdgpu_gem_create_ioctl() - &DRM_IOCTL_VDGPU_GEM_CREATE
 * @drm: the device
 * @data: &struct drm_vdgpu_gem_create, copied in by the DRM core
 * @file: the file the handle is created in
 *
 * Context: Process context, may sleep; see vdgpu_bo_create().
 * Return: 0 or a negative errno, as &struct drm_vdgpu_gem_create documents;
 * on error no handle exists and no memory stays allocated.
 */
int vdgpu_gem_create_ioctl(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct vdgpu_device *vdev = to_vdgpu_device(drm);
	struct drm_vdgpu_gem_create *args = data;
	struct drm_gem_object *r_obj = NULL;
	u32 regions[VDGPU_NUM_REGIONS];
	struct vdgpu_bo *bo;
	u32 handle;
	int ret, idx;

	if (args->extensions || args->handle || args->reserved[0] ||
	    args->reserved[1])
		return -EINVAL;
	if (args->flags & ~VDGPU_GEM_CREATE_FLAGS)
		return -EINVAL;
	if ((args->flags & DRM_VDGPU_GEM_CREATE_CPU_ACCESS) &&
	    (args->flags & DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS))
		return -EINVAL;
	if (!args->size || args->size > vdgpu_gem_max_object_size(vdev))
		return -EINVAL;
	if (!args->num_regions || args->num_regions > VDGPU_NUM_REGIONS)
		return -EINVAL;
	if (copy_from_user(regions, u64_to_user_ptr(args->regions),
			   args->num_regions * sizeof(*regions)))
		return -EFAULT;
	ret = vdgpu_gem_check_regions(vdev, regions, args->num_regions);
	if (ret)
		return ret;
	if (args->vm_id) {
		r_obj = vdgpu_vm_resv_obj(file, args->vm_id);
		if (!r_obj)
			return -ENOENT;
	}

	if (!drm_dev_enter(drm, &idx)) {
		ret = -ENODEV;
		goto out_put;
	}
	if (r_obj)
		ret = vdgpu_bo_create_private(vdev, PAGE_ALIGN(args->size),
					      regions, args->num_regions,
					      args->flags, r_obj,
					      file->client_id, &bo);
	else
		ret = __vdgpu_bo_create(vdev, PAGE_ALIGN(args->size), regions,
					args->num_regions, args->flags,
					ttm_bo_type_device, NULL, NULL,
					file->client_id, &bo);
	if (!ret) {
		ret = drm_gem_handle_create(file, &bo->tbo.base, &handle);
		/* The handle holds the object now, or nothing does. */
		vdgpu_bo_put(bo);
	}
	drm_dev_exit(idx);
	if (!ret)
		args->handle = handle;
out_put:
	if (r_obj)
		drm_gem_object_put(r_obj);
	return ret;
}

/**
 * vdgpu_gem_mmap_offset_ioctl() - &DRM_IOCTL_VDGPU_GEM_MMAP_OFFSET
 * @drm: the device
 * @data: &struct drm_vdgpu_gem_mmap_offset
 * @file: the file holding the handle
 *
 * Context: Process context.
 * Return: 0 or a negative errno, as &struct drm_vdgpu_gem_mmap_offset
 * documents.
 */
int vdgpu_gem_mmap_offset_ioctl(struct drm_device *drm, void *data,
				struct drm_file *file)
{
	struct drm_vdgpu_gem_mmap_offset *args = data;
	struct vdgpu_bo *bo;
	int ret = 0;

	if (args->extensions || args->flags || args->offset ||
	    args->reserved[0] || args->reserved[1])
		return -EINVAL;

	bo = vdgpu_bo_lookup(file, args->handle);
	if (!bo)
		return -ENOENT;
	if (bo->flags & DRM_VDGPU_GEM_CREATE_NO_CPU_ACCESS)
		ret = -EINVAL;
	else
		args->offset = drm_vma_node_offset_addr(&bo->tbo.base.vma_node);
	vdgpu_bo_put(bo);
	return ret;
}

/**
 * vdgpu_gem_wait_ioctl() - &DRM_IOCTL_VDGPU_GEM_WAIT
 * @drm: the device
 * @data: &struct drm_vdgpu_gem_wait
 * @file: the file holding the handle
 *
 * Context: Process context, sleeps interruptibly; takes no lock.
 * Return: 0 or a negative errno, as &struct drm_vdgpu_gem_wait documents.
 */
int vdgpu_gem_wait_ioctl(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct drm_vdgpu_gem_wait *args = data;
	struct vdgpu_bo *bo;
	long ret;

	if (args->extensions || args->flags || args->reserved[0] ||
	    args->reserved[1])
		return -EINVAL;

	bo = vdgpu_bo_lookup(file, args->handle);
	if (!bo)
		return -ENOENT;
	ret = dma_resv_wait_timeout(bo->tbo.base.resv, DMA_RESV_USAGE_BOOKKEEP,
				    true,
				    drm_timeout_abs_to_jiffies(args->timeout_ns));
	vdgpu_bo_put(bo);

	if (ret < 0)
		return ret;
	return ret ? 0 : -ETIME;
}

/**
 * vdgpu_gem_info_ioctl() - &DRM_IOCTL_VDGPU_GEM_INFO
 * @drm: the device
 * @data: &struct drm_vdgpu_gem_info
 * @file: the file holding the handle
 *
 * Context: Process context; takes the object's resv, interruptibly.
 * Return: 0 or a negative errno, as &struct drm_vdgpu_gem_info documents.
 */
int vdgpu_gem_info_ioctl(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct drm_vdgpu_gem_info *args = data;
	struct vdgpu_bo *bo;
	u32 i;
	int ret;

	if (args->extensions || args->pad || args->size || args->region ||
	    args->allowed_regions || args->flags || args->state ||
	    args->reserved[0] || args->reserved[1])
		return -EINVAL;

	bo = vdgpu_bo_lookup(file, args->handle);
	if (!bo)
		return -ENOENT;
	ret = dma_resv_lock_interruptible(bo->tbo.base.resv, NULL);
	if (ret)
		goto out_put;

	args->size = bo->tbo.base.size;
	args->region = vdgpu_bo_region(bo);
	for (i = 0; i < bo->num_regions; i++)
		args->allowed_regions |= BIT(bo->regions[i]);
	args->flags = bo->flags;
	if (bo->madv == DRM_VDGPU_MADV_DONTNEED)
		args->state |= DRM_VDGPU_GEM_STATE_DONTNEED;
	if (bo->purged)
		args->state |= DRM_VDGPU_GEM_STATE_PURGED;
	dma_resv_unlock(bo->tbo.base.resv);
out_put:
	vdgpu_bo_put(bo);
	return ret;
}

/**
 * vdgpu_gem_madvise_ioctl() - &DRM_IOCTL_VDGPU_GEM_MADVISE
 * @drm: the device
 * @data: &struct drm_vdgpu_gem_madvise
 * @file: the file holding the handle
 *
 * Context: Process context; takes the object's resv, interruptibly, and
 * TTM's LRU lock.
 * Return: 0 or a negative errno, as &struct drm_vdgpu_gem_madvise
 * documents.
 */
int vdgpu_gem_madvise_ioctl(struct drm_device *drm, void *data,
			    struct drm_file *file)
{
	struct drm_vdgpu_gem_madvise *args = data;
	struct vdgpu_bo *bo;
	int ret;

	if (args->extensions || args->purged || args->pad ||
	    args->reserved[0] || args->reserved[1])
		return -EINVAL;
	if (args->advice != DRM_VDGPU_MADV_WILLNEED &&
	    args->advice != DRM_VDGPU_MADV_DONTNEED)
		return -EINVAL;

	bo = vdgpu_bo_lookup(file, args->handle);
	if (!bo)
		return -ENOENT;
	ret = dma_resv_lock_interruptible(bo->tbo.base.resv, NULL);
	if (ret)
		goto out_put;

	args->purged = vdgpu_bo_madvise(bo, args->advice);
	dma_resv_unlock(bo->tbo.base.resv);
out_put:
	vdgpu_bo_put(bo);
	return ret;
}
