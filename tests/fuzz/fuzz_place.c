/* Fuzz target: the placement engine on loaded domains.  Beyond "no crash",
 * it checks the engine's promises: a device that had an address keeps it
 * (seed 003), the placed document loads again, and placing it a second
 * time changes nothing. */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "domain.h"
#include "place.h"
#include "topology.h"

static void check_kept(const struct topology *before, const struct topology *after)
{
    for (size_t i = 0; i < before->ndevs; i++) {
        const struct device *b = &before->devs[i];
        if (b->addr_state != ADDR_PCI)
            continue;
        const struct device *a = topology_find_node(after, b->node);
        FUZZ_ASSERT(a && a->addr_state == ADDR_PCI && a->addr.domain == b->addr.domain &&
                        a->addr.bus == b->addr.bus && a->addr.slot == b->addr.slot &&
                        a->addr.function == b->addr.function,
                    "placement moved the addressed device on line %ld", b->line);
    }
}

static void check_placed_again(const char *bytes, size_t len)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct domain *d = domain_load_memory(bytes, len, "placed.xml", &e);
    FUZZ_ASSERT(d, "the placed document does not load: %s", e.msg);
    struct topology *t = topology_new(d, &e);
    FUZZ_ASSERT(t, "the placed document does not derive: %s", e.msg);
    struct plan *p = place_plan(t, &e, NULL);
    /* libvirt adds USB controller 0 beside a model='none' one at another
     * index, and refuses that when it reads it again (golden corners
     * 300-301): the one placement it refuses a second time */
    if (!p && strstr(e.msg, "Can't add another USB controller")) {
        topology_free(t);
        domain_free(d);
        return;
    }
    FUZZ_ASSERT(p, "libvirt's own placement is refused when placed again: %s", e.msg);
    struct apply_stats st = plan_apply(p, d);
    FUZZ_ASSERT(st.addressed == 0 && st.added == 0,
                "placing a placed document again addressed %d and added %d", st.addressed,
                st.added);
    plan_free(p);
    topology_free(t);
    domain_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct domain *d = domain_load_memory((const char *)data, size, "fuzz.xml", &e);
    if (!d)
        return 0;
    struct topology *before = topology_new(d, &e);
    struct plan *p = before ? place_plan(before, &e, NULL) : NULL;
    if (p) {
        plan_apply(p, d);
        struct topology *after = topology_new(d, &e);
        FUZZ_ASSERT(after, "the placed document does not derive: %s", e.msg);
        check_kept(before, after);
        topology_free(after);
        size_t len;
        char *bytes = domain_serialize(d, &len, &e);
        if (bytes)
            check_placed_again(bytes, len);
        free(bytes);
    }
    plan_free(p);
    topology_free(before);
    domain_free(d);
    return 0;
}
