/* Every domain XML of the corpus survives load + save: canonically
 * identical always (C14N with comments), and byte for byte where the file
 * has no spelling libxml2 forgets (character references, '>' in text,
 * white space around '=' or in end tags). */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/c14n.h>
#include <libxml/parser.h>

#include "domain.h"
#include "tap.h"
#include "testutil.h"

/* Files whose spelling cannot survive a tree round trip; they are only
 * compared canonically.  Each says what is lost. */
static const char *const not_byte_exact[] = {
    "address-notation.xml",          /* spaces around '=' */
    "attribute-whitespace-refs.xml", /* raw tabs and newlines in attribute values */
    "cdata-and-entities.xml",        /* character and entity references in text */
    "odd-formatting.xml",            /* white space in an end tag */
    "processing-instructions.xml",   /* spaces after a PI's target */
    "unicode.xml",                   /* character references */
    NULL,
};

static bool expect_byte_exact(const char *name)
{
    for (size_t i = 0; not_byte_exact[i]; i++)
        if (strcmp(not_byte_exact[i], name) == 0)
            return false;
    return true;
}

static xmlChar *canonical(const char *buf, size_t len)
{
    xmlDocPtr doc = xmlReadMemory(buf, (int)len, NULL, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc)
        return NULL;
    xmlChar *out = NULL;
    xmlC14NDocDumpMemory(doc, NULL, XML_C14N_1_0, NULL, 1, &out);
    xmlFreeDoc(doc);
    return out;
}

/* Prints the first differing line of two texts as TAP comments. */
static void show_difference(const char *a, const char *b)
{
    int line = 1;
    const char *la = a, *lb = b;
    while (*a && *a == *b) {
        if (*a == '\n') {
            line++;
            la = a + 1;
            lb = b + 1;
        }
        a++, b++;
    }
    printf("#   first difference on line %d:\n#   in : %.*s\n#   out: %.*s\n", line,
           (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
}

static int check_file(const char *dir, const char *name)
{
    char *path = tu_path(dir, name);
    size_t len;
    char *in = tu_read(path, &len);
    struct err e ERR_SCOPE = ERR_INIT;
    struct domain *d = domain_load_file(path, &e);
    if (!d) {
        /* The experiments include <interface> attach files: not domains. */
        bool not_domain = strstr(e.msg, "not a libvirt <domain>") != NULL;
        if (!not_domain)
            ok(0, "%s loads: %s", name, e.msg);
        free(in);
        free(path);
        return not_domain ? 0 : 1;
    }
    size_t out_len;
    char *out = domain_serialize(d, &out_len, &e);
    xmlChar *c_in = canonical(in, len), *c_out = out ? canonical(out, out_len) : NULL;
    ok(c_in && c_out && xmlStrcmp(c_in, c_out) == 0, "canonically identical: %s", name);
    if (expect_byte_exact(name)) {
        if (!ok(out && out_len == len && memcmp(in, out, len) == 0, "byte for byte: %s", name)
            && out)
            show_difference(in, out);
    }
    xmlFree(c_in);
    xmlFree(c_out);
    free(out);
    free(in);
    free(path);
    domain_free(d);
    return 1;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int check_dir(const char *sub)
{
    char *dir = tu_path(tu_datadir(), sub);
    DIR *dh = opendir(dir);
    ok(dh != NULL, "corpus directory %s exists", sub);
    if (!dh) {
        free(dir);
        return 0;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".xml") == 0) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(de->d_name);
        }
    }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_names);
    int files = 0;
    for (size_t i = 0; i < n; i++) {
        files += check_file(dir, names[i]);
        free(names[i]);
    }
    free(names);
    free(dir);
    return files;
}

int main(void)
{
    int files = 0;
    files += check_dir("roundtrip");
    files += check_dir("realworld");
    files += check_dir("experiments");
    ok(files >= 150, "the corpus has at least 150 domain files (%d)", files);
    return tap_done();
}
