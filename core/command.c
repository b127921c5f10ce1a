#include "config.h"
#include "command.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "edit.h"
#include "explain.h"
#include "group.h"
#include "guestdiff.h"
#include "renumber.h"
#include "hotplug.h"
#include "jsondoc.h"
#include "lspci.h"
#include "origin.h"
#include "place.h"
#include "problems.h"
#include "relocate.h"
#include "report.h"
#include "spare.h"
#include "tree.h"

/* ------------------------------------------------------------------ */
/* Handlers */

static bool cmd_help(struct session *s, int argc, char **argv, struct cmd_io *io,
                     struct err *e);

static const char *usage_of(const char *name);

/* The options a command was given: each of its table row's options,
 * in the row's order, with whether it came and its value. */
#define MAX_OPTIONS 4
struct opts {
    struct {
        char name[16];
        bool has_value, given;
        const char *value;   /* borrowed from argv */
    } o[MAX_OPTIONS];
    int n;
};

/* Reads spec ("-f -o=") into o, nothing given yet. */
static void opts_from_spec(const char *spec, struct opts *o)
{
    memset(o, 0, sizeof *o);
    while (spec && *spec && o->n < MAX_OPTIONS) {
        size_t len = strcspn(spec, " ");
        bool value = len && spec[len - 1] == '=';
        snprintf(o->o[o->n].name, sizeof o->o[0].name, "%.*s", (int)(len - value), spec);
        o->o[o->n++].has_value = value;
        spec += len + strspn(spec + len, " ");
    }
}

static int opt_index(const struct opts *o, const char *word)
{
    for (int i = 0; i < o->n; i++)
        if (strcmp(o->o[i].name, word) == 0)
            return i;
    return -1;
}

bool command_option_has_value(const struct command *c, const char *word)
{
    struct opts o;
    opts_from_spec(c->options, &o);
    int i = opt_index(&o, word);
    return i >= 0 && o.o[i].has_value;
}

/* Takes the options of argv[0]'s row out of argv, left to right, so that
 * a value is never mistaken for an option or an operand (place -o -f
 * writes to a file called -f) nor an operand for an option's value.
 * After "--" every word is an operand.  False with e set for an unknown
 * option, one given twice, or one without its value. */
static bool take_options(int *argc, char **argv, struct opts *o, struct err *e)
{
    const struct command *c = command_find(argv[0]);
    opts_from_spec(c ? c->options : NULL, o);
    int out = 1;
    bool operands_only = false;
    for (int i = 1; i < *argc; i++) {
        const char *w = argv[i];
        int k = operands_only || w[0] != '-' || !w[1] ? -1 : opt_index(o, w);
        if (!operands_only && strcmp(w, "--") == 0) {
            operands_only = true;
            continue;
        }
        if (k < 0 && !operands_only && w[0] == '-' && w[1]) {
            err_set(e, "%s: unknown option '%s' (usage: %s)", argv[0], w, usage_of(argv[0]));
            return false;
        }
        if (k < 0) {
            argv[out++] = argv[i];
            continue;
        }
        if (o->o[k].given) {
            err_set(e, "%s: %s is given twice (usage: %s)", argv[0], w, usage_of(argv[0]));
            return false;
        }
        o->o[k].given = true;
        if (o->o[k].has_value) {
            if (i + 1 >= *argc) {
                err_set(e, "%s: %s needs a value (usage: %s)", argv[0], w, usage_of(argv[0]));
                return false;
            }
            o->o[k].value = argv[++i];
        }
    }
    *argc = out;
    argv[out] = NULL;
    return true;
}

static bool opt_given(const struct opts *o, const char *name)
{
    int i = opt_index(o, name);
    return i >= 0 && o->o[i].given;
}

/* The value of option name, or NULL when it was not given. */
static const char *opt_value(const struct opts *o, const char *name)
{
    int i = opt_index(o, name);
    return i >= 0 ? o->o[i].value : NULL;
}

static bool cmd_tree(struct session *s, int argc, char **argv, struct cmd_io *io,
                     struct err *e)
{
    struct opts o;
    if (!take_options(&argc, argv, &o, e))
        return false;
    enum tree_numbers how = opt_given(&o, "--guest") ? NUMBERS_GUEST_XML : NUMBERS_XML;
    if (opt_given(&o, "--json")) {
        jsondoc_tree(&io->out, s, how);
        return true;
    }
    bool ascii = opt_given(&o, "--ascii");
    struct tree *tr = tree_new_numbered(s->topo, NULL, how);
    char *text = tree_render(tr, s->utf8 && !ascii);
    sb_puts(&io->out, text);
    free(text);
    tree_free(tr);
    return true;
}

/* Writes the document to out: "-" for the command's output, else a file. */
static bool write_document(struct session *s, const char *out, unsigned flags,
                           struct cmd_io *io, struct err *e)
{
    if (strcmp(out, "-") == 0) {
        size_t len;
        char *bytes = domain_serialize(s->dom, &len, e);
        if (!bytes)
            return false;
        if (len > DOMAIN_MAX_BYTES) {
            /* what pcitopo writes, pcitopo (and the pipe's reader) can read */
            err_set(e, "%s: cannot write the document: it would be %zu bytes, more than the %u MiB "
                    "pcitopo loads", s->dom->name, len, DOMAIN_MAX_BYTES / (1024 * 1024));
            free(bytes);
            return false;
        }
        sb_add(&io->out, bytes, len);
        free(bytes);
        return true;
    }
    if (!domain_save(s->dom, out, flags, e))
        return false;
    if (s->dom->path && strcmp(out, s->dom->path) == 0)
        session_mark_saved(s);
    return true;
}

/* A file name a command writes, with '~' expanded as the shell would, so
 * that the editor's prompt and batch mode write the same file ('-', the
 * output, as it is).  NULL with e set. */
static char *out_path_new(const char *cmd, const char *path, struct err *e)
{
    struct err why ERR_SCOPE = ERR_INIT;
    char *out = strcmp(path, "-") == 0 ? xstrdup(path) : tilde_expand_new(path, &why);
    if (!out)
        err_set(e, "%s: %s", cmd, why.msg);
    return out;
}

/* save, save-as, save-copy: the document to path (NULL: its own file);
 * flags SAVE_AS makes path its file.  The note says where it went. */
static bool save_to(struct session *s, const char *cmd, const char *path, unsigned flags,
                    struct cmd_io *io, struct err *e)
{
    if (!path && !s->dom->path) {
        err_set(e, "%s: no file to save to; give one: save PATH (or save-as PATH)", s->dom->name);
        return false;
    }
    char *target = path ? out_path_new(cmd, path, e) : xstrdup(s->dom->path);
    if (!target)
        return false;
    if ((flags & SAVE_AS) && strcmp(target, "-") == 0) {
        err_set(e, "save-as: '-' is standard output, not a file to keep saving to (save-copy - "
                "prints the document)");
        free(target);
        return false;
    }
    bool was_own = s->dom->path && strcmp(target, s->dom->path) == 0;
    bool ok = write_document(s, target, flags, io, e);
    if (ok && strcmp(target, "-") != 0) {
        /* a save through a symbolic link writes the file it points to: say so */
        struct stat sb;
        char *real = lstat(target, &sb) == 0 && S_ISLNK(sb.st_mode) ? realpath(target, NULL) : NULL;
        struct strbuf note = STRBUF_INIT;
        sb_printf(&note, "saved %s", target);
        if (real)
            sb_printf(&note, " (the link stays; its file %s has the new document)", real);
        if ((flags & SAVE_AS) && !was_own)
            sb_puts(&note, "; save writes it from now on");
        else if (strcmp(cmd, "save-copy") == 0 && !was_own && s->dom->path)
            sb_printf(&note, ", a copy; save still writes %s", s->dom->path);
        else if (strcmp(cmd, "save-copy") == 0 && !was_own)
            sb_puts(&note, ", a copy; the document still has no file (save-as gives it one)");
        cmd_io_note(io, "%s", note.buf);
        sb_free(&note);
        free(real);
    }
    free(target);
    return ok;
}

static bool cmd_save(struct session *s, int argc, char **argv, struct cmd_io *io,
                     struct err *e)
{
    struct opts o;
    if (!take_options(&argc, argv, &o, e))
        return false;
    unsigned flags = opt_given(&o, "-f") ? SAVE_FORCE : 0;
    if (argc > 2) {
        err_set(e, "%s: one file at most (usage: %s)", argv[0], usage_of(argv[0]));
        return false;
    }
    bool monitor = opt_given(&o, "--monitor");
    if (monitor && (argc > 1 || !s->origin || !s->origin->live)) {
        err_set(e, "%s: --monitor hot-plugs a group into a running guest: only for a domain from "
                "libvirt in mode live, without PATH", argv[0]);
        return false;
    }
    /* a domain from libvirt is saved by defining it (in mode live, by
     * hot-plugging); save FILE still writes a file, also when libvirt is
     * out of reach */
    if (s->origin && argc == 1)
        return origin_save(s, ((flags & SAVE_FORCE) ? ORIGIN_FORCE : 0) | (monitor ? ORIGIN_MONITOR : 0),
                           &io->out, &io->note, e);
    return save_to(s, argv[0], argc > 1 ? argv[1] : NULL, flags, io, e);
}

/* The commands that only mean something for a domain from libvirt. */
static bool from_libvirt(const struct session *s, const char *cmd, struct err *e)
{
    if (!s->origin)
        err_set(e, "%s: %s did not come from libvirt (pcitopo --connect URI DOMAIN opens one)",
                cmd, s->dom->name);
    return s->origin != NULL;
}

/* diff FILE: what changes for the guest from this document to FILE's.
 * Exits 1, as diff(1) does, when a device both have moves in the guest. */
