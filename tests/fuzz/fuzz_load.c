/* Fuzz target: the XML loader and everything that reads a loaded domain
 * without changing it (topology, tree, spare count, check), then the
 * round trip: what save would write must load again to the same tree
 * (nothing lost: libxml2's own dump of both documents is the same) and
 * write the same bytes. */
#include "config.h"

#include <string.h>
#include <libxml/tree.h>

#include "fuzz.h"
#include "domain.h"
#include "place.h"
#include "spare.h"
#include "topology.h"
#include "tree.h"

/* libxml2's own serialization: a second opinion on what a tree holds. */
static bool same_tree(xmlDocPtr a, xmlDocPtr b)
{
    xmlChar *ta = NULL, *tb = NULL;
    int la = 0, lb = 0;
    xmlDocDumpMemory(a, &ta, &la);
    xmlDocDumpMemory(b, &tb, &lb);
    bool same = ta && tb && la == lb && memcmp(ta, tb, (size_t)la) == 0;
    xmlFree(ta);
    xmlFree(tb);
    return same;
}

/* No control character of the document reaches a line of the tree, and
 * every alias of a loaded domain is one word, QEMU id and file name. */
static void check_words(const struct topology *t, const struct tree *tr)
{
    for (size_t i = 0; i < tr->n; i++)
        for (const char *p = tr->lines[i].text; *p; p++)
            FUZZ_ASSERT((unsigned char)*p >= 0x20 && *p != 0x7f, "tree line %zu holds a control character", i);
    for (size_t i = 0; i < t->ndevs; i++)
        FUZZ_ASSERT(!t->devs[i].alias || !alias_problem(t->devs[i].alias),
                    "a domain with alias '%s' loaded", t->devs[i].alias);
}

static void read_topology(const struct topology *t)
{
    struct tree *tr = tree_new(t);
    check_words(t, tr);
    free(tree_render(tr, true));
    tree_free(tr);
    struct err why ERR_SCOPE = ERR_INIT;
    (void)spare_placed(t, &why);
    diag_list_free(place_check(t));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct domain *d = domain_load_memory((const char *)data, size, "fuzz.xml", &e);
    if (!d)
        return 0;
    struct topology *t = topology_new(d, &e);
    if (t)
        read_topology(t);
    topology_free(t);

    size_t len, len2;
    char *bytes = domain_serialize(d, &len, &e);
    if (bytes) {
        struct domain *again = domain_load_memory(bytes, len, "saved.xml", &e);
        FUZZ_ASSERT(again, "what save writes does not load: %s", e.msg);
        FUZZ_ASSERT(same_tree(d->doc, again->doc), "saving lost or changed part of the document");
        char *bytes2 = domain_serialize(again, &len2, &e);
        FUZZ_ASSERT(bytes2 && len2 == len && memcmp(bytes, bytes2, len) == 0,
                    "a second load/save round trip changed the bytes");
        free(bytes2);
        domain_free(again);
    }
    free(bytes);
    domain_free(d);
    return 0;
}
