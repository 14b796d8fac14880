# SPDX-License-Identifier: Apache-2.0
# A copy of libripc configured with CONFIG_RIPC_SPIN_ITERATIONS=0, whose global symbols are
# renamed ripc_* -> nospin_ripc_* (objcopy), so ripc-bench links it beside the normal library
# and compares both in one run. Also generates nospin_names.h, the matching #defines.
set(_ns_dir ${CMAKE_CURRENT_BINARY_DIR}/nospin)
file(WRITE ${_ns_dir}/nospin.conf "CONFIG_RIPC_SPIN_ITERATIONS=0\n")
execute_process(
  COMMAND ${RIPC_PYTHON} ${PROJECT_SOURCE_DIR}/scripts/kconfig.py
          --kconfig ${RIPC_KCONFIG_ROOT} --defconfig ${RIPC_DEFCONFIG} ${_frag_args}
          --fragment ${_ns_dir}/nospin.conf
          --config ${_ns_dir}/.config --header ${_ns_dir}/include/ripc/config.h
  RESULT_VARIABLE _ns_rc OUTPUT_QUIET ERROR_VARIABLE _ns_err)
if(NOT _ns_rc EQUAL 0)
  message(FATAL_ERROR "Kconfig (bench no-spin copy) failed: ${_ns_err}")
endif()

get_target_property(_ns_srcs ripc SOURCES)
add_library(ripc_bench_nospin_raw STATIC ${_ns_srcs})
target_include_directories(ripc_bench_nospin_raw
  PRIVATE ${_ns_dir}/include ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR})
target_compile_options(ripc_bench_nospin_raw PRIVATE ${RIPC_LIB_WARNINGS})

# objcopy of the target's binutils: the board toolchains name nm, and objcopy sits beside it
# (CMake may have found the host's objcopy instead, which leaves foreign objects unchanged).
string(REGEX REPLACE "nm$" "objcopy" _ns_objcopy "${CMAKE_NM}")
if(NOT EXISTS "${_ns_objcopy}")
  find_program(_ns_objcopy_found NAMES "${_ns_objcopy}" objcopy)
  set(_ns_objcopy ${_ns_objcopy_found})
endif()

set(_ns_lib ${_ns_dir}/libripc_bench_nospin.a)
add_custom_command(
  OUTPUT ${_ns_lib} ${_ns_dir}/nospin_names.h
  COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM} -DOBJCOPY=${_ns_objcopy}
          -DIN=$<TARGET_FILE:ripc_bench_nospin_raw> -DOUT=${_ns_lib}
          -DHEADER=${_ns_dir}/nospin_names.h -DPREFIX=nospin_
          -P ${CMAKE_CURRENT_LIST_DIR}/rename_symbols.cmake
  DEPENDS ripc_bench_nospin_raw ${CMAKE_CURRENT_LIST_DIR}/rename_symbols.cmake
  COMMENT "Renaming the symbols of the no-spin library copy")
add_custom_target(ripc_bench_nospin_renamed DEPENDS ${_ns_lib} ${_ns_dir}/nospin_names.h)

add_library(ripc_bench_nospin STATIC IMPORTED)
set_target_properties(ripc_bench_nospin PROPERTIES IMPORTED_LOCATION ${_ns_lib})
add_dependencies(ripc_bench_nospin ripc_bench_nospin_renamed)
target_link_libraries(ripc_bench_nospin INTERFACE Threads::Threads)
