// SPDX-License-Identifier: GPL-2.0-only
/*
 * Minimal IGT-compatible test harness for vdgpu, see vdgpu_igt.h and
 * igt/README.md for the protocol.
 *
 * The process that parses the command line never touches the device.
 * For each selected subtest it prints the "Starting subtest" line, forks
 * a child that runs the subtest function and waits for it; the child's
 * exit status is the subtest result:
 *
 *   IGT_EXIT_SUCCESS -> SUCCESS, IGT_EXIT_SKIP -> SKIP,
 *   any other exit code -> FAIL, killed by a signal -> CRASH.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>
#include <drm_mode.h>

#include "vdgpu_igt.h"

#ifndef VDGPU_IGT_VERSION
#define VDGPU_IGT_VERSION	"1.0"
#endif
#ifndef VDGPU_IGT_GIT
#define VDGPU_IGT_GIT		"NO-GIT"
#endif

#define MAX_CLEANUPS		16

/* Set once by igt_run(). */
static const char *test_name = "unknown";
static bool log_debug;
static bool plain_output = true;
static bool stderr_sentinel;
static const char *device_filter;

/* State of the subtest child. */
static const char *current_subtest;
static bool in_child;
static int child_result = IGT_EXIT_SUCCESS;

static struct {
	void (*fn)(void *data);
	void *data;
} cleanups[MAX_CLEANUPS];
static unsigned int num_cleanups;

const char *igt_test_name(void)
{
	return test_name;
}

const char *igt_subtest_name(void)
{
	return current_subtest;
}

const char *igt_errno_name(int err)
{
	const char *name;

	if (err == 0)
		return "success";
	name = strerrorname_np(err < 0 ? -err : err);
	return name ?: "E?";
}

static void vlog(enum igt_log_level level, const char *fmt, va_list ap)
{
	static const char *const level_str[] = {
		[IGT_LOG_DEBUG] = "DEBUG",
		[IGT_LOG_INFO] = "INFO",
		[IGT_LOG_WARN] = "WARNING",
		[IGT_LOG_CRITICAL] = "CRITICAL",
	};
	FILE *f = level >= IGT_LOG_WARN ? stderr : stdout;

	if (level == IGT_LOG_DEBUG && !log_debug)
		return;
	if (level != IGT_LOG_INFO)
		fprintf(f, "(%s:%d) %s: ", test_name, getpid(), level_str[level]);
	vfprintf(f, fmt, ap);
	fflush(f);
}

void igt_log(enum igt_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

/* Best effort marker in the kernel log; igt_runner splits dmesg on these. */
static void __igt_printf(1, 2) kmsg(const char *fmt, ...)
{
	char buf[512];
	ssize_t written;
	va_list ap;
	int fd, n;

	n = snprintf(buf, sizeof(buf), "<6>[IGT] %s: ", test_name);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);

	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* Best effort: the test does not depend on it. */
	written = write(fd, buf, strlen(buf));
	(void)written;
	close(fd);
}

/* The marker igt_runner's resultgen.c looks for anywhere in a message. */
#define IGNORE_DMESG_MARK	"add ignored dmesg regex: "

