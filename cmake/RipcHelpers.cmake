# SPDX-License-Identifier: Apache-2.0
# Helpers that keep the folder CMakeLists to a few lines.

# Warnings for ripc's own code; the library also gets -Wconversion.
set(RIPC_WARNINGS -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
    -Wpointer-arith -Wundef -Wvla)
set(RIPC_LIB_WARNINGS ${RIPC_WARNINGS} -Wconversion -Wsign-conversion)

macro(ripc_apply_sanitizers)
  if(RIPC_FUZZ)
    # Coverage for libFuzzer in everything a fuzz target links (the library included).
    if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
      message(FATAL_ERROR "RIPC_FUZZ needs clang (libFuzzer); use the fuzz preset")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link)
  endif()
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
  set(env "RIPC_TEST_SCALE=${RIPC_TEST_SCALE}" "RIPC_TEST_WATCHDOG=${T_TIMEOUT}")
  add_test(NAME ${name} COMMAND ${target})
  set_tests_properties(${name} PROPERTIES
    LABELS "${T_LABELS}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "${env};RIPC_TEST_EMULATED=$<BOOL:${CMAKE_CROSSCOMPILING}>")
  ripc_system_program(${name} TARGET ${target} TIMEOUT ${T_TIMEOUT} ENV ${env})
endfunction()

# ripc_system_program(<dotted.name> TARGET <executable target> TIMEOUT <s> [ARGS <arg>...]
#                     [ENV <VAR=value>...])
# Also run this program inside the emulated board (label "system", cmake/RipcSystem.cmake).
# Only programs the board can run on its own belong here: a host-side script or a check of
# the build tree stays a plain add_test.
function(ripc_system_program name)
  cmake_parse_arguments(S "" "TARGET;TIMEOUT" "ARGS;ENV" ${ARGN})
  if(NOT S_TARGET OR NOT S_TIMEOUT)
    message(FATAL_ERROR "ripc_system_program(${name}): TARGET and TIMEOUT are required")
  endif()
  set_property(GLOBAL APPEND PROPERTY RIPC_SYSTEM_PROGRAMS ${name})
  set_property(GLOBAL PROPERTY RIPC_SYSTEM_${name}_TARGET ${S_TARGET})
  set_property(GLOBAL PROPERTY RIPC_SYSTEM_${name}_TIMEOUT ${S_TIMEOUT})
  set_property(GLOBAL PROPERTY RIPC_SYSTEM_${name}_ARGS ${S_ARGS})
  set_property(GLOBAL PROPERTY RIPC_SYSTEM_${name}_ENV ${S_ENV})
endfunction()

# ripc_add_sample_test(<dotted.name> COMMAND <executable target> [<arg>...] TIMEOUT <s>
#                      LABELS <label>... [RUN_SERIAL])
# A sample run once as a test: by ctest on the build host (qemu-user on the boards) and
# inside the emulated board.
function(ripc_add_sample_test name)
  cmake_parse_arguments(S "RUN_SERIAL" "TIMEOUT" "COMMAND;LABELS" ${ARGN})
  list(POP_FRONT S_COMMAND target)
  add_test(NAME ${name} COMMAND ${target} ${S_COMMAND})
  set_tests_properties(${name} PROPERTIES LABELS "${S_LABELS}" TIMEOUT ${S_TIMEOUT})
  if(S_RUN_SERIAL)
    set_tests_properties(${name} PROPERTIES RUN_SERIAL ON)
  endif()
  ripc_system_program(${name} TARGET ${target} TIMEOUT ${S_TIMEOUT} ARGS ${S_COMMAND})
endfunction()
