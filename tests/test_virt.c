/* Sessions from libvirt, against libvirt's own test driver
 * (test:///default: the real client API, no daemon).  The driver keeps
 * one state for all the connections of a process while one of them is
 * open, so an "admin" connection held through a case plays the other
 * user (virsh edit) beside the session's own connection.  Built without
 * libvirt, the same calls must say so. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "command.h"
#include "origin.h"
#include "spare.h"
#include "summary.h"
#include "virt.h"
#include "tap.h"
#include "testutil.h"

#define URI "test:///default"

/* Runs one command as batch mode does: its output and note, owned by the
 * caller (free with free). */
static bool run1(struct session *s, const char *line, char **out, char **note, struct err *e)
{
    struct cmd_script *sc = cmd_script_parse(line, e);
    bool ok = sc && sc->n == 1;
    struct cmd_io io;
    cmd_io_init(&io);
    if (ok)
        ok = cmd_execute(s, sc->calls[0].argc, sc->calls[0].argv, &io, e);
    if (out)
        *out = xstrdup(io.out.buf ? io.out.buf : "");
    if (note)
        *note = xstrdup(io.note.buf ? io.note.buf : "");
    cmd_io_free(&io);
    cmd_script_free(sc);
    return ok;
}

/* The built-in example, as domain name, without its UUID (libvirt gives
 * each its own). */
static char *example_named_new(const char *name)
{
    const char *open = strstr(example_q35_xml, "<name>"), *close = strstr(example_q35_xml, "</name>");
    char *named = xasprintf("%.*s<name>%s%s", (int)(open - example_q35_xml), example_q35_xml, name, close);
    char *uuid = strstr(named, "<uuid>"), *end = uuid ? strstr(uuid, "</uuid>") : NULL;
    if (end)
        memmove(uuid, end + strlen("</uuid>"), strlen(end + strlen("</uuid>")) + 1);
    return named;
}

/* What libvirt stores for name now, through the admin connection. */
static char *stored_new(struct virt_conn *admin, const char *name)
{
    struct err e ERR_SCOPE = ERR_INIT;
    char *xml = virt_domain_xml_new(admin, name, false, &e);
    if (!xml)
        diag("%s", e.msg);
    return xml;
}

/* Defines the example as name through admin; false (and why) if not. */
static bool define_example(struct virt_conn *admin, const char *name)
{
    struct err e ERR_SCOPE = ERR_INIT;
    char *xml = example_named_new(name);
    char *stored = virt_define_new(admin, xml, &e);
    if (!stored)
        diag("%s", e.msg);
    free(xml);
    free(stored);
    return stored != NULL;
}

/* The text between the first a and the b after it replaced by with: the
 * other user's edit. */
static char *edited_new(const char *xml, const char *a, const char *b, const char *with)
{
    const char *from = strstr(xml, a), *to = from ? strstr(from, b) : NULL;
    if (!to)
        return xstrdup(xml);
    return xasprintf("%.*s%s%s", (int)(from - xml), xml, with, to + strlen(b));
}

static void test_without_libvirt(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    ok(!virt_available(), "this build has no libvirt");
    struct virt_conn *c = virt_conn_new(URI, &e);
    ok(c == NULL, "no connection without libvirt");
    has_str(e.msg, "built without libvirt", "and it says why");
    err_clear(&e);
    struct session *s = session_open_virt(URI, "test", &e);
    ok(s == NULL, "no session from libvirt without libvirt");
    has_str(e.msg, "built without libvirt", "and it says why");
    session_free(s);
    ok(virt_attach(NULL, "test", "<interface/>", VIRT_LIVE, &e) == false,
       "no hot-plug without libvirt");
    err_clear(&e);
    char *reply = virt_monitor_new(NULL, "test", "info pci", &e);
    ok(reply == NULL, "no monitor without libvirt");
    has_str(e.msg, "built without libvirt", "and it says why");
    ok(virt_domain_active(NULL, "test", &e) < 0, "no state without libvirt");
}

static void test_errors(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct virt_conn *c = virt_conn_new("bogus:///nowhere", &e);
    ok(c == NULL, "a URI no driver takes does not connect");
    has_str(e.msg, "cannot connect to bogus:///nowhere", "the message names the URI");
    has_str(e.msg, "no connection driver", "in libvirt's words");
    virt_conn_free(c);
    err_clear(&e);

    struct session *s = session_open_virt(URI, "no-such-guest", &e);
    ok(s == NULL, "an unknown domain does not open");
    has_str(e.msg, "cannot open domain 'no-such-guest'", "the message names it");
    has_str(e.msg, "Domain not found", "in libvirt's words");
    session_free(s);
    err_clear(&e);

    /* the test driver's own domain is type='test': pcitopo models QEMU's */
    s = session_open_virt(URI, "test", &e);
    ok(s == NULL, "a domain pcitopo does not model does not open");
    has_str(e.msg, "QEMU driver", "and says which it models");
    session_free(s);
}

