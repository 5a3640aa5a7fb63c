/* main.c — netpatrol command dispatcher: a static table of subcommands. */
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "netpatrol.h"

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *help;
} command;

static const command commands[] = {
    {"scan", cmd_scan, "screen JSON Lines posts and write one verdict per post"},
    {"rules", cmd_rules, "check rule packs, run their examples, list keywords"},
    {"train", cmd_train, "train a character n-gram classifier on labelled JSON Lines"},
    {"eval", cmd_eval, "evaluate a classifier on labelled JSON Lines"},
    {"serve", cmd_serve, "serve the JSON API and the analyst workbench over a clue store"},
    {"user", cmd_user, "add workbench users, change passwords, list users"},
    {"audit", cmd_audit, "verify the audit log's hash chain, print recent entries"},
};

static void usage(FILE *f) {
  fprintf(f, "usage: netpatrol <command> [options]\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
  fprintf(f, "\n'netpatrol <command> --help' shows a command's options; docs/cli/ has them all.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) { usage(stderr); return 1; }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(argv[1], "--version")) { printf("netpatrol %s\n", NP_VERSION); return 0; }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "netpatrol: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return 1;
}
