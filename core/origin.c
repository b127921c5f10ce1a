#include "config.h"
#include "origin.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "linediff.h"

void origin_free(struct origin *o)
{
    if (!o)
        return;
    virt_conn_free(o->conn);
    free(o->domain);
    free(o->stored);
    free(o);
}

/* A document from libvirt, loaded as a file would be (the same limits
 * and refusals: libvirt's answer is input like any other), named for
 * messages by the domain. */
static struct domain *load_stored_new(const struct origin *o, const char *xml, struct err *e)
{
    return domain_load_memory(xml, strlen(xml), o->domain, e);
}

struct session *session_open_virt(const char *uri, const char *name, struct err *e)
{
    struct virt_conn *conn = virt_conn_new(uri, e);
    if (!conn)
        return NULL;
    char *xml = virt_domain_xml_new(conn, name, false, e);
    if (!xml) {
        virt_conn_free(conn);
        return NULL;
    }
    struct session *s = session_open_memory(xml, strlen(xml), name, e);
    if (!s) {
        free(xml);
        virt_conn_free(conn);
        return NULL;
    }
    s->origin = xcalloc(1, sizeof *s->origin);
    s->origin->conn = conn;
    s->origin->domain = xstrdup(name);
    s->origin->stored = xml;
    return s;
}

/* The text of the document's <name>, or NULL; caller frees. */
static char *document_name_new(const struct domain *d)
{
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST "name") == 0) {
            xmlChar *text = xmlNodeGetContent(n);
            char *copy = xstrdup((const char *)text);
            xmlFree(text);
            return copy;
        }
    }
    return NULL;
}

/* A define of a document with another <name> would make a second domain
 * (or clash with one): never what save of this one means. */
static bool names_this_domain(const struct session *s, struct err *e)
{
    char *name = document_name_new(s->dom);
    bool same = name && strcmp(name, s->origin->domain) == 0;
    if (!same) {
        struct strbuf sb = STRBUF_INIT;
        sb_puts(&sb, "save: the document names domain '");
        sb_put_visible(&sb, name ? name : "");
        sb_puts(&sb, "', not '");
        sb_put_visible(&sb, s->origin->domain);
        sb_puts(&sb, "' it was opened as; nothing was defined (save FILE writes it to a file)");
        err_set(e, "%s", sb.buf);
        sb_free(&sb);
    }
    free(name);
    return same;
}

/* The sentence that ends every refusal: the edits are not lost. */
#define KEPT_TEXT "the document is kept: save FILE writes it to a file"

bool origin_preview(struct session *s, bool force, struct strbuf *diff, size_t *changed,
                    struct err *e)
{
    struct origin *o = s->origin;
    *changed = 0;
    if (!names_this_domain(s, e))
        return false;
    struct err why ERR_SCOPE = ERR_INIT;
    char *now = virt_domain_xml_new(o->conn, o->domain, false, &why);
    if (!now) {
        err_set(e, "save: %s; nothing was defined, and %s", why.msg, KEPT_TEXT);
        return false;
    }
    bool ok = false;
    if (!force && strcmp(now, o->stored) != 0) {
        linediff(diff, o->stored, "definition when opened", now, "definition in libvirt now");
        err_set(e, "save: the definition of %s in libvirt changed since it was opened "
                "(virsh edit, virt-manager?); nothing was defined. 'diff' shows what changed there, "
                "'reload' takes libvirt's definition (undo brings your edits back), 'save -f' "
                "defines this document over it, and %s", o->domain, KEPT_TEXT);
        goto out;
    }
    size_t len;
    char *bytes = domain_serialize(s->dom, &len, e);
    if (!bytes)
        goto out;
    *changed = linediff(diff, now, "definition in libvirt", bytes, "definition to define");
    free(bytes);
    ok = true;
out:
    free(now);
    return ok;
}

bool origin_save(struct session *s, bool force, struct strbuf *out, struct strbuf *note,
                 struct err *e)
{
    struct origin *o = s->origin;
    size_t changed;
    struct strbuf diff = STRBUF_INIT;
    bool ok = origin_preview(s, force, &diff, &changed, e);
    if (diff.len)
        sb_add(out, diff.buf, diff.len);
    sb_free(&diff);
    if (!ok)
        return false;
    if (!changed) {
        session_mark_saved(s);
        sb_printf(note, "nothing to define: libvirt's definition of %s on %s is this document",
                  o->domain, virt_conn_uri(o->conn));
        return true;
    }
    size_t len;
    char *bytes = domain_serialize(s->dom, &len, e);
    if (!bytes)
        return false;
    struct err why ERR_SCOPE = ERR_INIT;
    char *stored = virt_define_new(o->conn, bytes, &why);
    if (!stored) {
        err_set(e, "save: %s; nothing was defined, and %s", why.msg, KEPT_TEXT);
        free(bytes);
        return false;
    }
    /* libvirt's answer: what it stored, against what it was given */
    struct strbuf answer = STRBUF_INIT;
    size_t differs = linediff(&answer, bytes, "sent", stored, "stored by libvirt");
    free(bytes);
    free(o->stored);
    o->stored = stored;
    sb_printf(note, "defined %s on %s (%zu line%s changed); libvirt stored ", o->domain,
              virt_conn_uri(o->conn), changed, changed == 1 ? "" : "s");
    if (differs)
        sb_printf(note, "it with %zu line%s of its own (shown above), and the editor has what it stored",
                  differs, differs == 1 ? "" : "s");
    else
        sb_puts(note, "it as sent");
    if (differs) {
        sb_puts(out, "libvirt's answer, what it stored against what was sent:\n");
        sb_add(out, answer.buf, answer.len);
    }
    sb_free(&answer);
    struct domain *d = load_stored_new(o, o->stored, &why);
    if (!d || !session_adopt(s, d, "save (libvirt's definition)", &why)) {
        /* defined all the same: the document is what was sent */
        session_mark_saved(s);
        sb_printf(note, "; what it stored does not load here (%s), so the editor keeps what was sent",
                  why.msg);
    }
    return true;
}

bool origin_reload(struct session *s, struct strbuf *note, struct err *e)
{
    struct origin *o = s->origin;
    struct err why ERR_SCOPE = ERR_INIT;
    char *now = virt_domain_xml_new(o->conn, o->domain, false, &why);
    if (!now) {
        err_set(e, "reload: %s; %s", why.msg, KEPT_TEXT);
        return false;
    }
    unsigned long before = s->last_gen;
    struct domain *d = load_stored_new(o, now, &why);
    if (!d || !session_adopt(s, d, "reload", &why)) {
        err_set(e, "reload: libvirt's definition of %s does not load: %s; the document is as it was",
                o->domain, why.msg);
        free(now);
        return false;
    }
    free(o->stored);
    o->stored = now;
    sb_printf(note, "reloaded %s from %s%s", o->domain, virt_conn_uri(o->conn),
              s->last_gen != before ? " (undo brings back the document before it)"
                                    : ": it was this document");
    return true;
}
