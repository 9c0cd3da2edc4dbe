/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_REGS_H_
#define _VDGPU_REGS_H_

#include <linux/bits.h>
#include <linux/iosys-map.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include "vdgpu_params.h"

/**
 * DOC: Programming model
 *
 * This is the manual of the vdgpu hardware, the only description of it the
 * driver uses.  The device has
 *
 * - device-local memory (VRAM) of which the first part is CPU-visible
 *   through a BAR window,
 * - a GART translating a GTT aperture in the device's physical address space
 *   to system memory pages,
 * - a GPU MMU with 16 address-space contexts of four-level page tables,
 * - three engines (two copy engines and one compute engine), each consuming
 *   a ring of packets in system memory,
 * - one interrupt line with a status and a mask register.
 *
 * Registers are 32 bits wide and naturally aligned; 64-bit quantities are
 * split into a _LO and a _HI register, written low then high.  Reserved bits
 * read as zero and must be written as zero.  All memory structures the
 * device reads or writes (rings, page tables, packets' payloads) are
 * little-endian.
 *
 * Addresses come in three kinds:
 *
 * Bus addresses
 *	What the device emits on the bus to reach system memory: DMA addresses
 *	as returned by the DMA API for this device.  Rings and fence writes
 *	use them directly.  An access to a bus address that is not system RAM
 *	is an ERROR.
 *
 * Device physical addresses
 *	VRAM at [0, vram_size), the GTT aperture at
 *	[VDGPU_GTT_BASE, VDGPU_GTT_BASE + gart_size).  Anything else is an
 *	ERROR.
 *
 * Virtual addresses
 *	48-bit addresses of one MMU context, translated through its page
 *	tables.  An access the tables do not allow is a FAULT.
 */

/**
 * DOC: Bus interface
 *
 * The device sits on a bus the driver does not see directly.  Whoever
 * creates the device (the "board": the module's init code for the emulated
 * device, a PCI probe for a real one) describes it with &struct vdgpu_bus and
 * hands it to the platform driver in &struct vdgpu_platform_data, together
 * with the device's configuration.
 *
 * Register accesses go through @read32/@write32 of &struct vdgpu_bus_ops: a
 * PCI backend implements them with readl()/writel() on BAR0.  Like any MMIO
 * access they may be made from any context, including hard interrupt
 * context, and never sleep.  A write is visible to the device, and orders
 * all CPU stores before it, by the time the call returns.
 *
 * The CPU reaches VRAM only through the BAR window @bar, the first
 * @bar_size bytes of VRAM, mapped into the kernel.  It is an &iosys_map
 * because what backs it depends on the bus: I/O memory on PCI, plain kernel
 * memory in the emulated device (where I/O accessors would not work on
 * every architecture, UML's logic_iomem among them), so the driver touches
 * it only with the iosys_map helpers.  @bar_pfn gives the page frame behind
 * an offset of the window, for mapping it to userspace.
 *
 * The device is presented as a platform device named VDGPU_DEVICE_NAME, by
 * which the driver matches it; the interrupt line is the platform device's
 * first IRQ resource.
 */
#define VDGPU_DEVICE_NAME		"vdgpu"

struct vdgpu_bus;

/**
 * struct vdgpu_bus_ops - how the CPU reaches the device's registers
 */
struct vdgpu_bus_ops {
	/**
	 * @read32: read the register at byte offset @reg; never sleeps
	 */
	u32 (*read32)(const struct vdgpu_bus *bus, u32 reg);
	/**
	 * @write32: write @val to the register at byte offset @reg; never
	 * sleeps
	 */
	void (*write32)(const struct vdgpu_bus *bus, u32 reg, u32 val);
	/**
	 * @bar_pfn: the page frame behind byte offset @offset of the BAR
	 * window, which must be below &vdgpu_bus.bar_size
	 */
	unsigned long (*bar_pfn)(const struct vdgpu_bus *bus, u64 offset);
};

/**
 * struct vdgpu_bus - the bus a vdgpu device sits on, as the driver sees it
 */
