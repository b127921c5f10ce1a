/* explain: why a device is where it is, in words for people learning PCIe
 * layout — its connection class, the rule or the first-fit search that
 * chose its bus, the buses it passed over and why, the controllers libvirt
 * added for it, and whether its slot can hot-plug. */
#ifndef PCITOPO_EXPLAIN_H
#define PCITOPO_EXPLAIN_H

#include "topology.h"
#include "util.h"

/* Explains the device named by what: its alias, its address BB:SS.F
 * (the address it has, or the one placement would give it), or line:N
 * (the line its element starts on, when only one does).  Returns the
 * text (caller frees), or NULL with e set when nothing matches. */
char *explain_device(const struct topology *t, const char *what, struct err *e);
/* Explains device dv of t itself: what the editor's selection means even
 * when another device has the same address (a collision) and no alias
 * tells them apart.  Returns the text (caller frees). */
char *explain_of(const struct topology *t, const struct device *dv);

/* The same explanation with its parts apart, for explain --json: what
 * the device is, and the text cut into sections, each the sentences on
 * one topic, in the order explain prints them.  The topics are names a
 * program can rely on (doc/json.md): "device" (the first line), "what",
 * "preferences", "collision", "problem", "why-here", "why-added",
 * "bus" (and the path from the root), "hotplug", "group", "provides";
 * a topic with nothing to say is left out. */
struct explain_section {
    const char *topic;   /* static */
    char *text;          /* its lines, without the last newline; owned */
    size_t start;        /* where it starts in text, while it is built */
};

struct explanation {
    char *text;                  /* all of it, as explain prints it; owned */
    const struct device *dev;    /* borrowed; NULL: an element placement adds */
    bool added;                  /* placement adds it (no element yet) */
    const char *element;         /* "interface", "controller"...; borrowed */
    const char *model;           /* borrowed; NULL if none */
    bool has_addr;               /* addr is the address it has or placement gives */
    struct pci_addr addr;
    int hotplug;                 /* 1 it can be hot-unplugged and replaced
                                  * alone, 0 not, -1 no address to judge */
    struct explain_section *sec; /* owned */
    size_t n;
};

/* explain_device's explanation; NULL with e set as it does.  Free with
 * explanation_free. */
struct explanation *explanation_new(const struct topology *t, const char *what, struct err *e);
/* explain_of's; never NULL. */
struct explanation *explanation_of(const struct topology *t, const struct device *dv);
void explanation_free(struct explanation *x);

#endif
