/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _VDGPU_MMIO_H_
#define _VDGPU_MMIO_H_

#include "vdgpu_device.h"
#include "vdgpu_regs.h"

/**
 * vdgpu_mmio_read32() - read a device register
 * @vdev: the device
 * @reg: byte offset, see vdgpu_regs.h
 *
 * Context: Any context; only within the hardware lifetime.
 * Return: the register's value.
 */
static inline u32 vdgpu_mmio_read32(struct vdgpu_device *vdev, u32 reg)
{
	return vdev->bus.ops->read32(&vdev->bus, reg);
}

/**
 * vdgpu_mmio_write32() - write a device register
 * @vdev: the device
 * @reg: byte offset, see vdgpu_regs.h
 * @val: the value
 *
 * Orders all earlier stores to memory before the write reaches the device.
 *
 * Context: Any context; only within the hardware lifetime.
 */
static inline void vdgpu_mmio_write32(struct vdgpu_device *vdev, u32 reg,
				      u32 val)
{
	vdev->bus.ops->write32(&vdev->bus, reg, val);
}

/**
 * vdgpu_mmio_read64() - read a 64-bit register pair
 * @vdev: the device
 * @lo: byte offset of the low half; the high half follows it
 *
 * Only for registers that do not change under the reader.
 *
 * Context: Any context; only within the hardware lifetime.
 * Return: the value.
 */
static inline u64 vdgpu_mmio_read64(struct vdgpu_device *vdev, u32 lo)
{
	return vdgpu_mmio_read32(vdev, lo) |
	       (u64)vdgpu_mmio_read32(vdev, lo + 4) << 32;
}

/**
 * vdgpu_mmio_write64() - write a 64-bit register pair, low half first
 * @vdev: the device
 * @lo: byte offset of the low half; the high half follows it
 * @val: the value
 *
 * Context: Any context; only within the hardware lifetime.
 */
static inline void vdgpu_mmio_write64(struct vdgpu_device *vdev, u32 lo,
				      u64 val)
{
	vdgpu_mmio_write32(vdev, lo, lower_32_bits(val));
	vdgpu_mmio_write32(vdev, lo + 4, upper_32_bits(val));
}

#endif