struct vdgpu_bus {
	/** @ops: register and BAR accessors */
	const struct vdgpu_bus_ops *ops;
	/** @priv: the bus backend's cookie, opaque to the driver */
	void *priv;
	/** @bar: kernel mapping of the BAR window (VRAM from offset 0) */
	struct iosys_map bar;
	/** @bar_size: size of the BAR window in bytes */
	u64 bar_size;
};

/**
 * struct vdgpu_platform_data - what the board hands the platform driver
 *
 * Copied into the platform device when it is created; the bus it describes
 * stays valid until the platform device is unregistered.
 */
struct vdgpu_platform_data {
	/** @params: the configuration the device was built with */
	struct vdgpu_params params;
	/** @bus: how to reach the device */
	struct vdgpu_bus bus;
};

/**
 * DOC: Limits
 *
 * ===============================  ==========================================
 * Engines                          3: copy 0, copy 1, compute (engine 2)
 * MMU contexts                     16, virtual addresses of 48 bits
 * Device page size                 4 KiB; 64 KiB and 2 MiB pages in the MMU
 * GTT aperture                     at VDGPU_GTT_BASE (1 TiB), gart_size bytes
 * Ring size                        power of two, 4 KiB to 1 MiB
 * Packet payload                   at most VDGPU_PKT_MAX_DW (256) dwords
 * COPY and FILL size               64 bits; reset interrupts them every 64 KiB
 * ===============================  ==========================================
 */
#define VDGPU_NUM_ENGINES		3
#define VDGPU_ENGINE_COPY0		0
#define VDGPU_ENGINE_COPY1		1
#define VDGPU_ENGINE_COMPUTE		2
#define VDGPU_NUM_CONTEXTS		16
#define VDGPU_VA_BITS			48
#define VDGPU_GPU_PAGE_SIZE		SZ_4K
#define VDGPU_GTT_BASE			BIT_ULL(40)
#define VDGPU_RING_SIZE_MIN		SZ_4K
#define VDGPU_RING_SIZE_MAX		SZ_1M

/**
 * DOC: Global registers
 *
 * ====== ==================== ==== ==========================================
 * Offset Name                 Mode Contents
 * ====== ==================== ==== ==========================================
 * 0x0000 ID                   RO   VDGPU_ID_MAGIC
 * 0x0004 CAPS                 RO   [7:0] engines, [15:8] MMU contexts
 * 0x0008 VRAM_SIZE_LO/HI      RO   VRAM size in bytes
 * 0x0010 BAR_SIZE_LO/HI       RO   size of the CPU-visible window
 * 0x0018 GART_SIZE_LO/HI      RO   size of the GTT aperture
 * 0x0040 INT_STATUS           W1C  pending interrupts, see Interrupts
 * 0x0044 INT_MASK             RW   1 enables the source onto the line
 * 0x0080 GART_BASE_LO/HI      RW   VRAM offset of the GART table (4 KiB
 *                                  aligned); written while GART_CTRL is 0
 * 0x0088 GART_CTRL            RW   bit 0: translation enabled
 * 0x0100 engine blocks             VDGPU_ENGINE_STRIDE bytes per engine
 * 0x0400 CTX_ROOT_LO/HI(n)    RW   context n's root table, see MMU
 * 0x0800 VRAM_LOST            WO   debug: writing 1 scrambles all of VRAM
 * ====== ==================== ==== ==========================================
 */
#define VDGPU_REG_ID			0x0000
#define   VDGPU_ID_MAGIC		0x76640001
#define VDGPU_REG_CAPS			0x0004
#define   VDGPU_CAPS_ENGINES		GENMASK(7, 0)
#define   VDGPU_CAPS_CONTEXTS		GENMASK(15, 8)
#define VDGPU_REG_VRAM_SIZE_LO		0x0008
#define VDGPU_REG_VRAM_SIZE_HI		0x000c
#define VDGPU_REG_BAR_SIZE_LO		0x0010
#define VDGPU_REG_BAR_SIZE_HI		0x0014
#define VDGPU_REG_GART_SIZE_LO		0x0018
#define VDGPU_REG_GART_SIZE_HI		0x001c
#define VDGPU_REG_INT_STATUS		0x0040
#define VDGPU_REG_INT_MASK		0x0044
#define VDGPU_REG_GART_BASE_LO		0x0080
#define VDGPU_REG_GART_BASE_HI		0x0084
#define VDGPU_REG_GART_CTRL		0x0088
#define   VDGPU_GART_CTRL_ENABLE	BIT(0)
#define VDGPU_REG_CTX_ROOT_LO(n)	(0x0400 + (n) * 8)
#define VDGPU_REG_CTX_ROOT_HI(n)	(0x0404 + (n) * 8)
#define VDGPU_REG_VRAM_LOST		0x0800
#define VDGPU_MMIO_SIZE			0x1000

