#include "config.h"
#include "virt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MISSING_TEXT "this pcitopo was built without libvirt, so it cannot connect to one " \
    "(rebuild with libvirt-dev installed, or configure --with-libvirt=yes); " \
    "'virsh dumpxml DOMAIN > FILE' and 'pcitopo FILE' work without it"

const char *virt_missing_text(void)
{
    return MISSING_TEXT;
}

#ifdef HAVE_LIBVIRT

#include <dlfcn.h>
#include <pthread.h>

#include <libvirt/libvirt.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>

/* libvirt is loaded when a connection is first asked for, not linked:
 * its client library brings some sixty shared libraries, which doubled
 * the memory of every pcitopo that only edits files (the editor's budget
 * is 16 MiB).  The header still gives each function's type; the calls
 * below go through this table by the same names. */
#define LIBVIRT_FUNCTIONS(X) \
    X(virConnectClose) X(virConnectGetURI) X(virConnectIsAlive) X(virConnectListAllDomains) \
    X(virConnectOpen) X(virConnSetErrorFunc) X(virDomainAttachDeviceFlags) X(virDomainDefineXML) \
    X(virDomainFree) X(virDomainIsActive) \
    X(virDomainGetName) X(virDomainGetState) X(virDomainGetXMLDesc) X(virDomainIsPersistent) \
    X(virDomainLookupByName) X(virDomainUndefine) X(virGetLastErrorCode) \
    X(virGetLastErrorMessage) X(virInitialize) X(virSetErrorFunc)

static struct {
#define MEMBER(fn) __typeof__(fn) *fn;
    LIBVIRT_FUNCTIONS(MEMBER)
#undef MEMBER
    /* in libvirt-qemu.so.0, for save --monitor alone: NULL when that
     * library cannot be loaded (lv_monitor_problem says why) */
    __typeof__(virDomainQemuMonitorCommand) *virDomainQemuMonitorCommand;
} lv;
static char lv_monitor_problem[512];

static char lv_problem[512];   /* why libvirt could not be loaded; "" when it was */
static pthread_once_t lv_once = PTHREAD_ONCE_INIT;

static void lv_load_once(void)
{
    /* the soname of libvirt's client library since 0.x, as its package
     * installs it (Debian: libvirt0) */
    void *h = dlopen("libvirt.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(lv_problem, sizeof lv_problem, "cannot load libvirt's client library (%s); "
                 "install it (Debian: apt-get install libvirt0)", dlerror());
        return;
    }