static bool diff_file(struct session *s, const char *file, struct cmd_io *io, struct err *e)
{
    struct err why ERR_SCOPE = ERR_INIT;
    char *path = tilde_expand_new(file, &why);
    struct session *other = path ? session_open_file(path, &why) : NULL;
    free(path);
    if (!other) {
        err_set(e, "diff: %s", why.msg);
        return false;
    }
    struct guest_diff *d = guest_diff_new(s->topo, other->topo);
    char *text = guest_diff_text_new(d);
    sb_puts(&io->out, text);
    free(text);
    bool ok = d->moved == 0;
    if (!d->numbered)
        cmd_io_note(io, "diff: pcitopo does not number %s guests' buses yet: XML addresses only",
                    other->topo->mach->title);
    else if (!ok)
        err_set(e, "diff: %d device%s move%s in the guest (its NIC names and disk paths follow the guest's addresses)",
                d->moved, d->moved == 1 ? "" : "s", d->moved == 1 ? "s" : "");
    else if (!d->n)
        cmd_io_note(io, "diff: nothing changes for the guest");
    else
        cmd_io_note(io, "diff: no device moves in the guest");
    guest_diff_free(d);
    session_free(other);
    return ok;
}

static bool cmd_diff(struct session *s, int argc, char **argv, struct cmd_io *io,
                     struct err *e)
{
    if (argc == 2)
        return diff_file(s, argv[1], io, e);
    if (!from_libvirt(s, "diff", e))
        return false;
    size_t changed;
    struct strbuf diff = STRBUF_INIT;
    bool ok = origin_preview(s, false, &diff, &changed, e);
    sb_add(&io->out, diff.buf ? diff.buf : "", diff.len);
    sb_free(&diff);
    if (ok && !changed)
        cmd_io_note(io, "diff: libvirt's definition of %s is this document", s->origin->domain);
    return ok;
}

static bool cmd_reload(struct session *s, int argc, char **argv, struct cmd_io *io,
                       struct err *e)
{
    if (!from_libvirt(s, "reload", e))
        return false;
    sb_free(&io->note);
    return origin_reload(s, &io->note, e);
}

static bool cmd_save_as(struct session *s, int argc, char **argv, struct cmd_io *io,
                        struct err *e)
{
    struct opts o;
    if (!take_options(&argc, argv, &o, e))
        return false;
    if (!save_to(s, argv[0], argv[1], SAVE_AS | (opt_given(&o, "-f") ? SAVE_FORCE : 0), io, e))
        return false;
    if (s->origin) {
        /* the file is the document's home now: save writes it, and no
         * longer defines */
        origin_free(s->origin);
        s->origin = NULL;
        sb_puts(&io->note, "; it no longer defines the domain in libvirt");
    }
    return true;
}

static bool cmd_save_copy(struct session *s, int argc, char **argv, struct cmd_io *io,
                          struct err *e)
{
    struct opts o;
    if (!take_options(&argc, argv, &o, e))
        return false;
    return save_to(s, argv[0], argv[1], opt_given(&o, "-f") ? SAVE_FORCE : 0, io, e);
}

static bool cmd_place(struct session *s, int argc, char **argv, struct cmd_io *io,
                      struct err *e)
{
    struct opts o;
    if (!take_options(&argc, argv, &o, e))
        return false;
    unsigned flags = opt_given(&o, "-f") ? SAVE_FORCE : 0;
    const char *out = opt_value(&o, "-o");
    if (argc > 1) {
        err_set(e, "place: unexpected argument '%s' (usage: %s)", argv[1], usage_of("place"));
        return false;
    }
    struct err why ERR_SCOPE = ERR_INIT;
    xmlNodePtr culprit;
    struct plan *p = place_plan(s->topo, &why, &culprit);
    char *renumber = p ? renumber_note_new(s->topo) : NULL;
    if (!p) {
        const char *hint = place_hint(why.msg);
        const char *verdict = strstr(why.msg, "QEMU refuses to start")
            ? "libvirt 9.0 would define this placement, but it cannot start; not writing it"
            : "libvirt 9.0 would refuse this domain";
        struct strbuf w = STRBUF_INIT;
        problems_where(&w, s, culprit);
        err_set(e, "%s: %s: %s", w.buf, verdict, why.msg);
        if (hint)
            err_add_line(e, "  hint: %s", hint);
        sb_free(&w);
        return false;
    }
    struct apply_stats st = plan_apply(p, s->dom);
    plan_free(p);
    if ((st.addressed || st.added || st.completed) && !session_refresh_placed(s, e)) {
        free(renumber);
        return false;
    }
    cmd_io_note(io, "place: %d device%s addressed, %d element%s added, %d completed%s%s",
                st.addressed, st.addressed == 1 ? "" : "s", st.added, st.added == 1 ? "" : "s",
                st.completed, renumber ? "; " : "", renumber ? renumber : "");
    free(renumber);
    if (!out)
        return true;
    char *file = out_path_new("place", out, e);
    bool ok = file && write_document(s, file, flags, io, e);
    free(file);
    return ok;
}

static bool cmd_check(struct session *s, int argc, char **argv, struct cmd_io *io,
                      struct err *e)
{
    struct opts o;
    if (!take_options(&argc, argv, &o, e))
        return false;
    /* the editor's list of problems is this list: what check prints */
    struct problem_list *l = problems_new(s);
    bool json = opt_given(&o, "--json");
    if (json)
        jsondoc_check(&io->out, s, l);
    for (size_t i = 0; i < l->n && !json; i++) {
        sb_printf(&io->out, "%s\n", l->p[i].text);
        if (l->p[i].hint)
            sb_printf(&io->out, "  hint: %s\n", l->p[i].hint);
    }
    int errors = problems_count(l), at_start = l->at_start, warnings = l->warnings;
    problems_free(l);
    if (errors) {
        err_set(e, "check: %s: %d problem%s; %s", s->dom->name, errors, errors == 1 ? "" : "s",
                at_start == errors ? "libvirt 9.0 accepts this domain, but QEMU would not start it"
                                   : "libvirt 9.0 would refuse this domain");
        return false;
    }
    if (!json && warnings)
        sb_printf(&io->out, "%s: no PCI problems: libvirt 9.0 accepts these addresses and can place the rest; "
                  "%d warning%s: the guest does not boot or does not see every device\n",
                  s->dom->name, warnings, warnings == 1 ? "" : "s");
    else if (!json)
        sb_printf(&io->out, "%s: no PCI problems: libvirt 9.0 accepts these addresses and can place the rest\n",
                  s->dom->name);
    return true;
}

/* explain and delete name a device; without one (a key in the editor
 * means the selection), batch mode has nothing to act on. */
static bool device_named(int argc, char **argv, struct err *e)
{
    if (argc < 2)
        err_set(e, "%s: which device? (usage: %s)", argv[0], usage_of(argv[0]));
    return argc >= 2;
}

static bool cmd_explain(struct session *s, int argc, char **argv, struct cmd_io *io,
                        struct err *e)
{
    struct opts o;
    if (!take_options(&argc, argv, &o, e) || !device_named(argc, argv, e))
        return false;
    if (opt_given(&o, "--json")) {
        struct explanation *x = explanation_new(s->topo, argv[1], e);
        if (x)
            jsondoc_explain(&io->out, s, x);
        explanation_free(x);
        return x != NULL;
    }
    char *text = explain_device(s->topo, argv[1], e);
    if (!text)
        return false;
    sb_puts(&io->out, text);
    free(text);
    return true;
}

static bool cmd_quit(struct session *s, int argc, char **argv, struct cmd_io *io,
                     struct err *e)
{
    struct opts o;   /* -f: only the editor asks before quitting */
    if (!take_options(&argc, argv, &o, e))
        return false;
    s->quit = true;
    return true;
}

static bool cmd_add(struct session *s, int argc, char **argv, struct cmd_io *io,
                    struct err *e)
{
    struct add_request r;
    struct add_report rep;
    if (!add_request_parse(argc, argv, &r, e) || !edit_add(s, &r, &rep, e))
        return false;
    sb_free(&io->note);
    sb_puts(&io->note, "added ");
    add_report_line(&rep, &io->note);
    add_report_free(&rep);
    return true;
}

static bool cmd_delete(struct session *s, int argc, char **argv, struct cmd_io *io,
                       struct err *e)
{
    if (!device_named(argc, argv, e))
        return false;
    unsigned bus, slot;
    if (!topology_find_alias(s->topo, argv[1]) && group_parse_slot(argv[1], &bus, &slot)) {
        /* a slot: the group in it, as one unit */
        struct group g;
        return group_find(s->topo, "delete", argv[1], &g, e)
            && group_delete(s, &g, &io->note, e);
    }
    const struct device *dv = edit_find(s, argv[1], e);
    return dv && edit_delete(s, dv, &io->note, e);
}

static bool cmd_relocate(struct session *s, int argc, char **argv, struct cmd_io *io,
                         struct err *e)
{
    if (!device_named(argc, argv, e))
        return false;
    if (argc < 3) {
        err_set(e, "relocate: to where? give BB:SS.F, BB:SS or auto (usage: %s)", usage_of("relocate"));
        return false;
    }
    struct relocate_request r;
    struct relocate_report rep;
    if (!relocate_parse(s, argv[1], argv[2], &r, e))
        return false;
    bool ok = relocate_run(s, &r, &rep, e);
    if (ok) {
        sb_free(&io->note);
        relocate_report_line(&rep, &io->note);
    }
    relocate_report_free(&rep);
    return ok;
}

/* The editor gives group, ungroup and hotplug-xml the marks or the
 * selection; elsewhere they need names. */
static bool group_named(int argc, char **argv, struct err *e)
{
    if (argc < 2)
        err_set(e, "%s: which %s? (usage: %s)", argv[0],
                strcmp(argv[0], "group") == 0 ? "devices" : "group", usage_of(argv[0]));
    return argc >= 2;
}

static bool cmd_group(struct session *s, int argc, char **argv, struct cmd_io *io,
                      struct err *e)
{
    return group_named(argc, argv, e) && group_make(s, argc, argv, &io->note, e);
}

static bool cmd_ungroup(struct session *s, int argc, char **argv, struct cmd_io *io,
                        struct err *e)
{
    return group_named(argc, argv, e) && group_unmake(s, argv[1], &io->note, e);
}

