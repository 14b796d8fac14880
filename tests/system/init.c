/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright (c) 2026 The ripc authors */
/**
 * @file
 * @brief /init of an emulated board (CTest label "system"): prepares the guest, runs the test
 *        programs listed in /manifest one at a time, reports each, prints one result line and
 *        powers the board off.
 *
 * Manifest, one directive a line, '#' starts a comment:
 *
 *     module <file.ko>                                   load a kernel module
 *     run <name> <timeout s> [VAR=value]... <program> [argument]...
 *
 * Each program runs in its own session with its output on a pipe that init copies to the
 * console line by line, so every "[  SKIP    ]" line a test prints is also reported as
 * "RIPC-SYSTEM-SKIP <name>: <reason>" for the host to judge. A program that outlives its
 * timeout is killed with everything it forked. Any set-up step that fails counts as a failed
 * program: the host decides from the result line alone, and a broken guest must not pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MANIFEST_PATH "/manifest"
#define MANIFEST_LINE 4096
#define MAX_WORDS     64
/* Printed by RIPC_TEST_SKIP (tests/support/ripc_test.h) at the start of a line. */
#define SKIP_PREFIX "[  SKIP    ]"
/* Output of a program that is still there after it exited (and its group was killed). */
#define DRAIN_GRACE_MS 2000

struct tally {
	unsigned int passed;
	unsigned int failed;
	unsigned int skipped;
};

struct program {
	const char *name;
	unsigned int timeout_s;
	char *argv[MAX_WORDS + 1];
	char *envp[MAX_WORDS + 3];
};

/* A program's output on its way to the console, one line at a time. */
struct output {
	const char *name;
	unsigned int skips;
	bool midline; /* the buffer continues a line longer than itself */
	size_t len;
	char line[1024];
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void setup_failed(struct tally *t, const char *what, int err)
{
	printf("RIPC-SYSTEM-FAIL setup: %s: %s\n", what, strerror(err));
	t->failed++;
}

/* ---- Guest set-up --------------------------------------------------------------------- */

static int mount_fs(const char *type, const char *dir, const char *opts)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return errno;
	if (mount(type, dir, type, MS_NOSUID, opts) != 0)
		return errno;
	return 0;
}

/* The initramfs has no device nodes (packing it needs no root): the console comes from
 * devtmpfs, so nothing can be reported before /dev is mounted. */
static int console_open(void)
{
	int fd;

	if (mount_fs("devtmpfs", "/dev", NULL) != 0)
		return -1;
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return -1;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	setvbuf(stdout, NULL, _IOLBF, 0);
	return 0;
}

static void mount_all(struct tally *t)
{
	static const struct {
		const char *type;
		const char *dir;
		const char *opts;
	} fs[] = {
		{"proc", "/proc", NULL},
		{"sysfs", "/sys", NULL},
		/* shm_open() and every ripc domain live here: the ARM kernel's own tmpfs. */
		{"tmpfs", "/dev/shm", "mode=1777"},
		{"tmpfs", "/tmp", "mode=1777"},
	};
	size_t i;
	int err;

	for (i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		err = mount_fs(fs[i].type, fs[i].dir, fs[i].opts);
		if (err != 0)
			setup_failed(t, fs[i].dir, err);
	}
}

/* Link tests use real sockets on loopback, which a fresh kernel leaves down. */
static void loopback_up(struct tally *t)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		setup_failed(t, "socket", errno);
		return;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) {
		setup_failed(t, "lo: SIOCGIFFLAGS", errno);
	} else {
		ifr.ifr_flags = (short)(ifr.ifr_flags | IFF_UP);
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0)
			setup_failed(t, "lo: SIOCSIFFLAGS", errno);
	}
	close(fd);
}

static void load_module(struct tally *t, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		setup_failed(t, path, errno);
		return;
	}
	if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
		setup_failed(t, path, errno);
	else
		printf("RIPC-SYSTEM-MODULE %s loaded\n", path);
	close(fd);
}

