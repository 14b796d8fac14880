# SPDX-License-Identifier: Apache-2.0
cmake_policy(VERSION 3.20)
# The Kconfig pipeline: a fragment overrides the board defconfig, the header carries the
# result, and a value outside its range is refused instead of silently ignored.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/frag.conf "CONFIG_RIPC_SPIN_ITERATIONS=123\n# CONFIG_RIPC_MUTEX_PI is not set\n")
execute_process(COMMAND ${PYTHON} ${SRC}/scripts/kconfig.py --kconfig ${SRC}/Kconfig
                  --defconfig ${SRC}/boards/rpi3/defconfig --fragment ${WORK}/frag.conf
                  --config ${WORK}/.config --header ${WORK}/config.h
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "kconfig.py failed: ${out}${err}")
endif()
file(READ ${WORK}/config.h h)
if(NOT h MATCHES "#define CONFIG_RIPC_SPIN_ITERATIONS 123\n")
  message(FATAL_ERROR "fragment value missing from config.h:\n${h}")
endif()
if(h MATCHES "CONFIG_RIPC_MUTEX_PI")
  message(FATAL_ERROR "disabled option still in config.h:\n${h}")
endif()
if(NOT h MATCHES "#define CONFIG_RIPC_SEM 1\n")
  message(FATAL_ERROR "default option missing from config.h:\n${h}")
endif()

file(WRITE ${WORK}/bad.conf "CONFIG_RIPC_SPIN_ITERATIONS=99999999\n")
execute_process(COMMAND ${PYTHON} ${SRC}/scripts/kconfig.py --kconfig ${SRC}/Kconfig
                  --defconfig ${SRC}/boards/rpi3/defconfig --fragment ${WORK}/bad.conf
                  --config ${WORK}/bad/.config --header ${WORK}/bad/config.h
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(rc EQUAL 0)
  message(FATAL_ERROR "an out-of-range fragment value was accepted")
endif()
message(STATUS "Kconfig fragments, header and range checks work")