void igt_emit_ignore_dmesg_regex(const char *regex)
{
	char buf[1024];
	regex_t re;
	ssize_t n;
	int fd, len, err;

	if (!in_child)
		igt_fail("%s(): not in a subtest\n", __func__);
	igt_assert_f(!strchr(regex, '\n'), "newline in dmesg regex\n");
	err = regcomp(&re, regex, REG_EXTENDED | REG_NOSUB);
	igt_assert_f(err == 0, "dmesg regex \"%s\" does not compile\n", regex);
	regfree(&re);

	len = snprintf(buf, sizeof(buf), "<6>[IGT] %s: %s%s\n", test_name,
		       IGNORE_DMESG_MARK, regex);
	igt_assert_f(len > 0 && (size_t)len < sizeof(buf),
		     "dmesg regex too long\n");

	/* Unlike the other markers this one matters: check that it went in. */
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	igt_assert_f(fd >= 0, "cannot open /dev/kmsg: %s\n", strerror(errno));
	do {
		n = write(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	err = errno;
	close(fd);
	igt_assert_f(n == len, "cannot write to /dev/kmsg: %s\n",
		     n < 0 ? strerror(err) : "short write");
	igt_debug("ignoring kernel messages matching: %s\n", regex);
}

/*
 * Subtest child
 */

void igt_cleanup_push(void (*fn)(void *data), void *data)
{
	if (!in_child || num_cleanups == MAX_CLEANUPS)
		igt_fail("%s(): %s\n", __func__,
			 in_child ? "too many cleanup handlers" : "not in a subtest");
	cleanups[num_cleanups].fn = fn;
	cleanups[num_cleanups].data = data;
	num_cleanups++;
}

void igt_cleanup_pop(bool run)
{
	if (!num_cleanups)
		igt_fail("%s(): no cleanup handler left\n", __func__);
	num_cleanups--;
	if (run)
		cleanups[num_cleanups].fn(cleanups[num_cleanups].data);
}

/*
 * End the subtest with @code.  Cleanup handlers are popped before they
 * run, so a handler that fails or skips re-enters here and the remaining
 * handlers still run.  A failure is never downgraded by a later skip.
 */
static __igt_noreturn void subtest_exit(int code)
{
	if (code == IGT_EXIT_FAILURE || child_result == IGT_EXIT_FAILURE)
		child_result = IGT_EXIT_FAILURE;
	else if (code == IGT_EXIT_SKIP)
		child_result = IGT_EXIT_SKIP;

	if (!in_child) {
		/* Harness misuse: only subtests may fail or skip. */
		fprintf(stderr, "%s: assertion or skip outside of a subtest\n",
			test_name);
		exit(child_result == IGT_EXIT_SUCCESS ? IGT_EXIT_FAILURE : child_result);
	}

	while (num_cleanups) {
		num_cleanups--;
		cleanups[num_cleanups].fn(cleanups[num_cleanups].data);
	}

	fflush(stdout);
	fflush(stderr);
	_exit(child_result);
}

static char *format_message(const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		return NULL;
	return msg;
}

static bool ends_with_newline(const char *s)
{
	size_t len = strlen(s);

	return len && s[len - 1] == '\n';
}

void __igt_fail_assert(const char *file, int line, const char *func,
		       const char *expr, const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = format_message(fmt, ap);
	va_end(ap);

	igt_critical("Test assertion failure function %s, file %s:%d:\n",
		     func, file, line);
	igt_critical("Failed assertion: %s\n", expr);
	if (err)
		igt_critical("Last errno: %d, %s\n", err, strerror(err));
	if (msg && *msg)
		igt_critical("%s%s", msg, ends_with_newline(msg) ? "" : "\n");
	free(msg);
	if (current_subtest)
		fprintf(stderr, "Subtest %s failed.\n", current_subtest);

	subtest_exit(IGT_EXIT_FAILURE);
}

void __igt_skip_check(const char *file, int line, const char *func,
		      const char *expr, const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = format_message(fmt, ap);
	va_end(ap);

	printf("Test requirement not met in function %s, file %s:%d:\n",
	       func, file, line);
	printf("Test requirement: %s\n", expr);
	if (msg && *msg)
		printf("%s%s", msg, ends_with_newline(msg) ? "" : "\n");
	if (err)
		printf("Last errno: %d, %s\n", err, strerror(err));
	free(msg);

	subtest_exit(IGT_EXIT_SKIP);
}

void igt_skip(const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = format_message(fmt, ap);
	va_end(ap);

	if (msg && *msg)
		printf("%s%s", msg, ends_with_newline(msg) ? "" : "\n");
	free(msg);

	subtest_exit(IGT_EXIT_SKIP);
}

/*
 * A subtest killed by a signal still runs its cleanup handlers, then dies
 * from the same signal (the handler is reset first, so a handler that
 * crashes again ends the process).  As with IGT's exit handlers this is
 * best effort: the handlers are not async-signal-safe in general.
 */
static void child_signal(int sig)
{
	while (num_cleanups) {
		num_cleanups--;
		cleanups[num_cleanups].fn(cleanups[num_cleanups].data);
	}
	fflush(stdout);
	raise(sig);
}

static void child_install_signals(void)
{
	static const int sigs[] = {
		SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
		SIGQUIT, SIGTERM, SIGINT, SIGHUP,
	};
	struct sigaction sa = {
		.sa_handler = child_signal,
		.sa_flags = SA_RESETHAND,
	};
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static __igt_noreturn void child_main(const struct igt_subtest *t)
{
	in_child = true;
	current_subtest = t->name;
	child_install_signals();
	errno = 0;

	t->func();

	subtest_exit(IGT_EXIT_SUCCESS);
}

/*
 * Parent side
 */

static volatile sig_atomic_t running_child;

/*
 * igt_runner ends a test that times out with SIGQUIT, then SIGKILL, to the
 * whole process group.  Let the running subtest finish its cleanup before
 * dying from the signal ourselves, so it can leave the device as it found
 * it.
 */
static void parent_signal(int sig)
{
	static const char msg[] = "Received signal, waiting for the subtest\n";
	pid_t child = running_child;
	ssize_t written;

	written = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)written;
	if (child > 0) {
		kill(child, sig);
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
	}
	raise(sig);
}

static void parent_install_signals(void)
{
	static const int sigs[] = { SIGQUIT, SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa = {
		.sa_handler = parent_signal,
		.sa_flags = SA_RESETHAND,
	};
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static double elapsed(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) +
	       (now.tv_nsec - start->tv_nsec) * 1e-9;
}

static void subtest_starting(const char *name)
{
	kmsg("starting subtest %s\n", name);
	printf("Starting subtest: %s\n", name);
	fflush(stdout);
	if (stderr_sentinel) {
		fprintf(stderr, "Starting subtest: %s\n", name);
		fflush(stderr);
	}
}

static void subtest_result(const char *name, const char *result, double secs)
{
	printf("%sSubtest %s: %s (%.3fs)%s\n", plain_output ? "" : "\x1b[1m",
	       name, result, secs, plain_output ? "" : "\x1b[0m");
	fflush(stdout);
	if (stderr_sentinel) {
		fprintf(stderr, "Subtest %s: %s (%.3fs)\n", name, result, secs);
		fflush(stderr);
	}
	kmsg("finished subtest %s, %s\n", name, result);
}

/*
 * Run one subtest in a child.  Returns the IGT exit code it stands for:
 * IGT_EXIT_SUCCESS, IGT_EXIT_SKIP, or a failure code (the child's exit
 * code, 128 + signal for a crash).
 */
static int run_subtest(const struct igt_subtest *t)
{
	struct timespec start;
	const char *result;
	int status, code;
	pid_t pid;

	subtest_starting(t->name);
	fflush(NULL);
	clock_gettime(CLOCK_MONOTONIC, &start);

	pid = fork();
	if (pid == 0)
		child_main(t);
	running_child = pid;
	if (pid < 0) {
		igt_critical("Cannot fork for subtest %s: %s\n",
			     t->name, strerror(errno));
		subtest_result(t->name, "FAIL", elapsed(&start));
		return IGT_EXIT_FAILURE;
	}

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			running_child = 0;
			igt_critical("waitpid failed for subtest %s: %s\n",
				     t->name, strerror(errno));
			subtest_result(t->name, "FAIL", elapsed(&start));
			return IGT_EXIT_FAILURE;
		}
	}
	running_child = 0;

	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		igt_critical("Subtest %s: killed by signal %d (SIG%s)\n",
			     t->name, sig, sigabbrev_np(sig) ?: "?");
		result = "CRASH";
		code = 128 + sig;
	} else {
		code = WEXITSTATUS(status);
		if (code == IGT_EXIT_SUCCESS)
			result = "SUCCESS";
		else if (code == IGT_EXIT_SKIP)
			result = "SKIP";
		else
			result = "FAIL";
	}
	subtest_result(t->name, result, elapsed(&start));
	return code;
}

