/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_SIM_H_
#define _VDGPU_SIM_H_

#include <linux/irq_work.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "../vdgpu_params.h"
#include "../vdgpu_regs.h"

/*
 * Private to the device model: the driver never includes this file.  The
 * board interface is in vdgpu_sim_board.h.
 */

/**
 * DOC: Model locking
 *
 * - &vdgpu_sim.lock (spinlock, irqsave) is the register file: every
 *   register, including each engine's, is read and written under it, from
 *   MMIO (any context, hard interrupt included) and from the engines'
 *   workers.  It is innermost: nothing else is taken under it except the
 *   irq_work and workqueue queueing primitives, and memory (VRAM, rings,
 *   system pages) is never touched with it held.
 * - An engine's execution state (the packet being executed, its byte
 *   counts) belongs to its work item, which the workqueue never runs twice
 *   at once; nothing else touches it.  &vdgpu_sim_engine.ctrl is also read
 *   without the lock, with READ_ONCE(), to notice a reset request inside a
 *   long transfer.
 * - VRAM and system memory are not locked, as on real hardware: concurrent
 *   engine and CPU accesses to the same bytes race, and ordering them is
 *   the driver's business (fences, ring order).
 * - vdgpu_sim_debugfs_lock (mutex) serialises creating and removing the
 *   shared /sys/kernel/debug/vdgpu_sim directory between devices; nothing
 *   nests inside it but debugfs.
 */

struct dentry;
struct fwnode_handle;
struct irq_domain;
struct page;
struct platform_device;
struct vdgpu_sim;

/**
 * struct vdgpu_sim_engine - one engine of the model
 *
 * The register fields are the engine's register file: they are read and
 * written under &vdgpu_sim.lock, by MMIO and by the engine's worker.  The
 * worker's own state is touched only by @work, which the workqueue never
 * runs twice at once.
 */
struct vdgpu_sim_engine {
	/** @sim: the device */
	struct vdgpu_sim *sim;
	/** @id: engine number */
	unsigned int id;
	/** @work: fetches and executes packets, and performs resets */
	struct work_struct work;

	/** @ring_base: RING_BASE register */
	u64 ring_base;
	/** @ring_size: RING_SIZE register */
	u32 ring_size;
	/** @head: RING_HEAD register */
	u32 head;
	/** @tail: RING_TAIL register */
	u32 tail;
	/** @ctrl: CTRL register; RESET is also read locklessly by @work */
	u32 ctrl;
	/** @status: the sticky STATUS bits: HALTED, ERROR, FAULT */
	u32 status;
	/** @busy: a packet is executing */
	bool busy;
	/** @error_code: ERROR_CODE register */
	u32 error_code;
	/** @fault_info: FAULT_INFO register */
	u32 fault_info;
	/** @fault_addr: FAULT_ADDR register */
	u64 fault_addr;
	/** @hang: INJECT.HANG */
	bool hang;
	/** @reset_hang: INJECT.RESET_HANG, which a reset does not clear */
	bool reset_hang;
	/** @fail_count: INJECT.FAIL_COUNT */
	u32 fail_count;

	/** @pkt: the packet being executed, header first; @work only */
	u32 pkt[VDGPU_PKT_MAX_DW + 1];
	/** @vram_bytes: VRAM bytes moved since the last pacing; @work only */
	u64 vram_bytes;
	/** @bus_bytes: bus bytes moved since the last pacing; @work only */
	u64 bus_bytes;
	/**
	 * @deadline: when the current packet may complete under the
	 * bandwidth model; @work only
	 */
	ktime_t deadline;
};

/**
 * struct vdgpu_sim - one emulated vdgpu device
 */
struct vdgpu_sim {
	/** @params: the configuration, immutable */
	struct vdgpu_params params;
	/** @id: platform device id */
	int id;
	/** @pdev: the platform device presenting the device to the driver */
	struct platform_device *pdev;

	/**
	 * @pages: VRAM page by page, for address lookups; the backing store
	 * is the compound pages these belong to
	 */
	struct page **pages;
	/** @npages: VRAM size in pages */
	unsigned long npages;
	/** @bar: kernel mapping of the visible part of VRAM */
	void *bar;
	/** @bus: the bus description handed to the driver */
	struct vdgpu_bus bus;

	/**
	 * @lock: protects the register file: the interrupt, GART and context
	 * registers below and the register fields of each engine.  Taken from
	 * any context (MMIO may come from hard interrupt context), innermost,
	 * never held while touching memory.
	 */
	spinlock_t lock;
	/** @int_status: INT_STATUS */
	u32 int_status;
	/** @int_mask: INT_MASK */
	u32 int_mask;
	/** @gart_base: GART_BASE */
	u64 gart_base;
	/** @gart_ctrl: GART_CTRL */
	u32 gart_ctrl;
	/** @ctx_root: CTX_ROOT of each context */
	u64 ctx_root[VDGPU_NUM_CONTEXTS];
	/** @vram_lost: a VRAM_LOST scramble is pending or running */
	bool vram_lost;