/* lspci: the guest's view.  What the rows rest on (placement, the
 * firmware) goes to the note, so the output stays lspci's lines. */
static bool cmd_lspci(struct session *s, int argc, char **argv, struct cmd_io *io,
                      struct err *e)
{
    struct opts o;
    if (!take_options(&argc, argv, &o, e))
        return false;
    struct lspci *l = lspci_new(s->topo, e);
    if (!l)
        return false;
    if (opt_given(&o, "--json")) {
        jsondoc_lspci(&io->out, s, l);
        lspci_free(l);
        return true;
    }
    char *text = lspci_text_new(l);
    sb_puts(&io->out, text);
    free(text);
    struct strbuf note = STRBUF_INIT;
    if (l->g->placed)
        sb_puts(&note, "lspci: devices without an address are where placement puts them, with what libvirt adds at define");
    if (l->refusal)
        sb_printf(&note, "lspci: the document as written, since libvirt would refuse to place it: %s", l->refusal);
    if (l->uefi)
        sb_printf(&note, "%sthe guest boots UEFI: OVMF numbers its buses, and pcitopo shows SeaBIOS's numbers",
                  note.len ? "; " : "lspci: ");
    if (l->n > l->nseen)
        sb_printf(&note, "%s%zu function%s not seen by the guest", note.len ? "; " : "lspci: ",
                  l->n - l->nseen, l->n - l->nseen == 1 ? "" : "s");
    if (l->g->firmware_hangs)
        sb_printf(&note, "%sthe firmware runs out of bus numbers and never finishes: this guest does not boot",
                  note.len ? "; " : "lspci: ");
    if (note.len)
        cmd_io_note(io, "%s", note.buf);
    sb_free(&note);
    lspci_free(l);
    return true;
}

static bool cmd_hotplug_xml(struct session *s, int argc, char **argv, struct cmd_io *io,
                            struct err *e)
{
    struct opts o;
    if (!take_options(&argc, argv, &o, e))
        return false;
    const char *dir = opt_value(&o, "-o"), *arch_name = opt_value(&o, "--arch");
    const char *stand_in = opt_value(&o, "--stand-in");
    bool force = opt_given(&o, "-f");
    if (!group_named(argc, argv, e))
        return false;
    if (argc > 2) {
        err_set(e, "hotplug-xml: one group at a time (usage: %s)", usage_of("hotplug-xml"));
        return false;
    }
    /* the sequence is the domain's machine's; --arch only confirms it */
    const char *family = arch_name ? hotplug_arch_family(arch_name) : NULL;
    if (arch_name && !family) {
        err_set(e, "hotplug-xml: --arch takes x86, pseries, aarch64 or riscv64, not '%s'", arch_name);
        return false;
    }
    if (family && strcmp(family, s->topo->mach->arch) != 0) {
        err_set(e, "hotplug-xml: the domain is a %s guest, so its sequence is %s's, not %s's (leave out --arch)",
                s->topo->mach->title, s->topo->mach->arch, family);
        return false;
    }
    struct group g;
    if (!group_find(s->topo, "hotplug-xml", argv[1], &g, e))
        return false;
    struct hotplug_set *h = hotplug_set_new(s, &g, stand_in, e);
    if (!h)
        return false;
    bool ok = true;
    char *expanded = dir && strcmp(dir, "-") != 0 ? out_path_new("hotplug-xml", dir, e) : NULL;
    if (dir && strcmp(dir, "-") != 0 && !expanded) {
        hotplug_set_free(h);
        return false;
    }
    if (expanded) {   /* -o - prints, as place's does */
        dir = expanded;
        ok = hotplug_set_write(h, dir, force, e);
        if (ok) {
            size_t len = strlen(dir);
            sb_printf(&io->out, "wrote into %s%s:", dir, len && dir[len - 1] == '/' ? "" : "/");
            for (size_t i = 0; i < h->n; i++)
                sb_printf(&io->out, " %s", h->files[i].name);
            sb_printf(&io->out, "\n\n%s", hotplug_set_plan(h));
        }
    } else {
        for (size_t i = 0; i < h->n; i++)
            sb_printf(&io->out, "%s==> %s <==\n%s", i ? "\n" : "", h->files[i].name, h->files[i].text);
    }
    hotplug_set_free(h);
    free(expanded);
    return ok;
}

/* undo and redo: one step back or forward, named in the note. */
static bool history_step(struct session *s, bool forward, struct cmd_io *io, struct err *e)
{
    const char *what = forward ? session_redo_label(s) : session_undo_label(s);
    char *label = xstrdup(what ? what : "");   /* the step's label goes with it */
    bool ok = forward ? session_redo(s, e) : session_undo(s, e);
    if (ok)
        cmd_io_note(io, "%s: %s", forward ? "redid" : "undid", label);
    free(label);
    return ok;
}

static bool cmd_undo(struct session *s, int argc, char **argv, struct cmd_io *io,
                     struct err *e)
{
    return history_step(s, false, io, e);
}

static bool cmd_redo(struct session *s, int argc, char **argv, struct cmd_io *io,
                     struct err *e)
{
    return history_step(s, true, io, e);
}

static bool cmd_spare(struct session *s, int argc, char **argv, struct cmd_io *io,
                      struct err *e)
{
    struct opts o;
    if (!take_options(&argc, argv, &o, e))
        return false;
    if (opt_given(&o, "--json")) {
        jsondoc_spare(&io->out, s);
        return true;
    }
    struct err why ERR_SCOPE = ERR_INIT;
    struct spare sp = spare_placed(s->topo, &why);
    sb_printf(&io->out, "spare hotplug slots: pcie=%d pci=%d\n", sp.pcie, sp.pci);
    if (why.set)
        sb_printf(&io->out, "(counted on the document as written: libvirt 9.0 would refuse it: %s)\n",
                  why.msg);
    return true;
}

/* report FILE...: a row per file; exits 1, like check, when a domain has
 * problems or a file cannot be read, after printing every row. */
static bool cmd_report(struct session *s, int argc, char **argv, struct cmd_io *io,
                       struct err *e)
{
    struct opts o;
    if (!take_options(&argc, argv, &o, e))
        return false;
    if (argc < 2) {
        err_set(e, "report: which files? (usage: %s)", usage_of("report"));
        return false;
    }
    struct report *r = report_of_files_new(argv + 1, (size_t)argc - 1);
    if (opt_given(&o, "--json")) {
        jsondoc_report(&io->out, r);
    } else {
        char *table = report_table_new(r);
        sb_puts(&io->out, table);
        free(table);
    }
    int errors = r->errors, with_problems = r->with_problems;
    report_free(r);
    if (errors || with_problems) {
        err_set(e, "report: %d of %d domain%s with problems, %d that could not be read", with_problems,
                argc - 1, argc == 2 ? "" : "s", errors);
        return false;
    }
    return true;
}

static bool cmd_set_pref(struct session *s, int argc, char **argv, struct cmd_io *io,
                         struct err *e)
{
    if (!device_named(argc, argv, e))
        return false;
    const struct device *dv = edit_find(s, argv[1], e);
    if (!dv)
        return false;
    if (argc == 2) {
        char *wishes = dev_pref_text_new(&dv->pref);
        sb_printf(&io->out, "%s%s%s: %s\n", device_label(dv),
                  dv->alias ? " " : "", dv->alias ? dv->alias : "",
                  *wishes ? wishes : "no preferences (the domain's policy decides)");
        free(wishes);
        return true;
    }
    return edit_set_pref(s, dv, argc - 2, argv + 2, &io->note, e);
}

static void print_policy(const struct session *s, struct strbuf *out)
{
    const struct domain_policy *pol = &s->topo->policy;
    sb_printf(out, "policy %s\n", policy_name(pol->policy));
    if (pol->spare_ports >= 0)
        sb_printf(out, "spare-ports %d\n", pol->spare_ports);
    else
        sb_printf(out, "spare-ports: %s\n", pol->policy == POLICY_MINIMAL ? "none (policy minimal)"
                  : "libvirt's rule (one spare root port on q35 when it adds controllers to a domain without any)");
    sb_printf(out, "stable-guest %s\n", pol->stable_guest ? "yes" : "no");
    sb_printf(out, "mode %s\n", s->live ? "live" : "offline");
}

static bool cmd_policy(struct session *s, int argc, char **argv, struct cmd_io *io,
                       struct err *e)
{
    enum policy p;
    if (argc == 1) {
        print_policy(s, &io->out);
        return true;
    }
    if (!policy_parse(argv[1], &p)) {
        err_set(e, "policy: '%s': use libvirt or minimal", argv[1]);
        return false;
    }
    edit_set_policy(s, p, &io->note);
    return true;
}

static bool cmd_stable_guest(struct session *s, int argc, char **argv, struct cmd_io *io,
                             struct err *e)
{
    if (argc == 1) {
        sb_printf(&io->out, "stable-guest %s\n", s->topo->policy.stable_guest ? "yes" : "no");
        return true;
    }
    if (strcmp(argv[1], "yes") != 0 && strcmp(argv[1], "no") != 0) {
        err_set(e, "stable-guest: '%s': use yes (new bridges go where they renumber nothing) or no (libvirt's placement)",
                argv[1]);
        return false;
    }
    edit_set_stable_guest(s, argv[1][0] == 'y', &io->note);
    return true;
}

static bool cmd_spare_ports(struct session *s, int argc, char **argv, struct cmd_io *io,
                            struct err *e)
{
    unsigned long n;
    if (!parse_count_arg(argv[1], 255, &n)) {
        err_set(e, "spare-ports: '%s': use a number of ports, 0 to 255", argv[1]);
        return false;
    }
    return edit_spare_ports(s, (int)n, &io->note, e);
}