/*
 * Command line
 */

enum {
	OPT_LIST_SUBTESTS = 500,
	OPT_SHOW_TESTLIST,
	OPT_DESCRIBE,
	OPT_RUN_SUBTEST,
	OPT_DYNAMIC_SUBTEST,
	OPT_HELP_DESCRIPTION,
	OPT_DEBUG,
	OPT_INTERACTIVE_DEBUG,
	OPT_SKIP_CRC,
	OPT_TRACE_OOPS,
	OPT_HOOK,
	OPT_HELP_HOOK,
	OPT_DEVICE,
	OPT_CONNECTOR,
	OPT_VERSION,
	OPT_HELP = 'h',
};

static const struct option long_options[] = {
	{ "list-subtests",	no_argument,		NULL, OPT_LIST_SUBTESTS },
	{ "show-testlist",	no_argument,		NULL, OPT_SHOW_TESTLIST },
	{ "describe",		optional_argument,	NULL, OPT_DESCRIBE },
	{ "run-subtest",	required_argument,	NULL, OPT_RUN_SUBTEST },
	{ "dynamic-subtest",	required_argument,	NULL, OPT_DYNAMIC_SUBTEST },
	{ "help-description",	no_argument,		NULL, OPT_HELP_DESCRIPTION },
	{ "debug",		optional_argument,	NULL, OPT_DEBUG },
	{ "interactive-debug",	optional_argument,	NULL, OPT_INTERACTIVE_DEBUG },
	{ "skip-crc-compare",	no_argument,		NULL, OPT_SKIP_CRC },
	{ "trace-on-oops",	no_argument,		NULL, OPT_TRACE_OOPS },
	{ "hook",		required_argument,	NULL, OPT_HOOK },
	{ "help-hook",		no_argument,		NULL, OPT_HELP_HOOK },
	{ "device",		required_argument,	NULL, OPT_DEVICE },
	{ "connector",		required_argument,	NULL, OPT_CONNECTOR },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ "help",		no_argument,		NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

static void print_usage(FILE *f)
{
	fprintf(f, "Usage: %s [OPTIONS]\n", test_name);
	fprintf(f,
		"  --list-subtests\n"
		"  --show-testlist\n"
		"  --run-subtest <pattern>\n"
		"  --dynamic-subtest <pattern>\n"
		"  --debug[=log-domain]\n"
		"  --interactive-debug[=domain]\n"
		"  --skip-crc-compare\n"
		"  --trace-on-oops\n"
		"  --hook [<events>:]<cmd>\n"
		"  --help-hook\n"
		"  --help-description\n"
		"  --describe[=pattern]\n"
		"  --device filters\n"
		"  --connector <name>\n"
		"  --version\n"
		"  --help|-h\n");
}

static void print_version(void)
{
	struct utsname uts;

	uname(&uts);
	printf("IGT-Version: %s-vdgpu-%s (%s) (%s: %s %s)\n",
	       VDGPU_IGT_VERSION, VDGPU_IGT_GIT, uts.machine,
	       uts.sysname, uts.release, uts.machine);
}

/*
 * --run-subtest takes a comma separated list of fnmatch(3) patterns, as
 * IGT's uwildmat(): the last pattern matching @name decides, and a
 * pattern starting with '!' excludes.  "*,!foo*" runs everything but
 * foo*.
 */
static bool subtest_selected(const char *name, const char *patterns)
{
	char *list, *pat, *save;
	bool selected = false;

	if (!patterns)
		return true;

	list = strdup(patterns);
	if (!list)
		return false;
	for (pat = strtok_r(list, ",", &save); pat;
	     pat = strtok_r(NULL, ",", &save)) {
		bool negate = pat[0] == '!';

		if (!fnmatch(negate ? pat + 1 : pat, name, 0))
			selected = !negate;
	}
	free(list);
	return selected;
}

static bool valid_subtest_name(const char *name)
{
	const char *p;

	if (!name || !*name)
		return false;
	for (p = name; *p; p++)
		if (!(*p == '-' || *p == '_' ||
		      (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

static bool check_table(const struct igt_subtest *subtests, size_t count)
{
	size_t i, j;

	for (i = 0; i < count; i++) {
		if (!valid_subtest_name(subtests[i].name) || !subtests[i].func) {
			fprintf(stderr, "%s: invalid subtest #%zu \"%s\"\n",
				test_name, i,
				subtests[i].name ? subtests[i].name : "(null)");
			return false;
		}
		for (j = 0; j < i; j++) {
			if (!strcmp(subtests[i].name, subtests[j].name)) {
				fprintf(stderr, "%s: duplicate subtest \"%s\"\n",
					test_name, subtests[i].name);
				return false;
			}
		}
	}
	return true;
}

/*
 * --device / IGT_DEVICE.  Only the "drm:<node path>" form of IGT's device
 * filters (or a bare path) makes sense for a platform device; anything
 * else makes vdgpu_open() skip with a reason rather than breaking
 * --list-subtests.
 */
static const char *device_filter_path(void)
{
	if (!strncmp(device_filter, "drm:", 4))
		return device_filter + 4;
	return device_filter;
}

static void init_random(void)
{
	const char *env = getenv("IGT_SRANDOM");
	unsigned int seed;

	seed = env ? strtoul(env, NULL, 0) : (unsigned int)time(NULL);
	srandom(seed);
	printf("Using IGT_SRANDOM=%u for randomisation\n", seed);
}

int igt_run(int argc, char **argv, const char *description,
	    const struct igt_subtest *subtests, size_t count)
{
	bool list = false, testlist = false, describe = false, ignore_hooks = false;
	const char *pattern = NULL, *env;
	bool failed = false, passed = false;
	int exitcode = IGT_EXIT_SKIP;
	size_t i, selected;
	int opt;

	if (argv[0]) {
		test_name = strrchr(argv[0], '/');
		test_name = test_name ? test_name + 1 : argv[0];
	}

	env = getenv("IGT_LOG_LEVEL");
	log_debug = env && !strcmp(env, "debug");
	plain_output = !isatty(STDOUT_FILENO) || getenv("IGT_PLAIN_OUTPUT");
	stderr_sentinel = getenv("IGT_SENTINEL_ON_STDERR");
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (!check_table(subtests, count))
		return IGT_EXIT_INVALID;

	env = getenv("IGT_DEVICE");
	if (env && *env)
		device_filter = env;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_LIST_SUBTESTS:
			/* As IGT: whichever of list/run comes first wins. */
			if (!pattern)
				list = true;
			break;
		case OPT_SHOW_TESTLIST:
			testlist = true;
			break;
		case OPT_DESCRIBE:
			describe = true;
			list = true;
			pattern = optarg;
			break;
		case OPT_RUN_SUBTEST:
			if (!list && !testlist)
				pattern = optarg;
			break;
		case OPT_DYNAMIC_SUBTEST:
			/* We have no dynamic subtests; IGT ignores it then. */
			break;
		case OPT_HELP_DESCRIPTION:
			if (description)
				printf("%s\n", description);
			return IGT_EXIT_SUCCESS;
		case OPT_DEBUG:
			log_debug = true;
			break;
		case OPT_INTERACTIVE_DEBUG:
		case OPT_SKIP_CRC:
		case OPT_TRACE_OOPS:
		case OPT_CONNECTOR:
			/* Accepted for compatibility, meaningless here. */
			break;
		case OPT_HOOK:
			ignore_hooks = true;
			break;
		case OPT_HELP_HOOK:
			printf("Hooks are not supported by the vdgpu test harness.\n");
			return IGT_EXIT_SUCCESS;
		case OPT_DEVICE:
			device_filter = optarg;
			break;
		case OPT_VERSION:
			print_version();
			return IGT_EXIT_SUCCESS;
		case OPT_HELP:
			print_usage(stdout);
			return IGT_EXIT_SUCCESS;
		default:
			print_usage(stderr);
			return IGT_EXIT_INVALID;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n",
			test_name, argv[optind]);
		print_usage(stderr);
		return IGT_EXIT_INVALID;
	}

	if (describe && description)
		printf("%s\n\n", description);
	if (list || testlist) {
		for (i = 0; i < count; i++) {
			const struct igt_subtest *t = &subtests[i];

			if (describe) {
				if (!subtest_selected(t->name, pattern))
					continue;
				printf("SUB %s:\n  %s\n\n", t->name,
				       t->desc ? t->desc : "NO DOCUMENTATION!");
			} else if (testlist) {
				printf("igt@%s@%s\n", test_name, t->name);
			} else {
				printf("%s\n", t->name);
			}
		}
		return IGT_EXIT_SUCCESS;
	}

	parent_install_signals();
	kmsg("executing\n");
	print_version();
	init_random();
	if (ignore_hooks)
		igt_info("Ignoring --hook: not supported by the vdgpu test harness\n");

	for (i = 0, selected = 0; i < count; i++) {
		const struct igt_subtest *t = &subtests[i];
		int code;

		if (!subtest_selected(t->name, pattern))
			continue;
		selected++;

		code = run_subtest(t);
		if (code == IGT_EXIT_SUCCESS) {
			passed = true;
		} else if (code != IGT_EXIT_SKIP && !failed) {
			failed = true;
			exitcode = code;
		}
	}

	if (!selected) {
		igt_critical("Unknown subtest: %s\n", pattern);
		return IGT_EXIT_INVALID;
	}
	if (!failed)
		exitcode = passed ? IGT_EXIT_SUCCESS : IGT_EXIT_SKIP;
	kmsg("exiting, ret=%d\n", exitcode);
	return exitcode;
}

/*
 * DRM / vdgpu helpers
 */

int __drm_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));

	return ret == -1 ? -errno : ret;
}

