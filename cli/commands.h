/* commands.h — one entry point per subcommand (one file each in cli/). */
#ifndef NP_CLI_COMMANDS_H
#define NP_CLI_COMMANDS_H
int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
#endif
