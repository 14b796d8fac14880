# SPDX-License-Identifier: Apache-2.0
# Board "native": the host itself, with the host's default compiler and C library.
# Nothing to cross; this file exists so every board is chosen the same way.
