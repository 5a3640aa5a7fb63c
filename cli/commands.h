/* commands.h — one entry point per subcommand (one file each in cli/). */
#ifndef NP_CLI_COMMANDS_H
#define NP_CLI_COMMANDS_H
int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
#endif