int __drm_get_cap(int fd, uint64_t capability, uint64_t *value)
{
	struct drm_get_cap arg = { .capability = capability };
	int ret;

	ret = __drm_ioctl(fd, DRM_IOCTL_GET_CAP, &arg);
	if (!ret)
		*value = arg.value;
	return ret;
}

const char *vdgpu_driver_name(void)
{
	const char *forced = getenv("IGT_FORCE_DRIVER");

	return forced && *forced ? forced : VDGPU_DRIVER_NAME;
}

static const char *node_type_name(enum vdgpu_node_type type)
{
	return type == VDGPU_NODE_RENDER ? "render" : "primary";
}

/* Open the node named by --device / IGT_DEVICE, or its @type sibling. */
static int open_filtered(enum vdgpu_node_type type, char *path, size_t len)
{
	const char *node = device_filter_path();
	char sibling[256];
	drmVersionPtr v;
	bool match;
	int fd, sfd;

	if (node[0] != '/')
		igt_skip("Unsupported device filter \"%s\": use drm:/dev/dri/<node>\n",
			 device_filter);

	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		igt_skip("Cannot open device %s: %s\n", node, strerror(errno));

	v = drmGetVersion(fd);
	match = v && v->name && !strcmp(v->name, vdgpu_driver_name());
	drmFreeVersion(v);
	if (!match)
		igt_skip("%s is not a %s device\n", node, vdgpu_driver_name());

	if (vdgpu_dev_node_type(fd) == (int)type) {
		if (path)
			snprintf(path, len, "%s", node);
		return fd;
	}

	if (vdgpu_dev_sibling(fd, type, sibling, sizeof(sibling), NULL))
		igt_skip("%s has no %s node\n", node, node_type_name(type));
	close(fd);
	sfd = open(sibling, O_RDWR | O_CLOEXEC);
	if (sfd < 0)
		igt_skip("Cannot open %s: %s\n", sibling, strerror(errno));
	if (path)
		snprintf(path, len, "%s", sibling);
	return sfd;
}

