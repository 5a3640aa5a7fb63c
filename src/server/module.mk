# src/server/module.mk — `make serve-demo`: builds the CLI and the workbench,
# seeds build/demo.db from examples/posts.jsonl, the rule-pack examples (and a few linked
# synthetic posts) and serves it on http://127.0.0.1:8080/ as user "demo",
# password "demo-password" (a local demo only: never reuse it).
DEMO_DB := build/demo.db

serve-demo: deps cli
	@tools/install-web-deps.sh
	@cd web && npm run --silent build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@printf 'demo-password\n' | $(BIN) user add --db $(DEMO_DB) --name demo --role admin
	@cat examples/posts.jsonl rules/*/examples.jsonl tests/fixtures/web-seed.jsonl | \
	  $(BIN) scan --db $(DEMO_DB) --db-threshold 0 --quiet -o /dev/null || [ $$? -eq 2 ]
	@echo "workbench: http://127.0.0.1:8080/  (user demo, password demo-password; Ctrl-C stops)"
	$(BIN) serve --db $(DEMO_DB) --web web/dist