/**
 * DOC: Engine registers
 *
 * Engine n's block starts at VDGPU_ENGINE_BASE(n).  Offsets within it:
 *
 * ====== ==================== ==== ==========================================
 * Offset Name                 Mode Contents
 * ====== ==================== ==== ==========================================
 * 0x00   RING_BASE_LO/HI      RW   bus address of the ring, 4 KiB aligned
 * 0x08   RING_SIZE            RW   ring size in bytes, a power of two
 * 0x0c   RING_HEAD            RO   byte offset of the next packet to fetch
 * 0x10   RING_TAIL            RW   byte offset after the last packet written
 * 0x14   DOORBELL             WO   any write: fetch up to RING_TAIL
 * 0x18   CTRL                 RW   ENABLE, RESET (self-clearing)
 * 0x1c   STATUS               RO   IDLE, HALTED, HUNG, ERROR, FAULT
 * 0x20   ERROR_CODE           RO   why the engine halted with ERROR
 * 0x24   FAULT_INFO           RO   context, access and reason of a FAULT
 * 0x28   FAULT_ADDR_LO/HI     RO   the faulting address
 * 0x30   INJECT               RW   debug: HANG, RESET_HANG, FAIL_COUNT
 * ====== ==================== ==== ==========================================
 *
 * Ring base and size may only be written while the engine is disabled.
 * RING_HEAD and RING_TAIL are dword-aligned byte offsets below RING_SIZE; the
 * ring is empty when they are equal, so at most RING_SIZE - 4 bytes are ever
 * queued.  After writing packets and RING_TAIL the driver writes DOORBELL;
 * the engine then fetches and executes packets in order until RING_HEAD
 * reaches RING_TAIL.  RING_HEAD advances past a packet only once it has
 * completed, so ring space up to RING_HEAD may be reused.
 *
 * An engine that meets a malformed packet or an out-of-range address halts
 * with STATUS.ERROR and ERROR_CODE set; one whose access the MMU or the GART
 * refuses halts with STATUS.FAULT and FAULT_INFO and FAULT_ADDR set.  Either also
 * raises its interrupt.  A halted engine fetches nothing until reset: writing
 * CTRL.RESET stops the engine at the next packet boundary (or inside a long
 * COPY or FILL), clears RING_HEAD, RING_TAIL, STATUS, the error and fault
 * registers, INJECT (but RESET_HANG) and CTRL.ENABLE, and then clears
 * CTRL.RESET, which the driver polls.  Ring base and size survive a reset.
 *
 * STATUS.HUNG is set while the engine has work queued but makes no progress
 * (only INJECT.HANG causes that on this device).
 *
 * INJECT is for testing error handling: HANG makes the engine stop fetching
 * packets, FAIL_COUNT makes the next FAIL_COUNT packets fail with ERROR_CODE
 * INJECTED; both are cleared by a reset.  While RESET_HANG is set, a reset
 * does not complete: the engine stops but CTRL.RESET stays set.  Clearing
 * RESET_HANG lets a pending reset complete.
 */
