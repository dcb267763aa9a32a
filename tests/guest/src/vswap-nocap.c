// SPDX-License-Identifier: GPL-2.0
/*
 * vswap-nocap: run a command without CAP_SYS_ADMIN.
 *
 * usage: vswap-nocap CMD [ARGS...]
 *
 * Drops CAP_SYS_ADMIN from the bounding set (so that exec as root cannot
 * regain it), then from the effective, permitted and inheritable sets, with
 * the raw prctl and capset system calls (the guest has no libcap), checks that
 * it is gone, and execs CMD.  Every other capability stays, root's uid too:
 * a write the kernel then refuses is refused for CAP_SYS_ADMIN alone.
 * Exit 2 when the capability could not be dropped, 127 when exec failed.
 */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	unsigned int word = CAP_TO_INDEX(CAP_SYS_ADMIN);
	unsigned int bit = CAP_TO_MASK(CAP_SYS_ADMIN);

	if (argc < 2) {
		fprintf(stderr, "usage: vswap-nocap CMD [ARGS...]\n");
		return 2;
	}
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0)) {
		perror("vswap-nocap: PR_CAPBSET_DROP");
		return 2;
	}
	if (syscall(SYS_capget, &hdr, data)) {
		perror("vswap-nocap: capget");
		return 2;
	}
	data[word].effective &= ~bit;
	data[word].permitted &= ~bit;
	data[word].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data)) {
		perror("vswap-nocap: capset");
		return 2;
	}
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) ||
	    (data[word].effective | data[word].permitted) & bit ||
	    prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) != 0) {
		fprintf(stderr, "vswap-nocap: CAP_SYS_ADMIN still held\n");
		return 2;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "vswap-nocap: exec %s: %s\n", argv[1], strerror(errno));
	return 127;
}