int vdgpu_open(enum vdgpu_node_type type, char *path, size_t path_len)
{
	const char *driver = vdgpu_driver_name();
	int fd;

	if (device_filter)
		return open_filtered(type, path, path_len);

	fd = vdgpu_dev_open(driver, type, path, path_len);
	if (fd == -ENODEV)
		igt_skip("No %s %s node found in %s (module not loaded or device not bound?)\n",
			 driver, node_type_name(type), VDGPU_DRI_DIR);
	if (fd < 0)
		igt_skip("Cannot open the %s %s node: %s\n",
			 driver, node_type_name(type), strerror(-fd));
	return fd;
}

int vdgpu_open_vgem(void)
{
	int fd = vdgpu_dev_open("vgem", VDGPU_NODE_PRIMARY, NULL, 0);

	if (fd < 0) {
		igt_require_f(system("modprobe vgem >/dev/null 2>&1") == 0,
			      "vgem cannot be loaded\n");
		fd = vdgpu_dev_open("vgem", VDGPU_NODE_PRIMARY, NULL, 0);
	}
	igt_require_f(fd >= 0, "no vgem device\n");
	return fd;
}

/* vgem's uAPI (include/uapi/drm/vgem_drm.h), which libdrm does not ship. */
struct local_vgem_fence_attach {
	uint32_t handle;
	uint32_t flags;
	uint32_t out_fence;
	uint32_t pad;
};

