/* lint: every rule is documented where users look for it, and the
 * acpi-index rules (QEMU's start refusals libvirt 9.0 lets through) on
 * documents around their limits.  The guest rules' truth is in
 * tests/lint.sh, against booted guests. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "session.h"
#include "tap.h"
#include "testutil.h"

static void rules_are_documented(void)
{
    char *guest_path = tu_path(tu_srcdir(), "doc/guest.md");
    char *json_path = tu_path(tu_srcdir(), "doc/json.md");
    char *guest = tu_read(guest_path, NULL);
    char *json = tu_read(json_path, NULL);
    free(guest_path);
    free(json_path);
    ok(guest && json, "doc/guest.md and doc/json.md are there");
    size_t i = 0;
    const char *code;
    bool at_start;
    const char *what;
    while ((code = lint_rule_at(i++, &at_start, &what))) {
        ok(guest && strstr(guest, code), "doc/guest.md explains %s", code);
        ok(json && strstr(json, code), "doc/json.md lists %s among check's codes", code);
        ok(what && *what, "%s says in one line what it finds", code);
    }
    ok(i > 4, "the table has the rules (%zu)", i - 1);
    ok(!lint_rule_at(i, NULL, NULL), "NULL past the end");
    free(guest);
    free(json);
}

/* A q35 domain with two NICs on root ports, each <acpi index> given. */
static struct session *two_nics(const char *a, const char *b)
{
    char *xml = xasprintf(
        "<domain type='kvm'><name>acpi</name><memory unit='MiB'>256</memory>"
        "<os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os><devices>"
        "<controller type='pci' index='0' model='pcie-root'/>"
        "<controller type='pci' index='1' model='pcie-root-port'><address type='pci' bus='0' slot='2' function='0' multifunction='on'/></controller>"
        "<controller type='pci' index='2' model='pcie-root-port'><address type='pci' bus='0' slot='2' function='1'/></controller>"
        "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/>%s%s%s"
        "<address type='pci' bus='1' slot='0' function='0'/></interface>"
        "<interface type='user'><mac address='52:54:00:00:00:02'/><model type='virtio'/>%s%s%s"
        "<address type='pci' bus='2' slot='0' function='0'/></interface>"
        "</devices></domain>",
        a ? "<acpi index='" : "", a ? a : "", a ? "'/>" : "",
        b ? "<acpi index='" : "", b ? b : "", b ? "'/>" : "");
    struct err e ERR_SCOPE = ERR_INIT;
    struct session *s = tu_open_text(xml, &e);
    free(xml);
    ok(s != NULL, "the document loads%s%s", s ? "" : ": ", s ? "" : e.msg);
    return s;
}

static int count_code(const struct lint_list *l, const char *code)
{
    int n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += strcmp(l->f[i].code, code) == 0;
    return n;
}

static void acpi(const char *a, const char *b, const char *code, int want, const char *what)
{
    struct session *s = two_nics(a, b);
    if (!s)
        return;
    struct lint_list *l = lint_new(s->topo);
    int n = count_code(l, code);
    ok(n == want, "%s: %d %s finding%s (want %d)", what, n, code, n == 1 ? "" : "s", want);
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->f[i].code, code) == 0)
            ok(l->f[i].at_start && l->f[i].hint && l->f[i].dev,
               "%s: QEMU refuses to start, with a fix and the device named", what);
    lint_free(l);
    session_free(s);
}

int main(void)
{
    rules_are_documented();
    acpi("3", "3", "acpi_index_duplicate", 1, "two NICs with acpi index 3");
    acpi("3", "4", "acpi_index_duplicate", 0, "acpi index 3 and 4");
    acpi("3", NULL, "acpi_index_duplicate", 0, "one acpi index");
    acpi("16383", NULL, "acpi_index_range", 0, "acpi index 16383, QEMU's last");
    acpi("16384", NULL, "acpi_index_range", 1, "acpi index 16384");
    acpi("70000", "70000", "acpi_index_range", 2, "two out-of-range indexes");
    return tap_done();
}
