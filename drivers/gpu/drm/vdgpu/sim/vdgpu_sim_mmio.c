// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/bitfield.h>
#include <linux/log2.h>

#include "vdgpu_sim.h"

/**
 * DOC: Model registers
 *
 * The register file is a set of fields under &vdgpu_sim.lock; a register
 * access is a function call that takes the lock, never sleeps and may come
 * from any context.  Side effects that take time (an engine's work, a VRAM
 * scramble) are queued on the device's workqueue and observed by the driver
 * the way it would observe silicon: by polling a status bit or waiting for
 * an interrupt.  Reads of unknown offsets return 0 and writes to them are
 * ignored.
 */

static struct vdgpu_sim *vdgpu_sim_from_bus(const struct vdgpu_bus *bus)
{
	return bus->priv;
}

static u32 vdgpu_sim_lo(u64 v)
{
	return lower_32_bits(v);
}

static u32 vdgpu_sim_hi(u64 v)
{
	return upper_32_bits(v);
}

static void vdgpu_sim_set_lo(u64 *v, u32 val)
{
	*v = (*v & GENMASK_ULL(63, 32)) | val;
}

static void vdgpu_sim_set_hi(u64 *v, u32 val)
{
	*v = (*v & GENMASK_ULL(31, 0)) | (u64)val << 32;
}

static u32 __vdgpu_sim_engine_read(struct vdgpu_sim_engine *e, u32 reg)
{
	u32 status;

	lockdep_assert_held(&e->sim->lock);
	switch (reg) {
	case VDGPU_ENGINE_RING_BASE_LO:
		return vdgpu_sim_lo(e->ring_base);
	case VDGPU_ENGINE_RING_BASE_HI:
		return vdgpu_sim_hi(e->ring_base);
	case VDGPU_ENGINE_RING_SIZE:
		return e->ring_size;
	case VDGPU_ENGINE_RING_HEAD:
		return e->head;
	case VDGPU_ENGINE_RING_TAIL:
		return e->tail;
	case VDGPU_ENGINE_CTRL:
		return e->ctrl;
	case VDGPU_ENGINE_STATUS:
		status = e->status;
		if (!e->busy && (e->head == e->tail ||
				 !(e->ctrl & VDGPU_ENGINE_CTRL_ENABLE)))
			status |= VDGPU_ENGINE_STATUS_IDLE;
		if (e->hang && e->head != e->tail)
			status |= VDGPU_ENGINE_STATUS_HUNG;
		return status;
	case VDGPU_ENGINE_ERROR_CODE:
		return e->error_code;
	case VDGPU_ENGINE_FAULT_INFO:
		return e->fault_info;
	case VDGPU_ENGINE_FAULT_ADDR_LO:
		return vdgpu_sim_lo(e->fault_addr);
	case VDGPU_ENGINE_FAULT_ADDR_HI:
		return vdgpu_sim_hi(e->fault_addr);
	case VDGPU_ENGINE_INJECT:
		return (e->hang ? VDGPU_ENGINE_INJECT_HANG : 0) |
		       (e->reset_hang ? VDGPU_ENGINE_INJECT_RESET_HANG : 0) |
		       FIELD_PREP(VDGPU_ENGINE_INJECT_FAIL_COUNT, e->fail_count);
	}
	return 0;
}

static void __vdgpu_sim_engine_write(struct vdgpu_sim_engine *e, u32 reg,
				     u32 val)
{
	bool enabled = e->ctrl & VDGPU_ENGINE_CTRL_ENABLE;
	bool kick = false;

	lockdep_assert_held(&e->sim->lock);
	switch (reg) {
	case VDGPU_ENGINE_RING_BASE_LO:
		if (!enabled)
			vdgpu_sim_set_lo(&e->ring_base, val);
		break;
	case VDGPU_ENGINE_RING_BASE_HI:
		if (!enabled)
			vdgpu_sim_set_hi(&e->ring_base, val);
		break;
	case VDGPU_ENGINE_RING_SIZE:
		if (!enabled)
			e->ring_size = val;
		break;
	case VDGPU_ENGINE_RING_TAIL:
		/* A size that is not a power of two is caught at fetch. */
		e->tail = val & (e->ring_size - 1) & ~3u;
		break;
	case VDGPU_ENGINE_DOORBELL:
		kick = true;
		break;
	case VDGPU_ENGINE_CTRL:
		if (e->ctrl & VDGPU_ENGINE_CTRL_RESET)
			break;
		if (val & VDGPU_ENGINE_CTRL_RESET)
			WRITE_ONCE(e->ctrl, e->ctrl | VDGPU_ENGINE_CTRL_RESET);
		else
			WRITE_ONCE(e->ctrl, val & VDGPU_ENGINE_CTRL_ENABLE);
		kick = true;
		break;
	case VDGPU_ENGINE_INJECT:
		e->hang = val & VDGPU_ENGINE_INJECT_HANG;
		e->reset_hang = val & VDGPU_ENGINE_INJECT_RESET_HANG;
		e->fail_count = FIELD_GET(VDGPU_ENGINE_INJECT_FAIL_COUNT, val);
		kick = true;
		break;
	}
	if (kick)
		queue_work(e->sim->wq, &e->work);
}

/**
 * vdgpu_sim_mmio_read() - the device's register read
 * @bus: the bus, whose cookie is the device
 * @reg: byte offset
 *
 * Context: Any context.
 * Return: the register's value.
 */