struct local_vgem_fence_signal {
	uint32_t fence;
	uint32_t flags;
};

#define LOCAL_VGEM_FENCE_WRITE		0x1
#define LOCAL_IOCTL_VGEM_FENCE_ATTACH \
	DRM_IOWR(DRM_COMMAND_BASE + 0x1, struct local_vgem_fence_attach)
#define LOCAL_IOCTL_VGEM_FENCE_SIGNAL \
	DRM_IOW(DRM_COMMAND_BASE + 0x2, struct local_vgem_fence_signal)

void vdgpu_vgem_fence_hold(struct vdgpu_vgem_fence *vf)
{
	struct drm_mode_create_dumb dumb = { .width = 1024, .height = 1, .bpp = 32 };
	struct local_vgem_fence_attach attach = { .flags = LOCAL_VGEM_FENCE_WRITE };
	struct dma_buf_export_sync_file exp = { .flags = DMA_BUF_SYNC_READ, .fd = -1 };
	int dmabuf = -1;

	vf->vgem = vdgpu_open_vgem();
	igt_assert_eq(drmIoctl(vf->vgem, DRM_IOCTL_MODE_CREATE_DUMB, &dumb), 0);
	attach.handle = dumb.handle;
	igt_assert_eq(drmIoctl(vf->vgem, LOCAL_IOCTL_VGEM_FENCE_ATTACH, &attach), 0);
	vf->fence = attach.out_fence;
	igt_assert_eq(drmPrimeHandleToFD(vf->vgem, dumb.handle, DRM_CLOEXEC,
					 &dmabuf), 0);
	if (ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &exp))
		igt_require_f(errno != ENOTTY,
			      "the kernel cannot export a dma-buf's fences\n");
	igt_assert_f(exp.fd >= 0, "DMA_BUF_IOCTL_EXPORT_SYNC_FILE: %s\n",
		     strerror(errno));
	close(dmabuf);
	vf->sync_file = exp.fd;
}

