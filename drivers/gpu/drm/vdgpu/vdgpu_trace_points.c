// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

/**
 * DOC: Tracepoints
 *
 * The ``vdgpu`` trace system (/sys/kernel/tracing/events/vdgpu/):
 *
 * vdgpu_bo_create
 *	An object was created: its size, first region id and flags.
 * vdgpu_bo_move
 *	An object's memory moved: from and to (TTM types: 0 SYSTEM, 1 GTT,
 *	2 VRAM, 255 none), the bytes copied (0 for a bind or unbind), the
 *	reason (``evict`` or ``validate``: a placement asked for, by a
 *	creation, a fault or a pin) and how (``copy``, ``clear``,
 *	``memcpy``, ``bind``, ``unbind``, ``null``).
 * vdgpu_evict
 *	TTM chose an object to evict: where from, its size, and whether it
 *	is purged rather than moved.
 * vdgpu_swap
 *	Pages of an object went to shmem (``out``) or came back (``in``).
 * vdgpu_vm_bind
 *	A VM_BIND operation was applied to a VM's VA tree: the VM, the
 *	operation (``map``, ``unmap``, ``prefetch``) and its range.
 * vdgpu_exec
 *	A batch was queued: the DRM client, its queue, the batch's address
 *	and length, and the fence it signals (context and seqno).
 * vdgpu_fence_signal
 *	An engine's hardware fence signalled: engine, dma_fence context and
 *	seqno, and the error it carries (0, or e.g. -EIO after a reset).
 */

#define CREATE_TRACE_POINTS
#include "vdgpu_trace.h"
