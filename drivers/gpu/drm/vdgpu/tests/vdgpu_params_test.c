// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright © 2026 The vdgpu authors
 */

#include <linux/sizes.h>

#include <kunit/test.h>

#include "../vdgpu_params.h"

struct vdgpu_params_case {
	const char *name;
	struct vdgpu_params params;
	int expected;
};

static const struct vdgpu_params_case vdgpu_params_cases[] = {
	{ "defaults", { SZ_256M, SZ_256M, SZ_512M }, 0 },
	{ "smallest", { SZ_16M, SZ_16M, SZ_16M }, 0 },
	{ "largest", { SZ_64G, SZ_64G, SZ_64G }, 0 },
	{ "small_bar", { SZ_256M, SZ_64M, SZ_512M }, 0 },
	{ "odd_mib_sizes", { 100 * SZ_1M, 17 * SZ_1M, 33 * SZ_1M }, 0 },
	{ "vram_zero", { 0, SZ_16M, SZ_512M }, -EINVAL },
	{ "vram_too_small", { SZ_8M, SZ_8M, SZ_512M }, -EINVAL },
	{ "vram_too_large", { SZ_64G + SZ_1M, SZ_16M, SZ_512M }, -EINVAL },
	{ "vram_not_mib", { SZ_256M + SZ_4K, SZ_16M, SZ_512M }, -EINVAL },
	{ "vram_overflowing", { U64_MAX, SZ_16M, SZ_512M }, -EINVAL },
	{ "visible_zero", { SZ_256M, 0, SZ_512M }, -EINVAL },
	{ "visible_too_small", { SZ_256M, SZ_8M, SZ_512M }, -EINVAL },
	{ "visible_above_vram", { SZ_256M, SZ_512M, SZ_512M }, -EINVAL },
	{ "visible_not_mib", { SZ_256M, SZ_64M + 1, SZ_512M }, -EINVAL },
	{ "gart_too_small", { SZ_256M, SZ_256M, SZ_1M }, -EINVAL },
	{ "gart_too_large", { SZ_256M, SZ_256M, SZ_128G }, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(vdgpu_params, vdgpu_params_cases, name);

static void params_check(struct kunit *test)
{
	const struct vdgpu_params_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, vdgpu_params_check(&c->params), c->expected);
}

/*
 * Whatever the module was loaded with passed the same check at load time,
 * and the snapshot resolves "visible 0" to the whole of VRAM.
 */
static void params_from_module_is_valid(struct kunit *test)
{
	struct vdgpu_params params;

	vdgpu_params_from_module(&params);
	KUNIT_EXPECT_EQ(test, vdgpu_params_check(&params), 0);
	KUNIT_EXPECT_NE(test, params.visible_vram_size, 0);
	KUNIT_EXPECT_LE(test, params.visible_vram_size, params.vram_size);
}

static struct kunit_case vdgpu_params_tests[] = {
	KUNIT_CASE_PARAM(params_check, vdgpu_params_gen_params),
	KUNIT_CASE(params_from_module_is_valid),
	{}
};

static struct kunit_suite vdgpu_params_suite = {
	.name = "vdgpu_params",
	.test_cases = vdgpu_params_tests,
};

kunit_test_suite(vdgpu_params_suite);
