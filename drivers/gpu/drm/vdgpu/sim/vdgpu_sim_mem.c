// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vdgpu_sim.h"

/**
 * DOC: Model memory
 *
 * VRAM is vram_size bytes of kernel pages, allocated in chunks of 2 MiB where
 * the page allocator has them and of smaller orders where it does not, each
 * a compound page.  A page array maps each VRAM page to its host page; the BAR window is a vmap()
 * of the first visible_vram_size bytes.  VRAM powers up, and comes back from
 * VRAM_LOST, full of pseudo-random bytes, so that nothing can rely on memory
 * the driver did not clear.
 *
 * Every engine access goes through vdgpu_sim_resolve() or
 * vdgpu_sim_bus_rw(), which bounds-check it against VRAM and turn bus
 * addresses into pages only when they are RAM the page allocator manages
 * (pfn_valid() and not PageReserved()): the model never touches memory that
 * is neither VRAM nor a page the driver could have given it, and in
 * particular not memory holes, firmware tables or the kernel image, which
 * may not even be mapped.  The bus has no IOMMU and no offset, so a bus
 * address is a physical address.
 */

#define VDGPU_SIM_CHUNK_ORDER	(21 - PAGE_SHIFT)

static void vdgpu_sim_fill_random(void *va, size_t len, u64 *state)
{
	u64 *p = va, x = *state;
	size_t i;

	/* xorshift64: cheap enough for gigabytes, random enough for garbage */
	for (i = 0; i < len / sizeof(u64); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = x;
	}
	*state = x;
}

/**
 * vdgpu_sim_vram_scramble() - fill all of VRAM with garbage
 * @sim: the device
 *
 * Context: Process context, may sleep.
 */
void vdgpu_sim_vram_scramble(struct vdgpu_sim *sim)
{
	u64 state = get_random_u64() | 1;
	unsigned long i;

	for (i = 0; i < sim->npages; i++) {
		void *va = kmap_local_page(sim->pages[i]);

		vdgpu_sim_fill_random(va, PAGE_SIZE, &state);
		kunmap_local(va);
		if (!(i % 512))
			cond_resched();
	}
}

static struct page *vdgpu_sim_alloc_chunk(unsigned int *order)
{
	struct page *page;

	for (;;) {
		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY |
				   (*order ? __GFP_COMP : 0), *order);
		if (page || !*order)
			return page;
		(*order)--;
	}
}

/* Chunks are compound pages, so the page array is all it takes to free. */
static void vdgpu_sim_free_chunks(struct vdgpu_sim *sim, unsigned long npages)
{
	unsigned long i = 0;

	while (i < npages) {
		unsigned int order = compound_order(sim->pages[i]);

		__free_pages(sim->pages[i], order);
		i += 1ul << order;
	}
}

/**
 * vdgpu_sim_vram_init() - allocate VRAM and map its BAR window
 * @sim: the device, with its parameters set
 *
 * Context: Process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int vdgpu_sim_vram_init(struct vdgpu_sim *sim)
{
	unsigned long npages = sim->params.vram_size >> PAGE_SHIFT;
	unsigned int order = VDGPU_SIM_CHUNK_ORDER;
	unsigned long done = 0, i;

	sim->pages = kvmalloc_array(npages, sizeof(*sim->pages), GFP_KERNEL);
	if (!sim->pages)
		return -ENOMEM;

	while (done < npages) {
		struct page *page;

		order = min_t(unsigned int, order, ilog2(npages - done));
		page = vdgpu_sim_alloc_chunk(&order);
		if (!page)
			goto err_free_chunks;
		for (i = 0; i < (1ul << order); i++)
			sim->pages[done + i] = page + i;
		done += 1ul << order;
		cond_resched();
	}
	sim->npages = npages;
	vdgpu_sim_vram_scramble(sim);

	sim->bar = vmap(sim->pages, sim->params.visible_vram_size >> PAGE_SHIFT,
			VM_MAP, PAGE_KERNEL);
	if (!sim->bar)
		goto err_free_chunks;
	return 0;

err_free_chunks:
	vdgpu_sim_free_chunks(sim, done);
	kvfree(sim->pages);
	return -ENOMEM;
}

/**
 * vdgpu_sim_vram_fini() - unmap and free VRAM
 * @sim: the device, whose engines are stopped
 *
 * Context: Process context, may sleep.
 */