static bool cmd_mode(struct session *s, int argc, char **argv, struct cmd_io *io,
                     struct err *e)
{
    if (argc == 1) {
        sb_printf(&io->out, "mode %s\n", s->live ? "live" : "offline");
        return true;
    }
    if (strcmp(argv[1], "live") != 0 && strcmp(argv[1], "offline") != 0) {
        err_set(e, "mode: '%s': use live (hot-plug into the running guest) or offline", argv[1]);
        return false;
    }
    /* a domain from libvirt: the document becomes the running guest's
     * XML, or the definition again */
    if (s->origin) {
        sb_free(&io->note);
        return origin_set_live(s, argv[1][0] == 'l', &io->note, e);
    }
    s->live = argv[1][0] == 'l';
    cmd_io_note(io, "mode %s: %s", argv[1], s->live
                ? "add uses only empty hot-pluggable slots and adds no controller"
                : "add adds the controllers a device needs");
    return true;
}

/* Commands only the editor carries out (moving the selection, opening
 * the prompt); they are in the table so keys, help and the man page know
 * them, and batch mode says what they are for. */
static bool cmd_editor_only(struct session *s, int argc, char **argv, struct cmd_io *io,
                            struct err *e)
{
    err_set(e, "%s: only in the editor (pcitopo FILE in a terminal)", argv[0]);
    return false;
}

/* vi's names that stand for commands of the table: cmd_script_parse
 * writes these in their place (so the editor asks before quitting on q
 * as on quit).  x is not one: it saves only when there is something to
 * save, which a script cannot say (cmd_x). */
static const struct vi_name {
    const char *name;
    const char *words[3];   /* the command and its own words; NULL-ended */
    bool then_quit;
} vi_names[] = {
    { "q", { "quit", NULL }, false },
    { "q!", { "quit", "-f", NULL }, false },
    { "w", { "save", NULL }, false },
    { "w!", { "save", "-f", NULL }, false },
    { "wq", { "save", NULL }, true },
};

static const struct vi_name *vi_name_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(vi_names); i++)
        if (strcmp(vi_names[i].name, name) == 0)
            return &vi_names[i];
    return NULL;
}

/* A vi name given to cmd_execute as words (not parsed from a line): the
 * commands it stands for, its operands and options after theirs. */
static bool cmd_vi_name(struct session *s, int argc, char **argv, struct cmd_io *io,
                        struct err *e)
{
    const struct vi_name *v = vi_name_find(argv[0]);
    if (!v) {
        err_set(e, "%s: not one of vi's names", argv[0]);
        return false;
    }
    char **words = xcalloc((size_t)argc + ARRAY_LEN(v->words), sizeof *words);
    int n = 0;
    for (size_t k = 0; v->words[k]; k++)
        words[n++] = xstrdup(v->words[k]);
    for (int i = 1; i < argc; i++)
        words[n++] = xstrdup(argv[i]);
    bool ok = cmd_execute(s, n, words, io, e);
    for (int i = 0; i < n; i++)
        free(words[i]);
    free(words);
    if (ok && v->then_quit) {
        char quit[] = "quit";
        ok = cmd_execute(s, 1, (char *[]){ quit, NULL }, io, e);
    }
    return ok;
}

/* vi's x: save when there are changes to save, then quit; a save that
 * fails does not quit. */
static bool cmd_x(struct session *s, int argc, char **argv, struct cmd_io *io, struct err *e)
{
    char save[] = "save";
    if (s->modified && !cmd_save(s, 1, (char *[]){ save, NULL }, io, e))
        return false;
    s->quit = true;
    return true;
}

/* The kinds add knows, for help add. */
static void list_add_kinds(struct strbuf *sb)
{
    sb_puts(sb, "\nKinds:\n");
    for (size_t i = 0; add_kind_at(i); i++)
        sb_printf(sb, "  %-28s %s%s\n", add_kind_at(i)->name, add_kind_at(i)->summary,
                  add_kind_at(i)->machines == MACH_ANY ? "" : add_kind_at(i)->machines == MACH_PSERIES
                  ? " (pseries)" : " (PCI Express machines)");
}

