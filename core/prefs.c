#include "config.h"
#include "prefs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "layout.h"
#include "topology.h"
#include "xmlutil.h"

/* libvirt writes these before <metadata>; a new <metadata> goes after the
 * last of them. */
static const char *const before_metadata[] = { "name", "uuid", "genid", "title", "description" };

bool dev_pref_is_set(const struct dev_pref *p)
{
    return p->hotplug >= 0 || p->bus != PREF_BUS_ANY || p->numa >= 0;
}

static const char *bus_name(enum pref_bus b)
{
    return b == PREF_BUS_PCIE ? "pcie" : b == PREF_BUS_PCI ? "pci" : "any";
}

char *dev_pref_text_new(const struct dev_pref *p)
{
    struct strbuf sb = STRBUF_INIT;
    if (p->hotplug >= 0)
        sb_printf(&sb, "hotplug=%s", p->hotplug ? "yes" : "no");
    if (p->bus != PREF_BUS_ANY)
        sb_printf(&sb, "%sbus=%s", sb.len ? " " : "", bus_name(p->bus));
    if (p->numa >= 0)
        sb_printf(&sb, "%snuma=%d", sb.len ? " " : "", p->numa);
    return sb_detach(&sb);
}

const char *policy_name(enum policy p)
{
    return p == POLICY_MINIMAL ? "minimal" : "libvirt";
}

bool policy_parse(const char *s, enum policy *p)
{
    if (str_eq(s, "libvirt"))
        *p = POLICY_LIBVIRT;
    else if (str_eq(s, "minimal"))
        *p = POLICY_MINIMAL;
    else
        return false;
    return true;
}

/* A decimal number 0..max, nothing else. */
static bool parse_count(const char *s, long max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < 0 || v > max || (*s < '0' || *s > '9'))
        return false;
    *out = (int)v;
    return true;
}

/* One value: the same words on the command line and in the metadata. */
static bool set_value(struct dev_pref *p, const char *key, const char *v, struct err *e)
{
    bool dflt = str_eq(v, "default");
    if (str_eq(key, "hotplug")) {
        if (dflt)
            p->hotplug = -1;
        else if (str_eq(v, "yes") || str_eq(v, "no"))
            p->hotplug = v[0] == 'y';
        else
            return err_set(e, "hotplug='%s': use yes, no or default", v), false;
    } else if (str_eq(key, "bus")) {
        if (dflt || str_eq(v, "any"))
            p->bus = PREF_BUS_ANY;
        else if (str_eq(v, "pcie"))
            p->bus = PREF_BUS_PCIE;
        else if (str_eq(v, "pci"))
            p->bus = PREF_BUS_PCI;
        else
            return err_set(e, "bus='%s': use pcie, pci or any", v), false;
    } else {
        if (dflt || str_eq(v, "none"))
            p->numa = -1;
        else if (!parse_count(v, 255, &p->numa))
            return err_set(e, "numa='%s': use a guest NUMA node number (0, 1, ...) or none", v), false;
    }
    return true;
}

static bool is_pref_key(const char *key)
{
    return str_eq(key, "hotplug") || str_eq(key, "bus") || str_eq(key, "numa");
}

int dev_pref_parse_arg(const char *arg, struct dev_pref *p, struct err *e)
{
    const char *eq = strchr(arg, '=');
    if (!eq)
        return 0;
    char key[16];
    size_t klen = (size_t)(eq - arg);
    if (klen >= sizeof key)
        return 0;
    memcpy(key, arg, klen);
    key[klen] = '\0';
    if (!is_pref_key(key))
        return 0;
    return set_value(p, key, eq + 1, e) ? 1 : -1;
}

/* ------------------------------------------------------------------ */
/* Finding the element */

static bool is_ours(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href
        && str_eq((const char *)n->ns->href, PREFS_NS)
        && (!name || str_eq((const char *)n->name, name));
}

static xmlNodePtr metadata_of(xmlDocPtr doc)
{
    return xml_child(xmlDocGetRootElement(doc), "metadata");
}