#define VDGPU_ENGINE_BASE(n)		(0x0100 + (n) * VDGPU_ENGINE_STRIDE)
#define VDGPU_ENGINE_STRIDE		0x40
#define VDGPU_ENGINE_RING_BASE_LO	0x00
#define VDGPU_ENGINE_RING_BASE_HI	0x04
#define VDGPU_ENGINE_RING_SIZE		0x08
#define VDGPU_ENGINE_RING_HEAD		0x0c
#define VDGPU_ENGINE_RING_TAIL		0x10
#define VDGPU_ENGINE_DOORBELL		0x14
#define VDGPU_ENGINE_CTRL		0x18
#define   VDGPU_ENGINE_CTRL_ENABLE	BIT(0)
#define   VDGPU_ENGINE_CTRL_RESET	BIT(1)
#define VDGPU_ENGINE_STATUS		0x1c
#define   VDGPU_ENGINE_STATUS_IDLE	BIT(0)
#define   VDGPU_ENGINE_STATUS_HALTED	BIT(1)
#define   VDGPU_ENGINE_STATUS_HUNG	BIT(2)
#define   VDGPU_ENGINE_STATUS_ERROR	BIT(3)
#define   VDGPU_ENGINE_STATUS_FAULT	BIT(4)
#define VDGPU_ENGINE_ERROR_CODE		0x20
#define VDGPU_ENGINE_FAULT_INFO		0x24
#define VDGPU_ENGINE_FAULT_ADDR_LO	0x28
#define VDGPU_ENGINE_FAULT_ADDR_HI	0x2c
#define VDGPU_ENGINE_INJECT		0x30
#define   VDGPU_ENGINE_INJECT_HANG	BIT(0)
#define   VDGPU_ENGINE_INJECT_RESET_HANG BIT(1)
#define   VDGPU_ENGINE_INJECT_FAIL_COUNT GENMASK(15, 8)

/**
 * DOC: Errors and faults
 *
 * ERROR_CODE values:
 *
 * ==================== ======================================================
 * BAD_OPCODE           unknown opcode, or one this engine does not execute
 * BAD_LENGTH           packet length wrong for its opcode, or longer than
 *                      VDGPU_PKT_MAX_DW
 * TRUNCATED            the packet extends beyond RING_TAIL
 * BAD_ALIGNMENT        a misaligned address or size
 * BAD_ADDRESS          a device physical address outside VRAM and the GTT
 *                      aperture, a virtual address of more than 48 bits, a
 *                      page table outside VRAM, or a context number >= 16
 * BAD_BUS_ADDRESS      a bus address that is not system RAM
 * BAD_RING             RING_BASE or RING_SIZE invalid when enabled
 * INJECTED             INJECT.FAIL_COUNT was non-zero
 * ==================== ======================================================
 *
 * FAULT_INFO: [7:0] context (VDGPU_FAULT_CTX_GART for a GART fault),
 * bit 8 set for a write access, [19:16] reason: NOT_PRESENT (no valid entry
 * at some level), READ_ONLY (a write to a page without WRITABLE), BAD_PTE
 * (reserved bits or a 64 KiB group whose first entry is not a 64 KiB entry),
 * DISABLED (the context's root or the GART is not enabled).
 */
#define VDGPU_ERROR_NONE		0
#define VDGPU_ERROR_BAD_OPCODE		1
#define VDGPU_ERROR_BAD_LENGTH		2
#define VDGPU_ERROR_TRUNCATED		3
#define VDGPU_ERROR_BAD_ALIGNMENT	4
#define VDGPU_ERROR_BAD_ADDRESS		5
#define VDGPU_ERROR_BAD_BUS_ADDRESS	6
#define VDGPU_ERROR_BAD_RING		7
#define VDGPU_ERROR_INJECTED		8

#define VDGPU_FAULT_INFO_CTX		GENMASK(7, 0)
#define VDGPU_FAULT_INFO_WRITE		BIT(8)
#define VDGPU_FAULT_INFO_REASON		GENMASK(19, 16)
#define VDGPU_FAULT_CTX_GART		0xff
#define VDGPU_FAULT_NOT_PRESENT		1
#define VDGPU_FAULT_READ_ONLY		2
#define VDGPU_FAULT_BAD_PTE		3
#define VDGPU_FAULT_DISABLED		4

/**
 * DOC: Interrupts
 *
 * Each engine n owns four bits of INT_STATUS and INT_MASK, starting at bit
 * 4 * n: FENCE (a FENCE packet with the INTERRUPT flag completed), FAULT and
 * ERROR (the engine halted).  A source is latched into INT_STATUS whatever
 * the mask; the line is asserted while INT_STATUS & INT_MASK is non-zero and
 * the interrupt is delivered on each transition to asserted, including one
 * caused by unmasking.  The handler acknowledges by writing 1s to
 * INT_STATUS.  A FENCE interrupt only says "some fence completed": the
 * handler reads the seqnos from memory.
 */
