/* The list of problems the editor walks and check prints: for broken
 * documents, each entry's device, severity, line and words, and check's
 * output made of exactly those entries. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "problems.h"
#include "session.h"
#include "tap.h"

#define HEAD(machine) "<domain type='kvm'>\n<name>t</name>\n<os><type arch='x86_64' machine='" machine "'>hvm</type></os>\n<devices>\n"
#define TAIL "</devices>\n</domain>\n"
#define Q35(devs) HEAD("q35") devs TAIL
#define NIC(alias, addr) "<interface type='user'><model type='virtio'/><alias name='" alias "'/>" addr "</interface>\n"
#define ADDR(bus, slot, fn) "<address type='pci' domain='0x0000' bus='" bus "' slot='" slot "' function='" fn "'/>"

static struct session *open_doc(const char *xml)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_memory(xml, strlen(xml), "t.xml", &e);
    if (!s)
        diag("%s", e.msg);
    return s;
}

/* What check prints for s, as the command table runs it. */
static char *check_output_new(struct session *s, bool *refused)
{
    struct cmd_io io;
    struct err e ERR_SCOPE = ERR_INIT;
    cmd_io_init(&io);
    char *argv[] = { (char *)"check", NULL };
    *refused = !cmd_execute(s, 1, argv, &io, &e);
    char *out = xstrdup(io.out.buf ? io.out.buf : "");
    cmd_io_free(&io);
    return out;
}

/* check's output is the list: each entry's text, then its hint. */
static void check_prints_the_list(struct session *s, const char *what)
{
    struct problem_list *l = problems_new(s);
    struct strbuf want = STRBUF_INIT;
    for (size_t i = 0; i < l->n; i++) {
        sb_printf(&want, "%s\n", l->p[i].text);
        if (l->p[i].hint)
            sb_printf(&want, "  hint: %s\n", l->p[i].hint);
    }
    bool refused;
    char *got = check_output_new(s, &refused);
    if (problems_count(l) == 0)
        sb_printf(&want, "%s: no PCI problems: libvirt 9.0 accepts these addresses and can place the rest\n",
                  s->dom->name);
    is_str(got, want.buf ? want.buf : "", "%s: check prints the list's entries", what);
    ok(refused == (problems_count(l) > 0), "%s: check fails exactly when the list has problems", what);
    free(got);
    sb_free(&want);
    problems_free(l);
}

static const struct device *by_alias(const struct session *s, const char *alias)
{
    return topology_find_alias(s->topo, alias);
}

static void test_bad_address(void)
{
    struct session *s = open_doc(Q35(NIC("ua-good", ADDR("0x00", "0x03", "0x0"))
                                     NIC("ua-bad", ADDR("0x00", "0x20", "0x0"))));
    ok(s != NULL, "a document with slot='0x20' opens");
    if (!s)
        return;
    struct problem_list *l = problems_new(s);
    is_int(l->n, 1, "bad address: one entry");
    if (l->n == 1) {
        const struct problem *p = &l->p[0];
        is_int(p->severity, PROBLEM_REFUSAL, "bad address: a refusal");
        ok(p->dev && p->dev == by_alias(s, "ua-bad"), "bad address: about the device");
        ok(p->node == by_alias(s, "ua-bad")->node, "bad address: its element");
        is_int(p->line, 6, "bad address: its line");
        is_str(p->msg, "XML error: Invalid PCI address slot='0x20', must be <= 0x1F", "bad address: libvirt's words");
        is_str(p->text, "t.xml:6: <interface> ua-bad: XML error: Invalid PCI address slot='0x20', must be <= 0x1F",
               "bad address: the line check prints");
    }
    is_int(problems_count(l), 1, "bad address: one problem");
    char *status = problems_status_new(l);
    is_str(status, "1 problem", "bad address: status line");
    free(status);
    problems_free(l);
    check_prints_the_list(s, "bad address");
    session_free(s);
}

static void test_collision(void)
{
    struct session *s = open_doc(Q35(NIC("ua-a", ADDR("0x00", "0x03", "0x0"))
                                     NIC("ua-b", ADDR("0x00", "0x03", "0x0"))));
    if (!s)
        return;
    struct problem_list *l = problems_new(s);
    ok(l->n == 1 && l->p[0].severity == PROBLEM_REFUSAL, "collision: one refusal");
    if (l->n >= 1) {
        /* libvirt names the second device to claim the address */
        ok(l->p[0].dev == by_alias(s, "ua-b"), "collision: about the second device");
        is_str(l->p[0].msg, "XML error: Attempted double use of PCI Address 0000:00:03.0", "collision: libvirt's words");
        ok(l->p[0].hint != NULL, "collision: with check's hint");
    }
    problems_free(l);
    check_prints_the_list(s, "collision");
    session_free(s);
}

static void test_slot_outside_bus(void)
{
    struct session *s = open_doc(Q35("<controller type='pci' index='1' model='pcie-root-port'/>\n"
                                     NIC("ua-nic", ADDR("0x01", "0x02", "0x0"))));
    if (!s)
        return;
    struct problem_list *l = problems_new(s);
    ok(l->n == 1 && l->p[0].dev == by_alias(s, "ua-nic"), "slot 2 of a root port: about the device");
    if (l->n >= 1)
        is_str(l->p[0].msg, "XML error: Invalid PCI address 0000:01:02.0. slot must be <= 0",
               "slot 2 of a root port: libvirt's words");
    problems_free(l);
    check_prints_the_list(s, "slot outside the bus");
    session_free(s);
}