/* The table.  Keep it sorted by name: help lists it in this order. */
static const struct command commands[] = {
    { "add", "add KIND [alias=ua-NAME] [host=DDDD:BB:SS.F]", "Add a device and place it as libvirt would",
      "Adds a device of KIND (listed below) and places the domain the way "
      "libvirt 9.0 does when it is defined: the new device gets the address "
      "libvirt would give it, and the controllers it needs (a pcie-root-port, "
      "a pcie-to-pci-bridge, ...) are added. The note says where it went, what "
      "was added with it and how many spare hot-plug slots remain. Devices "
      "that have an address keep it. alias= gives the device a user alias "
      "(libvirt keeps only aliases that start with 'ua-'); hostdev needs "
      "host=, the host PCI address of the device to pass through (lspci -D). "
      "A virtio-blk disk gets the next free vdX and an image path under "
      "/var/lib/libvirt/images that you may want to change. When libvirt "
      "would refuse the result, nothing is added. In the editor, add without "
      "arguments opens a dialog that previews the placement before you commit.\n"
      "Preferences steer the placement where libvirt has no word for it: "
      "hotplug=no lets the device sit on the root bus as an integrated "
      "device, with no port (hotplug=yes: only hot-pluggable slots); bus=pci "
      "puts it on a legacy PCI slot even on q35 (behind a pcie-to-pci-bridge, "
      "added when needed), bus=pcie on a PCI Express port; numa=N behind the "
      "expander bus of guest NUMA node N (added with a port when needed). "
      "They are kept in the domain's <metadata> under the device's alias (one "
      "is made when alias= is not given), so set-pref can change them and "
      "later placements follow them. In mode live, the device goes only into "
      "an empty hot-pluggable slot, and nothing is added with it.",
      0, 6, CMD_CHANGES | CMD_TRIAL, cmd_add, NULL, NULL },
    { "cancel", "cancel", "Leave the add dialog or the prompt without acting",
      "In the editor's add dialog: closes it, adding nothing. At the ':' "
      "prompt: abandons the line.",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "check", "check [--json]", "Validate the addresses as libvirt does at define time",
      "Checks every address and PCI controller of the document the way libvirt "
      "9.0 does when the domain is defined, and reports every problem, each "
      "with libvirt's own message and a hint: addresses used twice (also by "
      "the chipset), slots a bus does not have, devices or controllers on a "
      "bus that does not take them, misplaced chipset controllers, target "
      "values out of range or not valid for the model, NUMA nodes the guest "
      "does not have. Then it tries placing the devices without an address and "
      "reports libvirt's refusal, if any. It also notes what QEMU would refuse "
      "at start (multifunction='off' with other functions in the slot) and "
      "what libvirt would add behind your back (a controller for a bus index "
      "that has none). Last come the warnings about the guest, each with its "
      "reason and a fix, as booted guests showed them: a bridge that needs a "
      "bus number past 255 (the firmware never finishes), an expander's busNr "
      "that a bridge takes first (devices out of reach), more 4 KiB I/O "
      "windows than SeaBIOS has room for (the guest does not boot), and two "
      "devices with one <acpi index> or one above 16383 (QEMU refuses to "
      "start). Exits 1 when libvirt (or QEMU) would refuse the domain; "
      "warnings and notes alone do not fail. libvirt's checks that are not about PCI "
      "(video models, memory hotplug, ...) are not made. --json prints the "
      "problems as a JSON document (doc/json.md), with the same exit status.",
      0, 0, 0, cmd_check, NULL, "--json" },
    { "choice", "choice next|prev", "Change the add dialog's hotplug or bus choice",
      "In the editor's add dialog, on the hotplug or bus field: the next or "
      "the previous value; the preview follows.",
      1, 1, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "collapse", "collapse", "Close the selected controller, or the one above the selected line",
      "In the editor's tree: hides what is below the selected controller; on "
      "a line below one, selects that controller and closes it (as Left does "
      "in other trees).",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "collapse-all", "collapse-all", "Close every controller",
      "In the editor's tree: hides what is below every controller but the "
      "root buses, so the tree is one line per controller on a root bus; the "
      "selection stays on its line, or the closest line above it still shown.",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "commit", "commit", "Add the device where the add dialog's preview shows it",
      "In the editor's add dialog: runs the add the preview shows.",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "delete", "delete ALIAS|BB:SS.F|BB:SS", "Delete a device, or a group",
      "Deletes the device named by its alias or address. A group (host "
      "devices sharing one slot as its functions) goes as one unit: name its "
      "slot, BB:SS, to delete all its functions; a single function of a "
      "group is refused. A PCI controller "
      "can be deleted only when nothing is on its bus; the root bus, q35's "
      "SATA controller and controllers that disks, channels or USB devices "
      "use are refused, because libvirt would add them back. The last "
      "memballoon or USB controller becomes model='none' instead, which is "
      "how libvirt is told not to add a default one. In the editor, delete "
      "without arguments deletes the selected device after asking.",
      0, 1, CMD_CHANGES | CMD_TRIAL, cmd_delete, NULL, NULL },
    { "details", "details down|up|page-down|page-up|top|bottom", "Scroll the details pane",
      "In the editor: scrolls the pane that describes the selected line (and "
      "explains why a device is where it is) by a row, by a page, or to its "
      "top or bottom. A mark in its last row says when there is more below or "
      "above; another line selected starts at the top.",
      1, 1, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "diff", "diff [FILE]", "Show what changes for the guest, or what save would define in libvirt",
      "diff FILE (pcitopo diff OLD NEW) compares this document with FILE's, "
      "as the guest sees them: the devices whose XML address changed, the "
      "devices whose guest address changed although their XML address did "
      "not (a controller added or moved before them renumbers the buses the "
      "firmware numbers after it, and the guest's NIC names and disk paths "
      "follow), and the controllers and devices added or removed. Devices are "
      "matched by alias, else by a controller's type and index, a NIC's MAC, "
      "a disk's target or a host device's host address; devices without an "
      "address count where placement puts them. It fails (exit 1) when a "
      "device of both moves in the guest.\n"
      "Without FILE, for a domain opened from libvirt (pcitopo --connect URI "
      "DOMAIN): the lines a save would change in its definition there, as "
      "diff -u shows them, against the definition libvirt has now. When that "
      "definition changed since it was opened, diff shows that change "
      "instead, and save refuses.",
      0, 1, 0, cmd_diff, NULL, NULL },
    { "expand", "expand", "Open the selected controller, or list a run of empty slots",
      "In the editor's tree: shows what is below the selected controller, or "
      "lists the slots of a run of empty slots one by one.",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "expand-all", "expand-all", "Open every controller",
      "In the editor's tree: shows what is below every controller.",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "explain", "explain [--json] ALIAS|BB:SS.F", "Explain why a device is where it is",
      "For people learning PCIe layout: names the device's connection class "
      "(PCI, PCI Express, virtio, passthrough) and what it means on this "
      "machine, then why it sits where it does — the address written in the "
      "XML, a chipset rule, or libvirt's first-fit search, with every bus the "
      "search passed over and why, and the controllers libvirt added for it — "
      "what kind of bus it is on, and whether its slot can hot-plug. The "
      "device is named by its alias or by its address, the one it has or the "
      "one place would give it. In the editor, explain without an argument "
      "explains the selected device. --json prints the same as a JSON "
      "document (doc/json.md): the device, its address, whether it can be "
      "hot-plugged, and the explanation by topic.",
      0, 1, 0, cmd_explain, NULL, "--json" },
    { "field", "field next|prev", "Go to the add dialog's next or previous field",
      "In the editor's add dialog: the kind list, alias, host (hostdev), "
      "then the preferences hotplug, bus and numa, skipping what does not "
      "apply to the kind.",
      1, 1, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "goto", "goto ALIAS|BB:SS.F|BB:SS", "Select a device by its alias or address",
      "In the editor's tree: selects the device with that alias, or at that "
      "address (BB:SS.F; BB:SS is the slot: its group, or its function 0; a "
      "PCI domain DDDD: in front is taken), or the empty slot there, opening "
      "the controllers above it. Batch mode has no selection: explain prints "
      "a device.",
      1, 1, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "group", "group NAME NAME... [at=BB:SS]", "Make host devices the functions of one slot",
      "Puts the named host devices (<hostdev type='pci'>, <interface "
      "type='hostdev'>; by alias or address, BB:SS for the members of an "
      "existing group, DDDD:BB:SS.F for the device passing that host "
      "function through, or DDDD:BB:SS for every function of a host card) "
      "into one slot as its functions, function 0 with "
      "multifunction='on': how a NIC's ports or a GPU and its audio function "
      "reach the guest as one card. Members from the same host device (same "
      "domain:bus:slot) keep their host function numbers, which must include "
      "0; others are numbered 0, 1, ... in the order given. The slot is at= "
      "if given, else the slot of the host card's function 0 or of the first "
      "member that has an address, else the one placement gives function 0 "
      "as libvirt would, among the hot-pluggable slots unless policy minimal "
      "or its hotplug=no says otherwise (on q35 a root port of its own, added "
      "when needed). Members that had another address are moved, and the "
      "note says so; a controller they leave empty stays. At "
      "most 8 functions; no other device may share the slot. Members get a "
      "user alias when they have none. A group is deleted as one unit "
      "(delete BB:SS) and its members cannot be hot-unplugged one by one. In "
      "the editor, Space marks devices and g groups the marked ones.",
      0, 9, CMD_CHANGES | CMD_TRIAL, cmd_group, NULL, NULL },
    { "help", "help [COMMAND]", "Describe all commands, or one",
      "Without an argument, lists every command with a one-line summary. "
      "With a command name, prints its usage and what it does.",
      0, 1, CMD_NO_SESSION, cmd_help, NULL, NULL },
    { "hotplug-xml", "hotplug-xml GROUP [--arch x86|pseries|aarch64|riscv64] [--stand-in MODEL] [-o DIR [-f]]",
      "Write how a group is hot-plugged and unplugged",
      "For the group named by a member or its slot: the <devices> document "
      "with every function (devices.xml, function 0 first, seed 004's "
      "design); one file per function for 'virsh attach-device --config', "
      "numbered in the order to apply them (attach-1-..., every function but 0 "
      "first, function 0 last); the QEMU monitor commands that plug the slot "
      "into a running guest (hotplug.hmp: device_add of each non-zero "
      "function, then function 0 with multifunction=on, on libvirt's bus "
      "names pci.N and pcie.0); the unplug commands (unplug.hmp); and the plan "
      "in words (plan.txt). The unplug follows the domain's machine: on x86 and "
      "virt unplugging function 0 removes the whole slot; on pseries the non-zero "
      "functions go first, then function 0. --arch, if given, must name the "
      "domain's architecture. --stand-in MODEL puts an emulated "
      "device (virtio-net-pci) in place of vfio-pci in hotplug.hmp, to "
      "rehearse on a guest without the host devices. -o DIR writes the files "
      "into DIR (made when missing; existing files are refused unless -f) and "
      "prints the plan; without -o every file is printed.",
      0, 1, 0, cmd_hotplug_xml, NULL, "--arch= --stand-in= -o= -f" },
    { "lspci", "lspci [--json]", "List the PCI functions as the guest's lspci -D shows them",
      "Prints every PCI function of the domain as the guest sees it, in "
      "lspci -D's order and words: its address in the guest (DDDD:BB:SS.F), "
      "its class, vendor and device as QEMU presents them and pci.ids names "
      "them, then its alias and its address in the XML, e.g. 0000:05:00.0 SCSI "
      "storage controller: Red Hat, Inc. Virtio 1.0 block device [ua-disk1] "
      "(xml 06:00.0). The guest's bus numbers are not the XML's bus='' (a "
      "controller's index): the firmware numbers the buses depth-first as "
      "it finds bridges, in slot order, and an expander bus starts at its "
      "busNr (SeaBIOS, on pc and q35). The chipset's functions and QEMU's "
      "bridge inside a pci-expander-bus are listed too. Devices without an "
      "address are shown where placement puts them, with what libvirt adds "
      "at define. Functions the guest does not see follow under \"not seen "
      "by the guest\", each with the reason: the firmware ran out of bus "
      "numbers (255 is the last; an expander's busNr leaves room only up to "
      "it), an expander's busNr that the firmware had already given to "
      "another bus, a slot whose function 0 is empty. Revisions, which lspci "
      "prints as (rev NN), are left out. --json prints the same as a JSON "
      "document (doc/json.md).",
      0, 0, 0, cmd_lspci, NULL, "--json" },
    { "mark", "mark", "Mark or unmark the selected host device for group",
      "In the editor's tree: marks the selected host device (or takes the "
      "mark off) and moves to the next line; group then puts the marked "
      "devices into one slot.",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "messages", "messages", "Show the messages of the session",
      "In the editor: every message the message line showed in this session "
      "(notes of changes, refusals, errors), oldest first, in the pager.",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "mode", "mode [live|offline]", "Plan for a stopped guest or a hot-plug into a running one",
      "offline (the default): add adds the controllers a device needs, as "
      "libvirt does for a stopped guest. live: you are planning a hot-plug "
      "into the running guest, so add uses only an existing empty "
      "hot-pluggable slot and fails, saying so, when none is left; nothing "
      "else is added. The mode belongs to the session, not to the file.\n"
      "A domain opened from libvirt (pcitopo --connect URI DOMAIN) that runs: "
      "mode live makes the document what the guest has now (its live XML, as "
      "virsh dumpxml prints it), and save then hot-plugs each device added "
      "since (see save); mode offline takes the definition again. Either is "
      "refused while the document has unsaved changes, and drops the undo "
      "history (it was of the other document). pcitopo --live opens a domain "
      "this way.",
      0, 1, 0, cmd_mode, NULL, NULL },
    { "mouse", "mouse [on|off]", "Let the mouse select and scroll, or leave it to the terminal",
      "In the editor: on, a click selects a line, a double click opens or "
      "closes it and the wheel scrolls; the terminal then keeps plain "
      "dragging for itself only with Shift held (xterm's mode 1000: clicks "
      "and the wheel, never motion). off gives the mouse back to the "
      "terminal, to select and copy text as anywhere else. Without an "
      "argument, the other way. pcitopo --no-mouse starts with it off.",
      0, 1, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "move", "move up|down|page-up|page-down|top|bottom", "Move the selection (in the add dialog, the kind)",
      "Moves the editor's selection one line, one page, or to the first or "
      "last line; in the add dialog, the choice in the list of kinds.",
      1, 1, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "numbers", "numbers [xml|guest]", "Show the guest's bus numbers first, or the XML's",
      "In the editor's tree: each address whose bus the guest numbers "
      "otherwise shows both, 06:00.0 (guest 05:00.0), and a controller its "
      "bus both ways, bus 06 (guest 05). numbers guest puts the guest's "
      "first, as its firmware numbers the buses and its lspci shows them; "
      "numbers xml the XML's (libvirt's bus=, a controller's index). "
      "Without an argument, the other way. The details pane shows both. "
      "See lspci.",
      0, 1, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "place", "place [-f] [-o OUT|-]", "Assign addresses and add controllers as libvirt would",
      "Does what libvirt 9.0's QEMU driver does when the domain is defined: "
      "every device without a PCI address gets the one libvirt would give it, "
      "and the controllers and implicit devices libvirt would add (root ports, "
      "bridges, the default USB controller, the memory balloon, ...) are added, "
      "with the target values and model names libvirt fills in. Devices that "
      "have an address keep it. On a domain libvirt has already placed, place "
      "changes nothing. When libvirt would refuse the domain, place says why "
      "in libvirt's words and changes nothing.\n"
      "-o OUT then writes the result to OUT (atomically, as save does; -f "
      "overwrites an existing file), '-o -' prints it. 'pcitopo place FILE' "
      "prints the result: it is 'place -o -'.",
      0, 0, CMD_CHANGES, cmd_place, "-o -", "-f -o=" },
    { "policy", "policy [libvirt|minimal]", "Show or set the domain's placement policy",
      "libvirt (the default) places exactly as libvirt 9.0 does. minimal is "
      "libguestfs's wish for fast boots: every device without hotplug=yes goes "
      "on the root bus as an integrated device, and no spare ports are added, "
      "so no controller is added that a device does not need. The policy is "
      "kept in the domain's <metadata>; addresses already given stay. Without "
      "an argument, prints the policy, the spare-ports and stable-guest "
      "settings and the mode.",
      0, 1, CMD_CHANGES | CMD_TRIAL, cmd_policy, NULL, NULL },
    { "problems", "problems", "List the problems check finds, by device",
      "In the editor: the problems list, what check finds in the document "
      "(what libvirt 9.0 would refuse at define time, what QEMU would refuse "
      "at start, and notes), one per line with the device it is about. In "
      "batch mode, check prints them.",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "prompt", "prompt [TEXT]", "Open the command prompt",
      "Opens the editor's ':' prompt, with TEXT already typed. The prompt has "
      "history (Up, Down; kept across runs) and Tab completion of commands, "
      "device kinds and aliases.",
      0, 1, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "quit", "quit [-f]", "End the session",
      "Stops a batch script (later commands do not run) or leaves the editor. "
      "The editor asks first when there are unsaved changes; quit -f does not ask.",
      0, 0, 0, cmd_quit, NULL, "-f" },
    { "redo", "redo", "Redo the change undo took back",
      "Makes the change the last undo took back again.",
      0, 0, CMD_GUARDED, cmd_redo, NULL, NULL },
    { "redraw", "redraw", "Draw the whole screen again",
      "In the editor: clears the terminal and draws every line again, after "
      "another program wrote over the screen.",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "reload", "reload", "Take the domain's definition from libvirt again",
      "For a domain opened from libvirt: the document becomes the definition "
      "libvirt has now, as one step that undo takes back (your edits come "
      "back, to save over it with save -f or to a file). What save offers "
      "after someone else changed the definition.",
      0, 0, 0, cmd_reload, NULL, NULL },
    { "relocate", "relocate ALIAS|BB:SS.F|BB:SS BB:SS[.F]|auto", "Move a device, or a group, to another PCI address",
      "Gives the device named by its alias or address a new PCI address: "
      "BB:SS.F, or BB:SS for function 0 of that slot (the device's own "
      "function is not kept: alone in a slot, a device is its function 0). A "
      "group (host devices sharing a slot) is named by its slot, BB:SS, and "
      "goes to a slot, BB:SS, each member keeping its function. The move is "
      "judged as check judges a document: when libvirt 9.0 would refuse the "
      "domain with the new address (the slot is taken, the bus has no such "
      "slot or does not take that kind of device, ...), nothing moves and the "
      "message is libvirt's own. An address on a bus index that has no "
      "controller is what libvirt accepts too: the controllers it would add "
      "are added, as place adds them, and named in the note. Devices behind a "
      "moved PCI controller keep their bus index, so they move with it. auto "
      "takes the device's address away and places the domain again, so that "
      "placement chooses, following the device's preferences (set-pref): "
      "hotplug=no on q35 brings it to the root complex, bus=pci behind a "
      "pcie-to-pci-bridge. The note says where it went and warns that the "
      "guest will see it at a new address (its PCI path changes, and with it "
      "the name a guest gives a NIC or a disk); a move to where it is changes "
      "nothing. Refused: the root bus, controllers libvirt pins (q35's SATA "
      "controller at 00:1f.2, pc's IDE and USB controllers at 00:01.1 and "
      "00:01.2), devices that are not on PCI, one function of a group (move "
      "the group by its slot), auto for a group, and every move in mode live.",
      0, 2, CMD_CHANGES | CMD_TRIAL, cmd_relocate, NULL, NULL },
    { "report", "report [--json] FILE...", "One line per domain: spare slots, problems, what placement adds",
      "For each domain XML file: its name, state (file), machine, the spare "
      "hot-plug slots as spare counts them (PCIE, PCI; * when libvirt would "
      "refuse the placement and they are counted on the document as "
      "written), the problems check finds (PROBLEMS: what check exits 1 for; "
      "NOTES), and ADDS: how many PCI controllers (root ports, bridges) "
      "placing the domain now would add, as libvirt adds them on the next "
      "define for the devices without an address (0 for a domain libvirt "
      "has placed; - when it would refuse). A file that cannot be read or is "
      "no domain is a row with its error, and the others are still reported. "
      "Exits 1 when a domain has problems or a file is in error, after "
      "printing every row. --json prints the rows as a JSON document "
      "(doc/json.md).",
      1, -1, CMD_NO_SESSION, cmd_report, NULL, "--json" },
    { "save", "save [-f] [--monitor] [PATH|-]", "Write the domain XML",
      "Writes the document to PATH, or back to the file it was loaded from. "
      "'-' writes it to standard output. The file is replaced atomically: a "
      "temporary file in the same directory is written, flushed to disk and "
      "renamed over the target, keeping its permissions; a symbolic link is "
      "followed, not replaced. Everything pcitopo does not model (comments, "
      "other tools' metadata, unknown elements) is written back unchanged.\n"
      "save refuses to overwrite the loaded file if it changed on disk since "
      "it was loaded, and to overwrite any other existing file; -f does it "
      "anyway. Saving to another file does not change which file a later "
      "plain save writes: save PATH is save-copy PATH (save-as changes it). "
      "A PATH starting with ~ or ~USER is under that home directory, as in "
      "the shell.\n"
      "A domain opened from libvirt (pcitopo --connect URI DOMAIN) is saved by "
      "defining it: save reads the definition libvirt has now and refuses, "
      "showing what changed, when it is not the one opened (reload takes it; "
      "save -f defines over it); otherwise it prints the lines that change, "
      "defines the document (the editor asks first), and the document becomes "
      "what libvirt stored, with libvirt's answer. A define libvirt refuses "
      "changes nothing, there or here. save PATH writes a file, also when "
      "libvirt cannot be reached.\n"
      "In mode live on a domain from libvirt, save hot-plugs each device "
      "the running guest does not have yet (virDomainAttachDeviceFlags, into "
      "the guest and its definition) at the address the document gives it, "
      "prints a line for each, and the document becomes the guest's XML as "
      "libvirt has it after. Everything is checked before the first plug: a "
      "device libvirt cannot hot-plug (a video, a sound card, a controller "
      "other than SCSI), one on a bus without hot-plug, a device deleted "
      "from the guest or a multifunction group refuses the save, and nothing "
      "is plugged. When libvirt refuses a device, the message says which "
      "were plugged before it. libvirt 9.0 cannot hot-plug a group: "
      "hotplug-xml shows the plan, and save --monitor runs its device_add "
      "commands through libvirt's QEMU monitor passthrough (libvirt then "
      "marks the domain tainted) and adds the functions to the definition.",
      0, 1, 0, cmd_save, NULL, "-f --monitor" },
    { "save-as", "save-as [-f] PATH", "Write the domain XML to another file, and keep saving there",
      "Writes the document to PATH as save does (atomically; an existing "
      "file only with -f), and from then on PATH is the document's file: a "
      "plain save writes it, messages name it, and the document is "
      "unmodified. The file it was loaded from stays as it was. A PATH "
      "starting with ~ or ~USER is under that home directory, as in the "
      "shell.",
      1, 1, 0, cmd_save_as, NULL, "-f" },
    { "save-copy", "save-copy [-f] PATH|-", "Write a copy of the domain XML; keep saving to the same file",
      "Writes the document to PATH as save does and changes nothing else: a "
      "plain save still writes the file the document came from, and unsaved "
      "changes stay unsaved there. It is save PATH, said plainly. '-' writes "
      "the document to standard output; ~ and ~USER are home directories.",
      1, 1, 0, cmd_save_copy, NULL, "-f" },
    { "search", "search [TEXT]", "Find the next line that mentions TEXT",
      "In the editor's tree: selects the next line below the selection "
      "(going round past the last) whose device has TEXT in its alias, "
      "model, kind, element name, address or host address, or whose line "
      "reads TEXT, opening the controllers above it; case is ignored unless "
      "TEXT has a capital. Without TEXT, opens the '/' line to type it. "
      "search-next and search-prev find the following matches.",
      0, 1, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "search-back", "search-back [TEXT]", "Find the previous line that mentions TEXT",
      "As search, towards the top (going round past the first line); "
      "without TEXT, opens the '?' line to type it.",
      0, 1, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "search-next", "search-next", "Find the last search's next match",
      "In the editor's tree: the next line the last search finds, in that "
      "search's direction (up after search-back).",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "search-prev", "search-prev", "Find the last search's match the other way",
      "In the editor's tree: as search-next, against the last search's "
      "direction.",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "set-pref", "set-pref ALIAS|BB:SS.F [hotplug=yes|no|default] [bus=pcie|pci|any] [numa=N|none]",
      "Show or set a device's placement preferences",
      "Records where placement should put the device (see add for what each "
      "preference means); 'default', 'any' and 'none' take one back. The "
      "preferences are kept in the domain's <metadata>, keyed by the device's "
      "user alias; a device without one gets one (ua-net0, ua-disk1, ...). A "
      "device that has an address keeps it: the preferences act the next time "
      "it has none. With only the device, prints its preferences.",
      0, 4, CMD_CHANGES | CMD_TRIAL, cmd_set_pref, NULL, NULL },
    { "spare", "spare [--json]", "Count the spare hot-plug slots",
      "Prints how many more devices the guest could take by hot-plug while "
      "it runs, without new controllers: 'pcie' counts empty pcie-root-ports "
      "and switch downstream ports (where a virtio or other PCI Express device "
      "goes), 'pci' free slots of hot-pluggable legacy PCI buses (pci-bridge, "
      "pcie-to-pci-bridge, pci-root on pc with ACPI, and each PHB of pseries, where "
      "every device is legacy PCI). Devices without an "
      "address count where placement would put them. --json prints the "
      "counts as a JSON document (doc/json.md).",
      0, 0, 0, cmd_spare, NULL, "--json" },
    { "spare-ports", "spare-ports N", "Keep N empty hot-pluggable ports",
      "In place of libvirt's single spare root port: adds empty pcie-root-ports "
      "(q35, virt), pci-bridges (pc) or PHBs (pseries) until N hot-pluggable "
      "slots are spare, and "
      "records N in the domain's <metadata>, so that placing a domain without "
      "PCI controllers leaves N spare. Ports are never removed, so more may "
      "remain; 0 turns the reservation off. Adding devices later adds what "
      "they need and nothing more. The note says what the empty root ports "
      "cost at boot, as libguestfs measured it (about 30-40 ms each up to 3, "
      "then a jump).",
      1, 1, CMD_CHANGES | CMD_TRIAL, cmd_spare_ports, NULL, NULL },
    { "stable-guest", "stable-guest [yes|no]", "Place new bridges where guest numbers stay",
      "The guest does not see libvirt's bus indexes: its firmware numbers the "
      "bridges as it walks bus 0 in slot and function order (see lspci), so a "
      "root port or bridge that placement adds before existing ones (a gap "
      "a deleted port left, a free slot) renumbers every bus after it, and the "
      "devices there get new guest addresses (enp3s0 becomes enp4s0). With "
      "yes, each bridge that placement adds (add, place, spare-ports) goes, "
      "among the places libvirt's rules allow, to the first free one after the "
      "last bridge of the walk, where its number comes after every existing "
      "bus's; only where there is none does it go where libvirt would put it. "
      "Devices are placed as libvirt places them. no (the default) is "
      "libvirt 9.0's placement. The setting is kept in the domain's "
      "<metadata>; addresses already given stay. Without an argument, prints "
      "the setting.",
      0, 1, CMD_CHANGES | CMD_TRIAL, cmd_stable_guest, NULL, NULL },
    { "suspend", "suspend", "Stop the editor and go back to the shell",
      "In the editor: gives the terminal back to the shell that started "
      "pcitopo, as Ctrl-Z does in other programs; 'fg' brings the editor "
      "back, drawn again. Nothing is lost: unsaved changes stay in the editor "
      "(and in its recovery file). Refused, saying so, when pcitopo is not a "
      "job of a shell with job control.",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "toggle", "toggle", "Expand or collapse the selected controller or empty slots; explain a device",
      "In the editor's tree: shows or hides what is below a controller, or "
      "lists the slots of a run of empty slots one by one.",
      0, 0, CMD_EDITOR, cmd_editor_only, NULL, NULL },
    { "tree", "tree [--ascii] [--guest] [--json]", "Print the PCI topology as a tree",
      "Prints the root bus and, nested under each controller, the bus it "
      "provides: every device at its address (BB:SS.F, where BB is the "
      "controller index libvirt writes as bus=), the chipset functions, runs "
      "of empty slots, and [hotplug] where a slot takes hot-plugged devices. "
      "Devices without an address are listed under \"unplaced\". Lines are "
      "drawn with UTF-8 box characters when the locale uses UTF-8; --ascii "
      "draws them with ASCII. --guest puts the guest's numbers first, as its "
      "firmware numbers the buses (see lspci), with the XML's after them "
      "where they differ: 05:00.0 (xml 06:00.0), a controller's guest bus 05 "
      "(xml 06); a device the guest does not see keeps its XML address, "
      "marked so. --json prints the tree as a JSON document "
      "(doc/json.md): a node per line, nested as the lines are, each empty "
      "slot a node of its own.",
      0, 0, 0, cmd_tree, NULL, "--ascii --guest --json" },
    { "undo", "undo", "Take back the last change",
      "Takes back the last change to the document (add, delete, place), one "
      "step per command; redo makes it again. Every change of the session is "
      "kept, each as what it changed; only past 256 MiB of history do the "
      "oldest go, and pcitopo says so. Saving does not clear the "
      "history; undoing back to what was saved makes the document unmodified.",
      0, 0, CMD_GUARDED, cmd_undo, NULL, NULL },
    { "ungroup", "ungroup GROUP", "Give each function of a group its own slot",
      "For the group named by a member or its slot BB:SS: function 0 stays "
      "where it is, alone (multifunction is removed); every other member "
      "gets its own slot, where libvirt would place it, with the controllers "
      "that needs; the note says where each went. Not in mode live: a "
      "running guest unplugs the slot only as a whole.",
      0, 1, CMD_CHANGES | CMD_TRIAL, cmd_ungroup, NULL, NULL },
};