#define VDGPU_INT_FENCE(n)		BIT(4 * (n) + 0)
#define VDGPU_INT_FAULT(n)		BIT(4 * (n) + 1)
#define VDGPU_INT_ERROR(n)		BIT(4 * (n) + 2)
#define VDGPU_INT_ENGINE(n)		(0x7u << (4 * (n)))

/**
 * DOC: Packets
 *
 * A packet is a header dword followed by VDGPU_PKT_HDR_LEN payload dwords:
 *
 * ============ ================================================================
 * Header bits  Field
 * ============ ================================================================
 * [31:24]      opcode
 * [23:16]      flags, per opcode
 * [15:0]       number of payload dwords
 * ============ ================================================================
 *
 * Payload dwords by opcode (64-bit values as low dword, then high dword):
 *
 * NOP (0x00, any length)
 *	Payload ignored.  Pads the ring.
 *
 * FENCE (0x01, 3 dwords, all engines)
 *	bus address (4-byte aligned), seqno.  Once every earlier packet has
 *	completed, writes the 32-bit seqno to the bus address and, with flag
 *	INTERRUPT, raises the engine's FENCE interrupt.
 *
 * COPY (0x02, 7 dwords, copy engines)
 *	context, source address, destination address, size in bytes.  Flags
 *	SRC_VIRT and DST_VIRT make the respective address a virtual address of
 *	the context; otherwise it is a device physical address and the context
 *	is ignored.  Any alignment; overlapping ranges give undefined
 *	contents.
 *
 * FILL (0x03, 6 dwords, copy engines)
 *	context, destination address, size in bytes, 32-bit pattern.  Flag
 *	DST_VIRT as for COPY.  Address and size must be 4-byte aligned.
 *
 * PT_WRITE (0x04, 2 + 2 * n dwords, copy engines)
 *	VRAM offset (8-byte aligned), then n qwords written there in order.
 *	Meant for page-table updates.
 *
 * BATCH (0x05, 4 dwords, compute engine)
 *	context, batch virtual address (4-byte aligned), length in dwords
 *	(1 to VDGPU_BATCH_MAX_DW).  Executes the commands of the batch, read
 *	from the context's virtual addresses, in order (see "Batches"); the
 *	packet completes when the last command has.
 */
#define VDGPU_PKT_HDR_OPCODE		GENMASK(31, 24)
#define VDGPU_PKT_HDR_FLAGS		GENMASK(23, 16)
#define VDGPU_PKT_HDR_LEN		GENMASK(15, 0)
#define VDGPU_PKT_MAX_DW		256

#define VDGPU_PKT_NOP			0x00
#define VDGPU_PKT_FENCE			0x01
#define   VDGPU_PKT_FENCE_INTERRUPT	BIT(0)
#define   VDGPU_PKT_FENCE_LEN		3
#define VDGPU_PKT_COPY			0x02
#define   VDGPU_PKT_COPY_SRC_VIRT	BIT(0)
#define   VDGPU_PKT_COPY_DST_VIRT	BIT(1)
#define   VDGPU_PKT_COPY_LEN		7
#define VDGPU_PKT_FILL			0x03
#define   VDGPU_PKT_FILL_DST_VIRT	BIT(0)
#define   VDGPU_PKT_FILL_LEN		6
#define VDGPU_PKT_PT_WRITE		0x04
#define   VDGPU_PKT_PT_WRITE_MAX_QW	((VDGPU_PKT_MAX_DW - 2) / 2)
#define VDGPU_PKT_BATCH			0x05
#define   VDGPU_PKT_BATCH_LEN		4