void vdgpu_sim_vram_fini(struct vdgpu_sim *sim)
{
	vunmap(sim->bar);
	vdgpu_sim_free_chunks(sim, sim->npages);
	kvfree(sim->pages);
}

/**
 * vdgpu_sim_vram_read64() - read a naturally aligned qword of VRAM
 * @sim: the device
 * @offset: VRAM offset
 * @val: the value read
 *
 * Context: Any context.
 * Return: false if @offset is misaligned or outside VRAM.
 */
bool vdgpu_sim_vram_read64(struct vdgpu_sim *sim, u64 offset, u64 *val)
{
	u64 *va;

	if (!IS_ALIGNED(offset, sizeof(u64)) || offset >= sim->params.vram_size)
		return false;
	va = kmap_local_page(sim->pages[offset >> PAGE_SHIFT]);
	*val = le64_to_cpu(READ_ONCE(*(__le64 *)((void *)va + offset_in_page(offset))));
	kunmap_local(va);
	return true;
}

/**
 * vdgpu_sim_vram_write64() - write a naturally aligned qword of VRAM
 * @sim: the device
 * @offset: VRAM offset
 * @val: the value to write
 *
 * Context: Any context.
 * Return: false if @offset is misaligned or outside VRAM.
 */
bool vdgpu_sim_vram_write64(struct vdgpu_sim *sim, u64 offset, u64 val)
{
	void *va;

	if (!IS_ALIGNED(offset, sizeof(u64)) || offset >= sim->params.vram_size)
		return false;
	va = kmap_local_page(sim->pages[offset >> PAGE_SHIFT]);
	WRITE_ONCE(*(__le64 *)(va + offset_in_page(offset)), cpu_to_le64(val));
	kunmap_local(va);
	return true;
}

static struct page *vdgpu_sim_bus_page(u64 addr)
{
	unsigned long pfn = PHYS_PFN(addr);
	struct page *page;

	if (!pfn_valid(pfn))
		return NULL;
	page = pfn_to_page(pfn);
	return PageReserved(page) ? NULL : page;
}

/**
 * vdgpu_sim_bus_rw() - access system memory by bus address
 * @sim: the device
 * @addr: bus address
 * @buf: the data
 * @len: its length
 * @write: write @buf to memory rather than read into it
 *
 * Context: Any context.
 * Return: 0, or -EFAULT if part of the range is not RAM.
 */
int vdgpu_sim_bus_rw(struct vdgpu_sim *sim, u64 addr, void *buf, size_t len,
		     bool write)
{
	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - offset_in_page(addr));
		struct page *page = vdgpu_sim_bus_page(addr);
		void *va;

		if (!page)
			return -EFAULT;
		va = kmap_local_page(page);
		if (write)
			memcpy(va + offset_in_page(addr), buf, n);
		else
			memcpy(buf, va + offset_in_page(addr), n);
		kunmap_local(va);
		addr += n;
		buf += n;
		len -= n;
	}
	return 0;
}

static int vdgpu_sim_fault(struct vdgpu_sim_access *acc, u32 ctx, u32 reason,
			   u64 addr)
{
	acc->fault_info = FIELD_PREP(VDGPU_FAULT_INFO_CTX, ctx) |
			  FIELD_PREP(VDGPU_FAULT_INFO_REASON, reason) |
			  (acc->write ? VDGPU_FAULT_INFO_WRITE : 0);
	acc->fault_addr = addr;
	return -EFAULT;
}

