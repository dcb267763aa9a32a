# SPDX-License-Identifier: GPL-2.0
# vswap top-level Makefile.
#
# Module build against the running kernel (or KDIR=...), install, DKMS, and
# (from mk/harness.mk) the QEMU test harness: `make check`, `make demo`.

VERSION := 0.1.0
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PWD := $(shell pwd)

.PHONY: all modules install clean help vswapctl install-vswapctl

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(PWD) modules

install: modules install-vswapctl
	$(MAKE) -C $(KDIR) M=$(PWD) modules_install
	depmod -a $(KVER)

# The admin tool (tools/vswapctl: libc only; LDFLAGS=-static for an initramfs).
vswapctl:
	$(MAKE) -C tools/vswapctl VERSION=$(VERSION)

# to /usr/local/sbin and /usr/local/share/man/man8 (PREFIX=, DESTDIR=)
install-vswapctl:
	$(MAKE) -C tools/vswapctl VERSION=$(VERSION) install

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean 2>/dev/null || \
		rm -f *.o *.ko *.mod *.mod.c .*.cmd Module.symvers modules.order
	$(MAKE) -C tools/vswapctl clean
	rm -rf build

help:
	@echo "make                 build vswap.ko for $(KVER) (KDIR=... to override)"
	@echo "sudo make install    install it and run depmod, and vswapctl to /usr/local/sbin"
	@echo "make vswapctl        build the admin tool (tools/vswapctl)"
	@echo "make check           the whole test suite in QEMU guests (6.1, 6.12, 7.3)"
	@echo "make demo            boot a VM with vswap under a memory-hungry workload"

-include mk/harness.mk
-include mk/bench.mk