/**
 * DOC: Batches
 *
 * A batch is a sequence of commands in the packet format (a header dword,
 * then its payload), in memory the BATCH packet's context maps.  Every
 * address in a batch is a virtual address of that context.  Commands:
 *
 * NOP (0x00, any length)
 *	Payload ignored.
 *
 * COPY (0x02, 7 dwords) and FILL (0x03, 6 dwords)
 *	As the packets, but the context dword is ignored and every address is
 *	virtual, whatever the flags.
 *
 * STORE_DWORD (0x06, 3 dwords)
 *	address (4-byte aligned), value: writes the 32-bit value there.
 *
 * TIMESTAMP (0x07, 2 dwords)
 *	address (8-byte aligned): writes the device's 64-bit clock there, in
 *	nanoseconds since an arbitrary point, monotonic.
 *
 * WAIT (0x08, 4 dwords)
 *	address (4-byte aligned), value, mask: waits until the 32-bit word at
 *	the address, ANDed with the mask, equals the value, reading it again
 *	and again.  A reset interrupts the wait.
 *
 * Any other opcode, FENCE, PT_WRITE and BATCH among them, halts the engine
 * with ERROR BAD_OPCODE; a command extending beyond the batch's length with
 * TRUNCATED.  Fetching the batch and every access of its commands go
 * through the MMU: an access the page tables do not allow is a FAULT of
 * the context, with the faulting address.  A reset stops a batch between
 * commands, inside COPY and FILL every 64 KiB, and inside WAIT.
 */
#define VDGPU_BATCH_MAX_DW		(SZ_1M / 4)
#define VDGPU_CMD_STORE_DWORD		0x06
#define   VDGPU_CMD_STORE_DWORD_LEN	3
#define VDGPU_CMD_TIMESTAMP		0x07
#define   VDGPU_CMD_TIMESTAMP_LEN	2
#define VDGPU_CMD_WAIT			0x08
#define   VDGPU_CMD_WAIT_LEN		4

/**
 * DOC: Page tables
 *
 * The GART and the MMU share one 64-bit entry format:
 *
 * ========= ===================================================================
 * Bits      Field
 * ========= ===================================================================
 * 0         VALID
 * 1         WRITABLE (leaf entries; reads are always allowed)
 * 2         SYSTEM: the address is a bus address, else a VRAM offset
 * 3         HUGE: a 2 MiB leaf (level 1 entries only)
 * 4         PAGE_64K: part of a 64 KiB page (level 0 entries only)
 * [51:12]   address of the page or of the next-level table
 * others    reserved, must be zero
 * ========= ===================================================================
 *
 * GART: entry i of the table at GART_BASE maps GTT aperture page i, that is
 * device physical address VDGPU_GTT_BASE + i * 4 KiB, to the 4 KiB page at its
 * address.  HUGE and PAGE_64K must be clear.
 *
 * MMU: context n's root (level 3) table is at CTX_ROOT(n), bits [51:12];
 * bit 0 of CTX_ROOT_LO enables the context.  Each table is 4 KiB of 512
 * entries in VRAM.  A virtual address indexes level 3 with bits [47:39],
 * level 2 with [38:30], level 1 with [29:21] and level 0 with [20:12].
 * Directory entries (levels 3 to 1 without HUGE) must have SYSTEM clear.  A
 * level 1 entry with HUGE maps a 2 MiB-aligned 2 MiB page.  A 64 KiB page
 * is a 16-aligned group of level 0 entries all with PAGE_64K; the device uses
 * the group's first entry, whose address must be 64 KiB aligned, for every
 * address in the group.
 *
 * The device caches no translations: an entry written to VRAM (through the
 * BAR or with PT_WRITE) is used by every later access.  The driver must
 * still order such writes before the packets relying on them, which ring
 * order does for PT_WRITE.
 */
#define VDGPU_PTE_VALID			BIT_ULL(0)
#define VDGPU_PTE_WRITABLE		BIT_ULL(1)
#define VDGPU_PTE_SYSTEM		BIT_ULL(2)
#define VDGPU_PTE_HUGE			BIT_ULL(3)
#define VDGPU_PTE_64K			BIT_ULL(4)
#define VDGPU_PTE_ADDR			GENMASK_ULL(51, 12)
#define VDGPU_PTE_RESERVED		(~(VDGPU_PTE_ADDR | GENMASK_ULL(4, 0)))
#define VDGPU_PT_ENTRIES		512
#define VDGPU_PT_LEVELS			4
#define VDGPU_PT_SHIFT(level)		(12 + 9 * (level))
#define VDGPU_CTX_ROOT_ENABLE		BIT_ULL(0)

#endif