int vdgpu_vgem_fence_signal(const struct vdgpu_vgem_fence *vf)
{
	struct local_vgem_fence_signal sig = { .fence = vf->fence };

	return drmIoctl(vf->vgem, LOCAL_IOCTL_VGEM_FENCE_SIGNAL, &sig) ? -errno : 0;
}

uint64_t vdgpu_require_param_u64(const char *name)
{
	uint64_t val = 0;
	int ret;

	ret = vdgpu_module_param_u64(name, &val);
	if (ret == -ENOENT)
		igt_skip("Module parameter %s/%s not found\n",
			 VDGPU_MODULE_PARAM_DIR, name);
	igt_assert_f(ret == 0, "Cannot read module parameter %s: %s\n",
		     name, strerror(-ret));
	return val;
}

int vdgpu_require_regions(int fd, struct vdgpu_region *regions, int max)
{
	char path[256], text[4096];
	int ret;

	ret = vdgpu_debugfs_mount();
	if (ret)
		igt_skip("debugfs is not available at %s: %s\n",
			 VDGPU_DEBUGFS_ROOT, strerror(-ret));

	ret = vdgpu_regions_path(fd, path, sizeof(path));
	igt_assert_f(ret == 0, "Cannot locate the primary node in sysfs: %s\n",
		     strerror(-ret));

	ret = vdgpu_read_file(path, text, sizeof(text));
	if (ret == -ENOENT || ret == -EACCES || ret == -EPERM)
		igt_skip("Cannot read %s: %s\n", path, strerror(-ret));
	igt_assert_f(ret >= 0, "Cannot read %s: %s\n", path, strerror(-ret));

	ret = vdgpu_regions_parse(text, regions, max);
	igt_assert_f(ret >= 0, "Malformed %s (%s):\n%s", path,
		     igt_errno_name(ret), text);
	return ret;
}
