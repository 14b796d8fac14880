# SPDX-License-Identifier: Apache-2.0
# Board "rpi2": Raspberry Pi 2, and Pi 3/4 on a 32-bit OS (Cortex-A7, ARMv7 armhf).
# Static binaries against musl through Debian's wrapper arm-linux-musleabihf-gcc (package musl-dev:armhf),
# binutils from the GNU cross toolchain (arm-linux-gnueabihf-*: there is no musl-prefixed ar).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-linux-musleabihf-gcc)
set(CMAKE_AR arm-linux-gnueabihf-ar CACHE FILEPATH "")
set(CMAKE_RANLIB arm-linux-gnueabihf-ranlib CACHE FILEPATH "")
set(CMAKE_STRIP arm-linux-gnueabihf-strip CACHE FILEPATH "")
set(CMAKE_NM arm-linux-gnueabihf-nm CACHE FILEPATH "")
set(CMAKE_OBJDUMP arm-linux-gnueabihf-objdump CACHE FILEPATH "")
set(CMAKE_SIZE arm-linux-gnueabihf-size CACHE FILEPATH "")

set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-a7 -mfpu=neon-vfpv4 -mfloat-abi=hard")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# qemu-user with the board's CPU model runs the test programs (ctest) on the build host.
# The CPU must be given: qemu's default accepts instructions the real board rejects.
include(${CMAKE_CURRENT_LIST_DIR}/qemu.cmake)
set(CMAKE_CROSSCOMPILING_EMULATOR ${RIPC_QEMU_USER} -cpu ${RIPC_QEMU_CPU})

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
