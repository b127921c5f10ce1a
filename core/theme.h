/* theme: the editor's colours, by role — read from theme files in one
 * small format (themes/default.theme documents it), without curses: the
 * editor maps a role's style to the terminal (tui/theme.c).
 *
 * A theme gives each role a foreground, a background and attributes.
 * The shipped themes (default, mono, light) are themes/NAME.theme
 * compiled in and read by the same parser as the user's files, as the
 * keymaps are.  Bad lines are reported with file and line and skipped. */
#ifndef PCITOPO_THEME_H
#define PCITOPO_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* What is coloured.  The editor's colour pairs follow this order. */
enum theme_role {
    THEME_HEADING,      /* the tree's heading, pager titles, questions */
    THEME_CONTROLLER,   /* controllers and the root buses */
    THEME_ENDPOINT,     /* devices */
    THEME_CHIPSET,      /* the machine's own functions */
    THEME_EMPTY,        /* empty slots that cannot hot-plug */
    THEME_HOTPLUG,      /* empty slots that can */
    THEME_PROBLEM,      /* a line libvirt would refuse */
    THEME_STATUS,       /* the status line */
    THEME_PREVIEW,      /* the device the add dialog previews */
    THEME_ADDED,        /* what the previewed add brings with it */
    THEME_ERROR,        /* an error in the message line */
    THEME_FRAME,        /* the lines between the panes */
    THEME_MATCH,        /* a search match */
    THEME_TARGET,       /* a slot a device being moved can go to */
    THEME_ROLES
};

/* Colours: the terminal's default, or an entry of its palette (0-7 the
 * eight ANSI colours, 8-15 their bright forms, up to 255). */
#define THEME_COLOR_DEFAULT (-1)
#define THEME_COLOR_MAX 255

enum theme_attr {
    THEME_BOLD = 1u << 0,
    THEME_UNDERLINE = 1u << 1,
    THEME_REVERSE = 1u << 2,
    THEME_DIM = 1u << 3,
};

struct theme_style {
    int fg, bg;         /* THEME_COLOR_DEFAULT or 0..THEME_COLOR_MAX */
    unsigned attrs;     /* enum theme_attr */
};

struct theme {
    struct theme_style role[THEME_ROLES];
};

/* A theme file is small: a line per role. */
#define THEME_FILE_MAX (64 * 1024)

/* The role's name in theme files ("problem"); NULL past the end. */
const char *theme_role_name(size_t role);
/* Names of the shipped themes ("default", "mono", "light"); NULL past
 * the end. */
const char *theme_shipped(size_t i);
/* Every role on the terminal's colours, no attribute. */
void theme_clear(struct theme *t);
/* The shipped default theme. */
void theme_default(struct theme *t);
/* Reads text's lines into t, on top of what it holds (name is the file
 * name used in messages).  Bad lines are skipped; each gets one line
 * "NAME:LINE: problem" in problems.  Returns the number of bad lines. */
int theme_load_text(struct theme *t, const char *text, const char *name, struct strbuf *problems);
/* A shipped theme by name or, when name looks like a path (has a '/' or
 * ends in .theme), a file, on top of t.  Bad lines go to problems; false
 * with e set only when the theme cannot be had at all. */
bool theme_load_named(struct theme *t, const char *name, struct strbuf *problems, struct err *e);
/* The theme the editor uses: the default, then the theme or file name
 * when given, else the user's file at user_path when it exists.  Bad
 * lines go to problems; false with e set when name cannot be had. */
bool theme_load_effective(struct theme *t, const char *name, const char *user_path,
                          struct strbuf *problems, struct err *e);
/* $XDG_CONFIG_HOME/pcitopo/theme (~/.config/pcitopo/theme); NULL without
 * a home.  Caller frees. */
char *theme_user_path(void);
/* Whether any role has a colour: a theme of attributes alone (mono) is
 * used as it is on a terminal without colours. */
bool theme_has_colors(const struct theme *t);

/* The texts of themes/default.theme, mono.theme, light.theme. */
extern const char default_theme[];
extern const char mono_theme[];
extern const char light_theme[];

#endif
