/* theme: the colours of the screen, by role (enum pair); without colours
 * each role falls back to an attribute. */
#include "config.h"
#include "screens.h"

attr_t theme_attr(const struct editor *ed, enum pair p, attr_t mono)
{
    return ed->color ? (attr_t)COLOR_PAIR(p) | (mono & A_BOLD) : mono;
}

void theme_init(struct editor *ed)
{
    ed->color = has_colors();
    if (!ed->color)
        return;
    start_color();
    use_default_colors();
    init_pair(PAIR_HEADING, COLOR_YELLOW, -1);
    init_pair(PAIR_CONTROLLER, COLOR_CYAN, -1);
    init_pair(PAIR_ENDPOINT, -1, -1);
    init_pair(PAIR_CHIPSET, COLOR_BLUE, -1);
    init_pair(PAIR_EMPTY, -1, -1);
    init_pair(PAIR_HOTPLUG, COLOR_GREEN, -1);
    init_pair(PAIR_PROBLEM, COLOR_RED, -1);
    init_pair(PAIR_STATUS, COLOR_BLACK, COLOR_CYAN);
    init_pair(PAIR_PREVIEW, COLOR_MAGENTA, -1);
    init_pair(PAIR_ADDED, COLOR_YELLOW, -1);
    init_pair(PAIR_ERROR, COLOR_WHITE, COLOR_RED);
    init_pair(PAIR_FRAME, COLOR_CYAN, -1);
}