/* The page an allowed leaf entry points at, @offset bytes into it. */
static int vdgpu_sim_resolve_leaf(struct vdgpu_sim *sim,
				  struct vdgpu_sim_access *acc, u64 pte,
				  u64 offset, struct vdgpu_sim_span *span)
{
	u64 target = (pte & VDGPU_PTE_ADDR) + offset;
	struct page *page;

	if (pte & VDGPU_PTE_SYSTEM) {
		page = vdgpu_sim_bus_page(target);
		if (!page)
			return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_BUS_ADDRESS);
		span->vram = false;
	} else {
		if (target >= sim->params.vram_size)
			return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ADDRESS);
		page = sim->pages[target >> PAGE_SHIFT];
		span->vram = true;
	}
	span->page = page;
	span->offset = offset_in_page(target);
	span->len = VDGPU_GPU_PAGE_SIZE - (target & (VDGPU_GPU_PAGE_SIZE - 1));
	return 0;
}

static int vdgpu_sim_resolve_gtt(struct vdgpu_sim *sim,
				 struct vdgpu_sim_access *acc, u64 addr,
				 struct vdgpu_sim_span *span)
{
	u64 index = (addr - VDGPU_GTT_BASE) / VDGPU_GPU_PAGE_SIZE;
	unsigned long flags;
	u64 base, pte;
	u32 ctrl;

	spin_lock_irqsave(&sim->lock, flags);
	base = sim->gart_base;
	ctrl = sim->gart_ctrl;
	spin_unlock_irqrestore(&sim->lock, flags);

	if (!(ctrl & VDGPU_GART_CTRL_ENABLE))
		return vdgpu_sim_fault(acc, VDGPU_FAULT_CTX_GART,
				       VDGPU_FAULT_DISABLED, addr);
	if (!vdgpu_sim_vram_read64(sim, base + index * sizeof(u64), &pte))
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ADDRESS);
	if (!(pte & VDGPU_PTE_VALID))
		return vdgpu_sim_fault(acc, VDGPU_FAULT_CTX_GART,
				       VDGPU_FAULT_NOT_PRESENT, addr);
	if (pte & (VDGPU_PTE_RESERVED | VDGPU_PTE_HUGE | VDGPU_PTE_64K))
		return vdgpu_sim_fault(acc, VDGPU_FAULT_CTX_GART,
				       VDGPU_FAULT_BAD_PTE, addr);
	if (acc->write && !(pte & VDGPU_PTE_WRITABLE))
		return vdgpu_sim_fault(acc, VDGPU_FAULT_CTX_GART,
				       VDGPU_FAULT_READ_ONLY, addr);
	return vdgpu_sim_resolve_leaf(sim, acc, pte,
				      addr & (VDGPU_GPU_PAGE_SIZE - 1), span);
}

static int vdgpu_sim_resolve_virt(struct vdgpu_sim *sim,
				  struct vdgpu_sim_access *acc, u64 va,
				  struct vdgpu_sim_span *span)
{
	u32 ctx = acc->ctx;
	unsigned long flags;
	u64 table, pte = 0;
	int level;

