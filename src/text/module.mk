# src/text/module.mk — build-time table generators for the normalizer.
# Each generator is a small host program (or /usr/bin/python3 script) run once;
# its header lands in $(GEN)/text/ and is compiled into src/text as static const
# data.  gen_fold.c includes the other headers and composes them with utf8proc
# into the one two-level fold table the hot path reads.

TEXT_GEN     := $(GEN)/text
TEXT_GENBIN  := $(GEN)/bin
UNIHAN_DIR   ?= /usr/share/unicode
OPENCC_T2S   ?= /usr/share/opencc/t2s.json
GEN_CFLAGS   := -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Iinclude -Isrc -I$(GEN)

$(TEXT_GENBIN)/gen_t2s: tools/gen_t2s.c
	@mkdir -p $(dir $@)
	$(CC) $(GEN_CFLAGS) $< -o $@ $(shell pkg-config --cflags --libs opencc)

$(TEXT_GENBIN)/gen_confusables: tools/gen_confusables.c
	@mkdir -p $(dir $@)
	$(CC) $(GEN_CFLAGS) $< -o $@ $(shell pkg-config --cflags --libs icu-uc icu-i18n)

$(TEXT_GENBIN)/gen_fold: tools/gen_fold.c src/text/text_int.h $(TEXT_GEN)/t2s_data.h \
                         $(TEXT_GEN)/unihan_data.h $(TEXT_GEN)/digits_data.h \
                         $(TEXT_GEN)/confusable_data.h
	@mkdir -p $(dir $@)
	$(CC) $(GEN_CFLAGS) $< -o $@ $(shell pkg-config --cflags --libs libutf8proc)

$(TEXT_GEN)/t2s_data.h: $(TEXT_GENBIN)/gen_t2s $(OPENCC_T2S)
	@mkdir -p $(dir $@)
	$< $(OPENCC_T2S) $@.tmp && mv $@.tmp $@

$(TEXT_GEN)/confusable_data.h: $(TEXT_GENBIN)/gen_confusables
	@mkdir -p $(dir $@)
	$< $@.tmp && mv $@.tmp $@

$(TEXT_GEN)/digits_data.h: tools/gen_digits.py $(UNIHAN_DIR)/UnicodeData.txt
	@mkdir -p $(dir $@)
	/usr/bin/python3 $< $(UNIHAN_DIR)/UnicodeData.txt $@.tmp && mv $@.tmp $@

# One script writes both headers; the pinyin one is the stamp.
$(TEXT_GEN)/pinyin_data.h: tools/gen_unihan.py $(wildcard $(UNIHAN_DIR)/Unihan_*.txt.bz2)
	@mkdir -p $(dir $@)
	/usr/bin/python3 $< $(UNIHAN_DIR) $(TEXT_GEN)
$(TEXT_GEN)/unihan_data.h: $(TEXT_GEN)/pinyin_data.h

$(TEXT_GEN)/fold_table.h: $(TEXT_GENBIN)/gen_fold
	@mkdir -p $(dir $@)
	$< $@.tmp && mv $@.tmp $@

GENERATED += $(TEXT_GEN)/fold_table.h $(TEXT_GEN)/pinyin_data.h