#define LOAD(fn) \
    if (!(lv.fn = (__typeof__(fn) *)dlsym(h, #fn))) { \
        snprintf(lv_problem, sizeof lv_problem, "libvirt's client library has no %s: " \
                 "it is older than the one pcitopo was built with", #fn); \
        return; \
    }
    LIBVIRT_FUNCTIONS(LOAD)
#undef LOAD
    void *q = dlopen("libvirt-qemu.so.0", RTLD_NOW | RTLD_LOCAL);
    lv.virDomainQemuMonitorCommand = q ? (__typeof__(virDomainQemuMonitorCommand) *)
        dlsym(q, "virDomainQemuMonitorCommand") : NULL;
    if (!lv.virDomainQemuMonitorCommand)
        snprintf(lv_monitor_problem, sizeof lv_monitor_problem,
                 "cannot load libvirt's QEMU library for the monitor (%s)", q ? "no virDomainQemuMonitorCommand" : dlerror());
}

/* False with e set when libvirt cannot be loaded; once per process. */
static bool lv_load(struct err *e)
{
    pthread_once(&lv_once, lv_load_once);
    if (lv_problem[0])
        err_set(e, "%s", lv_problem);
    return !lv_problem[0];
}

#define virConnectClose lv.virConnectClose
#define virConnectGetURI lv.virConnectGetURI
#define virConnectIsAlive lv.virConnectIsAlive
#define virConnectListAllDomains lv.virConnectListAllDomains
#define virConnectOpen lv.virConnectOpen
#define virConnSetErrorFunc lv.virConnSetErrorFunc
#define virDomainAttachDeviceFlags lv.virDomainAttachDeviceFlags
#define virDomainIsActive lv.virDomainIsActive
#define virDomainDefineXML lv.virDomainDefineXML
#define virDomainFree lv.virDomainFree
#define virDomainGetName lv.virDomainGetName
#define virDomainGetState lv.virDomainGetState
#define virDomainGetXMLDesc lv.virDomainGetXMLDesc
#define virDomainIsPersistent lv.virDomainIsPersistent
#define virDomainLookupByName lv.virDomainLookupByName
#define virDomainUndefine lv.virDomainUndefine
#define virGetLastErrorCode lv.virGetLastErrorCode
#define virGetLastErrorMessage lv.virGetLastErrorMessage
#define virInitialize lv.virInitialize
#define virSetErrorFunc lv.virSetErrorFunc

struct virt_conn {
    virConnectPtr conn;
    char *uri;   /* owned */
};

bool virt_available(void)
{
    return true;
}

/* libvirt's default handler prints each error on stderr, over the
 * editor's screen; pcitopo reads the error where the call failed
 * instead (virGetLastErrorMessage) and says it once, in context. */
static void quiet_errors(void *data, virErrorPtr err)
{
    (void)data, (void)err;
}

/* e = "what: libvirt's words", control characters made visible (a
 * domain name in libvirt's message is the user's, or another's). */
static void libvirt_error(struct err *e, const struct virt_conn *c, const char *what)
{
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s: ", what);
    sb_put_visible(&sb, virGetLastErrorMessage());
    /* a call on a dead connection fails with words about RPC; say the
     * plain fact too */
    if (c && c->conn && virConnectIsAlive(c->conn) == 0)
        sb_printf(&sb, " (the connection to %s is lost)", c->uri);
    err_set(e, "%s", sb.buf);
    sb_free(&sb);
}

struct virt_conn *virt_conn_new(const char *uri, struct err *e)
{
    if (!lv_load(e))
        return NULL;
    virSetErrorFunc(NULL, quiet_errors);
    if (virInitialize() < 0) {
        libvirt_error(e, NULL, "libvirt cannot start");
        return NULL;
    }
    virConnectPtr conn = virConnectOpen(uri);
    if (!conn) {
        struct strbuf what = STRBUF_INIT;
        sb_puts(&what, "cannot connect to ");
        sb_put_visible(&what, uri ? uri : "libvirt's default URI");
        libvirt_error(e, NULL, what.buf);
        sb_free(&what);
        return NULL;
    }
    virConnSetErrorFunc(conn, NULL, quiet_errors);
    struct virt_conn *c = xcalloc(1, sizeof *c);
    c->conn = conn;
    char *canon = virConnectGetURI(conn);
    /* every message names it: no control character from the command
     * line or the server reaches the terminal */
    c->uri = visible_new(xstrdup(canon ? canon : uri ? uri : "libvirt's default URI"));
    free(canon);
    return c;
}

void virt_conn_free(struct virt_conn *c)
{
    if (!c)
        return;
    virConnectClose(c->conn);
    free(c->uri);
    free(c);
}

const char *virt_conn_uri(const struct virt_conn *c)
{
    return c->uri;
}

/* The persistent definition, with security information (passwords of
 * <graphics>, which a define must not drop) where the connection may read
 * it: a read-only or ACL-limited connection is refused that, and then
 * gets the definition without it. */
static char *inactive_xml_new(virDomainPtr d)
{
    char *xml = virDomainGetXMLDesc(d, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
    int code = xml ? VIR_ERR_OK : virGetLastErrorCode();
    if (!xml && (code == VIR_ERR_OPERATION_DENIED || code == VIR_ERR_ACCESS_DENIED))
        xml = virDomainGetXMLDesc(d, VIR_DOMAIN_XML_INACTIVE);
    return xml;
}

/* A libvirt string as pcitopo's own (freed with free either way, but
 * libvirt documents its strings as its own to free). */
static char *own_string(char *s)
{
    char *copy = xstrdup(s);
    free(s);
    return copy;
}

/* e = "URI: cannot DOING domain 'NAME': libvirt's words". */
static void domain_error(struct err *e, const struct virt_conn *c, const char *doing, const char *name)
{
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s: cannot %s domain '", c->uri, doing);
    sb_put_visible(&sb, name);
    sb_putc(&sb, '\'');
    libvirt_error(e, c, sb.buf);
    sb_free(&sb);
}

/* The domain called name, or NULL with e set ("cannot DOING domain"). */
static virDomainPtr lookup(struct virt_conn *c, const char *name, const char *doing, struct err *e)
{
    virDomainPtr d = virDomainLookupByName(c->conn, name);
    if (!d)
        domain_error(e, c, doing, name);
    return d;
}

char *virt_domain_xml_new(struct virt_conn *c, const char *name, bool live, struct err *e)
{
    virDomainPtr d = lookup(c, name, "open", e);
    if (!d)
        return NULL;
    char *xml = NULL;
    if (!live && virDomainIsPersistent(d) == 0) {
        struct strbuf sb = STRBUF_INIT;
        sb_printf(&sb, "%s: domain '", c->uri);
        sb_put_visible(&sb, name);
        sb_puts(&sb, "' is transient: it has no persistent definition to edit");
        err_set(e, "%s", sb.buf);
        sb_free(&sb);
    } else {
        xml = live ? virDomainGetXMLDesc(d, 0) : inactive_xml_new(d);
        if (!xml)
            domain_error(e, c, "read the XML of", name);
    }
    virDomainFree(d);
    return xml ? own_string(xml) : NULL;
}

char *virt_define_new(struct virt_conn *c, const char *xml, struct err *e)
{
    virDomainPtr d = virDomainDefineXML(c->conn, xml);
    if (!d) {
        char *what = xasprintf("%s: libvirt refused the definition", c->uri);
        libvirt_error(e, c, what);
        free(what);
        return NULL;
    }
    /* read through the domain libvirt returned, not by name: what it
     * stored for this define */
    char *stored = inactive_xml_new(d);
    if (!stored) {
        char *what = xasprintf("%s: defined, but cannot read back what libvirt stored", c->uri);
        libvirt_error(e, c, what);
        free(what);
    }
    virDomainFree(d);
    return stored ? own_string(stored) : NULL;
}

bool virt_undefine(struct virt_conn *c, const char *name, struct err *e)
{
    virDomainPtr d = virDomainLookupByName(c->conn, name);
    bool ok = d && virDomainUndefine(d) == 0;
    if (!ok)
        domain_error(e, c, "undefine", name);
    if (d)
        virDomainFree(d);
    return ok;
}

int virt_domain_active(struct virt_conn *c, const char *name, struct err *e)
{
    virDomainPtr d = lookup(c, name, "find", e);
    if (!d)
        return -1;
    int active = virDomainIsActive(d);
    if (active < 0) {
        char *what = xasprintf("%s: cannot ask whether the domain runs", c->uri);
        libvirt_error(e, c, what);
        free(what);
    }
    virDomainFree(d);
    return active;
}

bool virt_attach(struct virt_conn *c, const char *name, const char *xml, unsigned affect,
                 struct err *e)
{
    virDomainPtr d = lookup(c, name, "attach a device to", e);
    if (!d)
        return false;
    unsigned flags = ((affect & VIRT_LIVE) ? VIR_DOMAIN_AFFECT_LIVE : 0)
                   | ((affect & VIRT_CONFIG) ? VIR_DOMAIN_AFFECT_CONFIG : 0);
    bool ok = virDomainAttachDeviceFlags(d, xml, flags) == 0;
    if (!ok)
        libvirt_error(e, c, c->uri);
    virDomainFree(d);
    return ok;
}

char *virt_monitor_new(struct virt_conn *c, const char *name, const char *cmd, struct err *e)
{
    virDomainPtr d = lookup(c, name, "reach the monitor of", e);
    if (!d)
        return NULL;
    char *reply = NULL;
    if (!lv.virDomainQemuMonitorCommand) {
        err_set(e, "%s", lv_monitor_problem);
        virDomainFree(d);
        return NULL;
    }
    if (lv.virDomainQemuMonitorCommand(d, cmd, &reply, VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP) < 0) {
        libvirt_error(e, c, "the QEMU monitor command failed");
        reply = NULL;
    }
    virDomainFree(d);
    return reply ? own_string(reply) : NULL;
}

/* virsh's words for a state. */
static const char *state_text(int state)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING: return "running";
    case VIR_DOMAIN_BLOCKED: return "idle";
    case VIR_DOMAIN_PAUSED: return "paused";
    case VIR_DOMAIN_SHUTDOWN: return "in shutdown";
    case VIR_DOMAIN_SHUTOFF: return "shut off";
    case VIR_DOMAIN_CRASHED: return "crashed";
    case VIR_DOMAIN_PMSUSPENDED: return "pmsuspended";
    default: return "no state";
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct virt_domain_info *)a)->name,
                  ((const struct virt_domain_info *)b)->name);
}

