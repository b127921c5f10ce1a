/* test_resync: a preview's copy, reused, is the session's document again
 * after each preview, whatever the preview did to it, and even when the
 * session's document changed in between (resync.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "edit.h"
#include "relocate.h"
#include "resync.h"
#include "session.h"
#include "tap.h"
#include "testutil.h"
#include "topology.h"
#include "xmlutil.h"

static char *bytes_of(const struct session *s)
{
    return tu_bytes(s);
}

/* The copy serializes as the original does, and derives the same tree. */
static void is_same(struct session *copy, const struct session *s, const char *what)
{
    char *a = bytes_of(copy), *b = bytes_of(s);
    ok(a && b && strcmp(a, b) == 0, "%s: the copy is the document again", what);
    struct err e ERR_SCOPE = ERR_INIT;
    ok(session_refresh(copy, &e) && copy->topo->ndevs == s->topo->ndevs,
       "%s: and derives the same devices (%zu)", what, s->topo->ndevs);
    free(a);
    free(b);
}

static bool add(const struct session *s, struct session **copy, const char *kind, const char *extra)
{
    char *argv[] = { (char *)"add", (char *)kind, (char *)extra, NULL };
    struct add_request r;
    struct add_report rep;
    struct err e ERR_SCOPE = ERR_INIT;
    bool ok_ = add_request_parse(extra ? 3 : 2, argv, &r, &e) && edit_add_preview(s, &r, copy, &rep, &e);
    add_report_free(&rep);
    return ok_;
}

static void test_previews_undone(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_example(&e);
    struct session *copy = NULL;
    ok(add(s, &copy, "virtio-net", NULL), "an add preview");
    ok(copy && topology_find_node(copy->topo, copy->last_added) && copy->topo->ndevs > s->topo->ndevs,
       "the copy has the device");
    session_reset_copy(copy, s);
    ok(copy->topo == NULL, "a reset copy is underived");
    is_same(copy, s, "after an add");

    ok(add(s, &copy, "e1000", "hotplug=no"), "a preview with a preference (metadata written)");
    session_reset_copy(copy, s);
    is_same(copy, s, "after an add with metadata");

    /* what no preview does, but a copy might meet: attributes changed,
     * text rewritten, an original node removed, one moved */
    xmlNodePtr root = xmlDocGetRootElement(copy->dom->doc);
    xmlNodePtr devices = xml_child(root, "devices");
    xmlSetProp(root, (const xmlChar *)"type", (const xmlChar *)"qemu");
    xmlNodeSetContent(xml_child(root, "name"), (const xmlChar *)"renamed");
    xmlNodePtr first = xml_first_element(devices);
    xmlUnlinkNode(first);
    xmlFreeNode(first);
    xmlNodePtr second = xml_first_element(devices);
    xmlUnlinkNode(second);
    xmlAddChild(root, second);
    xmlAddChild(devices, xmlNewText((const xmlChar *)"\n  stray text  "));
    session_reset_copy(copy, s);
    is_same(copy, s, "after attributes, text, a removal and a move");

    /* the session's document changes: the copy follows it */
    ok(tu_run(s, "add virtio-blk alias=ua-new", &e, NULL, 0) && tu_run(s, "delete 01:00.0", &e, NULL, 0),
       "the session itself changes %s", e.msg);
    session_reset_copy(copy, s);
    is_same(copy, s, "after the session changed");

    /* and a preview on the reset copy is what a fresh copy gives */
    struct session *fresh = NULL;
    ok(add(s, &copy, "virtio-net", NULL) && add(s, &fresh, "virtio-net", NULL), "the same preview twice");
    char *a = bytes_of(copy), *b = bytes_of(fresh);
    ok(a && b && strcmp(a, b) == 0, "a reused copy previews as a new one does");
    free(a);
    free(b);
    session_free(fresh);
    session_free(copy);
    session_free(s);
}

/* Relocation previews on one copy, slot after slot, each as on a new copy. */
static void test_relocations(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_example(&e);
    ok(tu_run(s, "spare-ports 3", &e, NULL, 0), "three spare ports to move to %s", e.msg);
    struct session *copy = NULL;
    int same = 0, tried = 0;
    for (unsigned b = 1; b < 16; b++) {
        char to[16];
        snprintf(to, sizeof to, "%02x:00", b);
        struct relocate_request r;
        if (!relocate_parse(s, "01:00.0", to, &r, &e)) {
            err_clear(&e);
            continue;
        }
        struct relocate_report rep1, rep2;
        struct session *fresh = NULL;
        struct err e1 ERR_SCOPE = ERR_INIT, e2 ERR_SCOPE = ERR_INIT;
        bool ok1 = relocate_preview(s, &r, &copy, &rep1, &e1);
        bool ok2 = relocate_preview(s, &r, &fresh, &rep2, &e2);
        char *a = ok1 ? bytes_of(copy) : NULL, *c = ok2 ? bytes_of(fresh) : NULL;
        tried++;
        same += ok1 == ok2 && (!ok1 || (a && c && strcmp(a, c) == 0)) && strcmp(e1.msg, e2.msg) == 0;
        free(a);
        free(c);
        relocate_report_free(&rep1);
        relocate_report_free(&rep2);
        session_free(fresh);
    }
    ok(tried >= 10 && same == tried, "%d of %d relocation previews on one copy match a new copy's", same, tried);
    session_free(copy);
    session_free(s);
}

int main(void)
{
    test_previews_undone();
    test_relocations();
    return tap_done();
}
