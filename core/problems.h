/* problems: everything `check` finds in a domain, as a list: each problem
 * with the device it is about, its line and its words.  `check` prints
 * this list, and the editor walks the same list (Enter selects the
 * device), so the two never disagree.  The findings themselves come from
 * place_check (place.h): libvirt's refusals (validate.h's rows, the
 * addresses and targets it cannot take, collisions, slots a bus does not
 * have...), what QEMU refuses at start, and notes; then from lint_new
 * (lint.h): what the guest gets wrong although libvirt defines it, with
 * a code and a fix. */
#ifndef PCITOPO_PROBLEMS_H
#define PCITOPO_PROBLEMS_H

#include <stdbool.h>
#include <stddef.h>
#include <libxml/tree.h>

#include "session.h"
#include "topology.h"
#include "util.h"

enum problem_severity {
    PROBLEM_REFUSAL,    /* libvirt 9.0 refuses the domain */
    PROBLEM_AT_START,   /* libvirt defines it, QEMU refuses to start it */
    PROBLEM_NOTE,       /* accepted, but worth knowing */
    PROBLEM_WARNING,    /* QEMU starts it, but the guest does not boot or
                         * cannot reach devices (lint.h) */
};

struct problem {
    enum problem_severity severity;
    /* The device it is about, borrowed from the session's topology; NULL
     * when it is about an element pcitopo does not model (node says
     * which) or the domain as a whole (node NULL too). */
    const struct device *dev;
    xmlNodePtr node;     /* its element; borrowed from the document; may be NULL */
    long line;           /* node's line in the file; 0: none, or added in this session */
    char *msg;           /* libvirt's words (pcitopo's for notes); owned */
    /* The line check prints: "FILE:LINE: <element> ALIAS: msg", control
     * characters written as \xNN; owned. */
    char *text;
    char *hint;          /* advice check prints below it, or NULL; owned */
    const char *code;    /* lint.h's rule code, or NULL; static */
};

struct problem_list {
    struct problem *p;   /* owned; in the order check prints them */
    size_t n;
    int refusals;        /* PROBLEM_REFUSAL entries */
    int at_start;        /* PROBLEM_AT_START entries */
    int warnings;        /* PROBLEM_WARNING entries */
};

/* Every problem of s's domain, in check's order.  Returns a new list;
 * free with problems_free.  It borrows from s's topology and document:
 * make a new one when the session's topo_serial changes. */
struct problem_list *problems_new(const struct session *s);
void problems_free(struct problem_list *l);

/* How many problems make the domain unusable (refusals and what QEMU
 * refuses at start): what check counts and exits 1 for. */
int problems_count(const struct problem_list *l);
/* Notes alone: the entries neither problems nor warnings. */
int problems_notes(const struct problem_list *l);
/* For a status line: "3 problems", "1 problem, 2 notes", "1 warning",
 * "1 note"; NULL when the list is empty.  Caller frees. */
char *problems_status_new(const struct problem_list *l);

/* "FILE:LINE: <element> ALIAS" for the element a message is about (the
 * document's name alone for NULL): the prefix of check's and place's
 * messages. */
void problems_where(struct strbuf *sb, const struct session *s, xmlNodePtr node);

#endif
