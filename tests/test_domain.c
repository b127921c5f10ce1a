/* Domain XML: lossless load/serialize, safe parsing of hostile input, and
 * atomic saving that never loses the original. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain.h"
#include "tap.h"
#include "testutil.h"

#define DOM_Q35 \
    "<domain type='kvm'>\n" \
    "  <name>t</name>\n" \
    "  <os>\n" \
    "    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n" \
    "  </os>\n" \
    "  <devices>\n" \
    "    <interface type='network'>\n" \
    "      <source network='default'/>\n" \
    "      <model type='virtio'/>\n" \
    "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n" \
    "    </interface>\n" \
    "  </devices>\n" \
    "</domain>\n"

static char *roundtrip(const char *in, struct err *e)
{
    struct domain *d = domain_load_memory(in, strlen(in), "mem.xml", e);
    if (!d)
        return NULL;
    size_t len;
    char *out = domain_serialize(d, &len, e);
    domain_free(d);
    return out;
}

static void byte_exact(const char *name, const char *in)
{
    struct err e = { 0 };
    char *out = roundtrip(in, &e);
    if (!out)
        printf("# load failed: %s\n", e.msg);
    is_str(out, in, "round trip keeps every byte: %s", name);
    free(out);
}

static void test_lossless(void)
{
    byte_exact("libvirt's own format", DOM_Q35);
    byte_exact("XML declaration, comments and PI around the root",
               "<?xml version='1.0' encoding='UTF-8'?>\n"
               "<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE.\n-->\n"
               "<?pcitopo-test hello?>\n"
               "<domain type='kvm'><name>x</name></domain>\n"
               "<!-- after the root -->\n\n");
    byte_exact("double quotes stay double",
               "<domain type=\"kvm\">\n  <name>x</name>\n  <os><type arch=\"x86_64\">hvm</type></os>\n</domain>\n");
    byte_exact("CRLF line endings",
               "<domain type='kvm'>\r\n  <name>x</name>\r\n  <!-- a\r\n b -->\r\n</domain>\r\n");
    /* the fuzzer found the CR of a line break inside a tag doubled */
    byte_exact("CRLF line endings inside a start tag",
               "<domain type='kvm'>\r\n  <memory\r\n    unit='KiB'>1</memory>\r\n</domain>\r\n");
    /* the fuzzer found the part of the epilog before an inner "<?" lost */
    byte_exact("a PI after the root with markup in it",
               "<domain type='kvm'><name>x</name></domain>\n"
               "<?after <?inner a='1'> <name>y</name> ?>\n<!-- c <x/> -->\n");
    byte_exact("a processing instruction with empty data, and one without",
               "<domain><?a ?><?b?></domain>\n");
    byte_exact("no attribute anywhere", "<domain><name>x</name></domain>\n");
    byte_exact("no newline at the end", "<domain type='kvm'><name>x</name></domain>");
    byte_exact("namespaces, foreign metadata and prefixed attributes",
               "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
               "  <metadata>\n"
               "    <libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
               "      <libosinfo:os id='http://debian.org/debian/12'/>\n"
               "    </libosinfo:libosinfo>\n"
               "    <app xmlns='urn:example:app' a:b='1' xmlns:a='urn:a'><x/></app>\n"
               "  </metadata>\n"
               "  <qemu:commandline><qemu:arg value='-no-hpet'/></qemu:commandline>\n"
               "</domain>\n");
    byte_exact("escapes and CDATA",
               "<domain type='kvm'>\n"
               "  <description>a &lt; b &amp;&amp; c &gt; d, \"quoted\" 'x'</description>\n"
               "  <title><![CDATA[<raw> & stuff]]></title>\n"
               "  <x><![CDATA[a ]]]]><![CDATA[> b]]></x>\n"
               "  <metadata><v q='it&apos;s \"x\" &lt; &amp;' nl='a&#10;b&#9;c&#13;'/></metadata>\n"
               "</domain>\n");
    byte_exact("UTF-8 text", "<domain type='kvm'><title>\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x96\xa5 e\xcc\x81</title></domain>\n");
    byte_exact("unknown elements and attributes kept",
               "<domain type='kvm' future='1'>\n  <devices>\n    <gizmo kind='new'><part/></gizmo>\n  </devices>\n</domain>\n");

    struct err e = { 0 };
    byte_exact("empty pairs, mixed quotes, attributes on several lines",
               "<domain type='kvm' xmlns:q=\"urn:q\">\n  <a></a>\n  <b  x=\"1\"\n     y='2'\t/>\n"
               "  <c\n    q:z='3'   >t</c>\n</domain>\n");
    char *out = roundtrip("<domain type='kvm'><b x = \"1\"/></domain>\n", &e);
    is_str(out, "<domain type='kvm'><b x=\"1\"/></domain>\n",
           "only white space around '=' is normalised");
    free(out);

    /* Latin-1: the declaration and bytes outside the root stay, text that
     * cannot be written as-is becomes a character reference. */
    const char latin1[] = "<?xml version='1.0' encoding='ISO-8859-1'?>\n"
                          "<domain type='kvm'><title>caf\xe9</title></domain>\n";
    struct domain *d = domain_load_memory(latin1, strlen(latin1), "latin1.xml", &e);
    ok(d != NULL, "ISO-8859-1 document loads");
    if (d) {
        size_t len;
        char *bytes = domain_serialize(d, &len, &e);
        is_str(bytes, "<?xml version='1.0' encoding='ISO-8859-1'?>\n"
                      "<domain type='kvm'><title>caf&#xE9;</title></domain>\n",
               "ISO-8859-1 document keeps its declaration and stays ASCII-safe");
        free(bytes);
        domain_free(d);
    }
}