static void test_open_edit_define(struct virt_conn *admin)
{
    struct err e ERR_SCOPE = ERR_INIT;
    if (!ok(define_example(admin, "q1"), "the example defines as q1"))
        return;
    struct session *s = session_open_virt(URI, "q1", &e);
    if (!ok(s != NULL, "q1 opens from libvirt")) {
        diag("%s", e.msg);
        return;
    }
    char *before = stored_new(admin, "q1");
    ok(s->origin && !s->dom->path && !s->modified, "the session knows its origin, has no file, is unmodified");
    is_str(s->origin->stored, before, "it remembers the definition it opened");
    char *bytes = tu_bytes(s);
    is_str(bytes, before, "the document is libvirt's definition, byte for byte");
    free(bytes);

    char *out, *note;
    ok(run1(s, "save", &out, &note, &e), "save without a change succeeds");
    has_str(note, "nothing to define", "and says there is nothing to define");
    free(out), free(note);

    ok(run1(s, "add virtio-net alias=ua-x", NULL, NULL, &e), "add a NIC");
    ok(run1(s, "diff", &out, NULL, &e), "diff runs");
    has_str(out, "+      <alias name='ua-x'/>", "diff shows the new device's lines");
    has_str(out, "--- definition in libvirt", "against libvirt's definition");
    free(out);
    char *still = stored_new(admin, "q1");
    is_str(still, before, "diff defines nothing");
    free(still);

    char *sent = tu_bytes(s);
    ok(run1(s, "save", &out, &note, &e), "save defines it");
    if (e.set)
        diag("%s", e.msg);
    has_str(out, "+      <alias name='ua-x'/>", "save prints what changes");
    has_str(note, "defined q1 on test:///default", "the note says it was defined, where");
    has_str(note, "libvirt stored it with", "and libvirt's answer (it adds a MAC)");
    free(out), free(note);
    char *after = stored_new(admin, "q1");
    ok(after && strstr(after, "<alias name='ua-x'/>"), "libvirt stored the new device");
    ok(after && strstr(after, "<mac address="), "with the MAC libvirt gave it");
    is_str(s->origin->stored, after, "the origin is what libvirt stored");
    bytes = tu_bytes(s);
    is_str(bytes, after, "the document is what libvirt stored (the screen shows what it kept)");
    free(bytes);
    ok(!s->modified, "and unmodified");

    ok(run1(s, "undo", NULL, NULL, &e), "undo after a define");
    bytes = tu_bytes(s);
    is_str(bytes, sent, "brings back the document as sent");
    free(bytes);
    free(sent);
    ok(s->modified, "which is modified");
    ok(run1(s, "redo", NULL, NULL, &e) && !s->modified, "redo: libvirt's again, unmodified");

    free(before);
    free(after);
    session_free(s);
}

static void test_stale(struct virt_conn *admin)
{
    struct err e ERR_SCOPE = ERR_INIT;
    if (!define_example(admin, "q2"))
        return;
    struct session *s = session_open_virt(URI, "q2", &e);
    if (!ok(s != NULL, "q2 opens")) {
        diag("%s", e.msg);
        return;
    }
    ok(run1(s, "add virtio-net alias=ua-y", NULL, NULL, &e), "add a NIC");
    /* someone else's virsh edit, between open and save */
    char *theirs = stored_new(admin, "q2");
    char *edited = edited_new(theirs, "<vcpu", "</vcpu>", "<vcpu placement='static'>6</vcpu>");
    char *stored = virt_define_new(admin, edited, &e);
    ok(stored != NULL, "another user changes the definition");
    free(theirs), free(edited), free(stored);

    char *out, *note;
    err_clear(&e);
    ok(!run1(s, "save", &out, &note, &e), "save over a changed definition is refused");
    has_str(e.msg, "changed since it was opened", "saying why");
    has_str(e.msg, "'reload'", "and how to reload");
    has_str(out, "+  <vcpu placement='static'>6</vcpu>", "it shows what changed there");
    free(out), free(note);
    char *now = stored_new(admin, "q2");
    ok(now && strstr(now, ">6</vcpu>") && !strstr(now, "ua-y"), "nothing was defined");
    char *bytes = tu_bytes(s);
    ok(bytes && strstr(bytes, "ua-y") && s->modified, "the edits are kept");
    free(bytes);

    err_clear(&e);
    ok(run1(s, "reload", NULL, &note, &e), "reload");
    has_str(note, "undo brings back", "says undo brings the edits back");
    free(note);
    bytes = tu_bytes(s);
    is_str(bytes, now, "the document is libvirt's definition now");
    free(bytes);
    ok(!s->modified, "unmodified");
    ok(run1(s, "undo", NULL, NULL, &e), "undo the reload");
    bytes = tu_bytes(s);
    ok(bytes && strstr(bytes, "ua-y") && !strstr(bytes, ">6</vcpu>"), "the edits are back");
    free(bytes);
    ok(run1(s, "save", NULL, NULL, &e), "now save defines them (the user saw the change)");
    char *after = stored_new(admin, "q2");
    ok(after && strstr(after, "ua-y"), "libvirt has the NIC");
    free(after);

    /* again, and save -f defines over it */
    theirs = stored_new(admin, "q2");
    edited = edited_new(theirs, "<vcpu", "</vcpu>", "<vcpu placement='static'>3</vcpu>");
    free(virt_define_new(admin, edited, &e));
    free(theirs), free(edited);
    ok(run1(s, "add virtio-net alias=ua-w", NULL, NULL, &e), "add another NIC");
    err_clear(&e);
    ok(run1(s, "save -f", NULL, NULL, &e), "save -f defines over a changed definition");
    after = stored_new(admin, "q2");
    ok(after && strstr(after, "ua-w") && !strstr(after, ">3</vcpu>"), "this document, not theirs");
    free(after);
    free(now);
    session_free(s);
}

