#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check's run of the benchmark: one short pass of every row on one
# kernel (see scripts/check.sh), to prove that make bench works.  Its
# numbers are not judged; its one TAP case is whether every row ran.
#
# time-limit: 90
exec pidfd_bench --quick
