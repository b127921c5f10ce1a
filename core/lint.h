/* lint: what libvirt 9.0 defines but the guest gets wrong — the guest's
 * firmware or QEMU, not libvirt, is where it fails.  Each rule is a row
 * of a table (lint.c) with a code, and each finding has its reason and a
 * fix: bus numbers that run out or clash (from guestbus), the I/O port
 * space SeaBIOS has for bridges, and acpi-index values QEMU refuses.
 * Every rule rests on booted guests (tests/golden/lint, doc/guest.md's
 * "Lint").  check lists the findings with the rest (problems.h); they
 * are found once per topology, from the one guest numbering. */
#ifndef PCITOPO_LINT_H
#define PCITOPO_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "topology.h"

struct lint_finding {
    const char *code;            /* the row's code ("io_space_exhausted"); static */
    bool at_start;               /* QEMU refuses to start; else a warning: it starts */
    const struct device *dev;    /* the device it is about, borrowed; NULL: the domain */
    char *msg;                   /* why, "warning: ..." or QEMU's refusal; owned */
    char *hint;                  /* the fix; owned */
};

struct lint_list {
    struct lint_finding *f;      /* owned */
    size_t n;
};

/* Every finding of t's domain, rule by rule.  t should be one libvirt
 * accepts (check runs it when it refuses nothing): the guest rules number
 * the domain as it will run, placed.  Free with lint_free. */
struct lint_list *lint_new(const struct topology *t);
void lint_free(struct lint_list *l);

/* The rules' codes in table order (docs and tests): NULL past the end.
 * *at_start says whether QEMU refuses to start; *what is one line. */
const char *lint_rule_at(size_t i, bool *at_start, const char **what);

#endif