static xmlNodePtr placement_of(xmlDocPtr doc)
{
    xmlNodePtr md = metadata_of(doc);
    for (xmlNodePtr c = md ? md->children : NULL; c; c = c->next)
        if (is_ours(c, "placement"))
            return c;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Reading */

static bool read_policy(xmlNodePtr el, const char *name, struct domain_policy *pol, struct err *e)
{
    const char *v = xml_attr(el, "policy");
    if (v && !policy_parse(v, &pol->policy)) {
        err_set(e, "%s: <pcitopo:domain policy='%s'>: use libvirt or minimal",
                domain_where(name, domain_line(el)).text, v);
        return false;
    }
    v = xml_attr(el, "spare-ports");
    if (v && !parse_count(v, 255, &pol->spare_ports)) {
        err_set(e, "%s: <pcitopo:domain spare-ports='%s'>: use a number of ports, 0 to 255",
                domain_where(name, domain_line(el)).text, v);
        return false;
    }
    v = xml_attr(el, "stable-guest");
    if (v && !str_eq(v, "yes") && !str_eq(v, "no")) {
        err_set(e, "%s: <pcitopo:domain stable-guest='%s'>: use yes or no",
                domain_where(name, domain_line(el)).text, v);
        return false;
    }
    pol->stable_guest = v && str_eq(v, "yes");
    return true;
}

static bool read_device(xmlNodePtr el, const char *name, struct prefs *out, struct err *e)
{
    const char *alias = xml_attr(el, "alias");
    if (!alias || !*alias) {
        err_set(e, "%s: <pcitopo:device>: no alias='ua-...' says which device it is about",
                domain_where(name, domain_line(el)).text);
        return false;
    }
    if (strncmp(alias, "ua-", 3) != 0 || alias_problem(alias)) {
        err_set(e, "%s: <pcitopo:device alias='%s'>: preferences are kept under a user alias, 'ua-' followed by letters, digits, '_' and '-'",
                domain_where(name, domain_line(el)).text, alias);
        return false;
    }
    struct dev_pref p = DEV_PREF_NONE;
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        const char *key = (const char *)a->name;
        const char *v = a->children && a->children->content ? (const char *)a->children->content : "";
        if (str_eq(key, "alias"))
            continue;
        struct err why ERR_SCOPE = ERR_INIT;
        if (!is_pref_key(key)) {
            err_set(e, "%s: <pcitopo:device alias='%s'>: unknown attribute %s (pcitopo knows hotplug, bus and numa)",
                    domain_where(name, domain_line(el)).text, alias, key);
            return false;
        }
        if (!set_value(&p, key, v, &why)) {
            err_set(e, "%s: <pcitopo:device alias='%s'>: %s",
                    domain_where(name, domain_line(el)).text, alias, why.msg);
            return false;
        }
    }
    out->dev = xrealloc(out->dev, (out->ndev + 1) * sizeof *out->dev);
    out->dev[out->ndev++] = (struct pref_entry){ alias, p, domain_line(el) };
    return true;
}

bool prefs_read(xmlDocPtr doc, const char *name, struct prefs *out, struct err *e)
{
    *out = (struct prefs){ DOMAIN_POLICY_DEFAULT, NULL, 0 };
    xmlNodePtr pl = placement_of(doc);
    for (xmlNodePtr c = pl ? pl->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        bool ok;
        if (is_ours(c, "domain"))
            ok = read_policy(c, name, &out->policy, e);
        else if (is_ours(c, "device"))
            ok = read_device(c, name, out, e);
        else {
            err_set(e, "%s: <%s> in pcitopo's metadata: pcitopo knows <pcitopo:domain> and <pcitopo:device>",
                    domain_where(name, domain_line(c)).text, (const char *)c->name);
            ok = false;
        }
        if (!ok)
            return false;
    }
    return true;
}

void prefs_free(struct prefs *p)
{
    free(p->dev);
    p->dev = NULL;
    p->ndev = 0;
}

struct dev_pref prefs_of(const struct prefs *p, const char *alias)
{
    for (size_t i = 0; alias && i < p->ndev; i++)
        if (str_eq(p->dev[i].alias, alias))
            return p->dev[i].pref;
    return DEV_PREF_NONE;
}

/* ------------------------------------------------------------------ */
/* Writing */

static void insert_child(xmlNodePtr parent, xmlNodePtr child, xmlNodePtr before)
{
    struct layout l = layout_of(parent);
    layout_insert_child(parent, child, before, &l);
    layout_free(&l);
}

static xmlNodePtr ensure_metadata(xmlDocPtr doc)
{
    xmlNodePtr md = metadata_of(doc);
    if (md)
        return md;
    xmlNodePtr root = xmlDocGetRootElement(doc), after = NULL;
    for (xmlNodePtr c = xml_first_element(root); c; c = xml_next_element(c))
        for (size_t i = 0; i < ARRAY_LEN(before_metadata); i++)
            if (str_eq((const char *)c->name, before_metadata[i]))
                after = c;
    md = layout_new_element(doc, "metadata");
    insert_child(root, md, after ? xml_next_element(after) : xml_first_element(root));
    return md;
}