	/** @engines: the engines */
	struct vdgpu_sim_engine engines[VDGPU_NUM_ENGINES];
	/** @wq: runs the engines' workers and @vram_lost_work */
	struct workqueue_struct *wq;
	/** @vram_lost_work: scrambles VRAM for VRAM_LOST */
	struct work_struct vram_lost_work;

	/** @irq_work: delivers the interrupt in hard interrupt context */
	struct irq_work irq_work;
	/** @fwnode: names @domain */
	struct fwnode_handle *fwnode;
	/** @domain: the device's interrupt controller, one line */
	struct irq_domain *domain;
	/** @virq: the Linux interrupt number of the line */
	unsigned int virq;

	/** @vram_bandwidth: VRAM bandwidth in MB/s, 0 for unthrottled */
	u32 vram_bandwidth;
	/** @pcie_bandwidth: bus bandwidth in MB/s, 0 for unthrottled */
	u32 pcie_bandwidth;
	/** @debugfs: the test hooks' directory */
	struct dentry *debugfs;
};

/**
 * struct vdgpu_sim_access - one memory access of an engine
 *
 * Filled by the engine, completed by vdgpu_sim_resolve() with the reason
 * when the access is refused.
 */
struct vdgpu_sim_access {
	/** @ctx: MMU context of a virtual access */
	u32 ctx;
	/** @virt: the address is virtual */
	bool virt;
	/** @write: the access writes */
	bool write;
	/** @error: the ERROR_CODE of a refused access, or 0 */
	u32 error;
	/** @fault_info: the FAULT_INFO of a faulting access, or 0 */
	u32 fault_info;
	/** @fault_addr: the faulting address */
	u64 fault_addr;
};

/**
 * struct vdgpu_sim_span - where an access lands in host memory
 */
struct vdgpu_sim_span {
	/** @page: the host page */
	struct page *page;
	/** @offset: offset into @page */
	unsigned int offset;
	/** @len: bytes reachable from @offset within one device page */
	unsigned int len;
	/** @vram: the page is VRAM, else system memory */
	bool vram;
};

/**
 * vdgpu_sim_refuse() - refuse an access or a packet with an ERROR
 * @acc: the access
 * @error: the ERROR_CODE to halt the engine with
 *
 * Context: Any context.
 * Return: -EIO, for the caller to pass on.
 */
static inline int vdgpu_sim_refuse(struct vdgpu_sim_access *acc, u32 error)
{
	acc->error = error;
	return -EIO;
}

int vdgpu_sim_vram_init(struct vdgpu_sim *sim);
void vdgpu_sim_vram_fini(struct vdgpu_sim *sim);
void vdgpu_sim_vram_scramble(struct vdgpu_sim *sim);
bool vdgpu_sim_vram_read64(struct vdgpu_sim *sim, u64 offset, u64 *val);
bool vdgpu_sim_vram_write64(struct vdgpu_sim *sim, u64 offset, u64 val);
int vdgpu_sim_bus_rw(struct vdgpu_sim *sim, u64 addr, void *buf, size_t len,
		     bool write);

int vdgpu_sim_resolve(struct vdgpu_sim *sim, struct vdgpu_sim_access *acc,
		      u64 addr, struct vdgpu_sim_span *span);

u32 vdgpu_sim_mmio_read(const struct vdgpu_bus *bus, u32 reg);
void vdgpu_sim_mmio_write(const struct vdgpu_bus *bus, u32 reg, u32 val);

int vdgpu_sim_irq_init(struct vdgpu_sim *sim);
void vdgpu_sim_irq_fini(struct vdgpu_sim *sim);
void __vdgpu_sim_irq_raise(struct vdgpu_sim *sim, u32 bits);
void __vdgpu_sim_irq_update(struct vdgpu_sim *sim);

void vdgpu_sim_engines_init(struct vdgpu_sim *sim);
void vdgpu_sim_engines_fini(struct vdgpu_sim *sim);
void vdgpu_sim_engine_work(struct work_struct *work);

#if IS_ENABLED(CONFIG_DEBUG_FS)
void vdgpu_sim_debugfs_init(struct vdgpu_sim *sim);
void vdgpu_sim_debugfs_fini(struct vdgpu_sim *sim);
#else
static inline void vdgpu_sim_debugfs_init(struct vdgpu_sim *sim) { }
static inline void vdgpu_sim_debugfs_fini(struct vdgpu_sim *sim) { }
#endif

#endif
