/* report: one row per domain — its state, machine, spare hot-plug slots,
 * the problems check finds, and the PCI controllers placement would add
 * now — for `pcitopo report FILE...` and, through the same input, for a
 * listing of the domains of a libvirt connection.
 *
 * The input is a list of sources, each a domain's XML or the reason
 * there is none (the file cannot be read, the host cannot be reached, the
 * domain's XML could not be fetched): either way it is a row, so one bad
 * domain never hides the others. */
#ifndef PCITOPO_REPORT_H
#define PCITOPO_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "spare.h"
#include "util.h"

/* One domain to report on; everything borrowed. */
struct report_source {
    const char *host;    /* the connection's URI; NULL for a file */
    const char *name;    /* a file name, or a domain's name in libvirt */
    const char *state;   /* "file", "running", "shut off"...; NULL: unknown ("-") */
    const char *xml;     /* its XML, len bytes; NULL when there is none */
    size_t len;
    const char *error;   /* why there is no XML (xml NULL); NULL: "no XML" */
};

/* A PCI controller model placement adds, and how many of it. */
struct report_add {
    const char *model;   /* static, from the catalogue */
    int count;
};

struct report_row {
    char *host;             /* the connection's URI; owned, NULL for a file */
    char *name, *state;     /* owned; state "-" when unknown */
    char *error;            /* why the row has no figures; NULL: it has; owned */
    char *domain;           /* the domain's <name>; owned, may be NULL */
    char *machine;          /* os/type's machine= as written; owned, may be NULL */
    const char *machine_type;   /* pcitopo's row: "q35", "pc", "virt", "pseries"; static */
    const char *arch;       /* its architecture family ("x86"...); static */
    struct spare spare;     /* as `spare` counts them */
    bool spare_as_written;  /* placement refused: counted on the document as written */
    int refusals, at_start, notes;   /* check's problems by severity */
    int warnings;           /* check's warnings: the guest does not boot or misses devices */
    int problems;           /* refusals + at_start: what check counts and exits 1 for */
    /* The PCI controllers placing the domain now would add (what libvirt
     * adds on the next define for the devices without an address); -1
     * when placement refuses the domain (refusal says why). */
    int adds;
    struct report_add *add_models;   /* owned; by model, in the order placement adds them */
    size_t nadd_models;
    char *refusal;          /* placement's refusal, or NULL; owned */
};

struct report {
    struct report_row *rows;   /* owned; in the sources' order */
    size_t n;
    int errors;                /* rows with no figures */
    int with_problems;         /* rows whose domain has problems */
};

/* The report on n sources.  Never fails: a source that does not load is
 * a row with its error.  Free with report_free. */
struct report *report_new(const struct report_source *src, size_t n);
void report_free(struct report *r);

/* The report on the n files of paths, each read as `pcitopo FILE` reads
 * one (regular files up to 8 MiB); a file that cannot be read is a row
 * that says why.  Their state is "file". */
struct report *report_of_files_new(char *const *paths, size_t n);

/* The rows as an aligned table with a heading line, for people (a HOST
 * column first when a row comes from a connection); an error row says
 * its error after the name and state.  Control characters
 * are shown as \xNN.  Caller frees. */
char *report_table_new(const struct report *r);

#endif
