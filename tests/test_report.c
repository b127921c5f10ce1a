/* report_new from sources as a libvirt listing will give them: XML in
 * memory, a state, and rows that are only an error (a host that cannot
 * be reached, a domain whose XML could not be fetched). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "session.h"
#include "tap.h"

int main(void)
{
    static const char broken[] = "<domain type='kvm'><name>x</name>";
    const struct report_source src[] = {
        { "qemu:///system", "guest", "running", example_q35_xml, strlen(example_q35_xml), NULL },
        { "qemu+ssh://host2/system", "host2", NULL, NULL, 0,
          "qemu+ssh://host2/system: cannot connect: No route to host" },
        { "qemu:///system", "bad", "shut off", broken, sizeof broken - 1, NULL },
    };
    struct report *r = report_new(src, ARRAY_LEN(src));
    is_int(r->n, 3, "a row per source, whatever became of it");
    is_int(r->errors, 2, "two rows are errors");
    is_str(r->rows[0].state, "running", "the state is the source's");
    ok(!r->rows[0].error, "the example loads");
    is_int(r->rows[0].adds, 0, "libvirt's own XML adds no controller");
    is_int(r->rows[0].problems, 0, "and has no problem");
    is_str(r->rows[0].machine_type, "q35", "its machine");
    is_str(r->rows[1].state, "-", "an unknown state is '-'");
    is_str(r->rows[1].error, src[1].error, "an unreachable host is a row with its words");
    has_str(r->rows[2].error, "bad:", "XML that does not parse is a row naming its source");
    char *table = report_table_new(r);
    has_str(table, "host2  -         error: qemu+ssh://host2/system: cannot connect", "the table says so on the row");
    has_str(table, "guest  running   pc-q35-7.2", "and aligns the others");
    ok(strncmp(table, "HOST  ", 6) == 0, "rows from connections have a HOST column first");
    has_str(table, "\nqemu+ssh://host2/system  host2", "each row names its host");
    free(table);
    report_free(r);
    r = report_new(NULL, 0);
    is_int(r->n, 0, "no source, no row");
    char *empty = report_table_new(r);
    ok(strncmp(empty, "NAME", 4) == 0, "and a heading alone, without HOST when no row has a host");
    free(empty);
    report_free(r);
    return tap_done();
}