static xmlNodePtr new_ours(xmlDocPtr doc, xmlNsPtr ns, const char *name)
{
    xmlNodePtr el = layout_new_element(doc, name);
    xmlSetNs(el, ns);
    return el;
}

static xmlNodePtr ensure_placement(xmlDocPtr doc)
{
    xmlNodePtr pl = placement_of(doc);
    if (pl)
        return pl;
    xmlNodePtr md = ensure_metadata(doc);
    pl = layout_new_element(doc, "placement");
    xmlSetNs(pl, xmlNewNs(pl, (const xmlChar *)PREFS_NS, (const xmlChar *)"pcitopo"));
    insert_child(md, pl, NULL);
    return pl;
}

static bool has_content(xmlNodePtr el)
{
    for (xmlNodePtr c = el->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE)
            return true;
    return false;
}

/* Removes el; then its placement element and <metadata> if nothing is
 * left in them. */
static void remove_entry(xmlNodePtr el)
{
    xmlNodePtr pl = el->parent;
    layout_remove(el);
    if (has_content(pl))
        return;
    xmlNodePtr md = pl->parent;
    layout_remove(pl);
    if (!has_content(md))
        layout_remove(md);
}

static xmlNodePtr find_entry(xmlNodePtr pl, const char *name, const char *alias)
{
    for (xmlNodePtr c = pl ? pl->children : NULL; c; c = c->next) {
        if (!is_ours(c, name))
            continue;
        const char *a = xml_attr(c, "alias");
        if (!alias || (a && str_eq(a, alias)))
            return c;
    }
    return NULL;
}

static void clear_attrs(xmlNodePtr el)
{
    while (el->properties)
        xmlRemoveProp(el->properties);
}

/* The entry called name (for alias), found or made. */
static xmlNodePtr entry_for(xmlDocPtr doc, const char *name, const char *alias, xmlNodePtr before_of)
{
    xmlNodePtr pl = ensure_placement(doc);
    xmlNodePtr el = find_entry(pl, name, alias);
    if (!el) {
        el = new_ours(doc, xmlSearchNsByHref(doc, pl, (const xmlChar *)PREFS_NS), name);
        insert_child(pl, el, before_of);
    }
    clear_attrs(el);
    return el;
}

void prefs_set_device(xmlDocPtr doc, const char *alias, const struct dev_pref *p)
{
    if (!dev_pref_is_set(p)) {
        xmlNodePtr el = find_entry(placement_of(doc), "device", alias);
        if (el)
            remove_entry(el);
        return;
    }
    xmlNodePtr el = entry_for(doc, "device", alias, NULL);
    layout_set_attr(el, "alias", alias);
    if (p->hotplug >= 0)
        layout_set_attr(el, "hotplug", p->hotplug ? "yes" : "no");
    if (p->bus != PREF_BUS_ANY)
        layout_set_attr(el, "bus", bus_name(p->bus));
    if (p->numa >= 0) {
        char n[16];
        snprintf(n, sizeof n, "%d", p->numa);
        layout_set_attr(el, "numa", n);
    }
}

void prefs_set_policy(xmlDocPtr doc, const struct domain_policy *pol)
{
    if (pol->policy == POLICY_LIBVIRT && pol->spare_ports < 0 && !pol->stable_guest) {
        xmlNodePtr el = find_entry(placement_of(doc), "domain", NULL);
        if (el)
            remove_entry(el);
        return;
    }
    /* the domain's entry comes first, before the devices' */
    xmlNodePtr pl = placement_of(doc);
    xmlNodePtr first = NULL;
    for (xmlNodePtr c = pl ? pl->children : NULL; c && !first; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            first = c;
    xmlNodePtr el = entry_for(doc, "domain", NULL, first);
    if (pol->policy != POLICY_LIBVIRT)
        layout_set_attr(el, "policy", policy_name(pol->policy));
    if (pol->spare_ports >= 0) {
        char n[16];
        snprintf(n, sizeof n, "%d", pol->spare_ports);
        layout_set_attr(el, "spare-ports", n);
    }
    if (pol->stable_guest)
        layout_set_attr(el, "stable-guest", "yes");
}