/* vi's names, as its ':' prompt takes them; help lists them in one line.
 * The summaries say what each stands for, after "vi: ". */
static const struct command aliases[] = {
    { "q", "q", "vi: quit",
      "vi's :q, the same as quit: leaves the editor, asking first when there "
      "are unsaved changes; ends a batch script.",
      0, 0, CMD_ALIAS, cmd_vi_name, NULL, NULL },
    { "q!", "q!", "vi: quit -f",
      "vi's :q!, the same as quit -f: leaves the editor without asking, "
      "unsaved changes and all; ends a batch script.",
      0, 0, CMD_ALIAS, cmd_vi_name, NULL, NULL },
    { "w", "w [-f] [PATH|-]", "vi: save",
      "vi's :w, the same as save (help save).",
      0, 1, CMD_ALIAS, cmd_vi_name, NULL, "-f" },
    { "w!", "w! [PATH|-]", "vi: save -f",
      "vi's :w!, the same as save -f: writes even over a file that changed "
      "on disk or is read-only.",
      0, 1, CMD_ALIAS, cmd_vi_name, NULL, NULL },
    { "wq", "wq [-f] [PATH|-]", "vi: save then quit",
      "vi's :wq: save (with PATH and -f as save takes them), then quit; when "
      "the save fails, nothing quits.",
      0, 1, CMD_ALIAS, cmd_vi_name, NULL, "-f" },
    { "x", "x", "vi: save if modified then quit",
      "vi's :x: saves when there are unsaved changes, as save does, then "
      "quits; when the save fails, nothing quits. Without changes it only "
      "quits.",
      0, 0, CMD_ALIAS, cmd_x, NULL, NULL },
};