/* Sets attribute name of the first element called el to value, behind
 * the commands' back: a document libvirt refuses. */
static void set_attr(struct session *s, const char *el, const char *name, const char *value)
{
    for (xmlNodePtr n = xmlDocGetRootElement(s->dom->doc)->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, el) == 0) {
            xmlSetProp(n, BAD_CAST name, BAD_CAST value);
            return;
        }
}

static void test_refused_and_gone(struct virt_conn *admin)
{
    struct err e ERR_SCOPE = ERR_INIT;
    if (!define_example(admin, "q3"))
        return;
    struct session *s = session_open_virt(URI, "q3", &e);
    if (!ok(s != NULL, "q3 opens")) {
        diag("%s", e.msg);
        return;
    }
    char *before = stored_new(admin, "q3");
    ok(run1(s, "add virtio-net alias=ua-z", NULL, NULL, &e), "add a NIC");
    set_attr(s, "memory", "unit", "bogus");
    char *doc = tu_bytes(s);
    err_clear(&e);
    ok(!run1(s, "save", NULL, NULL, &e), "a define libvirt refuses fails");
    has_str(e.msg, "libvirt refused the definition", "saying libvirt refused it");
    has_str(e.msg, "bogus", "in libvirt's words");
    has_str(e.msg, "save FILE", "and that the document can go to a file");
    char *now = stored_new(admin, "q3");
    is_str(now, before, "libvirt keeps what it had");
    char *kept = tu_bytes(s);
    is_str(kept, doc, "the document is as it was");
    ok(s->modified, "still modified");
    free(kept), free(now);

    set_attr(s, "memory", "unit", "KiB");
    xmlNodePtr root = xmlDocGetRootElement(s->dom->doc);
    for (xmlNodePtr n = root->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "name") == 0)
            xmlNodeSetContent(n, BAD_CAST "q3-copy");
    err_clear(&e);
    ok(!run1(s, "save", NULL, NULL, &e), "a document renamed is not defined as this domain");
    has_str(e.msg, "names domain 'q3-copy', not 'q3'", "saying so");
    for (xmlNodePtr n = root->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "name") == 0)
            xmlNodeSetContent(n, BAD_CAST "q3");

    /* undefined while open: a clear error, and save FILE still works */
    ok(virt_undefine(admin, "q3", &e), "another user undefines q3");
    err_clear(&e);
    ok(!run1(s, "save", NULL, NULL, &e), "save of an undefined domain fails");
    has_str(e.msg, "cannot open domain 'q3'", "naming it");
    has_str(e.msg, "save FILE writes it to a file", "and what can be done");
    const char *dir = tu_tmpdir();
    char *path = tu_path(dir, "q3.xml"), *line = xasprintf("save %s", path);
    err_clear(&e);
    ok(run1(s, line, NULL, NULL, &e), "save FILE still writes a file");
    size_t len;
    char *file = tu_read(path, &len);
    ok(file && strstr(file, "ua-z"), "with the edits");
    free(file), free(line), free(path);
    tu_rmtree(dir);
    err_clear(&e);
    ok(!run1(s, "reload", NULL, NULL, &e), "reload of an undefined domain fails");
    kept = tu_bytes(s);
    ok(s->modified && kept && strstr(kept, "ua-z"), "and keeps the document");
    free(kept);
    free(doc), free(before);
    session_free(s);
}

