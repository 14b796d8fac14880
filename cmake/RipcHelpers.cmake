# SPDX-License-Identifier: Apache-2.0
# Helpers that keep the folder CMakeLists to a few lines.

# Warnings for ripc's own code; the library also gets -Wconversion.
set(RIPC_WARNINGS -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wpointer-arith -Wundef -Wvla)
set(RIPC_LIB_WARNINGS ${RIPC_WARNINGS} -Wconversion -Wsign-conversion)

macro(ripc_apply_sanitizers)
  if(RIPC_SANITIZE)
    add_compile_options(-fsanitize=${RIPC_SANITIZE} -fno-omit-frame-pointer -g)
    add_link_options(-fsanitize=${RIPC_SANITIZE})
    if(RIPC_SANITIZE MATCHES "undefined")
      add_compile_options(-fno-sanitize-recover=undefined)
    endif()
  endif()
endmacro()

# ripc_library_sources(<cond> <file>...): add files to libripc when the Kconfig symbol
# <cond> is y (or when <cond> is ALWAYS).
function(ripc_library_sources cond)
  if(cond STREQUAL "ALWAYS" OR "${${cond}}" STREQUAL "y")
    target_sources(ripc PRIVATE ${ARGN})
  endif()
endfunction()

# ripc_add_test(<dotted.name> SOURCES <file>... LABELS <label>... [TIMEOUT <s>])
# One CMocka executable per test file, run by ctest (under qemu-user on the ARM boards,
# through CMAKE_CROSSCOMPILING_EMULATOR). Every test gets a timeout; the programs also arm
# an alarm() watchdog, so a hang is a failure, never a stuck CI.
function(ripc_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LABELS" ${ARGN})
  string(REPLACE "." "_" target "test_${name}")
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${target} ${T_SOURCES})
  target_link_libraries(${target} PRIVATE ripc_test_support)
  target_compile_options(${target} PRIVATE ${RIPC_WARNINGS})
  add_test(NAME ${name} COMMAND ${target})
  set_tests_properties(${name} PROPERTIES
    LABELS "${T_LABELS}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "RIPC_TEST_SCALE=${RIPC_TEST_SCALE};RIPC_TEST_WATCHDOG=${T_TIMEOUT};RIPC_TEST_EMULATED=$<BOOL:${CMAKE_CROSSCOMPILING}>")
endfunction()
