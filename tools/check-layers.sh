#!/usr/bin/env bash
# Checks DESIGN §6 layering: a module includes only headers of modules below
# it; store/server/cli see the engine only through include/netpatrol.h.
set -u
declare -A allowed=(
  [util]="util"
  [text]="util text"
  [match]="util match"
  [detect]="util text detect"
  [similar]="util text similar"
  [classify]="util text classify"
  [rules]="util text rules"
  [engine]="util text match detect similar classify rules engine"
  [store]="util store"
  [server]="util store server"
)
bad=0
for m in "${!allowed[@]}"; do
  for f in src/$m/*.[ch]; do
    [ -f "$f" ] || continue
    for inc in $(grep -oE '^#include "[a-z_]+/' "$f" | sed -E 's/#include "([a-z_]+)\//\1/'); do
      case " ${allowed[$m]} " in *" $inc "*) ;; *) echo "$f includes $inc/ (not allowed for $m)"; bad=1;; esac
    done
  done
done
for f in cli/*.[ch]; do
  for inc in $(grep -oE '^#include "[a-z_]+/' "$f" | sed -E 's/#include "([a-z_]+)\//\1/'); do
    # cli may also use classify (train/eval are tools, not the engine) and similar
    # (the coordination window is cross-post state that lives above the engine)
    case " util store server cli classify similar " in *" $inc "*) ;; *) echo "$f includes $inc/ (cli sees the engine only through netpatrol.h)"; bad=1;; esac
  done
done
exit $bad