/* The domain list's rows: the numbers of spare and check on the stored
 * definition; a domain whose XML pcitopo cannot load is a row that says
 * why (the driver's own 'test' guest is type='test'). */
static void test_summary(struct virt_conn *admin)
{
    struct err e ERR_SCOPE = ERR_INIT;
    if (!ok(define_example(admin, "s1"), "s1 is defined"))
        return;
    struct summary_list l;
    if (!ok(summary_list_new(admin, &l, &e), "the summary lists the domains"))
        return;
    const struct summary *s1 = NULL, *test = NULL;
    for (size_t i = 0; i < l.n; i++) {
        summary_read(admin, &l.s[i]);
        if (strcmp(l.s[i].name, "s1") == 0)
            s1 = &l.s[i];
        if (strcmp(l.s[i].name, "test") == 0)
            test = &l.s[i];
    }
    if (ok(s1 && s1->read && !s1->error, "s1 is read") && s1) {
        const char *state = s1->state;
        is_str(state, "shut off", "s1 is shut off");
        const char *machine = s1->machine ? s1->machine : "";
        is_str(machine, "pc-q35-7.2", "s1's machine");
        char *xml = stored_new(admin, "s1");
        struct session *s = xml ? session_open_memory(xml, strlen(xml), "s1", &e) : NULL;
        struct err why ERR_SCOPE = ERR_INIT;
        struct spare sp = s ? spare_placed(s->topo, &why) : (struct spare){ -1, -1 };
        ok(s1->pcie == sp.pcie && s1->pci == sp.pci, "s1's spare counts are spare's (%d %d)",
           sp.pcie, sp.pci);
        ok(s1->problems == 0, "s1 has no problems");
        struct strbuf row = STRBUF_INIT;
        summary_row(&row, s1, 4);
        has_str(row.buf, "s1    shut off     pc-q35-7.2", "its row");
        sb_free(&row);
        session_free(s);
        free(xml);
    }
    ok(test && test->read && test->error, "the driver's own guest is a row with an error");
    if (test)
        has_str(test->error, "type='test'", "saying why");
    summary_list_free(&l);
    virt_undefine(admin, "s1", &e);
}

/* mode live needs a running guest; a defined one is shut off in the test
 * driver, and its own running 'test' guest is no QEMU guest. */
static void test_mode_live(struct virt_conn *admin)
{
    struct err e ERR_SCOPE = ERR_INIT;
    if (!ok(define_example(admin, "l1"), "l1 is defined"))
        return;
    struct session *s = session_open_virt(URI, "l1", &e);
    if (!ok(s != NULL, "l1 opens")) {
        diag("%s", e.msg);
        return;
    }
    char *out = NULL, *note = NULL;
    ok(!run1(s, "mode live", &out, &note, &e), "mode live on a guest that does not run is refused");
    has_str(e.msg, "mode live: l1 is not running", "saying so");
    ok(!s->live && !s->origin->live, "the session stays offline");
    free(out), free(note);
    err_clear(&e);
    ok(!run1(s, "save --monitor", NULL, NULL, &e), "save --monitor offline is refused");
    has_str(e.msg, "only for a domain from libvirt in mode live", "saying what it is for");
    err_clear(&e);
    ok(run1(s, "add virtio-net", NULL, NULL, &e), "an edit");
    ok(!run1(s, "mode live", NULL, NULL, &e), "mode live with unsaved edits is refused");
    has_str(e.msg, "unsaved changes of the definition", "saying why");
    session_free(s);
    virt_undefine(admin, "l1", &e);
}

int main(void)
{
    if (!virt_available()) {
        test_without_libvirt();
        return tap_done();
    }
    test_errors();
    struct err e ERR_SCOPE = ERR_INIT;
    struct virt_conn *admin = virt_conn_new(URI, &e);
    if (!ok(admin != NULL, "the test driver connects")) {
        diag("%s", e.msg);
        return tap_done();
    }
    is_str(virt_conn_uri(admin), URI, "the connection names its URI");
    struct virt_domain_list l;
    ok(virt_list_new(admin, &l, &e) && l.n == 1 && strcmp(l.d[0].name, "test") == 0
       && strcmp(l.d[0].state, "running") == 0, "the driver lists its domain 'test', running");
    virt_list_free(&l);
    test_open_edit_define(admin);
    test_stale(admin);
    test_refused_and_gone(admin);
    test_summary(admin);
    test_mode_live(admin);
    virt_conn_free(admin);
    return tap_done();
}
