/* common.h — helpers shared by the subcommands: exit codes, locating the
 * shipped rule packs, loading an engine with its diagnostics printed. */
#ifndef NP_CLI_COMMON_H
#define NP_CLI_COMMON_H
#include <stddef.h>
#include "netpatrol.h"

/* Exit codes (docs/cli/exit-codes.md). */
enum { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_INPUT = 2, EXIT_IO = 3, EXIT_INTERNAL = 4 };

/* The rules directory: explicit, else $NETPATROL_RULES, else ./rules, else
 * the rules/ of the source tree the binary was built in.  Writes into buf. */
const char *cli_rules_dir(const char *explicit_dir, char *buf, size_t size);
/* A sibling of the rules dir ("../models") if it exists, else NULL. */
const char *cli_sibling(const char *rules_dir, const char *rel, char *buf, size_t size);
/* Compiles the packs in dir; prints every diagnostic on stderr.  Returns an
 * exit code (EXIT_OK on success). */
int cli_load_engine(const np_engine_config *cfg, const char *dir, np_engine **out);
/* The matcher cache directory: $NETPATROL_CACHE_DIR ("off" disables), else
 * $XDG_CACHE_HOME/netpatrol, else $HOME/.cache/netpatrol; created if missing.
 * NULL when disabled or it cannot be created. */
const char *cli_cache_dir(char *buf, size_t size);
/* Parses a non-negative size with an optional k/M/G suffix; -1 if invalid. */
long long cli_parse_size(const char *s);
#endif