static void print_board(void)
{
	struct utsname u;

	if (uname(&u) != 0)
		memset(&u, 0, sizeof(u));
	printf("RIPC-SYSTEM-BOARD cpus=%ld kernel=%s machine=%s\n", sysconf(_SC_NPROCESSORS_ONLN),
	       u.release, u.machine);
}

/* ---- Output of a program ---------------------------------------------------------------- */

static void output_flush(struct output *o, bool line_ends)
{
	size_t n = strlen(SKIP_PREFIX);

	fwrite(o->line, 1, o->len, stdout);
	if (!o->midline && o->len >= n && memcmp(o->line, SKIP_PREFIX, n) == 0) {
		int reason = (int)(o->len - n);

		while (reason > 0 && (o->line[n + (size_t)reason - 1] == '\n' ||
				      o->line[n + (size_t)reason - 1] == '\r'))
			reason--;
		printf("%sRIPC-SYSTEM-SKIP %s:%.*s\n", line_ends ? "" : "\n", o->name, reason,
		       o->line + n);
		o->skips++;
	}
	o->midline = !line_ends;
	o->len = 0;
}

/* Copy what is in the pipe to the console; false at end of file. */
static bool output_read(struct output *o, int fd)
{
	char buf[512];
	ssize_t n = read(fd, buf, sizeof(buf));
	ssize_t i;

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	for (i = 0; i < n; i++) {
		o->line[o->len++] = buf[i];
		if (buf[i] == '\n' || o->len == sizeof(o->line))
			output_flush(o, buf[i] == '\n');
	}
	return n > 0;
}

static void output_end(struct output *o)
{
	if (o->len > 0) {
		output_flush(o, false);
		putchar('\n');
	}
	fflush(stdout);
}

/* ---- Running a program ------------------------------------------------------------------- */

static void child_exec(const struct program *p, int out)
{
	int null = open("/dev/null", O_RDONLY);

	/* Own session and process group: a timeout kills the program and all it forked. */
	setsid();
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	dup2(out, STDERR_FILENO);
	if (chdir("/tmp") != 0)
		_exit(126);
	execve(p->argv[0], p->argv, p->envp);
	dprintf(STDERR_FILENO, "init: cannot run %s: %s\n", p->argv[0], strerror(errno));
	_exit(127);
}

/* Forward output until the program exits or its time is up; true if it ran out of time. */
static bool supervise(int out, int pidfd, int64_t deadline, struct output *o)
{
	struct pollfd fds[2] = {{.fd = out, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};

	for (;;) {
		int64_t left = deadline - now_ms();

		if (left <= 0)
			return true;
		if (poll(fds, 2, left > 1000 ? 1000 : (int)left) < 0)
			continue;
		if (fds[0].revents != 0 && !output_read(o, out))
			fds[0].fd = -1;
		if (fds[1].revents != 0)
			return false;
	}
}

/* What the program (or a process it left behind) wrote last, up to end of file. */
static void drain(int out, struct output *o)
{
	struct pollfd fd = {.fd = out, .events = POLLIN};
	int64_t deadline = now_ms() + DRAIN_GRACE_MS;

	while (now_ms() < deadline && poll(&fd, 1, DRAIN_GRACE_MS) > 0 && output_read(o, out))
		;
	output_end(o);
}

static void report(struct tally *t, const struct program *p, int status, bool timed_out, int64_t ms,
		   unsigned int skips)
{
	bool pass = !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;

	printf("RIPC-SYSTEM-%s %s %lld.%03lld s", pass ? "PASS" : "FAIL", p->name,
	       (long long)(ms / 1000), (long long)(ms % 1000));
	if (timed_out)
		printf(" (timeout after %u s)", p->timeout_s);
	else if (WIFSIGNALED(status))
		printf(" (signal %d)", WTERMSIG(status));
	else if (!pass)
		printf(" (exit %d)", WEXITSTATUS(status));
	if (skips > 0)
		printf(" (%u skipped)", skips);
	putchar('\n');
	if (pass)
		t->passed++;
	else
		t->failed++;
	t->skipped += skips;
}

static int start(const struct program *p, int *out, int *pidfd)
{
	int pipefd[2];
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return -errno;
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		child_exec(p, pipefd[1]);
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		return -errno;
	}
	*out = pipefd[0];
	*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (*pidfd < 0) {
		kill(-pid, SIGKILL);
		close(pipefd[0]);
		waitpid(pid, NULL, 0);
		return -errno;
	}
	return pid;
}

