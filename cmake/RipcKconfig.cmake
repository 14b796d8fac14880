# SPDX-License-Identifier: Apache-2.0
# Kconfig at configure time: boards/<board>/defconfig + RIPC_CONF_FRAGMENTS -> .config and
# ripc/config.h in the build tree; `cmake --build <dir> --target menuconfig` edits the .config.

find_program(RIPC_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT RIPC_PYTHON)
  find_program(RIPC_PYTHON NAMES python3 REQUIRED)
endif()

set(RIPC_CONF_FRAGMENTS "" CACHE STRING
    "Kconfig fragment files applied after the board defconfig, in order (;-separated)")

set(RIPC_KCONFIG_ROOT ${PROJECT_SOURCE_DIR}/Kconfig)
set(RIPC_DEFCONFIG ${RIPC_BOARD_DIR}/defconfig)
set(RIPC_DOTCONFIG ${CMAKE_BINARY_DIR}/.config)
set(RIPC_CONFIG_H ${CMAKE_BINARY_DIR}/generated/include/ripc/config.h)

set(_frag_args)
set(_frag_files)
foreach(frag IN LISTS RIPC_CONF_FRAGMENTS)
  get_filename_component(frag_abs ${frag} ABSOLUTE BASE_DIR ${PROJECT_SOURCE_DIR})
  list(APPEND _frag_args --fragment ${frag_abs})
  list(APPEND _frag_files ${frag_abs})
endforeach()

execute_process(
  COMMAND ${RIPC_PYTHON} ${PROJECT_SOURCE_DIR}/scripts/kconfig.py
          --kconfig ${RIPC_KCONFIG_ROOT} --defconfig ${RIPC_DEFCONFIG} ${_frag_args}
          --config ${RIPC_DOTCONFIG} --header ${RIPC_CONFIG_H}
  RESULT_VARIABLE _kconfig_rc
  OUTPUT_VARIABLE _kconfig_out
  ERROR_VARIABLE _kconfig_err)
if(NOT _kconfig_rc EQUAL 0)
  message(FATAL_ERROR "Kconfig failed:\n${_kconfig_out}${_kconfig_err}")
endif()
message(STATUS "Kconfig: ${RIPC_DOTCONFIG} (board ${RIPC_BOARD})")

# Re-run configure when any input or the .config (menuconfig) changes.
file(GLOB_RECURSE _kconfig_files ${PROJECT_SOURCE_DIR}/Kconfig*)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${_kconfig_files} ${RIPC_DEFCONFIG} ${_frag_files} ${RIPC_DOTCONFIG})

# Make every CONFIG_* symbol a CMake variable (CONFIG_RIPC_SEM = y, ...).
file(STRINGS ${RIPC_DOTCONFIG} _config_lines REGEX "^CONFIG_")
foreach(line IN LISTS _config_lines)
  if(line MATCHES "^(CONFIG_[A-Za-z0-9_]+)=\"?([^\"]*)\"?$")
    set(${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
  endif()
endforeach()

add_custom_target(menuconfig
  COMMAND ${CMAKE_COMMAND} -E env srctree=${PROJECT_SOURCE_DIR} KCONFIG_CONFIG=${RIPC_DOTCONFIG}
          ${RIPC_PYTHON} -m menuconfig ${RIPC_KCONFIG_ROOT}
  COMMAND ${CMAKE_COMMAND} ${CMAKE_BINARY_DIR}
  USES_TERMINAL
  COMMENT "Editing ${RIPC_DOTCONFIG}; the next build uses it")
