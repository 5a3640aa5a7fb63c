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
/* Where a rules directory's companions are: the hoax database
 * (<rules>/hoaxes/hoaxes.jsonl) and the classifier models (<rules>/../models). */
typedef struct cli_pack_paths {
  char hoaxes[4096], models[4096];
} cli_pack_paths;
/* Sets cfg->hoax_path and cfg->models_dir to those companions when they exist
 * and the field is still NULL (explicit options win).  p holds the strings. */
void cli_pack_defaults(np_engine_config *cfg, const char *rules_dir, cli_pack_paths *p);
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
