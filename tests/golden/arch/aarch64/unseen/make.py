#!/usr/bin/env python3
"""Writes this directory's held-out aarch64 virt cases: ../../virt-unseen.py
is the generator, shared with the other virt machine; it takes the same
arguments (--list)."""
import os
import runpy

runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "virt-unseen.py"),
               init_globals={"ARCH": "aarch64"}, run_name="__main__")
