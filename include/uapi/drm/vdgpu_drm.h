/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2026 The vdgpu authors
 */

#ifndef _UAPI_VDGPU_DRM_H_
#define _UAPI_VDGPU_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: Introduction
 *
 * The vdgpu uAPI.  Every ioctl and structure here follows these rules:
 *
 * - Only fixed-size types (__u8 to __u64, __s8 to __s64).  Structures are
 *   64-bit aligned with sizes a multiple of 8 bytes; padding is explicit,
 *   named ``pad``, and must be zero.
 * - Every top-level structure starts with ``__u64 extensions`` (0 for now)
 *   and ends with reserved words that must be zero, so it can grow.
 * - Flags are #defined above the field they belong to; unknown flags are
 *   rejected with -EINVAL.
 * - No unions.  Arrays are passed as {stride, count, ptr}, ``ptr`` being a
 *   __u64 user pointer; elements are copied one by one so that their size
 *   can grow.
 * - The ioctl numbers below are append-only.  Every addition to the uAPI
 *   bumps the driver's minor version, reported by DRM_IOCTL_VERSION, and is
 *   discoverable through the query ioctl once it exists.
 * - Errors: -EINVAL for a malformed argument, -ENOENT for a handle or id
 *   that does not exist in this file, -EFAULT for an unreadable or
 *   unwritable user pointer, -ENOSPC when device memory cannot hold an
 *   object, -ENOMEM when kernel memory runs out, -ENODEV once the device is
 *   gone.  Waits are interruptible and ioctls restartable; timeouts are
 *   absolute CLOCK_MONOTONIC times in nanoseconds (__s64).
 *
 * Version 1.0 has no driver-private ioctls: the device offers the core DRM
 * ioctls (version, capabilities, GEM handles, syncobjs, binary and
 * timeline).
 */

/*
 * Driver-private ioctl numbers, offsets from DRM_COMMAND_BASE.  None are
 * defined in version 1.0.
 */

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_VDGPU_DRM_H_ */