bool virt_list_new(struct virt_conn *c, struct virt_domain_list *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(c->conn, &doms, 0);
    if (n < 0) {
        char *what = xasprintf("%s: cannot list the domains", c->uri);
        libvirt_error(e, c, what);
        free(what);
        return false;
    }
    out->d = xcalloc(n ? (size_t)n : 1, sizeof *out->d);
    for (int i = 0; i < n; i++) {
        int state = -1, reason;
        const char *name = virDomainGetName(doms[i]);
        if (virDomainGetState(doms[i], &state, &reason, 0) < 0)
            state = -1;
        /* a domain undefined while listing has no name: left out */
        if (name) {
            struct virt_domain_info *di = &out->d[out->n++];
            di->name = xstrdup(name);
            di->state = state_text(state);
            di->persistent = virDomainIsPersistent(doms[i]) == 1;
        }
        virDomainFree(doms[i]);
    }
    free(doms);
    qsort(out->d, out->n, sizeof *out->d, by_name);
    return true;
}

#else /* !HAVE_LIBVIRT */

struct virt_conn {
    char unused;
};

bool virt_available(void)
{
    return false;
}

struct virt_conn *virt_conn_new(const char *uri, struct err *e)
{
    (void)uri;
    err_set(e, "%s", MISSING_TEXT);
    return NULL;
}