u32 vdgpu_sim_mmio_read(const struct vdgpu_bus *bus, u32 reg)
{
	struct vdgpu_sim *sim = vdgpu_sim_from_bus(bus);
	const struct vdgpu_params *p = &sim->params;
	unsigned long flags;
	u32 val = 0;

	if (reg % 4 || reg >= VDGPU_MMIO_SIZE)
		return 0;

	spin_lock_irqsave(&sim->lock, flags);
	if (reg >= VDGPU_ENGINE_BASE(0) &&
	    reg < VDGPU_ENGINE_BASE(VDGPU_NUM_ENGINES)) {
		u32 n = (reg - VDGPU_ENGINE_BASE(0)) / VDGPU_ENGINE_STRIDE;

		val = __vdgpu_sim_engine_read(&sim->engines[n],
					      reg - VDGPU_ENGINE_BASE(n));
	} else if (reg >= VDGPU_REG_CTX_ROOT_LO(0) &&
		   reg < VDGPU_REG_CTX_ROOT_LO(VDGPU_NUM_CONTEXTS)) {
		u32 n = (reg - VDGPU_REG_CTX_ROOT_LO(0)) / 8;

		val = reg % 8 ? vdgpu_sim_hi(sim->ctx_root[n]) :
				vdgpu_sim_lo(sim->ctx_root[n]);
	} else {
		switch (reg) {
		case VDGPU_REG_ID:
			val = VDGPU_ID_MAGIC;
			break;
		case VDGPU_REG_CAPS:
			val = FIELD_PREP(VDGPU_CAPS_ENGINES, VDGPU_NUM_ENGINES) |
			      FIELD_PREP(VDGPU_CAPS_CONTEXTS, VDGPU_NUM_CONTEXTS);
			break;
		case VDGPU_REG_VRAM_SIZE_LO:
			val = vdgpu_sim_lo(p->vram_size);
			break;
		case VDGPU_REG_VRAM_SIZE_HI:
			val = vdgpu_sim_hi(p->vram_size);
			break;
		case VDGPU_REG_BAR_SIZE_LO:
			val = vdgpu_sim_lo(p->visible_vram_size);
			break;
		case VDGPU_REG_BAR_SIZE_HI:
			val = vdgpu_sim_hi(p->visible_vram_size);
			break;
		case VDGPU_REG_GART_SIZE_LO:
			val = vdgpu_sim_lo(p->gart_size);
			break;
		case VDGPU_REG_GART_SIZE_HI:
			val = vdgpu_sim_hi(p->gart_size);
			break;
		case VDGPU_REG_INT_STATUS:
			val = sim->int_status;
			break;
		case VDGPU_REG_INT_MASK:
			val = sim->int_mask;
			break;
		case VDGPU_REG_GART_BASE_LO:
			val = vdgpu_sim_lo(sim->gart_base);
			break;
		case VDGPU_REG_GART_BASE_HI:
			val = vdgpu_sim_hi(sim->gart_base);
			break;
		case VDGPU_REG_GART_CTRL:
			val = sim->gart_ctrl;
			break;
		case VDGPU_REG_VRAM_LOST:
			val = sim->vram_lost;
			break;
		}
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	return val;
}

/**
 * vdgpu_sim_mmio_write() - the device's register write
 * @bus: the bus, whose cookie is the device
 * @reg: byte offset
 * @val: the value
 *
 * Context: Any context.
 */
void vdgpu_sim_mmio_write(const struct vdgpu_bus *bus, u32 reg, u32 val)
{
	struct vdgpu_sim *sim = vdgpu_sim_from_bus(bus);
	unsigned long flags;

	if (reg % 4 || reg >= VDGPU_MMIO_SIZE)
		return;

	spin_lock_irqsave(&sim->lock, flags);
	if (reg >= VDGPU_ENGINE_BASE(0) &&
	    reg < VDGPU_ENGINE_BASE(VDGPU_NUM_ENGINES)) {
		u32 n = (reg - VDGPU_ENGINE_BASE(0)) / VDGPU_ENGINE_STRIDE;

		__vdgpu_sim_engine_write(&sim->engines[n], reg -
					 VDGPU_ENGINE_BASE(n), val);
	} else if (reg >= VDGPU_REG_CTX_ROOT_LO(0) &&
		   reg < VDGPU_REG_CTX_ROOT_LO(VDGPU_NUM_CONTEXTS)) {
		u32 n = (reg - VDGPU_REG_CTX_ROOT_LO(0)) / 8;

		if (reg % 8)
			vdgpu_sim_set_hi(&sim->ctx_root[n], val);
		else
			vdgpu_sim_set_lo(&sim->ctx_root[n], val);
	} else {
		switch (reg) {
		case VDGPU_REG_INT_STATUS:
			sim->int_status &= ~val;
			break;
		case VDGPU_REG_INT_MASK:
			sim->int_mask = val;
			__vdgpu_sim_irq_update(sim);
			break;
		case VDGPU_REG_GART_BASE_LO:
			if (!(sim->gart_ctrl & VDGPU_GART_CTRL_ENABLE))
				vdgpu_sim_set_lo(&sim->gart_base,
						 val & lower_32_bits(VDGPU_PTE_ADDR));
			break;
		case VDGPU_REG_GART_BASE_HI:
			if (!(sim->gart_ctrl & VDGPU_GART_CTRL_ENABLE))
				vdgpu_sim_set_hi(&sim->gart_base,
						 val & upper_32_bits(VDGPU_PTE_ADDR));
			break;
		case VDGPU_REG_GART_CTRL:
			sim->gart_ctrl = val & VDGPU_GART_CTRL_ENABLE;
			break;
		case VDGPU_REG_VRAM_LOST:
			if ((val & 1) && !sim->vram_lost) {
				sim->vram_lost = true;
				queue_work(sim->wq, &sim->vram_lost_work);
			}
			break;
		}
	}
	spin_unlock_irqrestore(&sim->lock, flags);
}