static void run_program(struct tally *t, const struct program *p)
{
	struct output o = {.name = p->name};
	int64_t t0 = now_ms();
	int status = 0, out = -1, pidfd = -1;
	bool timed_out;
	pid_t pid;

	printf("RIPC-SYSTEM-RUN %s\n", p->name);
	pid = start(p, &out, &pidfd);
	if (pid < 0) {
		setup_failed(t, p->name, -pid);
		return;
	}
	timed_out = supervise(out, pidfd, t0 + (int64_t)p->timeout_s * 1000, &o);
	/* On time or not, nothing of the program may live on into the next one. */
	kill(-pid, SIGKILL);
	drain(out, &o);
	waitpid(pid, &status, 0);
	/* Children it left behind were re-parented to init. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	close(out);
	close(pidfd);
	report(t, p, status, timed_out, now_ms() - t0, o.skips);
}

/* ---- Manifest ------------------------------------------------------------------------------ */

/* "run <name> <timeout> [VAR=value]... <program> [argument]..." after "run". */
static bool parse_run(struct program *p, char **w, int n)
{
	static char path_env[] = "PATH=/bin";
	static char home_env[] = "HOME=/tmp";
	int i = 2, e = 0, a = 0;
	char *end;

	if (n < 3)
		return false;
	p->name = w[0];
	p->timeout_s = (unsigned int)strtoul(w[1], &end, 10);
	if (*end != '\0' || p->timeout_s == 0)
		return false;
	p->envp[e++] = path_env;
	p->envp[e++] = home_env;
	for (; i < n && strchr(w[i], '=') != NULL; i++)
		p->envp[e++] = w[i];
	for (; i < n; i++)
		p->argv[a++] = w[i];
	p->envp[e] = NULL;
	p->argv[a] = NULL;
	return a > 0;
}

static int split(char *line, char **w)
{
	char *save = NULL;
	char *tok = strtok_r(line, " \t\r\n", &save);
	int n = 0;

	while (tok != NULL && n < MAX_WORDS) {
		w[n++] = tok;
		tok = strtok_r(NULL, " \t\r\n", &save);
	}
	return tok == NULL ? n : -1;
}

static void run_line(struct tally *t, char *line)
{
	char *w[MAX_WORDS];
	struct program p;
	int n = split(line, w);

	if (n == 0 || (n > 0 && w[0][0] == '#'))
		return;
	if (n == 2 && strcmp(w[0], "module") == 0)
		load_module(t, w[1]);
	else if (n > 0 && strcmp(w[0], "run") == 0 && parse_run(&p, w + 1, n - 1))
		run_program(t, &p);
	else
		setup_failed(t, "manifest: malformed line", EINVAL);
}

static void run_manifest(struct tally *t)
{
	char line[MANIFEST_LINE];
	FILE *f = fopen(MANIFEST_PATH, "r");

	if (f == NULL) {
		setup_failed(t, MANIFEST_PATH, errno);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL)
		run_line(t, line);
	fclose(f);
}

/* ---- Main -------------------------------------------------------------------------------- */

static void power_off(void)
{
	sync();
	reboot(RB_POWER_OFF);
	/* init must not exit (the kernel would panic): wait for the host's timeout. */
	printf("RIPC-SYSTEM-POWEROFF failed: %s\n", strerror(errno));
	for (;;)
		pause();
}

int main(void)
{
	struct tally t = {0};

	if (console_open() != 0)
		power_off();
	mount_all(&t);
	loopback_up(&t);
	print_board();
	run_manifest(&t);
	printf("RIPC-SYSTEM-RESULT passed=%u failed=%u skipped=%u\n", t.passed, t.failed,
	       t.skipped);
	power_off();
	return 1;
}