const struct command *command_at(size_t i)
{
    return i < ARRAY_LEN(commands) ? &commands[i] : NULL;
}

const struct command *command_alias_at(size_t i)
{
    return i < ARRAY_LEN(aliases) ? &aliases[i] : NULL;
}

const struct command *command_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    for (size_t i = 0; i < ARRAY_LEN(aliases); i++)
        if (strcmp(aliases[i].name, name) == 0)
            return &aliases[i];
    return NULL;
}

bool command_takes(const struct command *c, int argc, char *const *argv)
{
    /* the operands are what is left once the options are read as
     * take_options reads them; a bad option is the handler's to report */
    struct opts o;
    opts_from_spec(c->options, &o);
    int operands = 0;
    bool operands_only = false;
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        bool option = !operands_only && w[0] == '-' && w[1] && c->options;
        if (option && strcmp(w, "--") == 0)
            operands_only = true;
        else if (option && opt_index(&o, w) >= 0 && o.o[opt_index(&o, w)].has_value)
            i++;
        else if (!option)
            operands++;
    }
    return operands >= c->min_args && (c->max_args < 0 || operands <= c->max_args);
}

static const char *usage_of(const char *name)
{
    const struct command *c = command_find(name);
    return c ? c->usage : name;
}

void command_aliases_line(struct strbuf *out)
{
    sb_puts(out, "vi's names:");
    for (size_t i = 0; i < ARRAY_LEN(aliases); i++) {
        const char *what = aliases[i].summary;
        if (strncmp(what, "vi: ", 4) == 0)
            what += 4;
        sb_printf(out, "%s %s (%s)", i ? "," : "", aliases[i].name, what);
    }
    sb_puts(out, "\n");
}

static bool cmd_help(struct session *s, int argc, char **argv, struct cmd_io *io,
                     struct err *e)
{
    if (argc == 1) {
        sb_puts(&io->out, "Commands (help COMMAND for details):\n");
        for (size_t i = 0; i < ARRAY_LEN(commands); i++)
            sb_printf(&io->out, "  %-22s %s\n", commands[i].usage, commands[i].summary);
        command_aliases_line(&io->out);
        return true;
    }
    const struct command *c = command_find(argv[1]);
    if (!c) {
        err_set(e, "help: no command '%s' (help lists them)", argv[1]);
        return false;
    }
    sb_printf(&io->out, "usage: %s\n%s.\n\n%s\n", c->usage, c->summary, c->help);
    if (c->run == cmd_add)
        list_add_kinds(&io->out);
    return true;
}

/* ------------------------------------------------------------------ */
/* Running */

void cmd_io_init(struct cmd_io *io)
{
    memset(io, 0, sizeof *io);
}

void cmd_io_free(struct cmd_io *io)
{
    sb_free(&io->out);
    sb_free(&io->note);
}

void cmd_io_note(struct cmd_io *io, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_free(&io->note);
    sb_vprintf(&io->note, fmt, ap);
    va_end(ap);
}

/* A close command name, to suggest on a typo. */
static const char *suggest(const char *name)
{
    const struct command *hit = NULL;
    size_t n = strlen(name);
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        if (n && strncmp(commands[i].name, name, n) == 0) {
            if (hit)
                return NULL;
            hit = &commands[i];
        }
    return hit ? hit->name : NULL;
}

/* The stability guard runs where pcitopo knows the guest's numbers. */
static bool guarded(const struct session *s)
{
    return s->topo && s->topo->mach->firmware != FW_NOT_MODELLED;
}

/* Says which devices the command left at their XML address but moved in
 * the guest: their NIC names and disk paths change at the next boot. */
static void guard_note(const struct session *s, const struct guest_view *before,
                       struct cmd_io *io)
{
    if (!before || !s->topo)
        return;
    char *moves = guard_note_new(before, guest_view_shared(s->topo), GUARD_NOTE_MOST);
    if (moves)
        sb_printf(&io->note, "%sguard: %s", io->note.len ? "; " : "", moves);
    free(moves);
}