static void bad(const char *what, const char *in, size_t len, const char *want)
{
    struct err e = { 0 };
    struct domain *d = domain_load_memory(in, len, "bad.xml", &e);
    ok(d == NULL && e.set, "refused: %s", what);
    has_str(e.msg, want, "message for %s names the problem", what);
    domain_free(d);
}

/* The fuzzer found an '&' in a namespace name escaped once more on every
 * save (libxml2 keeps it there as "&#38;"). */
static void test_namespace_amp(void)
{
    const char in[] = "<domain xmlns:a='urn:x&amp;y'><a:b/></domain>\n";
    struct err e = { 0 };
    char *once = roundtrip(in, &e);
    char *twice = once ? roundtrip(once, &e) : NULL;
    has_str(once, "xmlns:a='urn:x&#38;y'", "an '&' in a namespace name is written as one reference");
    is_str(twice, once, "and stays so on the next save");
    free(once);
    free(twice);
}

static void test_hostile(void)
{
    bad("empty file", "", 0, "bad.xml: the file is empty");
    bad("not XML", "hello world\n", 12, "bad.xml:1: not well-formed XML");
    bad("not a domain", "<network><name>x</name></network>\n", 34,
        "bad.xml:1: the root element is <network>, not a libvirt <domain>");
    bad("a namespaced domain", "<x:domain xmlns:x='urn:x'/>", 27, "not a libvirt <domain>");
    const char trunc[] = "<domain type='kvm'>\n  <devices>\n    <interface type='network'>\n";
    bad("truncated file", trunc, strlen(trunc), "bad.xml:4: not well-formed XML");
    const char laughs[] =
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain [\n"
        " <!ENTITY a 'aaaaaaaaaa'>\n"
        " <!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n"
        " <!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>\n"
        " <!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>\n"
        "]>\n<domain><name>&d;&d;&d;&d;</name></domain>\n";
    bad("billion laughs", laughs, strlen(laughs), "bad.xml:2: DOCTYPE declarations are refused");
    const char xxe[] = "<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n"
                       "<domain><name>&x;</name></domain>\n";
    bad("external entity (file)", xxe, strlen(xxe), "DOCTYPE declarations are refused");
    const char xxe_net[] = "<!DOCTYPE domain SYSTEM 'http://127.0.0.1:9/evil.dtd'>\n<domain/>\n";
    bad("external DTD (network)", xxe_net, strlen(xxe_net), "DOCTYPE declarations are refused");
    const char undeclared[] = "<domain><name>&x;</name></domain>\n";
    bad("undeclared entity", undeclared, strlen(undeclared), "bad.xml:1: not well-formed XML");
    const char badutf[] = "<domain type='kvm'>\n<title>\xff\xfe</title></domain>\n";
    bad("invalid UTF-8", badutf, strlen(badutf), "bad.xml:2: not well-formed XML");
    const char utf7[] = "<?xml version='1.0' encoding='UTF-7'?>\n<domain/>\n";
    bad("an encoding that does not keep ASCII", utf7, strlen(utf7),
        "bad.xml:1: encoding='UTF-7' is not supported");
    /* the fuzzer's: a UTF-8 byte order mark, then UTF-7 declared (libxml2
     * reads it as UTF-7, and saving would have written UTF-7 markup) */
    const char bom7[] = "\xEF\xBB\xBF<?xml version='1.0' encoding='UTF-7'?>\n<domain/>\n";
    bad("a byte order mark, then UTF-7", bom7, strlen(bom7), "encoding='UTF-7' is not supported");
    const char nul[] = "<domain>\n<name>a\0b</name></domain>";
    bad("NUL byte", nul, sizeof nul - 1, "bad.xml:2: NUL byte");

    struct strbuf deep = STRBUF_INIT;
    sb_puts(&deep, "<domain>");
    for (int i = 0; i < 10000; i++)
        sb_puts(&deep, "<a>");
    bad("10,000-deep nesting", deep.buf, deep.len, "elements nested more than");
    sb_free(&deep);

    size_t big = DOMAIN_MAX_BYTES + 1;
    char *huge = xmalloc(big);
    memset(huge, ' ', big);
    memcpy(huge, "<domain>", 8);
    bad("oversized document", huge, big, "too large for a domain XML");
    free(huge);
}

/* The loader takes (buffer, length): the fuzzer found that it read past a
 * buffer with no NUL after it.  Under ASan this fails if it still does. */
static void test_unterminated(void)
{
    size_t len = strlen(DOM_Q35);
    char *exact = xmalloc(len);
    memcpy(exact, DOM_Q35, len);
    struct err e = { 0 };
    struct domain *d = domain_load_memory(exact, len, "exact.xml", &e);
    ok(d != NULL, "a buffer without a NUL after it loads");
    size_t out_len = 0;
    char *out = d ? domain_serialize(d, &out_len, &e) : NULL;
    ok(out && out_len == len && memcmp(out, DOM_Q35, len) == 0, "and serializes to the same bytes");
    free(out);
    domain_free(d);
    free(exact);
}

static void test_load_file(void)
{
    const char *dir = tu_tmpdir();
    struct err e = { 0 };
    char *missing = tu_path(dir, "missing.xml");
    ok(!domain_load_file(missing, &e), "missing file refused");
    has_str(e.msg, "missing.xml: cannot open: No such file or directory", "missing file message");
    err_clear(&e);
    ok(!domain_load_file(dir, &e), "directory refused");
    has_str(e.msg, "is a directory", "directory message");
    free(missing);
    tu_rmtree(dir);
}

static struct domain *load_from(const char *path)
{
    struct err e = { 0 };
    struct domain *d = domain_load_file(path, &e);
    if (!d)
        printf("# %s\n", e.msg);
    return d;
}

static void test_where(void)
{
    is_str(domain_where("g.xml", 42).text, "g.xml:42", "a file's element: FILE:LINE");
    is_str(domain_where("g.xml", 0).text, "g.xml (added in this session)", "an added one says so");
    is_str(domain_line_text(7).text, "line 7", "line text");
    is_str(domain_line_text(0).text, "added in this session", "line text of an added element");
}

static void test_save(void)
{
    const char *dir0 = tu_tmpdir();
    char *dir = xstrdup(dir0);
    char *orig = tu_path(dir, "guest.xml");
    char *other = tu_path(dir, "other.xml");
    struct err e = { 0 };
    size_t len;

    tu_write(orig, DOM_Q35, strlen(DOM_Q35));
    chmod(orig, 0640);
    struct domain *d = load_from(orig);
    ok(d != NULL, "load a file");
    if (!d)
        return;

    ok(domain_save(d, NULL, 0, &e), "save back to the loaded file");
    char *now = tu_read(orig, &len);
    is_str(now, DOM_Q35, "saved bytes equal the original");
    free(now);
    struct stat sb;
    stat(orig, &sb);
    is_int(sb.st_mode & 07777, 0640, "permissions kept");
    is_int(tu_count_entries(dir), 1, "no temporary file left behind");

    /* Someone edits the file behind pcitopo's back. */
    const char edited[] = "<domain type='kvm'><name>edited</name></domain>\n";
    tu_write(orig, edited, strlen(edited));
    err_clear(&e);
    ok(!domain_save(d, NULL, 0, &e), "refuses to overwrite a file changed on disk");
    has_str(e.msg, "changed on disk since it was loaded", "says why");
    now = tu_read(orig, &len);
    is_str(now, edited, "the changed file is untouched");
    free(now);
    err_clear(&e);
    ok(domain_save(d, NULL, SAVE_FORCE, &e), "save -f overwrites it");
    now = tu_read(orig, &len);
    is_str(now, DOM_Q35, "forced save wrote the document");
    free(now);
    err_clear(&e);
    ok(domain_save(d, NULL, 0, &e), "after a save, saving again needs no force");

    tu_write(other, "x", 1);
    err_clear(&e);
    ok(!domain_save(d, other, 0, &e), "refuses to overwrite another existing file");
    has_str(e.msg, "other.xml: the file exists; save -f overwrites it", "says how to force");
    err_clear(&e);
    ok(domain_save(d, other, SAVE_FORCE, &e), "-f overwrites another file");

    /* A symlinked target: the link survives and its target is updated. */
    char *real = tu_path(dir, "real.xml"), *link = tu_path(dir, "link.xml");
    tu_write(real, DOM_Q35, strlen(DOM_Q35));
    ok(symlink("real.xml", link) == 0, "make a symlink");
    struct domain *dl = load_from(link);
    tu_write(real, DOM_Q35, strlen(DOM_Q35));
    err_clear(&e);
    ok(dl && domain_save(dl, NULL, 0, &e), "save through a symlink");
    struct stat lsb;
    ok(lstat(link, &lsb) == 0 && S_ISLNK(lsb.st_mode), "the symlink is still a symlink");
    domain_free(dl);

    /* A directory that does not exist: nothing is written. */
    char *nodir = tu_path(dir, "no/such/dir.xml");
    err_clear(&e);
    ok(!domain_save(d, nodir, 0, &e), "save into a missing directory fails");
    has_str(e.msg, "cannot save: create a temporary file failed", "says which step failed");

    /* A read-only directory (root ignores permissions, so skip there). */
    if (geteuid() != 0) {
        chmod(dir, 0555);
        err_clear(&e);
        ok(!domain_save(d, real, SAVE_FORCE, &e), "save into a read-only directory fails");
        has_str(e.msg, "(the file on disk is unchanged)", "and says the file is unchanged");
        chmod(dir, 0700);
    } else {
        printf("ok %d - # SKIP read-only directory: running as root\n", ++tap_n);
        printf("ok %d - # SKIP read-only directory: running as root\n", ++tap_n);
    }

    /* A full disk: the file size limit makes write() fail like ENOSPC. */
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 100;
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &lim);
    err_clear(&e);
    ok(!domain_save(d, orig, SAVE_FORCE, &e), "save onto a full disk fails");
    setrlimit(RLIMIT_FSIZE, &old);
    has_str(e.msg, "write failed: File too large (the file on disk is unchanged)",
            "says the write failed and the file is unchanged");
    now = tu_read(orig, &len);
    is_str(now, DOM_Q35, "the original is intact after the failed save");
    free(now);
    int leftovers = tu_count_entries(dir);
    is_int(leftovers, 4, "the temporary file was removed");

    struct domain *mem = domain_load_memory(DOM_Q35, strlen(DOM_Q35), "<built-in>", &e);
    err_clear(&e);
    ok(mem && !domain_save(mem, NULL, 0, &e), "a document without a file needs a path");
    has_str(e.msg, "no file to save to; give one: save PATH", "says so");
    domain_free(mem);

    domain_free(d);
    free(nodir);
    free(real);
    free(link);
    free(orig);
    free(other);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    test_lossless();
    test_namespace_amp();
    test_hostile();
    test_unterminated();
    test_load_file();
    test_where();
    test_save();
    return tap_done();
}
