# SPDX-License-Identifier: Apache-2.0
# Board "rpi2": how QEMU emulates it.
set(RIPC_QEMU_USER qemu-arm)
set(RIPC_QEMU_CPU cortex-a7)
# Emulation is 10-50x slower than the real board: stress tests run a fraction of their
# iterations (same checks, fewer rounds).
set(RIPC_TEST_SCALE 0.1)