bool cmd_execute(struct session *s, int argc, char **argv, struct cmd_io *io,
                 struct err *e)
{
    const struct command *c = command_find(argv[0]);
    if (!c) {
        const char *near = suggest(argv[0]);
        if (near)
            err_set(e, "unknown command '%s'; did you mean '%s'?", argv[0], near);
        else
            err_set(e, "unknown command '%s' (help lists the commands)", argv[0]);
        return false;
    }
    if (!command_takes(c, argc, argv)) {
        err_set(e, "%s: wrong number of arguments (usage: %s)", c->name, c->usage);
        return false;
    }
    if (!s && !(c->flags & CMD_NO_SESSION)) {
        err_set(e, "%s: no domain is loaded", c->name);
        return false;
    }
    /* Handlers take their options out of argv; give them a copy of the
     * array so the caller's words are still all there to free. */
    char **args = xmalloc((size_t)(argc + 1) * sizeof *args);
    memcpy(args, argv, (size_t)argc * sizeof *args);
    args[argc] = NULL;
    /* A command that changes the document is one undo step, and leaves
     * the document as it was when it fails half-way. */
    struct snapshot snap;
    bool changes = (c->flags & CMD_CHANGES) && s;
    if (changes && !session_snapshot(s, &snap, e)) {
        free(args);
        return false;
    }
    bool guard = s && (c->flags & (CMD_CHANGES | CMD_GUARDED)) && guarded(s);
    struct guest_view *before = guard ? guest_view_take(s->topo) : NULL;
    bool ok = c->run(s, argc, args, io, e);
    if (changes) {
        if (ok) {
            char *what = cmd_words_line_new(argc, argv);
            session_commit(s, &snap, what);
            free(what);
        } else {
            session_rollback(s, &snap);
        }
    }
    if (ok)
        guard_note(s, before, io);
    guest_view_free(before);
    /* undo keeps every step up to its memory budget; a step dropped past
     * it is said beside the command's own note, never silently */
    char *dropped = s ? session_take_undo_notice(s) : NULL;
    if (dropped)
        sb_printf(&io->note, "%s%s", io->note.len ? "; " : "", dropped);
    free(dropped);
    free(args);
    return ok;
}

/* ------------------------------------------------------------------ */
/* Parsing */

struct parser {
    const char *text;
    size_t pos;
    struct cmd_script *sc;
    size_t cap;
    char **words;
    int nwords, capwords;
    size_t start;
    bool plain_first;   /* the command's first word had no quote or backslash */
};

static void push_word(struct parser *p, char *w)
{
    if (p->nwords + 1 >= p->capwords) {
        p->capwords = p->capwords ? p->capwords * 2 : 8;
        p->words = xrealloc(p->words, (size_t)p->capwords * sizeof *p->words);
    }
    p->words[p->nwords++] = w;
    p->words[p->nwords] = NULL;
}

static void add_call(struct parser *p)
{
    struct cmd_script *sc = p->sc;
    if (sc->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        sc->calls = xrealloc(sc->calls, p->cap * sizeof *sc->calls);
    }
    sc->calls[sc->n++] = (struct cmd_call){ p->nwords, p->words, p->start };
    p->words = NULL;
    p->nwords = p->capwords = 0;
}

/* Ends the command read so far.  One of vi's names, written plainly and
 * with words its usage takes, becomes the commands it stands for
 * (wq x.xml: save x.xml, then quit); quoted ('q'), it stays itself, as a
 * quoted word does in a shell. */
static void end_command(struct parser *p)
{
    if (p->nwords == 0)
        return;
    const struct vi_name *v = p->plain_first ? vi_name_find(p->words[0]) : NULL;
    if (!v || !command_takes(command_find(v->name), p->nwords, p->words)) {
        add_call(p);
        return;
    }
    char **words = p->words;
    int n = p->nwords;
    p->words = NULL;
    p->nwords = p->capwords = 0;
    for (size_t k = 0; v->words[k]; k++)
        push_word(p, xstrdup(v->words[k]));
    for (int i = 1; i < n; i++)
        push_word(p, words[i]);
    free(words[0]);
    free(words);
    add_call(p);
    if (v->then_quit) {
        push_word(p, xstrdup("quit"));
        add_call(p);
    }
}

static void free_words(char **w, int n)
{
    for (int i = 0; i < n; i++)
        free(w[i]);
    free(w);
}

/* Reads one word at p->pos.  Returns false with e set on an open quote. */
static bool read_word(struct parser *p, struct err *e)
{
    struct strbuf sb = STRBUF_INIT;
    const char *t = p->text;
    size_t from = p->pos;
    sb_puts(&sb, "");
    for (;;) {
        char c = t[p->pos];
        if (c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == ';')
            break;
        if (c == '\\' && t[p->pos + 1] != '\0') {
            sb_putc(&sb, t[p->pos + 1]);
            p->pos += 2;
        } else if (c == '\'' || c == '"') {
            size_t open = p->pos++;
            while (t[p->pos] && t[p->pos] != c) {
                if (c == '"' && t[p->pos] == '\\'
                    && (t[p->pos + 1] == '"' || t[p->pos + 1] == '\\'))
                    p->pos++;
                sb_putc(&sb, t[p->pos++]);
            }
            if (!t[p->pos]) {
                err_set(e, "unterminated %s quote starting at column %zu",
                        c == '"' ? "double" : "single", open + 1);
                sb_free(&sb);
                return false;
            }
            p->pos++;
        } else {
            sb_putc(&sb, c);
            p->pos++;
        }
    }
    if (p->nwords == 0)
        p->plain_first = p->pos - from == sb.len;   /* nothing quoted or escaped */
    push_word(p, sb_detach(&sb));
    return true;
}

struct cmd_script *cmd_script_parse(const char *text, struct err *e)
{
    struct cmd_script *sc = xcalloc(1, sizeof *sc);
    struct parser p = { .text = text, .sc = sc };
    for (;;) {
        char c = text[p.pos];
        if (c == ' ' || c == '\t' || c == '\r') {
            p.pos++;
        } else if (c == '#' ) {
            while (text[p.pos] && text[p.pos] != '\n')
                p.pos++;
        } else if (c == ';' || c == '\n' || c == '\0') {
            end_command(&p);
            if (c == '\0')
                break;
            p.pos++;
        } else {
            if (p.nwords == 0)
                p.start = p.pos;
            if (!read_word(&p, e)) {
                free_words(p.words, p.nwords);
                cmd_script_free(sc);
                return NULL;
            }
        }
    }
    return sc;
}

void cmd_script_free(struct cmd_script *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n; i++)
        free_words(sc->calls[i].argv, sc->calls[i].argc);
    free(sc->calls);
    free(sc);
}

void cmd_quote_word(struct strbuf *sb, const char *w)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789_-.,:/=+@%";
    /* vi's names are quoted too: as a command, 'wq' is that word, not
     * save then quit */
    if (*w && !w[strspn(w, plain)] && !vi_name_find(w)) {
        sb_puts(sb, w);
        return;
    }
    /* inside '...' everything is literal but the quote itself, which
     * closes, is written escaped, and opens again */
    sb_putc(sb, '\'');
    for (; *w; w++) {
        if (*w == '\'')
            sb_puts(sb, "'\\''");
        else
            sb_putc(sb, *w);
    }
    sb_putc(sb, '\'');
}

char *cmd_words_line_new(int argc, char *const *argv)
{
    struct strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "");
    for (int i = 0; i < argc; i++) {
        if (i)
            sb_putc(&sb, ' ');
        cmd_quote_word(&sb, argv[i]);
    }
    return sb_detach(&sb);
}

bool command_has_json(const struct command *c)
{
    struct opts o;
    opts_from_spec(c->options, &o);
    return opt_index(&o, "--json") >= 0;
}

/* Puts --json in front of a call's other arguments (an option may stand
 * anywhere before "--"), unless the call has it already. */
static void call_add_json(struct cmd_call *c)
{
    const struct command *cmd = command_find(c->argv[0]);
    if (!cmd || !command_has_json(cmd))
        return;
    for (int i = 1; i < c->argc && strcmp(c->argv[i], "--") != 0; i++)
        if (strcmp(c->argv[i], "--json") == 0)
            return;
    c->argv = xrealloc(c->argv, (size_t)(c->argc + 2) * sizeof *c->argv);
    memmove(c->argv + 2, c->argv + 1, (size_t)c->argc * sizeof *c->argv);
    c->argv[1] = xstrdup("--json");
    c->argc++;
}

int cmd_run_script(struct session *s, const char *script, FILE *out, FILE *err)
{
    return cmd_run_script_flags(s, script, out, err, 0);
}

int cmd_run_script_flags(struct session *s, const char *script, FILE *out, FILE *err,
                         unsigned flags)
{
    struct err e ERR_SCOPE = ERR_INIT;
    struct cmd_script *sc = cmd_script_parse(script, &e);
    if (!sc) {
        fprintf(err, "pcitopo: -c: %s\n", e.msg);
        return 2;
    }
    for (size_t i = 0; i < sc->n && (flags & CMD_RUN_JSON); i++)
        call_add_json(&sc->calls[i]);
    int status = 0;
    for (size_t i = 0; i < sc->n && !(s && s->quit); i++) {
        struct cmd_io io;
        cmd_io_init(&io);
        bool ok = cmd_execute(s, sc->calls[i].argc, sc->calls[i].argv, &io, &e);
        if (io.out.len)
            fwrite(io.out.buf, 1, io.out.len, out);
        if (ok && io.note.len) {
            /* what a change did goes beside the output, not into it */
            fflush(out);
            fprintf(err, "pcitopo: %s\n", io.note.buf);
        }
        cmd_io_free(&io);
        if (!ok) {
            fflush(out);   /* the error follows what was printed before it */
            fprintf(err, "pcitopo: %s\n", e.msg);
            status = 1;
            break;
        }
    }
    fflush(out);
    cmd_script_free(sc);
    return status;
}
