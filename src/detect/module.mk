# src/detect/module.mk — generates the detector reference tables from
# $(SHARED)/data/ref at build time (the library never reads them at run time).
DETECT_REF := $(SHARED)/data/ref
DETECT_TSV := $(addprefix $(DETECT_REF)/,gb2260_history.tsv gb2260_current.tsv provinces.tsv \
                mobile_prefixes.tsv phone_area_codes.tsv bank_bin.tsv)

$(GEN)/detect/detect_tables.h: src/detect/gen_tables.py $(DETECT_TSV)
	@mkdir -p $(dir $@)
	python3 src/detect/gen_tables.py $(DETECT_REF) $@

GENERATED += $(GEN)/detect/detect_tables.h
