# SPDX-License-Identifier: Apache-2.0
# Board "native" runs its programs directly: no emulator.
set(RIPC_QEMU_USER "")
set(RIPC_QEMU_CPU "")
set(RIPC_TEST_SCALE 1)
