# SPDX-License-Identifier: Apache-2.0
# Board "rpi3": Raspberry Pi 3 / Zero 2 W, 64-bit (Cortex-A53, aarch64).
# Static binaries against musl through Debian's wrapper aarch64-linux-musl-gcc (package musl-dev:arm64),
# binutils from the GNU cross toolchain (aarch64-linux-gnu-*: there is no musl-prefixed ar).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-musl-gcc)
set(CMAKE_AR aarch64-linux-gnu-ar CACHE FILEPATH "")
set(CMAKE_RANLIB aarch64-linux-gnu-ranlib CACHE FILEPATH "")
set(CMAKE_STRIP aarch64-linux-gnu-strip CACHE FILEPATH "")
set(CMAKE_NM aarch64-linux-gnu-nm CACHE FILEPATH "")
set(CMAKE_OBJDUMP aarch64-linux-gnu-objdump CACHE FILEPATH "")
set(CMAKE_SIZE aarch64-linux-gnu-size CACHE FILEPATH "")

set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-a53")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# qemu-user with the board's CPU model runs the test programs (ctest) on the build host.
# The CPU must be given: qemu's default accepts instructions the real board rejects.
include(${CMAKE_CURRENT_LIST_DIR}/qemu.cmake)
set(CMAKE_CROSSCOMPILING_EMULATOR ${RIPC_QEMU_USER} -cpu ${RIPC_QEMU_CPU})

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