void virt_conn_free(struct virt_conn *c)
{
    free(c);
}

const char *virt_conn_uri(const struct virt_conn *c)
{
    (void)c;
    return "";
}

char *virt_domain_xml_new(struct virt_conn *c, const char *name, bool live, struct err *e)
{
    (void)c, (void)name, (void)live;
    err_set(e, "%s", MISSING_TEXT);
    return NULL;
}

char *virt_define_new(struct virt_conn *c, const char *xml, struct err *e)
{
    (void)c, (void)xml;
    err_set(e, "%s", MISSING_TEXT);
    return NULL;
}

bool virt_undefine(struct virt_conn *c, const char *name, struct err *e)
{
    (void)c, (void)name;
    err_set(e, "%s", MISSING_TEXT);
    return false;
}

int virt_domain_active(struct virt_conn *c, const char *name, struct err *e)
{
    (void)c, (void)name;
    err_set(e, "%s", MISSING_TEXT);
    return -1;
}

bool virt_attach(struct virt_conn *c, const char *name, const char *xml, unsigned affect,
                 struct err *e)
{
    (void)c, (void)name, (void)xml, (void)affect;
    err_set(e, "%s", MISSING_TEXT);
    return false;
}

char *virt_monitor_new(struct virt_conn *c, const char *name, const char *cmd, struct err *e)
{
    (void)c, (void)name, (void)cmd;
    err_set(e, "%s", MISSING_TEXT);
    return NULL;
}

bool virt_list_new(struct virt_conn *c, struct virt_domain_list *out, struct err *e)
{
    (void)c;
    memset(out, 0, sizeof *out);
    err_set(e, "%s", MISSING_TEXT);
    return false;
}

#endif

void virt_list_free(struct virt_domain_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->d[i].name);
    free(l->d);
    memset(l, 0, sizeof *l);
}