	if (ctx >= VDGPU_NUM_CONTEXTS || va >> VDGPU_VA_BITS)
		return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ADDRESS);

	spin_lock_irqsave(&sim->lock, flags);
	table = sim->ctx_root[ctx];
	spin_unlock_irqrestore(&sim->lock, flags);
	if (!(table & VDGPU_CTX_ROOT_ENABLE))
		return vdgpu_sim_fault(acc, ctx, VDGPU_FAULT_DISABLED, va);
	table &= VDGPU_PTE_ADDR;

	for (level = VDGPU_PT_LEVELS - 1; level >= 0; level--) {
		u64 index = (va >> VDGPU_PT_SHIFT(level)) % VDGPU_PT_ENTRIES;
		u64 page_mask;

		if (level == 0 && !IS_ALIGNED(index, 16)) {
			u64 first;

			/* A 64 KiB group is described by its first entry. */
			if (!vdgpu_sim_vram_read64(sim, table + index * 8, &pte))
				return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ADDRESS);
			if ((pte & VDGPU_PTE_VALID) && (pte & VDGPU_PTE_64K)) {
				if (!vdgpu_sim_vram_read64(sim,
							   table + ALIGN_DOWN(index, 16) * 8,
							   &first))
					return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ADDRESS);
				if (!(first & VDGPU_PTE_64K))
					return vdgpu_sim_fault(acc, ctx,
							       VDGPU_FAULT_BAD_PTE, va);
				pte = first;
			}
		} else if (!vdgpu_sim_vram_read64(sim, table + index * 8, &pte)) {
			return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ADDRESS);
		}

		if (!(pte & VDGPU_PTE_VALID))
			return vdgpu_sim_fault(acc, ctx, VDGPU_FAULT_NOT_PRESENT, va);
		if (pte & VDGPU_PTE_RESERVED)
			return vdgpu_sim_fault(acc, ctx, VDGPU_FAULT_BAD_PTE, va);

		if (level == 1 && (pte & VDGPU_PTE_HUGE))
			page_mask = SZ_2M - 1;
		else if (level == 0 && (pte & VDGPU_PTE_64K))
			page_mask = SZ_64K - 1;
		else if (level == 0)
			page_mask = SZ_4K - 1;
		else
			page_mask = 0;

		if (!page_mask) {
			/* A directory entry: the next table, in VRAM. */
			if (pte & (VDGPU_PTE_SYSTEM | VDGPU_PTE_HUGE |
				   VDGPU_PTE_64K))
				return vdgpu_sim_fault(acc, ctx,
						       VDGPU_FAULT_BAD_PTE, va);
			table = pte & VDGPU_PTE_ADDR;
			continue;
		}

		if ((pte & VDGPU_PTE_ADDR) & page_mask ||
		    (level == 1 && (pte & VDGPU_PTE_64K)) ||
		    (level == 0 && (pte & VDGPU_PTE_HUGE)))
			return vdgpu_sim_fault(acc, ctx, VDGPU_FAULT_BAD_PTE, va);
		if (acc->write && !(pte & VDGPU_PTE_WRITABLE))
			return vdgpu_sim_fault(acc, ctx, VDGPU_FAULT_READ_ONLY, va);
		return vdgpu_sim_resolve_leaf(sim, acc, pte, va & page_mask,
					      span);
	}
	/* Level 0 entries are always leaves. */
	return vdgpu_sim_fault(acc, ctx, VDGPU_FAULT_BAD_PTE, va);
}

/**
 * vdgpu_sim_resolve() - translate one engine access
 * @sim: the device
 * @acc: the access; on refusal, the reason is stored here
 * @addr: a device physical or, with @acc->virt, a virtual address
 * @span: where the access lands, up to the end of its device page
 *
 * Context: Any context.
 * Return: 0; -EIO for an ERROR (@acc->error set) or -EFAULT for a FAULT
 * (@acc->fault_info and @acc->fault_addr set).
 */
int vdgpu_sim_resolve(struct vdgpu_sim *sim, struct vdgpu_sim_access *acc,
		      u64 addr, struct vdgpu_sim_span *span)
{
	if (acc->virt)
		return vdgpu_sim_resolve_virt(sim, acc, addr, span);

	if (addr < sim->params.vram_size)
		return vdgpu_sim_resolve_leaf(sim, acc, VDGPU_PTE_VALID,
					      addr, span);
	if (addr >= VDGPU_GTT_BASE &&
	    addr - VDGPU_GTT_BASE < sim->params.gart_size)
		return vdgpu_sim_resolve_gtt(sim, acc, addr, span);
	return vdgpu_sim_refuse(acc, VDGPU_ERROR_BAD_ADDRESS);
}