static void test_missing_bus(void)
{
    struct session *s = open_doc(Q35(NIC("ua-far", ADDR("0x03", "0x00", "0x0"))));
    if (!s)
        return;
    struct problem_list *l = problems_new(s);
    ok(l->n == 1 && l->p[0].severity == PROBLEM_NOTE, "bus with no controller: one note");
    if (l->n >= 1) {
        ok(l->p[0].dev == by_alias(s, "ua-far"), "bus with no controller: about the device on it");
        has_str(l->p[0].msg, "an address names bus 03, which has no controller; libvirt will add a pcie-root-port with index 3",
                "bus with no controller: the note");
    }
    is_int(problems_count(l), 0, "a note is no problem");
    char *status = problems_status_new(l);
    is_str(status, "1 note", "bus with no controller: status line");
    free(status);
    problems_free(l);
    check_prints_the_list(s, "bus with no controller");
    session_free(s);
}

static void test_validate_rows(void)
{
    /* a row about a device, one about an element pcitopo does not model
     * (a console's address), in the order libvirt reads them: consoles
     * before sound, whatever the document's order */
    struct session *s = open_doc(Q35("<sound><alias name='ua-snd'/></sound>\n"
                                     "<serial type='pty'/>\n"
                                     "<console type='pty'>" ADDR("0x00", "0x20", "0x0") "</console>\n"));
    if (!s)
        return;
    struct problem_list *l = problems_new(s);
    is_int(l->n, 2, "two refusals of libvirt's parser");
    if (l->n == 2) {
        ok(l->p[0].dev == NULL && l->p[0].node && strcmp((const char *)l->p[0].node->name, "console") == 0,
           "the console first: its element, no device of the topology");
        is_int(l->p[0].line, 7, "the console's line");
        is_str(l->p[0].text, "t.xml:7: <console>: XML error: Invalid PCI address slot='0x20', must be <= 0x1F",
               "the console: the line check prints");
        ok(l->p[1].dev == by_alias(s, "ua-snd") && l->p[1].severity == PROBLEM_REFUSAL,
           "then the sound without model");
        is_str(l->p[1].msg, "XML error: Missing required attribute 'model' in element 'sound'",
               "sound: libvirt's words");
    }
    char *status = problems_status_new(l);
    is_str(status, "2 problems", "status line");
    free(status);
    problems_free(l);
    check_prints_the_list(s, "validate rows");
    session_free(s);
}

static void test_targets_and_domain(void)
{
    struct session *s = open_doc(Q35("<controller type='pci' index='1' model='pcie-root-port'><alias name='ua-rp'/><target chassis='x'/></controller>\n"
                                     NIC("ua-d1", "<address type='pci' domain='0x0001' bus='0x00' slot='0x03' function='0x0'/>")));
    if (!s)
        return;
    struct problem_list *l = problems_new(s);
    ok(l->n == 1 && l->p[0].dev == by_alias(s, "ua-rp"),
       "a <target> libvirt cannot read: before any address is reserved, alone");
    if (l->n >= 1)
        is_str(l->p[0].msg, "XML error: Invalid value for attribute 'chassis' in element 'target': 'x'. Expected integer value",
               "target: libvirt's words");
    problems_free(l);
    check_prints_the_list(s, "target");
    session_free(s);

    s = open_doc(Q35(NIC("ua-d1", "<address type='pci' domain='0x0001' bus='0x00' slot='0x03' function='0x0'/>")));
    if (!s)
        return;
    l = problems_new(s);
    ok(l->n == 1 && l->p[0].dev == by_alias(s, "ua-d1") && l->p[0].severity == PROBLEM_REFUSAL,
       "PCI domain 1: a refusal about the device");
    if (l->n >= 1)
        is_str(l->p[0].msg, "XML error: Invalid PCI address 0001:00:03.0. Only PCI domain 0 is available",
               "PCI domain 1: libvirt's words");
    problems_free(l);
    check_prints_the_list(s, "domain 1");
    session_free(s);
}

static void test_start_and_notes(void)
{
    /* multifunction='off' with other functions: QEMU refuses to start;
     * function 1 without function 0 elsewhere: a note */
    struct session *s = open_doc(Q35(NIC("ua-f0", "<address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0' multifunction='off'/>")
                                     NIC("ua-f1", ADDR("0x00", "0x03", "0x1"))
                                     NIC("ua-lone", ADDR("0x00", "0x05", "0x1"))));
    if (!s)
        return;
    struct problem_list *l = problems_new(s);
    const struct problem *start = NULL, *note = NULL;
    for (size_t i = 0; i < l->n; i++) {
        if (l->p[i].severity == PROBLEM_AT_START)
            start = &l->p[i];
        if (l->p[i].severity == PROBLEM_NOTE)
            note = &l->p[i];
    }
    ok(start && start->dev == by_alias(s, "ua-f0"), "QEMU's refusal at start: about function 0");
    ok(note && note->dev == by_alias(s, "ua-lone") && !note->hint, "a note about the lone function, no hint");
    is_int(l->at_start, 1, "one start problem");
    is_int(problems_count(l), 1, "it counts as a problem");
    char *status = problems_status_new(l);
    is_str(status, "1 problem, 1 note", "status line with notes");
    free(status);
    problems_free(l);
    check_prints_the_list(s, "start and notes");
    session_free(s);
}

static void test_clean(void)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = session_open_example(&e);
    if (!s)
        return;
    struct problem_list *l = problems_new(s);
    is_int(l->n, 0, "the example: no problems");
    ok(problems_status_new(l) == NULL, "no status text without problems");
    problems_free(l);
    check_prints_the_list(s, "the example");
    session_free(s);
}

int main(void)
{
    test_bad_address();
    test_collision();
    test_slot_outside_bus();
    test_missing_bus();
    test_validate_rows();
    test_targets_and_domain();
    test_start_and_notes();
    test_clean();
    return tap_done();
}
